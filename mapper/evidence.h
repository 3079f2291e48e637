/* evidence.h — the one rule for which declared devices discovery (SNMP/LLDP) could
 * have seen, shared by the H-UNVERIFIED-LINE finding (mapper/discovered.c) and the
 * diagram's 未確認 mark (render/), so the two never disagree. Implemented by evidence.c. */
#ifndef EM_EVIDENCE_H
#define EM_EVIDENCE_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/model.h"

/* Whether declared device di is a kind discovery can see at all: an SNMP-manageable
 * network device (router, firewall/UTM, VPN device, L3 switch, or "other" that is not a
 * phone, TA, ONU or modem by its written type), not a line-termination box (ONU, modem,
 * home gateway), not a mobile (LTE/5G) router, and not only on closed carrier networks
 * or phone lines (the carrier manages those devices). Whether it was inside the
 * discovery's scope is the caller's part (discovered.c knows the scope). */
bool em_discovery_can_see(const struct em_model *m, size_t di);
/* em_discovery_can_see() of every device, in one pass over the paths (the call per
 * device walks them all: minutes for a 100,000-row survey with a wide scope). An array
 * of m->n_devices bools the caller frees, or NULL out of memory. */
bool *em_discovery_can_see_all(const struct em_model *m);

/* What stands behind a device, for the model JSON's "evidence" key (stable English):
 * "declared" (the sheet only; discovery absent or not expected to see it),
 * "declared_seen" (declared and found by discovery), "unverified" (declared, discovery
 * could have seen it and did not: H-UNVERIFIED-LINE), "seen_only" (discovery only:
 * 未申告). */
const char *em_device_evidence(const struct em_device *d);

/* The same for an edge: "seen_only" (a link only discovery saw: 未申告), "both_ends" /
 * "one_end" (declared, and discovery's LLDP saw it from both ends / one end),
 * "declared_seen" (declared between two devices discovery found, the link itself not
 * reported), "declared" (the sheet only). */
const char *em_edge_evidence(const struct em_model *m, const struct em_edge *e);

#endif
