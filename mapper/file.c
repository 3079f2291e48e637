/* file.c — whole-file reads with a cap, for inputs that are parsed from memory. The one
 * capped reader of the program: a regular file is size-checked before a byte is read;
 * a pipe, /dev/stdin or a device is read once, in chunks, and refused as soon as it
 * passes the cap (/dev/zero costs the cap, never more). */
#include "mapper/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mapper/lang.h"

static char *too_large(const char *path, size_t max, const char *what, struct em_err *err)
{
    if (max >= 1024 * 1024 && max % (1024 * 1024) == 0)
        em_err_set(err, EM_ERR_LIMIT, path, "", 0, "",
                   em_tr("%sのファイルが大きすぎます（上限 %zu MiB）", "the %s file is too large (limit %zu MiB)"),
                   what, max / (1024 * 1024));
    else
        em_err_set(err, EM_ERR_LIMIT, path, "", 0, "",
                   em_tr("%sのファイルが大きすぎます（上限 %zu バイト）", "the %s file is too large (limit %zu bytes)"),
                   what, max);
    return NULL;
}

static char *cannot_read(const char *path, const char *what, int e, struct em_err *err)
{
    em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("%sのファイルを読めません（%s）", "cannot read the %s file (%s)"),
               what, strerror(e));
    return NULL;
}

/* A stream of unknown length (pipe, device): chunks until EOF or past max. */
static char *read_stream(FILE *f, const char *path, size_t max, const char *what, size_t *len, struct em_err *err)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {   /* one byte past the cap was read: refuse */
                free(buf);
                return too_large(path, max, what, err);
            }
            size_t nc = cap > max / 2 ? max + 1 : cap * 2;
            char *nb = realloc(buf, nc + 1);
            if (!nb) {
                free(buf);
                em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
                return NULL;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        return cannot_read(path, what, e, err);
    }
    if (n > max) {
        free(buf);
        return too_large(path, max, what, err);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *em_file_read(const char *path, size_t max, const char *what, size_t *len, struct em_err *err)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("%sのファイルを開けません（%s）", "cannot open the %s file (%s)"),
                   what, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        fclose(f);
        em_err_set(err, EM_ERR_IO, path, "", 0, "",
                   em_tr("%sはファイルで指定してください（フォルダは読めません）", "the %s must be a file, not a folder"), what);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        char *b = read_stream(f, path, max, what, len, err);
        fclose(f);
        return b;
    }
    if ((uintmax_t)st.st_size > max) {
        fclose(f);
        return too_large(path, max, what, err);
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fclose(f);
        em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        return NULL;
    }
    size_t got = size ? fread(buf, 1, size, f) : 0;
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad || got != size) {
        free(buf);
        return cannot_read(path, what, bad ? e : EIO, err);
    }
    buf[size] = '\0';
    *len = size;
    return buf;
}

bool em_file_is_stream(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}
