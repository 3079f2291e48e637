/* Unit tests for the model JSON writer (mapper/json.c, mapper/json_str.h): the string
 * escaper against the one it replaced (kept here as the reference) over every byte
 * value, cut and invalid UTF-8, C0/C1/DEL and pieces of long strings; the key literals
 * of json.c; the layout against json-c's own PRETTY|SPACED printing of the same
 * document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mapper/json.h"
#include "mapper/json_par.h"
#include "mapper/json_str.h"
#include "mapper/norm.h"
#include "mapper/records.h"
#include "mapper/wbuf.h"
#include "json_ref.h"
#include "t.h"

/* What fn writes for s, with `at` bytes already in the buffer (so the room checks and
 * the flushes of the wbuf are crossed too), as a malloc'd string the caller frees. */
static char *escaped(void (*fn)(struct em_wbuf *, const char *), const char *s, size_t at)
{
    static char cap[EM_WBUF_SIZE + 8 * EM_JS_PIECE * 6];
    static FILE *f;
    static struct em_wbuf b;
    if (!f) f = fmemopen(cap, sizeof cap, "w");
    T_ASSERT(f);
    rewind(f);
    em_wbuf_init(&b, f);
    memset(b.buf, '.', at);
    b.n = at;
    fn(&b, s);
    T_EQ_INT(em_wbuf_flush(&b), 0);
    T_EQ_INT(fflush(f), 0);
    long len = ftell(f);
    T_ASSERT(len >= (long)at);
    char *r = malloc((size_t)len - at + 1);
    T_ASSERT(r);
    memcpy(r, cap + at, (size_t)len - at);
    r[len - at] = '\0';
    return r;
}

static long n_compared;
static size_t n_positions = 3;   /* of ats[] below: the sequences test uses the first two */

/* Both escapers agree on s, written at the start of the buffer, a little way in, and
 * 3 bytes before its end. */
static void same(const char *s)
{
    static const size_t ats[] = {0, 7, EM_WBUF_SIZE - 3};
    for (size_t i = 0; i < n_positions; i++) {
        char *want = escaped(ref_str, s, ats[i]), *got = escaped(em_json_str, s, ats[i]);
        if (strcmp(want, got) != 0) {
            char hex[200] = "";
            for (size_t k = 0; s && s[k] && k < 24; k++)
                snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%02x ", (unsigned char)s[k]);
            size_t d = 0;
            while (want[d] && want[d] == got[d]) d++;
            free(want);
            free(got);
            T_FAIL("input %s(len %zu, at %zu): outputs differ at byte %zu", hex, s ? strlen(s) : 0, ats[i], d);
        }
        free(want);
        free(got);
        n_compared++;
    }
}

static void test_every_byte(void)
{
    char s[8];
    n_positions = 3;
    for (int c = 1; c < 256; c++) {
        s[0] = (char)c, s[1] = '\0';
        same(s);
        /* inside text, and before/after a Japanese character */
        snprintf(s, sizeof s, "a%cb", c);
        same(s);
        snprintf(s, sizeof s, "\xE3\x81\x82%c", c);
        same(s);
        snprintf(s, sizeof s, "%c\xE3\x81\x82", c);
        same(s);
    }
    T_ASSERT(n_compared > 1000);
}

static void test_every_pair(void)
{
    char s[3] = {0};
    n_positions = 2;
    for (int a = 1; a < 256; a++)
        for (int b = 1; b < 256; b++) {
            s[0] = (char)a, s[1] = (char)b;
            same(s);
        }
    n_positions = 3;
}

/* Three- and four-byte sequences: every lead byte, every second byte, the third and
 * fourth from the boundaries of the ranges (overlongs E0 80-9F, surrogates ED A0-BF,
 * above U+10FFFF F4 90+, F5-FF), cut after each byte, at the end and before text. */
static void test_sequences(void)
{
    n_positions = 2;
    static const unsigned char tails[] = {0x01, 0x20, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                          0xA0, 0xBF, 0xC0, 0xC2, 0xE3, 0xED, 0xF4, 0xFF};
    for (int a = 0x80; a < 256; a++)
        for (int b = 1; b < 256; b++)
            for (size_t i = 0; i < sizeof tails; i++)
                for (size_t j = 0; j < 3; j++) {
                    unsigned char s[8] = {(unsigned char)a, (unsigned char)b, tails[i], 0, 0, 0, 0, 0};
                    if (j == 1) s[3] = 0x80;           /* a fourth byte */
                    if (j == 2) memcpy(s + 3, "x\"", 2);  /* text after it */
                    same((const char *)s);
                }
    /* a character cut after each of its bytes, alone and mid-text */
    static const char *const whole[] = {"\xC3\xA9", "\xE3\x81\x82", "\xF0\x9F\x98\x80", "\xC2\x85", "\xC2\xA0"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        for (size_t cut = 1; cut <= strlen(whole[i]); cut++) {
            char s[32];
            snprintf(s, sizeof s, "%.*s", (int)cut, whole[i]);
            same(s);
            snprintf(s, sizeof s, "ab%.*sc", (int)cut, whole[i]);
            same(s);
            snprintf(s, sizeof s, "%.*s\xE3\x81\x82", (int)cut, whole[i]);
            same(s);
        }
    n_positions = 3;
}

/* Long strings (escaped in EM_JS_PIECE pieces) with a multi-byte character, an escape
 * or a cut across each piece boundary, at every shift. */
static void test_long(void)
{
    static const char *const fill[] = {"\xE3\x81\x82", "\xF0\x9F\x98\x80", "\n", "\x01", "\xC2\x9B", "\xC3", "\xE3\x81", "ab", "\""};
    size_t n = 3 * EM_JS_PIECE + 50;
    char *s = malloc(n + 1);
    T_ASSERT(s);
    for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++)
        for (size_t shift = 0; shift < 8; shift++) {
            memset(s, 'x', n);
            s[n] = '\0';
            size_t k = strlen(fill[f]);
            for (size_t at = EM_JS_PIECE - shift; at + k < n; at += EM_JS_PIECE) memcpy(s + at, fill[f], k);
            same(s);
            /* the same filler everywhere */
            for (size_t at = 0; at + k < n; at += k) memcpy(s + at, fill[f], k);
            same(s);
        }
    free(s);
    same(NULL);
    same("");
}

/* Random strings from an alphabet weighted towards the bytes that matter. */
static void test_random(void)
{
    static const char *const alpha[] = {"a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\x01", "\x1F", "\x7F",
                                        "\xE3\x81\x82", "\xE6\xBC\xA2", "\xEF\xBC\xA1", "\xC2\x85", "\xC2\xA0",
                                        "\xC3\xA9", "\xF0\x9F\x98\x80", "\x80", "\xBF", "\xC0\xAF", "\xE0\x80\xAF",
                                        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFE", "\xFF", "\xE3", "\xE3\x81"};
    unsigned long x = 12345;
    char s[512];
    for (int i = 0; i < 100000; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        size_t len = (x >> 33) % 40, o = 0;
        for (size_t k = 0; k < len; k++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            const char *a = alpha[(x >> 33) % (sizeof alpha / sizeof alpha[0])];
            size_t an = strlen(a);
            if (o + an >= sizeof s) break;
            memcpy(s + o, a, an);
            o += an;
        }
        s[o] = '\0';
        same(s);
    }
}

/* Every key literal of json.c (K("..."), KS("...", …) and the others) is plain ASCII,
 * as the key writer that skips the escaper needs. */
static void test_key_literals(void)
{
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/mapper/json.c", root && *root ? root : ".");
    FILE *f = fopen(path, "r");
    if (!f) T_FAIL("cannot read %s (run from the source tree or set ROOT)", path);
    static char src[200000];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[n] = '\0';
    static const char *const macros[] = {"K(\"", "KS(\"", "KB(\"", "KI(\"", "KO(\"", "KN(\"", "JK(\""};
    int found = 0;
    for (size_t m = 0; m < sizeof macros / sizeof macros[0]; m++)
        for (const char *p = strstr(src, macros[m]); p; p = strstr(p + 1, macros[m])) {
            if (p > src && (p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'))) continue;
            const char *k = strchr(p, '"') + 1, *e = strchr(k, '"');
            T_ASSERT(e);
            if (e == k) T_FAIL("json.c: an empty key literal at offset %zu", (size_t)(p - src));
            for (const char *q = k; q < e; q++)
                if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
                    T_FAIL("json.c: key literal \"%.*s\" is not plain ASCII ([A-Za-z0-9_])", (int)(e - k), k);
            found++;
        }
    T_ASSERT(found > 100);   /* the scan saw the writer's keys */
}

/* The writer's layout is json-c's PRETTY|SPACED: the document read back and printed by
 * json-c (slashes unescaped, as ours are) is the same bytes. */
static void same_layout(const struct em_model *m, const char *what)
{
    char *ours = em_model_json_string(m, NULL, NULL);
    T_ASSERT(ours);
    json_object *o = json_tokener_parse(ours);
    if (!o) {
        free(ours);
        T_FAIL("%s: our JSON does not parse", what);
    }
    const char *theirs = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE);
    int eq = strcmp(ours, theirs) == 0;
    size_t d = 0;
    while (ours[d] && ours[d] == theirs[d]) d++;
    json_object_put(o);
    free(ours);
    if (!eq) T_FAIL("%s: layout differs from json-c's at byte %zu", what, d);
}

static struct em_model *load(const char *file);

static void check_layout(const char *file)
{
    struct em_model *m = load(file);
    same_layout(m, file);
    em_model_free(m);
}

static void test_layout(void)
{
    check_layout("samples/hospital.xlsx");
    check_layout("samples/clinic.csv");
    check_layout("samples/higashi.xlsx");
}

/* A model loaded from path (relative to ROOT) and finished, or a failed case. */
static struct em_model *load(const char *file)
{
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", file[0] == '/' ? "" : root && *root ? root : ".", file[0] == '/' ? "" : "/", file);
    struct em_model *m = em_model_new();
    m->survey_date = "2026-11-25";
    struct em_err err;
    em_err_clear(&err);
    int rc = em_records_load(m, path, &err);
    if (rc == 0) rc = em_model_finish(m, "data", &err);
    if (rc != 0) {
        em_model_free(m);
        T_FAIL("%s: load rc %d: %s", path, rc, err.msg);
    }
    return m;
}

/* The model JSON of m by one thread, and by two with chunks chunk_div times smaller
 * than the default, are the same bytes (and the same through a FILE). */
static void same_threads(const struct em_model *m, const char *what, size_t chunk_div)
{
    em_json_par_set(SIZE_MAX, 1);
    char *one = em_model_json_string(m, NULL, NULL);
    em_json_par_set(1, chunk_div);
    char *two = em_model_json_string(m, NULL, NULL);
    char *file = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&file, &len);
    int rc = f ? em_model_write_json(f, m, NULL, NULL) : -1;
    if (f) fclose(f);
    em_json_par_set(EM_JSON_PAR_MIN_CHUNKS, 1);   /* the default */
    int ok = one && two && file && rc == 0 && strcmp(one, two) == 0 && len == strlen(one) + 1 &&
             memcmp(file, one, len - 1) == 0;
    size_t d = 0;
    while (one && two && one[d] && one[d] == two[d]) d++;
    size_t n = one ? strlen(one) : 0;
    free(one);
    free(two);
    free(file);
    if (!ok) T_FAIL("%s (chunks / %zu): two threads differ from one at byte %zu of %zu (rc %d)", what, chunk_div, d, n, rc);
}

static void test_threads_samples(void)
{
    static const char *const files[] = {"samples/hospital.xlsx", "samples/clinic.csv", "samples/higashi.xlsx",
                                        "samples/higashi-vendor.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct em_model *m = load(files[i]);
        same_threads(m, files[i], 1000);   /* one element a chunk */
        same_threads(m, files[i], 16);
        em_model_free(m);
    }
}

/* A survey of n_lines one-row lines and one line (the second) of big_rows rows, made
 * from the first data row of samples/clinic.csv (CP932), written to a temp file; the
 * first line's 備考 (the row's last cell) is written long_remarks times over. */
static void write_survey(const char *path, int n_lines, int big_rows, int long_remarks)
{
    const char *root = getenv("ROOT");
    char src[1024];
    snprintf(src, sizeof src, "%s/samples/clinic.csv", root && *root ? root : ".");
    FILE *in = fopen(src, "rb");
    T_ASSERT(in);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    char *row = strchr(text, '\n');
    T_ASSERT(row);
    *row++ = '\0';                        /* text: the header */
    char *end = strchr(row, '\n');
    T_ASSERT(end);
    *end = '\0';
    if (end > row && end[-1] == '\r') end[-1] = '\0';   /* the sample ends its lines CRLF */
    const char *rest = strchr(row, ',');  /* the row after its 回線No */
    T_ASSERT(rest);
    FILE *out = fopen(path, "wb");
    T_ASSERT(out);
    fprintf(out, "%s\n", text);
    const char *remarks = strrchr(rest, ',') + 1;
    for (int i = 1; i <= n_lines; i++) {
        int k = i == 2 ? big_rows : 1;
        for (int r = 0; r < k; r++) {
            fprintf(out, "%d%s", i, rest);
            for (int x = 1; i == 1 && x < long_remarks; x++) fputs(remarks, out);
            fputc('\n', out);
        }
    }
    T_EQ_INT(fclose(out), 0);
}

/* A bigger model: many chunks through the two slots, and a line of 900 rows (more
 * than EM_JPAR_CAP of JSON) in the second thread's chunk, written by it directly. */
static void test_threads_big(void)
{
    char path[] = "/tmp/em-json-par-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    T_ASSERT(fd >= 0);
    close(fd);
    write_survey(path, 400, 900, 1);
    struct em_model *m = NULL;
    m = load(path);
    unlink(path);
    T_ASSERT(m->n_lines == 400);
    same_threads(m, "400 lines, one of 900 rows", 1000);
    same_threads(m, "400 lines, one of 900 rows", 8);
    same_threads(m, "400 lines, one of 900 rows", 1);
    em_model_free(m);
}

/* A value longer than the escaper's piece (EM_JS_PIECE): a 備考 of ~20 KB of
 * Japanese, written whole, in json-c's layout, the same by two threads. */
static void test_long_value(void)
{
    char path[] = "/tmp/em-json-long-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    T_ASSERT(fd >= 0);
    close(fd);
    write_survey(path, 3, 1, 1200);
    struct em_model *m = load(path);
    unlink(path);
    T_ASSERT(m->n_paths >= 1);
    size_t len = strlen(m->paths[0].remarks);
    if (len <= 4 * EM_JS_PIECE) {
        em_model_free(m);
        T_FAIL("remarks of %zu bytes: not long enough for the test", len);
    }
    same_layout(m, "a 備考 of 20 KB");
    char *json = em_model_json_string(m, NULL, NULL);
    T_ASSERT(json && strstr(json, m->paths[0].remarks));   /* written whole, unescaped */
    free(json);
    same_threads(m, "a 備考 of 20 KB", 1000);
    em_model_free(m);
}

/* The values written through the writer's memo of the last file and sheet and its
 * cache of short values are each path's, device's and finding's own, in a survey of
 * two files whose rows interleave in the findings. */
static void test_file_names(void)
{
    struct em_model *m = load("samples/clinic.csv");
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/samples/higashi.xlsx", root && *root ? root : ".");
    struct em_err err;
    em_err_clear(&err);
    int rc = em_records_load(m, path, &err);
    if (rc == 0) rc = em_model_finish(m, "data", &err);
    if (rc != 0) {
        em_model_free(m);
        T_FAIL("second file: rc %d: %s", rc, err.msg);
    }
    char *json = em_model_json_string(m, NULL, NULL);
    json_object *o = json ? json_tokener_parse(json) : NULL;
    free(json);
    T_ASSERT(o);
    json_object *lines = json_object_object_get(o, "lines"), *findings = json_object_object_get(o, "findings");
    size_t n_files = 0, checked = 0;
    const char *first = NULL;
    for (size_t i = 0; i < m->n_lines; i++) {
        json_object *paths = json_object_object_get(json_object_array_get_idx(lines, i), "paths");
        for (size_t k = 0; k < m->lines[i].n_paths; k++) {
            const struct em_src *src = &m->paths[m->lines[i].paths[k]].src;
            json_object *p = json_object_array_get_idx(paths, k);
            const char *f = json_object_get_string(json_object_object_get(p, "file"));
            const char *sh = json_object_get_string(json_object_object_get(p, "sheet"));
            if (!f || !sh || strcmp(f, src->file) != 0 || strcmp(sh, src->sheet) != 0) {
                json_object_put(o);
                em_model_free(m);
                T_FAIL("line %zu path %zu: file/sheet written %s/%s, the model has %s/%s", i, k, f ? f : "(none)",
                       sh ? sh : "(none)", src->file, src->sheet);
            }
            static const char *const keys[] = {"purpose", "system", "remote_party", "remarks"};
            const struct em_path *mp = &m->paths[m->lines[i].paths[k]];
            const char *want[] = {mp->purpose, mp->system, mp->remote_party, mp->remarks};
            for (size_t x = 0; x < sizeof keys / sizeof keys[0]; x++) {
                const char *got = json_object_get_string(json_object_object_get(p, keys[x]));
                if (!got || strcmp(got, want[x] ? want[x] : "") != 0) {
                    json_object_put(o);
                    em_model_free(m);
                    T_FAIL("line %zu path %zu: %s written %s, the model has %s", i, k, keys[x], got ? got : "(none)",
                           want[x]);
                }
            }
            if (!first) first = src->file, n_files = 1;
            else if (strcmp(first, src->file) != 0) n_files = 2;
            checked++;
        }
    }
    json_object *devices = json_object_object_get(o, "devices");
    for (size_t i = 0; i < m->n_devices; i++) {
        static const char *const keys[] = {"maker", "model", "location", "type_text", "mgmt_ip"};
        const struct em_device *d = &m->devices[i];
        const char *want[] = {d->maker, d->model, d->location, d->type_raw, d->mgmt_ip};
        json_object *jd = json_object_array_get_idx(devices, i);
        for (size_t x = 0; x < sizeof keys / sizeof keys[0]; x++) {
            const char *got = json_object_get_string(json_object_object_get(jd, keys[x]));
            if (!got || strcmp(got, want[x] ? want[x] : "") != 0) {
                json_object_put(o);
                em_model_free(m);
                T_FAIL("device %zu: %s written %s, the model has %s", i, keys[x], got ? got : "(none)", want[x]);
            }
        }
    }
    for (size_t i = 0; i < m->n_findings; i++) {
        json_object *f = json_object_array_get_idx(findings, i);
        const char *file = json_object_get_string(json_object_object_get(f, "file"));
        if (!file || strcmp(file, m->findings[i].file ? m->findings[i].file : "") != 0) {
            json_object_put(o);
            em_model_free(m);
            T_FAIL("finding %zu: file written %s, the model has %s", i, file ? file : "(none)", m->findings[i].file);
        }
    }
    json_object_put(o);
    em_model_free(m);
    T_ASSERT(n_files == 2 && checked > 4);
}

static const struct t_case cases[] = {
    {"escaper: every byte value alone, in ASCII and next to Japanese, as the old one", test_every_byte},
    {"escaper: every pair of bytes as the old one", test_every_pair},
    {"escaper: 3/4-byte sequences (overlong, surrogate, > U+10FFFF, cut) as the old one", test_sequences},
    {"escaper: long strings, characters and escapes across every piece boundary", test_long},
    {"escaper: 100,000 random strings of awkward bytes as the old one", test_random},
    {"writer: every key literal of json.c is plain ASCII", test_key_literals},
    {"writer: layout is json-c's PRETTY|SPACED for the samples", test_layout},
    {"writer: two threads write the same bytes as one (samples, one element a chunk)", test_threads_samples},
    {"writer: two threads, many chunks and a chunk over the memory cap, same bytes", test_threads_big},
    {"writer: a value longer than the escaper's piece, whole and in json-c's layout", test_long_value},
    {"writer: remembered values (file, sheet, purpose, maker…) are each path's, device's, finding's own", test_file_names},
};
T_MAIN(cases)
