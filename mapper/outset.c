/* outset.c — the outputs of one run as a set: temp files renamed only when every
 * output succeeded, devices and FIFOs written through, inputs never overwritten.
 * The temp name is short (".edgemap-XXXXXX") so a legal long output name still fits
 * NAME_MAX, and it lives in the folder of the file finally replaced (the target of a
 * symlink), so the rename stays on one file system. */
#include "mapper/outset.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapper/lang.h"

#define MAX_LINKS 40   /* as the kernel's ELOOP limit */

struct out {
    char *path;        /* as given by the user (messages) */
    char *real;        /* the file finally written: resolved, or path for a device */
    char *dir;         /* real's folder (temp files go there) */
    bool through;      /* device, FIFO, socket, or a file behind /proc: written through */
    bool append;       /* written through to a regular file (/dev/stdout > file) */
    bool has_id;       /* dev/ino below are of an existing regular file */
    dev_t dev;
    ino_t ino;
    mode_t mode;       /* the temp's permissions */
    bool keep_owner;   /* an existing file: its owner is kept (when we may) */
    uid_t uid;
    gid_t gid;
    char *tmp;         /* the temp file, once created */
    FILE *f;           /* open stream between _open and _close */
    char *mem;         /* written-through content (open_memstream) */
    size_t memlen;
    bool done;         /* content complete */
};

struct em_outset {
    struct out *outs;
    size_t n, cap;
    struct { dev_t dev; ino_t ino; } *ins;
    size_t n_ins, cap_ins;
};

struct em_outset *em_outset_new(void)
{
    return calloc(1, sizeof(struct em_outset));
}

static void drop_temp(struct out *o)
{
    if (o->f) {
        fclose(o->f);
        o->f = NULL;
    }
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    free(o->mem);
    o->mem = NULL;
    o->memlen = 0;
    o->done = false;
}

void em_outset_free(struct em_outset *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        drop_temp(&s->outs[i]);
        free(s->outs[i].path);
        free(s->outs[i].real);
        free(s->outs[i].dir);
    }
    free(s->outs);
    free(s->ins);
    free(s);
}

int em_outset_input(struct em_outset *s, const char *path)
{
    struct stat st;
    if (!s || !path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    if (s->n_ins == s->cap_ins) {
        size_t nc = s->cap_ins ? s->cap_ins * 2 : 8;
        void *p = realloc(s->ins, nc * sizeof *s->ins);
        if (!p) return 0;   /* the check is then weaker, never wrong */
        s->ins = p;
        s->cap_ins = nc;
    }
    s->ins[s->n_ins].dev = st.st_dev;
    s->ins[s->n_ins].ino = st.st_ino;
    s->n_ins++;
    return 0;
}

size_t em_outset_count(const struct em_outset *s) { return s ? s->n : 0; }

const char *em_outset_path(const struct em_outset *s, size_t i)
{
    return s && i < s->n ? s->outs[i].path : "";
}

static char *join(const char *dir, const char *base)
{
    size_t dl = strlen(dir), bl = strlen(base);
    char *p = malloc(dl + bl + 2);
    if (!p) return NULL;
    memcpy(p, dir, dl);
    size_t k = dl;
    if (k == 0 || p[k - 1] != '/') p[k++] = '/';
    memcpy(p + k, base, bl + 1);
    return p;
}

/* The folder part of p ("." when none), malloc'd. */
static char *dir_of(const char *p)
{
    const char *sl = strrchr(p, '/');
    if (!sl) return strdup(".");
    if (sl == p) return strdup("/");
    return strndup(p, (size_t)(sl - p));
}


/* Where the symlink at path pointing to target (readlink's text) leads: target itself
 * when absolute, else target beside path. Caller frees; NULL when out of memory. */
static char *link_target(const char *path, const char *target)
{
    if (target[0] == '/') return strdup(target);
    char *d = dir_of(path);
    char *next = d ? join(d, target) : NULL;
    free(d);
    return next;
}
/* Follows a chain of symlinks ending at a name that does not exist; returns that
 * name (malloc'd), or NULL (errno set: ELOOP, ENOMEM, …). */
static char *follow_dangling(const char *path)
{
    char *cur = strdup(path);
    for (int k = 0; cur && k < MAX_LINKS; k++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char buf[PATH_MAX];
        ssize_t n = readlink(cur, buf, sizeof buf - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        buf[n] = '\0';
        char *next = link_target(cur, buf);
        free(cur);
        cur = next;
    }
    if (cur) {
        free(cur);
        errno = ELOOP;
    }
    return NULL;
}

static int no_folder(const char *path, const char *dir, struct em_err *err)
{
    return em_err_set(err, EM_ERR_IO, path, "", 0, "",
                      em_tr("出力先のフォルダがありません: %s", "output folder does not exist: %s"), dir);
}

static int cannot(const char *path, int e, struct em_err *err)
{
    return em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("書き込めません: %s", "cannot write: %s"), strerror(e));
}

static bool is_fd_path(const char *p)
{
    if (strncmp(p, "/dev/fd/", 8) == 0) return true;
    if (strncmp(p, "/proc/", 6) != 0) return false;
    const char *q = strchr(p + 6, '/');
    return q && strncmp(q, "/fd/", 4) == 0;
}

/* True when path, or a symlink on its way, names an open descriptor (/dev/stdout →
 * /proc/self/fd/1, /dev/fd/N): realpath would go on to the file behind it. */
static bool via_fd_link(const char *path)
{
    char *cur = strdup(path);
    bool hit = false;
    for (int k = 0; cur && k < MAX_LINKS && !hit; k++) {
        if (is_fd_path(cur)) {
            hit = true;
            break;
        }
        struct stat st;
        char buf[PATH_MAX];
        ssize_t n;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode) || (n = readlink(cur, buf, sizeof buf - 1)) < 0) break;
        buf[n] = '\0';
        char *next = link_target(cur, buf);
        free(cur);
        cur = next;
    }
    free(cur);
    return hit;
}

/* Fills o->real/dir/through/… for a path that exists (st: stat, following links). */
static int classify_existing(struct em_outset *s, struct out *o, const struct stat *st, struct em_err *err)
{
    if (S_ISDIR(st->st_mode))
        return em_err_set(err, EM_ERR_USAGE, o->path, "", 0, "", "%s",
                          em_tr("出力先がフォルダです。ファイル名を指定してください",
                                "the output is a folder; give a file name"));
    if (!S_ISREG(st->st_mode)) {
        o->through = true;
        o->real = strdup(o->path);
        return o->real ? EM_OK : EM_ERR_NOMEM;
    }
    for (size_t k = 0; k < s->n_ins; k++)
        if (s->ins[k].dev == st->st_dev && s->ins[k].ino == st->st_ino)
            return em_err_set(err, EM_ERR_USAGE, o->path, "", 0, "", "%s",
                              em_tr("入力ファイルを出力先にはできません（上書きして失うため）",
                                    "an input file cannot be an output (it would be overwritten)"));
    for (size_t k = 0; k < s->n; k++)
        if (s->outs[k].has_id && s->outs[k].dev == st->st_dev && s->outs[k].ino == st->st_ino)
            return em_err_set(err, EM_ERR_USAGE, o->path, "", 0, "", "%s",
                              em_tr("同じ出力先が2回指定されています", "the same output is given twice"));
    o->has_id = true;
    o->dev = st->st_dev;
    o->ino = st->st_ino;
    o->mode = st->st_mode & 0777;
    o->keep_owner = true;
    o->uid = st->st_uid;
    o->gid = st->st_gid;
    /* /dev/stdout redirected to a file reaches it through /proc/self/fd: the shell
     * opened that file (`>` or `>>`), so write through its descriptor, appending */
    if (via_fd_link(o->path)) {
        o->real = strdup(o->path);
        o->through = o->append = true;
        return o->real ? EM_OK : EM_ERR_NOMEM;
    }
    o->real = realpath(o->path, NULL);
    if (!o->real) return cannot(o->path, errno, err);
    o->dir = dir_of(o->real);
    return o->dir ? EM_OK : EM_ERR_NOMEM;
}

/* Fills o->real/dir for a name that does not exist yet (or a dangling symlink). */
static int classify_new(struct em_outset *s, struct out *o, struct em_err *err)
{
    char *final = follow_dangling(o->path);
    if (!final) return cannot(o->path, errno, err);
    char *d = dir_of(final);
    const char *base = strrchr(final, '/') ? strrchr(final, '/') + 1 : final;
    char *rd = d ? realpath(d, NULL) : NULL;
    int rc = EM_OK;
    if (!rd) {
        int e = errno;
        rc = e == ENOENT || e == ENOTDIR ? no_folder(o->path, d ? d : "", err) : cannot(o->path, e, err);
    } else if (!*base) {
        rc = em_err_set(err, EM_ERR_USAGE, o->path, "", 0, "", "%s",
                        em_tr("出力先がフォルダです。ファイル名を指定してください",
                              "the output is a folder; give a file name"));
    } else {
        o->real = join(rd, base);
        o->dir = rd;
        rd = NULL;
        if (!o->real) rc = EM_ERR_NOMEM;
        for (size_t k = 0; rc == EM_OK && k < s->n; k++)
            if (s->outs[k].real && strcmp(s->outs[k].real, o->real) == 0)
                rc = em_err_set(err, EM_ERR_USAGE, o->path, "", 0, "", "%s",
                                em_tr("同じ出力先が2回指定されています", "the same output is given twice"));
    }
    free(rd);
    free(d);
    free(final);
    if (rc == EM_OK) {
        mode_t um = umask(0);
        umask(um);
        o->mode = 0666 & ~um;
    }
    return rc;
}

int em_outset_add(struct em_outset *s, const char *path, struct em_err *err)
{
    if (!s) return EM_ERR_NOMEM;
    if (!path || !*path)
        return em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s",
                          em_tr("出力ファイル名が空です", "the output file name is empty"));
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 4;
        struct out *p = realloc(s->outs, nc * sizeof *p);
        if (!p) return em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        s->outs = p;
        s->cap = nc;
    }
    struct out o = {.path = strdup(path)};
    if (!o.path) return em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
    struct stat st;
    int rc;
    if (stat(path, &st) == 0) rc = classify_existing(s, &o, &st, err);
    else if (errno == ENOENT) rc = classify_new(s, &o, err);
    else if (errno == ENOTDIR) {
        char *d = dir_of(path);
        rc = no_folder(path, d ? d : "", err);
        free(d);
    } else {
        rc = cannot(path, errno, err);
    }
    if (rc == EM_OK && (!o.real || (!o.through && !o.dir))) rc = EM_ERR_NOMEM;
    if (rc != EM_OK) {
        if (rc == EM_ERR_NOMEM) em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        free(o.path);
        free(o.real);
        free(o.dir);
        return rc;
    }
    s->outs[s->n] = o;
    return (int)s->n++;
}

/* Creates o's temp file in dir (o->tmp, malloc'd): its descriptor, or -1 with err
 * filled (o->tmp then NULL). */
static int make_temp(struct out *o, const char *dir, struct em_err *err)
{
    o->tmp = join(dir, ".edgemap-XXXXXX");
    if (!o->tmp) {
        em_err_set(err, EM_ERR_NOMEM, o->path, "", 0, "", "out of memory");
        return -1;
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cannot(o->path, errno, err);
        free(o->tmp);
        o->tmp = NULL;
    }
    return fd;
}

FILE *em_outset_open(struct em_outset *s, size_t i, struct em_err *err)
{
    if (!s || i >= s->n) {
        em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s", em_tr("その出力はありません", "no such output"));
        return NULL;
    }
    struct out *o = &s->outs[i];
    drop_temp(o);   /* written twice: the last content wins */
    if (o->through) {
        o->f = open_memstream(&o->mem, &o->memlen);
        if (!o->f) em_err_set(err, EM_ERR_NOMEM, o->path, "", 0, "", "out of memory");
        return o->f;
    }
    int fd = make_temp(o, o->dir, err);
    if (fd < 0) return NULL;
    /* as root, a replaced file keeps its owner (a surveyor's file stays theirs) */
    if (o->keep_owner && geteuid() == 0 && fchown(fd, o->uid, o->gid) != 0) {
        /* not fatal: the file is written, owned by us */
    }
    if (fchmod(fd, o->mode) != 0 || !(o->f = fdopen(fd, "wb"))) {
        cannot(o->path, errno, err);
        if (!o->f) close(fd);
        drop_temp(o);
        return NULL;
    }
    return o->f;
}

int em_outset_close(struct em_outset *s, size_t i, struct em_err *err)
{
    if (!s || i >= s->n || !s->outs[i].f) return em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s", em_tr("開いている出力がありません", "no open output"));
    struct out *o = &s->outs[i];
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) e = errno ? errno : EIO;
    if (!e && !o->through && fsync(fileno(o->f)) != 0) e = errno;
    if (fclose(o->f) != 0 && !e) e = errno ? errno : EIO;
    o->f = NULL;
    if (e) {
        drop_temp(o);
        return e == ENOMEM ? em_err_set(err, EM_ERR_NOMEM, o->path, "", 0, "", "out of memory") : cannot(o->path, e, err);
    }
    o->done = true;
    return EM_OK;
}

int em_outset_put(struct em_outset *s, size_t i, const void *data, size_t len, struct em_err *err)
{
    FILE *f = em_outset_open(s, i, err);
    if (!f) return err && err->rc ? err->rc : EM_ERR_IO;
    errno = 0;
    if (len && fwrite(data, 1, len, f) != len) {
        int e = errno ? errno : EIO;
        drop_temp(&s->outs[i]);
        return cannot(s->outs[i].path, e, err);
    }
    return em_outset_close(s, i, err);
}

const char *em_outset_temp(struct em_outset *s, size_t i, struct em_err *err)
{
    if (!s || i >= s->n) {
        em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s", em_tr("その出力はありません", "no such output"));
        return NULL;
    }
    struct out *o = &s->outs[i];
    drop_temp(o);
    const char *tmpdir = getenv("TMPDIR");
    int fd = make_temp(o, o->through ? (tmpdir && *tmpdir ? tmpdir : "/tmp") : o->dir, err);
    if (fd < 0) return NULL;
    if (!o->through && o->keep_owner && geteuid() == 0 && fchown(fd, o->uid, o->gid) != 0) {
        /* not fatal, as in em_outset_open */
    }
    if (!o->through && fchmod(fd, o->mode) != 0) {
        cannot(o->path, errno, err);
        close(fd);
        drop_temp(o);
        return NULL;
    }
    close(fd);
    return o->tmp;
}

int em_outset_temp_done(struct em_outset *s, size_t i, struct em_err *err)
{
    if (!s || i >= s->n || !s->outs[i].tmp) return em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s", em_tr("一時ファイルの出力がありません", "no temp output"));
    struct out *o = &s->outs[i];
    FILE *f = fopen(o->tmp, o->through ? "rb" : "r+b");
    int e = f ? 0 : errno;
    if (f && o->through) {
        /* a device or FIFO gets the bytes at commit: take them in, drop the file */
        FILE *m = open_memstream(&o->mem, &o->memlen);
        char buf[65536];
        size_t n;
        while (m && (n = fread(buf, 1, sizeof buf, f)) > 0)
            if (fwrite(buf, 1, n, m) != n) break;
        if (!m || ferror(f) || fclose(m) != 0) e = errno ? errno : EIO;
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    } else if (f && fsync(fileno(f)) != 0) {
        e = errno;
    }
    if (f) fclose(f);
    if (e) {
        drop_temp(o);
        return cannot(o->path, e, err);
    }
    o->done = true;
    return EM_OK;
}

static int write_all(int fd, const char *p, size_t left)
{
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

/* Writes a written-through output; returns 0 or an errno. */
static int write_through(const struct out *o)
{
    int fd = open(o->real, O_WRONLY | O_NOCTTY | O_CLOEXEC | (o->append ? O_APPEND : 0));
    if (fd < 0) return errno;
    int e = write_all(fd, o->mem ? o->mem : "", o->memlen);
    /* a device's error may only show at close (NFS, some ttys) */
    if (close(fd) != 0 && !e && errno != EINTR) e = errno;
    return e;
}

static void drop_all(struct em_outset *s)
{
    for (size_t i = 0; i < s->n; i++) drop_temp(&s->outs[i]);
}

int em_outset_commit(struct em_outset *s, struct em_err *err)
{
    if (!s) return EM_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++)
        if (!s->outs[i].done) {
            drop_all(s);
            return em_err_set(err, EM_ERR_IO, s->outs[i].path, "", 0, "", "%s",
                              em_tr("出力が作られませんでした", "the output was not produced"));
        }
    /* the outputs that can fail late and cannot be taken back first */
    for (size_t i = 0; i < s->n; i++) {
        if (!s->outs[i].through) continue;
        int e = write_through(&s->outs[i]);
        if (e) {
            drop_all(s);
            return cannot(s->outs[i].path, e, err);
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        struct out *o = &s->outs[i];
        if (o->through) continue;
        if (rename(o->tmp, o->real) != 0) {
            int e = errno;
            drop_all(s);
            return cannot(o->path, e, err);
        }
        free(o->tmp);
        o->tmp = NULL;
    }
    for (size_t i = 0; i < s->n; i++) {
        free(s->outs[i].mem);
        s->outs[i].mem = NULL;
        s->outs[i].memlen = 0;
        s->outs[i].done = false;
    }
    return EM_OK;
}
