/* finding_ref.h — the reference a packed finding message is compared with, shared by the
 * unit test (mapper_finding.c) and the differential fuzz target (fuzz_finding.c): the
 * message as model.c made it before messages were packed — vsnprintf into EM_MSG_MAX
 * (2048) bytes, a cut character removed, invalid UTF-8 repaired. Caller g_free()s. */
#ifndef EM_TEST_FINDING_REF_H
#define EM_TEST_FINDING_REF_H
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>

#include "mapper/norm.h"

static char *old_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *old_format(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    em_utf8_trim_cut(buf);
    char *fixed = g_utf8_validate(buf, -1, NULL) ? NULL : g_utf8_make_valid(buf, -1);
    char *r = g_strdup(fixed ? fixed : buf);
    g_free(fixed);
    return r;
}

#endif
