/* html.c — the survey report as one self-contained HTML file: the diagram (inline
 * SVG), the line table, the scan targets, every finding and the vendor-maintenance
 * review. No external resource of any kind; prints on A3/A4 (@media print). */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/about.h"
#include "mapper/lang.h"
#include "render/buf.h"
#include "render/html_int.h"
#include "render/render.h"

static bool blank(const char *s) { return !s || !*s; }

static const char CSS[] =
    "body{font-family:\"Noto Sans CJK JP\",\"IPAexGothic\",\"Hiragino Sans\",\"Yu Gothic\",\"Meiryo\",sans-serif;"
    "margin:16px;color:#000;background:#fff;font-size:13px}"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;border-bottom:2px solid #333;margin:24px 0 8px}"
    "h3{font-size:14px;margin:14px 0 4px}"
    ".meta{color:#333;margin-bottom:8px}.summary span{display:inline-block;margin-right:18px}"
    "table{border-collapse:collapse;width:100%;margin-bottom:8px}"
    "th,td{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left}"
    "th{background:#eee}tr.out td{color:#555}"
    ".target{color:#c00000;font-weight:bold}.sev-error{color:#c00000;font-weight:bold}"
    ".sev-warning{color:#8a5a00;font-weight:bold}.cve{color:#c00000;font-weight:bold}"
    ".accepted{background:#e0e0e0;padding:0 .3em;font-weight:bold}"
    ".diagram{border:1px solid #ccc;overflow:auto;max-height:90vh}"
    ".diagram svg{max-width:100%;height:auto;display:block}"
    ".note{color:#555}"
    "@media print{@page{size:A3 landscape;margin:10mm}body{margin:0;font-size:10pt}"
    ".diagram{border:none;overflow:visible;max-height:none;page-break-after:always}"
    ".diagram svg{width:100%;height:auto;max-height:260mm}"
    "thead{display:table-header-group}tr{page-break-inside:avoid}h2{page-break-after:avoid}}";

static void th(struct em_buf *b, const char *ja, const char *en)
{
    em_buf_puts(b, "<th>");
    em_buf_html(b, em_tr(ja, en));
    em_buf_puts(b, "</th>");
}

static void td(struct em_buf *b, const char *s)
{
    em_buf_puts(b, "<td>");
    em_buf_html(b, s);
    em_buf_puts(b, "</td>");
}

/* A cell of text as written, its line breaks kept (備考). */
static void td_lines(struct em_buf *b, const char *s)
{
    em_buf_puts(b, "<td>");
    for (const char *q = s ? s : ""; *q;) {
        const char *nl = strchr(q, '\n');
        size_t n = nl ? (size_t)(nl - q) : strlen(q);
        char *part = g_strndup(q, n);
        em_buf_html(b, part);
        g_free(part);
        if (!nl) break;
        em_buf_puts(b, "<br>");
        q = nl + 1;
    }
    em_buf_puts(b, "</td>");
}

static const char *tri(enum em_tri t)
{
    return t == EM_TRI_YES ? em_tr("あり", "yes") : t == EM_TRI_NO ? em_tr("なし", "no")
                                                                 : em_tr("不明", "unknown");
}

static void device_cell(struct em_buf *b, const struct em_model *m, size_t di)
{
    if (di == EM_NONE || di >= m->n_devices) { td(b, ""); return; }
    const struct em_device *d = &m->devices[di];
    em_buf_puts(b, "<td>");
    const char *parts[3] = {d->maker, d->model, d->firmware};
    for (int i = 0; i < 3; i++)
        if (!blank(parts[i])) { em_buf_html(b, parts[i]); em_buf_puts(b, " "); }
    if (d->rental == EM_TRI_YES) em_buf_html(b, em_tr("（レンタル）", "(rental)"));
    for (size_t i = 0; i < d->n_cves; i++) {
        em_buf_puts(b, i ? ", " : "<br><span class=\"cve\">");
        em_buf_html(b, d->cves[i]);
        if (i + 1 == d->n_cves) em_buf_puts(b, "</span>");
    }
    em_buf_puts(b, "</td>");
}

static void lines_table(struct em_buf *b, const struct em_model *m)
{
    em_buf_puts(b, "<table id=\"lines\"><thead><tr>");
    th(b, "回線No", "Line"); th(b, "回線事業者", "Carrier"); th(b, "サービス", "Service");
    th(b, "通信形態", "Form"); th(b, "用途", "Purpose"); th(b, "システム名", "System");
    th(b, "接続先", "Remote party"); th(b, "電子カルテ接続", "EMR link");
    th(b, "グローバルIP / FQDN", "Global IP / FQDN"); th(b, "診断", "Scan");
    th(b, "装置①", "Device 1"); th(b, "装置②", "Device 2"); th(b, "回線契約者", "Contract holder");
    th(b, "備考・その他の列", "Remarks, other columns"); th(b, "行", "Row");
    em_buf_puts(b, "</tr></thead><tbody>");
    for (size_t li = 0; li < m->n_lines; li++) {
        const struct em_line *l = &m->lines[li];
        for (size_t k = 0; k < l->n_paths; k++) {
            const struct em_path *p = &m->paths[l->paths[k]];
            em_buf_printf(b, "<tr class=\"%s\" data-line=\"", p->scan == EM_SCAN_IN ? "in" : "out");
            em_buf_html(b, l->id);
            em_buf_puts(b, "\">");
            /* the row's own carrier/service as written (the line's when its cell is blank);
               a pull-down value in its canonical spelling */
            td(b, l->line_no);
            td(b, blank(p->carrier) ? l->carrier : p->carrier);
            td(b, blank(p->service) ? l->service : p->service);
            td(b, p->comm_type != EM_COMM_UNSET || blank(p->comm_type_raw) ? em_comm_type_label(p->comm_type)
                                                                           : p->comm_type_raw);
            td(b, p->purpose); td(b, p->system); td(b, p->remote_party); td(b, tri(p->emr_link));
            em_buf_puts(b, "<td>");
            if (p->ip_kind == EM_IP_KIND_DYNAMIC) em_buf_html(b, em_tr("動的IP", "dynamic IP"));
            else em_buf_html(b, p->global_ip);
            if (!blank(p->fqdn)) { em_buf_puts(b, "<br>"); em_buf_html(b, p->fqdn); }
            em_buf_puts(b, "</td>");
            if (p->scan == EM_SCAN_IN) {
                em_buf_puts(b, "<td class=\"target\">");
                em_buf_html(b, em_tr("診断対象", "target"));
                if (p->scan_requested) em_buf_html(b, em_tr("（調査希望）", " (requested)"));
                em_buf_puts(b, "</td>");
            } else {
                td(b, em_scan_reason_label(p->scan));
            }
            device_cell(b, m, p->dev[0]);
            device_cell(b, m, p->dev[1]);
            td(b, l->contract_holder);
            {
                GString *rem = g_string_new(blank(p->remarks) ? "" : p->remarks);
                for (size_t x = 0; x < p->n_extra; x++)
                    g_string_append_printf(rem, "%s%s: %s", rem->len ? "\n" : "", p->extra[x].key, p->extra[x].value);
                td_lines(b, rem->str);
                g_string_free(rem, TRUE);
            }
            if (m->n_sources > 1 && p->src.file) {   /* several files: say which */
                const char *base = strrchr(p->src.file, '/');
                em_buf_puts(b, "<td>");
                em_buf_html(b, base ? base + 1 : p->src.file);
                em_buf_printf(b, " %d</td></tr>", p->src.row);
            } else {
                em_buf_printf(b, "<td>%d</td></tr>", p->src.row);
            }
        }
    }
    em_buf_puts(b, "</tbody></table>");
}

static void targets_table(struct em_buf *b, const struct em_model *m)
{
    size_t n = 0;
    em_buf_puts(b, "<table id=\"targets\"><thead><tr>");
    th(b, "回線No", "Line"); th(b, "グローバルIPアドレス", "Global IP address"); th(b, "FQDN", "FQDN");
    th(b, "通信形態", "Form"); th(b, "装置", "Devices"); th(b, "回線契約者", "Contract holder");
    th(b, "設置場所", "Location");
    em_buf_puts(b, "</tr></thead><tbody>");
    for (size_t li = 0; li < m->n_lines; li++) {
        const struct em_line *l = &m->lines[li];
        for (size_t k = 0; k < l->n_paths; k++) {
            const struct em_path *p = &m->paths[l->paths[k]];
            if (p->scan != EM_SCAN_IN || !p->scan_requested) continue;
            n++;
            em_buf_puts(b, "<tr>");
            td(b, l->line_no);
            td(b, p->ip_kind == EM_IP_KIND_DYNAMIC || blank(p->global_ip)
                      ? em_tr("動的IP: 当日確認", "dynamic IP: confirm on the day") : p->global_ip);
            td(b, p->fqdn);
            td(b, em_comm_type_label(p->comm_type));
            em_buf_puts(b, "<td>");
            for (int s = 0; s < 2; s++) {
                if (p->dev[s] == EM_NONE || p->dev[s] >= m->n_devices) continue;
                const struct em_device *d = &m->devices[p->dev[s]];
                if (s && p->dev[0] != EM_NONE) em_buf_puts(b, " → ");
                em_buf_html(b, d->maker); em_buf_puts(b, " "); em_buf_html(b, d->model);
            }
            em_buf_puts(b, "</td>");
            td(b, l->contract_holder);
            td(b, l->ctu_location);
            em_buf_puts(b, "</tr>");
        }
    }
    em_buf_puts(b, "</tbody></table>");
    if (!n) {
        em_buf_puts(b, "<p class=\"note\">");
        em_buf_html(b, em_tr("調査希望のある診断対象はありません。", "No in-scope line asked for a scan."));
        em_buf_puts(b, "</p>");
    }
}

static void findings_table(struct em_buf *b, const struct em_model *m)
{
    if (!m->n_findings) {
        em_buf_puts(b, "<p class=\"note\">");
        em_buf_html(b, em_tr("指摘事項はありません。", "No findings."));
        em_buf_puts(b, "</p>");
        return;
    }
    em_buf_puts(b, "<table id=\"findings\"><thead><tr>");
    th(b, "重要度", "Severity"); th(b, "コード", "Code"); th(b, "ファイル", "File");
    th(b, "シート", "Sheet"); th(b, "行", "Row"); th(b, "列", "Column"); th(b, "回線No", "Line");
    th(b, "内容", "Message");
    em_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        char mb[EM_MSG_MAX];
        const char *msg = em_finding_msg(f, mb);
        const char *sev = em_severity_name(f->severity);
        em_buf_printf(b, "<tr><td class=\"sev-%s\">", sev);
        em_buf_html(b, f->severity == EM_SEV_ERROR ? em_tr("エラー", "error")
                       : f->severity == EM_SEV_WARNING ? em_tr("警告", "warning") : em_tr("情報", "info"));
        em_buf_puts(b, "</td>");
        td(b, f->code);
        const char *base = f->file ? strrchr(f->file, '/') : NULL;
        td(b, base ? base + 1 : f->file);
        td(b, f->sheet);
        if (f->row > 0) em_buf_printf(b, "<td>%d</td>", f->row);
        else td(b, "");
        td(b, f->column); td(b, f->line_no);
        if (f->accepted) {   /* --accept: still listed, marked with the team's reason */
            em_buf_puts(b, "<td><span class=\"accepted\">");
            em_buf_html(b, em_tr("承認済み", "accepted"));
            em_buf_puts(b, "</span> ");
            em_buf_html(b, msg);
            em_buf_puts(b, "<br>");
            em_buf_html(b, em_tr("理由: ", "reason: "));
            em_buf_html(b, f->accepted->reason);
            em_buf_puts(b, "</td>");
        } else {
            td(b, msg);
        }
        em_buf_puts(b, "</tr>");
    }
    em_buf_puts(b, "</tbody></table>");
}

/* What the scan files reported: every open port, with the line that declares the
 * address when one does. */
static void scan_table(struct em_buf *b, const struct em_model *m)
{
    em_buf_puts(b, "<table id=\"services\"><thead><tr>");
    th(b, "アドレス", "Address"); th(b, "ポート", "Port"); th(b, "状態", "State");
    th(b, "サービス", "Service"); th(b, "製品・版", "Product / version"); th(b, "回線No", "Line");
    th(b, "スキャンファイル", "Scan file");
    em_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < m->n_services; i++) {
        const struct em_service *s = &m->services[i];
        em_buf_puts(b, s->path == EM_NONE ? "<tr class=\"undeclared\">" : "<tr>");
        td(b, s->address);
        em_buf_printf(b, "<td>%d/", s->port);
        em_buf_html(b, s->proto);
        em_buf_puts(b, "</td>");
        td(b, s->state);
        td(b, s->name);
        em_buf_puts(b, "<td>");
        em_buf_html(b, s->product);
        if (!blank(s->version)) { em_buf_puts(b, " "); em_buf_html(b, s->version); }
        em_buf_puts(b, "</td>");
        if (s->path != EM_NONE && s->path < m->n_paths && m->paths[s->path].line < m->n_lines)
            td(b, m->lines[m->paths[s->path].line].line_no);
        else
            td(b, em_tr("（記入なし）", "(not declared)"));
        const char *base = s->file ? strrchr(s->file, '/') : NULL;
        td(b, base ? base + 1 : s->file);
        em_buf_puts(b, "</tr>");
    }
    em_buf_puts(b, "</tbody></table>");
}

bool em_html_is_hospital(const struct em_model *m, const char *holder)
{
    static const char *const self[] = {"病院", "クリニック", "医院", "診療所", "当院", "自院"};
    if (blank(holder)) return true;
    for (size_t i = 0; i < sizeof self / sizeof self[0]; i++)
        if (strcmp(holder, self[i]) == 0) return true;
    return !blank(m->site.name) && strcmp(holder, m->site.name) == 0;
}

/* A section heading of the report on a line of its own. */
static void heading(struct em_buf *b, const char *ja, const char *en)
{
    em_buf_puts(b, "\n<h2>");
    em_buf_html(b, em_tr(ja, en));
    em_buf_puts(b, "</h2>");
}

/* The whole report into b (which may stream to a sink). */
static void report(struct em_buf *b, const struct em_model *m, const char *svg, const char *date)
{
    em_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width\">"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                      "<title>", em_tr("ja", "en"));
    em_buf_html(b, em_tr("外部接続点 調査報告", "External connection survey report"));
    if (!blank(m->site.name)) { em_buf_puts(b, " — "); em_buf_html(b, m->site.name); }
    em_buf_printf(b, "</title><style>%s</style></head><body>\n<h1>", CSS);
    em_buf_html(b, em_tr("外部接続点 調査報告", "External connection survey report"));
    if (!blank(m->site.name)) { em_buf_puts(b, " — "); em_buf_html(b, m->site.name); }
    em_buf_puts(b, "</h1><div class=\"meta\">");
    if (!blank(date)) { em_buf_html(b, em_tr("調査日: ", "Survey date: ")); em_buf_html(b, date); em_buf_puts(b, "　"); }
    if (m->n_sources) {
        em_buf_html(b, em_tr("出典: ", "Source: "));
        for (size_t i = 0; i < m->n_sources; i++) {
            if (i) em_buf_puts(b, ", ");
            const char *base = strrchr(m->sources[i], '/');
            em_buf_html(b, base ? base + 1 : m->sources[i]);
        }
    }
    size_t n_in = 0, n_req = 0;
    for (size_t i = 0; i < m->n_paths; i++)
        if (m->paths[i].scan == EM_SCAN_IN) {
            n_in++;
            if (m->paths[i].scan_requested) n_req++;
        }
    em_buf_puts(b, "</div><div class=\"summary\">");
    em_buf_printf(b, em_tr("<span>回線 %zu</span><span>経路 %zu</span><span>診断対象 %zu（調査希望 %zu）</span>"
                            "<span>エラー %zu</span><span>警告 %zu</span>",
                            "<span>%zu lines</span><span>%zu paths</span><span>%zu in scan scope (%zu requested)</span>"
                            "<span>%zu errors</span><span>%zu warnings</span>"),
                  m->n_lines, m->n_paths, n_in, n_req, em_model_count(m, EM_SEV_ERROR),
                  em_model_count(m, EM_SEV_WARNING));
    em_buf_puts(b, "</div>\n<h2>");
    em_buf_html(b, em_tr("構成図", "Diagram"));
    em_buf_puts(b, "</h2><div class=\"diagram\">");
    if (svg) {
        const char *s = strstr(svg, "<svg");
        em_buf_puts(b, s ? s : "");
    } else {
        em_buf_puts(b, "<p class=\"note\">");
        em_buf_html(b, em_tr("図を作れませんでした。", "The diagram could not be made."));
        em_buf_puts(b, "</p>");
    }
    em_buf_puts(b, "</div>");
    heading(b, "回線一覧", "Lines");
    lines_table(b, m);
    heading(b, "診断対象一覧", "Scan targets");
    targets_table(b, m);
    if (m->n_services) {
        heading(b, "スキャン結果（開いていたポート）", "Scan results (open ports)");
        scan_table(b, m);
    }
    heading(b, "指摘事項", "Findings");
    findings_table(b, m);
    heading(b, "ベンダー保守の確認", "Vendor maintenance review");
    em_html_vendor_review(b, m);
    char about[1024];
    em_about_line(about, sizeof about);
    if (*about) {  /* what produced this report (edgemap, data and library versions) */
        em_buf_puts(b, "\n<footer class=\"generator\">");
        em_buf_html(b, em_tr("作成: ", "Made by "));
        em_buf_html(b, about);
        em_buf_puts(b, "</footer>");
    }
    em_buf_puts(b, "\n</body></html>\n");
}

int em_report_html(const struct em_model *m, const char *svg, const char *date,
                   char **out, size_t *len, struct em_err *err)
{
    struct em_buf b = {0};
    report(&b, m, svg, date);
    if (b.failed) {
        em_buf_free(&b);
        return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    *out = b.p;
    *len = b.len;
    return EM_OK;
}

int em_report_html_stream(const struct em_model *m, const char *svg, const char *date, FILE *f, struct em_err *err)
{
    struct em_buf b = {.sink = f};
    report(&b, m, svg, date);
    int rc = em_buf_flush(&b);
    em_buf_free(&b);
    if (rc != 0) return em_err_set(err, EM_ERR_IO, "", "", 0, "", "%s", em_tr("レポートを書き出せません", "cannot write the report"));
    return EM_OK;
}
