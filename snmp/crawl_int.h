/* crawl_int.h — the crawler's private state, shared by its three files: crawl.c (the
 * queue, the select loop, answers and neighbours), crawl_sess.c (credentials, the
 * SNMPv3 engine-id probe, opening a session) and crawl_vlan.c (Cisco per-VLAN
 * forwarding-table reads). These and nothing else in the project include net-snmp. */
#ifndef EM_SNMP_CRAWL_INT_H
#define EM_SNMP_CRAWL_INT_H
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <time.h>

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

/* Monotonic time in seconds. */
static inline double em_crawl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- crawl.c ---- */
/* Records a warning for the agent in the result's errors and marks it partial. */
void em_crawl_warn(struct agent *a, const char *kind, const char *msg);
/* Sends the agent's next GETBULK (the columns not done, its VLAN's community or
 * context). False when nothing could be sent (the PDU is freed). */
bool em_crawl_send_next(struct agent *a);
/* net-snmp's callback for every session (magic is the agent). */
int em_crawl_callback(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);

/* ---- crawl_sess.c ---- */
/* Starts an agent: scope gate, credentials, then the v3 probe or the session. False
 * when it cannot start (the agent is failed, with the reason recorded). */
bool em_crawl_start_agent(struct crawl *cr, struct agent *a);
/* The agent's v3 probe socket is readable (or its deadline may have passed). */
void em_crawl_probe_step(struct crawl *cr, struct agent *a, bool readable);
/* Closes the agent's v3 probe socket, if open. */
void em_crawl_probe_close(struct agent *a);

/* ---- crawl_vlan.c ---- */
/* Sets the current VLAN's community@VLAN (v2c) or context vlan-VLAN (v3) on pdu.
 * False when out of memory or the name does not fit. */
bool em_crawl_vlan_pdu(struct agent *a, netsnmp_pdu *pdu);
/* The current VLAN's read failed (why: "no answer", an error status …): recorded,
 * the agent goes on with the next VLAN; two misses in a row end the VLAN reads. */
void em_crawl_vlan_miss(struct agent *a, const char *why);
/* The agent has nothing more to send: starts the next VLAN's read (listing the VLANs
 * first). False when no VLAN is left. */
bool em_crawl_vlan_next(struct crawl *cr, struct agent *a);
/* The plain walk, then each VLAN's forwarding table read, into dev (strings to pool,
 * arrays freed by em_dev_clear). 0 or EM_ERR_NOMEM. */
int em_crawl_decode(struct em_pool *pool, const struct agent *a, struct em_dev *dev);

#endif
