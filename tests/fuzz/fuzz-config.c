/* fuzz-config.c — libFuzzer target for book.ini: any bytes give a config
 * (defaults where the file is broken) or NULL with a diagnostic, and every
 * string in it is clean text; a title never holds control characters,
 * since it becomes the PDF's metadata and the EPUB's dc:title. */
#include "config.h"
#include "fuzz-common.h"

static void
check_field (const char *what, const char *s)
{
  fuzz_check_setting (what, s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 64 * 1024)
    return 0;
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbConfig) cfg = bb_config_parse ("src/book.ini", (const char *) data, size, "src", diag);
  for (guint i = 0; i < bb_diag_len (diag); i++)
    {
      const BbDiagEntry *e = bb_diag_get (diag, i);
      FUZZ_CHECK (g_utf8_validate (e->message, -1, NULL), "diagnostic not UTF-8");
    }
  if (!cfg)
    {
      FUZZ_CHECK (bb_diag_count (diag, BB_DIAG_ERROR) > 0, "config refused without an error");
      return 0;
    }
  FUZZ_CHECK (cfg->title && *cfg->title, "no title");
  check_field ("title", cfg->title);
  check_field ("subtitle", cfg->subtitle);
  check_field ("marking", cfg->marking);
  check_field ("author", cfg->author);
  check_field ("publisher", cfg->publisher);
  check_field ("language", cfg->lang);
  check_field ("layout", cfg->layout);
  if (cfg->sources)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, cfg->sources);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          const BbSourceMeta *m = v;
          check_field ("source name", k);
          check_field ("source title", m->title);
          check_field ("source publisher", m->publisher);
          check_field ("source language", m->lang);
          check_field ("source date", m->date);
          FUZZ_CHECK (bb_config_source_meta (cfg, k) == m, "lookup of '%s' fails", (char *) k);
        }
    }
  return 0;
}
