/* lines.c — rows into physical lines and devices, by the rules of records.md "One row =
 * one line" and "Several files are one survey": rows with equal 回線No are one line in
 * every file; a row's device is another row's only when host names or management IPs
 * are equal, or maker, model and firmware agree in the same slot of one line. Nothing a
 * row declares is dropped: a device that cannot be merged is kept. Disagreements are
 * E-LINE-CONFLICT / E-DEVICE-CONFLICT findings naming both files and rows. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mapper/codes.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/pool.h"
#include "mapper/records_int.h"

#define KEYBUF 512
#define SEEN_PER_COLUMN 8   /* distinct values remembered per line column (caps work per row) */

/* A set of (line, device) pairs: open addressing over pair + 1 (0 is empty), so a
 * pair costs 8 bytes here instead of a GHashTable slot and a malloc'd key. */
struct pair_set { guint64 *slot; size_t n_slots, n_used; };

static size_t pair_hash(guint64 v)
{
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (size_t)v;
}

/* Adds v; returns 1 when it was new, 0 when already there. GLib aborts on no memory. */
static int pair_add(struct pair_set *ps, guint64 v)
{
    v++;
    if ((ps->n_used + 1) * 4 > ps->n_slots * 3) {   /* up to 3/4 full */
        size_t n = ps->n_slots ? ps->n_slots * 2 : 1024;
        guint64 *ns = g_new0(guint64, n);
        for (size_t i = 0; i < ps->n_slots; i++) {
            if (!ps->slot[i]) continue;
            size_t j = pair_hash(ps->slot[i]) & (n - 1);
            while (ns[j]) j = (j + 1) & (n - 1);
            ns[j] = ps->slot[i];
        }
        g_free(ps->slot);
        ps->slot = ns;
        ps->n_slots = n;
    }
    size_t j = pair_hash(v) & (ps->n_slots - 1);
    while (ps->slot[j]) {
        if (ps->slot[j] == v) return 0;
        j = (j + 1) & (ps->n_slots - 1);
    }
    ps->slot[j] = v;
    ps->n_used++;
    return 1;
}

struct em_index {
    GStringChunk *keys;   /* the tables' key strings, packed; freed with the index */
    GHashTable *lines;    /* compact 回線No -> line index + 1 */
    GHashTable *hosts;    /* compact host name -> device index + 1 */
    GHashTable *mgmt;     /* management IP -> device index + 1 */
    GHashTable *ids;      /* line and device ids in use (pool strings) */
    struct pair_set on_line;  /* (line << 32 | device) pairs already listed on a line */
    GHashTable *next_k;   /* wanted id -> the next suffix to try (ids stay linear to make) */
    /* host|IP|model|firmware keys -> device: a row naming a device exactly as one of
       several namesakes finds it. The keys are not stored (see struct exact_set). */
    struct exact_set { struct exact_slot *slot; size_t n_slots, n_used; } exact;
    const struct em_model *m;  /* the devices the exact keys are rebuilt from */
};

/* The identity key of a device or a row's slot (compact forms, cut as row keys are),
 * written into out, which holds IDENTITY_KEY_MAX bytes; returns out. */
#define COMPACT_MAX (sizeof ((struct rowvals *)0)->compact[0])
#define IDENTITY_KEY_MAX (4 * COMPACT_MAX)
static const char *identity_key(char *out, const char *host, const char *mgmt, const char *model, const char *fw)
{
    const char *f[4] = {host, mgmt, model, fw};
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        /* each compact form is < COMPACT_MAX bytes, so the four and their separators fit */
        em_norm_compact(f[i], strlen(f[i]), out + n, COMPACT_MAX);
        n += strlen(out + n);
        out[n++] = '\x1f';
    }
    out[n] = '\0';
    return out;
}

/* The exact keys are the identities devices had when they were remembered, and a
 * device's four identity fields only ever go from blank to a value while rows are read
 * (first non-blank wins, em_lines_device). So a key is rebuilt from its device and the
 * fields that were blank then (4 bits): a slot is the key's hash and that reference, 8
 * bytes, where a GHashTable slot and a copy of the key took ~55 (100,000 rows: 2 MB, not
 * 10 MB). Lookups compare the hash, then the rebuilt key: exact, as the copy was. */
struct exact_slot { uint32_t hash; uint32_t ref; };   /* ref: device + 1 | blanks << 28; 0 empty */
#define EXACT_DEV_MAX ((1u << 28) - 2)   /* more devices are not remembered (a miss, never wrong) */

static unsigned identity_blanks(const struct em_device *d)
{
    return (unsigned)!*d->hostname | (unsigned)!*d->mgmt_ip << 1 | (unsigned)!*d->model << 2 |
           (unsigned)!*d->firmware << 3;
}

/* The key a slot stands for, into out (IDENTITY_KEY_MAX bytes). */
static const char *exact_key(const struct em_index *ix, uint32_t ref, char *out)
{
    const struct em_device *d = &ix->m->devices[(ref & 0x0FFFFFFFu) - 1];
    unsigned b = ref >> 28;
    return identity_key(out, b & 1 ? "" : d->hostname, b & 2 ? "" : d->mgmt_ip, b & 4 ? "" : d->model,
                        b & 8 ? "" : d->firmware);
}

/* The device remembered under key k (hash h), or EM_NONE. */
static size_t exact_find(const struct em_index *ix, const char *k, uint32_t h)
{
    const struct exact_set *es = &ix->exact;
    if (!es->n_slots) return EM_NONE;
    char kk[IDENTITY_KEY_MAX];
    for (size_t j = h & (es->n_slots - 1); es->slot[j].ref; j = (j + 1) & (es->n_slots - 1))
        if (es->slot[j].hash == h && strcmp(exact_key(ix, es->slot[j].ref, kk), k) == 0)
            return (es->slot[j].ref & 0x0FFFFFFFu) - 1;
    return EM_NONE;
}

/* Remembers device i under its identity of now, hash h, which no device has yet (the
 * caller looked it up). GLib aborts on no memory. */
static void exact_insert(struct em_index *ix, uint32_t h, size_t i)
{
    struct exact_set *es = &ix->exact;
    if (i > EXACT_DEV_MAX) return;
    if ((es->n_used + 1) * 4 > es->n_slots * 3) {
        size_t n = es->n_slots ? es->n_slots * 2 : 1024;
        struct exact_slot *ns = g_new0(struct exact_slot, n);
        for (size_t a = 0; a < es->n_slots; a++) {
            if (!es->slot[a].ref) continue;
            size_t j = es->slot[a].hash & (n - 1);
            while (ns[j].ref) j = (j + 1) & (n - 1);
            ns[j] = es->slot[a];
        }
        g_free(es->slot);
        es->slot = ns;
        es->n_slots = n;
    }
    size_t j = h & (es->n_slots - 1);
    while (es->slot[j].ref) j = (j + 1) & (es->n_slots - 1);
    es->slot[j].hash = h;
    es->slot[j].ref = (uint32_t)(i + 1) | (uint32_t)identity_blanks(&ix->m->devices[i]) << 28;
    es->n_used++;
}

static void remember_exact(struct em_index *ix, const struct em_device *d, size_t i)
{
    if (!*d->hostname && !*d->mgmt_ip) return;
    char k[IDENTITY_KEY_MAX];
    identity_key(k, d->hostname, d->mgmt_ip, d->model, d->firmware);
    uint32_t h = em_pool_hash(k, strlen(k));
    if (exact_find(ix, k, h) == EM_NONE) exact_insert(ix, h, i);   /* the first one stays */
}

/* A line's device list is scanned for maker/model matches only this far: a hostile
 * sheet with a million devices on one 回線No stays linear (later ones are kept, unmerged). */
#define LINE_SCAN_MAX 64

struct em_index *em_index_new(const struct em_model *m)
{
    struct em_index *ix = g_new0(struct em_index, 1);
    ix->keys = g_string_chunk_new(64 * 1024);
    ix->lines = g_hash_table_new(g_str_hash, g_str_equal);
    ix->hosts = g_hash_table_new(g_str_hash, g_str_equal);
    ix->mgmt = g_hash_table_new(g_str_hash, g_str_equal);
    ix->ids = g_hash_table_new(g_str_hash, g_str_equal);
    ix->next_k = g_hash_table_new(g_str_hash, g_str_equal);
    ix->m = m;
    char k[sizeof ((struct rowvals *)0)->compact[0]];   /* cut as the rows' keys are */
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *ln = &m->lines[i];
        g_hash_table_add(ix->ids, (gpointer)ln->id);
        for (size_t j = 0; j < ln->n_devices; j++)
            pair_add(&ix->on_line, (guint64)i << 32 | (guint64)ln->devices[j]);
        if (ln->implicit) continue;
        em_norm_compact(ln->line_no, strlen(ln->line_no), k, sizeof k);
        if (*k && !g_hash_table_contains(ix->lines, k))
            g_hash_table_insert(ix->lines, g_string_chunk_insert(ix->keys, k), GSIZE_TO_POINTER(i + 1));
    }
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        if (d->id) g_hash_table_add(ix->ids, (gpointer)d->id);
        if (d->source == EM_SRC_DISCOVERED) continue;
        em_norm_compact(d->hostname, strlen(d->hostname), k, sizeof k);
        if (*k && !g_hash_table_contains(ix->hosts, k))
            g_hash_table_insert(ix->hosts, g_string_chunk_insert(ix->keys, k), GSIZE_TO_POINTER(i + 1));
        if (*d->mgmt_ip && !g_hash_table_contains(ix->mgmt, d->mgmt_ip))
            g_hash_table_insert(ix->mgmt, (gpointer)d->mgmt_ip, GSIZE_TO_POINTER(i + 1));  /* a pool string */
        remember_exact(ix, d, i);
    }
    return ix;
}

void em_index_free(struct em_index *ix)
{
    if (!ix) return;
    g_hash_table_destroy(ix->lines);
    g_hash_table_destroy(ix->hosts);
    g_hash_table_destroy(ix->mgmt);
    g_hash_table_destroy(ix->ids);
    g_free(ix->on_line.slot);
    g_hash_table_destroy(ix->next_k);
    g_free(ix->exact.slot);
    g_string_chunk_free(ix->keys);
    g_free(ix);
}

size_t em_index_line(const struct em_index *ix, const char *key)
{
    gpointer p = *key ? g_hash_table_lookup(ix->lines, key) : NULL;
    return p ? (size_t)GPOINTER_TO_SIZE(p) - 1 : EM_NONE;
}

void em_index_add_line(struct em_index *ix, const char *key, size_t line)
{
    if (*key && !g_hash_table_contains(ix->lines, key))
        g_hash_table_insert(ix->lines, g_string_chunk_insert(ix->keys, key), GSIZE_TO_POINTER(line + 1));
}

const char *em_index_unique_id(struct em_index *ix, struct em_pool *pool, const char *want)
{
    /* candidates are tried on the stack; the one taken is copied once, not interned
       (an id is unique: interning would only fill the pool's table) */
    char buf[512];
    const char *cand = want;
    if (g_hash_table_contains(ix->ids, want)) {
        gpointer key = NULL, p = NULL;
        int k = g_hash_table_lookup_extended(ix->next_k, want, &key, &p) ? GPOINTER_TO_INT(p) : 2;
        do snprintf(buf, sizeof buf, "%s-%d", want, k++);
        while (g_hash_table_contains(ix->ids, buf));
        g_hash_table_insert(ix->next_k, key ? key : g_string_chunk_insert(ix->keys, want), GINT_TO_POINTER(k));
        cand = buf;
    }
    const char *id = em_pool_strn_once(pool, cand, strlen(cand));
    if (id) g_hash_table_add(ix->ids, (gpointer)id);
    return id;
}

/* Where a row is, for messages: "5行目" / "row 5" when both rows of a finding are in one
 * file, else "hospital.csv 5行目" / "hospital.csv row 5" (the file's name, no folder).
 * Written into buf (size bytes; only the message keeps it); returns buf. */
static const char *where(char *buf, size_t size, const struct em_src *s, const struct em_src *other)
{
    const char *file = s->file ? s->file : "";
    if (other && other->file && strcmp(file, other->file) == 0) {
        snprintf(buf, size, em_tr("%d行目", "row %d"), s->row);
        return buf;
    }
    const char *slash = strrchr(file, '/');
    snprintf(buf, size, em_tr("%s %d行目", "%s row %d"), slash ? slash + 1 : file, s->row);
    return buf;
}

/* Equal in the compact form (NFKC, no spaces, ASCII case folded). ASCII text, the
 * usual case for makers, models and versions, is compared without NFKC. */
static int same_key(const char *a, const char *b)
{
    if (strcmp(a, b) == 0) return 1;
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
        if (*p >= 0x80 || *q >= 0x80) break;           /* not ASCII: the full key below */
        if (!*p || !*q) return *p == *q;
        if (g_ascii_tolower(*p) != g_ascii_tolower(*q)) {
            /* ASCII prefixes differ; the rest could still fold to it only if it is not ASCII */
            const unsigned char *r;
            for (r = p; *r && *r < 0x80; r++) {}
            const unsigned char *t;
            for (t = q; *t && *t < 0x80; t++) {}
            if (!*r && !*t) return 0;
            break;
        }
        p++;
        q++;
    }
    char ka[KEYBUF], kb[KEYBUF];
    em_norm_compact(a, strlen(a), ka, sizeof ka);
    em_norm_compact(b, strlen(b), kb, sizeof kb);
    return strcmp(ka, kb) == 0;
}

/* Both given and different (blank never disagrees). */
static int differ(const char *a, const char *b)
{
    return *a && *b && !same_key(a, b);
}

/* ---- E-LINE-CONFLICT ---- */

static const enum em_field line_fields[3] = {F_CARRIER, F_SERVICE, F_CTU_LOCATION};

int em_lines_check_row(struct em_model *m, size_t line, const struct rowvals *v,
                       const struct em_src *src, const char *const *col)
{
    struct em_line *ln = &m->lines[line];
    /* (earlier value, this row's value) per column, grouped by the earlier row */
    struct conflict { int field; size_t old; } c[3 * SEEN_PER_COLUMN];   /* old: index in ln->seen */
    size_t nc = 0;
    struct em_line_value add[3];   /* this row's new values, appended together */
    size_t n_add = 0;
    for (int f = 0; f < 3; f++) {
        const char *val = v->val[line_fields[f]];
        const char *key = v->compact[line_fields[f]];
        if (!*val) continue;
        int known = 0, kept = 0;
        for (size_t i = 0; i < ln->n_seen; i++) {
            if (ln->seen[i].field != f) continue;
            kept++;
            if (strcmp(ln->seen[i].key, key) == 0) known = 1;
        }
        if (known) continue;
        if (!ln->implicit)
            for (size_t i = 0; i < ln->n_seen; i++)
                if (ln->seen[i].field == f && nc < sizeof c / sizeof c[0])
                    c[nc++] = (struct conflict){f, i};
        if (kept < SEEN_PER_COLUMN) {
            const char *k = em_pool_str(m->pool, key);
            if (!k) return -1;
            add[n_add++] = (struct em_line_value){f, val, k, *src};
        }
    }
    /* one finding per earlier row, naming every column that differs from it */
    bool done[3 * SEEN_PER_COLUMN] = {false};
    for (size_t i = 0; i < nc; i++) {
        if (done[i]) continue;
        const struct em_src *other = &ln->seen[c[i].old].src;
        GString *cols = g_string_new(NULL);
        const char *first_col = col[line_fields[c[i].field]];
        for (size_t j = i; j < nc; j++) {
            if (done[j]) continue;
            const struct em_line_value *old = &ln->seen[c[j].old];
            const struct em_src *o = &old->src;
            if (o->row != other->row || strcmp(o->file, other->file) != 0 || strcmp(o->sheet, other->sheet) != 0)
                continue;
            enum em_field fj = line_fields[c[j].field];
            g_string_append_printf(cols, em_tr("%s「%s」/「%s」", "%s \"%s\" / \"%s\""),
                                   *col[fj] ? col[fj] : "", old->value, v->val[fj]);
            if (j + 1 < nc) g_string_append(cols, em_tr("、", "; "));
            if (j != i) done[j] = true;
        }
        /* drop a trailing separator left by skipped entries */
        const char *sep = em_tr("、", "; ");
        size_t sl = strlen(sep);
        while (cols->len >= sl && strcmp(cols->str + cols->len - sl, sep) == 0) g_string_truncate(cols, cols->len - sl);
        char wa[600], wb[600];
        int r = em_model_add(m, EM_E_LINE_CONFLICT, src, first_col, ln->line_no,
            em_tr("回線No「%s」の %s と %s で物理回線の記入が食い違っています: %s。"
                  "同じ回線Noの行は1本の物理回線として、回線事業者・回線サービス名・回線終端装置設置場所を同じにしてください",
                  "line No \"%s\": %s and %s disagree on the physical line: %s; "
                  "rows sharing a line No are one physical line and must name the same carrier, service and termination-device location"),
            ln->line_no, where(wa, sizeof wa, other, src), where(wb, sizeof wb, src, other), cols->str);
        g_string_free(cols, TRUE);
        if (r != 0) return -1;
    }
    if (n_add) {
        /* malloc'd, not in the pool: read only while rows are read, freed by
           em_model_finish (em_lines_forget_seen) */
        struct em_line_value *ns = g_try_renew(struct em_line_value, ln->seen, ln->n_seen + n_add);
        if (!ns) return -1;
        memcpy(ns + ln->n_seen, add, n_add * sizeof *ns);
        ln->seen = ns;
        ln->n_seen += n_add;
    }
    return 0;
}

void em_lines_forget_seen(struct em_model *m)
{
    for (size_t i = 0; i < m->n_lines; i++) {
        g_free(m->lines[i].seen);
        m->lines[i].seen = NULL;
        m->lines[i].n_seen = 0;
    }
}

/* ---- devices ---- */

/* Device field offsets inside a slot's 8 fields (records_int.h order). */
enum { DF_TYPE, DF_HOST, DF_MGMT, DF_MAKER, DF_MODEL, DF_RENTAL, DF_FIRMWARE, DF_LOCATION };

/* Differences between a device and a row's slot, as "column「old」/「new」" items.
 * *identity is set when host name, management IP, model or firmware differ:
 * then they are two devices, each kept and checked. */
static void device_diffs(const struct em_device *x, const struct rowvals *v, int base,
                         const char *const *col, GString *out, int *identity, int *first_field)
{
    struct { int off; const char *old; int id; } f[] = {
        /* no maker: makers are spelled many ways (ヤマハ, YAMAHA, ヤマハ株式会社) and the
           model and firmware say what the device is */
        {DF_HOST, x->hostname, 1}, {DF_MGMT, x->mgmt_ip, 1}, {DF_MODEL, x->model, 1}, {DF_FIRMWARE, x->firmware, 1},
        {DF_LOCATION, x->location, 0},
    };
    *identity = 0;
    *first_field = -1;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const char *now = v->val[base + f[i].off];
        if (!differ(f[i].old, now)) continue;
        if (f[i].id) *identity = 1;
        if (*first_field < 0) *first_field = base + f[i].off;
        g_string_append_printf(out, em_tr("%s%s「%s」/「%s」", "%s%s \"%s\" / \"%s\""),
                               out->len ? em_tr("、", "; ") : "", col[base + f[i].off], f[i].old, now);
    }
    enum em_tri r = em_rec_parse_tri(v->compact[base + DF_RENTAL]);
    if (x->rental != EM_TRI_UNKNOWN && r != EM_TRI_UNKNOWN && r != x->rental) {
        if (*first_field < 0) *first_field = base + DF_RENTAL;
        g_string_append_printf(out, em_tr("%s%s「%s」/「%s」", "%s%s \"%s\" / \"%s\""),
                               out->len ? em_tr("、", "; ") : "", col[base + DF_RENTAL],
                               x->rental == EM_TRI_YES ? em_tr("はい", "yes") : em_tr("いいえ", "no"),
                               v->val[base + DF_RENTAL]);
    }
}

/* The line's device this slot names by maker + model (firmware blank or equal), or one
 * the row names by type alone; EM_NONE if none. *fw_other: a device of the same maker
 * and model whose firmware differs (a conflict, not a merge). */
static size_t by_model(const struct em_model *m, const struct em_line *ln, const struct rowvals *v,
                       int base, int slot, size_t *fw_other)
{
    const char *maker = v->val[base + DF_MAKER], *model = v->val[base + DF_MODEL];
    const char *fw = v->val[base + DF_FIRMWARE];
    int identity = *v->val[base + DF_HOST] || *v->val[base + DF_MGMT] || *maker || *model || *fw;
    *fw_other = EM_NONE;
    for (size_t i = 0; i < ln->n_devices && i < LINE_SCAN_MAX; i++) {
        size_t di = ln->devices[i];
        const struct em_device *x = &m->devices[di];
        if (x->slot != slot + 1 || x->source == EM_SRC_DISCOVERED) continue;
        if (!identity) {
            /* only type / rental / location written: the line's device of that type */
            if (!differ(x->type_raw, v->val[base + DF_TYPE])) return di;
            continue;
        }
        if (!*maker && !*model) continue;
        if (*model && *x->model) {
            if (!same_key(x->model, model)) continue;     /* the model decides, whatever the maker's spelling */
        } else {
            /* no model on one side: the maker must name it, not merely leave it blank */
            if (!*maker || !*x->maker || !same_key(x->maker, maker) || differ(x->model, model)) continue;
        }
        if (differ(x->hostname, v->val[base + DF_HOST]) || differ(x->mgmt_ip, v->val[base + DF_MGMT])) continue;
        if (differ(x->firmware, fw)) {
            if (*fw_other == EM_NONE) *fw_other = di;
            continue;
        }
        return di;
    }
    return EM_NONE;
}

/* E-DEVICE-CONFLICT for x and a row's slot, whose differences device_diffs() wrote
 * into d (first: the first differing field); nothing when d is empty. 0 or -1. */
static int device_conflict(struct em_model *m, const struct em_device *x, const GString *d, int first,
                           const struct em_src *src, const char *const *col, const char *line_no)
{
    if (!d->len) return 0;
    const char *name = *x->hostname ? x->hostname : *x->model ? x->model : x->maker;
    char wa[600], wb[600];
    return em_model_add(m, EM_E_DEVICE_CONFLICT, src, first >= 0 ? col[first] : "", line_no,
        em_tr("装置「%s」は %s と %s で同じ装置として記入されていますが、記入が食い違っています: %s。"
              "実機を確認して、どちらかに揃えてください（別の装置ならホスト名か管理IPアドレスで区別してください）",
              "device \"%s\" is named as the same device by %s and %s, but they disagree: %s; "
              "check the device and make them agree (if they are two devices, tell them apart by host name or management IP)"),
        name, where(wa, sizeof wa, &x->src, src), where(wb, sizeof wb, src, &x->src), d->str);
}

/* A new declared device for a row's slot on a line; EM_NONE on allocation failure. */
static size_t new_device(struct em_model *m, struct em_index *ix, size_t line, int slot,
                         const struct em_src *src, const char *const *col, int base)
{
    size_t d = em_model_add_device(m);
    if (d == EM_NONE) return EM_NONE;
    struct em_device *x = &m->devices[d];
    const char *lid = m->lines[line].id + strlen("line-");
    char want[160];
    snprintf(want, sizeof want, "dev-%s-%d", lid, slot + 1);
    x->id = em_index_unique_id(ix, m->pool, want);
    if (!x->id) return EM_NONE;
    x->slot = slot + 1;
    x->source = EM_SRC_DECLARED;
    x->src = *src;
    x->hostname = x->mgmt_ip = x->maker = x->model = x->firmware = x->location = "";
    x->type_raw = "";
    x->col_firmware = col[base + DF_FIRMWARE];
    x->col_mgmt_ip = col[base + DF_MGMT];
    x->line_no = m->lines[line].line_no;
    return d;
}

/* A row's slot into the device it names: the first non-blank value wins, later rows
 * fill what earlier rows left blank (so a device's identity fields only ever go from
 * blank to a value, which the exact index relies on). */
static void fill_blanks(struct em_device *x, const struct rowvals *v, int base, int slot)
{
    if (!*x->type_raw && *v->val[base + DF_TYPE]) {
        x->type_raw = v->val[base + DF_TYPE];
        x->type = em_rec_parse_dev_type(v->compact[base + DF_TYPE]);
    }
    if (!*x->hostname) x->hostname = v->val[base + DF_HOST];
    if (!*x->mgmt_ip) x->mgmt_ip = v->val[base + DF_MGMT];
    if (!*x->maker) x->maker = v->val[base + DF_MAKER];
    if (!*x->model) x->model = v->val[base + DF_MODEL];
    if (x->rental == EM_TRI_UNKNOWN) x->rental = em_rec_parse_tri(v->compact[base + DF_RENTAL]);
    if (!*x->firmware) x->firmware = v->val[base + DF_FIRMWARE];
    if (!*x->location) x->location = v->val[base + DF_LOCATION];
    if (v->verified[slot]) x->verified = true;
}

size_t em_lines_device(struct em_model *m, struct em_index *ix, const struct rowvals *v,
                       size_t line, int slot, const struct em_src *src, const char *const *col,
                       int *nomem)
{
    int base = slot == 0 ? F_DEV1_TYPE : F_DEV2_TYPE;
    int any = 0;
    for (int i = 0; i < 8; i++)
        if (*v->val[base + i]) any = 1;
    if (!any) return EM_NONE;
    const char *mip = v->val[base + DF_MGMT];
    const char *hk = v->compact[base + DF_HOST];
    size_t d = EM_NONE;
    char k[IDENTITY_KEY_MAX];
    int have_k = 0, k_known = 0;   /* the row's identity key; already in ix->exact */
    uint32_t kh = 0;
    if (*hk || *mip) {   /* exactly as a device already known (one of namesakes, perhaps) */
        identity_key(k, v->val[base + DF_HOST], mip, v->val[base + DF_MODEL], v->val[base + DF_FIRMWARE]);
        kh = em_pool_hash(k, strlen(k));
        d = exact_find(ix, k, kh);
        have_k = 1;
        k_known = d != EM_NONE;
    }
    if (d == EM_NONE && *hk) {
        gpointer p = g_hash_table_lookup(ix->hosts, hk);
        if (p) d = (size_t)GPOINTER_TO_SIZE(p) - 1;
    }
    if (d == EM_NONE && *mip) {
        gpointer p = g_hash_table_lookup(ix->mgmt, mip);
        if (p) d = (size_t)GPOINTER_TO_SIZE(p) - 1;
    }
    size_t fw_other = EM_NONE;
    if (d == EM_NONE) d = by_model(m, &m->lines[line], v, base, slot, &fw_other);
    const char *line_no = m->lines[line].line_no;
    if (d != EM_NONE) {
        /* the same device by name or address; two devices when maker/model/firmware say so */
        GString *diffs = g_string_new(NULL);
        int identity, first;
        device_diffs(&m->devices[d], v, base, col, diffs, &identity, &first);
        int r = device_conflict(m, &m->devices[d], diffs, first, src, col, line_no);
        g_string_free(diffs, TRUE);
        if (r != 0) goto nomem;
        if (identity) d = EM_NONE;
    } else if (fw_other != EM_NONE) {
        GString *diffs = g_string_new(NULL);
        int identity, first;
        device_diffs(&m->devices[fw_other], v, base, col, diffs, &identity, &first);
        int r = device_conflict(m, &m->devices[fw_other], diffs, first, src, col, line_no);
        g_string_free(diffs, TRUE);
        if (r != 0) goto nomem;
    }
    if (d == EM_NONE) {
        d = new_device(m, ix, line, slot, src, col, base);
        if (d == EM_NONE) goto nomem;
    }
    struct em_device *x = &m->devices[d];
    fill_blanks(x, v, base, slot);
    /* rows arrive in order: only the last source can be this row (both slots of one row) */
    int seen = x->n_srcs > 0 && x->srcs[x->n_srcs - 1].row == src->row &&
               strcmp(x->srcs[x->n_srcs - 1].file, src->file) == 0 &&
               strcmp(x->srcs[x->n_srcs - 1].sheet, src->sheet) == 0;
    if (!seen) {
        if (em_model_push_src(m, &x->srcs, &x->n_srcs, *src) != 0) goto nomem;
        if (x->n_rows == 0 || x->rows[x->n_rows - 1] != src->row)
            if (em_model_push_int(m, &x->rows, &x->n_rows, src->row) != 0) goto nomem;
    }
    if (*hk && !g_hash_table_contains(ix->hosts, hk))
        g_hash_table_insert(ix->hosts, g_string_chunk_insert(ix->keys, hk), GSIZE_TO_POINTER(d + 1));
    if (*mip && !g_hash_table_contains(ix->mgmt, mip))
        g_hash_table_insert(ix->mgmt, (gpointer)mip, GSIZE_TO_POINTER(d + 1));  /* a pool string */
    if (have_k && x->hostname == v->val[base + DF_HOST] && x->mgmt_ip == mip && x->model == v->val[base + DF_MODEL] &&
        x->firmware == v->val[base + DF_FIRMWARE]) {
        /* the device holds this row's very strings: its key is k (remember_exact's work) */
        if (!k_known && (*x->hostname || *x->mgmt_ip)) exact_insert(ix, kh, d);
    } else {
        remember_exact(ix, x, d);
    }
    struct em_line *ln = &m->lines[line];
    if (!pair_add(&ix->on_line, (guint64)line << 32 | (guint64)d)) return d;
    if (em_model_push_index(m, &ln->devices, &ln->n_devices, d) != 0) goto nomem;
    return d;
nomem:
    *nomem = 1;
    return EM_NONE;
}
