/* hyphenate.c — libhyphen wrapper. */
#include "hyphenate.h"
#include "bb-build.h"
#include <hyphen.h>
#include <string.h>

/* A handle on a dictionary shared by the whole process: a pattern file
 * is parsed once (it is the slow part of setting up a typesetter) and kept
 * until exit.  libhyphen only reads a dictionary while hyphenating, so
 * handles on the same one may be used from several threads. */
struct _BbHyphen {
  HyphenDict *dict;
};

/* Pattern files per language: data, not code. */
static const struct { const char *lang, *file; } patterns[] = {
  { "en", "hyph_en_US.dic" },
};

static GMutex dicts_lock;
static GHashTable *dicts; /* path → HyphenDict, never freed */

static HyphenDict *
shared_dict (const char *path)
{
  g_mutex_lock (&dicts_lock);
  if (!dicts)
    dicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  HyphenDict *d = g_hash_table_lookup (dicts, path);
  if (!d)
    {
      /* a file that cannot be loaded is tried again next time: it may be
       * installed while `watch` runs */
      d = hnj_hyphen_load (path);
      if (d)
        g_hash_table_insert (dicts, g_strdup (path), d);
    }
  g_mutex_unlock (&dicts_lock);
  return d;
}

BbHyphen *
bb_hyphen_new (const char *lang)
{
  if (!lang)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    if (g_ascii_strncasecmp (lang, patterns[i].lang, 2) == 0)
      {
        const char *dir = g_getenv ("BRIEFING_HYPHEN_DIR");
        g_autofree char *path = g_build_filename (dir && *dir ? dir : BB_HYPHEN_DIR, patterns[i].file, NULL);
        HyphenDict *d = shared_dict (path);
        if (!d)
          return NULL;
        BbHyphen *h = g_new0 (BbHyphen, 1);
        h->dict = d;
        return h;
      }
  return NULL;
}

void
bb_hyphen_free (BbHyphen *h)
{
  /* the dictionary stays in the cache */
  g_free (h);
}

static void
hyphenate_word (BbHyphen *h, GString *out, const char *w, gsize n)
{
  char lower[64], hy[64 + 5];
  for (gsize i = 0; i < n; i++)
    lower[i] = g_ascii_tolower (w[i]);
  lower[n] = 0;
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  memset (hy, 0, sizeof hy);
  if (hnj_hyphen_hyphenate2 (h->dict, lower, (int) n, hy, NULL, &rep, &pos, &cut) != 0)
    {
      g_string_append_len (out, w, (gssize) n);
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_string_append_c (out, w[i]);
      /* at least 2 letters before and 3 after a break; never inside an
       * f-ligature (ff, fi, fl), whose glyph would then carry the soft
       * hyphen into the text layer and break search ("of­fering") */
      gboolean ligature = lower[i] == 'f' && (lower[i + 1] == 'f' || lower[i + 1] == 'i' || lower[i + 1] == 'l');
      if ((hy[i] & 1) && i >= 1 && i + 3 < n && !ligature)
        g_string_append (out, "\xc2\xad");
    }
  if (rep)
    {
      for (gsize i = 0; i < n; i++)
        free (rep[i]);
      free (rep);
      free (pos);
      free (cut);
    }
}

void
bb_hyphen_append (BbHyphen *h, GString *out, const char *text, gssize len)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  if (!h)
    {
      g_string_append_len (out, text, (gssize) n);
      return;
    }
  gsize i = 0;
  while (i < n)
    {
      if (!g_ascii_isalpha (text[i]))
        {
          g_string_append_c (out, text[i++]);
          continue;
        }
      gsize j = i;
      while (j < n && g_ascii_isalpha (text[j]))
        j++;
      /* A word glued to non-ASCII letters (names with diacritics) is left
       * whole: the patterns know only English. */
      gboolean clean = (j == n || (guchar) text[j] < 0x80) && (i == 0 || (guchar) text[i - 1] < 0x80);
      /* Capitalised words are mostly names: typesetters leave them whole. */
      if (clean && !g_ascii_isupper (text[i]) && j - i >= 6 && j - i < 60)
        hyphenate_word (h, out, text + i, j - i);
      else
        g_string_append_len (out, text + i, (gssize) (j - i));
      i = j;
    }
}
