/* test-glyphs.c — compact glyph runs draw what Pango's own line drawing
 * draws.
 *
 * Each paragraph is laid out with the bundled fonts, then drawn twice:
 * line by line with pango_cairo_show_layout_line, and from the runs
 * bb_glyphs_from_layout kept.  The pictures must match pixel for pixel (to
 * antialiasing noise), the PDFs must hold the same text (pdftotext), and
 * link ranges, line widths and sizes must agree with the layout's.  The
 * paragraphs cover what the book meets: ligatures, soft hyphens (empty
 * glyphs, inserted hyphens), justification, superscript citations,
 * coloured runs, Vietnamese in composed and decomposed form (mark offsets,
 * many-character clusters), right-to-left Arabic and characters no bundled
 * font has (hex boxes), and each way of keeping ids and advances: a
 * 1-byte and a 2-byte index into the text's palette of pairs, and per
 * glyph for a text whose glyphs hardly repeat.
 */
#include "fonts.h"
#include "glyphs.h"
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define WIDTH 220.0
#define SCALE 3.0

typedef struct {
  const char *name;
  const char *markup;
  gboolean justify;
  guint index_bytes; /* how its glyphs are kept (bb_glyphs_index_bytes) */
} Para;

static const Para paras[] = {
  { "english", "The office affluent fjord: in\xc2\xad" "ter\xc2\xad" "na\xc2\xad" "tion\xc2\xad" "al "
               "ne\xc2\xad" "go\xc2\xad" "ti\xc2\xad" "a\xc2\xad" "tions on de\xc2\xad" "nu\xc2\xad" "cle\xc2\xad"
               "ar\xc2\xad" "i\xc2\xad" "za\xc2\xad" "tion con\xc2\xad" "tin\xc2\xad" "ued through the "
               "<span foreground='#1f4e79'>Hanoi sum\xc2\xad" "mit</span> of Feb\xc2\xad" "ru\xc2\xad" "ary "
               "2019.<span font_scale='superscript' baseline_shift='superscript'>13</span> Both "
               "<i>del\xc2\xad" "e\xc2\xad" "ga\xc2\xad" "tions</i> <b>met</b> again.", TRUE, 1 },
  { "vietnamese-nfc", "Nguy\xe1\xbb\x85n Ph\xc3\xba Tr\xe1\xbb\x8dng ti\xe1\xba\xbfp "
                      "Ch\xe1\xbb\xa7 t\xe1\xbb\x8b" "ch Kim Jong Un t\xe1\xba\xa1i H\xc3\xa0 N\xe1\xbb\x99i "
                      "ng\xc3\xa0y 27 th\xc3\xa1ng 2 n\xc4\x83m 2019, tr\xc6\xb0\xe1\xbb\x9b" "c khi "
                      "h\xe1\xbb\x99i ngh\xe1\xbb\x8b th\xc6\xb0\xe1\xbb\xa3ng \xc4\x91\xe1\xbb\x89nh b\xe1\xba\xaft "
                      "\xc4\x91\xe1\xba\xa7u.", TRUE, 1 },
  { "vietnamese-nfd", "Nguye\xcc\x82\xcc\x83n Phu\xcc\x81 Tro\xcc\xa3ng tie\xcc\x82\xcc\x81p "
                      "Chu\xcc\x89 ti\xcc\xa3" "ch Kim Jong Un ta\xcc\xa3i Ha\xcc\x80 No\xcc\x82\xcc\xa3i "
                      /* marks with no precomposed letter: placed by offsets */
                      "q\xcc\x83 x\xcc\xa3\xcc\x83 b\xcc\x82.", FALSE, 1 },
  { "arabic-and-missing", "Summit \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9"
                          "\xd8\xa7\xd9\x84\xd9\x85 ends \xee\x80\x80\xf0\x9f\x98\x80 here.", FALSE, 0 },
  /* no glyph twice: a palette would be larger than the glyphs */
  { "no-repeats", "<b>WQMHBKDZ</b> jfyxvu 1234567890", FALSE, 0 },
};

/* A long justified paragraph with more distinct glyphs than a 1-byte
 * index can tell apart (built in main). */
static Para long_para = { "long-justified", NULL, TRUE, 2 };

typedef struct {
  PangoLayout *layout;
  BbGlyphs *glyphs;
} Laid;

static PangoContext *
context (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  PangoFontMap *fm = bb_fonts_new_fontmap (diag);
  g_assert_nonnull (fm);
  PangoContext *c = pango_font_map_create_context (fm);
  g_object_unref (fm);
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (c, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (c, FALSE);
  pango_cairo_context_set_resolution (c, 72);
  return c;
}

static Laid
lay_out (PangoContext *c, const Para *p)
{
  Laid l = { pango_layout_new (c), NULL };
  PangoFontDescription *fd = pango_font_description_from_string ("Noto Serif 11");
  pango_layout_set_font_description (l.layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (l.layout, (int) (WIDTH * PANGO_SCALE));
  pango_layout_set_wrap (l.layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_justify (l.layout, p->justify);
  pango_layout_set_markup (l.layout, p->markup, -1);
  l.glyphs = bb_glyphs_from_layout (l.layout);
  g_assert_nonnull (l.glyphs);
  return l;
}

/* Draws every line of l on cr, from the glyph runs or with Pango, shifted
 * right by nudge points. */
static void
draw (cairo_t *cr, const Laid *l, gboolean runs, double nudge)
{
  cairo_set_source_rgb (cr, 0, 0, 0);
  PangoLayoutIter *it = pango_layout_get_iter (l->layout);
  guint i = 0;
  do
    {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents (it, NULL, &logical);
      double x = 10 + nudge + (double) logical.x / PANGO_SCALE;
      double y = 10 + (double) pango_layout_iter_get_baseline (it) / PANGO_SCALE;
      cairo_move_to (cr, x, y);
      if (runs)
        bb_glyphs_draw_line (l->glyphs, i, cr, pango_layout_get_text (l->layout));
      else
        pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (it));
      i++;
    }
  while (pango_layout_iter_next_line (it));
  pango_layout_iter_free (it);
}

static cairo_surface_t *
picture (const Laid *l, gboolean runs, double nudge)
{
  PangoRectangle ext;
  pango_layout_get_extents (l->layout, NULL, &ext);
  int w = (int) ceil ((WIDTH + 20) * SCALE), h = (int) ceil ((20 + (double) ext.height / PANGO_SCALE) * SCALE);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, SCALE, SCALE);
  draw (cr, l, runs, nudge);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* The largest difference of any channel of any pixel, and how many pixels
 * are not white in a. */
static int
compare (cairo_surface_t *a, cairo_surface_t *b, int *inked)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int sa = cairo_image_surface_get_stride (a), sb = cairo_image_surface_get_stride (b);
  const guchar *da = cairo_image_surface_get_data (a), *db = cairo_image_surface_get_data (b);
  int worst = 0;
  *inked = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guchar *pa = da + y * sa + 4 * x, *pb = db + y * sb + 4 * x;
        if (pa[0] != 0xff || pa[1] != 0xff || pa[2] != 0xff)
          (*inked)++;
        for (int c = 0; c < 3; c++)
          worst = MAX (worst, abs ((int) pa[c] - (int) pb[c]));
      }
  return worst;
}

static void
test_pixels (gconstpointer data)
{
  const Para *p = data;
  PangoContext *c = context ();
  Laid l = lay_out (c, p);
  g_assert_cmpuint (bb_glyphs_index_bytes (l.glyphs), ==, p->index_bytes);
  cairo_surface_t *pango = picture (&l, FALSE, 0), *runs = picture (&l, TRUE, 0),
                  *nudged = picture (&l, TRUE, 0.5);
  int inked = 0;
  int worst = compare (pango, runs, &inked);
  g_test_message ("%s: %d inked pixels, largest difference %d", p->name, inked, worst);
  g_assert_cmpint (inked, >, 1000);
  /* Cairo keeps a run's start to 1/256 pt, Pango's line drawing to double
   * precision: at most a shade of antialiasing apart */
  g_assert_cmpint (worst, <=, 8);
  /* and the comparison can fail: half a point off is far apart */
  g_assert_cmpint (compare (pango, nudged, &inked), >, 64);
  cairo_surface_destroy (pango);
  cairo_surface_destroy (runs);
  cairo_surface_destroy (nudged);
  bb_glyphs_unref (l.glyphs);
  g_object_unref (l.layout);
  g_object_unref (c);
}

static char *
pdf_text (const Laid *l, gboolean runs, const char *dir)
{
  g_autofree char *pdf = g_build_filename (dir, runs ? "runs.pdf" : "pango.pdf", NULL);
  cairo_surface_t *s = cairo_pdf_surface_create (pdf, WIDTH + 20, 400);
  cairo_t *cr = cairo_create (s);
  draw (cr, l, runs, 0);
  cairo_destroy (cr);
  cairo_surface_finish (s);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  char *out = NULL;
  int status = 0;
  g_autoptr (GError) err = NULL;
  gboolean ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                              NULL, &out, NULL, &status, &err);
  g_assert_no_error (err);
  g_assert_true (ok && g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_pdf_text (gconstpointer data)
{
  const Para *p = data;
  PangoContext *c = context ();
  Laid l = lay_out (c, p);
  g_autofree char *dir = g_dir_make_tmp ("test-glyphs-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_autofree char *a = pdf_text (&l, FALSE, dir), *b = pdf_text (&l, TRUE, dir);
  g_assert_cmpstr (b, ==, a);
  g_assert_cmpuint (strlen (a), >, 20);
  g_autofree char *pa = g_build_filename (dir, "pango.pdf", NULL), *pb = g_build_filename (dir, "runs.pdf", NULL);
  g_unlink (pa);
  g_unlink (pb);
  g_rmdir (dir);
  bb_glyphs_unref (l.glyphs);
  g_object_unref (l.layout);
  g_object_unref (c);
}

/* Word by word, the x ranges of the runs are Pango's; line widths are the
 * layout's; the runs are a small part of the layout. */
static void
test_measures (void)
{
  PangoContext *c = context ();
  Laid l = lay_out (c, &paras[0]);
  const char *text = pango_layout_get_text (l.layout);
  guint words = 0;
  for (int i = 0; i < pango_layout_get_line_count (l.layout); i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (l.layout, i);
      PangoRectangle logical;
      pango_layout_line_get_extents (line, NULL, &logical);
      g_assert_cmpint (bb_glyphs_line_width (l.glyphs, (guint) i), ==, logical.width);
      int x_off = 0;
      {
        int *r = NULL, n = 0;
        pango_layout_line_get_x_ranges (line, line->start_index, line->start_index + 1, &r, &n);
        int *q = NULL, m = 0;
        bb_glyphs_x_ranges (l.glyphs, (guint) i, text, line->start_index, line->start_index + 1, &q, &m);
        g_assert_cmpint (n, ==, 1);
        g_assert_cmpint (m, ==, 1);
        x_off = r[0] - q[0]; /* Pango's ranges count from the layout's edge */
        g_free (r);
        g_free (q);
      }
      const char *end = text + line->start_index + line->length;
      for (const char *w = text + line->start_index; w < end;)
        {
          while (w < end && *w == ' ')
            w++;
          const char *e = w;
          while (e < end && *e != ' ' && *e != '<')
            e++;
          if (e == w)
            break;
          int *r = NULL, n = 0, *q = NULL, m = 0;
          pango_layout_line_get_x_ranges (line, (int) (w - text), (int) (e - text), &r, &n);
          /* Pango gives a range per run; the runs merge ranges that touch */
          int merged = 0;
          for (int k = 0; k < n; k++)
            if (merged > 0 && r[2 * merged - 1] == r[2 * k])
              r[2 * merged - 1] = r[2 * k + 1];
            else
              {
                r[2 * merged] = r[2 * k];
                r[2 * merged + 1] = r[2 * k + 1];
                merged++;
              }
          n = merged;
          bb_glyphs_x_ranges (l.glyphs, (guint) i, text, (int) (w - text), (int) (e - text), &q, &m);
          g_assert_cmpint (m, ==, n);
          for (int k = 0; k < 2 * MIN (n, m); k++)
            g_assert_cmpint (abs (q[k] + x_off - r[k]), <=, 1);
          g_free (r);
          g_free (q);
          words++;
          w = e;
        }
    }
  g_assert_cmpuint (words, >, 20);
  gsize chars = (gsize) pango_layout_get_character_count (l.layout);
  g_test_message ("%zu characters in %zu bytes of runs", chars, bb_glyphs_size (l.glyphs));
  g_assert_cmpuint (bb_glyphs_size (l.glyphs), <, 12 * chars);
  bb_glyphs_unref (l.glyphs);
  g_object_unref (l.layout);
  g_object_unref (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (paras); i++)
    {
      g_autofree char *a = g_strdup_printf ("/glyphs/pixels/%s", paras[i].name);
      g_autofree char *b = g_strdup_printf ("/glyphs/pdf-text/%s", paras[i].name);
      g_test_add_data_func (a, &paras[i], test_pixels);
      g_test_add_data_func (b, &paras[i], test_pdf_text);
    }
  g_autoptr (GString) m = g_string_new (NULL);
  for (int i = 1; i <= 40; i++)
    g_string_append_printf (m, "Session %d of the talks in H\xc3\xa0 N\xe1\xbb\x99i went on%s; ", i,
                            i % 3 ? "" : " until late");
  /* and more letters than 256: Latin-1, Latin Extended-A, Vietnamese */
  const gunichar ranges[][2] = { { 0xc0, 0x17f }, { 0x1ea0, 0x1ef9 } };
  int k = 0;
  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar u = ranges[r][0]; u <= ranges[r][1]; u++)
      if (g_unichar_isalpha (u))
        {
          g_string_append_unichar (m, u);
          if (++k % 7 == 0)
            g_string_append_c (m, ' ');
        }
  long_para.markup = m->str;
  g_test_add_data_func ("/glyphs/pixels/long-justified", &long_para, test_pixels);
  g_test_add_func ("/glyphs/measures", test_measures);
  return g_test_run ();
}
