/* subset.c — font subsetting with hb-subset. */
#include "subset.h"
#include <hb.h>
#include <hb-subset.h>

/* Font files read so far: each is read once per process and kept until
 * exit, with its face.  The face is prepared for repeated subsetting
 * (hb_subset_preprocess parses the tables once, not once per book) when
 * it is subset a second time, as `briefing watch` does for each edition:
 * preparing costs more than one subset (a 10-source book's EPUB took 0.2 s
 * with it and 0.1 s without), and `briefing build` subsets each face once. */
typedef struct {
  GBytes *bytes;
  hb_face_t *face;
  guint subsets;   /* subsets asked of face so far */
  gboolean prepared;
} FontFile;

static GMutex files_lock;
static GHashTable *files_by_path;  /* path → FontFile */
static GHashTable *files_by_bytes; /* GBytes (the cached ones) → FontFile */

static hb_face_t *
face_new (GBytes *font)
{
  gsize len;
  const char *data = g_bytes_get_data (font, &len);
  hb_blob_t *blob = hb_blob_create (data, (unsigned) len, HB_MEMORY_MODE_READONLY, NULL, NULL);
  hb_face_t *face = hb_face_create (blob, 0);
  hb_blob_destroy (blob);
  return face;
}

GBytes *
bb_font_file_bytes (const char *path, GError **error)
{
  g_mutex_lock (&files_lock);
  if (!files_by_path)
    {
      files_by_path = g_hash_table_new (g_str_hash, g_str_equal);
      files_by_bytes = g_hash_table_new (NULL, NULL);
    }
  FontFile *f = g_hash_table_lookup (files_by_path, path);
  if (!f)
    {
      char *data = NULL;
      gsize len = 0;
      /* a file that cannot be read is not remembered: the next build tries
       * again */
      if (g_file_get_contents (path, &data, &len, error))
        {
          f = g_new0 (FontFile, 1);
          f->bytes = g_bytes_new_take (data, len);
          hb_face_t *face = face_new (f->bytes);
          if (hb_face_get_glyph_count (face) > 0)
            f->face = hb_face_reference (face);
          hb_face_destroy (face);
          g_hash_table_insert (files_by_path, g_strdup (path), f);
          /* the cache holds its reference until exit, so no other GBytes
           * can ever have this address */
          g_hash_table_insert (files_by_bytes, f->bytes, f);
        }
    }
  GBytes *bytes = f ? g_bytes_ref (f->bytes) : NULL;
  g_mutex_unlock (&files_lock);
  return bytes;
}

/* The face of a font from bb_font_file_bytes (a new reference), prepared
 * from its second subset on; else NULL. */
static hb_face_t *
cached_face (GBytes *font)
{
  hb_face_t *face = NULL;
  g_mutex_lock (&files_lock);
  FontFile *f = files_by_bytes ? g_hash_table_lookup (files_by_bytes, font) : NULL;
  if (f && f->face)
    {
      if (!f->prepared && f->subsets > 0)
        {
          hb_face_t *prepared = hb_subset_preprocess (f->face);
          hb_face_destroy (f->face);
          f->face = prepared;
          f->prepared = TRUE;
        }
      f->subsets++;
      face = hb_face_reference (f->face);
    }
  g_mutex_unlock (&files_lock);
  return face;
}

static GBytes *
subset (hb_face_t *face, GHashTable *chars)
{
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
  return result;
}

GBytes *
bb_subset_font (GBytes *font, GHashTable *chars)
{
  hb_face_t *face = cached_face (font);
  if (!face)
    face = face_new (font);
  GBytes *result = subset (face, chars);
  hb_face_destroy (face);
  return result;
}
