/* rules.c — the record rules of records.md and the model's finishing pass.
 * Per-row rules run while records.c streams the rows; device, terminal and
 * advisory rules, segments, outside networks and the chain's edges are built
 * once every file is in (em_model_finish). Messages are written for the person
 * who filled in the sheet, in Japanese unless --lang en. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mapper/advisory.h"
#include "mapper/eos.h"
#include "mapper/ipaddr.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/records.h"
#include "mapper/records_int.h"

#define ADD(code, sev, field, ...)                                                        \
    do {                                                                                  \
        if (em_model_add_finding(c->m, code, sev, &c->path->src, c->col[field],           \
                                 c->line->line_no, __VA_ARGS__) != 0)                     \
            return -1;                                                                    \
    } while (0)

/* Splits an address list ("a, b", "a、b", one per line) into its first invalid or
 * non-global entry. Returns EM_IP_GLOBAL when all are global; *bad gets the entry. */
static enum em_ip_class check_ip_list(const char *list, char *bad, size_t badsize)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    /* 、 and ，are multi-byte separators: turn them into commas first */
    for (char *q; (q = strstr(buf, "、")) != NULL;) {
        q[0] = ',';
        memmove(q + 1, q + 3, strlen(q + 3) + 1);
    }
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",; \n\t", &save); tok;
         tok = strtok_r(NULL, ",; \n\t", &save)) {
        n++;
        enum em_ip_class k = em_ip_classify(tok);
        if (k != EM_IP_GLOBAL) {
            snprintf(bad, badsize, "%s", tok);
            return k;
        }
    }
    if (n == 0) {
        snprintf(bad, badsize, "%s", list);
        return EM_IP_INVALID;
    }
    return EM_IP_GLOBAL;
}

bool em_records_ip_list_ok(const char *list)
{
    char bad[128];
    return check_ip_list(list, bad, sizeof bad) == EM_IP_GLOBAL;
}

/* Host-name syntax (RFC 1123): ASCII labels of 1-63 letters, digits and hyphens, not
 * starting or ending with a hyphen, at least two labels, 253 characters at most,
 * a top-level label that is not all digits. Returns NULL when valid, else why. */
static const char *fqdn_problem(const char *s)
{
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '.') n--;
    if (n == 0) return em_tr("空です", "it is empty");
    if (n > 253) return em_tr("253文字を超えています", "longer than 253 characters");
    int labels = 0;
    size_t start = 0;
    int all_digit_last = 1;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            size_t len = i - start;
            if (len == 0) return em_tr("空のラベル（連続した . など）があります", "it has an empty label (e.g. \"..\")");
            if (len > 63) return em_tr("63文字を超えるラベルがあります", "a label is longer than 63 characters");
            if (s[start] == '-' || s[i - 1] == '-')
                return em_tr("ラベルがハイフンで始まるか終わっています", "a label starts or ends with a hyphen");
            all_digit_last = 1;
            for (size_t k = start; k < i; k++)
                if (s[k] < '0' || s[k] > '9') all_digit_last = 0;
            labels++;
            start = i + 1;
            continue;
        }
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80)
            return em_tr("英数字以外の文字があります（日本語ドメインは xn-- で始まる形式で記入してください）",
                         "it has non-ASCII characters (write an internationalised domain in its xn-- form)");
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return em_tr("使えない文字（英数字・ハイフン・ピリオド以外）があります",
                         "it has a character other than letters, digits, hyphens and dots");
    }
    if (labels < 2) return em_tr("ドメイン名がありません（例: rt1.example.jp）", "it has no domain part (e.g. rt1.example.jp)");
    if (all_digit_last) return em_tr("IPアドレスのようです（FQDN欄にはホスト名を記入します）", "it looks like an IP address, not a host name");
    return NULL;
}

static const char *comm_label(const struct em_path *p)
{
    return *p->comm_type_raw ? p->comm_type_raw : em_comm_type_label(p->comm_type);
}

int em_rules_row(const struct em_rowctx *c)
{
    const struct em_path *p = c->path;
    const struct rowvals *v = c->v;

    /* E-COMM-TYPE */
    if (p->comm_type == EM_COMM_UNSET) {
        if (!*p->comm_type_raw)
            ADD("E-COMM-TYPE", EM_SEV_ERROR, F_COMM_TYPE, "%s",
                em_tr("通信形態が空欄です。「インターネット」「インターネットVPN」「閉域網」「電話回線のみ」のいずれかを選んでください",
                      "通信形態 (communication form) is blank: choose インターネット, インターネットVPN, 閉域網 or 電話回線のみ"));
        else
            ADD("E-COMM-TYPE", EM_SEV_ERROR, F_COMM_TYPE,
                em_tr("通信形態「%s」は選択肢にありません。「インターネット」「インターネットVPN」「閉域網」「電話回線のみ」のいずれかを選んでください",
                      "通信形態 \"%s\" is not one of the choices: インターネット, インターネットVPN, 閉域網 or 電話回線のみ"),
                p->comm_type_raw);
    }

    int internet = p->comm_type == EM_COMM_INTERNET || p->comm_type == EM_COMM_INTERNET_VPN;
    int closed = p->comm_type == EM_COMM_CLOSED || p->comm_type == EM_COMM_PHONE;

    /* E-IP-KIND-MISSING / E-FIXED-IP-MISSING */
    if (p->global_ip_use == EM_TRI_YES && p->ip_kind == EM_IP_KIND_NONE)
        ADD("E-IP-KIND-MISSING", EM_SEV_ERROR, F_IP_KIND, "%s",
            em_tr("グローバルIP利用が「あり」ですが、固定IP/動的IP が選ばれていません。「固定IP」か「動的IP」を選んでください",
                  "グローバルIP利用 is あり but 固定IP/動的IP is blank: choose 固定IP (fixed) or 動的IP (dynamic)"));
    if (p->global_ip_use == EM_TRI_YES && p->ip_kind == EM_IP_KIND_FIXED && !*p->global_ip)
        ADD("E-FIXED-IP-MISSING", EM_SEV_ERROR, F_GLOBAL_IP, "%s",
            em_tr("固定IPですが、グローバルIPアドレスが記入されていません。脆弱性診断の対象アドレスとして必要です",
                  "a fixed global IP is declared but グローバルIPアドレス is blank; the scan needs the address"));

    /* E-IP-SYNTAX / E-IP-NOT-GLOBAL */
    if (*p->global_ip) {
        char bad[128];
        enum em_ip_class k = check_ip_list(p->global_ip, bad, sizeof bad);
        if (k == EM_IP_INVALID)
            ADD("E-IP-SYNTAX", EM_SEV_ERROR, F_GLOBAL_IP,
                em_tr("グローバルIPアドレス「%s」はIPアドレスの形式ではありません（例: 203.0.113.10 / 2001:db8::1）",
                      "グローバルIPアドレス \"%s\" is not an IPv4/IPv6 address (e.g. 203.0.113.10 / 2001:db8::1)"),
                bad);
        else if (k != EM_IP_GLOBAL)
            ADD("E-IP-NOT-GLOBAL", EM_SEV_ERROR, F_GLOBAL_IP,
                em_tr("グローバルIPアドレス「%s」は%sで、インターネットから届くアドレスではありません。回線のグローバルIPアドレスを記入してください",
                      "グローバルIPアドレス \"%s\" is %s, not an address reachable from the Internet; write the line's global IP address"),
                bad, em_ip_class_label(k));
    }

    /* E-DEV2-TYPE: 装置② must be a router or a firewall/UTM */
    {
        int any = 0;
        for (int f = F_DEV2_TYPE; f <= F_DEV2_LOCATION; f++)
            if (*v->val[f]) any = 1;
        if (any && *v->val[F_DEV2_TYPE]) {
            /* judge this row's own text, not the merged device's */
            const char *b = v->compact[F_DEV2_TYPE];
            int ok = 0;
            static const char *okv[] = {"ルーター", "ルータ", "ファイアウォール/UTM", "ファイアウォール・UTM",
                                        "ファイアウォール", "UTM", "FW", "FW/UTM", "router", "utm", "firewall", NULL};
            for (int i = 0; okv[i]; i++)
                if (strcmp(b, em_norm_key(okv[i])) == 0) ok = 1;
            if (!ok)
                ADD("E-DEV2-TYPE", EM_SEV_ERROR, F_DEV2_TYPE,
                    em_tr("装置②の種類「%s」は記入できません。装置②には装置①の先の「ルーター」か「ファイアウォール/UTM」を記入してください（ONU・モデムなどは装置①へ）",
                          "装置② type \"%s\" is not allowed: 装置② is the router (ルーター) or firewall/UTM behind 装置①"),
                    v->val[F_DEV2_TYPE]);
        } else if (any) {
            ADD("E-DEV2-TYPE", EM_SEV_ERROR, F_DEV2_TYPE, "%s",
                em_tr("装置②の項目が記入されていますが、装置の種類が空欄です。「ルーター」か「ファイアウォール/UTM」を選んでください",
                      "装置② is filled in but its type is blank: choose ルーター (router) or ファイアウォール/UTM"));
        }
    }

    /* W-EMR-UNKNOWN */
    if (!*v->val[F_EMR_LINK]) {
        if (p->emr_unknown_explained)
            ADD("W-EMR-UNKNOWN", EM_SEV_WARNING, F_EMR_LINK, "%s",
                em_tr("電子カルテ接続が空欄（不明）です。備考に「接続は不明」と説明があります。現地調査で接続の有無を確認します",
                      "EMR link is blank (unknown); 備考 explains it is unknown. The site survey will check it"));
        else
            ADD("W-EMR-UNKNOWN", EM_SEV_WARNING, F_EMR_LINK, "%s",
                em_tr("電子カルテ接続が空欄（不明）です。分かる場合は「あり」「なし」を、不明な場合は備考に「電子カルテシステムの所属ネットワークとの接続は不明」と記入してください",
                      "EMR link is blank (unknown) and 備考 does not explain it: choose あり/なし, or write that the link is unknown in 備考"));
    } else if (p->emr_link == EM_TRI_UNKNOWN) {
        ADD("W-EMR-UNKNOWN", EM_SEV_WARNING, F_EMR_LINK,
            em_tr("電子カルテ接続「%s」は「あり」「なし」のどちらでもないため、不明として扱います",
                  "EMR link \"%s\" is neither あり nor なし; treated as unknown"),
            v->val[F_EMR_LINK]);
    }

    /* W-GLOBAL-IP-EXPECTED */
    if (internet && p->global_ip_use != EM_TRI_YES)
        ADD("W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, F_GLOBAL_IP_USE,
            em_tr("通信形態が「%s」ですが、グローバルIP利用が「%s」のため脆弱性診断ができません。グローバルIPを使っている場合は「あり」を選んでください",
                  "communication form is \"%s\" but グローバルIP利用 is \"%s\", so the line cannot be scanned; choose あり if it has a global IP"),
            comm_label(p), *v->val[F_GLOBAL_IP_USE] ? v->val[F_GLOBAL_IP_USE] : em_tr("空欄", "blank"));

    /* W-NOT-NEEDED: greyed-out columns filled */
    if (closed || p->global_ip_use == EM_TRI_NO) {
        static const enum em_field grey[] = {F_IP_KIND, F_GLOBAL_IP, F_FQDN, F_PROVIDER_NAME, F_PROVIDER_PLAN};
        char list[512] = "";
        size_t o = 0;
        int first = -1;
        if (closed && p->global_ip_use == EM_TRI_YES) {
            first = F_GLOBAL_IP_USE;
            o += (size_t)snprintf(list + o, sizeof list - o, "%s", c->col[F_GLOBAL_IP_USE]);
        }
        for (size_t i = 0; i < sizeof grey / sizeof grey[0]; i++) {
            if (!*v->val[grey[i]]) continue;
            if (first < 0) first = (int)grey[i];
            if (o < sizeof list)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? em_tr("、", ", ") : "", c->col[grey[i]]);
        }
        if (first >= 0) {
            if (closed)
                ADD("W-NOT-NEEDED", EM_SEV_WARNING, first,
                    em_tr("通信形態が「%s」の行は記入不要（グレーアウト）の欄に記入があります: %s。閉域網・電話回線は脆弱性診断の対象外です",
                          "communication form \"%s\" does not use the greyed-out columns, but these are filled: %s; closed networks and phone lines are not scanned"),
                    comm_label(p), list);
            else
                ADD("W-NOT-NEEDED", EM_SEV_WARNING, first,
                    em_tr("グローバルIP利用が「なし」の行は記入不要（グレーアウト）の欄に記入があります: %s。グローバルIPを使っている場合は「あり」を選んでください",
                          "グローバルIP利用 is なし, but greyed-out columns are filled: %s; choose あり if the line has a global IP"),
                    list);
        }
    }

    /* W-PROVIDER-MISSING / W-FQDN-SYNTAX */
    if (*p->fqdn) {
        if (!*p->provider_name || !*p->provider_plan) {
            enum em_field f = !*p->provider_name ? F_PROVIDER_NAME : F_PROVIDER_PLAN;
            const char *what = !*p->provider_name && !*p->provider_plan
                                   ? em_tr("プロバイダ名とプロバイダ品目", "provider name and plan")
                               : !*p->provider_name ? em_tr("プロバイダ名", "provider name")
                                                    : em_tr("プロバイダ品目", "provider plan");
            ADD("W-PROVIDER-MISSING", EM_SEV_WARNING, f,
                em_tr("FQDNが記入されていますが、%sが空欄です。FQDNを契約しているプロバイダの情報を記入してください",
                      "an FQDN is given but the %s is blank; write the provider the FQDN is contracted with"),
                what);
        }
        const char *why = fqdn_problem(p->fqdn);
        if (why)
            ADD("W-FQDN-SYNTAX", EM_SEV_WARNING, F_FQDN,
                em_tr("FQDN「%s」はホスト名として正しくありません: %s", "FQDN \"%s\" is not a valid host name: %s"),
                p->fqdn, why);
    }

    /* W-DYNAMIC-IP */
    if (p->ip_kind == EM_IP_KIND_DYNAMIC && p->scan_requested && internet)
        ADD("W-DYNAMIC-IP", EM_SEV_WARNING, F_IP_KIND, "%s",
            em_tr("動的IPで脆弱性診断を希望されています。診断当日にグローバルIPアドレスを確認して連絡してください（確認できない場合は診断できません）",
                  "dynamic IP with a scan requested: the address must be confirmed on the day of the scan (no confirmation, no scan)"));
    return 0;
}
#undef ADD

/* ---- finishing the model ---- */

static size_t find_segment(struct em_model *m, GHashTable *segs, const char *name)
{
    char k[512];
    em_norm_compact(name, strlen(name), k, sizeof k);
    if (!*k) return EM_NONE;
    int emr = strstr(k, "電子カルテ") != NULL || strcmp(k, "emr") == 0;
    const char *key = emr ? "\001emr" : k;
    gpointer p = g_hash_table_lookup(segs, key);
    if (p) return GPOINTER_TO_SIZE(p) - 1;
    size_t i = em_model_add_segment(m);
    if (i == EM_NONE) return EM_NONE;
    struct em_segment *s = &m->segments[i];
    s->name = name;
    s->emr = emr;
    s->id = emr ? "emr" : em_pool_printf(m->pool, "seg-%08lx", em_hash32(k));
    g_hash_table_insert(segs, g_strdup(key), GSIZE_TO_POINTER(i + 1));
    return i;
}

static size_t emr_segment(struct em_model *m, GHashTable *segs)
{
    gpointer p = g_hash_table_lookup(segs, "\001emr");
    if (p) return GPOINTER_TO_SIZE(p) - 1;
    return find_segment(m, segs, em_tr("電子カルテ系", "EMR"));
}

static const char *outside_for(struct em_model *m, GHashTable *nodes, enum em_node_kind kind,
                               const char *name, bool maintenance)
{
    char k[600];
    char c[512];
    em_norm_compact(name, strlen(name), c, sizeof c);
    snprintf(k, sizeof k, "%d:%s", (int)kind, c);
    gpointer p = g_hash_table_lookup(nodes, k);
    if (p) {
        struct em_outside *o = &m->outside[GPOINTER_TO_SIZE(p) - 1];
        if (maintenance) o->maintenance = true;
        return o->id;
    }
    size_t i = em_model_add_outside(m);
    if (i == EM_NONE) return NULL;
    struct em_outside *o = &m->outside[i];
    o->kind = kind;
    o->name = name;
    o->maintenance = maintenance;
    switch (kind) {
    case EM_NODE_NET_INTERNET: o->id = "net-internet"; break;
    case EM_NODE_NET_PHONE: o->id = "net-phone"; break;
    case EM_NODE_NET_CLOSED: o->id = em_pool_printf(m->pool, "net-closed-%08lx", em_hash32(c)); break;
    default: o->id = em_pool_printf(m->pool, "party-%08lx", em_hash32(c)); break;
    }
    g_hash_table_insert(nodes, g_strdup(k), GSIZE_TO_POINTER(i + 1));
    return o->id;
}

static int add_edge(struct em_model *m, GHashTable *edges, const char *from, const char *to,
                    const struct em_path *p, int emr_edge, int out_edge)
{
    if (!from || !to || strcmp(from, to) == 0) return 0;
    char k[512];
    snprintf(k, sizeof k, "%s>%s", from, to);
    gpointer hit = g_hash_table_lookup(edges, k);
    size_t i;
    if (hit) {
        i = GPOINTER_TO_SIZE(hit) - 1;
        struct em_edge *e = &m->edges[i];
        /* solid wins over dotted, in-scope over out-of-scope */
        if (emr_edge && p->emr_link == EM_TRI_YES) e->emr_unknown = false;
        if (out_edge && p->scan == EM_SCAN_IN) e->out_of_scope = false;
    } else {
        i = em_model_add_edge(m);
        if (i == EM_NONE) return -1;
        struct em_edge *e = &m->edges[i];
        e->from = from;
        e->to = to;
        e->id = em_pool_printf(m->pool, "e-%s--%s", from, to);
        e->emr_unknown = emr_edge && p->emr_link != EM_TRI_YES;
        e->out_of_scope = out_edge && p->scan != EM_SCAN_IN;
        g_hash_table_insert(edges, g_strdup(k), GSIZE_TO_POINTER(i + 1));
    }
    struct em_edge *e = &m->edges[i];
    if (e->n_rows == 0 || e->rows[e->n_rows - 1] != p->src.row)
        if (em_model_push_int(m, &e->rows, &e->n_rows, p->src.row) != 0) return -1;
    return 0;
}

static int is_maintenance(const struct em_path *p)
{
    char a[512], b[512];
    em_norm_compact(p->purpose, strlen(p->purpose), a, sizeof a);
    em_norm_compact(p->remote_party, strlen(p->remote_party), b, sizeof b);
    return strstr(a, "保守") != NULL || strstr(b, "保守") != NULL || strstr(a, "maintenance") != NULL;
}

/* On a plain Internet line the 接続先 is the provider itself (OCN, IIJ ...): it is the
 * Internet cloud, not a remote party of its own, so it gets no node. */
static int is_provider(const struct em_path *p)
{
    if (p->comm_type != EM_COMM_INTERNET) return 0;
    char party[512], purpose[512], prov[512];
    em_norm_compact(p->remote_party, strlen(p->remote_party), party, sizeof party);
    em_norm_compact(p->purpose, strlen(p->purpose), purpose, sizeof purpose);
    em_norm_compact(p->provider_name, strlen(p->provider_name), prov, sizeof prov);
    if (*prov && strcmp(party, prov) == 0) return 1;
    if (strcmp(party, "isp") == 0 || strstr(party, "プロバイダ")) return 1;
    return strcmp(purpose, em_norm_key("インターネット接続")) == 0 && !is_maintenance(p);
}

static int build_graph(struct em_model *m)
{
    int rc = 0;
    GHashTable *segs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *edges = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (size_t pi = 0; pi < m->n_paths && rc == 0; pi++) {
        const struct em_path *p = &m->paths[pi];
        const struct em_line *ln = &m->lines[p->line];
        const char *chain[8];
        int n = 0;
        const char *net = NULL;
        switch (p->comm_type) {
        case EM_COMM_INTERNET:
        case EM_COMM_INTERNET_VPN:
            net = outside_for(m, nodes, EM_NODE_NET_INTERNET, em_tr("インターネット", "Internet"), false);
            break;
        case EM_COMM_CLOSED: {
            const char *name = *ln->carrier || *ln->service
                                   ? em_pool_printf(m->pool, "%s%s%s", ln->carrier,
                                                    *ln->carrier && *ln->service ? " " : "", ln->service)
                                   : em_tr("閉域網", "Closed network");
            net = outside_for(m, nodes, EM_NODE_NET_CLOSED, name, false);
            break;
        }
        case EM_COMM_PHONE:
            net = outside_for(m, nodes, EM_NODE_NET_PHONE, em_tr("電話網", "Telephone network"), false);
            break;
        case EM_COMM_UNSET: break;
        }
        if (*p->remote_party && !is_provider(p)) {
            const char *party = outside_for(m, nodes, EM_NODE_PARTY, p->remote_party, is_maintenance(p));
            if (!party) { rc = -1; break; }
            if (net) rc = add_edge(m, edges, party, net, p, 0, 0);
            else net = party;
        }
        if (net) chain[n++] = net;
        chain[n++] = ln->id;
        for (int s = 0; s < 2; s++)
            if (p->dev[s] != EM_NONE) chain[n++] = m->devices[p->dev[s]].id;
        size_t seg = *p->system ? find_segment(m, segs, p->system) : EM_NONE;
        if (seg != EM_NONE) chain[n++] = m->segments[seg].id;
        int to_emr = p->emr_link != EM_TRI_NO && (seg == EM_NONE || !m->segments[seg].emr);
        for (int i = 0; i + 1 < n && rc == 0; i++)
            rc = add_edge(m, edges, chain[i], chain[i + 1], p, 0, net && i == 0);
        if (rc == 0 && to_emr) {
            size_t e = emr_segment(m, segs);
            if (e == EM_NONE) rc = -1;
            else rc = add_edge(m, edges, chain[n - 1], m->segments[e].id, p, 1, 0);
        }
    }
    /* terminals live inside their segment */
    for (size_t t = 0; t < m->n_terminals && rc == 0; t++) {
        struct em_terminal *term = &m->terminals[t];
        if (!*term->system) continue;
        size_t s = find_segment(m, segs, term->system);
        if (s == EM_NONE) { rc = -1; break; }
        term->segment = s;
        if (em_model_push_index(m, &m->segments[s].terminals, &m->segments[s].n_terminals, t) != 0) rc = -1;
    }
    g_hash_table_destroy(segs);
    g_hash_table_destroy(nodes);
    g_hash_table_destroy(edges);
    return rc;
}



static int device_rules(struct em_model *m, const struct em_advisories *adv)
{
    for (size_t i = 0; i < m->n_devices; i++) {
        struct em_device *d = &m->devices[i];
        if (d->source == EM_SRC_DISCOVERED) continue;
        struct em_src src = d->src;
        char label[256];
        snprintf(label, sizeof label, "%s%s%s", d->maker, *d->maker && *d->model ? " " : "", d->model);
        if (!label[0]) snprintf(label, sizeof label, "%s", em_dev_type_label(d->type));
        const char *col = d->col_firmware ? d->col_firmware : "";
        if (adv && *d->firmware) {
            d->fw_checked = true;
            const struct em_advisory *hits[16];
            size_t n = em_advisories_match(adv, d->maker, d->model, d->firmware, hits, 16);
            if (n > 16) n = 16;
            GString *ids = g_string_new(NULL);
            for (size_t h = 0; h < n; h++) {
                if (h == 0 && !d->advisory_url) d->advisory_url = em_pool_str(m->pool, hits[h]->url); /* the table is freed after finish */
                for (size_t k = 0; k < hits[h]->n_cves; k++) {
                    int dup = 0;
                    for (size_t j = 0; j < d->n_cves; j++)
                        if (strcmp(d->cves[j], hits[h]->cves[k]) == 0) dup = 1;
                    if (dup) continue;
                    const char *cve = em_pool_str(m->pool, hits[h]->cves[k]);
                    if (!cve || em_model_push_str(m, &d->cves, &d->n_cves, cve) != 0) {
                        g_string_free(ids, TRUE);
                        return -1;
                    }
                    g_string_append_printf(ids, "%s%s", ids->len ? ", " : "", cve);
                }
            }
            if (n > 0) {
                if (!*d->maker && hits[0]->maker)  /* a blank maker cell: the advisory knows it */
                    snprintf(label, sizeof label, "%s %s", hits[0]->maker, d->model);
                /* every advisory's fixed releases: the first one alone can still be
                   vulnerable to the others (FortiOS 6.0.5 fixes only CVE-2018-13379) */
                GString *fixed = g_string_new(NULL);
                for (size_t h = 0; h < n; h++) {
                    if (!hits[h]->fixed || !*hits[h]->fixed) continue;
                    g_string_append_printf(fixed, "%s%s: %s", fixed->len ? "; " : "",
                                           hits[h]->n_cves ? hits[h]->cves[0] : "", hits[h]->fixed);
                }
                int r;
                if (n == 1)
                    r = em_model_add_finding(
                        m, "H-VULN-FIRMWARE", EM_SEV_ERROR, &src, col, d->line_no,
                        em_tr("%s のファームウェア「%s」には既知の脆弱性があります（%s）。修正版（%s）へ更新してください。%s",
                              "%s firmware \"%s\" has known vulnerabilities (%s); update to a fixed release (%s). %s"),
                        label, d->firmware, ids->str, hits[0]->fixed ? hits[0]->fixed : "",
                        d->advisory_url ? d->advisory_url : "");
                else
                    r = em_model_add_finding(
                        m, "H-VULN-FIRMWARE", EM_SEV_ERROR, &src, col, d->line_no,
                        em_tr("%s のファームウェア「%s」には既知の脆弱性があります（%s）。すべてが修正された版へ更新してください（修正版: %s）。%s",
                              "%s firmware \"%s\" has known vulnerabilities (%s); update to a release that fixes all of them (fixed in: %s). %s"),
                        label, d->firmware, ids->str, fixed->str, d->advisory_url ? d->advisory_url : "");
                g_string_free(fixed, TRUE);
                g_string_free(ids, TRUE);
                if (r != 0) return -1;
            } else {
                g_string_free(ids, TRUE);
            }
        }
        if ((d->type == EM_DEV_ROUTER || d->type == EM_DEV_UTM) && !d->verified) {
            int r;
            if (*d->firmware)
                r = em_model_add_finding(
                    m, "W-FIRMWARE-UNVERIFIED", EM_SEV_INFO, &src, col, d->line_no,
                    em_tr("装置%s（%s）のファームウェア「%s」は実機で確認されていません。確認できたら備考に「装置%s実機確認実施」と記入してください",
                          "device %s (%s): firmware \"%s\" is not confirmed on the device; once checked, write 装置%s実機確認実施 in 備考"),
                    d->slot == 2 ? "②" : "①", label, d->firmware, d->slot == 2 ? "②" : "①");
            else
                r = em_model_add_finding(
                    m, "W-FIRMWARE-UNVERIFIED", EM_SEV_INFO, &src, col, d->line_no,
                    em_tr("装置%s（%s）のファームウェアバージョンが空欄です。実機で確認して記入してください",
                          "device %s (%s): the firmware version is blank; check it on the device"),
                    d->slot == 2 ? "②" : "①", label);
            if (r != 0) return -1;
        }
    }
    return 0;
}

static int terminal_rules(struct em_model *m, const struct em_eos *eos)
{
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        char av[256];
        em_norm_compact(t->antivirus, strlen(t->antivirus), av, sizeof av);
        if (!*av || strcmp(av, "なし") == 0 || strcmp(av, "無") == 0 || strcmp(av, "未導入") == 0 ||
            strcmp(av, "none") == 0 || strcmp(av, "-") == 0)
            if (em_model_add_finding(m, "W-TERMINAL", EM_SEV_WARNING, &t->src, t->col_antivirus, NULL,
                                     em_tr("端末「%s」にウイルス対策ソフトが入っていません", "terminal \"%s\" has no antivirus software"),
                                     t->name) != 0)
                return -1;
        if (t->usb_blocked == EM_TRI_NO)
            if (em_model_add_finding(m, "W-TERMINAL", EM_SEV_WARNING, &t->src, t->col_usb, NULL,
                                     em_tr("端末「%s」のUSBが閉塞されていません（USBメモリ等からの感染経路になります）",
                                           "terminal \"%s\" does not block USB storage (a path for malware)"),
                                     t->name) != 0)
                return -1;
        const char *product = NULL, *end = NULL;
        if (eos && *t->os && em_eos_check(eos, t->os, m->survey_date, &product, &end) == 1)
            if (em_model_add_finding(m, "W-TERMINAL", EM_SEV_WARNING, &t->src, t->col_os, NULL,
                                     em_tr("端末「%s」のOS「%s」はサポートが終了しています（%s は %s に終了）。更新プログラムが提供されません",
                                           "terminal \"%s\" runs \"%s\", past its end of support (%s ended %s); it gets no security updates"),
                                     t->name, t->os, product ? product : "", end ? end : "") != 0)
                return -1;
    }
    return 0;
}

int em_model_finish(struct em_model *m, const char *data_dir, struct em_err *err)
{
    if (!data_dir) data_dir = em_data_dir();
    if (!*m->survey_date) {
        const char *env = getenv("EDGEMAP_SURVEY_DATE");
        char today[16];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        m->survey_date = em_pool_str(m->pool, env && strlen(env) == 10 ? env : today);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/firmware-advisories.tsv", data_dir);
    struct em_advisories *adv = em_advisories_load(path, err);
    if (!adv) return err && err->rc ? err->rc : EM_ERR_IO;
    snprintf(path, sizeof path, "%s/os-eos.tsv", data_dir);
    struct em_eos *eos = em_eos_load(path, err);
    if (!eos) {
        em_advisories_free(adv);
        return err && err->rc ? err->rc : EM_ERR_IO;
    }
    int rc = build_graph(m);
    if (rc == 0) rc = device_rules(m, adv);
    if (rc == 0) rc = terminal_rules(m, eos);
    em_advisories_free(adv);
    em_eos_free(eos);
    if (rc != 0) return em_err_set(err, EM_ERR_NOMEM, NULL, NULL, 0, NULL, "out of memory");
    em_model_sort_findings(m);
    return 0;
}
