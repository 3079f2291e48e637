/* lang.c — the process-wide message language. */
#include "mapper/lang.h"

static enum em_lang current = EM_LANG_JA;

void em_lang_set(enum em_lang lang) { current = lang; }
enum em_lang em_lang_get(void) { return current; }
const char *em_tr(const char *ja, const char *en) { return current == EM_LANG_EN ? en : ja; }
