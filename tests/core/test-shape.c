/* test-shape.c — the colour questions Pango asks after shaping are answered
 * for the face it shaped with, and for no other: a face with colour layers
 * still gets HarfBuzz's own answer right after a colourless one was shaped.
 * The shaped text itself is checked against HarfBuzz with no cache. */
#include "diag.h"
#include "fonts.h"
#include "shape.h"
#include <hb-ot.h>
#include <pango/pangocairo.h>
#include <string.h>

/* A face with one table, COLR version 0: glyph 1 is drawn as glyphs 5 and 6
 * in palette entries 0 and 1. */
static const guint8 colr[] = {
  0, 0, 0, 1, 0, 0, 0, 14, 0, 0, 0, 20, 0, 2, /* header */
  0, 1, 0, 0, 0, 2,                           /* base glyph 1: layers 0, 1 */
  0, 5, 0, 0, 0, 6, 0, 1,                     /* layers */
};

static hb_blob_t *
colr_table (hb_face_t *face, hb_tag_t tag, void *data)
{
  (void) face;
  (void) data;
  if (tag != HB_TAG ('C', 'O', 'L', 'R'))
    return NULL;
  return hb_blob_create ((const char *) colr, sizeof colr, HB_MEMORY_MODE_READONLY, NULL, NULL);
}

/* Lays a line out in Noto Serif and returns the face it was shaped with. */
static hb_face_t *
shape_noto (PangoContext *c)
{
  PangoLayout *l = pango_layout_new (c);
  PangoFontDescription *fd = pango_font_description_from_string ("Noto Serif 11");
  pango_layout_set_font_description (l, fd);
  pango_font_description_free (fd);
  pango_layout_set_text (l, "Officials affirmed the plan.", -1);
  PangoLayoutLine *line = pango_layout_get_line_readonly (l, 0);
  g_assert_nonnull (line->runs);
  const PangoGlyphItem *run = line->runs->data;
  for (int i = 0; i < run->glyphs->num_glyphs; i++)
    g_assert_false (run->glyphs->glyphs[i].attr.is_color);
  hb_face_t *face = hb_face_reference (hb_font_get_face (pango_font_get_hb_font (run->item->analysis.font)));
  g_object_unref (l);
  return face;
}

static void
test_colour (void)
{
  g_assert_true (bb_shape_cache_enabled ());
  g_autoptr (BbDiag) diag = bb_diag_new ();
  PangoFontMap *fm = bb_fonts_new_fontmap (diag);
  g_assert_nonnull (fm);
  PangoContext *c = pango_font_map_create_context (fm);
  hb_face_t *noto = shape_noto (c);

  /* the face just shaped with: no colour, and the count is cleared */
  unsigned int count = 99;
  hb_ot_color_layer_t layers[4];
  g_assert_cmpuint (hb_ot_color_glyph_get_layers (noto, 3, 0, &count, layers), ==, 0);
  g_assert_cmpuint (count, ==, 0);
  g_assert_false (hb_ot_color_has_png (noto));
  g_assert_false (hb_ot_color_has_svg (noto));

  /* another face, right after: HarfBuzz's answer */
  hb_face_t *painted = hb_face_create_for_tables (colr_table, NULL, NULL);
  g_assert_true (hb_ot_color_has_layers (painted));
  count = G_N_ELEMENTS (layers);
  g_assert_cmpuint (hb_ot_color_glyph_get_layers (painted, 1, 0, &count, layers), ==, 2);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (layers[0].glyph, ==, 5);
  g_assert_cmpuint (layers[1].glyph, ==, 6);
  g_assert_cmpuint (layers[1].color_index, ==, 1);
  count = G_N_ELEMENTS (layers);
  g_assert_cmpuint (hb_ot_color_glyph_get_layers (painted, 2, 0, &count, layers), ==, 0);
  g_assert_false (hb_ot_color_has_png (painted));
  g_assert_false (hb_ot_color_has_svg (painted));
  /* and a face with no tables at all, nor a NULL one, crash nothing */
  g_assert_false (hb_ot_color_has_png (hb_face_get_empty ()));

  hb_face_destroy (painted);
  hb_face_destroy (noto);
  g_object_unref (c);
  g_object_unref (fm);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shape/colour", test_colour);
  return g_test_run ();
}
