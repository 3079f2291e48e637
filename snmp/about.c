/* about.c — net-snmp's run-time version for `edgemap version` and every output's
 * "generator". */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/version.h>

#include "mapper/about.h"
#include "snmp/about.h"

void em_snmp_about(void)
{
    em_about_add(EM_ABOUT_LIBRARY, "net-snmp", netsnmp_get_version(), NULL);
}
