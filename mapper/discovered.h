/* discovered.h — a DISC.json (schema edgemap-discovery/1, written by `edgemap discover`)
 * merged into the survey model: discovered devices matched to declared ones, the
 * others added, LLDP/CDP links and links inferred from forwarding tables as edges,
 * and the findings H-UNDOCUMENTED-PATH and H-UNVERIFIED-LINE of records.md. Design:
 * docs/design-scan.md, docs/design-snmp.md (DISC.json). */
#ifndef EM_DISCOVERED_H
#define EM_DISCOVERED_H
#include <stddef.h>

#include "mapper/err.h"
#include "mapper/model.h"

/* DISC.json is streamed (mapper/jsonpull.c, mapper/discread.c): memory follows what
 * is kept, never the file's size; the caps (EM_DISC_MAX_*) are in mapper/discread.h. */

/* Reads a DISC.json written by `edgemap discover` and merges it: discovered devices that
 * match a declared device (same host name case-insensitive — "rt01" also matches
 * "rt01.example.jp" —, or same management IP, or a discovered address equal to a
 * declared global IP / mgmt IP) become source "both"; others are added as "discovered"
 * devices (id "disc-<discovery id>", maker by OUI for FDB/ARP endpoints); links
 * between two model devices become edges with discovered = true (and inferred = true
 * for forwarding-table inferences); H-UNDOCUMENTED-PATH for discovered devices with a
 * global address (or, for a device no row declares, a default route to a global next
 * hop or a path out of the EMR segment, "paths_out") that no row declares, and for
 * endpoints made by a router maker in a segment no row declares a line for (a warning
 * on the maker alone, an error with a global address or route out; switch, port, MAC,
 * maker and the chain from the EMR segment in the message); H-UNVERIFIED-LINE for declared devices whose mgmt IP lies
 * inside the discovery's scopes, or whose host name / mgmt IP was a seed, that
 * discovery did not see. Call after em_model_finish(); then the caller re-sorts
 * findings with em_model_sort_findings(). The file is appended to m->sources; the
 * same file merged twice is merged once. path "-" reads stdin; a pipe or FIFO is
 * read once. Returns 0 or a negative enum em_rc with err filled; on error the model
 * is unchanged. */
int em_discovered_merge(struct em_model *m, const char *path, struct em_err *err);

/* The same on a buffer in memory; name stands for the file in findings and errors. */
int em_discovered_merge_mem(struct em_model *m, const char *name, const char *data, size_t len,
                            struct em_err *err);

#endif
