/* render.c — one graph, one layout, every output. Layout and drawing run in a forked
 * child with a deadline (Graphviz can abort or run for minutes on some shapes); the
 * child sends the layout back as data and the drawings of the wanted formats as framed
 * blobs through a pipe, and the parent has each format's writer (out.h, writers.c)
 * make its file. If the child dies, reports an error or overruns, the graph is rebuilt
 * simpler (no cluster, then fixed grid positions) and tried again, with a warning.
 * The parent never runs a Graphviz layout itself. */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include <graphviz/gvc.h>

#include "mapper/lang.h"
#include "mapper/outset.h"
#include "render/buf.h"
#include "render/graph.h"
#include "render/layout.h"
#include "render/out.h"
#include "render/pin.h"

/* Graphviz's messages, routed here by agseterrf() instead of its stderr. */
static struct em_buf gv_msgs;
static int gv_errf(char *msg)
{
    if (gv_msgs.len < 8192) em_buf_puts(&gv_msgs, msg);
    return 0;
}

bool em_render_known(const char *path)
{
    return em_writer_of(path) != NULL;
}

const char *em_render_formats(void)
{
    return em_writer_exts();
}

/* ---------------------------------------------------------------- helpers */

static void warn(struct em_render_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct em_render_opts *o, const char *fmt, ...)
{
    size_t used = strlen(o->warnings);
    if (used + 2 >= sizeof o->warnings) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->warnings + used, sizeof o->warnings - used - 1, fmt, ap);
    va_end(ap);
    used = strlen(o->warnings);
    o->warnings[used] = '\n';
    o->warnings[used + 1] = '\0';
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Test hook: EDGEMAP_TEST_LAYOUT="crash:full,hang:flat" makes the child of that mode
 * crash or hang, so the fallbacks and the deadline can be tested for real. */
static bool test_hook(const char *what, const char *mode)
{
    const char *h = getenv("EDGEMAP_TEST_LAYOUT");
    if (!h) return false;
    char key[32];
    snprintf(key, sizeof key, "%s:%s", what, mode);
    const char *f = strstr(h, key);
    return f && (f[strlen(key)] == '\0' || f[strlen(key)] == ',');
}

static const char *mode_name(enum em_graph_mode m)
{
    return m == EM_GRAPH_FULL ? "full" : m == EM_GRAPH_FLAT ? "flat" : "grid";
}

/* One GVC_t for the process. Graphviz 2.43's pango plugin keeps a static pointer to
 * the last font name it measured, which lives in the context's font table: after a
 * gvFreeContext() the next context's first measurement reads freed memory (ASan sees
 * it when a process renders twice). So the context lives until em_render_cleanup(). */
static GVC_t *gvc_shared;

static GVC_t *shared_context(void)
{
    if (!gvc_shared) gvc_shared = gvContext();
    return gvc_shared;
}

/* Loads, in this process, what every layout child would otherwise load again: the
 * Graphviz context (its plugin configuration) and fontconfig's configuration and font
 * caches, with the diagram's fonts (EM_FONTS) matched once. Each graph's layout child
 * forked afterwards inherits them (strace showed every child reading fontconfig's
 * configuration files and caches anew). Nothing is laid out here: an earlier version
 * drew a fixed one-node graph in-process, which made Graphviz's pango plugin leak its
 * font-family lists in the long-lived process (LeakSanitizer); fontconfig's own state
 * stays reachable from its current configuration. Returns 0, or -1 when fontconfig
 * could not be initialised (then each child loads it itself, as without the warm-up). */
int em_render_warm(void)
{
    if (!shared_context()) return -1;
    /* fontconfig 2.14 leaks a few hundred bytes while parsing its configuration
     * (inside expat callbacks, unreachable at once); LeakSanitizer ignores the
     * allocations of this one call — any other leak, ours or a library's, is reported */
#ifdef __SANITIZE_ADDRESS__
    __lsan_disable();
#endif
    FcBool ok = FcInit();
#ifdef __SANITIZE_ADDRESS__
    __lsan_enable();
#endif
    if (!ok) return -1;
    FcPattern *p = FcNameParse((const FcChar8 *)EM_FONTS);
    if (!p) return -1;
    FcResult res = FcResultNoMatch;
    if (FcConfigSubstitute(NULL, p, FcMatchPattern)) {
        FcDefaultSubstitute(p);
        FcPattern *m = FcFontMatch(NULL, p, &res);
        if (m) FcPatternDestroy(m);
    }
    FcPatternDestroy(p);
    return res == FcResultMatch ? 0 : -1;
}

void em_render_cleanup(void)
{
    if (gvc_shared) gvFreeContext(gvc_shared);
    gvc_shared = NULL;
}

/* Frames on the pipe: one byte kind ('L' layout, 'D' a drawing, 'E' error text,
 * 'W' Graphviz's warnings), one byte writer index (for 'D'), eight bytes length
 * (little-endian), the data. */
#define FRAME_HDR 10

static int put_frame(int fd, char kind, size_t idx, const char *data, size_t len)
{
    unsigned char hdr[FRAME_HDR];
    hdr[0] = (unsigned char)kind;
    hdr[1] = (unsigned char)idx;
    for (int i = 0; i < 8; i++) hdr[2 + i] = (unsigned char)((uint64_t)len >> (8 * i));
    const char *parts[2] = {(const char *)hdr, data};
    size_t lens[2] = {sizeof hdr, len};
    for (int p = 0; p < 2; p++) {
        const char *q = parts[p];
        size_t left = lens[p];
        while (left) {
            ssize_t w = write(fd, q, left);
            if (w < 0) {
                if (errno == EINTR) continue;
                return -1;
            }
            q += w;
            left -= (size_t)w;
        }
    }
    return 0;
}

/* The wanted set: bit i for em_writers[i]'s drawing. */
typedef unsigned long long want_t;

/* The child: lay out, send the layout as data ('L'), draw what the wanted writers
 * draw ('D', the writer's index, the bytes), exit without cleaning up (the parent owns
 * everything; _exit skips atexit handlers and leak checks). */
/* What one layout attempt is: engine and graph mode, the drawings wanted, the pins,
 * and whether pinned edges are straight lines (the retry when routing them failed). */
struct attempt {
    const struct em_model *m;  /* given back by the child, which never reads it */
    const char *engine;
    enum em_graph_mode mode;
    want_t want;
    const struct em_render_opts *o;
    bool straight;
};

static void child_main(GVC_t *gvc, Agraph_t *g, const struct attempt *a, int fd)
{
    const char *engine = a->engine;
    enum em_graph_mode mode = a->mode;
    want_t want = a->want;
    const struct em_render_opts *o = a->o;
    signal(SIGPIPE, SIG_DFL);
    /* The child reads only g (cgraph holds its own copies of every string), the pins
       and the writers' globals. The model it inherited would count in its peak memory
       beside the layout (a 100,000-row survey: ~200 MB + the layout's ~45 MB), so this
       private copy is freed and its pages given back; the parent's model is untouched. */
    em_model_free((struct em_model *)a->m);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    if (test_hook("crash", mode_name(mode))) abort();
    if (test_hook("hang", mode_name(mode)))
        for (;;) pause();
    agreseterrors();
    if (gvLayout(gvc, g, engine) != 0 || agerrors() >= AGERR) {
        put_frame(fd, 'E', 0, em_buf_cstr(&gv_msgs), gv_msgs.len);
        _exit(3);
    }
    double origin[2];
    bool pinned_frame = false;
    if (o->n_pins && mode != EM_GRAPH_GRID) {
        size_t pinned = 0;
        pinned_frame = true;
        if (em_pin_layout(gvc, g, o->pins, o->n_pins, a->straight, &pinned, origin) != 0 || agerrors() >= AGERR) {
            put_frame(fd, 'E', 0, em_buf_cstr(&gv_msgs), gv_msgs.len);
            _exit(3);
        }
        char num[32];
        int nl = snprintf(num, sizeof num, "%zu", pinned);
        if (put_frame(fd, 'P', 0, num, (size_t)nl) != 0) _exit(5);
    }
    em_layout_place_labels(g);
    struct em_buf lay = {0};
    if (em_layout_serialise(g, pinned_frame ? origin : NULL, &lay) != 0) _exit(4);
    if (put_frame(fd, 'L', 0, lay.p, lay.len) != 0) _exit(5);
    for (size_t i = 0; i < em_n_writers; i++) {
        if (!(want & (1ull << i)) || !em_writers[i].draw) continue;
        struct em_buf b = {0};
        if (em_writers[i].draw(gvc, g, &b) != 0) _exit(4);
        if (put_frame(fd, 'D', i, b.p, b.len) != 0) _exit(5);
        em_buf_free(&b);
    }
    /* Graphviz's warnings of this layout, for the parent to pass on */
    if (gv_msgs.len && put_frame(fd, 'W', 0, gv_msgs.p, gv_msgs.len) != 0) _exit(5);
    _exit(0);
}


/* Reads the child's pipe until EOF or the deadline. Returns false on a timeout. */
static bool collect(int fd, double deadline, struct em_buf *raw)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    char chunk[65536];
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) return false;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (pr < 0) {
            if (errno == EINTR) continue;
            return true;
        }
        if (pr == 0) continue;
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r > 0) em_buf_add(raw, chunk, (size_t)r);
        else if (r == 0) return true;
        else if (errno != EINTR && errno != EAGAIN) return true;
        if (raw->failed) return true;
    }
}

/* Waits for the child (it closed its end: it is exiting) within the same deadline;
 * kills it when it overruns. Returns its wait status, or -1 when it was killed or
 * could not be waited for (why filled). */
static int reap(pid_t pid, double deadline, bool timed_out, double timeout, char *why, size_t wsz)
{
    int st = 0;
    pid_t w = 0;
    while (!timed_out && (w = waitpid(pid, &st, WNOHANG)) == 0) {
        if (now_s() > deadline) { timed_out = true; break; }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!timed_out && w > 0) return st;
    kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (timed_out) snprintf(why, wsz, em_tr("%.0f秒以内に終わりませんでした", "did not finish within %.0f s"), timeout);
    else snprintf(why, wsz, "waitpid: %s", strerror(errno));
    return -1;
}

/* Splits the child's frames: drawings into drawn[writer], the layout parsed into
 * *layout, Graphviz's warnings into gv_msgs, an error text into msg. Returns true
 * when every frame was whole and the layout parsed. */
static bool split_frames(const struct em_buf *raw, struct em_buf *drawn, struct em_layout **layout,
                         size_t *pinned, char *msg, size_t msz)
{
    size_t pos = 0;
    while (pos + FRAME_HDR <= raw->len) {
        const unsigned char *h = (const unsigned char *)raw->p + pos;
        uint64_t len = 0;
        for (int i = 0; i < 8; i++) len |= (uint64_t)h[2 + i] << (8 * i);
        if (len > raw->len - pos - FRAME_HDR) break;
        const char *data = raw->p + pos + FRAME_HDR;
        if (h[0] == 'D' && h[1] < em_n_writers) em_buf_add(&drawn[h[1]], data, (size_t)len);
        else if (h[0] == 'L' && !*layout) *layout = em_layout_parse(data, (size_t)len);
        else if (h[0] == 'P' && len < 20) {
            char num[24];
            snprintf(num, sizeof num, "%.*s", (int)len, data);
            *pinned = (size_t)strtoull(num, NULL, 10);
        } else if (h[0] == 'E') snprintf(msg, msz, "%.*s", (int)(len < msz - 1 ? len : msz - 1), data);
        else if (h[0] == 'W' && gv_msgs.len < 8192) em_buf_add(&gv_msgs, data, (size_t)(len < 4096 ? len : 4096));
        pos += FRAME_HDR + (size_t)len;
    }
    return pos == raw->len && *layout;
}

/* Runs child_main in a child process with a deadline and collects the layout and the
 * wanted drawings. Returns 0, or -1 with why filled (drawn[] and *layout cleared). */
static int draw_in_child(GVC_t *gvc, Agraph_t *g, const struct attempt *a, struct em_render_opts *o,
                         double timeout, struct em_buf *drawn, struct em_layout **layout, char *why, size_t wsz)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(why, wsz, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, wsz, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(gvc, g, a, fds[1]);
        _exit(6);
    }
    close(fds[1]);
    struct em_buf raw = {0};
    double deadline = now_s() + timeout;
    bool finished = collect(fds[0], deadline, &raw);
    close(fds[0]);
    int st = reap(pid, deadline, !finished, timeout, why, wsz);
    int rc = -1;
    if (st != -1 && WIFSIGNALED(st)) {
        snprintf(why, wsz, em_tr("異常終了しました（シグナル %d）", "crashed (signal %d)"), WTERMSIG(st));
    } else if (st != -1) {
        char msg[300] = "";
        bool whole = split_frames(&raw, drawn, layout, &o->pinned, msg, sizeof msg);
        bool complete = true;
        for (size_t i = 0; i < em_n_writers; i++)
            if ((a->want & (1ull << i)) && em_writers[i].draw && !drawn[i].len) complete = false;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && complete && whole && !raw.failed) {
            rc = 0;
        } else {
            for (char *c = msg; *c; c++) if (*c == '\n') *c = ' ';
            snprintf(why, wsz, em_tr("失敗しました（%s）", "failed (%s)"),
                     msg[0] ? msg : WIFEXITED(st) ? em_tr("描画できません", "could not draw") : "?");
        }
    }
    em_buf_free(&raw);
    if (rc != 0) {
        for (size_t i = 0; i < em_n_writers; i++) em_buf_free(&drawn[i]);
        em_layout_free(*layout);
        *layout = NULL;
    }
    return rc;
}

/* ---------------------------------------------------------------- the run */

#define MAX_WRITERS 64

struct job {
    const struct em_model *m;
    struct em_render_opts *o;
    struct em_outset *set;
    struct em_err *err;
    GVC_t *gvc;
    Agraph_t *pre;         /* the full graph before layout (the .dot output) */
    want_t want;           /* the writers whose drawings the outputs need */
    bool drawn, draw_failed;
    char date[64];
    struct em_buf drawing[MAX_WRITERS];  /* per writer, from the child */
    struct em_layout *layout;            /* from the child */
};

static double timeout_of(const struct em_render_opts *o)
{
    if (o->timeout_s > 0) return o->timeout_s;
    const char *e = getenv("EDGEMAP_LAYOUT_TIMEOUT");
    if (e && *e) {
        char *end;
        double v = strtod(e, &end);
        if (end != e && *end == '\0' && v > 0 && v < 86400) return v;
    }
    return 60.0;
}

/* Lays out and draws once for every output (the first output that needs it triggers
 * it), falling back to simpler graphs. */
static int ensure_drawn(struct job *j)
{
    if (j->drawn) return EM_OK;
    if (j->draw_failed)
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("図のレイアウトに失敗しました", "the diagram layout failed"));
    double timeout = timeout_of(j->o);
    /* with pins, a second try draws the pinned edges as straight lines (neato's edge
     * routing can abort on some layouts) before the pins are given up */
    static const struct { enum em_graph_mode mode; const char *engine, *name; bool straight, pinned_only; } tries[] = {
        {EM_GRAPH_FULL, "dot", "dot", false, false}, {EM_GRAPH_FULL, "dot", "dot-lines", true, true},
        {EM_GRAPH_FLAT, "dot", "dot-flat", false, false}, {EM_GRAPH_GRID, "nop", "grid", false, false},
    };
    size_t nt = sizeof tries / sizeof tries[0];
    for (size_t t = 0; t < nt; t++) {
        if (tries[t].pinned_only && !j->o->n_pins) continue;
        Agraph_t *g = j->pre;
        if (tries[t].mode != EM_GRAPH_FULL) {
            struct em_graph_opts go = {.mode = tries[t].mode, .date = j->date, .diff = j->o->diff};
            g = em_graph_build(j->m, &go, j->err);
            if (!g) return j->err->rc ? j->err->rc : EM_ERR_NOMEM;
        }
        char why[512] = "";
        struct attempt a = {j->m, tries[t].engine, tries[t].mode, j->want, j->o, tries[t].straight};
        int rc = draw_in_child(j->gvc, g, &a, j->o, timeout, j->drawing, &j->layout, why, sizeof why);
        if (g != j->pre) agclose(g);
        if (rc == 0) {
            j->drawn = true;
            snprintf(j->o->layout_used, sizeof j->o->layout_used, "%s", tries[t].name);
            return EM_OK;
        }
        warn(j->o, em_tr("警告: レイアウト（%s）が%s。%s", "warning: layout (%s) %s. %s"), tries[t].name, why,
             t + 1 < nt ? em_tr("簡略化した図で再試行します。", "Retrying with a simpler diagram.") : "");
    }
    j->draw_failed = true;
    return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s",
                      em_tr("図のレイアウトに失敗しました（すべての方法が失敗）", "the diagram layout failed (every fallback failed)"));
}

static size_t writer_index(const struct em_writer *w)
{
    return (size_t)(w - em_writers);
}

/* One output (index idx of the set): what its writer needs, then its bytes, into the
 * set (mapper/outset.h: nothing replaced before the whole set commits). */
static int write_one(struct job *j, size_t idx, const struct em_writer *w)
{
    const char *path = em_outset_path(j->set, idx);
    struct em_out_ctx c = {.m = j->m, .o = j->o, .date = j->date, .path = path, .pre = j->pre};
    if (w->needs & EM_NEED_LAYOUT) {
        int rc = ensure_drawn(j);
        if (rc && !(w->needs & EM_NEED_OPTIONAL)) return rc;
        if (rc) {
            /* a report without the picture still carries the tables: say so */
            warn(j->o, "%s", em_tr("警告: 図を作れなかったため、レポートは表のみです", "warning: no diagram could be made; the report has the tables only"));
            em_err_clear(j->err);
        } else {
            c.layout = j->layout;
            c.drawn = &j->drawing[writer_index(w)];
            if (w->needs & EM_NEED_SVG) {
                const struct em_writer *svg = em_writer_of(".svg");
                c.svg = svg ? em_buf_cstr(&j->drawing[writer_index(svg)]) : NULL;
            }
        }
    }
    if (w->stream) {
        FILE *f = em_outset_open(j->set, idx, j->err);
        if (!f) return j->err->rc ? j->err->rc : EM_ERR_IO;
        int rc = w->stream(&c, f, j->err);
        int cr = em_outset_close(j->set, idx, j->err);   /* finishes the temp either way */
        return rc ? rc : cr;
    }
    struct em_buf out = {0};
    int rc = w->write(&c, &out, j->err);
    if (rc == EM_OK && out.failed)
        rc = em_err_set(j->err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    if (rc == EM_OK) rc = em_outset_put(j->set, idx, out.p ? out.p : "", out.len, j->err);
    em_buf_free(&out);
    return rc;
}

/* The unknown-format error for path, naming the known extensions. */
static int unknown_format(const char *path, struct em_err *err)
{
    return em_err_set(err, EM_ERR_USAGE, path, "", 0, "",
                      em_tr("出力形式が分かりません（%s のいずれか）", "unknown output format (use %s)"), em_writer_exts());
}

int em_render_files(const struct em_model *m, struct em_outset *set,
                    struct em_render_opts *opts, struct em_err *err)
{
    opts->layout_used[0] = '\0';
    opts->warnings[0] = '\0';
    opts->pinned = 0;
    if (em_n_writers > MAX_WRITERS)
        return em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s",
                          em_tr("出力形式の表が大きすぎます", "too many output formats in the table"));
    struct job j = {.m = m, .o = opts, .set = set, .err = err};
    size_t n = em_outset_count(set);
    for (size_t i = 0; i < n; i++) {
        const struct em_writer *w = em_writer_of(em_outset_path(set, i));
        if (!w) return unknown_format(em_outset_path(set, i), err);
        j.want |= 1ull << writer_index(w);
        if (w->needs & EM_NEED_SVG) {
            const struct em_writer *svg = em_writer_of(".svg");
            if (svg) j.want |= 1ull << writer_index(svg);
        }
    }
    em_graph_date(m, opts->date, j.date, sizeof j.date);
    agusererrf old = agseterrf(gv_errf);
    em_buf_free(&gv_msgs);
    int rc = EM_OK;
    j.gvc = shared_context();
    if (!j.gvc) {
        rc = em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("Graphvizを初期化できません", "cannot initialise Graphviz"));
        goto done;
    }
    struct em_graph_opts go = {.mode = EM_GRAPH_FULL, .date = j.date, .diff = opts->diff};
    j.pre = em_graph_build(m, &go, err);
    if (!j.pre) {
        rc = err && err->rc ? err->rc : EM_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && rc == EM_OK; i++) {
        rc = write_one(&j, i, em_writer_of(em_outset_path(set, i)));
        if (rc && err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", em_outset_path(set, i));
    }
done:
    if (gv_msgs.len) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", em_buf_cstr(&gv_msgs));
        for (char *c = msg; *c; c++) if (*c == '\n' && c[1]) *c = ' ';
        size_t ml = strlen(msg);
        if (ml && msg[ml - 1] == '\n') msg[ml - 1] = '\0';
        warn(opts, "Graphviz: %s", msg);
    }
    for (size_t i = 0; i < em_n_writers; i++) em_buf_free(&j.drawing[i]);
    em_layout_free(j.layout);
    if (j.pre) agclose(j.pre);
    agseterrf(old);
    em_buf_free(&gv_msgs);
    return rc;
}

int em_render_dot(const struct em_model *m, const struct em_render_opts *opts,
                  char **out, size_t *len, struct em_err *err)
{
    char date[64];
    em_graph_date(m, opts ? opts->date : NULL, date, sizeof date);
    struct em_graph_opts go = {.mode = EM_GRAPH_FULL, .date = date};
    Agraph_t *g = em_graph_build(m, &go, err);
    if (!g) return err && err->rc ? err->rc : EM_ERR_NOMEM;
    struct em_render_opts none = {0};
    struct em_out_ctx c = {.m = m, .o = opts ? (struct em_render_opts *)opts : &none, .date = date, .path = "", .pre = g};
    struct em_buf b = {0};
    int rc = em_out_write_dot(&c, &b, err);
    agclose(g);
    if (rc) {
        em_buf_free(&b);
        return rc;
    }
    *out = b.p ? b.p : strdup("");
    *len = b.len;
    return *out ? EM_OK : em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
}
