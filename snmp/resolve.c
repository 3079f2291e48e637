/* resolve.c — looking up the names neighbours advertise (LLDP sysName without a
 * management address), only when asked (--resolve) and only at one DNS server whose
 * address is known beforehand: inside --scope, or given with --resolver. The system
 * resolver is never used for these names: it may ask servers outside the scope, or
 * multicast (mDNS/LLMNR) on the hospital's network.
 *
 * The query is built and the answer parsed with libresolv (res_mkquery, ns_initparse,
 * ns_parserr); the packet goes through our own connected UDP socket, so it can reach
 * no other address, and the answer is accepted only from that address, with our ID. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "snmp/discover.h"

#define DNS_MAX_ANSWER 4096

/* One query of type qtype (ns_t_a / ns_t_aaaa) for name; fills up to max - *n
 * addresses. Returns 0, or -1 when no usable answer came (timeout, error, NXDOMAIN). */
static int query(int fd, const char *name, int qtype, int timeout_ms, int *fam, unsigned char (*addrs)[16],
                 size_t max, size_t *n)
{
    unsigned char q[512], ans[DNS_MAX_ANSWER];
    int ql = res_mkquery(ns_o_query, name, ns_c_in, qtype, NULL, 0, NULL, q, sizeof q);
    if (ql < 12) return -1;
    unsigned id = (unsigned)q[0] << 8 | q[1];
    if (send(fd, q, (size_t)ql, 0) != ql) return -1;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left = timeout_ms - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
        if (left <= 0) return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) return -1;
        ssize_t r = recv(fd, ans, sizeof ans, 0);
        if (r < 0) return -1;   /* ICMP unreachable: no server there */
        if (r < 12 || ((unsigned)ans[0] << 8 | ans[1]) != id) continue;   /* not ours: keep waiting */
        ns_msg msg;
        if (ns_initparse(ans, (int)r, &msg) != 0 || ns_msg_getflag(msg, ns_f_rcode) != ns_r_noerror) return -1;
        int count = ns_msg_count(msg, ns_s_an);
        for (int i = 0; i < count && *n < max; i++) {
            ns_rr rr;
            if (ns_parserr(&msg, ns_s_an, i, &rr) != 0) break;
            if (ns_rr_class(rr) != ns_c_in || (int)ns_rr_type(rr) != qtype) continue;   /* CNAMEs: skipped */
            size_t len = qtype == ns_t_a ? 4 : 16;
            if (ns_rr_rdlen(rr) != len) continue;
            fam[*n] = qtype == ns_t_a ? 4 : 6;
            memset(addrs[*n], 0, 16);
            memcpy(addrs[*n], ns_rr_rdata(rr), len);
            (*n)++;
        }
        return 0;
    }
}

size_t em_disc_lookup(const struct em_resolver *rs, const char *name, int timeout_ms, int *fam,
                      unsigned char (*addrs)[16], size_t max)
{
    if (!rs || !rs->family || !name || !*name || max == 0) return 0;
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (rs->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)rs->port);
        memcpy(&s4->sin_addr, rs->addr, 4);
        sl = sizeof *s4;
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)rs->port);
        memcpy(&s6->sin6_addr, rs->addr, 16);
        sl = sizeof *s6;
    }
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    size_t n = 0;
    if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
        query(fd, name, ns_t_a, timeout_ms, fam, addrs, max, &n);
        query(fd, name, ns_t_aaaa, timeout_ms, fam, addrs, max, &n);
    }
    close(fd);
    return n;
}

int em_disc_system_resolver(const struct em_cidr *scopes, size_t n_scopes, struct em_resolver *out,
                            char *seen, size_t seen_sz)
{
    if (seen_sz) seen[0] = '\0';
    memset(out, 0, sizeof *out);
    /* /etc/resolv.conf's nameserver lines, read by hand: res_ninit would do, but its
     * IPv6 entries live in glibc-private fields */
    FILE *f = fopen("/etc/resolv.conf", "r");
    if (!f) return -1;
    char line[512];
    int rc = -1;
    while (fgets(line, sizeof line, f)) {
        char addr[64];
        if (sscanf(line, " nameserver %63s", addr) != 1) continue;
        unsigned char a[16];
        int fam = em_addr_parse(addr, a);
        if (!fam) continue;
        size_t used = strlen(seen);
        if (used + strlen(addr) + 3 < seen_sz) snprintf(seen + used, seen_sz - used, "%s%s", used ? ", " : "", addr);
        if (rc != 0 && em_scope_allows(scopes, n_scopes, fam, a)) {
            out->family = fam;
            memcpy(out->addr, a, 16);
            out->port = 53;
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}
