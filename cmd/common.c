/* common.c — shared options and model loading for check/render/targets. */
#include "cmd/common.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "mapper/accept.h"
#include "mapper/discovered.h"
#include "mapper/lang.h"
#include "mapper/visible.h"
#include "mapper/records.h"
#include "mapper/scan.h"

void em_common_init(struct em_common_opts *o)
{
    o->survey_date = NULL;
    o->data_dir = NULL;
    o->discovered = NULL;
    o->nscans = 0;
    o->accept = NULL;
    o->layout = NULL;
}

static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    return 1;
}

int em_common_arg(struct em_common_opts *o, int argc, char **argv, int i)
{
    const char *a = argv[i];
    if (strcmp(a, "--lang") == 0) {
        if (i + 1 >= argc || (strcmp(argv[i + 1], "ja") != 0 && strcmp(argv[i + 1], "en") != 0)) {
            fprintf(stderr, "edgemap: --lang must be ja or en\n");
            return -1;
        }
        em_lang_set(strcmp(argv[i + 1], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        return 2;
    }
    if (strcmp(a, "--survey-date") == 0) {
        if (i + 1 >= argc || !valid_date(argv[i + 1])) {
            fprintf(stderr, "edgemap: --survey-date needs a date like 2026-11-25\n");
            return -1;
        }
        o->survey_date = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--discovered") == 0) {
        if (i + 1 >= argc || o->discovered) {
            fprintf(stderr, "edgemap: --discovered needs one DISC.json (given once)\n");
            return -1;
        }
        o->discovered = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--scan") == 0) {
        if (i + 1 >= argc || o->nscans >= EM_MAX_SCAN_FILES) {
            fprintf(stderr, "edgemap: --scan needs an nmap XML file (at most %d)\n", EM_MAX_SCAN_FILES);
            return -1;
        }
        o->scans[o->nscans++] = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--layout") == 0) {
        if (i + 1 >= argc || o->layout) {
            fprintf(stderr, "edgemap: %s\n", em_tr("--layout には .drawio ファイルを1つ指定してください",
                                                   "--layout needs one .drawio file, given once"));
            return -1;
        }
        o->layout = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--accept") == 0) {
        if (i + 1 >= argc || o->accept) {
            fprintf(stderr, "edgemap: %s\n", em_tr("--accept には承認ファイル（TSV）を1つ指定してください",
                                                   "--accept needs one accept file (TSV), given once"));
            return -1;
        }
        o->accept = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--data") == 0) {
        if (i + 1 >= argc) {
            fprintf(stderr, "edgemap: --data needs a directory\n");
            return -1;
        }
        o->data_dir = argv[i + 1];
        return 2;
    }
    return 0;
}

static void print_err(const struct em_err *err)
{
    char buf[2048];
    em_err_format(err, buf, sizeof buf);
    fputs("edgemap: ", stderr);
    em_fput_visible(stderr, buf, strlen(buf));   /* sheet names and cells: shown, not obeyed */
    fputc('\n', stderr);
}

/* Loads files[0..n) (or, with data, the one file name already read into data) into a
 * new finished model; see em_common_load. */
static int load(const struct em_common_opts *o, const char **files, size_t n, const char *data,
                size_t len, struct em_model **out)
{
    *out = NULL;
    struct em_model *m = em_model_new();
    if (!m) {
        fprintf(stderr, "edgemap: out of memory\n");
        return EM_EXIT_USAGE;
    }
    if (o->survey_date) m->survey_date = em_pool_str(m->pool, o->survey_date);
    for (size_t i = 0; i < n; i++) {
        struct em_err err = {0};
        int r = data ? em_records_load_mem(m, files[i], data, len, &err) : em_records_load(m, files[i], &err);
        if (r != 0) {
            if (!err.file[0]) snprintf(err.file, sizeof err.file, "%s", files[i]);
            print_err(&err);
            em_model_free(m);
            return EM_EXIT_USAGE;
        }
    }
    struct em_err err = {0};
    int rc = em_model_finish(m, o->data_dir, &err);
    /* discovery first: it may add devices the scans then find */
    if (rc == 0 && o->discovered) rc = em_discovered_merge(m, o->discovered, &err);
    for (size_t i = 0; rc == 0 && i < o->nscans; i++) rc = em_scan_load(m, o->scans[i], &err);
    /* accepted findings last: they match every finding, discovery's and scans' too */
    if (rc == 0 && o->accept) {
        struct em_accept *acc = em_accept_load(o->accept, &err);
        rc = acc ? em_accept_apply(m, acc, &err) : (err.rc ? err.rc : EM_ERR_IO);
        em_accept_free(acc);
    }
    if (rc != 0) {
        print_err(&err);
        em_model_free(m);
        return EM_EXIT_USAGE;
    }
    em_model_sort_findings(m);
    *out = m;
    return EM_EXIT_OK;
}

int em_common_load(const struct em_common_opts *o, const char **files, size_t n,
                   struct em_model **out)
{
    return load(o, files, n, NULL, 0, out);
}

int em_common_load_mem(const struct em_common_opts *o, const char *name, const char *data, size_t len,
                       struct em_model **out)
{
    return load(o, &name, 1, data, len, out);
}

struct em_outset *em_common_outset(const char *cmd, const struct em_common_opts *o, const char *const *files,
                                   size_t nfiles, const char *const *outs, size_t nouts)
{
    struct em_outset *set = em_outset_new();
    if (!set) {
        fprintf(stderr, "edgemap %s: out of memory\n", cmd);
        return NULL;
    }
    for (size_t i = 0; i < nfiles; i++) em_outset_input(set, files[i]);
    if (o && o->discovered) em_outset_input(set, o->discovered);
    for (size_t i = 0; o && i < o->nscans; i++) em_outset_input(set, o->scans[i]);
    if (o && o->accept) em_outset_input(set, o->accept);
    for (size_t i = 0; i < nouts; i++) {
        struct em_err err = {0};
        if (em_outset_add(set, outs[i], &err) < 0) {
            char buf[2048];
            em_err_format(&err, buf, sizeof buf);
            fprintf(stderr, "edgemap %s: ", cmd);
            em_fput_visible(stderr, buf, strlen(buf));
            fputc('\n', stderr);
            em_outset_free(set);
            return NULL;
        }
    }
    return set;
}
