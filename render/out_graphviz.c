/* out_graphviz.c — the formats Graphviz draws, in the layout child: SVG, PDF on one
 * A3 landscape page, PNG capped at A3/300 dpi. The parent writes the bytes the child
 * sent back (em_out_write_drawn). */
#include "render/out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "mapper/about.h"
#include "mapper/lang.h"

#define A3_W 1190.55
#define A3_H 841.89
#define PAGE_MARGIN 28.0
#define PNG_MAX_W 4961.0   /* A3 landscape at 300 dpi */
#define PNG_MAX_H 3508.0

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    struct em_buf *b = closure;
    em_buf_add(b, (const char *)data, len);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The laid-out drawing's size in points, pad included ("bb" is set by gvLayout). */
static void drawing_size(Agraph_t *g, double *w, double *h)
{
    double bb[4] = {0, 0, 100, 100};
    const char *s = agget(g, (char *)"bb");
    char *end = NULL;
    for (int k = 0; s && k < 4; k++) {
        double v = strtod(s, &end);
        if (end == s) break;
        bb[k] = v;
        s = end;
        while (*s == ',' || *s == ' ') s++;
    }
    *w = bb[2] - bb[0] + 2 * 21.6;   /* the graph's pad, 0.3 in on each side */
    *h = bb[3] - bb[1] + 2 * 21.6;
    if (!(*w > 1)) *w = 100;
    if (!(*h > 1)) *h = 100;
}

/* PDF on one A3 landscape page: Graphviz's cairo renderer draws onto our own cairo
 * context, scaled to fit the page (Graphviz alone makes the page the drawing's size). */
int em_out_draw_pdf(GVC_t *gvc, Agraph_t *g, struct em_buf *out)
{
    double bw, bh;
    drawing_size(g, &bw, &bh);
    double scale = fmin((A3_W - 2 * PAGE_MARGIN) / bw, (A3_H - 2 * PAGE_MARGIN) / bh);
    /* a small map fills the page up to a text-size ceiling: 12 pt labels print at 18 pt at most */
    if (scale > 1.5) scale = 1.5;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, A3_W, A3_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, em_tr("構成図", "Configuration diagram"));
    char creator[1024];  /* edgemap, data and library versions (mapper/about.h) */
    em_about_line(creator, sizeof creator);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, *creator ? creator : "edgemap");
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, (A3_W - bw * scale) / 2, (A3_H - bh * scale) / 2);
    cairo_scale(cr, scale, scale);
    /* with an external context the device draws and ends the page; it writes nothing */
    int gv = gvRenderContext(gvc, g, "pdf:cairo", cr);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS) cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return gv != 0 || cst != CAIRO_STATUS_SUCCESS || out->failed ? -1 : 0;
}

/* PNG: the positioned graph read again with a dpi that keeps the image within A3 at
 * 300 dpi (a big map is scaled down, never an image of 100,000 pixels); Graphviz reads
 * dpi at layout time, hence the second (position-keeping) nop2 layout. */
int em_out_draw_png(GVC_t *gvc, Agraph_t *g, struct em_buf *out)
{
    double bw, bh;
    drawing_size(g, &bw, &bh);
    double scale = fmin(1.5, fmin(PNG_MAX_W / bw, PNG_MAX_H / bh));
    char *text = NULL;
    unsigned int tlen = 0;
    if (gvRenderData(gvc, g, "dot", &text, &tlen) != 0 || !text) {
        if (text) gvFreeRenderData(text);
        return -1;
    }
    Agraph_t *g2 = agmemread(text);
    gvFreeRenderData(text);
    if (!g2) return -1;
    char dpi[32];
    snprintf(dpi, sizeof dpi, "%.3f", 72.0 * scale);
    agsafeset(g2, (char *)"dpi", dpi, (char *)"");
    char *data = NULL;
    unsigned int len = 0;
    int gv = gvLayout(gvc, g2, "nop2");
    bool laid = gv == 0;
    if (laid) gv = gvRenderData(gvc, g2, "png", &data, &len);
    if (gv == 0 && data) em_buf_add(out, data, len);
    if (data) gvFreeRenderData(data);
    if (laid) gvFreeLayout(gvc, g2);
    agclose(g2);
    return gv != 0 || out->len == 0 || out->failed ? -1 : 0;
}

/* SVG as Graphviz's svg device writes it (ids and tooltips from the graph). */
int em_out_draw_svg(GVC_t *gvc, Agraph_t *g, struct em_buf *out)
{
    char *data = NULL;
    unsigned int len = 0;
    if (gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data) {
        if (data) gvFreeRenderData(data);
        return -1;
    }
    em_buf_add(out, data, len);
    gvFreeRenderData(data);
    return out->failed ? -1 : 0;
}

/* The bytes the child drew for this format, as they are. */
int em_out_write_drawn(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    if (!c->drawn || !c->drawn->len)
        return em_err_set(err, EM_ERR_FORMAT, c->path, "", 0, "", "%s", em_tr("図を描けませんでした", "the diagram could not be drawn"));
    em_buf_add(out, c->drawn->p, c->drawn->len);
    return out->failed ? em_err_set(err, EM_ERR_NOMEM, c->path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory")) : EM_OK;
}
