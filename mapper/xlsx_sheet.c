/* xlsx_sheet.c — the sheet pass: the rows of one sheet through libxml2's SAX2 push
 * parser, cells built without a malloc each (shared strings point into the table, other
 * text into one reused row arena), merged ranges applied, each row handed to the
 * row callback (em_xl_sheet_pass; em_xlsx_read_sheet in xlsx_pipe.c chooses the thread
 * it runs in). Interface: xlsx_int.h; docs/design-xlsx.md, "Why SAX2 for the rows". */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { SRC_ROW, SRC_SST, SRC_MERGE, SRC_LIT };
struct pcell {
    int col;
    int src;            /* where the text lives */
    bool merged;        /* filled from a merged range (wins over the cell itself) */
    size_t off, len;    /* offset into the row arena / sst / merge arena */
    const char *lit;    /* SRC_LIT */
};

struct rd {
    struct em_xlsx *x;
    const struct xl_sheet *s;
    em_row_fn fn;
    void *ctx;
    struct em_err *err;
    long max_rows, delivered;
    long row;                   /* current row number */
    /* the row being built */
    struct pcell *cells;
    size_t ncells, capcells;
    char *arena;
    size_t alen, acap;
    struct em_cell *out;
    size_t capout;
    /* merged ranges */
    size_t next_merge;          /* first merge not yet active */
    size_t *active;
    size_t nactive, capactive;
    char *marena;
    size_t mlen, mcap;
    size_t mtotal;              /* anchor bytes taken this read (the cap counts these) */
    size_t filled;
    long last_merge_row;        /* the highest r2 of active merges */
};

/* Fills err: too many cells in the current row. Returns the rc. */
static int rd_limit_cells(struct rd *d)
{
    return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                      em_tr("1行のセルが多すぎます（上限 %d 個）",
                         "too many cells in one row (limit %d)"), EM_MAX_ROW_CELLS);
}

/* qsort order of row cells: by column, a merged cell after the cell it covers. */
static int cmp_pcell(const void *a, const void *b)
{
    const struct pcell *p = a, *q = b;
    if (p->col != q->col) return p->col < q->col ? -1 : 1;
    if (p->merged != q->merged) return p->merged ? 1 : -1;
    return 0;
}

/* The NUL-terminated text of a row cell, wherever it lives. */
static const char *pcell_text(struct rd *d, const struct pcell *c)
{
    switch (c->src) {
    case SRC_ROW: return d->arena + c->off;
    case SRC_SST: return d->x->ss + c->off;
    case SRC_MERGE: return d->marena + c->off;
    default: return c->lit;
    }
}

/* Appends a cell to the row being built (cell cap). 0 or rc < 0. */
static int add_pcell(struct rd *d, const struct pcell *c)
{
    if (d->ncells >= EM_MAX_ROW_CELLS) return rd_limit_cells(d);
    if (d->ncells >= d->capcells &&
        em_xl_grow((void **)&d->cells, &d->capcells, d->ncells + 1, sizeof *d->cells) != 0)
        return em_xl_nomem(d->x, d->s->name, d->err);
    d->cells[d->ncells++] = *c;
    return 0;
}


/* Activates the merged ranges whose first row is row d->row: their top-left value is
 * copied from this row into the merge arena (ranges whose anchor row never came, or
 * whose top-left cell is empty, only format and are dropped). The arena starts again
 * when every range taken so far has ended (no cell of this row points into it yet, and
 * a range is activated once), so it holds the values of the live ranges, not of every
 * range of the sheet; the cap still counts every value of the read. 0 or rc < 0. */
static int activate_merges(struct rd *d)
{
    struct em_xlsx *x = d->x;
    long r = d->row;
    if (d->last_merge_row < r) d->mlen = 0;
    while (d->next_merge < x->nmerges && x->merges[d->next_merge].r1 <= r) {
        struct xl_merge *m = &x->merges[d->next_merge];
        size_t mi = d->next_merge++;
        if (m->r2 < r) continue;  /* its first row never came: no value */
        if (m->r1 < r) continue;  /* same: the anchor row had no <row> element */
        /* anchor row: take the top-left value from this row */
        m->has = false;
        for (size_t k = 0; k < d->ncells; k++) {
            if (d->cells[k].col != m->c1 || d->cells[k].merged) continue;
            const char *t = pcell_text(d, &d->cells[k]);
            size_t l = d->cells[k].len;
            if (l == 0) break;
            if (d->mtotal + l + 1 > em_xl_lim.merge_cells || d->mtotal + l + 1 > UINT32_MAX)
                return em_err_set(d->err, EM_ERR_LIMIT, x->name, d->s->name, r, NULL, "%s",
                                  em_tr("結合セルの値が多すぎます", "too much text in merged ranges"));
            if (em_xl_grow((void **)&d->marena, &d->mcap, d->mlen + l + 1, 1) != 0)
                return em_xl_nomem(x, d->s->name, d->err);
            memcpy(d->marena + d->mlen, t, l);
            d->marena[d->mlen + l] = '\0';
            m->off = (uint32_t)d->mlen;
            m->len = (uint32_t)l;
            d->mlen += l + 1;
            d->mtotal += l + 1;
            m->has = true;
        }
        if (!m->has) continue;  /* an empty range only formats: nothing to fill */
        if ((size_t)(m->c2 - m->c1) >= EM_MAX_ROW_CELLS) return rd_limit_cells(d);
        if (em_xl_grow((void **)&d->active, &d->capactive, d->nactive + 1, sizeof *d->active) != 0)
            return em_xl_nomem(x, d->s->name, d->err);
        d->active[d->nactive++] = mi;
        if (m->r2 > d->last_merge_row) d->last_merge_row = m->r2;
    }
    return 0;
}

/* Adds a cell for every column of every active range to the row (drops the ranges
 * that ended); *sorted becomes false when cells were added. 0 or rc < 0. */
static int fill_from_merges(struct rd *d, bool *sorted)
{
    struct em_xlsx *x = d->x;
    long r = d->row;
    size_t keep = 0;
    for (size_t a = 0; a < d->nactive; a++) {
        struct xl_merge *m = &x->merges[d->active[a]];
        if (m->r2 < r) continue;
        d->active[keep++] = d->active[a];
        for (int c = m->c1; c <= m->c2; c++) {
            if (++d->filled > em_xl_lim.merge_cells)
                return em_err_set(d->err, EM_ERR_LIMIT, x->name, d->s->name, r, NULL,
                                  em_tr("結合セルが大きすぎます（埋めるセルが %zu 個を超えます）",
                                     "merged ranges are too large (over %zu cells to fill)"),
                                  em_xl_lim.merge_cells);
            struct pcell pc = {c, SRC_MERGE, true, m->off, m->len, NULL};
            if (d->ncells >= EM_MAX_ROW_CELLS * 2) return rd_limit_cells(d);
            if (em_xl_grow((void **)&d->cells, &d->capcells, d->ncells + 1, sizeof *d->cells) != 0)
                return em_xl_nomem(x, d->s->name, d->err);
            d->cells[d->ncells++] = pc;
            *sorted = false;
        }
    }
    d->nactive = keep;
    return 0;
}

/* Sorts the row's cells by column (a merged cell after the cell it covers) and keeps
 * one per column: the later one, so a merged value wins. 0 or rc < 0 (cell cap). */
static int sort_cells(struct rd *d)
{
    if (d->ncells <= 64) {
        /* nearly sorted (a few merged cells appended): insertion sort, stable */
        for (size_t k = 1; k < d->ncells; k++) {
            struct pcell t = d->cells[k];
            size_t m = k;
            while (m > 0 && cmp_pcell(&d->cells[m - 1], &t) > 0) {
                d->cells[m] = d->cells[m - 1];
                m--;
            }
            d->cells[m] = t;
        }
    } else {
        qsort(d->cells, d->ncells, sizeof *d->cells, cmp_pcell);
    }
    size_t o = 0;
    for (size_t k = 0; k < d->ncells; k++) {
        if (o > 0 && d->cells[o - 1].col == d->cells[k].col) {
            d->cells[o - 1] = d->cells[k];  /* the later one: merged wins, or the last */
            continue;
        }
        d->cells[o++] = d->cells[k];
    }
    d->ncells = o;
    if (d->ncells > EM_MAX_ROW_CELLS) return rd_limit_cells(d);
    return 0;
}

/* Applies the active merged ranges to the row being built and hands it over.
 * Returns 0, 1 (stop: fn said so, or max_rows reached: *stop_clean tells), or rc < 0. */
static int deliver(struct rd *d, bool *stop_clean)
{
    struct em_xlsx *x = d->x;
    long r = d->row;
    int rc = activate_merges(d);
    if (rc < 0) return rc;
    bool sorted = true;
    for (size_t k = 1; k < d->ncells; k++)
        if (d->cells[k].col <= d->cells[k - 1].col) sorted = false;
    rc = fill_from_merges(d, &sorted);
    if (rc == 0 && !sorted) rc = sort_cells(d);
    if (rc < 0) return rc;
    if (d->ncells == 0) return 0;
    if (em_xl_grow((void **)&d->out, &d->capout, d->ncells, sizeof *d->out) != 0)
        return em_xl_nomem(x, d->s->name, d->err);
    for (size_t k = 0; k < d->ncells; k++) {
        d->out[k].col = d->cells[k].col;
        d->out[k].text = pcell_text(d, &d->cells[k]);
        d->out[k].len = d->cells[k].len;
    }
    struct em_row row = {r, d->out, d->ncells, x->date1904};
    rc = d->fn(d->ctx, &row, d->err);
    d->ncells = 0;
    d->alen = 0;
    if (rc < 0) {
        if (d->err && d->err->rc == 0)
            em_err_set(d->err, rc, x->name, d->s->name, r, NULL, "%s",
                       em_tr("行の処理に失敗しました", "processing the row failed"));
        return rc;
    }
    if (rc > 0) return 1;
    d->delivered++;
    if (d->max_rows > 0 && d->delivered >= d->max_rows) {
        *stop_clean = true;
        return 1;
    }
    return 0;
}

/* Rows between the last delivered one and `upto` (exclusive) that exist only through
 * vertical merged ranges. */
static int fill_gap(struct rd *d, long upto, bool *stop_clean)
{
    while (d->nactive > 0 && d->row + 1 < upto && d->row < d->last_merge_row) {
        d->row++;
        d->ncells = 0;
        d->alen = 0;
        int rc = deliver(d, stop_clean);
        if (rc != 0) return rc;
    }
    return 0;
}

/* Fills err: the text of cell col in the current row is over the cap. */
static int rd_limit_cell_bytes(struct rd *d, int col)
{
    char cn[8];
    em_xl_col_name(col, cn);
    return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, cn,
                      em_tr("セルの文字が長すぎます（上限 %d バイト）",
                         "the cell text is too long (limit %d bytes)"), EM_MAX_CELL_BYTES);
}

/* Appends v[0..l) to the text of cell col that starts at arena[start] (cell and row
 * caps). 0 or rc < 0. */
static int append_text(struct rd *d, size_t start, const char *v, size_t l, int col)
{
    if (d->alen - start + l > EM_MAX_CELL_BYTES) return rd_limit_cell_bytes(d, col);
    if (d->alen + l + 1 > em_xl_lim.row_bytes)
        return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                          em_tr("1行の文字が多すぎます（上限 %zu バイト）",
                             "too much text in one row (limit %zu bytes)"), em_xl_lim.row_bytes);
    if (em_xl_grow((void **)&d->arena, &d->acap, d->alen + l + 1, 1) != 0)
        return em_xl_nomem(d->x, d->s->name, d->err);
    memcpy(d->arena + d->alen, v, l);
    d->alen += l;
    return 0;
}

enum { T_NUM, T_SST, T_INLINE, T_BOOL, T_ERR, T_STR, T_DATE };

/* A t="s" cell: its collected text (arena[start..alen)) is a shared-string index; the
 * cell points into the string table. 0 or rc < 0 (no such string, over-long string). */
static int sst_cell(struct rd *d, int col, size_t start)
{
    size_t l = d->alen - start;
    if (l == 0) return 0;
    char *v = d->arena + start;
    v[l] = '\0';
    char *end = v + l;
    unsigned long long i;
    errno = 0;
    if (!em_xl_small_uint(v, l, &i)) i = strtoull(v, &end, 10);
    d->alen = start;
    if (end == v || *end != '\0' || errno != 0 || v[0] == '-' || i >= d->x->ss_n) {
        char cn[8];
        em_xl_col_name(col, cn);
        return em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, d->row, cn,
                          em_tr("セルが存在しない共有文字列を指しています（%s）",
                             "the cell refers to a shared string that does not exist (%s)"),
                          l < 32 ? v : "...");
    }
    size_t off = d->x->ss_off[i];
    size_t len = d->x->ss_off[i + 1] - off - 1;
    if (len == 0) {
        /* an over-long string is kept empty; ss_big is ascending: binary search */
        size_t lo = 0, hi = d->x->ss_nbig;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->x->ss_big[mid] < i) lo = mid + 1;
            else hi = mid;
        }
        if (lo < d->x->ss_nbig && d->x->ss_big[lo] == i) return rd_limit_cell_bytes(d, col);
        return 0;
    }
    struct pcell pc = {col, SRC_SST, false, off, len, NULL};
    return add_pcell(d, &pc);
}

/* A number in a date/time style: arena[start..alen) is replaced by the date it stands
 * for when it is a serial in range (else left as written). 0 or rc < 0. */
static int date_text(struct rd *d, size_t start)
{
    char tmp[40];
    char *end;
    size_t l = d->alen - start;
    char *v = d->arena + start;
    v[l] = '\0';
    double dv = l < sizeof tmp ? strtod(v, &end) : -1;
    if (l < sizeof tmp && end != v && *end == '\0' &&
        em_xl_serial_to_text(dv, d->x->date1904, tmp, sizeof tmp)) {
        size_t n = strlen(tmp);
        d->alen = start;
        if (em_xl_grow((void **)&d->arena, &d->acap, start + n + 1, 1) != 0)
            return em_xl_nomem(d->x, d->s->name, d->err);
        memcpy(d->arena + start, tmp, n);
        d->alen = start + n;
    }
    return 0;
}

/* Integers as Excel shows them: "3.0" → "3" (Excel itself writes "3"). Returns the
 * length of v[0..l) to keep. */
static size_t trim_number(const char *v, size_t l)
{
    const char *dot = memchr(v, '.', l);
    if (!dot || dot == v) return l;
    size_t k = (size_t)(dot - v) + 1;
    while (k < l && v[k] == '0') k++;
    bool digits = true;
    for (const char *q = v + (v[0] == '-' ? 1 : 0); q < dot; q++)
        if (*q < '0' || *q > '9') digits = false;
    if (k == l && digits && dot > v + (v[0] == '-' ? 1 : 0)) return (size_t)(dot - v);
    return l;
}

/* Turns the collected value of a cell (arena[start..alen)) into a row cell. */
static int finish_cell(struct rd *d, int col, int type, size_t start)
{
    if (type == T_SST) return sst_cell(d, col, start);
    if (d->alen == start) return 0;
    if (type == T_DATE) {
        int rc = date_text(d, start);
        if (rc < 0) return rc;
        type = T_NUM;
    }
    size_t l = d->alen - start;
    char *v = d->arena + start;
    struct pcell pc = {col, SRC_ROW, false, start, l, NULL};
    if (type == T_BOOL && l == 1 && (v[0] == '0' || v[0] == '1')) {
        pc.src = SRC_LIT;
        pc.lit = v[0] == '1' ? "TRUE" : "FALSE";
        pc.len = strlen(pc.lit);
        d->alen = start;
    } else if (type == T_NUM) {
        pc.len = trim_number(v, l);
        d->alen = start + pc.len;
    } else if (type == T_INLINE || type == T_STR) {
        pc.len = em_xl_decode_x(v, l);
        d->alen = start + pc.len;
        if (pc.len == 0) return 0;
    }
    if (pc.src == SRC_ROW) {
        if (em_xl_grow((void **)&d->arena, &d->acap, d->alen + 1, 1) != 0)
            return em_xl_nomem(d->x, d->s->name, d->err);
        d->arena[d->alen++] = '\0';
    }
    return add_pcell(d, &pc);
}

/* The sheet pass runs on libxml2's SAX2 push parser, not the xmlTextReader used for
 * the other parts: on the 94 MB benchmark sheet the reader alone, doing nothing, needs
 * 1.12 s and SAX2 0.61 s (docs/design-xlsx.md, "Why SAX2 for the rows"). The zip
 * entry is fed to xmlParseChunk in chunks; the callbacks below keep the state the
 * reader loop kept in locals, and stop the parser (xmlStopParser) on an error, when
 * the row callback says stop, or at </sheetData>. */
#define SHEET_CHUNK (128u * 1024u)
static size_t sheet_chunk = SHEET_CHUNK;

/* Test hook, declared by tests/unit/mapper_xlsx.c: feed the sheet pass n bytes at a
 * time (1 splits every token and text across chunks); 0 restores the default. */
void em_xlsx_test_sheet_chunk(size_t n);
void em_xlsx_test_sheet_chunk(size_t n) { sheet_chunk = n ? n : SHEET_CHUNK; }

struct sx {
    struct rd *d;
    struct part *p;
    xmlParserCtxtPtr ctxt;
    int depth;              /* elements open; the root is at depth 0 */
    bool just_empty;        /* the last start tag was <x/>: its end event is ignored,
                             * as the reader never gave one for an empty element */
    bool in_data, in_row, in_cell, collect, in_is, date;
    int rph, col, type;
    size_t start;
    long last_row;
    bool dtd;               /* a DOCTYPE reached libxml2 (UTF-16): refused */
    bool stopped;           /* the callbacks stopped the parser; result says why */
    bool at_end;            /* ... at </sheetData>: the rest is read only for the CRC */
    int result;             /* 0 (done, or max_rows), 1 (fn said stop), rc < 0 */
};

/* Stops the parser; the first stop's result is kept (0 done, 1 fn said stop, rc < 0). */
static void sx_stop(struct sx *s, int result)
{
    if (!s->stopped) {
        s->stopped = true;
        s->result = result;
    }
    xmlStopParser(s->ctxt);
}

/* deliver() / fill_gap() outcome (rc, and *stop_clean set by the call, so read only
 * after it) → stop the parse when rc is not 0 */
static bool sx_rows_rc(struct sx *s, int rc, const bool *stop_clean)
{
    if (rc == 0) return false;
    sx_stop(s, rc < 0 ? rc : (*stop_clean ? 0 : 1));
    return true;
}

/* em_xl_sax_attrs for the three attributes of <c>, r, t and s (w[0..3) in that order),
 * without a name comparison per want: this runs for every cell. */
static void sx_cell_attrs(const xmlChar **a, int n, struct want *w)
{
    for (size_t i = 0; i < 3; i++) {
        w[i].found = false;
        w[i].len = 0;
        w[i].buf[0] = '\0';
    }
    for (int k = 0; k < n; k++, a += 5) {
        /* a[0] local name, a[1] prefix, a[2] namespace URI, a[3]..a[4] the value;
         * a prefixed attribute never matches (see em_xl_sax_attrs) */
        const xmlChar *nm = a[0];
        if (a[1] != NULL || !nm || nm[0] == '\0' || nm[1] != '\0') continue;
        size_t i = nm[0] == 'r' ? 0 : nm[0] == 't' ? 1 : nm[0] == 's' ? 2 : 3;
        if (i == 3 || w[i].found) continue;
        size_t l = (size_t)(a[4] - a[3]);
        size_t c = l < w[i].size - 1 ? l : w[i].size - 1;
        memcpy(w[i].buf, a[3], c);
        w[i].buf[c] = '\0';
        w[i].len = l < w[i].size - 1 ? l : w[i].size;
        w[i].found = true;
    }
}

/* <c>: its column (from r, or the next one), type (t) and date style (s). */
static void sx_cell_start(struct sx *s, const xmlChar **attrs, int nattrs, bool empty)
{
    struct rd *d = s->d;
    char rbuf[32], tbuf[16], sbuf[16];
    struct want wcell[] = {
        {"r", false, rbuf, sizeof rbuf, 0, false},
        {"t", false, tbuf, sizeof tbuf, 0, false},
        {"s", false, sbuf, sizeof sbuf, 0, false},
    };
    sx_cell_attrs(attrs, nattrs, wcell);
    if (wcell[0].found) {
        /* column letters and a row number from 1: "A0", "B-1" or "C" are malformed */
        int c;
        long r;
        if (wcell[0].len >= sizeof rbuf || em_xl_parse_ref(rbuf, &c, &r) != 0) {
            sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, d->row, NULL,
                                  em_tr("セル番地「%s」が読めません（列の英字と1以上の行番号、例: B12）",
                                     "cannot read the cell reference '%s' (column letters and a row "
                                     "number from 1, e.g. B12)"),
                                  wcell[0].len < sizeof rbuf ? rbuf : "..."));
            return;
        }
        s->col = c;
    } else {
        s->col++;
    }
    if (s->col >= EM_MAX_COLS) {
        sx_stop(s, em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                              em_tr("列が多すぎます（上限 %d 列）", "too many columns (limit %d)"),
                              EM_MAX_COLS));
        return;
    }
    s->type = T_NUM;
    s->date = false;
    if (wcell[2].found && d->x->nxf > 0) {
        unsigned long long si;
        if (wcell[2].len < sizeof sbuf && em_xl_small_uint(sbuf, wcell[2].len, &si)) {
            s->date = si < d->x->nxf && d->x->xf_date[si];
        } else {
            char *e;
            si = strtoul(sbuf, &e, 10);
            s->date = e != sbuf && *e == '\0' && sbuf[0] != '-' && si < d->x->nxf &&
                      d->x->xf_date[si];
        }
    }
    if (wcell[1].found) {
        if (wcell[1].len == 1 && tbuf[0] == 's') s->type = T_SST;
        else if (strcmp(tbuf, "inlineStr") == 0) s->type = T_INLINE;
        else if (strcmp(tbuf, "b") == 0) s->type = T_BOOL;
        else if (strcmp(tbuf, "e") == 0) s->type = T_ERR;
        else if (strcmp(tbuf, "str") == 0 || strcmp(tbuf, "d") == 0) s->type = T_STR;
    }
    if (empty) return;
    s->in_cell = true;
    s->in_is = false;
    s->collect = false;
    s->rph = 0;
    s->start = d->alen;
}

/* <row>: its number (from r, or the next one; ascending), rows that exist only
 * through merges before it, and an empty row delivered at once. */
static void sx_row_start(struct sx *s, const xmlChar **attrs, int nattrs, bool empty)
{
    struct rd *d = s->d;
    char rbuf[32];
    struct want wrow[] = {{"r", false, rbuf, sizeof rbuf, 0, false}};
    em_xl_sax_attrs(attrs, nattrs, wrow, 1);
    long r;
    if (wrow[0].found) {
        const char *e;
        r = wrow[0].len < sizeof rbuf ? em_xl_parse_row(rbuf, &e) : EM_MAX_ROWS + 1L;
        if (r < 1 || (r <= EM_MAX_ROWS && *e != '\0')) {
            sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, s->last_row + 1,
                                  NULL, em_tr("行番号「%s」が読めません", "cannot read the row number '%s'"),
                                  wrow[0].len < sizeof rbuf ? rbuf : "..."));
            return;
        }
    } else {
        r = s->last_row + 1;
    }
    if (r > EM_MAX_ROWS) {
        sx_stop(s, em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, s->last_row, NULL,
                              em_tr("行が多すぎます（上限 %d 行）", "too many rows (limit %d)"),
                              EM_MAX_ROWS));
        return;
    }
    if (r <= s->last_row) {
        sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, r, NULL,
                              em_tr("行の順番が正しくありません（%ld行目の後に%ld行目があります）",
                                 "rows are out of order (after row %ld comes row %ld)"),
                              s->last_row, r));
        return;
    }
    bool stop_clean = false;
    if (sx_rows_rc(s, fill_gap(d, r, &stop_clean), &stop_clean)) return;
    d->row = r;
    s->last_row = r;
    d->ncells = 0;
    d->alen = 0;
    s->col = -1;
    if (empty) {
        sx_rows_rc(s, deliver(d, &stop_clean), &stop_clean);
    } else {
        s->in_row = true;
    }
}

/* SAX2 start of an element: depth cap, then the sheet data's elements. */
static void sx_start(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndefaulted,
                     const xmlChar **attrs)
{
    (void)nns;
    (void)ns;
    (void)ndefaulted;
    struct sx *s = ctx;
    struct rd *d = s->d;
    if (s->stopped) return;
    if (s->depth++ > em_xl_lim.depth) {
        sx_stop(s, em_xl_too_deep(d->err, s->p, d->s->name, d->row));
        return;
    }
    /* libxml2 calls this with the input still on the tag's closing "/>" or ">" */
    const xmlChar *cur = s->ctxt->input ? s->ctxt->input->cur : NULL;
    bool empty = cur && cur < s->ctxt->input->end && cur[0] == '/';
    s->just_empty = empty;
    /* an undeclared prefix: the reader's name was "y:c", which matches nothing here */
    if (!n || (prefix && !uri)) return;
    if (!s->in_data) {
        if (em_xl_eq(n, "sheetData") && !empty) s->in_data = true;
        return;
    }
    if (n[0] == 'c' && n[1] == '\0') {
        if (s->in_row) sx_cell_start(s, attrs, nattrs, empty);
    } else if (s->in_cell && n[0] == 'v' && n[1] == '\0') {
        if (!empty && !s->in_is && s->type != T_INLINE) s->collect = true;
    } else if (s->in_cell && em_xl_eq(n, "is")) {
        if (!empty) s->in_is = true;
    } else if (s->in_is && em_xl_eq(n, "rPh")) {
        if (!empty) s->rph++;
    } else if (s->in_is && s->rph == 0 && n[0] == 't' && n[1] == '\0') {
        if (!empty) s->collect = true;
    } else if (em_xl_eq(n, "row")) {
        if (!s->in_row) sx_row_start(s, attrs, nattrs, empty);
    }
}

/* SAX2 end of an element: a cell finished, a row delivered, </sheetData> stops. */
static void sx_end(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri)
{
    struct sx *s = ctx;
    struct rd *d = s->d;
    if (s->stopped) return;
    s->depth--;
    if (s->just_empty) {
        s->just_empty = false;
        return;
    }
    if (!s->in_data || !n || (prefix && !uri)) return;
    bool stop_clean = false;
    if (n[0] == 'c' && n[1] == '\0') {
        if (!s->in_cell) return;
        s->in_cell = s->collect = s->in_is = false;
        int rc = finish_cell(d, s->col, s->type == T_NUM && s->date ? T_DATE : s->type, s->start);
        if (rc < 0) sx_stop(s, rc);
    } else if ((n[0] == 'v' || n[0] == 't') && n[1] == '\0') {
        s->collect = false;
    } else if (em_xl_eq(n, "rPh")) {
        if (s->rph > 0) s->rph--;
    } else if (em_xl_eq(n, "is")) {
        s->in_is = false;
    } else if (em_xl_eq(n, "row")) {
        if (!s->in_row) return;
        s->in_row = s->in_cell = s->collect = false;
        sx_rows_rc(s, deliver(d, &stop_clean), &stop_clean);
    } else if (em_xl_eq(n, "sheetData")) {
        /* rows after the last one that exist only through merged ranges */
        if (!sx_rows_rc(s, fill_gap(d, (long)EM_MAX_ROWS + 1, &stop_clean), &stop_clean))
        {
            s->at_end = true;  /* the rest of the part is only inflated (CRC check) */
            sx_stop(s, 0);
        }
    }
}

/* SAX2 text (and CDATA, blanks): appended to the cell being collected. */
static void sx_text(void *ctx, const xmlChar *v, int len)
{
    struct sx *s = ctx;
    if (s->stopped || !s->collect || len <= 0) return;
    int rc = append_text(s->d, s->start, (const char *)v, (size_t)len, s->col);
    if (rc < 0) sx_stop(s, rc);
}

/* A DOCTYPE that got past the prolog sniffing (a UTF-16 part): refused before its
 * internal subset is parsed. */
static void sx_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    struct sx *s = ctx;
    s->dtd = true;   /* not p->ioerr: the inflating thread owns that until joined */
    xmlStopParser(s->ctxt);
}

/* SAX2 structured errors: recorded on the part like the reader's. */
static void sx_serror(void *ctx, xmlErrorPtr e)
{
    struct sx *s = ctx;
    em_xl_part_serror(s->p, e);
}

/* Reads the rest of the part after </sheetData> without parsing it: libzip checks an
 * entry's CRC only when it has been read to its end, so a damaged or altered sheet
 * is refused even though its rows were all read (the error is in p->ioerr after
 * em_xl_feed_stop). The bytes still count against the part cap. */
static void drain(struct feeder *f)
{
    const char *data;
    while (em_xl_feed_get(f, &data) > 0) {}
}

/* Feeds the opened sheet part through the SAX2 push parser. Returns 0, 1 (the row
 * callback said stop) or rc < 0 with d->err filled. */
static int read_rows(struct rd *d, struct part *p)
{
    struct sx s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.p = p;
    s.col = -1;
    s.type = T_NUM;
    static const struct xl_sax_cb cb = {sx_start, sx_end, sx_text, sx_dtd, sx_serror};
    struct feeder f;
    if (em_xl_feed_start(&f, p, sheet_chunk) != 0) return em_xl_nomem(d->x, d->s->name, d->err);
    /* the first 4 bytes go in at creation: libxml2 detects the encoding (UTF-16)
     * from them, so gather that many even from tiny chunks */
    char first[4];
    size_t nfirst = 0;
    bool oom = false, ended = false;
    for (;;) {
        const char *data;
        int n = em_xl_feed_get(&f, &data);
        ended = n <= 0;
        if (n < 0) break;                   /* p->ioerr says why (read after the join) */
        size_t off = 0;
        if (!s.ctxt) {
            while (nfirst < 4 && off < (size_t)n) first[nfirst++] = data[off++];
            if (nfirst < 4 && n > 0) continue;
            s.ctxt = em_xl_push_parser(&cb, &s, first, nfirst, p->name);
            if (!s.ctxt) {
                oom = true;
                break;
            }
        }
        if (n == 0) {
            xmlParseChunk(s.ctxt, NULL, 0, 1);
            break;
        }
        if (off < (size_t)n) xmlParseChunk(s.ctxt, data + off, (int)((size_t)n - off), 0);
        /* a fatal XML error disables the callbacks: stop feeding. A namespace error
         * (an undeclared prefix) is not fatal: as with the reader, it is reported
         * only when the part ends without </sheetData>. */
        if (s.stopped || s.dtd || s.ctxt->disableSAX || s.ctxt->instate == XML_PARSER_EOF)
            break;
    }
    if (s.at_end && !ended) drain(&f);
    em_xl_feed_stop(&f);
    if (s.dtd && !p->ioerr) p->ioerr = IO_DTD;
    int rc;
    if (s.at_end && p->ioerr) rc = em_xl_part_error(p, 0, d->err);  /* CRC, cap: the part */
    else if (s.stopped) rc = s.result;     /* our own stop wins over what follows it */
    else if (oom) rc = em_xl_nomem(d->x, d->s->name, d->err);
    else if (p->ioerr || p->xml_err) rc = em_xl_part_error(p, d->row, d->err);
    else rc = 0;                           /* the end of a part without </sheetData> */
    if (s.ctxt) xmlFreeParserCtxt(s.ctxt);
    return rc;
}

int em_xl_sheet_pass(struct em_xlsx *x, const struct xl_sheet *s, struct part *p, long max_rows,
                     em_row_fn fn, void *ctx, struct em_err *err)
{
    struct rd d;
    memset(&d, 0, sizeof d);
    d.x = x;
    d.s = s;
    d.fn = fn;
    d.ctx = ctx;
    d.err = err;
    d.max_rows = max_rows;
    int rc = read_rows(&d, p);
    free(d.cells);
    free(d.arena);
    free(d.out);
    free(d.active);
    free(d.marena);
    return rc;
}
