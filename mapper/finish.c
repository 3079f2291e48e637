/* finish.c — the model after every file is read: the survey date the rules judge
 * against (調査日, read by the one date parser), the chain (chain.c), the model-wide
 * rules (firmware advisories, terminals) and the order of findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "mapper/advisory.h"
#include "mapper/date.h"
#include "mapper/eos.h"
#include "mapper/codes.h"
#include "mapper/lang.h"
#include "mapper/records.h"
#include "mapper/records_int.h"
#include "mapper/records_int.h"

/* The date every date rule uses: --survey-date (set by the caller before loading),
 * else the 調査日 the sheet gives, else $EDGEMAP_SURVEY_DATE, else today. A 調査日 that
 * is present but not a real date gives W-SURVEY-DATE naming the date used instead.
 * 0 ok, -1 no memory. */
static int resolve_survey_date(struct em_model *m)
{
    char buf[16];
    struct em_date d;
    const char *given = NULL;
    if (*m->survey_date && em_date_parse(m->survey_date, false, &d))
        given = em_pool_str(m->pool, em_date_format(&d, buf, sizeof buf));
    const char *sheet = NULL;
    bool sheet_bad = false;
    if (*m->survey_date_text) {
        if (em_date_parse(m->survey_date_text, m->survey_date_1904, &d))
            sheet = em_pool_str(m->pool, em_date_format(&d, buf, sizeof buf));
        else
            sheet_bad = true;
    }
    const char *env = getenv("EDGEMAP_SURVEY_DATE");
    const char *used, *how;
    if (given) {
        used = given;
        how = em_tr("--survey-date の指定", "given with --survey-date");
    } else if (sheet) {
        used = sheet;
        how = "";
    } else if (env && em_date_parse(env, false, &d)) {
        used = em_pool_str(m->pool, em_date_format(&d, buf, sizeof buf));
        how = em_tr("環境変数 EDGEMAP_SURVEY_DATE の指定", "given in EDGEMAP_SURVEY_DATE");
    } else {
        d = em_date_today();
        used = em_pool_str(m->pool, em_date_format(&d, buf, sizeof buf));
        how = em_tr("今日の日付", "today");
    }
    if (!used) return -1;
    m->survey_date = used;
    if (sheet_bad)
        return em_model_add(m, EM_W_SURVEY_DATE, &m->survey_date_src, m->survey_date_col, NULL,
            em_tr("調査日「%s」は実在する日付として読めません（例: 2026-11-05、2026/11/5、2026年11月5日、令和8年11月5日、R8.11.5）。"
                  "日付の規則（OSのサポート期限など）は %s（%s）で判定しました",
                  "the survey date (調査日) \"%s\" is not a real date (e.g. 2026-11-05, 2026/11/5, 2026年11月5日, 令和8年11月5日, R8.11.5); "
                  "date rules (OS end of support ...) were judged on %s (%s)"),
            m->survey_date_text, used, how);
    return 0;
}

int em_model_finish(struct em_model *m, const char *data_dir, struct em_err *err)
{
    if (!data_dir)
        return em_err_set(err, EM_ERR_USAGE, NULL, NULL, 0, NULL, "%s",
                          em_tr("データのフォルダ（脆弱性情報・サポート期限）が指定されていません",
                                "no data directory (advisories, end-of-support dates) was given"));
    em_lines_forget_seen(m);   /* no more rows are read */
#ifdef __GLIBC__
    /* the readers' and loaders' tables are gone: give their pages back before the
       chain grows the model (glibc keeps freed heap pages otherwise; peak RSS) */
    malloc_trim(0);
#endif
    if (resolve_survey_date(m) != 0) return em_err_set(err, EM_ERR_NOMEM, NULL, NULL, 0, NULL, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/firmware-advisories.tsv", data_dir);
    struct em_advisories *adv = em_advisories_load(path, err);
    if (!adv) return err && err->rc ? err->rc : EM_ERR_IO;
    snprintf(path, sizeof path, "%s/os-eos.tsv", data_dir);
    struct em_eos *eos = em_eos_load(path, err);
    if (!eos) {
        em_advisories_free(adv);
        return err && err->rc ? err->rc : EM_ERR_IO;
    }
    int rc = em_model_build_graph(m);
    if (rc == 0) rc = em_rules_devices(m, adv);
    if (rc == 0) rc = em_rules_terminals(m, eos);
    em_advisories_free(adv);
    em_eos_free(eos);
    if (rc != 0) return em_err_set(err, EM_ERR_NOMEM, NULL, NULL, 0, NULL, "out of memory");
    em_model_sort_findings(m);
    return 0;
}
