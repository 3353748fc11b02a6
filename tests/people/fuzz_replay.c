/* fuzz_replay.c — runs every file of a corpus folder, in name order,
 * through the fuzz target's LLVMFuzzerTestOneInput, so the corpus is an
 * ordinary test. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    {
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
      g_ptr_array_sort (names, cmp_str);
      for (guint k = 0; k < names->len; k++)
        {
          g_autofree char *data = NULL;
          gsize len;
          if (!g_file_get_contents (names->pdata[k], &data, &len, NULL))
            continue;
          LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
          n++;
        }
    }
  printf ("replayed %u inputs\n", n);
  return n ? 0 : 1;
}
