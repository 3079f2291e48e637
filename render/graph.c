/* graph.c — the model as a cgraph graph: the chain outside → line → devices →
 * segment → 電子カルテ系, the hospital cluster, every mark, the legend and the title.
 * Marks are always text plus line style, so a black-and-white print keeps them. */
#include "render/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "mapper/lang.h"
#include "render/buf.h"

#define RED "#c00000"
#define GREY "#808080"
#define GREY_TEXT "#555555"
#define EMR_FILL "#fff2cc"
#define ORANGE "#e07000"
#define EM_LABEL_MAX 80
#define EM_TIP_MAX 600
#define PALE "#eeeeee"
/* Between runs of different style Graphviz emits separate SVG <text> elements and a
 * plain leading space is dropped by browsers: use a no-break space there. */
#define NBSP "&#160;"

/* Marks seen while building, so the legend lists only these. */
enum {
    MK_TARGET = 1 << 0, MK_OUT = 1 << 1, MK_ASSET = 1 << 2, MK_UNKNOWN = 1 << 3,
    MK_MAINT = 1 << 4, MK_CONTRACT = 1 << 5, MK_CVE = 1 << 6, MK_RENTAL = 1 << 7,
    MK_DYNAMIC = 1 << 8, MK_TERMINALS = 1 << 9, MK_UNDECLARED = 1 << 10, MK_UNSEEN = 1 << 11,
    MK_SERVICES = 1 << 12,
};

struct grp;

/* Side-by-side bands (see plan_bands): at most this many. */
#define EM_BANDS_MAX 3

struct gb {
    const struct em_model *m;
    const struct em_graph_opts *o;
    Agraph_t *g, *hosp;           /* hosp == g in flat/grid modes */
    /* bands: lines split into chains drawn side by side (n_bands 0 or 1: one chain);
     * band_of: node id -> bit mask of the bands it is drawn in (outside networks,
     * segments and 電子カルテ系 get a copy per band, lines and devices are drawn once) */
    int n_bands;
    bool party_column;        /* parties in a column of their own, left of the networks */
    Agraph_t *band_g[EM_BANDS_MAX];
    GHashTable *band_of;
    unsigned marks;
    struct em_buf tmp, tip;
    /* big maps: model node id -> the id of the aggregate node drawn instead
     * (NULL when every node is drawn itself) */
    GHashTable *rep;
    struct grp *groups; size_t n_groups;
    GHashTable *labels;       /* node id -> short label, for edge tooltips */
    /* in-scope paths by the device that terminates them: head[d], next[p] */
    size_t *tgt_head, *tgt_next;
    /* open services from scans by the device terminating their path: head[d], next[s] */
    size_t *svc_head, *svc_next;
    bool discovery;           /* a discovery file was merged: unseen devices are marked */
    /* grid mode: next free row per column */
    double grid_y[8];
    double grid_x[8];
};

/* Attribute writes that failed (cgraph returns non-zero only when out of memory);
 * em_graph_build() fails the whole graph when any did. */
static size_t set_failures;

static void set(void *obj, const char *name, const char *value)
{
    if (agsafeset(obj, (char *)name, (char *)value, (char *)"") != 0) set_failures++;
}

/* Sets an HTML-like label. agstrdup_html marks the string as HTML in the graph's
 * string table; agxset (via agsafeset) then shares that entry. */
static void set_html(void *obj, const char *html)
{
    Agraph_t *g = agraphof(obj);
    char *h = agstrdup_html(g, (char *)html);
    if (!h) {
        set_failures++;
        return;
    }
    set(obj, "label", h);
    agstrfree(g, h);
}

/* Graphviz expands \N, \G, \L … in plain strings: user text must not carry a backslash
 * into them, so it becomes the full-width ＼ (what a Japanese keyboard calls ¥ anyway). */
static size_t cut_at(const char *s, size_t max_chars);

static void add_plain(struct em_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    const char *stop = s + cut_at(s, EM_TIP_MAX);
    for (const char *p = s; p < stop; p++)
        if (*p == '\\') {
            em_buf_add_utf8(b, run, (size_t)(p - run));
            em_buf_puts(b, "＼");
            run = p + 1;
        }
    em_buf_add_utf8(b, run, (size_t)(stop - run));
    if (*stop) em_buf_puts(b, "…");
}

static bool blank(const char *s) { return !s || !*s; }

/* Label text is cut at EM_LABEL_MAX characters (a 30,000-character cell must not make a
 * node a metre wide or Graphviz slow); tooltips at EM_TIP_MAX per field; the report keeps
 * the whole text. */

static size_t cut_at(const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
        chars++;
    }
    return i;
}

static void label_html(struct em_buf *b, const char *s)
{
    if (!s) return;
    size_t n = cut_at(s, EM_LABEL_MAX);
    if (!s[n]) {
        em_buf_html(b, s);
        return;
    }
    char *t = malloc(n + 1);
    if (!t) {
        b->failed = true;
        return;
    }
    memcpy(t, s, n);
    t[n] = '\0';
    em_buf_html(b, t);
    em_buf_puts(b, "…");
    free(t);
}

static void add_src(struct em_buf *b, const struct em_src *src, const int *rows, size_t n_rows)
{
    if (!src || blank(src->file)) return;
    em_buf_printf(b, "\n%s ", em_tr("出典:", "Source:"));
    add_plain(b, src->file);
    if (!blank(src->sheet)) {
        em_buf_puts(b, em_tr(" シート「", " sheet '"));
        add_plain(b, src->sheet);
        em_buf_puts(b, em_tr("」", "'"));
    }
    if (n_rows) {
        em_buf_puts(b, em_tr(" 行 ", " row "));
        for (size_t i = 0; i < n_rows && i < 50; i++)
            em_buf_printf(b, "%s%d", i ? ", " : "", rows[i]);
        if (n_rows > 50) em_buf_puts(b, ", …");
    } else if (src->row > 0) {
        em_buf_printf(b, em_tr(" 行 %d", " row %d"), src->row);
    }
}

static void tip_field(struct em_buf *b, const char *ja, const char *en, const char *v)
{
    if (blank(v)) return;
    if (b->len) em_buf_puts(b, "\n");
    em_buf_printf(b, "%s: ", em_tr(ja, en));
    add_plain(b, v);
}

/* Places a node in the grid layout: column by its place in the chain. */
static void grid_place(struct gb *gb, Agnode_t *n, int col, const char *label_text, int lines)
{
    if (gb->o->mode != EM_GRAPH_GRID) return;
    (void)label_text;
    char pos[64];
    double h = 24.0 + 18.0 * (lines > 0 ? lines : 1);
    snprintf(pos, sizeof pos, "%.1f,%.1f!", gb->grid_x[col], -(gb->grid_y[col] + h / 2));
    gb->grid_y[col] += h + 16;
    set(n, "pos", pos);
}

static Agnode_t *mknode(Agraph_t *where, const char *id)
{
    Agnode_t *n = agnode(where, (char *)id, 1);
    if (n) set(n, "id", id);
    return n;
}

/* ---------------------------------------------------------------- bands */

static unsigned band_mask(const struct gb *gb, const char *id)
{
    return gb->band_of ? GPOINTER_TO_UINT(g_hash_table_lookup(gb->band_of, id)) : 0;
}

static int first_band(unsigned mask)
{
    for (int b = 0; b < EM_BANDS_MAX; b++)
        if (mask & (1u << b)) return b;
    return 0;
}

/* The cluster (or graph) a hospital-side node is drawn in: its first band's. */
static Agraph_t *band_home(const struct gb *gb, int b)
{
    return gb->n_bands > 1 && gb->band_g[b] ? gb->band_g[b] : gb->hosp;
}

static Agraph_t *home(const struct gb *gb, const char *id)
{
    return band_home(gb, first_band(band_mask(gb, id)));
}

/* The id a node has in band b: its own in its first band, "<id>-b<k>" in the others
 * (a copy: outside networks, segments and 電子カルテ系 only). */
static const char *band_id(const struct gb *gb, const char *id, int b)
{
    unsigned mask = band_mask(gb, id);
    if (gb->n_bands <= 1 || !mask || first_band(mask) == b) return id;
    const char *c = em_pool_printf(gb->m->pool, "%s-b%d", id, b + 1);
    return c ? c : id;
}

/* Copies node n (already labelled) into every other band of its mask. */
static void copy_to_bands(struct gb *gb, Agnode_t *n, const char *id, bool outside)
{
    unsigned mask = band_mask(gb, id);
    if (gb->n_bands <= 1) return;
    for (int b = first_band(mask) + 1; b < gb->n_bands; b++) {
        if (!(mask & (1u << b))) continue;
        const char *cid = band_id(gb, id, b);
        Agnode_t *c = agnode(outside ? gb->g : band_home(gb, b), (char *)cid, 1);
        if (!c || agcopyattr(n, c) != 0) {
            set_failures++;
            continue;
        }
        set(c, "id", cid);
    }
}

static const char *outside_kind_text(enum em_node_kind k)
{
    switch (k) {
    case EM_NODE_NET_INTERNET: return em_tr("インターネット", "Internet");
    case EM_NODE_NET_CLOSED: return em_tr("閉域網", "Closed network");
    case EM_NODE_NET_PHONE: return em_tr("電話網", "Telephone network");
    default: return em_tr("接続先", "Remote party");
    }
}

static void add_outside(struct gb *gb, const struct em_outside *o)
{
    Agnode_t *n = mknode(gb->g, o->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    switch (o->kind) {
    case EM_NODE_NET_INTERNET:
        set(n, "shape", "ellipse");
        set(n, "style", "filled");
        set(n, "fillcolor", "#f2f2f2");
        label_html(b, em_tr("インターネット", "Internet"));
        break;
    case EM_NODE_NET_CLOSED:
    case EM_NODE_NET_PHONE:
        set(n, "shape", "ellipse");
        set(n, "margin", "0");
        set(n, "style", "dashed");
        set(n, "color", GREY);
        set(n, "fontcolor", GREY_TEXT);
        /* a closed network is named by its carrier and service; the scope text
         * below says 閉域網 already */
        if (o->kind == EM_NODE_NET_CLOSED && !blank(o->name)) {
            /* carrier and service on two lines: an ellipse is √2 × its text wide */
            const char *sp = strchr(o->name, ' ');
            if (sp && sp > o->name && sp[1]) {
                char *carrier = g_strndup(o->name, (gsize)(sp - o->name));
                label_html(b, carrier);
                g_free(carrier);
                em_buf_puts(b, "<br/>");
                label_html(b, sp + 1);
                lines++;
            } else {
                label_html(b, o->name);
            }
        } else {
            label_html(b, outside_kind_text(o->kind));
        }
        em_buf_puts(b, "<br/>");
        label_html(b, em_scan_reason_label(o->kind == EM_NODE_NET_CLOSED ? EM_SCAN_OUT_CLOSED
                                                                           : EM_SCAN_OUT_PHONE));
        lines++;
        gb->marks |= MK_OUT;
        break;
    default:
        set(n, "shape", "box");
        set(n, "style", "rounded,dashed");
        if (o->maintenance) {
            label_html(b, em_tr("保守回線", "Maintenance line"));
            em_buf_puts(b, "<br/>");
            lines++;
            gb->marks |= MK_MAINT;
        }
        label_html(b, blank(o->name) ? em_tr("接続先", "Remote party") : o->name);
        break;
    }
    set_html(n, em_buf_cstr(b));
    tip_field(t, "種別", "Kind", outside_kind_text(o->kind));
    tip_field(t, "名称", "Name", o->name);
    if (o->maintenance) tip_field(t, "用途", "Use", em_tr("保守回線", "maintenance line"));
    set(n, "tooltip", em_buf_cstr(t));
    grid_place(gb, n, o->kind == EM_NODE_PARTY ? 0 : 1, o->name, lines);
    copy_to_bands(gb, n, o->id, true);
}

/* The line node: its No, carrier and service, where its termination device sits,
 * the reasons it is out of scope, and who holds the contract when not the hospital. */
static bool is_hospital_holder(const struct em_model *m, const char *h);

/* The marks a line node carries in both forms (one line, a group of lines):
 * out-of-scope reasons as text plus a grey dashed box (readable in black and white),
 * and the contract holder when it is not the hospital. Each returns the text lines
 * it added to the label. */
static int mark_scope(struct gb *gb, Agnode_t *n, struct em_buf *b, bool out, unsigned reasons)
{
    int lines = 0;
    if (!out) {
        set(n, "style", "rounded");
        return 0;
    }
    for (int r = 1; r < 32; r++) {
        if (!(reasons & (1u << r))) continue;
        em_buf_puts(b, "<br/>");
        label_html(b, em_scan_reason_label((enum em_scan_reason)r));
        lines++;
    }
    set(n, "style", "rounded,dashed");
    set(n, "color", GREY);
    set(n, "fontcolor", GREY_TEXT);
    gb->marks |= MK_OUT;
    return lines;
}

static int mark_contract(struct gb *gb, struct em_buf *b, const char *holder)
{
    if (is_hospital_holder(gb->m, holder)) return 0;
    em_buf_puts(b, "<br/><i>");
    label_html(b, em_tr("契約者: ", "Contract holder: "));
    label_html(b, holder);
    em_buf_puts(b, "</i>");
    gb->marks |= MK_CONTRACT;
    return 1;
}

static void add_line(struct gb *gb, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    Agnode_t *n = mknode(home(gb, l->id), l->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    bool any_in = false;
    unsigned reasons = 0;
    int rows[64];
    size_t n_rows = 0;
    for (size_t i = 0; i < l->n_paths; i++) {
        const struct em_path *p = &m->paths[l->paths[i]];
        if (p->scan == EM_SCAN_IN) any_in = true;
        else reasons |= 1u << p->scan;
        if (n_rows < 64) rows[n_rows++] = p->src.row;
    }
    em_buf_puts(b, "<b>");
    if (l->implicit || blank(l->line_no)) label_html(b, em_tr("回線（No未記入）", "Line (no No)"));
    else {
        label_html(b, em_tr("回線", "Line "));
        label_html(b, l->line_no);
    }
    em_buf_puts(b, "</b>");
    if (!blank(l->carrier)) { em_buf_puts(b, NBSP); label_html(b, l->carrier); }
    if (!blank(l->service)) {
        /* a long carrier + service goes on two lines: the widest line sets the
         * column's width for every line */
        bool wrap = !blank(l->carrier) && g_utf8_strlen(l->carrier, -1) + g_utf8_strlen(l->service, -1) > 16;
        em_buf_puts(b, wrap ? "<br/>" : " ");
        if (wrap) lines++;
        label_html(b, l->service);
    }
    /* where its termination device sits is in the tooltip: one text line per line
     * keeps 60 lines on A3 */
    lines += mark_scope(gb, n, b, !any_in && reasons, reasons);
    lines += mark_contract(gb, b, l->contract_holder);
    set_html(n, em_buf_cstr(b));

    tip_field(t, "回線No", "Line No", l->line_no);
    tip_field(t, "回線事業者", "Carrier", l->carrier);
    tip_field(t, "サービス", "Service", l->service);
    tip_field(t, "回線終端装置の設置場所", "Termination device location", l->ctu_location);
    tip_field(t, "回線契約者", "Contract holder", l->contract_holder);
    for (size_t i = 0; i < l->n_paths; i++) {
        const struct em_path *p = &m->paths[l->paths[i]];
        em_buf_printf(t, em_tr("\n— 行 %d: ", "\n— row %d: "), p->src.row);
        add_plain(t, em_comm_type_label(p->comm_type));
        if (!blank(p->purpose)) { em_buf_puts(t, " / "); add_plain(t, p->purpose); }
        if (!blank(p->system)) { em_buf_puts(t, " / "); add_plain(t, p->system); }
        if (!blank(p->remote_party)) { em_buf_puts(t, " / "); add_plain(t, p->remote_party); }
        if (!blank(p->global_ip)) { em_buf_puts(t, " / "); add_plain(t, p->global_ip); }
        if (!blank(p->fqdn)) { em_buf_puts(t, " / "); add_plain(t, p->fqdn); }
        em_buf_puts(t, " / ");
        add_plain(t, p->scan == EM_SCAN_IN ? em_tr("診断対象", "scan target")
                                           : em_scan_reason_label(p->scan));
    }
    const struct em_src *src = l->n_paths ? &m->paths[l->paths[0]].src : NULL;
    add_src(t, src, rows, n_rows);
    set(n, "tooltip", em_buf_cstr(t));
    grid_place(gb, n, 2, NULL, lines);
}

/* What the scan marks say about a device: the addresses of the in-scope paths whose
 * first device it is (the device terminating the line is the reachable point). */
static void device_targets(struct gb *gb, size_t di, struct em_buf *out, bool *dynamic)
{
    const struct em_model *m = gb->m;
    size_t found = 0;
    for (size_t i = gb->tgt_head ? gb->tgt_head[di] : EM_NONE; i != EM_NONE; i = gb->tgt_next[i]) {
        const struct em_path *p = &m->paths[i];
        const char *what[2] = {NULL, NULL};
        if (p->ip_kind == EM_IP_KIND_DYNAMIC || (blank(p->global_ip) && blank(p->fqdn))) {
            what[0] = em_tr("動的IP(当日確認)", "dynamic IP (confirm on the day)");
            *dynamic = true;
        } else {
            what[0] = blank(p->global_ip) ? NULL : p->global_ip;
        }
        what[1] = blank(p->fqdn) ? NULL : p->fqdn;
        found++;
        for (int k = 0; k < 2; k++) {
            if (!what[k]) continue;
            /* each address once, even when several paths share the device */
            const char *c = em_buf_cstr(out);
            const char *hit = strstr(c, what[k]);
            size_t wl = strlen(what[k]);
            if (hit && (hit == c || hit[-1] == '\n') && (hit[wl] == '\0' || hit[wl] == '\n')) continue;
            if (out->len) em_buf_puts(out, "\n");
            em_buf_puts(out, what[k]);
        }
    }
    if (found) em_buf_add(out, "", 0);
}

/* The in-scope paths indexed by the device terminating them (the first device named),
 * so marking a device does not scan every path. */
static int index_targets(struct gb *gb)
{
    const struct em_model *m = gb->m;
    gb->tgt_head = malloc((m->n_devices ? m->n_devices : 1) * sizeof *gb->tgt_head);
    gb->tgt_next = malloc((m->n_paths ? m->n_paths : 1) * sizeof *gb->tgt_next);
    if (!gb->tgt_head || !gb->tgt_next) return -1;
    gb->svc_head = malloc((m->n_devices ? m->n_devices : 1) * sizeof *gb->svc_head);
    gb->svc_next = malloc((m->n_services ? m->n_services : 1) * sizeof *gb->svc_next);
    if (!gb->svc_head || !gb->svc_next) return -1;
    for (size_t d = 0; d < m->n_devices; d++) gb->tgt_head[d] = gb->svc_head[d] = EM_NONE;
    for (size_t i = m->n_services; i-- > 0;) {
        const struct em_service *sv = &m->services[i];
        gb->svc_next[i] = EM_NONE;
        if (sv->path == EM_NONE || sv->path >= m->n_paths) continue;
        const struct em_path *p = &m->paths[sv->path];
        size_t first = p->dev[0] != EM_NONE ? p->dev[0] : p->dev[1];
        if (first == EM_NONE || first >= m->n_devices) continue;
        gb->svc_next[i] = gb->svc_head[first];
        gb->svc_head[first] = i;
    }
    for (size_t i = m->n_paths; i-- > 0;) {
        const struct em_path *p = &m->paths[i];
        gb->tgt_next[i] = EM_NONE;
        if (p->scan != EM_SCAN_IN) continue;
        size_t first = p->dev[0] != EM_NONE ? p->dev[0] : p->dev[1];
        if (first == EM_NONE || first >= m->n_devices) continue;
        gb->tgt_next[i] = gb->tgt_head[first];
        gb->tgt_head[first] = i;
    }
    return 0;
}

static void add_device(struct gb *gb, size_t di)
{
    const struct em_device *d = &gb->m->devices[di];
    Agnode_t *n = mknode(home(gb, d->id), d->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    const char *type = blank(d->type_raw) && d->type == EM_DEV_UNSET ? "" :
                       (d->type == EM_DEV_OTHER && !blank(d->type_raw) ? d->type_raw
                                                                        : em_dev_type_label(d->type));
    if (!blank(d->model)) {
        em_buf_puts(b, "<b>"); label_html(b, d->model); em_buf_puts(b, "</b>");
        if (!blank(d->firmware)) { em_buf_puts(b, NBSP); label_html(b, d->firmware); }
        /* maker and type are in the tooltip: one text line per device */
    } else {
        if (!blank(d->maker)) { label_html(b, d->maker); em_buf_puts(b, " "); }
        label_html(b, blank(type) ? em_tr("装置", "Device") : type);
        if (!blank(d->firmware)) { em_buf_puts(b, " "); label_html(b, d->firmware); }
        /* no model (a device discovery found, say): its host name is its identity */
        if (!blank(d->hostname)) { em_buf_puts(b, "<br/>"); label_html(b, d->hostname); lines++; }
    }
    if (d->rental == EM_TRI_YES) {
        /* on a line of its own when the model and firmware are long already */
        if (g_utf8_strlen(d->model ? d->model : "", -1) + g_utf8_strlen(d->firmware ? d->firmware : "", -1) > 18) {
            em_buf_puts(b, "<br/>");
            lines++;
        }
        label_html(b, em_tr("（レンタル）", " (rental)"));
        gb->marks |= MK_RENTAL;
    }
    /* the host name is in the tooltip: a line less per device keeps a 20-line
     * hospital's columns short enough for A3 */
    struct em_buf tg = {0};
    bool dynamic = false, tg_marked = false;
    device_targets(gb, di, &tg, &dynamic);
    if (tg.p) {
        em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
        label_html(b, em_tr("診断対象", "Scan target"));
        em_buf_puts(b, "</b>");
        const char *s = em_buf_cstr(&tg);
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), s);
            em_buf_puts(b, NBSP);
            label_html(b, one);
            s += len;
            if (*s) { s++; em_buf_puts(b, "<br/>"); lines++; }
        }
        em_buf_puts(b, "</font>");
        lines++;
        set(n, "color", RED);
        set(n, "penwidth", "3");
        tg_marked = true;
        gb->marks |= MK_TARGET;
        if (dynamic) gb->marks |= MK_DYNAMIC;
    }
    em_buf_free(&tg);
    /* open services a scan found on its addresses: 443/tcp https … */
    size_t nsv = 0;
    for (size_t i = gb->svc_head ? gb->svc_head[di] : EM_NONE; i != EM_NONE; i = gb->svc_next[i]) {
        const struct em_service *sv = &gb->m->services[i];
        if (nsv == 4) {
            size_t more = 0;
            for (size_t k = i; k != EM_NONE; k = gb->svc_next[k]) more++;
            em_buf_printf(b, em_tr(" ほか%zu", " +%zu"), more);
            break;
        }
        em_buf_puts(b, nsv ? ", " : "<br/><font point-size=\"10\">");
        em_buf_printf(b, "%d/", sv->port);
        label_html(b, sv->proto);
        if (!blank(sv->name)) { em_buf_puts(b, " "); label_html(b, sv->name); }
        nsv++;
    }
    if (nsv) {
        em_buf_puts(b, "</font>");
        lines++;
        gb->marks |= MK_SERVICES;
    }
    bool undeclared = d->source == EM_SRC_DISCOVERED;
    bool unseen = gb->discovery && d->source == EM_SRC_DECLARED && !d->disc_id;
    if (undeclared) {
        em_buf_puts(b, "<br/><font color=\"" ORANGE "\"><b>");
        label_html(b, em_tr("未申告", "Undeclared"));
        em_buf_puts(b, "</b></font>");
        lines++;
        if (!tg_marked) {
            set(n, "color", ORANGE);
            set(n, "penwidth", "3");
        }
        gb->marks |= MK_UNDECLARED;
    } else if (unseen) {
        em_buf_puts(b, "<br/><i>");
        label_html(b, em_tr("未確認（探索で見つからず）", "Not seen by discovery"));
        em_buf_puts(b, "</i>");
        lines++;
        gb->marks |= MK_UNSEEN;
    }
    if (d->n_cves) {
        em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
        for (size_t i = 0; i < d->n_cves && i < 2; i++) {
            if (i) { em_buf_puts(b, "<br/>"); lines++; }   /* one id a line: narrow */
            label_html(b, d->cves[i]);
        }
        if (d->n_cves > 2) em_buf_printf(b, em_tr(" ほか%zu件", " +%zu more"), d->n_cves - 2);
        em_buf_puts(b, "</b></font>");
        lines++;
        gb->marks |= MK_CVE;
    }
    if (unseen) {
        set(n, "style", "rounded,filled,dashed");
        set(n, "fillcolor", PALE);
    } else {
        set(n, "style", undeclared ? "rounded,bold" : "rounded");
    }
    set_html(n, em_buf_cstr(b));

    tip_field(t, "装置の種類", "Type", type);
    tip_field(t, "メーカー", "Maker", d->maker);
    tip_field(t, "型番", "Model", d->model);
    tip_field(t, "ファームウェア", "Firmware", d->firmware);
    if (!blank(d->firmware))
        tip_field(t, "ファームウェア確認", "Firmware checked",
                  d->verified ? em_tr("実機確認済み", "verified on the device")
                              : em_tr("未確認", "not verified"));
    tip_field(t, "ホスト名", "Host name", d->hostname);
    tip_field(t, "管理IP", "Management IP", d->mgmt_ip);
    tip_field(t, "設置場所", "Location", d->location);
    if (d->rental == EM_TRI_YES) tip_field(t, "レンタル", "Rental", em_tr("はい", "yes"));
    for (size_t i = 0; i < d->n_cves; i++) tip_field(t, "既知の脆弱性", "Known vulnerability", d->cves[i]);
    tip_field(t, "参考", "Advisory", d->advisory_url);
    add_src(t, &d->src, d->rows, d->n_rows);
    set(n, "tooltip", em_buf_cstr(t));
    grid_place(gb, n, d->slot == 2 ? 4 : 3, NULL, lines);
}

static void add_segment(struct gb *gb, const struct em_segment *s)
{
    Agnode_t *n = mknode(home(gb, s->id), s->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    label_html(b, blank(s->name) ? em_tr("（システム名なし）", "(no system name)") : s->name);
    /* its link to 電子カルテ系 unknown: the text on the segment, the edge dotted (an
     * edge label would need room of its own beside 電子カルテ系 and cross other edges) */
    for (size_t i = 0; i < gb->m->n_edges; i++) {
        const struct em_edge *e = &gb->m->edges[i];
        if (e->emr_unknown && strcmp(e->from, s->id) == 0) {
            em_buf_puts(b, "<br/><i>");
            /* on two short lines: the segment column stays narrow */
            em_buf_puts(b, em_tr("接続不明<br/>（要確認）", "link unknown<br/>(to confirm)"));
            em_buf_puts(b, "</i>");
            lines += 2;
            break;
        }
    }
    if (s->n_terminals) {
        em_buf_printf(b, em_tr("<br/>端末 ×%zu", "<br/>terminals ×%zu"), s->n_terminals);
        lines++;
        gb->marks |= MK_TERMINALS;
    }
    if (s->emr) {
        em_buf_puts(b, "<br/><b>");
        label_html(b, em_tr("重要資産", "Critical asset"));
        em_buf_puts(b, "</b>");
        lines++;
        set(n, "style", "rounded,filled,bold");
        set(n, "fillcolor", EMR_FILL);
        set(n, "penwidth", "2");
        gb->marks |= MK_ASSET;
    } else {
        set(n, "style", "rounded");
    }
    set_html(n, em_buf_cstr(b));
    tip_field(t, "システム名", "System", s->name);
    if (s->n_terminals) {
        em_buf_printf(t, em_tr("\n端末 %zu台:", "\n%zu terminals:"), s->n_terminals);
        for (size_t i = 0; i < s->n_terminals && i < 20; i++) {
            const struct em_terminal *te = &gb->m->terminals[s->terminals[i]];
            em_buf_puts(t, "\n  ");
            add_plain(t, te->name);
            if (!blank(te->os)) { em_buf_puts(t, " / "); add_plain(t, te->os); }
        }
        if (s->n_terminals > 20) em_buf_printf(t, em_tr("\n  ほか%zu台", "\n  and %zu more"), s->n_terminals - 20);
    }
    set(n, "tooltip", em_buf_cstr(t));
    grid_place(gb, n, 5, NULL, lines);
    copy_to_bands(gb, n, s->id, false);
}

static Agnode_t *add_emr(struct gb *gb, int band)
{
    const char *id = band_id(gb, "emr", band);
    Agnode_t *n = mknode(band_home(gb, band), id);
    if (!n) return NULL;
    struct em_buf *b = &gb->tmp;
    b->len = 0;
    em_buf_add(b, "", 0);
    em_buf_puts(b, "<b>");
    label_html(b, em_tr("電子カルテ系", "EMR system"));
    em_buf_puts(b, "</b><br/>");
    label_html(b, em_tr("重要資産", "Critical asset"));
    set_html(n, em_buf_cstr(b));
    set(n, "shape", "box3d");
    set(n, "style", "filled,bold");
    set(n, "fillcolor", EMR_FILL);
    set(n, "penwidth", "2");
    set(n, "tooltip", em_tr("電子カルテ系（重要資産）", "EMR system (critical asset)"));
    gb->marks |= MK_ASSET;
    grid_place(gb, n, 6, NULL, 2);
    return n;
}

static bool is_outside_id(const struct em_model *m, const char *id, enum em_node_kind *kind)
{
    for (size_t i = 0; i < m->n_outside; i++)
        if (strcmp(m->outside[i].id, id) == 0) {
            if (kind) *kind = m->outside[i].kind;
            return true;
        }
    return false;
}

static const char *rep_of(const struct gb *gb, const char *id);

/* Which nodes are copied per band: outside networks (not parties), segments, 電子カルテ系. */
static bool copied(const struct gb *gb, const char *id)
{
    enum em_node_kind k;
    if (is_outside_id(gb->m, id, &k)) return k != EM_NODE_PARTY;
    if (strcmp(id, "emr") == 0) return true;
    for (size_t i = 0; i < gb->m->n_segments; i++)
        if (strcmp(gb->m->segments[i].id, id) == 0) return true;
    return false;
}

static void add_edge_in(struct gb *gb, const struct em_edge *e, int band);

static void add_edge(struct gb *gb, const struct em_edge *e)
{
    if (gb->n_bands <= 1) {
        add_edge_in(gb, e, 0);
        return;
    }
    /* a line's or device's edge is drawn in its band (a copied node's copy there);
     * between two copied nodes (party→network, segment→EMR), in every band both are in */
    unsigned bands;
    bool cf = copied(gb, e->from), ct = copied(gb, e->to);
    if (!cf) bands = 1u << first_band(band_mask(gb, e->from));
    else if (!ct) bands = 1u << first_band(band_mask(gb, e->to));
    else bands = band_mask(gb, e->from) & band_mask(gb, e->to);
    for (int b = 0; b < gb->n_bands; b++)
        if (bands & (1u << b)) add_edge_in(gb, e, b);
}

static void add_edge_in(struct gb *gb, const struct em_edge *e, int band)
{
    const char *from = rep_of(gb, e->from), *to = rep_of(gb, e->to);
    if (strcmp(from, to) == 0) return;          /* inside one aggregate */
    if (gb->n_bands > 1) {
        from = band_id(gb, from, band);
        to = band_id(gb, to, band);
    }
    Agnode_t *t = agnode(gb->g, (char *)from, 0);
    Agnode_t *h = agnode(gb->g, (char *)to, 0);
    if (!h && strcmp(e->to, "emr") == 0) h = add_emr(gb, band);
    if (!t || !h) return;
    if (agedge(gb->g, t, h, NULL, 0)) return;   /* drawn once */
    Agedge_t *ed = agedge(gb->g, t, h, NULL, 1);
    if (!ed) return;
    if (from == e->from && to == e->to) {
        set(ed, "id", e->id);
    } else {
        char id[600];
        snprintf(id, sizeof id, "e-%s--%s", from, to);
        set(ed, "id", id);
    }
    enum em_node_kind fk = EM_NODE_LINE;
    bool from_out = is_outside_id(gb->m, e->from, &fk);
    if (e->emr_unknown) {
        set(ed, "style", "dotted");
        set(ed, "penwidth", "1.5");
        /* the text is on the segment (add_segment): an edge label would make dot
         * double every rank (minlen 2), an xlabel overhangs 電子カルテ系 */
        gb->marks |= MK_UNKNOWN;
    } else if (e->out_of_scope) {
        set(ed, "style", "dashed");
        set(ed, "color", GREY);
        set(ed, "fontcolor", GREY_TEXT);
        gb->marks |= MK_OUT;
    } else if (e->discovered) {
        set(ed, "color", ORANGE);
        set(ed, "penwidth", "3");
        set(ed, "style", "bold");
        set(ed, "xlabel", em_tr("未申告", "undeclared"));
        set(ed, "fontcolor", ORANGE);
        gb->marks |= MK_UNDECLARED;
    } else if (from_out && fk == EM_NODE_PARTY) {
        set(ed, "style", "dashed");
        set(ed, "arrowhead", "none");
        /* the party stands beside its network, in the same column: a column of
         * parties would cost each band its width (unless the parties outnumber the
         * lines, see plan_party_column) */
        if (gb->o->mode != EM_GRAPH_GRID && !gb->party_column) set(ed, "constraint", "false");
    } else if (from_out && fk == EM_NODE_NET_INTERNET) {
        set(ed, "color", RED);
        set(ed, "penwidth", "2");
    }
    struct em_buf *b = &gb->tip;
    b->len = 0;
    em_buf_add(b, "", 0);
    const char *fl = g_hash_table_lookup(gb->labels, e->from), *tl = g_hash_table_lookup(gb->labels, e->to);
    if (!tl && strcmp(e->to, "emr") == 0) tl = em_tr("電子カルテ系", "EMR system");
    add_plain(b, fl ? fl : e->from);
    em_buf_puts(b, " → ");
    add_plain(b, tl ? tl : e->to);
    if (e->n_rows) {
        em_buf_puts(b, em_tr("\n行 ", "\nrows "));
        for (size_t i = 0; i < e->n_rows && i < 50; i++)
            em_buf_printf(b, "%s%d", i ? ", " : "", e->rows[i]);
    }
    set(ed, "tooltip", em_buf_cstr(b));
}

/* ---------------------------------------------------------------- big maps */

/* Above this many lines the diagram groups lines that read alike (same outside
 * network, carrier, service, scope and contract holder) into one node "回線 ×k", and
 * the devices only those lines use into one node per slot, so the page stays
 * printable. Below it every line is drawn. */
#define EM_GROUP_LINES 60

#define EM_GROUP_MAX_NODES 24

struct grp {
    char *id;                 /* "grp-<first line id>" */
    size_t *lines; size_t n;  /* indices into model->lines */
    int level;                /* 0: one carrier+service; 1: mixed services; 2: mixed networks */
};

static bool is_hospital_holder(const struct em_model *m, const char *h)
{
    static const char *const self[] = {"病院", "クリニック", "医院", "診療所", "当院", "自院"};
    if (blank(h)) return true;
    for (size_t i = 0; i < sizeof self / sizeof self[0]; i++)
        if (strcmp(h, self[i]) == 0) return true;
    return !blank(m->site.name) && strcmp(h, m->site.name) == 0;
}

static bool line_in_scope(const struct em_model *m, const struct em_line *l)
{
    for (size_t i = 0; i < l->n_paths; i++)
        if (m->paths[l->paths[i]].scan == EM_SCAN_IN) return true;
    return false;
}

static const char *rep_of(const struct gb *gb, const char *id)
{
    const char *r = gb->rep ? g_hash_table_lookup(gb->rep, id) : NULL;
    return r ? r : id;
}

static void free_groups(struct gb *gb)
{
    for (size_t i = 0; i < gb->n_groups; i++) {
        g_free(gb->groups[i].id);
        g_free(gb->groups[i].lines);
    }
    g_free(gb->groups);
    gb->groups = NULL;
    gb->n_groups = 0;
    if (gb->rep) g_hash_table_destroy(gb->rep);
    gb->rep = NULL;
}

static void plan_groups(struct gb *gb)
{
    const struct em_model *m = gb->m;
    /* EDGEMAP_GROUP_LINES overrides the threshold (0: never group), for benchmarks
     * and for users who want every line drawn whatever the size */
    size_t threshold = EM_GROUP_LINES;
    const char *env = getenv("EDGEMAP_GROUP_LINES");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 1000000) threshold = v == 0 ? (size_t)-1 : (size_t)v;
    }
    if (m->n_lines <= threshold) return;
    GHashTable *line_of = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < m->n_lines; i++) g_hash_table_insert(line_of, (gpointer)m->lines[i].id, GSIZE_TO_POINTER(i + 1));
    GString **srcs = g_new0(GString *, m->n_lines);
    for (size_t e = 0; e < m->n_edges; e++) {
        gpointer v = g_hash_table_lookup(line_of, m->edges[e].to);
        if (!v || !is_outside_id(m, m->edges[e].from, NULL)) continue;
        size_t li = GPOINTER_TO_SIZE(v) - 1;
        if (!srcs[li]) srcs[li] = g_string_new(NULL);
        g_string_append(srcs[li], m->edges[e].from);
        g_string_append_c(srcs[li], ' ');
    }
    /* coarser keys until the lines fit: carrier and service, then only the outside
     * networks and the scope, then only the kind of outside network and the scope */
    size_t *gi = g_new(size_t, m->n_lines);
    for (int level = 0; level < 3; level++) {
        free_groups(gb);
        GHashTable *bykey = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t i = 0; i < m->n_lines; i++) {
            const struct em_line *l = &m->lines[i];
            const char *src = srcs[i] ? srcs[i]->str : "";
            char *key;
            if (level == 0)
                key = g_strdup_printf("%s|%s|%s|%d|%s", src, l->carrier ? l->carrier : "", l->service ? l->service : "",
                                      line_in_scope(m, l), is_hospital_holder(m, l->contract_holder) ? "" : l->contract_holder);
            else if (level == 1)
                key = g_strdup_printf("%s|%d|%s", src, line_in_scope(m, l),
                                      is_hospital_holder(m, l->contract_holder) ? "" : l->contract_holder);
            else
                key = g_strdup_printf("%.8s|%d", src, line_in_scope(m, l));
            gpointer v = g_hash_table_lookup(bykey, key);
            if (v) {
                gi[i] = GPOINTER_TO_SIZE(v) - 1;
                g_free(key);
            } else {
                gi[i] = gb->n_groups;
                gb->groups = g_renew(struct grp, gb->groups, gb->n_groups + 1);
                gb->groups[gb->n_groups] = (struct grp){g_strdup_printf("grp-%s", l->id), NULL, 0, level};
                g_hash_table_insert(bykey, key, GSIZE_TO_POINTER(++gb->n_groups));
            }
            struct grp *g = &gb->groups[gi[i]];
            g->lines = g_renew(size_t, g->lines, g->n + 1);
            g->lines[g->n++] = i;
        }
        g_hash_table_destroy(bykey);
        if (gb->n_groups <= EM_GROUP_MAX_NODES) break;
    }
    gb->rep = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
    for (size_t i = 0; i < m->n_lines; i++)
        if (gb->groups[gi[i]].n >= 2) g_hash_table_insert(gb->rep, (gpointer)m->lines[i].id, gb->groups[gi[i]].id);
    /* a device joins its group's aggregate only when no line outside the group uses it */
    long *dg = g_new(long, m->n_devices ? m->n_devices : 1);
    for (size_t d = 0; d < m->n_devices; d++) dg[d] = -1;
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *l = &m->lines[i];
        long k = gb->groups[gi[i]].n >= 2 ? (long)gi[i] : -2;
        for (size_t j = 0; j < l->n_devices; j++) {
            size_t d = l->devices[j];
            if (d >= m->n_devices) continue;
            dg[d] = dg[d] == -1 ? k : (dg[d] == k ? k : -2);
        }
    }
    for (size_t d = 0; d < m->n_devices; d++) {
        if (dg[d] < 0) continue;
        const struct em_device *dv = &m->devices[d];
        /* the aggregate node's id is the group's id plus the slot; its string lives
         * in the model pool so the table can point at it */
        const char *id = em_pool_printf(m->pool, "%s-s%d", gb->groups[dg[d]].id, dv->slot == 2 ? 2 : 1);
        if (id) g_hash_table_insert(gb->rep, (gpointer)dv->id, (gpointer)id);
    }
    /* devices still drawn one by one: when a column holds too many, those of one
     * type and model become one node */
    for (int slot = 1; slot <= 2; slot++) {
        GHashTable *drawn = g_hash_table_new(g_str_hash, g_str_equal);
        for (size_t d = 0; d < m->n_devices; d++)
            if ((m->devices[d].slot == 2 ? 2 : 1) == slot) g_hash_table_add(drawn, (gpointer)rep_of(gb, m->devices[d].id));
        guint nd = g_hash_table_size(drawn);
        g_hash_table_destroy(drawn);
        if (nd <= EM_GROUP_MAX_NODES) continue;
        for (size_t d = 0; d < m->n_devices; d++) {
            const struct em_device *dv = &m->devices[d];
            if ((dv->slot == 2 ? 2 : 1) != slot) continue;
            const char *id = em_pool_printf(m->pool, "dagg-s%d-%d-%s", slot, (int)dv->type,
                                            blank(dv->model) ? "-" : dv->model);
            if (id) g_hash_table_insert(gb->rep, (gpointer)dv->id, (gpointer)id);
        }
    }
    /* an aggregate of one device is just that device */
    GHashTable *cnt = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t d = 0; d < m->n_devices; d++) {
        const char *r = g_hash_table_lookup(gb->rep, m->devices[d].id);
        if (r) g_hash_table_insert(cnt, (gpointer)r, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(cnt, r)) + 1));
    }
    for (size_t d = 0; d < m->n_devices; d++) {
        const char *r = g_hash_table_lookup(gb->rep, m->devices[d].id);
        if (r && GPOINTER_TO_SIZE(g_hash_table_lookup(cnt, r)) < 2) g_hash_table_remove(gb->rep, m->devices[d].id);
    }
    g_hash_table_destroy(cnt);
    g_free(dg);
    g_free(gi);
    for (size_t i = 0; i < m->n_lines; i++)
        if (srcs[i]) g_string_free(srcs[i], TRUE);
    g_free(srcs);
    g_hash_table_destroy(line_of);
}

/* Up to this many text rows (line_rows(), summed: about 30 lines) the chains form one
 * column of rows; above it (and up to the grouping threshold) they are split into two
 * bands drawn side by side, each with its own copy of the outside networks, segments and
 * 電子カルテ系 it needs: A3 landscape is wide and rankdir=LR stacks lines vertically, so
 * one band of 60 lines would print at 4 pt. Two bands are about 1,950 pt wide (≈ 6.9 pt
 * text on A3); one band is better while its height stays under about 115 rows. */
#define EM_BAND_ROWS 115

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* About how many text rows a line's row of the diagram needs: its own label or its
 * device ①'s, whichever is taller, plus the gap (see add_line, add_device). */
static size_t line_rows(const struct gb *gb, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    size_t rows = 1 + !line_in_scope(m, l) + !is_hospital_holder(m, l->contract_holder);
    if (!blank(l->carrier) && !blank(l->service) && g_utf8_strlen(l->carrier, -1) + g_utf8_strlen(l->service, -1) > 16)
        rows++;
    for (size_t j = 0; j < l->n_devices; j++) {
        size_t d = l->devices[j];
        if (d >= m->n_devices || m->devices[d].slot == 2) continue;
        const struct em_device *dv = &m->devices[d];
        size_t r = 1 + (gb->tgt_head && gb->tgt_head[d] != EM_NONE) + (dv->n_cves > 2 ? 2 : dv->n_cves)
                   + (dv->rental == EM_TRI_YES);
        if (r > rows) rows = r;
    }
    return rows + 1;
}

/* Lines that share a device stay in one band (a device is drawn once); the groups of
 * lines so formed go, tallest first, to the band with the fewest text rows so far. */
static void plan_bands(struct gb *gb)
{
    const struct em_model *m = gb->m;
    gb->n_bands = 1;
    if (gb->rep || gb->o->mode == EM_GRAPH_GRID) return;
    size_t nl = m->n_lines, rows = 0;
    for (size_t i = 0; i < nl; i++) rows += line_rows(gb, &m->lines[i]);
    /* EDGEMAP_BAND_ROWS overrides the threshold (0: never split), for measurements */
    size_t threshold = EM_BAND_ROWS;
    const char *env = getenv("EDGEMAP_BAND_ROWS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 1000000) threshold = v == 0 ? (size_t)-1 : (size_t)v;
    }
    if (rows <= threshold || nl < 2) return;
    int nb = rows > 4 * threshold ? 3 : 2;
    size_t *parent = g_new(size_t, nl), *size = g_new0(size_t, nl);
    size_t *first = g_new(size_t, m->n_devices ? m->n_devices : 1);
    for (size_t i = 0; i < nl; i++) parent[i] = i;
    for (size_t d = 0; d < m->n_devices; d++) first[d] = EM_NONE;
    for (size_t i = 0; i < nl; i++) {
        const struct em_line *l = &m->lines[i];
        for (size_t j = 0; j < l->n_devices; j++) {
            size_t d = l->devices[j];
            if (d >= m->n_devices) continue;
            if (first[d] == EM_NONE) first[d] = i;
            else parent[uf_find(parent, i)] = uf_find(parent, first[d]);
        }
    }
    for (size_t i = 0; i < nl; i++) size[uf_find(parent, i)] += line_rows(gb, &m->lines[i]);
    /* roots, largest first (ties: first line first) */
    size_t *roots = g_new(size_t, nl), nr = 0;
    for (size_t i = 0; i < nl; i++)
        if (parent[i] == i) roots[nr++] = i;
    for (size_t a = 1; a < nr; a++)
        for (size_t b = a; b > 0 && size[roots[b]] > size[roots[b - 1]]; b--) {
            size_t x = roots[b]; roots[b] = roots[b - 1]; roots[b - 1] = x;
        }
    int *band = g_new(int, nl);
    size_t load[EM_BANDS_MAX] = {0};
    for (size_t k = 0; k < nr; k++) {
        int best = 0;
        for (int b = 1; b < nb; b++)
            if (load[b] < load[best]) best = b;
        load[best] += size[roots[k]];
        band[roots[k]] = best;
    }
    gb->band_of = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *bo = gb->band_of;
#define OR_MASK(id, mk) g_hash_table_insert(bo, (gpointer)(id), GUINT_TO_POINTER(band_mask(gb, (id)) | (mk)))
    for (size_t i = 0; i < nl; i++) {
        unsigned mk = 1u << band[uf_find(parent, i)];
        const struct em_line *l = &m->lines[i];
        OR_MASK(l->id, mk);
        for (size_t j = 0; j < l->n_devices; j++)
            if (l->devices[j] < m->n_devices) OR_MASK(m->devices[l->devices[j]].id, mk);
    }
    /* along the chain: a line's band reaches its devices, segments and 電子カルテ系, and
     * back to the outside networks it comes from */
    for (int pass = 0; pass < 8; pass++) {
        bool changed = false;
        for (size_t i = 0; i < m->n_edges; i++) {
            const struct em_edge *e = &m->edges[i];
            enum em_node_kind k;
            unsigned mf = band_mask(gb, e->from), mt = band_mask(gb, e->to);
            if (is_outside_id(m, e->from, &k)) {
                if (k == EM_NODE_PARTY || (mf | mt) == mf) continue;
                OR_MASK(e->from, mt);
                changed = true;
            } else if (mf && (mf | mt) != mt) {
                OR_MASK(e->to, mf);
                changed = true;
            }
        }
        if (!changed) break;
    }
    /* a remote party is drawn once, in the band of the first line that names it */
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *o = &m->outside[i];
        if (o->kind != EM_NODE_PARTY) continue;
        int b = -1;
        for (size_t p = 0; p < m->n_paths && b < 0; p++)
            if (!blank(o->name) && !blank(m->paths[p].remote_party) && strcmp(m->paths[p].remote_party, o->name) == 0
                && m->paths[p].line < nl)
                b = band[uf_find(parent, m->paths[p].line)];
        for (size_t e = 0; e < m->n_edges && b < 0; e++)
            if (strcmp(m->edges[e].from, o->id) == 0 && band_mask(gb, m->edges[e].to))
                b = first_band(band_mask(gb, m->edges[e].to));
        if (b < 0) b = 0;
        g_hash_table_insert(bo, (gpointer)o->id, GUINT_TO_POINTER(1u << b));
        for (size_t e = 0; e < m->n_edges; e++)
            if (strcmp(m->edges[e].from, o->id) == 0) OR_MASK(m->edges[e].to, 1u << b);
    }
#undef OR_MASK
    gb->n_bands = nb;
    g_free(band);
    g_free(roots);
    g_free(first);
    g_free(size);
    g_free(parent);
}

/* Parties beside their networks (one column) unless that column would be taller than
 * the lines' (many vendors on few lines): then they get a column of their own. A party
 * is about 3 text rows high with its gap, a network 4, a line line_rows(). */
static void plan_party_column(struct gb *gb)
{
    const struct em_model *m = gb->m;
    size_t outside = 0, rows = 0;
    for (size_t i = 0; i < m->n_outside; i++) outside += m->outside[i].kind == EM_NODE_PARTY ? 3 : 4;
    for (size_t i = 0; i < m->n_lines; i++) rows += line_rows(gb, &m->lines[i]);
    gb->party_column = gb->n_bands <= 1 && outside * 5 > rows * 2;   /* bands: width is dear */
}

/* Band b starts right of band b-1: invisible edges from b-1's segments and 電子カルテ系
 * to b's outside networks and parties (or its lines when it has none). */
/* One column each of outside networks and parties, lines, devices ① and segments, per
 * band: left alone, dot lets a short chain float right (a network next to its lines, a
 * device ① in the segments' column) and the band gets wider. Anonymous subgraphs: cgraph numbers them in creation order, so agwrite's
 * output stays stable (a named one would be ordered by a heap address). */
static void align_columns(struct gb *gb)
{
    const struct em_model *m = gb->m;
    if (gb->o->mode == EM_GRAPH_GRID) return;
    int nb = gb->n_bands > 1 ? gb->n_bands : 1;
    for (int b = 0; b < nb; b++) {
        /* outside, lines, devices ①, segments */
        for (int col = 0; col < 4; col++) {
            Agraph_t *sg = NULL;
            size_t n = col == 0 ? m->n_outside : col == 1 ? m->n_lines : col == 2 ? m->n_devices : m->n_segments;
            for (size_t i = 0; i < n; i++) {
                if (col == 2 && m->devices[i].slot == 2) continue;
                /* the 電子カルテ segment is 電子カルテ系 itself: a column of its own */
                if (col == 3 && strcmp(m->segments[i].id, "emr") == 0) continue;
                if (col == 0 && gb->party_column && m->outside[i].kind == EM_NODE_PARTY) continue;
                const char *id = col == 0 ? m->outside[i].id : col == 1 ? rep_of(gb, m->lines[i].id)
                               : col == 2 ? rep_of(gb, m->devices[i].id) : m->segments[i].id;
                if (nb > 1 && !(band_mask(gb, id) & (1u << b))) continue;
                Agnode_t *nd = agnode(gb->g, (char *)(nb > 1 ? band_id(gb, id, b) : id), 0);
                if (!nd) continue;
                if (!sg) {
                    sg = agsubg(gb->g, NULL, 1);
                    if (!sg) { set_failures++; break; }
                    set(sg, "rank", "same");
                }
                if (!agsubnode(sg, nd, 1)) set_failures++;
            }
        }
    }
}

static void order_bands(struct gb *gb)
{
    const struct em_model *m = gb->m;
    for (int b = 1; b < gb->n_bands; b++) {
        GPtrArray *tails = g_ptr_array_new(), *heads = g_ptr_array_new();
        unsigned prev = 1u << (b - 1), cur = 1u << b;
        /* 電子カルテ系, the last column (segments are one column before it: an edge
         * from them would need a dummy node in 電子カルテ系's column per head), or the
         * segments when there is no 電子カルテ系 */
        Agnode_t *emr = agnode(gb->g, (char *)band_id(gb, "emr", b - 1), 0);
        if (emr) g_ptr_array_add(tails, emr);
        for (size_t i = 0; !emr && i < m->n_segments; i++)
            if (band_mask(gb, m->segments[i].id) & prev) {
                Agnode_t *n = agnode(gb->g, (char *)band_id(gb, m->segments[i].id, b - 1), 0);
                if (n) g_ptr_array_add(tails, n);
            }
        /* networks first, then parties */
        guint n_nets = 0;
        for (int party = 0; party < 2; party++)
            for (size_t i = 0; i < m->n_outside; i++)
                if ((band_mask(gb, m->outside[i].id) & cur) && (m->outside[i].kind == EM_NODE_PARTY) == party) {
                    Agnode_t *n = agnode(gb->g, (char *)band_id(gb, m->outside[i].id, b), 0);
                    if (n) g_ptr_array_add(heads, n);
                    if (n && !party) n_nets++;
                }
        if (!heads->len)
            for (size_t i = 0; i < m->n_lines; i++)
                if (band_mask(gb, m->lines[i].id) & cur) {
                    Agnode_t *n = agnode(gb->g, (char *)m->lines[i].id, 0);
                    if (n) g_ptr_array_add(heads, n);
                }
        /* the network with the most lines is the one that sits mid-band */
        guint big = 0;
        for (guint h = 1; h < n_nets; h++)
            if (agdegree(gb->g, heads->pdata[h], 0, 1) > agdegree(gb->g, heads->pdata[big], 0, 1)) big = h;
        for (guint t = 0; t < tails->len; t++)
            for (guint h = 0; h < heads->len; h++) {
                Agedge_t *e = agedge(gb->g, tails->pdata[t], heads->pdata[h], NULL, 1);
                if (!e) { set_failures++; continue; }
                set(e, "style", "invis");
                /* band b-1's 電子カルテ系 pulls band b's biggest network level with it
                 * (both sit mid-band): the bands' middles line up */
                set(e, "weight", h == big && n_nets ? "1" : "0");
            }
        g_ptr_array_free(tails, TRUE);
        g_ptr_array_free(heads, TRUE);
    }
}

/* One node for a group of lines: how many, their Nos, carrier, service, scope. */
static void add_line_group(struct gb *gb, const struct grp *gr)
{
    const struct em_model *m = gb->m;
    const struct em_line *l0 = &m->lines[gr->lines[0]];
    Agnode_t *n = mknode(gb->hosp, gr->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    em_buf_printf(b, em_tr("<b>回線 ×%zu</b>", "<b>Lines ×%zu</b>"), gr->n);
    if (gr->level == 0) {
        if (!blank(l0->carrier)) { em_buf_puts(b, NBSP); label_html(b, l0->carrier); }
        if (!blank(l0->service)) { em_buf_puts(b, " "); label_html(b, l0->service); }
    } else {
        em_buf_puts(b, NBSP);
        label_html(b, em_tr("（事業者・サービス混在）", "(mixed carriers/services)"));
    }
    em_buf_puts(b, "<br/>No ");
    for (size_t i = 0; i < gr->n && i < 8; i++) {
        if (i) em_buf_puts(b, ", ");
        label_html(b, m->lines[gr->lines[i]].line_no);
    }
    if (gr->n > 8) em_buf_printf(b, em_tr(" ほか%zu回線", " and %zu more"), gr->n - 8);
    bool in = line_in_scope(m, l0);
    unsigned reasons = 0;
    if (!in)
        for (size_t i = 0; i < gr->n; i++) {
            const struct em_line *l = &m->lines[gr->lines[i]];
            for (size_t k = 0; k < l->n_paths; k++) reasons |= 1u << m->paths[l->paths[k]].scan;
        }
    mark_scope(gb, n, b, !in, reasons);
    mark_contract(gb, b, l0->contract_holder);
    set(n, "peripheries", "2");   /* a stack of lines */
    set_html(n, em_buf_cstr(b));
    grid_place(gb, n, 2, NULL, 3);
    em_buf_printf(t, em_tr("%zu回線をまとめて表示:", "%zu lines drawn as one:"), gr->n);
    for (size_t i = 0; i < gr->n && i < 100; i++) {
        const struct em_line *l = &m->lines[gr->lines[i]];
        em_buf_puts(t, em_tr("\n回線", "\nline "));
        add_plain(t, l->line_no);
        if (!blank(l->ctu_location)) { em_buf_puts(t, " "); add_plain(t, l->ctu_location); }
        if (l->n_paths) em_buf_printf(t, em_tr(" (行 %d)", " (row %d)"), m->paths[l->paths[0]].src.row);
    }
    if (gr->n > 100) em_buf_printf(t, em_tr("\nほか%zu回線", "\nand %zu more"), gr->n - 100);
    set(n, "tooltip", em_buf_cstr(t));
}

/* One node for the devices of one slot that only a group's lines use. */
static void add_device_group(struct gb *gb, const char *id, const size_t *devs, size_t nd)
{
    const struct em_model *m = gb->m;
    Agnode_t *n = mknode(gb->hosp, id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    size_t targets = 0, cves = 0, rental = 0;
    enum em_dev_type type = nd ? m->devices[devs[0]].type : EM_DEV_UNSET;
    bool same_type = true;
    for (size_t i = 0; i < nd; i++) {
        const struct em_device *d = &m->devices[devs[i]];
        if (d->type != type) same_type = false;
        if (gb->tgt_head && gb->tgt_head[devs[i]] != EM_NONE) targets++;
        if (d->n_cves) cves++;
        if (d->rental == EM_TRI_YES) rental++;
        if (i < 60) {
            if (t->len) em_buf_puts(t, "\n");
            add_plain(t, d->maker); em_buf_puts(t, " "); add_plain(t, d->model); em_buf_puts(t, " ");
            add_plain(t, d->firmware);
            if (!blank(d->hostname)) { em_buf_puts(t, " / "); add_plain(t, d->hostname); }
            for (size_t c = 0; c < d->n_cves; c++) { em_buf_puts(t, " "); add_plain(t, d->cves[c]); }
        }
    }
    if (nd > 60) em_buf_printf(t, em_tr("\nほか%zu台", "\nand %zu more"), nd - 60);
    bool same_model = nd > 0;
    for (size_t i = 1; i < nd; i++)
        if (strcmp(m->devices[devs[i]].model ? m->devices[devs[i]].model : "", m->devices[devs[0]].model ? m->devices[devs[0]].model : "") != 0)
            same_model = false;
    em_buf_puts(b, "<b>");
    if (same_model && !blank(m->devices[devs[0]].model)) {
        label_html(b, m->devices[devs[0]].model);
        em_buf_printf(b, " ×%zu</b><br/>", nd);
        label_html(b, same_type && type != EM_DEV_UNSET ? em_dev_type_label(type) : em_tr("装置", "Devices"));
    } else {
        label_html(b, same_type && type != EM_DEV_UNSET ? em_dev_type_label(type) : em_tr("装置", "Devices"));
        em_buf_printf(b, " ×%zu</b>", nd);
    }
    if (rental) {
        em_buf_printf(b, em_tr("<br/>（レンタル ×%zu）", "<br/>(rental ×%zu)"), rental);
        gb->marks |= MK_RENTAL;
    }
    if (targets) {
        em_buf_printf(b, em_tr("<br/><font color=\"" RED "\"><b>診断対象</b>&#160;×%zu（診断対象一覧を参照）</font>",
                               "<br/><font color=\"" RED "\"><b>Scan target</b>&#160;×%zu (see the target list)</font>"), targets);
        set(n, "color", RED);
        set(n, "penwidth", "3");
        gb->marks |= MK_TARGET;
    }
    if (cves) {
        em_buf_printf(b, em_tr("<br/><font color=\"" RED "\"><b>CVE該当 ×%zu台</b></font>", "<br/><font color=\"" RED "\"><b>CVE on %zu</b></font>"), cves);
        gb->marks |= MK_CVE;
    }
    set(n, "style", "rounded");
    set(n, "peripheries", targets ? "1" : "2");
    grid_place(gb, n, (strncmp(id, "dagg-s2", 7) == 0 || (strncmp(id, "grp-", 4) == 0 && id[strlen(id) - 1] == '2')) ? 4 : 3, NULL, 3);
    set_html(n, em_buf_cstr(b));
    set(n, "tooltip", em_buf_cstr(t));
}

static void add_groups(struct gb *gb)
{
    const struct em_model *m = gb->m;
    for (size_t k = 0; k < gb->n_groups; k++)
        if (gb->groups[k].n >= 2) add_line_group(gb, &gb->groups[k]);
    /* device aggregates, in the order of their first device */
    GHashTable *members = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
    GPtrArray *order = g_ptr_array_new();
    for (size_t d = 0; d < m->n_devices; d++) {
        const char *r = g_hash_table_lookup(gb->rep, m->devices[d].id);
        if (!r) continue;
        GArray *a = g_hash_table_lookup(members, r);
        if (!a) {
            a = g_array_new(FALSE, FALSE, sizeof(size_t));
            g_hash_table_insert(members, (gpointer)r, a);
            g_ptr_array_add(order, (gpointer)r);
        }
        g_array_append_val(a, d);
    }
    for (guint i = 0; i < order->len; i++) {
        const char *id = g_ptr_array_index(order, i);
        GArray *a = g_hash_table_lookup(members, id);
        add_device_group(gb, id, (const size_t *)(void *)a->data, a->len);
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(members);
}

/* Legend entries two (three beside bands, which are wide) to a row: a wide, short
 * legend beside the title costs the page less height than a column of its own costs
 * width. */
static int legend_n, legend_per_row = 2;
#define LEGEND_PER_ROW legend_per_row

static void legend_row(struct em_buf *b, const char *sample, const char *text)
{
    if (legend_n % LEGEND_PER_ROW == 0) em_buf_puts(b, "<tr>");
    em_buf_puts(b, "<td>");
    em_buf_puts(b, sample);
    em_buf_puts(b, "</td><td align=\"left\">");
    label_html(b, text);
    em_buf_puts(b, "</td>");
    if (++legend_n % LEGEND_PER_ROW == 0) em_buf_puts(b, "</tr>");
}

/* The legend (凡例): only the marks this diagram uses; each sample is text in the
 * style of the mark, so it reads in black and white. */
static void add_legend(struct gb *gb, struct em_buf *out)
{
    if (!gb->marks) return;
    struct em_buf b = {0};
    legend_n = 0;
    legend_per_row = gb->n_bands > 1 ? 3 : 2;
    /* every mark bit has one entry; the title 凡例 is a cell left of the rows */
    int entries = 0;
    for (unsigned mk = gb->marks; mk; mk &= mk - 1) entries++;
    em_buf_printf(&b, "<table id=\"legend\" border=\"1\" cellborder=\"0\" cellspacing=\"1\" cellpadding=\"2\" style=\"rounded\">"
                      "<tr><td rowspan=\"%d\" valign=\"top\"><b>", (entries + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW + 1);
    label_html(&b, em_tr("凡例", "Legend"));
    em_buf_puts(&b, "</b></td></tr>");
    struct em_buf s = {0};
    if (gb->marks & MK_TARGET) {
        em_buf_puts(&s, "<table border=\"3\" color=\"" RED "\" cellborder=\"0\" style=\"rounded\"><tr><td><font color=\"" RED "\"><b>");
        label_html(&s, em_tr("診断対象", "Scan target"));
        em_buf_puts(&s, "</b></font></td></tr></table>");
        legend_row(&b, em_buf_cstr(&s), em_tr("診断対象（インターネットから到達可能な外部接続点）+ グローバルIP / FQDN",
                                             "scan target (reachable from the Internet) + global IP / FQDN"));
        s.len = 0;
    }
    if (gb->marks & MK_DYNAMIC) {
        em_buf_puts(&s, "<font color=\"" RED "\">");
        label_html(&s, em_tr("動的IP(当日確認)", "dynamic IP"));
        em_buf_puts(&s, "</font>");
        legend_row(&b, em_buf_cstr(&s), em_tr("動的IP: 診断当日にアドレスを確認", "dynamic IP: confirm the address on the day"));
        s.len = 0;
    }
    if (gb->marks & MK_OUT) {
        em_buf_puts(&s, "<font color=\"" GREY_TEXT "\">- - - - -</font>");
        legend_row(&b, em_buf_cstr(&s), em_tr("診断対象外（閉域網・電話回線・グローバルIPなし）：灰色・破線",
                                             "out of scan scope (closed network, phone, no global IP): grey, dashed"));
        s.len = 0;
    }
    if (gb->marks & MK_ASSET) {
        em_buf_puts(&s, "<table border=\"2\" cellborder=\"0\" bgcolor=\"" EMR_FILL "\"><tr><td><b>");
        label_html(&s, em_tr("重要資産", "Critical asset"));
        em_buf_puts(&s, "</b></td></tr></table>");
        legend_row(&b, em_buf_cstr(&s), em_tr("重要資産（電子カルテ系）", "critical asset (EMR)"));
        s.len = 0;
    }
    if (gb->marks & MK_UNKNOWN) {
        em_buf_puts(&s, "· · · · ·");
        legend_row(&b, em_buf_cstr(&s), em_tr("接続不明（要確認）：点線", "link unknown (to confirm): dotted"));
        s.len = 0;
    }
    if (gb->marks & MK_MAINT) {
        label_html(&s, em_tr("保守回線", "Maintenance"));
        legend_row(&b, em_buf_cstr(&s), em_tr("保守回線（業者名を接続先に表示）", "vendor remote-maintenance line (vendor on the party)"));
        s.len = 0;
    }
    if (gb->marks & MK_CONTRACT) {
        em_buf_puts(&s, "<i>");
        label_html(&s, em_tr("契約者:", "Contract holder:"));
        em_buf_puts(&s, "</i>");
        legend_row(&b, em_buf_cstr(&s), em_tr("病院以外が契約している回線", "line not contracted by the hospital"));
        s.len = 0;
    }
    if (gb->marks & MK_CVE) {
        em_buf_puts(&s, "<font color=\"" RED "\"><b>CVE</b></font>");
        legend_row(&b, em_buf_cstr(&s), em_tr("既知の脆弱性があるファームウェア", "firmware with known vulnerabilities"));
        s.len = 0;
    }
    if (gb->marks & MK_RENTAL) {
        label_html(&s, em_tr("（レンタル）", "(rental)"));
        legend_row(&b, em_buf_cstr(&s), em_tr("レンタル装置", "rental device"));
        s.len = 0;
    }
    if (gb->marks & MK_UNDECLARED) {
        em_buf_puts(&s, "<font color=\"" ORANGE "\"><b>");
        label_html(&s, em_tr("未申告", "Undeclared"));
        em_buf_puts(&s, "</b></font>");
        legend_row(&b, em_buf_cstr(&s), em_tr("探索で見つかった、記入シートにない装置・経路（橙・太線）",
                                             "device or path found by discovery, not in the sheet (orange, bold)"));
        s.len = 0;
    }
    if (gb->marks & MK_UNSEEN) {
        em_buf_puts(&s, "<table border=\"1\" style=\"dashed\" cellborder=\"0\" bgcolor=\"" PALE "\"><tr><td><i>");
        label_html(&s, em_tr("未確認", "Not seen"));
        em_buf_puts(&s, "</i></td></tr></table>");
        legend_row(&b, em_buf_cstr(&s), em_tr("記入されているが探索で見つからなかった装置（淡色・破線）",
                                             "declared device discovery did not see (pale, dashed)"));
        s.len = 0;
    }
    if (gb->marks & MK_SERVICES) {
        em_buf_puts(&s, "<font point-size=\"10\">443/tcp https</font>");
        legend_row(&b, em_buf_cstr(&s), em_tr("スキャンで開いていたポート", "open ports found by the scan"));
        s.len = 0;
    }
    if (gb->marks & MK_TERMINALS) {
        label_html(&s, em_tr("端末 ×N", "terminals ×N"));
        legend_row(&b, em_buf_cstr(&s), em_tr("調査した端末の台数", "surveyed terminals"));
        s.len = 0;
    }
    while (legend_n % LEGEND_PER_ROW) {
        em_buf_puts(&b, "<td></td><td></td>");
        if (++legend_n % LEGEND_PER_ROW == 0) em_buf_puts(&b, "</tr>");
    }
    em_buf_puts(&b, "</table>");
    em_buf_free(&s);
    /* part of the graph label, right of the title (see add_title) */
    em_buf_puts(out, em_buf_cstr(&b));
    if (b.failed) out->failed = true;
    em_buf_free(&b);
}

void em_graph_date(const struct em_model *m, const char *given, char *buf, size_t size)
{
    if (!blank(given)) snprintf(buf, size, "%s", given);
    else if (m && !blank(m->survey_date)) snprintf(buf, size, "%s", m->survey_date);
    else {
        time_t now = time(NULL);
        struct tm tm;
        if (localtime_r(&now, &tm)) strftime(buf, size, "%Y-%m-%d", &tm);
        else if (size) buf[0] = '\0';
    }
}

static void add_title(struct gb *gb, const char *legend)
{
    const struct em_model *m = gb->m;
    struct em_buf b = {0};
    em_buf_puts(&b, "<table border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr><td align=\"left\" valign=\"top\">");
    em_buf_puts(&b, "<font point-size=\"20\"><b>");
    label_html(&b, em_tr("構成図（外部接続点）", "Configuration diagram (external connections)"));
    if (!blank(m->site.name)) {
        em_buf_puts(&b, " — ");
        label_html(&b, m->site.name);
    }
    em_buf_puts(&b, "</b></font><br align=\"left\"/>");
    if (!blank(gb->o->date)) {
        label_html(&b, gb->o->date);
        label_html(&b, em_tr(" 調査", " survey"));
        em_buf_puts(&b, "　");
    }
    if (m->n_sources) {
        label_html(&b, em_tr("出典: ", "Source: "));
        for (size_t i = 0; i < m->n_sources && i < 8; i++) {
            if (i) em_buf_puts(&b, ", ");
            const char *base = strrchr(m->sources[i], '/');
            label_html(&b, base ? base + 1 : m->sources[i]);
        }
    }
    if (gb->o->mode != EM_GRAPH_FULL) {
        em_buf_puts(&b, "　");
        label_html(&b, em_tr("（簡略レイアウト）", "(simplified layout)"));
    }
    em_buf_puts(&b, "<br align=\"left\"/></td>");
    if (legend && *legend) {
        em_buf_puts(&b, "<td width=\"30\"></td><td valign=\"top\">");
        em_buf_puts(&b, legend);
        em_buf_puts(&b, "</td>");
    }
    em_buf_puts(&b, "</tr></table>");
    if (b.failed) set_failures++;
    set_html(gb->g, em_buf_cstr(&b));
    em_buf_free(&b);
}

Agraph_t *em_graph_build(const struct em_model *m, const struct em_graph_opts *o,
                         struct em_err *err)
{
    Agraph_t *g = agopen((char *)"edgemap", Agdirected, NULL);
    if (!g) {
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("図を作れません（メモリ不足）", "cannot build the diagram (out of memory)"));
        return NULL;
    }
    struct gb gb = {.m = m, .o = o, .g = g, .hosp = g};
    for (int i = 0; i < 8; i++) gb.grid_x[i] = 40.0 + i * 300.0;
    agattr(g, AGRAPH, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGNODE, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGEDGE, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGNODE, (char *)"fontsize", (char *)"12");
    agattr(g, AGEDGE, (char *)"fontsize", (char *)"12");
    agattr(g, AGNODE, (char *)"shape", (char *)"box");
    /* tight nodes: on A3 every point of padding is paid 60 times */
    agattr(g, AGNODE, (char *)"height", (char *)"0.3");
    agattr(g, AGNODE, (char *)"margin", (char *)"0.06,0.045");
    set(g, "rankdir", "LR");
    set(g, "newrank", "true");
    set(g, "labelloc", "t");
    set(g, "labeljust", "l");
    set(g, "bgcolor", "white");
    set(g, "nodesep", "0.07");   /* 5 pt: two thick red borders still apart */
    set(g, "ranksep", "0.25");
    set(g, "pad", "0.3");
    set(g, "id", "edgemap");
    if (o->mode == EM_GRAPH_GRID) {
        set(g, "splines", "line");
        set(g, "overlap", "true");
    }
    /* Bounds for dot on large graphs: fewer crossing-minimisation passes. */
    size_t nodes = m->n_lines + m->n_devices + m->n_segments + m->n_outside;
    if (nodes > 300) {
        set(g, "mclimit", "0.3");
        set(g, "nslimit", "2");
        set(g, "nslimit1", "2");
        set(g, "searchsize", "10");
    }
    set_failures = 0;
    /* each node's short label (line No, device model, segment or network name), looked
       up once per edge in O(1) */
    gb.labels = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < m->n_lines; i++) g_hash_table_insert(gb.labels, (gpointer)m->lines[i].id, (gpointer)m->lines[i].line_no);
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        g_hash_table_insert(gb.labels, (gpointer)d->id, (gpointer)(!blank(d->model) ? d->model : em_dev_type_label(d->type)));
    }
    for (size_t i = 0; i < m->n_segments; i++) g_hash_table_insert(gb.labels, (gpointer)m->segments[i].id, (gpointer)m->segments[i].name);
    for (size_t i = 0; i < m->n_outside; i++) g_hash_table_insert(gb.labels, (gpointer)m->outside[i].id, (gpointer)m->outside[i].name);
    for (size_t i = 0; i < m->n_devices && !gb.discovery; i++)
        if (m->devices[i].source != EM_SRC_DECLARED || m->devices[i].disc_id) gb.discovery = true;
    for (size_t i = 0; i < m->n_edges && !gb.discovery; i++)
        if (m->edges[i].discovered) gb.discovery = true;
    bool failed = index_targets(&gb) != 0;
    plan_groups(&gb);
    plan_bands(&gb);
    plan_party_column(&gb);
    /* the hospital boundary: one box, or one per band (each titled with the site) */
    for (int b = 0; o->mode == EM_GRAPH_FULL && b < (gb.n_bands > 1 ? gb.n_bands : 1); b++) {
        char name[48], sid[32];
        snprintf(name, sizeof name, b ? "cluster_hospital_b%d" : "cluster_hospital", b + 1);
        snprintf(sid, sizeof sid, b ? "site-b%d" : "site", b + 1);
        Agraph_t *c = agsubg(g, name, 1);
        if (!c) continue;
        if (!b) gb.hosp = c;
        gb.band_g[b] = c;
        char lab[1024];
        snprintf(lab, sizeof lab, "%s%s", em_tr("医療機関: ", "Site: "),
                 blank(m->site.name) ? em_tr("（名称未記入）", "(no name)") : m->site.name);
        struct em_buf lb = {0};
        add_plain(&lb, lab);
        set(c, "label", em_buf_cstr(&lb));
        em_buf_free(&lb);
        set(c, "style", "rounded");
        set(c, "penwidth", "1.5");
        set(c, "id", sid);
    }
    for (size_t i = 0; i < m->n_outside; i++) add_outside(&gb, &m->outside[i]);
    if (gb.rep) add_groups(&gb);
    for (size_t i = 0; i < m->n_lines; i++)
        if (!gb.rep || !g_hash_table_contains(gb.rep, m->lines[i].id)) add_line(&gb, &m->lines[i]);
    for (size_t i = 0; i < m->n_devices; i++)
        if (!gb.rep || !g_hash_table_contains(gb.rep, m->devices[i].id)) add_device(&gb, i);
    for (size_t i = 0; i < m->n_segments; i++) add_segment(&gb, &m->segments[i]);
    for (size_t i = 0; i < m->n_edges; i++) add_edge(&gb, &m->edges[i]);
    order_bands(&gb);
    align_columns(&gb);
    struct em_buf legend = {0};
    em_buf_add(&legend, "", 0);
    add_legend(&gb, &legend);
    add_title(&gb, em_buf_cstr(&legend));
    if (legend.failed) set_failures++;
    em_buf_free(&legend);
    failed = failed || gb.tmp.failed || gb.tip.failed || set_failures;
    g_hash_table_destroy(gb.labels);
    if (gb.band_of) g_hash_table_destroy(gb.band_of);
    free_groups(&gb);
    free(gb.tgt_head);
    free(gb.tgt_next);
    free(gb.svc_head);
    free(gb.svc_next);
    em_buf_free(&gb.tmp);
    em_buf_free(&gb.tip);
    if (failed) {
        agclose(g);
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("図を作れません（メモリ不足）", "cannot build the diagram (out of memory)"));
        return NULL;
    }
    return g;
}
