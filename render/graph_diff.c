/* graph_diff.c — the drawn diff's marks on a built graph (see diff_draw.h): 追加 thick
 * with the word first, 削除 grey, dashed and struck through, 変更 with "field: old → new"
 * under the label, everything else lighter. Band copies ("-b2") take their node's mark. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "render/diff_draw.h"

#define LIGHT "#9a9a9a"

/* The mark of a drawn node: its id, or the id of the node a band copy copies. */
static const struct em_diff_mark *mark_of(const struct gb *gb, const char *id)
{
    const struct em_diff_mark *k = em_diff_mark_of(gb->o->diff, id);
    size_t n = strlen(id);
    if (!k && n > 3 && id[n - 3] == '-' && id[n - 2] == 'b') {
        char base[512];
        snprintf(base, sizeof base, "%.*s", (int)(n - 3), id);
        k = em_diff_mark_of(gb->o->diff, base);
    }
    return k;
}

static void relabel(struct gb *gb, Agnode_t *n, const struct em_diff_mark *k)
{
    struct em_buf *b = &gb->tmp;
    b->len = 0;
    em_buf_add(b, "", 0);
    const char *old = agget(n, (char *)"label");
    if (k->op == EM_DIFF_ADDED) {
        em_buf_puts(b, "<b>");
        em_gb_label_html(b, em_tr("追加", "Added"));
        em_buf_puts(b, "</b><br/>");
        em_buf_puts(b, old ? old : "");
    } else if (k->op == EM_DIFF_REMOVED) {
        em_buf_puts(b, "<s>");
        em_gb_label_html(b, em_tr("削除", "Removed"));
        em_buf_puts(b, "<br/>");
        em_buf_puts(b, old ? old : "");
        em_buf_puts(b, "</s>");
    } else {
        em_buf_puts(b, old ? old : "");
        em_buf_puts(b, "<br/><i>");
        em_gb_label_html(b, em_tr("変更", "Changed"));
        const char *s = k->text;
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            char *one = strndup(s, len);
            em_buf_puts(b, "<br/>");
            em_gb_label_html(b, one ? one : "");
            free(one);
            s += len + (e ? 1 : 0);
        }
        em_buf_puts(b, "</i>");
    }
    em_gb_set_html(n, em_buf_cstr(b));
}

static void style_removed(void *obj)
{
    const char *st = agget(obj, (char *)"style");
    char style[128];
    snprintf(style, sizeof style, "%s%sdashed", st && *st ? st : "", st && *st ? "," : "");
    if (!st || !strstr(st, "dashed")) em_gb_set(obj, "style", style);
    em_gb_set(obj, "color", GREY);
    em_gb_set(obj, "fontcolor", GREY_TEXT);
}

void em_gb_apply_diff(struct gb *gb)
{
    if (!gb->o->diff) return;
    for (Agnode_t *n = agfstnode(gb->g); n; n = agnxtnode(gb->g, n)) {
        const char *id = agget(n, (char *)"id");
        const struct em_diff_mark *k = id ? mark_of(gb, id) : NULL;
        if (!k) {
            const char *c = agget(n, (char *)"color");
            if (!c || !*c) em_gb_set(n, "color", LIGHT);
            continue;
        }
        relabel(gb, n, k);
        if (k->op == EM_DIFF_ADDED) {
            em_gb_set(n, "penwidth", "3");
            gb->marks |= MK_DIFF_ADDED;
        } else if (k->op == EM_DIFF_REMOVED) {
            style_removed(n);
            gb->marks |= MK_DIFF_REMOVED;
        } else {
            gb->marks |= MK_DIFF_CHANGED;
        }
    }
    for (Agnode_t *n = agfstnode(gb->g); n; n = agnxtnode(gb->g, n))
        for (Agedge_t *e = agfstout(gb->g, n); e; e = agnxtout(gb->g, e)) {
            const char *id = agget(e, (char *)"id");
            const struct em_diff_mark *k = id ? em_diff_mark_of(gb->o->diff, id) : NULL;
            const char *st = agget(e, (char *)"style");
            if (st && strcmp(st, "invis") == 0) continue;
            if (k && k->op == EM_DIFF_ADDED) {
                em_gb_set(e, "penwidth", "3");
                gb->marks |= MK_DIFF_ADDED;
            } else if (k && k->op == EM_DIFF_REMOVED) {
                style_removed(e);
                gb->marks |= MK_DIFF_REMOVED;
            } else {
                const char *c = agget(e, (char *)"color");
                if (!c || !*c) em_gb_set(e, "color", LIGHT);
            }
        }
}
