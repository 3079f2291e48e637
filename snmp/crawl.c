/* crawl.c — the SNMP crawler: net-snmp's single-session async API, one select loop,
 * at most max_inflight agents at once, breadth-first over LLDP neighbours' management
 * addresses. Every session open is preceded by the scope gate (em_scope_allows).
 * Each agent is read with GETBULK requests that advance every wanted column at once
 * (scalars ride along as non-repeaters of the first request), so a small device costs
 * one or two round trips. With crawl_sess.c and crawl_vlan.c (crawl_int.h) the only
 * files that include net-snmp. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "mapper/lang.h"
#include "snmp/crawl_int.h"

static long ms_since(const struct timespec *t0)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)((ts.tv_sec - t0->tv_sec) * 1000 + (ts.tv_nsec - t0->tv_nsec) / 1000000);
}

static bool strlist_has(const char **l, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) if (strcmp(l[i], s) == 0) return true;
    return false;
}

static int strlist_add(struct em_pool *p, const char ***l, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        const char **nl = realloc(*l, nc * sizeof *nl);
        if (!nl) return EM_ERR_NOMEM;
        *l = nl; *cap = nc;
    }
    (*l)[(*n)++] = em_pool_str(p, s);
    return 0;
}

void em_crawl_warn(struct agent *a, const char *kind, const char *msg)
{
    a->partial = true;
    em_disc_add_err(a->cr->d, a->txt, NULL, kind, msg);
}

/* queue an agent for addr unless that address is already queued */
static int enqueue(struct crawl *cr, int family, const unsigned char *addr, const char *key,
                   const char *via, int hop)
{
    char txt[64];
    const char *t = em_addr_str(cr->d->pool, family, addr);
    snprintf(txt, sizeof txt, "%s", t);
    if (strlist_has(cr->seen, cr->nseen, txt)) return 0;
    if (strlist_add(cr->d->pool, &cr->seen, &cr->nseen, &cr->capseen, txt)) return EM_ERR_NOMEM;
    struct agent *a = calloc(1, sizeof *a);
    if (!a) return EM_ERR_NOMEM;
    a->cr = cr; a->family = family; memcpy(a->addr, addr, 16);
    snprintf(a->txt, sizeof a->txt, "%s", txt);
    a->key = key; a->via = via; a->hop = hop;
    a->reps = cr->o->max_reps; a->cols_cap = NCOLS;
    a->probe_fd = -1;
    const struct em_walk_root *roots[NCOLS];
    size_t nroots = em_walk_roots_all(roots, NCOLS);
    for (size_t i = 0; i < nroots; i++) {
        struct col *c = &a->cols[a->ncols++];
        c->scalar = roots[i]->scalar;
        uint32_t tmp[MAX_OID_LEN];
        int n = em_oid_parse(roots[i]->oid, tmp, MAX_OID_LEN);
        for (int k = 0; k < n; k++) c->root[k] = tmp[k];
        c->root_len = n > 0 ? (size_t)n : 0;
        /* LLDP columns alone in the first request: the next hop waits on them, and agents
           cap an answer's varbinds (snmpd: 100), so more columns there would cost a round
           trip per hop. CDP rides in the second request; its neighbours are queued when
           the agent is done. */
        c->lldp = roots[i]->nbr && n > 2 && ((tmp[0] == 1 && tmp[1] == 0 && tmp[2] == 8802) || (tmp[1] == 3 && tmp[2] == 111));
        static const uint32_t v1rem[] = {1, 0, 8802, 1, 1, 2, 1, 4, 1, 1};
        static const uint32_t v2root[] = {1, 3, 111, 2, 802, 1, 1, 13};
        c->v1rem = n > 0 && em_oid_has_prefix(tmp, (size_t)n, v1rem, 10);
        c->v2 = n > 0 && em_oid_has_prefix(tmp, (size_t)n, v2root, 8);
        if (c->v2) c->lldp = true;
        c->vtp = n > 0 && em_vtp_is_state(tmp, (size_t)n);
        static const uint32_t bport[] = {1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2}, dfdb[] = {1, 3, 6, 1, 2, 1, 17, 4, 3, 1};
        c->vlan_fdb = n > 0 && (em_oid_has_prefix(tmp, (size_t)n, bport, 11) || em_oid_has_prefix(tmp, (size_t)n, dfdb, 10));
        memcpy(c->last, c->root, c->root_len * sizeof(oid));
        c->last_len = c->root_len;
    }
    if (cr->nq == cr->capq) {
        size_t nc = cr->capq ? cr->capq * 2 : 16;
        struct agent **nq = realloc(cr->q, nc * sizeof *nq);
        if (!nq) { free(a); return EM_ERR_NOMEM; }
        cr->q = nq; cr->capq = nc;
    }
    cr->q[cr->nq++] = a;
    if (key && !strlist_has(cr->pending, cr->npend, key))
        strlist_add(cr->d->pool, &cr->pending, &cr->npend, &cr->cappend, key);
    return 0;
}


static void copy_vb(struct agent *a, const netsnmp_variable_list *v)
{
    uint32_t o[EM_OID_MAX];
    if (v->name_length > EM_OID_MAX) return;
    for (size_t i = 0; i < v->name_length; i++) o[i] = (uint32_t)v->name[i];
    int type = 0; int64_t num = 0;
    const void *val = NULL; size_t len = 0;
    char buf[MAX_OID_LEN * 11 + 2];
    switch (v->type) {
    case ASN_INTEGER: type = EM_VB_INT; num = *v->val.integer; break;
    case ASN_COUNTER: case ASN_GAUGE: case ASN_TIMETICKS:
        type = EM_VB_UINT; num = (int64_t)(uint32_t)*v->val.integer; break;
    case ASN_COUNTER64:
        type = EM_VB_UINT; num = (int64_t)(((uint64_t)v->val.counter64->high << 32) | (v->val.counter64->low & 0xffffffffu)); break;
    case ASN_OCTET_STR: case ASN_OPAQUE: case ASN_BIT_STR:
        type = EM_VB_OCTETS; val = v->val.string; len = v->val_len; break;
    case ASN_IPADDRESS:
        type = EM_VB_IPADDR; val = v->val.string; len = v->val_len == 4 ? 4 : 0; break;
    case ASN_OBJECT_ID: {
        type = EM_VB_OID;
        size_t n = v->val_len / sizeof(oid), o2 = 0;
        for (size_t i = 0; i < n && o2 + 12 < sizeof buf; i++)
            o2 += (size_t)snprintf(buf + o2, sizeof buf - o2, ".%lu", (unsigned long)v->val.objid[i]);
        val = buf; len = o2;
        break;
    }
    case ASN_NULL: type = EM_VB_NULL; break;
    default: return;
    }
    if (em_vblist_add(&a->vbs, o, v->name_length, type, num, val, len) != 0) return;
    if (a->vbs.v[a->vbs.n - 1].cut) {
        char msg[160];
        snprintf(msg, sizeof msg, "oversized value (%zu bytes) cut to %d bytes", len, EM_VB_VALUE_MAX);
        em_crawl_warn(a, "oversized_value", msg);
    }
}

static bool is_exception(const netsnmp_variable_list *v)
{
    return v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE;
}

static void handle_response(struct agent *a, netsnmp_pdu *pdu)
{
    a->got_any = true;
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        if (pdu->errstat == SNMP_ERR_TOOBIG && (a->reps > 1 || a->cols_cap > 1)) {
            if (a->reps > 1) a->reps /= 2; else a->cols_cap = a->cols_cap / 2 ? a->cols_cap / 2 : 1;
            a->need_send = true;   /* the same columns again, smaller */
            if (a->n_req_scalars) a->first_sent = false;   /* and the scalars with them */
            return;
        }
        char msg[200];
        if (a->vlan_cur) {
            snprintf(msg, sizeof msg, "error-status %ld (%s)", pdu->errstat, snmp_errstring((int)pdu->errstat));
            em_crawl_vlan_miss(a, msg);
            return;
        }
        snprintf(msg, sizeof msg, "agent answered with error-status %ld (%s); keeping what was read",
                 pdu->errstat, snmp_errstring((int)pdu->errstat));
        em_crawl_warn(a, "agent_error", msg);
        a->failed = true;
        return;
    }
    size_t nvb = 0, nrep = a->n_req_cols;
    bool progress = false;
    for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, nvb++) {
        struct col *c;
        if (nvb < a->n_req_scalars) c = &a->cols[a->req_cols[nvb]];
        else if (nrep > a->n_req_scalars) c = &a->cols[a->req_cols[a->n_req_scalars + (nvb - a->n_req_scalars) % (nrep - a->n_req_scalars)]];
        else break;
        if (c->done) continue;
        if (is_exception(v) || v->name_length < c->root_len ||
            netsnmp_oid_is_subtree(c->root, c->root_len, v->name, v->name_length) != 0) {
            c->done = true; continue;
        }
        if (snmp_oid_compare(v->name, v->name_length, c->last, c->last_len) <= 0) {
            c->done = true;
            char msg[400], ob[160];
            size_t o2 = 0;
            for (size_t k = 0; k < c->root_len && o2 + 12 < sizeof ob; k++)
                o2 += (size_t)snprintf(ob + o2, sizeof ob - o2, ".%lu", (unsigned long)c->root[k]);
            snprintf(msg, sizeof msg, "OID not increasing in the walk of %s: this column stops here (data partial)", ob);
            em_crawl_warn(a, "oid_not_increasing", msg);
            continue;
        }
        if (v->name_length > MAX_OID_LEN) { c->done = true; continue; }
        memcpy(c->last, v->name, v->name_length * sizeof(oid));
        c->last_len = v->name_length;
        copy_vb(a, v);
        progress = true;
        if (c->scalar) { c->done = true; continue; }
        if (++c->rows >= EM_ROWS_MAX) {
            c->done = true;
            em_crawl_warn(a, "row_cap", "table longer than the row cap: stopped (data partial)");
        }
        if (a->vbs.full) {
            for (size_t i = 0; i < a->ncols; i++) a->cols[i].done = true;
            em_crawl_warn(a, "varbind_cap", "too many values from one agent: stopped (data partial)");
            break;
        }
    }
    /* scalars are asked once */
    for (size_t i = 0; i < a->n_req_scalars; i++) a->cols[a->req_cols[i]].done = true;
    /* LLDP-V2-MIB only where lldpRemTable (V1) is empty: decided on the first answer */
    if (!a->v2_decided) {
        a->v2_decided = true;
        bool v1 = false;
        for (size_t i = 0; i < a->ncols; i++) if (a->cols[i].v1rem && a->cols[i].rows) v1 = true;
        if (v1) for (size_t i = 0; i < a->ncols; i++) if (a->cols[i].v2) a->cols[i].done = true;
    }
    /* CISCO-VTP-MIB only where sysObjectID (a scalar of the first answer) is Cisco's */
    if (!a->vendor_decided) {
        a->vendor_decided = true;
        static const uint32_t sysoid[] = {1, 3, 6, 1, 2, 1, 1, 2, 0};
        for (size_t i = 0; i < a->vbs.n; i++)
            if (a->vbs.v[i].type == EM_VB_OID && em_oid_cmp(a->vbs.v[i].oid, a->vbs.v[i].oid_len, sysoid, 9) == 0)
                a->cisco = em_vlan_is_cisco((const char *)a->vbs.v[i].val);
        if (!a->cisco) for (size_t i = 0; i < a->ncols; i++) if (a->cols[i].vtp) a->cols[i].done = true;
    }
    if (!progress && nvb == 0) {
        em_crawl_warn(a, "empty_response", "empty GETBULK response: stopped");
        a->failed = true;
        return;
    }
    if (a->vlan_cur && progress) a->vlan_misses = 0;
    for (size_t i = 0; i < a->ncols; i++) if (!a->cols[i].done) { a->need_send = true; break; }
}

int em_crawl_callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
    (void)s;
    struct agent *a = magic;
    if (getenv("EM_SNMP_DEBUG"))
        fprintf(stderr, "debug %s op=%d reqid=%d/%d cmd=%d err=%ld\n", a->txt, op, reqid, a->reqid,
                pdu ? pdu->command : -1, pdu ? pdu->errstat : -1L);
    /* net-snmp hands SNMPv3 reports (and security errors) over with reqid 0: one
     * request is outstanding per session, so they belong to it */
    bool report = op == NETSNMP_CALLBACK_OP_SEC_ERROR || (pdu && pdu->command == SNMP_MSG_REPORT);
    if (!a->waiting || (reqid != a->reqid && !report)) return 1;
#ifdef NETSNMP_CALLBACK_OP_RESEND
    if (op == NETSNMP_CALLBACK_OP_RESEND) return 1;   /* a retry is on its way: keep waiting */
#endif
    a->waiting = false;
    if (report) {
        static const char *const why[] = {"", "unsupported security level", "not in time window",
            "unknown user name", "unknown engine id", "wrong digest (authentication passphrase or protocol)",
            "decryption error (privacy passphrase or protocol)"};
        const char *w = "security error";
        if (a->vlan_cur) { em_crawl_vlan_miss(a, "refused (SNMPv3 report: unknown context?)"); return 1; }
        static const oid usm_stats[] = {1, 3, 6, 1, 6, 3, 15, 1, 1};
        if (pdu && pdu->variables && pdu->variables->name_length == 11 &&
            snmp_oid_compare(pdu->variables->name, 9, usm_stats, 9) == 0 &&
            pdu->variables->name[9] >= 1 && pdu->variables->name[9] <= 6)
            w = why[pdu->variables->name[9]];
        char msg[200];
        snprintf(msg, sizeof msg, "SNMPv3 refused by the agent: %s; check the [scope] credentials", w);
        em_crawl_warn(a, "security", msg);
        a->failed = true;
        a->refused = true;
        if (a->key) em_disc_set_reason(a->cr->d, a->key, "auth_failed");
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
        handle_response(a, pdu);
    } else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && a->vlan_cur) {
        em_crawl_vlan_miss(a, "no answer");
    } else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
        if (a->got_any) em_crawl_warn(a, "timeout", "agent stopped answering mid-walk (data partial)");
        a->failed = true;
    } else {
        em_crawl_warn(a, "transport", "send or receive failed");
        a->failed = true;
    }
    return 1;
}

bool em_crawl_send_next(struct agent *a)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
    if (!pdu) return false;
    a->n_req_cols = a->n_req_scalars = 0;
    if (!a->first_sent) {
        for (size_t i = 0; i < a->ncols; i++)
            if (a->cols[i].scalar && !a->cols[i].done) a->req_cols[a->n_req_cols++] = i;
    } else {
        for (size_t i = 0; i < a->ncols; i++) if (a->cols[i].scalar) a->cols[i].done = true;
    }
    a->n_req_scalars = a->n_req_cols;
    /* LLDP columns first, alone in the first request: agents cap a GETBULK answer
     * (snmpd at 100 varbinds), and the neighbours are what the next hop waits for */
    size_t rep = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !a->first_sent) break;
        for (size_t i = 0; i < a->ncols && rep < (size_t)a->cols_cap; i++)
            if (!a->cols[i].scalar && !a->cols[i].done && a->cols[i].lldp == (pass == 0) &&
                (!a->cols[i].v2 || a->v2_decided) && (!a->cols[i].vtp || a->vendor_decided)) {
                a->req_cols[a->n_req_cols++] = i; rep++;
            }
    }
    pdu->non_repeaters = (long)a->n_req_scalars;
    pdu->max_repetitions = a->reps;
    for (size_t i = 0; i < a->n_req_cols; i++) {
        struct col *c = &a->cols[a->req_cols[i]];
        snmp_add_null_var(pdu, c->last, c->last_len);
    }
    if (a->vlan_cur && !em_crawl_vlan_pdu(a, pdu)) { snmp_free_pdu(pdu); return false; }
    int id = snmp_sess_async_send(a->sessp, pdu, em_crawl_callback, a);
    if (id == 0) { snmp_free_pdu(pdu); return false; }
    a->reqid = id;
    a->waiting = true;
    a->first_sent = true;
    a->requests++;
    return true;
}

static bool is_hostname(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
            return false;
    }
    return true;
}

/* A --seed the user typed as a name, through the system resolver (the user's own
 * choice of name and of resolver); names learned from the network never come here
 * (see snmp/resolve.c). Fills up to max addresses; returns the count. */
static size_t resolve(const char *name, int *fam, unsigned char (*addrs)[16], size_t max)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(name, NULL, &hints, &res) != 0) return 0;
    size_t n = 0;
    for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            fam[n] = 4; memset(addrs[n], 0, 16);
            memcpy(addrs[n], &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr, 4); n++;
        } else if (ai->ai_family == AF_INET6) {
            fam[n] = 6;
            memcpy(addrs[n], &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr, 16); n++;
        }
    }
    freeaddrinfo(res);
    return n;
}

static void consider_neighbours(struct crawl *cr, const struct em_dev *dev, int hop)
{
    struct em_disc *d = cr->d;
    for (size_t j = 0; j < dev->n_rems; j++) {
        const struct em_neighbor *r = &dev->rems[j];
        const char *key = em_rem_key(d->pool, r);
        if (!key) continue;
        if (em_disc_rem_target(d, d->pool, r) >= 0) continue;
        if (strlist_has(cr->pending, cr->npend, key) || em_disc_has_reason(d, key)) continue;
        if (cr->o->max_hops && hop + 1 > cr->o->max_hops) { em_disc_set_reason(d, key, "hop_limit"); continue; }
        const struct em_dev_addr *pick = NULL;
        for (int pass = 0; pass < 2 && !pick; pass++)       /* IPv4 first, then IPv6 */
            for (size_t k = 0; k < r->n_mgmt && !pick; k++)
                if (r->mgmt[k].family == (pass ? 6 : 4) &&
                    em_scope_allows(cr->o->scopes, cr->o->n_scopes, r->mgmt[k].family, r->mgmt[k].raw))
                    pick = &r->mgmt[k];
        if (pick) { enqueue(cr, pick->family, pick->raw, key, dev->id, hop + 1); continue; }
        if (r->n_mgmt) { em_disc_set_reason(d, key, "out_of_scope"); continue; }
        /* no advertised address: with --resolve, the sysName at the one DNS server
         * allowed (snmp/resolve.c); the result is queried only in scope */
        int fam[8]; unsigned char addrs[8][16];
        size_t n = cr->o->resolver.family && is_hostname(r->sys_name)
                       ? em_disc_lookup(&cr->o->resolver, r->sys_name, cr->o->timeout_ms, fam, addrs, 8) : 0;
        size_t k;
        for (k = 0; k < n; k++)
            if (em_scope_allows(cr->o->scopes, cr->o->n_scopes, fam[k], addrs[k])) break;
        if (k < n) enqueue(cr, fam[k], addrs[k], key, dev->id, hop + 1);
        else em_disc_set_reason(d, key, n ? "out_of_scope" : "no_address");
    }
}

/* As soon as an agent's LLDP columns are complete, its neighbours are queued: the
 * next hop starts while the rest of its tables (IF-MIB, IP-MIB…) are still walked,
 * so a crawl costs about one round trip per hop instead of a whole agent per hop. */
static void early_dispatch(struct crawl *cr, struct agent *a)
{
    if (a->dispatched || !a->got_any || a->vbs.n == 0) return;
    for (size_t i = 0; i < a->ncols; i++)
        if (a->cols[i].lldp && !a->cols[i].done) return;
    a->dispatched = true;
    struct em_dev dev;
    memset(&dev, 0, sizeof dev);
    dev.queried = a->txt;
    if (em_dev_decode(cr->d->pool, &a->vbs, &dev) == 0) consider_neighbours(cr, &dev, a->hop);
    em_dev_clear(&dev);
}

static void finish_agent(struct crawl *cr, struct agent *a)
{
    a->st = A_DONE;
    cr->done++;
    if (a->sessp) { snmp_sess_close(a->sessp); a->sessp = NULL; }
    struct em_disc *d = cr->d;
    long ms = ms_since(&a->t0);
    const char *status = "ok";
    const char *dev_id = NULL;
    if (a->refused && a->vbs.n == 0) {
        status = "auth_failed";
    } else if (!a->got_any) {
        status = "unreachable";
        if (a->key) em_disc_set_reason(d, a->key, "unreachable");
        bool already = false;
        for (size_t i = 0; i < d->n_errs; i++)
            if (strcmp(d->errs[i].address, a->txt) == 0) already = true;
        if (!already) em_crawl_warn(a, "unreachable", "no answer (timeout): check the address, ACL and credentials");
    } else if (a->vbs.n == 0) {
        status = "error";       /* answered, but nothing usable: no device is invented */
    } else {
        if (a->failed || a->partial) status = "partial";
        struct em_dev dev;
        memset(&dev, 0, sizeof dev);
        dev.queried = em_pool_str(d->pool, a->txt);
        if (em_crawl_decode(d->pool, a, &dev) != 0) { em_dev_clear(&dev); status = "error"; em_crawl_warn(a, "nomem", "out of memory"); }
        else {
            size_t before = d->n_devs;
            long di = em_disc_add_dev(d, &dev);
            if (di >= 0) {
                dev_id = d->devs[di].id;
                if (a->key) em_disc_map_key(d, a->key, (size_t)di);
                if ((size_t)di != before) status = "duplicate";
                else consider_neighbours(cr, &d->devs[di], a->hop);   /* again after an early
                   dispatch: CDP rows came later; known and queued keys are skipped */
            }
        }
    }
    for (size_t i = 0; i < d->n_errs; i++)
        if (!d->errs[i].device && dev_id && strcmp(d->errs[i].address, a->txt) == 0) d->errs[i].device = dev_id;
    if (d->n_times == d->cap_times) {
        size_t nc = d->cap_times ? d->cap_times * 2 : 16;
        struct em_agent_time *nt = realloc(d->times, nc * sizeof *nt);
        if (nt) { d->times = nt; d->cap_times = nc; }
    }
    if (d->n_times < d->cap_times) {
        struct em_agent_time *t = &d->times[d->n_times++];
        t->address = em_pool_str(d->pool, a->txt);
        t->device = dev_id; t->status = status;
        t->ms = ms; t->requests = a->requests; t->varbinds = (long)a->vbs.n;
    }
    em_vblist_free(&a->vbs);
    free(a->vlans); a->vlans = NULL;
    free(a->vr); a->vr = NULL;
}

static bool lib_ready;

static void lib_init(void)
{
    if (lib_ready) return;
    /* numeric OIDs only: no MIB files, no snmp.conf, no ~/.snmp, no persistent state */
    setenv("MIBS", "", 1);
    setenv("MIBDIRS", "/nonexistent-edgemap", 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
    netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
    init_snmp("edgemap");
    lib_ready = true;
}

static void progress(struct crawl *cr, double t0, bool final)
{
    if (!cr->o->progress) return;
    fprintf(stderr, "\r%s %zu, %s %zu, %s %zu, %.1f s   ",
            em_tr("完了", "done"), cr->done, em_tr("問い合わせ中", "in flight"), cr->inflight,
            em_tr("待ち", "queued"), cr->nq - cr->next, em_crawl_now() - t0);
    if (final) fputc('\n', stderr);
}

/* The scopes as text, and every seed resolved and checked against the scopes before the
 * first packet, each queued. Returns 0 or a negative enum em_rc with err filled (a seed
 * that does not resolve or lies outside every scope: nothing has been sent). */
static int add_seeds(struct crawl *cr, struct em_err *err)
{
    struct em_disc *d = cr->d;
    const struct em_disc_opts *o = cr->o;
    d->scopes = calloc(o->n_scopes + 1, sizeof *d->scopes);
    d->seeds = calloc(o->n_seeds + 1, sizeof *d->seeds);
    if (!d->scopes || !d->seeds) return EM_ERR_NOMEM;
    for (size_t i = 0; i < o->n_scopes; i++) {
        d->scopes[i] = em_pool_printf(d->pool, "%s/%d", em_addr_str(d->pool, o->scopes[i].family, o->scopes[i].addr), o->scopes[i].prefix);
    }
    d->n_scopes = o->n_scopes;
    for (size_t i = 0; i < o->n_seeds; i++) {
        d->seeds[i] = em_pool_str(d->pool, o->seeds[i]);
        unsigned char a[16];
        int fam[8]; unsigned char addrs[8][16];
        size_t n;
        int f = em_addr_parse(o->seeds[i], a);
        if (f) { fam[0] = f; memcpy(addrs[0], a, 16); n = 1; }
        else n = is_hostname(o->seeds[i]) ? resolve(o->seeds[i], fam, addrs, 8) : 0;
        if (n == 0)
            return em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s: %s", o->seeds[i],
                              em_tr("アドレスでも解決できる名前でもありません", "not an address or a name that resolves"));
        size_t k;
        for (k = 0; k < n; k++) if (em_scope_allows(o->scopes, o->n_scopes, fam[k], addrs[k])) break;
        if (k == n)
            return em_lang_get() == EM_LANG_EN
                ? em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s (%s) is outside every --scope: nothing was sent",
                             o->seeds[i], em_addr_str(d->pool, fam[0], addrs[0]))
                : em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s (%s) はどの --scope にも入っていません (何も送信していません)",
                             o->seeds[i], em_addr_str(d->pool, fam[0], addrs[0]));
        int rc = enqueue(cr, fam[k], addrs[k], NULL, NULL, 0);
        if (rc != 0) return rc;
    }
    d->n_seeds = o->n_seeds;
    return 0;
}

/* Waits (select) until a running agent's socket is readable or the nearest timeout
 * (a v3 probe's deadline, net-snmp's retransmission, at most 100 ms) has passed.
 * Fills fds with the readable sockets; returns select's result. */
static int wait_events(struct crawl *cr, fd_set *fds)
{
    FD_ZERO(fds);
    int maxfd = 0;
    struct timeval tv = {0, 100000};   /* wake at least every 100 ms */
    double tnow = em_crawl_now();
    for (size_t i = 0; i < cr->nq; i++) {
        struct agent *a = cr->q[i];
        if (a->st != A_RUN || a->probe_fd < 0) continue;
        FD_SET(a->probe_fd, fds);
        if (a->probe_fd + 1 > maxfd) maxfd = a->probe_fd + 1;
        double left = a->probe_deadline - tnow;
        if (left < 0) left = 0;
        struct timeval ptv = {(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)};
        if (timercmp(&ptv, &tv, <)) tv = ptv;
    }
    for (size_t i = 0; i < cr->nq; i++) {
        struct agent *a = cr->q[i];
        if (a->st != A_RUN || !a->sessp) continue;
        int nfds = 0, block = 1;
        struct timeval stv = {0, 0};
        snmp_sess_select_info(a->sessp, &nfds, fds, &stv, &block);
        if (nfds > maxfd) maxfd = nfds;
        if (!block && timercmp(&stv, &tv, <)) tv = stv;
    }
    return select(maxfd, fds, NULL, NULL, &tv);
}

/* After a wait: each running agent's v3 probe and SNMP session read what arrived (n:
 * select's result) and handle their timeouts; then every agent with nothing in flight
 * either sends its next request (the next VLAN's included) or is finished. */
static void service_agents(struct crawl *cr, fd_set *fds, int n)
{
    const struct em_disc_opts *o = cr->o;
    for (size_t i = 0; i < cr->nq; i++) {
        struct agent *a = cr->q[i];
        if (a->st != A_RUN || a->probe_fd < 0) continue;
        em_crawl_probe_step(cr, a, n > 0 && FD_ISSET(a->probe_fd, fds));
    }
    for (size_t i = 0; i < cr->nq; i++) {
        struct agent *a = cr->q[i];
        if (a->st != A_RUN || !a->sessp) continue;
        if (n > 0) snmp_sess_read(a->sessp, fds);
        snmp_sess_timeout(a->sessp);
    }
    for (size_t i = 0; i < cr->nq; i++) {
        struct agent *a = cr->q[i];
        if (a->st != A_RUN) continue;
        bool over = o->agent_deadline_ms > 0 && ms_since(&a->t0) > o->agent_deadline_ms;
        if ((a->waiting || a->probe_fd >= 0) && !over) continue;
        em_crawl_probe_close(a);
        if (over && a->waiting) {
            em_crawl_warn(a, "deadline", "per-agent time limit reached (data partial)");
            a->failed = true;
            a->waiting = false;   /* a late callback from the close finds nothing to do */
        }
        if (!a->failed && !a->need_send && !over) em_crawl_vlan_next(cr, a);
        if (!a->failed && a->need_send) {
            a->need_send = false;
            if (em_crawl_send_next(a)) { early_dispatch(cr, a); continue; }
            em_crawl_warn(a, "transport", "cannot send a request");
            a->failed = true;
        }
        cr->inflight--;
        finish_agent(cr, a);
    }
}

/* Closes every agent's sockets and session and frees the crawl's queues. */
static void free_crawl(struct crawl *cr)
{
    for (size_t i = 0; i < cr->nq; i++) {
        em_crawl_probe_close(cr->q[i]);
        if (cr->q[i]->sessp) snmp_sess_close(cr->q[i]->sessp);
        em_vblist_free(&cr->q[i]->vbs);
        free(cr->q[i]->vlans); free(cr->q[i]->vr);
        free(cr->q[i]);
    }
    free(cr->q); free(cr->seen); free(cr->pending);
}

int em_disc_crawl(struct em_disc *d, const struct em_disc_opts *o, struct em_err *err)
{
    struct crawl cr;
    memset(&cr, 0, sizeof cr);
    cr.d = d; cr.o = o;
    d->mode = "snmp";
    double t0 = em_crawl_now();
    int rc = add_seeds(&cr, err);
    if (rc == 0) {
        lib_init();
        double last_prog = 0;
        while (cr.next < cr.nq || cr.inflight > 0) {
            while (cr.inflight < (size_t)o->max_inflight && cr.next < cr.nq) {
                struct agent *a = cr.q[cr.next++];
                if (em_crawl_start_agent(&cr, a)) cr.inflight++;
                else finish_agent(&cr, a);
            }
            if (cr.inflight == 0) continue;
            fd_set fds;
            int n = wait_events(&cr, &fds);
            service_agents(&cr, &fds, n);
            if (em_crawl_now() - last_prog > 0.2) { progress(&cr, t0, false); last_prog = em_crawl_now(); }
        }
        progress(&cr, t0, true);
        rc = em_disc_finish(d, "not_queried");
    }
    free_crawl(&cr);
    d->elapsed_s = em_crawl_now() - t0;
    return rc;
}
