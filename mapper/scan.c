/* scan.c — nmap XML (-oX) into the model: libxml2's streaming reader collects each
 * <host>'s addresses, status and ports; once the whole file has parsed, the results
 * are checked against the declared global addresses (H-OPEN-SERVICE,
 * H-UNDECLARED-REACHABLE). A broken file changes nothing in the model. No entity is
 * ever expanded (a file that declares one is refused), no network, caps everywhere. */
#include "mapper/scan.h"

#include <arpa/inet.h>
#include <glib.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mapper/ipaddr.h"
#include "mapper/file.h"
#include "mapper/codes.h"
#include "mapper/lang.h"
#include "mapper/list.h"

/* ---- addresses and address sets ---- */

/* text "a.b.c.d[/n]" or "x::y[/n]" into bytes and prefix (-1 when absent): the one
 * parser of mapper/ipaddr.h. */
static int parse_addr(const char *text, unsigned char out[16], int *prefix)
{
    return em_ip_parse(text, out, prefix);
}

int em_ip_canon(const char *text, char *out, size_t size)
{
    unsigned char b[16];
    int prefix;
    int fam = parse_addr(text, b, &prefix);
    if (!fam || prefix >= 0 || size < INET6_ADDRSTRLEN) return 0;
    if (!inet_ntop(fam == 6 ? AF_INET6 : AF_INET, b, out, (socklen_t)size)) return 0;
    return fam;
}

struct ipblock { int family; unsigned char a[16]; int prefix; size_t v; };

struct em_ipset {
    GHashTable *exact;                 /* canonical address -> value + 1 */
    struct ipblock *blocks; size_t n_blocks, cap_blocks;
};

struct em_ipset *em_ipset_new(void)
{
    struct em_ipset *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->exact = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return s;
}

void em_ipset_free(struct em_ipset *s)
{
    if (!s) return;
    g_hash_table_destroy(s->exact);
    free(s->blocks);
    free(s);
}

size_t em_ipset_count(const struct em_ipset *s)
{
    return g_hash_table_size(s->exact) + s->n_blocks;
}

int em_ipset_add(struct em_ipset *s, const char *text, size_t v)
{
    unsigned char b[16];
    int prefix;
    int fam = parse_addr(text, b, &prefix);
    if (!fam) return 1;
    int full = fam == 6 ? 128 : 32;
    if (prefix < 0 || prefix == full) {
        char canon[INET6_ADDRSTRLEN];
        if (!inet_ntop(fam == 6 ? AF_INET6 : AF_INET, b, canon, sizeof canon)) return 1;
        if (!g_hash_table_contains(s->exact, canon))
            g_hash_table_insert(s->exact, g_strdup(canon), GSIZE_TO_POINTER(v + 1));
        return 0;
    }
    if (s->n_blocks == s->cap_blocks) {
        size_t nc = s->cap_blocks ? s->cap_blocks * 2 : 8;
        struct ipblock *nb = realloc(s->blocks, nc * sizeof *nb);
        if (!nb) return -1;
        s->blocks = nb;
        s->cap_blocks = nc;
    }
    struct ipblock *k = &s->blocks[s->n_blocks++];
    k->family = fam;
    memcpy(k->a, b, 16);
    k->prefix = prefix;
    k->v = v;
    return 0;
}

static bool in_block(const struct ipblock *k, int fam, const unsigned char *a)
{
    if (k->family != fam) return false;
    int bits = k->prefix, i = 0;
    for (; bits >= 8; bits -= 8, i++)
        if (k->a[i] != a[i]) return false;
    if (bits == 0) return true;
    unsigned char mask = (unsigned char)(0xffu << (8 - bits));
    return (k->a[i] & mask) == (a[i] & mask);
}

size_t em_ipset_find(const struct em_ipset *s, const char *addr)
{
    unsigned char b[16];
    int prefix;
    int fam = parse_addr(addr, b, &prefix);
    if (!fam || prefix >= 0) return EM_NONE;
    char canon[INET6_ADDRSTRLEN];
    if (!inet_ntop(fam == 6 ? AF_INET6 : AF_INET, b, canon, sizeof canon)) return EM_NONE;
    gpointer p = g_hash_table_lookup(s->exact, canon);
    if (p) return GPOINTER_TO_SIZE(p) - 1;
    for (size_t i = 0; i < s->n_blocks; i++)
        if (in_block(&s->blocks[i], fam, b)) return s->blocks[i].v;
    return EM_NONE;
}

struct declared_ctx { struct em_ipset *s; size_t path; };

/* One item of a path's address list into the set (global addresses only). */
static int add_declared(void *ctx, const char *item, size_t len)
{
    struct declared_ctx *c = ctx;
    char a[64];
    if (len >= sizeof a) return 0;
    memcpy(a, item, len);
    a[len] = '\0';
    if (em_ip_classify(a) != EM_IP_GLOBAL) return 0;
    return em_ipset_add(c->s, a, c->path) < 0 ? -1 : 0;
}

struct em_ipset *em_ipset_declared(const struct em_model *m)
{
    struct em_ipset *s = em_ipset_new();
    if (!s) return NULL;
    for (size_t i = 0; i < m->n_paths; i++) {
        const char *list = m->paths[i].global_ip;
        if (!list || !*list) continue;
        struct declared_ctx c = {s, i};
        if (em_list_split(list, EM_LIST_SPACES | EM_LIST_PREFIX, add_declared, &c)) {
            em_ipset_free(s);
            return NULL;
        }
    }
    return s;
}

int em_scan_add_source(struct em_model *m, const char *file)
{
    for (size_t i = 0; i < m->n_sources; i++)
        if (strcmp(m->sources[i], file) == 0) return 0;
    const char *f = em_pool_str(m->pool, file);
    const char **ns = realloc(m->sources, (m->n_sources + 1) * sizeof *ns);
    if (!f || !ns) {
        if (ns) m->sources = ns;
        return -1;
    }
    m->sources = ns;
    m->sources[m->n_sources++] = f;
    return 0;
}

/* ---- the parse: hosts and their ports, into plain arrays ---- */

#define MAX_HOST_ADDRS 4  /* nmap writes one IP address per host (plus a MAC) */

struct hport {
    char proto[8];
    int port;
    char state[16];            /* open | open|filtered */
    char name[64], product[128], version[64];
};

struct hrec {
    char addr[MAX_HOST_ADDRS][INET6_ADDRSTRLEN];
    int n_addr;
    bool status_up, user_set;  /* <status state="up" reason="user-set"> (-Pn) */
    bool replied;              /* an open or closed port: something answered */
    size_t port0, n_ports;     /* range in sp->ports */
    long line;
};

struct sp {
    const char *name;
    xmlTextReaderPtr r;
    bool xml_err;
    long xml_line;
    char xml_msg[256];
    bool root_seen, in_host, in_port;
    int host_depth;
    struct hrec cur;
    struct hport port;
    bool port_ok;
    GArray *hosts;             /* struct hrec */
    GArray *ports;             /* struct hport, open / open|filtered only */
};

/* libxml2's messages go into sp, never to stderr; the first error wins. */
static void sp_serror(void *ctx, xmlErrorPtr e)
{
    struct sp *p = ctx;
    if (!p || !e || p->xml_err || e->level < XML_ERR_ERROR) return;
    p->xml_err = true;
    p->xml_line = e->line;
    const char *msg = e->message ? e->message : "?";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    if (n >= sizeof p->xml_msg) n = sizeof p->xml_msg - 1;
    memcpy(p->xml_msg, msg, n);
    p->xml_msg[n] = '\0';
}

static void sp_gerror(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Copies attribute name of the current element into buf ("" when absent). */
static void attr(struct sp *p, const char *name, char *buf, size_t size)
{
    buf[0] = '\0';
    xmlChar *v = xmlTextReaderGetAttribute(p->r, (const xmlChar *)name);
    if (!v) return;
    snprintf(buf, size, "%s", (const char *)v);
    xmlFree(v);
}

/* Truncating copy (an over-long protocol or state simply matches nothing). */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool eq(const xmlChar *a, const char *b) { return a && strcmp((const char *)a, b) == 0; }

static long line_of(const char *data, size_t len, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off && i < len; i++)
        if (data[i] == '\n') line++;
    return line;
}

static int records(const struct sp *p) { return (int)(p->hosts->len + p->ports->len); }

static int end_port(struct sp *p, struct em_err *err)
{
    p->in_port = false;
    if (!p->port_ok) return 0;
    if (strcmp(p->port.state, "open") == 0 || strcmp(p->port.state, "closed") == 0)
        p->cur.replied = true;  /* a SYN-ACK, RST or UDP reply: the address answered */
    if (strcmp(p->port.state, "open") != 0 && strcmp(p->port.state, "open|filtered") != 0) return 0;
    if (p->cur.n_ports >= EM_SCAN_MAX_PORTS || records(p) >= EM_SCAN_MAX_RECORDS)
        return em_err_set(err, EM_ERR_LIMIT, p->name, "", xmlTextReaderGetParserLineNumber(p->r), "",
                          em_tr("スキャン結果のポートが多すぎます（1台あたり %d、全体で %d が上限）",
                                "the scan file lists too many ports (limit %d per host, %d in all)"),
                          EM_SCAN_MAX_PORTS, EM_SCAN_MAX_RECORDS);
    g_array_append_val(p->ports, p->port);
    p->cur.n_ports++;
    return 0;
}

static int end_host(struct sp *p, struct em_err *err)
{
    p->in_host = false;
    if (records(p) >= EM_SCAN_MAX_RECORDS)
        return em_err_set(err, EM_ERR_LIMIT, p->name, "", p->cur.line, "",
                          em_tr("スキャン結果のホストが多すぎます（%d が上限）",
                                "the scan file lists too many hosts (limit %d)"), EM_SCAN_MAX_RECORDS);
    if (p->cur.n_addr > 0) g_array_append_val(p->hosts, p->cur);
    else g_array_set_size(p->ports, p->cur.port0);  /* a host without an IP address */
    return 0;
}

static int on_element(struct sp *p, int depth, struct em_err *err)
{
    const xmlChar *n = xmlTextReaderConstLocalName(p->r);
    bool empty = xmlTextReaderIsEmptyElement(p->r) == 1;
    char v[160];
    if (!p->root_seen) {
        p->root_seen = true;
        if (!eq(n, "nmaprun"))
            return em_err_set(err, EM_ERR_FORMAT, p->name, "", 0, "",
                              em_tr("nmap のXML結果（-oX）ではありません（最上位の要素が <%s> です。nmap の結果は <nmaprun> です）",
                                    "not an nmap XML result (-oX): its top element is <%s>, nmap writes <nmaprun>"),
                              n ? (const char *)n : "?");
        return 0;
    }
    if (eq(n, "host") && !p->in_host) {
        memset(&p->cur, 0, sizeof p->cur);
        p->cur.port0 = p->ports->len;
        p->cur.line = xmlTextReaderGetParserLineNumber(p->r);
        p->in_host = true;
        p->host_depth = depth;
        return empty ? end_host(p, err) : 0;
    }
    if (!p->in_host) return 0;
    if (depth == p->host_depth + 1 && eq(n, "status")) {
        attr(p, "state", v, sizeof v);
        p->cur.status_up = strcmp(v, "up") == 0;
        attr(p, "reason", v, sizeof v);
        p->cur.user_set = strcmp(v, "user-set") == 0;
    } else if (depth == p->host_depth + 1 && eq(n, "address")) {
        attr(p, "addrtype", v, sizeof v);
        if (strcmp(v, "ipv4") != 0 && strcmp(v, "ipv6") != 0) return 0;  /* mac */
        attr(p, "addr", v, sizeof v);
        char canon[INET6_ADDRSTRLEN];
        if (p->cur.n_addr < MAX_HOST_ADDRS && em_ip_canon(v, canon, sizeof canon)) {
            for (int i = 0; i < p->cur.n_addr; i++)
                if (strcmp(p->cur.addr[i], canon) == 0) return 0;
            memcpy(p->cur.addr[p->cur.n_addr++], canon, sizeof canon);
        }
    } else if (eq(n, "extraports")) {
        /* "998 closed ports": the host sent resets, so it answered */
        attr(p, "state", v, sizeof v);
        char c[32];
        attr(p, "count", c, sizeof c);
        char *end;
        long k = strtol(c, &end, 10);
        if (strcmp(v, "closed") == 0 && end != c && *end == '\0' && k > 0) p->cur.replied = true;
    } else if (eq(n, "port")) {
        memset(&p->port, 0, sizeof p->port);
        p->port_ok = false;
        p->in_port = true;
        attr(p, "protocol", v, sizeof v);
        copy(p->port.proto, sizeof p->port.proto, v);
        attr(p, "portid", v, sizeof v);
        char *end;
        long k = strtol(v, &end, 10);
        if (v[0] >= '0' && v[0] <= '9' && *end == '\0' && k >= 0 && k <= 65535 && p->port.proto[0]) {
            p->port.port = (int)k;
            p->port_ok = true;
        }
        if (empty) return end_port(p, err);
    } else if (p->in_port && eq(n, "state")) {
        attr(p, "state", v, sizeof v);
        copy(p->port.state, sizeof p->port.state, v);
    } else if (p->in_port && eq(n, "service")) {
        attr(p, "name", p->port.name, sizeof p->port.name);
        attr(p, "product", p->port.product, sizeof p->port.product);
        attr(p, "version", p->port.version, sizeof p->port.version);
    }
    return 0;
}

static const char *find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) return hay + i;
    return NULL;
}

static int parse(struct sp *p, const char *data, size_t len, struct em_err *err)
{
    /* nmap never declares entities; refusing the declaration means none can expand */
    const char *ent = find(data, len, "<!ENTITY");
    if (ent)
        return em_err_set(err, EM_ERR_FORMAT, p->name, "", line_of(data, len, (size_t)(ent - data)), "",
                          em_tr("XMLのエンティティ宣言（<!ENTITY）があります。nmap の結果には無いもので、安全のため読みません",
                                "the file declares an XML entity (<!ENTITY); nmap never writes one, so the "
                                "file is refused for safety"));
    /* the encoding is fixed to UTF-8 (nmap's), so the check above sees every byte */
    p->r = xmlReaderForMemory(data, (int)len, p->name, "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    if (!p->r) return em_err_set(err, EM_ERR_NOMEM, p->name, "", 0, "", "out of memory");
    xmlTextReaderSetStructuredErrorHandler(p->r, sp_serror, p);
    int ret;
    while ((ret = xmlTextReaderRead(p->r)) == 1) {
        int depth = xmlTextReaderDepth(p->r);
        if (depth > EM_SCAN_MAX_DEPTH)
            return em_err_set(err, EM_ERR_LIMIT, p->name, "", xmlTextReaderGetParserLineNumber(p->r), "",
                              em_tr("XMLの入れ子が深すぎます（上限 %d 段）。nmap の結果ではないようです",
                                    "the XML is nested too deeply (limit %d levels); this is not an nmap result"),
                              EM_SCAN_MAX_DEPTH);
        int type = xmlTextReaderNodeType(p->r);
        int rc = 0;
        if (type == XML_READER_TYPE_ELEMENT) {
            rc = on_element(p, depth, err);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            const xmlChar *n = xmlTextReaderConstLocalName(p->r);
            if (p->in_port && eq(n, "port")) rc = end_port(p, err);
            else if (p->in_host && depth == p->host_depth && eq(n, "host")) rc = end_host(p, err);
        } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            return em_err_set(err, EM_ERR_FORMAT, p->name, "", xmlTextReaderGetParserLineNumber(p->r), "",
                              em_tr("XMLのエンティティ参照があります。nmap の結果には無いもので、安全のため読みません",
                                    "the file uses an XML entity reference; nmap never writes one, so the "
                                    "file is refused for safety"));
        }
        if (rc != 0) return rc;
    }
    if (ret < 0 || p->xml_err) {
        if (!p->root_seen)
            return em_err_set(err, EM_ERR_FORMAT, p->name, "", p->xml_line, "",
                              em_tr("XMLとして読めません。nmap の -oX で保存した結果を指定してください（%s）",
                                    "cannot be read as XML; give the result nmap saved with -oX (%s)"),
                              p->xml_msg[0] ? p->xml_msg : "?");
        return em_err_set(err, EM_ERR_FORMAT, p->name, "", p->xml_line, "",
                          em_tr("スキャン結果のXMLが壊れているか途中で切れています（%s）。nmap が途中で止まった場合は、スキャンをやり直してください",
                                "the scan XML is broken or cut short (%s); if nmap was interrupted, run the scan again"),
                          p->xml_msg[0] ? p->xml_msg : "?");
    }
    if (!p->root_seen)
        return em_err_set(err, EM_ERR_FORMAT, p->name, "", 0, "",
                          em_tr("XMLの要素がありません。nmap の -oX で保存した結果を指定してください",
                                "the file holds no XML element; give the result nmap saved with -oX"));
    return 0;
}

/* ---- the findings ---- */

/* Remote administration and VPN ports (records.md H-OPEN-SERVICE): the plain numbers
 * in any protocol (3389/udp is RDP, 443/udp SSL-VPN DTLS), the /udp ones only in UDP. */
static bool admin_port(const char *proto, int port)
{
    static const int any[] = {22, 23, 443, 3389, 4433, 10443};
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
        if (port == any[i]) return true;
    return strcmp(proto, "udp") == 0 && (port == 500 || port == 4500 || port == 161);
}

/* "443/tcp (https, FortiGate SSL VPN 7.4)" */
static void describe(const struct em_service *s, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%d/%s", s->port, s->proto);
    if (n < 0 || (size_t)n >= size) return;
    if (!*s->name && !*s->product) return;
    snprintf(buf + n, size - (size_t)n, " (%s%s%s%s%s)", s->name, *s->name && *s->product ? ", " : "",
             s->product, *s->version ? " " : "", s->version);
}

/* "シート「回線・機器情報記入シート」7行目、回線No 1" */
static void where_declared(const struct em_model *m, const struct em_path *pa, char *buf, size_t size)
{
    const char *ln = m->lines[pa->line].line_no;
    const char *where = *pa->src.sheet ? pa->src.sheet : pa->src.file;
    if (ln && *ln && !m->lines[pa->line].implicit)
        snprintf(buf, size, em_tr("「%s」%d行目、回線No %s に記入", "declared in '%s' row %d, line %s"),
                 where, pa->src.row, ln);
    else
        snprintf(buf, size, em_tr("「%s」%d行目に記入", "declared in '%s' row %d"), where, pa->src.row);
}

static int add_open_finding(struct em_model *m, const char *file, const struct em_service *s)
{
    const struct em_path *pa = &m->paths[s->path];
    char svc[400], where[600];
    describe(s, svc, sizeof svc);
    where_declared(m, pa, where, sizeof where);
    struct em_src src = {file, "", pa->src.row};
    const char *col = pa->col_global_ip ? pa->col_global_ip : "";
    const char *ln = m->lines[pa->line].implicit ? "" : m->lines[pa->line].line_no;
    if (s->severity == EM_SEV_INFO)
        return em_model_add_finding(m, em_code(EM_H_OPEN_SERVICE)->code, EM_SEV_INFO, &src, col, ln,
            em_tr("グローバルIP %s（%s）の %s は応答がなく、開いているかフィルタされているか判別できませんでした（open|filtered）。必要なら診断時に確認してください",
                  "global IP %s (%s): %s gave no answer, so the scan could not tell whether it is open or filtered (open|filtered); confirm it during the assessment if needed"),
            s->address, where, svc);
    if (s->severity == EM_SEV_ERROR)
        return em_model_add_finding(m, em_code(EM_H_OPEN_SERVICE)->code, EM_SEV_ERROR, &src, col, ln,
            em_tr("グローバルIP %s（%s）で %s が開いています。リモート管理・VPNのポートはインターネットに公開しないでください。やむを得ず公開する場合は接続元を限定し、機器のファームウェアを最新にしてください",
                  "global IP %s (%s): %s is open. Remote-administration and VPN ports should not be open to the Internet; if one must be, restrict who may connect and keep the device's firmware up to date"),
            s->address, where, svc);
    return em_model_add_finding(m, em_code(EM_H_OPEN_SERVICE)->code, EM_SEV_WARNING, &src, col, ln,
        em_tr("グローバルIP %s（%s）で %s が開いています。インターネットに公開する必要があるサービスか、管理者・保守業者に確認してください",
              "global IP %s (%s): %s is open. Check with the administrator or the maintenance vendor that it needs to be reachable from the Internet"),
        s->address, where, svc);
}

/* Pool-backed growth of the model's scan arrays (the old block stays in the pool). */
static void *grow(struct em_model *m, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 16;
    void *na = em_pool_alloc(m->pool, nc * elem);
    if (!na) return NULL;
    if (n) memcpy(na, arr, n * elem);
    *cap = nc;
    return na;
}

static const char *ps(struct em_model *m, const char *s) { return em_pool_str(m->pool, s); }

struct mark_ctx { int fam; const unsigned char *a; };

/* 1 when the list item (an address or block) holds the address. */
static int mark_one(void *ctx, const char *item, size_t len)
{
    const struct mark_ctx *c = ctx;
    char t[64];
    if (len >= sizeof t) return 0;
    memcpy(t, item, len);
    t[len] = '\0';
    struct ipblock k;
    k.family = parse_addr(t, k.a, &k.prefix);
    if (!k.family) return 0;
    if (k.prefix < 0) k.prefix = k.family == 6 ? 128 : 32;
    return in_block(&k, c->fam, c->a) ? 1 : 0;
}

/* Sets scanned (and scan_up) on every path whose list holds addr. Called only for
 * declared addresses, so the rows are read once per scanned declared address. */
static void mark_paths(struct em_model *m, const char *addr, bool up)
{
    unsigned char a[16];
    int prefix;
    int fam = parse_addr(addr, a, &prefix);
    if (!fam) return;
    for (size_t i = 0; i < m->n_paths; i++) {
        struct em_path *pa = &m->paths[i];
        if (!pa->global_ip || !*pa->global_ip) continue;
        struct mark_ctx c = {fam, a};
        if (em_list_split(pa->global_ip, EM_LIST_SPACES | EM_LIST_PREFIX, mark_one, &c)) {
            pa->scanned = true;
            if (up) pa->scan_up = true;
        }
    }
}

static int apply(struct em_model *m, const char *file, const struct sp *p, struct em_err *err)
{
    int rc = 0;
    struct em_ipset *decl = em_ipset_declared(m);
    GHashTable *svc = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!decl) goto nomem;
    for (size_t i = 0; i < m->n_services; i++) {
        const struct em_service *s = &m->services[i];
        g_hash_table_insert(svc, g_strdup_printf("%s/%s/%d", s->address, s->proto, s->port), GSIZE_TO_POINTER(i + 1));
    }
    for (size_t i = 0; i < m->n_scan_hosts; i++)
        g_hash_table_insert(hosts, g_strdup(m->scan_hosts[i].address), GSIZE_TO_POINTER(i + 1));
    if (em_scan_add_source(m, file) != 0) goto nomem;
    for (size_t i = 0; i < m->n_sources; i++)
        if (strcmp(m->sources[i], file) == 0) file = m->sources[i];

    for (guint h = 0; h < p->hosts->len; h++) {
        const struct hrec *hr = &g_array_index(p->hosts, struct hrec, h);
        /* -Pn marks every host "up" (reason user-set): only a port answer counts then */
        bool up = hr->replied || (hr->status_up && !hr->user_set);
        for (int a = 0; a < hr->n_addr; a++) {
            const char *addr = hr->addr[a];
            bool global = em_ip_is_global(addr);
            size_t path = global ? em_ipset_find(decl, addr) : EM_NONE;
            if (path != EM_NONE) mark_paths(m, addr, up);
            gpointer hv = g_hash_table_lookup(hosts, addr);
            bool was_up = false;
            struct em_scan_host *sh;
            if (hv) {
                sh = &m->scan_hosts[GPOINTER_TO_SIZE(hv) - 1];
                was_up = sh->up;
                sh->up = sh->up || up;
            } else {
                struct em_scan_host *na = grow(m, m->scan_hosts, m->n_scan_hosts, &m->cap_scan_hosts, sizeof *na);
                if (!na) goto nomem;
                m->scan_hosts = na;
                sh = &m->scan_hosts[m->n_scan_hosts];
                sh->address = ps(m, addr);
                sh->up = up;
                sh->file = file;
                sh->path = path;
                if (!sh->address) goto nomem;
                g_hash_table_insert(hosts, g_strdup(addr), GSIZE_TO_POINTER(++m->n_scan_hosts));
            }
            char opened[512] = "";
            size_t n_open = 0, used = 0;
            for (size_t q = hr->port0; q < hr->port0 + hr->n_ports; q++) {
                const struct hport *pt = &g_array_index(p->ports, struct hport, q);
                bool open = strcmp(pt->state, "open") == 0;
                if (open && n_open < 5 && used < sizeof opened - 64) {
                    int w = snprintf(opened + used, sizeof opened - used, "%s%d/%s%s%s%s", n_open ? ", " : "",
                                     pt->port, pt->proto, *pt->name ? " (" : "", pt->name, *pt->name ? ")" : "");
                    if (w > 0) used += (size_t)w < sizeof opened - used ? (size_t)w : sizeof opened - used - 1;
                }
                if (open) n_open++;
                char *key = g_strdup_printf("%s/%s/%d", addr, pt->proto, pt->port);
                gpointer sv = g_hash_table_lookup(svc, key);
                struct em_service *s;
                if (sv) {
                    g_free(key);
                    s = &m->services[GPOINTER_TO_SIZE(sv) - 1];
                    /* seen before: only an open|filtered that is now open says more */
                    if (!(open && strcmp(s->state, "open") != 0)) continue;
                    s->state = ps(m, "open");
                } else {
                    struct em_service *na = grow(m, m->services, m->n_services, &m->cap_services, sizeof *na);
                    if (!na) {
                        g_free(key);
                        goto nomem;
                    }
                    m->services = na;
                    s = &m->services[m->n_services];
                    s->address = sh->address;
                    s->proto = ps(m, pt->proto);
                    s->port = pt->port;
                    s->state = ps(m, open ? "open" : "open|filtered");
                    s->name = ps(m, pt->name);
                    s->product = ps(m, pt->product);
                    s->version = ps(m, pt->version);
                    s->file = file;
                    s->path = path;
                    if (!s->proto || !s->state || !s->name || !s->product || !s->version) {
                        g_free(key);
                        goto nomem;
                    }
                    g_hash_table_insert(svc, key, GSIZE_TO_POINTER(++m->n_services));
                }
                s->severity = !open ? EM_SEV_INFO : admin_port(s->proto, s->port) ? EM_SEV_ERROR : EM_SEV_WARNING;
                if (path != EM_NONE && add_open_finding(m, file, s) != 0) goto nomem;
            }
            if (n_open > 5) {
                char more[96];
                snprintf(more, sizeof more, em_tr(" ほか（計 %zu）", " and more (%zu in all)"), n_open);
                if (used + strlen(more) < sizeof opened) memcpy(opened + used, more, strlen(more) + 1);
            }
            if (global && path == EM_NONE && up && !was_up) {
                char ports[640] = "";
                if (n_open) snprintf(ports, sizeof ports, em_tr("（開いているポート: %s）", " (open: %s)"), opened);
                struct em_src src = {file, "", 0};
                if (em_model_add(m, EM_H_UNDECLARED_REACHABLE, &src, "", "",
                        em_tr("グローバルIP %s がスキャンに応答しました%sが、記入シートのどの行にも記載がありません。病院が使っている回線なら記入漏れですので回線を追記してください。病院のものでなければ、スキャン対象の指定に誤りがないか確認してください",
                              "global IP %s answered the scan%s, but no row of the records lists it. If the hospital uses it, a line is missing from the sheet: add it; if not, check the scan's target list"),
                        addr, ports) != 0)
                    goto nomem;
            }
        }
    }
    goto out;
nomem:
    rc = em_err_set(err, EM_ERR_NOMEM, file, "", 0, "", "out of memory");
out:
    em_ipset_free(decl);
    g_hash_table_destroy(svc);
    g_hash_table_destroy(hosts);
    return rc;
}

int em_scan_load_mem(struct em_model *m, const char *name, const char *data, size_t len,
                     struct em_err *err)
{
    if (len > EM_SCAN_MAX_BYTES)
        return em_err_set(err, EM_ERR_LIMIT, name, "", 0, "",
                          em_tr("スキャン結果のファイルが大きすぎます（上限 %u バイト）",
                                "the scan file is too large (limit %u bytes)"), EM_SCAN_MAX_BYTES);
    struct sp p;
    memset(&p, 0, sizeof p);
    p.name = name;
    p.hosts = g_array_new(FALSE, FALSE, sizeof(struct hrec));
    p.ports = g_array_new(FALSE, FALSE, sizeof(struct hport));
    /* libxml2 reports some errors through its global handlers: silence them too */
    xmlStructuredErrorFunc prev_s = xmlStructuredError;
    void *prev_s_ctx = xmlStructuredErrorContext;
    xmlGenericErrorFunc prev_g = xmlGenericError;
    void *prev_g_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(&p, sp_serror);
    xmlSetGenericErrorFunc(&p, sp_gerror);
    int rc = parse(&p, data, len, err);
    if (p.r) xmlFreeTextReader(p.r);
    xmlSetStructuredErrorFunc(prev_s_ctx, prev_s);
    xmlSetGenericErrorFunc(prev_g_ctx, prev_g);
    if (rc == 0) rc = apply(m, name, &p, err);
    g_array_free(p.hosts, TRUE);
    g_array_free(p.ports, TRUE);
    return rc;
}

int em_scan_load(struct em_model *m, const char *path, struct em_err *err)
{
    size_t size;
    char *buf = em_file_read(path, EM_SCAN_MAX_BYTES, em_tr("スキャン結果", "scan result"), &size, err);
    if (!buf) return err && err->rc ? err->rc : EM_ERR_IO;
    int rc = em_scan_load_mem(m, path, buf, size, err);
    free(buf);
    return rc;
}
