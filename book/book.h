/* book.h — workbooks edgemap writes (xlsx), over libxlsxwriter. book/ is the only
 * home of libxlsxwriter in the program; nothing of it crosses this header.
 *
 * Two layers:
 *   - a small general writer (open, sheets, cells with styles, merged ranges, pull-down
 *     lists, input messages, comments, internal hyperlinks, widths, panes, close), used
 *     by the template and the annotated copy here and by any later report workbook;
 *   - the two workbooks of the survey loop: the blank fill-in template and the records
 *     annotated with their findings (book/template.c, book/annotate.c).
 *
 * Rows and columns are 0-based in this API (row 0 = spreadsheet row 1, column 0 = A).
 * Errors are sticky: the first failure is kept in the book and every later call on it
 * does nothing and returns -1; em_book_close() reports it and leaves no file behind. */
#ifndef EM_BOOK_H
#define EM_BOOK_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"
#include "mapper/outset.h"
#include "mapper/json.h"
#include "mapper/model.h"

struct em_book;
struct em_book_sheet;

/* Cell styles. The severity fills are the Okabe-Ito colour-blind-safe palette
 * (vermillion / orange / sky blue) at a light tint, so the text stays readable and
 * the mark character (✖ ▲ ⓘ) carries the meaning when printed in grey. */
enum em_book_style {
    EM_BS_PLAIN = 0,     /* thin border, wrapped, top-aligned */
    EM_BS_NONE,          /* no format at all */
    EM_BS_TITLE,         /* bold, larger */
    EM_BS_NOTE,          /* small explanatory text */
    EM_BS_HEADER,        /* bold, light blue, centred, wrapped, border */
    EM_BS_GROUP,         /* bold, light orange, centred (装置① / 装置② labels) */
    EM_BS_KEY,           /* bold left column of key/value sheets */
    EM_BS_DATE,          /* a date cell, yyyy/mm/dd */
    EM_BS_ERROR,         /* finding fills by severity */
    EM_BS_WARNING,
    EM_BS_INFO,
    EM_BS_ACCEPTED,      /* an accepted finding: light grey, still marked */
    EM_BS_LINK,          /* hyperlink text */
    EM_BS_EXAMPLE,       /* example rows (記入例): grey italic */
    EM_BS_COUNT
};

/* Opens a workbook to be written as output idx of set (mapper/outset.h). Nothing
 * replaces the destination before the caller commits the set. Returns NULL with err
 * filled. Free with em_book_close() or em_book_discard(). */
struct em_book *em_book_new(struct em_outset *set, size_t idx, struct em_err *err);

/* Writes the workbook into its output of the set and frees the book. Returns 0, or a
 * negative enum em_rc with err filled (the first error of any call on this book, or
 * the write itself). The caller commits the set (em_outset_commit). */
int em_book_close(struct em_book *b, struct em_err *err);

/* Frees the book without writing anything. NULL is a no-op. */
void em_book_discard(struct em_book *b);

/* Fixed document properties (title, author) so output is reproducible. */
int em_book_properties(struct em_book *b, const char *title, const char *subject);

/* Adds a sheet named name (at most 31 characters, no []:*?/\). The book owns it.
 * If header is non-NULL, its ncols texts are written into row 0 with EM_BS_HEADER,
 * the columns get a width from the text and the panes are frozen below row 0.
 * Returns NULL on failure (kept in the book). */
struct em_book_sheet *em_book_add_sheet(struct em_book *b, const char *name,
                                        const char *const *header, size_t ncols);

/* Cells. text may be NULL or "" (a blank cell with the style). Each returns 0 or -1. */
int em_book_text(struct em_book_sheet *s, long row, long col, const char *text,
                 enum em_book_style st);
int em_book_number(struct em_book_sheet *s, long row, long col, double v, enum em_book_style st);
/* One row of texts from column 0 (NULL or "" blank), all with style st. */
int em_book_row(struct em_book_sheet *s, long row, const char *const *texts, size_t n, enum em_book_style st);
/* The style of a finding's severity: EM_BS_ERROR / EM_BS_WARNING / EM_BS_INFO. */
enum em_book_style em_book_severity_style(enum em_severity sev);
/* A real date cell (serial number with a date format). */
int em_book_date(struct em_book_sheet *s, long row, long col, int y, int m, int d);
/* A merged range holding text. */
int em_book_merge(struct em_book_sheet *s, long r0, long c0, long r1, long c1,
                  const char *text, enum em_book_style st);
/* A hyperlink to a cell of a sheet of the same workbook (row/col 0-based), shown as text. */
int em_book_link(struct em_book_sheet *s, long row, long col, const char *sheet,
                 long to_row, long to_col, const char *text);
/* A cell comment (note); author may be NULL. Long text is cut at 32,000 bytes. */
int em_book_comment(struct em_book_sheet *s, long row, long col, const char *text,
                    const char *author);

/* Layout. */
int em_book_width(struct em_book_sheet *s, long c0, long c1, double width);
int em_book_height(struct em_book_sheet *s, long row, double height);
void em_book_freeze(struct em_book_sheet *s, long row, long col);
void em_book_hide(struct em_book_sheet *s);
/* Hides one row (kept empty: rows left out by --party keep the row numbers). */
int em_book_hide_row(struct em_book_sheet *s, long row);
void em_book_activate(struct em_book_sheet *s);
/* Printing: landscape, the sheet's width on one page of the paper (8 = A3, 9 = A4),
 * rows 0..header_rows-1 repeated on every page (0: none). */
int em_book_print_setup(struct em_book_sheet *s, int paper, long header_rows);
/* An auto-filter over a range (the list sheet). */
int em_book_filter(struct em_book_sheet *s, long r0, long c0, long r1, long c1);

/* Data validation over rows r0..r1 of column col. list_ref is a range formula such as
 * "=選択肢!$A$2:$A$5" (a pull-down from a list sheet) or NULL (no list: the input message
 * only). title (≤ 32 characters) and message (≤ 255 characters; longer is cut at a
 * character boundary) are the input message shown when the cell is selected; NULL for
 * none. strict: refuse other values (else warn and accept, as the programme's sheet
 * does, so free text like a new system name still goes in). */
int em_book_validation(struct em_book_sheet *s, long r0, long r1, long col,
                       const char *list_ref, const char *title, const char *message, bool strict);

/* A date validation (2000-01-01 … 2100-12-31) with an input message, for a date cell. */
int em_book_validation_date(struct em_book_sheet *s, long row, long col, const char *title,
                            const char *message);

/* A strict YYYY-MM-DD that is a real calendar date (2000 … 2100) into y, m, d. */
bool em_book_parse_date(const char *s, int *y, int *m, int *d);

/* Column letters of col (0-based) into buf ("A", "AB"); returns buf. */
char *em_book_col_name(long col, char *buf, size_t size);

/* ---- the fill-in template (book/template.c) ---- */

/* Writes the blank survey workbook to path: 基本情報記入シート, 回線・機器情報記入シート
 * (two-row header, 装置①/装置② groups merged), 調査端末情報記入シート, 設置場所記入シート,
 * 記入例, and a hidden 選択肢 sheet the pull-downs draw from. Input messages and notes are
 * in the current language (em_lang_get()); headers are always Japanese. No password
 * sheet or column. Returns 0 or a negative enum em_rc with err filled. */
struct em_book_template_opts {
    const char *survey_date;    /* YYYY-MM-DD pre-filled as the 調査日 date cell, or NULL */
    const char *site_name;      /* pre-filled 医療機関名, or NULL */
};
/* Written as output idx of set; the caller commits. */
int em_book_template(struct em_outset *set, size_t idx, const struct em_book_template_opts *o, struct em_err *err);

/* ---- the annotated records (book/annotate.c) ---- */

/* One sensitive value and its placeholder (--redact): grid cells equal to orig (after
 * trimming) become ph, and orig inside longer text is replaced too. */
struct em_book_redaction { const char *orig, *ph; };

struct em_book_annotate_opts {
    const char *party;          /* --party NAME: keep only rows naming it, or NULL */
    const struct em_book_redaction *redact;  /* NULL: no redaction */
    size_t n_redact;
    bool redacting;             /* --redact given (also scrubs any other IPv4 in cells) */
    const char *tool_version;   /* shown in the summary */
    const char *data_version;
};

/* The most record rows `annotate` copies: the copy holds each records sheet and its
 * comments in memory until the workbook is closed (libxlsxwriter's row-by-row mode
 * cannot write merged cells, which the copy keeps), about 10 KB a row with the model;
 * 20,000 rows stay within 256 MB (210 MB measured). Past it em_book_annotate refuses
 * with EM_ERR_LIMIT before reading anything again. A hospital's survey has hundreds of
 * rows at most. */
#define EM_ANNOTATE_MAX_ROWS 20000

/* Writes the annotated copy of the records read into m (its first source file that
 * has a records sheet, plus every other source) as output idx of set (the caller
 * commits): a 指摘一覧 sheet first
 * (summary, then every finding with a link to its cell, evidence for findings
 * without a cell), then each source's records sheet with every row and column as
 * read (same row numbers and column letters as the original; password columns
 * blanked), each finding as a comment on its cell and the cell filled by severity.
 * The records files are read again through mapper's readers. Returns 0 or a
 * negative enum em_rc with err filled. *kept (may be NULL) receives the number of
 * record rows copied (after --party). */
int em_book_annotate(const struct em_model *m, struct em_outset *set, size_t idx,
                     const struct em_book_annotate_opts *o, size_t *kept, struct em_err *err);

/* True when a party name (接続先 / 回線契約者 text) names the party asked for: both
 * NFKC-normalised, whitespace removed, lower-cased, company designations (株式会社,
 * (株), 有限会社, 合同会社, Co., Ltd., Inc. ...) dropped; then the text contains the party
 * ("電子カルテ保守（メディビュー）" names メディビュー). An empty party names nothing. */
bool em_book_party_match(const char *text, const char *party);

#endif
