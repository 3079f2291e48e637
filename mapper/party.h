/* party.h — which company a remote party (接続先) or contract holder is, so the
 * diagram, the report's vendor review, the workbook annotations and the fleet group
 * one vendor's spellings together; and which parties are ISPs, not vendors.
 * Implemented by party.c. */
#ifndef EM_PARTY_H
#define EM_PARTY_H
#include <stdbool.h>

/* The company key of a party name as written: NFKC-normalised, legal-form words
 * (株式会社, (株), ㈱, 有限会社, (有), 合同会社, 合資会社, 合名会社) and a department
 * after the company name (リモート保守センター, 保守窓口, サポートセンター, … — after a
 * space, or one of those words at the end) removed, spaces dropped, case folded.
 * 「株式会社メディビュー」 and 「株式会社メディビュー リモート保守センター」 give the same
 * key. Returns a g_malloc'd string (g_free it); "" for a blank or NULL name. */
char *em_party_company(const char *name);

/* Whether two party names are the same company (em_party_company keys equal, both
 * non-empty). */
bool em_party_same_company(const char *a, const char *b);

/* Whether the party is the Internet service provider of its row rather than a vendor:
 * its name is the row's プロバイダ名 (same company), or it says ISP / プロバイダ /
 * インターネットサービスプロバイダ. provider may be NULL. */
bool em_party_is_isp(const char *name, const char *provider);

#endif
