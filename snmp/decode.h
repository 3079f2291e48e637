/* decode.h — helpers shared by the per-protocol decoders (device.c, lldp.c, cdp.c,
 * arp.c, fdb.c, route.c): value conversion, prefix tests, address lists. Internal to
 * snmp/; implemented in device.c. */
#ifndef EM_SNMP_DECODE_H
#define EM_SNMP_DECODE_H
#include "snmp/dev.h"

#define EM_O(...) {__VA_ARGS__}
#define EM_LEN(a) (sizeof a / sizeof a[0])
/* True when varbind v lies under the OID array a. */
#define EM_PFX(v, a) em_oid_has_prefix((v)->oid, (v)->oid_len, a, EM_LEN(a))

/* Value as text: strings (trailing NULs dropped), numbers, IpAddress. Pool-owned. */
const char *em_dec_str(struct em_pool *p, const struct em_vb *v);
/* INTEGER / unsigned value, 0 for other types. */
long em_dec_num(const struct em_vb *v);
/* Adds an address to a list (merged with an existing equal address: prefix and
 * ifIndex filled when unknown there). cap is the list's capacity. 0 or EM_ERR_NOMEM. */
int em_dec_add_addr(struct em_dev_addr **arr, size_t *n, size_t *cap, struct em_pool *p,
                    int family, const unsigned char *a, int prefix, long ifidx);
/* InetAddress index "type.len.bytes" that fills exactly n sub-ids (zoned types carry
 * 4 zone bytes): family 4/6 and the address. 0 ok, -1 otherwise. */
int em_dec_inet_index(const uint32_t *idx, size_t n, int *family, unsigned char a[16]);
/* The interface with ifIndex idx, or NULL. */
const struct em_dev_if *em_dev_find_if(const struct em_dev *d, long idx);

#endif
