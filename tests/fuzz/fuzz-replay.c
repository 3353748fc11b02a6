/* fuzz-replay.c — the main() of a fuzz target's replay test: runs every
 * file of the folders (or the files) given through LLVMFuzzerTestOneInput,
 * so each corpus is an ordinary test in every build, with or without
 * clang. */
#include "fuzz-common.h"

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static guint
replay_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "%s: %s\n", path, error->message);
      exit (1);
    }
  /* a private copy of exactly len bytes, so ASan sees reads past the end */
  g_autofree uint8_t *copy = g_memdup2 (data, len ? len : 1);
  LLVMFuzzerTestOneInput (copy, len);
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    {
      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          n += replay_file (argv[i]);
          continue;
        }
      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, &error);
      if (!dir)
        {
          fprintf (stderr, "%s: %s\n", argv[i], error->message);
          return 1;
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      g_ptr_array_sort (names, compare_paths);
      for (guint k = 0; k < names->len; k++)
        {
          /* print first: when an input crashes, the log names it */
          printf ("%s\n", (char *) names->pdata[k]);
          fflush (stdout);
          n += replay_file (names->pdata[k]);
        }
    }
  printf ("replayed %u inputs\n", n);
  return n ? 0 : 1;
}
