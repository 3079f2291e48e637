/* annotate.c — `edgemap annotate RECORDS... -o FILE.xlsx [--party NAME] [--redact]`:
 * the records with every finding on its cell (book/annotate.c does the work). Exit
 * status as check: 1 when an error finding is left (accepted ones do not count). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "book/book.h"
#include "cmd/buildinfo.h"
#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/file.h"
#include "mapper/lang.h"
#include "mapper/records.h"
#include "render/render.h"


/* A short fingerprint of the advisory data (first 12 hex digits of the SHA-256 of
 * the data files), so a workbook says which data judged it. Caller frees. */
static char *data_version(const char *dir)
{
    static const char *files[] = {"firmware-advisories.tsv", "os-eos.tsv"};
    GChecksum *cs = g_checksum_new(G_CHECKSUM_SHA256);
    int found = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *p = g_build_filename(dir, files[i], NULL);
        gchar *data = NULL;
        gsize len = 0;
        if (g_file_get_contents(p, &data, &len, NULL)) {
            g_checksum_update(cs, (const guchar *)data, (gssize)len);
            found++;
        }
        g_free(data);
        g_free(p);
    }
    char *v = found ? g_strdup_printf("sha256:%.12s", g_checksum_get_string(cs)) : g_strdup("-");
    g_checksum_free(cs);
    return v;
}

/* The sensitive values before redaction, to pair them with their placeholders. */
struct snap { const char **v; size_t n; };

/* The model's sensitive values in a fixed order (out NULL: only their count): each
 * row's address and FQDN and the device cells as it wrote them, the devices' names and
 * addresses, the terminals' names. */
static size_t sensitive(const struct em_model *m, const char **out)
{
    size_t k = 0;
#define PUT(v) (out ? (void)(out[k] = (v)) : (void)0, k++)
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        PUT(p->global_ip), PUT(p->fqdn);
        for (int d = 0; d < 2; d++) PUT(p->decl[d].hostname), PUT(p->decl[d].mgmt_ip);
    }
    for (size_t i = 0; i < m->n_devices; i++) PUT(m->devices[i].hostname), PUT(m->devices[i].mgmt_ip);
    for (size_t i = 0; i < m->n_terminals; i++) PUT(m->terminals[i].name);
#undef PUT
    return k;
}

static void snap_take(struct snap *s, const struct em_model *m)
{
    s->n = sensitive(m, NULL);
    s->v = calloc(s->n ? s->n : 1, sizeof *s->v);
    if (!s->v) {
        s->n = 0;
        return;
    }
    sensitive(m, s->v);
}

/* Pairs each snapshotted value with what the model holds after em_redact_model(). */
static struct em_book_redaction *snap_pairs(const struct snap *s, const struct em_model *m, size_t *n)
{
    struct em_book_redaction *r = calloc(s->n ? s->n : 1, sizeof *r);
    const char **now = calloc(s->n ? s->n : 1, sizeof *now);
    *n = 0;
    if (!r || !now || sensitive(m, NULL) != s->n) {
        free(r);
        free(now);
        return NULL;
    }
    sensitive(m, now);
    for (size_t k = 0; k < s->n; k++)
        if (s->v[k] && *s->v[k] && now[k] && strcmp(s->v[k], now[k]) != 0)
            r[(*n)++] = (struct em_book_redaction){s->v[k], now[k]};
    free(now);
    return r;
}

static bool ends_with_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n >= 5 && g_ascii_strcasecmp(p + n - 5, ".xlsx") == 0;
}

int em_cmd_annotate(int argc, char **argv)
{
    struct em_common_opts co;
    em_common_init(&co);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    const char *out = NULL, *party = NULL;
    bool redact = false;
    if (!files) return EM_EXIT_USAGE;
    int rc = -1;
    for (int i = 1; i < argc && rc < 0; i++) {
        int used = em_common_arg(&co, argc, argv, i);
        if (used < 0) {
            rc = EM_EXIT_USAGE;
        } else if (used > 0) {
            i += used - 1;
        } else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc && !out) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--party") == 0 && i + 1 < argc && *argv[i + 1]) {
            party = argv[++i];
        } else if (strcmp(argv[i], "--redact") == 0) {
            redact = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = em_cmd_usage_error("annotate", em_tr("使えない引数 '%s'", "bad argument '%s'"), argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (rc < 0 && (!out || nfiles == 0)) {
        rc = em_cmd_usage_error("annotate", "%s", em_tr("記入シートと -o FILE.xlsx を指定してください",
                                                        "give the records and -o FILE.xlsx"));
    } else if (rc < 0 && !ends_with_xlsx(out)) {
        fprintf(stderr, "edgemap annotate: %s: %s\n", out, em_tr("出力は .xlsx にしてください", "the output must be .xlsx"));
        rc = EM_EXIT_USAGE;
    }
    /* the copy reads each records file a second time (book/grid.c): a pipe would come
     * back empty, so a stream is refused rather than copied as nothing */
    for (size_t i = 0; rc < 0 && i < nfiles; i++)
        if (em_file_is_stream(files[i])) {
            fprintf(stderr, "edgemap annotate: %s: %s\n", files[i],
                    em_tr("annotate は記入シートを2度読む（確認と写し）ため、パイプや /dev/stdin は使えません。ファイルで指定してください",
                          "annotate reads the records twice (to check, then to copy the cells), so a pipe or /dev/stdin "
                          "cannot be used: give a file"));
            rc = EM_EXIT_USAGE;
        }
    /* the output checked before anything is read: never an input, its folder exists */
    struct em_outset *set = rc < 0 ? em_common_outset("annotate", &co, files, nfiles, &out, 1) : NULL;
    if (rc < 0 && !set) rc = EM_EXIT_USAGE;
    if (rc >= 0) {
        em_outset_free(set);
        free(files);
        return rc;
    }
    struct em_model *m = NULL;
    rc = em_common_load(&co, files, nfiles, &m);
    free(files);
    if (rc != 0) {
        em_outset_free(set);
        return rc;
    }
    struct em_book_annotate_opts o = {.party = party, .redacting = redact, .tool_version = em_build_version()};
    struct em_err err = {0};
    struct snap sn = {0};
    struct em_book_redaction *pairs = NULL;
    if (redact) {
        snap_take(&sn, m);
        if (em_redact_model(m, &err) != 0) {
            rc = EM_EXIT_USAGE;
        } else if (!(pairs = snap_pairs(&sn, m, &o.n_redact))) {
            /* without the pairs the copied cells would keep every name: nothing is written */
            em_err_set(&err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
            rc = EM_EXIT_USAGE;
        }
        o.redact = pairs;
    }
    const char *origin;
    char *dv = data_version(em_cmd_data_dir(co.data_dir, &origin));
    o.data_version = dv;
    size_t kept = 0;
    if (rc == 0 && em_book_annotate(m, set, 0, &o, &kept, &err) != 0) rc = EM_EXIT_USAGE;
    if (rc == 0 && em_outset_commit(set, &err) != 0) rc = EM_EXIT_USAGE;
    em_outset_free(set);
    if (rc != 0) {
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        fprintf(stderr, "edgemap annotate: %s\n", buf);
    } else {
        if (party && kept == 0)
            fprintf(stderr, em_tr("edgemap annotate: 「%s」の行はありません（接続先・回線契約者に見当たりません）\n",
                                  "edgemap annotate: no rows of '%s' (not in 接続先 or 回線契約者)\n"), party);
        rc = em_model_count(m, EM_SEV_ERROR) ? EM_EXIT_FINDINGS : EM_EXIT_OK;
        em_cmd_summary("annotate", m, &out, 1, rc);
    }
    g_free(dv);
    free(pairs);
    free(sn.v);
    em_model_free(m);
    return rc;
}
