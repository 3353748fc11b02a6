/* paginate.c — boxes from the book tree, pages from boxes.
 *
 * Decisions written down here:
 * - Every section starts on a new page; the cover is one page drawn by
 *   cover.c.  Front sections (cover, contents, other front matter) take
 *   roman labels, chapters and back matter arabic labels from 1, so body
 *   page numbers never depend on the length of the front matter.
 * - Page 1 is a recto, as in any printed book: when the front matter ends
 *   on a recto, a blank verso (markings only) follows it.  The body's
 *   pages then look the same however long the front matter grows, which
 *   is what lets `briefing watch` keep their drawing (pdf.c).
 * - Widows and orphans: a paragraph split across pages keeps at least two
 *   lines on each side; a paragraph of three lines or fewer is never split.
 * - Headings (and chapter provenance lines) stay with the first two lines
 *   of what follows.
 * - Tables split between rows; header rows repeat on each page.  A row
 *   taller than a page is placed on a page of its own and clipped.
 * - Space before a box is dropped at the top of a page.
 * - Memory: a text is laid out once.  Measured, its PangoLayout is let go
 *   and only its glyph runs are kept (glyphs.h): an eighth of the layout's
 *   size, and all that drawing needs, so no text is laid out twice and a
 *   book of thousands of pages holds no layouts at all.
 * - Page references settle in passes (bb_typeset_book).  The first pass
 *   has no map: it cites the pages of what it has already placed
 *   (flow_placed), so references back (citation notes, the index) print
 *   their real labels from the start and only the front matter, whose
 *   references point forward, is laid out again in the next pass.  A
 *   1,000-source book settles in two passes rather than three.
 * - Layout runs on every processor before the first pass (prelayout: the
 *   blocks and table cells that cite no pages), the passes on one thread.
 *   Pango 1.50 needs care for that (its font metrics, see "laying out
 *   blocks on several threads" below); the books are byte-identical to
 *   a single thread's, which the e2e-threads test holds them to.
 */
#include "paginate.h"
#include "numfmt.h"
#include "digest.h"
#include "fonts.h"
#include "hyphenate.h"
#include "parallel.h"
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

struct _BbTypeset {
  const BbLayout *layout;
  PangoFontMap *fontmap;
  PangoContext *context;
  BbHyphen *hyphen_en;
  GHashTable *taken;  /* block → Taken, this build only: the boxes of a
                         block whose content another block of the build
                         has too (cached_boxes), from pass to pass */
  /* Layout kept between passes and between builds (`briefing watch`
   * typesets each edition with the same BbTypeset), found by content: */
  GHashTable *box_cache;  /* block key → Cached: the boxes of a top-level
                             block without page references */
  GHashTable *cell_memo;  /* cell key → CellMemo, and */
  GHashTable *cell_texts; /* cell key at a width → CellText: cells without
                             page references in tables that have some (the
                             chronology, the index), where only the page
                             column changes between passes */
  GHashTable *keys;       /* node → its content key, this build only */
  GHashTable *short_texts; /* short text, its attributes and style → ShortText:
                              page numbers, dates, names in table cells */
  guint generation;       /* builds typeset so far; an entry not used by
                             the latest is dropped at its end */
  char *layout_print;     /* what of the layout shapes boxes (bb_typeset_reuse) */
  guint blocks, reused;   /* top-level blocks in this build's first pass, and
                             how many came from an earlier build */
  guint laid[2];          /* blocks the last pass laid out, in the front
                             matter and after it (reported in timings) */
  gboolean keep_glyphs;   /* bb_typeset_page_drawn lets nothing go */
  /* A page reference to a page not yet known prints a placeholder (the
   * first pass).  What printed one is laid out again by the next pass,
   * whatever happens, so a build that keeps nothing for the next one
   * (not `briefing watch`) keeps it only while the pages of its pass do:
   * the chronology's and the contents' boxes of the first pass go before
   * the second lays them out again, 8 MB less at the peak of a
   * 1,000-source book. */
  guint placeholders;     /* printed so far (main thread only: workers lay
                             out nothing that cites pages) */
  GPtrArray *provisional; /* GPtrArray of BbBox, with box_free: the boxes
                             of the latest pass that printed one */
  gpointer drawn;         /* bb_typeset_set_drawn */
  GDestroyNotify drawn_free;
  GPtrArray *pages;   /* BbPageOut* */
  const BbPageMap *refs;
  BbDiag *diag;
  double natural_height;  /* the body font's ascent + descent ÷ size */
  /* Laying out on several threads (prelayout): */
  struct _Worker *worker; /* set in a worker's own typeset */
  GHashTable *prelaid;    /* block → its boxes, laid out before pass 1 */
  GPtrArray *spare_maps;  /* font maps the workers use from build to build */
  GPtrArray *kept_maps;   /* font maps given up, whose fonts texts still use */
};

#define PT(x) ((double) (x) / PANGO_SCALE)
#define PU(x) ((int) lround ((x) * PANGO_SCALE))

/* ---- text ---------------------------------------------------------------- */

static gboolean cites_pages (const BbNode *n);
static void worker_check (struct _Worker *w, PangoLayout *layout);

typedef struct {
  const char *family;
  double size;
  PangoWeight weight;
  PangoStyle style;
  PangoAlignment align;
  gboolean justify;
  const char *lang;
  const BbColour *colour;
  double leading;  /* line height ÷ size; 0: the layout's */
} TextStyle;

/* Texts are shared (table cells with the same content): counted. */
static BbText *
text_ref (BbText *t)
{
  t->refcount++;
  return t;
}

static void
text_free (BbText *t)
{
  if (!t || --t->refcount > 0)
    return;
  g_free (t->str);
  bb_glyphs_unref (t->glyphs);
  g_free (t->lines);
  for (guint i = 0; i < t->n_spans; i++)
    g_free (t->spans[i].target);
  g_free (t->spans);
  g_free (t->segments);
  g_free (t);
}

gsize
bb_text_offset_at (const BbText *t, int index)
{
  if (!t->segments || t->n_segments == 0)
    return 0;
  /* binary search for the last segment starting at or before index */
  guint lo = 0, hi = t->n_segments;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if ((int) t->segments[mid].start <= index)
        lo = mid;
      else
        hi = mid;
    }
  const BbSegment *s = &t->segments[lo];
  if ((int) s->start > index)
    return 0;
  const char *str = t->str;
  gsize n = s->offset;
  for (const char *p = str + s->start; p < str + index; p = g_utf8_next_char (p))
    if (!(s->hyphenated && (guchar) p[0] == 0xc2 && (guchar) p[1] == 0xad))
      n++;
  return n;
}

typedef struct {
  BbTypeset *ts;
  GString *str;
  PangoAttrList *attrs;
  GArray *spans;
  GArray *segments;
  gsize chars;       /* inline characters so far (pagemap.h) */
  BbHyphen *hyphen;
  gboolean in_link;
  const BbNode *skip;  /* a child drawn elsewhere (a contents entry's page number) */
  const char *last_ref; /* label of the last page reference, and where it ended */
  gsize last_ref_end;
} InlineBuild;

static void
add_attr (InlineBuild *b, PangoAttribute *a, gsize start)
{
  a->start_index = (guint) start;
  a->end_index = (guint) b->str->len;
  pango_attr_list_insert (b->attrs, a);
}

static void
add_span (InlineBuild *b, gsize start, const char *target)
{
  if (!target || !*target || b->str->len == start)
    return;
  BbSpan s = { (int) start, (int) b->str->len, g_strdup (target) };
  g_array_append_val (b->spans, s);
}

/* A run of letters with nowhere to break (a scraped URL, a hash, a
 * million-character "word") would run off the page: give it a soft hyphen
 * every RUN_MAX characters.  Returns whether any was added. */
#define RUN_MAX 40

static gboolean
break_long_runs (GString *str, gsize from)
{
  gsize run = 0;
  gboolean need = FALSE;
  for (const char *p = str->str + from; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      run = (g_unichar_isspace (c) || c == 0xAD || c == '-' || c == '/') ? 0 : run + 1;
      if (run > RUN_MAX)
        {
          need = TRUE;
          break;
        }
    }
  if (!need)
    return FALSE;
  g_autofree char *tail = g_strdup (str->str + from);
  g_string_truncate (str, from);
  run = 0;
  for (const char *p = tail; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      run = (g_unichar_isspace (c) || c == 0xAD || c == '-' || c == '/') ? 0 : run + 1;
      if (run > RUN_MAX)
        {
          g_string_append (str, "\xc2\xad");
          run = 1;
        }
      g_string_append_unichar (str, c);
    }
  return TRUE;
}

static void
append_run (InlineBuild *b, const char *text, gboolean may_hyphenate)
{
  BbSegment seg = { (guint) b->str->len, (guint) b->chars, FALSE };
  /* Newlines and tabs inside inline text are spaces in print. */
  gsize before = b->str->len;
  if (may_hyphenate && b->hyphen)
    {
      bb_hyphen_append (b->hyphen, b->str, text, -1);
      seg.hyphenated = TRUE;
    }
  else
    g_string_append (b->str, text);
  for (gsize i = before; i < b->str->len; i++)
    if (b->str->str[i] == '\n' || b->str->str[i] == '\t' || b->str->str[i] == '\r')
      b->str->str[i] = ' ';
  if (break_long_runs (b->str, before))
    seg.hyphenated = TRUE;
  g_array_append_val (b->segments, seg);
  b->chars += (gsize) g_utf8_strlen (text, -1);
}

static void
build_inlines (InlineBuild *b, const BbNode *n)
{
  for (const BbNode *c = n->first; c; c = c->next)
    {
      gsize start = b->str->len;
      if (c == b->skip)
        continue;
      switch (c->type)
        {
        case BB_NODE_TEXT:
          append_run (b, c->text ? c->text : "", TRUE);
          break;
        case BB_NODE_CODE:
          append_run (b, c->text ? c->text : "", FALSE);
          add_attr (b, pango_attr_family_new (b->ts->layout->heading_font), start);
          add_attr (b, pango_attr_scale_new (0.9), start);
          break;
        case BB_NODE_EMPH:
          build_inlines (b, c);
          add_attr (b, pango_attr_style_new (PANGO_STYLE_ITALIC), start);
          break;
        case BB_NODE_STRONG:
          build_inlines (b, c);
          add_attr (b, pango_attr_weight_new (PANGO_WEIGHT_BOLD), start);
          break;
        case BB_NODE_LINK:
          {
            gboolean outer = b->in_link;
            b->in_link = TRUE;
            build_inlines (b, c);
            b->in_link = outer;
            /* Links out of the book are coloured; links inside it (contents,
             * tables pointing at paragraphs) stay quiet in print. */
            const BbColour *a = &b->ts->layout->accent;
            if (c->href && c->href[0] != '#')
              add_attr (b, pango_attr_foreground_new ((guint16) (a->r * 65535), (guint16) (a->g * 65535),
                                                      (guint16) (a->b * 65535)), start);
            if (!outer)
              add_span (b, start, c->href);
          }
          break;
        case BB_NODE_CITATION:
          {
            /* Superscript label, glued to the word it follows by a word
             * joiner; a thin no-break space keeps it off the next marker
             * ("13 14" rather than "1314"). */
            if (c->prev && c->prev->type == BB_NODE_CITATION)
              g_string_append (b->str, "\xe2\x80\xaf");
            else
              g_string_append (b->str, "\xe2\x81\xa0");
            gsize s2 = b->str->len;
            g_string_append (b->str, c->text ? c->text : "");
            add_attr (b, pango_attr_baseline_shift_new (PANGO_BASELINE_SHIFT_SUPERSCRIPT), s2);
            add_attr (b, pango_attr_font_scale_new (PANGO_FONT_SCALE_SUPERSCRIPT), s2);
            const BbColour *a = &b->ts->layout->accent;
            add_attr (b, pango_attr_foreground_new ((guint16) (a->r * 65535), (guint16) (a->g * 65535),
                                                    (guint16) (a->b * 65535)), s2);
            if (!b->in_link)
              add_span (b, s2, c->href);
          }
          break;
        case BB_NODE_BREAK:
          g_string_append (b->str, "\xe2\x80\xa8"); /* LINE SEPARATOR */
          break;
        case BB_NODE_PAGEREF:
          {
            const char *label = b->ts->refs ? bb_pagemap_label (b->ts->refs, c->href) : NULL;
            /* "3, 3, 4" reads "3, 4": a reference to the page just cited,
             * with only separators between, is dropped with them. */
            if (label && b->last_ref && g_str_equal (label, b->last_ref)
                && strspn (b->str->str + b->last_ref_end, ", ") == b->str->len - b->last_ref_end)
              {
                g_string_truncate (b->str, b->last_ref_end);
                break;
              }
            /* First pass: a placeholder as wide as a typical label. */
            g_string_append (b->str, label ? label : "00");
            if (!label)
              b->ts->placeholders++;
            b->last_ref = label;
            b->last_ref_end = b->str->len;
            if (!b->in_link)
              add_span (b, start, c->href);
          }
          break;
        default:
          /* blocks inside inline content (should not happen): their text */
          build_inlines (b, c);
          break;
        }
    }
}

/* The elements of a in a block of their exact size (NULL when none), and
 * their number in *n; a is freed. */
static gpointer
exact_array (GArray *a, guint *n)
{
  *n = a->len;
  gpointer e = a->len ? g_memdup2 (a->data, (gsize) a->len * g_array_get_element_size (a)) : NULL;
  g_array_unref (a);
  return e;
}

static void
measure_lines (BbText *t, PangoLayout *layout)
{
  t->n_lines = (guint) pango_layout_get_line_count (layout);
  t->lines = g_new (BbLine, t->n_lines);
  guint k = 0;
  PangoLayoutIter *it = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      int y0, y1;
      pango_layout_iter_get_line_extents (it, NULL, &logical);
      pango_layout_iter_get_line_yrange (it, &y0, &y1);
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (it);
      g_assert (k < t->n_lines);
      t->lines[k++] = (BbLine) { y0, y1 - y0, pango_layout_iter_get_baseline (it), logical.x, line->start_index };
    }
  while (pango_layout_iter_next_line (it));
  pango_layout_iter_free (it);
  g_assert (k == t->n_lines);
  BbLine *last = &t->lines[t->n_lines - 1];
  t->height = last->y + last->height;
}

/* A short text's measures and glyphs, shared by every text that has the
 * same characters, attributes and style (its links may differ). */
typedef struct {
  guint generation;
  guint n_lines;
  BbLine *lines;   /* copied into each text: a line is 20 bytes */
  BbGlyphs *glyphs;
  int height;
} ShortText;

static void
short_text_free (gpointer p)
{
  ShortText *m = p;
  g_free (m->lines);
  bb_glyphs_unref (m->glyphs);
  g_free (m);
}

/* The key of a text of at most SHORT_MAX bytes: its characters, attributes
 * and style; NULL for a longer text.  Short texts repeat (a table's page
 * numbers, dates, names): each is laid out once a build. */
#define SHORT_MAX 48

/* A key built in a GString, as a string of its own size: the keys live
 * as long as the layout's memos (some 140,000 at 1,000 sources), and a
 * GString's buffer is rounded up to a power of two. */
static char *
key_finish (GString *k)
{
  char *key = g_strndup (k->str, k->len);
  g_string_free (k, TRUE);
  return key;
}

static char *
short_key (const GString *str, PangoAttrList *attrs, const TextStyle *st, double width, double leading)
{
  if (str->len > SHORT_MAX)
    return NULL;
  g_autofree char *a = pango_attr_list_to_string (attrs);
  const BbColour *c = st->colour;
  /* numbers by their bits, integers in decimal: exact, and without
   * printf (a 1,000-source book asks for some 100,000 of these keys) */
  GString *k = g_string_sized_new (160 + str->len);
  g_string_append (k, st->family);
  g_string_append_c (k, '|');
  bb_numfmt_append_bits (k, st->size);
  gint64 ints[4] = { st->weight, st->style, st->align, st->justify };
  for (int i = 0; i < 4; i++)
    {
      g_string_append_c (k, '|');
      if (ints[i] < 0)
        g_string_append_c (k, '-');
      bb_numfmt_append_uint (k, (guint64) ABS (ints[i]));
    }
  g_string_append_c (k, '|');
  g_string_append (k, st->lang ? st->lang : "");
  double d[5] = { c ? c->r : -1.0, c ? c->g : -1.0, c ? c->b : -1.0, leading, width };
  for (int i = 0; i < 5; i++)
    {
      g_string_append_c (k, '|');
      bb_numfmt_append_bits (k, d[i]);
    }
  g_string_append_c (k, '|');
  g_string_append (k, a);
  g_string_append_c (k, '|');
  g_string_append_len (k, str->str, (gssize) str->len);
  return key_finish (k);
}

/* Lays out the inline content of node (or plain text when node is NULL). */
static BbText *
text_new_skip (BbTypeset *ts, const BbNode *node, const char *plain, const TextStyle *st, double width,
               const BbNode *skip)
{
  static _Atomic guint64 serials;
  BbText *t = g_new0 (BbText, 1);
  t->refcount = 1;
  t->serial = ++serials;
  InlineBuild b = { .ts = ts, .str = g_string_new (NULL), .attrs = pango_attr_list_new (),
                    .spans = g_array_new (FALSE, FALSE, sizeof (BbSpan)),
                    .segments = g_array_new (FALSE, FALSE, sizeof (BbSegment)), .skip = skip };
  b.hyphen = st->justify && st->lang && g_str_has_prefix (st->lang, "en") ? ts->hyphen_en : NULL;
  if (node)
    build_inlines (&b, node);
  else
    append_run (&b, plain ? plain : "", FALSE);

  /* The layout's leading is line height ÷ size; Pango's factor multiplies
   * the font's own line height. */
  double leading = st->leading > 0 ? st->leading : ts->layout->leading;
  /* Vietnamese stacks tone marks over circumflexes and breves: a little
   * more room between lines keeps them off the descenders above. */
  if (st->lang && g_str_has_prefix (st->lang, "vi"))
    leading *= 1.07;
  /* kept at their size, or not at all when empty: a big book has 100,000s */
  t->spans = exact_array (b.spans, &t->n_spans);
  t->segments = exact_array (b.segments, &t->n_segments);
  t->str = g_strndup (b.str->str, b.str->len);
  char *key = short_key (b.str, b.attrs, st, width, leading);
  ShortText *memo = key ? g_hash_table_lookup (ts->short_texts, key) : NULL;
  if (memo)
    {
      g_free (key);
      memo->generation = ts->generation;
      t->n_lines = memo->n_lines;
      t->lines = g_memdup2 (memo->lines, sizeof (BbLine) * memo->n_lines);
      t->glyphs = bb_glyphs_ref (memo->glyphs);
      t->height = memo->height;
      pango_attr_list_unref (b.attrs);
      g_string_free (b.str, TRUE);
      return t;
    }

  PangoLayout *layout = pango_layout_new (ts->context);
  PangoFontDescription *fd = pango_font_description_new ();
  pango_font_description_set_family (fd, st->family);
  pango_font_description_set_size (fd, PU (st->size));
  pango_font_description_set_weight (fd, st->weight);
  pango_font_description_set_style (fd, st->style);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (layout, PU (width));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, st->align);
  pango_layout_set_justify (layout, st->justify);
  pango_layout_set_line_spacing (layout, (float) (leading / ts->natural_height));
  if (st->lang)
    {
      PangoAttribute *a = pango_attr_language_new (pango_language_from_string (st->lang));
      a->start_index = 0;
      a->end_index = G_MAXUINT;
      pango_attr_list_insert_before (b.attrs, a);
    }
  if (st->colour)
    {
      PangoAttribute *a = pango_attr_foreground_new ((guint16) (st->colour->r * 65535),
                                                     (guint16) (st->colour->g * 65535),
                                                     (guint16) (st->colour->b * 65535));
      a->start_index = 0;
      a->end_index = G_MAXUINT;
      pango_attr_list_insert_before (b.attrs, a);
    }
  pango_layout_set_text (layout, b.str->str, (int) b.str->len);
  pango_layout_set_attributes (layout, b.attrs);
  pango_attr_list_unref (b.attrs);
  g_string_free (b.str, TRUE);
  measure_lines (t, layout);
  if (ts->worker)
    worker_check (ts->worker, layout);
  t->glyphs = bb_glyphs_from_layout (layout);
  g_object_unref (layout);
  if (key)
    {
      memo = g_new0 (ShortText, 1);
      *memo = (ShortText) { ts->generation, t->n_lines, g_memdup2 (t->lines, sizeof (BbLine) * t->n_lines),
                            bb_glyphs_ref (t->glyphs), t->height };
      g_hash_table_insert (ts->short_texts, key, memo);
    }
  return t;
}

static BbText *
text_new (BbTypeset *ts, const BbNode *node, const char *plain, const TextStyle *st, double width)
{
  return text_new_skip (ts, node, plain, st, width, NULL);
}

PangoLayout *
bb_typeset_line (BbTypeset *ts, const char *family, double size, PangoWeight weight, const char *text,
                 double max_width)
{
  PangoLayout *l = pango_layout_new (ts->context);
  PangoFontDescription *fd = pango_font_description_new ();
  pango_font_description_set_family (fd, family);
  pango_font_description_set_size (fd, PU (size));
  pango_font_description_set_weight (fd, weight);
  pango_layout_set_font_description (l, fd);
  pango_font_description_free (fd);
  if (max_width > 0)
    {
      pango_layout_set_width (l, PU (max_width));
      pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_text (l, text ? text : "", -1);
  return l;
}

/* ---- boxes --------------------------------------------------------------- */

/* ---- content keys --------------------------------------------------------- */

/* Everything in a subtree that can change how it is laid out, fed to a
 * digest: two subtrees with the same key lay out the same.  Strings are fed
 * with their terminating NUL and NULL as a distinct byte (digest.h), so
 * adjacent fields cannot run into each other. */
static void
feed_node (BbDigest *d, const BbNode *n)
{
  gint32 v[4] = { (gint32) n->type, (gint32) n->flags, (gint32) n->level, (gint32) n->kind };
  bb_digest_feed (d, v, sizeof v);
  bb_digest_feed_str (d, n->text);
  bb_digest_feed_str (d, n->href);
  bb_digest_feed_str (d, bb_node_anchor (n));
  bb_digest_feed_str (d, bb_node_lang (n));
  for (const BbNode *c = n->first; c; c = c->next)
    feed_node (d, c);
  bb_digest_feed (d, "\xfe", 1); /* end of children */
}

static char *
key_memo (const BbNode *n, const char *lang, double width, const char *extra)
{
  GString *k = g_string_sized_new (64 + (extra ? strlen (extra) : 0));
  bb_numfmt_append_uint (k, (guint64) (guintptr) n);
  g_string_append_c (k, '|');
  g_string_append (k, lang ? lang : "");
  g_string_append_c (k, '|');
  bb_numfmt_append_fixed (k, width, 4);
  g_string_append_c (k, '|');
  g_string_append (k, extra ? extra : "");
  return key_finish (k);
}

/* The digest of n in the context that memo (key_memo) gives; touches
 * nothing but n, so threads may compute several at once.  128 bits in hex
 * (digest.h): a 1,000-source book keeps about 140,000 keys through its
 * passes (no two of 2^32 keys are expected to collide). */
static char *
key_compute (const BbNode *n, const char *memo)
{
  g_autoptr (BbDigest) d = bb_digest_new ();
  feed_node (d, n);
  bb_digest_feed_str (d, memo + strcspn (memo, "|")); /* the context, not the address */
  char *k = g_malloc (33);
  bb_digest_hex (d, k);
  return k;
}

/* The key of n laid out in language lang at width (and extra, when the
 * caller's context matters); computed once per build and node. */
static const char *
content_key (BbTypeset *ts, const BbNode *n, const char *lang, double width, const char *extra)
{
  g_autofree char *memo = key_memo (n, lang, width, extra);
  const char *key = g_hash_table_lookup (ts->keys, memo);
  if (key)
    return key;
  char *k = key_compute (n, memo);
  g_hash_table_insert (ts->keys, g_steal_pointer (&memo), k);
  return k;
}

/* Keys of many nodes at once, computed on every processor: a big book's
 * keys are its whole text through a digest (SHA-256 took 0.3 s at 1,000
 * sources, on one core).  key_batch_add asks for a key, key_batch_run computes
 * the ones not yet known and puts them in ts->keys, where content_key
 * finds them. */
typedef struct {
  BbTypeset *ts;
  GPtrArray *nodes, *memos;
  char **keys;
} KeyBatch;

static void
key_batch_add (KeyBatch *b, const BbNode *n, const char *lang, double width, const char *extra)
{
  char *memo = key_memo (n, lang, width, extra);
  if (g_hash_table_contains (b->ts->keys, memo))
    {
      g_free (memo);
      return;
    }
  g_ptr_array_add (b->nodes, (gpointer) n);
  g_ptr_array_add (b->memos, memo);
}

static void
key_batch_one (guint i, gpointer data)
{
  KeyBatch *b = data;
  b->keys[i] = key_compute (b->nodes->pdata[i], b->memos->pdata[i]);
}

static void
key_batch_run (KeyBatch *b)
{
  b->keys = g_new0 (char *, b->memos->len + 1);
  bb_parallel_for (b->memos->len, key_batch_one, b);
  /* a node asked for twice has its key computed twice: the first stays */
  for (guint i = 0; i < b->memos->len; i++)
    if (g_hash_table_contains (b->ts->keys, b->memos->pdata[i]))
      {
        g_free (b->memos->pdata[i]);
        g_free (b->keys[i]);
      }
    else
      g_hash_table_insert (b->ts->keys, b->memos->pdata[i], b->keys[i]);
  g_free (b->keys);
  g_ptr_array_unref (b->nodes);
  g_ptr_array_unref (b->memos);
}

/* A subtree that cites pages prints the labels it cites: they are part of
 * its key (the same in the last passes, and mostly from build to build). */
static void
append_labels (BbTypeset *ts, GString *extra, const BbNode *n)
{
  for (const BbNode *c = n; c; c = bb_node_next_in (n, c))
    if (c->type == BB_NODE_PAGEREF)
      {
        const char *label = ts->refs ? bb_pagemap_label (ts->refs, c->href) : NULL;
        g_string_append_c (extra, '|');
        g_string_append (extra, label ? label : "");
      }
}

/* What a cell costs to find out: its measure (the same at any width) and
 * its text at one width.  Cells with the same content share one memo. */
typedef struct {
  guint generation;
  gboolean measured;
  double maxw, minw;  /* measure_cell */
} CellMemo;

typedef struct {
  guint generation;
  BbText *text;
} CellText;

static void
cell_text_free (gpointer p)
{
  CellText *m = p;
  text_free (m->text);
  g_free (m);
}


/* The entry of key in table (a zeroed one of size bytes when new), marked
 * used by this build: every memo type starts with its generation. */
static gpointer
memo_entry (BbTypeset *ts, GHashTable *table, const char *key, gsize size)
{
  guint *m = g_hash_table_lookup (table, key);
  if (!m)
    {
      m = g_malloc0 (size);
      g_hash_table_insert (table, g_strdup (key), m);
    }
  *m = ts->generation;
  return m;
}

/* The memo of cell, or NULL when its print depends on the page map. */
static CellMemo *
cell_memo (BbTypeset *ts, const BbNode *cell, const char *lang, gboolean header)
{
  if (cites_pages (cell))
    return NULL;
  const char *key = content_key (ts, cell, lang, 0, header ? "measure header" : "measure");
  return memo_entry (ts, ts->cell_memo, key, sizeof (CellMemo));
}

/* The memo of cell's text at width. */
static CellText *
cell_text (BbTypeset *ts, const BbNode *cell, const char *lang, gboolean header, double width)
{
  g_autoptr (GString) extra = g_string_new (header ? "text header" : "text");
  append_labels (ts, extra, cell);
  const char *key = content_key (ts, cell, lang, width, extra->str);
  return memo_entry (ts, ts->cell_texts, key, sizeof (CellText));
}

static void
table_free (BbTable *tb)
{
  if (!tb)
    return;
  for (int i = 0; i < tb->nrows * tb->ncols; i++)
    text_free (tb->cells[i]);
  g_free (tb->cells);
  g_free (tb->colx);
  g_free (tb->colw);
  g_free (tb->rowh);
  g_free (tb->rownodes);
  g_free (tb->rowstart);
  g_free (tb);
}

static void
box_free (gpointer p)
{
  BbBox *b = p;
  text_free (b->text);
  text_free (b->aux);
  table_free (b->table);
  g_free (b->fill);
  g_free (b);
}

static void
page_free (gpointer p)
{
  BbPageOut *pg = p;
  g_array_unref (pg->placed);
  g_free (pg->label);
  g_free (pg);
}

typedef struct {
  BbTypeset *ts;
  const BbNode *section;
  const char *lang;
  double width;     /* text block width */
  GPtrArray *out;   /* boxes of this section */
} BoxBuild;

static double
text_height (const BbText *t)
{
  return PT (t->height);
}

static BbBox *
box_add (BoxBuild *bb, BbBoxKind kind, const BbNode *node, double x, double width)
{
  BbBox *b = g_new0 (BbBox, 1);
  b->kind = kind;
  b->node = node;
  b->x = x;
  b->width = width;
  b->min_lines = 2;
  b->tag = "P";
  g_ptr_array_add (bb->out, b);
  return b;
}

static TextStyle
body_style (BoxBuild *bb, const BbNode *n)
{
  const BbLayout *L = bb->ts->layout;
  TextStyle st = { .family = L->body_font, .size = L->body_size, .weight = PANGO_WEIGHT_NORMAL,
                   .style = PANGO_STYLE_NORMAL, .align = PANGO_ALIGN_LEFT, .justify = TRUE,
                   .lang = n && bb_node_lang (n) ? bb_node_lang (n) : bb->lang, .colour = &L->text };
  if (n && (n->flags & BB_FLAG_SMALL))
    st.size = L->small_size;
  if (n && (n->flags & BB_FLAG_CENTER))
    {
      st.align = PANGO_ALIGN_CENTER;
      st.justify = FALSE;
    }
  if (n && (n->flags & BB_FLAG_META))
    {
      st.family = L->heading_font;
      st.size = L->small_size;
      st.justify = FALSE;
      st.colour = &L->rule;
    }
  return st;
}

static void
build_table (BoxBuild *bb, const BbNode *n, double x, double width);
static gsize inline_chars (const BbNode *n);
static void build_blocks (BoxBuild *bb, const BbNode *parent, double x, double width);

#define CELL_PAD 3.5 /* points between a cell's text and its rules */

/* Short entries (BB_FLAG_COLUMNS, a chapter's citation notes: "62  line 3,
 * page 12") are set in as many columns of at least COLUMN_MIN points as the
 * text block holds, COLUMN_GAP apart: three on A4 and on Letter.  One to a
 * line, such an entry filled a sixth of the line; a 1,000-source book's
 * 29,000 notes took about 650 of its 5,300 pages, and most chapters ended on
 * a page of notes alone. */
#define COLUMN_MIN 120.0
#define COLUMN_GAP 14.0

static int
columns_in (double width)
{
  return MAX (1, (int) ((width + COLUMN_GAP) / (COLUMN_MIN + COLUMN_GAP)));
}

static const char *const heading_tags[] = { "H1", "H2", "H3", "H4", "H5", "H6" };

static void
build_block (BoxBuild *bb, const BbNode *n, double x, double width, const char *marker)
{
  const BbLayout *L = bb->ts->layout;
  switch (n->type)
    {
    case BB_NODE_HEADING:
      {
        int lvl = CLAMP (n->level, 1, 6);
        double size = L->heading_size[MIN (lvl, 3) - 1];
        TextStyle st = { .family = L->heading_font, .size = size, .weight = PANGO_WEIGHT_BOLD,
                         .style = PANGO_STYLE_NORMAL, .align = PANGO_ALIGN_LEFT,
                         .lang = bb_node_lang (n) ? bb_node_lang (n) : bb->lang, .colour = &L->accent, .leading = 1.25 };
        BbBox *b = box_add (bb, BB_BOX_TEXT, n, x, width);
        b->text = text_new (bb->ts, n, NULL, &st, width);
        b->space_before = lvl == 1 ? size * 0.6 : size * 1.1;
        b->space_after = size * 0.45;
        b->keep_with_next = TRUE;
        b->min_lines = 0;
        b->tag = heading_tags[lvl - 1];
      }
      break;
    case BB_NODE_PARAGRAPH:
    case BB_NODE_CODE_BLOCK:
      {
        TextStyle st = body_style (bb, n);
        int columns = n->type == BB_NODE_PARAGRAPH && (n->flags & BB_FLAG_COLUMNS) ? columns_in (width) : 0;
        if (columns)
          {
            width = (width - (columns - 1) * COLUMN_GAP) / columns;
            st.justify = FALSE; /* a column's few words would stretch apart */
          }
        BbBox *b = box_add (bb, n->flags & BB_FLAG_LEADER ? BB_BOX_LEADER : BB_BOX_TEXT, n, x, width);
        b->columns = columns;
        if (columns)
          b->min_lines = 0; /* an entry is not split between columns */
        if (n->type == BB_NODE_CODE_BLOCK)
          {
            st.family = L->heading_font;
            st.size = L->small_size;
            st.justify = FALSE;
            b->fill = g_new (BbColour, 1);
            *b->fill = (BbColour) { 0.95, 0.95, 0.96 };
            b->text = text_new (bb->ts, NULL, n->text, &st, width - 8);
            b->x += 4;
          }
        else if (b->kind == BB_BOX_LEADER)
          {
            /* Contents entry: title, dotted leader, page number at the right. */
            st.justify = FALSE;
            st.family = n->level <= 1 ? L->heading_font : L->body_font;
            st.weight = n->level <= 1 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL;
            const BbNode *ref = n->last && n->last->type == BB_NODE_PAGEREF ? n->last : NULL;
            const char *label = ref && bb->ts->refs ? bb_pagemap_label (bb->ts->refs, ref->href) : NULL;
            TextStyle ps = st;
            ps.align = PANGO_ALIGN_RIGHT;
            b->aux = text_new (bb->ts, NULL, label ? label : "00", &ps, 40);
            if (ref && !label)
              bb->ts->placeholders++;
            if (ref && ref->href)
              {
                BbSpan sp = { 0, (int) strlen (b->aux->str), g_strdup (ref->href) };
                b->aux->spans = g_renew (BbSpan, b->aux->spans, b->aux->n_spans + 1);
                b->aux->spans[b->aux->n_spans++] = sp;
              }
            b->aux_x = x + width - 40;
            double indent = n->level > 1 ? 14 * (n->level - 1) : 0;
            b->x = x + indent;
            b->text = text_new_skip (bb->ts, n, NULL, &st, width - indent - 56, ref);
            b->space_before = n->level <= 1 ? 6 : 1;
            b->min_lines = 0;
          }
        else
          b->text = text_new (bb->ts, n, NULL, &st, width);
        if (b->kind != BB_BOX_LEADER)
          b->space_after = (n->flags & (BB_FLAG_SMALL | BB_FLAG_META)) ? L->paragraph_space * 0.5 : L->paragraph_space;
        if (n->flags & BB_FLAG_META)
          {
            b->keep_with_next = TRUE;
            b->space_after = L->paragraph_space * 2.5;
          }
        if (marker)
          {
            TextStyle ms = st;
            ms.justify = FALSE;
            ms.align = PANGO_ALIGN_RIGHT;
            b->aux = text_new (bb->ts, NULL, marker, &ms, 24);
            b->aux_x = x - 28;
          }
      }
      break;
    case BB_NODE_QUOTE:
      {
        guint first = bb->out->len;
        build_blocks (bb, n, x + 16, width - 16);
        for (guint i = first; i < bb->out->len; i++)
          {
            BbBox *b = bb->out->pdata[i];
            if (b->x == x + 16)
              b->bar = 2;
          }
      }
      break;
    case BB_NODE_LIST:
      {
        int num = n->level;
        for (const BbNode *item = n->first; item; item = item->next)
          {
            g_autofree char *m = num ? g_strdup_printf ("%d.", num++) : g_strdup ("•");
            gboolean first = TRUE;
            for (const BbNode *c = item->first; c; c = c->next)
              {
                if (bb_node_is_inline (c))
                  continue;
                build_block (bb, c, x + 20, width - 20, first ? m : NULL);
                first = FALSE;
              }
            if (bb->out->len && item->next)
              ((BbBox *) bb->out->pdata[bb->out->len - 1])->space_after = L->paragraph_space * 0.4;
          }
      }
      break;
    case BB_NODE_ITEM:
      build_blocks (bb, n, x, width);
      break;
    case BB_NODE_TABLE:
      build_table (bb, n, x, width);
      break;
    case BB_NODE_RULE:
      {
        BbBox *b = box_add (bb, BB_BOX_RULE, n, x, width);
        b->space_before = b->space_after = L->paragraph_space * 2;
        b->min_lines = 0;
        b->tag = NULL;
      }
      break;
    default:
      break;
    }
}

static void
build_blocks (BoxBuild *bb, const BbNode *parent, double x, double width)
{
  for (const BbNode *c = parent->first; c; c = c->next)
    if (bb_node_is_block (c))
      build_block (bb, c, x, width, NULL);
}

/* The style of a table cell: header rows in bold sans, figures right. */
static TextStyle
cell_style (const BbLayout *L, const TextStyle *base, gboolean header, const BbNode *cell)
{
  TextStyle cs = *base;
  if (header)
    {
      cs.family = L->heading_font;
      cs.weight = PANGO_WEIGHT_BOLD;
      cs.colour = &L->accent;
    }
  if (cell->flags & BB_FLAG_NUMERIC)
    cs.align = PANGO_ALIGN_RIGHT;
  return cs;
}

/* Unwrapped width of text, and the widest piece between two places where
 * a line may break (its longest word), from one layout. */
static void
measure_cell (BbTypeset *ts, const char *text, const TextStyle *s, double *maxw, double *minw)
{
  PangoLayout *l = bb_typeset_line (ts, s->family, s->size, s->weight, text, -1);
  int n_attrs = 0;
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly (l, &n_attrs);
  const char *str = pango_layout_get_text (l);
  PangoLayoutIter *it = pango_layout_get_iter (l);
  int last_x = 0, best = 0, prev_idx = 0, ci = 0;
  do
    {
      int idx = pango_layout_iter_get_index (it);
      ci += (int) g_utf8_strlen (str + prev_idx, idx - prev_idx);
      prev_idx = idx;
      PangoRectangle r;
      pango_layout_iter_get_cluster_extents (it, NULL, &r);
      if (ci > 0 && ci < n_attrs && attrs[ci].is_line_break)
        {
          best = MAX (best, r.x - last_x);
          last_x = r.x;
        }
    }
  while (pango_layout_iter_next_cluster (it));
  pango_layout_iter_free (it);
  int w;
  pango_layout_get_size (l, &w, NULL);
  best = MAX (best, w - last_x);
  *maxw = PT (w);
  *minw = PT (best);
  g_object_unref (l);
}

/* Column widths in the manner of HTML's automatic table layout: each column
 * between its longest word and its unwrapped width, shared out in
 * proportion. */
static void
table_columns (BbTypeset *ts, BbTable *tb, const BbNode *table, double width, const TextStyle *st,
               gboolean memo)
{
  double *minw = g_new0 (double, tb->ncols), *maxw = g_new0 (double, tb->ncols);
  int r = 0;
  for (const BbNode *row = table->first; row; row = row->next, r++)
    {
      int c = 0;
      for (const BbNode *cell = row->first; cell && c < tb->ncols; cell = cell->next, c++)
        {
          CellMemo *m = memo ? cell_memo (ts, cell, st->lang, r < tb->nheader) : NULL;
          double cmax, cmin;
          if (m && m->measured)
            cmax = m->maxw, cmin = m->minw;
          else
            {
              g_autofree char *plain = bb_node_plain (cell);
              TextStyle s = cell_style (ts->layout, st, r < tb->nheader, cell);
              measure_cell (ts, plain, &s, &cmax, &cmin);
              if (m)
                m->measured = TRUE, m->maxw = cmax, m->minw = cmin;
            }
          maxw[c] = MAX (maxw[c], cmax);
          /* a column never gets narrower than its longest word if it can */
          minw[c] = MAX (minw[c], MIN (cmin, width / 3));
        }
    }
  double pad2 = 2 * tb->pad + 1, smin = 0, smax = 0;
  for (int c = 0; c < tb->ncols; c++)
    {
      minw[c] += pad2;
      maxw[c] = MAX (maxw[c] + pad2, minw[c]);
      smin += minw[c];
      smax += maxw[c];
    }
  for (int c = 0; c < tb->ncols; c++)
    {
      if (smax <= width)
        tb->colw[c] = maxw[c] + (width - smax) * (maxw[c] / smax);
      else if (smin >= width)
        tb->colw[c] = width * minw[c] / smin;
      else
        tb->colw[c] = minw[c] + (maxw[c] - minw[c]) * (width - smin) / (smax - smin);
    }
  double xx = 0;
  for (int c = 0; c < tb->ncols; c++)
    {
      tb->colx[c] = xx;
      xx += tb->colw[c];
    }
  g_free (minw);
  g_free (maxw);
}

/* Column widths a generated table declares (node.h): shares of width.
 * They do not depend on what the cells hold, so a table that grows row by
 * row keeps its columns (and the cells laid out for them) from one edition
 * to the next, and nothing needs measuring. */
static gboolean
fixed_columns (BbTable *tb, const BbNode *table, double width)
{
  if (!table->text)
    return FALSE;
  g_auto (GStrv) parts = g_strsplit_set (table->text, " ", -1);
  double share[64], sum = 0;
  int n = 0;
  for (int i = 0; parts[i]; i++)
    {
      if (!*parts[i])
        continue;
      char *end = NULL;
      double v = g_ascii_strtod (parts[i], &end);
      if (!end || *end || !(v > 0 && v < 1000) || n == (int) G_N_ELEMENTS (share))
        return FALSE;
      share[n++] = v;
      sum += v;
    }
  if (n != tb->ncols)
    return FALSE;
  double x = 0;
  for (int c = 0; c < n; c++)
    {
      tb->colx[c] = x;
      tb->colw[c] = width * share[c] / sum;
      x += tb->colw[c];
    }
  return TRUE;
}

static TextStyle
table_style (const BbLayout *L, const BbNode *table, const char *lang)
{
  return (TextStyle) { .family = L->body_font, .size = L->small_size + 0.5, .weight = PANGO_WEIGHT_NORMAL,
                       .style = PANGO_STYLE_NORMAL, .align = PANGO_ALIGN_LEFT,
                       .lang = bb_node_lang (table) ? bb_node_lang (table) : lang, .colour = &L->text, .leading = 1.3 };
}

static void
build_table (BoxBuild *bb, const BbNode *n, double x, double width)
{
  const BbLayout *L = bb->ts->layout;
  BbTable *tb = g_new0 (BbTable, 1);
  for (const BbNode *row = n->first; row; row = row->next)
    {
      int c = 0;
      for (const BbNode *cell = row->first; cell; cell = cell->next)
        c++;
      tb->ncols = MAX (tb->ncols, c);
      tb->nrows++;
    }
  if (tb->ncols == 0 || tb->nrows == 0)
    {
      table_free (tb);
      return;
    }
  tb->nheader = CLAMP (n->level, 0, tb->nrows - 1);
  tb->pad = CELL_PAD;
  tb->colx = g_new0 (double, tb->ncols);
  tb->colw = g_new0 (double, tb->ncols);
  tb->rowh = g_new0 (double, tb->nrows);
  tb->cells = g_new0 (BbText *, (gsize) tb->nrows * (gsize) tb->ncols);
  tb->rownodes = g_new0 (const BbNode *, tb->nrows);
  tb->rowstart = g_new0 (gsize, tb->nrows + 1);
  /* A table whose print depends on the page map is built again whenever a
   * label it cites changes; its cells are kept (see cell_memo). */
  gboolean memo = cites_pages (n);
  TextStyle st = table_style (L, n, bb->lang);
  if (!fixed_columns (tb, n, width))
    table_columns (bb->ts, tb, n, width, &st, memo);
  int r = 0;
  for (const BbNode *row = n->first; row; row = row->next, r++)
    {
      tb->rownodes[r] = row;
      tb->rowstart[r + 1] = tb->rowstart[r] + inline_chars (row);
      int c = 0;
      double h = 0;
      for (const BbNode *cell = row->first; cell && c < tb->ncols; cell = cell->next, c++)
        {
          double w = tb->colw[c] - 2 * tb->pad;
          CellText *m = memo ? cell_text (bb->ts, cell, st.lang, r < tb->nheader, w) : NULL;
          BbText *t = m && m->text ? text_ref (m->text) : NULL;
          if (!t)
            {
              TextStyle cs = cell_style (L, &st, r < tb->nheader, cell);
              guint before = bb->ts->placeholders;
              t = text_new (bb->ts, cell, NULL, &cs, w);
              if (m && (bb->ts->keep_glyphs || bb->ts->placeholders == before))
                m->text = text_ref (t);
            }
          tb->cells[r * tb->ncols + c] = t;
          h = MAX (h, text_height (t));
        }
      tb->rowh[r] = h + 2 * tb->pad;
    }
  BbBox *b = box_add (bb, BB_BOX_TABLE, n, x, width);
  b->table = tb;
  b->tag = "Table";
  b->space_before = L->paragraph_space;
  b->space_after = L->paragraph_space * 2;
}

/* ---- pagination ---------------------------------------------------------- */

typedef struct {
  BbTypeset *ts;
  const BbBook *book;
  BbPageMap *map;
  double height;       /* text block height */
  BbPageOut *page;     /* current page or NULL */
  double y;
  guint front_count, body_count;
} Flow;

static char *
roman (guint n)
{
  static const struct { guint v; const char *s; } t[] = {
    { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
    { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" } };
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    while (n >= t[i].v)
      {
        g_string_append (s, t[i].s);
        n -= t[i].v;
      }
  return g_string_free (s, FALSE);
}

static gboolean
section_is_front (const BbNode *section)
{
  return section->kind == BB_SECTION_COVER || section->kind == BB_SECTION_CONTENTS
         || section->kind == BB_SECTION_FRONT;
}

static void
new_page (Flow *f, const BbNode *section)
{
  BbPageOut *pg = g_new0 (BbPageOut, 1);
  pg->placed = g_array_new (FALSE, FALSE, sizeof (BbPlaced));
  pg->section = section;
  pg->front = section_is_front (section);
  pg->label = pg->front ? roman (++f->front_count) : g_strdup_printf ("%u", ++f->body_count);
  g_ptr_array_add (f->ts->pages, pg);
  f->page = pg;
  f->y = 0;
}

/* Characters of inline text below n, counted as pagemap.h says. */
static gsize
inline_chars (const BbNode *n)
{
  gsize k = 0;
  for (const BbNode *c = n; c; c = bb_node_next_in (n, c))
    if ((c->type == BB_NODE_TEXT || c->type == BB_NODE_CODE) && c->text)
      k += (gsize) g_utf8_strlen (c->text, -1);
  return k;
}

static void
page_record_at (Flow *f, BbBox *box, int first, int last, double x, double y)
{
  BbPlaced p = { box, first, last, y, x };
  g_array_append_val (f->page->placed, p);
  guint idx = f->ts->pages->len - 1;
  const BbNode *n = box->node;
  /* The first content on a page opens it in the page map. */
  if (f->page->placed->len == 1)
    {
      gsize off = 0;
      if (box->kind == BB_BOX_TEXT && first > 0)
        off = bb_text_offset_at (box->text, box->text->lines[first].start_index);
      /* a table continued from the previous page opens at its row `first` */
      if (box->kind == BB_BOX_TABLE && first > box->table->nheader)
        off = box->table->rowstart[first];
      const BbNode *a = n;
      while (a && !bb_node_anchor (a))
        a = a->parent;
      bb_pagemap_set_start (f->map, idx, a ? bb_node_anchor (a) : NULL, a == n ? off : 0);
    }
  /* A box's own anchor goes where it starts: a table's first piece begins
   * at its first body row (the header rows are drawn above it). */
  int opening = box->kind == BB_BOX_TABLE ? box->table->nheader : 0;
  if (first == opening && bb_node_anchor (n))
    bb_pagemap_set_anchor (f->map, bb_node_anchor (n), idx);
  /* table rows may carry anchors of their own (generated tables) */
  if (box->kind == BB_BOX_TABLE)
    for (int r = first; r < last; r++)
      if (bb_node_anchor (box->table->rownodes[r]))
        bb_pagemap_set_anchor (f->map, bb_node_anchor (box->table->rownodes[r]), idx);
}

static void
page_record (Flow *f, BbBox *box, int first, int last, double y)
{
  page_record_at (f, box, first, last, 0, y);
}

static void
open_page (Flow *f, const BbNode *section)
{
  new_page (f, section);
  bb_pagemap_add_page (f->map, f->page->label, f->page->front, NULL, 0);
  if (bb_node_anchor (section))
    bb_pagemap_set_anchor (f->map, bb_node_anchor (section), f->ts->pages->len - 1);
}

static double
line_bottom (const BbText *t, int first, int last)
{
  const BbLine *a = &t->lines[first];
  const BbLine *b = &t->lines[last - 1];
  return PT (b->y + b->height - a->y);
}

static double
table_rows_height (const BbTable *tb, int first, int last)
{
  double h = 0;
  for (int r = first; r < last; r++)
    h += tb->rowh[r];
  return h;
}

/* Height of the smallest piece of box that may open a page. */
static double
min_piece (const BbBox *b)
{
  switch (b->kind)
    {
    case BB_BOX_TEXT:
    case BB_BOX_LEADER:
      {
        int n = (int) b->text->n_lines;
        int k = (b->min_lines == 0 || n <= 3) ? n : b->min_lines;
        return line_bottom (b->text, 0, k);
      }
    case BB_BOX_TABLE:
      return table_rows_height (b->table, 0, MIN (b->table->nrows, b->table->nheader + 1));
    default:
      return 1;
    }
}

/* Fills up to ncol columns of height cap with the entries boxes[from..to),
 * each column top to bottom before the next; returns how many fit, and
 * the height of the tallest column in *used.  With place, records them on
 * the page at f->y. */
static guint
column_fill (Flow *f, GPtrArray *boxes, guint from, guint to, double cap, gboolean place, double *used)
{
  int ncol = ((BbBox *) boxes->pdata[from])->columns;
  int c = 0;
  double y = 0, tallest = 0;
  guint k = from;
  for (; k < to; k++)
    {
      BbBox *b = boxes->pdata[k];
      double h = text_height (b->text);
      double gap = y > 0 ? ((BbBox *) boxes->pdata[k - 1])->space_after : 0;
      if (y + gap + h > cap + 0.01)
        {
          if (y == 0 || ++c == ncol)
            break;
          y = gap = 0;
          if (h > cap + 0.01)
            break;
        }
      if (place)
        page_record_at (f, b, 0, (int) b->text->n_lines, c * (b->width + COLUMN_GAP), f->y + y + gap);
      y += gap + h;
      tallest = MAX (tallest, y);
    }
  *used = tallest;
  return k - from;
}

/* Flows the run of entries set in columns that starts at boxes[i], and
 * returns the index after it.  Each page's columns are filled in turn;
 * on the run's last page they are balanced: the lowest height that holds
 * what is left, found by bisection. */
static guint
flow_columns (Flow *f, GPtrArray *boxes, guint i, const BbNode *section)
{
  const BbBox *b0 = boxes->pdata[i];
  guint end = i;
  while (end < boxes->len && ((BbBox *) boxes->pdata[end])->columns == b0->columns)
    end++;
  if (f->page->placed->len)
    f->y += b0->space_before;
  for (guint k = i; k < end;)
    {
      double used, cap = f->height - f->y;
      guint fit = column_fill (f, boxes, k, end, cap, FALSE, &used);
      if (fit == 0 && f->page->placed->len)
        {
          open_page (f, section);
          continue;
        }
      if (fit == 0) /* taller than a page: alone, clipped */
        {
          cap = text_height (((BbBox *) boxes->pdata[k])->text);
          fit = 1;
        }
      else if (k + fit == end)
        {
          double lo = 0, hi = used;
          for (int step = 0; step < 24 && hi - lo > 0.05; step++)
            {
              double mid = (lo + hi) / 2;
              if (column_fill (f, boxes, k, end, mid, FALSE, &used) == end - k)
                hi = mid;
              else
                lo = mid;
            }
          cap = hi;
        }
      fit = column_fill (f, boxes, k, k + fit, cap, TRUE, &used);
      f->y += used;
      k += fit;
      if (k < end)
        open_page (f, section);
    }
  f->y += ((BbBox *) boxes->pdata[end - 1])->space_after;
  return end;
}

/* Flows boxes[i] (or the run of entries in columns it starts) and returns
 * the index of the next box to flow. */
static guint
flow_box (Flow *f, GPtrArray *boxes, guint i, const BbNode *section)
{
  BbBox *b = boxes->pdata[i];
  if (b->columns)
    return flow_columns (f, boxes, i, section);
  double H = f->height;
  double sb = f->page->placed->len ? b->space_before : 0;
  /* keep-with-next chain */
  double need = sb + (b->kind == BB_BOX_RULE ? 1 : min_piece (b));
  if (b->kind == BB_BOX_TEXT && b->min_lines == 0)
    need = sb + text_height (b->text);
  for (guint j = i; j + 1 < boxes->len && ((BbBox *) boxes->pdata[j])->keep_with_next; j++)
    {
      BbBox *nb = boxes->pdata[j + 1];
      need += ((BbBox *) boxes->pdata[j])->space_after + nb->space_before + min_piece (nb);
      if (nb->kind == BB_BOX_TEXT && nb->min_lines == 0 && nb->keep_with_next)
        need += text_height (nb->text) - min_piece (nb);
    }
  if (f->page->placed->len && f->y + need > H)
    {
      open_page (f, section);
      sb = 0;
    }
  f->y += sb;

  if (b->kind == BB_BOX_RULE)
    {
      page_record (f, b, 0, 1, f->y);
      f->y += 1 + b->space_after;
      return i + 1;
    }
  if (b->kind == BB_BOX_TABLE)
    {
      BbTable *tb = b->table;
      int r = tb->nheader;
      double hh = table_rows_height (tb, 0, tb->nheader);
      while (r < tb->nrows)
        {
          double y0 = f->y;
          int start = r;
          double h = hh;
          while (r < tb->nrows && f->y + h + tb->rowh[r] <= H)
            h += tb->rowh[r++];
          if (r == start)
            {
              if (f->page->placed->len)
                {
                  open_page (f, section);
                  continue;
                }
              h += tb->rowh[r++]; /* taller than a page: alone, clipped */
            }
          /* first/last encode body rows; header rows are drawn before them */
          page_record (f, b, start, r, y0);
          f->y = y0 + h;
          if (r < tb->nrows)
            open_page (f, section);
        }
      if (tb->nrows == tb->nheader)
        {
          page_record (f, b, tb->nheader, tb->nheader, f->y);
          f->y += hh;
        }
      f->y += b->space_after;
      return i + 1;
    }
  /* text */
  BbText *t = b->text;
  int n = (int) t->n_lines;
  int first = 0;
  while (first < n)
    {
      int k = first;
      while (k < n && f->y + line_bottom (t, first, k + 1) <= H + 0.01)
        k++;
      if (k < n)
        {
          /* widow/orphan control */
          int m = b->min_lines;
          if (m == 0 || n <= 3)
            k = first; /* never split */
          else
            {
              if (n - k < m)
                k = n - m;
              if (k - first < m && !(first > 0 && k - first >= 1 && f->page->placed->len == 0))
                k = first;
            }
          if (k <= first)
            {
              if (f->page->placed->len == 0)
                {
                  /* nothing fits on an empty page: take what fits, at least a line */
                  k = first + 1;
                  while (k < n && f->y + line_bottom (t, first, k + 1) <= H)
                    k++;
                }
              else
                {
                  open_page (f, section);
                  continue;
                }
            }
        }
      page_record (f, b, first, k, f->y);
      f->y += line_bottom (t, first, k);
      first = k;
      if (first < n)
        open_page (f, section);
    }
  f->y += b->space_after;
  return i + 1;
}

/* ---- letting go of what is drawn ------------------------------------------ */

/* Calls f on every text drawn on page i. */
static void
page_texts (BbTypeset *ts, guint i, void (*f) (BbText *, const guint *), const guint *arg)
{
  const BbPageOut *pg = ts->pages->pdata[i];
  for (guint k = 0; k < pg->placed->len; k++)
    {
      const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, k);
      const BbBox *b = p->box;
      if (b->text)
        f (b->text, arg);
      if (b->aux)
        f (b->aux, arg);
      if (!b->table)
        continue;
      const BbTable *tb = b->table;
      for (int r = 0; r < tb->nrows; r++)
        if (r < tb->nheader || (r >= p->first && r < p->last))
          for (int c = 0; c < tb->ncols; c++)
            if (tb->cells[r * tb->ncols + c])
              f (tb->cells[r * tb->ncols + c], arg);
    }
}

/* arg: the page, and the first page of the run drawing it */
static void
mark_pages (BbText *t, const guint *arg)
{
  if (t->first_page == G_MAXUINT)
    t->first_page = arg[0];
  t->last_page = arg[0];
}

static void
unmark (BbText *t, const guint *arg)
{
  (void) arg;
  t->first_page = G_MAXUINT;
}

/* Pages are drawn in runs, several at once (pdf.c): a text drawn by one run
 * alone goes after its last page; one that pages of two runs draw stays
 * (the runs share a few: a paragraph across their seam, a table's header
 * row and the cells that equal contents share). */
static void
release_if_last (BbText *t, const guint *arg)
{
  if (t->last_page == arg[0] && t->first_page >= arg[1])
    g_clear_pointer (&t->glyphs, bb_glyphs_unref);
}

void
bb_typeset_keep_glyphs (BbTypeset *ts, gboolean keep)
{
  ts->keep_glyphs = keep;
}

gboolean
bb_typeset_keeps_glyphs (const BbTypeset *ts)
{
  return ts->keep_glyphs;
}

gpointer
bb_typeset_get_drawn (const BbTypeset *ts)
{
  return ts->drawn;
}

void
bb_typeset_set_drawn (BbTypeset *ts, gpointer data, GDestroyNotify free_data)
{
  if (ts->drawn && ts->drawn_free)
    ts->drawn_free (ts->drawn);
  ts->drawn = data;
  ts->drawn_free = free_data;
}

void
bb_typeset_draw_begin (BbTypeset *ts)
{
  if (ts->keep_glyphs)
    return;
  /* pages in order: each text learns the first and last page that draw it */
  for (guint k = 0; k < ts->pages->len; k++)
    page_texts (ts, k, unmark, (guint[]) { k, 0 });
  for (guint k = 0; k < ts->pages->len; k++)
    page_texts (ts, k, mark_pages, (guint[]) { k, 0 });
}

void
bb_typeset_page_drawn (BbTypeset *ts, guint i, guint run_first)
{
  if (ts->keep_glyphs || i >= ts->pages->len)
    return;
  page_texts (ts, i, release_if_last, (guint[]) { i, run_first });
}

/* ---- the box cache --------------------------------------------------------- */

/* The boxes of one top-level block.  They point at nodes of the block that
 * made them (box->node, a table's rows); a later build finds them by content
 * and points them at its own, equal, block: index holds each box's node as
 * its position in the block's preorder. */
typedef struct {
  guint generation;     /* the last build that used them (first: see stale) */
  GPtrArray *boxes;     /* BbBox*, owned */
  guint *index;         /* per box */
  const BbNode *root;   /* the block they point into */
} Cached;

static void
cached_free (gpointer p)
{
  Cached *c = p;
  g_ptr_array_unref (c->boxes);
  g_free (c->index);
  g_free (c);
}

static const char *
block_key (BbTypeset *ts, const BbNode *block, const char *lang, double width)
{
  g_autoptr (GString) extra = g_string_new ("block");
  append_labels (ts, extra, block);
  return content_key (ts, block, lang, width, extra->str);
}

static Cached *
cache_boxes (BbTypeset *ts, const BbNode *block, const char *lang, double width, GPtrArray *boxes)
{
  Cached *c = g_new0 (Cached, 1);
  c->boxes = boxes;
  g_ptr_array_set_free_func (boxes, box_free);
  c->index = g_new0 (guint, boxes->len ? boxes->len : 1);
  c->root = block;
  c->generation = ts->generation;
  g_autoptr (GHashTable) order = g_hash_table_new (NULL, NULL);
  guint k = 0;
  for (const BbNode *n = block; n; n = bb_node_next_in (block, n))
    g_hash_table_insert (order, (gpointer) n, GUINT_TO_POINTER (k++));
  for (guint i = 0; i < boxes->len; i++)
    c->index[i] = GPOINTER_TO_UINT (g_hash_table_lookup (order, ((BbBox *) boxes->pdata[i])->node));
  g_hash_table_replace (ts->box_cache, g_strdup (block_key (ts, block, lang, width)), c);
  return c;
}

/* The cached boxes of block, pointed at it; NULL when there are none.
 * *taken: an equal block elsewhere in this very build (no anchor tells
 * them apart) has them, so this one's boxes must not be cached. */
static Cached *
cached_boxes (BbTypeset *ts, const BbNode *block, const char *lang, double width, gboolean *taken)
{
  *taken = FALSE;
  Cached *c = g_hash_table_lookup (ts->box_cache, block_key (ts, block, lang, width));
  if (!c)
    return NULL;
  if (c->generation != ts->generation)
    ts->reused++;
  if (c->root != block)
    {
      if (c->generation == ts->generation)
        {
          *taken = TRUE;
          return NULL;
        }
      g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
      for (const BbNode *n = block; n; n = bb_node_next_in (block, n))
        g_ptr_array_add (nodes, (gpointer) n);
      for (guint i = 0; i < c->boxes->len; i++)
        {
          BbBox *b = c->boxes->pdata[i];
          b->node = c->index[i] < nodes->len ? nodes->pdata[c->index[i]] : block;
          if (b->table)
            {
              int r = 0;
              for (const BbNode *row = b->node->first; row && r < b->table->nrows; row = row->next)
                b->table->rownodes[r++] = row;
            }
        }
      c->root = block;
    }
  c->generation = ts->generation;
  return c;
}

static gboolean
stale (gpointer key, gpointer value, gpointer user)
{
  (void) key;
  /* every memo type starts with its generation */
  return *(guint *) value != GPOINTER_TO_UINT (user);
}

static PangoContext *
context_new (PangoFontMap *fm)
{
  PangoContext *context = pango_font_map_create_context (fm);
  /* Lay out in the PDF's own units: no hinting, no rounding, so positions
   * are the same whatever surface draws them. */
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (context, FALSE);
  /* Sizes in layouts are points and the PDF's unit is the point. */
  pango_cairo_context_set_resolution (context, 72);
  return context;
}

/* Every setting of a layout, as text: equal prints lay out the same. */
static char *
layout_print (const BbLayout *L)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s|%s|%s|" "%a|%a|%a|%a|%a|%a|%a|%a|" "%a|%a|%a|%a|%a|%a|%a|%a|", L->name,
                          L->body_font, L->heading_font, L->width, L->height, L->margin_top,
                          L->margin_bottom, L->margin_inner, L->margin_outer, L->header_gap,
                          L->footer_gap, L->body_size, L->small_size, L->title_size,
                          L->heading_size[0], L->heading_size[1], L->heading_size[2], L->leading,
                          L->paragraph_space);
  const BbColour *c[] = { &L->text, &L->accent, &L->rule, &L->marking };
  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    g_string_append_printf (s, "%a,%a,%a|", c[i]->r, c[i]->g, c[i]->b);
  return g_string_free (s, FALSE);
}

gboolean
bb_typeset_reuse (BbTypeset *ts, const BbLayout *layout, BbDiag *diag)
{
  g_autofree char *print = layout_print (layout);
  if (!g_str_equal (print, ts->layout_print))
    return FALSE;
  ts->layout = layout;
  ts->diag = diag;
  return TRUE;
}

typedef struct {
  char *key;          /* the block's key (labels included) when laid out */
  GPtrArray *boxes;
} Taken;

static void
taken_free (gpointer p)
{
  Taken *t = p;
  g_free (t->key);
  g_ptr_array_unref (t->boxes);
  g_free (t);
}

/* The caches of a typeset, empty. */
static void
caches_new (BbTypeset *ts)
{
  ts->taken = g_hash_table_new_full (NULL, NULL, NULL, taken_free);
  ts->box_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_free);
  ts->cell_memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ts->cell_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cell_text_free);
  ts->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ts->short_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, short_text_free);
  ts->provisional = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

static void
caches_free (BbTypeset *ts)
{
  g_hash_table_unref (ts->taken);
  g_hash_table_unref (ts->box_cache);
  g_hash_table_unref (ts->cell_memo);
  g_hash_table_unref (ts->cell_texts);
  g_hash_table_unref (ts->keys);
  g_hash_table_unref (ts->short_texts);
  g_ptr_array_unref (ts->provisional);
}

/* ---- laying out blocks on several threads ---------------------------------
 *
 * Before the first pass, the top-level blocks that cite no pages (nearly
 * all of a big book: chapters, their tables) and the cells that cite no
 * pages of tables that do (the chronology, the index) are laid out on
 * every processor (bb_parallel_for), each thread with a typeset of its
 * own: its own font map, context, hyphenator and caches.  The first pass
 * then takes their boxes and texts instead of laying them out, in book
 * order, so pages and caches come out as a single thread would make them.
 *
 * Pango 1.50 is not safe for this as it is.  Its font metrics (which line
 * breaking asks for, to know how far from the end of a line to look closely)
 * are computed on first use per font and language and cached in the font,
 * behind a recursion guard that is one static int for the whole process
 * (pangocairo-font.c, _pango_cairo_font_get_metrics: in_get_metrics).  A
 * thread that computes a font's metrics while another is doing so skips
 * the derived ones and caches an approximate character width of 0 for
 * good; from then on its line breaking takes another path, one where a
 * hyphen added at a line end is counted the wrong way (pango-layout.c,
 * add_missing_hyphen: remaining_width += its width), and every justified
 * line ending in a hyphen gets its spaces widened by a hyphen's width.
 * Seen as lines of one thread differing from a single thread's in about
 * one run in three.
 *
 * So the metrics are computed one thread at a time: each worker computes
 * those of the fonts the book uses before it starts (worker_warm), and a
 * worker whose last block still needed new ones lays out its next under
 * the same lock.  And a worker checks, after each text it lays out, that
 * every font and language its lines used has sound metrics (worker_check).
 * A text with a damaged font is not kept: the worker drops the block it
 * was laying out, takes a new font map (fresh fonts, whose metrics are
 * computed again) and lays the block out again.  Texts laid out before the
 * damage were checked and stand; the font maps they use are kept as long
 * as the typeset.  Measured at 1,000 sources: without the warming, 4 to 26
 * font maps renewed per build; with it, none in five builds. */

typedef struct _Worker {
  BbTypeset ts;          /* its own: font map, context, hyphenator, caches */
  GHashTable *sound;     /* "font language" pairs checked */
  gboolean damaged;      /* a font of this map has lost its metrics */
  gboolean warm;         /* its last block needed no metrics computed */
  GPtrArray *fonts;      /* fonts given their metrics up front (worker_warm) */
} Worker;

/* A top-level block to lay out, or a cell of a table that cites pages
 * (the chronology, the index: the first pass takes its text from
 * cell_texts). */
typedef struct {
  const BbNode *node;
  const char *lang;      /* a block's section language */
  char *key;             /* a cell's key in cell_texts; NULL for a block */
  TextStyle style;       /* a cell's */
  double width;          /* a cell's */
  gpointer result;       /* a block's boxes (GPtrArray), a cell's BbText */
} Job;

typedef struct {
  BbTypeset *ts;         /* the book's */
  GArray *jobs;          /* Job */
  GPtrArray *langs;      /* PangoLanguage*: every language in the book */
  gboolean unguarded;    /* BRIEFING_PRELAYOUT_COLD: no warming, no cold
                            lock, so fonts get damaged and worker_check
                            must catch it (e2e-threads) */
  double width;
  GMutex lock;           /* workers and font maps */
  GMutex cold;           /* held by a worker whose fonts are still getting
                            their metrics: two such at once damage them */
  GHashTable *workers;   /* GThread* → Worker* */
  guint fresh_maps;      /* made because a font map was damaged */
} Prelayout;

static void
worker_check (Worker *w, PangoLayout *layout)
{
  for (GSList *l = pango_layout_get_lines_readonly (layout); l; l = l->next)
    for (GSList *r = ((PangoLayoutLine *) l->data)->runs; r; r = r->next)
      {
        PangoItem *item = ((PangoGlyphItem *) r->data)->item;
        char key[64];
        /* the metrics are cached per font and sample text */
        const char *sample = pango_language_get_sample_string (item->analysis.language);
        g_snprintf (key, sizeof key, "%p %p", (void *) item->analysis.font, (const void *) sample);
        if (g_hash_table_contains (w->sound, key))
          continue;
        PangoFontMetrics *m = pango_font_get_metrics (item->analysis.font, item->analysis.language);
        gboolean ok = pango_font_metrics_get_approximate_char_width (m) > 0;
        pango_font_metrics_unref (m);
        if (ok)
          g_hash_table_add (w->sound, g_strdup (key));
        else
          w->damaged = TRUE;
      }
}

/* Computes the metrics of the fonts and languages the book's texts use,
 * one worker at a time, so that laying out in parallel rarely computes
 * any.  A specimen per base style (the body family at the body, small and
 * table sizes; the heading family bold at the heading sizes, and at the
 * small size) carries what build_inlines applies (bold, italic, both,
 * code, a citation's superscript); every font its lines use gets its
 * metrics in every language of the book.  A font missed here is still
 * checked by worker_check. */
static void
worker_warm (Prelayout *p, Worker *w)
{
  const BbLayout *L = p->ts->layout;
  const struct { const char *family; double size; PangoWeight weight; } bases[] = {
    { L->body_font, L->body_size, PANGO_WEIGHT_NORMAL },
    { L->body_font, L->small_size, PANGO_WEIGHT_NORMAL },
    { L->body_font, L->small_size + 0.5, PANGO_WEIGHT_NORMAL },
    { L->heading_font, L->small_size, PANGO_WEIGHT_NORMAL },
    { L->heading_font, L->heading_size[0], PANGO_WEIGHT_BOLD },
    { L->heading_font, L->heading_size[1], PANGO_WEIGHT_BOLD },
    { L->heading_font, L->heading_size[2], PANGO_WEIGHT_BOLD },
  };
  /* "a b c d e f": plain, bold, italic, bold italic, code, superscript */
  static const char specimen[] = "a b c d e f";
  g_ptr_array_set_size (w->fonts, 0);
  g_mutex_lock (&p->cold);
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      PangoLayout *layout = pango_layout_new (w->ts.context);
      PangoFontDescription *fd = pango_font_description_new ();
      pango_font_description_set_family (fd, bases[i].family);
      pango_font_description_set_size (fd, PU (bases[i].size));
      pango_font_description_set_weight (fd, bases[i].weight);
      pango_layout_set_font_description (layout, fd);
      pango_font_description_free (fd);
      PangoAttrList *attrs = pango_attr_list_new ();
      PangoAttribute *a[] = {
        pango_attr_weight_new (PANGO_WEIGHT_BOLD), pango_attr_style_new (PANGO_STYLE_ITALIC),
        pango_attr_weight_new (PANGO_WEIGHT_BOLD), pango_attr_style_new (PANGO_STYLE_ITALIC),
        pango_attr_family_new (L->heading_font), pango_attr_scale_new (0.9),
        pango_attr_font_scale_new (PANGO_FONT_SCALE_SUPERSCRIPT),
      };
      const guint at[] = { 2, 4, 6, 6, 8, 8, 10 };
      for (guint k = 0; k < G_N_ELEMENTS (a); k++)
        {
          a[k]->start_index = at[k];
          a[k]->end_index = at[k] + 1;
          pango_attr_list_insert (attrs, a[k]);
        }
      pango_layout_set_text (layout, specimen, -1);
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      for (GSList *r = pango_layout_get_line_readonly (layout, 0)->runs; r; r = r->next)
        {
          PangoFont *font = ((PangoGlyphItem *) r->data)->item->analysis.font;
          if (g_ptr_array_find (w->fonts, font, NULL))
            continue;
          for (guint l = 0; l < p->langs->len; l++)
            pango_font_metrics_unref (pango_font_get_metrics (font, p->langs->pdata[l]));
          g_ptr_array_add (w->fonts, g_object_ref (font)); /* kept with their metrics */
        }
      g_object_unref (layout);
    }
  g_mutex_unlock (&p->cold);
}

/* Gives w a font map and context: a spare one if there is one, else new.
 * Called with p->lock held. */
static gboolean
worker_take_map (Prelayout *p, Worker *w)
{
  PangoFontMap *fm = p->ts->spare_maps->len ? g_ptr_array_steal_index (p->ts->spare_maps, p->ts->spare_maps->len - 1)
                                            : bb_fonts_fresh_fontmap (NULL);
  if (!fm)
    return FALSE;
  w->ts.fontmap = fm;
  w->ts.context = context_new (fm);
  return TRUE;
}

static Worker *
worker_get (Prelayout *p)
{
  g_mutex_lock (&p->lock);
  Worker *w = g_hash_table_lookup (p->workers, g_thread_self ());
  if (!w)
    {
      w = g_new0 (Worker, 1);
      w->ts.layout = p->ts->layout;
      w->ts.natural_height = p->ts->natural_height;
      w->ts.generation = p->ts->generation;
      w->ts.hyphen_en = bb_hyphen_new ("en");
      w->ts.worker = w;
      caches_new (&w->ts);
      w->sound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      w->fonts = g_ptr_array_new_with_free_func (g_object_unref);
      if (!worker_take_map (p, w))
        g_clear_pointer (&w->ts.hyphen_en, bb_hyphen_free);
      g_hash_table_insert (p->workers, g_thread_self (), w);
      g_mutex_unlock (&p->lock);
      if (w->ts.context && !p->unguarded)
        worker_warm (p, w);
      return w->ts.context ? w : NULL;
    }
  g_mutex_unlock (&p->lock);
  return w->ts.context ? w : NULL;
}

/* After damage: the old map is kept (texts checked before use its fonts),
 * the caches go (a short text may have been laid out with a damaged font). */
static gboolean
worker_renew (Prelayout *p, Worker *w)
{
  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->ts->kept_maps, w->ts.fontmap);
  g_clear_object (&w->ts.context);
  w->ts.fontmap = NULL;
  p->fresh_maps++;
  /* never a spare map: it may have been damaged the same way */
  PangoFontMap *fm = bb_fonts_fresh_fontmap (NULL);
  if (fm)
    {
      w->ts.fontmap = fm;
      w->ts.context = context_new (fm);
    }
  g_mutex_unlock (&p->lock);
  caches_free (&w->ts);
  caches_new (&w->ts);
  g_hash_table_remove_all (w->sound);
  w->damaged = FALSE;
  w->warm = FALSE;
  if (w->ts.context && !p->unguarded)
    worker_warm (p, w);
  return w->ts.context != NULL;
}

static void
prelayout_one (guint i, gpointer data)
{
  Prelayout *p = data;
  Worker *w = worker_get (p);
  Job *job = &g_array_index (p->jobs, Job, i);
  for (int attempt = 0; w && attempt < 8; attempt++)
    {
      gboolean warm = w->warm || p->unguarded;
      guint known = g_hash_table_size (w->sound);
      if (!warm)
        g_mutex_lock (&p->cold);
      BoxBuild bb = { &w->ts, NULL, job->lang, p->width, NULL };
      BbText *text = NULL;
      if (job->key)
        text = text_new (&w->ts, job->node, NULL, &job->style, job->width);
      else
        {
          bb.out = g_ptr_array_new_with_free_func (box_free);
          build_block (&bb, job->node, 0, p->width, NULL);
        }
      if (!warm)
        g_mutex_unlock (&p->cold);
      w->warm = !w->damaged && g_hash_table_size (w->sound) == known;
      if (!w->damaged)
        {
          if (bb.out)
            g_ptr_array_set_free_func (bb.out, NULL);
          job->result = job->key ? (gpointer) text : (gpointer) bb.out;
          return;
        }
      text_free (text);
      if (bb.out)
        g_ptr_array_unref (bb.out);
      if (!worker_renew (p, w))
        return;
    }
  /* not laid out here: the first pass does it on its own thread */
}

/* The cells of a top-level table that cites pages, when its columns are
 * fixed (generated tables declare them): the same texts build_table lays
 * out, under the same keys. */
static void
table_jobs (Prelayout *p, GHashTable *seen, const BbNode *table, const char *lang, KeyBatch *batch)
{
  BbTypeset *ts = p->ts;
  BbTable tb = { 0 };
  for (const BbNode *row = table->first; row; row = row->next, tb.nrows++)
    {
      int c = 0;
      for (const BbNode *cell = row->first; cell; cell = cell->next)
        c++;
      tb.ncols = MAX (tb.ncols, c);
    }
  if (tb.ncols == 0 || tb.nrows == 0)
    return;
  int nheader = CLAMP (table->level, 0, tb.nrows - 1);
  g_autofree double *colx = tb.colx = g_new0 (double, tb.ncols);
  g_autofree double *colw = tb.colw = g_new0 (double, tb.ncols);
  (void) colx; /* held for its g_autofree */
  if (!fixed_columns (&tb, table, p->width))
    return;
  TextStyle st = table_style (ts->layout, table, lang);
  int r = 0;
  for (const BbNode *row = table->first; row; row = row->next, r++)
    {
      int c = 0;
      for (const BbNode *cell = row->first; cell && c < tb.ncols; cell = cell->next, c++)
        {
          if (cites_pages (cell))
            continue;
          double w = colw[c] - 2 * CELL_PAD;
          g_autoptr (GString) extra = g_string_new (r < nheader ? "text header" : "text");
          append_labels (ts, extra, cell);
          if (batch)
            {
              key_batch_add (batch, cell, st.lang, w, extra->str);
              continue;
            }
          const char *key = content_key (ts, cell, st.lang, w, extra->str);
          if (g_hash_table_contains (ts->cell_texts, key) || g_hash_table_contains (seen, key))
            continue;
          g_hash_table_add (seen, (gpointer) key);
          Job job = { cell, lang, g_strdup (key), cell_style (ts->layout, &st, r < nheader, cell), w, NULL };
          g_array_append_val (p->jobs, job);
        }
    }
}

static void
worker_free (gpointer data)
{
  Worker *w = data;
  caches_free (&w->ts);
  g_clear_object (&w->ts.context);
  g_clear_pointer (&w->ts.hyphen_en, bb_hyphen_free);
  g_hash_table_unref (w->sound);
  g_ptr_array_unref (w->fonts);
  g_free (w);
}

/* Fewer blocks and cells than this are laid out by the first pass alone:
 * starting the workers' font maps and their fonts costs more than it
 * saves (measured: a loss at 5,000, the 100-source book; a gain at 14,000,
 * 300 sources).  The environment variable BRIEFING_PRELAYOUT_MIN sets
 * another number (the tests use 0). */
#define PRELAYOUT_MIN_BLOCKS 8000

static void
prelayout (BbTypeset *ts, const BbBook *book)
{
  if (bb_parallel_threads () < 2)
    return;
  const BbLayout *L = ts->layout;
  Prelayout p = { .ts = ts, .jobs = g_array_new (FALSE, FALSE, sizeof (Job)),
                  .width = L->width - L->margin_inner - L->margin_outer };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal); /* cell keys */
  g_autoptr (GHashTable) blocks = g_hash_table_new (g_str_hash, g_str_equal); /* block keys */
  g_autoptr (GPtrArray) langs = p.langs = g_ptr_array_new ();
  g_ptr_array_add (langs, pango_language_get_default ()); /* texts without a language */
  for (const BbNode *n = book->tree; n; n = bb_node_next_in (book->tree, n))
    {
      const char *tag = n == book->tree && !bb_node_lang (n) && book->config ? book->config->lang : bb_node_lang (n);
      PangoLanguage *pl = tag ? pango_language_from_string (tag) : NULL;
      if (pl && !g_ptr_array_find (langs, pl, NULL))
        g_ptr_array_add (langs, pl);
    }
  /* the keys the scan below asks for, computed all at once */
  KeyBatch kb = { ts, g_ptr_array_new (), g_ptr_array_new (), NULL };
  for (const BbNode *sec = book->tree->first; sec; sec = sec->next)
    {
      if (sec->type != BB_NODE_SECTION || sec->kind == BB_SECTION_COVER)
        continue;
      const char *lang = bb_node_lang (sec) ? bb_node_lang (sec) : (book->config ? book->config->lang : "en");
      for (const BbNode *c = sec->first; c; c = c->next)
        if (bb_node_is_block (c))
          {
            if (!cites_pages (c))
              key_batch_add (&kb, c, lang, p.width, "block");
            else if (c->type == BB_NODE_TABLE)
              table_jobs (&p, seen, c, lang, &kb);
          }
    }
  key_batch_run (&kb);
  for (const BbNode *sec = book->tree->first; sec; sec = sec->next)
    {
      if (sec->type != BB_NODE_SECTION || sec->kind == BB_SECTION_COVER)
        continue;
      const char *lang = bb_node_lang (sec) ? bb_node_lang (sec) : (book->config ? book->config->lang : "en");
      for (const BbNode *c = sec->first; c; c = c->next)
        {
          if (!bb_node_is_block (c))
            continue;
          if (cites_pages (c))
            {
              if (c->type == BB_NODE_TABLE)
                table_jobs (&p, seen, c, lang, NULL);
            }
          else if (!g_hash_table_contains (ts->box_cache, block_key (ts, c, lang, p.width))
                   && g_hash_table_add (blocks, (gpointer) block_key (ts, c, lang, p.width)))
            {
              /* a block equal to one before it is not: the first pass
               * lays it out on its own thread, as every later build will
               * (bb_paginate, "taken"), so that its glyphs use the same
               * fonts from build to build and `briefing watch` finds the
               * pages that show it unchanged (pdf.c) */
              Job job = { c, lang, NULL, { 0 }, 0, NULL };
              g_array_append_val (p.jobs, job);
            }
        }
    }
  const char *min = g_getenv ("BRIEFING_PRELAYOUT_MIN");
  if (p.jobs->len >= (min ? (guint) g_ascii_strtoull (min, NULL, 10) : PRELAYOUT_MIN_BLOCKS))
    {
      g_mutex_init (&p.lock);
      g_mutex_init (&p.cold);
      p.unguarded = g_getenv ("BRIEFING_PRELAYOUT_COLD") != NULL;
      p.workers = g_hash_table_new_full (NULL, NULL, NULL, worker_free);
      bb_parallel_for (p.jobs->len, prelayout_one, &p);
      /* the workers' maps wait for the next build */
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, p.workers);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          Worker *w = value;
          if (w->ts.fontmap)
            g_ptr_array_add (ts->spare_maps, g_steal_pointer (&w->ts.fontmap));
        }
      g_hash_table_unref (p.workers);
      g_mutex_clear (&p.lock);
      g_mutex_clear (&p.cold);
      for (guint i = 0; i < p.jobs->len; i++)
        {
          Job *job = &g_array_index (p.jobs, Job, i);
          if (!job->result)
            continue;
          if (!job->key)
            g_hash_table_insert (ts->prelaid, (gpointer) job->node, job->result);
          else
            ((CellText *) memo_entry (ts, ts->cell_texts, job->key, sizeof (CellText)))->text = job->result;
        }
      if (g_getenv ("BRIEFING_TIMINGS"))
        fprintf (stderr, "layout: %u blocks and cells laid out on %u threads (%u font maps renewed)\n",
                 p.jobs->len, bb_parallel_threads (), p.fresh_maps);
    }
  for (guint i = 0; i < p.jobs->len; i++)
    g_free (g_array_index (p.jobs, Job, i).key);
  g_array_unref (p.jobs);
}

BbTypeset *
bb_typeset_new (const BbBook *book, const BbLayout *layout, BbDiag *diag)
{
  PangoFontMap *fm = bb_fonts_new_fontmap (diag);
  if (!fm)
    return NULL;
  BbTypeset *ts = g_new0 (BbTypeset, 1);
  ts->layout = layout;
  ts->fontmap = fm;
  ts->context = context_new (fm);
  ts->hyphen_en = bb_hyphen_new ("en");
  PangoFontDescription *fd = pango_font_description_from_string (layout->body_font);
  pango_font_description_set_size (fd, 100 * PANGO_SCALE);
  PangoFontMetrics *fmx = pango_context_get_metrics (ts->context, fd, NULL);
  ts->natural_height = (pango_font_metrics_get_ascent (fmx) + pango_font_metrics_get_descent (fmx)) / (100.0 * PANGO_SCALE);
  if (!(ts->natural_height > 0.5 && ts->natural_height < 3))
    ts->natural_height = 1.2;
  pango_font_metrics_unref (fmx);
  pango_font_description_free (fd);
  ts->diag = diag;
  ts->pages = g_ptr_array_new_with_free_func (page_free);
  caches_new (ts);
  ts->prelaid = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  ts->spare_maps = g_ptr_array_new_with_free_func (g_object_unref);
  ts->kept_maps = g_ptr_array_new_with_free_func (g_object_unref);
  ts->layout_print = layout_print (layout);
  return ts;
}

void
bb_typeset_free (BbTypeset *ts)
{
  if (!ts)
    return;
  bb_typeset_set_drawn (ts, NULL, NULL);
  g_ptr_array_unref (ts->pages);
  caches_free (ts);
  g_hash_table_unref (ts->prelaid);
  g_free (ts->layout_print);
  bb_hyphen_free (ts->hyphen_en);
  g_clear_object (&ts->context);
  g_clear_object (&ts->fontmap);
  /* after the texts (caches_free), whose glyph runs hold their fonts */
  g_ptr_array_unref (ts->spare_maps);
  g_ptr_array_unref (ts->kept_maps);
  g_free (ts);
}

const BbLayout *
bb_typeset_layout (const BbTypeset *ts)
{
  return ts->layout;
}

PangoContext *
bb_typeset_context (const BbTypeset *ts)
{
  return ts->context;
}

guint
bb_typeset_n_pages (const BbTypeset *ts)
{
  return ts->pages->len;
}

const BbPageOut *
bb_typeset_page (const BbTypeset *ts, guint i)
{
  return ts->pages->pdata[i];
}

/* Whether the print of n depends on the page map. */
static gboolean
cites_pages (const BbNode *n)
{
  for (const BbNode *c = n; c; c = bb_node_next_in (n, c))
    if (c->type == BB_NODE_PAGEREF)
      return TRUE;
  return FALSE;
}

/* Flows boxes[from..] as far as their keep-with-next chains end within
 * boxes, and returns the index of the first box not flowed.  flow_box
 * looks ahead no further than such a chain, so the pages come out as if
 * every box were flowed at the end; what is flowed has its page.  The
 * first pass calls this before it lays out a block that cites pages, so
 * a reference back (a chapter's citation notes to its paragraphs, the
 * index to the chapters) prints its real label from the start: the
 * block's key is then the same in the next pass, which finds it laid out
 * rather than laying it out again.  A forward reference (the contents,
 * the chronology) still waits for the next pass. */
static guint
flow_placed (Flow *f, GPtrArray *boxes, guint from, const BbNode *section)
{
  guint end = boxes->len;
  /* a run of entries in columns is flowed whole: it may go on */
  while (end > from && (((BbBox *) boxes->pdata[end - 1])->keep_with_next || ((BbBox *) boxes->pdata[end - 1])->columns))
    end--;
  for (guint i = from; i < end;)
    i = flow_box (f, boxes, i, section);
  return end;
}

BbPageMap *
bb_paginate (BbTypeset *ts, const BbBook *book, const BbPageMap *refs)
{
  const BbLayout *L = ts->layout;
  g_ptr_array_set_size (ts->pages, 0);
  g_ptr_array_set_size (ts->provisional, 0); /* no page shows them now */
  ts->laid[0] = ts->laid[1] = 0;
  Flow f = { ts, book, bb_pagemap_new (), L->height - L->margin_top - L->margin_bottom, NULL, 0, 0, 0 };
  /* The first pass has no map yet: it cites the pages of what it has
   * placed already (see flow_placed), and a placeholder for the rest. */
  gboolean first_pass = refs == NULL;
  ts->refs = first_pass ? f.map : refs;
  double width = L->width - L->margin_inner - L->margin_outer;
  const BbNode *last_front = NULL;
  for (const BbNode *sec = book->tree->first; sec; sec = sec->next)
    {
      if (sec->type != BB_NODE_SECTION)
        continue;
      if (last_front && !section_is_front (sec) && ts->pages->len % 2 == 1)
        {
          /* page 1 on a recto (even index): a blank verso before it */
          new_page (&f, last_front);
          f.page->blank = TRUE;
          bb_pagemap_add_page (f.map, f.page->label, TRUE, NULL, 0);
        }
      last_front = section_is_front (sec) ? sec : NULL;
      open_page (&f, sec);
      if (sec->kind == BB_SECTION_COVER)
        continue; /* drawn whole by cover.c */
      const char *lang = bb_node_lang (sec) ? bb_node_lang (sec) : (book->config ? book->config->lang : "en");
      g_autoptr (GPtrArray) all = g_ptr_array_new ();
      guint flowed = 0;
      for (const BbNode *c = sec->first; c; c = c->next)
        {
          if (!bb_node_is_block (c))
            continue;
          if (first_pass && cites_pages (c))
            flowed = flow_placed (&f, all, flowed, sec);
          gboolean taken = FALSE;
          ts->blocks++;
          Cached *cached = cached_boxes (ts, c, lang, width, &taken);
          Taken *tk = taken ? g_hash_table_lookup (ts->taken, c) : NULL;
          if (tk && g_str_equal (tk->key, block_key (ts, c, lang, width)))
            {
              /* laid out by an earlier pass, with the same labels */
              for (guint i = 0; i < tk->boxes->len; i++)
                g_ptr_array_add (all, tk->boxes->pdata[i]);
              continue;
            }
          if (!cached)
            {
              BoxBuild bb = { ts, sec, lang, width, NULL };
              g_hash_table_steal_extended (ts->prelaid, c, NULL, (gpointer *) &bb.out);
              guint before = ts->placeholders;
              if (!bb.out)
                {
                  bb.out = g_ptr_array_new ();
                  build_block (&bb, c, 0, width, NULL);
                  ts->laid[section_is_front (sec) ? 0 : 1]++;
                }
              if (!taken && !ts->keep_glyphs && ts->placeholders != before)
                {
                  g_ptr_array_set_free_func (bb.out, box_free);
                  g_ptr_array_add (ts->provisional, bb.out);
                  for (guint i = 0; i < bb.out->len; i++)
                    g_ptr_array_add (all, bb.out->pdata[i]);
                  continue;
                }
              if (taken)
                {
                  /* this block's own: kept for the next passes, replacing
                   * an earlier pass's, whose pages are gone */
                  tk = g_new (Taken, 1);
                  tk->key = g_strdup (block_key (ts, c, lang, width));
                  tk->boxes = bb.out;
                  g_ptr_array_set_free_func (bb.out, box_free);
                  g_hash_table_replace (ts->taken, (gpointer) c, tk);
                  for (guint i = 0; i < bb.out->len; i++)
                    g_ptr_array_add (all, bb.out->pdata[i]);
                  continue;
                }
              cached = cache_boxes (ts, c, lang, width, bb.out);
            }
          for (guint i = 0; i < cached->boxes->len; i++)
            g_ptr_array_add (all, cached->boxes->pdata[i]);
        }
      for (guint i = flowed; i < all->len;)
        i = flow_box (&f, all, i, sec);
    }
  ts->refs = NULL;
  return f.map;
}

static void
drop_segments (BbText *t, const guint *arg)
{
  (void) arg;
  g_clear_pointer (&t->segments, g_free);
  t->n_segments = 0;
}

/* Once the pages are final, a build that no later build will reuse lets
 * go of what only laying out needs: the memos (texts stay while pages draw
 * them) and the segments that place the page map's offsets. */
static void
lighten (BbTypeset *ts)
{
  g_hash_table_remove_all (ts->cell_memo);
  g_hash_table_remove_all (ts->cell_texts);
  g_hash_table_remove_all (ts->short_texts);
  for (guint k = 0; k < ts->pages->len; k++)
    page_texts (ts, k, drop_segments, NULL);
}

BbPageMap *
bb_typeset_book (BbTypeset *ts, const BbBook *book)
{
  /* A new build: its nodes are new (and may sit at addresses the last
   * build's nodes had), so keys are computed afresh. */
  ts->generation++;
  g_hash_table_remove_all (ts->keys);
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, ts->box_cache);
  while (g_hash_table_iter_next (&it, NULL, &value))
    ((Cached *) value)->root = NULL; /* the last build's nodes are gone */
  g_ptr_array_set_size (ts->pages, 0);
  g_ptr_array_set_size (ts->provisional, 0);
  g_hash_table_remove_all (ts->taken);
  ts->blocks = ts->reused = 0;
  gboolean timings = g_getenv ("BRIEFING_TIMINGS") != NULL;
  gint64 t0 = g_get_monotonic_time ();
  prelayout (ts, book);
  if (timings)
    fprintf (stderr, "layout: blocks beforehand %.3f s\n", (g_get_monotonic_time () - t0) / 1e6);
  t0 = g_get_monotonic_time ();
  BbPageMap *map = bb_paginate (ts, book, NULL);
  /* what the first pass did not take (a block it found cached) */
  g_hash_table_remove_all (ts->prelaid);
  if (timings)
    fprintf (stderr, "layout: pass 1 %.3f s, %u blocks laid out in the front matter, %u after it\n",
             (g_get_monotonic_time () - t0) / 1e6, ts->laid[0], ts->laid[1]);
  guint blocks = ts->blocks, reused = ts->reused;
  for (int pass = 1; pass < 4; pass++)
    {
      t0 = g_get_monotonic_time ();
      BbPageMap *next = bb_paginate (ts, book, map);
      if (timings)
        fprintf (stderr, "layout: pass %d %.3f s, %u blocks laid out in the front matter, %u after it\n",
                 pass + 1, (g_get_monotonic_time () - t0) / 1e6, ts->laid[0], ts->laid[1]);
      gboolean same = bb_pagemap_equal (map, next);
      bb_pagemap_free (map);
      map = next;
      if (same)
        break;
    }
  /* what this build did not use, the next will not either */
  gpointer gen = GUINT_TO_POINTER (ts->generation);
  g_hash_table_foreach_remove (ts->box_cache, stale, gen);
  g_hash_table_foreach_remove (ts->cell_memo, stale, gen);
  g_hash_table_foreach_remove (ts->cell_texts, stale, gen);
  g_hash_table_foreach_remove (ts->short_texts, stale, gen);
  g_hash_table_remove_all (ts->keys);
  ts->blocks = blocks;
  ts->reused = reused;
  if (!ts->keep_glyphs)
    lighten (ts);
  return map;
}

void
bb_typeset_reused (const BbTypeset *ts, guint *reused, guint *blocks)
{
  *reused = ts->reused;
  *blocks = ts->blocks;
}
