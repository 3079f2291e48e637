/* targets.c — the scan target list (診断対象一覧): the in-scope paths that asked for
 * a scan, as CSV that Excel opens directly (UTF-8 with BOM, CRLF). */
#include <stdio.h>

#include "mapper/lang.h"
#include "render/buf.h"
#include "render/render.h"

static bool blank(const char *s) { return !s || !*s; }

/* One field; em_buf_csv neutralises formulas (= + - @ TAB CR) and controls. */
static void cell(struct em_buf *b, const char *s, bool last)
{
    em_buf_csv(b, s);
    em_buf_puts(b, last ? "\r\n" : ",");
}

static void device_text(struct em_buf *b, const struct em_device *d)
{
    const char *parts[3] = {d->maker, d->model, d->firmware};
    bool any = false;
    for (int i = 0; i < 3; i++)
        if (!blank(parts[i])) {
            if (any) em_buf_puts(b, " ");
            em_buf_puts(b, parts[i]);
            any = true;
        }
    const char *type = d->type == EM_DEV_OTHER && !blank(d->type_raw) ? d->type_raw
                       : d->type != EM_DEV_UNSET ? em_dev_type_label(d->type) : NULL;
    if (!blank(type)) em_buf_printf(b, any ? " (%s)" : "%s", type);
}

int em_targets_csv(const struct em_model *m, char **out, size_t *len, struct em_err *err)
{
    struct em_buf b = {0};
    em_buf_puts(&b, "\xEF\xBB\xBF");
    const char *head[] = {
        em_tr("回線No", "Line No"), em_tr("グローバルIPアドレス", "Global IP address"),
        em_tr("FQDN", "FQDN"), em_tr("通信形態", "Communication form"),
        em_tr("装置", "Devices"), em_tr("回線契約者", "Contract holder"),
        em_tr("設置場所", "Location"), em_tr("回線事業者", "Carrier"),
        em_tr("サービス", "Service"), em_tr("出典（行）", "Source (row)"),
    };
    size_t nh = sizeof head / sizeof head[0];
    for (size_t i = 0; i < nh; i++) cell(&b, head[i], i + 1 == nh);
    struct em_buf t = {0};
    for (size_t li = 0; li < m->n_lines; li++) {
        const struct em_line *l = &m->lines[li];
        for (size_t k = 0; k < l->n_paths; k++) {
            const struct em_path *p = &m->paths[l->paths[k]];
            if (p->scan != EM_SCAN_IN || !p->scan_requested) continue;
            cell(&b, l->line_no, false);
            if (p->ip_kind == EM_IP_KIND_DYNAMIC || blank(p->global_ip))
                cell(&b, p->ip_kind == EM_IP_KIND_DYNAMIC || blank(p->fqdn)
                             ? em_tr("動的IP: 当日確認", "dynamic IP: confirm on the day") : "", false);
            else
                cell(&b, p->global_ip, false);
            cell(&b, p->fqdn, false);
            cell(&b, blank(p->comm_type_raw) ? em_comm_type_label(p->comm_type) : p->comm_type_raw, false);
            t.len = 0;
            em_buf_add(&t, "", 0);
            const char *loc = NULL;
            for (int s = 0; s < 2; s++) {
                if (p->dev[s] == EM_NONE || p->dev[s] >= m->n_devices) continue;
                const struct em_device *d = &m->devices[p->dev[s]];
                if (t.len) em_buf_puts(&t, " → ");
                device_text(&t, d);
                if (!loc && !blank(d->location)) loc = d->location;
            }
            cell(&b, em_buf_cstr(&t), false);
            cell(&b, l->contract_holder, false);
            cell(&b, !blank(l->ctu_location) ? l->ctu_location : loc, false);
            cell(&b, l->carrier, false);
            cell(&b, l->service, false);
            char src[640];
            snprintf(src, sizeof src, "%s:%d", blank(p->src.file) ? "" : p->src.file, p->src.row);
            cell(&b, src, true);
        }
    }
    bool failed = b.failed || t.failed;
    em_buf_free(&t);
    if (failed) {
        em_buf_free(&b);
        return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    *out = b.p;
    *len = b.len;
    return EM_OK;
}
