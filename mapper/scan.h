/* scan.h — nmap XML (-oX) results merged into the survey model: the ports each
 * address showed, whether it answered, and the findings H-OPEN-SERVICE and
 * H-UNDECLARED-REACHABLE of records.md. Also the "declared global address" lookup
 * that discovery merging (mapper/discovered.c) shares. Design: docs/design-scan.md. */
#ifndef EM_SCAN_H
#define EM_SCAN_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"
#include "mapper/model.h"

/* Caps on what one scan file may hold (untrusted input). */
#define EM_SCAN_MAX_BYTES     (256u << 20)  /* file size */
#define EM_SCAN_MAX_DEPTH     32            /* XML nesting */
#define EM_SCAN_MAX_PORTS     200000        /* <port> per <host> (65536 x tcp/udp/sctp) */
#define EM_SCAN_MAX_RECORDS   500000        /* hosts + open ports listed in one file */

/* Reads an nmap XML file (-oX) and records, per address, the open ports (proto, port,
 * service name, product/version when present) and whether the host answered, in
 * m->services / m->scan_hosts and the paths' scanned / scan_up flags. Adds
 * H-OPEN-SERVICE / H-UNDECLARED-REACHABLE findings against the model's declared global
 * IPs (paths' global_ip, which may be a list "a, b" or a CIDR block "203.0.113.8/29":
 * an address inside a declared block counts as declared). Call after em_model_finish(),
 * once per scan file, then em_model_sort_findings(). Loading the same results twice
 * (the same file, or two files listing the same port) adds no second finding.
 * The file is appended to m->sources. Returns 0 or a negative enum em_rc with err
 * filled (file, and the XML line in err->row when known). */
int em_scan_load(struct em_model *m, const char *path, struct em_err *err);

/* The same on a buffer already in memory; name is used for m->sources, the findings'
 * file and error messages. For tests and the fuzzer. */
int em_scan_load_mem(struct em_model *m, const char *name, const char *data, size_t len,
                     struct em_err *err);

/* ---- address sets: declared global IPs, discovery scopes ---- */

/* Canonical text of an IPv4/IPv6 literal (no prefix) into out (>= 64 bytes: inet_ntop's
 * form, so "2001:0DB8::1" and "2001:db8::1" compare equal). Returns 4, 6, or 0 when
 * text is not an address. */
int em_ip_canon(const char *text, char *out, size_t size);

struct em_ipset;  /* addresses and blocks, each with a value (e.g. a path index) */

/* New empty set; NULL on allocation failure. Free with em_ipset_free(). */
struct em_ipset *em_ipset_new(void);
void em_ipset_free(struct em_ipset *s);
/* Adds one address or block ("203.0.113.8/29"; host bits are ignored) with value v.
 * The first value given for an address is kept. 0 ok, 1 not an address, -1 no memory. */
int em_ipset_add(struct em_ipset *s, const char *text, size_t v);
/* Value of the first entry holding addr (exact address first, then blocks in the order
 * added); EM_NONE if none. */
size_t em_ipset_find(const struct em_ipset *s, const char *addr);
/* Number of entries. */
size_t em_ipset_count(const struct em_ipset *s);

/* The declared global addresses of m: every global address or block listed in a path's
 * グローバルIPアドレス (lists split on , ; 、 and white space), value = the first path (in
 * model order) that lists it. Non-global tokens are left out. NULL on no memory;
 * caller frees with em_ipset_free(). */
struct em_ipset *em_ipset_declared(const struct em_model *m);

/* Appends file to m->sources unless it is there already. 0 ok, -1 no memory. */
int em_scan_add_source(struct em_model *m, const char *file);

#endif
