/* shape.c — a word cache in front of HarfBuzz's shaping.
 *
 * Decisions written down here:
 * - Pango shapes every item (a run of text in one font) with hb_shape ().
 *   This file defines hb_shape in the executable, and an executable's
 *   definition comes first for every library of the process (ELF symbol
 *   interposition), so Pango's calls land here.  The shaping itself is
 *   done by hb_shape_full (), which Pango does not call.
 * - A book repeats its words: of the characters Pango shapes for the
 *   300-source benchmark book, 82% belong to a word it has shaped before.
 *   An item is cut into words (the characters up to and with the spaces
 *   after them); each word's glyphs are looked up in a cache kept on the
 *   font, and only the words not found are shaped.
 * - Shaping word by word gives the glyphs of shaping the whole item when
 *   no lookup of the font's GSUB or GPOS table sees the space glyph: no
 *   kerning, ligature or context across a space.  Browsers' word caches
 *   (Firefox's gfxShapedWord) rest on the same test.  It is made once per
 *   face; a face whose space takes part, or that has a legacy 'kern' or an
 *   AAT table, is always shaped whole.  So is text whose script has a
 *   shaper of its own: only left-to-right Latin, Greek, Cyrillic, Common
 *   and Inherited items go through the cache.  The bundled Noto faces pass.
 * - A word is never cut before a mark, and an item that starts with one is
 *   shaped whole: HarfBuzz puts a dotted circle before a mark that begins
 *   the text, and a word must shape the same wherever it stands.
 * - The words of a call that are not in the cache are shaped together, in
 *   order, in one buffer with the item's properties, and its glyphs are cut
 *   back into words by cluster.  If a word's first glyph does not carry its
 *   first character's cluster (something joined two words after all), the
 *   call is shaped whole and nothing of it is kept.
 * - The key of a word: direction, script, language, buffer flags (less
 *   beginning and end of text, which only matter for a leading mark),
 *   cluster level, the invisible, not-found and replacement glyphs, scale
 *   and size, the features, and each character with its cluster counted
 *   from the word's first.  Clusters are stored the same way, so a word's
 *   glyphs fit wherever it recurs.
 * - One cache per font, shared by the threads: each thread has fonts of
 *   its own (fonts.c), so a font is known by what decides its glyphs, not
 *   by its address: the face (its 'head' table, glyph count, units per em
 *   and index), scale, size and variation coordinates.  A font Pango
 *   shapes with finds its cache once, through HarfBuzz user data on the
 *   font it derives from (hb_font_get_parent).
 * - Words are not freed while threads shape, so a word found under the
 *   read lock can be copied after it is released; the caches stop taking
 *   words at BUDGET bytes in all (a word costs about 250), and the words
 *   they have go on serving.  The 1,000-source benchmark book keeps about
 *   32,000 words, 8 MiB.  bb_shape_forget lets them all go, when no other
 *   thread shapes: `briefing build` does once the book is laid out (only
 *   the running heads and the cover are shaped after that), `briefing
 *   watch` keeps them for the next edition.
 * - Pango asks, for every glyph it shapes, whether the glyph is in colour:
 *   three HarfBuzz calls (COLR layers, PNG and SVG tables), some 130
 *   instructions a glyph and 2% of a build's.  A font's cache notes once
 *   whether its face has any colour table; hb_shape leaves the face of a
 *   colourless font in a per-thread note, and this file's definitions of
 *   those three calls answer "no colour" for that face without asking
 *   HarfBuzz, and pass every other face on to HarfBuzz's own (found with
 *   dlsym (RTLD_NEXT)).  Pango asks right after shaping, on the same
 *   thread, with the face it shaped with, and nothing else in the process
 *   asks; the face cannot be freed in between, since Pango's font holds it.
 * - BRIEFING_SHAPE_CACHE=off sends every call straight to HarfBuzz (and
 *   every colour question too); the e2e-interposed test builds books both
 *   ways and compares their bytes.
 */
#include "shape.h"
#include <dlfcn.h>
#include <hb-ot.h>
#include <hb.h>
#include <string.h>

#define BUDGET (24u << 20)
#define SPACE 0x20
/* words an item is expected to have at most; more grow the array */
#define TYPICAL_WORDS 64

/* A glyph as a word keeps it; cluster counted from the word's first. */
typedef struct {
  guint32 glyph, mask, cluster;
  gint32 x_advance, y_advance, x_offset, y_offset;
} Glyph;

typedef struct {
  guint64 hash;
  guint32 key_len; /* bytes of key */
  guint32 n_glyphs;
  /* then the key (a multiple of 4 bytes) and n_glyphs Glyph */
} Word;

#define WORD_KEY(w) ((guint8 *) ((w) + 1))
#define WORD_GLYPHS(w) ((Glyph *) (WORD_KEY (w) + (w)->key_len))

typedef struct {
  GRWLock lock;
  gboolean off;      /* the face fails the space test */
  gboolean colourless; /* the face has no COLR layers, PNG or SVG glyphs */
  GHashTable *words; /* Word* set */
} Cache;

/* What every word of one call shares: the front of its key. */
typedef struct {
  hb_language_t language;
  guint32 direction, script, flags, cluster_level;
  guint32 invisible, not_found, replacement;
  guint32 n_features;
} Props;

/* A word of the call being shaped: characters [start, end). */
typedef struct {
  guint start, end;
  guint32 cluster; /* of its first character */
  guint64 hash;
  const Word *hit;
  guint first_glyph, n_glyphs; /* its glyphs in the scratch buffer, when missed */
} Span;

static hb_user_data_key_t cache_key;
static GMutex registry_lock;
static GHashTable *registry; /* font identity (GBytes) -> Cache* */
static guint64 n_calls, n_chars, n_cached, n_words, n_bytes;

gboolean
bb_shape_cache_enabled (void)
{
  static gsize once;
  static gboolean on;
  if (g_once_init_enter (&once))
    {
      on = g_strcmp0 (g_getenv ("BRIEFING_SHAPE_CACHE"), "off") != 0;
      g_once_init_leave (&once, 1);
    }
  return on;
}

guint64
bb_shape_forget (void)
{
  guint64 gone = 0;
  g_mutex_lock (&registry_lock);
  if (registry)
    {
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, registry);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          Cache *c = value;
          g_rw_lock_writer_lock (&c->lock);
          GHashTableIter wi;
          gpointer word;
          g_hash_table_iter_init (&wi, c->words);
          while (g_hash_table_iter_next (&wi, &word, NULL))
            {
              g_free (word);
              gone++;
            }
          g_hash_table_remove_all (c->words);
          g_rw_lock_writer_unlock (&c->lock);
        }
    }
  __atomic_store_n (&n_words, 0, __ATOMIC_RELAXED);
  __atomic_store_n (&n_bytes, 0, __ATOMIC_RELAXED);
  g_mutex_unlock (&registry_lock);
  return gone;
}

void
bb_shape_stats (BbShapeStats *out)
{
  out->calls = __atomic_load_n (&n_calls, __ATOMIC_RELAXED);
  out->chars = __atomic_load_n (&n_chars, __ATOMIC_RELAXED);
  out->cached_chars = __atomic_load_n (&n_cached, __ATOMIC_RELAXED);
  out->words = __atomic_load_n (&n_words, __ATOMIC_RELAXED);
}

/* FNV-1a over 64 bits; hash_final mixes so that the low bits (GHashTable
 * uses them) depend on every byte. */
static guint64
hash_bytes (guint64 h, const void *data, gsize len)
{
  const guint8 *p = data;
  for (gsize i = 0; i < len; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

/* The same over 32-bit words, for the characters of a key. */
static guint64
hash_words (guint64 h, const guint32 *w, gsize n)
{
  for (gsize i = 0; i < n; i++)
    h = (h ^ w[i]) * 0x9e3779b97f4a7c15ull;
  return h;
}

static guint64
hash_final (guint64 h)
{
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

static guint
word_hash (gconstpointer p)
{
  return (guint) ((const Word *) p)->hash;
}

static gboolean
word_equal (gconstpointer a, gconstpointer b)
{
  const Word *x = a, *y = b;
  return x->hash == y->hash && x->key_len == y->key_len && !memcmp (WORD_KEY (x), WORD_KEY (y), x->key_len);
}

/* Whether a face's space glyph stays out of every GSUB and GPOS lookup
 * (as context, input or output) and the face has no table HarfBuzz would
 * kern or substitute with outside them. */
static gboolean
space_is_inert (hb_face_t *face, hb_font_t *font)
{
  static const char *const other[] = { "kern", "morx", "mort", "kerx" };
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    {
      hb_blob_t *b = hb_face_reference_table (face, hb_tag_from_string (other[i], 4));
      gboolean has = hb_blob_get_length (b) > 0;
      hb_blob_destroy (b);
      if (has)
        return FALSE;
    }
  hb_codepoint_t space;
  if (!hb_font_get_nominal_glyph (font, SPACE, &space))
    return FALSE;
  static const hb_tag_t tables[] = { HB_OT_TAG_GSUB, HB_OT_TAG_GPOS };
  gboolean inert = TRUE;
  hb_set_t *before = hb_set_create (), *input = hb_set_create (), *after = hb_set_create (),
           *output = hb_set_create ();
  for (guint t = 0; t < G_N_ELEMENTS (tables) && inert; t++)
    {
      guint n = hb_ot_layout_table_get_lookup_count (face, tables[t]);
      for (guint l = 0; l < n && inert; l++)
        {
          hb_set_clear (before);
          hb_set_clear (input);
          hb_set_clear (after);
          hb_set_clear (output);
          hb_ot_layout_lookup_collect_glyphs (face, tables[t], l, before, input, after, output);
          inert = !hb_set_has (before, space) && !hb_set_has (input, space) && !hb_set_has (after, space)
                  && !hb_set_has (output, space);
        }
    }
  hb_set_destroy (before);
  hb_set_destroy (input);
  hb_set_destroy (after);
  hb_set_destroy (output);
  return inert;
}

/* HarfBuzz's own colour calls, which this file's definitions shadow. */
typedef unsigned int (*LayersFunc) (hb_face_t *, hb_codepoint_t, unsigned int, unsigned int *, hb_ot_color_layer_t *);
typedef hb_bool_t (*HasFunc) (hb_face_t *);
typedef struct {
  LayersFunc layers;
  HasFunc png, svg;
} ColourCalls;

static const ColourCalls *
harfbuzz_colour (void)
{
  static ColourCalls calls;
  static gsize once;
  if (g_once_init_enter (&once))
    {
      calls.layers = (LayersFunc) dlsym (RTLD_NEXT, "hb_ot_color_glyph_get_layers");
      calls.png = (HasFunc) dlsym (RTLD_NEXT, "hb_ot_color_has_png");
      calls.svg = (HasFunc) dlsym (RTLD_NEXT, "hb_ot_color_has_svg");
      if (!calls.layers || !calls.png || !calls.svg)
        g_error ("HarfBuzz's colour functions cannot be found: %s", dlerror ());
      g_once_init_leave (&once, 1);
    }
  return &calls;
}

/* The face of the font this thread shaped with last, when it has no
 * colour table; NULL otherwise. */
static __thread hb_face_t *colourless_face;

unsigned int
hb_ot_color_glyph_get_layers (hb_face_t *face, hb_codepoint_t glyph, unsigned int start_offset,
                              unsigned int *layer_count, hb_ot_color_layer_t *layers)
{
  if (face && face == colourless_face)
    {
      if (layer_count)
        *layer_count = 0;
      return 0;
    }
  return harfbuzz_colour ()->layers (face, glyph, start_offset, layer_count, layers);
}

hb_bool_t
hb_ot_color_has_png (hb_face_t *face)
{
  return face && face == colourless_face ? FALSE : harfbuzz_colour ()->png (face);
}

hb_bool_t
hb_ot_color_has_svg (hb_face_t *face)
{
  return face && face == colourless_face ? FALSE : harfbuzz_colour ()->svg (face);
}

/* What decides a font's glyphs, as bytes. */
static GBytes *
font_identity (hb_font_t *font)
{
  hb_face_t *face = hb_font_get_face (font);
  GByteArray *id = g_byte_array_new ();
  hb_blob_t *head = hb_face_reference_table (face, HB_TAG ('h', 'e', 'a', 'd'));
  guint len;
  const char *data = hb_blob_get_data (head, &len);
  g_byte_array_append (id, (const guint8 *) data, len);
  hb_blob_destroy (head);
  struct {
    guint32 glyphs, upem, index;
    gint32 x_scale, y_scale;
    guint32 x_ppem, y_ppem;
    float ptem;
  } m;
  memset (&m, 0, sizeof m);
  m.glyphs = hb_face_get_glyph_count (face);
  m.upem = hb_face_get_upem (face);
  m.index = hb_face_get_index (face);
  hb_font_get_scale (font, &m.x_scale, &m.y_scale);
  hb_font_get_ppem (font, &m.x_ppem, &m.y_ppem);
  m.ptem = hb_font_get_ptem (font);
  g_byte_array_append (id, (const guint8 *) &m, sizeof m);
  guint n_coords;
  const int *coords = hb_font_get_var_coords_normalized (font, &n_coords);
  if (n_coords)
    g_byte_array_append (id, (const guint8 *) coords, n_coords * sizeof *coords);
  return g_byte_array_free_to_bytes (id);
}

/* The cache of the font Pango's shaping font derives from. */
static Cache *
cache_for (hb_font_t *font)
{
  hb_font_t *holder = hb_font_get_parent (font);
  if (!holder || holder == hb_font_get_empty ())
    holder = font;
  Cache *c = hb_font_get_user_data (holder, &cache_key);
  if (c)
    return c;
  GBytes *id = font_identity (holder);
  g_mutex_lock (&registry_lock);
  if (!registry)
    registry = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  c = g_hash_table_lookup (registry, id);
  if (!c)
    {
      c = g_new0 (Cache, 1);
      g_rw_lock_init (&c->lock);
      hb_face_t *face = hb_font_get_face (holder);
      c->off = !space_is_inert (face, holder);
      c->colourless = !hb_ot_color_has_layers (face) && !harfbuzz_colour ()->png (face)
                      && !harfbuzz_colour ()->svg (face);
      c->words = g_hash_table_new (word_hash, word_equal);
      g_hash_table_insert (registry, g_bytes_ref (id), c);
    }
  g_mutex_unlock (&registry_lock);
  g_bytes_unref (id);
  /* the registry keeps c: the font only points at it */
  hb_font_set_user_data (holder, &cache_key, c, NULL, TRUE);
  return c;
}

static gboolean
allowed_script (hb_script_t s)
{
  return s == HB_SCRIPT_LATIN || s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_GREEK
         || s == HB_SCRIPT_CYRILLIC;
}

static void
props_of (hb_buffer_t *buffer, guint n_features, Props *p)
{
  memset (p, 0, sizeof *p);
  p->language = hb_buffer_get_language (buffer);
  p->direction = hb_buffer_get_direction (buffer);
  p->script = hb_buffer_get_script (buffer);
  p->flags = hb_buffer_get_flags (buffer) & ~(guint32) (HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT);
  p->cluster_level = hb_buffer_get_cluster_level (buffer);
  p->invisible = hb_buffer_get_invisible_glyph (buffer);
  p->not_found = hb_buffer_get_not_found_glyph (buffer);
  p->replacement = hb_buffer_get_replacement_codepoint (buffer);
  p->n_features = n_features;
}

/* Writes the key of span s into key (sized for it) and returns its length:
 * the front, then each character and its cluster from the word's first. */
static guint32
span_key (const Span *s, const hb_glyph_info_t *in, const guint8 *front, guint32 front_len, guint8 *key)
{
  memcpy (key, front, front_len);
  guint32 *k = (guint32 *) (key + front_len);
  for (guint i = s->start; i < s->end; i++)
    {
      *k++ = in[i].codepoint;
      *k++ = in[i].cluster - s->cluster;
    }
  return front_len + (s->end - s->start) * 8;
}

/* Cuts the item into words; FALSE when it cannot go through the cache. */
static gboolean
cut_words (const hb_glyph_info_t *in, guint len, GArray *spans)
{
  if (g_unichar_ismark (in[0].codepoint))
    return FALSE;
  guint start = 0;
  for (guint i = 1; i <= len; i++)
    {
      if (i < len && in[i].cluster < in[i - 1].cluster)
        return FALSE;
      if (i == len
          || (in[i - 1].codepoint == SPACE && in[i].codepoint != SPACE && in[i].cluster > in[i - 1].cluster
              && !g_unichar_ismark (in[i].codepoint)))
        {
          Span s = { start, i, in[start].cluster, 0, NULL, 0, 0 };
          g_array_append_val (spans, s);
          start = i;
        }
    }
  return TRUE;
}

static hb_buffer_t *
scratch_buffer (void)
{
  static GPrivate scratch = G_PRIVATE_INIT ((GDestroyNotify) hb_buffer_destroy);
  hb_buffer_t *b = g_private_get (&scratch);
  if (!b)
    {
      b = hb_buffer_create ();
      g_private_set (&scratch, b);
    }
  return b;
}

/* Shapes the words no cache holds, together, in the scratch buffer, and
 * finds each one's glyphs there.  FALSE if the glyphs do not fall apart
 * into those words. */
static gboolean
shape_missing (hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features, guint n_features,
               const hb_glyph_info_t *in, Span *spans, guint n_spans, hb_buffer_t *scratch)
{
  hb_buffer_clear_contents (scratch);
  hb_buffer_set_content_type (scratch, HB_BUFFER_CONTENT_TYPE_UNICODE);
  hb_segment_properties_t props;
  hb_buffer_get_segment_properties (buffer, &props);
  hb_buffer_set_segment_properties (scratch, &props);
  hb_buffer_set_unicode_funcs (scratch, hb_buffer_get_unicode_funcs (buffer));
  hb_buffer_set_flags (scratch, hb_buffer_get_flags (buffer) & ~(guint) (HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT));
  hb_buffer_set_cluster_level (scratch, hb_buffer_get_cluster_level (buffer));
  hb_buffer_set_invisible_glyph (scratch, hb_buffer_get_invisible_glyph (buffer));
  hb_buffer_set_not_found_glyph (scratch, hb_buffer_get_not_found_glyph (buffer));
  hb_buffer_set_replacement_codepoint (scratch, hb_buffer_get_replacement_codepoint (buffer));
  for (guint s = 0; s < n_spans; s++)
    if (!spans[s].hit)
      for (guint i = spans[s].start; i < spans[s].end; i++)
        hb_buffer_add (scratch, in[i].codepoint, in[i].cluster);
  hb_shape_full (font, scratch, features, n_features, NULL);
  guint n;
  const hb_glyph_info_t *out = hb_buffer_get_glyph_infos (scratch, &n);
  guint g = 0;
  for (guint s = 0; s < n_spans; s++)
    {
      if (spans[s].hit)
        continue;
      guint32 next = G_MAXUINT32;
      for (guint t = s + 1; t < n_spans && next == G_MAXUINT32; t++)
        if (!spans[t].hit)
          next = spans[t].cluster;
      if (g >= n || out[g].cluster != spans[s].cluster)
        return FALSE;
      spans[s].first_glyph = g;
      while (g < n && out[g].cluster >= spans[s].cluster && out[g].cluster < next)
        g++;
      spans[s].n_glyphs = g - spans[s].first_glyph;
    }
  return g == n;
}

/* A new word from span s of the scratch buffer's glyphs. */
static Word *
word_new (const Span *s, const guint8 *key, guint32 key_len, const hb_glyph_info_t *gi,
          const hb_glyph_position_t *gp)
{
  Word *w = g_malloc (sizeof (Word) + key_len + s->n_glyphs * sizeof (Glyph));
  w->hash = s->hash;
  w->key_len = key_len;
  w->n_glyphs = s->n_glyphs;
  memcpy (WORD_KEY (w), key, key_len);
  Glyph *g = WORD_GLYPHS (w);
  for (guint i = 0; i < s->n_glyphs; i++)
    {
      const hb_glyph_info_t *a = &gi[s->first_glyph + i];
      const hb_glyph_position_t *b = &gp[s->first_glyph + i];
      g[i] = (Glyph) { a->codepoint, a->mask, a->cluster - s->cluster, b->x_advance, b->y_advance, b->x_offset,
                       b->y_offset };
    }
  return w;
}

/* Through the cache; FALSE to shape the item whole instead. */
static gboolean
shape_cached (Cache *c, hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features, guint n_features)
{
  guint len;
  hb_glyph_info_t *in = hb_buffer_get_glyph_infos (buffer, &len);
  if (!len || hb_buffer_get_content_type (buffer) != HB_BUFFER_CONTENT_TYPE_UNICODE
      || hb_buffer_get_direction (buffer) != HB_DIRECTION_LTR || !allowed_script (hb_buffer_get_script (buffer)))
    return FALSE;
  for (guint f = 0; f < n_features; f++)
    if (features[f].start != HB_FEATURE_GLOBAL_START || features[f].end != HB_FEATURE_GLOBAL_END)
      return FALSE;
  g_autoptr (GArray) spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), TYPICAL_WORDS);
  if (!cut_words (in, len, spans))
    return FALSE;
  Props props;
  props_of (buffer, n_features, &props);
  guint32 front_len = sizeof props + n_features * sizeof *features;
  g_autofree guint8 *front = g_malloc (front_len);
  memcpy (front, &props, sizeof props);
  if (n_features)
    memcpy (front + sizeof props, features, n_features * sizeof *features);
  guint64 front_hash = hash_bytes (0xcbf29ce484222325ull, front, front_len);
  /* a Word header and the longest key: the probe for lookups */
  g_autofree Word *probe = g_malloc (sizeof (Word) + front_len + (gsize) len * 8);

  Span *sp = (Span *) spans->data;
  guint n_spans = spans->len, missed = 0;
  gsize cached = 0;
  g_rw_lock_reader_lock (&c->lock);
  for (guint s = 0; s < n_spans; s++)
    {
      probe->key_len = span_key (&sp[s], in, front, front_len, WORD_KEY (probe));
      sp[s].hash = hash_final (
          hash_words (front_hash, (const guint32 *) (WORD_KEY (probe) + front_len), (probe->key_len - front_len) / 4));
      probe->hash = sp[s].hash;
      sp[s].hit = g_hash_table_lookup (c->words, probe);
      if (!sp[s].hit)
        missed++;
      else
        cached += sp[s].end - sp[s].start;
    }
  g_rw_lock_reader_unlock (&c->lock);

  const hb_glyph_info_t *gi = NULL;
  const hb_glyph_position_t *gp = NULL;
  if (missed)
    {
      hb_buffer_t *scratch = scratch_buffer ();
      if (!shape_missing (font, buffer, features, n_features, in, sp, n_spans, scratch))
        return FALSE;
      gi = hb_buffer_get_glyph_infos (scratch, NULL);
      gp = hb_buffer_get_glyph_positions (scratch, NULL);
      g_rw_lock_writer_lock (&c->lock);
      for (guint s = 0; s < n_spans; s++)
        {
          if (sp[s].hit || !sp[s].n_glyphs || __atomic_load_n (&n_bytes, __ATOMIC_RELAXED) >= BUDGET)
            continue;
          probe->key_len = span_key (&sp[s], in, front, front_len, WORD_KEY (probe));
          probe->hash = sp[s].hash;
          if (g_hash_table_contains (c->words, probe))
            continue; /* another thread, or an earlier span of this item */
          Word *w = word_new (&sp[s], WORD_KEY (probe), probe->key_len, gi, gp);
          g_hash_table_add (c->words, w);
          __atomic_fetch_add (&n_words, 1, __ATOMIC_RELAXED);
          __atomic_fetch_add (&n_bytes, sizeof (Word) + w->key_len + w->n_glyphs * sizeof (Glyph) + 3 * sizeof (gpointer),
                              __ATOMIC_RELAXED);
        }
      g_rw_lock_writer_unlock (&c->lock);
    }

  /* The output: each word's glyphs in order, clusters moved to where the
   * word stands in this item.  Words are not freed while threads shape:
   * no lock needed. */
  guint total = 0;
  for (guint s = 0; s < n_spans; s++)
    total += sp[s].hit ? sp[s].hit->n_glyphs : sp[s].n_glyphs;
  hb_buffer_set_length (buffer, total);
  hb_buffer_set_content_type (buffer, HB_BUFFER_CONTENT_TYPE_GLYPHS);
  hb_glyph_info_t *oi = hb_buffer_get_glyph_infos (buffer, NULL);
  hb_glyph_position_t *op = hb_buffer_get_glyph_positions (buffer, NULL);
  guint o = 0;
  for (guint s = 0; s < n_spans; s++)
    {
      const Word *w = sp[s].hit;
      if (w)
        {
          const Glyph *g = WORD_GLYPHS (w);
          for (guint i = 0; i < w->n_glyphs; i++, o++)
            {
              memset (&oi[o], 0, sizeof oi[o]);
              oi[o].codepoint = g[i].glyph;
              oi[o].mask = g[i].mask;
              oi[o].cluster = g[i].cluster + sp[s].cluster;
              op[o] = (hb_glyph_position_t) { g[i].x_advance, g[i].y_advance, g[i].x_offset, g[i].y_offset, { 0 } };
            }
        }
      else
        {
          memcpy (oi + o, gi + sp[s].first_glyph, sp[s].n_glyphs * sizeof *oi);
          memcpy (op + o, gp + sp[s].first_glyph, sp[s].n_glyphs * sizeof *op);
          o += sp[s].n_glyphs;
        }
    }
  __atomic_fetch_add (&n_cached, cached, __ATOMIC_RELAXED);
  return TRUE;
}

void
hb_shape (hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features, unsigned int num_features)
{
  __atomic_fetch_add (&n_calls, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add (&n_chars, hb_buffer_get_length (buffer), __ATOMIC_RELAXED);
  Cache *c = bb_shape_cache_enabled () ? cache_for (font) : NULL;
  colourless_face = c && c->colourless ? hb_font_get_face (font) : NULL;
  if (c && !c->off && shape_cached (c, font, buffer, features, num_features))
    return;
  hb_shape_full (font, buffer, features, num_features, NULL);
}
