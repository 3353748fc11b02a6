/* digest.h — 128-bit digests of what the program keeps in memory to find
 * again: layout keys of blocks and cells (paginate.c), the runs of pages
 * `briefing watch` reuses and the texts they draw (pdf.c).
 *
 * These keys never leave the process and no one chooses them to collide,
 * so they are XXH3's 128 bits (xxHash), not a cryptographic hash: at
 * about a tenth of a cycle a byte, against SHA-256's ten in GLib, they
 * took 2.7% of a 100-source build's instructions away.  What is written
 * to disk (the analysis cache, edition manifests) keeps SHA-256. */
#pragma once
#include <glib.h>
#include <xxhash.h>

typedef XXH3_state_t BbDigest;

/* A new digest, reset; free with bb_digest_free. */
BbDigest *bb_digest_new (void);
void bb_digest_free (BbDigest *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbDigest, bb_digest_free)

static inline void
bb_digest_feed (BbDigest *d, const void *p, gsize n)
{
  XXH3_128bits_update (d, p, n);
}

/* s with its NUL, and NULL as a byte of its own (0xff, never in UTF-8):
 * fields fed one after another cannot run together. */
void bb_digest_feed_str (BbDigest *d, const char *s);
void bb_digest_feed_int (BbDigest *d, gint64 v);
void bb_digest_feed_double (BbDigest *d, double v);

/* The digest of what was fed: 16 bytes in out, or 32 hex digits and a NUL
 * in hex. */
void bb_digest_get (BbDigest *d, guint8 out[16]);
void bb_digest_hex (BbDigest *d, char hex[33]);
