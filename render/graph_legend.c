/* graph_legend.c — the legend (凡例, only the marks used) and the title with the
 * site, survey date and sources, both in the graph label. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/lang.h"
#include <time.h>


/* Legend entries two (three beside bands, which are wide) to a row: a wide, short
 * legend beside the title costs the page less height than a column of its own costs
 * width. */
static int legend_n, legend_per_row = 2;
#define EM_SMALL_MAP_LINES 10
#define LEGEND_PER_ROW legend_per_row

static void legend_row(struct em_buf *b, const char *sample, const char *text)
{
    if (legend_n % LEGEND_PER_ROW == 0) em_buf_puts(b, "<tr>");
    em_buf_puts(b, "<td>");
    em_buf_puts(b, sample);
    em_buf_puts(b, "</td><td align=\"left\">");
    em_gb_label_html(b, text);
    em_buf_puts(b, "</td>");
    if (++legend_n % LEGEND_PER_ROW == 0) em_buf_puts(b, "</tr>");
}

/* One legend entry per mark bit, in the order they are listed: the sample is `pre`,
 * the translated sample text (escaped; none when ja is NULL) and `post`, in the style
 * of the mark; then the explanation. */
static const struct legend_entry {
    unsigned mark;
    const char *pre, *sja, *sen, *post;
    const char *tja, *ten;
} legend_entries[] = {
    {MK_DIFF_ADDED, "<table border=\"3\" cellborder=\"0\"><tr><td><b>", "追加", "Added", "</b></td></tr></table>",
     "追加：今回の調査で増えたもの（太線）", "added since the last survey (thick)"},
    {MK_DIFF_REMOVED, "<font color=\"" GREY_TEXT "\"><s>", "削除", "Removed", "</s></font>",
     "削除：前回あって今回ないもの（灰色・破線・取り消し線）", "removed since the last survey (grey, dashed, struck through)"},
    {MK_DIFF_CHANGED, "<i>", "変更", "Changed", "</i>", "変更：項目: 前回 → 今回", "changed: field: before → now"},
    {MK_TARGET, "<table border=\"3\" color=\"" RED "\" cellborder=\"0\" style=\"rounded\"><tr><td><font color=\"" RED "\"><b>",
     "診断対象", "Scan target", "</b></font></td></tr></table>",
     "診断対象（インターネットから到達可能な外部接続点）+ グローバルIP / FQDN",
     "scan target (reachable from the Internet) + global IP / FQDN"},
    {MK_TARGET_NOREQ, "<table border=\"2\" color=\"" RED "\" cellborder=\"0\" style=\"rounded,dashed\"><tr><td><font color=\"" RED "\"><b>",
     "調査希望なし", "not requested", "</b></font></td></tr></table>",
     "診断対象（調査希望なし）：範囲内だが診断対象一覧に載らない（赤・破線）",
     "in scan scope, no scan requested: not on the target list (red, dashed)"},
    {MK_DYNAMIC, "<font color=\"" RED "\">", "動的IP(当日確認)", "dynamic IP", "</font>",
     "動的IP: 診断当日にアドレスを確認", "dynamic IP: confirm the address on the day"},
    {MK_OUT, "<font color=\"" GREY_TEXT "\">- - - - -</font>", NULL, NULL, "",
     "診断対象外（閉域網・電話回線・グローバルIPなし）：灰色・破線",
     "out of scan scope (closed network, phone, no global IP): grey, dashed"},
    {MK_ASSET, "<table border=\"2\" cellborder=\"0\" bgcolor=\"" EMR_FILL "\"><tr><td><b>", "重要資産", "Critical asset",
     "</b></td></tr></table>", "重要資産（電子カルテ系）", "critical asset (EMR)"},
    {MK_UNKNOWN, "· · · · ·", NULL, NULL, "", "接続不明（要確認）：点線", "link unknown (to confirm): dotted"},
    {MK_MAINT, "", "保守回線", "Maintenance", "", "保守回線（業者名を接続先に表示）",
     "vendor remote-maintenance line (vendor on the party)"},
    {MK_VENDOR, "<font color=\"" VENDOR "\">- - - - -</font>", NULL, NULL, "",
     "接続先（業者）が使う回線（会社ごとに1つ、表記の違いはツールチップ）", "the lines a remote party uses (one node per company; spellings in the tooltip)"},
    {MK_CONTRACT, "<i>", "契約者:", "Contract holder:", "</i>", "病院以外が契約している回線", "line not contracted by the hospital"},
    {MK_CVE, "<font color=\"" RED "\"><b>CVE</b></font>", NULL, NULL, "", "既知の脆弱性があるファームウェア",
     "firmware with known vulnerabilities"},
    {MK_RENTAL, "", "（レンタル）", "(rental)", "", "レンタル装置", "rental device"},
    {MK_UNDECLARED, "<font color=\"" ORANGE "\"><b>", "未申告", "Undeclared", "</b></font>",
     "探索で見つかった、記入シートにない装置・経路（橙・太線）", "device or path found by discovery, not in the sheet (orange, bold)"},
    {MK_INFERRED, "<font color=\"" ORANGE "\">- - - ", "未申告（推定）", "undeclared (inferred)", "</font>",
     "MACアドレス表・ARP表から推定した未申告の接続（橙・破線）", "undeclared link inferred from forwarding/ARP tables (orange, dashed)"},
    {MK_WAYOUT, "<font color=\"" RED "\"><b>", "外部経路あり", "Way out", "</b></font>",
     "探索で見つかった、記入シートにない外部への経路（H-UNDOCUMENTED-PATH）：赤枠", "a way out discovery found that no row declares (H-UNDOCUMENTED-PATH): red border"},
    {MK_ENDPOINTS, "<table border=\"1\" color=\"" ORANGE "\" style=\"dashed\" cellborder=\"0\"><tr><td>", "端末 N台", "N endpoints",
     "</td></tr></table>", "探索がスイッチの先に見つけた端末（スイッチごとに1つ、一覧はツールチップ）",
     "endpoints discovery found behind a switch, one node per switch (list: tooltip)"},
    {MK_UNSEEN, "<table border=\"1\" style=\"dashed\" cellborder=\"0\" bgcolor=\"" PALE "\"><tr><td><i>", "未確認", "Not seen",
     "</i></td></tr></table>", "記入されているが探索で見つからなかった装置（淡色・破線）",
     "declared device discovery did not see (pale, dashed)"},
    {MK_EVIDENCE, "━ ─ - -", NULL, NULL, "",
     "装置間の線: 太=両端で確認、普通=申告・探索一致、細=申告のみ、破線=片側のみ確認",
     "links between devices: bold = seen from both ends, normal = declared and seen, thin = declared only, dashed = one end"},
    {MK_SERVICES, "<font point-size=\"10\">443/tcp https</font>", NULL, NULL, "", "スキャンで開いていたポート",
     "open ports found by the scan"},
    {MK_TERMINALS, "", "端末 ×N", "terminals ×N", "", "調査した端末の台数", "surveyed terminals"},
};

/* The legend (凡例): only the marks this diagram uses (legend_entries, in order), two
 * or three to a row; appended to out, the graph label's right cell (see add_title). */
void em_gb_add_legend(struct gb *gb, struct em_buf *out)
{
    if (!gb->marks) return;
    struct em_buf b = {0};
    legend_n = 0;
    /* a small map is narrower than a two-column legend: one entry a row keeps the legend
     * from setting the drawing's width (a 5-line clinic printed at 8.9 pt in a strip,
     * 13 pt with this) */
    legend_per_row = gb->n_bands > 1 ? 3 : gb->m->n_lines <= EM_SMALL_MAP_LINES ? 1 : 2;
    /* every mark bit has one entry; the title 凡例 is a cell left of the rows */
    int entries = 0;
    for (unsigned mk = gb->marks; mk; mk &= mk - 1) entries++;
    em_buf_printf(&b, "<table id=\"legend\" border=\"1\" cellborder=\"0\" cellspacing=\"1\" cellpadding=\"2\" style=\"rounded\">"
                      "<tr><td rowspan=\"%d\" valign=\"top\"><b>", (entries + LEGEND_PER_ROW - 1) / LEGEND_PER_ROW + 1);
    em_gb_label_html(&b, em_tr("凡例", "Legend"));
    em_buf_puts(&b, "</b></td></tr>");
    struct em_buf s = {0};
    for (size_t i = 0; i < sizeof legend_entries / sizeof legend_entries[0]; i++) {
        const struct legend_entry *le = &legend_entries[i];
        if (!(gb->marks & le->mark)) continue;
        s.len = 0;
        em_buf_puts(&s, le->pre);
        if (le->sja) em_gb_label_html(&s, em_tr(le->sja, le->sen));
        em_buf_puts(&s, le->post);
        legend_row(&b, em_buf_cstr(&s), em_tr(le->tja, le->ten));
    }
    while (legend_n % LEGEND_PER_ROW) {
        em_buf_puts(&b, "<td></td><td></td>");
        if (++legend_n % LEGEND_PER_ROW == 0) em_buf_puts(&b, "</tr>");
    }
    em_buf_puts(&b, "</table>");
    if (s.failed) b.failed = true;
    em_buf_free(&s);
    /* part of the graph label, right of the title (see add_title) */
    em_buf_puts(out, em_buf_cstr(&b));
    if (b.failed) out->failed = true;
    em_buf_free(&b);
}


void em_graph_date(const struct em_model *m, const char *given, char *buf, size_t size)
{
    if (!blank(given)) snprintf(buf, size, "%s", given);
    else if (m && !blank(m->survey_date)) snprintf(buf, size, "%s", m->survey_date);
    else {
        time_t now = time(NULL);
        struct tm tm;
        if (localtime_r(&now, &tm)) strftime(buf, size, "%Y-%m-%d", &tm);
        else if (size) buf[0] = '\0';
    }
}

void em_gb_add_title(struct gb *gb, const char *legend)
{
    const struct em_model *m = gb->m;
    struct em_buf b = {0};
    em_buf_puts(&b, "<table border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr><td align=\"left\" valign=\"top\">");
    em_buf_puts(&b, "<font point-size=\"20\"><b>");
    em_gb_label_html(&b, gb->o->diff ? em_tr("構成図（前回からの変更）", "Configuration diagram (changes since the last survey)")
                                     : em_tr("構成図（外部接続点）", "Configuration diagram (external connections)"));
    if (!blank(m->site.name)) {
        em_buf_puts(&b, " — ");
        em_gb_label_html(&b, m->site.name);
    }
    em_buf_puts(&b, "</b></font><br align=\"left\"/>");
    if (!blank(gb->o->date)) {
        em_gb_label_html(&b, gb->o->date);
        em_gb_label_html(&b, em_tr(" 調査", " survey"));
        em_buf_puts(&b, "　");
    }
    if (m->n_sources) {
        em_gb_label_html(&b, em_tr("出典: ", "Source: "));
        for (size_t i = 0; i < m->n_sources && i < 8; i++) {
            if (i) em_buf_puts(&b, ", ");
            const char *base = strrchr(m->sources[i], '/');
            em_gb_label_html(&b, base ? base + 1 : m->sources[i]);
        }
    }
    if (gb->o->mode != EM_GRAPH_FULL) {
        em_buf_puts(&b, "　");
        em_gb_label_html(&b, em_tr("（簡略レイアウト）", "(simplified layout)"));
    }
    em_buf_puts(&b, "<br align=\"left\"/></td>");
    if (legend && *legend) {
        em_buf_puts(&b, "<td width=\"30\"></td><td valign=\"top\">");
        em_buf_puts(&b, legend);
        em_buf_puts(&b, "</td>");
    }
    em_buf_puts(&b, "</tr></table>");
    if (b.failed) em_gb_set_failures++;
    em_gb_set_html(gb->g, em_buf_cstr(&b));
    em_buf_free(&b);
}
