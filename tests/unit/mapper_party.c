/* Unit tests for company keys of remote parties and the ISP rule (mapper/party.c). */
#include "mapper/party.h"

#include <glib.h>

#include "t.h"

static char key[256];
static const char *K(const char *s)
{
    char *k = em_party_company(s);
    g_strlcpy(key, k, sizeof key);
    g_free(k);
    return key;
}

static void t_legal_forms(void)
{
    T_EQ_STR(K("株式会社メディビュー"), "メディビュー");
    T_EQ_STR(K("メディビュー株式会社"), "メディビュー");
    T_EQ_STR(K("（株）メディビュー"), "メディビュー");     /* full-width parentheses */
    T_EQ_STR(K("㈱メディビュー"), "メディビュー");
    T_EQ_STR(K("有限会社 さくら電設"), "さくら電設");
    T_EQ_STR(K("合同会社ABC Systems"), "abcsystems");
    T_EQ_STR(K(""), "");
    T_EQ_STR(K(NULL), "");
}

static void t_departments(void)
{
    T_EQ_STR(K("株式会社メディビュー リモート保守センター"), "メディビュー");
    T_EQ_STR(K("株式会社メディビュー　保守窓口"), "メディビュー");   /* U+3000 */
    T_EQ_STR(K("メディビューリモート保守センター"), "メディビュー");
    T_EQ_STR(K("ミナト精算システム株式会社 東京支店"), "ミナト精算システム");
    /* a second word that is not a department stays part of the name */
    T_EQ_STR(K("NEC ネッツエスアイ"), "necネッツエスアイ");
    T_ASSERT(em_party_same_company("株式会社メディビュー", "（株）メディビュー リモート保守センター"));
    T_ASSERT(!em_party_same_company("株式会社メディビュー", "株式会社メディカルビュー"));
    T_ASSERT(!em_party_same_company("", ""));
}

static void t_isp(void)
{
    T_ASSERT(em_party_is_isp("OCN", "OCN"));
    T_ASSERT(em_party_is_isp("ＯＣＮ", "OCN"));
    T_ASSERT(em_party_is_isp("ISP", NULL));
    T_ASSERT(em_party_is_isp("プロバイダ", ""));
    T_ASSERT(!em_party_is_isp("株式会社メディビュー", "OCN"));
    T_ASSERT(!em_party_is_isp(NULL, "OCN"));
}

static const struct t_case cases[] = {
    {"legal_forms_removed", t_legal_forms},
    {"departments_removed", t_departments},
    {"isp_is_not_a_vendor", t_isp},
};
T_MAIN(cases)
