/* render.c — `edgemap render` (diagram, model JSON, HTML report, by extension) and
 * `edgemap targets` (the scan target list as CSV). Parsing and exit codes here; the
 * work is render/'s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/visible.h"
#include "mapper/model.h"
#include "mapper/outset.h"
#include "render/render.h"

static int write_json(FILE *f, const struct em_model *m)
{
    return em_model_write_json(f, m, NULL, NULL);
}

static void print_err(const char *cmd, const struct em_err *err)
{
    char buf[2048];
    em_err_format(err, buf, sizeof buf);
    fprintf(stderr, "edgemap %s: ", cmd);
    em_fput_visible(stderr, buf, strlen(buf));
    fputc('\n', stderr);
}

static void print_warnings(const char *warnings)
{
    const char *s = warnings;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n) {
            fputs("edgemap: ", stderr);
            em_fput_visible(stderr, s, n);   /* Graphviz quotes labels */
            fputc('\n', stderr);
        }
        s += n;
        if (*s) s++;
    }
}

struct args {
    struct em_common_opts co;
    const char **files, **outs;
    size_t nfiles, nouts;
    bool redact;
};

/* Parses RECORDS... -o OUT... [--redact] and the shared options. Returns -1 to
 * continue, else an exit status. */
static int parse(const char *cmd, int argc, char **argv, struct args *a)
{
    em_common_init(&a->co);
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    a->outs = calloc((size_t)argc + 1, sizeof *a->outs);
    if (!a->files || !a->outs) return EM_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        int used = em_common_arg(&a->co, argc, argv, i);
        if (used < 0) return em_cmd_usage_error(cmd, NULL);
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (i + 1 >= argc)
                return em_cmd_usage_error(cmd, "%s", em_tr("-o の後に出力ファイル名が必要です", "-o needs an output file name"));
            a->outs[a->nouts++] = argv[++i];
        } else if (strcmp(argv[i], "--redact") == 0) {
            a->redact = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return em_cmd_usage_error(cmd, em_tr("不明なオプション '%s'", "unknown option '%s'"), argv[i]);
        } else {
            a->files[a->nfiles++] = argv[i];
        }
    }
    if (a->nfiles == 0)
        return em_cmd_usage_error(cmd, "%s", em_tr("記録ファイル（.xlsx/.csv）を指定してください", "give at least one records file (.xlsx/.csv)"));
    return -1;
}

/* The run's outputs as one set, checked before anything is read (em_common_outset).
 * Returns -1 to continue (*set filled, caller frees), else an exit status. */
static int make_set(const char *cmd, const struct args *a, struct em_outset **set)
{
    *set = em_common_outset(cmd, &a->co, a->files, a->nfiles, a->outs, a->nouts);
    return *set ? -1 : EM_EXIT_USAGE;
}

static int load(const char *cmd, struct args *a, struct em_model **m)
{
    int rc = em_common_load(&a->co, a->files, a->nfiles, m);
    if (rc != 0) return rc;
    if (a->redact) {
        struct em_err err = {0};
        if (em_redact_model(*m, &err) != 0 || em_redact_inputs(*m, &err) != 0) {
            print_err(cmd, &err);
            em_model_free(*m);
            *m = NULL;
            return EM_EXIT_USAGE;
        }
    }
    return -1;
}

int em_cmd_render(int argc, char **argv)
{
    struct args a = {0};
    struct em_model *m = NULL;
    int rc = parse("render", argc, argv, &a);
    if (rc < 0 && a.nouts == 0)
        rc = em_cmd_usage_error("render", "%s", em_tr("出力ファイルを -o で指定してください", "give at least one output with -o"));
    for (size_t i = 0; rc < 0 && i < a.nouts; i++)
        if (!em_render_known(a.outs[i])) {
            fprintf(stderr, em_tr("edgemap render: %s: 出力形式が分かりません（%s のいずれか）\n",
                                  "edgemap render: %s: unknown output format (use %s)\n"), a.outs[i], em_render_formats());
            rc = EM_EXIT_USAGE;
        }
    struct em_drawio_pos *pins = NULL;
    size_t n_pins = 0;
    if (rc < 0 && a.co.layout) {
        struct em_err err = {0};
        if (em_drawio_read(a.co.layout, &pins, &n_pins, &err) != 0) {
            print_err("render", &err);
            rc = EM_EXIT_USAGE;
        }
    }
    struct em_outset *set = NULL;
    if (rc < 0) rc = make_set("render", &a, &set);
    if (rc < 0) rc = load("render", &a, &m);
    if (rc < 0) {
        struct em_render_opts ro = {.json = write_json, .pins = pins, .n_pins = n_pins};
        struct em_err err = {0};
        int r = em_render_files(m, set, &ro, &err);
        if (r == 0) r = em_outset_commit(set, &err);
        em_render_cleanup();
        print_warnings(ro.warnings);
        if (r == 0 && a.co.layout && ro.layout_used[0] && ro.pinned == 0)
            fprintf(stderr, em_tr("edgemap: 警告: %s のどの図形もこの図のノードと一致しませんでした（配置はすべて自動）\n",
                                  "edgemap: warning: no shape in %s matched a node of this diagram (everything placed automatically)\n"),
                    a.co.layout);
        if (r != 0) {
            print_err("render", &err);
            rc = EM_EXIT_USAGE;
        } else {
            rc = em_model_count(m, EM_SEV_ERROR) ? EM_EXIT_FINDINGS : EM_EXIT_OK;
            em_cmd_summary("render", m, a.outs, a.nouts, rc);
        }
    }
    em_drawio_free(pins, n_pins);
    em_outset_free(set);
    em_model_free(m);
    free(a.files);
    free(a.outs);
    return rc;
}

int em_cmd_targets(int argc, char **argv)
{
    struct args a = {0};
    struct em_model *m = NULL;
    int rc = parse("targets", argc, argv, &a);
    if (rc < 0 && a.nouts > 1)
        rc = em_cmd_usage_error("targets", "%s", em_tr("-o は1つだけ指定できます", "give -o at most once"));
    struct em_outset *set = NULL;
    if (rc < 0 && a.nouts == 1) rc = make_set("targets", &a, &set);
    if (rc < 0) rc = load("targets", &a, &m);
    if (rc < 0) {
        struct em_err err = {0};
        char *csv = NULL;
        size_t len = 0;
        int r = em_targets_csv(m, &csv, &len, &err);
        if (r == 0 && set) {
            r = em_outset_put(set, 0, csv, len, &err);
            if (r == 0) r = em_outset_commit(set, &err);
        }
        else if (r == 0 && (fwrite(csv, 1, len, stdout) != len || fflush(stdout) != 0))
            r = em_err_set(&err, EM_ERR_IO, "", "", 0, "", "%s", em_tr("標準出力に書けません", "cannot write to stdout"));
        free(csv);
        if (r != 0) {
            print_err("targets", &err);
            rc = EM_EXIT_USAGE;
        } else {
            rc = em_model_count(m, EM_SEV_ERROR) ? EM_EXIT_FINDINGS : EM_EXIT_OK;
            em_cmd_summary("targets", m, a.outs, a.nouts, rc);
        }
    }
    em_outset_free(set);
    em_model_free(m);
    free(a.files);
    free(a.outs);
    return rc;
}
