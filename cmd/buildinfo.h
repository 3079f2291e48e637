/* buildinfo.h — facts fixed when the binary was built (cmd/buildinfo.c is compiled
 * with them from the Makefile; a change of any rebuilds only that file). */
#ifndef EM_CMD_BUILDINFO_H
#define EM_CMD_BUILDINFO_H

/* edgemap's version: `git describe` at build time, else the VERSION file. */
const char *em_build_version(void);
/* The installed data directory (make DATADIR=..., default $(PREFIX)/share/edgemap). */
const char *em_build_datadir(void);
/* The source tree the binary was built in ("" when built without one, as for the
 * .deb): its data/ is used only while the binary runs from <tree>/<build dir>/. */
const char *em_build_tree(void);

#endif
