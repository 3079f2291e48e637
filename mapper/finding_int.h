/* finding_int.h — private to mapper/model.c and mapper/finding.c: packing a finding's
 * message (finding.c). Readers use em_finding_msg() of model.h. */
#ifndef EM_FINDING_INT_H
#define EM_FINDING_INT_H
#include <stdarg.h>

#include "mapper/model.h"

/* The first byte of a packing (finding.c): the message's text follows, or its template
 * and arguments. Named here for tests/unit/mapper_finding.c, which checks which one a
 * message became. */
enum { EM_PACK_LITERAL = 1, EM_PACK_TEMPLATE = 2 };

/* The message fmt + ap, packed (template and arguments, or its text) and interned in p:
 * the value of em_finding.packed_msg. fmt must outlive p (a string literal: every
 * caller's template is one, as -Wformat=2 checks). ap is not consumed (the caller
 * ends it). NULL on allocation failure. */
const char *em_finding_pack(struct em_pool *p, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
