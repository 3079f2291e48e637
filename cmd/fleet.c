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

#include "cmd/cmd.h"
#include "fleet/fleet.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/model.h"
#include "mapper/records.h"
#include "render/render.h"

static const char usage_text[] =
    "usage: edgemap fleet ingest     --db DB --round R [--jobs N] [--force] [--data DIR]\n"
    "                                [--survey-date YYYY-MM-DD] FOLDER...\n"
    "       edgemap fleet report     --db DB --round R -o national.html|.json [-o ...] [--lang ja|en]\n"
    "                                [--link PATTERN] [--hub-min N]\n"
    "       edgemap fleet advisories --db DB [--data DIR] [--round R] -o notify.csv\n"
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
    fprintf(stderr, "edgemap fleet %s: %s\n", sub, buf);
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
                fprintf(stderr, "edgemap fleet %s: %s\n", sub, em_tr("--round は2回までです", "--round at most twice"));
                return EM_EXIT_USAGE;
            }
            a->rounds[a->nrounds++] = v;
        } else if (strcmp(o, "-o") == 0) {
            if (a->nouts >= 16) return EM_EXIT_USAGE;
            a->outs[a->nouts++] = v;
        } else if (strcmp(o, "--jobs") == 0) {
            if (parse_int(v, 1, 64, &a->jobs) != 0) {
                fprintf(stderr, "edgemap fleet %s: %s\n", sub, em_tr("--jobs は 1～64 です", "--jobs must be 1..64"));
                return EM_EXIT_USAGE;
            }
        } else if (strcmp(o, "--hub-min") == 0) {
            if (parse_int(v, 1, 100000, &a->hub_min) != 0) {
                fprintf(stderr, "edgemap fleet %s: %s\n", sub, em_tr("--hub-min は 1 以上の整数です", "--hub-min must be a whole number >= 1"));
                return EM_EXIT_USAGE;
            }
        } else if (strcmp(o, "--data") == 0) a->data = v;
        else if (strcmp(o, "--survey-date") == 0) a->survey_date = v;
        else if (strcmp(o, "--link") == 0) a->link = v;
        else if (strcmp(o, "--format") == 0) a->formats = v;
        else if (strcmp(o, "--lang") == 0) {
            if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0) {
                fprintf(stderr, "edgemap fleet %s: --lang must be ja or en\n", sub);
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
        fprintf(stderr, "edgemap fleet %s: %s\n", sub, em_tr("--db でデータベースを指定してください", "give the store with --db"));
        return EM_EXIT_USAGE;
    }
    return -1;
}

static int need_round(const char *sub, const struct fargs *a, size_t n)
{
    if (a->nrounds == n) return -1;
    fprintf(stderr, "edgemap fleet %s: %s\n", sub,
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
        fprintf(stderr, "edgemap fleet ingest: %s\n", em_tr("医療機関のフォルダを指定してください", "give the hospital folders"));
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

/* Writes data to path atomically, or to stdout for "-". */
static int write_out(const char *sub, const char *path, const char *data, size_t len)
{
    struct em_err err = {0};
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "edgemap fleet %s: %s\n", sub, em_tr("標準出力に書けません", "cannot write to stdout"));
            return -1;
        }
        return 0;
    }
    if (em_write_atomic(path, data, len, &err) != 0) {
        print_err(sub, &err);
        return -1;
    }
    return 0;
}

static struct em_db *open_store(const char *sub, const char *url)
{
    struct em_err err = {0};
    struct em_db *db = em_fleet_open(url, &err);
    if (!db) print_err(sub, &err);
    return db;
}

static int cmd_report(struct fargs *a)
{
    int rc = need_round("report", a, 1);
    if (rc >= 0) return rc;
    if (a->nouts == 0) {
        fprintf(stderr, "edgemap fleet report: %s\n", em_tr("出力ファイルを -o で指定してください", "give at least one output with -o"));
        return EM_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->nouts; i++) {
        const char *e = ext_of(a->outs[i]);
        if (strcmp(e, "html") != 0 && strcmp(e, "json") != 0) {
            fprintf(stderr, "edgemap fleet report: %s: %s\n", a->outs[i],
                    em_tr("出力形式が分かりません（.html .json のいずれか）", "unknown output format (use .html or .json)"));
            return EM_EXIT_USAGE;
        }
    }
    struct em_db *db = open_store("report", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fleet_report_opts ro = {a->rounds[0], a->link, a->hub_min};
    /* every output built first, then written: all of them or none */
    struct em_fbuf bufs[16] = {{0}};
    struct em_err err = {0};
    rc = EM_EXIT_OK;
    for (size_t i = 0; i < a->nouts && rc == EM_EXIT_OK; i++) {
        enum em_fleet_fmt f = strcmp(ext_of(a->outs[i]), "json") == 0 ? EM_FLEET_JSON : EM_FLEET_HTML;
        if (em_fleet_report(db, &ro, f, &bufs[i], &err) != 0) {
            print_err("report", &err);
            rc = EM_EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < a->nouts && rc == EM_EXIT_OK; i++)
        if (write_out("report", a->outs[i], bufs[i].data, bufs[i].len) != 0) rc = EM_EXIT_USAGE;
    for (size_t i = 0; i < a->nouts; i++) em_fbuf_free(&bufs[i]);
    em_db_close(db);
    return rc;
}

static int cmd_advisories(struct fargs *a)
{
    if (a->nrounds > 1) return need_round("advisories", a, 1);
    if (a->nouts == 0) {
        fprintf(stderr, "edgemap fleet advisories: %s\n", em_tr("通知リストの出力先を -o で指定してください（.csv）", "give the notification list with -o (.csv)"));
        return EM_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->nouts; i++)
        if (strcmp(ext_of(a->outs[i]), "csv") != 0 && strcmp(a->outs[i], "-") != 0) {
            fprintf(stderr, "edgemap fleet advisories: %s: %s\n", a->outs[i],
                    em_tr("出力形式が分かりません（.csv）", "unknown output format (use .csv)"));
            return EM_EXIT_USAGE;
        }
    struct em_db *db = open_store("advisories", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fbuf csv = {0};
    struct em_fleet_advise_stats st;
    struct em_err err = {0};
    int rc = EM_EXIT_OK;
    if (em_fleet_advise(db, a->data ? a->data : em_data_dir(), a->nrounds ? a->rounds[0] : NULL, &csv, &st, &err) != 0) {
        print_err("advisories", &err);
        rc = EM_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->nouts && rc == EM_EXIT_OK; i++)
        if (write_out("advisories", a->outs[i], csv.data, csv.len) != 0) rc = EM_EXIT_USAGE;
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
        fprintf(stderr, "edgemap fleet diff: %s\n", em_tr("-o は1つだけ指定できます", "give -o at most once"));
        return EM_EXIT_USAGE;
    }
    const char *out = a->nouts ? a->outs[0] : "-";
    enum em_fleet_fmt f = strcmp(ext_of(out), "json") == 0 ? EM_FLEET_JSON : EM_FLEET_HTML;
    struct em_db *db = open_store("diff", a->db);
    if (!db) return EM_EXIT_USAGE;
    struct em_fbuf b = {0};
    struct em_err err = {0};
    rc = EM_EXIT_OK;
    /* EM_FLEET_HTML stands for the text listing here */
    if (em_fleet_diff(db, a->rounds[0], a->rounds[1], f, &b, &err) != 0) {
        print_err("diff", &err);
        rc = EM_EXIT_USAGE;
    } else if (write_out("diff", out, b.data, b.len) != 0) {
        rc = EM_EXIT_USAGE;
    }
    em_fbuf_free(&b);
    em_db_close(db);
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
    if (rc < 0) {
        if (strcmp(sub, "ingest") == 0) rc = cmd_ingest(&a);
        else if (strcmp(sub, "report") == 0) rc = cmd_report(&a);
        else if (strcmp(sub, "advisories") == 0) rc = cmd_advisories(&a);
        else if (strcmp(sub, "diff") == 0) rc = cmd_diff(&a);
        else {
            fprintf(stderr, em_tr("edgemap fleet: 不明なサブコマンド '%s'\n", "edgemap fleet: unknown sub-command '%s'\n"), sub);
            fputs(usage_text, stderr);
            rc = EM_EXIT_USAGE;
        }
    }
    free(a.folders);
    return rc;
}
