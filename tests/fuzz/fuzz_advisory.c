/* fuzz_advisory.c — libFuzzer target: the firmware advisory table (mapper/advisory.c,
 * data/firmware-advisories.tsv, which --data DIR or EDGEMAP_DATA can point anywhere).
 * The input is the file (through a memory file, tests/fuzz/fuzz_file.h). A refusal must
 * be a clean em_err naming the file; a loaded table is matched against a few devices as
 * surveys write them (maker aliases, a reseller as maker, full-width models, the
 * version spellings of em_version_parse) and against the input's own first lines taken
 * as maker, model and firmware. Every match must be a whole advisory (model pattern,
 * CVEs, URL) in UTF-8. em_version_parse, em_version_cmp, em_model_normalise and
 * em_maker_canonical also get the input's lines whether the table loaded or not.
 * Seeds: tests/fuzz/corpus/advisory/. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz_file.h"

#include <glib.h>

#include "mapper/advisory.h"
#include "mapper/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parsed version is 0..4 parts, none negative, unused parts 0; it equals itself and
 * compares the other way round against a second version. */
static void check_version(const char *text)
{
    int v[4], w[4];
    int n = em_version_parse(text, v);
    if (n < 0 || n > 4) abort();
    for (int k = 0; k < 4; k++)
        if (v[k] < 0 || (k >= n && v[k] != 0)) abort();
    if (em_version_cmp(v, n, v, n) != 0) abort();
    int m = em_version_parse("6.0.4", w);
    int c1 = em_version_cmp(v, n, w, m), c2 = em_version_cmp(w, m, v, n);
    if ((c1 < 0) != (c2 > 0) || (c1 == 0) != (c2 == 0)) abort();
}

/* The normalised model fits the buffer, NUL-terminated, even a tiny one. */
static void check_normalise(const char *text)
{
    char small[7], big[512];
    em_model_normalise(text, small, sizeof small);
    if (strlen(small) >= sizeof small) abort();
    em_model_normalise(text, big, sizeof big);
    if (strlen(big) >= sizeof big) abort();
}

/* Matches one device; every advisory returned is whole. */
static void match(const struct em_advisories *a, const char *maker, const char *model, const char *fw)
{
    const struct em_advisory *out[4];
    size_t n = em_advisories_match(a, maker, model, fw, out, 4);
    if (n > em_advisories_count(a)) abort();
    for (size_t i = 0; i < n && i < 4; i++) {
        const struct em_advisory *d = out[i];
        if (!d || !d->model_pattern[0] || !d->n_cves || !d->cves[0] || d->row < 1 ||
            (strncmp(d->url, "https://", 8) != 0 && strncmp(d->url, "http://", 7) != 0))
            abort();
        /* the URL goes into the model and the rest into messages: UTF-8, as every
           string of the model (docs/design-mapper.md) */
        const char *text[] = {d->maker, d->model_pattern, d->fixed, d->url, d->summary, d->affected};
        for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
            if (!g_utf8_validate(text[k], -1, NULL)) abort();
    }
    if (em_advisories_match(a, maker, model, fw, NULL, 0) != n) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    em_lang_set(size & 1 ? EM_LANG_EN : EM_LANG_JA);
    char l0[256], l1[256], l2[256];
    fuzz_line(data, size, 0, l0, sizeof l0);
    fuzz_line(data, size, 1, l1, sizeof l1);
    fuzz_line(data, size, 2, l2, sizeof l2);
    check_version(l0);
    check_version(l2);
    check_normalise(l1);
    if (em_maker_canonical(NULL, l0) != l0) abort();

    const char *path = fuzz_path_of(data, size);
    struct em_err err;
    em_err_clear(&err);
    struct em_advisories *a = em_advisories_load(path, &err);
    if (!a) {
        if (err.rc >= 0 || err.msg[0] == '\0' || strcmp(err.file, path) != 0) abort();
        return 0;
    }
    if (em_advisories_count(a) == 0) abort();
    static const char *const dev[][3] = {
        {"Fortinet", "FortiGate-60E", "v6.0.4,build0231 (GA)"},
        {"フォーティネット株式会社", "ＦｏｒｔｉＧａｔｅ　６０Ｅ", "FortiOS ６．０．４"},
        {"ヤマハ", "ヤマハ RTX1210（本体）", "Rev.14.01.20"},
        {"NTT東日本", "RTX830", "Rev15.02.09"},
        {"", "FG-100D", "5.6.3"},
        {"Cisco Systems, Inc.", "ISR4331/K9", "17.9.4a"},
        {"Pulse Secure", "PCS", "9.0R3.4"},
        {"ＮＥＣ", "UNIVERGE IX2215", "10.2.16"},
    };
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
        match(a, dev[i][0][0] ? dev[i][0] : NULL, dev[i][1], dev[i][2]);
    match(a, l0, l1, l2);
    match(a, NULL, l0, l1);
    const char *c = em_maker_canonical(a, l0);
    if (!c) abort();
    em_advisories_free(a);
    return 0;
}
