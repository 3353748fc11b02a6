/* hyphenate.h — hyphenation points from libhyphen patterns.
 *
 * Pango breaks lines but does not hyphenate; we mark the points where a word
 * may break with U+00AD SOFT HYPHEN, and Pango shows a hyphen when it breaks
 * there.  Patterns come from Debian's hyphen-* packages (English now;
 * Vietnamese words are single syllables and need none).
 */
#pragma once
#include <glib.h>

typedef struct _BbHyphen BbHyphen;

/* A handle on the patterns for lang ("en" …); NULL when the language needs
 * none or no patterns are installed.  Each pattern file is loaded once per
 * process and shared by all handles; bb_hyphen_free frees only the handle. */
BbHyphen *bb_hyphen_new (const char *lang);
void bb_hyphen_free (BbHyphen *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbHyphen, bb_hyphen_free)

/* Appends text to out with soft hyphens at the break points of its words
 * (words of ≥ 6 ASCII letters; others are copied as they are). */
void bb_hyphen_append (BbHyphen *h, GString *out, const char *text, gssize len);
