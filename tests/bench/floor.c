/* floor.c — the floor of the Pango/Cairo stack, for the benchmarks.
 *
 * Reads the same corpus folder as `briefing build`, lays out every paragraph
 * justified in the body font at the width and size of a layout (a4 unless
 * given), flows the lines into pages, then draws the pages to a PDF with
 * Cairo — single-threaded, with no book logic at all: no analysis, no
 * generated sections, no tables, no page map, no EPUB.  What briefing spends
 * beyond this is what its own code costs.
 *
 * Prints "floor: layout S", "floor: draw S" (drawing and writing the PDF)
 * and "floor: pages N" on stdout.
 *
 * Usage: bench-floor SOURCES OUT.pdf [LAYOUT]
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "fonts.h"
#include "layout.h"

#define PU(pt) ((int) ((pt) * PANGO_SCALE + 0.5))

typedef struct {
  PangoLayout *layout;
  int line;      /* line index in layout */
  double y;      /* baseline, points from the page top */
} Placed;

typedef struct {
  GArray *lines; /* Placed */
} Page;

typedef struct {
  const BbLayout *L;
  PangoContext *ctx;
  PangoFontDescription *body, *heading;
  GPtrArray *layouts;  /* every layout, owned */
  GPtrArray *pages;    /* Page */
  double y, top, bottom, width;
  Page *page;
} Flow;

static void
new_page (Flow *f)
{
  f->page = g_new0 (Page, 1);
  f->page->lines = g_array_new (FALSE, FALSE, sizeof (Placed));
  g_ptr_array_add (f->pages, f->page);
  f->y = f->top;
}

static void
add_paragraph (Flow *f, const char *text, gsize len, gboolean heading)
{
  PangoLayout *l = pango_layout_new (f->ctx);
  g_ptr_array_add (f->layouts, l);
  pango_layout_set_font_description (l, heading ? f->heading : f->body);
  pango_layout_set_width (l, PU (f->width));
  pango_layout_set_wrap (l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_justify (l, !heading);
  pango_layout_set_text (l, text, (int) len);

  double size = heading ? f->L->heading_size[0] : f->L->body_size;
  double lead = size * f->L->leading;
  if (heading && f->y > f->top)
    new_page (f);
  int n = pango_layout_get_line_count (l);
  for (int i = 0; i < n; i++)
    {
      if (f->y + lead > f->bottom)
        new_page (f);
      Placed p = { l, i, f->y + lead * 0.8 };
      g_array_append_val (f->page->lines, p);
      f->y += lead;
    }
  f->y += f->L->paragraph_space;
}

/* Paragraphs of one file: each non-empty line is a paragraph (the corpus
 * separates paragraphs with blank lines; Markdown table rows count as
 * paragraphs, which keeps about the same amount of text); the first is the
 * chapter heading. */
static void
add_file (Flow *f, const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      fprintf (stderr, "%s: cannot read\n", path);
      return;
    }
  gboolean first = TRUE;
  const char *p = data, *end = data + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *e = nl ? nl : end;
      const char *s = p;
      while (s < e && (*s == '#' || *s == ' '))
        s++;
      if (e > s && !(e - s >= 3 && strncmp (s, "|--", 3) == 0))
        {
          add_paragraph (f, s, (gsize) (e - s), first);
          first = FALSE;
        }
      p = e + 1;
    }
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-floor SOURCES OUT.pdf [LAYOUT]\n");
      return 2;
    }
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbLayout) L = bb_layout_load (argc > 3 ? argv[3] : "a4", diag);
  PangoFontMap *fm = L ? bb_fonts_new_fontmap (diag) : NULL;
  if (!fm)
    {
      fprintf (stderr, "bench-floor: cannot load the layout or the bundled fonts\n");
      return 1;
    }

  g_autoptr (GDir) dir = g_dir_open (argv[1], 0, NULL);
  if (!dir)
    {
      fprintf (stderr, "%s: cannot open folder\n", argv[1]);
      return 1;
    }
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".md"))
      g_ptr_array_add (files, g_build_filename (argv[1], name, NULL));
  g_ptr_array_sort (files, cmp_str);

  gint64 t0 = g_get_monotonic_time ();

  Flow f = { 0 };
  f.L = L;
  f.ctx = pango_font_map_create_context (fm);
  /* The same context settings as the book: unhinted, unrounded. */
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (f.ctx, fo);
  cairo_font_options_destroy (fo);
  pango_context_set_round_glyph_positions (f.ctx, FALSE);
  /* Sizes are points on a 72 dpi PDF page (Pango's default is 96 dpi,
   * which would make 10.5 pt text 14 pt). */
  pango_cairo_context_set_resolution (f.ctx, 72.0);
  f.body = pango_font_description_new ();
  pango_font_description_set_family (f.body, L->body_font);
  pango_font_description_set_size (f.body, PU (L->body_size));
  f.heading = pango_font_description_new ();
  pango_font_description_set_family (f.heading, L->heading_font);
  pango_font_description_set_weight (f.heading, PANGO_WEIGHT_BOLD);
  pango_font_description_set_size (f.heading, PU (L->heading_size[0]));
  f.layouts = g_ptr_array_new_with_free_func (g_object_unref);
  f.pages = g_ptr_array_new ();
  f.top = L->margin_top;
  f.bottom = L->height - L->margin_bottom;
  f.width = L->width - L->margin_inner - L->margin_outer;
  new_page (&f);
  for (guint i = 0; i < files->len; i++)
    add_file (&f, files->pdata[i]);

  gint64 t1 = g_get_monotonic_time ();

  cairo_surface_t *surface = cairo_pdf_surface_create (argv[2], L->width, L->height);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, L->text.r, L->text.g, L->text.b);
  for (guint i = 0; i < f.pages->len; i++)
    {
      Page *pg = f.pages->pdata[i];
      double x = (i % 2 == 0) ? L->margin_inner : L->margin_outer;
      for (guint j = 0; j < pg->lines->len; j++)
        {
          Placed *p = &g_array_index (pg->lines, Placed, j);
          cairo_move_to (cr, x, p->y);
          pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (p->layout, p->line));
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  int status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  gint64 t2 = g_get_monotonic_time ();
  printf ("floor: layout %.3f\nfloor: draw %.3f\nfloor: pages %u\n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, f.pages->len);

  for (guint i = 0; i < f.pages->len; i++)
    {
      Page *pg = f.pages->pdata[i];
      g_array_unref (pg->lines);
      g_free (pg);
    }
  g_ptr_array_unref (f.pages);
  g_ptr_array_unref (f.layouts);
  pango_font_description_free (f.body);
  pango_font_description_free (f.heading);
  g_object_unref (f.ctx);
  g_object_unref (fm);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      fprintf (stderr, "%s: %s\n", argv[2], cairo_status_to_string ((cairo_status_t) status));
      return 1;
    }
  return 0;
}
