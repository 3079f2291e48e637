/* crawl.c — the SNMP crawler: net-snmp's single-session async API, one select loop,
 * at most max_inflight agents at once, breadth-first over LLDP neighbours' management
 * addresses. Every session open is preceded by the scope gate (em_scope_allows).
 * Each agent is read with GETBULK requests that advance every wanted column at once
 * (scalars ride along as non-repeaters of the first request), so a small device costs
 * one or two round trips. The only file that includes net-snmp. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

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
#include "snmp/disc_int.h"

#define NCOLS 96

struct col {
    oid root[MAX_OID_LEN]; size_t root_len;
    oid last[MAX_OID_LEN]; size_t last_len;
    bool scalar, done, lldp, v1rem, v2;
    bool vtp;               /* CISCO-VTP-MIB: asked of Cisco devices only */
    bool vlan_fdb;          /* dot1dTpFdb / dot1dBasePortIfIndex: walked again per VLAN */
    size_t rows;
};

enum ast { A_QUEUED, A_RUN, A_DONE };

struct agent {
    struct crawl *cr;
    int family; unsigned char addr[16]; char txt[64];
    const char *key;        /* neighbour key that led here (NULL for seeds) */
    const char *via;        /* device id that advertised it */
    int hop;
    enum ast st;
    void *sessp;
    struct col cols[NCOLS]; size_t ncols;
    size_t req_cols[NCOLS]; size_t n_req_cols, n_req_scalars;
    int reqid;
    bool waiting, need_send, first_sent, got_any, failed, partial, dispatched, refused, v2_decided;
    const struct em_cred *cred; int port;
    /* SNMPv3 engine-id discovery done by us, inside the select loop */
    int probe_fd, probe_tries; int32_t probe_id; double probe_deadline;
    uint8_t engine[32]; size_t engine_len; long boots, etime;
    int reps, cols_cap;
    /* Cisco per-VLAN forwarding tables (vlan.c): after the plain walk, the BRIDGE-MIB
     * columns again for each VLAN, with community@VLAN / context vlan-VLAN. vbs holds
     * the plain walk in [0, base_end), then one range per VLAN (vr). */
    bool vendor_decided, cisco, vlans_listed;
    long *vlans; size_t n_vlans, vlan_next;   /* malloc'd */
    long vlan_cur;                            /* VLAN being read, 0: the plain walk */
    int vlan_misses;                          /* VLANs in a row that got no answer */
    size_t base_end;
    struct vrange { long vlan; size_t from, to; } *vr; size_t n_vr;   /* malloc'd */
    long requests;
    struct timespec t0;
    struct em_vblist vbs;
};

struct crawl {
    struct em_disc *d;
    const struct em_disc_opts *o;
    struct agent **q; size_t nq, capq;      /* all agents, in queue order */
    size_t next;                            /* first not yet started */
    size_t inflight, done;
    const char **seen; size_t nseen, capseen;   /* addresses already queued */
    const char **pending; size_t npend, cappend;/* neighbour keys queued */
    size_t gate_refused;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static void warn(struct agent *a, const char *kind, const char *msg)
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

static int callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);
static void vlan_miss(struct agent *a, const char *why);

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
        warn(a, "oversized_value", msg);
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
            vlan_miss(a, msg);
            return;
        }
        snprintf(msg, sizeof msg, "agent answered with error-status %ld (%s); keeping what was read",
                 pdu->errstat, snmp_errstring((int)pdu->errstat));
        warn(a, "agent_error", msg);
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
            warn(a, "oid_not_increasing", msg);
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
            warn(a, "row_cap", "table longer than the row cap: stopped (data partial)");
        }
        if (a->vbs.full) {
            for (size_t i = 0; i < a->ncols; i++) a->cols[i].done = true;
            warn(a, "varbind_cap", "too many values from one agent: stopped (data partial)");
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
        warn(a, "empty_response", "empty GETBULK response: stopped");
        a->failed = true;
        return;
    }
    if (a->vlan_cur && progress) a->vlan_misses = 0;
    for (size_t i = 0; i < a->ncols; i++) if (!a->cols[i].done) { a->need_send = true; break; }
}

static int callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
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
        if (a->vlan_cur) { vlan_miss(a, "refused (SNMPv3 report: unknown context?)"); return 1; }
        static const oid usm_stats[] = {1, 3, 6, 1, 6, 3, 15, 1, 1};
        if (pdu && pdu->variables && pdu->variables->name_length == 11 &&
            snmp_oid_compare(pdu->variables->name, 9, usm_stats, 9) == 0 &&
            pdu->variables->name[9] >= 1 && pdu->variables->name[9] <= 6)
            w = why[pdu->variables->name[9]];
        char msg[200];
        snprintf(msg, sizeof msg, "SNMPv3 refused by the agent: %s; check the [scope] credentials", w);
        warn(a, "security", msg);
        a->failed = true;
        a->refused = true;
        if (a->key) em_disc_set_reason(a->cr->d, a->key, "auth_failed");
        return 1;
    }
    if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
        handle_response(a, pdu);
    } else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && a->vlan_cur) {
        vlan_miss(a, "no answer");
    } else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
        if (a->got_any) warn(a, "timeout", "agent stopped answering mid-walk (data partial)");
        a->failed = true;
    } else {
        warn(a, "transport", "send or receive failed");
        a->failed = true;
    }
    return 1;
}

/* A VLAN read goes out with community@VLAN (v2c) or context vlan-VLAN (v3) set on the
 * PDU itself (net-snmp fills a PDU's empty community / context from the session and
 * frees what the PDU holds). */
static bool vlan_pdu(struct agent *a, netsnmp_pdu *pdu)
{
    char name[192];
    if (a->cred->version == 3) {
        if (em_vlan_context(name, sizeof name, a->vlan_cur) != 0) return false;
        pdu->contextName = strdup(name);
        if (!pdu->contextName) return false;
        pdu->contextNameLen = strlen(name);
        return true;
    }
    if (em_vlan_community(name, sizeof name, a->cred->community, a->vlan_cur) != 0) return false;
    size_t n = strlen(name);
    pdu->community = malloc(n);
    if (!pdu->community) return false;
    memcpy(pdu->community, name, n);
    pdu->community_len = n;
    return true;
}

/* The current VLAN's read failed (no answer, an error status, a v3 report): recorded,
 * and the crawl of this agent goes on with the next VLAN; after two misses in a row
 * the agent is taken not to serve per-VLAN reads at all and the rest are skipped. */
static void vlan_miss(struct agent *a, const char *why)
{
    char msg[300];
    if (a->cred->version == 3)
        snprintf(msg, sizeof msg, "VLAN %ld: %s with SNMPv3 context vlan-%ld: this VLAN's forwarding table is missing (data partial)",
                 a->vlan_cur, why, a->vlan_cur);
    else
        snprintf(msg, sizeof msg, "VLAN %ld: %s with community@%ld: this VLAN's forwarding table is missing (data partial)",
                 a->vlan_cur, why, a->vlan_cur);
    warn(a, "vlan_unread", msg);
    for (size_t i = 0; i < a->ncols; i++) a->cols[i].done = true;
    a->need_send = false;
    if (++a->vlan_misses >= 2 && a->vlan_next < a->n_vlans) {
        snprintf(msg, sizeof msg, "%zu more VLANs not read: the agent did not answer per-VLAN reads twice in a row",
                 a->n_vlans - a->vlan_next);
        warn(a, "vlan_unread", msg);
        a->vlan_next = a->n_vlans;
    }
}

/* Called when the agent has nothing more to send: closes the current VLAN's range,
 * lists the VLANs on the first call (Cisco only, capped by --max-vlans), and starts
 * the next VLAN's read (the BRIDGE-MIB columns from their roots). False when there is
 * no VLAN left: the agent is done. */
static bool vlan_next(struct crawl *cr, struct agent *a)
{
    if (a->vlan_cur) {
        a->vr[a->n_vr - 1].to = a->vbs.n;
        a->vlan_cur = 0;
    }
    if (!a->cisco || a->failed || a->vbs.full || cr->o->max_vlans < 0) return false;
    if (!a->vlans_listed) {
        a->vlans_listed = true;
        a->base_end = a->vbs.n;
        size_t max = cr->o->max_vlans > 0 ? (size_t)cr->o->max_vlans : EM_VLANS_MAX_DEFAULT, all = 0;
        bool v1;
        a->vlans = malloc(max * sizeof *a->vlans);
        a->vr = malloc(max * sizeof *a->vr);
        if (!a->vlans || !a->vr) { warn(a, "nomem", "out of memory: VLANs not read"); return false; }
        a->n_vlans = em_vtp_vlans(&a->vbs, a->vlans, max, &all, &v1);
        if (all > a->n_vlans) {
            char msg[200];
            snprintf(msg, sizeof msg, "%zu operational VLANs: the forwarding tables of the first %zu were read (--max-vlans)",
                     all + (v1 ? 1 : 0), a->n_vlans + (v1 ? 1 : 0));
            warn(a, "vlan_cap", msg);
        }
    }
    if (a->vlan_next >= a->n_vlans) return false;
    a->vlan_cur = a->vlans[a->vlan_next++];
    a->vr[a->n_vr++] = (struct vrange){a->vlan_cur, a->vbs.n, a->vbs.n};
    for (size_t i = 0; i < a->ncols; i++) {
        struct col *c = &a->cols[i];
        c->done = !c->vlan_fdb;
        memcpy(c->last, c->root, c->root_len * sizeof(oid));
        c->last_len = c->root_len;
        c->rows = 0;
    }
    a->need_send = true;
    return true;
}

static bool send_next(struct agent *a)
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
    if (a->vlan_cur && !vlan_pdu(a, pdu)) { snmp_free_pdu(pdu); return false; }
    int id = snmp_sess_async_send(a->sessp, pdu, callback, a);
    if (id == 0) { snmp_free_pdu(pdu); return false; }
    a->reqid = id;
    a->waiting = true;
    a->first_sent = true;
    a->requests++;
    return true;
}

static void fill_cred(netsnmp_session *s, const struct em_cred *c)
{
    if (c->version == 2) {
        s->version = SNMP_VERSION_2c;
        s->community = (u_char *)(void *)c->community;   /* copied by snmp_sess_open */
        s->community_len = strlen(c->community);
        return;
    }
    s->version = SNMP_VERSION_3;
    /* no synchronous engine-id probe inside snmp_sess_open (it would block the whole
     * loop for timeout x retries per dead v3 host): the first request goes out with an
     * empty engine id, the agent's report carries it, net-snmp resends */
    s->flags |= SNMP_FLAGS_DONT_PROBE;
    s->securityName = (char *)(void *)c->user;
    s->securityNameLen = strlen(c->user);
    s->securityLevel = c->level == EM_SEC_AUTHPRIV ? SNMP_SEC_LEVEL_AUTHPRIV
                     : c->level == EM_SEC_AUTHNOPRIV ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
    if (c->level >= EM_SEC_AUTHNOPRIV) {
        if (c->auth_proto == EM_AUTH_SHA256) {
            s->securityAuthProto = usmHMAC192SHA256AuthProtocol;
            s->securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
        } else {
            s->securityAuthProto = usmHMACSHA1AuthProtocol;
            s->securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
        }
        s->securityAuthKeyLen = USM_AUTH_KU_LEN;
        generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)c->auth_pass, strlen(c->auth_pass),
                    s->securityAuthKey, &s->securityAuthKeyLen);
    }
    if (c->level == EM_SEC_AUTHPRIV) {
        s->securityPrivProto = usmAESPrivProtocol;
        s->securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
        s->securityPrivKeyLen = USM_PRIV_KU_LEN;
        generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
                    (const u_char *)c->priv_pass, strlen(c->priv_pass),
                    s->securityPrivKey, &s->securityPrivKeyLen);
    }
}

/* Opens the net-snmp session (v3: with the engine id we discovered) and sends the
 * first request. */
static bool open_session(struct crawl *cr, struct agent *a)
{
    if (!em_scope_allows(cr->o->scopes, cr->o->n_scopes, a->family, a->addr)) {   /* the gate, again */
        cr->gate_refused++;
        a->failed = true;
        return false;
    }
    netsnmp_session s;
    snmp_sess_init(&s);
    char peer[96];
    if (a->family == 4) snprintf(peer, sizeof peer, "udp:%s:%d", a->txt, a->port);
    else snprintf(peer, sizeof peer, "udp6:[%s]:%d", a->txt, a->port);
    s.peername = peer;
    s.timeout = (long)cr->o->timeout_ms * 1000L;
    s.retries = cr->o->retries;
    s.callback = callback;
    s.callback_magic = a;
    fill_cred(&s, a->cred);
    if (a->cred->version == 3 && a->engine_len) {
        s.securityEngineID = a->engine; s.securityEngineIDLen = a->engine_len;
        s.contextEngineID = a->engine; s.contextEngineIDLen = a->engine_len;
        s.engineBoots = (u_int)a->boots; s.engineTime = (u_int)a->etime;
    }
    a->sessp = snmp_sess_open(&s);
    /* wipe our copies of the keys; the library keeps its own */
    memset(s.securityAuthKey, 0, sizeof s.securityAuthKey);
    memset(s.securityPrivKey, 0, sizeof s.securityPrivKey);
    if (!a->sessp) {
        warn(a, "session", "cannot open an SNMP session to this address (check the v3 settings)");
        a->failed = true;
        return false;
    }
    if (!send_next(a)) { warn(a, "transport", "cannot send the first request"); a->failed = true; return false; }
    return true;
}

/* Sends (or resends) the SNMPv3 discovery request on our own UDP socket. */
static bool probe_send(struct crawl *cr, struct agent *a)
{
    if (!em_scope_allows(cr->o->scopes, cr->o->n_scopes, a->family, a->addr)) { a->failed = true; return false; }
    if (a->probe_fd < 0) {
        a->probe_fd = socket(a->family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (a->probe_fd < 0 || a->probe_fd >= FD_SETSIZE) { warn(a, "transport", "no socket for the SNMPv3 probe"); a->failed = true; return false; }
        struct sockaddr_storage ss;
        socklen_t sl;
        memset(&ss, 0, sizeof ss);
        if (a->family == 4) {
            struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ss;
            sin->sin_family = AF_INET; sin->sin_port = htons((uint16_t)a->port);
            memcpy(&sin->sin_addr, a->addr, 4); sl = sizeof *sin;
        } else {
            struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&ss;
            sin6->sin6_family = AF_INET6; sin6->sin6_port = htons((uint16_t)a->port);
            memcpy(&sin6->sin6_addr, a->addr, 16); sl = sizeof *sin6;
        }
        /* connected: only that address's answers, and ICMP unreachable reported */
        if (connect(a->probe_fd, (struct sockaddr *)(void *)&ss, sl) != 0) { a->failed = true; return false; }
        a->probe_id = (int32_t)(random() & 0x3fffffff) + 1;
    }
    uint8_t msg[256];
    size_t n = em_v3probe_build(msg, sizeof msg, a->probe_id);
    if (n == 0 || send(a->probe_fd, msg, n, 0) != (ssize_t)n) {
        if (errno == ECONNREFUSED) return false;   /* reported below as unreachable */
        warn(a, "transport", "cannot send the SNMPv3 probe");
        a->failed = true;
        return false;
    }
    a->probe_tries++;
    a->requests++;
    a->probe_deadline = now_s() + cr->o->timeout_ms / 1000.0;
    return true;
}

static void probe_close(struct agent *a)
{
    if (a->probe_fd >= 0) close(a->probe_fd);
    a->probe_fd = -1;
}

/* The probe socket is readable or timed out. */
static void probe_step(struct crawl *cr, struct agent *a, bool readable)
{
    if (readable) {
        uint8_t buf[2048];
        for (;;) {
            ssize_t n = recv(a->probe_fd, buf, sizeof buf, 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                probe_close(a); a->failed = true;      /* ECONNREFUSED: nothing listens */
                return;
            }
            if (em_v3probe_parse(buf, (size_t)n, a->probe_id, a->engine, &a->engine_len, &a->boots, &a->etime) == 0) {
                probe_close(a);
                open_session(cr, a);
                return;
            }
        }
    }
    if (a->probe_fd >= 0 && now_s() >= a->probe_deadline) {
        if (a->probe_tries <= cr->o->retries && probe_send(cr, a)) return;
        probe_close(a);
        a->failed = true;
    }
}

/* Starts an agent: scope gate, credentials, then the v3 probe or the session. The gate
 * is checked here and again right before every packet (probe_send, open_session). */
static bool start_agent(struct crawl *cr, struct agent *a)
{
    clock_gettime(CLOCK_MONOTONIC, &a->t0);
    a->st = A_RUN;
    if (!em_scope_allows(cr->o->scopes, cr->o->n_scopes, a->family, a->addr)) {
        cr->gate_refused++;
        warn(a, "out_of_scope", "refused by the scope gate (bug: should have been filtered earlier)");
        a->failed = true;
        return false;
    }
    const struct em_cred *c = em_snmp_conf_pick(cr->o->conf, a->family, a->addr);
    if (!c) {
        warn(a, "no_credentials", "no credentials apply to this address (--snmp-config has no matching [scope] or [default])");
        a->failed = true;
        if (a->key) em_disc_set_reason(cr->d, a->key, "no_credentials");
        return false;
    }
    a->cred = c;
    a->port = c->port ? c->port : cr->o->port;
    if (c->version == 3) {
        if (probe_send(cr, a)) return true;
        probe_close(a);
        a->failed = true;
        return false;
    }
    return open_session(cr, a);
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

/* The plain walk, then each VLAN's forwarding table read, into dev. 0 or EM_ERR_NOMEM. */
static int decode_agent(struct em_pool *pool, const struct agent *a, struct em_dev *dev)
{
    struct em_vblist view = a->vbs;
    if (a->vlans_listed) view.n = a->base_end;
    int rc = em_dev_decode(pool, &view, dev);
    for (size_t i = 0; i < a->n_vr && rc == 0; i++) {
        struct em_vblist one = {a->vbs.v + a->vr[i].from, a->vr[i].to - a->vr[i].from, 0, false};
        if (i + 1 == a->n_vr && a->vlan_cur) one.n = a->vbs.n - a->vr[i].from;   /* cut short */
        if (one.n) rc = em_fdb_add_vlan(pool, &one, dev, a->vr[i].vlan);
    }
    return rc;
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
        if (!already) warn(a, "unreachable", "no answer (timeout): check the address, ACL and credentials");
    } else if (a->vbs.n == 0) {
        status = "error";       /* answered, but nothing usable: no device is invented */
    } else {
        if (a->failed || a->partial) status = "partial";
        struct em_dev dev;
        memset(&dev, 0, sizeof dev);
        dev.queried = em_pool_str(d->pool, a->txt);
        if (decode_agent(d->pool, a, &dev) != 0) { em_dev_clear(&dev); status = "error"; warn(a, "nomem", "out of memory"); }
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
            em_tr("待ち", "queued"), cr->nq - cr->next, now_s() - t0);
    if (final) fputc('\n', stderr);
}

int em_disc_crawl(struct em_disc *d, const struct em_disc_opts *o, struct em_err *err)
{
    struct crawl cr;
    memset(&cr, 0, sizeof cr);
    cr.d = d; cr.o = o;
    d->mode = "snmp";
    double t0 = now_s();
    int rc = 0;

    d->scopes = calloc(o->n_scopes + 1, sizeof *d->scopes);
    d->seeds = calloc(o->n_seeds + 1, sizeof *d->seeds);
    if (!d->scopes || !d->seeds) return EM_ERR_NOMEM;
    for (size_t i = 0; i < o->n_scopes; i++) {
        d->scopes[i] = em_pool_printf(d->pool, "%s/%d", em_addr_str(d->pool, o->scopes[i].family, o->scopes[i].addr), o->scopes[i].prefix);
    }
    d->n_scopes = o->n_scopes;
    /* seeds: resolve and check all of them before the first packet */
    for (size_t i = 0; i < o->n_seeds; i++) {
        d->seeds[i] = em_pool_str(d->pool, o->seeds[i]);
        unsigned char a[16];
        int fam[8]; unsigned char addrs[8][16];
        size_t n;
        int f = em_addr_parse(o->seeds[i], a);
        if (f) { fam[0] = f; memcpy(addrs[0], a, 16); n = 1; }
        else n = is_hostname(o->seeds[i]) ? resolve(o->seeds[i], fam, addrs, 8) : 0;
        if (n == 0) {
            rc = em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s: %s", o->seeds[i],
                            em_tr("アドレスでも解決できる名前でもありません", "not an address or a name that resolves"));
            goto out;
        }
        size_t k;
        for (k = 0; k < n; k++) if (em_scope_allows(o->scopes, o->n_scopes, fam[k], addrs[k])) break;
        if (k == n) {
            rc = em_lang_get() == EM_LANG_EN
                ? em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s (%s) is outside every --scope: nothing was sent",
                             o->seeds[i], em_addr_str(d->pool, fam[0], addrs[0]))
                : em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "--seed %.200s (%s) はどの --scope にも入っていません (何も送信していません)",
                             o->seeds[i], em_addr_str(d->pool, fam[0], addrs[0]));
            goto out;
        }
        if ((rc = enqueue(&cr, fam[k], addrs[k], NULL, NULL, 0)) != 0) goto out;
    }
    d->n_seeds = o->n_seeds;
    lib_init();

    double last_prog = 0;
    while (cr.next < cr.nq || cr.inflight > 0) {
        while (cr.inflight < (size_t)o->max_inflight && cr.next < cr.nq) {
            struct agent *a = cr.q[cr.next++];
            if (start_agent(&cr, a)) cr.inflight++;
            else finish_agent(&cr, a);
        }
        if (cr.inflight == 0) continue;
        fd_set fds;
        FD_ZERO(&fds);
        int maxfd = 0;
        struct timeval tv = {0, 100000};   /* wake at least every 100 ms */
        double tnow = now_s();
        for (size_t i = 0; i < cr.nq; i++) {
            struct agent *a = cr.q[i];
            if (a->st != A_RUN || a->probe_fd < 0) continue;
            FD_SET(a->probe_fd, &fds);
            if (a->probe_fd + 1 > maxfd) maxfd = a->probe_fd + 1;
            double left = a->probe_deadline - tnow;
            if (left < 0) left = 0;
            struct timeval ptv = {(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)};
            if (timercmp(&ptv, &tv, <)) tv = ptv;
        }
        for (size_t i = 0; i < cr.nq; i++) {
            struct agent *a = cr.q[i];
            if (a->st != A_RUN || !a->sessp) continue;
            int nfds = 0, block = 1;
            struct timeval stv = {0, 0};
            snmp_sess_select_info(a->sessp, &nfds, &fds, &stv, &block);
            if (nfds > maxfd) maxfd = nfds;
            if (!block && timercmp(&stv, &tv, <)) tv = stv;
        }
        int n = select(maxfd, &fds, NULL, NULL, &tv);
        for (size_t i = 0; i < cr.nq; i++) {
            struct agent *a = cr.q[i];
            if (a->st != A_RUN || a->probe_fd < 0) continue;
            probe_step(&cr, a, n > 0 && FD_ISSET(a->probe_fd, &fds));
        }
        for (size_t i = 0; i < cr.nq; i++) {
            struct agent *a = cr.q[i];
            if (a->st != A_RUN || !a->sessp) continue;
            if (n > 0) snmp_sess_read(a->sessp, &fds);
            snmp_sess_timeout(a->sessp);
        }
        for (size_t i = 0; i < cr.nq; i++) {
            struct agent *a = cr.q[i];
            if (a->st != A_RUN) continue;
            bool over = o->agent_deadline_ms > 0 && ms_since(&a->t0) > o->agent_deadline_ms;
            if ((a->waiting || a->probe_fd >= 0) && !over) continue;
            probe_close(a);
            if (over && a->waiting) {
                warn(a, "deadline", "per-agent time limit reached (data partial)");
                a->failed = true;
                a->waiting = false;   /* a late callback from the close finds nothing to do */
            }
            if (!a->failed && !a->need_send && !over) vlan_next(&cr, a);
            if (!a->failed && a->need_send) {
                a->need_send = false;
                if (send_next(a)) { early_dispatch(&cr, a); continue; }
                warn(a, "transport", "cannot send a request");
                a->failed = true;
            }
            cr.inflight--;
            finish_agent(&cr, a);
        }
        if (now_s() - last_prog > 0.2) { progress(&cr, t0, false); last_prog = now_s(); }
    }
    progress(&cr, t0, true);
    rc = em_disc_finish(d, "not_queried");
out:
    for (size_t i = 0; i < cr.nq; i++) {
        probe_close(cr.q[i]);
        if (cr.q[i]->sessp) snmp_sess_close(cr.q[i]->sessp);
        em_vblist_free(&cr.q[i]->vbs);
        free(cr.q[i]->vlans); free(cr.q[i]->vr);
        free(cr.q[i]);
    }
    free(cr.q); free(cr.seen); free(cr.pending);
    d->elapsed_s = now_s() - t0;
    return rc;
}
