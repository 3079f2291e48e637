/* graph_party.c — remote parties as vendors: one node per company (spellings grouped
 * by mapper/party.c's company key, the first party of a company drawn for all), ISPs
 * not drawn as vendors, and the vendor chain: an edge from the party to each line its
 * rows use (beside the party → network edge), so "this vendor comes in over line 3"
 * is one visible path. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "mapper/party.h"

/* Whether every row naming this party names it as its ISP (プロバイダ名). */
static bool party_is_isp(const struct em_model *m, const struct em_outside *o)
{
    bool any = false;
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if (blank(p->remote_party) || strcmp(p->remote_party, o->name) != 0) continue;
        if (!em_party_is_isp(p->remote_party, p->provider_name)) return false;
        any = true;
    }
    return any || em_party_is_isp(o->name, NULL);
}

void em_gb_plan_parties(struct gb *gb)
{
    const struct em_model *m = gb->m;
    gb->party_rep = g_hash_table_new(g_str_hash, g_str_equal);
    gb->isp = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *o = &m->outside[i];
        if (o->kind != EM_NODE_PARTY || blank(o->name)) continue;
        if (party_is_isp(m, o)) {
            g_hash_table_add(gb->isp, (gpointer)o->id);
            continue;
        }
        char *key = em_party_company(o->name);
        const char *rep = *key ? g_hash_table_lookup(first, key) : NULL;
        if (rep) {
            g_hash_table_insert(gb->party_rep, (gpointer)o->id, (gpointer)rep);
            g_free(key);
        } else if (*key) {
            g_hash_table_insert(first, key, (gpointer)o->id);
        } else {
            g_free(key);
        }
    }
    g_hash_table_destroy(first);
}

void em_gb_free_parties(struct gb *gb)
{
    if (gb->party_rep) g_hash_table_destroy(gb->party_rep);
    if (gb->isp) g_hash_table_destroy(gb->isp);
    gb->party_rep = gb->isp = NULL;
}

bool em_gb_party_drawn(const struct gb *gb, const char *id)
{
    return !(gb->party_rep && g_hash_table_contains(gb->party_rep, id)) && !(gb->isp && g_hash_table_contains(gb->isp, id));
}

/* The party node's id a row's 接続先 is drawn as (its company's node), or NULL. */
static const char *party_node(const struct gb *gb, const char *name)
{
    const struct em_model *m = gb->m;
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *o = &m->outside[i];
        if (o->kind != EM_NODE_PARTY || blank(o->name) || strcmp(o->name, name) != 0) continue;
        if (gb->isp && g_hash_table_contains(gb->isp, o->id)) return NULL;
        const char *rep = gb->party_rep ? g_hash_table_lookup(gb->party_rep, o->id) : NULL;
        return rep ? rep : o->id;
    }
    return NULL;
}

/* The spellings of the party's company and the lines its rows use, for its tooltip. */
void em_gb_tip_party(struct gb *gb, const struct em_outside *o, struct em_buf *t)
{
    const struct em_model *m = gb->m;
    size_t n_sp = 0;
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *x = &m->outside[i];
        if (x->kind != EM_NODE_PARTY || (x != o && (!gb->party_rep || g_hash_table_lookup(gb->party_rep, x->id) != o->id)))
            continue;
        if (n_sp++ == 0) em_buf_printf(t, "\n%s", em_tr("表記: ", "Written as: "));
        else em_buf_puts(t, " / ");
        em_gb_add_plain(t, x->name);
    }
    size_t n_l = 0;
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if (blank(p->remote_party) || p->line >= m->n_lines) continue;
        const char *node = party_node(gb, p->remote_party);
        if (!node || strcmp(node, o->id) != 0) continue;
        em_buf_printf(t, n_l++ ? ", " : "\n%s", em_tr("回線: ", "Lines: "));
        em_gb_add_plain(t, m->lines[p->line].line_no);
        em_buf_printf(t, em_tr("（行 %d）", " (row %d)"), p->src.row);
    }
}

/* The vendor chain: party → each line its rows use, once per pair; dashed, no
 * arrowhead, not ranking anything (the party stays beside its network). */
void em_gb_add_vendor_edges(struct gb *gb)
{
    const struct em_model *m = gb->m;
    GHashTable *done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        if (blank(p->remote_party) || p->line >= m->n_lines) continue;
        const char *party = party_node(gb, p->remote_party);
        const struct em_line *l = &m->lines[p->line];
        if (!party) continue;
        char *id = g_strdup_printf("v-%s--%s", party, em_gb_rep_of(gb, l->id));
        if (g_hash_table_contains(done, id)) {
            g_free(id);
            continue;
        }
        g_hash_table_add(done, id);
        Agnode_t *t = agnode(gb->g, (char *)party, 0);
        Agnode_t *h = agnode(gb->g, (char *)em_gb_rep_of(gb, l->id), 0);
        /* a party the sheet ties to the line directly has that edge already */
        if (!t || !h || agedge(gb->g, t, h, NULL, 0) || agedge(gb->g, h, t, NULL, 0)) continue;
        Agedge_t *e = agedge(gb->g, t, h, NULL, 1);
        if (!e) { em_gb_set_failures++; continue; }
        em_gb_set(e, "id", id);
        em_gb_set(e, "style", "dashed");
        em_gb_set(e, "arrowhead", "none");
        em_gb_set(e, "color", VENDOR);
        struct em_buf *b = &gb->tip;
        b->len = 0;
        em_buf_add(b, "", 0);
        em_gb_add_plain(b, p->remote_party);
        em_buf_puts(b, " → ");
        em_gb_add_plain(b, em_tr("回線", "line "));
        em_gb_add_plain(b, l->line_no);
        em_buf_printf(b, em_tr("（行 %d）", " (row %d)"), p->src.row);
        em_gb_set(e, "tooltip", em_buf_cstr(b));
        gb->marks |= MK_VENDOR;
    }
    g_hash_table_destroy(done);
}
