/* writers.c — the table of output formats (see out.h). One row per format. */
#include "render/out.h"

#include <string.h>
#include <strings.h>

const struct em_writer em_writers[] = {
    {{".svg", NULL}, EM_NEED_LAYOUT, em_out_draw_svg, em_out_write_drawn, NULL},
    {{".pdf", NULL}, EM_NEED_LAYOUT, em_out_draw_pdf, em_out_write_drawn, NULL},
    {{".png", NULL}, EM_NEED_LAYOUT, em_out_draw_png, em_out_write_drawn, NULL},
    {{".dot", ".gv", NULL}, 0, NULL, em_out_write_dot, NULL},
    {{".json", NULL}, 0, NULL, NULL, em_out_stream_json},
    {{".html", ".htm", NULL}, EM_NEED_LAYOUT | EM_NEED_SVG | EM_NEED_OPTIONAL, NULL, NULL, em_out_stream_html},
    {{".csv", NULL}, 0, NULL, em_out_write_csv, NULL},
    {{".drawio", NULL}, EM_NEED_LAYOUT, NULL, em_out_write_drawio, NULL},
};
const size_t em_n_writers = sizeof em_writers / sizeof em_writers[0];

const struct em_writer *em_writer_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/')) return NULL;
    for (size_t i = 0; i < em_n_writers; i++)
        for (size_t k = 0; em_writers[i].ext[k]; k++)
            if (strcasecmp(dot, em_writers[i].ext[k]) == 0) return &em_writers[i];
    return NULL;
}

const char *em_writer_exts(void)
{
    static char list[160];
    if (list[0]) return list;
    size_t used = 0;
    for (size_t i = 0; i < em_n_writers && used + 12 < sizeof list; i++) {
        size_t n = strlen(em_writers[i].ext[0]);
        if (used) list[used++] = ' ';
        memcpy(list + used, em_writers[i].ext[0], n);
        used += n;
    }
    list[used] = '\0';
    return list;
}
