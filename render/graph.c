/* graph.c — the model as a cgraph graph: the chain outside → line → devices →
 * segment → 電子カルテ系, the hospital cluster, every mark, the legend and the title.
 * Marks are always text plus line style, so a black-and-white print keeps them. */
#include "render/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mapper/lang.h"
#include "render/buf.h"

#define RED "#c00000"
#define GREY "#808080"
#define GREY_TEXT "#555555"
#define EMR_FILL "#fff2cc"
/* Between runs of different style Graphviz emits separate SVG <text> elements and a
 * plain leading space is dropped by browsers: use a no-break space there. */
#define NBSP "&#160;"

/* Marks seen while building, so the legend lists only these. */
enum {
    MK_TARGET = 1 << 0, MK_OUT = 1 << 1, MK_ASSET = 1 << 2, MK_UNKNOWN = 1 << 3,
    MK_MAINT = 1 << 4, MK_CONTRACT = 1 << 5, MK_CVE = 1 << 6, MK_RENTAL = 1 << 7,
    MK_DYNAMIC = 1 << 8, MK_TERMINALS = 1 << 9,
};

struct gb {
    const struct em_model *m;
    const struct em_graph_opts *o;
    Agraph_t *g, *hosp;           /* hosp == g in flat/grid modes */
    unsigned marks;
    struct em_buf tmp, tip;
    /* grid mode: next free row per column */
    double grid_y[8];
    double grid_x[8];
};

static void set(void *obj, const char *name, const char *value)
{
    agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

/* Sets an HTML-like label. agstrdup_html marks the string as HTML in the graph's
 * string table; agxset (via agsafeset) then shares that entry. */
static void set_html(void *obj, const char *html)
{
    Agraph_t *g = agraphof(obj);
    char *h = agstrdup_html(g, (char *)html);
    if (!h) return;
    set(obj, "label", h);
    agstrfree(g, h);
}

/* Graphviz expands \N, \G, \L … in plain strings: user text must not carry a backslash
 * into them, so it becomes the full-width ＼ (what a Japanese keyboard calls ¥ anyway). */
static void add_plain(struct em_buf *b, const char *s)
{
    if (!s) return;
    for (const char *p = s; *p; p++) {
        if (*p == '\\') em_buf_puts(b, "＼");
        else em_buf_add(b, p, 1);
    }
}

static bool blank(const char *s) { return !s || !*s; }

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
        em_buf_html(b, em_tr("インターネット", "Internet"));
        break;
    case EM_NODE_NET_CLOSED:
    case EM_NODE_NET_PHONE:
        set(n, "shape", "ellipse");
        set(n, "style", "dashed");
        set(n, "color", GREY);
        set(n, "fontcolor", GREY_TEXT);
        em_buf_html(b, outside_kind_text(o->kind));
        if (o->kind == EM_NODE_NET_CLOSED && !blank(o->name)) {
            em_buf_puts(b, "<br/>");
            em_buf_html(b, o->name);
            lines++;
        }
        em_buf_puts(b, "<br/>");
        em_buf_html(b, em_scan_reason_label(o->kind == EM_NODE_NET_CLOSED ? EM_SCAN_OUT_CLOSED
                                                                           : EM_SCAN_OUT_PHONE));
        lines++;
        gb->marks |= MK_OUT;
        break;
    default:
        set(n, "shape", "box");
        set(n, "style", "rounded,dashed");
        if (o->maintenance) {
            em_buf_html(b, em_tr("保守回線", "Maintenance line"));
            em_buf_puts(b, "<br/>");
            lines++;
            gb->marks |= MK_MAINT;
        }
        em_buf_html(b, blank(o->name) ? em_tr("接続先", "Remote party") : o->name);
        break;
    }
    set_html(n, em_buf_cstr(b));
    tip_field(t, "種別", "Kind", outside_kind_text(o->kind));
    tip_field(t, "名称", "Name", o->name);
    if (o->maintenance) tip_field(t, "用途", "Use", em_tr("保守回線", "maintenance line"));
    set(n, "tooltip", em_buf_cstr(t));
    grid_place(gb, n, o->kind == EM_NODE_PARTY ? 0 : 1, o->name, lines);
}

/* The line node: its No, carrier and service, where its termination device sits,
 * the reasons it is out of scope, and who holds the contract when not the hospital. */
static void add_line(struct gb *gb, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    Agnode_t *n = mknode(gb->hosp, l->id);
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
    if (l->implicit || blank(l->line_no)) em_buf_html(b, em_tr("回線（No未記入）", "Line (no No)"));
    else {
        em_buf_html(b, em_tr("回線", "Line "));
        em_buf_html(b, l->line_no);
    }
    em_buf_puts(b, "</b>");
    if (!blank(l->carrier)) { em_buf_puts(b, NBSP); em_buf_html(b, l->carrier); }
    if (!blank(l->service)) { em_buf_puts(b, " "); em_buf_html(b, l->service); }
    em_buf_puts(b, "<br/>");
    em_buf_html(b, em_tr("回線終端装置", "Termination"));
    if (!blank(l->ctu_location)) { em_buf_puts(b, " "); em_buf_html(b, l->ctu_location); }
    lines++;
    if (!any_in && reasons) {
        for (int r = 1; r < 32; r++) {
            if (!(reasons & (1u << r))) continue;
            em_buf_puts(b, "<br/>");
            em_buf_html(b, em_scan_reason_label((enum em_scan_reason)r));
            lines++;
        }
        set(n, "style", "rounded,dashed");
        set(n, "color", GREY);
        set(n, "fontcolor", GREY_TEXT);
        gb->marks |= MK_OUT;
    } else {
        set(n, "style", "rounded");
    }
    if (!blank(l->contract_holder) && strcmp(l->contract_holder, "病院") != 0 &&
        strcmp(l->contract_holder, m->site.name) != 0) {
        em_buf_puts(b, "<br/><i>");
        em_buf_html(b, em_tr("契約者: ", "Contract holder: "));
        em_buf_html(b, l->contract_holder);
        em_buf_puts(b, "</i>");
        lines++;
        gb->marks |= MK_CONTRACT;
    }
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
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if (p->scan != EM_SCAN_IN) continue;
        size_t first = p->dev[0] != EM_NONE ? p->dev[0] : p->dev[1];
        if (first != di) continue;
        const char *what[2] = {NULL, NULL};
        if (p->ip_kind == EM_IP_KIND_DYNAMIC || (blank(p->global_ip) && blank(p->fqdn))) {
            what[0] = em_tr("動的IP(当日確認)", "dynamic IP (confirm on the day)");
            *dynamic = true;
        } else {
            what[0] = blank(p->global_ip) ? NULL : p->global_ip;
        }
        what[1] = blank(p->fqdn) ? NULL : p->fqdn;
        for (int k = 0; k < 2; k++) {
            if (!what[k]) continue;
            /* each address once, even when several paths share the device */
            const char *c = em_buf_cstr(out);
            const char *hit = strstr(c, what[k]);
            size_t wl = strlen(what[k]);
            if (hit && (hit[wl] == '\0' || hit[wl] == '\n')) continue;
            if (found++ && out->len) em_buf_puts(out, "\n");
            em_buf_puts(out, what[k]);
        }
        if (found == 0) found = 1; /* in scope with nothing to show still marks it */
    }
    if (found && out->len == 0) em_buf_add(out, "", 0);
    if (!found) em_buf_free(out);
}

static void add_device(struct gb *gb, size_t di)
{
    const struct em_device *d = &gb->m->devices[di];
    Agnode_t *n = mknode(gb->hosp, d->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    const char *type = blank(d->type_raw) && d->type == EM_DEV_UNSET ? "" :
                       (d->type == EM_DEV_OTHER && !blank(d->type_raw) ? d->type_raw
                                                                        : em_dev_type_label(d->type));
    if (!blank(d->model)) {
        em_buf_puts(b, "<b>"); em_buf_html(b, d->model); em_buf_puts(b, "</b>");
        if (!blank(d->firmware)) { em_buf_puts(b, NBSP); em_buf_html(b, d->firmware); }
        if (!blank(d->maker) ) { em_buf_puts(b, "<br/>"); em_buf_html(b, d->maker); em_buf_puts(b, " "); }
        else em_buf_puts(b, "<br/>");
        lines++;
        em_buf_html(b, type);
    } else {
        if (!blank(d->maker)) { em_buf_html(b, d->maker); em_buf_puts(b, " "); }
        em_buf_html(b, blank(type) ? em_tr("装置", "Device") : type);
        if (!blank(d->firmware)) { em_buf_puts(b, " "); em_buf_html(b, d->firmware); }
    }
    if (d->rental == EM_TRI_YES) {
        em_buf_html(b, em_tr("（レンタル）", " (rental)"));
        gb->marks |= MK_RENTAL;
    }
    if (!blank(d->hostname)) {
        em_buf_puts(b, "<br/>");
        em_buf_html(b, d->hostname);
        lines++;
    }
    struct em_buf tg = {0};
    bool dynamic = false;
    device_targets(gb, di, &tg, &dynamic);
    if (tg.p) {
        em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
        em_buf_html(b, em_tr("診断対象", "Scan target"));
        em_buf_puts(b, "</b>");
        const char *s = em_buf_cstr(&tg);
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), s);
            em_buf_puts(b, NBSP);
            em_buf_html(b, one);
            s += len;
            if (*s) { s++; em_buf_puts(b, "<br/>"); lines++; }
        }
        em_buf_puts(b, "</font>");
        lines++;
        set(n, "color", RED);
        set(n, "penwidth", "3");
        gb->marks |= MK_TARGET;
        if (dynamic) gb->marks |= MK_DYNAMIC;
    }
    em_buf_free(&tg);
    if (d->n_cves) {
        em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
        for (size_t i = 0; i < d->n_cves && i < 2; i++) {
            if (i) em_buf_puts(b, ", ");
            em_buf_html(b, d->cves[i]);
        }
        if (d->n_cves > 2) em_buf_printf(b, em_tr(" ほか%zu件", " +%zu more"), d->n_cves - 2);
        em_buf_puts(b, "</b></font>");
        lines++;
        gb->marks |= MK_CVE;
    }
    set(n, "style", "rounded");
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
    Agnode_t *n = mknode(gb->hosp, s->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    em_buf_html(b, blank(s->name) ? em_tr("（システム名なし）", "(no system name)") : s->name);
    if (s->n_terminals) {
        em_buf_printf(b, em_tr("<br/>端末 ×%zu", "<br/>terminals ×%zu"), s->n_terminals);
        lines++;
        gb->marks |= MK_TERMINALS;
    }
    if (s->emr) {
        em_buf_puts(b, "<br/><b>");
        em_buf_html(b, em_tr("重要資産", "Critical asset"));
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
}

static Agnode_t *add_emr(struct gb *gb)
{
    Agnode_t *n = mknode(gb->hosp, "emr");
    if (!n) return NULL;
    struct em_buf *b = &gb->tmp;
    b->len = 0;
    em_buf_add(b, "", 0);
    em_buf_puts(b, "<b>");
    em_buf_html(b, em_tr("電子カルテ系", "EMR system"));
    em_buf_puts(b, "</b><br/>");
    em_buf_html(b, em_tr("重要資産", "Critical asset"));
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

static void add_edge(struct gb *gb, const struct em_edge *e)
{
    Agnode_t *t = agnode(gb->g, (char *)e->from, 0);
    Agnode_t *h = agnode(gb->g, (char *)e->to, 0);
    if (!h && strcmp(e->to, "emr") == 0) h = add_emr(gb);
    if (!t || !h) return;
    if (agedge(gb->g, t, h, NULL, 0)) return;   /* drawn once */
    Agedge_t *ed = agedge(gb->g, t, h, NULL, 1);
    if (!ed) return;
    set(ed, "id", e->id);
    enum em_node_kind fk = EM_NODE_LINE;
    bool from_out = is_outside_id(gb->m, e->from, &fk);
    if (e->emr_unknown) {
        set(ed, "style", "dotted");
        set(ed, "penwidth", "1.5");
        set(ed, "label", em_tr("接続不明（要確認）", "link unknown (to confirm)"));
        gb->marks |= MK_UNKNOWN;
    } else if (e->out_of_scope) {
        set(ed, "style", "dashed");
        set(ed, "color", GREY);
        set(ed, "fontcolor", GREY_TEXT);
        gb->marks |= MK_OUT;
    } else if (from_out && fk == EM_NODE_PARTY) {
        set(ed, "style", "dashed");
        set(ed, "arrowhead", "none");
    } else if (from_out && fk == EM_NODE_NET_INTERNET) {
        set(ed, "color", RED);
        set(ed, "penwidth", "2");
    }
    struct em_buf *b = &gb->tip;
    b->len = 0;
    em_buf_add(b, "", 0);
    const char *fl = em_model_node_label(gb->m, e->from), *tl = em_model_node_label(gb->m, e->to);
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

static void legend_row(struct em_buf *b, const char *sample, const char *text)
{
    em_buf_puts(b, "<tr><td>");
    em_buf_puts(b, sample);
    em_buf_puts(b, "</td><td align=\"left\">");
    em_buf_html(b, text);
    em_buf_puts(b, "</td></tr>");
}

/* The legend (凡例): only the marks this diagram uses; each sample is text in the
 * style of the mark, so it reads in black and white. */
static void add_legend(struct gb *gb)
{
    if (!gb->marks) return;
    struct em_buf b = {0};
    em_buf_puts(&b, "<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"3\" style=\"rounded\">"
                    "<tr><td colspan=\"2\" align=\"left\"><b>");
    em_buf_html(&b, em_tr("凡例", "Legend"));
    em_buf_puts(&b, "</b></td></tr>");
    struct em_buf s = {0};
    if (gb->marks & MK_TARGET) {
        em_buf_puts(&s, "<table border=\"3\" color=\"" RED "\" cellborder=\"0\" style=\"rounded\"><tr><td><font color=\"" RED "\"><b>");
        em_buf_html(&s, em_tr("診断対象", "Scan target"));
        em_buf_puts(&s, "</b></font></td></tr></table>");
        legend_row(&b, em_buf_cstr(&s), em_tr("診断対象（インターネットから到達可能な外部接続点）+ グローバルIP / FQDN",
                                             "scan target (reachable from the Internet) + global IP / FQDN"));
        s.len = 0;
    }
    if (gb->marks & MK_DYNAMIC) {
        em_buf_puts(&s, "<font color=\"" RED "\">");
        em_buf_html(&s, em_tr("動的IP(当日確認)", "dynamic IP"));
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
        em_buf_html(&s, em_tr("重要資産", "Critical asset"));
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
        em_buf_html(&s, em_tr("保守回線", "Maintenance"));
        legend_row(&b, em_buf_cstr(&s), em_tr("保守回線（業者名を接続先に表示）", "vendor remote-maintenance line (vendor on the party)"));
        s.len = 0;
    }
    if (gb->marks & MK_CONTRACT) {
        em_buf_puts(&s, "<i>");
        em_buf_html(&s, em_tr("契約者:", "Contract holder:"));
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
        em_buf_html(&s, em_tr("（レンタル）", "(rental)"));
        legend_row(&b, em_buf_cstr(&s), em_tr("レンタル装置", "rental device"));
        s.len = 0;
    }
    if (gb->marks & MK_TERMINALS) {
        em_buf_html(&s, em_tr("端末 ×N", "terminals ×N"));
        legend_row(&b, em_buf_cstr(&s), em_tr("調査した端末の台数", "surveyed terminals"));
        s.len = 0;
    }
    em_buf_puts(&b, "</table>");
    em_buf_free(&s);
    /* a plain node of the root graph: a second subgraph would make agwrite's order
     * depend on heap addresses (cgraph orders subgraphs by id = name pointer) */
    Agnode_t *n = mknode(gb->g, "legend");
    if (n) {
        set(n, "shape", "plaintext");
        set(n, "margin", "0");
        set_html(n, em_buf_cstr(&b));
        set(n, "tooltip", em_tr("凡例", "Legend"));
        grid_place(gb, n, 7, NULL, 12);
    }
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

static void add_title(struct gb *gb)
{
    const struct em_model *m = gb->m;
    struct em_buf b = {0};
    em_buf_puts(&b, "<font point-size=\"20\"><b>");
    em_buf_html(&b, em_tr("構成図（外部接続点）", "Configuration diagram (external connections)"));
    if (!blank(m->site.name)) {
        em_buf_puts(&b, " — ");
        em_buf_html(&b, m->site.name);
    }
    em_buf_puts(&b, "</b></font><br align=\"left\"/>");
    if (!blank(gb->o->date)) {
        em_buf_html(&b, gb->o->date);
        em_buf_html(&b, em_tr(" 調査", " survey"));
        em_buf_puts(&b, "　");
    }
    if (m->n_sources) {
        em_buf_html(&b, em_tr("出典: ", "Source: "));
        for (size_t i = 0; i < m->n_sources && i < 8; i++) {
            if (i) em_buf_puts(&b, ", ");
            const char *base = strrchr(m->sources[i], '/');
            em_buf_html(&b, base ? base + 1 : m->sources[i]);
        }
    }
    if (gb->o->mode != EM_GRAPH_FULL) {
        em_buf_puts(&b, "　");
        em_buf_html(&b, em_tr("（簡略レイアウト）", "(simplified layout)"));
    }
    em_buf_puts(&b, "<br align=\"left\"/>");
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
    agattr(g, AGEDGE, (char *)"fontsize", (char *)"11");
    agattr(g, AGNODE, (char *)"shape", (char *)"box");
    set(g, "rankdir", "LR");
    set(g, "newrank", "true");
    set(g, "labelloc", "t");
    set(g, "labeljust", "l");
    set(g, "bgcolor", "white");
    set(g, "nodesep", "0.25");
    set(g, "ranksep", "0.6");
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
    add_title(&gb);
    if (o->mode == EM_GRAPH_FULL) {
        gb.hosp = agsubg(g, (char *)"cluster_hospital", 1);
        if (!gb.hosp) gb.hosp = g;
        else {
            char lab[1024];
            snprintf(lab, sizeof lab, "%s%s", em_tr("医療機関: ", "Site: "),
                     blank(m->site.name) ? em_tr("（名称未記入）", "(no name)") : m->site.name);
            struct em_buf b = {0};
            add_plain(&b, lab);
            set(gb.hosp, "label", em_buf_cstr(&b));
            em_buf_free(&b);
            set(gb.hosp, "style", "rounded");
            set(gb.hosp, "penwidth", "1.5");
            set(gb.hosp, "id", "site");
        }
    }
    for (size_t i = 0; i < m->n_outside; i++) add_outside(&gb, &m->outside[i]);
    for (size_t i = 0; i < m->n_lines; i++) add_line(&gb, &m->lines[i]);
    for (size_t i = 0; i < m->n_devices; i++) add_device(&gb, i);
    for (size_t i = 0; i < m->n_segments; i++) add_segment(&gb, &m->segments[i]);
    for (size_t i = 0; i < m->n_edges; i++) add_edge(&gb, &m->edges[i]);
    add_legend(&gb);
    bool failed = gb.tmp.failed || gb.tip.failed;
    em_buf_free(&gb.tmp);
    em_buf_free(&gb.tip);
    if (failed) {
        agclose(g);
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("図を作れません（メモリ不足）", "cannot build the diagram (out of memory)"));
        return NULL;
    }
    return g;
}
