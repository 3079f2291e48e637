/* fleet.c — `edgemap fleet ingest|report|advisories|render|diff --db DB ...`: many
 * hospitals in one store (an SQLite file or a postgresql:// URL). Argument parsing,
 * output files and exit codes here; the work is fleet/'s (and render/'s for the
 * batch render). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book/book.h"
#include "cmd/cmd.h"
#include "cmd/common.h"
#include "fleet/fleet.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/model.h"
#include "mapper/outset.h"
#include "mapper/records.h"
#include "render/render.h"

/* The command as messages name it (an identifier, not words to translate). */
#define EM_FLEET_CMD em_fleet_cmd
static const char em_fleet_cmd[] = "edgemap fleet";
#define N_INGEST n_ingest
#define N_REPORT n_report
#define N_ADVISORIES n_advisories
#define N_DIFF n_diff
#define N_RENDER n_render
static const char n_ingest[] = "edgemap fleet ingest", n_report[] = "edgemap fleet report",
                  n_advisories[] = "edgemap fleet advisories", n_diff[] = "edgemap fleet diff",
                  n_render[] = "edgemap fleet render";

static const char usage_text[] =
    "usage: edgemap fleet ingest     --db DB --round R [--jobs N] [--force] [--data DIR]\n"
    "                                [--survey-date YYYY-MM-DD] FOLDER...\n"
    "       edgemap fleet report     --db DB --round R -o national.html|.json|.xlsx [-o ...] [--lang ja|en]\n"
    "                                [--link PATTERN] [--hub-min N]\n"
    "       edgemap fleet advisories --db DB [--data DIR] [--round R] -o notify.csv [-o notify.xlsx]\n"
    "       edgemap fleet diff       --db DB --round A --round B [-o diff.json|.txt]\n"
    "       edgemap fleet render     --db DB --round R -o DIR [--jobs N] [--format svg,pdf,html,csv]\n"
    "  DB: an SQLite file (created when missing) or postgresql://user@host/dbname\n"
    "  FOLDER: one hospital each: workbook(s) .xlsx/.csv, nmap .xml, DISC.json, hospital-id.txt\n";

struct fargs {
    const char *db, *rounds[2], *data, *survey_date, *link, *formats;
    const char *outs[16];
    size_t nrounds, nouts;
    const char **folders;
    size_t nfolders;
    int jobs, hub_min;
    bool force;
};

static void print_err(const char *sub, const struct em_err *err)
{
    char buf[2048];
    em_err_format(err, buf, sizeof buf);
    fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub, buf);
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Parses everything after the sub-command; returns -1 to go on, else an exit status. */
static int parse(const char *sub, int argc, char **argv, struct fargs *a)
{
    memset(a, 0, sizeof *a);
    a->jobs = default_jobs();
    a->hub_min = 2;
    a->folders = calloc((size_t)argc + 1, sizeof *a->folders);
    if (!a->folders) return EM_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool needs = strcmp(o, "--db") == 0 || strcmp(o, "--round") == 0 || strcmp(o, "-o") == 0 ||
                     strcmp(o, "--jobs") == 0 || strcmp(o, "--data") == 0 || strcmp(o, "--survey-date") == 0 ||
                     strcmp(o, "--lang") == 0 || strcmp(o, "--link") == 0 || strcmp(o, "--hub-min") == 0 ||
                     strcmp(o, "--format") == 0;
        if (needs && !v) {
            fprintf(stderr, em_tr("edgemap fleet %s: %s の後に値が必要です\n", "edgemap fleet %s: %s needs a value\n"), sub, o);
            return EM_EXIT_USAGE;
        }
        if (strcmp(o, "--db") == 0) a->db = v;
        else if (strcmp(o, "--round") == 0) {
            if (a->nrounds >= 2) {
                fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub, em_tr("--round は2回までです", "--round at most twice"));
                return EM_EXIT_USAGE;
            }
            a->rounds[a->nrounds++] = v;
        } else if (strcmp(o, "-o") == 0) {
            if (a->nouts >= 16) return EM_EXIT_USAGE;
            a->outs[a->nouts++] = v;
        } else if (strcmp(o, "--jobs") == 0) {
            if (parse_int(v, 1, 64, &a->jobs) != 0) {
                fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub, em_tr("--jobs は 1～64 です", "--jobs must be 1..64"));
                return EM_EXIT_USAGE;
            }
        } else if (strcmp(o, "--hub-min") == 0) {
            if (parse_int(v, 1, 100000, &a->hub_min) != 0) {
                fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub, em_tr("--hub-min は 1 以上の整数です", "--hub-min must be a whole number >= 1"));
                return EM_EXIT_USAGE;
            }
        } else if (strcmp(o, "--data") == 0) a->data = v;
        else if (strcmp(o, "--survey-date") == 0) a->survey_date = v;
        else if (strcmp(o, "--link") == 0) a->link = v;
        else if (strcmp(o, "--format") == 0) a->formats = v;
        else if (strcmp(o, "--lang") == 0) {
            if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0) {
                fprintf(stderr, em_tr("edgemap fleet %s: --lang は ja か en です\n", "edgemap fleet %s: --lang must be ja or en\n"), sub);
                return EM_EXIT_USAGE;
            }
            em_lang_set(strcmp(v, "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        } else if (strcmp(o, "--force") == 0) a->force = true;
        else if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            fputs(usage_text, stdout);
            return EM_EXIT_OK;
        } else if (o[0] == '-' && o[1]) {
            fprintf(stderr, em_tr("edgemap fleet %s: 不明なオプション '%s'\n", "edgemap fleet %s: unknown option '%s'\n"), sub, o);
            fputs(usage_text, stderr);
            return EM_EXIT_USAGE;
        } else {
            a->folders[a->nfolders++] = o;
            continue;
        }
        if (needs) i++;
    }
    if (!a->db) {
        fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub, em_tr("--db でデータベースを指定してください", "give the store with --db"));
        return EM_EXIT_USAGE;
    }
    return -1;
}

static int need_round(const char *sub, const struct fargs *a, size_t n)
{
    if (a->nrounds == n) return -1;
    fprintf(stderr, "%s %s: %s\n", EM_FLEET_CMD, sub,
            n == 1 ? em_tr("--round を1つ指定してください", "give one --round")
                   : em_tr("--round を2つ指定してください（比較する回）", "give two --round (the rounds to compare)"));
    return EM_EXIT_USAGE;
}

static const char *ext_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static int cmd_ingest(struct fargs *a)
{
    int rc = need_round("ingest", a, 1);
    if (rc >= 0) return rc;
    if (a->nfolders == 0) {
        fprintf(stderr, "%s: %s\n", N_INGEST, em_tr("医療機関のフォルダを指定してください", "give the hospital folders"));
        return EM_EXIT_USAGE;
    }
    struct em_fleet_ingest_opts o = {a->rounds[0], a->jobs, a->data, a->survey_date, a->force, isatty(2) == 1};
    struct em_fleet_ingest_stats st;
    struct em_err err = {0};
    rc = em_fleet_ingest(a->db, a->folders, a->nfolders, &o, &st, &err);
    if (rc != 0) {
        print_err("ingest", &err);
        return EM_EXIT_USAGE;
    }
    fprintf(stderr, em_tr("edgemap fleet ingest: 回 %s: フォルダ %zu、取り込み %zu、変更なし %zu、失敗 %zu（実行ID %s）\n",
                          "edgemap fleet ingest: round %s: %zu folders, %zu ingested, %zu unchanged, %zu failed (run %s)\n"),
            a->rounds[0], st.folders, st.ingested, st.unchanged, st.failed, st.run_id);
    return st.failed ? EM_EXIT_FINDINGS : EM_EXIT_OK;
}

/* The outputs of one run as a set (mapper/outset.h): all written, or none. "-" is
 * stdout, written directly. Returns the set (caller frees), or NULL after printing why. */
static struct em_outset *out_set(const char *sub, const char *const *outs, size_t n)
{
    struct em_outset *set = em_outset_new();
    struct em_err err = {0};
    for (size_t i = 0; set && i < n; i++)
        if (strcmp(outs[i], "-") != 0 && em_outset_add(set, outs[i], &err) < 0) {
            print_err(sub, &err);
            em_outset_free(set);
            return NULL;
        }
    return set;
}

/* Puts data as output path (its index in the set) or onto stdout for "-". */
static int out_put(struct em_outset *set, const char *path, const char *data, size_t len, struct em_err *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return em_err_set(err, EM_ERR_IO, "", "", 0, "", "%s", em_tr("標準出力に書けません", "cannot write to stdout"));
        return 0;
    }
    for (size_t i = 0; i < em_outset_count(set); i++)
        if (strcmp(em_outset_path(set, i), path) == 0) return em_outset_put(set, i, data, len, err);
    return em_err_set(err, EM_ERR_USAGE, path, "", 0, "", "%s", em_tr("この実行の出力ではありません", "not an output of this run"));
}

/* The index of path in the set. */
static size_t out_idx(const struct em_outset *set, const char *path)
{
    for (size_t i = 0; i < em_outset_count(set); i++)
        if (strcmp(em_outset_path(set, i), path) == 0) return i;
    return 0;
}

static struct em_db *open_store(const char *sub, const char *url)
{
    struct em_err err = {0};
    struct em_db *db = em_fleet_open(url, &err);
    if (!db) print_err(sub, &err);
    return db;
}

/* ---- xlsx through book/ (the one home of libxlsxwriter): one sheet per table ---- */

static int xlsx_table(void *ctx, const struct em_fleet_table *t)
{
    struct em_book *b = ctx;
    struct em_book_sheet *s = em_book_add_sheet(b, t->sheet, t->header, t->ncols);
    if (!s) return -1;
    int rc = 0;
    for (size_t i = 0; i < t->nrows && rc == 0; i++)
        for (size_t c = 0; c < t->ncols && rc == 0; c++) {
            const char *v = t->cells[i * t->ncols + c];
            char *end = NULL;
            double d = t->numeric[c] && *v ? strtod(v, &end) : 0;
            rc = t->numeric[c] && end && *end == '\0' ? em_book_number(s, (long)i + 1, (long)c, d, EM_BS_PLAIN)
                                                       : em_book_text(s, (long)i + 1, (long)c, v, EM_BS_PLAIN);
        }
    if (rc == 0 && t->nrows) rc = em_book_filter(s, 0, 0, (long)t->nrows, (long)t->ncols - 1);
    return rc;
}

static bool is_xlsx(const char *path) { return strcmp(ext_of(path), "xlsx") == 0; }

static int cmd_report(struct fargs *a)
{
    int rc = need_round("report", a, 1);
    if (rc >= 0) return rc;
    if (a->nouts == 0) {
        fprintf(stderr, "%s: %s\n", N_REPORT, em_tr("出力ファイルを -o で指定してください", "give at least one output with -o"));
        return EM_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->nouts; i++) {
        const char *e = ext_of(a->outs[i]);
        if (strcmp(e, "html") != 0 && strcmp(e, "json") != 0 && strcmp(e, "xlsx") != 0) {
            fprintf(stderr, "%s: %s: %s\n", N_REPORT, a->outs[i],
                    em_tr("出力形式が分かりません（.html .json .xlsx のいずれか）", "unknown output format (use .html, .json or .xlsx)"));
            return EM_EXIT_USAGE;
        }
    }
    struct em_db *db = open_store("report", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fleet_report_opts ro = {a->rounds[0], a->link, a->hub_min};
    /* one pass of queries fills every format; files are written when all are built
     * (the workbook by book/, atomically, then the text outputs) */
    const char *html = NULL, *json = NULL, *xlsx = NULL;
    for (size_t i = 0; i < a->nouts; i++) {
        const char **slot = is_xlsx(a->outs[i]) ? &xlsx : strcmp(ext_of(a->outs[i]), "json") == 0 ? &json : &html;
        if (*slot) {
            fprintf(stderr, "%s: %s\n", N_REPORT, em_tr("各形式の -o は1つずつです", "give each format once"));
            em_db_close(db);
            return EM_EXIT_USAGE;
        }
        *slot = a->outs[i];
    }
    struct em_outset *set = out_set("report", a->outs, a->nouts);
    if (!set) {
        em_db_close(db);
        return EM_EXIT_USAGE;
    }
    struct em_fbuf bufs[2] = {{0}};
    struct em_err err = {0};
    rc = EM_EXIT_OK;
    struct em_book *bk = NULL;
    if (xlsx) {
        bk = em_book_new(set, out_idx(set, xlsx), &err);
        if (!bk || em_book_properties(bk, em_tr("外部接続 全国調査報告", "External connections: national survey report"),
                                      a->rounds[0]) != 0)
            rc = EM_EXIT_USAGE;
    }
    if (rc == EM_EXIT_OK &&
        em_fleet_report_all(db, &ro, html ? &bufs[0] : NULL, json ? &bufs[1] : NULL, bk ? xlsx_table : NULL, bk, &err) != 0)
        rc = EM_EXIT_USAGE;
    if (bk && rc == EM_EXIT_OK) {
        if (em_book_close(bk, &err) != 0) rc = EM_EXIT_USAGE;
    } else {
        em_book_discard(bk);
    }
    /* every output built, then the set written: all of them or none */
    if (rc == EM_EXIT_OK && html && out_put(set, html, bufs[0].data, bufs[0].len, &err) != 0) rc = EM_EXIT_USAGE;
    if (rc == EM_EXIT_OK && json && out_put(set, json, bufs[1].data, bufs[1].len, &err) != 0) rc = EM_EXIT_USAGE;
    if (rc == EM_EXIT_OK && em_outset_commit(set, &err) != 0) rc = EM_EXIT_USAGE;
    if (rc != EM_EXIT_OK) {
        if (!err.msg[0]) em_err_set(&err, EM_ERR_IO, "", "", 0, "", "%s", em_tr("書き込めません", "cannot write"));
        print_err("report", &err);
    }
    em_outset_free(set);
    for (size_t i = 0; i < 2; i++) em_fbuf_free(&bufs[i]);
    em_db_close(db);
    return rc;
}

static int cmd_advisories(struct fargs *a)
{
    if (a->nrounds > 1) return need_round("advisories", a, 1);
    if (a->nouts == 0) {
        fprintf(stderr, "%s: %s\n", N_ADVISORIES, em_tr("通知リストの出力先を -o で指定してください（.csv）", "give the notification list with -o (.csv)"));
        return EM_EXIT_USAGE;
    }
    const char *xlsx = NULL;
    for (size_t i = 0; i < a->nouts; i++) {
        if (is_xlsx(a->outs[i]) && !xlsx) {
            xlsx = a->outs[i];
            continue;
        }
        if (strcmp(ext_of(a->outs[i]), "csv") != 0 && strcmp(a->outs[i], "-") != 0) {
            fprintf(stderr, "%s: %s: %s\n", N_ADVISORIES, a->outs[i],
                    em_tr("出力形式が分かりません（.csv または .xlsx 1つ）", "unknown output format (use .csv, or one .xlsx)"));
            return EM_EXIT_USAGE;
        }
    }
    struct em_db *db = open_store("advisories", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fbuf csv = {0};
    struct em_fleet_advise_stats st;
    struct em_err err = {0};
    int rc = EM_EXIT_OK;
    struct em_outset *set = out_set("advisories", a->outs, a->nouts);
    struct em_book *bk = set && xlsx ? em_book_new(set, out_idx(set, xlsx), &err) : NULL;
    if (!set || (xlsx && (!bk || em_book_properties(bk, em_tr("脆弱性アドバイザリ 通知リスト", "Advisory notification list"), "") != 0))) {
        if (set) print_err("advisories", &err);
        em_book_discard(bk);
        em_outset_free(set);
        em_fbuf_free(&csv);
        em_db_close(db);
        return EM_EXIT_USAGE;
    }
    if (em_fleet_advise_tables(db, a->data, a->nrounds ? a->rounds[0] : NULL, &csv,
                               bk ? xlsx_table : NULL, bk, &st, &err) != 0)
        rc = EM_EXIT_USAGE;
    if (bk && rc == EM_EXIT_OK) {
        if (em_book_close(bk, &err) != 0) rc = EM_EXIT_USAGE;
    } else {
        em_book_discard(bk);
    }
    for (size_t i = 0; i < a->nouts && rc == EM_EXIT_OK; i++)
        if (!is_xlsx(a->outs[i]) && out_put(set, a->outs[i], csv.data, csv.len, &err) != 0) rc = EM_EXIT_USAGE;
    if (rc == EM_EXIT_OK && em_outset_commit(set, &err) != 0) rc = EM_EXIT_USAGE;
    /* the evaluation is recorded once computed: a list that failed to reach its files is
     * said so, and the next evaluation counts these hits as known */
    if (rc != EM_EXIT_OK) print_err("advisories", &err);
    em_outset_free(set);
    if (rc == EM_EXIT_OK)
        fprintf(stderr, em_tr("edgemap fleet advisories: 装置 %zu、該当 %zu（前回の評価から新たに %zu 件、%zu 医療機関）評価ID %s\n",
                              "edgemap fleet advisories: %zu devices, %zu hits (%zu new since the previous evaluation, %zu hospitals), evaluation %s\n"),
                st.devices, st.hits, st.new_hits, st.hospitals_new, st.eval_id);
    em_fbuf_free(&csv);
    em_db_close(db);
    return rc;
}

static int cmd_diff(struct fargs *a)
{
    int rc = need_round("diff", a, 2);
    if (rc >= 0) return rc;
    if (a->nouts > 1) {
        fprintf(stderr, "%s: %s\n", N_DIFF, em_tr("-o は1つだけ指定できます", "give -o at most once"));
        return EM_EXIT_USAGE;
    }
    const char *out = a->nouts ? a->outs[0] : "-";
    enum em_fleet_fmt f = strcmp(ext_of(out), "json") == 0 ? EM_FLEET_JSON : EM_FLEET_TEXT;
    struct em_db *db = open_store("diff", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fbuf b = {0};
    struct em_err err = {0};
    rc = EM_EXIT_OK;
    struct em_outset *set = out_set("diff", &out, 1);
    /* EM_FLEET_TEXT: the listing for people */
    if (!set) rc = EM_EXIT_USAGE;
    else if (em_fleet_diff(db, a->rounds[0], a->rounds[1], f, &b, &err) != 0 ||
             out_put(set, out, b.data, b.len, &err) != 0 || em_outset_commit(set, &err) != 0) {
        print_err("diff", &err);
        rc = EM_EXIT_USAGE;
    }
    em_outset_free(set);
    em_fbuf_free(&b);
    em_db_close(db);
    return rc;
}

/* ---- batch render: a pool of long-lived workers forked after render/ is warm ---- */

struct rctx {
    const char *outdir, *data;
    const char *formats[8];
    size_t nformats;
    struct em_fleet_hosp *h;
    size_t done, failed;
    bool progress;
    size_t total;
};

static int write_model_json(FILE *f, const struct em_model *m) { return em_model_write_json(f, m, NULL, NULL); }

/* Renders hospital h into OUTDIR/<id>/; "" on success, else a message (malloc'd). */
static char *render_one(const struct rctx *c, const struct em_fleet_hosp *h)
{
    struct em_fleet_folder f;
    struct em_err err = {0};
    char hash[65], msg[2300];
    struct em_model *m = NULL;
    if (em_fleet_folder_scan(h->path, &f, &err) != 0) goto fail;
    if (em_fleet_folder_hash(&f, hash, &err) != 0) {
        em_fleet_folder_free(&f);
        goto fail;
    }
    if (strcmp(hash, h->hash) != 0) {
        em_fleet_folder_free(&f);
        em_err_set(&err, EM_ERR_USAGE, h->path, "", 0, "", "%s",
                   em_tr("取り込み後にフォルダの内容が変わっています（fleet ingest をやり直してください）",
                         "the folder changed since it was ingested (run fleet ingest again)"));
        goto fail;
    }
    int rc = em_fleet_folder_load(&f, c->data, *h->survey_date ? h->survey_date : NULL, &m, &err);
    em_fleet_folder_free(&f);
    if (rc != 0) goto fail;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", c->outdir, h->id);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        em_err_set(&err, EM_ERR_IO, dir, "", 0, "", "%s", strerror(errno));
        em_model_free(m);
        goto fail;
    }
    struct em_outset *set = em_outset_new();
    rc = set ? 0 : em_err_set(&err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
    for (size_t i = 0; rc == 0 && i < c->nformats; i++) {
        const char *fmt = c->formats[i];
        const char *base = strcmp(fmt, "html") == 0 ? "report" : strcmp(fmt, "csv") == 0 ? "targets"
                         : strcmp(fmt, "json") == 0 ? "model" : "diagram";
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.%s", dir, base, fmt);
        if (em_outset_add(set, path, &err) < 0) rc = -1;
    }
    struct em_render_opts ro = {.json = write_model_json};
    if (rc == 0) rc = em_render_files(m, set, &ro, &err);
    if (rc == 0) rc = em_outset_commit(set, &err);
    em_outset_free(set);
    em_model_free(m);
    if (rc == 0) return strdup("");
fail:
    em_err_format(&err, msg, sizeof msg);
    size_t need = strlen(h->id) + strlen(msg) + 3;
    char *out = malloc(need);
    if (out) snprintf(out, need, "%s: %s", h->id, msg);
    return out;
}

static int render_work(void *ctx, const char *job, size_t len, struct em_fbuf *reply)
{
    const struct rctx *c = ctx;
    (void)len;
    char *end;
    unsigned long i = strtoul(job, &end, 10);
    char *r = render_one(c, &c->h[i]);
    em_fbuf_str(reply, r ? r : "out of memory");
    free(r);
    return 0;
}

static void render_result(struct rctx *c, const char *msg)
{
    c->done++;
    if (*msg) {
        c->failed++;
        fprintf(stderr, "%s%s: %s\n", c->progress ? "\n" : "", N_RENDER, msg);
    }
    if (c->progress) fprintf(stderr, em_tr("\r描画中 %zu/%zu（失敗 %zu）", "\rrendering %zu/%zu (failed %zu)"), c->done, c->total, c->failed);
}

static int render_done(void *ctx, size_t job, const char *reply, size_t len, const char *why)
{
    struct rctx *c = ctx;
    (void)len;
    char msg[512];
    if (*why) snprintf(msg, sizeof msg, em_tr("%s: 描画中に処理が停止しました（%s）", "%s: the worker stopped while drawing it (%s)"),
                       c->h[job + 1].id, why);
    render_result(c, *why ? msg : reply);
    return 0;
}

static int cmd_render(struct fargs *a)
{
    int rc = need_round("render", a, 1);
    if (rc >= 0) return rc;
    if (a->nouts != 1) {
        fprintf(stderr, "%s: %s\n", N_RENDER, em_tr("出力先のフォルダを -o で1つ指定してください", "give one output folder with -o"));
        return EM_EXIT_USAGE;
    }
    struct rctx c = {.outdir = a->outs[0], .data = a->data, .progress = isatty(2) == 1};
    char fmts[128];
    snprintf(fmts, sizeof fmts, "%s", a->formats ? a->formats : "svg,pdf,html,csv");
    for (char *save = NULL, *t = strtok_r(fmts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (c.nformats >= 8 || (strcmp(t, "svg") && strcmp(t, "pdf") && strcmp(t, "png") && strcmp(t, "html") &&
                                strcmp(t, "csv") && strcmp(t, "json") && strcmp(t, "dot"))) {
            fprintf(stderr, "%s: --format: %s\n", N_RENDER,
                    em_tr("svg,pdf,png,html,csv,json,dot から選んでください", "choose from svg,pdf,png,html,csv,json,dot"));
            return EM_EXIT_USAGE;
        }
        c.formats[c.nformats++] = t;
    }
    if (mkdir(c.outdir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s: %s\n", N_RENDER, c.outdir, strerror(errno));
        return EM_EXIT_USAGE;
    }
    struct em_db *db = open_store("render", a->db);
    if (!db) return EM_EXIT_USAGE;
    size_t n = 0;
    struct em_err err = {0};
    rc = em_fleet_hospitals(db, a->rounds[0], &c.h, &n, &err);
    em_db_close(db);   /* the workers never touch the store */
    if (rc != 0) {
        print_err("render", &err);
        return EM_EXIT_USAGE;
    }
    c.total = n;
    if (n > 0) {
        /* Graphviz's context, fontconfig and the diagram's fonts are loaded here once
         * (em_render_warm: each graph's layout child would load them again), and the
         * first hospital is drawn here for the data files: every worker forked after
         * this inherits both */
        (void)em_render_warm();
        char *r = render_one(&c, &c.h[0]);
        render_result(&c, r ? r : "out of memory");
        free(r);
    }
    if (n > 1) {
        char **jobs = calloc(n - 1, sizeof *jobs);
        for (size_t i = 1; jobs && i < n; i++) {
            jobs[i - 1] = malloc(24);
            if (jobs[i - 1]) snprintf(jobs[i - 1], 24, "%zu", i);
        }
        int jn = a->jobs < (int)(n - 1) ? a->jobs : (int)(n - 1);
        struct em_fleet_pool *pool = jobs ? em_fleet_pool_new(jn, render_work, &c, 600, &err) : NULL;
        if (!pool || em_fleet_pool_run(pool, (const char *const *)jobs, n - 1, render_done, &c, &err) != 0) {
            print_err("render", &err);
            rc = EM_EXIT_USAGE;
        }
        em_fleet_pool_free(pool);
        for (size_t i = 0; jobs && i < n - 1; i++) free(jobs[i]);
        free(jobs);
    }
    em_render_cleanup();
    if (c.progress) fputc('\n', stderr);
    fprintf(stderr, em_tr("edgemap fleet render: 回 %s: 医療機関 %zu、描画 %zu、失敗 %zu → %s\n",
                          "edgemap fleet render: round %s: %zu hospitals, %zu drawn, %zu failed -> %s\n"),
            a->rounds[0], n, c.done - c.failed, c.failed, c.outdir);
    em_fleet_hosps_free(c.h, n);
    if (rc == 0 && c.failed) rc = EM_EXIT_FINDINGS;
    return rc;
}

int em_cmd_fleet(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EM_EXIT_USAGE : EM_EXIT_OK;
    }
    const char *sub = argv[1];
    struct fargs a;
    int rc = parse(sub, argc - 1, argv + 1, &a);
    /* the data directory as every command finds it (--data, EDGEMAP_DATA, the build
     * tree, the installed DATADIR), for the sub-commands that judge devices */
    if (rc < 0 && (strcmp(sub, "ingest") == 0 || strcmp(sub, "advisories") == 0 || strcmp(sub, "render") == 0)) {
        const char *dir = NULL;
        if (em_cmd_data_ready(a.data, &dir) != 0) rc = EM_EXIT_USAGE;
        else a.data = dir;
        em_cmd_about(a.data);
    }
    if (rc < 0) {
        if (strcmp(sub, "ingest") == 0) rc = cmd_ingest(&a);
        else if (strcmp(sub, "report") == 0) rc = cmd_report(&a);
        else if (strcmp(sub, "advisories") == 0) rc = cmd_advisories(&a);
        else if (strcmp(sub, "diff") == 0) rc = cmd_diff(&a);
        else if (strcmp(sub, "render") == 0) rc = cmd_render(&a);
        else {
            fprintf(stderr, em_tr("edgemap fleet: 不明なサブコマンド '%s'\n", "edgemap fleet: unknown sub-command '%s'\n"), sub);
            fputs(usage_text, stderr);
            rc = EM_EXIT_USAGE;
        }
    }
    free(a.folders);
    return rc;
}
