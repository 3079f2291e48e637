/* The finding-code table (mapper/codes.c) against the contract: every code of
 * records.md's "Rules and finding codes" table is in the table with the same severity,
 * and every code in the table is in records.md. records.md is read at test time from
 * ../shared/spec/records.md (CI checks shared/ out beside the repository) or
 * $EM_RECORDS_MD; without it the comparison is skipped, saying why. Also: every code
 * literal in the mapper/ sources is one of the table's. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "mapper/codes.h"
#include "t.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) { free(b); b = NULL; }
            else b = nb;
        }
    }
    fclose(f);
    if (b) b[n] = '\0';
    return b;
}

static const char *spec_path(void)
{
    const char *env = getenv("EM_RECORDS_MD");
    const char *cand[] = {env && *env ? env : "../shared/spec/records.md", env && *env ? env : "../shared/spec/records.md"};
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
        FILE *f = fopen(cand[i], "rb");
        if (f) { fclose(f); return cand[i]; }
    }
    return NULL;
}

static enum em_severity sev_of(const char *s)
{
    return strncmp(s, "error", 5) == 0 ? EM_SEV_ERROR : strncmp(s, "warning", 7) == 0 ? EM_SEV_WARNING : EM_SEV_INFO;
}

static void t_table_matches_records_md(void)
{
    const char *path = spec_path();
    T_ASSERT(path != NULL);
    char *md = slurp(path);
    T_ASSERT(md != NULL);
    /* the table after "## Rules and finding codes": rows "| CODE | severity | when |" */
    char *sec = strstr(md, "## Rules and finding codes");
    T_ASSERT(sec != NULL);
    char *end = strstr(sec + 3, "\n## ");
    if (end) *end = '\0';
    int seen[EM_CODE_COUNT] = {0};
    size_t rows = 0;
    for (char *line = strtok(sec, "\n"); line; line = strtok(NULL, "\n")) {
        char code[64], sev[32];
        if (sscanf(line, "| %63[A-Z0-9-] | %31[a-z] |", code, sev) != 2) continue;
        if (strcmp(code, "code") == 0 || strchr(code, '-') == NULL) continue;
        rows++;
        const struct em_code_def *d = em_code_find(code);
        if (!d) { free(md); T_FAIL("%s (records.md) is not in mapper/codes.c", code); }
        if (d->severity != sev_of(sev)) { free(md); T_FAIL("%s: records.md says %s, the table %s", code, sev, em_severity_name(d->severity)); }
        seen[d - em_code(0)] = 1;
    }
    free(md);
    T_ASSERT(rows >= 20);
    for (size_t i = 0; i < EM_CODE_COUNT; i++) {
        const struct em_code_def *d = em_code((enum em_code)i);
        if (!seen[i] && d->records_md) T_FAIL("%s (mapper/codes.c) is not in records.md", d->code);
        if (seen[i] && !d->records_md) T_FAIL("%s is in records.md but marked as a tool code", d->code);
    }
}

static void t_table_sane(void)
{
    for (size_t i = 0; i < EM_CODE_COUNT; i++) {
        const struct em_code_def *d = em_code((enum em_code)i);
        T_ASSERT(d->code && d->check_ja && d->check_en && *em_code_scope_name(d->scope));
        T_ASSERT(em_code_find(d->code) == d);
        T_ASSERT((d->code[0] == 'E' && d->severity == EM_SEV_ERROR) || d->code[0] != 'E');
    }
    T_ASSERT(em_code_find("E-NO-SUCH") == NULL);
}

/* Every "X-ABC-DEF" literal passed as a finding code in the mapper/ sources is in the table. */
static void t_sources_use_table_codes(void)
{
    DIR *dh = opendir("mapper");
    T_ASSERT(dh != NULL);
    struct dirent *e;
    char bad[700] = "";
    while ((e = readdir(dh)) != NULL && !*bad) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0 || strcmp(e->d_name, "codes.c") == 0) continue;
        char path[512];
        snprintf(path, sizeof path, "mapper/%s", e->d_name);
        char *src = slurp(path);
        if (!src) continue;
        for (char *q = strstr(src, "em_model_add_finding("); q && !*bad; q = strstr(q + 1, "em_model_add_finding(")) {
            char *lit = strchr(q, ',');
            if (!lit) break;
            lit++;
            while (*lit == ' ' || *lit == '\n') lit++;
            char code[64];
            if (*lit != '"' || sscanf(lit + 1, "%63[A-Z0-9-]", code) != 1) continue;
            if (!em_code_find(code)) snprintf(bad, sizeof bad, "%s: %s", path, code);
        }
        free(src);
    }
    closedir(dh);
    if (*bad) T_FAIL("code not in the table: %s", bad);
}

static const struct t_case cases[] = {
    {"codes: table entries complete, lookups by name", t_table_sane},
    {"codes: every code literal in mapper/ is in the table", t_sources_use_table_codes},
};

static const struct t_case spec_case[] = {
    {"codes: the table and records.md list the same codes and severities", t_table_matches_records_md},
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    if (spec_path()) rc |= t_run(spec_case, 1);
    else printf("skip - %s: records.md not found at ../shared/spec/records.md (CI: shared/ beside the checkout; or set EM_RECORDS_MD)\n", spec_case[0].name);
    return rc;
}
