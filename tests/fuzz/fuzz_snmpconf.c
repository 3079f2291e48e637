/* fuzz_snmpconf.c — libFuzzer target: the --snmp-config parser (snmp/conf.c, public
 * entry point em_snmp_conf_parse) and the per-address choice. Errors must be clean
 * (rc < 0 with a message) and must never quote a secret: a value given to community,
 * auth_pass or priv_pass that looks like a password (10+ characters of letters, digits,
 * '-' or '_', with a letter and a digit) must not appear in the message.
 * Seeds: tests/fuzz/corpus/snmpconf/. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/discover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool secret_like(const char *v, size_t n)
{
    bool alpha = false, digit = false;
    if (n < 10) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (isalpha(c)) alpha = true;
        else if (isdigit(c)) digit = true;
        else if (c != '-' && c != '_') return false;
    }
    return alpha && digit;
}

/* aborts when the message quotes a secret-like value of a secret key */
static void check_no_secret(const char *text, size_t len, const char *msg)
{
    static const char *keys[] = {"community", "auth_pass", "priv_pass"};
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *eq = memchr(p, '=', (size_t)(le - p));
        for (size_t k = 0; eq && k < 3; k++) {
            const char *kp = p;
            while (kp < eq && (*kp == ' ' || *kp == '\t')) kp++;
            size_t kl = strlen(keys[k]);
            if ((size_t)(eq - kp) < kl || memcmp(kp, keys[k], kl) != 0) continue;
            const char *v = eq + 1, *ve = le;
            while (v < ve && (*v == ' ' || *v == '\t')) v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r')) ve--;
            size_t vl = (size_t)(ve - v);
            if (!secret_like(v, vl)) continue;
            char buf[256];
            if (vl >= sizeof buf) continue;
            memcpy(buf, v, vl);
            buf[vl] = '\0';
            if (strstr(msg, buf)) abort();
        }
        p = le + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_snmp_conf *c = NULL;
    struct em_err err;
    em_err_clear(&err);
    int rc = em_snmp_conf_parse((const char *)data, size, "fuzz.conf", &c, &err);
    if (rc < 0) {
        if (c || err.msg[0] == '\0') abort();
        check_no_secret((const char *)data, size, err.msg);
        return 0;
    }
    if (rc != 0 || !c) abort();
    static const char *addrs[] = {"10.1.5.9", "192.0.2.1", "2001:db8::1", "10.255.0.1"};
    for (size_t i = 0; i < 4; i++) {
        unsigned char b[16];
        int f = em_addr_parse(addrs[i], b);
        const struct em_cred *cr = em_snmp_conf_pick(c, f, b);
        if (cr && cr->version != 2 && cr->version != 3) abort();
        if (cr && (cr->port < 0 || cr->port > 65535)) abort();
    }
    em_snmp_conf_free(c);
    return 0;
}
