/* about.h — snmp/'s contribution to "what produced this output" (mapper/about.h). */
#ifndef EM_SNMP_ABOUT_H
#define EM_SNMP_ABOUT_H

/* Adds net-snmp at its run-time version to the mapper/about.h list. */
void em_snmp_about(void);

#endif
