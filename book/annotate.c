/* annotate.c — the records with their findings on the cells, for whoever must fix
 * them: a 指摘一覧 sheet (summary, every finding, a link to its cell) and each records
 * sheet copied as the reader saw it — same row numbers and column letters as the
 * original, password columns left blank — with a comment, a severity fill and a
 * mark character on every cell a finding names. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/book.h"
#include "book/grid.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/scrub.h"

#define LIST_SHEET "指摘一覧"
#define MAX_LIST_LINKS 60000   /* Excel keeps at most 65,530 links per sheet */

static const char *mark_of(const struct em_finding *f)
{
    if (f->accepted) return "✔";
    return f->severity == EM_SEV_ERROR ? "✖" : f->severity == EM_SEV_WARNING ? "▲" : "ⓘ";
}

static const char *sev_label(enum em_severity s)
{
    return s == EM_SEV_ERROR ? em_tr("エラー", "error") : s == EM_SEV_WARNING ? em_tr("警告", "warning")
                                                              : em_tr("情報", "info");
}

static enum em_book_style style_of(const struct em_finding *f)
{
    if (f->accepted) return EM_BS_ACCEPTED;
    return em_book_severity_style(f->severity);
}

/* ---- party matching ---- */

/* Company designations dropped before comparing names (compact, NFKC forms). */
static const char *const designations[] = {"株式会社", "(株)", "有限会社", "(有)", "合同会社", "(同)", "合資会社",
                                           "合名会社", "一般社団法人", "一般財団法人", "co.,ltd.", "co.ltd.",
                                           "corporation", "corp.", "inc.", "ltd.", "kk"};

static char *party_key(const char *s)
{
    char b[1024];
    em_norm_compact(s, strlen(s), b, sizeof b);
    GString *o = g_string_new(b);
    for (size_t i = 0; i < G_N_ELEMENTS(designations); i++) {
        const char *d = designations[i];
        size_t dl = strlen(d);
        char *hit;
        while ((hit = strstr(o->str, d)) != NULL) g_string_erase(o, hit - o->str, (gssize)dl);
    }
    return g_string_free(o, FALSE);
}

bool em_book_party_match(const char *text, const char *party)
{
    if (!text || !party) return false;
    char *t = party_key(text), *p = party_key(party);
    bool ok = *p && strstr(t, p) != NULL;
    g_free(t);
    g_free(p);
    return ok;
}

/* ---- redaction of cell text ---- */

/* The model's redaction (o->redact: each value as the sheet gave it, normalised, and
 * its placeholder) applied to the cells as written, by the engine of mapper/scrub.h. */
struct scrub {
    const struct em_book_annotate_opts *o;
    struct em_scrub *table;   /* o->redact's pairs */
    GHashTable *extra;        /* IPv4 text not in the model's table → "IP-n" */
    int next_ip;
    bool oom;
};

static bool ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

/* The placeholder of a cell that, normalised as the records reader does (NFKC,
 * trimmed), is a value the model redacted — a host name written in full-width letters,
 * say — or NULL. */
static const char *whole_cell(struct scrub *sc, const char *s)
{
    char *n = em_norm_value_dup(s, strlen(s));
    const char *ph = *n ? em_scrub_lookup(sc->table, n) : NULL;
    g_free(n);
    return ph;
}

/* em_scrub_ip_fn: an address the model knows keeps its placeholder; any other gets the
 * next IP-n (the same one wherever it appears). */
static const char *ip_in_cell(void *ctx, const char *ip)
{
    struct scrub *sc = ctx;
    const char *ph = em_scrub_lookup(sc->table, ip);
    if (ph) return ph;
    ph = g_hash_table_lookup(sc->extra, ip);
    if (ph) return ph;
    char *k = g_strdup(ip), *v = g_strdup_printf("IP-%d", ++sc->next_ip);
    g_hash_table_insert(sc->extra, k, v);
    return v;
}

/* The text with every sensitive value replaced (longest original first, on word
 * boundaries; every IPv4 address). Returns a g_malloc'd string. */
static char *scrub_text(struct scrub *sc, const char *s)
{
    if (!sc->o->redacting || !*s) return g_strdup(s);
    if (!ascii_only(s)) {
        const char *ph = whole_cell(sc, s);
        if (ph) return g_strdup(ph);
    }
    char *t = em_scrub_text(sc->table, s, ip_in_cell, sc, &sc->oom);
    return t ? t : g_strdup(s);
}

/* ---- one records sheet ---- */

struct cellnote {      /* findings on one cell */
    GString *comment;
    enum em_book_style st;
    int rank;          /* 3 error, 2 warning, 1 info, 0 accepted only */
};

struct sheetref {      /* where a finding landed */
    const char *sheet;  /* our sheet name, or NULL (list only) */
    long row, col;      /* 0-based */
};

struct ctx {
    const struct em_model *m;
    const struct em_book_annotate_opts *o;
    struct em_book *b;
    struct scrub sc;
    struct sheetref *where;      /* per finding */
    bool *listed;                /* per finding: goes to the list (party filter) */
    GPtrArray *names;            /* our sheet names (g_free'd) */
    size_t kept;
};

static int rank_of(const struct em_finding *f)
{
    if (f->accepted) return 0;
    return f->severity == EM_SEV_ERROR ? 3 : f->severity == EM_SEV_WARNING ? 2 : 1;
}

/* A sheet name for a source: the sheet's own, or the CSV's base name; characters
 * Excel refuses replaced, at most 31 characters, unique in the workbook. */
static char *sheet_name_for(struct ctx *c, const char *file, const char *sheet)
{
    char *base = NULL;
    if (sheet && *sheet) {
        base = g_strdup(sheet);
    } else {
        base = g_path_get_basename(file);
        char *dot = strrchr(base, '.');
        if (dot && dot != base) *dot = '\0';
    }
    for (char *p = base; *p; p++)
        if (strchr("[]:*?/\\", *p)) *p = '_';
    if (*base == '\'') *base = '_';
    for (int n = 1;; n++) {
        char suffix[16] = "";
        if (n > 1) g_snprintf(suffix, sizeof suffix, "(%d)", n);
        glong room = 31 - (glong)strlen(suffix);
        const char *end = g_utf8_strlen(base, -1) > room ? g_utf8_offset_to_pointer(base, room) : base + strlen(base);
        char *cand = g_strdup_printf("%.*s%s", (int)(end - base), base, suffix);
        size_t clen = strlen(cand);
        if (clen && cand[clen - 1] == '\'') cand[clen - 1] = '_';
        bool used = g_ascii_strcasecmp(cand, LIST_SHEET) == 0 || strcmp(cand, LIST_SHEET) == 0;
        for (guint i = 0; i < c->names->len && !used; i++)
            if (g_utf8_collate(g_ptr_array_index(c->names, i), cand) == 0) used = true;
        if (!used) {
            g_free(base);
            g_ptr_array_add(c->names, cand);
            return cand;
        }
        g_free(cand);
    }
}

/* Is row r of this file/sheet one the party owns? (No --party: every row.) */
static bool row_kept(struct ctx *c, GHashTable *paths, long row, const struct em_grid *g)
{
    if (!c->o->party || row <= g->last_header_row) return true;
    const struct em_path *p = g_hash_table_lookup(paths, GINT_TO_POINTER((int)row));
    if (!p) return false;
    const struct em_line *l = &c->m->lines[p->line];
    return em_book_party_match(p->remote_party, c->o->party) || em_book_party_match(l->contract_holder, c->o->party);
}

/* One records sheet being copied. */
struct job {
    struct ctx *c;
    const char *file, *sheet;   /* the source */
    const char *name;           /* our sheet's name */
    struct em_book_sheet *s;
    struct em_grid *g;
    GHashTable *paths;          /* row -> const struct em_path * */
    GHashTable *rows;           /* row -> const struct em_grid_row * */
    GHashTable *kept;           /* rows copied (all, or the party's and the header) */
    GHashTable *notes;          /* gint64 row*16384+col -> struct cellnote * */
    GPtrArray *keys;            /* the notes' keys (freed with it) */
};

static const char *sheet_of_source(const struct em_model *m, const char *file);

/* A finding of another input (a scan file) that names a records row: scans report the
 * row that declares the address (file = the scan, no sheet). With one records file (a
 * source with rows) the row is unambiguous, so it goes on that row's cell too. */
static bool on_records_row(const struct em_model *m, const struct em_finding *f)
{
    size_t records = 0;
    for (size_t i = 0; i < m->n_sources; i++)
        if (sheet_of_source(m, m->sources[i])) records++;
    return records == 1 && !*f->sheet && !sheet_of_source(m, f->file);
}

/* The findings of this sheet's cells into notes; marks which findings are listed and
 * where their cell is. */
static void collect_notes(struct job *j)
{
    struct ctx *c = j->c;
    const struct em_model *m = c->m;
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        if (f->row <= 0 || !(strcmp(f->file, j->file) == 0 ? strcmp(f->sheet, j->sheet) == 0 : on_records_row(m, f)))
            continue;
        c->listed[i] = g_hash_table_contains(j->kept, GINT_TO_POINTER(f->row));   /* else another party's */
        if (!c->listed[i]) continue;
        int col = em_grid_column(j->g, f->column);
        if (col < 0) col = 0;       /* the row, at its first column */
        c->where[i] = (struct sheetref){j->name, f->row - 1, col};
        gint64 *k = g_new(gint64, 1);
        *k = (gint64)(f->row - 1) * 16384 + col;
        g_ptr_array_add(j->keys, k);
        struct cellnote *n = g_hash_table_lookup(j->notes, k);
        if (!n) {
            n = g_new0(struct cellnote, 1);
            n->comment = g_string_new(NULL);
            n->rank = -1;
            g_hash_table_insert(j->notes, k, n);
        } else {
            g_string_append(n->comment, "\n\n");
        }
        char mb[EM_MSG_MAX];
        g_string_append_printf(n->comment, "%s %s %s\n%s", mark_of(f), sev_label(f->severity), f->code,
                               em_finding_msg(f, mb));
        if (f->accepted)
            g_string_append_printf(n->comment, em_tr("\n✔ 承認済み: %s", "\n✔ accepted: %s"), f->accepted->reason);
        if (rank_of(f) > n->rank) {
            n->rank = rank_of(f);
            n->st = style_of(f);
        }
    }
}

/* Every kept cell without a finding, as read (password columns left out below the
 * header); rows not kept become hidden empty rows. */
static void write_cells(struct job *j)
{
    const struct em_grid *g = j->g;
    for (guint i = 0; i < g->rows->len; i++) {
        const struct em_grid_row *r = g_ptr_array_index(g->rows, i);
        if (!g_hash_table_contains(j->kept, GINT_TO_POINTER((int)r->row))) {
            em_book_hide_row(j->s, r->row - 1);
            continue;
        }
        if (r->row > g->last_header_row) j->c->kept++;
        bool header = g->header_row && r->row >= g->header_row && r->row <= g->last_header_row;
        for (size_t k = 0; k < r->n; k++) {
            int col = r->col[k];
            gint64 key = (gint64)(r->row - 1) * 16384 + col;
            if (g_hash_table_contains(j->notes, &key)) continue;   /* written with its mark */
            if (col < g->ncols && g->secret[col] && !header) continue;
            char *t = scrub_text(&j->c->sc, r->text[k]);
            em_book_text(j->s, r->row - 1, col, t, header ? EM_BS_HEADER : EM_BS_NONE);
            g_free(t);
        }
    }
}

/* The cells findings name: mark + value, fill, comment. */
static void write_notes(struct job *j)
{
    GHashTableIter it;
    gpointer kp, vp;
    g_hash_table_iter_init(&it, j->notes);
    while (g_hash_table_iter_next(&it, &kp, &vp)) {
        gint64 key = *(gint64 *)kp;
        struct cellnote *n = vp;
        long row = (long)(key / 16384), col = (long)(key % 16384);
        const struct em_grid_row *r = g_hash_table_lookup(j->rows, GINT_TO_POINTER((int)row + 1));
        const char *v = r ? em_grid_cell(r, (int)col) : "";
        if (col < j->g->ncols && j->g->secret[col]) v = "";
        char *t = scrub_text(&j->c->sc, v);
        const char *mk = n->rank == 3 ? "✖" : n->rank == 2 ? "▲" : n->rank == 1 ? "ⓘ" : "✔";
        char *shown = *t ? g_strdup_printf("%s %s", mk, t) : g_strdup(mk);
        em_book_text(j->s, row, col, shown, n->st);
        em_book_comment(j->s, row, col, n->comment->str, "edgemap");
        g_free(shown);
        g_free(t);
        g_string_free(n->comment, TRUE);
        g_free(n);
    }
}

/* Widths from the header rows' texts (not the notes above them), header rows tall
 * enough for wrapped text, panes below the header, A3 landscape printing. */
static void layout(struct job *j)
{
    const struct em_grid *g = j->g;
    for (int col = 0; col < g->ncols; col++) {
        double w = 8;
        for (long hr = g->header_row; hr && hr <= g->last_header_row; hr++) {
            const struct em_grid_row *r = g_hash_table_lookup(j->rows, GINT_TO_POINTER((int)hr));
            double l = 0, line = 0;
            for (const char *q = r ? em_grid_cell(r, col) : ""; *q; q = g_utf8_next_char(q)) {
                gunichar ch = g_utf8_get_char(q);
                line = ch == '\n' ? 0 : line + (g_unichar_iswide(ch) ? 2.0 : 1.1);
                if (line > l) l = line;
            }
            if (l + 2 > w) w = l + 2;
        }
        em_book_width(j->s, col, col, w > 30 ? 30 : w);
    }
    for (long hr = g->header_row; hr && hr <= g->last_header_row; hr++) em_book_height(j->s, hr - 1, 40);
    if (g->header_row) em_book_freeze(j->s, g->last_header_row, 1);
    em_book_print_setup(j->s, 8, g->header_row ? g->last_header_row : 0);   /* A3, as the survey prints */
}

/* Copies one records sheet with its findings. Returns 0 or -1 (error in the book or err). */
static int copy_sheet(struct ctx *c, const char *file, const char *sheet, struct em_err *err)
{
    struct job j = {.c = c, .file = file, .sheet = sheet};
    j.g = em_grid_read(file, sheet, err);
    if (!j.g) return -1;
    j.name = sheet_name_for(c, file, sheet);
    j.s = em_book_add_sheet(c->b, j.name, NULL, 0);
    if (!j.s) {
        em_grid_free(j.g);
        return -1;
    }
    j.paths = g_hash_table_new(g_direct_hash, g_direct_equal);
    j.rows = g_hash_table_new(g_direct_hash, g_direct_equal);
    j.kept = g_hash_table_new(g_direct_hash, g_direct_equal);
    j.notes = g_hash_table_new(g_int64_hash, g_int64_equal);
    j.keys = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < c->m->n_paths; i++) {
        const struct em_path *p = &c->m->paths[i];
        if (strcmp(p->src.file, file) == 0 && strcmp(p->src.sheet, sheet) == 0)
            g_hash_table_insert(j.paths, GINT_TO_POINTER(p->src.row), (gpointer)p);
    }
    for (guint i = 0; i < j.g->rows->len; i++) {
        const struct em_grid_row *r = g_ptr_array_index(j.g->rows, i);
        g_hash_table_insert(j.rows, GINT_TO_POINTER((int)r->row), (gpointer)r);
        if (row_kept(c, j.paths, r->row, j.g)) g_hash_table_add(j.kept, GINT_TO_POINTER((int)r->row));
    }
    collect_notes(&j);
    write_cells(&j);
    write_notes(&j);
    layout(&j);
    g_hash_table_destroy(j.notes);
    g_ptr_array_free(j.keys, TRUE);
    g_hash_table_destroy(j.kept);
    g_hash_table_destroy(j.rows);
    g_hash_table_destroy(j.paths);
    em_grid_free(j.g);
    return 0;
}

/* ---- the list sheet ---- */

static void summary(struct ctx *c, struct em_book_sheet *s)
{
    const struct em_model *m = c->m;
    char buf[1024];
    em_book_text(s, 0, 0, em_tr("指摘一覧", "Findings"), EM_BS_TITLE);
    long r = 1;
    em_book_merge(s, r, 0, r, 1, em_tr("医療機関名", "Site"), EM_BS_KEY);
    em_book_merge(s, r, 2, r, 8, m->site.name ? m->site.name : "", EM_BS_NONE);
    r++;
    em_book_merge(s, r, 0, r, 1, em_tr("調査日", "Survey date"), EM_BS_KEY);
    em_book_merge(s, r, 2, r, 8, m->survey_date ? m->survey_date : "", EM_BS_NONE);
    r++;
    GString *src = g_string_new(NULL);
    for (size_t i = 0; i < m->n_sources; i++) {
        char *bn = g_path_get_basename(m->sources[i]);
        g_string_append_printf(src, "%s%s", i ? ", " : "", bn);
        g_free(bn);
    }
    em_book_merge(s, r, 0, r, 1, em_tr("元ファイル", "Source"), EM_BS_KEY);
    em_book_merge(s, r, 2, r, 8, src->str, EM_BS_NONE);
    r++;
    g_string_free(src, TRUE);
    size_t n[3] = {0}, acc = 0;
    for (size_t i = 0; i < m->n_findings; i++) {
        if (!c->listed[i]) continue;
        if (m->findings[i].accepted) acc++;
        else n[m->findings[i].severity]++;
    }
    g_snprintf(buf, sizeof buf, em_tr("✖ エラー %zu件　▲ 警告 %zu件　ⓘ 情報 %zu件　✔ 承認済み %zu件",
                                      "✖ %zu errors   ▲ %zu warnings   ⓘ %zu info   ✔ %zu accepted"),
               n[EM_SEV_ERROR], n[EM_SEV_WARNING], n[EM_SEV_INFO], acc);
    em_book_merge(s, r, 0, r, 1, em_tr("件数", "Counts"), EM_BS_KEY);
    em_book_merge(s, r, 2, r, 8, buf, EM_BS_NONE);
    r++;
    g_snprintf(buf, sizeof buf, "edgemap %s / %s %s", c->o->tool_version ? c->o->tool_version : "?",
               em_tr("判定データ", "advisory data"), c->o->data_version ? c->o->data_version : "?");
    em_book_merge(s, r, 0, r, 1, em_tr("版", "Versions"), EM_BS_KEY);
    em_book_merge(s, r, 2, r, 8, buf, EM_BS_NONE);
    r++;
    if (c->o->party || c->o->redacting) {
        g_snprintf(buf, sizeof buf, "%s%s%s", c->o->party ? em_tr("接続先・回線契約者が「", "rows of party '") : "",
                   c->o->party ? c->o->party : "", c->o->party ? em_tr("」の行のみ", "' only") : "");
        if (c->o->redacting)
            g_strlcat(buf, em_tr("　IPアドレス・FQDN・ホスト名は伏せ字", "   IP addresses, FQDNs, host names redacted"),
                      sizeof buf);
        em_book_merge(s, r, 0, r, 1, em_tr("範囲", "Scope"), EM_BS_KEY);
        em_book_merge(s, r, 2, r, 8, buf, EM_BS_NONE);
        r++;
    }
    em_book_text(s, r, 0, em_tr("セルの印: ✖ エラー　▲ 警告　ⓘ 情報　✔ 承認済み（コメントに内容）",
                                "Marks on cells: ✖ error  ▲ warning  ⓘ info  ✔ accepted (details in the comment)"),
                 EM_BS_NOTE);
}

#define LIST_HEADER_ROW 9

static void list_rows(struct ctx *c, struct em_book_sheet *s)
{
    const struct em_model *m = c->m;
    const char *h[] = {"No", em_tr("重大度", "Severity"), em_tr("コード", "Code"), em_tr("承認", "Accepted"),
                       em_tr("シート", "Sheet"), em_tr("行", "Row"), em_tr("列", "Column"), em_tr("回線No", "Line No"),
                       em_tr("内容", "Message"), em_tr("該当セル / 根拠", "Cell / evidence")};
    const double w[] = {5, 10, 22, 26, 22, 6, 22, 8, 70, 26};
    for (int k = 0; k < 10; k++) {
        em_book_text(s, LIST_HEADER_ROW, k, h[k], EM_BS_HEADER);
        em_book_width(s, k, k, w[k]);
    }
    long r = LIST_HEADER_ROW + 1, no = 0, links = 0;
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        if (!c->listed[i]) continue;
        enum em_book_style st = style_of(f);
        char buf[256];
        em_book_number(s, r, 0, (double)++no, EM_BS_PLAIN);
        g_snprintf(buf, sizeof buf, "%s %s", mark_of(f), sev_label(f->severity));
        em_book_text(s, r, 1, buf, st);
        em_book_text(s, r, 2, f->code, EM_BS_PLAIN);
        if (f->accepted) {
            char *a = g_strdup_printf(em_tr("承認済み: %s%s%s%s%s", "accepted: %s%s%s%s%s"), f->accepted->reason,
                                      *f->accepted->by ? " / " : "", f->accepted->by,
                                      *f->accepted->date ? " " : "", f->accepted->date);
            em_book_text(s, r, 3, a, EM_BS_ACCEPTED);
            g_free(a);
        } else {
            em_book_text(s, r, 3, NULL, EM_BS_PLAIN);
        }
        em_book_text(s, r, 4, *f->sheet ? f->sheet : NULL, EM_BS_PLAIN);
        if (f->row > 0) em_book_number(s, r, 5, f->row, EM_BS_PLAIN);
        else em_book_text(s, r, 5, NULL, EM_BS_PLAIN);
        em_book_text(s, r, 6, f->column, EM_BS_PLAIN);
        em_book_text(s, r, 7, f->line_no, EM_BS_PLAIN);
        char mb[EM_MSG_MAX];
        em_book_text(s, r, 8, em_finding_msg(f, mb), EM_BS_PLAIN);
        const struct sheetref *w2 = &c->where[i];
        if (w2->sheet && links < MAX_LIST_LINKS) {
            char cn[8];
            g_snprintf(buf, sizeof buf, em_tr("→ %s!%s%ld", "→ %s!%s%ld"), w2->sheet,
                       em_book_col_name(w2->col, cn, sizeof cn), w2->row + 1);
            em_book_link(s, r, 9, w2->sheet, w2->row, w2->col, buf);
            links++;
        } else {
            /* no cell: the evidence is where it was found */
            char *bn = g_path_get_basename(f->file);
            GString *ev = g_string_new(bn);
            if (*f->sheet) g_string_append_printf(ev, em_tr(" シート「%s」", " sheet '%s'"), f->sheet);
            if (f->row > 0) g_string_append_printf(ev, em_tr(" %d行目", " row %d"), f->row);
            em_book_text(s, r, 9, ev->str, EM_BS_PLAIN);
            g_string_free(ev, TRUE);
            g_free(bn);
        }
        r++;
    }
    if (no == 0) em_book_text(s, r, 0, em_tr("指摘事項はありません。", "No findings."), EM_BS_NONE);
    else em_book_filter(s, LIST_HEADER_ROW, 0, r - 1, 9);
    em_book_freeze(s, LIST_HEADER_ROW + 1, 0);
    em_book_print_setup(s, 9, LIST_HEADER_ROW + 1);
}

/* The records sheet of each source: the sheet its rows were read from; a file whose
 * records sheet holds no row is not copied (its findings are listed). */
static const char *sheet_of_source(const struct em_model *m, const char *file)
{
    for (size_t i = 0; i < m->n_paths; i++)
        if (strcmp(m->paths[i].src.file, file) == 0) return m->paths[i].src.sheet;
    return NULL;
}

int em_book_annotate(const struct em_model *m, struct em_outset *set, size_t idx,
                     const struct em_book_annotate_opts *o, size_t *kept, struct em_err *err)
{
    if (m->n_paths > EM_ANNOTATE_MAX_ROWS)
        return em_err_set(err, EM_ERR_LIMIT, m->n_sources ? m->sources[0] : "", m->n_paths ? m->paths[0].src.sheet : "",
                          0, "",
                          em_tr("記入シートが %zu 行あり、annotate で指摘を書き込める上限（%d 行）を超えています。"
                                "シートを分けて（病院・ベンダーごとなど）それぞれ annotate してください。check と render はこのまま使えます",
                                "the records hold %zu rows, more than annotate can copy with its findings (%d rows): "
                                "split the sheet (per hospital or vendor) and annotate each part; check and render work on it as it is"),
                          m->n_paths, EM_ANNOTATE_MAX_ROWS);
    struct ctx c = {.m = m, .o = o};
    c.sc.o = o;
    c.sc.extra = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c.sc.table = em_scrub_new();
    if (!c.sc.table) c.sc.oom = true;
    for (size_t i = 0; i < o->n_redact; i++) {
        if (c.sc.table && !em_scrub_enter(c.sc.table, o->redact[i].orig, o->redact[i].ph)) c.sc.oom = true;
        const char *ph = o->redact[i].ph;
        char *end = NULL;
        long v = strncmp(ph, "IP-", 3) == 0 ? strtol(ph + 3, &end, 10) : 0;
        if (end && *end == '\0' && v > c.sc.next_ip && v < 1000000) c.sc.next_ip = (int)v;
    }
    c.where = g_new0(struct sheetref, m->n_findings + 1);
    c.listed = g_new(bool, m->n_findings + 1);
    for (size_t i = 0; i < m->n_findings; i++) c.listed[i] = !o->party;
    c.names = g_ptr_array_new_with_free_func(g_free);
    int rc = 0;
    c.b = em_book_new(set, idx, err);
    if (!c.b) rc = err && err->rc ? err->rc : EM_ERR_IO;
    struct em_book_sheet *list = NULL;
    if (rc == 0) {
        em_book_properties(c.b, em_tr("指摘付き 回線・機器情報記入シート", "Records with findings"), m->site.name);
        list = em_book_add_sheet(c.b, LIST_SHEET, NULL, 0);
    }
    for (size_t i = 0; rc == 0 && i < m->n_sources; i++) {
        const char *sheet = sheet_of_source(m, m->sources[i]);
        if (sheet && copy_sheet(&c, m->sources[i], sheet, err) != 0) {
            rc = err && err->rc ? err->rc : EM_ERR_IO;
        }
    }
    /* a cell the engine could not look up may hold a name: nothing is written then */
    if (rc == 0 && c.sc.oom)
        rc = em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    if (rc == 0 && list) {
        summary(&c, list);
        list_rows(&c, list);
        em_book_activate(list);
    }
    if (rc == 0) rc = em_book_close(c.b, err);
    else em_book_discard(c.b);
    if (kept) *kept = c.kept;
    g_hash_table_destroy(c.sc.extra);
    em_scrub_free(c.sc.table);
    g_ptr_array_free(c.names, TRUE);
    g_free(c.where);
    g_free(c.listed);
    return rc;
}
