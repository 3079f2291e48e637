/* diff.c — compares two model JSON documents (edgemap/1) by stable keys: lines by
 * 回線No, paths by 回線No + communication form, devices by host name (else id), findings
 * by code + 回線No + column. Row numbers are not keys: rows move between surveys. */
#include "mapper/diff.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <string.h>

#include "mapper/lang.h"

struct priv {
    GStringChunk *strings;
    GArray *changes;
};

static const char *S(struct priv *p, const char *s) { return g_string_chunk_insert_const(p->strings, s ? s : ""); }

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v) return "";
    if (json_object_is_type(v, json_type_string)) return json_object_get_string(v);
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static json_object *jarr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array)) return NULL;
    return v;
}

/* A change once: the same thing changing the same way twice (two rows saying it) is
 * one change. */
static void add(struct priv *p, const char *kind, enum em_diff_op op, const char *key, const char *label,
                const char *field, const char *oldv, const char *newv)
{
    for (guint i = 0; i < p->changes->len; i++) {
        const struct em_change *c = &g_array_index(p->changes, struct em_change, i);
        if (c->op == op && strcmp(c->kind, kind) == 0 && strcmp(c->key, key) == 0 && strcmp(c->field, field ? field : "") == 0 &&
            strcmp(c->old_value, oldv ? oldv : "") == 0 && strcmp(c->new_value, newv ? newv : "") == 0)
            return;
    }
    struct em_change c = {S(p, kind), op, S(p, key), S(p, label), S(p, field), S(p, oldv), S(p, newv)};
    g_array_append_val(p->changes, c);
}

/* The value of a field as a reader of the sheet would write it, in the chosen language:
 * enum names become their labels (fixed → 固定IP), booleans あり/なし, lists joined.
 * Returns a string in p's chunk. */
static const char *readable(struct priv *p, const char *field, json_object *o)
{
    static const struct { const char *field, *raw, *ja, *en; } words[] = {
        {"ip_kind", "fixed", "固定IP", "fixed IP"}, {"ip_kind", "dynamic", "動的IP", "dynamic IP"},
        {"comm_type", "internet", "インターネット", "Internet"}, {"comm_type", "internet_vpn", "インターネットVPN", "Internet VPN"},
        {"comm_type", "closed", "閉域網", "closed network"}, {"comm_type", "phone", "電話回線のみ", "phone line only"},
        {"emr_link", "yes", "あり", "yes"}, {"emr_link", "no", "なし", "no"}, {"emr_link", "unknown", "不明", "unknown"},
        {"scan_scope", "in", "診断対象", "in scope"}, {"scan_scope", "out", "診断対象外", "out of scope"},
        {"scan_requested", "true", "調査希望あり", "scan requested"}, {"scan_requested", "false", "調査希望なし", "no scan requested"},
        {"rental", "true", "はい", "yes"}, {"rental", "false", "いいえ", "no"},
        {"type", "router", "ルーター", "router"}, {"type", "utm", "ファイアウォール/UTM", "firewall/UTM"},
        {"type", "onu", "ONU", "ONU"}, {"type", "modem", "モデム", "modem"}, {"type", "hgw", "ホームゲートウェイ", "home gateway"},
        {"type", "vpn", "VPN装置", "VPN device"}, {"type", "l3switch", "L3スイッチ", "L3 switch"}, {"type", "other", "その他", "other"},
    };
    json_object *v;
    if (!o || !json_object_object_get_ex(o, field, &v) || !v) return S(p, "");
    if (json_object_is_type(v, json_type_array)) {
        GString *s = g_string_new(NULL);
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *x = json_object_array_get_idx(v, i);
            if (s->len) g_string_append(s, ", ");
            g_string_append(s, json_object_is_type(x, json_type_string) ? json_object_get_string(x) : json_object_to_json_string(x));
        }
        const char *r = S(p, s->str);
        g_string_free(s, TRUE);
        return r;
    }
    const char *raw = jstr(o, field);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].field, field) == 0 && strcmp(words[i].raw, raw) == 0) return S(p, em_tr(words[i].ja, words[i].en));
    if (strcmp(raw, "null") == 0) return S(p, "");
    return S(p, raw);
}

/* Indexes an array of objects by a key function into an ordered list + table. */
typedef char *(*keyfn)(json_object *item, json_object *root);

struct index {
    GHashTable *by_key;   /* key -> json_object* */
    GPtrArray *keys;      /* in document order */
};

static void index_build(struct index *ix, json_object *arr, keyfn kf, json_object *root)
{
    ix->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ix->keys = g_ptr_array_new();
    size_t n = arr ? json_object_array_length(arr) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_array_get_idx(arr, i);
        char *k = kf(it, root);
        if (g_hash_table_contains(ix->by_key, k)) { /* keep the first of duplicates */
            g_free(k);
            continue;
        }
        g_hash_table_insert(ix->by_key, k, it);
        g_ptr_array_add(ix->keys, k);
    }
}

static void index_free(struct index *ix)
{
    g_ptr_array_free(ix->keys, TRUE);
    g_hash_table_destroy(ix->by_key);
}

static char *line_key(json_object *l, json_object *root)
{
    (void)root;
    const char *no = jstr(l, "line_no");
    return g_strdup(*no ? no : jstr(l, "id"));
}

static char *device_key(json_object *d, json_object *root)
{
    (void)root;
    const char *h = jstr(d, "hostname");
    if (*h) return g_ascii_strdown(h, -1);
    return g_strdup(jstr(d, "id"));
}

static char *finding_key(json_object *f, json_object *root)
{
    (void)root;
    return g_strdup_printf("%s@%s/%s/%s", jstr(f, "code"), jstr(f, "line_no"), jstr(f, "column"),
                           *jstr(f, "line_no") ? "" : jstr(f, "message"));
}

static void compare_fields(struct priv *p, const char *kind, const char *key, const char *label,
                           json_object *a, json_object *b, const char *const *fields)
{
    for (int i = 0; fields[i]; i++) {
        const char *x = readable(p, fields[i], a), *y = readable(p, fields[i], b);
        if (strcmp(x, y) != 0) add(p, kind, EM_DIFF_CHANGED, key, label, fields[i], x, y);
    }
}

/* Added / removed / changed items of two arrays. */
static void compare_arrays(struct priv *p, const char *kind, json_object *oa, json_object *na, keyfn kf,
                           json_object *oroot, json_object *nroot, const char *const *fields,
                           const char *(*label)(json_object *))
{
    struct index o, n;
    index_build(&o, oa, kf, oroot);
    index_build(&n, na, kf, nroot);
    for (guint i = 0; i < o.keys->len; i++) {
        const char *k = o.keys->pdata[i];
        json_object *a = g_hash_table_lookup(o.by_key, k), *b = g_hash_table_lookup(n.by_key, k);
        if (!b) add(p, kind, EM_DIFF_REMOVED, k, label(a), "", "", "");
        else if (fields) compare_fields(p, kind, k, label(b), a, b, fields);
    }
    for (guint i = 0; i < n.keys->len; i++) {
        const char *k = n.keys->pdata[i];
        if (!g_hash_table_contains(o.by_key, k))
            add(p, kind, EM_DIFF_ADDED, k, label(g_hash_table_lookup(n.by_key, k)), "", "", "");
    }
    index_free(&o);
    index_free(&n);
}

static const char *line_label(json_object *l)
{
    const char *c = jstr(l, "carrier"), *s = jstr(l, "service");
    static char buf[512];
    g_snprintf(buf, sizeof buf, "%s%s%s", c, *c && *s ? " " : "", s);
    return buf;
}

static const char *device_label(json_object *d)
{
    static char buf[512];
    const char *mk = jstr(d, "maker"), *md = jstr(d, "model");
    g_snprintf(buf, sizeof buf, "%s%s%s", mk, *mk && *md ? " " : "", md);
    return buf;
}

static const char *finding_label(json_object *f) { return jstr(f, "message"); }

/* Paths of all lines, keyed by line No + communication form (+ n for repeats). */
static json_object *flatten_paths(json_object *root)
{
    json_object *out = json_object_new_array();
    json_object *lines = jarr(root, "lines");
    size_t nl = lines ? json_object_array_length(lines) : 0;
    for (size_t i = 0; i < nl; i++) {
        json_object *l = json_object_array_get_idx(lines, i);
        json_object *paths = jarr(l, "paths");
        size_t np = paths ? json_object_array_length(paths) : 0;
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t k = 0; k < np; k++) {
            json_object *pa = json_object_array_get_idx(paths, k);
            const char *no = jstr(l, "line_no");
            char *base = g_strdup_printf("%s/%s", *no ? no : jstr(l, "id"), *jstr(pa, "comm_type") ? jstr(pa, "comm_type") : "unknown");
            int count = GPOINTER_TO_INT(g_hash_table_lookup(seen, base)) + 1;
            g_hash_table_insert(seen, g_strdup(base), GINT_TO_POINTER(count));
            char *key = count > 1 ? g_strdup_printf("%s#%d", base, count) : g_strdup(base);
            json_object *copy = NULL;
            json_object_deep_copy(pa, &copy, NULL);
            json_object_object_add(copy, "_key", json_object_new_string(key));
            json_object_array_add(out, copy);
            g_free(base);
            g_free(key);
        }
        g_hash_table_destroy(seen);
    }
    return out;
}

static char *path_key(json_object *pa, json_object *root)
{
    (void)root;
    return g_strdup(jstr(pa, "_key"));
}

static const char *path_label(json_object *pa) { (void)pa; return ""; }

/* The scan target list of one round: line No → the addresses its in-scope, requested
 * paths list (global IP, FQDN, or 動的IP). */
static GHashTable *targets(struct priv *p, json_object *root)
{
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
    json_object *lines = jarr(root, "lines");
    for (size_t i = 0; lines && i < json_object_array_length(lines); i++) {
        json_object *l = json_object_array_get_idx(lines, i);
        json_object *paths = jarr(l, "paths");
        for (size_t k = 0; paths && k < json_object_array_length(paths); k++) {
            json_object *pa = json_object_array_get_idx(paths, k);
            if (strcmp(jstr(pa, "scan_scope"), "in") != 0 || strcmp(jstr(pa, "scan_requested"), "true") != 0) continue;
            const char *addr[2] = {jstr(pa, "global_ip"), jstr(pa, "fqdn")};
            if (strcmp(jstr(pa, "ip_kind"), "dynamic") == 0 || (!*addr[0] && !*addr[1]))
                addr[0] = em_tr("動的IP(当日確認)", "dynamic IP");
            for (int a = 0; a < 2; a++) {
                if (!*addr[a]) continue;
                char *key = g_strdup_printf("%s\t%s", *jstr(l, "line_no") ? jstr(l, "line_no") : jstr(l, "id"), addr[a]);
                g_hash_table_insert(t, (gpointer)S(p, key), (gpointer)S(p, addr[a]));
                g_free(key);
            }
        }
    }
    return t;
}

/* Scan targets that entered or left the list, with their addresses (kind "target",
 * key "<line No> <address>"). */
static void compare_targets(struct priv *p, json_object *a, json_object *b)
{
    GHashTable *ta = targets(p, a), *tb = targets(p, b);
    for (int side = 0; side < 2; side++) {
        GHashTable *from = side ? tb : ta, *other = side ? ta : tb;
        GList *keys = g_list_sort(g_hash_table_get_keys(from), (GCompareFunc)strcmp);
        for (GList *k = keys; k; k = k->next) {
            if (g_hash_table_contains(other, k->data)) continue;
            const char *key = k->data, *tab = strchr(key, '\t');
            char *line = g_strndup(key, (gsize)(tab - key));
            char *shown = g_strdup_printf("%s %s", line, tab + 1);
            add(p, "target", side ? EM_DIFF_ADDED : EM_DIFF_REMOVED, shown, tab + 1, "", "", "");
            g_free(shown);
            g_free(line);
        }
        g_list_free(keys);
    }
    g_hash_table_destroy(ta);
    g_hash_table_destroy(tb);
}

/* True when every element of the array a is an object. */
static bool jarr_of_objects(json_object *a)
{
    for (size_t k = 0; k < json_object_array_length(a); k++)
        if (!json_object_is_type(json_object_array_get_idx(a, k), json_type_object)) return false;
    return true;
}

/* The lists the comparison walks ("lines", "devices", "findings" and each line's
 * "paths") hold objects; a document where one does not (a hand-edited or foreign
 * file) is refused by name instead of being compared. Returns the offending list's
 * name, or NULL when the shape is right. */
static const char *bad_shape(json_object *root)
{
    static const char *const lists[] = {"lines", "devices", "findings"};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        json_object *v;
        if (!json_object_object_get_ex(root, lists[i], &v) || !v) continue;
        if (!json_object_is_type(v, json_type_array)) return lists[i];
        for (size_t k = 0; k < json_object_array_length(v); k++) {
            json_object *item = json_object_array_get_idx(v, k);
            if (!json_object_is_type(item, json_type_object)) return lists[i];
            json_object *paths;
            if (i == 0 && json_object_object_get_ex(item, "paths", &paths) && paths &&
                (!json_object_is_type(paths, json_type_array) ||
                 !jarr_of_objects(paths)))
                return "paths";
        }
    }
    return NULL;
}

static json_object *parse(const char *text, const char *name, struct em_err *err)
{
    enum json_tokener_error jerr;
    json_object *o = json_tokener_parse_verbose(text, &jerr);
    if (!o) {
        em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL,
                   em_tr("JSON として読めません: %s", "not valid JSON: %s"), json_tokener_error_desc(jerr));
        return NULL;
    }
    if (strcmp(jstr(o, "schema"), "edgemap/1") != 0) {
        em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                   em_tr("edgemap のモデル JSON（schema \"edgemap/1\"）ではありません",
                         "not an edgemap model JSON (schema \"edgemap/1\")"));
        json_object_put(o);
        return NULL;
    }
    const char *bad = bad_shape(o);
    if (bad) {
        em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL,
                   em_tr("edgemap のモデル JSON の形ではありません（\"%s\" が項目の並びではありません）",
                         "not shaped like an edgemap model JSON (\"%s\" is not a list of items)"), bad);
        json_object_put(o);
        return NULL;
    }
    return o;
}

struct em_diff *em_diff_models(const char *old_json, const char *old_name, const char *new_json,
                               const char *new_name, struct em_err *err)
{
    json_object *a = parse(old_json, old_name, err);
    if (!a) return NULL;
    json_object *b = parse(new_json, new_name, err);
    if (!b) {
        json_object_put(a);
        return NULL;
    }
    struct priv *p = g_new0(struct priv, 1);
    p->strings = g_string_chunk_new(4096);
    p->changes = g_array_new(FALSE, FALSE, sizeof(struct em_change));

    json_object *sa, *sb;
    if (json_object_object_get_ex(a, "site", &sa) && json_object_object_get_ex(b, "site", &sb)) {
        static const char *const site_fields[] = {"name", "address", "beds", NULL};
        compare_fields(p, "site", "site", jstr(sb, "name"), sa, sb, site_fields);
    }
    static const char *const line_fields[] = {"carrier", "service", "ctu_location", "contract_holder", NULL};
    compare_arrays(p, "line", jarr(a, "lines"), jarr(b, "lines"), line_key, a, b, line_fields, line_label);

    json_object *pa = flatten_paths(a), *pb = flatten_paths(b);
    static const char *const path_fields[] = {"global_ip", "ip_kind", "fqdn", "emr_link", "scan_scope",
                                              "scan_requested", "purpose", "system", "remote_party", NULL};
    compare_arrays(p, "path", pa, pb, path_key, a, b, path_fields, path_label);
    json_object_put(pa);
    json_object_put(pb);

    static const char *const dev_fields[] = {"type", "maker", "model", "firmware", "rental", "location",
                                             "cves", NULL};
    compare_arrays(p, "device", jarr(a, "devices"), jarr(b, "devices"), device_key, a, b, dev_fields, device_label);
    compare_arrays(p, "finding", jarr(a, "findings"), jarr(b, "findings"), finding_key, a, b, NULL, finding_label);
    compare_targets(p, a, b);

    json_object_put(a);
    json_object_put(b);
    struct em_diff *d = g_new0(struct em_diff, 1);
    d->changes = (struct em_change *)(void *)p->changes->data;
    d->n = p->changes->len;
    d->priv = p;
    return d;
}

void em_diff_free(struct em_diff *d)
{
    if (!d) return;
    struct priv *p = d->priv;
    g_array_free(p->changes, TRUE);
    g_string_chunk_free(p->strings);
    g_free(p);
    g_free(d);
}

const char *em_diff_op_label(enum em_diff_op op)
{
    switch (op) {
    case EM_DIFF_ADDED: return em_tr("追加", "added");
    case EM_DIFF_REMOVED: return em_tr("削除", "removed");
    case EM_DIFF_CHANGED: break;
    }
    return em_tr("変更", "changed");
}

const char *em_diff_field_label(const char *f)
{
    static const struct { const char *key, *ja, *en; } names[] = {
        {"carrier", "回線事業者", "carrier"}, {"service", "回線サービス名", "service"},
        {"ctu_location", "回線終端装置設置場所", "termination-device location"},
        {"contract_holder", "回線契約者", "contract holder"}, {"global_ip", "グローバルIPアドレス", "global IP"},
        {"ip_kind", "固定IP/動的IP", "fixed/dynamic"}, {"fqdn", "FQDN", "FQDN"},
        {"emr_link", "電子カルテ接続", "EMR link"}, {"scan_scope", "診断対象", "scan scope"},
        {"scan_requested", "調査希望", "scan requested"}, {"purpose", "回線の用途", "purpose"},
        {"system", "システム名", "system"}, {"remote_party", "接続先", "remote party"},
        {"type", "装置の種類", "type"}, {"maker", "メーカー", "maker"}, {"model", "機種名", "model"},
        {"firmware", "ファームウェアバージョン", "firmware"}, {"rental", "レンタル装置", "rental"},
        {"location", "設置場所", "location"}, {"cves", "既知の脆弱性", "known vulnerabilities"},
        {"name", "医療機関名", "site name"}, {"address", "所在地", "address"}, {"beds", "病床数", "beds"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(f, names[i].key) == 0) return em_tr(names[i].ja, names[i].en);
    return f;
}
