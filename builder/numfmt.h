/* numfmt.h — the numbers of Cairo's PDF output, formatted without glibc's
 * general printf (see numfmt.c). */
#pragma once
#include <glib.h>
#include <stdarg.h>

/* Formats the one conversion of format ("%d", "%f", "%.*f", "%0*x",
 * "%010ld" …: flag 0, width, precision, l, and d, u, x, X, o or f, with no
 * other text) into s as vsnprintf would, and returns what vsnprintf would.
 * Returns -1 without touching ap or s for any other format, or a value it
 * does not format exactly (f beyond 18 digits or 10^15, infinities, NaN). */
int bb_numfmt (char *s, size_t maxlen, const char *format, va_list ap);

/* FALSE when BRIEFING_FAST_NUMBERS=off: every call goes to glibc. */
gboolean bb_numfmt_enabled (void);

/* Calls that bb_numfmt formatted, since the process started. */
guint64 bb_numfmt_count (void);
