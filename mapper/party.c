/* party.c — company keys for remote parties (see party.h). */
#include "mapper/party.h"

#include <string.h>

#include <glib.h>

/* Legal-form words, as NFKC leaves them ((株) and ㈱ both become "(株)"). */
static const char *const legal_forms[] = {
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)", "(資)", "(名)",
};

/* A department after the company name: removed when it ends the name. Longest first. */
static const char *const departments[] = {
    "リモート保守センター", "リモートサポートセンター", "カスタマーサポートセンター", "カスタマーセンター",
    "サポートセンター", "サービスセンター", "テクニカルセンター", "保守センター", "保守窓口", "サポート窓口",
    "サポートデスク", "ヘルプデスク", "コールセンター", "保守部門", "保守課", "保守部", "営業所", "支店",
    "事業部", "支社", "本社",
};

/* Whether the text after a space names a department (it ends with one of those words or
 * with センター / 窓口 / 部 / 課 / 室 / 支店 / 営業所), so it is cut off. */
static bool is_department(const char *tail)
{
    static const char *const ends[] = {"センター", "窓口", "部", "課", "室", "支店", "営業所", "デスク", "チーム", "グループ"};
    size_t n = strlen(tail);
    for (size_t i = 0; i < G_N_ELEMENTS(ends); i++) {
        size_t e = strlen(ends[i]);
        if (n >= e && strcmp(tail + n - e, ends[i]) == 0) return true;
    }
    return false;
}

static void remove_all(GString *s, const char *word)
{
    size_t wl = strlen(word);
    char *hit;
    while ((hit = strstr(s->str, word)) != NULL) g_string_erase(s, hit - s->str, (gssize)wl);
}

char *em_party_company(const char *name)
{
    if (!name || !*name || !g_utf8_validate(name, -1, NULL)) return g_strdup("");
    char *nf = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC);
    if (!nf) return g_strdup("");
    GString *s = g_string_new(g_strstrip(nf));
    g_free(nf);
    for (size_t i = 0; i < G_N_ELEMENTS(legal_forms); i++) remove_all(s, legal_forms[i]);
    /* strip, then cut a department written after a space */
    char *t = g_strstrip(s->str);
    const char *sp = strchr(t, ' ');
    GString *k = g_string_new(NULL);
    if (sp && sp > t && is_department(sp + 1))
        g_string_append_len(k, t, sp - t);
    else
        g_string_append(k, t);
    g_string_free(s, TRUE);
    /* a department glued to the name */
    for (size_t i = 0; i < G_N_ELEMENTS(departments); i++) {
        size_t dl = strlen(departments[i]);
        if (k->len > dl && strcmp(k->str + k->len - dl, departments[i]) == 0) {
            g_string_truncate(k, k->len - dl);
            break;
        }
    }
    remove_all(k, " ");
    char *key = g_utf8_casefold(k->str, -1);
    g_string_free(k, TRUE);
    return key ? key : g_strdup("");
}

bool em_party_same_company(const char *a, const char *b)
{
    char *ka = em_party_company(a), *kb = em_party_company(b);
    bool same = *ka && strcmp(ka, kb) == 0;
    g_free(ka);
    g_free(kb);
    return same;
}

bool em_party_is_isp(const char *name, const char *provider)
{
    if (!name || !*name) return false;
    if (provider && *provider && em_party_same_company(name, provider)) return true;
    char *key = em_party_company(name);
    bool isp = strcmp(key, "isp") == 0 || strstr(key, "プロバイダ") != NULL ||
               strstr(key, "インターネットサービスプロバイダ") != NULL;
    g_free(key);
    return isp;
}
