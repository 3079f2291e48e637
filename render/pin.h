/* pin.h — re-laying out a dot layout with hand-placed positions (render/-internal).
 * Implemented by pin.c. */
#ifndef EM_RENDER_PIN_H
#define EM_RENDER_PIN_H
#include <stdbool.h>
#include <stddef.h>

#include <graphviz/gvc.h>

#include "mapper/drawio.h"

/* g has been laid out by dot. Moves the nodes whose id is in pins to those positions,
 * keeps the others where dot put them (clear of the pinned ones), and lays g out again
 * with neato's no-op mode so the edges follow (straight lines when straight). *pinned receives the number of nodes
 * moved to a pin; origin[0..1] the Graphviz point (left, top) that is (0, 0) in the
 * pins' frame, for em_layout_serialise (so an exported node that was not moved comes
 * back at the same coordinates). Returns gvLayout's result (0 on success). */
int em_pin_layout(GVC_t *gvc, Agraph_t *g, const struct em_drawio_pos *pins, size_t n_pins, bool straight,
                  size_t *pinned, double origin[2]);

#endif
