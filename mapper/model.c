/* model.c — the model's containers, finding list and enum names. The builder
 * (records.c) fills it; rules.c adds findings; json.c writes it. */
#include "mapper/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/finding_int.h"
#include "mapper/lang.h"
#include "mapper/norm.h"

struct em_model *em_model_new(void)
{
    struct em_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->pool = em_pool_new();
    if (!m->pool) {
        free(m);
        return NULL;
    }
    m->site.name = "";
    m->site.address = "";
    m->site.beds = "";
    m->survey_date = "";
    m->survey_date_text = "";
    m->survey_date_col = "";
    return m;
}

void em_model_free(struct em_model *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n_lines; i++) g_free(m->lines[i].seen);
    free(m->paths);
    free(m->lines);
    free(m->devices);
    free(m->segments);
    free(m->terminals);
    free(m->outside);
    free(m->edges);
    free(m->findings);
    free(m->sources);
    if (m->dev_index) g_hash_table_destroy(m->dev_index);
    em_pool_free(m->pool);
    free(m);
}

size_t em_model_find_device(const struct em_model *cm, const char *id)
{
    if (!cm || !id) return EM_NONE;
    struct em_model *m = (struct em_model *)cm;  /* the index is a cache (model.h) */
    if (!m->dev_index || m->dev_index_n != m->n_devices) {
        if (m->dev_index) g_hash_table_destroy(m->dev_index);
        GHashTable *ix = g_hash_table_new(g_str_hash, g_str_equal);
        /* the first device of an id wins, as the linear search it replaces did */
        for (size_t i = m->n_devices; i-- > 0;)
            if (m->devices[i].id) g_hash_table_insert(ix, (gpointer)m->devices[i].id, GSIZE_TO_POINTER(i + 1));
        m->dev_index = ix;
        m->dev_index_n = m->n_devices;
    }
    gsize v = GPOINTER_TO_SIZE(g_hash_table_lookup(m->dev_index, id));
    return v ? v - 1 : EM_NONE;
}

/* Grows a model array by one zeroed element. */
static size_t add(void **arr, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void *na = realloc(*arr, nc * elem);
        if (!na) return EM_NONE;
        *arr = na;
        *cap = nc;
    }
    memset((char *)*arr + *n * elem, 0, elem);
    return (*n)++;
}

#define ADDER(fn, field)                                                          \
    size_t fn(struct em_model *m)                                                 \
    {                                                                             \
        return add((void **)&m->field, &m->n_##field, &m->cap_##field,            \
                   sizeof *m->field);                                             \
    }
ADDER(em_model_add_path, paths)
ADDER(em_model_add_line, lines)
ADDER(em_model_add_device, devices)
ADDER(em_model_add_segment, segments)
ADDER(em_model_add_terminal, terminals)
ADDER(em_model_add_outside, outside)
ADDER(em_model_add_edge, edges)
#undef ADDER

char *em_edge_id_of(const char *from, const char *to, char *buf, size_t size)
{
    size_t lf = strlen(from), lt = strlen(to), n = lf + lt + 5;   /* "e-" "--" NUL */
    char *s = buf && n <= size ? buf : malloc(n);
    if (!s) return NULL;
    memcpy(s, "e-", 2);
    memcpy(s + 2, from, lf);
    memcpy(s + 2 + lf, "--", 2);
    memcpy(s + 4 + lf, to, lt + 1);
    return s;
}

char *em_edge_id(const struct em_edge *e, char *buf, size_t size)
{
    return em_edge_id_of(e->from, e->to, buf, size);
}

void em_edge_id_free(char *id, const char *buf)
{
    if (id != buf) free(id);
}

/* Small pool-backed lists: capacity is the next power of two >= n, so a push that
 * reaches a power of two moves the list into a block twice as big. */
static int push(struct em_model *m, void **arr, size_t *n, const void *v, size_t elem, size_t align)
{
    size_t k = *n;
    if (k == 0 || (k & (k - 1)) == 0) {
        size_t cap = k ? k * 2 : 1;
        /* aligned for the element only: a one-int list takes 4 bytes, not 16 */
        void *na = em_pool_alloc_aligned(m->pool, cap * elem, align);
        if (!na) return -1;
        if (k) memcpy(na, *arr, k * elem);
        *arr = na;
    }
    memcpy((char *)*arr + k * elem, v, elem);
    *n = k + 1;
    return 0;
}

int em_model_push_index(struct em_model *m, size_t **arr, size_t *n, size_t v)
{
    return push(m, (void **)arr, n, &v, sizeof v, _Alignof(size_t));
}

int em_model_push_int(struct em_model *m, int **arr, size_t *n, int v)
{
    return push(m, (void **)arr, n, &v, sizeof v, _Alignof(int));
}

int em_model_push_str(struct em_model *m, const char ***arr, size_t *n, const char *v)
{
    return push(m, (void **)arr, n, &v, sizeof v, _Alignof(const char *));
}

int em_model_push_src(struct em_model *m, struct em_src **arr, size_t *n, struct em_src v)
{
    return push(m, (void **)arr, n, &v, sizeof v, _Alignof(struct em_src));
}

int em_model_add_finding_va(struct em_model *m, const char *code, enum em_severity sev,
                            const struct em_src *src, const char *column, const char *line_no,
                            const char *fmt, va_list ap)
{
    size_t i = add((void **)&m->findings, &m->n_findings, &m->cap_findings,
                   sizeof *m->findings);
    if (i == EM_NONE) return -1;
    struct em_finding *f = &m->findings[i];
    f->code = em_pool_str(m->pool, code);
    f->severity = sev;
    f->file = em_pool_str(m->pool, src && src->file ? src->file : "");
    f->sheet = em_pool_str(m->pool, src && src->sheet ? src->sheet : "");
    f->row = src ? src->row : 0;
    f->column = em_pool_str(m->pool, column ? column : "");
    f->line_no = em_pool_str(m->pool, line_no ? line_no : "");
    /* template + arguments, interned: a message that repeats (one per unverified
       firmware of a kind ...) is stored once, and so is each long argument */
    f->packed_msg = em_finding_pack(m->pool, fmt, ap);
    if (!f->code || !f->file || !f->sheet || !f->column || !f->line_no || !f->packed_msg) {
        m->n_findings--;
        return -1;
    }
    return 0;
}

int em_model_add_finding(struct em_model *m, const char *code, enum em_severity sev,
                         const struct em_src *src, const char *column, const char *line_no,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = em_model_add_finding_va(m, code, sev, src, column, line_no, fmt, ap);
    va_end(ap);
    return r;
}

size_t em_model_count(const struct em_model *m, enum em_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (m->findings[i].severity == sev && !m->findings[i].accepted) n++;
    return n;
}

size_t em_model_count_accepted(const struct em_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (m->findings[i].accepted) n++;
    return n;
}

static const struct em_model *sort_model;

static size_t source_index(const char *file)
{
    for (size_t i = 0; i < sort_model->n_sources; i++)
        if (strcmp(sort_model->sources[i], file) == 0) return i;
    return sort_model->n_sources;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct em_finding *x = a, *y = b;
    size_t sx = source_index(x->file), sy = source_index(y->file);
    if (sx != sy) return sx < sy ? -1 : 1;
    int c = strcmp(x->sheet, y->sheet);
    if (c) return c;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    if (x->severity != y->severity) return x->severity > y->severity ? -1 : 1;
    c = strcmp(x->code, y->code);
    if (c) return c;
    return strcmp(x->column, y->column);
}

/* Finding indices by cmp_finding, then by index: a stable order, whatever qsort does. */
static int cmp_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = cmp_finding(&sort_model->findings[x], &sort_model->findings[y]);
    if (c) return c;
    return x < y ? -1 : x > y;
}

void em_model_sort_findings(struct em_model *m)
{
    size_t n = m->n_findings;
    if (n < 2) return;
    sort_model = m;
    /* indices are sorted, not the findings: qsort's scratch copy is 8 bytes a finding,
       not 64 (176,000 findings: 1.4 MB instead of 11.3 MB at the peak); equal findings
       keep their order (stable, as glibc's merge sort left them) */
    size_t *ix = malloc(n * sizeof *ix);
    if (!ix) {
        qsort(m->findings, n, sizeof *m->findings, cmp_finding);
        sort_model = NULL;
        return;
    }
    for (size_t i = 0; i < n; i++) ix[i] = i;
    qsort(ix, n, sizeof *ix, cmp_index);
    sort_model = NULL;
    /* finding k moves to where ix says, cycle by cycle, in place */
    struct em_finding *f = m->findings;
    for (size_t i = 0; i < n; i++) {
        if (ix[i] == i) continue;
        struct em_finding tmp = f[i];
        size_t j = i;
        for (;;) {
            size_t k = ix[j];
            ix[j] = j;
            if (k == i) {
                f[j] = tmp;
                break;
            }
            f[j] = f[k];
            j = k;
        }
    }
    free(ix);
}

const char *em_comm_type_name(enum em_comm_type t)
{
    switch (t) {
    case EM_COMM_INTERNET: return "internet";
    case EM_COMM_INTERNET_VPN: return "internet_vpn";
    case EM_COMM_CLOSED: return "closed";
    case EM_COMM_PHONE: return "phone";
    case EM_COMM_UNSET: break;
    }
    return "unknown";
}

const char *em_comm_type_label(enum em_comm_type t)
{
    switch (t) {
    case EM_COMM_INTERNET: return em_tr("インターネット", "Internet");
    case EM_COMM_INTERNET_VPN: return em_tr("インターネットVPN", "Internet VPN");
    case EM_COMM_CLOSED: return em_tr("閉域網", "Closed network");
    case EM_COMM_PHONE: return em_tr("電話回線のみ", "Phone line only");
    case EM_COMM_UNSET: break;
    }
    return em_tr("不明", "unknown");
}

const char *em_tri_name(enum em_tri t)
{
    return t == EM_TRI_YES ? "yes" : t == EM_TRI_NO ? "no" : "unknown";
}

const char *em_ip_kind_name(enum em_ip_kind k)
{
    return k == EM_IP_KIND_FIXED ? "fixed" : k == EM_IP_KIND_DYNAMIC ? "dynamic" : NULL;
}

const char *em_dev_type_name(enum em_dev_type t)
{
    switch (t) {
    case EM_DEV_ROUTER: return "router";
    case EM_DEV_UTM: return "utm";
    case EM_DEV_ONU: return "onu";
    case EM_DEV_MODEM: return "modem";
    case EM_DEV_HGW: return "hgw";
    case EM_DEV_VPN: return "vpn";
    case EM_DEV_L3SWITCH: return "l3switch";
    case EM_DEV_OTHER:
    case EM_DEV_UNSET: break;
    }
    return "other";
}

const char *em_dev_type_label(enum em_dev_type t)
{
    switch (t) {
    case EM_DEV_ROUTER: return em_tr("ルーター", "Router");
    case EM_DEV_UTM: return em_tr("ファイアウォール/UTM", "Firewall/UTM");
    case EM_DEV_ONU: return "ONU";
    case EM_DEV_MODEM: return em_tr("モデム", "Modem");
    case EM_DEV_HGW: return em_tr("ホームゲートウェイ", "Home gateway");
    case EM_DEV_VPN: return em_tr("VPN装置", "VPN device");
    case EM_DEV_L3SWITCH: return em_tr("L3スイッチ", "L3 switch");
    case EM_DEV_OTHER: return em_tr("その他", "Other");
    case EM_DEV_UNSET: break;
    }
    return em_tr("装置", "Device");
}

const char *em_severity_name(enum em_severity s)
{
    return s == EM_SEV_ERROR ? "error" : s == EM_SEV_WARNING ? "warning" : "info";
}

const char *em_source_name(enum em_source s)
{
    return s == EM_SRC_BOTH ? "both" : s == EM_SRC_DISCOVERED ? "discovered" : "declared";
}

const char *em_scan_reason_name(enum em_scan_reason r)
{
    switch (r) {
    case EM_SCAN_IN: return "";
    case EM_SCAN_OUT_CLOSED: return "closed_network";
    case EM_SCAN_OUT_PHONE: return "phone_only";
    case EM_SCAN_OUT_NO_GLOBAL_IP: return "no_global_ip";
    case EM_SCAN_OUT_NO_ADDRESS: return "no_address";
    case EM_SCAN_OUT_UNKNOWN: return "unknown_comm_type";
    }
    return "";
}

const char *em_scan_reason_label(enum em_scan_reason r)
{
    switch (r) {
    case EM_SCAN_IN: return em_tr("診断対象", "in scan scope");
    case EM_SCAN_OUT_CLOSED: return em_tr("診断対象外（閉域網）", "out of scope (closed network)");
    case EM_SCAN_OUT_PHONE: return em_tr("診断対象外（電話回線）", "out of scope (phone line)");
    case EM_SCAN_OUT_NO_GLOBAL_IP:
        return em_tr("診断対象外（グローバルIPなし）", "out of scope (no global IP)");
    case EM_SCAN_OUT_NO_ADDRESS:
        return em_tr("診断対象外（IPアドレス未記入）", "out of scope (address not given)");
    case EM_SCAN_OUT_UNKNOWN:
        return em_tr("診断対象外（通信形態不明）", "out of scope (communication form unknown)");
    }
    return "";
}
