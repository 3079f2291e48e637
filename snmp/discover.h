/* discover.h — SNMP v2c/v3 + LLDP discovery, the only snmp/ header cmd/ includes.
 * Plain C types: no net-snmp or json-c type crosses this header.
 *
 * Flow: em_disc_new() -> em_disc_crawl() or em_disc_from_walk() ->
 *       em_disc_write_json() -> em_disc_free(). */
#ifndef EM_DISCOVER_H
#define EM_DISCOVER_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"
#include "mapper/outset.h"

/* ---- addresses and scopes (snmp/addr.c) ---- */

/* An IPv4 or IPv6 prefix. family is 4 or 6; addr holds 4 or 16 bytes. */
struct em_cidr { int family; unsigned char addr[16]; int prefix; };

/* Parses "10.1.0.0/16", "2001:db8::/32" or a bare address (host prefix).
 * Host bits must be zero ("10.1.0.1/16" is refused: likely a typo). 0 ok, -1 bad. */
int em_cidr_parse(const char *s, struct em_cidr *out);
/* True when addr (4 or 16 bytes by family) lies inside c. */
bool em_cidr_contains(const struct em_cidr *c, int family, const unsigned char *addr);
/* The crawl's one gate: true only if addr is inside one of the scopes and is not a
 * never-query address (0.0.0.0/::, 127/8, 169.254/16, fe80::/10, ::1, multicast) —
 * except that 127/8, 169.254/16 and fe80::/10 are allowed when a scope itself lies
 * inside that range (the tests run on 127.0.0.x). */
bool em_scope_allows(const struct em_cidr *scopes, size_t n, int family,
                     const unsigned char *addr);
/* "Global" per spec/records.md: not private, loopback, link-local, CGNAT, multicast,
 * reserved or unspecified; documentation ranges count as global. */
bool em_addr_is_global(int family, const unsigned char *addr);
/* Numeric text to bytes. Returns family 4/6, or 0 if s is not an address. */
int em_addr_parse(const char *s, unsigned char out[16]);

/* ---- names learned from the network (snmp/resolve.c) ---- */

/* One DNS server: family 4 or 6 (0: none), its address, its UDP port (53). */
struct em_resolver { int family; unsigned char addr[16]; int port; };

/* Looks name up (A, then AAAA) at rs only, through a socket connected to it, waiting
 * at most timeout_ms per query; fills up to max addresses (fam[i] 4 or 6, addrs[i]).
 * Returns how many; 0 when none (no answer, NXDOMAIN, rs->family 0). */
size_t em_disc_lookup(const struct em_resolver *rs, const char *name, int timeout_ms, int *fam,
                      unsigned char (*addrs)[16], size_t max);

/* The first nameserver of /etc/resolv.conf that lies inside the scopes, into *out.
 * Returns 0, or -1 when none does; seen gets every nameserver listed ("a, b"), for the
 * message. Sends nothing. */
int em_disc_system_resolver(const struct em_cidr *scopes, size_t n_scopes, struct em_resolver *out,
                            char *seen, size_t seen_sz);

/* ---- credentials (snmp/conf.c) ---- */

enum em_snmp_level { EM_SEC_NOAUTH = 1, EM_SEC_AUTHNOPRIV = 2, EM_SEC_AUTHPRIV = 3 };
enum em_auth_proto { EM_AUTH_NONE = 0, EM_AUTH_SHA = 1, EM_AUTH_SHA256 = 2 };
enum em_priv_proto { EM_PRIV_NONE = 0, EM_PRIV_AES = 1 };

struct em_cred {
    int version;                 /* 2 (v2c) or 3 */
    char community[128];         /* v2c */
    char user[64];               /* v3 */
    int level;                   /* enum em_snmp_level */
    int auth_proto, priv_proto;
    char auth_pass[128], priv_pass[128];
    int port;                    /* 0 = use the command-line / default port */
};

struct em_snmp_conf;  /* opaque; holds secrets, wiped on free */

/* Reads FILE (format in docs/discovery.md). Refuses a file readable or writable by
 * group or others (mode & 077). Errors name the file and line, never a secret.
 * Caller frees *out with em_snmp_conf_free(). */
int em_snmp_conf_load(const char *path, struct em_snmp_conf **out, struct em_err *err);
/* Parses text already read (no permission check): for tests and fuzzing. */
int em_snmp_conf_parse(const char *text, size_t len, const char *name,
                       struct em_snmp_conf **out, struct em_err *err);
/* A v2c-only configuration from a community string (EDGEMAP_SNMP_COMMUNITY). */
struct em_snmp_conf *em_snmp_conf_community(const char *community);
/* The credentials for addr: the longest matching [scope ...] section, else
 * [default]; NULL if none applies. Points into conf. */
const struct em_cred *em_snmp_conf_pick(const struct em_snmp_conf *conf, int family,
                                        const unsigned char *addr);
/* Wipes secrets and frees. NULL is a no-op. */
void em_snmp_conf_free(struct em_snmp_conf *conf);

/* ---- discovery ---- */

struct em_disc_opts {
    const char *const *seeds; size_t n_seeds;      /* host names or addresses */
    const struct em_cidr *scopes; size_t n_scopes;
    const struct em_snmp_conf *conf;
    int port;               /* UDP port, default 161 */
    int max_inflight;       /* agents in flight, default 32 */
    int timeout_ms;         /* per request, default 2000 */
    int retries;            /* per request, default 1 */
    int max_reps;           /* GETBULK max-repetitions, default 20 */
    int agent_deadline_ms;  /* wall time cap per agent, default 60000 */
    int max_hops;           /* 0 = unlimited */
    int max_vlans;          /* per-VLAN forwarding-table reads per Cisco device (vlan.c):
                               0 = the default (64), -1 = none */
    bool progress;          /* progress line on stderr */
    /* the DNS server asked for the sysNames of neighbours that advertise no address
     * (--resolve / --resolver); family 0 (the default): such names are not looked up */
    struct em_resolver resolver;
};

struct em_disc;

/* New empty result; NULL on allocation failure. Free with em_disc_free(). */
struct em_disc *em_disc_new(void);
void em_disc_free(struct em_disc *d);

/* Crawls from the seeds. Seeds outside every scope are a usage error (EM_ERR_USAGE,
 * before any packet is sent). Agent faults never fail the crawl: they are recorded
 * as per-agent errors. Returns 0 or a negative enum em_rc. */
int em_disc_crawl(struct em_disc *d, const struct em_disc_opts *o, struct em_err *err);

/* Reads every regular file in dir as one device's `snmpwalk -On` dump.
 * A file in another format is an EM_ERR_FORMAT naming the file and line. */
int em_disc_from_walk(struct em_disc *d, const char *dir, struct em_err *err);

/* The EMR segment is the subnet c (--emr-subnet) instead of the seed's. Call before
 * em_disc_crawl() / em_disc_from_walk(). */
void em_disc_set_emr_subnet(struct em_disc *d, const struct em_cidr *c);

/* The data directory (the CLI's search order, cmd/common.h) whose router-makers.tsv
 * names the makers of routers and mobile routers. Without it, makers are still read
 * from the OUI registry but no endpoint is flagged by its maker. dir is copied. */
void em_disc_set_data_dir(struct em_disc *d, const char *dir);

/* Writes DISC.json (schema edgemap-discovery/1) as output idx of set (mapper/outset.h);
 * the caller commits the set. Returns 0 or a negative enum em_rc with err filled. */
int em_disc_write_json(const struct em_disc *d, struct em_outset *set, size_t idx, struct em_err *err);

/* One-line summary ("5 devices, 4 links, 2 not queried, 1 agent error, 0.8 s"). */
void em_disc_summary(const struct em_disc *d, char *buf, size_t size);
/* Number of per-agent errors/warnings recorded. */
size_t em_disc_n_errors(const struct em_disc *d);
/* The i-th of them (address, kind, message); strings owned by d. 0, or -1 if i is out
 * of range. Messages never contain credentials. */
int em_disc_error(const struct em_disc *d, size_t i, const char **address,
                  const char **kind, const char **message);

#endif
