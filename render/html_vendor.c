/* html_vendor.c — the report's vendor maintenance review: one section per company
 * (remote parties and vendors holding a line contract, grouped by mapper/party.c's
 * company key, ISPs left out), with its lines, forms, devices with firmware and CVEs,
 * EMR reach, contract holder, rental, and the evidence from discovery and scans. */
#include "render/html_int.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/lang.h"
#include "mapper/party.h"

struct company {
    char *key;
    GPtrArray *spellings;     /* const char *, as written, first first */
};

static bool blank(const char *s) { return !s || !*s; }

static void cell(struct em_buf *b, const char *html)
{
    em_buf_puts(b, "<td>");
    em_buf_puts(b, html);
    em_buf_puts(b, "</td>");
}

/* The companies named by the rows, in order of first mention. */
static GPtrArray *companies(const struct em_model *m)
{
    GPtrArray *cs = g_ptr_array_new();
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        const char *cand[2] = {p->remote_party, p->line < m->n_lines ? m->lines[p->line].contract_holder : NULL};
        for (int c = 0; c < 2; c++) {
            if (blank(cand[c]) || (c == 0 && em_party_is_isp(cand[c], p->provider_name)) ||
                (c == 1 && em_html_is_hospital(m, cand[c])))
                continue;
            char *key = em_party_company(cand[c]);
            struct company *hit = NULL;
            for (guint k = 0; k < cs->len && !hit; k++)
                if (strcmp(((struct company *)cs->pdata[k])->key, key) == 0) hit = cs->pdata[k];
            if (!hit) {
                hit = g_new0(struct company, 1);
                hit->key = key;
                hit->spellings = g_ptr_array_new();
                g_ptr_array_add(cs, hit);
            } else {
                g_free(key);
            }
            bool seen = false;
            for (guint s = 0; s < hit->spellings->len; s++)
                if (strcmp(hit->spellings->pdata[s], cand[c]) == 0) seen = true;
            if (!seen) g_ptr_array_add(hit->spellings, (gpointer)cand[c]);
        }
    }
    return cs;
}

static bool same(const char *name, const char *key)
{
    if (blank(name)) return false;
    char *k = em_party_company(name);
    bool eq = strcmp(k, key) == 0;
    g_free(k);
    return eq;
}

/* What discovery and the scans say about a path: its devices seen or not, undeclared
 * ones, and the open ports a scan found on its address. */
static void evidence(struct em_buf *b, const struct em_model *m, size_t pi, bool discovery)
{
    const struct em_path *p = &m->paths[pi];
    for (int s = 0; s < 2 && discovery; s++) {
        if (p->dev[s] == EM_NONE || p->dev[s] >= m->n_devices) continue;
        const struct em_device *d = &m->devices[p->dev[s]];
        if (d->source == EM_SRC_DECLARED && !d->disc_id && !d->disc_unverified) continue;  /* not expected */
        if (b->len) em_buf_puts(b, "<br>");
        em_buf_html(b, d->model ? d->model : "");
        em_buf_puts(b, ": ");
        em_buf_html(b, d->source == EM_SRC_DISCOVERED ? em_tr("未申告（探索のみ）", "undeclared (discovery only)")
                       : d->disc_id ? em_tr("探索で確認", "seen by discovery")
                                    : em_tr("未確認（探索で見つからず）", "not seen by discovery"));
    }
    size_t open = 0;
    for (size_t i = 0; i < m->n_services; i++)
        if (m->services[i].path == pi) open++;
    if (p->scanned) {
        if (b->len) em_buf_puts(b, "<br>");
        em_buf_printf(b, em_tr("スキャン済み（開いていたポート %zu）", "scanned (%zu open ports)"), open);
    }
    if (!b->len) em_buf_html(b, em_tr("申告のみ", "declared only"));
}

/* Devices (maker model), firmware with CVEs or its check status, rentals: three cells. */
static void devices(struct em_buf *b, const struct em_model *m, const struct em_path *p)
{
    struct em_buf dev = {0}, fw = {0}, rent = {0};
    for (int s = 0; s < 2; s++) {
        if (p->dev[s] == EM_NONE || p->dev[s] >= m->n_devices) continue;
        const struct em_device *d = &m->devices[p->dev[s]];
        if (dev.len) em_buf_puts(&dev, "<br>");
        em_buf_html(&dev, d->maker); em_buf_puts(&dev, " "); em_buf_html(&dev, d->model);
        if (fw.len) em_buf_puts(&fw, "<br>");
        em_buf_html(&fw, blank(d->firmware) ? em_tr("（版数未記入）", "(no version)") : d->firmware);
        em_buf_puts(&fw, ": ");
        if (d->n_cves) {
            em_buf_puts(&fw, "<span class=\"cve\">");
            for (size_t c = 0; c < d->n_cves; c++) {
                if (c) em_buf_puts(&fw, ", ");
                em_buf_html(&fw, d->cves[c]);
            }
            em_buf_puts(&fw, "</span>");
        } else {
            em_buf_html(&fw, d->verified ? em_tr("実機確認済み", "verified") : em_tr("未確認", "unverified"));
        }
        if (d->rental == EM_TRI_YES) {
            if (rent.len) em_buf_puts(&rent, "<br>");
            em_buf_html(&rent, d->model);
            em_buf_html(&rent, em_tr("（レンタル）", " (rental)"));
        }
    }
    cell(b, em_buf_cstr(&dev));
    cell(b, em_buf_cstr(&fw));
    cell(b, em_buf_cstr(&rent));
    if (dev.failed || fw.failed || rent.failed) b->failed = true;
    em_buf_free(&dev); em_buf_free(&fw); em_buf_free(&rent);
}

static void path_row(struct em_buf *b, const struct em_model *m, size_t pi, bool discovery)
{
    const struct em_path *p = &m->paths[pi];
    const struct em_line *l = p->line < m->n_lines ? &m->lines[p->line] : NULL;
    struct em_buf t = {0};
    em_buf_puts(b, "<tr>");
    em_buf_html(&t, l ? l->line_no : "");
    cell(b, em_buf_cstr(&t));
    const char *texts[] = {
        em_comm_type_label(p->comm_type), p->purpose,
        p->emr_link == EM_TRI_YES ? em_tr("到達する", "yes")
        : p->emr_link == EM_TRI_NO ? em_tr("到達しない", "no") : em_tr("不明（要確認）", "unknown (to confirm)"),
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        t.len = 0;
        em_buf_add(&t, "", 0);
        em_buf_html(&t, texts[i] ? texts[i] : "");
        cell(b, em_buf_cstr(&t));
    }
    devices(b, m, p);
    t.len = 0;
    em_buf_add(&t, "", 0);
    em_buf_html(&t, l ? l->contract_holder : "");
    cell(b, em_buf_cstr(&t));
    t.len = 0;
    em_buf_add(&t, "", 0);
    evidence(&t, m, pi, discovery);
    cell(b, em_buf_cstr(&t));
    em_buf_puts(b, "</tr>");
    if (t.failed) b->failed = true;
    em_buf_free(&t);
}

static void company_section(struct em_buf *b, const struct em_model *m, const struct company *c, bool discovery)
{
    const char *name = c->spellings->pdata[0];
    bool maint = false;
    for (size_t o = 0; o < m->n_outside; o++)
        if (m->outside[o].kind == EM_NODE_PARTY && m->outside[o].maintenance && same(m->outside[o].name, c->key))
            maint = true;
    em_buf_puts(b, "<h3>");
    em_buf_html(b, name);
    if (maint) { em_buf_puts(b, " — "); em_buf_html(b, em_tr("保守回線", "maintenance line")); }
    em_buf_puts(b, "</h3>");
    if (c->spellings->len > 1) {
        em_buf_puts(b, "<p class=\"note\">");
        em_buf_html(b, em_tr("表記: ", "Written as: "));
        for (guint s = 0; s < c->spellings->len; s++) {
            if (s) em_buf_puts(b, " / ");
            em_buf_puts(b, "「");
            em_buf_html(b, c->spellings->pdata[s]);
            em_buf_puts(b, "」");
        }
        em_buf_puts(b, "</p>");
    }
    em_buf_puts(b, "<table class=\"vendor\"><thead><tr>");
    static const char *const heads[][2] = {
        {"回線No", "Line"}, {"通信形態", "Form"}, {"用途", "Purpose"}, {"電子カルテ到達", "Reaches EMR"},
        {"装置", "Devices"}, {"ファームウェアの状況", "Firmware status"}, {"レンタル", "Rental"},
        {"回線契約者", "Contract holder"}, {"探索・スキャンの確認", "Discovery / scan evidence"},
    };
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        em_buf_puts(b, "<th>");
        em_buf_html(b, em_tr(heads[h][0], heads[h][1]));
        em_buf_puts(b, "</th>");
    }
    em_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        const struct em_line *l = p->line < m->n_lines ? &m->lines[p->line] : NULL;
        bool mine = (same(p->remote_party, c->key) && !em_party_is_isp(p->remote_party, p->provider_name)) ||
                    (l && !em_html_is_hospital(m, l->contract_holder) && same(l->contract_holder, c->key));
        if (mine) path_row(b, m, i, discovery);
    }
    em_buf_puts(b, "</tbody></table>");
}

void em_html_vendor_review(struct em_buf *b, const struct em_model *m)
{
    GPtrArray *cs = companies(m);
    bool discovery = false;
    for (size_t i = 0; i < m->n_devices && !discovery; i++)
        if (m->devices[i].source != EM_SRC_DECLARED || m->devices[i].disc_id) discovery = true;
    if (!cs->len) {
        em_buf_puts(b, "<p class=\"note\">");
        em_buf_html(b, em_tr("接続先・業者の記載はありません。", "No remote party or vendor is named."));
        em_buf_puts(b, "</p>");
    }
    for (guint k = 0; k < cs->len; k++) company_section(b, m, cs->pdata[k], discovery);
    for (guint k = 0; k < cs->len; k++) {
        struct company *c = cs->pdata[k];
        g_free(c->key);
        g_ptr_array_free(c->spellings, TRUE);
        g_free(c);
    }
    g_ptr_array_free(cs, TRUE);
}
