/* graph_marks.c — the nodes' labels and the marks they carry (診断対象, 診断対象外,
 * 重要資産, 未申告, 未確認, CVE, レンタル …), for single nodes and for the aggregates
 * of big maps. Every mark is text plus line style, so a black-and-white print keeps it. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/evidence.h"
#include "mapper/lang.h"


const char *em_gb_outside_kind_text(enum em_node_kind k)
{
    switch (k) {
    case EM_NODE_NET_INTERNET: return em_tr("インターネット", "Internet");
    case EM_NODE_NET_CLOSED: return em_tr("閉域網", "Closed network");
    case EM_NODE_NET_PHONE: return em_tr("電話網", "Telephone network");
    default: return em_tr("接続先", "Remote party");
    }
}

void em_gb_add_outside(struct gb *gb, const struct em_outside *o)
{
    Agnode_t *n = em_gb_mknode(gb->g, o->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    switch (o->kind) {
    case EM_NODE_NET_INTERNET:
        em_gb_set(n, "shape", "ellipse");
        em_gb_set(n, "style", "filled");
        em_gb_set(n, "fillcolor", "#f2f2f2");
        em_gb_label_html(b, em_tr("インターネット", "Internet"));
        break;
    case EM_NODE_NET_CLOSED:
    case EM_NODE_NET_PHONE:
        em_gb_set(n, "shape", "ellipse");
        em_gb_set(n, "margin", "0");
        em_gb_set(n, "style", "dashed");
        em_gb_set(n, "color", GREY);
        em_gb_set(n, "fontcolor", GREY_TEXT);
        /* a closed network is named by its carrier and service; the scope text
         * below says 閉域網 already */
        if (o->kind == EM_NODE_NET_CLOSED && !blank(o->name)) {
            /* carrier and service on two lines: an ellipse is √2 × its text wide */
            const char *sp = strchr(o->name, ' ');
            if (sp && sp > o->name && sp[1]) {
                char *carrier = g_strndup(o->name, (gsize)(sp - o->name));
                em_gb_label_html(b, carrier);
                g_free(carrier);
                em_buf_puts(b, "<br/>");
                em_gb_label_html(b, sp + 1);
                lines++;
            } else {
                em_gb_label_html(b, o->name);
            }
        } else {
            em_gb_label_html(b, em_gb_outside_kind_text(o->kind));
        }
        em_buf_puts(b, "<br/>");
        em_gb_label_html(b, em_scan_reason_label(o->kind == EM_NODE_NET_CLOSED ? EM_SCAN_OUT_CLOSED
                                                                           : EM_SCAN_OUT_PHONE));
        lines++;
        gb->marks |= MK_OUT;
        break;
    default:
        em_gb_set(n, "shape", "box");
        em_gb_set(n, "style", "rounded,dashed");
        if (o->maintenance) {
            em_gb_label_html(b, em_tr("保守回線", "Maintenance line"));
            em_buf_puts(b, "<br/>");
            lines++;
            gb->marks |= MK_MAINT;
        }
        em_gb_label_html(b, blank(o->name) ? em_tr("接続先", "Remote party") : o->name);
        break;
    }
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_tip_outside(gb, n, o);
    em_gb_grid_place(gb, n, o->kind == EM_NODE_PARTY ? 0 : 1, o->name, lines);
    em_gb_copy_to_bands(gb, n, o->id, true);
}


/* The marks a line node carries in both forms (one line, a group of lines):
 * out-of-scope reasons as text plus a grey dashed box (readable in black and white),
 * and the contract holder when it is not the hospital. Each returns the text lines
 * it added to the label. */
int em_gb_mark_scope(struct gb *gb, Agnode_t *n, struct em_buf *b, bool out, unsigned reasons)
{
    int lines = 0;
    if (!out) {
        em_gb_set(n, "style", "rounded");
        return 0;
    }
    for (int r = 1; r < 32; r++) {
        if (!(reasons & (1u << r))) continue;
        em_buf_puts(b, "<br/>");
        em_gb_label_html(b, em_scan_reason_label((enum em_scan_reason)r));
        lines++;
    }
    em_gb_set(n, "style", "rounded,dashed");
    em_gb_set(n, "color", GREY);
    em_gb_set(n, "fontcolor", GREY_TEXT);
    gb->marks |= MK_OUT;
    return lines;
}

int em_gb_mark_contract(struct gb *gb, struct em_buf *b, const char *holder)
{
    if (em_gb_is_hospital_holder(gb->m, holder)) return 0;
    em_buf_puts(b, "<br/><i>");
    em_gb_label_html(b, em_tr("契約者: ", "Contract holder: "));
    em_gb_label_html(b, holder);
    em_buf_puts(b, "</i>");
    gb->marks |= MK_CONTRACT;
    return 1;
}

/* The line node: its No, carrier and service, the reasons it is out of scope, and who
 * holds the contract when not the hospital; where its termination device sits is in
 * the tooltip. */
void em_gb_add_line(struct gb *gb, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    Agnode_t *n = em_gb_mknode(em_gb_home(gb, l->id), l->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    bool any_in = false;
    unsigned reasons = 0;
    for (size_t i = 0; i < l->n_paths; i++) {
        const struct em_path *p = &m->paths[l->paths[i]];
        if (p->scan == EM_SCAN_IN) any_in = true;
        else reasons |= 1u << p->scan;
    }
    em_buf_puts(b, "<b>");
    if (l->implicit || blank(l->line_no)) em_gb_label_html(b, em_tr("回線（No未記入）", "Line (no No)"));
    else {
        em_gb_label_html(b, em_tr("回線", "Line "));
        em_gb_label_html(b, l->line_no);
    }
    em_buf_puts(b, "</b>");
    if (!blank(l->carrier)) { em_buf_puts(b, NBSP); em_gb_label_html(b, l->carrier); }
    if (!blank(l->service)) {
        /* a long carrier + service goes on two lines: the widest line sets the
         * column's width for every line */
        bool wrap = !blank(l->carrier) && g_utf8_strlen(l->carrier, -1) + g_utf8_strlen(l->service, -1) > 16;
        em_buf_puts(b, wrap ? "<br/>" : " ");
        if (wrap) lines++;
        em_gb_label_html(b, l->service);
    }
    /* where its termination device sits is in the tooltip: one text line per line
     * keeps 60 lines on A3 */
    lines += em_gb_mark_scope(gb, n, b, !any_in && reasons, reasons);
    lines += em_gb_mark_contract(gb, b, l->contract_holder);
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_tip_line(gb, n, l);
    em_gb_grid_place(gb, n, 2, NULL, lines);
}


/* What the scan marks say about a device: the addresses of the in-scope paths whose
 * first device it is (the device terminating the line is the reachable point) and
 * that asked for a scan (requested: on the target list, as targets.c lists them) or
 * did not (調査希望なし). Nothing appended when there is none. */
static void device_targets(struct gb *gb, size_t di, bool requested, struct em_buf *out, bool *dynamic)
{
    const struct em_model *m = gb->m;
    size_t found = 0;
    for (size_t i = gb->tgt_head ? gb->tgt_head[di] : EM_NONE; i != EM_NONE; i = gb->tgt_next[i]) {
        const struct em_path *p = &m->paths[i];
        if (p->scan_requested != requested) continue;
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
int em_gb_index_targets(struct gb *gb)
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


/* A device's name on its label: model and firmware, or (no model: a device discovery
 * found, say) maker, type, firmware and host name. Returns the text lines added. */
static int device_name(struct em_buf *b, const struct em_device *d, const char *type)
{
    int lines = 1;
    if (!blank(d->model)) {
        em_buf_puts(b, "<b>"); em_gb_label_html(b, d->model); em_buf_puts(b, "</b>");
        if (!blank(d->firmware)) { em_buf_puts(b, NBSP); em_gb_label_html(b, d->firmware); }
        /* maker and type are in the tooltip: one text line per device */
    } else {
        if (!blank(d->maker)) { em_gb_label_html(b, d->maker); em_buf_puts(b, " "); }
        em_gb_label_html(b, blank(type) ? em_tr("装置", "Device") : type);
        if (!blank(d->firmware)) { em_buf_puts(b, " "); em_gb_label_html(b, d->firmware); }
        if (!blank(d->hostname)) { em_buf_puts(b, "<br/>"); em_gb_label_html(b, d->hostname); lines++; }
        else if (!blank(d->mac)) { em_buf_puts(b, "<br/>"); em_gb_label_html(b, d->mac); lines++; }   /* an FDB endpoint */
    }
    return lines;
}

/* Whether device di terminates a path on the target list (in scope, scan requested). */
static bool on_target_list(const struct gb *gb, size_t di)
{
    for (size_t i = gb->tgt_head ? gb->tgt_head[di] : EM_NONE; i != EM_NONE; i = gb->tgt_next[i])
        if (gb->m->paths[i].scan_requested) return true;
    return false;
}

/* The 診断対象 mark with the addresses of the paths the device terminates: thick red
 * border for paths on the target list; red dashed border and 診断対象（調査希望なし）
 * when every in-scope path it terminates declined the scan. Returns the text lines
 * added; *marked tells whether a border was set, *dashed whether it is the dashed one. */
static int device_target_mark(struct gb *gb, Agnode_t *n, size_t di, struct em_buf *b, bool *marked, bool *dashed)
{
    int lines = 0;
    struct em_buf tg = {0};
    bool dynamic = false;
    device_targets(gb, di, true, &tg, &dynamic);
    *marked = *dashed = false;
    if (!tg.p) {
        device_targets(gb, di, false, &tg, &dynamic);
        *dashed = tg.p != NULL;
        dynamic = false;
    }
    if (tg.p) {
        em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
        em_gb_label_html(b, *dashed ? em_tr("診断対象（調査希望なし）", "In scope (no scan requested)")
                                    : em_tr("診断対象", "Scan target"));
        em_buf_puts(b, "</b>");
        const char *s = em_buf_cstr(&tg);
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), s);
            em_buf_puts(b, NBSP);
            em_gb_label_html(b, one);
            s += len;
            if (*s) { s++; em_buf_puts(b, "<br/>"); lines++; }
        }
        em_buf_puts(b, "</font>");
        lines++;
        em_gb_set(n, "color", RED);
        em_gb_set(n, "penwidth", *dashed ? "2" : "3");
        *marked = true;
        gb->marks |= *dashed ? MK_TARGET_NOREQ : MK_TARGET;
        if (dynamic) gb->marks |= MK_DYNAMIC;
    }
    em_buf_free(&tg);
    return lines;
}

/* Open services a scan found on the device's addresses: 443/tcp https … (four at
 * most, then "+N"). Returns the text lines added. */
static int device_services(struct gb *gb, size_t di, struct em_buf *b)
{
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
        em_gb_label_html(b, sv->proto);
        if (!blank(sv->name)) { em_buf_puts(b, " "); em_gb_label_html(b, sv->name); }
        nsv++;
    }
    if (!nsv) return 0;
    em_buf_puts(b, "</font>");
    gb->marks |= MK_SERVICES;
    return 1;
}

/* What discovery says of the device: 未申告 (found, not declared: orange bold unless
 * the target border is there; red with 外部経路あり when H-UNDOCUMENTED-PATH named it)
 * or 未確認 (declared, not seen). Returns the lines added. */
static int device_evidence(struct gb *gb, Agnode_t *n, const struct em_device *d, bool tg_marked)
{
    struct em_buf *b = &gb->tmp;
    if (d->source == EM_SRC_DISCOVERED) {
        em_buf_puts(b, "<br/><font color=\"" ORANGE "\"><b>");
        em_gb_label_html(b, em_tr("未申告", "Undeclared"));
        em_buf_puts(b, "</b></font>");
        if (!tg_marked) {
            em_gb_set(n, "color", ORANGE);
            em_gb_set(n, "penwidth", "3");
        }
        gb->marks |= MK_UNDECLARED;
        if (d->disc_flagged) {
            /* H-UNDOCUMENTED-PATH named it: the words, not only the colour */
            em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
            em_gb_label_html(b, em_tr("外部経路あり（要確認）", "Way out (to check)"));
            em_buf_puts(b, "</b></font>");
            if (!tg_marked) em_gb_set(n, "color", RED);
            gb->marks |= MK_WAYOUT;
            return 2;
        }
        return 1;
    }
    if (d->disc_unverified && !d->disc_id) {
        em_buf_puts(b, "<br/><i>");
        em_gb_label_html(b, em_tr("未確認（探索で見つからず）", "Not seen by discovery"));
        em_buf_puts(b, "</i>");
        gb->marks |= MK_UNSEEN;
        return 1;
    }
    return 0;
}

/* Known CVE ids, one a line, two at most then "+N more". Returns the lines added. */
static int device_cves(struct gb *gb, const struct em_device *d, struct em_buf *b)
{
    if (!d->n_cves) return 0;
    int lines = 1;
    em_buf_puts(b, "<br/><font color=\"" RED "\"><b>");
    for (size_t i = 0; i < d->n_cves && i < 2; i++) {
        if (i) { em_buf_puts(b, "<br/>"); lines++; }   /* one id a line: narrow */
        em_gb_label_html(b, d->cves[i]);
    }
    if (d->n_cves > 2) em_buf_printf(b, em_tr(" ほか%zu件", " +%zu more"), d->n_cves - 2);
    em_buf_puts(b, "</b></font>");
    gb->marks |= MK_CVE;
    return lines;
}

/* The node of device di: name, rental note, scan target, open services, discovery
 * evidence, CVEs; its style from those marks; its tooltip. */
void em_gb_add_device(struct gb *gb, size_t di)
{
    const struct em_device *d = &gb->m->devices[di];
    Agnode_t *n = em_gb_mknode(em_gb_home(gb, d->id), d->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp;
    b->len = 0;
    em_buf_add(b, "", 0);
    const char *type = em_gb_device_type_text(d);
    int lines = device_name(b, d, type);
    if (d->rental == EM_TRI_YES) {
        /* on a line of its own when the model and firmware are long already */
        if (g_utf8_strlen(d->model ? d->model : "", -1) + g_utf8_strlen(d->firmware ? d->firmware : "", -1) > 18) {
            em_buf_puts(b, "<br/>");
            lines++;
        }
        em_gb_label_html(b, em_tr("（レンタル）", " (rental)"));
        gb->marks |= MK_RENTAL;
    }
    /* the host name is in the tooltip: a line less per device keeps a 20-line
     * hospital's columns short enough for A3 */
    bool tg_marked, tg_dashed;
    lines += device_target_mark(gb, n, di, b, &tg_marked, &tg_dashed);
    lines += device_services(gb, di, b);
    lines += device_evidence(gb, n, d, tg_marked);
    lines += device_cves(gb, d, b);
    if (d->disc_unverified && !d->disc_id) {
        em_gb_set(n, "style", "rounded,filled,dashed");
        em_gb_set(n, "fillcolor", PALE);
    } else {
        em_gb_set(n, "style", d->source == EM_SRC_DISCOVERED ? "rounded,bold" : tg_dashed ? "rounded,dashed" : "rounded");
    }
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_tip_device(gb, n, d, type);
    em_gb_grid_place(gb, n, d->slot == 2 ? 4 : 3, NULL, lines);
}


/* The EMR node is the page's anchor: taller than any other node, a heavy border, bold
 * text (the arrows into it meet at one point: em_gb_mark_edge). Not wider: its column's
 * width is paid by every band on A3 (a 14 pt label cost the 40-line map 0.1 pt of text). */
static void emr_anchor(Agnode_t *n)
{
    em_gb_set(n, "height", "0.9");
    em_gb_set(n, "penwidth", "3");
}

void em_gb_add_segment(struct gb *gb, const struct em_segment *s)
{
    Agnode_t *n = em_gb_mknode(em_gb_home(gb, s->id), s->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    int lines = 1;
    if (s->emr) em_buf_puts(b, "<b>");
    em_gb_label_html(b, blank(s->name) ? em_tr("（システム名なし）", "(no system name)") : s->name);
    if (s->emr) em_buf_puts(b, "</b>");
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
        em_gb_label_html(b, em_tr("重要資産", "Critical asset"));
        em_buf_puts(b, "</b>");
        lines++;
        em_gb_set(n, "style", "rounded,filled,bold");
        em_gb_set(n, "fillcolor", EMR_FILL);
        emr_anchor(n);
        gb->marks |= MK_ASSET;
    } else {
        em_gb_set(n, "style", "rounded");
    }
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_tip_segment(gb, n, s);
    em_gb_grid_place(gb, n, 5, NULL, lines);
    em_gb_copy_to_bands(gb, n, s->id, false);
}

Agnode_t *em_gb_add_emr(struct gb *gb, int band)
{
    const char *id = em_gb_band_id(gb, "emr", band);
    Agnode_t *n = em_gb_mknode(em_gb_band_home(gb, band), id);
    if (!n) return NULL;
    struct em_buf *b = &gb->tmp;
    b->len = 0;
    em_buf_add(b, "", 0);
    em_buf_puts(b, "<b>");
    em_gb_label_html(b, em_tr("電子カルテ系", "EMR system"));
    em_buf_puts(b, "</b><br/>");
    em_gb_label_html(b, em_tr("重要資産", "Critical asset"));
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_set(n, "shape", "box3d");
    em_gb_set(n, "style", "filled,bold");
    em_gb_set(n, "fillcolor", EMR_FILL);
    emr_anchor(n);
    em_gb_set(n, "tooltip", em_tr("電子カルテ系（重要資産）", "EMR system (critical asset)"));
    gb->marks |= MK_ASSET;
    em_gb_grid_place(gb, n, 6, NULL, 2);
    return n;
}


/* One node for a group of lines: how many, their Nos, carrier, service, scope. */
static void add_line_group(struct gb *gb, const struct grp *gr)
{
    const struct em_model *m = gb->m;
    const struct em_line *l0 = &m->lines[gr->lines[0]];
    Agnode_t *n = em_gb_mknode(gb->hosp, gr->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    em_buf_printf(b, em_tr("<b>回線 ×%zu</b>", "<b>Lines ×%zu</b>"), gr->n);
    if (gr->level == 0) {
        if (!blank(l0->carrier)) { em_buf_puts(b, NBSP); em_gb_label_html(b, l0->carrier); }
        if (!blank(l0->service)) { em_buf_puts(b, " "); em_gb_label_html(b, l0->service); }
    } else {
        em_buf_puts(b, NBSP);
        em_gb_label_html(b, em_tr("（事業者・サービス混在）", "(mixed carriers/services)"));
    }
    em_buf_puts(b, "<br/>No ");
    for (size_t i = 0; i < gr->n && i < 8; i++) {
        if (i) em_buf_puts(b, ", ");
        em_gb_label_html(b, m->lines[gr->lines[i]].line_no);
    }
    if (gr->n > 8) em_buf_printf(b, em_tr(" ほか%zu回線", " and %zu more"), gr->n - 8);
    bool in = em_gb_line_in_scope(m, l0);
    unsigned reasons = 0;
    if (!in)
        for (size_t i = 0; i < gr->n; i++) {
            const struct em_line *l = &m->lines[gr->lines[i]];
            for (size_t k = 0; k < l->n_paths; k++) reasons |= 1u << m->paths[l->paths[k]].scan;
        }
    em_gb_mark_scope(gb, n, b, !in, reasons);
    em_gb_mark_contract(gb, b, l0->contract_holder);
    em_gb_set(n, "peripheries", "2");   /* a stack of lines */
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_grid_place(gb, n, 2, NULL, 3);
    em_buf_printf(t, em_tr("%zu回線をまとめて表示:", "%zu lines drawn as one:"), gr->n);
    for (size_t i = 0; i < gr->n && i < 100; i++) {
        const struct em_line *l = &m->lines[gr->lines[i]];
        em_buf_puts(t, em_tr("\n回線", "\nline "));
        em_gb_add_plain(t, l->line_no);
        if (!blank(l->ctu_location)) { em_buf_puts(t, " "); em_gb_add_plain(t, l->ctu_location); }
        if (l->n_paths) em_buf_printf(t, em_tr(" (行 %d)", " (row %d)"), m->paths[l->paths[0]].src.row);
    }
    if (gr->n > 100) em_buf_printf(t, em_tr("\nほか%zu回線", "\nand %zu more"), gr->n - 100);
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

/* One node for the devices of one slot that only a group's lines use. */
static void add_device_group(struct gb *gb, const char *id, const size_t *devs, size_t nd)
{
    const struct em_model *m = gb->m;
    Agnode_t *n = em_gb_mknode(gb->hosp, id);
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
        if (on_target_list(gb, devs[i])) targets++;
        if (d->n_cves) cves++;
        if (d->rental == EM_TRI_YES) rental++;
        if (i < 60) {
            if (t->len) em_buf_puts(t, "\n");
            em_gb_add_plain(t, d->maker); em_buf_puts(t, " "); em_gb_add_plain(t, d->model); em_buf_puts(t, " ");
            em_gb_add_plain(t, d->firmware);
            if (!blank(d->hostname)) { em_buf_puts(t, " / "); em_gb_add_plain(t, d->hostname); }
            for (size_t c = 0; c < d->n_cves; c++) { em_buf_puts(t, " "); em_gb_add_plain(t, d->cves[c]); }
        }
    }
    if (nd > 60) em_buf_printf(t, em_tr("\nほか%zu台", "\nand %zu more"), nd - 60);
    bool same_model = nd > 0;
    for (size_t i = 1; i < nd; i++)
        if (strcmp(m->devices[devs[i]].model ? m->devices[devs[i]].model : "", m->devices[devs[0]].model ? m->devices[devs[0]].model : "") != 0)
            same_model = false;
    em_buf_puts(b, "<b>");
    if (same_model && !blank(m->devices[devs[0]].model)) {
        em_gb_label_html(b, m->devices[devs[0]].model);
        em_buf_printf(b, " ×%zu</b><br/>", nd);
        em_gb_label_html(b, same_type && type != EM_DEV_UNSET ? em_dev_type_label(type) : em_tr("装置", "Devices"));
    } else {
        em_gb_label_html(b, same_type && type != EM_DEV_UNSET ? em_dev_type_label(type) : em_tr("装置", "Devices"));
        em_buf_printf(b, " ×%zu</b>", nd);
    }
    if (rental) {
        em_buf_printf(b, em_tr("<br/>（レンタル ×%zu）", "<br/>(rental ×%zu)"), rental);
        gb->marks |= MK_RENTAL;
    }
    if (targets) {
        em_buf_printf(b, em_tr("<br/><font color=\"" RED "\"><b>診断対象</b>&#160;×%zu（診断対象一覧を参照）</font>",
                               "<br/><font color=\"" RED "\"><b>Scan target</b>&#160;×%zu (see the target list)</font>"), targets);
        em_gb_set(n, "color", RED);
        em_gb_set(n, "penwidth", "3");
        gb->marks |= MK_TARGET;
    }
    if (cves) {
        em_buf_printf(b, em_tr("<br/><font color=\"" RED "\"><b>CVE該当 ×%zu台</b></font>", "<br/><font color=\"" RED "\"><b>CVE on %zu</b></font>"), cves);
        gb->marks |= MK_CVE;
    }
    em_gb_set(n, "style", "rounded");
    em_gb_set(n, "peripheries", targets ? "1" : "2");
    em_gb_grid_place(gb, n, (strncmp(id, "dagg-s2", 7) == 0 || (strncmp(id, "grp-", 4) == 0 && id[strlen(id) - 1] == '2')) ? 4 : 3, NULL, 3);
    em_gb_set_html(n, em_buf_cstr(b));
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

void em_gb_add_groups(struct gb *gb)
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

/* Whether id is a device of the model. */
static bool is_device(const struct em_model *m, const char *id)
{
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].id, id) == 0) return true;
    return false;
}

/* With discovery merged, a declared link between two devices is drawn by its evidence:
 * declared only thin, declared and both devices seen normal, seen from both ends bold,
 * from one end dashed (the words are in the tooltip, em_gb_tip_edge). */
static void mark_evidence(struct gb *gb, Agedge_t *ed, const struct em_edge *e)
{
    if (!is_device(gb->m, e->from) || !is_device(gb->m, e->to)) return;
    const char *ev = em_edge_evidence(gb->m, e);
    if (strcmp(ev, "both_ends") == 0) em_gb_set(ed, "penwidth", "2.5");
    else if (strcmp(ev, "one_end") == 0) em_gb_set(ed, "style", "dashed");
    else if (strcmp(ev, "declared") == 0) em_gb_set(ed, "penwidth", "0.5");
    gb->marks |= MK_EVIDENCE;
}

/* An edge's marks: dotted when its EMR link is unknown, grey dashed out of scope,
 * orange bold with the 未申告 xlabel when only discovery saw it (orange dashed with
 * 未申告（推定） when inferred from forwarding/ARP tables), dashed without an
 * arrowhead from a party (beside its network unless parties have a column), red from
 * the Internet. */
void em_gb_mark_edge(struct gb *gb, Agedge_t *ed, const struct em_edge *e)
{
    /* every arrow into 電子カルテ系 ends at one point: one arrowhead, not eleven */
    const char *hid = agget(aghead(ed), (char *)"id");
    if (hid && (strcmp(hid, "emr") == 0 || strncmp(hid, "emr-b", 5) == 0)) em_gb_set(ed, "samehead", "emr");
    enum em_node_kind fk = EM_NODE_LINE;
    bool from_out = em_gb_is_outside_id(gb->m, e->from, &fk);
    if (e->emr_unknown) {
        em_gb_set(ed, "style", "dotted");
        em_gb_set(ed, "penwidth", "1.5");
        /* the text is on the segment (add_segment): an edge label would make dot
         * double every rank (minlen 2), an xlabel overhangs 電子カルテ系 */
        gb->marks |= MK_UNKNOWN;
    } else if (e->out_of_scope) {
        em_gb_set(ed, "style", "dashed");
        em_gb_set(ed, "color", GREY);
        em_gb_set(ed, "fontcolor", GREY_TEXT);
        gb->marks |= MK_OUT;
    } else if (e->discovered && e->inferred) {
        /* still 未申告 (orange), but only inferred from what a switch or router
         * learned: dashed and thinner, and the words say so (B/W-safe) */
        em_gb_set(ed, "color", ORANGE);
        em_gb_set(ed, "penwidth", "2");
        em_gb_set(ed, "style", "dashed");
        em_gb_set(ed, "xlabel", em_tr("未申告（推定）", "undeclared (inferred)"));
        em_gb_set(ed, "fontcolor", ORANGE);
        gb->marks |= MK_UNDECLARED | MK_INFERRED;
    } else if (e->discovered) {
        em_gb_set(ed, "color", ORANGE);
        em_gb_set(ed, "penwidth", "3");
        em_gb_set(ed, "style", "bold");
        em_gb_set(ed, "xlabel", em_tr("未申告", "undeclared"));
        em_gb_set(ed, "fontcolor", ORANGE);
        gb->marks |= MK_UNDECLARED;
    } else if (from_out && fk == EM_NODE_PARTY) {
        em_gb_set(ed, "style", "dashed");
        em_gb_set(ed, "arrowhead", "none");
        /* the party stands beside its network, in the same column: a column of
         * parties would cost each band its width (unless the parties outnumber the
         * lines, see plan_party_column) */
        if (gb->o->mode != EM_GRAPH_GRID) em_gb_set(ed, "constraint", "false");
    } else if (from_out && fk == EM_NODE_NET_INTERNET) {
        em_gb_set(ed, "color", RED);
        em_gb_set(ed, "penwidth", "2");
    } else if (gb->discovery) {
        mark_evidence(gb, ed, e);
    }
}
