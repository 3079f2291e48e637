/* snmp_conf.c — the --snmp-config format, per-scope choice, mode 600 check, and no
 * secret in any error message. */
#include "tests/unit/t.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapper/lang.h"
#include "snmp/discover.h"

static const char good[] =
    "# survey credentials\n"
    "[default]\n"
    "version = 2c\n"
    "community = pub#lic-x\n"
    "\n"
    "[scope 10.1.0.0/16]\n"
    "version = 3\n"
    "user = edgemap-ro\n"
    "level = authPriv\n"
    "auth = SHA-256\n"
    "auth_pass = authpass-123\n"
    "priv = AES\n"
    "priv_pass = privpass-456\n"
    "[scope 10.1.5.0/24]\n"
    "version = 3\n"
    "user = ward5\n"
    "level = authNoPriv\n"
    "auth = SHA\n"
    "auth_pass = ward5-auth-pass\n"
    "port = 1161\n";

static const struct em_cred *pick(struct em_snmp_conf *c, const char *a)
{
    unsigned char b[16];
    int f = em_addr_parse(a, b);
    return em_snmp_conf_pick(c, f, b);
}

static void parse_and_pick(void)
{
    struct em_snmp_conf *c;
    struct em_err e;
    em_err_clear(&e);
    T_EQ_INT(em_snmp_conf_parse(good, strlen(good), "s.conf", &c, &e), 0);
    const struct em_cred *x = pick(c, "192.168.1.1");
    T_ASSERT(x); T_EQ_INT(x->version, 2); T_EQ_STR(x->community, "pub#lic-x");
    x = pick(c, "10.1.2.3");
    T_EQ_INT(x->version, 3); T_EQ_STR(x->user, "edgemap-ro");
    T_EQ_INT(x->level, EM_SEC_AUTHPRIV); T_EQ_INT(x->auth_proto, EM_AUTH_SHA256); T_EQ_INT(x->priv_proto, EM_PRIV_AES);
    x = pick(c, "10.1.5.9");      /* longest prefix wins */
    T_EQ_STR(x->user, "ward5"); T_EQ_INT(x->level, EM_SEC_AUTHNOPRIV); T_EQ_INT(x->port, 1161);
    em_snmp_conf_free(c);
    /* no [default]: addresses outside every scope get nothing */
    const char *only = "[scope 10.0.0.0/8]\nversion = 2c\ncommunity = abc\n";
    T_EQ_INT(em_snmp_conf_parse(only, strlen(only), "s.conf", &c, &e), 0);
    T_ASSERT(pick(c, "192.168.0.1") == NULL);
    T_ASSERT(pick(c, "10.9.9.9") != NULL);
    em_snmp_conf_free(c);
}

static void bad_files(void)
{
    static const struct { const char *text; long line; } bad[] = {
        {"version = 2c\n", 1},                                        /* before a section */
        {"[default]\nversion = 1\n", 2},                              /* v1 refused */
        {"[default]\nversion = 2c\n", 1},                             /* no community */
        {"[scope 10.1.0.1/16]\nversion = 2c\ncommunity = x\n", 1},    /* host bits */
        {"[default]\nversion = 3\nuser = u\nauth = MD5\n", 4},         /* MD5 not offered */
        {"[default]\nversion = 3\nuser = u\nlevel = authPriv\nauth = SHA\nauth_pass = 12345678\n", 1},
        {"[default]\nversion = 3\nuser = u\nlevel = authNoPriv\nauth = SHA\nauth_pass = short\n", 1},
        {"[default]\ncommunity = topsecret99\nfoo = topsecret99\n", 3},
        {"[defaults]\n", 1},
        /* the separator forgotten, with a secret that holds '=' (base64): the key is
         * named, the value never */
        {"[default]\nversion = 2c\ncommunity topsecret99==\n", 3},
        {"[default]\nversion = 2c\ncommunity: topsecret99=x\n", 3},
        {"[default]\nversion = 2c\ntopsecret99=\n", 3},
        {"[default]\nversion = 2c\ncommunity topsecret99\n", 3},
        {"[default]\nport = 70000\n", 2},
        {"", 0},
    };
    em_lang_set(EM_LANG_EN);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct em_snmp_conf *c = NULL;
        struct em_err e;
        em_err_clear(&e);
        int rc = em_snmp_conf_parse(bad[i].text, strlen(bad[i].text), "s.conf", &c, &e);
        if (rc == 0) T_FAIL("case %zu accepted", i);
        T_ASSERT(c == NULL);
        if (e.row != bad[i].line) T_FAIL("case %zu: line %ld, want %ld (%s)", i, e.row, bad[i].line, e.msg);
        T_ASSERT(strstr(e.msg, "topsecret99") == NULL);
        T_ASSERT(strstr(e.msg, "12345678") == NULL);
        T_ASSERT(strstr(e.msg, "topsecret") == NULL);
        T_ASSERT(strstr(e.file, "s.conf") != NULL);
    }
    /* the key alone is named when it is one we know */
    struct em_snmp_conf *c = NULL;
    struct em_err e;
    em_err_clear(&e);
    const char *t = "[default]\nversion = 2c\ncommunity s3cr=t\n";
    T_ASSERT(em_snmp_conf_parse(t, strlen(t), "s.conf", &c, &e) != 0);
    T_ASSERT(strstr(e.msg, "community") != NULL);
    T_ASSERT(strstr(e.msg, "s3cr") == NULL);
    em_lang_set(EM_LANG_JA);
}

static void file_mode(void)
{
    char path[] = "/tmp/edgemap-conf-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    T_ASSERT(write(fd, good, strlen(good)) == (ssize_t)strlen(good));
    close(fd);
    struct em_snmp_conf *c = NULL;
    struct em_err e;
    chmod(path, 0600);
    em_err_clear(&e);
    int rc600 = em_snmp_conf_load(path, &c, &e);
    em_snmp_conf_free(c);
    c = NULL;
    chmod(path, 0640);
    em_lang_set(EM_LANG_EN);
    em_err_clear(&e);
    int rc640 = em_snmp_conf_load(path, &c, &e);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", e.msg);
    chmod(path, 0604);
    em_err_clear(&e);
    int rc604 = em_snmp_conf_load(path, &c, &e);
    em_lang_set(EM_LANG_JA);
    unlink(path);
    T_EQ_INT(rc600, 0);
    T_ASSERT(rc640 != 0 && rc604 != 0);
    T_ASSERT(c == NULL);
    T_ASSERT(strstr(msg, "chmod 600") != NULL);
    T_ASSERT(strstr(msg, path) != NULL);
    T_ASSERT(strstr(msg, "pub#lic") == NULL);
    em_err_clear(&e);
    T_ASSERT(em_snmp_conf_load("/nonexistent/x.conf", &c, &e) != 0);
}

static void community_conf(void)
{
    struct em_snmp_conf *c = em_snmp_conf_community("envsecret");
    T_ASSERT(c);
    const struct em_cred *x = pick(c, "10.0.0.1");
    T_EQ_INT(x->version, 2); T_EQ_STR(x->community, "envsecret");
    em_snmp_conf_free(c);
    em_snmp_conf_free(NULL);
}

static const struct t_case cases[] = {
    {"conf: sections, longest-prefix scope, '#' inside a secret", parse_and_pick},
    {"conf: bad files are refused with the line, never echoing a secret", bad_files},
    {"conf: group/world-readable file refused, names file and chmod 600", file_mode},
    {"conf: EDGEMAP_SNMP_COMMUNITY as a v2c default", community_conf},
};
T_MAIN(cases)
