/* textenc.c — UTF-8 or CP932 for hand-edited text files (textenc.h). */
#include "mapper/textenc.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"

char *em_text_utf8(char *text, size_t len, const char *path, struct em_err *err)
{
    if (g_utf8_validate(text, (gssize)len, NULL)) return text;
    gsize read = 0, written = 0;
    GError *gerr = NULL;
    char *u = g_convert(text, (gssize)len, "UTF-8", "CP932", &read, &written, &gerr);
    if (!u) {
        long line = 1;   /* g_convert stops at the first byte CP932 does not know */
        for (size_t i = 0; i < read && i < len; i++)
            if (text[i] == '\n') line++;
        g_clear_error(&gerr);
        free(text);
        em_err_set(err, EM_ERR_FORMAT, path, "", line, "", "%s",
                   em_tr("文字コードが UTF-8 でも CP932 (Shift_JIS) でもありません（UTF-8 で保存し直してください）",
                         "the text is neither UTF-8 nor CP932 (Shift_JIS); save it as UTF-8"));
        return NULL;
    }
    free(text);
    char *out = malloc(written + 1);
    if (out) {
        memcpy(out, u, written);
        out[written] = '\0';
    }
    g_free(u);
    if (!out) em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
    return out;
}
