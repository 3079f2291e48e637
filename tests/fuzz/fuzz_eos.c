/* fuzz_eos.c — libFuzzer target: the OS end-of-support table (mapper/eos.c,
 * data/os-eos.tsv, which --data DIR or EDGEMAP_DATA can point anywhere). The input is
 * the file (through a memory file, tests/fuzz/fuzz_file.h). A refusal must be a clean
 * em_err naming the file; a loaded table is asked about OS texts as hospitals write
 * them (run-together, abbreviated, full width) and about the input's own first lines
 * taken as OS text and date. em_eos_check must agree with em_eos_lookup: past end of
 * support only for a row that matches and a valid date after its end; the product
 * named is UTF-8.
 * Seeds: tests/fuzz/corpus/eos/. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz_file.h"

#include <glib.h>

#include "mapper/eos.h"
#include "mapper/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Looks os up and checks it on date; the two answers must agree. */
static void ask(const struct em_eos *e, const char *os, const char *date)
{
    const char *p = NULL, *d = NULL, *cp = NULL, *cd = NULL;
    int hit = em_eos_lookup(e, os, &p, &d);
    if (hit) {
        /* the product goes into a W-TERMINAL message: UTF-8, as the whole model */
        if (!p || !p[0] || !d || strlen(d) != 10 || !g_utf8_validate(p, -1, NULL)) abort();
    } else if (p || d) {
        abort();
    }
    int past = em_eos_check(e, os, date, &cp, &cd);
    if (past) {
        if (!hit || cp != p || cd != d || strcmp(date, d) <= 0) abort();
    } else if (cp || cd) {
        abort();
    }
    if (em_eos_check(e, os, date, NULL, NULL) != past) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    em_lang_set(size & 1 ? EM_LANG_EN : EM_LANG_JA);
    const char *path = fuzz_path_of(data, size);
    struct em_err err;
    em_err_clear(&err);
    struct em_eos *e = em_eos_load(path, &err);
    if (!e) {
        if (err.rc >= 0 || err.msg[0] == '\0' || strcmp(err.file, path) != 0) abort();
        return 0;
    }
    static const char *const os[] = {
        "Windows10 Pro 22H2", "WIN10 pro 22h2", "Win10", "Windows 10 Enterprise LTSC 2019",
        "Windows Server 2012 R2 Standard", "WinSvr2019", "Ｗｉｎｄｏｗｓ　７　Ｐｒｏｆｅｓｓｉｏｎａｌ",
        "CentOS 7.9", "Windows XP Embedded（検査装置）", "不明", "",
    };
    static const char *const dates[] = {"2026-12-01", "2015-07-14", "2099-12-31", "2026/12/01"};
    for (size_t i = 0; i < sizeof os / sizeof os[0]; i++)
        ask(e, os[i], dates[i % (sizeof dates / sizeof dates[0])]);
    char l0[512], l1[64];
    fuzz_line(data, size, 0, l0, sizeof l0);
    fuzz_line(data, size, 1, l1, sizeof l1);
    ask(e, l0, "2026-12-01");
    ask(e, l1, l0);
    ask(e, os[0], l1);
    em_eos_free(e);
    return 0;
}
