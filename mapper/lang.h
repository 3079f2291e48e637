/* lang.h — the one process-wide choice of language for messages and labels.
 * Japanese by default (the people who fill in the sheet read them); the CLI sets
 * English for --lang en before doing anything else. */
#ifndef EM_LANG_H
#define EM_LANG_H

enum em_lang { EM_LANG_JA = 0, EM_LANG_EN = 1 };

void em_lang_set(enum em_lang lang);
enum em_lang em_lang_get(void);
/* Picks one of two static strings by the current language. The format_arg
 * attributes let -Wformat=2 check printf arguments against both texts. */
const char *em_tr(const char *ja, const char *en)
    __attribute__((format_arg(1), format_arg(2)));

#endif
