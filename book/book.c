/* book.c — the general workbook writer over libxlsxwriter: sticky errors, one format
 * per style, written into the run's output set (mapper/outset.h: temp + rename when
 * the whole run succeeded, written through for a device) — never a half-written workbook. */
#include "book/book.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "mapper/lang.h"

#define MAX_SHEETS 64

struct em_book_sheet {
    struct em_book *b;
    lxw_worksheet *ws;
    char name[128];
};

struct em_book {
    lxw_workbook *wb;
    struct em_outset *set;  /* the run's outputs (mapper/outset.h) */
    size_t idx;             /* which one this book is */
    lxw_format *fmt[EM_BS_COUNT];
    struct em_book_sheet sheets[MAX_SHEETS];
    size_t n_sheets;
    struct em_err err;  /* first failure */
};

/* Records the first failure of a libxlsxwriter call. Returns -1 (or 0 for no error). */
static int lxw_fail(struct em_book *b, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR) return 0;
    if (b->err.rc == 0)
        em_err_set(&b->err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? EM_ERR_NOMEM : EM_ERR_IO, em_outset_path(b->set, b->idx), NULL, 0,
                   NULL, em_tr("ブックを書けません（%s: %s）", "cannot write the workbook (%s: %s)"), what,
                   lxw_strerror(e));
    return -1;
}

static void make_formats(struct em_book *b)
{
    for (int i = 0; i < EM_BS_COUNT; i++) {
        if (i == EM_BS_NONE) continue;
        lxw_format *f = workbook_add_format(b->wb);
        b->fmt[i] = f;
        if (!f) continue;
        format_set_font_name(f, "Noto Sans CJK JP");
        format_set_font_size(f, 10);
        switch (i) {
        case EM_BS_TITLE:
            format_set_bold(f);
            format_set_font_size(f, 14);
            break;
        case EM_BS_NOTE:
            format_set_font_size(f, 9);
            format_set_font_color(f, 0x404040);
            break;
        case EM_BS_HEADER:
        case EM_BS_GROUP:
            format_set_bold(f);
            format_set_text_wrap(f);
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            format_set_border(f, LXW_BORDER_THIN);
            format_set_bg_color(f, i == EM_BS_HEADER ? 0xDDEBF7 : 0xFCE4D6);
            break;
        case EM_BS_KEY:
            format_set_bold(f);
            format_set_border(f, LXW_BORDER_THIN);
            format_set_bg_color(f, 0xDDEBF7);
            break;
        case EM_BS_DATE:
            format_set_num_format(f, "yyyy/mm/dd");
            format_set_border(f, LXW_BORDER_THIN);
            format_set_align(f, LXW_ALIGN_LEFT);
            break;
        case EM_BS_LINK:
            format_set_underline(f, LXW_UNDERLINE_SINGLE);
            format_set_font_color(f, 0x0563C1);
            break;
        case EM_BS_EXAMPLE:
            format_set_italic(f);
            format_set_font_color(f, 0x595959);
            /* fall through */
        default:
            format_set_border(f, LXW_BORDER_THIN);
            format_set_text_wrap(f);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
            break;
        }
        /* Okabe-Ito vermillion #D55E00, orange #E69F00, sky blue #56B4E9, tinted */
        if (i == EM_BS_ERROR) format_set_bg_color(f, 0xF4C7A8);
        if (i == EM_BS_WARNING) format_set_bg_color(f, 0xF8E0A8);
        if (i == EM_BS_INFO) format_set_bg_color(f, 0xCDE8F8);
        if (i == EM_BS_ACCEPTED) format_set_bg_color(f, 0xE0E0E0);
        if (i == EM_BS_ERROR || i == EM_BS_WARNING) format_set_bold(f);
    }
}

struct em_book *em_book_new(struct em_outset *set, size_t idx, struct em_err *err)
{
    const char *path = em_outset_path(set, idx);
    struct em_book *b = g_try_new0(struct em_book, 1);
    if (!b) {
        em_err_set(err, EM_ERR_NOMEM, path, NULL, 0, NULL, "%s", em_tr("メモリ不足", "out of memory"));
        return NULL;
    }
    b->set = set;
    b->idx = idx;
    /* libxlsxwriter writes to a file name: the set's temp for this output */
    const char *tmp = em_outset_temp(set, idx, err);
    if (!tmp) {
        g_free(b);
        return NULL;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    b->wb = workbook_new_opt(tmp, &opt);
    if (!b->wb) {
        em_err_set(err, EM_ERR_NOMEM, path, NULL, 0, NULL, "%s", em_tr("メモリ不足", "out of memory"));
        em_book_discard(b);
        return NULL;
    }
    make_formats(b);
    return b;
}

void em_book_discard(struct em_book *b)
{
    if (!b) return;
    /* libxlsxwriter frees a workbook only by closing it: it writes the set's temp,
     * which the set removes unless the output is written again and committed */
    if (b->wb) workbook_close(b->wb);
    g_free(b);
}

int em_book_close(struct em_book *b, struct em_err *err)
{
    if (!b) return EM_ERR_USAGE;
    if (b->err.rc != 0) {
        if (err) *err = b->err;
        em_book_discard(b);
        return err ? err->rc : EM_ERR_IO;
    }
    lxw_error e = workbook_close(b->wb);   /* frees the workbook */
    b->wb = NULL;
    int rc;
    if (e != LXW_NO_ERROR) {
        lxw_fail(b, e, "workbook_close");
        if (err) *err = b->err;
        rc = b->err.rc;
    } else {
        rc = em_outset_temp_done(b->set, b->idx, err);
    }
    g_free(b);
    return rc;
}

int em_book_properties(struct em_book *b, const char *title, const char *subject)
{
    if (b->err.rc) return -1;
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    p.title = (char *)title;
    p.subject = (char *)subject;
    p.author = "edgemap";
    p.created = (time_t)1795478400;   /* fixed: the same input gives the same file */
    return lxw_fail(b, workbook_set_properties(b->wb, &p), "properties");
}

static lxw_format *fmt(struct em_book *b, enum em_book_style st)
{
    return st >= 0 && st < EM_BS_COUNT ? b->fmt[st] : NULL;
}

static bool in_range(struct em_book *b, long row, long col)
{
    if (row >= 0 && row < 1048576 && col >= 0 && col < 16384) return true;
    if (b->err.rc == 0)
        em_err_set(&b->err, EM_ERR_LIMIT, em_outset_path(b->set, b->idx), NULL, row + 1, NULL,
                   em_tr("セルがシートの範囲を超えています", "cell outside the sheet"));
    return false;
}

/* Width of a header text in Excel column units: East Asian characters count double. */
static double text_width(const char *s)
{
    double w = 0, line = 0;
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n') {
            if (line > w) w = line;
            line = 0;
            continue;
        }
        line += g_unichar_iswide(c) || g_unichar_iswide_cjk(c) ? 2.0 : 1.1;
    }
    if (line > w) w = line;
    return w;
}

struct em_book_sheet *em_book_add_sheet(struct em_book *b, const char *name,
                                        const char *const *header, size_t ncols)
{
    if (b->err.rc) return NULL;
    if (b->n_sheets == MAX_SHEETS) {
        em_err_set(&b->err, EM_ERR_LIMIT, em_outset_path(b->set, b->idx), name, 0, NULL, "%s", em_tr("シートが多すぎます", "too many sheets"));
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws) {
        em_err_set(&b->err, EM_ERR_FORMAT, em_outset_path(b->set, b->idx), name, 0, NULL,
                   em_tr("シートを追加できません", "cannot add the sheet"));
        return NULL;
    }
    struct em_book_sheet *s = &b->sheets[b->n_sheets++];
    s->b = b;
    s->ws = ws;
    snprintf(s->name, sizeof s->name, "%s", name);
    for (size_t c = 0; header && c < ncols; c++) {
        em_book_text(s, 0, (long)c, header[c], EM_BS_HEADER);
        double w = text_width(header[c]) + 2;
        em_book_width(s, (long)c, (long)c, w < 8 ? 8 : w > 60 ? 60 : w);
    }
    if (header) em_book_freeze(s, 1, 0);
    return b->err.rc ? NULL : s;
}

/* Excel keeps at most 32,767 characters in a cell: longer text is cut at a UTF-8
 * character boundary below 32,000 bytes (the readers cap cells at 32 KiB as well). */
static const char *capped(const char *text, char **owned)
{
    *owned = NULL;
    size_t n = strlen(text);
    if (n <= 32000) return text;
    const char *end = g_utf8_find_prev_char(text, text + 32000);
    *owned = g_strndup(text, end ? (size_t)(end - text) : 0);
    return *owned;
}

int em_book_text(struct em_book_sheet *s, long row, long col, const char *text,
                 enum em_book_style st)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col)) return -1;
    if (!text || !*text)
        return lxw_fail(b, worksheet_write_blank(s->ws, (lxw_row_t)row, (lxw_col_t)col, fmt(b, st)), "blank");
    char *owned;
    const char *t = capped(text, &owned);
    int rc = lxw_fail(b, worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, t, fmt(b, st)), "string");
    g_free(owned);
    return rc;
}

int em_book_row(struct em_book_sheet *s, long row, const char *const *texts, size_t n, enum em_book_style st)
{
    int rc = 0;
    for (size_t c = 0; c < n && rc == 0; c++) rc = em_book_text(s, row, (long)c, texts[c], st);
    return rc;
}

enum em_book_style em_book_severity_style(enum em_severity sev)
{
    return sev == EM_SEV_ERROR ? EM_BS_ERROR : sev == EM_SEV_WARNING ? EM_BS_WARNING : EM_BS_INFO;
}

int em_book_number(struct em_book_sheet *s, long row, long col, double v, enum em_book_style st)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col)) return -1;
    return lxw_fail(b, worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt(b, st)), "number");
}

int em_book_date(struct em_book_sheet *s, long row, long col, int y, int m, int d)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col)) return -1;
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    return lxw_fail(b, worksheet_write_datetime(s->ws, (lxw_row_t)row, (lxw_col_t)col, &dt, b->fmt[EM_BS_DATE]),
                    "date");
}

int em_book_merge(struct em_book_sheet *s, long r0, long c0, long r1, long c1,
                  const char *text, enum em_book_style st)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, r0, c0) || !in_range(b, r1, c1)) return -1;
    return lxw_fail(b, worksheet_merge_range(s->ws, (lxw_row_t)r0, (lxw_col_t)c0, (lxw_row_t)r1, (lxw_col_t)c1,
                                             text ? text : "", fmt(b, st)), "merge");
}

bool em_book_parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !g_ascii_isdigit(s[i])) return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 2000 && *y <= 2100 && g_date_valid_dmy((GDateDay)*d, (GDateMonth)*m, (GDateYear)*y);
}

char *em_book_col_name(long col, char *buf, size_t size)
{
    char tmp[8];
    int n = 0;
    long c = col + 1;
    while (c > 0 && n < (int)sizeof tmp) {
        long r = (c - 1) % 26;
        tmp[n++] = (char)('A' + r);
        c = (c - 1) / 26;
    }
    size_t k = 0;
    while (n > 0 && k + 1 < size) buf[k++] = tmp[--n];
    if (size) buf[k] = '\0';
    return buf;
}

int em_book_link(struct em_book_sheet *s, long row, long col, const char *sheet,
                 long to_row, long to_col, const char *text)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col) || !in_range(b, to_row, to_col)) return -1;
    char cn[8];
    /* a quote inside the sheet name is doubled, as Excel writes it */
    GString *u = g_string_new("internal:'");
    for (const char *p = sheet; *p; p++) {
        if (*p == '\'') g_string_append_c(u, '\'');
        g_string_append_c(u, *p);
    }
    g_string_append_printf(u, "'!%s%ld", em_book_col_name(to_col, cn, sizeof cn), to_row + 1);
    int rc = lxw_fail(b, worksheet_write_url_opt(s->ws, (lxw_row_t)row, (lxw_col_t)col, u->str, fmt(b, EM_BS_LINK),
                                                 text, NULL), "url");
    g_string_free(u, TRUE);
    return rc;
}

int em_book_comment(struct em_book_sheet *s, long row, long col, const char *text, const char *author)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col)) return -1;
    char *owned;
    const char *t = capped(text ? text : "", &owned);
    lxw_comment_options o;
    memset(&o, 0, sizeof o);
    o.author = (char *)(author ? author : "edgemap");
    o.width = 360;
    o.height = 160;
    int rc = lxw_fail(b, worksheet_write_comment_opt(s->ws, (lxw_row_t)row, (lxw_col_t)col, t, &o), "comment");
    g_free(owned);
    return rc;
}

int em_book_width(struct em_book_sheet *s, long c0, long c1, double width)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, 0, c0) || !in_range(b, 0, c1)) return -1;
    return lxw_fail(b, worksheet_set_column(s->ws, (lxw_col_t)c0, (lxw_col_t)c1, width, NULL), "column");
}

int em_book_height(struct em_book_sheet *s, long row, double height)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, 0)) return -1;
    return lxw_fail(b, worksheet_set_row(s->ws, (lxw_row_t)row, height, NULL), "row");
}

void em_book_freeze(struct em_book_sheet *s, long row, long col)
{
    worksheet_freeze_panes(s->ws, (lxw_row_t)row, (lxw_col_t)col);
}

void em_book_hide(struct em_book_sheet *s) { worksheet_hide(s->ws); }
void em_book_activate(struct em_book_sheet *s) { worksheet_activate(s->ws); }

int em_book_hide_row(struct em_book_sheet *s, long row)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, 0)) return -1;
    lxw_row_col_options o = {.hidden = 1, .level = 0, .collapsed = 0};
    return lxw_fail(b, worksheet_set_row_opt(s->ws, (lxw_row_t)row, LXW_DEF_ROW_HEIGHT, NULL, &o), "row");
}

int em_book_filter(struct em_book_sheet *s, long r0, long c0, long r1, long c1)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, r0, c0) || !in_range(b, r1, c1)) return -1;
    return lxw_fail(b, worksheet_autofilter(s->ws, (lxw_row_t)r0, (lxw_col_t)c0, (lxw_row_t)r1, (lxw_col_t)c1),
                    "autofilter");
}

/* Cuts s to at most max characters (not bytes) into a new string. */
static char *cut_chars(const char *s, long max)
{
    if (g_utf8_strlen(s, -1) <= max) return g_strdup(s);
    const char *end = g_utf8_offset_to_pointer(s, max);
    return g_strndup(s, (gsize)(end - s));
}

int em_book_validation(struct em_book_sheet *s, long r0, long r1, long col,
                       const char *list_ref, const char *title, const char *message, bool strict)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, r0, col) || !in_range(b, r1, col)) return -1;
    lxw_data_validation v;
    memset(&v, 0, sizeof v);
    char *t = title ? cut_chars(title, 32) : NULL;
    /* Excel's limit is 255 characters (libxlsxwriter counts UTF-8 characters too) */
    char *msg = message ? cut_chars(message, 255) : NULL;
    if (list_ref) {
        v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        v.value_formula = (char *)list_ref;
        v.error_type = strict ? LXW_VALIDATION_ERROR_TYPE_STOP : LXW_VALIDATION_ERROR_TYPE_WARNING;
        v.ignore_blank = LXW_VALIDATION_ON;
    } else {
        v.validate = LXW_VALIDATION_TYPE_ANY;
    }
    if (msg) {
        v.input_title = t;
        v.input_message = msg;
        v.show_input = LXW_VALIDATION_ON;
    }
    int rc = lxw_fail(b, worksheet_data_validation_range(s->ws, (lxw_row_t)r0, (lxw_col_t)col, (lxw_row_t)r1,
                                                         (lxw_col_t)col, &v), "validation");
    g_free(t);
    g_free(msg);
    return rc;
}

int em_book_validation_date(struct em_book_sheet *s, long row, long col, const char *title,
                            const char *message)
{
    struct em_book *b = s->b;
    if (b->err.rc || !in_range(b, row, col)) return -1;
    lxw_data_validation v;
    memset(&v, 0, sizeof v);
    char *t = title ? cut_chars(title, 32) : NULL;
    char *msg = message ? cut_chars(message, 255) : NULL;
    v.validate = LXW_VALIDATION_TYPE_DATE;
    v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    v.minimum_datetime = (lxw_datetime){.year = 2000, .month = 1, .day = 1};
    v.maximum_datetime = (lxw_datetime){.year = 2100, .month = 12, .day = 31};
    v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    v.ignore_blank = LXW_VALIDATION_ON;
    if (msg) {
        v.input_title = t;
        v.input_message = msg;
        v.show_input = LXW_VALIDATION_ON;
    }
    int rc = lxw_fail(b, worksheet_data_validation_cell(s->ws, (lxw_row_t)row, (lxw_col_t)col, &v), "validation");
    g_free(t);
    g_free(msg);
    return rc;
}

int em_book_print_setup(struct em_book_sheet *s, int paper, long header_rows)
{
    struct em_book *b = s->b;
    if (b->err.rc) return -1;
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, (uint8_t)paper);
    worksheet_fit_to_pages(s->ws, 1, 0);
    if (header_rows > 0 && in_range(b, header_rows - 1, 0))
        return lxw_fail(b, worksheet_repeat_rows(s->ws, 0, (lxw_row_t)(header_rows - 1)), "repeat rows");
    return 0;
}
