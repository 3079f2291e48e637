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
struct em_lldp_rem {
    long port, rem_index;              /* key; timeMark ignored */
    int ch_sub; const char *chassis;   /* chassis id formatted for people; "" if empty */
    int port_sub; const char *port_id; /* formatted */
    const char *port_desc, *sys_name, *sys_desc;
    unsigned caps_sup, caps_en;        /* bit n = LLDP capability bit n (0 = other) */
    struct em_dev_addr *mgmt; size_t n_mgmt;  /* malloc'd */
    const struct em_vb *raw_chassis, *raw_port; /* decode-time only */
};
struct em_dev {
    const char *id;                    /* "dev-N", set by the crawler */
    int ch_sub; const char *chassis;   /* lldpLocChassisId, "" if absent */
    const char *sys_name, *sys_descr, *sys_oid, *sys_location, *engine_id;
    const char *queried;               /* address or file it was read from */
    struct em_dev_if *ifs; size_t n_ifs;
    struct em_dev_addr *addrs; size_t n_addrs;
    struct em_lldp_port *ports; size_t n_ports;
    struct em_lldp_rem *rems; size_t n_rems;
    struct em_dev_addr *next_hops; size_t n_next_hops;
    const char **aliases; size_t n_aliases;   /* other addresses it answered on */
    size_t manaddr_unjoined;           /* lldpRemManAddr rows that matched no neighbour */
    size_t rows_dropped;               /* lldpRem rows dropped (no chassis id / bad index) */
};

/* Decodes a device's varbinds (any order) into dev. Strings go to pool; arrays are
 * malloc'd and freed by em_dev_clear(). Never fails on bad data: odd rows are
 * skipped and counted. Returns 0 or EM_ERR_NOMEM. */
int em_dev_decode(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev);
void em_dev_clear(struct em_dev *dev);
/* Identity key: "c<sub>:<chassis>" when the chassis id is known, else "e:<engineID>",
 * else "n:<sysName>", else NULL. Pool-owned. */
const char *em_dev_key(struct em_pool *pool, const struct em_dev *dev);
const char *em_rem_key(struct em_pool *pool, const struct em_lldp_rem *r);
/* Name of the local interface behind LLDP port number port (ifName, ifDescr,
 * lldpLocPortDesc, lldpLocPortId, then "port N"). Pool-owned. */
const char *em_dev_port_name(struct em_pool *pool, const struct em_dev *dev, long port);
/* lldpLocPortId of port (formatted), or NULL. */
const char *em_dev_port_id(const struct em_dev *dev, long port);
/* How a remote port is shown: port id for ifName/local non-numeric ids and MACs,
 * else the port description, else the port id. */
const char *em_rem_port_name(const struct em_lldp_rem *r);

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

#endif

/* What the crawler asks every agent for (device.c): scalars fetched with GETNEXT on
 * the object OID (non-repeaters of the first GETBULK), columns walked with GETBULK. */
struct em_walk_root { const char *oid; bool scalar; };
/* True for OIDs under a subtree em_dev_decode reads (system, IF-MIB, IP-MIB, routes,
 * LLDP-MIB, LLDP-V2-MIB, snmpEngineID). */
bool em_dev_wanted(const uint32_t *oid, size_t n);
extern const struct em_walk_root em_walk_roots[];
extern const size_t em_n_walk_roots;

/* ---- SNMPv3 engine-id discovery (v3probe.c) ---- */
/* Builds the RFC 3414 discovery request (noAuthNoPriv, empty user and engine id,
 * reportable) with msgID = reqid = msgid into buf. Returns its length, 0 if cap is short. */
size_t em_v3probe_build(uint8_t *buf, size_t cap, int32_t msgid);
/* Reads the agent's Report: the authoritative engine id (1..32 bytes into engine),
 * boots and time. Checks the version and msgID. 0 ok, -1 if it is not such a reply. */
int em_v3probe_parse(const uint8_t *buf, size_t n, int32_t msgid, uint8_t *engine,
                     size_t *engine_len, long *boots, long *etime);
