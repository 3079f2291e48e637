/* visible.h — text for a terminal: what came from an input (a cell, a sheet name, a
 * device's sysName) is shown, never obeyed. Control characters would move the cursor,
 * retitle the window or rewrite earlier lines (ESC, CSI, BEL, CR); they are printed
 * as visible escapes instead. */
#ifndef EM_VISIBLE_H
#define EM_VISIBLE_H
#include <stddef.h>
#include <stdio.h>

/* Writes s[0..n) to f with each control character but TAB and LF (C0, CR, DEL; C1
 * U+0080-U+009F) written as \xHH or \u00HH, and each byte that is not valid UTF-8 as
 * \xHH. Everything else (Japanese text included) is written as it is. Returns 0, or
 * EOF on a write error. */
int em_fput_visible(FILE *f, const char *s, size_t n);

/* The same into a new NUL-terminated string (caller frees); NULL when out of memory. */
char *em_visible(const char *s, size_t n);

/* Length in bytes of the valid UTF-8 sequence at s (s[0..n), n > 0): 1-4, or 0 when
 * the bytes there are not valid UTF-8 (overlong, surrogate, past U+10FFFF, cut short).
 * The one validator the escapers for terminals, JSON and render's XML/CSV share. */
size_t em_utf8_seq_len(const unsigned char *s, size_t n);

/* A copy of s (NUL-terminated, caller frees) in which every byte that is not part of
 * valid UTF-8 is replaced by U+FFFD: what a device or file sent, made fit for a JSON
 * or XML writer. NULL when out of memory (s NULL gives ""). */
char *em_utf8_valid(const char *s);

/* Writes JSON text (from json-c, which escapes C0 only) to f with DEL and every C1
 * character (UTF-8 C2 80-C2 9F; they can only stand inside strings) written as
 * \u00HH, so the JSON stays equal in meaning and never carries CSI/NEL to a terminal.
 * Returns 0 or EOF on a write error. */
int em_fput_json_text(FILE *f, const char *s, size_t n);

#endif
