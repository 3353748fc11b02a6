/* fuzz_people.c — fuzz target for the people engine: the input is loaded
 * as a plain-text source (so citation repair runs first, as in a build)
 * and also split into blocks at newlines and fed to the engine directly;
 * every output (TSV, JSON, both book sections) is produced and freed. */
#include "people.h"
#include "source.h"
#include <stdint.h>
#include <string.h>

static void
exercise (BbPeople *p)
{
  g_autoptr (GString) out = g_string_new (NULL);
  bb_people_write_tsv (p, out);
  bb_people_write_json (p, out);
  g_autoptr (BbNode) a = bb_people_attendees_section (p, "en");
  g_autoptr (BbNode) b = bb_people_index_section (p, "vi");
  bb_node_dump (a, out);
  bb_node_dump (b, out);
  for (guint i = 0; i < bb_people_len (p); i++)
    {
      BbPerson row;
      bb_people_get (p, i, &row);
      g_assert (row.name && *row.name);
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 1 << 20)
    return 0;
  g_autoptr (BbDiag) diag = bb_diag_new ();
  BbSource *src = bb_source_parse ("fuzz.txt", (const char *) data, size, NULL, diag);
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  if (src)
    g_ptr_array_add (sources, src);
  g_autoptr (BbPeople) p = bb_people_extract (sources, NULL, diag);
  exercise (p);

  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (BbPeople) q = bb_people_extract_texts ((const char *const *) lines, "en");
  exercise (q);
  return 0;
}
