/* fuzz_accept.c — libFuzzer target: the accepted-findings file (--accept FILE,
 * mapper/accept.c). The input is the file (through a memory file, tests/fuzz/fuzz_file.h);
 * when it loads, its entries are applied to a small model with five findings, as a run
 * does after every finding is in. A refusal must be a clean em_err naming the file; an
 * accepted file must leave the model consistent: each finding accepted or not, stale
 * entries added as W-ACCEPT-STALE warnings (never more than there are entries) whose
 * messages can be formatted, every string UTF-8, and the counts adding up. The language (ja/en) follows the
 * input's length, so both message tables are reached. Seeds: tests/fuzz/corpus/accept/. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz_file.h"

#include <glib.h>

#include "mapper/accept.h"
#include "mapper/lang.h"
#include "mapper/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Five findings as a records run leaves them: two W-GLOBAL-IP-EXPECTED on lines 7 and
 * 8, an error with a full-width line No, a hint with no row, a finding with no line. */
static struct em_model *model(void)
{
    struct em_model *m = em_model_new();
    if (!m) abort();
    struct em_src a = {"s.xlsx", "回線・機器情報記入シート", 15};
    struct em_src b = {"s.xlsx", "回線・機器情報記入シート", 16};
    struct em_src c = {"s.xlsx", "回線・機器情報記入シート", 19};
    struct em_src d = {"s.xlsx", "", 0};
    if (em_model_add_finding(m, "W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, &a, "グローバルIP利用", "7", "LTE") ||
        em_model_add_finding(m, "W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, &b, "グローバルIP利用", "8", "LTE") ||
        em_model_add_finding(m, "E-IP-NOT-GLOBAL", EM_SEV_ERROR, &c, "グローバルIPアドレス", "回線-１０", "private") ||
        em_model_add_finding(m, "H-VULN-FIRMWARE", EM_SEV_INFO, &d, "ファームウェア", "3", "FortiOS 6.0.4") ||
        em_model_add_finding(m, "W-DYNAMIC-IP", EM_SEV_WARNING, &d, "", "", "dynamic"))
        abort();
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    em_lang_set(size & 1 ? EM_LANG_EN : EM_LANG_JA);
    const char *path = fuzz_path_of(data, size);
    struct em_err err;
    em_err_clear(&err);
    struct em_accept *a = em_accept_load(path, &err);
    if (!a) {
        if (err.rc >= 0 || err.msg[0] == '\0' || strcmp(err.file, path) != 0) abort();
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        return 0;
    }
    size_t n = em_accept_count(a);
    if (n > EM_ACCEPT_MAX_ENTRIES) abort();
    struct em_model *m = model();
    size_t n0 = m->n_findings;
    if (em_accept_apply(m, a, &err) != 0) abort();
    if (m->n_findings < n0 || m->n_findings - n0 > n) abort();
    size_t accepted = 0;
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        if (f->accepted) {
            if (i >= n0) abort();   /* a stale warning is never itself accepted */
            if (!f->accepted->reason || !f->accepted->reason[0] || !f->accepted->by ||
                !f->accepted->date || f->accepted->entry_line < 1)
                abort();
            /* the model's strings are UTF-8 (docs/design-mapper.md), CP932 files included */
            if (!g_utf8_validate(f->accepted->reason, -1, NULL) || !g_utf8_validate(f->accepted->by, -1, NULL))
                abort();
            accepted++;
        }
        if (i >= n0) {
            if (strcmp(f->code, "W-ACCEPT-STALE") != 0 || f->severity != EM_SEV_WARNING) abort();
            char msg[EM_MSG_MAX];
            const char *text = em_finding_msg(f, msg);
            if (strlen(text) >= EM_MSG_MAX || !g_utf8_validate(text, -1, NULL) ||
                !g_utf8_validate(f->line_no, -1, NULL))
                abort();
        }
    }
    if (accepted != em_model_count_accepted(m)) abort();
    if (em_model_count(m, EM_SEV_ERROR) + em_model_count(m, EM_SEV_WARNING) +
        em_model_count(m, EM_SEV_INFO) + accepted != m->n_findings)
        abort();
    em_model_free(m);
    em_accept_free(a);
    return 0;
}
