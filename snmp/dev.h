/* dev.h — snmp/'s internal types: our own varbind (copied out of net-snmp or read
 * from a walk dump), a per-device list of them, and the decoded device. Everything
 * here is pure data + pure functions (no I/O), so it is unit-tested and fuzzed. */
#ifndef EM_SNMP_DEV_H
#define EM_SNMP_DEV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapper/err.h"
#include "mapper/pool.h"

#define EM_OID_MAX 128           /* sub-ids; longer OIDs are dropped */
#define EM_VB_VALUE_MAX 4096     /* bytes kept of one value; longer ones are cut */
#define EM_VB_MAX 200000         /* varbinds kept per device */
#define EM_ROWS_MAX 20000        /* rows walked per column */

enum em_vb_type {
    EM_VB_INT = 1,     /* INTEGER (enum text dropped) */
    EM_VB_UINT,        /* Counter32, Gauge32, Timeticks, Counter64, Unsigned32 */
    EM_VB_OCTETS,      /* OCTET STRING, Opaque, BITS */
    EM_VB_OID,         /* OBJECT IDENTIFIER: val holds ".1.3.6..." text */
    EM_VB_IPADDR,      /* IpAddress: 4 bytes in val */
    EM_VB_NULL,
};

struct em_vb {
    uint32_t *oid; size_t oid_len;       /* owned (malloc) */
    int type;                            /* enum em_vb_type */
    int64_t num;                         /* INT / UINT */
    unsigned char *val; size_t val_len;  /* owned (malloc), NUL-terminated extra byte */
    bool cut;                            /* value was longer than EM_VB_VALUE_MAX */
};

struct em_vblist { struct em_vb *v; size_t n, cap; bool full; };

/* Appends a copy; values longer than EM_VB_VALUE_MAX are cut (vb.cut). Returns 0, or -1
 * when EM_VB_MAX is reached (l->full set) or on allocation failure. */
int em_vblist_add(struct em_vblist *l, const uint32_t *oid, size_t oid_len, int type,
                  int64_t num, const void *val, size_t val_len);
void em_vblist_free(struct em_vblist *l);  /* frees the contents; l itself not */

/* Parses ".1.3.6.1" / "1.3.6.1" into out (max EM_OID_MAX). Returns length or -1. */
int em_oid_parse(const char *s, uint32_t *out, size_t max);
/* True when oid starts with prefix. */
bool em_oid_has_prefix(const uint32_t *oid, size_t len, const uint32_t *prefix, size_t plen);
/* -1/0/1 lexicographic. */
int em_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);

/* ---- walk dumps (walkfile.c) ---- */
/* Parses one `snmpwalk -On` dump held in buf into out. name is used in errors.
 * Keeps only OIDs em_dev_wanted() accepts; out->full is set when EM_VB_MAX was reached
 * (the rest is dropped, not an error). Returns 0, or EM_ERR_FORMAT / EM_ERR_LIMIT
 * with err naming the line. */
int em_walk_parse(const char *buf, size_t len, const char *name, struct em_vblist *out,
                  struct em_err *err);

/* ---- decoded device ---- */
struct em_dev_if { long idx; const char *name, *descr, *alias, *mac; long type; long oper; };
struct em_dev_addr {
    int family; unsigned char raw[16]; const char *text;
    int prefix;            /* -1 unknown */
    long if_index;         /* 0 unknown */
    bool global;
};
struct em_lldp_port { long num; int id_sub; const char *id; const char *desc; long if_index;
                      const struct em_vb *raw_id; /* decode-time only */ };
/* Where a neighbour row came from. LLDP and CDP rows are the neighbour's own word
 * (high confidence); FDB/ARP rows are inferred from what a switch or router learned. */
enum em_nb_source { EM_NB_LLDP = 1, EM_NB_LLDP_V2, EM_NB_CDP, EM_NB_FDB, EM_NB_ARP };

/* "This port sees that device": one row of lldpRemTable, lldpV2RemTable or
 * cdpCacheTable (protocol-neutral; FDB/ARP inferences are built in infer.c). */
struct em_neighbor {
    int source;                        /* enum em_nb_source */
    long port, rem_index;              /* key; LLDP: port number + remIndex (timeMark ignored);
                                          CDP: ifIndex + deviceIndex */
    int ch_sub; const char *chassis;   /* chassis id formatted for people; "" if empty
                                          (CDP: the device id, ch_sub 7 "local") */
    int port_sub; const char *port_id; /* formatted (CDP: device port, port_sub 5) */
    const char *port_desc, *sys_name, *sys_desc;
    const char *platform;              /* CDP platform ("cisco WS-C2960X-48FPD-L"), "" */
    unsigned caps_sup, caps_en;        /* bit n = LLDP capability bit n (0 = other);
                                          CDP capabilities mapped onto the same bits */
    struct em_dev_addr *mgmt; size_t n_mgmt;  /* malloc'd */
    const struct em_vb *raw_chassis, *raw_port; /* decode-time only */
};

/* One forwarding-table row: MAC learned on a bridge port (dot1d/dot1q TpFdbTable). */
struct em_fdb_entry {
    unsigned char mac[6];
    long bridge_port;                  /* dot1dBasePort */
    long if_index;                     /* through dot1dBasePortIfIndex; 0 unknown */
    long fdb_id;                       /* dot1qFdbId (0: dot1dTpFdbTable) */
    int status;                        /* 3 learned, 4 self, 5 mgmt (1 other, 2 invalid) */
    long vlan;                         /* VLAN of a Cisco per-VLAN bridge instance (vlan.c);
                                          0 unknown */
};
/* One ARP / neighbour-cache row (ipNetToPhysicalTable, else ipNetToMediaTable). */
struct em_arp_entry {
    int family; unsigned char addr[16]; const char *text;
    unsigned char mac[6];
    long if_index;
    int type;                          /* 1 other, 2 invalid, 3 dynamic, 4 static, 5 local */
};
/* A route (inetCidrRouteTable / ipCidrRouteTable / ipRouteTable): default and static
 * (netmgmt) routes only; connected and learned routes are not kept. */
struct em_route {
    int family; unsigned char dest[16]; int prefix;
    unsigned char nh[16]; const char *dest_text, *nh_text;
    long if_index;
    int proto;                         /* IANAipRouteProtocol: 2 local, 3 netmgmt (static) … */
};

struct em_dev {
    const char *id;                    /* "dev-N", set by the crawler */
    int ch_sub; const char *chassis;   /* lldpLocChassisId, "" if absent */
    const char *sys_name, *sys_descr, *sys_oid, *sys_location, *engine_id;
    const char *queried;               /* address or file it was read from */
    struct em_dev_if *ifs; size_t n_ifs;
    struct em_dev_addr *addrs; size_t n_addrs;
    struct em_lldp_port *ports; size_t n_ports;
    struct em_neighbor *rems; size_t n_rems;   /* LLDP (V1 or V2) then CDP rows */
    struct em_dev_addr *next_hops; size_t n_next_hops;
    struct em_fdb_entry *fdb; size_t n_fdb;
    long *vlans; size_t n_vlans;       /* VLANs whose forwarding table was read per VLAN
                                          (Cisco, vlan.c), ascending; malloc'd */
    struct em_arp_entry *arp; size_t n_arp;
    struct em_route *routes; size_t n_routes;
    const char **aliases; size_t n_aliases;   /* other addresses it answered on */
    size_t manaddr_unjoined;           /* lldpRemManAddr rows that matched no neighbour */
    size_t rows_dropped;               /* lldpRem/cdpCache rows dropped (no id / bad index) */
};

/* Decodes a device's varbinds (any order) into dev. Strings go to pool; arrays are
 * malloc'd and freed by em_dev_clear(). Never fails on bad data: odd rows are
 * skipped and counted. Returns 0 or EM_ERR_NOMEM. */
int em_dev_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
void em_dev_clear(struct em_dev *dev);
/* Identity key: "c<sub>:<chassis>" when the chassis id is known, else "e:<engineID>",
 * else "n:<sysName>", else NULL. Pool-owned. */
const char *em_dev_key(struct em_pool *pool, const struct em_dev *dev);
const char *em_rem_key(struct em_pool *pool, const struct em_neighbor *r);
/* Name of the local interface behind LLDP port number port (ifName, ifDescr,
 * lldpLocPortDesc, lldpLocPortId, then "port N"). Pool-owned. */
const char *em_dev_port_name(struct em_pool *pool, const struct em_dev *dev, long port);
/* ifName (else ifDescr) of ifIndex, else "ifIndex N". Pool-owned. */
const char *em_dev_if_name(struct em_pool *pool, const struct em_dev *dev, long if_index);
/* The local port a neighbour row was seen on, by its source's numbering (LLDP port
 * number; ifIndex for CDP and LLDP-V2). Pool-owned. */
const char *em_nb_local_port(struct em_pool *pool, const struct em_dev *dev, const struct em_neighbor *r);
/* lldpLocPortId of port (formatted), or NULL. */
const char *em_dev_port_id(const struct em_dev *dev, long port);
/* How a remote port is shown: port id for ifName/local non-numeric ids and MACs,
 * else the port description, else the port id. */
const char *em_rem_port_name(const struct em_neighbor *r);

/* ---- LLDP pure decoders (lldp.c) ---- */
/* lldpRem* row index (the sub-ids after the column OID), parsed from the end: the last
 * is remIndex, the one before it the local port; timeMark ignored. A 1-field index
 * gives port 0. Returns 0, or -1 for an empty index. */
int em_lldp_rem_index(const uint32_t *idx, size_t n, long *port, long *rem_index);
/* lldpRemManAddr row index: timeMark.port.remIndex.family.len.addr (tolerates a
 * missing length and a 2-field row key). family out: 4, 6 or 0 (other, e.g. MAC:
 * row kept for the join but no address). Returns 0 or -1 if unparsable. */
int em_lldp_manaddr_index(const uint32_t *idx, size_t n, long *port, long *rem_index,
                          int *family, unsigned char addr[16]);
/* The same for lldpV2RemManAddrTable: timeMark.ifIndex.destMacAddrIndex.remIndex.
 * family[.len].addr; port out is the ifIndex. */
int em_lldp_v2_manaddr_index(const uint32_t *idx, size_t n, long *port, long *rem_index,
                             int *family, unsigned char addr[16]);
/* Chassis id (subtype per LldpChassisIdSubtype) as text: MAC "00:11:..", network
 * address as IP text, printable text as is, other bytes as hex "de:ad:..". Pool-owned. */
const char *em_lldp_chassis_str(struct em_pool *pool, int subtype, const unsigned char *v, size_t n);
/* Port id (LldpPortIdSubtype numbering) as text, hex-encoded interface names decoded. */
const char *em_lldp_portid_str(struct em_pool *pool, int subtype, const unsigned char *v, size_t n);
/* LLDP capabilities BITS to a bit mask (bit n = capability n). */
unsigned em_lldp_caps(const unsigned char *v, size_t n);
/* Name of capability bit n ("other", "repeater", "bridge", "wlanAP", "router",
 * "telephone", "docsis", "stationOnly") or NULL. */
const char *em_lldp_cap_name(int bit);
const char *em_lldp_chassis_subtype_name(int sub);
const char *em_lldp_port_subtype_name(int sub);
/* Text for an address (4 or 16 bytes). Pool-owned. */
const char *em_addr_str(struct em_pool *pool, int family, const unsigned char *a);

/* What the crawler asks every agent for: scalars fetched with GETNEXT on the object
 * OID (non-repeaters of the first GETBULK), columns walked with GETBULK. Each
 * protocol file owns its table (device.c: system, IF-MIB, IP-MIB, routes; lldp.c,
 * cdp.c, arp.c, fdb.c); nbr marks the columns a crawl waits for before it queues the
 * next hop (neighbour tables). */
struct em_walk_root { const char *oid; bool scalar; bool nbr; };
/* Every root of every table, in request order, into out (at most max). Returns the
 * count. The roots are static. */
size_t em_walk_roots_all(const struct em_walk_root **out, size_t max);
/* True for OIDs under a subtree em_dev_decode reads (system, IF-MIB, IP-MIB, routes,
 * LLDP-MIB, LLDP-V2-MIB, CISCO-CDP-MIB, BRIDGE-MIB, Q-BRIDGE-MIB, snmpEngineID,
 * CISCO-VTP-MIB vtpVlanState). */
bool em_dev_wanted(const uint32_t *oid, size_t n);

/* Appends one zeroed element of elem bytes to *arr (grown by doubling; *n is the
 * count, the capacity follows from it). Returns the new element or NULL (no memory;
 * *arr unchanged). Only for arrays grown through this function alone. */
void *em_vec_push(void **arr, size_t *n, size_t elem);

/* ---- neighbour sources ---- */
/* "lldp", "lldp-v2", "cdp", "fdb", "arp". */
const char *em_nb_source_name(int source);

/* ---- per-protocol decoders: fill their part of dev from vbs (any order). Strings
 * go to pool, arrays are freed by em_dev_clear(). 0 or EM_ERR_NOMEM. ---- */
extern const struct em_walk_root em_lldp_roots[];
extern const size_t em_n_lldp_roots;
int em_lldp_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);

/* ---- CISCO-CDP-MIB (cdp.c) ---- */
extern const struct em_walk_root em_cdp_roots[];
extern const size_t em_n_cdp_roots;
int em_cdp_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
/* cdpCacheAddress by cdpCacheAddressType (CiscoNetworkProtocol: 1 ip = 4 bytes, 20 ipv6
 * = 16 bytes): family 4/6 and bytes, 0 for anything else (and for 0.0.0.0). */
int em_cdp_addr(long type, const unsigned char *v, size_t n, unsigned char out[16]);
/* cdpCacheCapabilities (4-byte mask, or space-separated words) onto LLDP bits
 * (router 4, bridge 2, repeater 1, telephone 5, stationOnly 7). */
unsigned em_cdp_caps(const unsigned char *v, size_t n);
/* The device id without an NX-OS "(SERIAL)" tail, into pool. */
const char *em_cdp_device_id(struct em_pool *pool, const unsigned char *v, size_t n);

/* ---- IP-MIB ARP (arp.c) ---- */
extern const struct em_walk_root em_arp_roots[];
extern const size_t em_n_arp_roots;
int em_arp_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
/* ipNetToPhysicalTable index ifIndex.addrType.len.addr: 0 ok (family 4/6). */
int em_arp_phys_index(const uint32_t *idx, size_t n, long *if_index, int *family, unsigned char addr[16]);

/* ---- BRIDGE-MIB / Q-BRIDGE-MIB forwarding tables (fdb.c) ---- */
extern const struct em_walk_root em_fdb_roots[];
extern const size_t em_n_fdb_roots;
int em_fdb_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
/* A MAC index (6 sub-ids; 7 with a leading length 6 from some agents) into mac. 0 ok. */
int em_fdb_mac_index(const uint32_t *idx, size_t n, unsigned char mac[6]);
/* A MAC as "00:11:22:33:44:55" into pool. */
const char *em_mac_str(struct em_pool *pool, const unsigned char mac[6]);
/* Parses "00:11:22:33:44:55" / "00-11-..." / "0011.2233.4455" / 12 hex digits. 0 ok. */
int em_mac_parse(const char *s, unsigned char mac[6]);

/* ---- Cisco per-VLAN forwarding tables (vlan.c) ----
 * A Catalyst answers dot1dTpFdbTable / dot1dBasePortIfIndex for one VLAN only: the
 * plain community (or the empty v3 context) gives VLAN 1, `community@N` (or v3 context
 * `vlan-N`) gives VLAN N. The VLAN list comes from CISCO-VTP-MIB vtpVlanState. */
#define EM_VLANS_MAX_DEFAULT 64      /* per-VLAN reads per device unless told otherwise */
#define EM_VLANS_MAX_LIMIT 4094      /* the most --max-vlans accepts */
extern const struct em_walk_root em_vtp_roots[];
extern const size_t em_n_vtp_roots;
/* True when sysObjectID text (".1.3.6.1.4.1.9.1.1208") lies under Cisco's enterprise
 * 1.3.6.1.4.1.9: the devices whose bridge tables are per VLAN. */
bool em_vlan_is_cisco(const char *sys_oid);
/* True for a varbind OID under vtpVlanState. */
bool em_vtp_is_state(const uint32_t *oid, size_t n);
/* The operational VLANs (vtpVlanState = 1, index managementDomain.vlanId) among vbs,
 * ascending and unique, without the reserved 1002-1005 and without VLAN 1 (read with
 * the plain community already), into out (at most max). *n_all gets how many there
 * were before the cap (so n_all > return value means capped); *has_vlan1 whether VLAN 1
 * is operational. Returns the count stored. */
size_t em_vtp_vlans(const struct em_vblist *vbs, long *out, size_t max, size_t *n_all, bool *has_vlan1);
/* True when vbs holds Q-BRIDGE-MIB dot1qTpFdbTable rows: that table already covers every
 * VLAN (keyed by FDB id), so no per-VLAN BRIDGE-MIB reads are needed. */
bool em_vlan_has_qbridge(const struct em_vblist *vbs);
/* The v1/v2c community that reads VLAN vlan's bridge instance: "<community>@<vlan>".
 * 0 ok, -1 when it does not fit in cap. */
int em_vlan_community(char *buf, size_t cap, const char *community, long vlan);
/* The SNMPv3 contextName for VLAN vlan: "vlan-<vlan>". 0 ok, -1 when it does not fit. */
int em_vlan_context(char *buf, size_t cap, long vlan);
/* Decodes the BRIDGE-MIB rows of one VLAN's read (vbs: dot1dTpFdbTable and that
 * instance's dot1dBasePortIfIndex) and appends them to dev->fdb with vlan set; vlan is
 * added to dev->vlans. A VLAN already in dev->vlans is not added again (0 returned).
 * 0 or EM_ERR_NOMEM. */
int em_fdb_add_vlan(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev, long vlan);
/* After em_dev_decode: on a Cisco device whose vtpVlanState lists VLAN 1, the plain
 * community's dot1d rows are VLAN 1's: tagged so, and 1 added to dev->vlans.
 * 0 or EM_ERR_NOMEM. */
int em_vlan_tag_default(const struct em_vblist *vbs, struct em_dev *dev);

/* ---- routes (route.c) ---- */
extern const struct em_walk_root em_route_roots[];
extern const size_t em_n_route_roots;
int em_route_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
/* inetCidrRouteTable index destType.destLen.dest.pfxLen.policy(len.oid).nhType.nhLen.nh:
 * destination, prefix length and next hop. 0 ok, -1 if malformed. */
int em_route_inet_index(const uint32_t *x, size_t xn, int *family, unsigned char dest[16], int *prefix,
                        int *nh_family, unsigned char nh[16]);

/* ---- SNMPv3 engine-id discovery (v3probe.c) ---- */
/* Builds the RFC 3414 discovery request (noAuthNoPriv, empty user and engine id,
 * reportable) with msgID = reqid = msgid into buf. Returns its length, 0 if cap is short. */
size_t em_v3probe_build(uint8_t *buf, size_t cap, int32_t msgid);
/* Reads the agent's Report: the authoritative engine id (1..32 bytes into engine),
 * boots and time. Checks the version and msgID. 0 ok, -1 if it is not such a reply. */
int em_v3probe_parse(const uint8_t *buf, size_t n, int32_t msgid, uint8_t *engine,
                     size_t *engine_len, long *boots, long *etime);

#endif
