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
    for (size_t i = 0; i < n && !rc; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) continue;
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        char *buf = NULL; size_t len = 0;
        if ((rc = read_file(path, &buf, &len, err)) != 0) break;
        struct em_vblist vbs = {0};
        rc = em_walk_parse(buf, len, path, &vbs, err);
        free(buf);
        if (rc) { em_vblist_free(&vbs); break; }
        if (vbs.full)
            em_disc_add_err(d, names[i], NULL, "varbind_cap", "more lines than the cap: the rest of this dump was not read (data partial)");
        struct em_dev dev;
        memset(&dev, 0, sizeof dev);
        dev.queried = em_pool_str(d->pool, names[i]);
        rc = em_dev_decode(d->pool, &vbs, &dev);
        em_vblist_free(&vbs);
        if (rc) { em_dev_clear(&dev); break; }
        if (!dev.sys_name[0] && !dev.chassis[0] && dev.n_ifs == 0) {
            em_disc_add_err(d, names[i], NULL, "empty_walk", "no system, interface or LLDP data in this dump");
        }
        if (em_disc_add_dev(d, &dev) < 0) { rc = EM_ERR_NOMEM; break; }
        files++;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc) return rc;
    if (files == 0) return em_err_set(err, EM_ERR_IO, dir, "", 0, "", "%s", em_tr("walk ファイルがありません", "no walk files in this directory"));
    rc = em_disc_finish(d, "no_walk");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    d->elapsed_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
