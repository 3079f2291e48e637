/* datadir.c — the default data directory for library callers that pass none to
 * em_model_finish(). The CLI decides the search order itself (cmd/, see the "ship"
 * work: --data, $EDGEMAP_DATA, beside the binary, the install path) and passes the
 * path; this fallback stays only for callers and tests that still pass NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapper/records.h"

const char *em_data_dir(void)
{
    static char dir[4096];
    const char *env = getenv("EDGEMAP_DATA");
    if (env && *env) return env;
    if (dir[0]) return dir;
    /* the data/ of the project the binary was built in: <root>/build-dir/edgemap */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash) break;
            *slash = '\0';
            char cand[4200];
            snprintf(cand, sizeof cand, "%s/data/firmware-advisories.tsv", exe);
            if (access(cand, R_OK) == 0 && strlen(exe) + 6 < sizeof dir) {
                memcpy(dir, exe, strlen(exe));
                memcpy(dir + strlen(exe), "/data", 6);
                return dir;
            }
        }
    }
    snprintf(dir, sizeof dir, "%s", "/usr/share/edgemap");
    return dir;
}
