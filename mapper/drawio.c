/* drawio.c — vertex positions from a draw.io file (see drawio.h).
 *
 * A draw.io file is mxfile → diagram → mxGraphModel → root → cells. A cell is an
 * <mxCell id parent vertex> or an <object|UserObject id …> wrapping an <mxCell>; its
 * <mxGeometry x y width height> is relative to its parent when the parent is a vertex
 * (a container), absolute when it is a layer. Only the first diagram (page) is read. */
#include "mapper/drawio.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/xmlreader.h>

#include "mapper/file.h"
#include "mapper/lang.h"

struct cell {
    char *id, *parent;
    double x, y, w, h;
    bool vertex, geometry;
};

struct rd {
    const char *path;
    xmlTextReaderPtr r;
    GArray *cells;                /* struct cell */
    char *object_id;              /* the <object>/<UserObject> being read, or NULL */
    int object_depth;
    int diagrams;                 /* <diagram> elements started */
    bool compressed;              /* a <diagram> with text content instead of a model */
    bool in_first;                /* inside the first <diagram> */
    char msg[300];
    int msg_line;
};

static void rd_serror(void *ctx, xmlErrorPtr e)
{
    struct rd *p = ctx;
    if (!e || e->level < XML_ERR_ERROR || p->msg[0]) return;
    snprintf(p->msg, sizeof p->msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(p->msg);
    while (n && (p->msg[n - 1] == '\n' || p->msg[n - 1] == ' ')) p->msg[--n] = '\0';
    p->msg_line = e->line;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = g_strdup((const char *)v);
    xmlFree(v);
    return s;
}

static double num_attr(xmlTextReaderPtr r, const char *name)
{
    char *v = attr(r, name);
    double d = v ? g_ascii_strtod(v, NULL) : 0;
    g_free(v);
    return d == d && d > -1e7 && d < 1e7 ? d : 0;   /* NaN and absurd values: 0 */
}

static void on_cell(struct rd *p)
{
    struct cell c = {0};
    c.id = attr(p->r, "id");
    if (!c.id && p->object_id) c.id = g_strdup(p->object_id);
    c.parent = attr(p->r, "parent");
    char *v = attr(p->r, "vertex");
    c.vertex = v && strcmp(v, "1") == 0;
    g_free(v);
    g_array_append_val(p->cells, c);
}

static void on_geometry(struct rd *p)
{
    if (!p->cells->len) return;
    struct cell *c = &g_array_index(p->cells, struct cell, p->cells->len - 1);
    char *rel = attr(p->r, "as");
    bool geo = rel && strcmp(rel, "geometry") == 0;
    g_free(rel);
    if (!geo || c->geometry) return;
    c->x = num_attr(p->r, "x");
    c->y = num_attr(p->r, "y");
    c->w = num_attr(p->r, "width");
    c->h = num_attr(p->r, "height");
    c->geometry = true;
}

/* One element start (or text) of the stream. Returns 0 or an error code. */
static int on_node(struct rd *p, struct em_err *err)
{
    xmlTextReaderPtr r = p->r;
    int type = xmlTextReaderNodeType(r);
    int depth = xmlTextReaderDepth(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    if (depth > EM_DRAWIO_MAX_DEPTH)
        return em_err_set(err, EM_ERR_LIMIT, p->path, "", xmlTextReaderGetParserLineNumber(r), "",
                          em_tr("XMLの入れ子が深すぎます（上限 %d 段）", "the XML is nested too deeply (limit %d levels)"),
                          EM_DRAWIO_MAX_DEPTH);
    if (type == XML_READER_TYPE_END_ELEMENT && name && strcmp(name, "diagram") == 0) p->in_first = false;
    if (type == XML_READER_TYPE_END_ELEMENT && p->object_id && depth == p->object_depth) {
        g_free(p->object_id);
        p->object_id = NULL;
    }
    if ((type == XML_READER_TYPE_TEXT) && p->in_first && p->cells->len == 0) {
        const char *t = (const char *)xmlTextReaderConstValue(r);
        while (t && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')) t++;
        if (t && *t) p->compressed = true;
    }
    if (type != XML_READER_TYPE_ELEMENT || !name) return 0;
    if (strcmp(name, "diagram") == 0) {
        p->in_first = ++p->diagrams == 1;
        return 0;
    }
    if (!p->in_first) return 0;
    if (p->cells->len >= EM_DRAWIO_MAX_CELLS)
        return em_err_set(err, EM_ERR_LIMIT, p->path, "", xmlTextReaderGetParserLineNumber(r), "",
                          em_tr("図形が多すぎます（上限 %d）", "too many shapes (limit %d)"), EM_DRAWIO_MAX_CELLS);
    if (strcmp(name, "object") == 0 || strcmp(name, "UserObject") == 0) {
        g_free(p->object_id);
        p->object_id = attr(r, "id");
        p->object_depth = depth;
        if (xmlTextReaderIsEmptyElement(r)) { g_free(p->object_id); p->object_id = NULL; }
    } else if (strcmp(name, "mxCell") == 0) {
        on_cell(p);
    } else if (strcmp(name, "mxGeometry") == 0) {
        on_geometry(p);
    }
    return 0;
}

/* Absolute top-left of cell i: its geometry plus its container's, up the chain (a
 * layer or the root adds nothing; a cycle stops after EM_DRAWIO_MAX_DEPTH steps). */
static void absolute(GHashTable *by_id, const struct cell *c, double *x, double *y)
{
    *x = c->x;
    *y = c->y;
    const struct cell *p = c;
    for (int k = 0; k < EM_DRAWIO_MAX_DEPTH && p->parent; k++) {
        p = g_hash_table_lookup(by_id, p->parent);
        if (!p || !p->vertex) break;
        *x += p->x;
        *y += p->y;
    }
}

static int collect(struct rd *p, struct em_drawio_pos **out, size_t *n, struct em_err *err)
{
    GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < p->cells->len; i++) {
        struct cell *c = &g_array_index(p->cells, struct cell, i);
        if (c->id) g_hash_table_insert(by_id, c->id, c);
    }
    struct em_drawio_pos *v = calloc(p->cells->len + 1, sizeof *v);
    if (!v) {
        g_hash_table_destroy(by_id);
        return em_err_set(err, EM_ERR_NOMEM, p->path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    size_t k = 0;
    for (guint i = 0; i < p->cells->len; i++) {
        const struct cell *c = &g_array_index(p->cells, struct cell, i);
        if (!c->vertex || !c->geometry || !c->id) continue;
        double x, y;
        absolute(by_id, c, &x, &y);
        v[k].id = strdup(c->id);
        if (!v[k].id) break;
        v[k].x = x + c->w / 2;
        v[k].y = y + c->h / 2;
        v[k].w = c->w;
        v[k].h = c->h;
        k++;
    }
    g_hash_table_destroy(by_id);
    *out = v;
    *n = k;
    return EM_OK;
}

/* Whether s (0 < strlen) occurs in data[0..len), NUL bytes included. */
static bool has_bytes(const char *data, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (data[i] == s[0] && memcmp(data + i, s, n) == 0) return true;
    return false;
}

int em_drawio_read(const char *path, struct em_drawio_pos **out, size_t *n, struct em_err *err)
{
    *out = NULL;
    *n = 0;
    size_t len = 0;
    char *data = em_file_read(path, EM_DRAWIO_MAX_BYTES, em_tr("レイアウト（draw.io）", "layout (draw.io)"), &len, err);
    if (!data) return err && err->rc ? err->rc : EM_ERR_IO;
    int rc = em_drawio_read_mem(path, data, len, out, n, err);
    free(data);
    return rc;
}

int em_drawio_read_mem(const char *path, const char *data, size_t len, struct em_drawio_pos **out, size_t *n,
                       struct em_err *err)
{
    *out = NULL;
    *n = 0;
    if (len > EM_DRAWIO_MAX_BYTES || len > (size_t)INT32_MAX)
        return em_err_set(err, EM_ERR_LIMIT, path, "", 0, "", em_tr("ファイルが大きすぎます（上限 %zu バイト）", "the file is too large (limit %zu bytes)"),
                          EM_DRAWIO_MAX_BYTES);
    int rc = EM_OK;
    /* draw.io never declares entities; refusing the declaration means none can expand
     * (the encoding is fixed to UTF-8 below, so this byte search sees every one) */
    if (has_bytes(data, len, "<!ENTITY"))
        rc = em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                        em_tr("XMLのエンティティ宣言（<!ENTITY）があります。draw.io のファイルには無いもので、安全のため読みません",
                              "the file declares an XML entity (<!ENTITY); draw.io never writes one, so the file is refused for safety"));
    struct rd p = {.path = path, .cells = g_array_new(FALSE, TRUE, sizeof(struct cell))};
    if (!rc) {
        p.r = xmlReaderForMemory(data, (int)len, path, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
        if (!p.r) rc = em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    if (!rc) {
        xmlTextReaderSetStructuredErrorHandler(p.r, rd_serror, &p);
        int ret;
        while (!rc && (ret = xmlTextReaderRead(p.r)) == 1) rc = on_node(&p, err);
        if (!rc && (ret != 0 || p.msg[0]))
            rc = em_err_set(err, EM_ERR_FORMAT, path, "", p.msg_line, "",
                            em_tr("XMLとして読めません: %s", "not readable as XML: %s"), p.msg[0] ? p.msg : "?");
        xmlFreeTextReader(p.r);
    }
    if (!rc && p.compressed)
        rc = em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                        em_tr("図が圧縮して保存されています。draw.io の「ファイル」→「プロパティ」で「圧縮」を外して保存し直してください",
                              "the diagram is saved compressed; in draw.io, File → Properties, untick Compressed and save again"));
    if (!rc && p.diagrams == 0)
        rc = em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                        em_tr("draw.io のファイルではありません（<diagram> がありません）", "not a draw.io file (no <diagram>)"));
    if (!rc) rc = collect(&p, out, n, err);
    for (guint i = 0; i < p.cells->len; i++) {
        struct cell *c = &g_array_index(p.cells, struct cell, i);
        g_free(c->id);
        g_free(c->parent);
    }
    g_array_free(p.cells, TRUE);
    g_free(p.object_id);
    return rc;
}

void em_drawio_free(struct em_drawio_pos *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) free(p[i].id);
    free(p);
}
