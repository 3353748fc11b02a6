/* fuzz-source.c — libFuzzer target for loading one source: UTF-8 repair,
 * binary detection, plain-text paragraphs or Markdown (md4c), and the
 * repair of scraped text (citation markers, quotes).  The first byte picks
 * the format and whether book.ini metadata is given; the rest is the file.
 * Whatever the bytes, the result is NULL with a diagnostic or a tree whose
 * every string is clean UTF-8 made of XML characters, with unique NCName
 * anchors and file:line on its blocks. */
#include "fuzz-common.h"
#include "source.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1 || size > 256 * 1024)
    return 0;
  guint8 flags = data[0];
  const char *body = (const char *) data + 1;
  gsize len = size - 1;
  const char *path = (flags & 1) ? "dir/fuzz.md" : "dir/fuzz.txt";
  BbSourceMeta meta = { (flags & 2) ? "A <title> & \"more\"" : NULL, NULL,
                        (flags & 4) ? "vi" : NULL, (flags & 8) ? "2019-02-28" : NULL };

  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbSource) src = bb_source_parse (path, body, len, (flags & 14) ? &meta : NULL, diag);
  for (guint i = 0; i < bb_diag_len (diag); i++)
    {
      const BbDiagEntry *e = bb_diag_get (diag, i);
      FUZZ_CHECK (e->file && g_str_equal (e->file, path), "diagnostic without the file");
      FUZZ_CHECK (e->line >= 0, "negative line %d", e->line);
      FUZZ_CHECK (g_utf8_validate (e->message, -1, NULL), "diagnostic not UTF-8");
      g_autofree char *f = bb_diag_format (e);
      FUZZ_CHECK (g_str_has_prefix (f, path), "formatted diagnostic does not start with the file");
    }
  if (!src)
    {
      FUZZ_CHECK (bb_diag_len (diag) > 0, "source refused without a diagnostic");
      return 0;
    }
  FUZZ_CHECK (src->title && *src->title, "no title");
  fuzz_check_text ("title", src->title);
  FUZZ_CHECK (g_utf8_strlen (src->title, -1) <= 200, "title of %ld characters", g_utf8_strlen (src->title, -1));
  FUZZ_CHECK (src->lang && *src->lang, "no language");
  FUZZ_CHECK (fuzz_is_ncname (src->id), "source id '%s'", src->id);
  FUZZ_CHECK (src->body && src->body->type == BB_NODE_SECTION, "body is not a section");
  fuzz_check_tree (src->body);
  for (const BbNode *n = src->body; n; n = bb_node_next_in (src->body, n))
    if (bb_node_is_block (n) && n != src->body)
      FUZZ_CHECK (n->line >= 1 && bb_node_file (n) != NULL, "block %s without file:line", bb_node_type_name (n->type));
  return 0;
}
