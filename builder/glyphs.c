/* glyphs.c — compact glyph runs (see glyphs.h).
 *
 * Decisions written down here:
 * - One allocation per text: lines, runs, glyphs and the few glyph offsets
 *   live in a single block, so a text costs 1 to 20 bytes a glyph plus 56
 *   a run, against a PangoLayout's 60 to 80 a character.
 * - A glyph keeps what PangoGlyphInfo and log_clusters say about it: id,
 *   advance, cluster byte and the cluster-start and colour bits.  Glyph i
 *   is usually the cluster of character i, so clusters follow from the text
 *   (SIMPLE).  Offsets (combining marks placed by the font) are rare and
 *   kept per run only when a run has any.
 * - Ids and advances go through a palette: a text uses few distinct
 *   (id, advance) pairs (a paragraph of 800 glyphs about 150: its letters,
 *   kerned variants and the one or two widths justification gives the
 *   spaces of each line), so each glyph is a 1-byte index into the text's
 *   list of pairs (2 bytes past 256 pairs), and the pairs take 4 bytes
 *   each when ids and advances fit 16 bits.  A text whose palette would
 *   not be smaller keeps ids and advances per glyph, 4 bytes when they fit
 *   16 bits (NARROW), 8 otherwise.  At 1,000 sources the glyph data went
 *   from 58 to about 30 MB; the lookup costs nothing measurable in drawing.
 * - Drawing rebuilds each run's glyph string and gives Cairo what Pango's
 *   renderer would: the same glyph positions (from the run's origin as
 *   Cairo keeps the point) and the same text clusters, empty glyphs left
 *   out but their clusters kept.  Consecutive runs of a text's lines in
 *   one scaled font and one colour (the only run attribute the book uses
 *   when drawing) go to Cairo in one cairo_show_text_glyphs call: each
 *   call costs Cairo a copy of its state, clip and an entry in the page's
 *   analysis region, and Pango's renderer saved and restored the state
 *   around every run.  In a 100-source book this took a third of the
 *   calls away and about 2% of the build's instructions (callgrind).  Runs
 *   right to left, with hex boxes for missing characters or with colour
 *   glyphs are still drawn by Pango (pango_cairo_show_glyph_item), so
 *   they behave exactly as pango_cairo_show_layout_line would.  The run
 *   offsets follow pango_renderer_draw_layout_line.
 */
#include "glyphs.h"
#include <pango/pangocairo.h>
#include <string.h>

#define CLUSTER_START (1u << 31)
#define COLOR_GLYPH (1u << 30)
#define CLUSTER_MASK (COLOR_GLYPH - 1)
#define NO_OFFSETS G_MAXUINT32
/* An OpenType font has at most 65,535 glyphs (ids to 65,534): a narrow run
 * writes Pango's empty glyph (a soft hyphen inside a line) as 65,535. */
#define NARROW_EMPTY G_MAXUINT16

/* Run flags. */
enum {
  NARROW = 1 << 0,  /* glyph ids and advances fit 16 bits */
  SIMPLE = 1 << 1,  /* glyph i is the cluster of character i (no cluster data) */
  COLOURED = 1 << 2,
};

typedef struct {
  PangoFont *font;     /* a reference */
  guint32 data;        /* its glyphs in the pool: ids, advances, clusters */
  guint32 offs;        /* its x, y offsets in the pool, or NO_OFFSETS */
  int offset, length, num_chars;  /* the run's text, as its PangoItem */
  guint n;             /* glyphs */
  int width;           /* their advances */
  int start_x, end_x, y_offset;
  guint16 rgb[3];
  guint8 flags, level;
} Run;

typedef struct {
  guint first, n;      /* its runs */
  int width;
} Line;

G_STATIC_ASSERT (sizeof (Run) % 8 == 0);

struct _BbGlyphs {
  gint refcount;
  guint n_lines, n_runs;
  guint8 index;        /* bytes of a glyph's palette index: 1, 2, or 0 (no palette) */
  guint8 pal_wide;     /* palette ids and advances are 32-bit (else 16-bit) */
  guint32 pal, pal_n;  /* the palette in the pool: pal_n ids, then pal_n advances */
  gsize size;
  Line *lines;
  Run *runs;
  guint8 *pool;
};

static gboolean
has_offsets (const PangoGlyphString *gs)
{
  for (int i = 0; i < gs->num_glyphs; i++)
    if (gs->glyphs[i].geometry.x_offset || gs->glyphs[i].geometry.y_offset)
      return TRUE;
  return FALSE;
}

static guint8
run_flags (const PangoGlyphItem *run, const char *text)
{
  const PangoGlyphString *gs = run->glyphs;
  gboolean narrow = TRUE, simple = gs->num_glyphs == run->item->num_chars;
  const char *p = text + run->item->offset;
  for (int i = 0; i < gs->num_glyphs; i++)
    {
      const PangoGlyphInfo *in = &gs->glyphs[i];
      if ((in->glyph >= NARROW_EMPTY && in->glyph != PANGO_GLYPH_EMPTY) || in->geometry.width < 0 || in->geometry.width > G_MAXUINT16)
        narrow = FALSE;
      if (simple && (!in->attr.is_cluster_start || in->attr.is_color
                     || gs->log_clusters[i] != (int) (p - (text + run->item->offset))))
        simple = FALSE;
      if (simple)
        p = g_utf8_next_char (p);
    }
  return (guint8) ((narrow ? NARROW : 0) | (simple ? SIMPLE : 0));
}

/* Bytes of a run's ids and advances, or of its palette indices (a
 * multiple of 4). */
static gsize
glyph_bytes (guint8 index, guint8 flags, guint n)
{
  if (index)
    return ((gsize) n * index + 3) & ~(gsize) 3;
  return (flags & NARROW) ? 4 * (gsize) n : 8 * (gsize) n;
}

/* Bytes of the pool a run takes (a multiple of 4). */
static gsize
run_bytes (guint8 index, guint8 flags, guint n, gboolean offsets)
{
  gsize b = glyph_bytes (index, flags, n);
  if (!(flags & SIMPLE))
    b += 4 * (gsize) n;
  if (offsets)
    b += 8 * (gsize) n;
  return b;
}

/* The palette index of glyph i of a run (texts with a palette). */
static guint
index_at (const BbGlyphs *g, const Run *r, guint i)
{
  const guint8 *d = g->pool + r->data;
  return g->index == 1 ? d[i] : ((const guint16 *) d)[i];
}

static guint32
glyph_at (const BbGlyphs *g, const Run *r, guint i)
{
  if (g->index)
    {
      guint k = index_at (g, r, i);
      if (g->pal_wide)
        return ((const guint32 *) (g->pool + g->pal))[k];
      guint16 id = ((const guint16 *) (g->pool + g->pal))[k];
      return id == NARROW_EMPTY ? PANGO_GLYPH_EMPTY : id;
    }
  if (r->flags & NARROW)
    {
      guint16 id = ((const guint16 *) (g->pool + r->data))[i];
      return id == NARROW_EMPTY ? PANGO_GLYPH_EMPTY : id;
    }
  return ((const guint32 *) (g->pool + r->data))[i];
}

static int
advance_at (const BbGlyphs *g, const Run *r, guint i)
{
  if (g->index)
    {
      guint k = index_at (g, r, i);
      if (g->pal_wide)
        return ((const gint32 *) (g->pool + g->pal))[g->pal_n + k];
      return ((const guint16 *) (g->pool + g->pal))[g->pal_n + k];
    }
  if (r->flags & NARROW)
    return ((const guint16 *) (g->pool + r->data))[r->n + i];
  return ((const gint32 *) (g->pool + r->data))[r->n + i];
}

/* The cluster word of glyph i of a run that is not SIMPLE. */
static guint32
cluster_at (const BbGlyphs *g, const Run *r, guint i)
{
  gsize ids = glyph_bytes (g->index, r->flags, r->n);
  return ((const guint32 *) (g->pool + r->data + ids))[i];
}

/* The distinct (id, advance) pairs of a text, in the order they come:
 * open addressing over a power-of-two table at least twice the glyphs. */
typedef struct {
  guint64 *keys;   /* id << 32 | advance, + 1 (0: free slot) */
  guint32 *slot;   /* palette index of each key */
  guint mask;
  GArray *pairs;   /* guint64 keys (without the + 1), in palette order */
} Palette;

static guint64
pair_key (const PangoGlyphInfo *in)
{
  return ((guint64) in->glyph << 32 | (guint32) in->geometry.width) + 1;
}

static guint
palette_add (Palette *p, guint64 key)
{
  guint h = (guint) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 40) & p->mask;
  while (p->keys[h] && p->keys[h] != key)
    h = (h + 1) & p->mask;
  if (!p->keys[h])
    {
      p->keys[h] = key;
      p->slot[h] = p->pairs->len;
      guint64 k = key - 1;
      g_array_append_val (p->pairs, k);
    }
  return p->slot[h];
}

static void
run_colour (Run *r, const PangoItem *item)
{
  /* as pango_renderer_prepare_run: the last foreground attribute wins */
  for (GSList *l = item->analysis.extra_attrs; l; l = l->next)
    {
      const PangoAttribute *a = l->data;
      if (a->klass->type == PANGO_ATTR_FOREGROUND)
        {
          const PangoColor *c = &((const PangoAttrColor *) a)->color;
          r->rgb[0] = c->red;
          r->rgb[1] = c->green;
          r->rgb[2] = c->blue;
          r->flags |= COLOURED;
        }
    }
}

/* Whether an id and advance fit the 16-bit forms. */
static gboolean
fits_narrow (guint32 glyph, gint32 advance)
{
  return (glyph < NARROW_EMPTY || glyph == PANGO_GLYPH_EMPTY) && advance >= 0 && advance <= G_MAXUINT16;
}

/* Gathers the palette of a layout's glyphs into p (p->pairs stays empty
 * past 65,536 pairs, where indices would not fit 2 bytes). */
static void
palette_build (Palette *p, GSList *lines, gsize glyphs)
{
  guint cap = 16;
  while (cap < 2 * glyphs)
    cap *= 2;
  p->mask = cap - 1;
  p->keys = g_new0 (guint64, cap);
  p->slot = g_new (guint32, cap);
  p->pairs = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (GSList *l = lines; l; l = l->next)
    for (GSList *rl = ((PangoLayoutLine *) l->data)->runs; rl; rl = rl->next)
      {
        const PangoGlyphString *gs = ((const PangoGlyphItem *) rl->data)->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++)
          {
            palette_add (p, pair_key (&gs->glyphs[i]));
            if (p->pairs->len > 65536)
              {
                g_array_set_size (p->pairs, 0);
                return;
              }
          }
      }
}

static void
palette_clear (Palette *p)
{
  g_free (p->keys);
  g_free (p->slot);
  g_array_unref (p->pairs);
}

BbGlyphs *
bb_glyphs_from_layout (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  GSList *lines = pango_layout_get_lines_readonly (layout);
  guint n_lines = 0, n_runs = 0;
  gsize glyphs = 0, raw = 0, indexed[2] = { 0, 0 };
  for (GSList *l = lines; l; l = l->next, n_lines++)
    for (GSList *r = ((PangoLayoutLine *) l->data)->runs; r; r = r->next, n_runs++)
      {
        const PangoGlyphItem *run = r->data;
        guint n = (guint) run->glyphs->num_glyphs;
        guint8 flags = run_flags (run, text);
        gboolean offs = has_offsets (run->glyphs);
        glyphs += n;
        raw += run_bytes (0, flags, n, offs);
        indexed[0] += run_bytes (1, flags, n, offs);
        indexed[1] += run_bytes (2, flags, n, offs);
      }
  if (n_lines == 0)
    return NULL;
  /* the palette, kept when it makes the text smaller */
  Palette pal = { 0 };
  palette_build (&pal, lines, glyphs);
  guint8 index = 0, pal_wide = 0;
  gsize pal_bytes = 0, pool = raw;
  if (pal.pairs->len)
    {
      for (guint k = 0; k < pal.pairs->len; k++)
        {
          guint64 key = g_array_index (pal.pairs, guint64, k);
          if (!fits_narrow ((guint32) (key >> 32), (gint32) (guint32) key))
            pal_wide = 1;
        }
      guint8 ib = pal.pairs->len <= 256 ? 1 : 2;
      pal_bytes = (gsize) pal.pairs->len * (pal_wide ? 8 : 4);
      if (pal_bytes + indexed[ib - 1] < raw)
        {
          index = ib;
          pool = pal_bytes + indexed[ib - 1];
        }
    }
  if (pool >= NO_OFFSETS)
    {
      palette_clear (&pal);
      return NULL;
    }
  gsize size = sizeof (BbGlyphs) + n_lines * sizeof (Line) + n_runs * sizeof (Run) + pool;
  BbGlyphs *g = g_malloc0 (size);
  g->refcount = 1;
  g->size = size;
  g->n_lines = n_lines;
  g->n_runs = n_runs;
  g->index = index;
  g->pal_wide = pal_wide;
  /* runs (8-byte aligned) first, then lines and the pool (4-byte): the
   * palette's ids and advances, then each run's glyphs */
  g->runs = (Run *) (g + 1);
  g->lines = (Line *) (g->runs + n_runs);
  g->pool = (guint8 *) (g->lines + n_lines);
  gsize at = 0;
  if (index)
    {
      g->pal = 0;
      g->pal_n = pal.pairs->len;
      for (guint k = 0; k < g->pal_n; k++)
        {
          guint64 key = g_array_index (pal.pairs, guint64, k);
          guint32 id = (guint32) (key >> 32);
          gint32 adv = (gint32) (guint32) key;
          if (pal_wide)
            {
              ((guint32 *) g->pool)[k] = id;
              ((gint32 *) g->pool)[g->pal_n + k] = adv;
            }
          else
            {
              ((guint16 *) g->pool)[k] = id == PANGO_GLYPH_EMPTY ? NARROW_EMPTY : (guint16) id;
              ((guint16 *) g->pool)[g->pal_n + k] = (guint16) adv;
            }
        }
      at = pal_bytes;
    }
  guint li = 0, ri = 0;
  for (GSList *l = lines; l; l = l->next, li++)
    {
      PangoLayoutLine *line = l->data;
      PangoRectangle logical;
      pango_layout_line_get_extents (line, NULL, &logical);
      g->lines[li] = (Line) { ri, 0, logical.width };
      for (GSList *rl = line->runs; rl; rl = rl->next, ri++)
        {
          const PangoGlyphItem *run = rl->data;
          const PangoItem *item = run->item;
          const PangoGlyphString *gs = run->glyphs;
          guint n = (guint) gs->num_glyphs;
          Run *r = &g->runs[ri];
          r->font = item->analysis.font ? g_object_ref (item->analysis.font) : NULL;
          r->offset = item->offset;
          r->length = item->length;
          r->num_chars = item->num_chars;
          r->level = item->analysis.level;
          r->start_x = run->start_x_offset;
          r->end_x = run->end_x_offset;
          r->y_offset = run->y_offset;
          r->n = n;
          r->flags = run_flags (run, text);
          run_colour (r, item);
          r->data = (guint32) at;
          guint8 *d = g->pool + at;
          for (guint i = 0; i < n; i++)
            {
              const PangoGlyphInfo *in = &gs->glyphs[i];
              r->width += in->geometry.width;
              if (index)
                {
                  guint k = palette_add (&pal, pair_key (in));
                  if (index == 1)
                    d[i] = (guint8) k;
                  else
                    ((guint16 *) d)[i] = (guint16) k;
                }
              else if (r->flags & NARROW)
                {
                  ((guint16 *) d)[i] = in->glyph == PANGO_GLYPH_EMPTY ? NARROW_EMPTY : (guint16) in->glyph;
                  ((guint16 *) d)[n + i] = (guint16) in->geometry.width;
                }
              else
                {
                  ((guint32 *) d)[i] = in->glyph;
                  ((gint32 *) d)[n + i] = in->geometry.width;
                }
            }
          at += glyph_bytes (index, r->flags, n);
          if (!(r->flags & SIMPLE))
            {
              guint32 *c = (guint32 *) (g->pool + at);
              for (guint i = 0; i < n; i++)
                {
                  c[i] = (guint32) gs->log_clusters[i] & CLUSTER_MASK;
                  if (gs->glyphs[i].attr.is_cluster_start)
                    c[i] |= CLUSTER_START;
                  if (gs->glyphs[i].attr.is_color)
                    c[i] |= COLOR_GLYPH;
                }
              at += 4 * (gsize) n;
            }
          r->offs = NO_OFFSETS;
          if (has_offsets (gs))
            {
              r->offs = (guint32) at;
              gint32 *o = (gint32 *) (g->pool + at);
              for (guint i = 0; i < n; i++)
                {
                  o[2 * i] = gs->glyphs[i].geometry.x_offset;
                  o[2 * i + 1] = gs->glyphs[i].geometry.y_offset;
                }
              at += 8 * (gsize) n;
            }
          g->lines[li].n++;
        }
    }
  palette_clear (&pal);
  return g;
}

void
bb_glyphs_feed (const BbGlyphs *g, BbDigest *ck)
{
  /* runs, lines and pool are one zeroed block (no stray padding bytes);
   * the runs hold their fonts' pointers, so equal bytes mean equal fonts;
   * the header says how the pool is read */
  guint32 how[3] = { g->index, g->pal_wide, g->pal_n };
  bb_digest_feed (ck, how, sizeof how);
  bb_digest_feed (ck, g + 1, g->size - sizeof *g);
}

BbGlyphs *
bb_glyphs_ref (BbGlyphs *g)
{
  if (g)
    g_atomic_int_inc (&g->refcount);
  return g;
}

void
bb_glyphs_unref (BbGlyphs *g)
{
  if (!g || !g_atomic_int_dec_and_test (&g->refcount))
    return;
  for (guint i = 0; i < g->n_runs; i++)
    g_clear_object (&g->runs[i].font);
  g_free (g);
}

guint
bb_glyphs_index_bytes (const BbGlyphs *g)
{
  return g ? g->index : 0;
}

gsize
bb_glyphs_size (const BbGlyphs *g)
{
  return g ? g->size : 0;
}

int
bb_glyphs_line_width (const BbGlyphs *g, guint line)
{
  return g && line < g->n_lines ? g->lines[line].width : 0;
}

/* Fills gs with run r's glyphs as Pango made them. */
static void
unpack_run (const BbGlyphs *g, const Run *r, const char *text, PangoGlyphString *gs)
{
  pango_glyph_string_set_size (gs, (int) r->n);
  const gint32 *o = r->offs == NO_OFFSETS ? NULL : (const gint32 *) (g->pool + r->offs);
  const char *p = text + r->offset;
  for (guint i = 0; i < r->n; i++)
    {
      PangoGlyphInfo *out = &gs->glyphs[i];
      out->glyph = glyph_at (g, r, i);
      out->geometry.width = advance_at (g, r, i);
      out->geometry.x_offset = o ? o[2 * i] : 0;
      out->geometry.y_offset = o ? o[2 * i + 1] : 0;
      if (r->flags & SIMPLE)
        {
          out->attr.is_cluster_start = 1;
          out->attr.is_color = 0;
          gs->log_clusters[i] = (int) (p - (text + r->offset));
          p = g_utf8_next_char (p);
        }
      else
        {
          guint32 c = cluster_at (g, r, i);
          out->attr.is_cluster_start = (c & CLUSTER_START) != 0;
          out->attr.is_color = (c & COLOR_GLYPH) != 0;
          gs->log_clusters[i] = (int) (c & CLUSTER_MASK);
        }
    }
}

/* Glyphs gathered for one cairo_show_text_glyphs call: consecutive runs,
 * of any lines of a text, in one scaled font and one colour. */
typedef struct {
  cairo_t *cr;
  gboolean keep_text;          /* the surface maps glyphs to text (PDF) */
  cairo_scaled_font_t *font;   /* of what is gathered; NULL: nothing */
  gboolean coloured;
  guint16 rgb[3];
  GArray *glyphs;              /* cairo_glyph_t */
  GArray *clusters;            /* cairo_text_cluster_t */
  GString *bytes;              /* the text the clusters cover */
} Batch;

static void
batch_flush (Batch *b)
{
  if (!b->font)
    return;
  if (b->coloured)
    {
      cairo_save (b->cr);
      cairo_set_source_rgb (b->cr, b->rgb[0] / 65535., b->rgb[1] / 65535., b->rgb[2] / 65535.);
    }
  cairo_set_scaled_font (b->cr, b->font);
  if (b->keep_text)
    cairo_show_text_glyphs (b->cr, b->bytes->str, (int) b->bytes->len, (cairo_glyph_t *) b->glyphs->data,
                            (int) b->glyphs->len, (cairo_text_cluster_t *) b->clusters->data,
                            (int) b->clusters->len, 0);
  else
    cairo_show_glyphs (b->cr, (cairo_glyph_t *) b->glyphs->data, (int) b->glyphs->len);
  if (b->coloured)
    cairo_restore (b->cr);
  b->font = NULL;
  g_array_set_size (b->glyphs, 0);
  g_array_set_size (b->clusters, 0);
  g_string_truncate (b->bytes, 0);
}

/* Whether a run can join a batch: left to right, every glyph an ordinary
 * one (no hex box for a missing character, no colour glyph), clusters in
 * logical order.  Anything else is drawn by Pango, as before. */
static gboolean
batchable (const Run *r, const PangoGlyphString *gs)
{
  if (r->level % 2 || (gs->num_glyphs && gs->log_clusters[0] != 0))
    return FALSE;
  for (int i = 0; i < gs->num_glyphs; i++)
    {
      const PangoGlyphInfo *gi = &gs->glyphs[i];
      if ((gi->glyph != PANGO_GLYPH_EMPTY && (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) || gi->attr.is_color
          || (i && gs->log_clusters[i] < gs->log_clusters[i - 1]) || gs->log_clusters[i] >= r->length)
        return FALSE;
    }
  return TRUE;
}

/* Adds a run's glyphs, their clusters and its text to b, as Pango's
 * renderer would hand them to Cairo: base is the run's origin as Cairo
 * keeps it (1/256 pt), glyph positions follow
 * pango_cairo_renderer_show_text_glyphs, empty glyphs are left out but
 * keep their cluster (with no glyph), as pango_cairo_renderer_draw_glyph_item
 * counts them. */
static void
batch_add (Batch *b, const Run *r, const PangoGlyphString *gs, const char *text, double base_x, double base_y)
{
  const char *t = text + r->offset;
  g_string_append_len (b->bytes, t, r->length);
  /* room for every glyph and cluster, written in place */
  guint ng = b->glyphs->len, nc = b->clusters->len;
  g_array_set_size (b->glyphs, ng + (guint) gs->num_glyphs);
  g_array_set_size (b->clusters, nc + (guint) gs->num_glyphs);
  cairo_glyph_t *og = (cairo_glyph_t *) b->glyphs->data;
  cairo_text_cluster_t *oc = (cairo_text_cluster_t *) b->clusters->data;
  int x_position = 0;
  for (int i = 0; i < gs->num_glyphs;)
    {
      int c = gs->log_clusters[i], j = i, n = 0;
      for (; j < gs->num_glyphs && gs->log_clusters[j] == c; j++)
        {
          const PangoGlyphInfo *gi = &gs->glyphs[j];
          if (gi->glyph != PANGO_GLYPH_EMPTY)
            {
              og[ng++] = (cairo_glyph_t) { gi->glyph, base_x + (double) (x_position + gi->geometry.x_offset) / PANGO_SCALE,
                                           gi->geometry.y_offset == 0 ? base_y
                                                                      : base_y + (double) gi->geometry.y_offset / PANGO_SCALE };
              n++;
            }
          x_position += gi->geometry.width;
        }
      int end = j < gs->num_glyphs ? gs->log_clusters[j] : r->length;
      oc[nc++] = (cairo_text_cluster_t) { end - c, n };
      i = j;
    }
  g_array_set_size (b->glyphs, ng);
  g_array_set_size (b->clusters, nc);
}

/* Draws lines first..last-1 of g, line i with the left end of its baseline
 * at (origins[2 (i - first)], origins[2 (i - first) + 1]).  The runs of the
 * lines go to Cairo in as few calls as their fonts and colours allow: each
 * call costs Cairo a copy of the graphics state and an entry in the page's
 * analysis whatever its length, and Pango's renderer adds a save and a
 * restore of the state around every run. */
static void
draw_lines (const BbGlyphs *g, guint first, guint last, cairo_t *cr, const char *text, const double *origins)
{
  PangoItem *item = pango_item_new ();
  PangoGlyphString *gs = pango_glyph_string_new ();
  Batch b = { cr, cairo_surface_has_show_text_glyphs (cairo_get_target (cr)), NULL, FALSE, { 0, 0, 0 },
              g_array_new (FALSE, FALSE, sizeof (cairo_glyph_t)), g_array_new (FALSE, FALSE, sizeof (cairo_text_cluster_t)),
              g_string_new (NULL) };
  for (guint line = first; line < last && line < g->n_lines; line++)
    {
      const Line *ln = &g->lines[line];
      double x0 = origins[2 * (line - first)], y0 = origins[2 * (line - first) + 1];
      int x_off = 0;
      for (guint k = 0; k < ln->n; k++)
        {
          const Run *r = &g->runs[ln->first + k];
          x_off += r->start_x;
          if (r->font && r->n > 0)
            {
              unpack_run (g, r, text, gs);
              /* the run's origin as Cairo keeps a point, as Pango reads it
               * back (Pango's own line drawing places runs to double
               * precision: the same places to well under 0.01 pt) */
              cairo_move_to (cr, x0 + (double) x_off / PANGO_SCALE, y0 - (double) r->y_offset / PANGO_SCALE);
              double bx, by;
              cairo_get_current_point (cr, &bx, &by);
              cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (r->font));
              gboolean coloured = (r->flags & COLOURED) != 0;
              if (sf && cairo_scaled_font_status (sf) == CAIRO_STATUS_SUCCESS && batchable (r, gs))
                {
                  if (b.font && (b.font != sf || b.coloured != coloured
                                 || (coloured && memcmp (b.rgb, r->rgb, sizeof b.rgb) != 0)))
                    batch_flush (&b);
                  b.font = sf;
                  b.coloured = coloured;
                  memcpy (b.rgb, r->rgb, sizeof b.rgb);
                  batch_add (&b, r, gs, text, bx, by);
                }
              else
                {
                  /* Pango draws it: hex boxes, colour glyphs, right to left */
                  batch_flush (&b);
                  item->offset = r->offset;
                  item->length = r->length;
                  item->num_chars = r->num_chars;
                  item->analysis.level = r->level;
                  item->analysis.font = r->font; /* borrowed: cleared before the item is freed */
                  PangoGlyphItem gitem = { .item = item, .glyphs = gs };
                  if (coloured)
                    {
                      cairo_save (cr);
                      cairo_set_source_rgb (cr, r->rgb[0] / 65535., r->rgb[1] / 65535., r->rgb[2] / 65535.);
                    }
                  pango_cairo_show_glyph_item (cr, text, &gitem);
                  if (coloured)
                    cairo_restore (cr);
                }
            }
          x_off += r->width + r->end_x;
        }
    }
  batch_flush (&b);
  item->analysis.font = NULL;
  pango_item_free (item);
  pango_glyph_string_free (gs);
  g_array_unref (b.glyphs);
  g_array_unref (b.clusters);
  g_string_free (b.bytes, TRUE);
}

void
bb_glyphs_draw_lines (const BbGlyphs *g, guint first, guint last, cairo_t *cr, const char *text,
                      const double *origins)
{
  if (!g || first >= last)
    return;
  double x0, y0;
  gboolean had = cairo_has_current_point (cr);
  cairo_get_current_point (cr, &x0, &y0);
  draw_lines (g, first, last, cr, text, origins);
  if (had)
    cairo_move_to (cr, x0, y0);
  else
    cairo_new_sub_path (cr);
}

void
bb_glyphs_draw_line (const BbGlyphs *g, guint line, cairo_t *cr, const char *text)
{
  if (!g || line >= g->n_lines)
    return;
  double xy[2];
  cairo_get_current_point (cr, &xy[0], &xy[1]);
  draw_lines (g, line, line + 1, cr, text, xy);
  cairo_move_to (cr, xy[0], xy[1]);
}

void
bb_glyphs_x_ranges (const BbGlyphs *g, guint line, const char *text, int start, int end, int **ranges,
                    int *n)
{
  *ranges = NULL;
  *n = 0;
  if (!g || line >= g->n_lines || start >= end)
    return;
  const Line *ln = &g->lines[line];
  GArray *out = g_array_new (FALSE, FALSE, sizeof (int));
  int x = 0;
  for (guint k = 0; k < ln->n; k++)
    {
      const Run *r = &g->runs[ln->first + k];
      x += r->start_x;
      /* a glyph belongs to the byte of its cluster; a range takes the
       * glyphs whose byte falls in [start, end) */
      const char *p = text + r->offset;
      for (guint i = 0; i < r->n; i++)
        {
          int byte;
          if (r->flags & SIMPLE)
            {
              byte = (int) (p - text);
              p = g_utf8_next_char (p);
            }
          else
            byte = r->offset + (int) (cluster_at (g, r, i) & CLUSTER_MASK);
          int w = advance_at (g, r, i);
          if (byte >= start && byte < end && w > 0)
            {
              int a = x, b = x + w;
              if (out->len && g_array_index (out, int, out->len - 1) == a)
                g_array_index (out, int, out->len - 1) = b;
              else
                {
                  g_array_append_val (out, a);
                  g_array_append_val (out, b);
                }
            }
          x += w;
        }
      x += r->end_x;
    }
  *n = (int) out->len / 2;
  *ranges = (int *) (void *) g_array_free (out, out->len == 0);
}
