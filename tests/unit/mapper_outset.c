/* mapper_outset.c — the one output writer: all-or-none sets, inputs refused,
 * symlinks, devices written through, long names, missing folders. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapper/lang.h"
#include "mapper/outset.h"
#include "tests/unit/t.h"

static char tmpdir[256];

static void mk_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/em-outset-XXXXXX");
    T_ASSERT(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    T_ASSERT(system(cmd) == 0);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    T_ASSERT(f);
    fputs(text, f);
    T_ASSERT(fclose(f) == 0);
}

/* The file's content (static buffer), "" when missing. */
static const char *content(const char *path)
{
    static char buf[256];
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int entries(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", tmpdir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

static void t_writes_and_mode(void)
{
    mk_tmp();
    char path[512];
    snprintf(path, sizeof path, "%s/ok.txt", tmpdir);
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, path, &err), 0);
    T_EQ_INT(em_outset_put(s, 0, "hello", 5, &err), 0);
    T_EQ_STR(content(path), "");   /* nothing before the commit */
    T_EQ_INT(em_outset_commit(s, &err), 0);
    em_outset_free(s);
    T_EQ_STR(content(path), "hello");
    struct stat st;
    T_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) != 0600);
    /* an existing file keeps its permissions */
    T_ASSERT(chmod(path, 0640) == 0);
    s = em_outset_new();
    T_EQ_INT(em_outset_add(s, path, &err), 0);
    T_EQ_INT(em_outset_put(s, 0, "again", 5, &err), 0);
    T_EQ_INT(em_outset_commit(s, &err), 0);
    em_outset_free(s);
    T_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
    T_EQ_STR(content(path), "again");
    T_EQ_INT(entries(), 1);
    rm_tmp();
}

static void t_missing_folder(void)
{
    em_lang_set(EM_LANG_EN);
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, "/nonexistent-dir/x.svg", &err), EM_ERR_IO);
    T_EQ_STR(err.file, "/nonexistent-dir/x.svg");
    T_ASSERT(strstr(err.msg, "output folder does not exist: /nonexistent-dir"));
    em_outset_free(s);
    em_lang_set(EM_LANG_JA);
    em_err_clear(&err);
    s = em_outset_new();
    T_ASSERT(em_outset_add(s, "/nonexistent-dir/y/x.svg", &err) < 0);
    T_ASSERT(strstr(err.msg, "出力先のフォルダがありません"));
    em_outset_free(s);
}

static void t_all_or_none(void)
{
    mk_tmp();
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/a.svg", tmpdir);
    snprintf(b, sizeof b, "%s/b.html", tmpdir);
    put_file(a, "old a");
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, a, &err), 0);
    T_EQ_INT(em_outset_add(s, b, &err), 1);
    T_EQ_INT(em_outset_put(s, 0, "new a", 5, &err), 0);
    /* b never written: the commit refuses, a stays old, no temp is left */
    T_ASSERT(em_outset_commit(s, &err) < 0);
    em_outset_free(s);
    T_EQ_STR(content(a), "old a");
    T_EQ_INT(entries(), 1);
    /* freed before commit: the same */
    s = em_outset_new();
    T_EQ_INT(em_outset_add(s, a, &err), 0);
    T_EQ_INT(em_outset_put(s, 0, "new a", 5, &err), 0);
    em_outset_free(s);
    T_EQ_STR(content(a), "old a");
    T_EQ_INT(entries(), 1);
    /* a device that fails (/dev/full) cancels the set before any rename */
    em_err_clear(&err);
    s = em_outset_new();
    T_EQ_INT(em_outset_add(s, a, &err), 0);
    T_EQ_INT(em_outset_add(s, "/dev/full", &err), 1);
    T_EQ_INT(em_outset_put(s, 0, "new a", 5, &err), 0);
    T_EQ_INT(em_outset_put(s, 1, "x", 1, &err), 0);
    T_EQ_INT(em_outset_commit(s, &err), EM_ERR_IO);
    T_EQ_STR(err.file, "/dev/full");
    em_outset_free(s);
    T_EQ_STR(content(a), "old a");
    T_EQ_INT(entries(), 1);
    rm_tmp();
}

static void t_input_refused(void)
{
    mk_tmp();
    char in[512], link[512];
    snprintf(in, sizeof in, "%s/survey.csv", tmpdir);
    snprintf(link, sizeof link, "%s/alias.csv", tmpdir);
    put_file(in, "data");
    T_ASSERT(symlink("survey.csv", link) == 0);
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    em_outset_input(s, in);
    T_EQ_INT(em_outset_add(s, in, &err), EM_ERR_USAGE);
    em_err_clear(&err);
    T_EQ_INT(em_outset_add(s, link, &err), EM_ERR_USAGE);   /* through a symlink */
    em_outset_free(s);
    /* the same output twice */
    snprintf(in, sizeof in, "%s/new.svg", tmpdir);
    s = em_outset_new();
    em_err_clear(&err);
    T_EQ_INT(em_outset_add(s, in, &err), 0);
    T_EQ_INT(em_outset_add(s, in, &err), EM_ERR_USAGE);
    em_outset_free(s);
    T_EQ_STR(content(link), "data");
    rm_tmp();
}

static void t_symlinks_and_devices(void)
{
    mk_tmp();
    char real[512], link[512], dang[512], devlink[512];
    snprintf(real, sizeof real, "%s/real.svg", tmpdir);
    snprintf(link, sizeof link, "%s/link.svg", tmpdir);
    snprintf(dang, sizeof dang, "%s/dangling.svg", tmpdir);
    snprintf(devlink, sizeof devlink, "%s/null.svg", tmpdir);
    put_file(real, "old");
    T_ASSERT(symlink("real.svg", link) == 0);
    T_ASSERT(symlink("made.svg", dang) == 0);
    T_ASSERT(symlink("/dev/null", devlink) == 0);
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, link, &err), 0);
    T_EQ_INT(em_outset_add(s, dang, &err), 1);
    T_EQ_INT(em_outset_add(s, devlink, &err), 2);
    T_EQ_INT(em_outset_add(s, "/dev/null", &err), 3);
    for (int i = 0; i < 4; i++) T_EQ_INT(em_outset_put(s, (size_t)i, "new", 3, &err), 0);
    T_EQ_INT(em_outset_commit(s, &err), 0);
    em_outset_free(s);
    struct stat st;
    T_ASSERT(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    T_EQ_STR(content(real), "new");
    T_ASSERT(lstat(dang, &st) == 0 && S_ISLNK(st.st_mode));
    char made[512];
    snprintf(made, sizeof made, "%s/made.svg", tmpdir);
    T_EQ_STR(content(made), "new");
    T_ASSERT(lstat(devlink, &st) == 0 && S_ISLNK(st.st_mode));
    T_ASSERT(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    rm_tmp();
}

static void t_long_name(void)
{
    mk_tmp();
    char path[1024];
    int k = snprintf(path, sizeof path, "%s/", tmpdir);
    for (int i = 0; i < 244; i++) path[k++] = 'a';
    memcpy(path + k, ".svg", 5);   /* 248 characters: legal (NAME_MAX 255) */
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, path, &err), 0);
    T_EQ_INT(em_outset_put(s, 0, "x", 1, &err), 0);
    T_EQ_INT(em_outset_commit(s, &err), 0);
    em_outset_free(s);
    T_EQ_STR(content(path), "x");
    rm_tmp();
}

static void t_streaming(void)
{
    mk_tmp();
    char path[512];
    snprintf(path, sizeof path, "%s/s.json", tmpdir);
    struct em_err err = {0};
    struct em_outset *s = em_outset_new();
    T_EQ_INT(em_outset_add(s, path, &err), 0);
    FILE *f = em_outset_open(s, 0, &err);
    T_ASSERT(f);
    fprintf(f, "{\"n\": %d}\n", 42);
    T_EQ_INT(em_outset_close(s, 0, &err), 0);
    T_EQ_INT(em_outset_commit(s, &err), 0);
    em_outset_free(s);
    T_EQ_STR(content(path), "{\"n\": 42}\n");
    rm_tmp();
}

static const struct t_case cases[] = {
    {"writes_and_mode", t_writes_and_mode},
    {"missing_folder", t_missing_folder},
    {"all_or_none", t_all_or_none},
    {"input_refused", t_input_refused},
    {"symlinks_and_devices", t_symlinks_and_devices},
    {"long_name", t_long_name},
    {"streaming", t_streaming},
};
T_MAIN(cases)
