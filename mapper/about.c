/* about.c — the process-wide list of "what produced this output" (program, data and
 * library versions) and the reader of the data files' version header. */
#include "mapper/about.h"

#include <glib.h>
#include <json-c/json_c_version.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_ITEMS 32

static struct em_about_item items[MAX_ITEMS];
static size_t n_items;

void em_about_add(enum em_about_kind kind, const char *name, const char *version, const char *date)
{
    size_t i = 0;
    while (i < n_items && strcmp(items[i].name, name) != 0) i++;
    if (i == MAX_ITEMS) return;
    if (i == n_items) n_items++;
    items[i].kind = kind;
    snprintf(items[i].name, sizeof items[i].name, "%s", name);
    snprintf(items[i].version, sizeof items[i].version, "%s", version ? version : "");
    snprintf(items[i].date, sizeof items[i].date, "%s", date ? date : "");
}

size_t em_about_count(void) { return n_items; }
const struct em_about_item *em_about_item(size_t i) { return i < n_items ? &items[i] : NULL; }
void em_about_clear(void) { n_items = 0; }

void em_about_line(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define ADD(...) do { if (n < size) { int k = snprintf(buf + n, size - n, __VA_ARGS__); \
                       if (k > 0) n += (size_t)k; } } while (0)
    enum em_about_kind last = EM_ABOUT_PROGRAM;
    int in_paren = 0;
    for (size_t i = 0; i < n_items; i++) {
        const struct em_about_item *it = &items[i];
        if (it->kind == EM_ABOUT_PROGRAM) {
            ADD("%s%s %s", n ? " " : "", it->name, it->version);
            continue;
        }
        ADD("%s", !in_paren ? " (" : it->kind != last ? "; " : ", ");
        in_paren = 1;
        last = it->kind;
        ADD("%s %s", it->name, *it->version ? it->version : "?");
        if (*it->date) ADD(" %s", it->date);
    }
    if (in_paren) ADD(")");
#undef ADD
}

/* The value after "# key:" on a header comment line, trimmed; NULL if not that key. */
static const char *header_value(char *line, const char *key)
{
    char *p = line;
    if (*p != '#') return NULL;
    p++;
    while (*p == ' ' || *p == '\t') p++;
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0 || p[k] != ':') return NULL;
    p += k + 1;
    while (*p == ' ' || *p == '\t') p++;
    char *e = p + strlen(p);
    while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
    return p;
}

int em_about_data_file(const char *path, char *version, size_t vsize, char *date, size_t dsize)
{
    version[0] = '\0';
    date[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[512];
    for (int i = 0; i < 40 && fgets(line, sizeof line, f); i++) {
        const char *v;
        char *l = line;
        if (i == 0 && (unsigned char)l[0] == 0xEF && (unsigned char)l[1] == 0xBB && (unsigned char)l[2] == 0xBF) l += 3;
        if ((v = header_value(l, "data-version"))) snprintf(version, vsize, "%s", v);
        else if ((v = header_value(l, "data-date"))) snprintf(date, dsize, "%s", v);
    }
    fclose(f);
    return 0;
}

void em_mapper_about(void)
{
    char v[32];
    /* libxml2 gives its run-time version as "21004" for 2.10.4 */
    long x = strtol(xmlParserVersion, NULL, 10);
    snprintf(v, sizeof v, "%ld.%ld.%ld", x / 10000, x / 100 % 100, x % 100);
    em_about_add(EM_ABOUT_LIBRARY, "libxml2", v, NULL);
    em_about_add(EM_ABOUT_LIBRARY, "libzip", zip_libzip_version(), NULL);
    snprintf(v, sizeof v, "%u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);
    em_about_add(EM_ABOUT_LIBRARY, "GLib", v, NULL);
    em_about_add(EM_ABOUT_LIBRARY, "json-c", json_c_version(), NULL);
}
