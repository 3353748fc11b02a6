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

/* Appends v in decimal, as "%" G_GUINT64_FORMAT would. */
void bb_numfmt_append_uint (GString *s, guint64 v);

/* Appends d as "%.<prec>f" would in the C locale: glibc's digits, and a
 * point for the decimal separator whatever the process's locale. */
void bb_numfmt_append_fixed (GString *s, double d, int prec);

/* Appends the bits of d as 16 hex digits: an exact and cheap spelling of a
 * double for keys, where "%a" went through printf. */
void bb_numfmt_append_bits (GString *s, double d);
