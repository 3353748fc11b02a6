/* fuzz_replay.c — runs every file of a corpus folder through a fuzz
 * target's LLVMFuzzerTestOneInput, so the corpus is an ordinary test. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

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
      const char *name;
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *data = NULL;
          gsize len;
          if (!g_file_get_contents (path, &data, &len, NULL))
            continue;
          LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
          n++;
        }
    }
  printf ("replayed %u inputs\n", n);
  return n ? 0 : 1;
}
