/* render_graph.c — the diagram before layout (DOT text) and the rendered files from
 * a hand-built model: chain, marks, legend, ids, escaping, language, the layout
 * child's fallbacks and deadline, and all-or-nothing writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "mapper/lang.h"
#include "render/render.h"
#include "tests/unit/render_fixture.h"
#include "tests/unit/t.h"

static char *dot_of(struct em_model *m)
{
    char *dot = NULL;
    size_t len = 0;
    struct em_err err = {0};
    struct em_render_opts o = {0};
    T_ASSERT(em_render_dot(m, &o, &dot, &len, &err) == 0);
    T_ASSERT(dot && len == strlen(dot));
    return dot;
}

#define HAS(hay, s) do { if (!strstr((hay), (s))) T_FAIL("%s:%d: missing \"%s\"", __FILE__, __LINE__, (s)); } while (0)
#define HASNT(hay, s) do { if (strstr((hay), (s))) T_FAIL("%s:%d: unexpected \"%s\"", __FILE__, __LINE__, (s)); } while (0)

static void t_dot_chain_and_marks(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    T_ASSERT(m);
    char *d = dot_of(m);
    HAS(d, "rankdir=LR");
    HAS(d, "newrank=true");
    HAS(d, "subgraph cluster_hospital");
    HAS(d, "医療機関: さくら<中央>病院");         /* plain label: kept as written */
    HAS(d, "さくら&lt;中央&gt;病院");            /* HTML title: escaped */
    HAS(d, "\"line-1\" -> \"dev-1-1\"");
    HAS(d, "\"seg-ct\" -> emr");
    HAS(d, "id=\"e-seg-ct--emr\"");
    HAS(d, "接続不明（要確認）");
    HAS(d, "style=dotted");
    HAS(d, "診断対象</b>&#160;203.0.113.50");
    HAS(d, "gw.sakura.example.jp");
    HAS(d, "動的IP(当日確認)");
    HAS(d, "CVE-2022-42475");
    HAS(d, "（レンタル）");
    HAS(d, "契約者: キヤノンメディカル");
    HAS(d, "診断対象外（閉域網）");
    HAS(d, "診断対象外（電話回線）");
    HAS(d, "保守回線");
    HAS(d, "端末 ×3");
    HAS(d, "重要資産");
    HAS(d, "Noto Sans CJK JP,IPAexGothic,Hiragino Sans,Yu Gothic,Meiryo,sans-serif");
    HAS(d, "2026-11-20");
    /* the duplicated edge is drawn once */
    const char *first = strstr(d, "\"line-1\" -> \"dev-1-1\"");
    T_ASSERT(first && !strstr(first + 1, "\"line-1\" -> \"dev-1-1\""));
    /* tooltips carry the source rows */
    HAS(d, "出典: test.csv");
    free(d);
    em_model_free(m);
}

static void t_legend_only_used_marks(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    T_ASSERT(m);
    /* drop every CVE and rental: their legend rows must go */
    for (size_t i = 0; i < m->n_devices; i++) {
        m->devices[i].n_cves = 0;
        m->devices[i].rental = EM_TRI_NO;
    }
    char *d = dot_of(m);
    const char *legend = strstr(d, "凡例");
    T_ASSERT(legend);
    HASNT(legend, "既知の脆弱性があるファームウェア");
    HASNT(legend, "レンタル装置");
    HAS(legend, "重要資産（電子カルテ系）");
    HAS(legend, "接続不明（要確認）：点線");
    free(d);
    em_model_free(m);
    /* an empty model: no legend at all, still a valid graph */
    m = em_model_new();
    d = dot_of(m);
    HASNT(d, "凡例");
    HAS(d, "digraph edgemap");
    free(d);
    em_model_free(m);
}

/* discovery and scan marks: 未申告 (orange), 未確認 (pale, dashed), open services */
static void t_discovery_marks(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    size_t nd = fx_dev(m, "disc-sw1", EM_DEV_OTHER, "", "", "", 0, 1);
    m->devices[nd].source = EM_SRC_DISCOVERED;
    m->devices[nd].hostname = em_pool_str(m->pool, "core-sw");
    m->devices[0].disc_id = em_pool_str(m->pool, "d1");
    m->devices[0].source = EM_SRC_BOTH;
    /* H-UNVERIFIED-LINE reported dev-3-1 only: the others discovery could not have seen */
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].id, "dev-3-1") == 0) m->devices[i].disc_unverified = true;
    fx_edge(m, "dev-1-2", "disc-sw1", false, false, 0);
    m->edges[m->n_edges - 1].discovered = true;
    m->services = em_pool_alloc(m->pool, 2 * sizeof *m->services);
    T_ASSERT(m->services);
    m->services[0] = (struct em_service){"203.0.113.50", "tcp", 443, "open", "https", "", "", "s.xml", 0, EM_SEV_WARNING};
    m->services[1] = (struct em_service){"203.0.113.50", "udp", 500, "open", "isakmp", "", "", "s.xml", 0, EM_SEV_WARNING};
    m->n_services = 2;
    char *d = dot_of(m);
    HAS(d, "443/tcp https, 500/udp isakmp");
    HAS(d, "未申告");
    HAS(d, "core-sw");
    HAS(d, "未確認（探索で見つからず）");
    HAS(d, "color=\"#e07000\"");
    HAS(d, "記入されているが探索で見つからなかった装置");
    HAS(d, "スキャンで開いていたポート");
    /* dev-1-1 was seen: not marked unseen; dev-3-1 was not */
    const char *d11 = strstr(d, "\"dev-1-1\"\t[");
    const char *d12 = strstr(d, "\"dev-1-2\"\t[");
    T_ASSERT(d11 && d12);
    /* (the DOT lists nodes by column now: look inside each node's own attributes) */
    const char *e11 = strstr(d11, "];");
    const char *hit = strstr(d11, "未確認（探索");
    T_ASSERT(e11 && hit && hit > e11);
    const char *d31 = strstr(d, "\"dev-3-1\"\t[");
    T_ASSERT(d31 && strstr(d31, "未確認（探索") && strstr(d31, "未確認（探索") < strstr(d31, "];"));
    /* dev-1-2 was not seen either, but no finding reported it: no 未確認 */
    const char *e12 = strstr(d12, "];");
    hit = strstr(d12, "未確認（探索");
    T_ASSERT(e12 && (!hit || hit > e12));
    free(d);
    em_model_free(m);
}

static void t_english(void)
{
    em_lang_set(EM_LANG_EN);
    struct em_model *m = fx_model();
    char *d = dot_of(m);
    HAS(d, "Scan target");
    HAS(d, "Legend");
    HAS(d, "Site: ");
    HAS(d, "link unknown (to confirm)");
    HAS(d, "Critical asset");
    HASNT(d, "凡例");
    HASNT(d, "診断対象");
    free(d);
    em_model_free(m);
    em_lang_set(EM_LANG_JA);
}

static void t_escaping(void)
{
    struct em_model *m = fx_model();
    m->segments[0].name = em_pool_str(m->pool, "<script>alert(\"x\")</script> & \\N");
    m->devices[0].model = em_pool_str(m->pool, "A&B<br/>");
    char *d = dot_of(m);
    HAS(d, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;");
    HAS(d, "A&amp;B&lt;br/&gt;");
    free(d);
    em_model_free(m);
}

static int xcount(xmlDocPtr doc, const char *xpath);
static char tmpdir[256];
static void mk_tmp(void);
static void rm_tmp(void);
static int render_to(struct em_model *m, const char *name, struct em_render_opts *o, char *path, size_t ps);

/* hostile names reach the SVG as text, never as markup */
static void t_escaping_svg(void)
{
    struct em_model *m = fx_model();
    m->segments[0].name = em_pool_str(m->pool, "<script>alert(1)</script>");
    m->lines[0].carrier = em_pool_str(m->pool, "\\N \\G ]]> <!--");
    mk_tmp();
    char path[512];
    struct em_render_opts o = {0};
    T_ASSERT(render_to(m, "m.svg", &o, path, sizeof path) == 0);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    T_ASSERT(doc);
    T_EQ_INT(xcount(doc, "//s:script"), 0);
    T_ASSERT(xcount(doc, "//s:text[contains(.,'<script>alert(1)</script>')]") == 1);
    T_ASSERT(xcount(doc, "//s:text[contains(.,']]> <!--')]") == 1);
    xmlFreeDoc(doc);
    rm_tmp();
    em_model_free(m);
}

static void mk_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/em-render-XXXXXX");
    T_ASSERT(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    T_ASSERT(system(cmd) == 0);
}

static int render_to(struct em_model *m, const char *name, struct em_render_opts *o, char *path, size_t ps)
{
    snprintf(path, ps, "%s/%s", tmpdir, name);
    struct em_err err = {0};
    struct em_outset *set = em_outset_new();
    int rc = set && em_outset_add(set, path, &err) >= 0 ? EM_OK : EM_ERR_IO;
    if (rc == EM_OK) rc = em_render_files(m, set, o, &err);
    if (rc == EM_OK) rc = em_outset_commit(set, &err);
    em_outset_free(set);
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) { free(p); p = NULL; }
    if (p) p[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return p;
}

/* Counts the XPath matches in an SVG (namespace-aware). */
static int xcount(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
    xmlXPathRegisterNs(ctx, BAD_CAST "xl", BAD_CAST "http://www.w3.org/1999/xlink");
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    int n = r && r->nodesetval ? r->nodesetval->nodeNr : -1;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return n;
}

static void t_svg_parsed(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    mk_tmp();
    char path[512];
    struct em_render_opts o = {0};
    T_ASSERT(render_to(m, "m.svg", &o, path, sizeof path) == 0);
    T_EQ_STR(o.layout_used, "dot");
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOENT);
    T_ASSERT(doc);
    T_EQ_INT(xcount(doc, "//s:g[@id='line-1' and @class='node']"), 1);
    T_EQ_INT(xcount(doc, "//s:g[@id='dev-1-2']"), 1);
    T_EQ_INT(xcount(doc, "//s:g[@id='emr']"), 1);
    T_EQ_INT(xcount(doc, "//s:g[@id='e-line-1--dev-1-1' and @class='edge']"), 1);
    T_EQ_INT(xcount(doc, "//s:g[@id='site' and @class='cluster']"), 1);
    T_ASSERT(xcount(doc, "//s:g[@id='dev-1-1']//s:a[contains(@xl:title,'RTX1300') and contains(@xl:title,'test.csv')]") == 1);
    T_ASSERT(xcount(doc, "//s:text[.='診断対象']") >= 2);
    T_ASSERT(xcount(doc, "//s:text[contains(.,'203.0.113.50')]") >= 1);
    T_ASSERT(xcount(doc, "//s:text[contains(.,'動的IP(当日確認)')]") >= 1);
    T_ASSERT(xcount(doc, "//s:text[contains(.,'凡例')]") == 1);
    T_ASSERT(xcount(doc, "//s:text[contains(@font-family,'Noto Sans CJK JP') and contains(@font-family,'Meiryo')]") > 10);
    /* the scan target is drawn with a thick red border */
    T_ASSERT(xcount(doc, "//s:g[@id='dev-1-1']//*[@stroke='#c00000' and @stroke-width='3']") >= 1);
    /* the EMR-unknown edge is dotted */
    T_ASSERT(xcount(doc, "//s:g[@id='e-seg-ct--emr']//s:path[@stroke-dasharray='1,5']") == 1);
    xmlFreeDoc(doc);
    rm_tmp();
    em_model_free(m);
}

/* bytes that are not UTF-8 (a reader bug or a hostile file) must not cost the diagram */
static void t_invalid_utf8(void)
{
    struct em_model *m = fx_model();
    m->segments[0].name = em_pool_str(m->pool, "\xff\xfe\x80 CT");
    m->lines[0].carrier = em_pool_str(m->pool, "NTT\xe3\x81");
    mk_tmp();
    char path[512];
    struct em_render_opts o = {0};
    T_EQ_INT(render_to(m, "m.svg", &o, path, sizeof path), 0);
    T_EQ_STR(o.layout_used, "dot");
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    T_ASSERT(doc);
    T_EQ_INT(xcount(doc, "//s:g[@id='seg-ct']"), 1);
    xmlFreeDoc(doc);
    rm_tmp();
    em_model_free(m);
}

/* a 30,000-character cell: the label is cut, the tooltip capped, the render still fast */
static void t_long_text(void)
{
    struct em_model *m = fx_model();
    size_t n = 30000;
    char *big = malloc(n * 3 + 1);
    T_ASSERT(big);
    for (size_t i = 0; i < n; i++) memcpy(big + 3 * i, "長", 3);
    big[n * 3] = '\0';
    m->segments[0].name = em_pool_str(m->pool, big);
    free(big);
    char *d = dot_of(m);
    T_ASSERT(strlen(d) < 40000);
    HAS(d, "長長長…");
    free(d);
    mk_tmp();
    char path[512];
    struct em_render_opts o = {.timeout_s = 60};
    T_EQ_INT(render_to(m, "m.svg", &o, path, sizeof path), 0);
    T_EQ_STR(o.layout_used, "dot");
    rm_tmp();
    em_model_free(m);
}

static void t_fallback_crash(void)
{
    struct em_model *m = fx_model();
    mk_tmp();
    char path[512];
    setenv("EDGEMAP_TEST_LAYOUT", "crash:full", 1);
    struct em_render_opts o = {0};
    int rc = render_to(m, "m.svg", &o, path, sizeof path);
    unsetenv("EDGEMAP_TEST_LAYOUT");
    T_EQ_INT(rc, 0);
    T_EQ_STR(o.layout_used, "dot-flat");
    T_ASSERT(strstr(o.warnings, "レイアウト（dot）"));
    size_t len = 0;
    char *svg = slurp(path, &len);
    T_ASSERT(svg && strstr(svg, "id=\"dev&#45;1&#45;1\""));
    T_ASSERT(strstr(svg, "簡略レイアウト"));
    free(svg);
    rm_tmp();
    em_model_free(m);
}

static void t_fallback_hang_deadline(void)
{
    struct em_model *m = fx_model();
    mk_tmp();
    char path[512];
    setenv("EDGEMAP_TEST_LAYOUT", "hang:full,hang:flat", 1);
    /* The deadline also bounds the grid fallback that must succeed; under ASan on a
     * loaded two-core machine that drawing took over a second, so 4 s leaves room
     * while the two hung attempts still have to be cut. */
    struct em_render_opts o = {.timeout_s = 4.0};
    int rc = render_to(m, "m.pdf", &o, path, sizeof path);
    unsetenv("EDGEMAP_TEST_LAYOUT");
    T_EQ_INT(rc, 0);
    T_EQ_STR(o.layout_used, "grid");
    T_ASSERT(strstr(o.warnings, "4秒以内に終わりませんでした"));
    size_t len = 0;
    char *pdf = slurp(path, &len);
    T_ASSERT(pdf && len > 1000 && memcmp(pdf, "%PDF", 4) == 0);
    free(pdf);
    rm_tmp();
    em_model_free(m);
}

static void t_all_fail_leaves_file(void)
{
    struct em_model *m = fx_model();
    mk_tmp();
    char path[512];
    snprintf(path, sizeof path, "%s/m.svg", tmpdir);
    FILE *f = fopen(path, "w");
    T_ASSERT(f);
    fputs("old content", f);
    fclose(f);
    setenv("EDGEMAP_TEST_LAYOUT", "crash:full,crash:flat,crash:grid", 1);
    struct em_render_opts o = {0};
    int rc = render_to(m, "m.svg", &o, path, sizeof path);
    unsetenv("EDGEMAP_TEST_LAYOUT");
    T_ASSERT(rc != 0);
    size_t len = 0;
    char *c = slurp(path, &len);
    T_ASSERT(c);
    T_EQ_STR(c, "old content");
    free(c);
    /* no temp file left behind */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", tmpdir);
    T_ASSERT(system(cmd) == 0);
    rm_tmp();
    em_model_free(m);
}

static void t_fmt_of(void)
{
    T_ASSERT(em_render_known("a/b.SVG"));
    T_ASSERT(em_render_known("x.pdf"));
    T_ASSERT(em_render_known("x.html"));
    T_ASSERT(em_render_known("x.json"));
    T_ASSERT(em_render_known("x.csv"));
    T_ASSERT(em_render_known("x.dot"));
    T_ASSERT(em_render_known("x.drawio"));
    T_ASSERT(!em_render_known("x.docx"));
    T_ASSERT(!em_render_known("dir.svg/x"));
    T_ASSERT(!em_render_known("noext"));
    T_ASSERT(strstr(em_render_formats(), ".svg") && strstr(em_render_formats(), ".drawio"));
}

/* With discovery merged, links between devices are drawn by their evidence. */
static void t_link_evidence(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    m->devices[0].disc_id = em_pool_str(m->pool, "d1");
    m->devices[0].source = EM_SRC_BOTH;
    size_t both = EM_NONE;
    for (size_t i = 0; i < m->n_edges; i++)
        if (strcmp(m->edges[i].from, "dev-1-1") == 0 && strcmp(m->edges[i].to, "dev-1-2") == 0) both = i;
    T_ASSERT(both != EM_NONE);
    m->edges[both].seen_ends = 2;
    char *d = dot_of(m);
    const char *e = strstr(d, "\"dev-1-1\" -> \"dev-1-2\"");
    T_ASSERT(e);
    const char *end = strstr(e, "];");
    const char *pw = strstr(e, "penwidth=2.5");
    T_ASSERT(pw && pw < end);
    const char *tip = strstr(e, "両端で確認");
    T_ASSERT(tip && tip < end);
    HAS(d, "太=両端で確認");
    m->edges[both].seen_ends = 1;
    free(d);
    d = dot_of(m);
    e = strstr(d, "\"dev-1-1\" -> \"dev-1-2\"");
    end = strstr(e, "];");
    const char *st = strstr(e, "style=dashed");
    T_ASSERT(st && st < end && strstr(e, "片側のみ確認") < end);
    free(d);
    em_model_free(m);
}

/* A discovered device linked to `to`: inferred (FDB) or not. Returns its index. */
static size_t disc_dev(struct em_model *m, const char *id, const char *to, bool inferred)
{
    size_t i = fx_dev(m, id, EM_DEV_OTHER, "Canon Inc.", "", "", 0, 1);
    m->devices[i].source = EM_SRC_DISCOVERED;
    m->devices[i].n_rows = 0;
    m->devices[i].hostname = em_pool_printf(m->pool, "host-%s", id);
    m->devices[i].mac = em_pool_printf(m->pool, "00:00:85:00:00:%02zx", i & 255);
    if (to) {
        fx_edge(m, to, id, false, false, 0);
        struct em_edge *e = &m->edges[m->n_edges - 1];
        e->n_rows = 0;
        e->discovered = true;
        e->inferred = inferred;
    }
    return i;
}

/* Endpoints behind one switch past the threshold become one node 端末 N台（… 経由）;
 * those that carry a mark stay single; nothing leaves the model. */
static void t_endpoint_aggregate(void)
{
    em_lang_set(EM_LANG_JA);
    unsetenv("EDGEMAP_GROUP_ENDPOINTS");
    struct em_model *m = fx_model();
    size_t sw = disc_dev(m, "disc-sw", "dev-1-1", false);   /* LLDP from the declared router */
    m->devices[sw].hostname = "sw-9";
    char id[32];
    for (int k = 0; k < 12; k++) {
        snprintf(id, sizeof id, "disc-ep%d", k);
        disc_dev(m, id, "disc-sw", true);
    }
    size_t n = m->n_devices;
    m->devices[n - 1].type = EM_DEV_ROUTER;                        /* ep11: a router */
    m->devices[n - 2].disc_flagged = true;                          /* ep10: H-UNDOCUMENTED-PATH */
    em_model_push_str(m, &m->devices[n - 3].cves, &m->devices[n - 3].n_cves, "CVE-2024-0001");   /* ep9 */
    em_model_push_str(m, &m->devices[n - 4].addresses, &m->devices[n - 4].n_addresses, "198.51.100.4");  /* ep8 */
    disc_dev(m, "disc-behind7", "disc-ep7", true);                 /* ep7 links onward */
    size_t nd = m->n_devices;
    char *d = dot_of(m);
    HAS(d, "\"eagg-disc-sw\"");
    HAS(d, "<b>端末 7台</b>");            /* ep0..ep6 */
    HAS(d, "sw-9 経由");
    HAS(d, "00:00:85:00:00:");            /* members listed with their MAC */
    const char *e = strstr(d, "\"disc-sw\" -> \"eagg-disc-sw\"");
    T_ASSERT(e);
    const char *end = strstr(e, "];"), *st = strstr(e, "style=dashed"), *x = strstr(e, "xlabel=未申告（推定）");
    T_ASSERT(st && st < end && x && x < end);   /* every member inferred */
    HAS(d, "推定（MACアドレス表・ARP表から） 7台");
    HAS(d, "外部経路あり（要確認）");     /* ep10 */
    HAS(d, "探索がスイッチの先に見つけた端末");   /* legend */
    for (int k = 7; k < 12; k++) {
        char q[40];
        snprintf(q, sizeof q, "\"disc-ep%d\"\t[", k);
        HAS(d, q);
    }
    for (int k = 0; k < 7; k++) {
        char q[40];
        snprintf(q, sizeof q, "\"disc-ep%d\"\t[", k);
        HASNT(d, q);
    }
    free(d);
    /* an LLDP neighbour discovery did not walk is an endpoint too: the aggregate then
     * reads 未申告 and its edge is bold, the tooltip counting both kinds */
    disc_dev(m, "disc-lldp", "disc-sw", false);
    nd = m->n_devices;
    d = dot_of(m);
    HAS(d, "<b>端末 8台</b>");
    HASNT(d, "\"disc-lldp\"\t[");
    e = strstr(d, "\"disc-sw\" -> \"eagg-disc-sw\"");
    T_ASSERT(e);
    end = strstr(e, "];");
    st = strstr(e, "style=bold");
    T_ASSERT(st && st < end);
    const char *tip = strstr(e, "LLDP/CDP で確認");   /* agwrite may wrap the count onto a new line */
    T_ASSERT(tip && tip < end);
    T_EQ_INT(m->n_devices, nd);
    free(d);
    /* the threshold: 12 endpoints behind the switch are not more than 12; 0 never */
    setenv("EDGEMAP_GROUP_ENDPOINTS", "12", 1);
    d = dot_of(m);
    HASNT(d, "eagg-");
    free(d);
    setenv("EDGEMAP_GROUP_ENDPOINTS", "0", 1);
    d = dot_of(m);
    HASNT(d, "eagg-");
    free(d);
    unsetenv("EDGEMAP_GROUP_ENDPOINTS");
    em_model_free(m);
}

/* The inferred link: orange dashed 未申告（推定）, the tooltip's words, its legend entry. */
static void t_inferred_link(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    disc_dev(m, "disc-sw", "dev-1-1", false);
    disc_dev(m, "disc-ep", "disc-sw", true);
    char *d = dot_of(m);
    const char *e = strstr(d, "\"disc-sw\" -> \"disc-ep\"");
    T_ASSERT(e);
    const char *end = strstr(e, "];");
    const char *st = strstr(e, "style=dashed"), *x = strstr(e, "xlabel=未申告（推定）"), *tip = strstr(e, "推定（MACアドレス表・ARP表から）");
    T_ASSERT(st && st < end && x && x < end && tip && tip < end);
    e = strstr(d, "\"dev-1-1\" -> \"disc-sw\"");
    T_ASSERT(e);
    end = strstr(e, "];");
    st = strstr(e, "style=bold");
    T_ASSERT(st && st < end);
    HAS(d, "MACアドレス表・ARP表から推定した未申告の接続");
    free(d);
    em_model_free(m);
}

/* A drawn edge's id is the model edge's derived id, whole however long its ends' ids. */
static void t_long_edge_id(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = fx_model();
    char id[301], want[400];
    memset(id, 'x', 300);
    id[300] = '\0';
    disc_dev(m, id, "dev-1-1", false);
    snprintf(want, sizeof want, "id=\"e-dev-1-1--%s\"", id);
    char *d = dot_of(m);
    HAS(d, want);
    free(d);
    em_model_free(m);
}

static const struct t_case cases[] = {
    {"long_edge_id_whole", t_long_edge_id},
    {"endpoint_aggregate", t_endpoint_aggregate},
    {"inferred_link", t_inferred_link},
    {"link_evidence_styles", t_link_evidence},
    {"dot_chain_and_marks", t_dot_chain_and_marks},
    {"legend_only_used_marks", t_legend_only_used_marks},
    {"discovery_and_scan_marks", t_discovery_marks},
    {"english_labels", t_english},
    {"escaping", t_escaping},
    {"escaping_in_svg", t_escaping_svg},
    {"svg_parsed_ids_marks_tooltips", t_svg_parsed},
    {"invalid_utf8_still_renders", t_invalid_utf8},
    {"long_text_is_cut", t_long_text},
    {"fallback_after_layout_crash", t_fallback_crash},
    {"fallback_after_layout_hang_deadline", t_fallback_hang_deadline},
    {"all_layouts_fail_existing_file_untouched", t_all_fail_leaves_file},
    {"format_by_extension", t_fmt_of},
};
T_MAIN(cases)
