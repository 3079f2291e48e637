/* rules.c — the record rules of records.md. Per-row rules run while records.c streams
 * the rows; device (advisories), and terminal rules run once every file is in
 * (finish.c). Messages are written for the person who filled in the sheet, in
 * Japanese unless --lang en. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mapper/advisory.h"
#include "mapper/codes.h"
#include "mapper/eos.h"
#include "mapper/ipaddr.h"
#include "mapper/lang.h"
#include "mapper/list.h"
#include "mapper/norm.h"
#include "mapper/records_int.h"

#define ADD(code, field, ...)                                                             \
    do {                                                                                  \
        if (em_model_add(c->m, code, &c->path->src, c->col[field], c->line->line_no,       \
                         __VA_ARGS__) != 0)                                               \
            return -1;                                                                    \
    } while (0)

struct ipcheck { enum em_ip_class k; int n; char *bad; size_t badsize; };

static int check_one(void *ctx, const char *item, size_t len)
{
    struct ipcheck *c = ctx;
    char a[128];
    if (len >= sizeof a) len = sizeof a - 1;
    memcpy(a, item, len);
    a[len] = '\0';
    em_utf8_trim_cut(a);
    c->n++;
    c->k = em_ip_classify(a);
    if (c->k == EM_IP_GLOBAL) return 0;
    snprintf(c->bad, c->badsize, "%s", a);
    return 1;
}

/* An address list ("a, b", "a、b", "a / b", one per line; "/29" is a prefix) down to its
 * first invalid or non-global entry. EM_IP_GLOBAL when all are global; *bad gets the entry. */
static enum em_ip_class check_ip_list(const char *list, char *bad, size_t badsize)
{
    struct ipcheck c = {EM_IP_GLOBAL, 0, bad, badsize};
    if (em_list_split(list, EM_LIST_SPACES | EM_LIST_PREFIX, check_one, &c)) return c.k;
    if (c.n == 0) {
        snprintf(bad, badsize, "%s", list);
        em_utf8_trim_cut(bad);
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
            ADD(EM_E_COMM_TYPE, F_COMM_TYPE, "%s",
                em_tr("通信形態が空欄です。「インターネット」「インターネットVPN」「閉域網」「電話回線のみ」のいずれかを選んでください",
                      "通信形態 (communication form) is blank: choose インターネット, インターネットVPN, 閉域網 or 電話回線のみ"));
        else
            ADD(EM_E_COMM_TYPE, F_COMM_TYPE,
                em_tr("通信形態「%s」は選択肢にありません。「インターネット」「インターネットVPN」「閉域網」「電話回線のみ」のいずれかを選んでください",
                      "通信形態 \"%s\" is not one of the choices: インターネット, インターネットVPN, 閉域網 or 電話回線のみ"),
                p->comm_type_raw);
    }

    int internet = p->comm_type == EM_COMM_INTERNET || p->comm_type == EM_COMM_INTERNET_VPN;
    int closed = p->comm_type == EM_COMM_CLOSED || p->comm_type == EM_COMM_PHONE;

    /* E-IP-KIND-MISSING / E-FIXED-IP-MISSING */
    if (p->global_ip_use == EM_TRI_YES && p->ip_kind == EM_IP_KIND_NONE)
        ADD(EM_E_IP_KIND_MISSING, F_IP_KIND, "%s",
            em_tr("グローバルIP利用が「あり」ですが、固定IP/動的IP が選ばれていません。「固定IP」か「動的IP」を選んでください",
                  "グローバルIP利用 is あり but 固定IP/動的IP is blank: choose 固定IP (fixed) or 動的IP (dynamic)"));
    if (p->global_ip_use == EM_TRI_YES && p->ip_kind == EM_IP_KIND_FIXED && !*p->global_ip)
        ADD(EM_E_FIXED_IP_MISSING, F_GLOBAL_IP, "%s",
            em_tr("固定IPですが、グローバルIPアドレスが記入されていません。脆弱性診断の対象アドレスとして必要です",
                  "a fixed global IP is declared but グローバルIPアドレス is blank; the scan needs the address"));

    /* E-IP-SYNTAX / E-IP-NOT-GLOBAL */
    if (*p->global_ip) {
        char bad[128];
        enum em_ip_class k = check_ip_list(p->global_ip, bad, sizeof bad);
        if (k == EM_IP_INVALID)
            ADD(EM_E_IP_SYNTAX, F_GLOBAL_IP,
                em_tr("グローバルIPアドレス「%s」はIPアドレスの形式ではありません（例: 203.0.113.10 / 2001:db8::1）",
                      "グローバルIPアドレス \"%s\" is not an IPv4/IPv6 address (e.g. 203.0.113.10 / 2001:db8::1)"),
                bad);
        else if (k != EM_IP_GLOBAL)
            ADD(EM_E_IP_NOT_GLOBAL, F_GLOBAL_IP,
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
            /* judge this row's own type (the parsed pull-down), not the merged device's */
            enum em_dev_type t = em_rec_parse_dev_type(v->compact[F_DEV2_TYPE]);
            int ok = t == EM_DEV_ROUTER || t == EM_DEV_UTM;
            if (!ok)
                ADD(EM_E_DEV2_TYPE, F_DEV2_TYPE,
                    em_tr("装置②の種類「%s」は記入できません。装置②には装置①の先の「ルーター」か「ファイアウォール/UTM」を記入してください（ONU・モデムなどは装置①へ）",
                          "装置② type \"%s\" is not allowed: 装置② is the router (ルーター) or firewall/UTM behind 装置①"),
                    v->val[F_DEV2_TYPE]);
        } else if (any) {
            ADD(EM_E_DEV2_TYPE, F_DEV2_TYPE, "%s",
                em_tr("装置②の項目が記入されていますが、装置の種類が空欄です。「ルーター」か「ファイアウォール/UTM」を選んでください",
                      "装置② is filled in but its type is blank: choose ルーター (router) or ファイアウォール/UTM"));
        }
    }

    /* W-EMR-UNKNOWN */
    if (!*v->val[F_EMR_LINK]) {
        if (p->emr_unknown_explained)
            ADD(EM_W_EMR_UNKNOWN, F_EMR_LINK, "%s",
                em_tr("電子カルテ接続が空欄（不明）です。備考に「接続は不明」と説明があります。現地調査で接続の有無を確認します",
                      "EMR link is blank (unknown); 備考 explains it is unknown. The site survey will check it"));
        else
            ADD(EM_W_EMR_UNKNOWN, F_EMR_LINK, "%s",
                em_tr("電子カルテ接続が空欄（不明）です。分かる場合は「あり」「なし」を、不明な場合は備考に「電子カルテシステムの所属ネットワークとの接続は不明」と記入してください",
                      "EMR link is blank (unknown) and 備考 does not explain it: choose あり/なし, or write that the link is unknown in 備考"));
    } else if (p->emr_link == EM_TRI_UNKNOWN) {
        ADD(EM_W_EMR_UNKNOWN, F_EMR_LINK,
            em_tr("電子カルテ接続「%s」は「あり」「なし」のどちらでもないため、不明として扱います",
                  "EMR link \"%s\" is neither あり nor なし; treated as unknown"),
            v->val[F_EMR_LINK]);
    }

    /* W-GLOBAL-IP-EXPECTED */
    if (internet && p->global_ip_use != EM_TRI_YES)
        ADD(EM_W_GLOBAL_IP_EXPECTED, F_GLOBAL_IP_USE,
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
                ADD(EM_W_NOT_NEEDED, first,
                    em_tr("通信形態が「%s」の行は記入不要（グレーアウト）の欄に記入があります: %s。閉域網・電話回線は脆弱性診断の対象外です",
                          "communication form \"%s\" does not use the greyed-out columns, but these are filled: %s; closed networks and phone lines are not scanned"),
                    comm_label(p), list);
            else
                ADD(EM_W_NOT_NEEDED, first,
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
            ADD(EM_W_PROVIDER_MISSING, f,
                em_tr("FQDNが記入されていますが、%sが空欄です。FQDNを契約しているプロバイダの情報を記入してください",
                      "an FQDN is given but the %s is blank; write the provider the FQDN is contracted with"),
                what);
        }
        const char *why = fqdn_problem(p->fqdn);
        if (why)
            ADD(EM_W_FQDN_SYNTAX, F_FQDN,
                em_tr("FQDN「%s」はホスト名として正しくありません: %s", "FQDN \"%s\" is not a valid host name: %s"),
                p->fqdn, why);
    }

    /* W-DYNAMIC-IP */
    if (p->ip_kind == EM_IP_KIND_DYNAMIC && p->scan_requested && internet)
        ADD(EM_W_DYNAMIC_IP, F_IP_KIND, "%s",
            em_tr("動的IPで脆弱性診断を希望されています。診断当日にグローバルIPアドレスを確認して連絡してください（確認できない場合は診断できません）",
                  "dynamic IP with a scan requested: the address must be confirmed on the day of the scan (no confirmation, no scan)"));
    return 0;
}
#undef ADD

/* em_advisories_match() of one (maker, model, firmware), remembered: a survey repeats
 * the same few models and releases on thousands of devices. */
struct adv_hits { size_t n; const struct em_advisory *hits[16]; };
#define ADV_MEMO_MAX 4096
#define ADV_MEMO_KEY 1600

static size_t adv_match(GHashTable *memo, const struct em_advisories *adv, const struct em_device *d,
                        const struct em_advisory **hits)
{
    char key[ADV_MEMO_KEY];
    int kl = snprintf(key, sizeof key, "%s\x1f%s\x1f%s", d->maker, d->model, d->firmware);
    int memo_ok = kl > 0 && (size_t)kl < sizeof key;   /* longer cells are matched each time */
    const struct adv_hits *h = memo_ok ? g_hash_table_lookup(memo, key) : NULL;
    if (!h) {
        struct adv_hits r;
        r.n = em_advisories_match(adv, d->maker, d->model, d->firmware, r.hits, 16);
        if (r.n > 16) r.n = 16;
        memcpy(hits, r.hits, r.n * sizeof *hits);
        if (memo_ok && g_hash_table_size(memo) < ADV_MEMO_MAX)
            g_hash_table_insert(memo, g_strdup(key), g_memdup2(&r, sizeof r));
        return r.n;
    }
    memcpy(hits, h->hits, h->n * sizeof *hits);
    return h->n;
}

static int rules_devices(struct em_model *m, const struct em_advisories *adv, GHashTable *memo);

int em_rules_devices(struct em_model *m, const struct em_advisories *adv)
{
    GHashTable *memo = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    int rc = rules_devices(m, adv, memo);
    g_hash_table_destroy(memo);
    return rc;
}

/* em_rules_devices() with its memo of advisory matches. */
static int rules_devices(struct em_model *m, const struct em_advisories *adv, GHashTable *memo)
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
            size_t n = adv_match(memo, adv, d, hits);
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
                    r = em_model_add(m, EM_H_VULN_FIRMWARE, &src, col, d->line_no,
                        em_tr("%s のファームウェア「%s」には既知の脆弱性があります（%s）。修正版（%s）へ更新してください。%s",
                              "%s firmware \"%s\" has known vulnerabilities (%s); update to a fixed release (%s). %s"),
                        label, d->firmware, ids->str, hits[0]->fixed ? hits[0]->fixed : "",
                        d->advisory_url ? d->advisory_url : "");
                else
                    r = em_model_add(m, EM_H_VULN_FIRMWARE, &src, col, d->line_no,
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
                r = em_model_add(m, EM_W_FIRMWARE_UNVERIFIED, &src, col, d->line_no,
                    em_tr("装置%s（%s）のファームウェア「%s」は実機で確認されていません。確認できたら備考に「装置%s実機確認実施」と記入してください",
                          "device %s (%s): firmware \"%s\" is not confirmed on the device; once checked, write 装置%s実機確認実施 in 備考"),
                    d->slot == 2 ? "②" : "①", label, d->firmware, d->slot == 2 ? "②" : "①");
            else
                r = em_model_add(m, EM_W_FIRMWARE_UNVERIFIED, &src, col, d->line_no,
                    em_tr("装置%s（%s）のファームウェアバージョンが空欄です。実機で確認して記入してください",
                          "device %s (%s): the firmware version is blank; check it on the device"),
                    d->slot == 2 ? "②" : "①", label);
            if (r != 0) return -1;
        }
    }
    return 0;
}

int em_rules_terminals(struct em_model *m, const struct em_eos *eos)
{
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        char av[256];
        em_norm_compact(t->antivirus, strlen(t->antivirus), av, sizeof av);
        if (!*av || strcmp(av, "なし") == 0 || strcmp(av, "無") == 0 || strcmp(av, "未導入") == 0 ||
            strcmp(av, "none") == 0 || strcmp(av, "-") == 0)
            if (em_model_add(m, EM_W_TERMINAL, &t->src, t->col_antivirus, NULL,
                                     em_tr("端末「%s」にウイルス対策ソフトが入っていません", "terminal \"%s\" has no antivirus software"),
                                     t->name) != 0)
                return -1;
        if (t->usb_blocked == EM_TRI_NO)
            if (em_model_add(m, EM_W_TERMINAL, &t->src, t->col_usb, NULL,
                                     em_tr("端末「%s」のUSBが閉塞されていません（USBメモリ等からの感染経路になります）",
                                           "terminal \"%s\" does not block USB storage (a path for malware)"),
                                     t->name) != 0)
                return -1;
        const char *product = NULL, *end = NULL;
        if (eos && *t->os && em_eos_check(eos, t->os, m->survey_date, &product, &end) == 1)
            if (em_model_add(m, EM_W_TERMINAL, &t->src, t->col_os, NULL,
                                     em_tr("端末「%s」のOS「%s」はサポートが終了しています（%s は %s に終了）。更新プログラムが提供されません",
                                           "terminal \"%s\" runs \"%s\", past its end of support (%s ended %s); it gets no security updates"),
                                     t->name, t->os, product ? product : "", end ? end : "") != 0)
                return -1;
    }
    return 0;
}

