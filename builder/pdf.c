/* pdf.c — Cairo PDF back-end. */
#include "pdf.h"
#include "bb-build.h"
#include "cover.h"
#include "numfmt.h"
#include "parallel.h"
#include "pdfmerge.h"
#include "publish.h"
#include "text.h"
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define PT(x) ((double) (x) / PANGO_SCALE)

/* How hard Cairo's page streams are compressed.
 *
 * Cairo 1.16 compresses each page's content stream, and the fonts it
 * embeds, through zlib's deflateInit () at the default level, 6, with no
 * way to ask for another.  In a 100-source book that deflating was 8% of
 * all the instructions of a build.  deflateInit () is a macro for
 * deflateInit_ (), which this file defines in the executable, and an
 * executable's definition comes first for every library of the process
 * (ELF symbol interposition, as numfmt.c and shape.c do): a call asking
 * for the default level gets level 3, zlib's fast matcher.  Measured on
 * the 100-source book: 2.3% fewer instructions for the whole build, and a
 * PDF 1.8% larger (level 1 saved 0.2% more, for 2.8%).  Nothing else in
 * the process uses deflateInit (): libzip, libpng and GLib set their
 * levels through deflateInit2_ (), which is left alone.
 * BRIEFING_PDF_DEFLATE=default keeps zlib's level. */
#define PDF_DEFLATE_LEVEL 3

int deflateInit_ (z_streamp strm, int level, const char *version, int stream_size);

int
deflateInit_ (z_streamp strm, int level, const char *version, int stream_size)
{
  static int keep = -1;
  if (__atomic_load_n (&keep, __ATOMIC_RELAXED) < 0)
    __atomic_store_n (&keep, g_strcmp0 (g_getenv ("BRIEFING_PDF_DEFLATE"), "default") == 0, __ATOMIC_RELAXED);
  if (level == Z_DEFAULT_COMPRESSION && !__atomic_load_n (&keep, __ATOMIC_RELAXED))
    level = PDF_DEFLATE_LEVEL;
  /* what deflateInit_ () passes on: zlib's default window and memory */
  return deflateInit2_ (strm, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY, version, stream_size);
}

/* Strings handed to Cairo for metadata, outlines and tags. */
static char *
pdf_string (const char *s)
{
  return bb_text_scrub (s);
}

/* Cairo tag attribute strings quote with ' and escape with \. */
static void
attr_quote_append (GString *o, const char *raw)
{
  g_autofree char *clean = pdf_string (raw);
  g_string_append_c (o, '\'');
  for (const char *s = clean; *s; s++)
    {
      if (*s == '\'' || *s == '\\')
        g_string_append_c (o, '\\');
      g_string_append_c (o, *s);
    }
  g_string_append_c (o, '\'');
}

/* "dest='anchor'", for the outline. */
static char *
dest_attr (const char *anchor)
{
  GString *o = g_string_new ("dest=");
  attr_quote_append (o, anchor);
  return g_string_free (o, FALSE);
}

/* Appends " key=N" with N as "%.2f" in the C locale: a book has some
 * 140,000 links and 100,000 destinations, and glibc's printf of a double
 * cost more than Cairo's handling of the tag; a locale whose decimal
 * separator is a comma would also have made the attributes unreadable. */
static void
attr_number (GString *o, const char *key, double v)
{
  g_string_append_c (o, ' ');
  g_string_append (o, key);
  g_string_append_c (o, '=');
  bb_numfmt_append_fixed (o, v, 2);
}

static void
set_colour (cairo_t *cr, const BbColour *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

/* One link to target over n rectangles (x, y, w, h each; those of no
 * width are left out): a link that runs over several lines is one
 * annotation, its lines its /QuadPoints and their union its /Rect, as
 * Cairo writes a link with several rectangles. */
static void
link_rects (cairo_t *cr, const char *target, const double *r, guint n)
{
  if (!target || !*target)
    return;
  GString *attrs = g_string_sized_new (96);
  g_string_append (attrs, "rect=[");
  guint kept = 0;
  for (guint k = 0; k < n; k++)
    {
      if (r[4 * k + 2] <= 0)
        continue;
      for (int i = 0; i < 4; i++)
        {
          if (kept || i)
            g_string_append_c (attrs, ' ');
          bb_numfmt_append_fixed (attrs, r[4 * k + i], 2);
        }
      kept++;
    }
  if (kept)
    {
      g_string_append (attrs, target[0] == '#' ? "] dest=" : "] uri=");
      attr_quote_append (attrs, target[0] == '#' ? target + 1 : target);
      cairo_tag_begin (cr, CAIRO_TAG_LINK, attrs->str);
      cairo_tag_end (cr, CAIRO_TAG_LINK);
    }
  g_string_free (attrs, TRUE);
}

/* Draws lines first..last-1 of t with the top of line `first` at y. */
static void
draw_text (cairo_t *cr, const BbText *t, int first, int last, double x, double y)
{
  if (!t || first >= last)
    return;
  const BbLine *l0 = &t->lines[first];
  double stack[2 * 16];
  double *origins = last - first <= 16 ? stack : g_new (double, 2 * (last - first));
  for (int i = first; i < last; i++)
    {
      origins[2 * (i - first)] = x + PT (t->lines[i].x);
      origins[2 * (i - first) + 1] = y + PT (t->lines[i].baseline - l0->y);
    }
  bb_glyphs_draw_lines (t->glyphs, (guint) first, (guint) last, cr, t->str, origins);
  if (origins != stack)
    g_free (origins);
  /* each link once, over its pieces on every line drawn here */
  if (!t->n_spans)
    return;
  g_autoptr (GArray) rects = g_array_new (FALSE, FALSE, sizeof (double));
  int len = (int) strlen (t->str);
  for (guint s = 0; s < t->n_spans; s++)
    {
      const BbSpan *sp = &t->spans[s];
      g_array_set_size (rects, 0);
      for (int i = first; i < last; i++)
        {
          const BbLine *li = &t->lines[i];
          int ls = li->start_index;
          int le = i + 1 < (int) t->n_lines ? t->lines[i + 1].start_index : len;
          int a = MAX (sp->start, ls), b = MIN (sp->end, le);
          if (a >= b)
            continue;
          int *ranges = NULL, n = 0;
          bb_glyphs_x_ranges (t->glyphs, (guint) i, t->str, a, b, &ranges, &n);
          for (int r = 0; r < n; r++)
            {
              double q[4] = { x + PT (li->x + ranges[2 * r]), y + PT (li->y - l0->y),
                              PT (ranges[2 * r + 1] - ranges[2 * r]), PT (li->height) };
              g_array_append_vals (rects, q, 4);
            }
          g_free (ranges);
        }
      link_rects (cr, sp->target, (const double *) rects->data, rects->len / 4);
    }
}

static void
dest (cairo_t *cr, const char *anchor, double x, double y)
{
  if (!anchor)
    return;
  GString *attrs = g_string_sized_new (64);
  g_string_append (attrs, "name=");
  attr_quote_append (attrs, anchor);
  attr_number (attrs, "x", x);
  attr_number (attrs, "y", MAX (0, y - 4));
  cairo_tag_begin (cr, CAIRO_TAG_DEST, attrs->str);
  cairo_tag_end (cr, CAIRO_TAG_DEST);
  g_string_free (attrs, TRUE);
}

static void
draw_table (cairo_t *cr, const BbLayout *L, const BbBox *b, const BbPlaced *p, double x0, double y0)
{
  const BbTable *tb = b->table;
  double y = y0 + p->y;
  double x = x0 + b->x;
  double w = tb->colx[tb->ncols - 1] + tb->colw[tb->ncols - 1];
  cairo_tag_begin (cr, "Table", NULL);
  for (int pass = 0; pass < 2; pass++)
    {
      int from = pass == 0 ? 0 : p->first, to = pass == 0 ? tb->nheader : p->last;
      for (int r = from; r < to; r++)
        {
          const BbNode *row = tb->rownodes[r];
          gboolean head = r < tb->nheader;
          if (head)
            {
              cairo_set_source_rgb (cr, 0.9 + 0.1 * L->accent.r, 0.9 + 0.1 * L->accent.g, 0.93 + 0.07 * L->accent.b);
              cairo_rectangle (cr, x, y, w, tb->rowh[r]);
              cairo_fill (cr);
            }
          else if (row->flags & BB_FLAG_NEW)
            {
              /* change bar in the margin for rows new in this edition */
              set_colour (cr, &L->marking);
              cairo_rectangle (cr, x - 8, y + 1, 2.2, tb->rowh[r] - 2);
              cairo_fill (cr);
            }
          if (bb_node_anchor (row))
            dest (cr, bb_node_anchor (row), x, y);
          cairo_tag_begin (cr, "TR", NULL);
          for (int c = 0; c < tb->ncols; c++)
            {
              cairo_tag_begin (cr, head ? "TH" : "TD", NULL);
              set_colour (cr, &L->text);
              draw_text (cr, tb->cells[r * tb->ncols + c], 0,
                         tb->cells[r * tb->ncols + c] ? (int) tb->cells[r * tb->ncols + c]->n_lines : 0,
                         x + tb->colx[c] + tb->pad, y + tb->pad);
              cairo_tag_end (cr, head ? "TH" : "TD");
            }
          cairo_tag_end (cr, "TR");
          y += tb->rowh[r];
          set_colour (cr, &L->rule);
          cairo_set_line_width (cr, head && r == tb->nheader - 1 ? 0.9 : 0.35);
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + w, y);
          cairo_stroke (cr);
        }
    }
  /* top rule */
  set_colour (cr, &L->rule);
  cairo_set_line_width (cr, 0.9);
  cairo_move_to (cr, x, y0 + p->y);
  cairo_line_to (cr, x + w, y0 + p->y);
  cairo_stroke (cr);
  cairo_tag_end (cr, "Table");
}

static void
draw_leader (cairo_t *cr, const BbLayout *L, const BbBox *b, const BbPlaced *p, double x0, double y0)
{
  const BbText *t = b->text;
  int n = (int) t->n_lines;
  draw_text (cr, t, 0, n, x0 + b->x, y0 + p->y);
  const BbLine *l0 = &t->lines[0];
  const BbLine *ll = &t->lines[n - 1];
  double base = y0 + p->y + PT (ll->baseline - l0->y);
  double end = x0 + b->x + PT (ll->x + bb_glyphs_line_width (t->glyphs, (guint) n - 1)) + 4;
  /* page number, right-aligned, on the last line's baseline */
  const BbText *a = b->aux;
  const BbLine *al = &a->lines[0];
  double ax = x0 + b->aux_x;
  draw_text (cr, a, 0, 1, ax, base - PT (al->baseline - al->y));
  double num_start = ax + PT (al->x) - 4;
  /* dots on a fixed grid so columns of leaders line up */
  const double step = 4.5;
  set_colour (cr, &L->rule);
  for (double dx = ceil (end / step) * step; dx < num_start - 1; dx += step)
    {
      cairo_arc (cr, dx, base - 0.4, 0.45, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

char *
bb_pdf_expand (const char *tmpl, const BbBook *book, const char *chapter, const char *page)
{
  if (!tmpl)
    return g_strdup ("");
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (book->date);
  g_autofree char *date = dt ? g_date_time_format (dt, "%-d %B %Y") : g_strdup ("");
  struct { const char *key, *val; } vars[] = {
    { "{book}", book->config->title }, { "{chapter}", chapter }, { "{page}", page },
    { "{edition}", book->edition }, { "{date}", date }, { "{marking}", book->config->marking },
  };
  GString *o = g_string_new (NULL);
  for (const char *s = tmpl; *s;)
    {
      gboolean hit = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
        if (g_str_has_prefix (s, vars[i].key))
          {
            g_string_append (o, vars[i].val ? vars[i].val : "");
            s += strlen (vars[i].key);
            hit = TRUE;
            break;
          }
      if (!hit)
        g_string_append_c (o, *s++);
    }
  return g_string_free (o, FALSE);
}

/* What drawing one run of pages needs.  The runs of a long book are drawn
 * on several threads at once (bb_pdf_write); Pango lays text out on one of
 * them at a time (pango_lock), since layouts that overlap can damage each
 * other's font metrics (paginate.c).  Drawing laid-out glyphs needs no
 * lock: each run has its own Cairo surface, and Cairo locks the fonts
 * they share. */
typedef struct {
  cairo_t *cr;
  BbTypeset *ts;
  const BbBook *book;
  pthread_mutex_t *pango_lock;
  /* The running heads and markings repeat page after page: each line,
   * fitted, is laid out once per run (key: font, width and text). */
  GHashTable *running_lines;
} Draw;

static void
show_line (Draw *dr, const char *family, double size, PangoWeight w, const char *text,
           double x, double baseline, double max_width, int align /* -1 left 0 centre 1 right */)
{
  if (!text || !*text)
    return;
  cairo_t *cr = dr->cr;
  g_autofree char *key = g_strdup_printf ("%s|%a|%d|%a|%s", family, size, (int) w, max_width, text);
  PangoLayout *l = g_hash_table_lookup (dr->running_lines, key);
  PangoRectangle lr;
  if (l)
    {
      pango_layout_get_extents (l, NULL, &lr);
      goto draw;
    }
  pthread_mutex_lock (dr->pango_lock);
  l = bb_typeset_line (dr->ts, family, size, w, text, -1);
  g_hash_table_insert (dr->running_lines, g_strdup (key), l);
  pango_layout_get_extents (l, NULL, &lr);
  /* too long: cut at a word boundary and mark the cut */
  if (max_width > 0 && lr.width / PANGO_SCALE > max_width)
    {
      g_autofree char *cut = g_strdup (text);
      char *sp;
      while ((sp = strrchr (cut, ' ')) && lr.width / PANGO_SCALE > max_width)
        {
          *sp = 0;
          g_autofree char *t = g_strconcat (cut, "…", NULL);
          pango_layout_set_text (l, t, -1);
          pango_layout_get_extents (l, NULL, &lr);
        }
      if (lr.width / PANGO_SCALE > max_width)
        {
          /* one long word: let Pango end it */
          pango_layout_set_width (l, (int) (max_width * PANGO_SCALE));
          pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
          pango_layout_set_text (l, text, -1);
          pango_layout_get_extents (l, NULL, &lr);
        }
    }
  /* the line is shaped now: drawing it only reads it */
  pango_layout_get_line_readonly (l, 0);
  pthread_mutex_unlock (dr->pango_lock);
draw:;
  double tw = PT (lr.width);
  double xx = align < 0 ? x : align == 0 ? x - tw / 2 : x - tw;
  cairo_move_to (cr, xx, baseline);
  pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (l, 0));
}

static void
draw_running (Draw *dr, const BbPageOut *pg, double left, double width)
{
  cairo_t *cr = dr->cr;
  const BbBook *book = dr->book;
  const BbLayout *L = bb_typeset_layout (dr->ts);
  const BbNode *sec = pg->section;
  const char *chapter = sec->subtitle ? sec->subtitle : sec->text;
  double head_base = L->margin_top - L->header_gap;
  double foot_base = L->height - L->margin_bottom + L->footer_gap;
  set_colour (cr, &L->marking);
  g_autofree char *mt = bb_pdf_expand (L->marking_top, book, chapter, pg->label);
  g_autofree char *mb = bb_pdf_expand (L->marking_bottom, book, chapter, pg->label);
  show_line (dr, L->heading_font, L->small_size, PANGO_WEIGHT_BOLD, mt, L->width / 2, head_base * 0.5 + 3, L->width - 40, 0);
  show_line (dr, L->heading_font, L->small_size, PANGO_WEIGHT_BOLD, mb, L->width / 2,
             L->height - (L->margin_bottom - L->footer_gap) / 2 + 3, L->width - 40, 0);
  /* a blank page carries the markings and nothing else */
  if (sec->kind != BB_SECTION_COVER && !pg->blank)
    {
      set_colour (cr, &L->rule);
      g_autofree char *hl = bb_pdf_expand (L->header_left, book, chapter, pg->label);
      g_autofree char *hr = bb_pdf_expand (L->header_right, book, chapter, pg->label);
      g_autofree char *fc = bb_pdf_expand (L->footer_center, book, chapter, pg->label);
      show_line (dr, L->heading_font, L->small_size, PANGO_WEIGHT_NORMAL, hl, left, head_base, width * 0.45, -1);
      show_line (dr, L->heading_font, L->small_size, PANGO_WEIGHT_NORMAL, hr, left + width, head_base, width * 0.5, 1);
      cairo_set_line_width (cr, 0.4);
      cairo_move_to (cr, left, head_base + 4);
      cairo_line_to (cr, left + width, head_base + 4);
      cairo_stroke (cr);
      set_colour (cr, &L->text);
      show_line (dr, L->heading_font, L->small_size + 0.5, PANGO_WEIGHT_NORMAL, fc, left + width / 2, foot_base, width, 0);
    }
}

static void
draw_page (Draw *dr, const BbPageOut *pg, guint index, gboolean opens)
{
  cairo_t *cr = dr->cr;
  const BbLayout *L = bb_typeset_layout (dr->ts);
  /* recto pages (odd in print, even index) have the inner margin on the left */
  double left = index % 2 == 0 ? L->margin_inner : L->margin_outer;
  double width = L->width - L->margin_inner - L->margin_outer;
  double top = L->margin_top;
  if (pg->section->kind == BB_SECTION_COVER)
    {
      pthread_mutex_lock (dr->pango_lock);
      bb_cover_draw (cr, dr->book, L, L->width, L->height);
      pthread_mutex_unlock (dr->pango_lock);
      dest (cr, bb_node_anchor (pg->section), 0, 0);
      return;
    }
  /* a destination is defined once: on the page that opens its section */
  if (opens)
    dest (cr, bb_node_anchor (pg->section), left, top);
  draw_running (dr, pg, left, width);
  for (guint i = 0; i < pg->placed->len; i++)
    {
      const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, i);
      const BbBox *b = p->box;
      double bx = left + b->x + p->x;
      if (p->first == 0 && bb_node_anchor (b->node))
        dest (cr, bb_node_anchor (b->node), bx, top + p->y);
      switch (b->kind)
        {
        case BB_BOX_TEXT:
          {
            double h = PT (b->text->lines[p->last - 1].y
                           + b->text->lines[p->last - 1].height
                           - b->text->lines[p->first].y);
            if (b->fill)
              {
                set_colour (cr, b->fill);
                cairo_rectangle (cr, bx - 4, top + p->y - 2, b->width, h + 4);
                cairo_fill (cr);
              }
            if (b->bar > 0)
              {
                set_colour (cr, &L->rule);
                cairo_rectangle (cr, bx - 10, top + p->y, b->bar, h);
                cairo_fill (cr);
              }
            if (b->node->flags & BB_FLAG_NEW)
              {
                set_colour (cr, &L->marking);
                cairo_rectangle (cr, left - 8, top + p->y, 2.2, h);
                cairo_fill (cr);
              }
            set_colour (cr, &L->text);
            if (b->tag)
              cairo_tag_begin (cr, b->tag, NULL);
            draw_text (cr, b->text, p->first, p->last, bx, top + p->y);
            if (b->tag)
              cairo_tag_end (cr, b->tag);
            if (b->aux && p->first == 0)
              draw_text (cr, b->aux, 0, 1, left + b->aux_x, top + p->y);
            if (b->node->type == BB_NODE_HEADING && b->node->level == 1)
              {
                /* chapter titles carry a rule above */
                set_colour (cr, &L->accent);
                cairo_set_line_width (cr, 1.2);
                cairo_move_to (cr, bx, top + p->y - 6);
                cairo_line_to (cr, bx + 48, top + p->y - 6);
                cairo_stroke (cr);
              }
          }
          break;
        case BB_BOX_LEADER:
          cairo_tag_begin (cr, "P", NULL);
          set_colour (cr, &L->text);
          draw_leader (cr, L, b, p, left, top);
          cairo_tag_end (cr, "P");
          break;
        case BB_BOX_TABLE:
          draw_table (cr, L, b, p, left, top);
          break;
        case BB_BOX_RULE:
          set_colour (cr, &L->rule);
          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, left + b->x + b->width * 0.35, top + p->y);
          cairo_line_to (cr, left + b->x + b->width * 0.65, top + p->y);
          cairo_stroke (cr);
          break;
        }
    }
}

static void
add_outline (cairo_surface_t *s, const BbBook *book)
{
  for (const BbNode *sec = book->tree->first; sec; sec = sec->next)
    {
      if (sec->type != BB_NODE_SECTION || !bb_node_anchor (sec))
        continue;
      g_autofree char *la = dest_attr (bb_node_anchor (sec));
      g_autofree char *title = pdf_string (sec->text);
      int id = cairo_pdf_surface_add_outline (s, CAIRO_PDF_OUTLINE_ROOT, title, la, 0);
      /* second-level entries: headings of level 2 inside the section */
      for (const BbNode *b = sec->first; b; b = b->next)
        if (b->type == BB_NODE_HEADING && b->level == 2 && bb_node_anchor (b))
          {
            g_autofree char *plain = bb_node_plain (b);
            g_autofree char *t = pdf_string (plain);
            g_autofree char *la2 = dest_attr (bb_node_anchor (b));
            cairo_pdf_surface_add_outline (s, id, t, la2, 0);
          }
    }
}

static char *
pdf_date (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("1970-01-01T00:00:00Z");
}

/* Cairo's own file output does not notice a failed final flush (a full
 * disk, a file size limit), so the PDF goes through a stream we check.
 * It may go to two files at once: the book and its edition's copy, which
 * is then written while the pages are drawn rather than copied after. */
typedef struct {
  FILE *f[2];     /* the second may be NULL */
  int error[2];   /* errno of the first failed write to each, 0 if none */
  guint64 written, started; /* bytes written to each, and sent to disk */
  gint *stop;     /* set when a write fails (cairo_sink_write) */
  char *buf[2];   /* each file's stdio buffer (SINK_BUFFER_BYTES) */
} Sink;

/* stdio buffers a file in blocks of the file system's size, 4 KiB on
 * ext4: a write call for every 4 KiB of a 100 MB PDF, written twice.  On
 * this machine dd writes such a file in 0.15 s in blocks of 4 KiB, in
 * 0.04 s in blocks of 64 KiB or more; and the join of the runs writes
 * while it holds the lock the drawing threads wait on. */
#define SINK_BUFFER_BYTES (256u << 10)

/* The book must be on disk before it is renamed into place (publish.c
 * syncs it), and a 1,000-source book is two files of 113 MB: waiting for
 * all of it at the end took 0.45 s.  So the disk is asked to start on
 * each 8 MiB as soon as it is written, while the pages after it are
 * drawn, and the final sync has little left to wait for. */
#define SINK_START_BYTES (8u << 20)

static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *k = closure;
  for (int i = 0; i < 2; i++)
    if (k->f[i] && k->error[i] == 0 && fwrite (data, 1, length, k->f[i]) != length)
      k->error[i] = errno ? errno : EIO;
  k->written += length;
  if (k->written - k->started >= SINK_START_BYTES)
    {
      for (int i = 0; i < 2; i++)
        if (k->f[i] && k->error[i] == 0)
          {
            if (fflush (k->f[i]) != 0)
              k->error[i] = errno ? errno : EIO;
#ifdef SYNC_FILE_RANGE_WRITE
            else /* only a hint: the final sync still checks */
              sync_file_range (fileno (k->f[i]), (off_t) k->started, (off_t) (k->written - k->started),
                               SYNC_FILE_RANGE_WRITE);
#endif
          }
      k->started = k->written;
    }
  return k->error[0] || k->error[1] ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The stream of a book drawn in one run, which Cairo writes itself.
 * Cairo 1.16 does not survive a write error in the middle of a page: the
 * page is never added to its page list, and finishing the surface then
 * fails an assertion (the index of a destination on that page, in
 * _cairo_pdf_interchange_write_document_dests) and aborts the process.  So
 * Cairo is never told: a failed write is kept in the sink, the drawing
 * stops at the end of the page (through stop), Cairo finishes writing
 * into nothing, and bb_pdf_write reports the first error. */
static cairo_status_t
cairo_sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *k = closure;
  if (sink_write (closure, data, length) != CAIRO_STATUS_SUCCESS && k->stop)
    g_atomic_int_set (k->stop, 1);
  return CAIRO_STATUS_SUCCESS;
}

/* A long book is drawn in runs of RUN_PAGES pages, each on a Cairo surface
 * of its own, on every processor (bb_parallel_for); pdfmerge.c joins the
 * runs in order as they are finished.  A book of one run is written by its
 * surface straight to the file, as before there were runs.  The runs
 * depend on the pages alone, never on the threads, so every machine
 * writes the same bytes.  128 pages: each run embeds its own font subsets
 * (a 5,000-page book's PDF is 1% larger than in runs of 256, 2% than in
 * one), and what Cairo holds of a run until it is finished (its links,
 * structure elements and the PDF bytes themselves) is held for two runs
 * at once.  At 1,000 sources, runs of 256 pages made drawing the peak of
 * the build's memory (320 MiB against 314 for layout); runs of 128 keep
 * it under layout's, in the same time within the machine's noise (three
 * builds each, alternating).  BRIEFING_PDF_RUN_PAGES sets it (tests draw
 * the seed book in runs of a few pages).
 *
 * The runs are counted from the first page and again from page 1 of the
 * body, so that the body's runs hold the same pages however long the
 * front matter (the chronology, the attendees) grows.  `briefing watch`
 * keeps the bytes of each run it joined (Kept, below): a run of the next
 * edition that draws the same as one of the last is joined from those
 * bytes, not drawn again.  A source added at the end of the book leaves
 * every run of the body before it as it was. */
#define RUN_PAGES 128

/* ---- runs kept from the last build (briefing watch) ---------------------- */

/* Each run's bytes go to a temporary file, unlinked at once, rather than
 * memory: a 1,000-source book's runs come to 115 MB.  Keys are digests
 * (digest.h) of what the run draws (run_key), in which each text stands as a digest
 * of itself, remembered by its serial (texts do not change). */
typedef struct {
  int fd;              /* -1: none */
  guint64 size;
  GHashTable *where;   /* key → Place */
  GHashTable *digests; /* text serial → Digest */
} Kept;

typedef struct {
  guint64 serial;
  guint8 sum[16];      /* digest.h */
} Digest;

typedef struct {
  guint64 offset;
  guint len;
} Place;

static void
kept_free (gpointer p)
{
  Kept *k = p;
  if (!k)
    return;
  if (k->fd >= 0)
    close (k->fd);
  g_hash_table_unref (k->where);
  g_hash_table_unref (k->digests);
  g_free (k);
}

/* The file goes beside the book (near, the PDF's path), on the disk that
 * holds the book: a temporary folder may be memory (tmpfs).  It is named
 * as the output folder's temporaries are, so that the sweep of the next
 * build takes it if the process dies before the unlink. */
static Kept *
kept_new (const char *near)
{
  Kept *k = g_new0 (Kept, 1);
  g_autofree char *dir = g_path_get_dirname (near);
  g_autofree char *name = g_build_filename (dir, ".briefing-runs.XXXXXX", NULL);
  k->fd = g_mkstemp_full (name, O_RDWR | O_CLOEXEC, 0600);
  if (k->fd >= 0)
    unlink (name);
  k->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  k->digests = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  return k;
}

/* Appends a joined run's bytes under key; a failed write only means the
 * run is drawn again next time. */
static void
kept_add (Kept *k, const char *key, const guint8 *data, gsize len)
{
  if (k->fd < 0 || len > G_MAXUINT || g_hash_table_contains (k->where, key))
    return;
  gsize done = 0;
  while (done < len)
    {
      ssize_t w = pwrite (k->fd, data + done, len - done, (off_t) (k->size + done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      done += (gsize) w;
    }
  Place *pl = g_new (Place, 1);
  pl->offset = k->size;
  pl->len = (guint) len;
  k->size += len;
  g_hash_table_insert (k->where, g_strdup (key), pl);
}

/* The bytes kept under key, into bytes (emptied first); FALSE when there
 * are none or they cannot be read. */
static gboolean
kept_get (const Kept *k, const char *key, GByteArray *bytes)
{
  const Place *pl = k && k->fd >= 0 ? g_hash_table_lookup (k->where, key) : NULL;
  if (!pl)
    return FALSE;
  g_byte_array_set_size (bytes, pl->len);
  gsize done = 0;
  while (done < pl->len)
    {
      ssize_t r = pread (k->fd, bytes->data + done, pl->len - done, (off_t) (pl->offset + done));
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        {
          g_byte_array_set_size (bytes, 0);
          return FALSE;
        }
      done += (gsize) r;
    }
  return TRUE;
}

typedef struct {
  const BbBook *book;
  BbTypeset *ts;
  guint n, runs;
  guint *first;       /* runs + 1: the first page of each run, then n */
  const Kept *old;    /* the last build's runs, or NULL */
  Kept *now;          /* this build's, or NULL: runs under merge_lock, */
  pthread_mutex_t digest_lock; /* digests under this */
  char **keys;        /* per run: run_key, or NULL (not kept) */
  guint *join;        /* the runs in the order they are joined: join_order */
  guint *order;       /* the runs in the order they are handed out (join,
                         or draw_order's) */
  guint reused;       /* runs joined from old, under merge_lock */
  gboolean *was_reused; /* per run, under merge_lock */
  BbPdfProgress progress;
  gpointer data;
  pthread_mutex_t pango_lock;  /* Pango layout, and progress */
  guint drawn;        /* pages drawn, under pango_lock */
  pthread_mutex_t merge_lock;  /* what follows */
  GByteArray **finished; /* runs drawn, waiting for the runs before them */
  GPtrArray *spare;   /* buffers of joined runs, for the next runs to draw
                         into: no new pages to fault in, no growing */
  guint next;         /* the next run to join, as a place in join */
  BbPdfMerge *merge;
  GError *error;
  gint failed;        /* atomic: stop drawing */
  guint run_bytes;    /* the longest run yet, under merge_lock */
} Job;

/* ---- what a run draws, as a key --------------------------------------- */

/* A text as a digest of what draws it; computed once per text and build
 * (and carried to the next build while the text lives). */
static void
feed_text (BbDigest *ck, Job *job, const BbText *t)
{
  if (!t)
    {
      bb_digest_feed (ck, "\xff", 1);
      return;
    }
  pthread_mutex_lock (&job->digest_lock);
  const Digest *d = g_hash_table_lookup (job->now->digests, &t->serial);
  pthread_mutex_unlock (&job->digest_lock);
  if (!d && job->old)
    d = g_hash_table_lookup (job->old->digests, &t->serial);
  Digest *nd = NULL;
  if (!d)
    {
      g_autoptr (BbDigest) c = bb_digest_new ();
      bb_digest_feed_str (c, t->str);
      bb_digest_feed_int (c, t->height);
      bb_digest_feed (c, t->lines, sizeof (BbLine) * t->n_lines);
      for (guint i = 0; i < t->n_spans; i++)
        {
          const BbSpan *sp = &t->spans[i];
          bb_digest_feed_int (c, ((gint64) sp->start << 32) | (guint32) sp->end);
          bb_digest_feed_str (c, sp->target);
        }
      bb_digest_feed_int (c, t->glyphs != NULL);
      if (t->glyphs)
        bb_glyphs_feed (t->glyphs, c);
      nd = g_new (Digest, 1);
      nd->serial = t->serial;
      bb_digest_get (c, nd->sum);
      d = nd;
    }
  bb_digest_feed (ck, d->sum, sizeof d->sum);
  pthread_mutex_lock (&job->digest_lock);
  if (!g_hash_table_contains (job->now->digests, &t->serial))
    {
      if (!nd)
        nd = g_memdup2 (d, sizeof *d);
      g_hash_table_insert (job->now->digests, &nd->serial, nd);
      nd = NULL;
    }
  pthread_mutex_unlock (&job->digest_lock);
  g_free (nd);
}

static void
feed_colour (BbDigest *ck, const BbColour *c)
{
  bb_digest_feed_int (ck, c != NULL);
  if (c)
    {
      bb_digest_feed_double (ck, c->r);
      bb_digest_feed_double (ck, c->g);
      bb_digest_feed_double (ck, c->b);
    }
}

/* Feeds what draw_page (and what it calls) reads of page i: change one and
 * this changes the key.  The layout's settings stay as they are for the
 * life of the typeset that keeps the runs (bb_typeset_reuse); the cover is
 * never kept (run_key). */
static void
feed_page (BbDigest *ck, Job *job, guint i)
{
  const BbBook *book = job->book;
  BbTypeset *ts = job->ts;
  const BbLayout *L = bb_typeset_layout (ts);
  const BbPageOut *pg = bb_typeset_page (ts, i);
  const BbNode *sec = pg->section;
  gboolean opens = i == 0 || bb_typeset_page (ts, i - 1)->section != sec;
  bb_digest_feed_int (ck, (i % 2) | (opens << 1) | (pg->blank << 2) | ((gint64) sec->kind << 3));
  bb_digest_feed_str (ck, opens ? bb_node_anchor (sec) : NULL);
  bb_digest_feed_str (ck, pg->label);
  /* the running heads as draw_running expands them */
  const char *chapter = sec->subtitle ? sec->subtitle : sec->text;
  const char *tmpl[] = { L->marking_top, L->marking_bottom, L->header_left, L->header_right, L->footer_center };
  for (guint k = 0; k < G_N_ELEMENTS (tmpl); k++)
    {
      g_autofree char *x = bb_pdf_expand (tmpl[k], book, chapter, pg->label);
      bb_digest_feed_str (ck, x);
    }
  bb_digest_feed_int (ck, pg->placed->len);
  for (guint k = 0; k < pg->placed->len; k++)
    {
      const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, k);
      const BbBox *b = p->box;
      const BbNode *n = b->node;
      bb_digest_feed_int (ck, p->first);
      bb_digest_feed_int (ck, p->last);
      bb_digest_feed_double (ck, p->y);
      bb_digest_feed_double (ck, p->x);
      bb_digest_feed_int (ck, ((gint64) b->kind) | ((gint64) n->type << 8) | ((gint64) n->level << 16)
                        | ((gint64) ((n->flags & BB_FLAG_NEW) != 0) << 24));
      bb_digest_feed_str (ck, p->first == 0 ? bb_node_anchor (n) : NULL);
      bb_digest_feed_str (ck, b->tag);
      bb_digest_feed_double (ck, b->x);
      bb_digest_feed_double (ck, b->width);
      bb_digest_feed_double (ck, b->aux_x);
      bb_digest_feed_double (ck, b->bar);
      feed_colour (ck, b->fill);
      feed_text (ck, job, b->text);
      feed_text (ck, job, b->aux);
      const BbTable *tb = b->table;
      if (!tb)
        continue;
      bb_digest_feed_int (ck, tb->ncols);
      bb_digest_feed_int (ck, tb->nheader);
      bb_digest_feed_double (ck, tb->pad);
      bb_digest_feed (ck, tb->colx, sizeof (double) * (gsize) tb->ncols);
      bb_digest_feed (ck, tb->colw, sizeof (double) * (gsize) tb->ncols);
      for (int pass = 0; pass < 2; pass++)
        for (int r = pass == 0 ? 0 : p->first; r < (pass == 0 ? tb->nheader : p->last); r++)
          {
            bb_digest_feed_int (ck, r);
            bb_digest_feed_double (ck, tb->rowh[r]);
            bb_digest_feed_str (ck, bb_node_anchor (tb->rownodes[r]));
            bb_digest_feed_int (ck, (tb->rownodes[r]->flags & BB_FLAG_NEW) != 0);
            for (int c = 0; c < tb->ncols; c++)
              feed_text (ck, job, tb->cells[r * tb->ncols + c]);
          }
    }
}

/* The key of the run of pages from..to-1: NULL for the first run (the
 * cover, the document's metadata) and the last (the outline), which are
 * always drawn. */
static char *
run_key (Job *job, guint from, guint to)
{
  if (from == 0 || to == job->n)
    return NULL;
  g_autoptr (BbDigest) ck = bb_digest_new ();
  bb_digest_feed_int (ck, to - from);
  for (guint i = from; i < to; i++)
    feed_page (ck, job, i);
  char *key = g_malloc (33);
  bb_digest_hex (ck, key);
  return key;
}


/* Draws pages from..to-1 on s; the outline goes with the last page. */
static cairo_status_t
draw_pages (Job *job, cairo_surface_t *s, guint from, guint to)
{
  const BbBook *book = job->book;
  BbTypeset *ts = job->ts;
  g_autofree char *date = pdf_date (book->date);
  g_autofree char *creator = g_strdup_printf ("briefing %s", BB_VERSION);
  g_autofree char *title = pdf_string (book->config->title);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_TITLE, title);
  if (book->config->author)
    {
      g_autofree char *author = pdf_string (book->config->author);
      cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_AUTHOR, author);
    }
  g_autofree char *subject = g_strdup_printf ("%s (%s, edition %s)",
                                              book->config->subtitle ? book->config->subtitle : "Briefing book",
                                              book->config->marking, book->edition);
  g_autofree char *subject_clean = pdf_string (subject);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_SUBJECT, subject_clean);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATOR, creator);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_MOD_DATE, date);
  Draw dr = { cairo_create (s), ts, book, &job->pango_lock,
              g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref) };
  for (guint i = from; i < to && !g_atomic_int_get (&job->failed); i++)
    {
      const BbPageOut *pg = bb_typeset_page (ts, i);
      g_autofree char *label = pdf_string (pg->label);
      cairo_pdf_surface_set_page_label (s, label);
      draw_page (&dr, pg, i, i == 0 || bb_typeset_page (ts, i - 1)->section != pg->section);
      cairo_show_page (dr.cr);
      bb_typeset_page_drawn (ts, i, from);
      if (job->progress)
        {
          pthread_mutex_lock (&job->pango_lock);
          job->progress (job->drawn++, job->n, job->data);
          pthread_mutex_unlock (&job->pango_lock);
        }
      if (cairo_status (dr.cr) != CAIRO_STATUS_SUCCESS)
        break;
    }
  g_hash_table_unref (dr.running_lines);
  if (to == job->n)
    add_outline (s, book);
  cairo_status_t st = cairo_status (dr.cr);
  cairo_destroy (dr.cr);
  cairo_surface_finish (s);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status (s);
  return st;
}

static cairo_status_t
bytes_write (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
fail_job (Job *job, GError *e)
{
  if (!job->error)
    job->error = e;
  else
    g_error_free (e);
  g_atomic_int_set (&job->failed, 1);
}

/* bb_parallel_for: the key of run k. */
static void
key_run (guint k, gpointer data)
{
  Job *job = data;
  job->keys[k] = run_key (job, job->first[k], job->first[k + 1]);
}

/* The order in which the runs are joined: the body's, then the front
 * matter's.  It is fixed by the pages alone, so the bytes do not depend on
 * what a build draws again, and the page tree and the other trees that
 * follow the pages are put in the pages' order by the join (pdfmerge.h).
 * A rebuild after a source is added draws again the front matter (its
 * chronology takes in the new rows) and the last run, and takes the rest
 * of the body from the last build: joined first, the kept runs go in
 * while the other thread draws, where in the pages' order they waited for
 * the front matter and were joined at the end, on one core (0.4 s of a
 * 5 s rebuild at 1,000 sources).  A book without a body keeps the pages'
 * order. */
static guint *
join_order (Job *job)
{
  guint body = 0;
  while (body < job->runs && bb_typeset_page (job->ts, job->first[body])->front)
    body++;
  if (body == job->runs)
    body = 0;
  guint *join = g_new (guint, job->runs), n = 0;
  for (guint k = body; k < job->runs; k++)
    join[n++] = k;
  for (guint k = 0; k < body; k++)
    join[n++] = k;
  return join;
}

/* The order in which a rebuild hands out its runs: the join's, but for the
 * first run to draw again, which goes first (after a source is added at
 * the end, the last run).  It is drawn on one thread while the other takes
 * the runs kept from the last build and joins them; handed out in its
 * turn, it would be drawn only once they were all joined. */
static guint *
draw_order (Job *job)
{
  bb_parallel_for (job->runs, key_run, job);
  guint *order = g_new (guint, job->runs), n = 0, lead = job->runs;
  for (guint i = 0; i < job->runs && lead == job->runs; i++)
    {
      guint k = job->join[i];
      if (!job->keys[k] || !job->old || !g_hash_table_contains (job->old->where, job->keys[k]))
        lead = i;
    }
  if (lead < job->runs)
    order[n++] = job->join[lead];
  for (guint i = 0; i < job->runs; i++)
    if (i != lead)
      order[n++] = job->join[i];
  return order;
}

/* bb_parallel_for: draws the run whose turn it is in the order, then
 * joins every finished run whose turn has come. */
static void
draw_run (guint turn, gpointer data)
{
  Job *job = data;
  if (g_atomic_int_get (&job->failed))
    return;
  guint k = job->order[turn];
  const BbLayout *L = bb_typeset_layout (job->ts);
  guint from = job->first[k], to = job->first[k + 1];
  /* a joined run's buffer, or room for a run like the longest yet, so
   * that it is seldom moved */
  pthread_mutex_lock (&job->merge_lock);
  guint room = MAX (job->run_bytes + job->run_bytes / 8, 1u << 20);
  GByteArray *bytes = job->spare->len ? g_ptr_array_steal_index_fast (job->spare, job->spare->len - 1) : NULL;
  pthread_mutex_unlock (&job->merge_lock);
  if (!bytes)
    bytes = g_byte_array_sized_new (room);
  cairo_status_t st = CAIRO_STATUS_SUCCESS;
  gboolean reused = FALSE;
  if (job->now)
    reused = job->keys[k] && kept_get (job->old, job->keys[k], bytes);
  if (reused)
    {
      if (job->progress)
        {
          pthread_mutex_lock (&job->pango_lock);
          for (guint i = from; i < to; i++)
            job->progress (job->drawn++, job->n, job->data);
          pthread_mutex_unlock (&job->pango_lock);
        }
    }
  else
    {
      cairo_surface_t *s = cairo_pdf_surface_create_for_stream (bytes_write, bytes, L->width, L->height);
      st = draw_pages (job, s, from, to);
      cairo_surface_destroy (s);
    }
  pthread_mutex_lock (&job->merge_lock);
  if (st != CAIRO_STATUS_SUCCESS)
    fail_job (job, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "cannot draw pages %u to %u: %s", from + 1, to,
                                cairo_status_to_string (st)));
  job->reused += reused;
  if (job->was_reused)
    job->was_reused[k] = reused;
  job->run_bytes = MAX (job->run_bytes, bytes->len);
  job->finished[k] = bytes;
  while (!job->failed && job->next < job->runs && job->finished[job->join[job->next]])
    {
      GError *e = NULL;
      guint r = job->join[job->next];
      GByteArray *b = job->finished[r];
      if (!bb_pdf_merge_add (job->merge, b->data, b->len, job->first[r], &e))
        fail_job (job, e);
      else if (job->now && job->keys[r])
        kept_add (job->now, job->keys[r], b->data, b->len);
      g_byte_array_set_size (b, 0);
      g_ptr_array_add (job->spare, b);
      job->finished[r] = NULL;
      job->next++;
    }
  pthread_mutex_unlock (&job->merge_lock);
}

static gboolean
merge_write (const guint8 *data, gsize len, gpointer closure)
{
  return sink_write (closure, data, (unsigned int) len) == CAIRO_STATUS_SUCCESS;
}

static guint
run_pages (void)
{
  const char *env = g_getenv ("BRIEFING_PDF_RUN_PAGES");
  guint64 v = env ? g_ascii_strtoull (env, NULL, 10) : 0;
  return v >= 1 && v <= G_MAXINT ? (guint) v : RUN_PAGES;
}

/* The first page of each run (see RUN_PAGES), then n; *runs of them. */
static guint *
run_starts (BbTypeset *ts, guint n, guint *runs)
{
  guint len = run_pages ();
  GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));
  guint since = 0; /* the first page of the stretch being counted */
  for (guint i = 0; i < n; i++)
    {
      /* page 1 of the body starts counting again, in a book of more
       * than one run */
      if (n > len && i > 0 && !bb_typeset_page (ts, i)->front && bb_typeset_page (ts, i - 1)->front)
        since = i;
      if ((i - since) % len == 0)
        g_array_append_val (a, i);
    }
  if (a->len == 0)
    g_array_append_val (a, n);
  *runs = a->len;
  g_array_append_val (a, n);
  return (guint *) g_array_free (a, FALSE);
}

/* fopen (path, "wb"), without truncating a reserved temporary
 * (bb_publish_open_write). */
static FILE *
open_write (const char *path)
{
  int fd = bb_publish_open_write (path);
  FILE *f = fd >= 0 ? fdopen (fd, "wb") : NULL;
  if (fd >= 0 && !f)
    {
      int e = errno;
      close (fd);
      errno = e;
    }
  return f;
}

gboolean
bb_pdf_write (const BbBook *book, BbTypeset *ts, const char *path, const char *copy, BbPdfProgress progress,
              gpointer data, GError **error)
{
  const BbLayout *L = bb_typeset_layout (ts);
  const char *paths[2] = { path, copy };
  Sink sink = { { NULL, NULL }, { 0, 0 }, 0, 0, NULL, { NULL, NULL } };
  for (int i = 0; i < 2; i++)
    if (paths[i] && !(sink.f[i] = open_write (paths[i])))
      {
        int e = errno;
        if (sink.f[0])
          fclose (sink.f[0]);
        g_free (sink.buf[0]);
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write: %s", paths[i], g_strerror (e));
        return FALSE;
      }
    else if (paths[i])
      {
        sink.buf[i] = g_malloc (SINK_BUFFER_BYTES);
        setvbuf (sink.f[i], sink.buf[i], _IOFBF, SINK_BUFFER_BYTES);
      }
  Job job = { .book = book, .ts = ts, .n = bb_typeset_n_pages (ts), .progress = progress, .data = data };
  /* POSIX mutexes rather than GMutex: ThreadSanitizer sees them (the
   * threads-tsan test) */
  pthread_mutex_init (&job.pango_lock, NULL);
  pthread_mutex_init (&job.merge_lock, NULL);
  pthread_mutex_init (&job.digest_lock, NULL);
  job.first = run_starts (ts, job.n, &job.runs);
  bb_typeset_draw_begin (ts);
  cairo_status_t st = CAIRO_STATUS_SUCCESS;
  if (job.runs == 1)
    {
      sink.stop = &job.failed;
      cairo_surface_t *s = cairo_pdf_surface_create_for_stream (cairo_sink_write, &sink, L->width, L->height);
      st = cairo_surface_status (s);
      if (st == CAIRO_STATUS_SUCCESS)
        st = draw_pages (&job, s, 0, job.n);
      cairo_surface_destroy (s);
    }
  else
    {
      job.finished = g_new0 (GByteArray *, job.runs);
      job.spare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
      job.merge = bb_pdf_merge_new (merge_write, &sink);
      if (bb_typeset_keeps_glyphs (ts))
        {
          job.old = bb_typeset_get_drawn (ts);
          job.now = kept_new (path);
          job.keys = g_new0 (char *, job.runs);
          job.was_reused = g_new0 (gboolean, job.runs);
        }
      job.join = join_order (&job);
      job.order = job.now ? draw_order (&job) : job.join;
      bb_parallel_for (job.runs, draw_run, &job);
      if (g_getenv ("BRIEFING_TIMINGS"))
        {
          fprintf (stderr, "draw: %u pages in %u runs on %u threads, %u runs from the last build\n", job.n,
                   job.runs, MIN (bb_parallel_threads (), job.runs), job.reused);
          if (job.reused)
            {
              fprintf (stderr, "draw: pages from the last build:");
              for (guint k = 0; k < job.runs; k++)
                if (job.was_reused[k])
                  fprintf (stderr, " %s-%s", bb_typeset_page (ts, job.first[k])->label,
                           bb_typeset_page (ts, job.first[k + 1] - 1)->label);
              fprintf (stderr, "\n");
            }
        }
      if (!job.error)
        bb_pdf_merge_finish (job.merge, &job.error);
      /* the runs of a book that was written are kept for the next */
      if (job.now && !job.error)
        bb_typeset_set_drawn (ts, g_steal_pointer (&job.now), kept_free);
      kept_free (job.now);
      for (guint k = 0; job.keys && k < job.runs; k++)
        g_free (job.keys[k]);
      g_free (job.keys);
      if (job.order != job.join)
        g_free (job.order);
      g_free (job.join);
      g_free (job.was_reused);
      for (guint k = 0; k < job.runs; k++)
        g_clear_pointer (&job.finished[k], g_byte_array_unref);
      g_free (job.finished);
      g_ptr_array_unref (job.spare);
      bb_pdf_merge_free (job.merge);
    }
  g_free (job.first);
  pthread_mutex_destroy (&job.pango_lock);
  pthread_mutex_destroy (&job.merge_lock);
  pthread_mutex_destroy (&job.digest_lock);
  for (int i = 0; i < 2; i++)
    if (sink.f[i])
      {
        if (fflush (sink.f[i]) != 0 && sink.error[i] == 0)
          sink.error[i] = errno;
#ifdef SYNC_FILE_RANGE_WRITE
        /* the last bytes too start for the disk now, not at the sync
         * (sink_write) */
        if (sink.error[i] == 0 && sink.written > sink.started)
          sync_file_range (fileno (sink.f[i]), (off_t) sink.started, 0, SYNC_FILE_RANGE_WRITE);
#endif
        if (fclose (sink.f[i]) != 0 && sink.error[i] == 0)
          sink.error[i] = errno;
        g_free (sink.buf[i]);
      }
  for (int i = 0; i < 2; i++)
    if (sink.error[i])
      {
        g_clear_error (&job.error);
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (sink.error[i]), "%s: cannot write PDF: %s", paths[i],
                     g_strerror (sink.error[i]));
        return FALSE;
      }
  if (job.error)
    {
      g_set_error (error, job.error->domain, job.error->code, "%s: cannot write PDF: %s", path, job.error->message);
      g_error_free (job.error);
      return FALSE;
    }
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write PDF: %s", path, cairo_status_to_string (st));
      return FALSE;
    }
  return TRUE;
}
