/* xlsx_dump.c — opens an .xlsx with em_xlsx_open and prints every sheet's rows, or the
 * error. Used by tests/integration/xlsx_corpus.sh and bench/import.sh.
 *   xlsx_dump [-q] [-n MAXROWS] [--lang en] FILE
 * -q prints only a per-sheet count of rows and cells (and a checksum of the text).
 * Exit status: 0 read cleanly, 1 a clean error (printed as "error: ..."), 2 usage.
 * Environment (tests only): EM_XLSX_PIPE=sync reads every sheet in the calling thread,
 * EM_XLSX_PIPE=pipe[:ROWS] every sheet through the parsing thread (ROWS rows a batch),
 * so that both paths of the sheet pass can be compared on the same workbooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/err.h"
#include "mapper/lang.h"
#include "mapper/xlsx.h"

/* mapper/xlsx_pipe.c's test hook (not in xlsx.h): 1 one thread, 2 the parsing
 * thread, 0 the default; rows per batch (0: the default). */
void em_xlsx_test_pipe(int mode, size_t rows);

struct dump {
    bool quiet;
    unsigned long rows, cells, sum;
};

static void col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int i = 0;
    while (n > 0) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

static int on_row(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)err;
    struct dump *d = ctx;
    d->rows++;
    d->cells += row->n;
    for (size_t i = 0; i < row->n; i++) {
        const unsigned char *t = (const unsigned char *)row->cells[i].text;
        for (size_t k = 0; k < row->cells[i].len; k++) d->sum = d->sum * 31 + t[k];
    }
    if (d->quiet) return 0;
    printf("%ld", row->row);
    for (size_t i = 0; i < row->n; i++) {
        char cn[8];
        col_name(row->cells[i].col, cn);
        printf("\t%s=", cn);
        fwrite(row->cells[i].text, 1, row->cells[i].len, stdout);
    }
    putchar('\n');
    return 0;
}

int main(int argc, char **argv)
{
    struct dump d = {false, 0, 0, 0};
    long max_rows = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) {
            d.quiet = true;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            char *end;
            max_rows = strtol(argv[++i], &end, 10);
            if (*end != '\0' || max_rows < 0) {
                fputs("xlsx_dump: bad -n\n", stderr);
                return 2;
            }
        } else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            em_lang_set(strcmp(argv[++i], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        } else if (!path) {
            path = argv[i];
        } else {
            fputs("usage: xlsx_dump [-q] [-n MAXROWS] [--lang en] FILE\n", stderr);
            return 2;
        }
    }
    if (!path) {
        fputs("usage: xlsx_dump [-q] [-n MAXROWS] [--lang en] FILE\n", stderr);
        return 2;
    }
    const char *pipe = getenv("EM_XLSX_PIPE");
    if (pipe && strcmp(pipe, "sync") == 0) {
        em_xlsx_test_pipe(1, 0);
    } else if (pipe && strncmp(pipe, "pipe", 4) == 0) {
        char *end;
        unsigned long rows = pipe[4] == ':' ? strtoul(pipe + 5, &end, 10) : 0;
        if (pipe[4] != '\0' && (pipe[4] != ':' || *end != '\0' || rows == 0)) {
            fputs("xlsx_dump: EM_XLSX_PIPE is sync, pipe or pipe:ROWS\n", stderr);
            return 2;
        }
        em_xlsx_test_pipe(2, rows);
    }
    struct em_err err;
    em_err_clear(&err);
    char msg[2048];
    struct em_xlsx *x = em_xlsx_open(path, &err);
    if (!x) {
        em_err_format(&err, msg, sizeof msg);
        printf("error: rc=%d %s\n", err.rc, msg);
        return err.rc < 0 ? 1 : 3;
    }
    int status = 0;
    for (size_t i = 0; i < em_xlsx_sheet_count(x); i++) {
        d.rows = d.cells = 0;
        printf("sheet %zu \"%s\"%s\n", i, em_xlsx_sheet_name(x, i),
               em_xlsx_sheet_hidden(x, i) ? " hidden" : "");
        em_err_clear(&err);
        int rc = em_xlsx_read_sheet(x, i, max_rows, on_row, &d, &err);
        if (rc < 0) {
            em_err_format(&err, msg, sizeof msg);
            printf("error: rc=%d %s\n", rc, msg);
            /* a clean error needs a message and the rc it recorded */
            if (err.rc != rc || !err.msg[0]) status = 3;
            else if (status == 0) status = 1;
        } else if (d.quiet) {
            printf("rows %lu cells %lu sum %lu\n", d.rows, d.cells, d.sum);
        }
    }
    em_xlsx_close(x);
    return status;
}
