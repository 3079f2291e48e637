/* render_report.c — the scan target CSV, the HTML report and --redact, from a
 * hand-built model. */
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "render/render.h"
#include "tests/unit/render_fixture.h"
#include "tests/unit/t.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

#define HAS(hay, s) do { if (!strstr((hay), (s))) T_FAIL("%s:%d: missing \"%s\"", __FILE__, __LINE__, (s)); } while (0)
#define HASNT(hay, s) do { if (strstr((hay), (s))) T_FAIL("%s:%d: unexpected \"%s\"", __FILE__, __LINE__, (s)); } while (0)

static size_t count(const char *hay, const char *s)
{
    size_t n = 0;
    for (const char *p = strstr(hay, s); p; p = strstr(p + 1, s)) n++;
    return n;
}

static void t_targets_csv(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    char *csv = NULL;
    size_t len = 0;
    struct em_err err = {0};
    T_EQ_INT(em_targets_csv(m, &csv, &len, &err), 0);
    T_ASSERT(len == strlen(csv));
    T_ASSERT(memcmp(csv, "\xEF\xBB\xBF", 3) == 0);
    HAS(csv, "回線No,グローバルIPアドレス,FQDN,通信形態,装置,回線契約者,設置場所");
    /* 2 requested in-scope paths + the header: 3 records, every one ending in CRLF */
    T_EQ_INT(count(csv, "\r\n"), 3);
    T_EQ_INT(count(csv, "\n"), 3);
    HAS(csv, "\r\n1,203.0.113.50,gw.sakura.example.jp,インターネット,ヤマハ RTX1300 Rev.23.00.10 (ルーター) → Fortinet FortiGate-80E FortiOS 6.2.9 (");
    HAS(csv, "\r\n3,動的IP: 当日確認,,インターネットVPN,ヤマハ NVR510 Rev.15.01.14 (VPN装置),キヤノンメディカル,画像診断棟1F,");
    HASNT(csv, "\r\n2,");   /* closed network: out of scope */
    HASNT(csv, "\r\n9,");
    free(csv);
    /* not requested: not listed */
    m->paths[0].scan_requested = false;
    T_EQ_INT(em_targets_csv(m, &csv, &len, &err), 0);
    HASNT(csv, "203.0.113.50");
    free(csv);
    em_model_free(m);
}

static void t_targets_csv_quoting(void)
{
    struct em_model *m = fx_model();
    m->lines[0].contract_holder = em_pool_str(m->pool, "=HYPERLINK(\"x\")");
    m->lines[0].ctu_location = em_pool_str(m->pool, "本館,2F\n\"サーバ室\"");
    char *csv = NULL;
    size_t len = 0;
    struct em_err err = {0};
    T_EQ_INT(em_targets_csv(m, &csv, &len, &err), 0);
    HAS(csv, ",\"'=HYPERLINK(\"\"x\"\")\",");
    HAS(csv, ",\"本館,2F\n\"\"サーバ室\"\"\",");
    free(csv);
    em_model_free(m);
}

static void t_html_report(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    m->paths[0].purpose = em_pool_str(m->pool, "<img src=x onerror=alert(1)>");
    char *html = NULL;
    size_t len = 0;
    struct em_err err = {0};
    const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"edgemap\"/></svg>";
    T_EQ_INT(em_report_html(m, svg, "2026-11-20", &html, &len, &err), 0);
    HAS(html, "<!DOCTYPE html>");
    HAS(html, "<svg xmlns=");
    HASNT(html, "<?xml");
    HAS(html, "さくら&lt;中央&gt;病院");
    HAS(html, "&lt;img src=x onerror=alert(1)&gt;");
    HASNT(html, "<img");
    HAS(html, "@media print");
    HAS(html, "size:A3 landscape");
    HAS(html, "id=\"lines\"");
    HAS(html, "id=\"targets\"");
    HAS(html, "id=\"findings\"");
    HAS(html, "E-IP-NOT-GLOBAL");
    HAS(html, "ではありません &lt;b&gt;");
    HAS(html, "ベンダー保守の確認");
    HAS(html, "<h3>キヤノンメディカル — 保守回線</h3>");
    HAS(html, "不明（要確認）");                     /* EMR reach of the vendor's line */
    HAS(html, "NVR510（レンタル）");
    HAS(html, "Rev.15.01.14: 未確認");
    HAS(html, "CVE-2022-42475");
    /* self-contained: nothing fetched from anywhere */
    HASNT(html, " src=\"");
    HASNT(html, "href=\"http");
    HASNT(html, "url(");
    HASNT(html, "<script");
    HASNT(html, "<link");
    free(html);
    /* no diagram: the report says so and still has the tables */
    T_EQ_INT(em_report_html(m, NULL, "", &html, &len, &err), 0);
    HAS(html, "図を作れませんでした");
    HAS(html, "id=\"lines\"");
    free(html);
    em_model_free(m);
}

static void t_redact(void)
{
    struct em_model *m = fx_model();
    struct em_err err = {0};
    T_EQ_INT(em_redact_model(m, &err), 0);
    T_EQ_STR(m->paths[0].global_ip, "IP-1");
    T_EQ_STR(m->paths[0].fqdn, "FQDN-1");
    T_EQ_STR(m->devices[1].hostname, "HOST-1");
    /* free text: the known address reuses its placeholder, a new one gets the next */
    T_EQ_STR(m->paths[0].remarks, "IP-1 は本番, IP-2 は予備");
    T_EQ_STR(MSG(&m->findings[0]), "IP-3 はグローバルIPアドレスではありません <b>");
    T_EQ_STR(m->terminals[0].name, "HOST-2");
    /* versions are not addresses */
    T_EQ_STR(m->devices[0].firmware, "Rev.23.00.10");
    /* and nothing of it survives in any text output */
    char *out = NULL;
    size_t len = 0;
    T_EQ_INT(em_targets_csv(m, &out, &len, &err), 0);
    HASNT(out, "203.0.113.50");
    HASNT(out, "gw.sakura.example.jp");
    HAS(out, "IP-1,FQDN-1");
    free(out);
    T_EQ_INT(em_render_dot(m, NULL, &out, &len, &err), 0);
    HASNT(out, "203.0.113.50");
    HASNT(out, "198.51.100.9");
    HASNT(out, "fw-main.sakura.local");
    HASNT(out, "CT-PC-1");
    HAS(out, "HOST-1");
    free(out);
    T_EQ_INT(em_report_html(m, NULL, "", &out, &len, &err), 0);
    HASNT(out, "203.0.113.50");
    HASNT(out, "10.1.2.3");
    free(out);
    em_model_free(m);
}

static void t_redact_stable(void)
{
    /* the same input gives the same placeholders */
    struct em_model *a = fx_model(), *b = fx_model();
    struct em_err err = {0};
    T_EQ_INT(em_redact_model(a, &err), 0);
    T_EQ_INT(em_redact_model(b, &err), 0);
    char *da = NULL, *db = NULL;
    size_t la = 0, lb = 0;
    T_EQ_INT(em_render_dot(a, NULL, &da, &la, &err), 0);
    T_EQ_INT(em_render_dot(b, NULL, &db, &lb, &err), 0);
    T_ASSERT(la == lb && memcmp(da, db, la) == 0);
    free(da);
    free(db);
    em_model_free(a);
    em_model_free(b);
}

static const struct t_case cases[] = {
    {"targets_csv", t_targets_csv},
    {"targets_csv_quoting_and_formulas", t_targets_csv_quoting},
    {"html_report", t_html_report},
    {"redact_every_output", t_redact},
    {"redact_stable", t_redact_stable},
};
T_MAIN(cases)
