/* about.h — render/'s contribution to "what produced this output" (mapper/about.h). */
#ifndef EM_RENDER_ABOUT_H
#define EM_RENDER_ABOUT_H

/* Adds Graphviz and cairo at their run-time versions to the mapper/about.h list. */
void em_render_about(void);

#endif
