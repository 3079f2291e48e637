/* render_fixture.h — a small hand-built model for render/ unit tests (no reader):
 * an internet line with a scan target (fixed IP, CVE firmware), an internet-VPN
 * maintenance line with a dynamic IP held by a vendor, a closed-network line, a phone
 * line, a segment with terminals and the EMR link unknown. */
#ifndef EM_RENDER_FIXTURE_H
#define EM_RENDER_FIXTURE_H
#include <string.h>

#include "mapper/model.h"
#include "mapper/pool.h"

#define S(x) em_pool_str(m->pool, (x))

static size_t fx_line(struct em_model *m, const char *no, const char *carrier, const char *service,
                      const char *ctu, const char *holder)
{
    size_t i = em_model_add_line(m);
    struct em_line *l = &m->lines[i];
    l->line_no = S(no);
    l->id = em_pool_printf(m->pool, "line-%s", no);
    l->carrier = S(carrier);
    l->service = S(service);
    l->ctu_location = S(ctu);
    l->contract_holder = S(holder);
    return i;
}

static size_t fx_dev(struct em_model *m, const char *id, enum em_dev_type t, const char *maker,
                     const char *model, const char *fw, int row, int slot)
{
    size_t i = em_model_add_device(m);
    struct em_device *d = &m->devices[i];
    d->id = S(id);
    d->type = t;
    d->type_raw = "";
    d->hostname = "";
    d->mgmt_ip = "";
    d->maker = S(maker);
    d->model = S(model);
    d->firmware = S(fw);
    d->location = "";
    d->source = EM_SRC_DECLARED;
    d->src = (struct em_src){"test.csv", "", row};
    d->slot = slot;
    em_model_push_int(m, &d->rows, &d->n_rows, row);
    return i;
}

static size_t fx_path(struct em_model *m, size_t line, int row, enum em_comm_type ct,
                      enum em_scan_reason scan, const char *ip, const char *fqdn, size_t d1, size_t d2)
{
    size_t i = em_model_add_path(m);
    struct em_path *p = &m->paths[i];
    p->src = (struct em_src){"test.csv", "", row};
    p->line = line;
    p->dev[0] = d1;
    p->dev[1] = d2;
    p->comm_type = ct;
    p->comm_type_raw = "";
    p->purpose = "";
    p->system = "";
    p->remote_party = "";
    p->global_ip = S(ip);
    p->fqdn = S(fqdn);
    p->provider_name = p->provider_plan = p->remarks = "";
    p->scan = scan;
    p->ip_kind = *ip ? EM_IP_KIND_FIXED : EM_IP_KIND_NONE;
    em_model_push_index(m, &m->lines[line].paths, &m->lines[line].n_paths, i);
    if (d1 != EM_NONE) em_model_push_index(m, &m->lines[line].devices, &m->lines[line].n_devices, d1);
    if (d2 != EM_NONE) em_model_push_index(m, &m->lines[line].devices, &m->lines[line].n_devices, d2);
    return i;
}

static void fx_out(struct em_model *m, const char *id, enum em_node_kind k, const char *name, bool maint)
{
    size_t i = em_model_add_outside(m);
    m->outside[i] = (struct em_outside){S(id), k, S(name), maint};
}

static void fx_edge(struct em_model *m, const char *from, const char *to, bool unknown, bool out, int row)
{
    size_t i = em_model_add_edge(m);
    struct em_edge *e = &m->edges[i];
    e->from = S(from);
    e->to = S(to);
    e->emr_unknown = unknown;
    e->out_of_scope = out;
    em_model_push_int(m, &e->rows, &e->n_rows, row);
}

static size_t fx_seg(struct em_model *m, const char *id, const char *name, bool emr)
{
    size_t i = em_model_add_segment(m);
    m->segments[i].id = S(id);
    m->segments[i].name = S(name);
    m->segments[i].emr = emr;
    return i;
}

/* The model every render unit test starts from; caller frees. */
static struct em_model *fx_model(void)
{
    struct em_model *m = em_model_new();
    if (!m) return NULL;
    m->site.name = S("さくら<中央>病院");
    m->survey_date = S("2026-11-20");
    size_t l1 = fx_line(m, "1", "NTT東日本", "フレッツ光ネクスト", "管理棟2F サーバ室", "病院");
    size_t l3 = fx_line(m, "3", "NTT東日本", "フレッツ光ネクスト", "画像診断棟1F", "キヤノンメディカル");
    size_t l2 = fx_line(m, "2", "NTT東日本", "フレッツ・VPN ワイド", "本館1F 医事課", "病院");
    size_t l9 = fx_line(m, "9", "NTT東日本", "ひかり電話", "東棟B1F", "病院");
    size_t d11 = fx_dev(m, "dev-1-1", EM_DEV_ROUTER, "ヤマハ", "RTX1300", "Rev.23.00.10", 2, 1);
    size_t d12 = fx_dev(m, "dev-1-2", EM_DEV_UTM, "Fortinet", "FortiGate-80E", "FortiOS 6.2.9", 2, 2);
    m->devices[d12].hostname = S("fw-main.sakura.local");
    em_model_push_str(m, &m->devices[d12].cves, &m->devices[d12].n_cves, S("CVE-2022-42475"));
    size_t d31 = fx_dev(m, "dev-3-1", EM_DEV_VPN, "ヤマハ", "NVR510", "Rev.15.01.14", 3, 1);
    m->devices[d31].rental = EM_TRI_YES;
    size_t d21 = fx_dev(m, "dev-2-1", EM_DEV_ROUTER, "NEC", "IX2106", "", 4, 1);
    size_t p1 = fx_path(m, l1, 2, EM_COMM_INTERNET, EM_SCAN_IN, "203.0.113.50", "gw.sakura.example.jp", d11, d12);
    m->paths[p1].scan_requested = true;
    m->paths[p1].system = S("電子カルテ");
    m->paths[p1].remarks = S("203.0.113.50 は本番, 198.51.100.9 は予備");
    size_t p3 = fx_path(m, l3, 3, EM_COMM_INTERNET_VPN, EM_SCAN_IN, "", "", d31, EM_NONE);
    m->paths[p3].ip_kind = EM_IP_KIND_DYNAMIC;
    m->paths[p3].scan_requested = true;
    m->paths[p3].remote_party = S("キヤノンメディカル");
    m->paths[p3].emr_link = EM_TRI_UNKNOWN;
    fx_path(m, l2, 4, EM_COMM_CLOSED, EM_SCAN_OUT_CLOSED, "", "", d21, EM_NONE);
    fx_path(m, l9, 5, EM_COMM_PHONE, EM_SCAN_OUT_PHONE, "", "", EM_NONE, EM_NONE);
    size_t sct = fx_seg(m, "seg-ct", "医療機器（CT）", false);
    for (int k = 0; k < 3; k++) {
        size_t t = em_model_add_terminal(m);
        m->terminals[t].name = em_pool_printf(m->pool, "CT-PC-%d", k + 1);
        m->terminals[t].os = S("Windows 10");
        m->terminals[t].segment = sct;
        em_model_push_index(m, &m->segments[sct].terminals, &m->segments[sct].n_terminals, t);
    }
    fx_seg(m, "seg-emr", "電子カルテ", true);
    fx_seg(m, "seg-acc", "医事会計", false);
    fx_out(m, "net-internet", EM_NODE_NET_INTERNET, "インターネット", false);
    fx_out(m, "net-closed-1", EM_NODE_NET_CLOSED, "NTT東日本 フレッツ・VPN ワイド", false);
    fx_out(m, "net-phone", EM_NODE_NET_PHONE, "電話網", false);
    fx_out(m, "party-canon", EM_NODE_PARTY, "キヤノンメディカル", true);
    fx_edge(m, "party-canon", "net-internet", false, false, 3);
    fx_edge(m, "net-internet", "line-1", false, false, 2);
    fx_edge(m, "net-internet", "line-3", false, false, 3);
    fx_edge(m, "net-closed-1", "line-2", false, true, 4);
    fx_edge(m, "net-phone", "line-9", false, true, 5);
    fx_edge(m, "line-1", "dev-1-1", false, false, 2);
    fx_edge(m, "dev-1-1", "dev-1-2", false, false, 2);
    fx_edge(m, "dev-1-2", "seg-emr", false, false, 2);
    fx_edge(m, "seg-emr", "emr", false, false, 2);
    fx_edge(m, "line-3", "dev-3-1", false, false, 3);
    fx_edge(m, "dev-3-1", "seg-ct", false, false, 3);
    fx_edge(m, "seg-ct", "emr", true, false, 3);
    fx_edge(m, "line-2", "dev-2-1", false, false, 4);
    fx_edge(m, "dev-2-1", "seg-acc", false, false, 4);
    /* a duplicate edge (two rows producing it) must be drawn once */
    fx_edge(m, "line-1", "dev-1-1", false, false, 2);
    em_model_add_finding(m, "E-IP-NOT-GLOBAL", EM_SEV_ERROR, &(struct em_src){"test.csv", "", 2},
                         "グローバルIPアドレス", "1", "10.1.2.3 はグローバルIPアドレスではありません <b>");
    return m;
}
#undef S
#endif
