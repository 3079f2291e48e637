/* buildinfo.c — the version, data directory and source tree given by the Makefile
 * (-DEM_VERSION, -DEM_DATADIR, -DEM_TREE); defaults keep a bare compile working. */
#include "cmd/buildinfo.h"

#ifndef EM_VERSION
#define EM_VERSION "unknown"
#endif
#ifndef EM_DATADIR
#define EM_DATADIR "/usr/local/share/edgemap"
#endif
#ifndef EM_TREE
#define EM_TREE ""
#endif

const char *em_build_version(void) { return EM_VERSION; }
const char *em_build_datadir(void) { return EM_DATADIR; }
const char *em_build_tree(void) { return EM_TREE; }
