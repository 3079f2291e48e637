/* about.c — render/'s libraries at their run-time versions (Graphviz, cairo), for
 * `edgemap version` and the "generator" of every output. */
#include <cairo.h>
#include <graphviz/gvc.h>

#include "mapper/about.h"
#include "render/about.h"

void em_render_about(void)
{
    /* Graphviz reports its version only through a context */
    GVC_t *gvc = gvContextPlugins(NULL, 0);
    const char *gv = gvc ? gvcVersion(gvc) : NULL;
    em_about_add(EM_ABOUT_LIBRARY, "Graphviz", gv ? gv : "", NULL);
    if (gvc) gvFreeContext(gvc);
    em_about_add(EM_ABOUT_LIBRARY, "cairo", cairo_version_string(), NULL);
}
