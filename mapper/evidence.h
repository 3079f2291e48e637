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

#endif
