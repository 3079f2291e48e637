/* oui.c — the IEEE MA-L registry (ieee-data) read into a sorted array of (prefix,
 * organization), searched by bsearch; the organization found is matched against the
 * router-maker list when looked up. The files are read as untrusted text, capped. */
#include "snmp/oui.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapper/file.h"
#include "mapper/records.h"

struct entry { uint32_t prefix; const char *org; };
struct em_oui {
    struct entry *e; size_t n, cap;
    char *text;                 /* the registry file; org names point into it */
    char **pats; size_t n_pats; /* router-maker patterns (malloc'd) */
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* 6 hex digits, optionally separated by '-' every two: 0 ok. */
static int parse_prefix(const char *s, const char **end, uint32_t *out)
{
    uint32_t v = 0;
    int n = 0;
    while (n < 6) {
        if (*s == '-') { s++; continue; }
        int h = hexv((unsigned char)*s);
        if (h < 0) return -1;
        v = v << 4 | (uint32_t)h;
        n++; s++;
    }
    *out = v;
    *end = s;
    return 0;
}

static bool is_router_maker(const struct em_oui *o, const char *org)
{
    for (size_t i = 0; i < o->n_pats; i++) {
        size_t pl = strlen(o->pats[i]);
        for (const char *s = org; *s; s++)
            if (strncasecmp(s, o->pats[i], pl) == 0) return true;
    }
    return false;
}

static int add(struct em_oui *o, uint32_t prefix, char *org)
{
    while (*org == ' ' || *org == '\t' || *org == '"') org++;
    size_t l = strlen(org);
    while (l && (org[l - 1] == ' ' || org[l - 1] == '\r' || org[l - 1] == '"' || org[l - 1] == '\t')) org[--l] = '\0';
    if (!*org) return 0;
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 4096;
        struct entry *ne = realloc(o->e, nc * sizeof *ne);
        if (!ne) return -1;
        o->e = ne; o->cap = nc;
    }
    o->e[o->n++] = (struct entry){prefix, org};
    return 0;
}

/* One registry line: "00-22-72   (hex)\t\tOrg" or "MA-L,002272,Org,Address". */
static int line(struct em_oui *o, char *s)
{
    uint32_t pfx;
    const char *end;
    if (strncmp(s, "MA-L,", 5) == 0) {
        if (parse_prefix(s + 5, &end, &pfx) != 0 || *end != ',') return 0;
        char *org = (char *)end + 1;
        /* the organization: quoted (may hold commas) or up to the next comma */
        if (*org == '"') {
            char *q = strchr(org + 1, '"');
            if (q) *q = '\0';
        } else {
            char *c = strchr(org, ',');
            if (c) *c = '\0';
        }
        return add(o, pfx, org);
    }
    if (parse_prefix(s, &end, &pfx) != 0) return 0;
    const char *h = strstr(end, "(hex)");
    if (!h) return 0;
    return add(o, pfx, (char *)h + 5);
}

static void load_makers(struct em_oui *o, const char *path)
{
    if (!path) return;  /* no data directory given: no maker is flagged */
    size_t len;
    struct em_err err;
    char *buf = em_file_read(path, 1u << 20, "router makers", &len, &err);
    if (!buf) return;
    bool header = true;
    for (char *save = NULL, *ln = strtok_r(buf, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        if (*ln == '#' || *ln == '\r' || !*ln) continue;
        if (header) { header = false; continue; }
        char *tab = strchr(ln, '\t');
        if (tab) *tab = '\0';
        size_t l = strlen(ln);
        while (l && (ln[l - 1] == '\r' || ln[l - 1] == ' ')) ln[--l] = '\0';
        if (!l) continue;
        char **np = realloc(o->pats, (o->n_pats + 1) * sizeof *np);
        if (!np) break;
        o->pats = np;
        if (!(o->pats[o->n_pats] = strdup(ln))) break;
        o->n_pats++;
    }
    free(buf);
}

struct em_oui *em_oui_load(const char *registry, const char *makers, const char **why)
{
    struct em_oui *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    if (why) *why = NULL;
    load_makers(o, makers);
    const char *cands[3] = {registry, NULL, NULL};
    if (!registry) {
        const char *env = getenv("EDGEMAP_OUI_FILE");
        cands[0] = env && *env ? env : EM_OUI_DEFAULT;
        cands[1] = env && *env ? NULL : "/usr/share/ieee-data/oui.csv";
    }
    size_t len = 0;
    struct em_err err;
    for (int i = 0; i < 3 && cands[i] && !o->text; i++)
        o->text = em_file_read(cands[i], EM_OUI_FILE_MAX, "IEEE OUI registry", &len, &err);
    if (!o->text) {
        if (why) *why = "the IEEE OUI registry was not found (install ieee-data): makers are not known";
        return o;
    }
    for (char *save = NULL, *ln = strtok_r(o->text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save))
        if (line(o, ln) != 0) { em_oui_free(o); return NULL; }
    if (o->n) qsort(o->e, o->n, sizeof *o->e, cmp_entry);   /* no entry: o->e is NULL */
    return o;
}

void em_oui_free(struct em_oui *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->n_pats; i++) free(o->pats[i]);
    free(o->pats);
    free(o->e);
    free(o->text);
    free(o);
}

const char *em_oui_maker(const struct em_oui *o, const unsigned char mac[6], bool *router_maker)
{
    if (router_maker) *router_maker = false;
    if (!o || !o->n || (mac[0] & 0x03)) return NULL;   /* multicast or locally administered */
    struct entry key = {(uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2], NULL};
    const struct entry *hit = bsearch(&key, o->e, o->n, sizeof *o->e, cmp_entry);
    if (!hit) return NULL;
    /* matched here, per lookup: loading stays a plain parse (32,000 names) */
    if (router_maker) *router_maker = is_router_maker(o, hit->org);
    return hit->org;
}

size_t em_oui_count(const struct em_oui *o) { return o ? o->n : 0; }
