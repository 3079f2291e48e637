/* norm.h — text normalisation for header matching and pull-down values (records.md):
 * NFKC (GLib), so full-width/half-width spellings compare equal, plus whitespace
 * handling. Values are stored NFKC-normalised and trimmed; comparisons use the
 * "compact" form (NFKC, no whitespace at all, ASCII lower-case). */
#ifndef EM_NORM_H
#define EM_NORM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapper/pool.h"

/* The whitespace that values are trimmed of and compact keys drop: GLib's
 * g_unichar_isspace (ASCII space, \t \n \r \f; Unicode space and line/paragraph
 * separators), plus U+3000 ideographic space, U+FEFF and U+200B. */
bool em_norm_is_space(uint32_t c);

/* NFKC + trim (leading/trailing whitespace incl. line breaks); inner line breaks
 * become a single space only when squash_breaks is set (header text "as written").
 * Invalid UTF-8 is repaired (U+FFFD) first. Result owned by the pool; "" for blank. */
const char *em_norm_value(struct em_pool *p, const char *s, size_t len);
/* em_norm_value's text as a g_malloc'd string of the caller's (g_free); never NULL. */
char *em_norm_value_dup(const char *s, size_t len);

/* NFKC, every whitespace character removed, ASCII lower-cased: the comparison key.
 * Writes into buf (NUL-terminated, truncated to size); returns buf. */
char *em_norm_compact(const char *s, size_t len, char *buf, size_t size);

/* em_norm_compact() for text that is already NFKC (e.g. from em_norm_value()):
 * skips the second normalisation on the per-cell hot path. */
char *em_norm_compact_nfkc(const char *s, size_t len, char *buf, size_t size);

/* The compact form of a constant (a string literal of the vocabulary), computed once
 * and kept for the life of the process. Not thread-safe (mapper is single-threaded). */
const char *em_norm_key(const char *literal);

/* Decodes one UTF-8 character at s (NUL-terminated, non-empty) with GLib; returns its
 * length in bytes, or 1 with *cp = U+FFFD for an invalid byte. */
size_t em_utf8_next(const unsigned char *s, uint32_t *cp);

/* After a cut into a fixed buffer (snprintf): drops a last character that the cut left
 * incomplete, so the text ends on a whole UTF-8 character. Returns s. */
char *em_utf8_trim_cut(char *s);

/* FNV-1a of a string: short stable ids ("seg-1a2b3c4d") that carry no names. */
unsigned long em_hash32(const char *s);

/* A value as written, for display (records.md "Values as written"): invalid UTF-8
 * repaired (U+FFFD), leading/trailing whitespace trimmed, nothing else changed (no
 * NFKC: ② stays ②, （ stays （; inner line breaks kept, CRLF as LF). Pool-owned. */
const char *em_norm_display(struct em_pool *p, const char *s, size_t len);

/* Header text as written, one line: inner line breaks and runs of spaces become one
 * space, trimmed (no NFKC: findings show the header the way the file has it). */
const char *em_norm_header_display(struct em_pool *p, const char *s, size_t len);

#endif
