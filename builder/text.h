/* text.h — text hygiene shared by the loaders: UTF-8 repair, NFC, language
 * detection, sentence and word helpers. */
#pragma once
#include <glib.h>
#include "diag.h"

/* Returns valid NFC UTF-8 from len bytes of data: invalid sequences become
 * U+FFFD and are reported once per line as "file:line: invalid UTF-8 ...";
 * NUL and C0 controls other than tab and newline are dropped (reported);
 * CR LF and lone CR become LF; a leading BOM is removed.  Never fails. */
char *bb_text_sanitize (const char *data, gsize len, const char *file, BbDiag *diag);

/* Guesses the language of text: "vi" when Vietnamese letters are frequent,
 * else "en".  Returns a static string. */
const char *bb_text_detect_lang (const char *text);
/* The share (0..1) of Vietnamese-specific letters among the letters of text:
 * the figure bb_text_detect_lang() compares with its threshold. */
double bb_text_vi_share (const char *text);

/* True when c may stand in a book's text: not a control character (tab
 * and newline aside), surrogate or Unicode noncharacter.  XML 1.0 forbids
 * most of the others and Cairo refuses all of them. */
gboolean bb_text_char_ok (gunichar c);

/* True when data looks binary: a known image/archive signature, or NUL
 * bytes (over 1 in 16) or control bytes (over 1 in 10) in its head. */
gboolean bb_text_looks_binary (const char *data, gsize len);

/* Returns the first sentence of text, shortened at a word boundary to at most
 * max_chars characters (with "…" when cut).  Caller frees. */
char *bb_text_first_sentence (const char *text, guint max_chars);

/* Counts words: maximal runs of letters, digits and joining marks. */
gsize bb_text_count_words (const char *text);

/* Returns a copy of s (UTF-8, or bytes such as a file name: invalid
 * sequences become U+FFFD) with Unicode noncharacters (U+FFFE,
 * U+FDD0 …) and control characters other than tab replaced by U+FFFD:
 * Cairo refuses the former in PDF strings, and neither belongs in a title.
 * NULL gives "". */
char *bb_text_scrub (const char *s);

/* Whether c is NFC as it stands and never composes with its neighbours:
 * text made only of such characters is already in NFC. */
gboolean bb_text_nfc_inert (gunichar c);

/* The first len bytes of s (len < 0: to the NUL) in lower case, when they
 * are all ASCII: then that is what g_utf8_casefold and NFC make of them.
 * NULL when any byte is not ASCII (fold those with GLib). */
char *bb_text_ascii_fold (const char *s, gssize len);

/* Returns fn (s, len) as a new string, from a memo of this thread when the
 * same bytes went through fn before: folding a word that is not ASCII
 * (case, NFC) is the costly part of tokenizing, and sources repeat their
 * words.  A memo keeps up to 65,536 words per function and thread. */
typedef char *(*BbTextFoldFunc) (const char *s, gssize len);
char *bb_text_memo_fold (BbTextFoldFunc fn, const char *s, gsize len);
