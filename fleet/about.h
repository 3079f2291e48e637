/* about.h — fleet/'s contribution to "what produced this output" (mapper/about.h). */
#ifndef EM_FLEET_ABOUT_H
#define EM_FLEET_ABOUT_H

/* Adds SQLite and libpq at their run-time versions to the mapper/about.h list. */
void em_fleet_about(void);

#endif
