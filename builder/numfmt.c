/* numfmt.c — the numbers of Cairo's PDF output, formatted without glibc's
 * general printf.
 *
 * Decisions written down here:
 * - Cairo writes every number of a PDF (coordinates, glyph positions and
 *   ids, object numbers, xref offsets) with snprintf, one conversion per
 *   call: "%d", "%f", "%.*f", "%.18f", "%0*x", "%010ld", "%04x", "%03o".
 *   For the 1,000-source book that is about 8 million calls, and glibc's
 *   printf, which formats a double with multi-precision arithmetic, was
 *   5% of the build's CPU time.
 * - Debian builds Cairo with _FORTIFY_SOURCE, so its calls go to
 *   __snprintf_chk.  This file defines __snprintf_chk in the executable,
 *   which comes first for every library of the process (ELF symbol
 *   interposition): a format of exactly one such conversion is formatted
 *   here, anything else goes on to glibc's __vsnprintf_chk unchanged, and
 *   so does a call whose buffer size fails the fortify check, which glibc
 *   then reports as it would have.
 * - The result is glibc's to the byte: a double is exactly m / 2^k, and
 *   "%.Nf" of it is m * 10^N / 2^k rounded to the nearest integer, ties to
 *   even, as glibc rounds.  With N <= 18 and |d| < 10^15 that fits 128
 *   bits; other values, infinities and NaN go to glibc.  So does "%f" when
 *   the locale's decimal point is not ".".  The core test compares the two
 *   on millions of values, ties included.
 * - BRIEFING_FAST_NUMBERS=off sends every call to glibc; the
 *   e2e-interposed test also builds books that way and compares bytes.
 */
#include "numfmt.h"
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* glibc's, which fortified code calls. */
extern int __vsnprintf_chk (char *s, size_t maxlen, int flag, size_t slen, const char *format, va_list ap);

#define MAX_DIGITS 18
#define MAX_WIDTH 64

typedef struct {
  gboolean zero, width_arg, prec_arg, lng;
  int width, prec; /* prec -1: none */
  char conv;
} Spec;

/* Calls formatted, counted per thread: one counter that every drawing
 * thread increments, some 13 million times a 1,000-source book, moves its
 * cache line between the cores on every call.  Each thread's counter is
 * registered once and never freed (a few bytes a thread).  The lock is
 * POSIX's, which ThreadSanitizer follows (GLib's GMutex is futex-based). */
static pthread_mutex_t counters_lock = PTHREAD_MUTEX_INITIALIZER;
static GPtrArray *counters;
static __thread guint64 *my_count;

static void
count_one (void)
{
  if (G_UNLIKELY (!my_count))
    {
      my_count = g_new0 (guint64, 1);
      pthread_mutex_lock (&counters_lock);
      if (!counters)
        counters = g_ptr_array_new ();
      g_ptr_array_add (counters, my_count);
      pthread_mutex_unlock (&counters_lock);
    }
  __atomic_store_n (my_count, *my_count + 1, __ATOMIC_RELAXED);
}

/* 0: not read yet, 1: on, 2: off; read on every call, so no g_once */
static int state;

gboolean
bb_numfmt_enabled (void)
{
  int s = __atomic_load_n (&state, __ATOMIC_RELAXED);
  if (G_UNLIKELY (!s))
    {
      s = g_strcmp0 (g_getenv ("BRIEFING_FAST_NUMBERS"), "off") != 0 ? 1 : 2;
      __atomic_store_n (&state, s, __ATOMIC_RELAXED);
    }
  return s == 1;
}

guint64
bb_numfmt_count (void)
{
  guint64 n = 0;
  pthread_mutex_lock (&counters_lock);
  for (guint i = 0; counters && i < counters->len; i++)
    n += __atomic_load_n ((guint64 *) counters->pdata[i], __ATOMIC_RELAXED);
  pthread_mutex_unlock (&counters_lock);
  return n;
}

/* "%[0][N|*][.N|.*][l](d|u|x|X|o|f)" and nothing else. */
static gboolean
parse (const char *f, Spec *sp)
{
  memset (sp, 0, sizeof *sp);
  sp->prec = -1;
  if (*f++ != '%')
    return FALSE;
  if (*f == '0')
    {
      sp->zero = TRUE;
      f++;
    }
  if (*f == '*')
    {
      sp->width_arg = TRUE;
      f++;
    }
  else
    while (g_ascii_isdigit (*f))
      if ((sp->width = sp->width * 10 + (*f++ - '0')) > MAX_WIDTH)
        return FALSE;
  if (*f == '.')
    {
      f++;
      if (*f == '*')
        {
          sp->prec_arg = TRUE;
          f++;
        }
      else
        {
          sp->prec = 0;
          while (g_ascii_isdigit (*f))
            if ((sp->prec = sp->prec * 10 + (*f++ - '0')) > MAX_DIGITS)
              return FALSE;
        }
    }
  if (*f == 'l')
    {
      sp->lng = TRUE;
      f++;
    }
  sp->conv = *f++;
  if (*f || !sp->conv || !strchr ("duxXof", sp->conv))
    return FALSE;
  if (sp->conv == 'f')
    return !sp->zero && !sp->width && !sp->width_arg;
  return sp->prec < 0 && !sp->prec_arg;
}

/* Digits of v in base, most significant first; returns their number. */
static int
digits (guint64 v, guint base, gboolean upper, char *out)
{
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  int n = 0;
  if (base == 10)
    /* the common base by a constant: a multiplication, not a division */
    do
      {
        tmp[n++] = (char) ('0' + v % 10);
        v /= 10;
      }
    while (v);
  else
    do
      {
        tmp[n++] = set[v % base];
        v /= base;
      }
    while (v);
  for (int i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* "%.<prec>f" of d into out; -1 when d is out of range. */
static int
fixed (double d, int prec, char *out)
{
  static const guint64 p10[MAX_DIGITS + 1] = { 1ull,
                                               10ull,
                                               100ull,
                                               1000ull,
                                               10000ull,
                                               100000ull,
                                               1000000ull,
                                               10000000ull,
                                               100000000ull,
                                               1000000000ull,
                                               10000000000ull,
                                               100000000000ull,
                                               1000000000000ull,
                                               10000000000000ull,
                                               100000000000000ull,
                                               1000000000000000ull,
                                               10000000000000000ull,
                                               100000000000000000ull,
                                               1000000000000000000ull };
  if (!isfinite (d) || fabs (d) >= 1e15 || prec > MAX_DIGITS)
    return -1;
  unsigned __int128 q = 0;
  double a = fabs (d);
  if (a != 0)
    {
      /* a = m / 2^shift, read off its bits: a normal double is
       * (2^52 + fraction) * 2^(exponent - 1075), a subnormal one
       * fraction * 2^-1074; shift > 3, as a < 10^15 */
      guint64 bits;
      memcpy (&bits, &a, sizeof bits);
      int exponent = (int) (bits >> 52) & 0x7ff;
      guint64 m = bits & ((G_GUINT64_CONSTANT (1) << 52) - 1);
      int shift = 1074;
      if (exponent)
        {
          m |= G_GUINT64_CONSTANT (1) << 52;
          shift = 1075 - exponent;
        }
      unsigned __int128 v = (unsigned __int128) m * p10[prec]; /* < 2^113 */
      if (shift >= 128)
        q = 0; /* v < 2^113 is below half of 2^shift */
      else
        {
          q = v >> shift;
          unsigned __int128 rem = v - (q << shift), half = (unsigned __int128) 1 << (shift - 1);
          if (rem > half || (rem == half && (q & 1)))
            q++;
        }
    }
  /* q < 10^15 * 10^prec: mostly 64 bits, where dividing is one
   * instruction rather than a call to the 128-bit division */
  guint64 whole, frac;
  if ((q >> 64) == 0)
    {
      whole = (guint64) q / p10[prec];
      frac = (guint64) q % p10[prec];
    }
  else
    {
      whole = (guint64) (q / p10[prec]);
      frac = (guint64) (q % p10[prec]);
    }
  char *p = out;
  if (signbit (d))
    *p++ = '-';
  p += digits (whole, 10, FALSE, p);
  if (prec)
    {
      *p++ = '.';
      for (int i = prec - 1; i >= 0; i--)
        {
          p[i] = (char) ('0' + frac % 10);
          frac /= 10;
        }
      p += prec;
    }
  return (int) (p - out);
}

int
bb_numfmt (char *s, size_t maxlen, const char *format, va_list ap)
{
  Spec sp;
  if (!format || !parse (format, &sp))
    return -1;
  if (sp.conv == 'f')
    {
      /* the decimal point of this thread's locale, as printf reads it
       * (localeconv copies the whole of LC_NUMERIC and LC_MONETARY to say
       * the same: 100 instructions a number) */
      const char *point = nl_langinfo (RADIXCHAR);
      if (point[0] != '.' || point[1])
        return -1;
    }
  va_list aq;
  va_copy (aq, ap);
  gboolean left = FALSE;
  if (sp.width_arg)
    {
      int w = va_arg (aq, int);
      left = w < 0;
      sp.width = ABS (w);
    }
  if (sp.prec_arg)
    {
      int p = va_arg (aq, int);
      sp.prec = p < 0 ? -1 : p;
    }
  char body[MAX_WIDTH + 48];
  int n = 0;
  gboolean neg = FALSE;
  switch (sp.conv)
    {
    case 'f':
      n = fixed (va_arg (aq, double), sp.prec < 0 ? 6 : sp.prec, body);
      break;
    case 'd':
      {
        gint64 v = sp.lng ? va_arg (aq, long) : va_arg (aq, int);
        neg = v < 0;
        /* the magnitude, also of the most negative value */
        n = digits (neg ? (guint64) 0 - (guint64) v : (guint64) v, 10, FALSE, body);
        break;
      }
    default:
      {
        guint64 v = sp.lng ? va_arg (aq, unsigned long) : va_arg (aq, unsigned int);
        guint base = sp.conv == 'o' ? 8 : sp.conv == 'u' ? 10 : 16;
        n = digits (v, base, sp.conv == 'X', body);
        break;
      }
    }
  va_end (aq);
  if (n < 0 || sp.width > MAX_WIDTH)
    return -1;

  /* width: zeros after the sign, or spaces before it (after, when left) */
  char out[2 * MAX_WIDTH + 48];
  int len = n + (neg ? 1 : 0);
  int pad = sp.width > len ? sp.width - len : 0;
  char *o = out;
  if (!left && !sp.zero)
    for (int i = 0; i < pad; i++)
      *o++ = ' ';
  if (neg)
    *o++ = '-';
  if (!left && sp.zero)
    for (int i = 0; i < pad; i++)
      *o++ = '0';
  memcpy (o, body, n);
  o += n;
  if (left)
    for (int i = 0; i < pad; i++)
      *o++ = ' ';
  int total = (int) (o - out);
  if (maxlen)
    {
      size_t k = MIN ((size_t) total, maxlen - 1);
      memcpy (s, out, k);
      s[k] = 0;
    }
  return total;
}

int __snprintf_chk (char *s, size_t maxlen, int flag, size_t slen, const char *format, ...);

int
__snprintf_chk (char *s, size_t maxlen, int flag, size_t slen, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  int n = -1;
  if (slen >= maxlen && (__atomic_load_n (&state, __ATOMIC_RELAXED) == 1 || bb_numfmt_enabled ()))
    n = bb_numfmt (s, maxlen, format, ap);
  if (n >= 0)
    count_one ();
  else
    n = __vsnprintf_chk (s, maxlen, flag, slen, format, ap);
  va_end (ap);
  return n;
}

void
bb_numfmt_append_uint (GString *s, guint64 v)
{
  char buf[24];
  g_string_append_len (s, buf, digits (v, 10, FALSE, buf));
}

void
bb_numfmt_append_fixed (GString *s, double d, int prec)
{
  char buf[48];
  int n = fixed (d, prec, buf);
  if (n >= 0)
    g_string_append_len (s, buf, n);
  else
    {
      /* out of fixed ()'s range: glibc's, with a point whatever the locale */
      char *g = g_strdup_printf ("%.*f", prec, d);
      for (char *p = g; *p; p++)
        if (*p == ',')
          *p = '.';
      g_string_append (s, g);
      g_free (g);
    }
}

void
bb_numfmt_append_bits (GString *s, double d)
{
  guint64 bits;
  memcpy (&bits, &d, sizeof bits);
  char buf[16];
  for (int i = 15; i >= 0; i--, bits >>= 4)
    buf[i] = "0123456789abcdef"[bits & 15];
  g_string_append_len (s, buf, 16);
}
