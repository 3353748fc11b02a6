/* chron_tool.c — prints the chronology of source files, for the quality
 * tests (the same output as `briefing chronology --tsv`).
 *
 *   chron-tool [--json] [--lang-book LANG] [--section] FILE|DIR...
 */
#include "chronology.h"
#include "source.h"
#include <stdio.h>
#include <string.h>

static void
add_file (GPtrArray *sources, const char *path, BbDiag *diag)
{
  BbSource *s = bb_source_load (path, NULL, diag);
  if (s)
    g_ptr_array_add (sources, s);
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE, section = FALSE;
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *dir = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (!strcmp (argv[i], "--json"))
        json = TRUE;
      else if (!strcmp (argv[i], "--section"))
        section = TRUE;
      else if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          dir = argv[i];
          g_autoptr (GDir) d = g_dir_open (argv[i], 0, NULL);
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *n;
          while (d && (n = g_dir_read_name (d)))
            if (bb_source_is_source_name (n))
              g_ptr_array_add (names, g_build_filename (argv[i], n, NULL));
          g_ptr_array_sort (names, cmp_str);
          for (guint k = 0; k < names->len; k++)
            add_file (sources, g_ptr_array_index (names, k), diag);
        }
      else
        add_file (sources, argv[i], diag);
    }
  g_autoptr (BbChronology) c = bb_chronology_extract (sources, dir, diag);
  g_autoptr (GString) out = g_string_new (NULL);
  if (section)
    {
      g_autoptr (BbNode) sec = bb_chronology_section (c, "en");
      bb_node_dump (sec, out);
    }
  else if (json)
    bb_chronology_write_json (c, out);
  else
    bb_chronology_write_tsv (c, out);
  fwrite (out->str, 1, out->len, stdout);
  bb_diag_print (diag, 0);
  return 0;
}
