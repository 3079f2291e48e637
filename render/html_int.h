/* html_int.h — what the report's files share (render/-internal). Implemented by html.c
 * (the report) and html_vendor.c (the vendor maintenance review). */
#ifndef EM_RENDER_HTML_INT_H
#define EM_RENDER_HTML_INT_H
#include <stdbool.h>

#include "mapper/model.h"
#include "render/buf.h"

/* Whether a contract holder is the hospital itself (blank, 病院, 当院, the site name …). */
bool em_html_is_hospital(const struct em_model *m, const char *holder);

/* The vendor maintenance review section's body, per company. */
void em_html_vendor_review(struct em_buf *b, const struct em_model *m);

#endif
