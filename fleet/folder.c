/* folder.c — one hospital's folder: which files are its inputs (workbooks and CSV,
 * nmap XML, DISC.json, hospital-id.txt), their content hash, the model built from them
 * the way `edgemap check` builds it, the hospital's stable id, and the company a
 * remote party belongs to. */
#include "fleet/fleet.h"

#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mapper/discovered.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
/* The vendor review's company key (mapper/party.c, from the diagram branch): used as soon
 * as it is in the tree, so fleet and each hospital's report group parties alike. */
#if defined(__has_include)
#if __has_include("mapper/party.h")
#include "mapper/party.h"
#define EM_FLEET_PARTY_KEY 1
#endif
#endif
#include "mapper/records.h"
#include "mapper/scan.h"

#define MAX_FILES 256
#define EM_FLEET_MAX_INPUT (256u << 20)

void em_fleet_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && g_ascii_strcasecmp(s + a - b, suf) == 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void em_fleet_folder_free(struct em_fleet_folder *f)
{
    for (size_t i = 0; i < f->n_all; i++) free(f->all[i]);
    free(f->all);
    free(f->records);
    free(f->scans);
    memset(f, 0, sizeof *f);
}

/* Reads hospital-id.txt: first non-blank line, trimmed; letters, digits, . _ - only. */
static int read_id(const char *path, char out[72], struct em_err *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", strerror(errno));
    char line[256] = "";
    while (fgets(line, sizeof line, fp)) {
        g_strstrip(line);
        if (*line) break;
    }
    fclose(fp);
    size_t n = strlen(line);
    if (n == 0 || n > 64)
        return em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                          em_tr("医療機関IDは1～64文字で書いてください", "the hospital id must be 1-64 characters"));
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(line[i]) && line[i] != '.' && line[i] != '_' && line[i] != '-')
            return em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                              em_tr("医療機関IDに使えるのは英数字と . _ - だけです",
                                    "the hospital id may hold letters, digits, '.', '_' and '-' only"));
    memcpy(out, line, n + 1);
    return 0;
}

int em_fleet_folder_scan(const char *dir, struct em_fleet_folder *f, struct em_err *err)
{
    memset(f, 0, sizeof *f);
    DIR *d = opendir(dir);
    if (!d) return em_err_set(err, EM_ERR_IO, dir, "", 0, "", "%s", strerror(errno));
    f->all = calloc(MAX_FILES, sizeof *f->all);
    f->records = calloc(MAX_FILES, sizeof *f->records);
    f->scans = calloc(MAX_FILES, sizeof *f->scans);
    if (!f->all || !f->records || !f->scans) {
        closedir(d);
        em_fleet_folder_free(f);
        return em_err_set(err, EM_ERR_NOMEM, dir, "", 0, "", "out of memory");
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL && rc == 0) {
        const char *n = e->d_name;
        /* hidden files and Excel's lock files (~$book.xlsx) are not inputs */
        if (n[0] == '.' || (n[0] == '~' && n[1] == '$')) continue;
        bool rec = ends_with(n, ".xlsx") || ends_with(n, ".xlsm") || ends_with(n, ".csv");
        bool xml = ends_with(n, ".xml"), json = ends_with(n, ".json");
        bool idf = g_ascii_strcasecmp(n, "hospital-id.txt") == 0;
        if (!rec && !xml && !json && !idf) continue;
        char *full = g_build_filename(dir, n, NULL);
        struct stat sb;
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            g_free(full);
            continue;
        }
        if (f->n_all >= MAX_FILES) {
            g_free(full);
            rc = em_err_set(err, EM_ERR_LIMIT, dir, "", 0, "",
                            em_tr("フォルダの入力ファイルが多すぎます（%d件まで）", "too many input files in the folder (at most %d)"),
                            MAX_FILES);
            break;
        }
        char *copy = strdup(full);
        g_free(full);
        if (!copy) {
            rc = em_err_set(err, EM_ERR_NOMEM, dir, "", 0, "", "out of memory");
            break;
        }
        f->all[f->n_all++] = copy;
    }
    closedir(d);
    if (rc) {
        em_fleet_folder_free(f);
        return rc;
    }
    qsort(f->all, f->n_all, sizeof *f->all, cmp_str);
    for (size_t i = 0; i < f->n_all && rc == 0; i++) {
        const char *p = f->all[i];
        const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
        if (ends_with(p, ".xlsx") || ends_with(p, ".xlsm") || ends_with(p, ".csv")) {
            f->records[f->n_records++] = f->all[i];
        } else if (ends_with(p, ".xml")) {
            f->scans[f->n_scans++] = f->all[i];
        } else if (ends_with(p, ".json")) {
            if (f->discovered)
                rc = em_err_set(err, EM_ERR_USAGE, p, "", 0, "",
                                em_tr("DISC.json は1フォルダに1つだけ置いてください（%s もあります）",
                                      "put one DISC.json per folder (there is also %s)"),
                                f->discovered);
            f->discovered = f->all[i];
        } else if (g_ascii_strcasecmp(base, "hospital-id.txt") == 0) {
            rc = read_id(p, f->id, err);
        }
    }
    if (rc == 0 && f->n_records == 0)
        rc = em_err_set(err, EM_ERR_NOSHEET, dir, "", 0, "", "%s",
                        em_tr("記入シート（.xlsx または .csv）がありません", "no records workbook (.xlsx or .csv) in the folder"));
    if (rc) em_fleet_folder_free(f);
    return rc;
}

/* SHA-256 of one file into hex; *bytes its size. */
static int file_sha(const char *path, char hex[65], long long *bytes, struct em_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", strerror(errno));
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buf[65536];
    size_t n;
    long long total = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        g_checksum_update(c, buf, (gssize)n);
        total += (long long)n;
        if (total > (long long)EM_FLEET_MAX_INPUT) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad || total > (long long)EM_FLEET_MAX_INPUT) {
        g_checksum_free(c);
        return em_err_set(err, bad ? EM_ERR_IO : EM_ERR_LIMIT, path, "", 0, "", "%s",
                          bad ? strerror(errno) : em_tr("ファイルが大きすぎます", "file too large"));
    }
    snprintf(hex, 65, "%s", g_checksum_get_string(c));
    g_checksum_free(c);
    if (bytes) *bytes = total;
    return 0;
}

/* The folder hash, and each file's hash and size when sha/bytes are given. */
static int folder_hash(const struct em_fleet_folder *f, char hex[65], char (*sha)[65], long long *bytes,
                       struct em_err *err)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    for (size_t i = 0; i < f->n_all; i++) {
        char h[65];
        long long b = 0;
        if (file_sha(f->all[i], h, &b, err) != 0) {
            g_checksum_free(c);
            return err->rc;
        }
        const char *base = strrchr(f->all[i], '/') ? strrchr(f->all[i], '/') + 1 : f->all[i];
        g_checksum_update(c, (const guchar *)base, (gssize)strlen(base) + 1);
        g_checksum_update(c, (const guchar *)h, 64);
        if (sha) memcpy(sha[i], h, 65);
        if (bytes) bytes[i] = b;
    }
    snprintf(hex, 65, "%s", g_checksum_get_string(c));
    g_checksum_free(c);
    return 0;
}

int em_fleet_folder_hash(const struct em_fleet_folder *f, char hex[65], struct em_err *err)
{
    return folder_hash(f, hex, NULL, NULL, err);
}

int em_fleet_folder_hashes(const struct em_fleet_folder *f, char hex[65], char (*sha)[65], long long *bytes,
                           struct em_err *err)
{
    return folder_hash(f, hex, sha, bytes, err);
}

int em_fleet_folder_load(const struct em_fleet_folder *f, const char *data_dir, const char *survey_date,
                         struct em_model **out, struct em_err *err)
{
    *out = NULL;
    struct em_model *m = em_model_new();
    if (!m) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
    if (survey_date) m->survey_date = em_pool_str(m->pool, survey_date);
    int rc = 0;
    for (size_t i = 0; i < f->n_records && rc == 0; i++) {
        rc = em_records_load(m, f->records[i], err);
        if (rc && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", f->records[i]);
    }
    if (rc == 0) rc = em_model_finish(m, data_dir, err);
    /* discovery first: it may add devices the scans then find (as cmd/common.c) */
    if (rc == 0 && f->discovered) rc = em_discovered_merge(m, f->discovered, err);
    for (size_t i = 0; rc == 0 && i < f->n_scans; i++) rc = em_scan_load(m, f->scans[i], err);
    if (rc) {
        em_model_free(m);
        return rc;
    }
    em_model_sort_findings(m);
    *out = m;
    return 0;
}

static void sha_hex16(const char *text, char out[17])
{
    gchar *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
    snprintf(out, 17, "%s", h);
    g_free(h);
}

void em_fleet_hospital_id(const struct em_model *m, const char *explicit_id, const char *folder, char out[72],
                          const char **source)
{
    if (explicit_id && *explicit_id) {
        snprintf(out, 72, "%s", explicit_id);
        *source = "file";
        return;
    }
    char h[17];
    if (m && m->site.name && *m->site.name) {
        char name[512], addr[512];
        em_norm_compact(m->site.name, strlen(m->site.name), name, sizeof name);
        const char *a = m->site.address ? m->site.address : "";
        em_norm_compact(a, strlen(a), addr, sizeof addr);
        char *key = g_strconcat(name, "\x1f", addr, NULL);
        sha_hex16(key, h);
        g_free(key);
        snprintf(out, 72, "h-%s", h);
        *source = "name+address";
        return;
    }
    char base[512];
    em_norm_compact(folder, strlen(folder), base, sizeof base);
    sha_hex16(base, h);
    snprintf(out, 72, "d-%s", h);
    *source = "folder";
}

void em_fleet_party_key(const char *party, char *buf, size_t size)
{
    em_norm_compact(party, strlen(party), buf, size);
}

/* Removes every occurrence of word (ASCII case-insensitive) from s in place. */
static void drop_word(char *s, const char *word)
{
    size_t wl = strlen(word);
    for (char *p = s; *p;) {
        if (g_ascii_strncasecmp(p, word, wl) == 0) memmove(p, p + wl, strlen(p + wl) + 1);
        else p++;
    }
}

void em_fleet_company(const char *party, char *buf, size_t size)
{
#ifdef EM_FLEET_PARTY_KEY
    char *key = em_party_company(party ? party : "");
    snprintf(buf, size, "%s", key ? key : "");
    g_free(key);
    return;
#endif
    static const char *const legal[] = {
        "株式会社", "(株)", "㈱", "有限会社", "(有)", "合同会社", "一般社団法人", "一般財団法人", "公益財団法人",
        "co.,ltd.", "co., ltd.", "co.,ltd", "co.ltd.", "ltd.", "inc.", "corporation", "corp.", "k.k.",
    };
    /* where the company's name ends and its site begins */
    static const char *const site[] = {
        "データセンター", "データセンタ", "保守センター", "サポートセンター", "センター", "支店", "支社", "営業所", "事業所", "サポート", "保守窓口",
        "dc", "iDC",
    };
    gchar *n = g_utf8_normalize(party ? party : "", -1, G_NORMALIZE_NFKC);
    if (!n) {
        snprintf(buf, size, "%s", "");
        return;
    }
    for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++) drop_word(n, legal[i]);
    g_strstrip(n);
    /* the site part: after the first space, or from a site word on */
    size_t cut = strlen(n);
    char *sp = strpbrk(n, " \t");
    if (sp && sp - n >= 2) cut = (size_t)(sp - n);
    /* a name that starts with a site word ("データセンター東") is a site's own name */
    bool site_name = false;
    for (size_t i = 0; i < sizeof site / sizeof site[0]; i++)
        site_name |= g_ascii_strncasecmp(n, site[i], strlen(site[i])) == 0 && !g_ascii_isalpha(site[i][0]);
    for (size_t i = 0; !site_name && i < sizeof site / sizeof site[0]; i++) {
        size_t wl = strlen(site[i]);
        for (size_t k = 1; k + wl <= cut; k++) {   /* never at 0: "データセンター東" stays itself */
            if (g_ascii_strncasecmp(n + k, site[i], wl) == 0) {
                /* an ASCII site word must start a word ("dc" not inside "abcdc") */
                if (g_ascii_isalpha(site[i][0]) && g_ascii_isalnum(n[k - 1])) continue;
                cut = k;
                break;
            }
        }
    }
    n[cut] = '\0';
    g_strstrip(n);
    em_norm_compact(n, strlen(n), buf, size);
    if (!*buf) em_norm_compact(party ? party : "", party ? strlen(party) : 0, buf, size);
    g_free(n);
}

bool em_fleet_is_isp(const char *party, const char *provider)
{
    if (!party || !*party) return false;
#ifdef EM_FLEET_PARTY_KEY
    return em_party_is_isp(party, provider);
#endif
    char a[256], b[256];
    if (provider && *provider) {
        em_fleet_company(party, a, sizeof a);
        em_fleet_company(provider, b, sizeof b);
        if (*a && strcmp(a, b) == 0) return true;
    }
    em_norm_compact(party, strlen(party), a, sizeof a);
    return strstr(a, "isp") != NULL || strstr(a, "プロバイダ") != NULL;
}
