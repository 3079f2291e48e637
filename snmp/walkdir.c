/* walkdir.c — `discover --from-walk DIR`: one dump per regular file, each decoded
 * like a live agent's answer, then deduplicated and linked the same way. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mapper/file.h"
#include "mapper/lang.h"
#include "snmp/disc_int.h"

#define WALK_FILE_MAX (64L * 1024 * 1024)
#define WALK_FILES_MAX 10000

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_file(const char *path, char **out, size_t *len, struct em_err *err)
{
    *out = em_file_read(path, WALK_FILE_MAX, em_tr("walk ダンプ", "walk dump"), len, err);
    return *out ? 0 : (err && err->rc ? err->rc : EM_ERR_IO);
}

/* A per-VLAN dump of a Cisco switch is named like its plain dump with "@VLAN" before
 * the extension (sw1.walk + sw1@20.walk, as `snmpbulkwalk -c public@20` reads it).
 * Returns the VLAN (1..4094) and the plain dump's name in base, or 0 for a plain dump. */
static long vlan_name(const char *name, char *base, size_t cap)
{
    const char *at = strrchr(name, '@');
    if (!at) return 0;
    const char *e = at + 1;
    long vlan = 0;
    while (*e >= '0' && *e <= '9' && vlan <= 4094) vlan = vlan * 10 + (*e++ - '0');
    if (e == at + 1 || vlan < 1 || vlan > 4094 || (*e && *e != '.')) return 0;
    int n = snprintf(base, cap, "%.*s%s", (int)(at - name), name, e);
    return n > 0 && (size_t)n < cap ? vlan : 0;
}

/* Reads and parses one dump into vbs: 0, 1 when name is not a regular file (skipped),
 * or a negative error code with err filled. */
static int load(struct em_disc *d, const char *dir, const char *name, struct em_vblist *vbs, struct em_err *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) return 1;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 1;
    char *buf = NULL; size_t len = 0;
    int rc = read_file(path, &buf, &len, err);
    if (rc) return rc;
    rc = em_walk_parse(buf, len, path, vbs, err);
    free(buf);
    if (rc == 0 && vbs->full)
        em_disc_add_err(d, name, NULL, "varbind_cap", "more lines than the cap: the rest of this dump was not read (data partial)");
    return rc;
}

/* The per-VLAN dumps, after every plain one: each one's forwarding table joins the
 * device read from its plain dump (names[i], sorted, with dev[i] its device index, -1
 * none). */
static int vlan_dumps(struct em_disc *d, const char *dir, char **names, const long *dev, size_t n, struct em_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char base[1024];
        long vlan = vlan_name(names[i], base, sizeof base);
        if (!vlan) continue;
        const char *key = base;
        char **hit = bsearch(&key, names, n, sizeof *names, cmp_str);
        long di = hit ? dev[hit - names] : -1;
        if (di < 0) {
            em_disc_add_err(d, names[i], NULL, "vlan_walk_orphan",
                            em_pool_printf(d->pool, "per-VLAN dump without its device's plain dump %s: not read", base));
            continue;
        }
        struct em_vblist vbs = {0};
        rc = load(d, dir, names[i], &vbs, err);
        if (rc == 0) rc = em_fdb_add_vlan(d->pool, &vbs, &d->devs[di], vlan);
        else if (rc == 1) rc = 0;
        em_vblist_free(&vbs);
    }
    return rc;
}

int em_disc_from_walk(struct em_disc *d, const char *dir, struct em_err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    d->mode = "walk";
    DIR *dh = opendir(dir);
    if (!dh) return em_err_set(err, EM_ERR_IO, dir, "", 0, "", "%s: %s", em_tr("ディレクトリを開けません", "cannot open directory"), strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.') continue;
        if (n >= WALK_FILES_MAX) { rc = em_err_set(err, EM_ERR_LIMIT, dir, "", 0, "", "%s", em_tr("ファイルが多すぎます", "too many files")); break; }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) { rc = EM_ERR_NOMEM; break; }
            names = nn; cap = nc;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) { rc = EM_ERR_NOMEM; break; }
        n++;
    }
    closedir(dh);
    if (!rc && n > 1) qsort(names, n, sizeof *names, cmp_str);
    size_t files = 0;
    long *devi = rc ? NULL : malloc((n ? n : 1) * sizeof *devi);
    if (!rc && !devi) rc = EM_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        char base[1024];
        devi[i] = -1;
        if (vlan_name(names[i], base, sizeof base)) continue;    /* after the plain dumps */
        struct em_vblist vbs = {0};
        rc = load(d, dir, names[i], &vbs, err);
        if (rc) { em_vblist_free(&vbs); if (rc == 1) { rc = 0; continue; } break; }
        struct em_dev dev;
        memset(&dev, 0, sizeof dev);
        dev.queried = em_pool_str(d->pool, names[i]);
        rc = em_dev_decode(d->pool, &vbs, &dev);
        em_vblist_free(&vbs);
        if (rc) { em_dev_clear(&dev); break; }
        if (!dev.sys_name[0] && !dev.chassis[0] && dev.n_ifs == 0) {
            em_disc_add_err(d, names[i], NULL, "empty_walk", "no system, interface or LLDP data in this dump");
        }
        if ((devi[i] = em_disc_add_dev(d, &dev)) < 0) { rc = EM_ERR_NOMEM; break; }
        files++;
    }
    if (!rc) rc = vlan_dumps(d, dir, names, devi, n, err);
    free(devi);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc) return rc;
    if (files == 0) return em_err_set(err, EM_ERR_IO, dir, "", 0, "", "%s", em_tr("walk ファイルがありません", "no walk files in this directory"));
    rc = em_disc_finish(d, "no_walk");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    d->elapsed_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
