/* test-numfmt.c — bb_numfmt must format exactly as glibc's vsnprintf:
 * millions of doubles (random magnitudes, Cairo-like coordinates, exact
 * ties at every precision, edges), integers of every width and base, and
 * truncated buffers.  Formats and values it does not take must be
 * declined, untouched. */
#include "numfmt.h"
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int
ours (char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = bb_numfmt (buf, size, fmt, ap);
  va_end (ap);
  return n;
}

static int
glibc (char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (buf, size, fmt, ap);
  va_end (ap);
  return n;
}

static guint64 compared;

/* One double through "%f", "%.18f" and "%.*f" at precision prec. */
static void
check_double (double d, int prec)
{
  char a[128], b[128];
  int na = ours (a, sizeof a, "%.*f", prec, d), nb = glibc (b, sizeof b, "%.*f", prec, d);
  if (na < 0)
    {
      /* declined: only what the contract says may be */
      g_assert_true (!isfinite (d) || fabs (d) >= 1e15 || prec > 18);
      return;
    }
  if (na != nb || strcmp (a, b) != 0)
    g_error ("%%.%df of %.17g: ours \"%s\" (%d), glibc \"%s\" (%d)", prec, d, a, na, b, nb);
  compared++;
}

static void
check_all_precisions (double d)
{
  for (int p = 0; p <= 18; p++)
    check_double (d, p);
  char a[128], b[128];
  if (ours (a, sizeof a, "%f", d) >= 0)
    {
      glibc (b, sizeof b, "%f", d);
      g_assert_cmpstr (a, ==, b);
    }
  if (ours (a, sizeof a, "%.18f", d) >= 0)
    {
      glibc (b, sizeof b, "%.18f", d);
      g_assert_cmpstr (a, ==, b);
    }
}

static void
test_doubles_edges (void)
{
  const double edges[] = { 0.0,         -0.0,       0.5,         1.5,          2.5,        -2.5,        0.125,
                           0.375,       1e-7,       -1e-9,       0.1,          0.05,       0.099999999, 1e15 - 1,
                           999999999999999.9, 4503599627370495.5 / 8, DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN,
                           0.0000005,   0.0000015,  0.0000025,   123.4565,     595.2756,   841.8898,    1e-300,
                           9.5,         10.5,       0.45,        0.55,         1.0 / 3 };
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    check_all_precisions (edges[i]);
  /* declined, not mangled */
  char buf[16] = "untouched";
  g_assert_cmpint (ours (buf, sizeof buf, "%f", INFINITY), ==, -1);
  g_assert_cmpint (ours (buf, sizeof buf, "%f", NAN), ==, -1);
  g_assert_cmpint (ours (buf, sizeof buf, "%f", 1e15), ==, -1);
  g_assert_cmpint (ours (buf, sizeof buf, "%f", -1e300), ==, -1);
  g_assert_cmpint (ours (buf, sizeof buf, "%.*f", 19, 1.0), ==, -1);
  g_assert_cmpstr (buf, ==, "untouched");
}

static void
test_doubles_random (void)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (20190227);
  for (int i = 0; i < 200000; i++)
    {
      /* any magnitude from 1e-20 to 1e15, either sign */
      double d = pow (10, g_rand_double_range (r, -20, 15)) * (g_rand_boolean (r) ? 1 : -1);
      check_double (d, g_rand_int_range (r, 0, 19));
      check_double (d, 6);
      /* page coordinates as Cairo writes them */
      double c = round (g_rand_double_range (r, -1000, 1000) * 1e6) / 1e6;
      check_double (c, 6);
      check_double (c, 3);
      /* exact binary fractions: ties at some precision */
      double t = (double) g_rand_int_range (r, -1000000, 1000000) / (double) (1 << g_rand_int_range (r, 1, 24));
      check_double (t, g_rand_int_range (r, 0, 12));
      /* a random bit pattern of a finite double */
      guint64 bits = ((guint64) g_rand_int (r) << 32) | g_rand_int (r);
      double any;
      memcpy (&any, &bits, sizeof any);
      check_double (any, g_rand_int_range (r, 0, 19));
    }
  g_assert_cmpuint (compared, >, 1000000);
}

static void
test_integers (void)
{
  char a[128], b[128];
  const long longs[] = { 0, 1, -1, 7, 8, 9, 10, 15, 16, 255, 4096, 65535, 1234567890, INT_MAX, INT_MIN, LONG_MAX, LONG_MIN };
  for (guint i = 0; i < G_N_ELEMENTS (longs); i++)
    {
      long v = longs[i];
      int iv = (int) v;
      struct {
        const char *fmt;
        gboolean is_long;
      } cases[] = { { "%d", FALSE },  { "%5d", FALSE },  { "%05d", FALSE },  { "%u", FALSE },   { "%x", FALSE },
                    { "%04x", FALSE }, { "%04X", FALSE }, { "%03o", FALSE },  { "%ld", TRUE },   { "%010ld", TRUE },
                    { "%lx", TRUE },   { "%lu", TRUE },   { "%20ld", TRUE } };
      for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
        {
          int na = cases[k].is_long ? ours (a, sizeof a, cases[k].fmt, v) : ours (a, sizeof a, cases[k].fmt, iv);
          int nb = cases[k].is_long ? glibc (b, sizeof b, cases[k].fmt, v) : glibc (b, sizeof b, cases[k].fmt, iv);
          g_assert_cmpint (na, ==, nb);
          g_assert_cmpstr (a, ==, b);
        }
      for (int w = -12; w <= 12; w++)
        {
          g_assert_cmpint (ours (a, sizeof a, "%0*x", w, iv), ==, glibc (b, sizeof b, "%0*x", w, iv));
          g_assert_cmpstr (a, ==, b);
          g_assert_cmpint (ours (a, sizeof a, "%*d", w, iv), ==, glibc (b, sizeof b, "%*d", w, iv));
          g_assert_cmpstr (a, ==, b);
        }
    }
}

static void
test_truncation (void)
{
  for (size_t size = 0; size < 12; size++)
    {
      char a[16], b[16];
      memset (a, 'x', sizeof a);
      memset (b, 'x', sizeof b);
      g_assert_cmpint (ours (a, size, "%f", -123.456789), ==, glibc (b, size, "%f", -123.456789));
      g_assert_cmpmem (a, sizeof a, b, sizeof b);
      g_assert_cmpint (ours (a, size, "%010ld", 123456L), ==, glibc (b, size, "%010ld", 123456L));
      g_assert_cmpmem (a, sizeof a, b, sizeof b);
    }
}

static void
test_declined (void)
{
  const char *formats[] = { "%s", "x%d", "%d ", "%+d", "% d", "%-5d", "%e", "%g", "%5.2f", "%05f", "%%", "%.3d", "%lld",
                            "%c", "%p", "%hd", "" };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      char buf[32] = "untouched";
      g_assert_cmpint (ours (buf, sizeof buf, formats[i], 1), ==, -1);
      g_assert_cmpstr (buf, ==, "untouched");
    }
}

/* The GString appenders: "%.Nf" and "%" G_GUINT64_FORMAT to the byte,
 * doubles out of range included, a point in a locale that writes a comma,
 * and bits that give each double back exactly. */
static void
test_append (void)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (20260424);
  GString *s = g_string_new (NULL);
  const double edges[] = { 0.0, -0.0, 0.005, 0.015, 2.675, -1.005, 595.2756, 841.8898, 1e15, -3e20, INFINITY, NAN };
  for (int i = 0; i < 100000 + (int) G_N_ELEMENTS (edges); i++)
    {
      double d = i < (int) G_N_ELEMENTS (edges) ? edges[i]
                                                : round (g_rand_double_range (r, -2000, 2000) * 1e6) / 1e6;
      for (int prec = 2; prec <= 4; prec += 2)
        {
          char want[512];
          g_snprintf (want, sizeof want, "%.*f", prec, d);
          g_string_truncate (s, 0);
          bb_numfmt_append_fixed (s, d, prec);
          g_assert_cmpstr (s->str, ==, want);
        }
      g_string_truncate (s, 0);
      bb_numfmt_append_bits (s, d);
      g_assert_cmpuint (s->len, ==, 16);
      guint64 bits = g_ascii_strtoull (s->str, NULL, 16), mine;
      memcpy (&mine, &d, sizeof mine);
      g_assert_true (bits == mine);
    }
  const guint64 ints[] = { 0, 1, 9, 10, 4294967295u, 4294967296u, G_MAXUINT64 };
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, ints[i]);
      g_string_truncate (s, 0);
      bb_numfmt_append_uint (s, ints[i]);
      g_assert_cmpstr (s->str, ==, want);
    }
  /* a locale whose decimal separator is a comma, when the machine has one */
  const char *comma[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "vi_VN.UTF-8", "ru_RU.UTF-8" };
  g_autofree char *before = g_strdup (setlocale (LC_NUMERIC, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (comma); i++)
    if (setlocale (LC_NUMERIC, comma[i]) && strcmp (localeconv ()->decimal_point, ",") == 0)
      {
        for (int k = 0; k < 2; k++)
          {
            double d = k ? 3e20 : 12.345;
            g_string_truncate (s, 0);
            bb_numfmt_append_fixed (s, d, 2);
            g_assert_nonnull (strchr (s->str, '.'));
            g_assert_null (strchr (s->str, ','));
          }
        /* Cairo's numbers in such a locale are printf's, commas and all */
        char a[64];
        g_assert_cmpint (ours (a, sizeof a, "%f", 1.5), ==, -1);
        g_assert_cmpint (ours (a, sizeof a, "%d", 15), ==, 2);
        break;
      }
  setlocale (LC_NUMERIC, before);
  g_string_free (s, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/numfmt/doubles-edges", test_doubles_edges);
  g_test_add_func ("/numfmt/doubles-random", test_doubles_random);
  g_test_add_func ("/numfmt/integers", test_integers);
  g_test_add_func ("/numfmt/truncation", test_truncation);
  g_test_add_func ("/numfmt/declined", test_declined);
  g_test_add_func ("/numfmt/append", test_append);
  return g_test_run ();
}
