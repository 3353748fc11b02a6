/* subset.c — font subsetting with hb-subset. */
#include "subset.h"
#include <hb.h>
#include <hb-subset.h>

GBytes *
bb_subset_font (GBytes *font, GHashTable *chars)
{
  gsize len;
  const char *data = g_bytes_get_data (font, &len);
  hb_blob_t *blob = hb_blob_create (data, (unsigned) len, HB_MEMORY_MODE_READONLY, NULL, NULL);
  hb_face_t *face = hb_face_create (blob, 0);
  hb_blob_destroy (blob);
  GBytes *result = NULL;

  hb_subset_input_t *input = hb_subset_input_create_or_fail ();
  if (!input || hb_face_get_glyph_count (face) == 0)
    goto out;
  hb_set_t *unicodes = hb_subset_input_unicode_set (input);
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init (&it, chars);
  while (g_hash_table_iter_next (&it, &k, NULL))
    hb_set_add (unicodes, GPOINTER_TO_UINT (k));
  /* Keep the copyright, licence description and licence URL (name IDs 0,
   * 13, 14) besides the family names: the OFL travels inside the font. */
  hb_set_t *names = hb_subset_input_set (input, HB_SUBSET_SETS_NAME_ID);
  hb_set_add (names, 13);
  hb_set_add (names, 14);

  hb_face_t *sub = hb_subset_or_fail (face, input);
  if (sub)
    {
      hb_blob_t *out = hb_face_reference_blob (sub);
      unsigned olen;
      const char *odata = hb_blob_get_data (out, &olen);
      if (olen > 0)
        result = g_bytes_new (odata, olen);
      hb_blob_destroy (out);
      hb_face_destroy (sub);
    }
out:
  if (input)
    hb_subset_input_destroy (input);
  hb_face_destroy (face);
  return result;
}
