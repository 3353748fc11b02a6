/* people-tool.c — prints the people table of source files or folders, the
 * way `briefing people --tsv` does; the quality tests score its output
 * against gold annotations.
 *
 * usage: people-tool [--json] PATH...   (a folder means its sources, sorted;
 * a people.tsv in the first folder is read as curated overrides) */
#include "people.h"
#include "source.h"
#include <stdio.h>
#include <string.h>

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *dir = NULL;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        {
          json = TRUE;
          continue;
        }
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) d = g_dir_open (argv[i], 0, NULL);
          const char *n;
          g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          while (d && (n = g_dir_read_name (d)))
            if (bb_source_is_source_name (n))
              g_ptr_array_add (names, g_build_filename (argv[i], n, NULL));
          g_ptr_array_sort (names, cmp_str);
          for (guint k = 0; k < names->len; k++)
            g_ptr_array_add (paths, g_strdup (names->pdata[k]));
          if (!dir)
            dir = argv[i];
        }
      else
        g_ptr_array_add (paths, g_strdup (argv[i]));
    }
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  for (guint i = 0; i < paths->len; i++)
    {
      BbSource *s = bb_source_load (paths->pdata[i], NULL, diag);
      if (s)
        g_ptr_array_add (sources, s);
    }
  g_autoptr (BbPeople) people = bb_people_extract (sources, dir, diag);
  g_autoptr (GString) out = g_string_new (NULL);
  if (json)
    bb_people_write_json (people, out);
  else
    bb_people_write_tsv (people, out);
  fputs (out->str, stdout);
  return 0;
}
