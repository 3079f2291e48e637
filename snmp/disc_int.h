/* disc_int.h — the discovery result held by struct em_disc, shared by the crawler
 * (crawl.c), the walk-dump reader (walkdir.c), link building (links.c) and the JSON
 * writer (json.c). Strings live in d->pool. */
#ifndef EM_SNMP_DISC_INT_H
#define EM_SNMP_DISC_INT_H
#include "snmp/dev.h"
#include "snmp/discover.h"
#include "snmp/oui.h"

struct em_nbr {            /* a neighbour seen (LLDP, CDP, FDB, ARP) but not queried */
    const char *id, *key;
    int source;            /* enum em_nb_source */
    int ch_sub; const char *chassis, *sys_name, *sys_desc, *platform;
    unsigned caps;
    struct em_dev_addr *addrs; size_t n_addrs;  /* malloc'd copy */
    const char *reason;    /* out_of_scope | unreachable | no_address | hop_limit | no_walk |
                              endpoint (FDB/ARP: no neighbour protocol, not queried) */
    const char *seen_by, *local_port, *remote_port;
    const char *mac, *maker;   /* FDB/ARP endpoints: MAC and its maker by OUI ("" unknown) */
    bool router_maker;         /* the maker makes routers / mobile routers / home gateways */
    const char *segment;       /* id of the segment holding its address (segments.c), or NULL */
    long vlan;                 /* FDB endpoints: the VLAN it was learned in (Cisco per-VLAN
                                  tables, vlan.c); 0 unknown */
};
struct em_link {
    const char *a_dev, *a_port, *b_dev, *b_port;
    const char *evidence;  /* "both" | "one" | "inferred" */
    int source;            /* enum em_nb_source of the row behind it */
    long vlan;             /* inferred from a Cisco per-VLAN forwarding table: its VLAN; 0 */
};
/* A subnet seen on the devices' interfaces (segments.c). */
struct em_seg_member { const char *dev, *ifname, *address; };
struct em_segment {
    const char *id, *prefix;           /* "seg-1", "10.1.0.0/24" */
    struct em_cidr net;
    bool emr;
    struct em_seg_member *m; size_t n_m;   /* malloc'd */
};
/* A device that leads out of the EMR segment (segments.c). */
struct em_path_out { const char *dev, *why, *chain; bool global; };
struct em_agent_err { const char *address, *device, *kind, *message; };
struct em_agent_time { const char *address, *device, *status; long ms, requests, varbinds; };
struct em_reason { const char *key, *reason; };
struct em_keymap { const char *key; size_t dev; };

struct em_disc {
    struct em_pool *pool;
    const char *mode;                  /* "snmp" | "walk" */
    char started[32];
    double elapsed_s;
    struct em_dev *devs; size_t n_devs, cap_devs;
    struct em_keymap *keys; size_t n_keys, cap_keys;   /* identity key -> device */
    struct em_nbr *nbrs; size_t n_nbrs;
    struct em_link *links; size_t n_links;
    struct em_agent_err *errs; size_t n_errs, cap_errs;
    struct em_agent_time *times; size_t n_times, cap_times;
    struct em_reason *reasons; size_t n_reasons, cap_reasons;
    const char **scopes; size_t n_scopes;
    const char **seeds; size_t n_seeds;
    struct em_segment *segs; size_t n_segs;
    struct em_path_out *outs; size_t n_outs;
    bool has_emr_subnet; struct em_cidr emr_subnet;   /* --emr-subnet */
    struct em_oui *oui;                /* loaded on first use (infer.c) */
    const char *oui_registry;          /* test override of the registry path, or NULL */
    char *makers_path;                 /* <data dir>/router-makers.tsv (em_disc_set_data_dir), or NULL */
};

/* helpers (links.c) */
int em_disc_add_err(struct em_disc *d, const char *address, const char *device,
                    const char *kind, const char *message);
/* Adds dev (moved in; *dev cleared) unless its key is known: then the address is
 * added to the known device's aliases and dev freed. Returns the device index. */
long em_disc_add_dev(struct em_disc *d, struct em_dev *dev);
/* The device a remote LLDP row names: by chassis id, or by sysName when the row or
 * the device has no chassis id. -1 if none. */
long em_disc_rem_target(const struct em_disc *d, struct em_pool *p, const struct em_neighbor *r);
/* Device index for an identity key, or -1. */
long em_disc_find_key(const struct em_disc *d, const char *key);
int em_disc_map_key(struct em_disc *d, const char *key, size_t dev);
/* True when a reason was recorded for key (it was considered already). */
bool em_disc_has_reason(const struct em_disc *d, const char *key);
/* Why a neighbour key was not queried (first reason wins). */
int em_disc_set_reason(struct em_disc *d, const char *key, const char *reason);
/* Builds nbrs[] and links[] from the devices' LLDP/CDP rows, then the inferred links
 * and endpoints (infer.c), then segments and paths out (segments.c). Call once, at
 * the end. */
int em_disc_finish(struct em_disc *d, const char *default_reason);
/* Adds a link unless the same pair of ends (either way) is linked already. */
int em_disc_add_link(struct em_disc *d, const char *a_dev, const char *a_port, const char *b_dev,
                     const char *b_port, const char *evidence, int source);
/* Adds a link without looking for an equal one (a new end: nothing can equal it). */
int em_disc_push_link(struct em_disc *d, const char *a_dev, const char *a_port, const char *b_dev,
                      const char *b_port, const char *evidence, int source);
/* A new not-queried neighbour (zeroed but for id and key), or NULL on no memory. */
struct em_nbr *em_disc_new_nbr(struct em_disc *d, const char *key);
/* FDB/ARP inference (infer.c): endpoints learned alone on edge ports, links to known
 * devices, makers by OUI. 0 or EM_ERR_NOMEM. */
int em_disc_infer(struct em_disc *d);
/* Segments (subnets per interface), the EMR segment, and devices leading out of it
 * with the chain that reaches them (segments.c). 0 or EM_ERR_NOMEM. */
int em_disc_segments(struct em_disc *d);
/* "ppp", "tunnel", "cellular", "dsl", "cable" for a WAN-like ifType, else NULL. */
const char *em_if_wan_kind(long if_type);

#endif
