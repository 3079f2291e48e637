/* crawl_sess.c — starting an agent: the scope gate (again right before every packet),
 * credentials into a net-snmp session, and the SNMPv3 engine-id discovery done on our
 * own non-blocking UDP socket inside the select loop (v3probe.c builds and parses it),
 * so a dead v3 host never blocks the others. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "snmp/crawl_int.h"

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
    s.callback = em_crawl_callback;
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
        em_crawl_warn(a, "session", "cannot open an SNMP session to this address (check the v3 settings)");
        a->failed = true;
        return false;
    }
    if (!em_crawl_send_next(a)) { em_crawl_warn(a, "transport", "cannot send the first request"); a->failed = true; return false; }
    return true;
}

/* Sends (or resends) the SNMPv3 discovery request on our own UDP socket. */
static bool probe_send(struct crawl *cr, struct agent *a)
{
    if (!em_scope_allows(cr->o->scopes, cr->o->n_scopes, a->family, a->addr)) { a->failed = true; return false; }
    if (a->probe_fd < 0) {
        a->probe_fd = socket(a->family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (a->probe_fd < 0 || a->probe_fd >= FD_SETSIZE) { em_crawl_warn(a, "transport", "no socket for the SNMPv3 probe"); a->failed = true; return false; }
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
        em_crawl_warn(a, "transport", "cannot send the SNMPv3 probe");
        a->failed = true;
        return false;
    }
    a->probe_tries++;
    a->requests++;
    a->probe_deadline = em_crawl_now() + cr->o->timeout_ms / 1000.0;
    return true;
}

void em_crawl_probe_close(struct agent *a)
{
    if (a->probe_fd >= 0) close(a->probe_fd);
    a->probe_fd = -1;
}

/* The probe socket is readable or timed out. */
void em_crawl_probe_step(struct crawl *cr, struct agent *a, bool readable)
{
    if (readable) {
        uint8_t buf[2048];
        for (;;) {
            ssize_t n = recv(a->probe_fd, buf, sizeof buf, 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                em_crawl_probe_close(a); a->failed = true;      /* ECONNREFUSED: nothing listens */
                return;
            }
            if (em_v3probe_parse(buf, (size_t)n, a->probe_id, a->engine, &a->engine_len, &a->boots, &a->etime) == 0) {
                em_crawl_probe_close(a);
                open_session(cr, a);
                return;
            }
        }
    }
    if (a->probe_fd >= 0 && em_crawl_now() >= a->probe_deadline) {
        if (a->probe_tries <= cr->o->retries && probe_send(cr, a)) return;
        em_crawl_probe_close(a);
        a->failed = true;
    }
}

/* Starts an agent: scope gate, credentials, then the v3 probe or the session. The gate
 * is checked here and again right before every packet (probe_send, open_session). */
bool em_crawl_start_agent(struct crawl *cr, struct agent *a)
{
    clock_gettime(CLOCK_MONOTONIC, &a->t0);
    a->st = A_RUN;
    if (!em_scope_allows(cr->o->scopes, cr->o->n_scopes, a->family, a->addr)) {
        cr->gate_refused++;
        em_crawl_warn(a, "out_of_scope", "refused by the scope gate (bug: should have been filtered earlier)");
        a->failed = true;
        return false;
    }
    const struct em_cred *c = em_snmp_conf_pick(cr->o->conf, a->family, a->addr);
    if (!c) {
        em_crawl_warn(a, "no_credentials", "no credentials apply to this address (--snmp-config has no matching [scope] or [default])");
        a->failed = true;
        if (a->key) em_disc_set_reason(cr->d, a->key, "no_credentials");
        return false;
    }
    a->cred = c;
    a->port = c->port ? c->port : cr->o->port;
    if (c->version == 3) {
        if (probe_send(cr, a)) return true;
        em_crawl_probe_close(a);
        a->failed = true;
        return false;
    }
    return open_session(cr, a);
}
