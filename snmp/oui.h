/* oui.h — MAC address → maker from the IEEE registry as Debian ships it (ieee-data,
 * read at run time, never copied into the project), and whether the maker makes
 * routers, mobile routers or home gateways (data/router-makers.tsv). Loaded once per
 * run, on the first lookup. */
#ifndef EM_SNMP_OUI_H
#define EM_SNMP_OUI_H
#include <stdbool.h>
#include <stddef.h>

#define EM_OUI_FILE_MAX (16u << 20)     /* registry file */
#define EM_OUI_DEFAULT "/usr/share/ieee-data/oui.txt"

struct em_oui;

/* Reads the registry (oui.txt "XX-XX-XX (hex) Org" lines, or oui.csv "MA-L,XXXXXX,Org")
 * from registry (NULL: $EDGEMAP_OUI_FILE, else EM_OUI_DEFAULT, else the .csv beside it)
 * and the router-maker list from makers (NULL: no maker list, so no maker is flagged).
 * A missing registry is not an error: lookups then answer NULL and *why says so.
 * Returns NULL only on allocation failure. Free with em_oui_free(). */
struct em_oui *em_oui_load(const char *registry, const char *makers, const char **why);
void em_oui_free(struct em_oui *o);

/* The maker of mac (its first three bytes), or NULL (unknown, locally administered or
 * multicast address). *router_maker is set when the maker is on the list. Points into o. */
const char *em_oui_maker(const struct em_oui *o, const unsigned char mac[6], bool *router_maker);
/* Number of registry entries read (0 when no registry was found). */
size_t em_oui_count(const struct em_oui *o);

#endif
