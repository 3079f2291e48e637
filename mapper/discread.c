/* discread.c — DISC.json to compact records (discread.h) with the pull reader: the
 * document is walked once, each device / neighbour / link / segment object is read
 * key by key, and every value the merge does not use is skipped without being kept.
 * Unknown keys and values of the wrong type read as absent (DISC.json from other
 * versions still merges); only the schema is required. */
#include "mapper/discread.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "mapper/ipaddr.h"
#include "mapper/jsonpull.h"
#include "mapper/lang.h"
#include "mapper/scan.h"

#define SCHEMA "edgemap-discovery/1"

struct rd {
    struct em_jp *jp;
    struct em_dr *r;
    const char *name;
    struct em_err *err;
    size_t n_items;            /* every object read from the big arrays */
};

static const char *keep(struct rd *x, const char *s) { return g_string_chunk_insert_const(x->r->strs, s); }

static const char *text(struct rd *x) { return em_jp_text(x->jp, NULL); }

/* Reads a string value (or skips any other value). Returns the chunk copy or "";
 * NULL on a reader error. */
static const char *str_value(struct rd *x)
{
    enum em_jp_tok t = em_jp_next(x->jp);
    if (t == EM_JP_STR) return keep(x, text(x));
    return em_jp_skip(x->jp, t) == 0 ? "" : NULL;
}

/* Reads a boolean (true only for `true`); -1 on a reader error. */
static int bool_value(struct rd *x)
{
    enum em_jp_tok t = em_jp_next(x->jp);
    if (t == EM_JP_TRUE) return 1;
    return em_jp_skip(x->jp, t) == 0 ? 0 : -1;
}

/* Reads a whole number in [lo, hi]; anything else (or out of range) gives 0. -1 on a
 * reader error. */
static long long_value(struct rd *x, long lo, long hi)
{
    enum em_jp_tok t = em_jp_next(x->jp);
    if (t != EM_JP_NUM) return em_jp_skip(x->jp, t) == 0 ? 0 : -1;
    char *end = NULL;
    const char *s = text(x);
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s || *end || v < lo || v > hi ? 0 : v;
}

static void add_canon(struct rd *x, GPtrArray *a, const char *s)
{
    char c[64];
    if (a->len >= EM_DISC_MAX_ADDRS || !em_ip_canon(s, c, sizeof c)) return;
    for (guint i = 0; i < a->len; i++)
        if (strcmp(g_ptr_array_index(a, i), c) == 0) return;
    g_ptr_array_add(a, (gpointer)keep(x, c));
}

/* An object: calls member(x, ctx, key) for each key, which must consume the value.
 * Anything other than an object (already read as tok) is skipped. 0 or -1. */
typedef int (*member_fn)(struct rd *x, void *ctx, const char *key);
static int object(struct rd *x, enum em_jp_tok tok, member_fn member, void *ctx)
{
    if (tok != EM_JP_OBJ) return em_jp_skip(x->jp, tok);
    for (;;) {
        enum em_jp_tok t = em_jp_next(x->jp);
        if (t == EM_JP_OBJ_END) return 0;
        if (t != EM_JP_KEY) return -1;
        char key[64];
        g_strlcpy(key, text(x), sizeof key);
        if (member(x, ctx, key) != 0) return -1;
    }
}

/* An array: calls elem(x, ctx, tok) for each element (which must consume it). A
 * value that is not an array is skipped. 0 or -1. */
typedef int (*elem_fn)(struct rd *x, void *ctx, enum em_jp_tok tok);
static int array(struct rd *x, elem_fn elem, void *ctx)
{
    enum em_jp_tok t = em_jp_next(x->jp);
    if (t != EM_JP_ARR) return em_jp_skip(x->jp, t);
    for (;;) {
        t = em_jp_next(x->jp);
        if (t == EM_JP_ARR_END) return 0;
        if (t == EM_JP_ERROR || t == EM_JP_END || t == EM_JP_OBJ_END) return -1;
        if (elem(x, ctx, t) != 0) return -1;
    }
}

/* addresses: "10.1.1.1" or {"address": "10.1.1.1", ...} */
static int addr_member(struct rd *x, void *ctx, const char *key)
{
    if (strcmp(key, "address") != 0) return em_jp_skip(x->jp, em_jp_next(x->jp));
    const char *s = str_value(x);
    if (!s) return -1;
    add_canon(x, ctx, s);
    return 0;
}

static int addr_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    if (t == EM_JP_STR) { add_canon(x, ctx, text(x)); return 0; }
    return object(x, t, addr_member, ctx);
}

static int router_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    if (t == EM_JP_STR && strcmp(text(x), "router") == 0) *(bool *)ctx = true;
    return em_jp_skip(x->jp, t);
}

static int str_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    GPtrArray *a = ctx;
    if (t == EM_JP_STR && a->len < EM_DISC_MAX_LIST) g_ptr_array_add(a, (gpointer)keep(x, text(x)));
    return em_jp_skip(x->jp, t);
}

static int item_member(struct rd *x, void *ctx, const char *key)
{
    struct em_dr_item *it = ctx;
    static const struct { const char *key; size_t off; } strs[] = {
        {"id", offsetof(struct em_dr_item, id)},
        {"sys_name", offsetof(struct em_dr_item, name)},
        {"sys_location", offsetof(struct em_dr_item, location)},
        {"source", offsetof(struct em_dr_item, source)},
        {"mac", offsetof(struct em_dr_item, mac)},
        {"maker", offsetof(struct em_dr_item, maker)},
        {"seen_by", offsetof(struct em_dr_item, seen_by)},
        {"local_port", offsetof(struct em_dr_item, local_port)},
        {"segment", offsetof(struct em_dr_item, segment)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
        if (strcmp(key, strs[i].key) == 0) {
            const char *s = str_value(x);
            if (!s) return -1;
            *(const char **)(void *)((char *)it + strs[i].off) = s;
            return 0;
        }
    if (strcmp(key, "queried") == 0 && it->queried) {
        /* an address in snmp mode, a file name in walk mode */
        const char *s = str_value(x);
        if (!s) return -1;
        add_canon(x, it->addrs, s);
        return 0;
    }
    if (strcmp(key, "addresses") == 0 || strcmp(key, "also_reached_at") == 0)
        return array(x, addr_elem, it->addrs);
    if (strcmp(key, "default_next_hops") == 0) return array(x, addr_elem, it->hops);
    if (strcmp(key, "capabilities") == 0) return array(x, router_elem, &it->router);
    if (strcmp(key, "router_maker") == 0) {
        int b = bool_value(x);
        if (b < 0) return -1;
        it->router_maker = b;
        return 0;
    }
    if (strcmp(key, "vlan") == 0) {
        long v = long_value(x, 1, 4094);
        if (v < 0) return -1;
        it->vlan = v;
        return 0;
    }
    if (strcmp(key, "confidence") == 0) {
        const char *s = str_value(x);
        if (!s) return -1;
        it->inferred = strcmp(s, "inferred") == 0;
        return 0;
    }
    return em_jp_skip(x->jp, em_jp_next(x->jp));
}

static int count_item(struct rd *x)
{
    if (++x->n_items <= EM_DISC_MAX_ITEMS) return 0;
    em_err_set(x->err, EM_ERR_LIMIT, x->name, "", em_jp_line(x->jp), "",
               em_tr("探索結果の装置・リンクが多すぎます（%d が上限）",
                     "the discovery result holds too many devices and links (limit %d)"), EM_DISC_MAX_ITEMS);
    return -1;
}

static int item_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    bool queried = *(bool *)ctx;
    if (t != EM_JP_OBJ) return em_jp_skip(x->jp, t);
    if (count_item(x) != 0) return -1;
    struct em_dr_item it = {0};
    it.id = it.name = it.location = it.source = it.mac = it.maker = it.seen_by = it.local_port = it.segment = "";
    it.queried = queried;
    it.addrs = g_ptr_array_new();
    it.hops = g_ptr_array_new();
    g_array_append_val(x->r->items, it);   /* owned by r from here, freed with it */
    struct em_dr_item *p = &g_array_index(x->r->items, struct em_dr_item, x->r->items->len - 1);
    if (queried) x->r->n_devices++;
    return object(x, t, item_member, p);
}

static int end_member(struct rd *x, void *ctx, const char *key)
{
    const char **dev = ctx;
    if (strcmp(key, "device") != 0) return em_jp_skip(x->jp, em_jp_next(x->jp));
    const char *s = str_value(x);
    if (!s) return -1;
    *dev = s;
    return 0;
}

static int link_member(struct rd *x, void *ctx, const char *key)
{
    struct em_dr_link *l = ctx;
    if (strcmp(key, "local") == 0) return object(x, em_jp_next(x->jp), end_member, &l->a);
    if (strcmp(key, "remote") == 0) return object(x, em_jp_next(x->jp), end_member, &l->b);
    if (strcmp(key, "evidence") == 0) {
        const char *s = str_value(x);
        if (!s) return -1;
        l->inferred = strcmp(s, "inferred") == 0;
        l->both = strcmp(s, "both") == 0;
        return 0;
    }
    return em_jp_skip(x->jp, em_jp_next(x->jp));
}

static int link_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    (void)ctx;
    if (t != EM_JP_OBJ) return em_jp_skip(x->jp, t);
    if (count_item(x) != 0) return -1;
    struct em_dr_link l = {"", "", false, false};
    if (object(x, t, link_member, &l) != 0) return -1;
    if (*l.a && *l.b) g_array_append_val(x->r->links, l);
    return 0;
}

static int seg_member(struct rd *x, void *ctx, const char *key)
{
    struct em_dr_segment *s = ctx;
    if (strcmp(key, "id") == 0) return (s->id = str_value(x)) ? 0 : -1;
    if (strcmp(key, "prefix") == 0) return (s->prefix = str_value(x)) ? 0 : -1;
    if (strcmp(key, "devices") == 0) return array(x, str_elem, s->devices);
    if (strcmp(key, "emr") == 0) {
        int b = bool_value(x);
        if (b < 0) return -1;
        s->emr = b;
        return 0;
    }
    return em_jp_skip(x->jp, em_jp_next(x->jp));
}

static int seg_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    (void)ctx;
    if (t != EM_JP_OBJ) return em_jp_skip(x->jp, t);
    if (count_item(x) != 0) return -1;
    struct em_dr_segment s = {"", "", false, g_ptr_array_new()};
    g_array_append_val(x->r->segments, s);
    return object(x, t, seg_member, &g_array_index(x->r->segments, struct em_dr_segment, x->r->segments->len - 1));
}

static int pathout_member(struct rd *x, void *ctx, const char *key)
{
    struct em_dr_pathout *p = ctx;
    if (strcmp(key, "device") == 0) return (p->device = str_value(x)) ? 0 : -1;
    if (strcmp(key, "why") == 0) return (p->why = str_value(x)) ? 0 : -1;
    if (strcmp(key, "chain") == 0) return (p->chain = str_value(x)) ? 0 : -1;
    if (strcmp(key, "global") == 0) {
        int b = bool_value(x);
        if (b < 0) return -1;
        p->global = b;
        return 0;
    }
    return em_jp_skip(x->jp, em_jp_next(x->jp));
}

static int pathout_elem(struct rd *x, void *ctx, enum em_jp_tok t)
{
    (void)ctx;
    if (t != EM_JP_OBJ) return em_jp_skip(x->jp, t);
    if (count_item(x) != 0) return -1;
    struct em_dr_pathout p = {"", "", "", false};
    if (object(x, t, pathout_member, &p) != 0) return -1;
    if (*p.device) g_array_append_val(x->r->paths_out, p);
    return 0;
}

/* A top-level list ("devices", "links" …): discover always writes an array there, so
 * anything else but null means the file is not what discover wrote (hand-edited or
 * damaged) and is refused by name — reading on would silently drop every device. */
static int top_array(struct rd *x, const char *key, elem_fn elem, void *ctx)
{
    enum em_jp_tok t = em_jp_next(x->jp);
    if (t == EM_JP_NULL) return 0;
    if (t != EM_JP_ARR) {
        if (t == EM_JP_ERROR || t == EM_JP_END) return -1;
        em_err_set(x->err, EM_ERR_FORMAT, x->name, "", em_jp_line(x->jp), "",
                   em_tr("探索結果（DISC.json）の \"%s\" が一覧（配列）ではありません。edgemap discover をやり直してください",
                         "the discovery file (DISC.json): \"%s\" is not a list (array); run edgemap discover again"),
                   key);
        return -1;
    }
    for (;;) {
        t = em_jp_next(x->jp);
        if (t == EM_JP_ARR_END) return 0;
        if (t == EM_JP_ERROR || t == EM_JP_END || t == EM_JP_OBJ_END) return -1;
        if (elem(x, ctx, t) != 0) return -1;
    }
}

static int top_member(struct rd *x, void *ctx, const char *key)
{
    (void)ctx;
    bool yes = true, no = false;
    if (strcmp(key, "schema") == 0) return (x->r->schema = str_value(x)) ? 0 : -1;
    if (strcmp(key, "devices") == 0) return top_array(x, key, item_elem, &yes);
    if (strcmp(key, "neighbors_not_queried") == 0) return top_array(x, key, item_elem, &no);
    if (strcmp(key, "links") == 0) return top_array(x, key, link_elem, NULL);
    if (strcmp(key, "segments") == 0) return top_array(x, key, seg_elem, NULL);
    if (strcmp(key, "paths_out") == 0) return top_array(x, key, pathout_elem, NULL);
    if (strcmp(key, "scopes") == 0) return top_array(x, key, str_elem, x->r->scopes);
    if (strcmp(key, "seeds") == 0) return top_array(x, key, str_elem, x->r->seeds);
    return em_jp_skip(x->jp, em_jp_next(x->jp));
}

void em_dr_free(struct em_dr *r)
{
    if (!r) return;
    for (guint i = 0; r->items && i < r->items->len; i++) {
        struct em_dr_item *it = &g_array_index(r->items, struct em_dr_item, i);
        g_ptr_array_free(it->addrs, TRUE);
        g_ptr_array_free(it->hops, TRUE);
    }
    for (guint i = 0; r->segments && i < r->segments->len; i++)
        g_ptr_array_free(g_array_index(r->segments, struct em_dr_segment, i).devices, TRUE);
    if (r->items) g_array_free(r->items, TRUE);
    if (r->links) g_array_free(r->links, TRUE);
    if (r->segments) g_array_free(r->segments, TRUE);
    if (r->paths_out) g_array_free(r->paths_out, TRUE);
    if (r->scopes) g_ptr_array_free(r->scopes, TRUE);
    if (r->seeds) g_ptr_array_free(r->seeds, TRUE);
    if (r->strs) g_string_chunk_free(r->strs);
    g_free(r);
}

/* The reader's failure as an em_err. */
static void jp_fail(struct rd *x)
{
    enum em_jp_err e = em_jp_error(x->jp);
    long line = em_jp_line(x->jp);
    if (e == EM_JP_EBIG)
        em_err_set(x->err, EM_ERR_LIMIT, x->name, "", 0, "",
                   em_tr("探索結果のファイルが大きすぎます（上限 %u バイト）",
                         "the discovery file is too large (limit %u bytes)"), EM_DISC_MAX_BYTES);
    else if (e == EM_JP_EIO)
        em_err_set(x->err, EM_ERR_IO, x->name, "", 0, "", "%s: %s",
                   em_tr("読み込めません", "cannot read"), strerror(errno ? errno : EIO));
    else if (e == EM_JP_ETRUNC)
        em_err_set(x->err, EM_ERR_FORMAT, x->name, "", line, "",
                   em_tr("探索結果（DISC.json）が途中で切れています。edgemap discover をやり直してください",
                         "the discovery file (DISC.json) is cut short; run edgemap discover again"));
    else if (e == EM_JP_ETRAIL)
        em_err_set(x->err, EM_ERR_FORMAT, x->name, "", line, "",
                   em_tr("探索結果（DISC.json）のJSONのあとに余分なデータがあります",
                         "the discovery file (DISC.json) has extra data after the JSON"));
    else if (e == EM_JP_EDEPTH)
        em_err_set(x->err, EM_ERR_FORMAT, x->name, "", line, "",
                   em_tr("探索結果（DISC.json）の入れ子が深すぎます（%d 段が上限）",
                         "the discovery file (DISC.json) is nested too deep (limit %d levels)"), EM_DISC_MAX_DEPTH);
    else
        em_err_set(x->err, EM_ERR_FORMAT, x->name, "", line, "",
                   em_tr("探索結果（DISC.json）がJSONとして読めません（%s）",
                         "the discovery file (DISC.json) is not valid JSON (%s)"), em_jp_error_desc(x->jp));
}

static struct em_dr *read_all(struct em_jp *jp, const char *name, struct em_err *err)
{
    if (!jp) { em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory"); return NULL; }
    struct em_dr *r = g_new0(struct em_dr, 1);
    r->strs = g_string_chunk_new(65536);
    r->items = g_array_new(FALSE, TRUE, sizeof(struct em_dr_item));
    r->links = g_array_new(FALSE, TRUE, sizeof(struct em_dr_link));
    r->segments = g_array_new(FALSE, TRUE, sizeof(struct em_dr_segment));
    r->paths_out = g_array_new(FALSE, TRUE, sizeof(struct em_dr_pathout));
    r->scopes = g_ptr_array_new();
    r->seeds = g_ptr_array_new();
    r->schema = "";
    struct rd x = {jp, r, name, err, 0};
    if (err) em_err_clear(err);
    enum em_jp_tok t = em_jp_next(jp);
    int rc = t == EM_JP_OBJ ? object(&x, t, top_member, NULL) : em_jp_skip(jp, t);
    if (rc == 0 && em_jp_next(jp) != EM_JP_END) rc = -1;
    if (rc != 0) {
        if (!err || !err->rc) jp_fail(&x);
        em_dr_free(r);
        return NULL;
    }
    if (strcmp(r->schema, SCHEMA) != 0) {
        char got[80];
        g_strlcpy(got, *r->schema ? r->schema : em_tr("なし", "none"), sizeof got);
        em_err_set(err, EM_ERR_FORMAT, name, "", 0, "",
                   em_tr("edgemap discover の結果ではありません（schema が「%s」、必要なのは %s）",
                         "not a result of edgemap discover (schema is \"%s\", %s is needed)"), got, SCHEMA);
        em_dr_free(r);
        return NULL;
    }
    return r;
}

struct em_dr *em_dr_read_mem(const char *data, size_t len, const char *name, struct em_err *err)
{
    if (len > EM_DISC_MAX_BYTES) {
        em_err_set(err, EM_ERR_LIMIT, name, "", 0, "",
                   em_tr("探索結果のファイルが大きすぎます（上限 %u バイト）",
                         "the discovery file is too large (limit %u bytes)"), EM_DISC_MAX_BYTES);
        return NULL;
    }
    struct em_jp *jp = em_jp_new_mem(data, len, EM_DISC_MAX_BYTES, EM_DISC_MAX_DEPTH, EM_DISC_MAX_STR);
    struct em_dr *r = read_all(jp, name, err);
    em_jp_free(jp);
    return r;
}

struct em_dr *em_dr_read_file(FILE *f, const char *name, struct em_err *err)
{
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > EM_DISC_MAX_BYTES) {
        em_err_set(err, EM_ERR_LIMIT, name, "", 0, "",
                   em_tr("探索結果のファイルが大きすぎます（上限 %u バイト）",
                         "the discovery file is too large (limit %u bytes)"), EM_DISC_MAX_BYTES);
        return NULL;
    }
    struct em_jp *jp = em_jp_new_file(f, EM_DISC_MAX_BYTES, EM_DISC_MAX_DEPTH, EM_DISC_MAX_STR);
    struct em_dr *r = read_all(jp, name, err);
    em_jp_free(jp);
    return r;
}
