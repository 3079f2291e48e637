/* discread.h — DISC.json (edgemap-discovery/1) read with the pull reader into compact
 * records: only what the merge uses is kept (ids, names, addresses, next hops,
 * capabilities, makers, links, segments, paths out), so memory follows what is
 * extracted, not the document's size. Caps are enforced while reading. Internal to
 * mapper/discovered.c and its tests. */
#ifndef EM_DISCREAD_H
#define EM_DISCREAD_H
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mapper/err.h"

#define EM_DISC_MAX_BYTES   (256u << 20)  /* DISC.json size */
#define EM_DISC_MAX_DEPTH   32            /* JSON nesting */
#define EM_DISC_MAX_ITEMS   200000        /* devices + neighbours + links + segments */
#define EM_DISC_MAX_STR     4096          /* bytes kept of one text value */
#define EM_DISC_MAX_ADDRS   1024          /* addresses kept per device */
#define EM_DISC_MAX_LIST    4096          /* entries kept of a list inside one item */

/* One discovered device ("devices") or neighbour ("neighbors_not_queried"). Strings
 * live in the reader's string chunk; "" when absent. */
struct em_dr_item {
    const char *id, *name, *location;
    bool queried;              /* from "devices" (walked) */
    bool router;               /* capability router (LLDP/CDP) */
    GPtrArray *addrs;          /* canonical addresses (chunk strings), loopback etc. dropped */
    GPtrArray *hops;           /* canonical default-route next hops */
    /* neighbours found through forwarding/ARP tables (snmp/infer.c) */
    const char *source;        /* lldp | lldp-v2 | cdp | fdb | arp; "" for devices */
    const char *mac, *maker, *seen_by, *local_port, *segment;
    bool router_maker;         /* the maker makes routers / mobile routers / home gateways */
    bool inferred;             /* confidence "inferred" */
    long vlan;                 /* the VLAN an FDB endpoint was learned in; 0 unknown (key
                                  absent: DISC.json written before VLANs were read) */
};

struct em_dr_link {
    const char *a, *b;         /* device / neighbour ids */
    bool inferred;             /* evidence "inferred" (forwarding table), not a neighbour protocol */
    bool both;                 /* evidence "both": each end lists the other */
};

/* A subnet discovery saw, with the devices that have an address in it. */
struct em_dr_segment {
    const char *id, *prefix;   /* "seg-1", "10.1.0.0/24" */
    bool emr;                  /* the EMR segment (seed's, or --emr-subnet) */
    GPtrArray *devices;        /* device ids (chunk strings) */
};

/* A device that leads out of the EMR segment, with the chain that reaches it. */
struct em_dr_pathout {
    const char *device;        /* id */
    const char *why;           /* "default route via 203.0.113.1", "cellular interface wwan0" ... */
    const char *chain;         /* "seg-1 10.1.0.0/24 (EMR) → sw01 ge1/0/5 → lte-rt" */
    bool global;               /* a global address or a route out to one */
};

struct em_dr {
    GStringChunk *strs;
    const char *schema;
    GArray *items;             /* struct em_dr_item: devices first, then neighbours */
    size_t n_devices;          /* how many of items came from "devices" */
    GArray *links;             /* struct em_dr_link */
    GArray *segments;          /* struct em_dr_segment */
    GArray *paths_out;         /* struct em_dr_pathout */
    GPtrArray *scopes, *seeds; /* chunk strings */
};

/* Reads a DISC.json from the stream f (read once; pipes work) or from len bytes at
 * data. name stands for the file in errors. Returns a reader result the caller frees
 * with em_dr_free(), or NULL with err filled (EM_ERR_FORMAT naming the line,
 * EM_ERR_LIMIT past a cap, EM_ERR_IO, EM_ERR_NOMEM). The schema is checked. */
struct em_dr *em_dr_read_file(FILE *f, const char *name, struct em_err *err);
struct em_dr *em_dr_read_mem(const char *data, size_t len, const char *name, struct em_err *err);
void em_dr_free(struct em_dr *r);

#endif
