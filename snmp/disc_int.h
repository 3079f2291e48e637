/* disc_int.h — the discovery result held by struct em_disc, shared by the crawler
 * (crawl.c), the walk-dump reader (walkdir.c), link building (links.c) and the JSON
 * writer (json.c). Strings live in d->pool. */
#ifndef EM_SNMP_DISC_INT_H
#define EM_SNMP_DISC_INT_H
#include "snmp/dev.h"
#include "snmp/discover.h"

struct em_nbr {            /* a neighbour seen in an LLDP table but not queried */
    const char *id, *key;
    int ch_sub; const char *chassis, *sys_name, *sys_desc;
    unsigned caps;
    struct em_dev_addr *addrs; size_t n_addrs;  /* malloc'd copy */
    const char *reason;    /* out_of_scope | unreachable | no_address | hop_limit | no_walk */
    const char *seen_by, *local_port, *remote_port;
};
struct em_link {
    const char *a_dev, *a_port, *b_dev, *b_port;
    const char *evidence;  /* "both" | "one" */
};
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
};

/* helpers (links.c) */
int em_disc_add_err(struct em_disc *d, const char *address, const char *device,
                    const char *kind, const char *message);
/* Adds dev (moved in; *dev cleared) unless its key is known: then the address is
 * added to the known device's aliases and dev freed. Returns the device index. */
long em_disc_add_dev(struct em_disc *d, struct em_dev *dev);
/* The device a remote LLDP row names: by chassis id, or by sysName when the row or
 * the device has no chassis id. -1 if none. */
long em_disc_rem_target(const struct em_disc *d, struct em_pool *p, const struct em_lldp_rem *r);
/* Device index for an identity key, or -1. */
long em_disc_find_key(const struct em_disc *d, const char *key);
int em_disc_map_key(struct em_disc *d, const char *key, size_t dev);
/* Why a neighbour key was not queried (first reason wins). */
int em_disc_set_reason(struct em_disc *d, const char *key, const char *reason);
/* Builds nbrs[] and links[] from the devices' LLDP rows. Call once, at the end. */
int em_disc_finish(struct em_disc *d, const char *default_reason);

#endif
