/* common.c — shared options and model loading for check/render/targets. */
#include "cmd/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book/about.h"
#include "cmd/buildinfo.h"
#include "fleet/about.h"
#include "cmd/cmd.h"
#include "mapper/about.h"
#include "mapper/accept.h"
#include "mapper/date.h"
#include "mapper/discovered.h"
#include "mapper/lang.h"
#include "mapper/visible.h"
#include "mapper/records.h"
#include "mapper/scan.h"
#include "render/about.h"
#include "snmp/about.h"

void em_common_init(struct em_common_opts *o)
{
    o->survey_date = NULL;
    o->data_dir = NULL;
    o->discovered = NULL;
    o->nscans = 0;
    o->accept = NULL;
    o->layout = NULL;
}

/* A real date in any spelling of mapper/date.h except a bare Excel serial number. */
static int valid_date(const char *s)
{
    struct em_date d;
    size_t n = strlen(s), digits = strspn(s, "0123456789.");
    if (digits == n && n != 8) return 0;
    return em_date_parse(s, false, &d);
}

int em_common_arg(struct em_common_opts *o, int argc, char **argv, int i)
{
    const char *a = argv[i];
    if (strcmp(a, "--lang") == 0) {
        if (i + 1 >= argc || (strcmp(argv[i + 1], "ja") != 0 && strcmp(argv[i + 1], "en") != 0)) {
            fprintf(stderr, "edgemap: %s\n", em_tr("--lang は ja か en です", "--lang must be ja or en"));
            return -1;
        }
        em_lang_set(strcmp(argv[i + 1], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        return 2;
    }
    if (strcmp(a, "--survey-date") == 0) {
        if (i + 1 >= argc || !valid_date(argv[i + 1])) {
            fprintf(stderr, "edgemap: %s\n", em_tr("--survey-date には 2026-11-25 のような実在する日付を指定してください",
                                                   "--survey-date needs a real date like 2026-11-25"));
            return -1;
        }
        o->survey_date = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--discovered") == 0) {
        if (i + 1 >= argc || o->discovered) {
            fprintf(stderr, "edgemap: %s\n", em_tr("--discovered には DISC.json を1つだけ指定してください", "--discovered needs one DISC.json (given once)"));
            return -1;
        }
        o->discovered = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--scan") == 0) {
        if (i + 1 >= argc || o->nscans >= EM_MAX_SCAN_FILES) {
            fprintf(stderr, em_tr("edgemap: --scan には nmap の XML ファイルを指定してください（%d 個まで）\n", "edgemap: --scan needs an nmap XML file (at most %d)\n"), EM_MAX_SCAN_FILES);
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
            fprintf(stderr, "edgemap: %s\n", em_tr("--data にはディレクトリを指定してください", "--data needs a directory"));
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
        fprintf(stderr, "edgemap: %s\n", em_tr("メモリが足りません", "out of memory"));
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
    const char *data_dir = NULL;
    if (em_cmd_data_ready(o->data_dir, &data_dir) != 0) {
        em_model_free(m);
        return EM_EXIT_USAGE;
    }
    em_cmd_about(data_dir);
    struct em_err err = {0};
    int rc = em_model_finish(m, data_dir, &err);
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
        fprintf(stderr, "edgemap %s: %s\n", cmd, em_tr("メモリが足りません", "out of memory"));
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

/* ---------------------------------------------------------------- language, data, about */

void em_cmd_lang_from_env(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        /* the first one set decides; only a Japanese or English locale is followed */
        if (strncmp(v, "en", 2) == 0 && (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '@'))
            em_lang_set(EM_LANG_EN);
        else
            em_lang_set(EM_LANG_JA);
        return;
    }
    em_lang_set(EM_LANG_JA);
}

/* The build tree's data/ when this binary is <tree>/<build dir>/edgemap, else NULL. */
static const char *tree_data(void)
{
    static char dir[4096];
    const char *tree = em_build_tree();
    if (!*tree) return NULL;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0';
    slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0';
    if (strcmp(exe, tree) != 0) return NULL;
    int k = snprintf(dir, sizeof dir, "%s/data", tree);
    return k > 0 && (size_t)k < sizeof dir ? dir : NULL;
}

const char *em_cmd_data_dir(const char *opt, const char **origin)
{
    const char *env = getenv("EDGEMAP_DATA");
    const char *tree = tree_data();
    if (opt) {
        *origin = "--data";
        return opt;
    }
    if (env && *env) {
        *origin = "EDGEMAP_DATA";
        return env;
    }
    if (tree) {
        *origin = "tree";
        return tree;
    }
    *origin = "DATADIR";
    return em_build_datadir();
}

int em_cmd_data_ready(const char *opt, const char **dir)
{
    const char *origin;
    *dir = em_cmd_data_dir(opt, &origin);
    char path[4200];
    snprintf(path, sizeof path, "%s/firmware-advisories.tsv", *dir);
    if (access(path, R_OK) == 0) return 0;
    const char *from = strcmp(origin, "--data") == 0 ? "--data"
                       : strcmp(origin, "EDGEMAP_DATA") == 0 ? em_tr("環境変数 EDGEMAP_DATA", "EDGEMAP_DATA")
                       : strcmp(origin, "tree") == 0 ? em_tr("ビルドしたソースの data/", "the data/ of the source tree")
                                                     : em_tr("インストール先", "the installed data directory");
    fprintf(stderr,
            em_tr("edgemap: データファイル %s がありません（%s による）。"
                  "データは --data DIR、環境変数 EDGEMAP_DATA、インストール先 %s の順に探します\n",
                  "edgemap: data file %s not found (from %s). "
                  "The data is looked for in: --data DIR, then the EDGEMAP_DATA environment variable, "
                  "then the installed %s\n"),
            path, from, em_build_datadir());
    return EM_EXIT_USAGE;
}

void em_cmd_about(const char *data_dir)
{
    em_about_clear();
    em_about_add(EM_ABOUT_PROGRAM, "edgemap", em_build_version(), NULL);
    static const char *const files[] = {"firmware-advisories.tsv", "os-eos.tsv"};
    for (size_t i = 0; data_dir && i < sizeof files / sizeof files[0]; i++) {
        char path[4200], ver[64], date[16];
        snprintf(path, sizeof path, "%s/%s", data_dir, files[i]);
        if (em_about_data_file(path, ver, sizeof ver, date, sizeof date) == 0)
            em_about_add(EM_ABOUT_DATA, files[i], ver, date);
    }
    em_mapper_about();
    em_render_about();
    em_snmp_about();
    em_book_about();
    em_fleet_about();
}

void em_cmd_summary(const char *cmd, const struct em_model *m, const char *const *outs, size_t n, int rc)
{
    fprintf(stderr, "edgemap %s: ", cmd);
    if (n == 0) {
        fputs(em_tr("標準出力に書きました", "wrote to stdout"), stderr);
    } else {
        fprintf(stderr, em_tr("%zu 個のファイルを書きました（", "wrote %zu file%s ("), n, n == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++) fprintf(stderr, "%s%s", i ? ", " : "", outs[i]);
        fputs(em_tr("）", ")"), stderr);
    }
    fprintf(stderr, em_tr("。指摘: エラー %zu、警告 %zu、情報 %zu。", "; findings: %zu errors, %zu warnings, %zu info; "),
            em_model_count(m, EM_SEV_ERROR), em_model_count(m, EM_SEV_WARNING), em_model_count(m, EM_SEV_INFO));
    fprintf(stderr, rc == EM_EXIT_OK ? em_tr("終了状態 %d: エラーの指摘はありません\n", "exit status %d: no error findings\n")
                                      : em_tr("終了状態 %d: エラーの指摘があります（出力は書き終えています）\n",
                                              "exit status %d: there are error findings (the outputs were written)\n"),
            rc);
}
