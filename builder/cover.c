/* cover.c — the cover page: title block, edition, date, handling marking.
 *
 * Drawn straight with Cairo and Pango so the PDF's first page and the EPUB's
 * cover image are the same picture at any size: everything is placed in
 * fractions of the page.
 */
#include "cover.h"
#include "fonts.h"
#include <pango/pangocairo.h>

static void
block (cairo_t *cr, PangoContext *ctx, const char *family, double size, PangoWeight w, const char *text,
       double x, double *y, double width, PangoAlignment align)
{
  if (!text || !*text)
    return;
  PangoLayout *l = pango_layout_new (ctx);
  PangoFontDescription *fd = pango_font_description_new ();
  pango_font_description_set_family (fd, family);
  pango_font_description_set_absolute_size (fd, size * PANGO_SCALE);
  pango_font_description_set_weight (fd, w);
  pango_layout_set_font_description (l, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (l, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (l, align);
  pango_layout_set_line_spacing (l, 1.15f);
  pango_layout_set_text (l, text, -1);
  cairo_move_to (cr, x, *y);
  pango_cairo_show_layout (cr, l);
  int h;
  pango_layout_get_size (l, NULL, &h);
  *y += (double) h / PANGO_SCALE;
  g_object_unref (l);
}

void
bb_cover_draw (cairo_t *cr, const BbBook *book, const BbLayout *L, double width, double height)
{
  PangoFontMap *fm = bb_fonts_new_fontmap (NULL);
  if (!fm)
    return;
  PangoContext *ctx = pango_font_map_create_context (fm);
  pango_cairo_update_context (cr, ctx);
  double u = width / 595.0; /* designed on A4 width, scaled */
  double mx = width * 0.12, w = width - 2 * mx;
  const BbConfig *cfg = book->config;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* accent band */
  cairo_set_source_rgb (cr, L->accent.r, L->accent.g, L->accent.b);
  cairo_rectangle (cr, 0, height * 0.16, width, height * 0.012);
  cairo_fill (cr);

  /* marking, top and bottom */
  cairo_set_source_rgb (cr, L->marking.r, L->marking.g, L->marking.b);
  double y = height * 0.05;
  block (cr, ctx, L->heading_font, 11 * u, PANGO_WEIGHT_BOLD, cfg->marking, mx, &y, w, PANGO_ALIGN_CENTER);
  y = height * 0.93;
  block (cr, ctx, L->heading_font, 11 * u, PANGO_WEIGHT_BOLD, cfg->marking, mx, &y, w, PANGO_ALIGN_CENTER);

  cairo_set_source_rgb (cr, L->rule.r, L->rule.g, L->rule.b);
  y = height * 0.12;
  block (cr, ctx, L->heading_font, 10 * u, PANGO_WEIGHT_BOLD, "BRIEFING BOOK", mx, &y, w, PANGO_ALIGN_LEFT);

  cairo_set_source_rgb (cr, L->accent.r, L->accent.g, L->accent.b);
  y = height * 0.26;
  block (cr, ctx, L->heading_font, 30 * u, PANGO_WEIGHT_BOLD, cfg->title, mx, &y, w, PANGO_ALIGN_LEFT);
  y += 14 * u;
  cairo_set_source_rgb (cr, L->text.r, L->text.g, L->text.b);
  block (cr, ctx, L->body_font, 15 * u, PANGO_WEIGHT_NORMAL, cfg->subtitle, mx, &y, w, PANGO_ALIGN_LEFT);

  /* edition and date, low on the page */
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (book->date);
  g_autofree char *date = dt ? g_date_time_format (dt, "%-d %B %Y") : g_strdup ("");
  g_autofree char *ed = g_strdup_printf ("Edition %s · %s", book->edition ? book->edition : "1", date);
  y = height * 0.72;
  cairo_set_source_rgb (cr, L->accent.r, L->accent.g, L->accent.b);
  cairo_set_line_width (cr, 1.2 * u);
  cairo_move_to (cr, mx, y);
  cairo_line_to (cr, mx + 60 * u, y);
  cairo_stroke (cr);
  y += 10 * u;
  cairo_set_source_rgb (cr, L->text.r, L->text.g, L->text.b);
  block (cr, ctx, L->heading_font, 12 * u, PANGO_WEIGHT_BOLD, ed, mx, &y, w, PANGO_ALIGN_LEFT);
  g_autofree char *count = g_strdup_printf ("%u source%s", book->sources->len, book->sources->len == 1 ? "" : "s");
  cairo_set_source_rgb (cr, L->rule.r, L->rule.g, L->rule.b);
  y += 4 * u;
  block (cr, ctx, L->heading_font, 10 * u, PANGO_WEIGHT_NORMAL, count, mx, &y, w, PANGO_ALIGN_LEFT);
  if (cfg->author || cfg->publisher)
    {
      g_autofree char *by = g_strjoin (" · ", cfg->author ? cfg->author : cfg->publisher,
                                       cfg->author && cfg->publisher ? cfg->publisher : NULL, NULL);
      y += 2 * u;
      block (cr, ctx, L->heading_font, 10 * u, PANGO_WEIGHT_NORMAL, by, mx, &y, w, PANGO_ALIGN_LEFT);
    }
  cairo_restore (cr);
  g_object_unref (ctx);
  g_object_unref (fm);
}
