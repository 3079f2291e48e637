/* report.c — the national report of one round, from the store alone: hospitals
 * surveyed and failed, lines by communication form, scan targets, devices with their
 * CVEs, vendor hubs per company, closed-network hubs (flagged when the company also
 * has Internet-exposed lines), and one row per hospital linking to its own report.
 * Every number is one SQL aggregate, so memory stays flat whatever the number of
 * hospitals. HTML (self-contained, inline SVG charts) or JSON from the same rows. */
#include "fleet/fleet.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"

/* How a column is shown. */
enum ckind { C_TEXT, C_NUM, C_COMM, C_LINK, C_FLAG };
struct col { const char *key, *ja, *en; enum ckind kind; };

/* One query's rows, all as text. */
struct rows { size_t n, ncol; char **v; };

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->n * r->ncol; i++) g_free(r->v[i]);
    g_free(r->v);
    memset(r, 0, sizeof *r);
}

static const char *cell(const struct rows *r, size_t i, size_t c) { return r->v[i * r->ncol + c]; }

/* Runs sql with the round (and an optional second text parameter) bound. */
static int query(struct em_db *db, const char *sql, size_t ncol, const char *p1, const char *p2, struct rows *out,
                 struct em_err *err)
{
    memset(out, 0, sizeof *out);
    out->ncol = ncol;
    struct em_db_stmt *st = em_db_prepare(db, sql, err);
    if (!st) return EM_DB_ERROR;
    if (p1) em_db_bind_text(st, 1, p1);
    if (p2) em_db_bind_text(st, 2, p2);
    size_t cap = 0;
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->v = g_renew(char *, out->v, cap * ncol);
        }
        for (size_t c = 0; c < ncol; c++) {
            const char *t = em_db_col_text(st, (int)c);
            out->v[out->n * ncol + c] = g_strdup(t ? t : "");
        }
        out->n++;
    }
    em_db_finalize(st);
    if (rc < 0) rows_free(out);
    return rc < 0 ? rc : 0;
}

static const char *comm_label(const char *t)
{
    if (strcmp(t, "internet") == 0) return em_tr("インターネット", "Internet");
    if (strcmp(t, "internet_vpn") == 0) return em_tr("インターネットVPN", "Internet VPN");
    if (strcmp(t, "closed") == 0) return em_tr("閉域網", "closed network");
    if (strcmp(t, "phone") == 0) return em_tr("電話回線のみ", "phone line only");
    return em_tr("不明", "unknown");
}

static void esc(struct em_fbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': em_fbuf_str(b, "&lt;"); break;
        case '>': em_fbuf_str(b, "&gt;"); break;
        case '&': em_fbuf_str(b, "&amp;"); break;
        case '"': em_fbuf_str(b, "&quot;"); break;
        case '\'': em_fbuf_str(b, "&#39;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') em_fbuf_str(b, " ");
            else em_fbuf_add(b, s, 1);
        }
    }
}

/* A horizontal bar chart as inline SVG: labels[i], values[i]. */
static void bar_chart(struct em_fbuf *b, const char *title, const char *const *labels, const long long *values,
                      size_t n)
{
    long long max = 1;
    for (size_t i = 0; i < n; i++) max = values[i] > max ? values[i] : max;
    int h = 22 * (int)n + 30;
    em_fbuf_printf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" role=\"img\" aria-label=\"", h);
    esc(b, title);
    em_fbuf_str(b, "\"><title>");
    esc(b, title);
    em_fbuf_str(b, "</title>");
    for (size_t i = 0; i < n; i++) {
        int y = 10 + 22 * (int)i;
        int w = (int)(400.0 * (double)values[i] / (double)max);
        em_fbuf_printf(b, "<text x=\"190\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">", y + 14);
        esc(b, labels[i]);
        em_fbuf_printf(b, "</text><rect x=\"196\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#3b6ea5\"/>"
                          "<text x=\"%d\" y=\"%d\" font-size=\"12\">%lld</text>",
                       y + 2, w < 1 ? 1 : w, 200 + w, y + 14, values[i]);
    }
    em_fbuf_str(b, "</svg>\n");
}

/* Every output of one run, filled from the same query results: HTML into b, JSON
 * into root (then jb), tables to fn. Any of them may be absent. */
struct out {
    struct em_fbuf *b, *jb;
    json_object *root;
    const char *link;
    em_fleet_table_fn fn;
    void *ctx;
    int stop;                   /* the callback's non-zero return */
};

/* The section as a table for the callback: display text (forms and flags spelled). */
static void to_table(struct out *o, const char *key, const char *sheet, const char *title, const struct col *cols,
                     size_t ncol, const struct rows *r, const char *note)
{
    if (o->stop) return;
    const char **header = g_new0(const char *, ncol);
    bool *numeric = g_new0(bool, ncol);
    char **cells = g_new0(char *, r->n * ncol + 1);
    for (size_t c = 0; c < ncol; c++) {
        header[c] = em_lang_get() == EM_LANG_EN ? cols[c].en : cols[c].ja;
        numeric[c] = cols[c].kind == C_NUM;
    }
    for (size_t i = 0; i < r->n; i++)
        for (size_t c = 0; c < ncol; c++) {
            const char *v = cell(r, i, c);
            if (cols[c].kind == C_COMM) v = comm_label(v);
            else if (cols[c].kind == C_FLAG) v = strcmp(v, "0") && *v ? em_tr("あり", "yes") : "";
            cells[i * ncol + c] = (char *)v;
        }
    struct em_fleet_table t = {key, sheet, title, note, ncol, r->n, header, numeric, cells};
    o->stop = o->fn(o->ctx, &t);
    g_free(header);
    g_free(numeric);
    g_free(cells);
}

/* Writes a section: heading and table (HTML) or an array of objects (JSON). */
static void section(struct out *o, const char *key, const char *sheet, const char *title, const struct col *cols,
                    size_t ncol, const struct rows *r, const char *note)
{
    if (o->fn) to_table(o, key, sheet, title, cols, ncol, r, note);
    if (o->root) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < r->n; i++) {
            json_object *obj = json_object_new_object();
            for (size_t c = 0; c < ncol; c++) {
                const char *v = cell(r, i, c);
                json_object *jv = cols[c].kind == C_NUM || cols[c].kind == C_FLAG
                                      ? json_object_new_int64(g_ascii_strtoll(v, NULL, 10))
                                      : json_object_new_string(v);
                json_object_object_add(obj, cols[c].key, jv);
            }
            json_object_array_add(arr, obj);
        }
        json_object_object_add(o->root, key, arr);
    }
    if (!o->b) return;
    struct em_fbuf *b = o->b;
    em_fbuf_printf(b, "<h2 id=\"%s\">", key);
    esc(b, title);
    em_fbuf_str(b, "</h2>\n");
    if (note) {
        em_fbuf_str(b, "<p class=\"note\">");
        esc(b, note);
        em_fbuf_str(b, "</p>\n");
    }
    if (r->n == 0) {
        em_fbuf_printf(b, "<p>%s</p>\n", em_tr("該当なし", "none"));
        return;
    }
    em_fbuf_str(b, "<table><thead><tr>");
    for (size_t c = 0; c < ncol; c++) {
        em_fbuf_str(b, cols[c].kind == C_NUM ? "<th class=\"n\">" : "<th>");
        esc(b, em_lang_get() == EM_LANG_EN ? cols[c].en : cols[c].ja);
        em_fbuf_str(b, "</th>");
    }
    em_fbuf_str(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->n; i++) {
        em_fbuf_str(b, "<tr>");
        for (size_t c = 0; c < ncol; c++) {
            const char *v = cell(r, i, c);
            switch (cols[c].kind) {
            case C_NUM: em_fbuf_str(b, "<td class=\"n\">"); esc(b, v); break;
            case C_COMM: em_fbuf_str(b, "<td>"); esc(b, comm_label(v)); break;
            case C_FLAG:
                em_fbuf_str(b, strcmp(v, "0") && *v ? "<td class=\"flag\">" : "<td>");
                esc(b, strcmp(v, "0") && *v ? em_tr("あり（露出が経由）", "yes (exposure passes through)") : "");
                break;
            case C_LINK: {
                char *href = NULL;
                if (o->link && strstr(o->link, "%s")) {
                    const char *p = strstr(o->link, "%s");
                    href = g_strdup_printf("%.*s%s%s", (int)(p - o->link), o->link, v, p + 2);
                }
                em_fbuf_str(b, "<td>");
                if (href) {
                    em_fbuf_str(b, "<a href=\"");
                    esc(b, href);
                    em_fbuf_str(b, "\">");
                }
                esc(b, v);
                if (href) em_fbuf_str(b, "</a>");
                g_free(href);
                break;
            }
            case C_TEXT: em_fbuf_str(b, "<td>"); esc(b, v); break;
            }
            em_fbuf_str(b, "</td>");
        }
        em_fbuf_str(b, "</tr>\n");
    }
    em_fbuf_str(b, "</tbody></table>\n");
}

static long long num(struct em_db *db, const char *sql, const char *round, struct em_err *err, int *rc)
{
    long long v = 0;
    if (*rc >= 0) *rc = em_db_query_int(db, &v, err, sql, round, NULL);
    return v;
}

static const char css[] =
    "body{font-family:'Noto Sans CJK JP','Hiragino Sans',sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #bbb;padding:2px 8px;font-size:13px}"
    "th{background:#eef}td.n,th.n{text-align:right}td.flag{background:#fdd;font-weight:bold}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ccc;padding:8px 14px;border-radius:6px}"
    ".card b{display:block;font-size:22px}.note{color:#555;font-size:13px}nav a{margin-right:1em}";

/* The summary numbers, as cards (HTML) or an object (JSON). */
static int summary(struct em_db *db, const char *round, struct out *o, struct em_err *err)
{
    int rc = 0;
    struct { const char *key, *ja, *en, *sql; long long v; } s[] = {
        {"hospitals", "調査済み医療機関", "hospitals surveyed", "SELECT COUNT(*) FROM submissions WHERE round = ?", 0},
        {"failed", "読み込み失敗", "failed to read", "SELECT COUNT(*) FROM failures WHERE round = ?", 0},
        {"lines", "回線", "lines", "SELECT COALESCE(SUM(n_lines), 0) FROM submissions WHERE round = ?", 0},
        {"paths", "通信経路（行）", "paths (rows)", "SELECT COALESCE(SUM(n_paths), 0) FROM submissions WHERE round = ?", 0},
        {"devices", "装置", "devices", "SELECT COALESCE(SUM(n_devices), 0) FROM submissions WHERE round = ?", 0},
        {"vulnerable_devices", "脆弱なファームウェアの装置", "devices on vulnerable firmware",
         "SELECT COUNT(*) FROM devices WHERE round = ? AND cves <> ''", 0},
        {"hospitals_vulnerable", "脆弱な装置のある医療機関", "hospitals with a vulnerable device",
         "SELECT COUNT(DISTINCT hospital_id) FROM devices WHERE round = ? AND cves <> ''", 0},
        {"errors", "エラー指摘", "error findings", "SELECT COALESCE(SUM(n_errors), 0) FROM submissions WHERE round = ?", 0},
        {"scan_targets", "脆弱性診断の対象（調査希望あり）", "scan targets (requested)",
         "SELECT COUNT(*) FROM paths WHERE round = ? AND scan_scope = 'in' AND scan_requested = 1", 0},
        {"scan_hospitals", "診断対象のある医療機関", "hospitals with scan targets",
         "SELECT COUNT(DISTINCT hospital_id) FROM paths WHERE round = ? AND scan_scope = 'in' AND scan_requested = 1", 0},
    };
    size_t n = sizeof s / sizeof s[0];
    for (size_t i = 0; i < n; i++) s[i].v = num(db, s[i].sql, round, err, &rc);
    if (rc < 0) return rc;
    if (o->fn) {
        static const struct col cols[] = {{"item", "項目", "item", C_TEXT}, {"value", "数", "count", C_NUM}};
        struct rows r = {n, 2, g_new0(char *, n * 2)};
        for (size_t i = 0; i < n; i++) {
            r.v[i * 2] = g_strdup(em_tr(s[i].ja, s[i].en));
            r.v[i * 2 + 1] = g_strdup_printf("%lld", s[i].v);
        }
        to_table(o, "summary", em_tr("概要", "summary"), em_tr("概要", "Summary"), cols, 2, &r, NULL);
        rows_free(&r);
    }
    if (o->root) {
        json_object *obj = json_object_new_object();
        for (size_t i = 0; i < n; i++) json_object_object_add(obj, s[i].key, json_object_new_int64(s[i].v));
        json_object_object_add(o->root, "summary", obj);
    }
    if (!o->b) return 0;
    em_fbuf_str(o->b, "<div class=\"cards\">");
    for (size_t i = 0; i < n; i++) {
        em_fbuf_printf(o->b, "<div class=\"card\" id=\"sum-%s\"><b>%lld</b>", s[i].key, s[i].v);
        esc(o->b, em_tr(s[i].ja, s[i].en));
        em_fbuf_str(o->b, "</div>");
    }
    em_fbuf_str(o->b, "</div>\n");
    return 0;
}

/* Charts of a two-column (label, number) result. */
static void chart_of(struct out *o, const char *title, const struct rows *r, size_t lc, size_t vc, bool comm)
{
    if (!o->b || r->n == 0) return;
    size_t n = r->n > 20 ? 20 : r->n;
    const char **labels = g_new0(const char *, n);
    long long *values = g_new0(long long, n);
    for (size_t i = 0; i < n; i++) {
        labels[i] = comm ? comm_label(cell(r, i, lc)) : cell(r, i, lc);
        values[i] = g_ascii_strtoll(cell(r, i, vc), NULL, 10);
    }
    bar_chart(o->b, title, labels, values, n);
    g_free(labels);
    g_free(values);
}

/* The columns of each table section. */
static const struct col forms_cols[] = {{"comm_type", "通信形態", "communication form", C_COMM},
                                        {"paths", "経路（行）", "paths (rows)", C_NUM},
                                        {"lines", "回線", "lines", C_NUM},
                                        {"hospitals", "医療機関", "hospitals", C_NUM}};
static const struct col scan_cols[] = {{"scan_scope", "診断範囲", "scope", C_TEXT},
                                       {"reason", "理由", "reason", C_TEXT},
                                       {"requested", "調査希望", "requested", C_NUM},
                                       {"paths", "経路", "paths", C_NUM},
                                       {"addresses", "グローバルIP", "global IPs", C_NUM},
                                       {"hospitals", "医療機関", "hospitals", C_NUM}};
static const struct col devs_cols[] = {{"maker", "メーカー", "maker", C_TEXT},
                                       {"model", "機種", "model", C_TEXT},
                                       {"firmware", "ファームウェア", "firmware", C_TEXT},
                                       {"cves", "CVE", "CVEs", C_TEXT},
                                       {"devices", "台数", "devices", C_NUM},
                                       {"hospitals", "医療機関", "hospitals", C_NUM}};
static const struct col vend_cols[] = {{"company", "会社（グループ）", "company (group)", C_TEXT},
                                       {"example", "接続先の例", "remote party as written", C_TEXT},
                                       {"hospitals", "医療機関", "hospitals", C_NUM},
                                       {"internet", "インターネット", "Internet", C_NUM},
                                       {"internet_vpn", "インターネットVPN", "Internet VPN", C_NUM},
                                       {"closed", "閉域網", "closed", C_NUM},
                                       {"phone", "電話回線", "phone", C_NUM},
                                       {"emr", "電子カルテ到達", "reach the EMR", C_NUM},
                                       {"maintenance", "保守回線", "maintenance", C_NUM}};
static const struct col vdev_cols[] = {{"company", "会社", "company", C_TEXT},
                                       {"maker", "メーカー", "maker", C_TEXT},
                                       {"model", "機種", "model", C_TEXT},
                                       {"firmware", "ファームウェア", "firmware", C_TEXT},
                                       {"cves", "CVE", "CVEs", C_TEXT},
                                       {"hospitals", "医療機関", "hospitals", C_NUM}};
static const struct col hubs_cols[] = {{"party", "接続先", "remote party", C_TEXT},
                                       {"company", "会社", "company", C_TEXT},
                                       {"hospitals", "閉域網で接続する医療機関", "hospitals over closed networks", C_NUM},
                                       {"emr", "電子カルテ到達", "reach the EMR", C_NUM},
                                       {"exposed", "同じ会社のインターネット露出", "same company Internet-exposed", C_FLAG},
                                       {"exposed_hospitals", "露出のある医療機関", "hospitals with exposed lines", C_NUM}};
static const struct col hosp_cols[] = {{"id", "ID", "id", C_LINK},
                                       {"name", "医療機関名", "hospital", C_TEXT},
                                       {"address", "所在地", "address", C_TEXT},
                                       {"folder", "フォルダ", "folder", C_TEXT},
                                       {"lines", "回線", "lines", C_NUM},
                                       {"devices", "装置", "devices", C_NUM},
                                       {"errors", "エラー", "errors", C_NUM},
                                       {"warnings", "警告", "warnings", C_NUM},
                                       {"vulnerable", "脆弱な装置", "vulnerable devices", C_NUM},
                                       {"scan_targets", "診断対象", "scan targets", C_NUM}};
static const struct col fail_cols[] = {{"folder", "フォルダ", "folder", C_TEXT},
                                       {"file", "ファイル", "file", C_TEXT},
                                       {"message", "理由", "why", C_TEXT}};

/* What a section's query binds: ?1 is always the round; ?2 is the round again or the
 * hub threshold (--hub-min). */
enum bind2 { B_NONE, B_ROUND, B_HUB_MIN };

/* One table section of the report: its query (one SQL aggregate), its columns, its
 * headings and note (a "%s" in the note stands for the hub threshold), and an optional
 * chart of the first 20 rows (label column, value column). */
struct sect {
    const char *key, *sheet_ja, *sheet_en, *title_ja, *title_en;
    const struct col *cols;
    size_t ncol;
    const char *sql;
    enum bind2 bind2;
    const char *note_ja, *note_en;
    const char *chart_ja, *chart_en;   /* NULL: no chart */
    size_t chart_label, chart_value;
};
#define COLS(a) (a), (sizeof (a) / sizeof (a)[0])

/* The sections, in the order the report shows them. */
static const struct sect sections[] = {
    {"forms", "通信形態", "forms", "通信形態別の回線", "Lines by communication form", COLS(forms_cols),
     "SELECT comm_type, COUNT(*), COUNT(DISTINCT hospital_id || '/' || line_idx),"
     " COUNT(DISTINCT hospital_id) FROM paths WHERE round = ? GROUP BY comm_type ORDER BY 2 DESC, 1",
     B_NONE, NULL, NULL, "通信形態別の経路数", "paths by communication form", 0, 1},
    {"scan", "診断対象", "scan", "脆弱性診断の対象", "Scan targets", COLS(scan_cols),
     "SELECT scan_scope, scan_reason, scan_requested, COUNT(*), COUNT(DISTINCT CASE WHEN global_ip <> ''"
     " THEN global_ip END), COUNT(DISTINCT hospital_id) FROM paths WHERE round = ?"
     " GROUP BY scan_scope, scan_reason, scan_requested ORDER BY 1, 2, 3 DESC",
     B_NONE, "診断範囲 in で調査希望 1 の経路が診断リストに載ります。", "Paths in scope with requested = 1 go on the scan list.",
     NULL, NULL, 0, 0},
    {"devices", "装置", "devices", "装置（メーカー・機種・ファームウェア別）", "Devices by maker, model and firmware",
     COLS(devs_cols),
     "SELECT maker, model, firmware, MAX(cves), COUNT(*), COUNT(DISTINCT hospital_id) FROM devices"
     " WHERE round = ? AND type IN ('router', 'utm', 'vpn', 'l3switch', 'other', 'unset')"
     " GROUP BY maker, model, firmware"
     " ORDER BY CASE WHEN MAX(cves) <> '' THEN 0 ELSE 1 END, 6 DESC, 1, 2, 3 LIMIT 500",
     B_NONE, "ルーター・UTM・VPN装置など（ONU・モデムを除く）。脆弱なファームウェアを先に、最大500行。",
     "Routers, UTMs, VPN devices and the like (no ONUs or modems); vulnerable firmware first, at most 500 rows.",
     NULL, NULL, 0, 0},
    {"vendors", "ベンダーハブ", "vendor hubs", "ベンダーハブ（会社別）", "Vendor hubs (per company)", COLS(vend_cols),
     "SELECT company, MIN(name), COUNT(DISTINCT hospital_id),"
     " COUNT(DISTINCT CASE WHEN internet = 1 THEN hospital_id END),"
     " COUNT(DISTINCT CASE WHEN internet_vpn = 1 THEN hospital_id END),"
     " COUNT(DISTINCT CASE WHEN closed = 1 THEN hospital_id END),"
     " COUNT(DISTINCT CASE WHEN phone = 1 THEN hospital_id END),"
     " COUNT(DISTINCT CASE WHEN emr = 1 THEN hospital_id END),"
     " COUNT(DISTINCT CASE WHEN maintenance = 1 THEN hospital_id END)"
     " FROM parties WHERE round = ? AND isp = 0 GROUP BY company ORDER BY 3 DESC, 1 LIMIT 200",
     B_NONE, "数は医療機関数。同じ会社の拠点（データセンター・保守センター等）はまとめて数えます。ISP（プロバイダ）は除きます。",
     "Counts are hospitals. A company's sites (data centres, support centres) count together; ISPs are left out.",
     "接続先の会社（医療機関数、上位20）", "companies reached (hospitals, top 20)", 1, 2},
    {"vendor_devices", "ベンダーの装置", "vendor devices", "ベンダーハブの装置とファームウェア",
     "Devices and firmware on vendor hubs' lines", COLS(vdev_cols),
     "SELECT p.company, d.maker, d.model, d.firmware, MAX(d.cves), COUNT(DISTINCT p.hospital_id)"
     " FROM paths p JOIN devices d ON d.round = p.round AND d.hospital_id = p.hospital_id"
     " AND d.dev_idx = p.dev2_idx WHERE p.round = ? AND p.company <> ''"
     " AND p.company IN (SELECT company FROM parties WHERE round = ? AND isp = 0 GROUP BY company"
     " HAVING COUNT(DISTINCT hospital_id) >= 2)"
     " GROUP BY p.company, d.maker, d.model, d.firmware ORDER BY 1, 6 DESC, 2, 3, 4 LIMIT 2000",
     B_ROUND, "2施設以上に接続する会社について、その経路の装置②。",
     "The 装置② (router/UTM) on the paths to companies reaching 2 or more hospitals.", NULL, NULL, 0, 0},
    /* the hubs first, then each hub's company exposure: one small join */
    {"closed_hubs", "閉域網ハブ", "closed-network hubs", "閉域網ハブ", "Closed-network hubs", COLS(hubs_cols),
     "SELECT h.name, h.company, h.n, h.emr, CASE WHEN x.n IS NULL THEN 0 ELSE 1 END, COALESCE(x.n, 0)"
     " FROM (SELECT party_key, company, MIN(name) AS name, COUNT(DISTINCT hospital_id) AS n,"
     " COUNT(DISTINCT CASE WHEN emr = 1 THEN hospital_id END) AS emr FROM parties"
     " WHERE round = ?1 AND closed = 1 GROUP BY party_key, company"
     " HAVING COUNT(DISTINCT hospital_id) >= CAST(?2 AS INTEGER)) h"
     " LEFT JOIN (SELECT company, COUNT(DISTINCT hospital_id) AS n FROM parties"
     " WHERE round = ?1 AND (internet = 1 OR internet_vpn = 1) GROUP BY company) x ON x.company = h.company"
     " ORDER BY 3 DESC, 1",
     B_HUB_MIN,
     "閉域網で %s 施設以上が接続する接続先。同じ会社がどこかでインターネット経由の回線を持つと、その露出はハブを経由して閉域網の先の病院に届きます（2022年大阪の事例）。",
     "Remote parties reached over closed networks by %s or more hospitals. When the same company has Internet-exposed lines anywhere, that exposure passes through the hub to the hospitals behind the closed network (the 2022 Osaka pattern).",
     NULL, NULL, 0, 0},
    {"hospitals", "医療機関", "hospitals", "医療機関ごと", "Per hospital", COLS(hosp_cols),
     "SELECT s.hospital_id, s.site_name, s.address, s.folder, s.n_lines, s.n_devices, s.n_errors,"
     " s.n_warnings, COALESCE(v.n, 0), COALESCE(t.n, 0) FROM submissions s"
     " LEFT JOIN (SELECT hospital_id, COUNT(*) AS n FROM devices WHERE round = ?1 AND cves <> ''"
     " GROUP BY hospital_id) v ON v.hospital_id = s.hospital_id"
     " LEFT JOIN (SELECT hospital_id, COUNT(*) AS n FROM paths WHERE round = ?1 AND scan_scope = 'in'"
     " AND scan_requested = 1 GROUP BY hospital_id) t ON t.hospital_id = s.hospital_id"
     " WHERE s.round = ?1 ORDER BY s.hospital_id",
     B_NONE, NULL, NULL, NULL, NULL, 0, 0},
    {"failures", "読込失敗", "failures", "読み込めなかった医療機関", "Hospitals that could not be read", COLS(fail_cols),
     "SELECT folder, file, message FROM failures WHERE round = ? ORDER BY folder", B_NONE, NULL, NULL, NULL, NULL, 0, 0},
};

/* The note of a section in the current language, its "%s" replaced by hub_min
 * (g_free). NULL when the section has none. */
static char *section_note(const struct sect *x, const char *hub_min)
{
    const char *note = x->note_ja ? em_tr(x->note_ja, x->note_en) : NULL;
    if (!note) return NULL;
    const char *p = strstr(note, "%s");
    return p ? g_strdup_printf("%.*s%s%s", (int)(p - note), note, hub_min, p + 2) : g_strdup(note);
}

/* Runs one section's query and writes it to every output of o. */
static int run_section(struct em_db *db, struct out *o, const struct sect *x, const char *round, const char *hub_min,
                       struct em_err *err)
{
    struct rows r;
    const char *p2 = x->bind2 == B_ROUND ? round : x->bind2 == B_HUB_MIN ? hub_min : NULL;
    int rc = query(db, x->sql, x->ncol, round, p2, &r, err);
    if (rc < 0) return rc;
    char *note = section_note(x, hub_min);
    section(o, x->key, em_tr(x->sheet_ja, x->sheet_en), em_tr(x->title_ja, x->title_en), x->cols, x->ncol, &r, note);
    if (x->chart_ja)
        chart_of(o, em_tr(x->chart_ja, x->chart_en), &r, x->chart_label, x->chart_value, x->cols[x->chart_label].kind == C_COMM);
    g_free(note);
    rows_free(&r);
    return 0;
}

int em_fleet_report(struct em_db *db, const struct em_fleet_report_opts *ro, enum em_fleet_fmt fmt,
                    struct em_fbuf *b, struct em_err *err)
{
    return em_fleet_report_all(db, ro, fmt == EM_FLEET_HTML ? b : NULL, fmt == EM_FLEET_JSON ? b : NULL, NULL, NULL, err);
}

int em_fleet_report_tables(struct em_db *db, const struct em_fleet_report_opts *ro, em_fleet_table_fn fn, void *ctx,
                           struct em_err *err)
{
    return em_fleet_report_all(db, ro, NULL, NULL, fn, ctx, err);
}

int em_fleet_report_all(struct em_db *db, const struct em_fleet_report_opts *ro, struct em_fbuf *b,
                        struct em_fbuf *jb, em_fleet_table_fn fn, void *ctx, struct em_err *err)
{
    const char *round = ro->round;
    char hub_min[16];
    snprintf(hub_min, sizeof hub_min, "%d", ro->hub_min > 0 ? ro->hub_min : 2);
    long long have = 0;
    int rc = em_db_query_int(db, &have, err, "SELECT COUNT(*) FROM rounds WHERE name = ?", round, NULL);
    if (rc < 0) return rc;
    if (!have) {
        em_err_set(err, EM_ERR_USAGE, "", "", 0, "",
                   em_tr("回「%s」のデータがありません（fleet ingest で取り込んでください）",
                         "the store holds no round '%s' (ingest it with fleet ingest)"), round);
        return EM_DB_ERROR;
    }
    struct out o = {b, jb, NULL, ro->hospital_link ? ro->hospital_link : "%s/report.html", fn, ctx, 0};
    if (jb) {
        o.root = json_object_new_object();
        json_object_object_add(o.root, "schema", json_object_new_string("edgemap-fleet-report/1"));
        json_object_object_add(o.root, "round", json_object_new_string(round));
    }
    if (b) {
        em_fbuf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
                       em_tr("ja", "en"));
        esc(b, em_tr("全国調査報告", "National survey report"));
        em_fbuf_printf(b, " %s</title><style>%s</style></head><body>\n<h1>", round, css);
        esc(b, em_tr("外部接続 全国調査報告", "External connections: national survey report"));
        em_fbuf_str(b, " — ");
        esc(b, round);
        em_fbuf_printf(b, "</h1>\n<nav><a href=\"#forms\">%s</a><a href=\"#devices\">%s</a><a href=\"#vendors\">%s</a>"
                          "<a href=\"#closed_hubs\">%s</a><a href=\"#hospitals\">%s</a></nav>\n",
                       em_tr("通信形態", "forms"), em_tr("装置", "devices"), em_tr("ベンダー", "vendors"),
                       em_tr("閉域網ハブ", "closed-network hubs"), em_tr("医療機関", "hospitals"));
    }
    if ((rc = summary(db, round, &o, err)) < 0) goto done;

    for (size_t i = 0; rc >= 0 && i < sizeof sections / sizeof sections[0]; i++)
        rc = run_section(db, &o, &sections[i], round, hub_min, err);
    if (rc < 0) goto done;
    rc = 0;
done:
    if (o.root) {
        if (rc == 0) {
            em_fbuf_str(jb, json_object_to_json_string_ext(o.root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
            em_fbuf_str(jb, "\n");
        }
        json_object_put(o.root);
    }
    if (rc == 0 && b) em_fbuf_str(b, "</body></html>\n");
    if (rc >= 0 && o.stop) return o.stop;
    return rc < 0 ? rc : 0;
}
