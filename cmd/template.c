/* template.c — `edgemap template -o FILE.xlsx [--lang ja|en]`: the blank fill-in
 * workbook the survey team sends out (book/template.c does the work). */
#include <stdio.h>
#include <string.h>

#include "book/book.h"
#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/lang.h"

/* A YYYY-MM-DD that is a real calendar date. */
static int real_date(const char *s)
{
    int y, m, d;
    return em_book_parse_date(s, &y, &m, &d);
}

int em_cmd_template(int argc, char **argv)
{
    const char *out = NULL;
    struct em_book_template_opts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && has && !out) {
            out = argv[++i];
        } else if (strcmp(a, "--lang") == 0 && has && (strcmp(argv[i + 1], "ja") == 0 || strcmp(argv[i + 1], "en") == 0)) {
            em_lang_set(strcmp(argv[++i], "en") == 0 ? EM_LANG_EN : EM_LANG_JA);
        } else if (strcmp(a, "--survey-date") == 0 && has && real_date(argv[i + 1])) {
            o.survey_date = argv[++i];
        } else if (strcmp(a, "--site") == 0 && has) {
            o.site_name = argv[++i];
        } else {
            return em_cmd_usage_error("template", em_tr("使えない引数 '%s'", "bad argument '%s'"), a);
        }
    }
    if (!out)
        return em_cmd_usage_error("template", "%s", em_tr("出力ファイルを -o で指定してください", "give the output file with -o"));
    struct em_err err = {0};
    struct em_outset *set = em_common_outset("template", NULL, NULL, 0, &out, 1);
    if (!set) return EM_EXIT_USAGE;
    int rc = em_book_template(set, 0, &o, &err);
    if (rc == 0) rc = em_outset_commit(set, &err);
    em_outset_free(set);
    if (rc != 0) {
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        fprintf(stderr, "edgemap template: %s\n", buf);
        return EM_EXIT_USAGE;
    }
    return EM_EXIT_OK;
}
