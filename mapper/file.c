/* file.c — whole-file reads with a cap, for inputs that are parsed from memory. */
#include "mapper/file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "mapper/lang.h"

char *em_file_read(const char *path, size_t max, const char *what, size_t *len, struct em_err *err)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("%sのファイルを開けません", "cannot open the %s file"), what);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        em_err_set(err, EM_ERR_IO, path, "", 0, "",
                   em_tr("%sは通常のファイルで指定してください", "the %s must be a regular file"), what);
        return NULL;
    }
    if ((uintmax_t)st.st_size > max) {
        fclose(f);
        em_err_set(err, EM_ERR_LIMIT, path, "", 0, "",
                   em_tr("%sのファイルが大きすぎます（上限 %zu バイト）", "the %s file is too large (limit %zu bytes)"),
                   what, max);
        return NULL;
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
    fclose(f);
    if (bad || got != size) {
        free(buf);
        em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("%sのファイルを読めません", "cannot read the %s file"), what);
        return NULL;
    }
    buf[size] = '\0';
    *len = size;
    return buf;
}
