/* test-golden.c — golden tree dumps of loaded sources.
 *
 * Usage: test-golden GOLDEN_DIR FILE...
 * Each FILE is loaded and its chapter tree dumped (with the title, language,
 * word count and diagnostics above it) and compared with
 * GOLDEN_DIR/<base name>.dump.  With BB_UPDATE_GOLDEN=1 the expected files
 * are rewritten instead: review the diff before committing it. */
#include "source.h"
#include <string.h>

static const char *golden_dir;

static char *
render (const char *path)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbSource) src = bb_source_load (path, NULL, diag);
  GString *out = g_string_new (NULL);
  if (src)
    {
      g_string_append_printf (out, "# title: %s\n# lang: %s\n# id: %s\n# words: %" G_GSIZE_FORMAT "\n",
                              src->title, src->lang, src->id, src->words);
      bb_node_dump (src->body, out);
    }
  for (guint i = 0; i < bb_diag_len (diag); i++)
    {
      const BbDiagEntry *e = bb_diag_get (diag, i);
      /* Base name only, so the dump does not depend on where the tree is. */
      g_autofree char *base = e->file ? g_path_get_basename (e->file) : g_strdup ("-");
      g_string_append_printf (out, "# diag: %s:%d: %s: %s\n", base, e->line,
                              e->level == BB_DIAG_ERROR ? "error" : "warning", e->message);
    }
  return g_string_free (out, FALSE);
}

static void
check_one (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strconcat (base, ".dump", NULL);
  g_autofree char *expected_path = g_build_filename (golden_dir, name, NULL);
  g_autofree char *actual = render (path);

  if (g_strcmp0 (g_getenv ("BB_UPDATE_GOLDEN"), "1") == 0)
    {
      GError *error = NULL;
      g_assert_true (g_file_set_contents (expected_path, actual, -1, &error));
      g_test_message ("updated %s", expected_path);
      return;
    }
  g_autofree char *expected = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (expected_path, &expected, NULL, &error))
    {
      g_test_message ("%s (run with BB_UPDATE_GOLDEN=1 to create it)", error->message);
      g_error_free (error);
      g_test_fail ();
      return;
    }
  if (strcmp (expected, actual) != 0)
    {
      /* Show the first differing line. */
      g_auto (GStrv) el = g_strsplit (expected, "\n", -1);
      g_auto (GStrv) al = g_strsplit (actual, "\n", -1);
      for (guint i = 0; el[i] || al[i]; i++)
        if (!el[i] || !al[i] || strcmp (el[i], al[i]) != 0)
          {
            g_test_message ("%s:%u:\n- %s\n+ %s", expected_path, i + 1,
                            el[i] ? el[i] : "(end)", al[i] ? al[i] : "(end)");
            break;
          }
      g_test_fail ();
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 3)
    {
      g_printerr ("usage: %s GOLDEN_DIR FILE...\n", argv[0]);
      return 2;
    }
  golden_dir = argv[1];
  for (int i = 2; i < argc; i++)
    {
      g_autofree char *base = g_path_get_basename (argv[i]);
      g_autofree char *test = g_strconcat ("/load/golden/", base, NULL);
      g_test_add_data_func (test, argv[i], check_one);
    }
  return g_test_run ();
}
