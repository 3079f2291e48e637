/* render.c — one graph, one layout, every output. The layout runs in a forked child
 * with a deadline (Graphviz can abort or run for minutes on some shapes); the child
 * sends back the positioned graph as DOT, which the parent reads with agmemread and
 * renders with the "nop2" engine (positions taken as given). If the child dies or
 * overruns, the graph is rebuilt simpler (no cluster, then a fixed grid) and tried
 * again, with a warning. */
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
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

/* ---------------------------------------------------------------- atomic write */

int em_write_atomic(const char *path, const void *data, size_t len, struct em_err *err)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) return em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("書き込めません: %s", "cannot write: %s"), strerror(e));
    }
    mode_t um = umask(0);
    umask(um);
    int e = 0;
    if (fchmod(fd, 0666 & ~um) != 0) e = errno;
    const char *p = data;
    size_t left = len;
    while (!e && left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            e = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!e && fsync(fd) != 0) e = errno;
    if (close(fd) != 0 && !e) e = errno;
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("書き込めません: %s", "cannot write: %s"), strerror(e));
    }
    free(tmp);
    return EM_OK;
}

/* ---------------------------------------------------------------- layout child */

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

/* Lays g out with engine in a child process; on success *out holds the positioned
 * graph as DOT text. Returns 0, or -1 with why filled (crash, error, timeout). */
static int layout_child(GVC_t *gvc, Agraph_t *g, const char *engine, enum em_graph_mode mode,
                        double timeout, struct em_buf *out, char *why, size_t wsz)
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
        signal(SIGPIPE, SIG_DFL);
        if (test_hook("crash", mode_name(mode))) abort();
        if (test_hook("hang", mode_name(mode)))
            for (;;) pause();
        agreseterrors();
        FILE *f = fdopen(fds[1], "w");
        if (!f) _exit(4);
        if (gvLayout(gvc, g, engine) != 0 || agerrors() >= AGERR) {
            fputs(em_buf_cstr(&gv_msgs), f);
            fclose(f);
            _exit(3);
        }
        int rc = gvRender(gvc, g, "dot", f);
        if (fclose(f) != 0 || rc != 0) _exit(5);
        _exit(0);
    }
    close(fds[1]);
    int fl = fcntl(fds[0], F_GETFL);
    if (fl >= 0) fcntl(fds[0], F_SETFL, fl | O_NONBLOCK);
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
        if (r > 0) em_buf_add(out, chunk, (size_t)r);
        else if (r == 0) eof = true;
        else if (errno != EINTR && errno != EAGAIN) break;
        if (out->failed) break;
    }
    close(fds[0]);
    int st = 0;
    pid_t w = 0;
    /* the child closed its end: it is exiting, but give it the same deadline */
    while (!timed_out && (w = waitpid(pid, &st, WNOHANG)) == 0) {
        if (now_s() > deadline) { timed_out = true; break; }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (timed_out || w <= 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        if (timed_out) snprintf(why, wsz, em_tr("%.0f秒以内に終わりませんでした", "did not finish within %.0f s"), timeout);
        else snprintf(why, wsz, "waitpid: %s", strerror(errno));
        return -1;
    }
    if (WIFSIGNALED(st)) {
        snprintf(why, wsz, em_tr("異常終了しました（シグナル %d）", "crashed (signal %d)"), WTERMSIG(st));
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || out->failed || out->len == 0) {
        /* exit 3: Graphviz reported an error; its messages are what the child sent */
        char msg[300];
        snprintf(msg, sizeof msg, "%s", em_buf_cstr(out));
        for (char *c = msg; *c; c++) if (*c == '\n') *c = ' ';
        snprintf(why, wsz, em_tr("失敗しました（%s）", "failed (%s)"),
                 msg[0] ? msg : (WIFEXITED(st) ? "exit" : "?"));
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- rendering */

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

struct job {
    const struct em_model *m;
    struct em_render_opts *o;
    struct em_err *err;
    GVC_t *gvc;
    Agraph_t *pre;         /* the full graph before layout (the .dot output) */
    Agraph_t *laid;        /* the positioned graph after nop2, or NULL */
    bool layout_tried;
    char date[64];
    struct em_buf svg;     /* rendered once, shared by .svg and .html */
    struct em_buf laid_text; /* the positioned graph as DOT (re-read for PNG) */
    double bb[4];
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

static int ensure_layout(struct job *j)
{
    if (j->laid) return EM_OK;
    if (j->layout_tried)
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("図のレイアウトに失敗しました", "the diagram layout failed"));
    j->layout_tried = true;
    double timeout = timeout_of(j->o);
    static const struct { enum em_graph_mode mode; const char *engine, *name; } tries[] = {
        {EM_GRAPH_FULL, "dot", "dot"}, {EM_GRAPH_FLAT, "dot", "dot-flat"}, {EM_GRAPH_GRID, "nop", "grid"},
    };
    for (size_t t = 0; t < sizeof tries / sizeof tries[0]; t++) {
        Agraph_t *g = j->pre;
        if (tries[t].mode != EM_GRAPH_FULL) {
            struct em_graph_opts go = {.mode = tries[t].mode, .date = j->date};
            g = em_graph_build(j->m, &go, j->err);
            if (!g) return j->err->rc ? j->err->rc : EM_ERR_NOMEM;
        }
        struct em_buf out = {0};
        char why[512] = "";
        int rc = layout_child(j->gvc, g, tries[t].engine, tries[t].mode, timeout, &out, why, sizeof why);
        if (g != j->pre) agclose(g);
        if (rc == 0) {
            Agraph_t *laid = agmemread(em_buf_cstr(&out));
            em_buf_free(&j->laid_text);
            j->laid_text = out;
            out = (struct em_buf){0};
            if (laid && gvLayout(j->gvc, laid, "nop2") == 0) {
                j->laid = laid;
                snprintf(j->o->layout_used, sizeof j->o->layout_used, "%s", tries[t].name);
                const char *bb = agget(laid, (char *)"bb");
                char *end = NULL;
                const char *s = bb ? bb : "";
                for (int k = 0; k < 4; k++) {
                    j->bb[k] = strtod(s, &end);
                    if (end == s) break;
                    s = *end == ',' ? end + 1 : end;
                }
                return EM_OK;
            }
            if (laid) agclose(laid);
            snprintf(why, sizeof why, "%s", em_tr("配置結果を読み戻せませんでした", "could not read the laid-out graph back"));
        }
        em_buf_free(&out);
        warn(j->o, em_tr("警告: レイアウト（%s）が%s。%s", "warning: layout (%s) %s. %s"), tries[t].name, why,
             t + 1 < sizeof tries / sizeof tries[0] ? em_tr("簡略化した図で再試行します。", "Retrying with a simpler diagram.") : "");
    }
    return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s",
                      em_tr("図のレイアウトに失敗しました（すべての方法が失敗）", "the diagram layout failed (every fallback failed)"));
}

static int render_svg(struct job *j)
{
    if (j->svg.len) return EM_OK;
    int rc = ensure_layout(j);
    if (rc) return rc;
    char *data = NULL;
    unsigned int len = 0;
    if (gvRenderData(j->gvc, j->laid, "svg", &data, &len) != 0 || !data) {
        if (data) gvFreeRenderData(data);
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("SVGを作れませんでした", "could not render SVG"));
    }
    em_buf_add(&j->svg, data, len);
    gvFreeRenderData(data);
    if (j->svg.failed) return em_err_set(j->err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    struct em_buf *b = closure;
    em_buf_add(b, (const char *)data, len);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* PDF on one A3 landscape page: Graphviz's cairo renderer draws onto our own cairo
 * context, scaled to fit the page (Graphviz alone makes the page the drawing's size). */
static int render_pdf(struct job *j, struct em_buf *out)
{
    int rc = ensure_layout(j);
    if (rc) return rc;
    double bw = j->bb[2] - j->bb[0], bh = j->bb[3] - j->bb[1];
    if (!(bw > 1) || !(bh > 1)) bw = bh = 100;
    bw += 2 * 21.6 + 4; bh += 2 * 21.6 + 4;   /* the graph's pad (0.3 in) on each side */
    double scale = fmin((A3_W - 2 * PAGE_MARGIN) / bw, (A3_H - 2 * PAGE_MARGIN) / bh);
    if (scale > 2.0) scale = 2.0;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, A3_W, A3_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return em_err_set(j->err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("描画面を作れません", "cannot create the drawing surface"));
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, em_tr("構成図", "Configuration diagram"));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "edgemap");
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, (A3_W - bw * scale) / 2, (A3_H - bh * scale) / 2);
    cairo_scale(cr, scale, scale);
    /* with an external context the device draws and ends the page; it does not write */
    int gv = gvRenderContext(j->gvc, j->laid, "pdf:cairo", cr);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS) cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (gv != 0 || cst != CAIRO_STATUS_SUCCESS || out->failed)
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("PDFを作れませんでした", "could not render PDF"));
    return EM_OK;
}

/* PNG: the positioned graph read again with a dpi that keeps the image within A3 at
 * 300 dpi (a big map is scaled down, never an image of 100,000 pixels). */
static int render_png(struct job *j, struct em_buf *out)
{
    int rc = ensure_layout(j);
    if (rc) return rc;
    double bw = j->bb[2] - j->bb[0] + 2 * 21.6, bh = j->bb[3] - j->bb[1] + 2 * 21.6;
    if (!(bw > 1) || !(bh > 1)) bw = bh = 100;
    double scale = fmin(1.5, fmin(PNG_MAX_W / bw, PNG_MAX_H / bh));
    Agraph_t *g = agmemread(em_buf_cstr(&j->laid_text));
    if (!g) return em_err_set(j->err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("PNGを作れませんでした", "could not render PNG"));
    char dpi[32];
    snprintf(dpi, sizeof dpi, "%.3f", 72.0 * scale);
    agsafeset(g, (char *)"dpi", dpi, (char *)"");
    char *data = NULL;
    unsigned int len = 0;
    int gv = gvLayout(j->gvc, g, "nop2");
    bool laid = gv == 0;
    if (laid) gv = gvRenderData(j->gvc, g, "png", &data, &len);
    if (gv == 0 && data) em_buf_add(out, data, len);
    if (data) gvFreeRenderData(data);
    if (laid) gvFreeLayout(j->gvc, g);
    agclose(g);
    if (gv != 0 || out->len == 0 || out->failed)
        return em_err_set(j->err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("PNGを作れませんでした", "could not render PNG"));
    return EM_OK;
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

static int write_one(struct job *j, const char *path, enum em_render_fmt fmt)
{
    struct em_buf b = {0};
    int rc = EM_OK;
    switch (fmt) {
    case EM_FMT_SVG:
        rc = render_svg(j);
        if (!rc) rc = em_write_atomic(path, j->svg.p, j->svg.len, j->err);
        return rc;
    case EM_FMT_PDF:
        rc = render_pdf(j, &b);
        break;
    case EM_FMT_PNG:
        rc = render_png(j, &b);
        break;
    case EM_FMT_DOT: {
        char *p = NULL;
        size_t n = 0;
        rc = dot_text(j->pre, &p, &n);
        if (rc) return em_err_set(j->err, rc, path, "", 0, "", "%s", em_tr("DOTを書き出せません", "cannot write DOT"));
        rc = em_write_atomic(path, p, n, j->err);
        free(p);
        return rc;
    }
    case EM_FMT_JSON: {
        if (!j->o->json)
            return em_err_set(j->err, EM_ERR_USAGE, path, "", 0, "", "%s", em_tr("JSON出力はこのビルドでは使えません", "JSON output is not available in this build"));
        char *p = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&p, &n);
        if (!f) return em_err_set(j->err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
        int jr = j->o->json(f, j->m);
        if (fclose(f) != 0 || jr != 0) {
            free(p);
            return em_err_set(j->err, EM_ERR_IO, path, "", 0, "", "%s", em_tr("JSONを書き出せません", "cannot write JSON"));
        }
        rc = em_write_atomic(path, p, n, j->err);
        free(p);
        return rc;
    }
    case EM_FMT_HTML: {
        rc = render_svg(j);
        if (rc) {
            /* a report without the picture still carries the tables: say so */
            warn(j->o, "%s", em_tr("警告: 図を作れなかったため、レポートは表のみです", "warning: no diagram could be made; the report has the tables only"));
            em_err_clear(j->err);
        }
        char *p = NULL;
        size_t n = 0;
        rc = em_report_html(j->m, rc ? NULL : em_buf_cstr(&j->svg), j->date, &p, &n, j->err);
        if (rc) return rc;
        rc = em_write_atomic(path, p, n, j->err);
        free(p);
        return rc;
    }
    case EM_FMT_CSV: {
        char *p = NULL;
        size_t n = 0;
        rc = em_targets_csv(j->m, &p, &n, j->err);
        if (rc) return rc;
        rc = em_write_atomic(path, p, n, j->err);
        free(p);
        return rc;
    }
    default:
        return em_err_set(j->err, EM_ERR_USAGE, path, "", 0, "", "%s",
                          em_tr("出力形式が分かりません（.svg .pdf .png .dot .json .html .csv のいずれか）",
                                "unknown output format (use .svg .pdf .png .dot .json .html .csv)"));
    }
    if (!rc && b.failed) rc = em_err_set(j->err, EM_ERR_NOMEM, path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    if (!rc) rc = em_write_atomic(path, b.p, b.len, j->err);
    em_buf_free(&b);
    return rc;
}

int em_render_files(const struct em_model *m, const char *const *outs, size_t n,
                    struct em_render_opts *opts, struct em_err *err)
{
    opts->layout_used[0] = '\0';
    opts->warnings[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (em_render_fmt_of(outs[i]) == EM_FMT_UNKNOWN)
            return em_err_set(err, EM_ERR_USAGE, outs[i], "", 0, "", "%s",
                              em_tr("出力形式が分かりません（.svg .pdf .png .dot .json .html .csv のいずれか）",
                                    "unknown output format (use .svg .pdf .png .dot .json .html .csv)"));
    struct job j = {.m = m, .o = opts, .err = err};
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
        rc = write_one(&j, outs[i], em_render_fmt_of(outs[i]));
        if (rc && err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", outs[i]);
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
    em_buf_free(&j.svg);
    em_buf_free(&j.laid_text);
    if (j.laid) {
        gvFreeLayout(j.gvc, j.laid);
        agclose(j.laid);
    }
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
