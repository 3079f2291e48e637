/* graph_tips.c — the tooltips: plain text (no HTML) with the record's details and
 * its source rows, cut per field. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/evidence.h"
#include "mapper/lang.h"


/* Graphviz expands \N, \G, \L … in plain strings: user text must not carry a backslash
 * into them, so it becomes the full-width ＼ (what a Japanese keyboard calls ¥ anyway). */

void em_gb_add_plain(struct em_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    const char *stop = s + em_gb_cut_at(s, EM_TIP_MAX);
    for (const char *p = s; p < stop; p++)
        if (*p == '\\') {
            em_buf_add_utf8(b, run, (size_t)(p - run));
            em_buf_puts(b, "＼");
            run = p + 1;
        }
    em_buf_add_utf8(b, run, (size_t)(stop - run));
    if (*stop) em_buf_puts(b, "…");
}


void em_gb_add_src(struct em_buf *b, const struct em_src *src, const int *rows, size_t n_rows)
{
    if (!src || blank(src->file)) return;
    em_buf_printf(b, "\n%s ", em_tr("出典:", "Source:"));
    em_gb_add_plain(b, src->file);
    if (!blank(src->sheet)) {
        em_buf_puts(b, em_tr(" シート「", " sheet '"));
        em_gb_add_plain(b, src->sheet);
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

void em_gb_tip_field(struct em_buf *b, const char *ja, const char *en, const char *v)
{
    if (blank(v)) return;
    if (b->len) em_buf_puts(b, "\n");
    em_buf_printf(b, "%s: ", em_tr(ja, en));
    em_gb_add_plain(b, v);
}

/* The text of a device's type: as written when it is "other", else the label. */
const char *em_gb_device_type_text(const struct em_device *d)
{
    if (blank(d->type_raw) && d->type == EM_DEV_UNSET) return "";
    return d->type == EM_DEV_OTHER && !blank(d->type_raw) ? d->type_raw : em_dev_type_label(d->type);
}

/* The device's tooltip: type, maker, model, firmware (and whether it was checked on
 * the device), host name, management IP, location, rental, CVEs, advisory, source. */
void em_gb_tip_device(struct gb *gb, Agnode_t *n, const struct em_device *d, const char *type)
{
    struct em_buf *t = &gb->tip;
    t->len = 0;
    em_buf_add(t, "", 0);
    em_gb_tip_field(t, "装置の種類", "Type", type);
    em_gb_tip_field(t, "メーカー", "Maker", d->maker);
    em_gb_tip_field(t, "型番", "Model", d->model);
    em_gb_tip_field(t, "ファームウェア", "Firmware", d->firmware);
    if (!blank(d->firmware))
        em_gb_tip_field(t, "ファームウェア確認", "Firmware checked",
                        d->verified ? em_tr("実機確認済み", "verified on the device")
                                    : em_tr("未確認", "not verified"));
    em_gb_tip_field(t, "ホスト名", "Host name", d->hostname);
    em_gb_tip_field(t, "管理IP", "Management IP", d->mgmt_ip);
    em_gb_tip_field(t, "MACアドレス", "MAC address", d->mac);
    if (d->disc_flagged)
        em_gb_tip_field(t, "探索の指摘", "Discovery finding",
                        em_tr("記入シートにない外部への経路（H-UNDOCUMENTED-PATH）", "a way out no row declares (H-UNDOCUMENTED-PATH)"));
    em_gb_tip_field(t, "設置場所", "Location", d->location);
    if (d->rental == EM_TRI_YES) em_gb_tip_field(t, "レンタル", "Rental", em_tr("はい", "yes"));
    for (size_t i = 0; i < d->n_cves; i++) em_gb_tip_field(t, "既知の脆弱性", "Known vulnerability", d->cves[i]);
    em_gb_tip_field(t, "参考", "Advisory", d->advisory_url);
    if (gb->m->n_sources > 1 && d->n_srcs > 1) {   /* declared in several files: each one */
        for (size_t i = 0; i < d->n_srcs && i < 20; i++) em_gb_add_src(t, &d->srcs[i], NULL, 0);
    } else {
        em_gb_add_src(t, &d->src, d->rows, d->n_rows);
    }
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

/* A remote party's or outside network's tooltip: kind, name, use. */
void em_gb_tip_outside(struct gb *gb, Agnode_t *n, const struct em_outside *o)
{
    struct em_buf *t = &gb->tip;
    t->len = 0;
    em_buf_add(t, "", 0);
    em_gb_tip_field(t, "種別", "Kind", em_gb_outside_kind_text(o->kind));
    em_gb_tip_field(t, "名称", "Name", o->name);
    if (o->maintenance) em_gb_tip_field(t, "用途", "Use", em_tr("保守回線", "maintenance line"));
    if (o->kind == EM_NODE_PARTY) em_gb_tip_party(gb, o, t);
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

/* A line's tooltip: its fields, one row per path (form, purpose, system, party,
 * address, scope) and the source rows. */
void em_gb_tip_line(struct gb *gb, Agnode_t *n, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    struct em_buf *t = &gb->tip;
    t->len = 0;
    em_buf_add(t, "", 0);
    int rows[64];
    size_t n_rows = 0;
    for (size_t i = 0; i < l->n_paths && n_rows < 64; i++) rows[n_rows++] = m->paths[l->paths[i]].src.row;
    em_gb_tip_field(t, "回線No", "Line No", l->line_no);
    em_gb_tip_field(t, "回線事業者", "Carrier", l->carrier);
    em_gb_tip_field(t, "サービス", "Service", l->service);
    em_gb_tip_field(t, "回線終端装置の設置場所", "Termination device location", l->ctu_location);
    em_gb_tip_field(t, "回線契約者", "Contract holder", l->contract_holder);
    for (size_t i = 0; i < l->n_paths; i++) {
        const struct em_path *p = &m->paths[l->paths[i]];
        if (m->n_sources > 1 && p->src.file) {   /* several files are one survey: name it */
            const char *base = strrchr(p->src.file, '/');
            em_buf_puts(t, "\n— ");
            em_gb_add_plain(t, base ? base + 1 : p->src.file);
            em_buf_printf(t, em_tr(" 行 %d: ", " row %d: "), p->src.row);
        } else {
            em_buf_printf(t, em_tr("\n— 行 %d: ", "\n— row %d: "), p->src.row);
        }
        em_gb_add_plain(t, em_comm_type_label(p->comm_type));
        if (!blank(p->purpose)) { em_buf_puts(t, " / "); em_gb_add_plain(t, p->purpose); }
        if (!blank(p->system)) { em_buf_puts(t, " / "); em_gb_add_plain(t, p->system); }
        if (!blank(p->remote_party)) { em_buf_puts(t, " / "); em_gb_add_plain(t, p->remote_party); }
        if (!blank(p->global_ip)) { em_buf_puts(t, " / "); em_gb_add_plain(t, p->global_ip); }
        if (!blank(p->fqdn)) { em_buf_puts(t, " / "); em_gb_add_plain(t, p->fqdn); }
        em_buf_puts(t, " / ");
        em_gb_add_plain(t, p->scan == EM_SCAN_IN ? em_tr("診断対象", "scan target")
                                           : em_scan_reason_label(p->scan));
        /* 備考 (its line breaks kept) and every unknown column, as written */
        if (!blank(p->remarks)) { em_buf_puts(t, em_tr("\n  備考: ", "\n  Remarks: ")); em_gb_add_plain(t, p->remarks); }
        for (size_t k = 0; k < p->n_extra; k++) {
            em_buf_puts(t, "\n  ");
            em_gb_add_plain(t, p->extra[k].key);
            em_buf_puts(t, ": ");
            em_gb_add_plain(t, p->extra[k].value);
        }
    }
    const struct em_src *src = l->n_paths ? &m->paths[l->paths[0]].src : NULL;
    em_gb_add_src(t, src, rows, n_rows);
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

/* A segment's tooltip: its system name and up to 20 surveyed terminals. */
void em_gb_tip_segment(struct gb *gb, Agnode_t *n, const struct em_segment *s)
{
    struct em_buf *t = &gb->tip;
    t->len = 0;
    em_buf_add(t, "", 0);
    em_gb_tip_field(t, "システム名", "System", s->name);
    if (s->n_terminals) {
        em_buf_printf(t, em_tr("\n端末 %zu台:", "\n%zu terminals:"), s->n_terminals);
        for (size_t i = 0; i < s->n_terminals && i < 20; i++) {
            const struct em_terminal *te = &gb->m->terminals[s->terminals[i]];
            em_buf_puts(t, "\n  ");
            em_gb_add_plain(t, te->name);
            if (!blank(te->os)) { em_buf_puts(t, " / "); em_gb_add_plain(t, te->os); }
        }
        if (s->n_terminals > 20) em_buf_printf(t, em_tr("\n  ほか%zu台", "\n  and %zu more"), s->n_terminals - 20);
    }
    em_gb_set(n, "tooltip", em_buf_cstr(t));
}

/* An edge's tooltip: from → to by their short labels, and the rows that declare it. */
void em_gb_tip_edge(struct gb *gb, Agedge_t *ed, const struct em_edge *e)
{
    struct em_buf *b = &gb->tip;
    b->len = 0;
    em_buf_add(b, "", 0);
    /* an aggregate of endpoints is named as drawn (its label is in the table) */
    const char *fl = g_hash_table_lookup(gb->labels, em_gb_rep_of(gb, e->from));
    const char *tl = g_hash_table_lookup(gb->labels, em_gb_rep_of(gb, e->to));
    if (!fl) fl = g_hash_table_lookup(gb->labels, e->from);
    if (!tl) tl = g_hash_table_lookup(gb->labels, e->to);
    if (!tl && strcmp(e->to, "emr") == 0) tl = em_tr("電子カルテ系", "EMR system");
    em_gb_add_plain(b, fl ? fl : e->from);
    em_buf_puts(b, " → ");
    em_gb_add_plain(b, tl ? tl : e->to);
    if (e->n_rows) {
        em_buf_puts(b, em_tr("\n行 ", "\nrows "));
        for (size_t i = 0; i < e->n_rows && i < 50; i++)
            em_buf_printf(b, "%s%d", i ? ", " : "", e->rows[i]);
    }
    if (gb->discovery) {
        static const struct { const char *ev, *ja, *en; } words[] = {
            {"declared", "申告のみ", "declared only"}, {"declared_seen", "申告・探索一致", "declared, both devices seen"},
            {"both_ends", "両端で確認", "seen from both ends"}, {"one_end", "片側のみ確認", "seen from one end"},
            {"seen_only", "未申告（探索のみ）", "undeclared (discovery only)"},
        };
        const char *ev = em_edge_evidence(gb->m, e);
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (strcmp(words[i].ev, ev) == 0) em_buf_printf(b, "\n%s", em_tr(words[i].ja, words[i].en));
        if (e->inferred)
            em_buf_printf(b, "\n%s", em_tr("推定（MACアドレス表・ARP表から）", "inferred from forwarding/ARP tables"));
    }
    em_gb_set(ed, "tooltip", em_buf_cstr(b));
}
