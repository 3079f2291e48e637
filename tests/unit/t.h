/* t.h — the unit-test harness: a table of cases, a main that runs them and prints
 * one "ok - name" / "not ok - name: why" line per case (tests/run.sh counts them).
 * A failed assertion ends its case, not the program. */
#ifndef EM_T_H
#define EM_T_H
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct t_case { const char *name; void (*fn)(void); };

static jmp_buf t_jmp;
static char t_why[512];

/* vsnprintf: a long message is cut, never a -Wformat-truncation error */
static void t_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void t_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_why, sizeof t_why, fmt, ap);
    va_end(ap);
    longjmp(t_jmp, 1);
}
#define T_FAIL(...) t_fail(__VA_ARGS__)
#define T_ASSERT(c) do { if (!(c)) T_FAIL("%s:%d: %s", __FILE__, __LINE__, #c); } while (0)
#define T_EQ_INT(a, b) do { long long t_a = (long long)(a), t_b = (long long)(b); \
    if (t_a != t_b) T_FAIL("%s:%d: %s == %lld, want %lld", __FILE__, __LINE__, #a, t_a, t_b); } while (0)
#define T_EQ_STR(a, b) do { const char *t_a = (a), *t_b = (b); \
    if (!t_a || !t_b || strcmp(t_a, t_b) != 0) \
        T_FAIL("%s:%d: %s == \"%s\", want \"%s\"", __FILE__, __LINE__, #a, t_a ? t_a : "(null)", t_b ? t_b : "(null)"); } while (0)

static int t_run(const struct t_case *cases, size_t n)
{
    volatile int failed = 0;   /* volatile: survives longjmp (-Wclobbered) */
    for (volatile size_t i = 0; i < n; i++) {
        t_why[0] = '\0';
        if (setjmp(t_jmp) == 0) {
            cases[i].fn();
            printf("ok - %s\n", cases[i].name);
        } else {
            printf("not ok - %s: %s\n", cases[i].name, t_why);
            failed++;
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}
#define T_MAIN(cases) int main(void) { return t_run(cases, sizeof(cases) / sizeof(cases[0])); }
#endif
