/* about.c — libxlsxwriter's run-time version for `edgemap version` and every output's
 * "generator". */
#include <xlsxwriter.h>

#include "book/about.h"
#include "mapper/about.h"

void em_book_about(void)
{
    em_about_add(EM_ABOUT_LIBRARY, "libxlsxwriter", lxw_version(), NULL);
}
