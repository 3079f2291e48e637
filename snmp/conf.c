/* conf.c — the --snmp-config file: credentials per scope. The file must be private
 * (mode 600): it holds secrets. Secrets never appear in an error message; they are
 * wiped when the configuration is freed.
 *
 *   # comment
 *   [default]
 *   version = 2c
 *   community = s3cret
 *
 *   [scope 10.1.0.0/16]
 *   version = 3
 *   user = edgemap-ro
 *   level = authPriv            # noAuthNoPriv | authNoPriv | authPriv
 *   auth = SHA-256              # SHA | SHA-256
 *   auth_pass = ...
 *   priv = AES
 *   priv_pass = ...
 *   port = 161                  # optional
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapper/lang.h"
#include "snmp/discover.h"

#define CONF_MAX_BYTES (256 * 1024)
#define CONF_MAX_SECTIONS 1024

struct section { bool is_default; struct em_cidr cidr; struct em_cred cred; long line; };

struct em_snmp_conf { struct section *s; size_t n; };

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--) *v++ = 0;
}

void em_snmp_conf_free(struct em_snmp_conf *c)
{
    if (!c) return;
    if (c->s) wipe(c->s, c->n * sizeof *c->s);
    free(c->s);
    wipe(c, sizeof *c);
    free(c);
}

struct em_snmp_conf *em_snmp_conf_community(const char *community)
{
    struct em_snmp_conf *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->s = calloc(1, sizeof *c->s);
    if (!c->s) { free(c); return NULL; }
    c->n = 1;
    c->s[0].is_default = true;
    c->s[0].cred.version = 2;
    snprintf(c->s[0].cred.community, sizeof c->s[0].cred.community, "%s", community);
    return c;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

static int bad(struct em_err *err, const char *name, long line, const char *msg)
{
    return em_err_set(err, EM_ERR_FORMAT, name, "", line, "", "%s", msg);
}

static const char *const keys[] = {"version", "community", "user", "level", "auth",
                                   "auth_pass", "priv", "priv_pass", "port"};

/* A line whose key is not one of ours. What stands before '=' may hold a secret (the
 * separator forgotten: "community s3cr=t", a base64 value ending in '='), so nothing of
 * it is quoted unless its first word is one of our keys: then only that key is named. */
static int bad_key(const char *k, const char *name, long line, struct em_err *err)
{
    size_t w = strcspn(k, " \t:");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == w && strncmp(k, keys[i], w) == 0)
            return em_err_set(err, EM_ERR_FORMAT, name, "", line, "",
                              em_tr("「%s」の後に「=」を書き、その後に値を書いてください（例: %s = …）",
                                    "write '=' between '%s' and its value (e.g. %s = …)"),
                              keys[i], keys[i]);
    return bad(err, name, line, em_tr("不明なキーです（使えるキー: version, community, user, level, auth, auth_pass, "
                                      "priv, priv_pass, port）",
                                      "unknown key (the keys are: version, community, user, level, auth, auth_pass, "
                                      "priv, priv_pass, port)"));
}

static int check_section(const struct section *s, const char *name, struct em_err *err)
{
    const struct em_cred *c = &s->cred;
    if (c->version == 2) {
        if (!c->community[0]) return bad(err, name, s->line, em_tr("version 2c のセクションに community がありません", "a version 2c section has no community"));
        return 0;
    }
    if (c->version != 3) return bad(err, name, s->line, em_tr("version がありません (2c または 3)", "section has no version (2c or 3)"));
    if (!c->user[0]) return bad(err, name, s->line, em_tr("version 3 のセクションに user がありません", "a version 3 section has no user"));
    if (c->level >= EM_SEC_AUTHNOPRIV && (!c->auth_proto || !c->auth_pass[0]))
        return bad(err, name, s->line, em_tr("auth と auth_pass が必要です", "auth and auth_pass are required for this level"));
    if (c->level == EM_SEC_AUTHPRIV && (!c->priv_proto || !c->priv_pass[0]))
        return bad(err, name, s->line, em_tr("authPriv には priv と priv_pass が必要です", "authPriv needs priv and priv_pass"));
    if ((c->auth_pass[0] && strlen(c->auth_pass) < 8) || (c->priv_pass[0] && strlen(c->priv_pass) < 8))
        return bad(err, name, s->line, em_tr("パスフレーズは8文字以上必要です (SNMPv3)", "SNMPv3 passphrases must be at least 8 characters"));
    return 0;
}

static int set_str(char *dst, size_t cap, const char *v, const char *name, long line,
                   struct em_err *err)
{
    size_t n = strlen(v);
    if (n == 0 || n >= cap) return bad(err, name, line, em_tr("値が空か長すぎます", "value is empty or too long"));
    memcpy(dst, v, n + 1);
    return 0;
}

int em_snmp_conf_parse(const char *text, size_t len, const char *name,
                       struct em_snmp_conf **out, struct em_err *err)
{
    *out = NULL;
    if (len > CONF_MAX_BYTES) return em_err_set(err, EM_ERR_LIMIT, name, "", 0, "", "%s", em_tr("設定ファイルが大きすぎます", "configuration file too large"));
    struct em_snmp_conf *c = calloc(1, sizeof *c);
    char *buf = malloc(len + 1);
    int rc = 0;
    if (!c || !buf) { rc = EM_ERR_NOMEM; goto fail; }
    memcpy(buf, text, len); buf[len] = '\0';
    if (memchr(buf, '\0', len)) { rc = bad(err, name, 0, em_tr("テキストファイルではありません", "not a text file")); goto fail; }
    size_t cap = 0;
    long line = 0;
    struct section *cur = NULL;
    char *save = NULL;
    for (char *p = buf; p; p = save) {
        char *nl = strchr(p, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        line++;
        /* '#' comments only as whole lines: a secret may contain '#' */
        char *l = trim(p);
        if (!*l || *l == '#') continue;
        if (*l == '[') {
            char *rb = strchr(l, ']');
            if (!rb || rb[1]) { rc = bad(err, name, line, em_tr("セクション見出しは [default] か [scope CIDR] です", "section headers are [default] or [scope CIDR]")); goto fail; }
            *rb = '\0';
            char *h = trim(l + 1);
            if (c->n >= CONF_MAX_SECTIONS) { rc = em_err_set(err, EM_ERR_LIMIT, name, "", line, "", "%s", em_tr("セクションが多すぎます", "too many sections")); goto fail; }
            if (cur && (rc = check_section(cur, name, err)) != 0) goto fail;
            if (c->n == cap) {
                size_t nc = cap ? cap * 2 : 4;
                struct section *ns = calloc(nc, sizeof *ns);
                if (!ns) { rc = EM_ERR_NOMEM; goto fail; }
                if (c->s) { memcpy(ns, c->s, c->n * sizeof *ns); wipe(c->s, c->n * sizeof *ns); free(c->s); }
                c->s = ns; cap = nc;
            }
            cur = &c->s[c->n++];
            memset(cur, 0, sizeof *cur);
            cur->line = line;
            if (strcmp(h, "default") == 0) {
                cur->is_default = true;
            } else if (strncmp(h, "scope", 5) == 0 && (h[5] == ' ' || h[5] == '\t')) {
                if (em_cidr_parse(trim(h + 5), &cur->cidr) != 0) { rc = bad(err, name, line, em_tr("scope の CIDR が読めません (例: 10.1.0.0/16)", "cannot read the scope CIDR (e.g. 10.1.0.0/16)")); goto fail; }
            } else { rc = bad(err, name, line, em_tr("セクション見出しは [default] か [scope CIDR] です", "section headers are [default] or [scope CIDR]")); goto fail; }
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq) {
            size_t w = strcspn(l, " \t:");
            bool known = false;
            for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) known = known || (strlen(keys[i]) == w && strncmp(l, keys[i], w) == 0);
            if (known) l[w] = '\0';   /* the key alone, never the value after it */
            rc = known ? bad_key(l, name, line, err)
                       : bad(err, name, line, em_tr("「キー = 値」の形式ではありません", "expected 'key = value'"));
            goto fail;
        }
        if (!cur) { rc = bad(err, name, line, em_tr("最初に [default] か [scope CIDR] を書いてください", "put [default] or [scope CIDR] before settings")); goto fail; }
        *eq = '\0';
        char *k = trim(l), *v = trim(eq + 1);
        struct em_cred *cr = &cur->cred;
        if (strcmp(k, "version") == 0) {
            if (strcmp(v, "2c") == 0 || strcmp(v, "2") == 0) cr->version = 2;
            else if (strcmp(v, "3") == 0) { cr->version = 3; if (!cr->level) cr->level = EM_SEC_AUTHPRIV; }
            else { rc = bad(err, name, line, em_tr("version は 2c か 3 です (v1 は使えません)", "version must be 2c or 3 (v1 is not supported)")); goto fail; }
        } else if (strcmp(k, "community") == 0) {
            if ((rc = set_str(cr->community, sizeof cr->community, v, name, line, err))) goto fail;
        } else if (strcmp(k, "user") == 0) {
            if ((rc = set_str(cr->user, sizeof cr->user, v, name, line, err))) goto fail;
        } else if (strcmp(k, "level") == 0) {
            if (strcasecmp(v, "noAuthNoPriv") == 0) cr->level = EM_SEC_NOAUTH;
            else if (strcasecmp(v, "authNoPriv") == 0) cr->level = EM_SEC_AUTHNOPRIV;
            else if (strcasecmp(v, "authPriv") == 0) cr->level = EM_SEC_AUTHPRIV;
            else { rc = bad(err, name, line, em_tr("level は noAuthNoPriv / authNoPriv / authPriv です", "level must be noAuthNoPriv, authNoPriv or authPriv")); goto fail; }
        } else if (strcmp(k, "auth") == 0) {
            if (strcasecmp(v, "SHA") == 0 || strcasecmp(v, "SHA1") == 0) cr->auth_proto = EM_AUTH_SHA;
            else if (strcasecmp(v, "SHA-256") == 0 || strcasecmp(v, "SHA256") == 0) cr->auth_proto = EM_AUTH_SHA256;
            else { rc = bad(err, name, line, em_tr("auth は SHA か SHA-256 です", "auth must be SHA or SHA-256")); goto fail; }
        } else if (strcmp(k, "priv") == 0) {
            if (strcasecmp(v, "AES") == 0 || strcasecmp(v, "AES-128") == 0) cr->priv_proto = EM_PRIV_AES;
            else { rc = bad(err, name, line, em_tr("priv は AES です", "priv must be AES")); goto fail; }
        } else if (strcmp(k, "auth_pass") == 0) {
            if ((rc = set_str(cr->auth_pass, sizeof cr->auth_pass, v, name, line, err))) goto fail;
        } else if (strcmp(k, "priv_pass") == 0) {
            if ((rc = set_str(cr->priv_pass, sizeof cr->priv_pass, v, name, line, err))) goto fail;
        } else if (strcmp(k, "port") == 0) {
            char *end; errno = 0;
            long pn = strtol(v, &end, 10);
            if (errno || end == v || *end || pn < 1 || pn > 65535) { rc = bad(err, name, line, em_tr("port は 1〜65535 です", "port must be 1-65535")); goto fail; }
            cr->port = (int)pn;
        } else {
            rc = bad_key(k, name, line, err);
            goto fail;
        }
    }
    if (cur && (rc = check_section(cur, name, err)) != 0) goto fail;
    if (c->n == 0) { rc = bad(err, name, 0, em_tr("[default] か [scope CIDR] のセクションがありません", "no [default] or [scope CIDR] section")); goto fail; }
    wipe(buf, len); free(buf);
    *out = c;
    return 0;
fail:
    if (buf) { wipe(buf, len); free(buf); }
    em_snmp_conf_free(c);
    return rc ? rc : EM_ERR_FORMAT;
}

int em_snmp_conf_load(const char *path, struct em_snmp_conf **out, struct em_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s: %s", em_tr("開けません", "cannot open"), strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { close(fd); return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", em_tr("通常のファイルではありません", "not a regular file")); }
    if (st.st_mode & 077) {
        close(fd);
        unsigned mode = (unsigned)(st.st_mode & 0777);
        return em_lang_get() == EM_LANG_EN
            ? em_err_set(err, EM_ERR_USAGE, path, "", 0, "",
                  "the SNMP credentials file is readable by group or others (mode %03o): run chmod 600 %s", mode, path)
            : em_err_set(err, EM_ERR_USAGE, path, "", 0, "",
                  "SNMP 認証情報のファイルがグループまたは他のユーザーから読めます (mode %03o)。chmod 600 %s を実行してください", mode, path);
    }
    if (st.st_size > CONF_MAX_BYTES) { close(fd); return em_err_set(err, EM_ERR_LIMIT, path, "", 0, "", "%s", em_tr("設定ファイルが大きすぎます", "configuration file too large")); }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) { close(fd); return EM_ERR_NOMEM; }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    int rc = em_snmp_conf_parse(buf, got, path, out, err);
    wipe(buf, n); free(buf);
    return rc;
}

const struct em_cred *em_snmp_conf_pick(const struct em_snmp_conf *c, int family,
                                        const unsigned char *addr)
{
    if (!c) return NULL;
    const struct section *best = NULL, *def = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const struct section *s = &c->s[i];
        if (s->is_default) { if (!def) def = s; continue; }
        if (em_cidr_contains(&s->cidr, family, addr) && (!best || s->cidr.prefix > best->cidr.prefix)) best = s;
    }
    if (best) return &best->cred;
    return def ? &def->cred : NULL;
}
