/* render.c — one graph, one layout, every output. Layout and drawing run in a forked
 * child with a deadline (Graphviz can abort or run for minutes on some shapes); the
 * child sends the drawn SVG/PDF/PNG back through a pipe as framed blobs, and the
 * parent writes the files. If the child dies, reports an error or overruns, the graph
 * is rebuilt simpler (no cluster, then fixed grid positions) and tried again, with a
 * warning. The parent never runs a Graphviz layout itself. */
#include "mapper/about.h"
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <graphviz/gvc.h>

#include "mapper/lang.h"
#include "mapper/outset.h"
#include "render/buf.h"
#include "render/graph.h"

#define A3_W 1190.55
#define A3_H 841.89
#define PAGE_MARGIN 28.0
#define PNG_MAX_W 4961.0   /* A3 landscape at 300 dpi */
#define PNG_MAX_H 3508.0

/* Graphviz's messages, routed here by agseterrf() instead of its stderr. */
static struct em_buf gv_msgs;
static int gv_errf(char *msg)
{
    if (gv_msgs.len < 8192) em_buf_puts(&gv_msgs, msg);
    return 0;
}

enum em_render_fmt em_render_fmt_of(const char *path)
{
    static const struct { const char *ext; enum em_render_fmt f; } map[] = {
        {".svg", EM_FMT_SVG}, {".pdf", EM_FMT_PDF}, {".png", EM_FMT_PNG}, {".dot", EM_FMT_DOT},
        {".gv", EM_FMT_DOT}, {".json", EM_FMT_JSON}, {".html", EM_FMT_HTML}, {".htm", EM_FMT_HTML},
        {".csv", EM_FMT_CSV},
    };
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/')) return EM_FMT_UNKNOWN;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(dot, map[i].ext) == 0) return map[i].f;
    return EM_FMT_UNKNOWN;
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

void em_render_cleanup(void)
{
    if (gvc_shared) gvFreeContext(gvc_shared);
    gvc_shared = NULL;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    struct em_buf *b = closure;
    em_buf_add(b, (const char *)data, len);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The laid-out drawing's size in points, pad included ("bb" is set by gvLayout). */
static void drawing_size(Agraph_t *g, double *w, double *h)
{
    double bb[4] = {0, 0, 100, 100};
    const char *s = agget(g, (char *)"bb");
    char *end = NULL;
    for (int k = 0; s && k < 4; k++) {
        double v = strtod(s, &end);
        if (end == s) break;
        bb[k] = v;
        s = end;
        while (*s == ',' || *s == ' ') s++;
    }
    *w = bb[2] - bb[0] + 2 * 21.6;   /* the graph's pad, 0.3 in on each side */
    *h = bb[3] - bb[1] + 2 * 21.6;
    if (!(*w > 1)) *w = 100;
    if (!(*h > 1)) *h = 100;
}

/* ---------------------------------------------------------------- drawing (child) */

/* PDF on one A3 landscape page: Graphviz's cairo renderer draws onto our own cairo
 * context, scaled to fit the page (Graphviz alone makes the page the drawing's size). */
static int draw_pdf(GVC_t *gvc, Agraph_t *g, struct em_buf *out)
{
    double bw, bh;
    drawing_size(g, &bw, &bh);
    double scale = fmin((A3_W - 2 * PAGE_MARGIN) / bw, (A3_H - 2 * PAGE_MARGIN) / bh);
    if (scale > 2.0) scale = 2.0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, A3_W, A3_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, em_tr("構成図", "Configuration diagram"));
    char creator[1024];  /* edgemap, data and library versions (mapper/about.h) */
    em_about_line(creator, sizeof creator);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, *creator ? creator : "edgemap");
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, (A3_W - bw * scale) / 2, (A3_H - bh * scale) / 2);
    cairo_scale(cr, scale, scale);
    /* with an external context the device draws and ends the page; it writes nothing */
    int gv = gvRenderContext(gvc, g, "pdf:cairo", cr);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS) cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    return gv != 0 || cst != CAIRO_STATUS_SUCCESS || out->failed ? -1 : 0;
}

/* PNG: the positioned graph read again with a dpi that keeps the image within A3 at
 * 300 dpi (a big map is scaled down, never an image of 100,000 pixels); Graphviz reads
 * dpi at layout time, hence the second (position-keeping) nop2 layout. */
static int draw_png(GVC_t *gvc, Agraph_t *g, struct em_buf *out)
{
    double bw, bh;
    drawing_size(g, &bw, &bh);
    double scale = fmin(1.5, fmin(PNG_MAX_W / bw, PNG_MAX_H / bh));
    char *text = NULL;
    unsigned int tlen = 0;
    if (gvRenderData(gvc, g, "dot", &text, &tlen) != 0 || !text) {
        if (text) gvFreeRenderData(text);
        return -1;
    }
    Agraph_t *g2 = agmemread(text);
    gvFreeRenderData(text);
    if (!g2) return -1;
    char dpi[32];
    snprintf(dpi, sizeof dpi, "%.3f", 72.0 * scale);
    agsafeset(g2, (char *)"dpi", dpi, (char *)"");
    char *data = NULL;
    unsigned int len = 0;
    int gv = gvLayout(gvc, g2, "nop2");
    bool laid = gv == 0;
    if (laid) gv = gvRenderData(gvc, g2, "png", &data, &len);
    if (gv == 0 && data) em_buf_add(out, data, len);
    if (data) gvFreeRenderData(data);
    if (laid) gvFreeLayout(gvc, g2);
    agclose(g2);
    return gv != 0 || out->len == 0 || out->failed ? -1 : 0;
}

/* Frames on the pipe: one byte kind ('S' svg, 'P' pdf, 'N' png, 'E' error text),
 * eight bytes length (little-endian), the data. */
static int put_frame(int fd, char kind, const char *data, size_t len)
{
    unsigned char hdr[9];
    hdr[0] = (unsigned char)kind;
    for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)((uint64_t)len >> (8 * i));
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

enum { WANT_SVG = 1, WANT_PDF = 2, WANT_PNG = 4 };

/* The child: lay out, draw what is wanted, send it, exit without cleaning up (the
 * parent owns everything; _exit skips atexit handlers and leak checks). */
static void child_main(GVC_t *gvc, Agraph_t *g, const char *engine, enum em_graph_mode mode,
                       unsigned want, int fd)
{
    signal(SIGPIPE, SIG_DFL);
    if (test_hook("crash", mode_name(mode))) abort();
    if (test_hook("hang", mode_name(mode)))
        for (;;) pause();
    agreseterrors();
    if (gvLayout(gvc, g, engine) != 0 || agerrors() >= AGERR) {
        put_frame(fd, 'E', em_buf_cstr(&gv_msgs), gv_msgs.len);
        _exit(3);
    }
    if (want & WANT_SVG) {
        char *data = NULL;
        unsigned int len = 0;
        if (gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data) _exit(4);
        if (put_frame(fd, 'S', data, len) != 0) _exit(5);
    }
    if (want & WANT_PDF) {
        struct em_buf b = {0};
        if (draw_pdf(gvc, g, &b) != 0) _exit(4);
        if (put_frame(fd, 'P', b.p, b.len) != 0) _exit(5);
    }
    if (want & WANT_PNG) {
        struct em_buf b = {0};
        if (draw_png(gvc, g, &b) != 0) _exit(4);
        if (put_frame(fd, 'N', b.p, b.len) != 0) _exit(5);
    }
    /* Graphviz's warnings of this layout, for the parent to pass on */
    if (gv_msgs.len && put_frame(fd, 'W', gv_msgs.p, gv_msgs.len) != 0) _exit(5);
    _exit(0);
}

/* Runs child_main in a child process with a deadline and collects its frames into
 * out[0..2] (svg, pdf, png). Returns 0, or -1 with why filled. */
static int draw_in_child(GVC_t *gvc, Agraph_t *g, const char *engine, enum em_graph_mode mode,
                         unsigned want, double timeout, struct em_buf out[3], char *why, size_t wsz)
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
        child_main(gvc, g, engine, mode, want, fds[1]);
        _exit(6);
    }
    close(fds[1]);
    int fl = fcntl(fds[0], F_GETFL);
    if (fl >= 0) fcntl(fds[0], F_SETFL, fl | O_NONBLOCK);
    struct em_buf raw = {0};
    double deadline = now_s() + timeout;
    bool eof = false, timed_out = false;
    char chunk[65536];
    while (!eof) {
        double left = deadline - now_s();
        if (left <= 0) { timed_out = true; break; }
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (pr < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pr == 0) continue;
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r > 0) em_buf_add(&raw, chunk, (size_t)r);
        else if (r == 0) eof = true;
        else if (errno != EINTR && errno != EAGAIN) break;
        if (raw.failed) break;
    }
    close(fds[0]);
    int st = 0;
    pid_t w = 0;
    /* the child closed its end: it is exiting, but give it the same deadline */
    while (!timed_out && (w = waitpid(pid, &st, WNOHANG)) == 0) {
        if (now_s() > deadline) { timed_out = true; break; }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int rc = -1;
    if (timed_out || w <= 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        if (timed_out) snprintf(why, wsz, em_tr("%.0f秒以内に終わりませんでした", "did not finish within %.0f s"), timeout);
        else snprintf(why, wsz, "waitpid: %s", strerror(errno));
    } else if (WIFSIGNALED(st)) {
        snprintf(why, wsz, em_tr("異常終了しました（シグナル %d）", "crashed (signal %d)"), WTERMSIG(st));
    } else {
        /* split the frames */
        size_t pos = 0;
        char msg[300] = "";
        while (pos + 9 <= raw.len) {
            unsigned char *h = (unsigned char *)raw.p + pos;
            uint64_t len = 0;
            for (int i = 0; i < 8; i++) len |= (uint64_t)h[1 + i] << (8 * i);
            if (len > raw.len - pos - 9) break;
            const char *data = raw.p + pos + 9;
            int slot = h[0] == 'S' ? 0 : h[0] == 'P' ? 1 : h[0] == 'N' ? 2 : -1;
            if (slot >= 0) em_buf_add(&out[slot], data, (size_t)len);
            else if (h[0] == 'E') snprintf(msg, sizeof msg, "%.*s", (int)(len < 299 ? len : 299), data);
            else if (h[0] == 'W' && gv_msgs.len < 8192) em_buf_add(&gv_msgs, data, (size_t)(len < 4096 ? len : 4096));
            pos += 9 + (size_t)len;
        }
        bool complete = (!(want & WANT_SVG) || out[0].len) && (!(want & WANT_PDF) || out[1].len) &&
                        (!(want & WANT_PNG) || out[2].len);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && complete && !raw.failed && pos == raw.len) {
            rc = 0;
        } else {
            for (char *c = msg; *c; c++) if (*c == '\n') *c = ' ';
            snprintf(why, wsz, em_tr("失敗しました（%s）", "failed (%s)"),
                     msg[0] ? msg : WIFEXITED(st) ? em_tr("描画できません", "could not draw") : "?");
        }
    }
    em_buf_free(&raw);
    if (rc != 0)
        for (int i = 0; i < 3; i++) em_buf_free(&out[i]);
    return rc;
}

/* ---------------------------------------------------------------- the run */

struct job {
    const struct em_model *m;
    struct em_render_opts *o;
    struct em_outset *set;
    struct em_err *err;
    GVC_t *gvc;
    Agraph_t *pre;         /* the full graph before layout (the .dot output) */
    unsigned want;         /* what the outputs need drawn */
    bool drawn, draw_failed;
    char date[64];
    struct em_buf drawing[3];  /* svg, pdf, png from the child */
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

/* Lays out and draws once for every output (the first output that needs a drawing
 * triggers it), falling back to simpler graphs. */
static int ensure_drawn(struct job *j)
{
    if (j->drawn) return EM_OK;
    if (j->draw_failed)
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("図のレイアウトに失敗しました", "the diagram layout failed"));
    double timeout = timeout_of(j->o);
    static const struct { enum em_graph_mode mode; const char *engine, *name; } tries[] = {
        {EM_GRAPH_FULL, "dot", "dot"}, {EM_GRAPH_FLAT, "dot", "dot-flat"}, {EM_GRAPH_GRID, "nop", "grid"},
    };
    size_t nt = sizeof tries / sizeof tries[0];
    for (size_t t = 0; t < nt; t++) {
        Agraph_t *g = j->pre;
        if (tries[t].mode != EM_GRAPH_FULL) {
            struct em_graph_opts go = {.mode = tries[t].mode, .date = j->date};
            g = em_graph_build(j->m, &go, j->err);
            if (!g) return j->err->rc ? j->err->rc : EM_ERR_NOMEM;
        }
        char why[512] = "";
        int rc = draw_in_child(j->gvc, g, tries[t].engine, tries[t].mode, j->want, timeout, j->drawing, why, sizeof why);
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

/* agwrite into memory: the graph as built, before any layout. */
static int dot_text(Agraph_t *g, char **out, size_t *len)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f) return EM_ERR_NOMEM;
    int rc = agwrite(g, f);
    if (fclose(f) != 0 || rc != 0) {
        free(p);
        return EM_ERR_NOMEM;
    }
    *out = p;
    *len = n;
    return EM_OK;
}

static int write_one(struct job *j, size_t idx, enum em_render_fmt fmt)
{
    const char *path = em_outset_path(j->set, idx);
    int rc = EM_OK;
    char *p = NULL;
    size_t n = 0;
    switch (fmt) {
    case EM_FMT_SVG:
    case EM_FMT_PDF:
    case EM_FMT_PNG: {
        rc = ensure_drawn(j);
        if (rc) return rc;
        struct em_buf *b = &j->drawing[fmt == EM_FMT_SVG ? 0 : fmt == EM_FMT_PDF ? 1 : 2];
        return em_outset_put(j->set, idx, b->p, b->len, j->err);
    }
    case EM_FMT_DOT:
        rc = dot_text(j->pre, &p, &n);
        if (rc) return em_err_set(j->err, rc, path, "", 0, "", "%s", em_tr("DOTを書き出せません", "cannot write DOT"));
        break;
    case EM_FMT_JSON: {
        if (!j->o->json)
            return em_err_set(j->err, EM_ERR_USAGE, path, "", 0, "", "%s", em_tr("JSON出力はこのビルドでは使えません", "JSON output is not available in this build"));
        FILE *f = open_memstream(&p, &n);
        if (!f) return em_err_set(j->err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
        int jr = j->o->json(f, j->m);
        if (fclose(f) != 0 || jr != 0) {
            free(p);
            return em_err_set(j->err, EM_ERR_IO, path, "", 0, "", "%s", em_tr("JSONを書き出せません", "cannot write JSON"));
        }
        break;
    }
    case EM_FMT_HTML:
        rc = ensure_drawn(j);
        if (rc) {
            /* a report without the picture still carries the tables: say so */
            warn(j->o, "%s", em_tr("警告: 図を作れなかったため、レポートは表のみです", "warning: no diagram could be made; the report has the tables only"));
            em_err_clear(j->err);
        }
        rc = em_report_html(j->m, rc ? NULL : em_buf_cstr(&j->drawing[0]), j->date, &p, &n, j->err);
        if (rc) return rc;
        break;
    case EM_FMT_CSV:
        rc = em_targets_csv(j->m, &p, &n, j->err);
        if (rc) return rc;
        break;
    default:
        return em_err_set(j->err, EM_ERR_USAGE, path, "", 0, "", "%s",
                          em_tr("出力形式が分かりません（.svg .pdf .png .dot .json .html .csv のいずれか）",
                                "unknown output format (use .svg .pdf .png .dot .json .html .csv)"));
    }
    rc = em_outset_put(j->set, idx, p, n, j->err);
    free(p);
    return rc;
}

int em_render_files(const struct em_model *m, struct em_outset *set,
                    struct em_render_opts *opts, struct em_err *err)
{
    opts->layout_used[0] = '\0';
    opts->warnings[0] = '\0';
    struct job j = {.m = m, .o = opts, .set = set, .err = err};
    size_t n = em_outset_count(set);
    for (size_t i = 0; i < n; i++) {
        enum em_render_fmt f = em_render_fmt_of(em_outset_path(set, i));
        if (f == EM_FMT_UNKNOWN)
            return em_err_set(err, EM_ERR_USAGE, em_outset_path(set, i), "", 0, "", "%s",
                              em_tr("出力形式が分かりません（.svg .pdf .png .dot .json .html .csv のいずれか）",
                                    "unknown output format (use .svg .pdf .png .dot .json .html .csv)"));
        j.want |= f == EM_FMT_SVG || f == EM_FMT_HTML ? WANT_SVG : f == EM_FMT_PDF ? WANT_PDF : f == EM_FMT_PNG ? WANT_PNG : 0;
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
    struct em_graph_opts go = {.mode = EM_GRAPH_FULL, .date = j.date};
    j.pre = em_graph_build(m, &go, err);
    if (!j.pre) {
        rc = err && err->rc ? err->rc : EM_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && rc == EM_OK; i++) {
        rc = write_one(&j, i, em_render_fmt_of(em_outset_path(set, i)));
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
    for (int i = 0; i < 3; i++) em_buf_free(&j.drawing[i]);
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
    int rc = dot_text(g, out, len);
    agclose(g);
    if (rc) return em_err_set(err, rc, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}
