/* digest.c — see digest.h. */
#include "digest.h"
#include <string.h>

BbDigest *
bb_digest_new (void)
{
  BbDigest *d = XXH3_createState ();
  if (!d)
    g_error ("out of memory");
  XXH3_128bits_reset (d);
  return d;
}

void
bb_digest_free (BbDigest *d)
{
  XXH3_freeState (d);
}

void
bb_digest_feed_str (BbDigest *d, const char *s)
{
  if (s)
    XXH3_128bits_update (d, s, strlen (s) + 1);
  else
    XXH3_128bits_update (d, "\xff", 1);
}

void
bb_digest_feed_int (BbDigest *d, gint64 v)
{
  XXH3_128bits_update (d, &v, sizeof v);
}

void
bb_digest_feed_double (BbDigest *d, double v)
{
  XXH3_128bits_update (d, &v, sizeof v);
}

void
bb_digest_get (BbDigest *d, guint8 out[16])
{
  XXH128_canonical_t c;
  XXH128_canonicalFromHash (&c, XXH3_128bits_digest (d));
  memcpy (out, c.digest, 16);
}

void
bb_digest_hex (BbDigest *d, char hex[33])
{
  guint8 b[16];
  bb_digest_get (d, b);
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++)
    {
      hex[2 * i] = digits[b[i] >> 4];
      hex[2 * i + 1] = digits[b[i] & 15];
    }
  hex[32] = '\0';
}
