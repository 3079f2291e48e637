/* diff.c — two rounds compared, per hospital and nationally: hospitals that joined or
 * left, lines, vendors (companies) and Internet exposures added or removed, and
 * vulnerable devices fixed or new. Each comparison is one portable EXCEPT query per
 * direction, so only the differences are ever held in memory. */
#include "fleet/fleet.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "mapper/lang.h"

/* A comparable item per hospital: key text from one table of one round. */
static const struct cat {
    const char *key;            /* JSON key stem */
    const char *ja, *en;        /* what an item is */
    const char *added_ja, *added_en, *removed_ja, *removed_en;
    const char *sql;            /* SELECT hospital_id, item FROM ... WHERE round = ? */
} cats[] = {
    {"lines", "回線", "lines", "追加", "added", "削除", "removed",
     "SELECT hospital_id, line_no || ' ' || carrier || ' ' || service AS item FROM lines WHERE round = ?"},
    {"vendors", "接続先の会社", "vendors", "追加", "added", "削除", "removed",
     "SELECT DISTINCT hospital_id, company AS item FROM parties WHERE round = ?"},
    {"exposures", "インターネット露出", "Internet exposures", "追加", "added", "削除", "removed",
     "SELECT DISTINCT hospital_id, comm_type || ' ' || global_ip AS item FROM paths WHERE round = ?"
     " AND comm_type IN ('internet', 'internet_vpn') AND global_ip <> ''"},
    {"vulnerable", "脆弱な装置", "vulnerable devices", "新規", "new", "解消", "fixed",
     "SELECT DISTINCT hospital_id, maker || ' ' || model || ': ' || cves AS item FROM devices WHERE round = ? AND cves <> ''"},
};
#define NCATS (sizeof cats / sizeof cats[0])

struct hdiff { char *id; GPtrArray *added[NCATS], *removed[NCATS]; };

static void hdiff_free(gpointer p)
{
    struct hdiff *h = p;
    for (size_t c = 0; c < NCATS; c++) {
        g_ptr_array_free(h->added[c], TRUE);
        g_ptr_array_free(h->removed[c], TRUE);
    }
    g_free(h->id);
    g_free(h);
}

static struct hdiff *hosp(GHashTable *t, GPtrArray *order, const char *id)
{
    struct hdiff *h = g_hash_table_lookup(t, id);
    if (h) return h;
    h = g_new0(struct hdiff, 1);
    h->id = g_strdup(id);
    for (size_t c = 0; c < NCATS; c++) {
        h->added[c] = g_ptr_array_new_with_free_func(g_free);
        h->removed[c] = g_ptr_array_new_with_free_func(g_free);
    }
    g_hash_table_insert(t, h->id, h);
    g_ptr_array_add(order, h);
    return h;
}

/* Items of round x not in round y, appended per hospital. Hospitals present in only
 * one of the rounds are left out (they are reported as joined/left instead). */
static int except(struct em_db *db, const char *sql, const char *x, const char *y, GHashTable *t, GPtrArray *order,
                  size_t c, bool added, struct em_err *err)
{
    char *q = g_strdup_printf("SELECT hospital_id, item FROM (%s EXCEPT %s) d"
                              " WHERE hospital_id IN (SELECT hospital_id FROM submissions WHERE round = ?)"
                              " AND hospital_id IN (SELECT hospital_id FROM submissions WHERE round = ?)"
                              " ORDER BY hospital_id, item", sql, sql);
    struct em_db_stmt *st = em_db_prepare(db, q, err);
    g_free(q);
    if (!st) return EM_DB_ERROR;
    em_db_bind_text(st, 1, x), em_db_bind_text(st, 2, y), em_db_bind_text(st, 3, x), em_db_bind_text(st, 4, y);
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        struct hdiff *h = hosp(t, order, em_db_col_text(st, 0));
        const char *v = em_db_col_text(st, 1);
        g_ptr_array_add(added ? h->added[c] : h->removed[c], g_strdup(v ? v : ""));
    }
    em_db_finalize(st);
    return rc < 0 ? rc : 0;
}

static int hospitals_only(struct em_db *db, const char *x, const char *y, GPtrArray *out, struct em_err *err)
{
    struct em_db_stmt *st = em_db_prepare(db, "SELECT s.hospital_id, s.site_name, s.folder FROM submissions s"
                                              " WHERE s.round = ? AND s.hospital_id NOT IN"
                                              " (SELECT hospital_id FROM submissions WHERE round = ?) ORDER BY 1", err);
    if (!st) return EM_DB_ERROR;
    em_db_bind_text(st, 1, x), em_db_bind_text(st, 2, y);
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        const char *n = em_db_col_text(st, 1);
        g_ptr_array_add(out, g_strdup_printf("%s %s", em_db_col_text(st, 0), n && *n ? n : em_db_col_text(st, 2)));
    }
    em_db_finalize(st);
    return rc < 0 ? rc : 0;
}

static gint by_id(gconstpointer a, gconstpointer b)
{
    return strcmp((*(struct hdiff *const *)a)->id, (*(struct hdiff *const *)b)->id);
}

static json_object *jlist(GPtrArray *a)
{
    json_object *arr = json_object_new_array();
    for (guint i = 0; i < a->len; i++) json_object_array_add(arr, json_object_new_string(a->pdata[i]));
    return arr;
}

/* What was found, for the writers. */
struct found { const char *ra, *rb; GPtrArray *joined, *left, *order; const size_t *tot_add, *tot_rem; };

/* The diff as JSON (edgemap-fleet-diff/1). */
static void write_json(const struct found *f, struct em_fbuf *out)
{
    const char *ra = f->ra, *rb = f->rb;
    GPtrArray *joined = f->joined, *left = f->left, *order = f->order;
    const size_t *tot_add = f->tot_add, *tot_rem = f->tot_rem;
    json_object *root = json_object_new_object(), *nat = json_object_new_object(), *hs = json_object_new_array();
    json_object_object_add(root, "schema", json_object_new_string("edgemap-fleet-diff/1"));
    json_object_object_add(root, "old_round", json_object_new_string(ra));
    json_object_object_add(root, "new_round", json_object_new_string(rb));
    json_object_object_add(nat, "hospitals_joined", jlist(joined));
    json_object_object_add(nat, "hospitals_left", jlist(left));
    for (size_t c = 0; c < NCATS; c++) {
        char k[64];
        snprintf(k, sizeof k, "%s_%s", cats[c].key, cats[c].added_en);
        json_object_object_add(nat, k, json_object_new_int64((int64_t)tot_add[c]));
        snprintf(k, sizeof k, "%s_%s", cats[c].key, cats[c].removed_en);
        json_object_object_add(nat, k, json_object_new_int64((int64_t)tot_rem[c]));
    }
    json_object_object_add(root, "national", nat);
    for (guint i = 0; i < order->len; i++) {
        struct hdiff *h = order->pdata[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "hospital_id", json_object_new_string(h->id));
        for (size_t c = 0; c < NCATS; c++) {
            char k[64];
            snprintf(k, sizeof k, "%s_%s", cats[c].key, cats[c].added_en);
            json_object_object_add(o, k, jlist(h->added[c]));
            snprintf(k, sizeof k, "%s_%s", cats[c].key, cats[c].removed_en);
            json_object_object_add(o, k, jlist(h->removed[c]));
        }
        json_object_array_add(hs, o);
    }
    json_object_object_add(root, "hospitals", hs);
    em_fbuf_str(out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    em_fbuf_str(out, "\n");
    json_object_put(root);
}

/* The diff as text for people: national counts, then each hospital's changes. */
static void write_text(const struct found *f, struct em_fbuf *out)
{
    const char *ra = f->ra, *rb = f->rb;
    GPtrArray *joined = f->joined, *left = f->left, *order = f->order;
    const size_t *tot_add = f->tot_add, *tot_rem = f->tot_rem;
    em_fbuf_printf(out, em_tr("回 %s → %s\n全国: 新たに調査 %u 施設、調査から外れた %u 施設\n",
                              "rounds %s -> %s\nnational: %u hospitals joined, %u left\n"),
                   ra, rb, joined->len, left->len);
    for (size_t c = 0; c < NCATS; c++)
        em_fbuf_printf(out, "  %s: %s %zu, %s %zu\n", em_tr(cats[c].ja, cats[c].en), em_tr(cats[c].added_ja, cats[c].added_en),
                       tot_add[c], em_tr(cats[c].removed_ja, cats[c].removed_en), tot_rem[c]);
    for (guint i = 0; i < joined->len; i++) em_fbuf_printf(out, "  + %s\n", (char *)joined->pdata[i]);
    for (guint i = 0; i < left->len; i++) em_fbuf_printf(out, "  - %s\n", (char *)left->pdata[i]);
    for (guint i = 0; i < order->len; i++) {
        struct hdiff *h = order->pdata[i];
        em_fbuf_printf(out, "\n%s\n", h->id);
        for (size_t c = 0; c < NCATS; c++) {
            for (guint k = 0; k < h->added[c]->len; k++)
                em_fbuf_printf(out, "  + %s（%s）: %s\n", em_tr(cats[c].ja, cats[c].en), em_tr(cats[c].added_ja, cats[c].added_en),
                               (char *)h->added[c]->pdata[k]);
            for (guint k = 0; k < h->removed[c]->len; k++)
                em_fbuf_printf(out, "  - %s（%s）: %s\n", em_tr(cats[c].ja, cats[c].en), em_tr(cats[c].removed_ja, cats[c].removed_en),
                               (char *)h->removed[c]->pdata[k]);
        }
    }
}

int em_fleet_diff(struct em_db *db, const char *ra, const char *rb, enum em_fleet_fmt fmt, struct em_fbuf *out,
                  struct em_err *err)
{
    for (int k = 0; k < 2; k++) {
        long long have = 0;
        const char *r = k ? rb : ra;
        if (em_db_query_int(db, &have, err, "SELECT COUNT(*) FROM rounds WHERE name = ?", r, NULL) < 0) return EM_DB_ERROR;
        if (!have) {
            em_err_set(err, EM_ERR_USAGE, "", "", 0, "",
                       em_tr("回「%s」のデータがありません", "the store holds no round '%s'"), r);
            return EM_DB_ERROR;
        }
    }
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, hdiff_free);
    GPtrArray *order = g_ptr_array_new();
    GPtrArray *joined = g_ptr_array_new_with_free_func(g_free), *left = g_ptr_array_new_with_free_func(g_free);
    int rc = hospitals_only(db, rb, ra, joined, err);
    if (rc >= 0) rc = hospitals_only(db, ra, rb, left, err);
    size_t tot_add[NCATS] = {0}, tot_rem[NCATS] = {0};
    for (size_t c = 0; c < NCATS && rc >= 0; c++) {
        rc = except(db, cats[c].sql, rb, ra, t, order, c, true, err);
        if (rc >= 0) rc = except(db, cats[c].sql, ra, rb, t, order, c, false, err);
    }
    if (rc >= 0) g_ptr_array_sort(order, by_id);
    for (guint i = 0; i < order->len; i++) {
        struct hdiff *h = order->pdata[i];
        for (size_t c = 0; c < NCATS; c++) {
            tot_add[c] += h->added[c]->len;
            tot_rem[c] += h->removed[c]->len;
        }
    }
    struct found f = {ra, rb, joined, left, order, tot_add, tot_rem};
    if (rc >= 0 && fmt == EM_FLEET_JSON) write_json(&f, out);
    else if (rc >= 0) write_text(&f, out);
    g_ptr_array_free(joined, TRUE);
    g_ptr_array_free(left, TRUE);
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(t);
    return rc < 0 ? rc : 0;
}
