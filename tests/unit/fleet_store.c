/* fleet_store.c — the store without processes: the backend interface on SQLite
 * (binding, NULLs, conflicts reported as such), the versioned schema, hospital ids,
 * company grouping, a folder read like `edgemap check` reads it, and a packed model
 * written, replaced, left alone when unchanged, and a failure recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet/fleet.h"
#include "tests/unit/t.h"

static char tmpdir[64];

static const char *tmp(const char *name)
{
    static char buf[8][256];
    static int k;
    k = (k + 1) % 8;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/fleet_store.XXXXXX");
        T_ASSERT(mkdtemp(tmpdir) != NULL);
    }
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void t_db_basics(void)
{
    struct em_err err = {0};
    struct em_db *db = em_db_open(tmp("basic.db"), &err);
    T_ASSERT(db);
    T_EQ_STR(em_db_kind(db), "sqlite");
    T_EQ_INT(em_db_exec(db, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER)", &err), 0);
    struct em_db_stmt *st = em_db_prepare(db, "INSERT INTO t (k, v, n) VALUES (?, ?, ?)", &err);
    T_ASSERT(st);
    T_EQ_INT(em_db_bind_text(st, 1, "a"), 0);
    T_EQ_INT(em_db_bind_text(st, 2, NULL), 0);
    T_EQ_INT(em_db_bind_int(st, 3, 1234567890123LL), 0);
    T_EQ_INT(em_db_step(st, &err), EM_DB_DONE);
    em_db_reset(st);
    em_db_bind_text(st, 1, "a");
    em_db_bind_text(st, 2, "dup");
    em_db_bind_int(st, 3, 1);
    T_EQ_INT(em_db_step(st, &err), EM_DB_CONFLICT);   /* the primary key: retry material */
    em_db_finalize(st);
    long long n = 0;
    T_EQ_INT(em_db_query_int(db, &n, &err, "SELECT n FROM t WHERE k = ?", "a", NULL), EM_DB_DONE);
    T_EQ_INT(n, 1234567890123LL);
    char v[16] = "x";
    T_EQ_INT(em_db_query_text(db, v, sizeof v, &err, "SELECT COALESCE(v, 'null') FROM t", NULL), EM_DB_DONE);
    T_EQ_STR(v, "null");
    /* a transaction rolled back leaves nothing */
    T_EQ_INT(em_db_begin(db, &err), 0);
    T_EQ_INT(em_db_run(db, &err, "INSERT INTO t (k, v, n) VALUES (?, ?, 2)", "b", "\x01", NULL), EM_DB_DONE);
    em_db_rollback(db);
    T_EQ_INT(em_db_query_int(db, &n, &err, "SELECT COUNT(*) FROM t", NULL), EM_DB_DONE);
    T_EQ_INT(n, 1);
    em_err_clear(&err);
    T_ASSERT(em_db_prepare(db, "SELECT nope FROM t", &err) == NULL);
    T_ASSERT(strstr(err.msg, "nope") != NULL);
    em_db_close(db);
}

static void t_schema(void)
{
    struct em_err err = {0};
    struct em_db *db = em_fleet_open(tmp("schema.db"), &err);
    T_ASSERT(db);
    long long v = 0;
    em_db_query_int(db, &v, &err, "SELECT MAX(version) FROM schema_version", NULL);
    T_EQ_INT(v, em_fleet_schema_version());
    /* opening again migrates nothing and records nothing twice */
    T_EQ_INT(em_fleet_migrate(db, &err), 0);
    em_db_query_int(db, &v, &err, "SELECT COUNT(*) FROM schema_version", NULL);
    T_EQ_INT(v, em_fleet_schema_version());
    /* a store written by a newer edgemap is refused, not altered */
    em_db_run(db, &err, "INSERT INTO schema_version (version) VALUES (99)", NULL);
    em_db_close(db);
    em_err_clear(&err);
    T_ASSERT(em_fleet_open(tmp("schema.db"), &err) == NULL);
    T_ASSERT(strstr(err.msg, "99") != NULL);
}

static void t_company(void)
{
    char a[128], b[128], c[128], d[128];
    em_fleet_company("さくらメディカル株式会社 東日本データセンター", a, sizeof a);
    em_fleet_company("さくらメディカル(株)保守センター", b, sizeof b);
    em_fleet_company("ｻｸﾗﾒﾃﾞｨｶﾙ 株式会社", c, sizeof c);
    T_EQ_STR(a, "さくらメディカル");
    T_EQ_STR(b, "さくらメディカル");
    em_fleet_company("データセンター東", d, sizeof d);   /* a site word at the start is the name */
    T_EQ_STR(d, "データセンター東");
#if !defined(__has_include) || !__has_include("mapper/party.h")
    em_fleet_company("Example Networks Inc. Tokyo DC", d, sizeof d);   /* fleet's own rule */
    T_EQ_STR(d, "example");
#endif
    T_ASSERT(em_fleet_is_isp("OCN", "OCN"));
    T_ASSERT(em_fleet_is_isp("ISP", NULL));
    T_ASSERT(!em_fleet_is_isp("さくらメディカル株式会社", "OCN"));
    (void)c;
}

static void t_hospital_id(void)
{
    struct em_model *m = em_model_new();
    char a[72], b[72], c[72];
    const char *src;
    m->site.name = "みなと中央病院";
    m->site.address = "東京都港区1-2-3";
    em_fleet_hospital_id(m, NULL, "h1", a, &src);
    T_EQ_STR(src, "name+address");
    m->site.name = "みなと中央病院 ";   /* spacing and width do not change the id */
    m->site.address = "東京都港区１－２－３";
    em_fleet_hospital_id(m, NULL, "other", b, &src);
    T_ASSERT(strncmp(a, "h-", 2) == 0);
    m->site.address = "東京都港区1-2-4";
    em_fleet_hospital_id(m, NULL, "h1", c, &src);
    T_ASSERT(strcmp(a, c) != 0);
    em_fleet_hospital_id(m, "JP-001", "h1", c, &src);
    T_EQ_STR(c, "JP-001");
    T_EQ_STR(src, "file");
    em_model_free(m);
    (void)b;
}

static const char csv[] =
    "回線No,通信形態,接続先,回線事業者,回線サービス名,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,"
    "装置②_装置の種類,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,電子カルテ接続\r\n"
    "1,インターネット,OCN,NTT東日本,フレッツ光ネクスト,あり,固定IP,203.0.113.5,ルーター,ヤマハ,RTX830,Rev.15.02.09,あり\r\n"
    "2,閉域網,さくらメディカル株式会社 東日本データセンター,NTT東日本,フレッツ・VPN ワイド,なし,,,ルーター,NEC,IX2215,10.7.16,なし\r\n";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    T_ASSERT(f);
    fputs(text, f);
    fclose(f);
}

/* Reads the folder and packs it as a worker would. */
static void pack_folder(const char *dir, struct em_fbuf *out)
{
    struct em_fleet_folder f;
    struct em_err err = {0};
    T_EQ_INT(em_fleet_folder_scan(dir, &f, &err), 0);
    char hash[65], sha[8][65];
    long long bytes[8];
    T_ASSERT(f.n_all <= 8);
    T_EQ_INT(em_fleet_folder_hashes(&f, hash, sha, bytes, &err), 0);
    struct em_model *m = NULL;
    T_EQ_INT(em_fleet_folder_load(&f, "data", "2026-11-25", &m, &err), 0);
    char hid[72];
    const char *src;
    em_fleet_hospital_id(m, f.id, "hosp", hid, &src);
    struct em_fleet_meta meta = {hid, src, "hosp", dir, hash, &f, sha, bytes};
    out->len = 0;
    T_EQ_INT(em_fleet_pack_model(m, &meta, out), 0);
    em_model_free(m);
    em_fleet_folder_free(&f);
}

static long long count(struct em_db *db, const char *sql)
{
    long long n = -1;
    struct em_err err = {0};
    em_db_query_int(db, &n, &err, sql, NULL);
    return n;
}

static void t_store_frames(void)
{
    const char *dir = tmp("hosp");
    mkdir(dir, 0755);
    write_file(tmp("hosp/survey.csv"), csv);
    write_file(tmp("hosp/hospital-id.txt"), "JP-42\n");
    write_file(tmp("hosp/notes.txt"), "not an input\n");
    struct em_err err = {0};
    struct em_db *db = em_fleet_open(tmp("frames.db"), &err);
    T_ASSERT(db);
    struct em_fleet_writer *w = em_fleet_writer_new(db, "2026", "run-1", false);
    struct em_fbuf b = {0};
    pack_folder(dir, &b);
    char outcome = 0;
    unsigned retries = 0;
    T_EQ_INT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err), 0);
    T_EQ_INT(outcome, 'i');
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM submissions WHERE hospital_id = 'JP-42'"), 1);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM lines"), 2);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM source_files"), 2);   /* csv + id file, not notes.txt */
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM devices WHERE cves LIKE '%CVE-2020-5548%'"), 1);
    T_EQ_INT(count(db, "SELECT closed FROM parties WHERE company = 'さくらメディカル'"), 1);
    T_EQ_INT(count(db, "SELECT emr FROM parties WHERE company = 'ocn'"), 1);
    /* the same frame again: unchanged, nothing rewritten */
    T_EQ_INT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err), 0);
    T_EQ_INT(outcome, 'u');
    /* a changed folder replaces the hospital's rows */
    char *one = strdup(csv);
    char *cut = strstr(one, "2,閉域網");
    *cut = '\0';
    write_file(tmp("hosp/survey.csv"), one);
    free(one);
    pack_folder(dir, &b);
    T_EQ_INT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err), 0);
    T_EQ_INT(outcome, 'i');
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM lines"), 1);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM parties"), 1);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM submissions"), 1);
    /* a failure is recorded with its message, and cleared when the folder reads again */
    b.len = 0;
    T_EQ_INT(em_fleet_pack_failure("hosp", dir, "", "survey.csv", "壊れています", &b), 0);
    T_EQ_INT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err), 0);
    T_EQ_INT(outcome, 'f');
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM failures WHERE message = '壊れています'"), 1);
    write_file(tmp("hosp/survey.csv"), csv);
    pack_folder(dir, &b);
    T_EQ_INT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err), 0);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM failures"), 0);
    /* a corrupt frame is refused, not half-written */
    b.data[b.len / 2] ^= 0x55;
    b.data[0] = 77;
    em_err_clear(&err);
    T_ASSERT(em_fleet_store_frame(w, b.data, b.len, &outcome, &retries, &err) != 0);
    T_EQ_INT(count(db, "SELECT COUNT(*) FROM lines"), 2);
    em_fbuf_free(&b);
    em_fleet_writer_free(w);
    em_db_close(db);
}

static void t_folder_refusals(void)
{
    struct em_fleet_folder f;
    struct em_err err = {0};
    const char *dir = tmp("empty");
    mkdir(dir, 0755);
    T_ASSERT(em_fleet_folder_scan(dir, &f, &err) != 0);
    T_ASSERT(strstr(err.msg, ".xlsx") != NULL);
    const char *d2 = tmp("badid");
    mkdir(d2, 0755);
    write_file(tmp("badid/survey.csv"), csv);
    write_file(tmp("badid/hospital-id.txt"), "no spaces allowed\n");
    em_err_clear(&err);
    T_ASSERT(em_fleet_folder_scan(d2, &f, &err) != 0);
    T_ASSERT(strstr(err.file, "hospital-id.txt") != NULL);
}

static const struct t_case cases[] = {
    {"db: bind, NULL, conflicts, rollback, errors named", t_db_basics},
    {"schema: versioned, migrations once, newer store refused", t_schema},
    {"company: legal forms and sites dropped, one group; ISPs told apart", t_company},
    {"hospital id: name+address normalised, explicit id wins", t_hospital_id},
    {"store: frame in, unchanged, replaced, failure recorded and cleared, corrupt refused", t_store_frames},
    {"folder: no workbook / bad id file refused by name", t_folder_refusals},
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    if (tmpdir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) rc = 1;
    }
    return rc;
}
