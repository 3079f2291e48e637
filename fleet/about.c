/* about.c — the run-time versions of fleet/'s store libraries (SQLite, libpq) for
 * `edgemap version` and every output's "generator". */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>

#include "fleet/about.h"
#include "mapper/about.h"

void em_fleet_about(void)
{
    em_about_add(EM_ABOUT_LIBRARY, "SQLite", sqlite3_libversion(), NULL);
    /* libpq gives 150005 for 15.5 (10 and later: major * 10000 + minor) */
    int v = PQlibVersion();
    char s[32];
    if (v >= 100000) snprintf(s, sizeof s, "%d.%d", v / 10000, v % 10000);
    else snprintf(s, sizeof s, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
    em_about_add(EM_ABOUT_LIBRARY, "libpq", s, NULL);
}
