/* test_epub.c — the EPUB writer on a hand-built book.
 *
 * The book holds what sources throw at the writer: markup and "]]>" in
 * text, control characters, citations, a table, a Vietnamese chapter, links
 * to anchors that do not exist, and a page map with breaks inside
 * paragraphs.  The tests unpack the result and check it with libxml2.
 *
 *   test_epub                run the unit tests
 *   test_epub --write FILE [sample|stress|empty]
 *                            write a test book to FILE (for EPUBCheck)
 */
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <zip.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "cover.h"
#include "epub.h"
#include "layout.h"
#include <cairo.h>
#include "xml.h"

#define DATE 1551312000 /* 2019-02-28T00:00:00Z */
#define LONG_OFFSET 57
#define VI_OFFSET 120
/* Characters of the sample table's first two rows: "DateEventCount" and
 * "2019-02-27Dinner <Metropole>2". */
#define TABLE_OFFSET 43

static const char hostile[] =
  "Text with <script>alert('x')</script> and ]]> and & and \"quotes\" "
  "and \x01\x0b control \xc2\x85 C1 \xef\xbf\xbe noncharacter.";

static const char long_para[] =
  "The first summit in Singapore ended with a short joint statement that "
  "promised to work toward complete denuclearisation of the Korean "
  "peninsula, without a timetable or any agreed definition of the term.";

static const char vi_para[] =
  "Bước vào cuộc gặp cấp cao lần 2 tại Hà Nội lần này, Mỹ và Triều Tiên "
  "dường như có nhiều thuận lợi hơn so với cuộc gặp thứ nhất. Nếu ở cuộc "
  "gặp đầu, 2 nhà lãnh đạo không biết về nhau mà chỉ đọc báo cáo về đối "
  "tượng nói chuyện, lần này họ đã biết nhau - điểm rất quan trọng.";

static BbNode *
add (BbNode *parent, BbNodeType type, const char *anchor)
{
  BbNode *n = bb_node_append (parent, bb_node_new (type));
  n->anchor = g_strdup (anchor);
  return n;
}

static BbNode *
text (BbNode *parent, const char *s)
{
  return bb_node_append (parent, bb_node_new_text (s, -1));
}

static BbNode *
section (BbNode *book, BbSectionKind kind, const char *anchor, const char *title, const char *lang)
{
  BbNode *s = add (book, BB_NODE_SECTION, anchor);
  s->kind = kind;
  s->text = g_strdup (title);
  s->lang = g_strdup (lang);
  return s;
}

static BbNode *
inline_node (BbNode *parent, BbNodeType type, const char *txt, const char *href)
{
  BbNode *n = bb_node_append (parent, bb_node_new (type));
  n->text = g_strdup (txt);
  n->href = g_strdup (href);
  return n;
}

static BbBook *
sample_book (const char *title)
{
  BbBook *b = g_new0 (BbBook, 1);
  b->config = g_new0 (BbConfig, 1);
  b->config->title = g_strdup (title);
  b->config->subtitle = g_strdup ("Hanoi & <after>");
  b->config->marking = g_strdup ("UNCLASSIFIED");
  b->config->lang = g_strdup ("en");
  b->config->author = g_strdup ("Summit desk");
  b->config->publisher = g_strdup ("Briefing <office>");
  b->edition = g_strdup ("2");
  b->date = DATE;
  b->sources = g_ptr_array_new ();

  BbNode *book = b->tree = bb_node_new (BB_NODE_BOOK);
  BbNode *cover = section (book, BB_SECTION_COVER, "cover-page", title, NULL);
  text (add (cover, BB_NODE_PARAGRAPH, "cover-title"), title);

  BbNode *toc = section (book, BB_SECTION_CONTENTS, "contents", "Contents", NULL);
  BbNode *p = add (toc, BB_NODE_PARAGRAPH, "toc-1");
  text (inline_node (p, BB_NODE_LINK, NULL, "#ch-en"), "Hostile text");
  text (p, " ");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#ch-en");
  p = add (toc, BB_NODE_PARAGRAPH, "toc-2");
  text (inline_node (p, BB_NODE_LINK, NULL, "#ch-vi"), "Cuộc gặp");
  text (p, " ");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#ch-vi");
  p = add (toc, BB_NODE_PARAGRAPH, "toc-3");
  text (inline_node (p, BB_NODE_LINK, NULL, "#no-such-anchor"), "Dangling target");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#no-such-anchor");
  text (inline_node (p, BB_NODE_LINK, NULL, "#cover-title"), " cover inside");

  BbNode *ch = section (book, BB_SECTION_CHAPTER, "ch-en", "Hostile <script> & ]]> title", "en");
  p = add (ch, BB_NODE_PARAGRAPH, "en-meta");
  p->flags = BB_FLAG_META;
  p->file = g_strdup ("001_hostile.txt");
  text (p, "001_hostile.txt — <meta>");
  BbNode *h = add (ch, BB_NODE_HEADING, "en-h");
  h->level = 2;
  text (h, "Background & <b>bold</b>");
  p = add (ch, BB_NODE_PARAGRAPH, "en-p1");
  p->file = g_strdup ("001_hostile.txt");
  p->line = 3;
  text (p, hostile);
  inline_node (p, BB_NODE_CITATION, "13", NULL);
  text (inline_node (p, BB_NODE_EMPH, NULL, NULL), "emphasis");
  inline_node (p, BB_NODE_CITATION, "13", NULL);
  inline_node (p, BB_NODE_CITATION, "a<b", NULL);
  text (inline_node (p, BB_NODE_LINK, NULL, "javascript:alert(1)"), " bad link");
  text (inline_node (p, BB_NODE_LINK, NULL, "https://example.com/a?b=1&c=2"), " good link");
  BbNode *l = inline_node (p, BB_NODE_LINK, NULL, "#en-h");
  text (l, " nested ");
  inline_node (l, BB_NODE_CITATION, "14", NULL);
  inline_node (p, BB_NODE_BREAK, NULL, NULL);
  inline_node (p, BB_NODE_CODE, "<code>", NULL);

  p = add (ch, BB_NODE_PARAGRAPH, "en-long");
  text (p, "The first summit ");
  text (inline_node (p, BB_NODE_STRONG, NULL, NULL), "in Singapore");
  text (p, long_para + strlen ("The first summit in Singapore"));

  BbNode *t = add (ch, BB_NODE_TABLE, "en-table");
  t->level = 1;
  const char *cells[3][3] = { { "Date", "Event", "Count" },
                              { "2019-02-27", "Dinner <Metropole>", "2" },
                              { "2019-02-28", "Talks & lunch", "10" } };
  for (int r = 0; r < 3; r++)
    {
      BbNode *row = add (t, BB_NODE_ROW, NULL);
      for (int c = 0; c < 3; c++)
        {
          BbNode *cell = add (row, BB_NODE_CELL, NULL);
          if (c == 2)
            cell->flags = BB_FLAG_NUMERIC;
          text (cell, cells[r][c]);
        }
    }
  BbNode *list = add (ch, BB_NODE_LIST, "en-list");
  list->level = 3;
  for (int i = 0; i < 2; i++)
    text (add (add (list, BB_NODE_ITEM, NULL), BB_NODE_PARAGRAPH, NULL), i ? "second" : "first");
  BbNode *q = add (ch, BB_NODE_QUOTE, "en-quote");
  text (add (q, BB_NODE_PARAGRAPH, NULL), "“Không có thỏa thuận còn hơn có thỏa thuận tồi”");
  BbNode *code = add (ch, BB_NODE_CODE_BLOCK, "en-code");
  code->text = g_strdup ("if (a < b && c) { x = \"]]>\"; }\n");
  add (ch, BB_NODE_RULE, "en-rule");

  BbNode *vi = section (book, BB_SECTION_CHAPTER, "ch-vi", "Cuộc gặp cấp cao lần 2", "vi");
  p = add (vi, BB_NODE_PARAGRAPH, "vi-p1");
  p->file = g_strdup ("000_vi.txt");
  p->line = 1;
  text (p, vi_para);
  inline_node (p, BB_NODE_CITATION, "2", NULL);
  text (add (vi, BB_NODE_PARAGRAPH, "vi-p2"), "Tổng thống Donald Trump tuyên bố.");

  BbNode *back = section (book, BB_SECTION_BACK, "index", "Index", NULL);
  p = add (back, BB_NODE_PARAGRAPH, "index-1");
  text (p, "Singapore ");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#en-long");
  return b;
}

static void
sample_free (BbBook *b)
{
  bb_node_free (b->tree);
  g_free (b->config->title);
  g_free (b->config->subtitle);
  g_free (b->config->marking);
  g_free (b->config->lang);
  g_free (b->config->author);
  g_free (b->config->publisher);
  g_free (b->config);
  g_free (b->edition);
  g_ptr_array_unref (b->sources);
  g_free (b);
}


/* The cover image: a PNG (written by epub.c itself, not Cairo) whose pixels
 * are exactly the cover drawn straight onto an image surface, at the width
 * asked for.  A swapped channel or row would show here. */
typedef struct {
  const guint8 *data;
  gsize len, pos;
} PngRead;

static cairo_status_t
png_read (void *closure, unsigned char *out, unsigned int length)
{
  PngRead *r = closure;
  if (r->pos + length > r->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (out, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

static void
test_cover_png (void)
{
  BbBook *b = sample_book ("Cover & <colours>");
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbLayout) layout = bb_layout_load ("a4", diag);
  g_assert_nonnull (layout);
  const int widths[] = { 333, 1200 };
  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      bb_epub_set_cover_width (widths[k]);
      g_autoptr (GError) err = NULL;
      g_autoptr (GBytes) png = bb_epub_draw_cover (b, &err);
      g_assert_no_error (err);
      g_assert_nonnull (png);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (png, &len);
      PngRead r = { data, len, 0 };
      g_assert_cmpmem (r.data, 8, "\x89PNG\r\n\x1a\n", 8);
      cairo_surface_t *got = cairo_image_surface_create_from_png_stream (png_read, &r);
      g_assert_cmpint (cairo_surface_status (got), ==, CAIRO_STATUS_SUCCESS);
      int w = cairo_image_surface_get_width (got), h = cairo_image_surface_get_height (got);
      g_assert_cmpint (w, ==, widths[k]);
      g_assert_cmpint (h, ==, (int) (layout->height * (widths[k] / layout->width) + 0.5));

      cairo_surface_t *want = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
      cairo_t *cr = cairo_create (want);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, widths[k] / layout->width, widths[k] / layout->width);
      bb_cover_draw (cr, b, layout, layout->width, layout->height);
      cairo_destroy (cr);
      cairo_surface_flush (want);
      cairo_surface_flush (got);
      guint differ = 0, coloured = 0;
      for (int y = 0; y < h; y++)
        {
          const guint32 *a = (const guint32 *) (const void *) (cairo_image_surface_get_data (got)
                                                               + y * cairo_image_surface_get_stride (got));
          const guint32 *e = (const guint32 *) (const void *) (cairo_image_surface_get_data (want)
                                                               + y * cairo_image_surface_get_stride (want));
          for (int x = 0; x < w; x++)
            {
              guint32 pe = e[x] & 0xffffff;
              differ += (a[x] & 0xffffff) != pe;
              /* the cover's marking and rule are coloured, not grey */
              coloured += ((pe >> 16) & 0xff) != (pe & 0xff);
            }
        }
      g_assert_cmpuint (coloured, >, 0);
      g_assert_cmpuint (differ, ==, 0);
      cairo_surface_destroy (want);
      cairo_surface_destroy (got);
    }
  bb_epub_set_cover_width (1200);
  sample_free (b);
}

/* A book that breaks the rules the composer keeps: bad and duplicate
 * anchors, page breaks on rows, cells and items, offsets past the end,
 * blocks inside paragraphs, inlines directly in sections, odd labels. */
static BbBook *
stress_book (void)
{
  BbBook *b = g_new0 (BbBook, 1);
  b->config = g_new0 (BbConfig, 1);
  b->config->title = g_strdup ("Stress \x01<book>");
  b->config->marking = g_strdup ("");
  b->config->lang = g_strdup ("not a lang!");
  b->edition = g_strdup ("3");
  b->date = DATE;
  b->sources = g_ptr_array_new ();
  BbNode *book = b->tree = bb_node_new (BB_NODE_BOOK);
  BbNode *s = section (book, BB_SECTION_CHAPTER, "1 bad anchor", "", "x y");
  BbNode *p = add (s, BB_NODE_PARAGRAPH, "dup");
  text (p, "first dup");
  p = add (s, BB_NODE_PARAGRAPH, "dup");
  text (p, "second dup");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#nowhere");
  inline_node (p, BB_NODE_PAGEREF, NULL, "#dup");
  BbNode *inner = add (p, BB_NODE_PARAGRAPH, "inner-block");
  text (inner, "block inside a paragraph");
  text (s, "loose inline text");
  BbNode *t = add (s, BB_NODE_TABLE, "t");
  t->level = 5; /* more header rows than rows */
  BbNode *row = add (t, BB_NODE_ROW, "row-1");
  text (add (row, BB_NODE_CELL, "cell-1"), "cell one");
  text (add (row, BB_NODE_CELL, "cell-2"), "cell two");
  add (t, BB_NODE_ROW, "row-empty");
  BbNode *l = add (s, BB_NODE_LIST, "l");
  BbNode *it = add (l, BB_NODE_ITEM, "item-1");
  text (it, "inline item");
  BbNode *q = add (it, BB_NODE_QUOTE, "q");
  BbNode *l2 = add (q, BB_NODE_LIST, "l2");
  text (add (add (l2, BB_NODE_ITEM, "item-2"), BB_NODE_PARAGRAPH, NULL), "nested");
  text (add (l, BB_NODE_PARAGRAPH, "para-in-list"), "a paragraph straight in a list");
  BbNode *lk = inline_node (add (s, BB_NODE_PARAGRAPH, "links"), BB_NODE_LINK, NULL, "https://exa mple.com/<x>");
  text (lk, "bad uri");
  BbNode *lk2 = inline_node (lk->parent, BB_NODE_LINK, NULL, "#t");
  inline_node (lk2, BB_NODE_PAGEREF, NULL, "#t");
  inline_node (lk2, BB_NODE_CITATION, "", NULL);
  add (s, BB_NODE_CODE_BLOCK, "code-empty");
  section (book, BB_SECTION_BACK, "empty-back", NULL, NULL);
  return b;
}

static BbPageMap *
stress_map (void)
{
  BbPageMap *m = bb_pagemap_new ();
  static const struct { const char *label, *anchor; gsize offset; } sp[] = {
    { "A 1", "dup", 3 }, { "A 1", "dup", 500 }, { "x\"<y>", "row-1", 0 }, { "3", "cell-2", 4 },
    { "4", "row-empty", 0 }, { "5", "item-1", 2 }, { "6", "item-2", 0 }, { "7", "inner-block", 1 },
    { "8", "unknown-anchor", 0 }, { "9", "para-in-list", 0 }, { "10", "code-empty", 9 },
    { "11", NULL, 0 }, { "12", "dup", 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (sp); i++)
    {
      guint idx = bb_pagemap_add_page (m, sp[i].label, FALSE, sp[i].anchor, sp[i].offset);
      bb_pagemap_set_anchor (m, sp[i].anchor, idx);
    }
  return m;
}

static void
stress_free (BbBook *b)
{
  bb_node_free (b->tree);
  g_free (b->config->title);
  g_free (b->config->marking);
  g_free (b->config->lang);
  g_free (b->config);
  g_free (b->edition);
  g_ptr_array_unref (b->sources);
  g_free (b);
}

/* Labels and places of the sample's print pages. */
static const struct { const char *label; gboolean front; const char *anchor; gsize offset; } pages[] = {
  { "i", TRUE, "cover-page", 0 },
  { "ii", TRUE, "contents", 0 },
  { "1", FALSE, "ch-en", 0 },
  { "2", FALSE, "en-long", LONG_OFFSET },
  { "3", FALSE, "en-table", 0 },
  { "4", FALSE, "en-table", TABLE_OFFSET }, /* the table goes on: its last row */
  { "5", FALSE, NULL, 0 },          /* blank page before the next chapter */
  { "6", FALSE, "ch-vi", 0 },
  { "7", FALSE, "vi-p1", VI_OFFSET },
  { "8", FALSE, "index", 0 },
};

static BbPageMap *
sample_map (void)
{
  BbPageMap *m = bb_pagemap_new ();
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      guint idx = bb_pagemap_add_page (m, pages[i].label, pages[i].front, pages[i].anchor, pages[i].offset);
      bb_pagemap_set_anchor (m, pages[i].anchor, idx);
    }
  /* Anchors inside pages. */
  bb_pagemap_set_anchor (m, "en-h", 2);
  bb_pagemap_set_anchor (m, "en-p1", 2);
  bb_pagemap_set_anchor (m, "vi-p2", 8);
  return m;
}

/* ---- reading the package back --------------------------------------------- */

typedef struct {
  GBytes *bytes;
  zip_t *za;
  zip_source_t *src;
} Pkg;

static Pkg *
pkg_open (GBytes *bytes)
{
  Pkg *p = g_new0 (Pkg, 1);
  p->bytes = g_bytes_ref (bytes);
  zip_error_t err;
  zip_error_init (&err);
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  p->src = zip_source_buffer_create (data, len, 0, &err);
  g_assert_nonnull (p->src);
  p->za = zip_open_from_source (p->src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  g_assert_nonnull (p->za);
  return p;
}

static void
pkg_close (Pkg *p)
{
  zip_close (p->za);
  g_bytes_unref (p->bytes);
  g_free (p);
}

static char *
pkg_read (Pkg *p, const char *name, gsize *len_out)
{
  zip_stat_t st;
  if (zip_stat (p->za, name, 0, &st) < 0)
    return NULL;
  zip_file_t *f = zip_fopen (p->za, name, 0);
  g_assert_nonnull (f);
  char *buf = g_malloc (st.size + 1);
  g_assert_cmpint (zip_fread (f, buf, st.size), ==, (zip_int64_t) st.size);
  buf[st.size] = 0;
  zip_fclose (f);
  if (len_out)
    *len_out = st.size;
  return buf;
}

static xmlDoc *
pkg_xml (Pkg *p, const char *name)
{
  gsize len;
  g_autofree char *data = pkg_read (p, name, &len);
  g_assert_nonnull (data);
  /* Strict: no recovery, no network, no entity expansion. */
  xmlDoc *doc = xmlReadMemory (data, (int) len, name, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOWARNING);
  if (!doc)
    g_error ("%s is not well-formed", name);
  return doc;
}

static xmlXPathObject *
xpath (xmlDoc *doc, const char *expr)
{
  xmlXPathContext *ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "h", BAD_CAST "http://www.w3.org/1999/xhtml");
  xmlXPathRegisterNs (ctx, BAD_CAST "epub", BAD_CAST "http://www.idpf.org/2007/ops");
  xmlXPathRegisterNs (ctx, BAD_CAST "opf", BAD_CAST "http://www.idpf.org/2007/opf");
  xmlXPathRegisterNs (ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
  xmlXPathRegisterNs (ctx, BAD_CAST "ncx", BAD_CAST "http://www.daisy.org/z3986/2005/ncx/");
  xmlXPathObject *o = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  xmlXPathFreeContext (ctx);
  g_assert_nonnull (o);
  return o;
}

static int
xpath_count (xmlDoc *doc, const char *expr)
{
  xmlXPathObject *o = xpath (doc, expr);
  int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
  xmlXPathFreeObject (o);
  return n;
}

static char *
xpath_string (xmlDoc *doc, const char *expr)
{
  g_autofree char *e = g_strdup_printf ("string(%s)", expr);
  xmlXPathObject *o = xpath (doc, e);
  char *s = g_strdup ((const char *) o->stringval);
  xmlXPathFreeObject (o);
  return s;
}

static GBytes *
write_sample (const char *title, gboolean with_map)
{
  BbBook *b = sample_book (title);
  g_autoptr (BbPageMap) m = with_map ? sample_map () : NULL;
  g_autoptr (GError) err = NULL;
  GBytes *bytes = bb_epub_write_bytes (b, m, NULL, &err);
  g_assert_no_error (err);
  g_assert_nonnull (bytes);
  sample_free (b);
  return bytes;
}

/* ---- tests ----------------------------------------------------------------- */

static void
test_mimetype_first (void)
{
  g_autoptr (GBytes) bytes = write_sample ("Hanoi summit", TRUE);
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);
  /* Local file header of the first entry, read from the raw bytes. */
  g_assert_cmpuint (len, >, 64);
  g_assert_cmpmem (d, 4, "PK\x03\x04", 4);
  g_assert_cmpuint (d[8] | d[9] << 8, ==, 0);           /* method: stored */
  g_assert_cmpuint (d[26] | d[27] << 8, ==, 8);         /* name length */
  g_assert_cmpuint (d[28] | d[29] << 8, ==, 0);         /* no extra field */
  g_assert_cmpmem (d + 30, 8, "mimetype", 8);
  g_assert_cmpmem (d + 38, 20, "application/epub+zip", 20);

  Pkg *p = pkg_open (bytes);
  g_assert_cmpstr (zip_get_name (p->za, 0, 0), ==, "mimetype");
  zip_stat_t st;
  g_assert_cmpint (zip_stat_index (p->za, 0, 0, &st), ==, 0);
  g_assert_cmpint (st.comp_method, ==, ZIP_CM_STORE);
  g_assert_cmpstr (zip_get_name (p->za, 1, 0), ==, "META-INF/container.xml");
  pkg_close (p);
}

static void
test_deterministic (void)
{
  g_autoptr (GBytes) a = write_sample ("Hanoi summit", TRUE);
  g_autoptr (GBytes) b = write_sample ("Hanoi summit", TRUE);
  g_assert_true (g_bytes_equal (a, b));

  /* The time zone must not leak into the ZIP's DOS times. */
  const char *old = g_getenv ("TZ");
  g_autofree char *saved = g_strdup (old);
  g_setenv ("TZ", "Asia/Ho_Chi_Minh", TRUE);
  tzset ();
  g_autoptr (GBytes) c = write_sample ("Hanoi summit", TRUE);
  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();
  g_autoptr (GBytes) d = write_sample ("Hanoi summit", TRUE);
  if (saved)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
  tzset ();
  g_assert_true (g_bytes_equal (a, c));
  g_assert_true (g_bytes_equal (a, d));

  Pkg *p = pkg_open (a);
  zip_stat_t st;
  g_assert_cmpint (zip_stat_index (p->za, 0, 0, &st), ==, 0);
  /* libzip reads DOS times back as local time: compare the fields. */
  struct tm tm;
  localtime_r (&st.mtime, &tm);
  g_assert_cmpint (tm.tm_year + 1900, ==, 2019);
  g_assert_cmpint (tm.tm_mon + 1, ==, 2);
  g_assert_cmpint (tm.tm_mday, ==, 28);
  g_assert_cmpint (tm.tm_hour, ==, 0);
  pkg_close (p);
}

static void
test_identifier (void)
{
  g_autofree char *a = bb_epub_identifier ("Hanoi summit");
  g_autofree char *b = bb_epub_identifier ("Hanoi summit");
  g_autofree char *c = bb_epub_identifier ("Singapore summit");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (g_str_has_prefix (a, "urn:uuid:"));
  g_assert_true (g_uuid_string_is_valid (a + 9));
  g_assert_cmpint (a[9 + 14], ==, '5'); /* version 5 */
}

static void
test_package (void)
{
  g_autoptr (GBytes) bytes = write_sample ("Hanoi summit", TRUE);
  Pkg *p = pkg_open (bytes);
  xmlDoc *opf = pkg_xml (p, "EPUB/package.opf");
  g_assert_cmpint (xpath_count (opf, "//opf:meta[@property='dcterms:modified']"), ==, 1);
  g_autofree char *mod = xpath_string (opf, "//opf:meta[@property='dcterms:modified']");
  g_assert_cmpstr (mod, ==, "2019-02-28T00:00:00Z");
  g_autofree char *id = xpath_string (opf, "//dc:identifier");
  g_autofree char *expect = bb_epub_identifier ("Hanoi summit");
  g_assert_cmpstr (id, ==, expect);
  g_autofree char *title = xpath_string (opf, "//dc:title[@id='title']");
  g_assert_cmpstr (title, ==, "Hanoi summit");
  g_assert_cmpint (xpath_count (opf, "//dc:language[.='vi']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//dc:source"), ==, 1);
  g_autofree char *pub = xpath_string (opf, "//dc:publisher");
  g_assert_cmpstr (pub, ==, "Briefing <office>");
  g_assert_cmpint (xpath_count (opf, "//opf:item[@properties='cover-image' and @media-type='image/png']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//opf:item[@properties='nav']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//opf:meta[@property='schema:accessibilityFeature' and .='printPageNumbers']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//opf:meta[@property='schema:accessMode' and .='visual']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//opf:meta[@property='schema:accessibilityHazard']"), ==, 1);
  g_assert_cmpint (xpath_count (opf, "//opf:meta[@property='schema:accessibilitySummary']"), ==, 1);

  /* Every manifest item is in the archive; every spine item in the manifest. */
  xmlXPathObject *items = xpath (opf, "//opf:item/@href");
  for (int i = 0; i < items->nodesetval->nodeNr; i++)
    {
      xmlChar *href = xmlNodeGetContent (items->nodesetval->nodeTab[i]);
      g_autofree char *name = g_strconcat ("EPUB/", (char *) href, NULL);
      zip_stat_t st;
      g_assert_cmpint (zip_stat (p->za, name, 0, &st), ==, 0);
      /* Fonts are subset: each well under its full size. */
      if (g_str_has_prefix ((char *) href, "fonts/"))
        g_assert_cmpuint (st.size, <, 200000);
      xmlFree (href);
    }
  xmlXPathFreeObject (items);
  g_assert_cmpint (xpath_count (opf, "//opf:itemref[not(@idref = //opf:item/@id)]"), ==, 0);
  xmlFreeDoc (opf);
  pkg_close (p);

  /* Without a page map, nothing claims print page numbers. */
  g_autoptr (GBytes) plain = write_sample ("Hanoi summit", FALSE);
  p = pkg_open (plain);
  opf = pkg_xml (p, "EPUB/package.opf");
  g_assert_cmpint (xpath_count (opf, "//opf:meta[.='printPageNumbers']"), ==, 0);
  xmlFreeDoc (opf);
  xmlDoc *nav = pkg_xml (p, "EPUB/nav.xhtml");
  g_assert_cmpint (xpath_count (nav, "//h:nav[@epub:type='page-list']"), ==, 0);
  xmlFreeDoc (nav);
  pkg_close (p);
}

/* Collects the ids of every XHTML file: "file#id". */
static GHashTable *
all_ids (Pkg *p, GPtrArray *files)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_strconcat ("EPUB/", (char *) files->pdata[i], NULL);
      xmlDoc *doc = pkg_xml (p, name);
      xmlXPathObject *o = xpath (doc, "//@id");
      for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++)
        {
          xmlChar *v = xmlNodeGetContent (o->nodesetval->nodeTab[k]);
          char *key = g_strconcat ((char *) files->pdata[i], "#", (char *) v, NULL);
          g_assert_false (g_hash_table_contains (ids, key)); /* ids are unique */
          g_hash_table_add (ids, key);
          xmlFree (v);
        }
      xmlXPathFreeObject (o);
      xmlFreeDoc (doc);
    }
  return ids;
}

static GPtrArray *
xhtml_files (Pkg *p)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  xmlDoc *opf = pkg_xml (p, "EPUB/package.opf");
  xmlXPathObject *o = xpath (opf, "//opf:item[@media-type='application/xhtml+xml']/@href");
  for (int i = 0; i < o->nodesetval->nodeNr; i++)
    {
      xmlChar *v = xmlNodeGetContent (o->nodesetval->nodeTab[i]);
      g_ptr_array_add (files, g_strdup ((char *) v));
      xmlFree (v);
    }
  xmlXPathFreeObject (o);
  xmlFreeDoc (opf);
  return files;
}

static void
test_content (void)
{
  g_autoptr (GBytes) bytes = write_sample ("Hanoi summit", TRUE);
  Pkg *p = pkg_open (bytes);
  g_autoptr (GPtrArray) files = xhtml_files (p);
  g_assert_cmpuint (files->len, ==, 6); /* nav, cover, contents, 2 chapters, index */
  g_autoptr (GHashTable) ids = all_ids (p, files);

  /* Every internal link lands on an existing id; no script, no stray markup. */
  static const char *allowed[] = { "html", "head", "meta", "title", "link", "body", "section", "nav",
                                   "h1", "h2", "h3", "p", "a", "em", "strong", "code", "pre", "br",
                                   "span", "sup", "ol", "ul", "li", "table", "thead", "tbody", "tr",
                                   "th", "td", "blockquote", "hr", "img", NULL };
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = files->pdata[i];
      g_autofree char *name = g_strconcat ("EPUB/", file, NULL);
      xmlDoc *doc = pkg_xml (p, name);
      xmlXPathObject *o = xpath (doc, "//*");
      for (int k = 0; k < o->nodesetval->nodeNr; k++)
        g_assert_true (g_strv_contains (allowed, (const char *) o->nodesetval->nodeTab[k]->name));
      xmlXPathFreeObject (o);
      o = xpath (doc, "//h:a/@href");
      g_autofree char *dir = g_path_get_dirname (file);
      for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++)
        {
          xmlChar *href = xmlNodeGetContent (o->nodesetval->nodeTab[k]);
          const char *h = (const char *) href;
          g_assert_false (g_str_has_prefix (h, "javascript:"));
          if (!g_str_has_prefix (h, "https://"))
            {
              const char *hash = strchr (h, '#');
              g_autofree char *target_file = hash == h ? g_strdup (file)
                : g_strcmp0 (dir, ".") == 0 ? g_strndup (h, hash ? (gsize) (hash - h) : strlen (h))
                : g_strconcat (dir, "/", h, NULL);
              if (hash && hash != h && g_strcmp0 (dir, ".") != 0)
                target_file[strlen (target_file) - strlen (hash)] = 0;
              g_assert_true (g_ptr_array_find_with_equal_func (files, target_file, g_str_equal, NULL));
              if (hash)
                {
                  g_autofree char *key = g_strconcat (target_file, hash, NULL);
                  if (!g_hash_table_contains (ids, key))
                    g_error ("%s: link %s has no target", file, h);
                }
            }
          xmlFree (href);
        }
      xmlXPathFreeObject (o);
      xmlFreeDoc (doc);
    }

  /* The hostile text survives as text. */
  xmlDoc *en = pkg_xml (p, "EPUB/text/s002.xhtml");
  g_autofree char *p1 = xpath_string (en, "//h:p[@id='en-p1']");
  g_assert_nonnull (strstr (p1, "<script>alert('x')</script> and ]]> and & and \"quotes\""));
  g_assert_null (strchr (p1, '\x01'));
  g_assert_null (strstr (p1, "\xc2\x85"));
  g_assert_nonnull (strstr (p1, " good link"));
  g_autofree char *title = xpath_string (en, "//h:h1");
  g_assert_cmpstr (title, ==, "Hostile <script> & ]]> title");
  g_assert_cmpint (xpath_count (en, "//h:h2"), >=, 1); /* source headings sit below the title */
  /* Citations: two markers "13" share one note; nothing is linked twice. */
  g_assert_cmpint (xpath_count (en, "//h:a[@epub:type='noteref']"), ==, 3);
  g_assert_cmpint (xpath_count (en, "//h:section[@epub:type='endnotes']//h:li"), ==, 2);
  g_assert_cmpint (xpath_count (en, "//h:a//h:a"), ==, 0);
  g_assert_cmpint (xpath_count (en, "//h:a[@href='javascript:alert(1)']"), ==, 0);
  /* Table: header row in thead with th. */
  g_assert_cmpint (xpath_count (en, "//h:table/h:thead/h:tr/h:th"), ==, 3);
  g_assert_cmpint (xpath_count (en, "//h:table/h:tbody/h:tr"), ==, 2);
  g_assert_cmpint (xpath_count (en, "//h:ol[@start='3']/h:li"), ==, 2);
  xmlFreeDoc (en);

  xmlDoc *vi = pkg_xml (p, "EPUB/text/s003.xhtml");
  g_autofree char *lang = xpath_string (vi, "/h:html/@xml:lang");
  g_assert_cmpstr (lang, ==, "vi");
  g_autofree char *vtext = xpath_string (vi, "//h:p[@id='vi-p1']");
  g_assert_nonnull (strstr (vtext, "Bước vào cuộc gặp cấp cao"));
  xmlFreeDoc (vi);

  /* Contents: the dangling link became text; the page reference shows "1". */
  xmlDoc *toc = pkg_xml (p, "EPUB/text/s001.xhtml");
  g_assert_cmpint (xpath_count (toc, "//h:a[contains(@href,'no-such-anchor')]"), ==, 0);
  g_autofree char *dangling = xpath_string (toc, "//h:p[@id='toc-3']");
  g_assert_cmpstr (dangling, ==, "Dangling target cover inside");
  g_autofree char *pageref = xpath_string (toc, "//h:p[@id='toc-1']/h:a[2]");
  g_assert_cmpstr (pageref, ==, "1");
  g_autofree char *href = xpath_string (toc, "//h:p[@id='toc-1']/h:a[2]/@href");
  g_assert_cmpstr (href, ==, "s002.xhtml#ch-en");
  xmlFreeDoc (toc);
  pkg_close (p);
}

/* Characters of TEXT content of el that precede node (in document order). */
static glong
chars_before (xmlNode *el, xmlNode *target, gboolean *found)
{
  glong n = 0;
  for (xmlNode *c = el->children; c && !*found; c = c->next)
    {
      if (c == target)
        {
          *found = TRUE;
          break;
        }
      if (c->type == XML_TEXT_NODE)
        n += g_utf8_strlen ((const char *) c->content, -1);
      else if (c->type == XML_ELEMENT_NODE)
        {
          /* Note references are not text of the page. */
          xmlChar *t = xmlGetNsProp (c, BAD_CAST "type", BAD_CAST "http://www.idpf.org/2007/ops");
          gboolean noteref = t && xmlStrcmp (t, BAD_CAST "noteref") == 0;
          xmlFree (t);
          if (!noteref)
            n += chars_before (c, target, found);
        }
    }
  return n;
}

static void
test_page_list (void)
{
  g_autoptr (GBytes) bytes = write_sample ("Hanoi summit", TRUE);
  Pkg *p = pkg_open (bytes);
  g_autoptr (GPtrArray) files = xhtml_files (p);
  g_autoptr (GHashTable) ids = all_ids (p, files);
  xmlDoc *nav = pkg_xml (p, "EPUB/nav.xhtml");
  xmlXPathObject *o = xpath (nav, "//h:nav[@epub:type='page-list']//h:a");
  g_assert_cmpint (o->nodesetval->nodeNr, ==, (int) G_N_ELEMENTS (pages));
  /* Reading order: spine position, then position within the file. */
  int last_file = -1, last_pos = -1;
  for (int i = 0; i < o->nodesetval->nodeNr; i++)
    {
      xmlNode *a = o->nodesetval->nodeTab[i];
      xmlChar *label = xmlNodeGetContent (a);
      xmlChar *href = xmlGetProp (a, BAD_CAST "href");
      g_assert_cmpstr ((char *) label, ==, pages[i].label);
      g_assert_true (g_hash_table_contains (ids, href));
      g_auto (GStrv) parts = g_strsplit ((char *) href, "#", 2);
      guint fi;
      g_assert_true (g_ptr_array_find_with_equal_func (files, parts[0], g_str_equal, &fi));
      g_autofree char *name = g_strconcat ("EPUB/", parts[0], NULL);
      gsize len;
      g_autofree char *data = pkg_read (p, name, &len);
      g_autofree char *needle = g_strdup_printf ("id=\"%s\"", parts[1]);
      const char *at = strstr (data, needle);
      g_assert_nonnull (at);
      int pos = (int) (at - data);
      g_assert_true ((int) fi > last_file || ((int) fi == last_file && pos > last_pos));
      last_file = (int) fi;
      last_pos = pos;
      xmlFree (label);
      xmlFree (href);
    }
  xmlXPathFreeObject (o);
  xmlFreeDoc (nav);

  /* The NCX carries the same pages for older reading systems. */
  xmlDoc *ncx = pkg_xml (p, "EPUB/toc.ncx");
  g_assert_cmpint (xpath_count (ncx, "//ncx:pageTarget"), ==, (int) G_N_ELEMENTS (pages));
  g_autofree char *ncx_second = xpath_string (ncx, "//ncx:pageTarget[2]/ncx:navLabel/ncx:text");
  g_assert_cmpstr (ncx_second, ==, pages[1].label);
  xmlFreeDoc (ncx);

  /* Page 2 starts inside the long paragraph, after exactly LONG_OFFSET
   * characters; page 6 inside the Vietnamese one. */
  struct { const char *file, *para, *page; glong offset; } mids[] = {
    { "EPUB/text/s002.xhtml", "en-long", "page-2", LONG_OFFSET },
    { "EPUB/text/s003.xhtml", "vi-p1", "page-7", VI_OFFSET },
  };
  for (guint i = 0; i < G_N_ELEMENTS (mids); i++)
    {
      xmlDoc *doc = pkg_xml (p, mids[i].file);
      g_autofree char *pe = g_strdup_printf ("//h:p[@id='%s']", mids[i].para);
      g_autofree char *se = g_strdup_printf ("//h:p[@id='%s']//h:span[@id='%s']", mids[i].para, mids[i].page);
      xmlXPathObject *po = xpath (doc, pe), *so = xpath (doc, se);
      g_assert_cmpint (so->nodesetval ? so->nodesetval->nodeNr : 0, ==, 1);
      xmlNode *span = so->nodesetval->nodeTab[0];
      xmlChar *type = xmlGetNsProp (span, BAD_CAST "type", BAD_CAST "http://www.idpf.org/2007/ops");
      g_assert_cmpstr ((char *) type, ==, "pagebreak");
      xmlFree (type);
      gboolean found = FALSE;
      glong before = chars_before (po->nodesetval->nodeTab[0], span, &found);
      g_assert_true (found);
      g_assert_cmpint (before, ==, mids[i].offset);
      xmlXPathFreeObject (po);
      xmlXPathFreeObject (so);
      xmlFreeDoc (doc);
    }
  /* Page 3 opens the table: its marker comes right before it. */
  xmlDoc *en = pkg_xml (p, "EPUB/text/s002.xhtml");
  g_assert_cmpint (xpath_count (en, "//h:span[@id='page-3']/following-sibling::*[1][self::h:table]"), ==, 1);
  /* Page 4 opens with the table's last row: its marker starts that row. */
  g_assert_cmpint (xpath_count (en, "//h:table/h:tbody/h:tr[2]/h:td[1]/node()[1][self::h:span[@id='page-4']]"), ==, 1);
  xmlFreeDoc (en);
  pkg_close (p);
}


static void
check_links_and_ids (Pkg *p)
{
  g_autoptr (GPtrArray) files = xhtml_files (p);
  g_autoptr (GHashTable) ids = all_ids (p, files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = files->pdata[i];
      g_autofree char *name = g_strconcat ("EPUB/", file, NULL);
      xmlDoc *doc = pkg_xml (p, name);
      xmlXPathObject *o = xpath (doc, "//h:a/@href");
      g_autofree char *dir = g_path_get_dirname (file);
      for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++)
        {
          xmlChar *href = xmlNodeGetContent (o->nodesetval->nodeTab[k]);
          const char *h = (const char *) href;
          if (!g_str_has_prefix (h, "https://"))
            {
              g_auto (GStrv) parts = g_strsplit (h, "#", 2);
              g_autofree char *target = !*parts[0] ? g_strdup (file)
                : g_strcmp0 (dir, ".") == 0 ? g_strdup (parts[0]) : g_strconcat (dir, "/", parts[0], NULL);
              g_assert_true (g_ptr_array_find_with_equal_func (files, target, g_str_equal, NULL));
              if (parts[1])
                {
                  g_autofree char *key = g_strconcat (target, "#", parts[1], NULL);
                  if (!g_hash_table_contains (ids, key))
                    g_error ("%s: link %s has no target", file, h);
                }
            }
          else
            g_assert_null (strchr (h, ' '));
          xmlFree (href);
        }
      xmlXPathFreeObject (o);
      xmlFreeDoc (doc);
    }
}

static void
test_stress (void)
{
  BbBook *b = stress_book ();
  g_autoptr (BbPageMap) m = stress_map ();
  g_autoptr (GError) err = NULL;
  g_autoptr (GBytes) bytes = bb_epub_write_bytes (b, m, NULL, &err);
  g_assert_no_error (err);
  stress_free (b);
  Pkg *p = pkg_open (bytes);
  check_links_and_ids (p);
  /* Every print page is listed, in order, with its label. */
  xmlDoc *nav = pkg_xml (p, "EPUB/nav.xhtml");
  g_assert_cmpint (xpath_count (nav, "//h:nav[@epub:type='page-list']//h:li"), ==, (int) bb_pagemap_n_pages (m));
  g_autofree char *third = xpath_string (nav, "//h:nav[@epub:type='page-list']//h:li[3]/h:a");
  g_assert_cmpstr (third, ==, "x\"<y>");
  xmlFreeDoc (nav);
  xmlDoc *opf = pkg_xml (p, "EPUB/package.opf");
  g_autofree char *lang = xpath_string (opf, "//dc:language");
  g_assert_cmpstr (lang, ==, "en"); /* an unusable tag falls back */
  xmlFreeDoc (opf);
  pkg_close (p);
}

static void
test_empty (void)
{
  BbBook *b = stress_book ();
  bb_node_free (b->tree);
  b->tree = bb_node_new (BB_NODE_BOOK);
  g_autoptr (GError) err = NULL;
  g_autoptr (GBytes) bytes = bb_epub_write_bytes (b, NULL, NULL, &err);
  g_assert_no_error (err);
  stress_free (b);
  Pkg *p = pkg_open (bytes);
  check_links_and_ids (p);
  pkg_close (p);
}

static void
test_xml_escape (void)
{
  g_autofree char *a = bb_xml_escape ("a<b>&]]>\x01\x1f\t\"\xc2\x9f\xef\xbf\xbf\xff");
  g_assert_cmpstr (a, ==, "a&lt;b&gt;&amp;]]&gt;\t\"\xef\xbf\xbd");
  GString *s = g_string_new (NULL);
  bb_xml_append_attr (s, "x\"y\nz");
  g_assert_cmpstr (s->str, ==, "x&quot;y&#10;z");
  g_string_free (s, TRUE);
  g_assert_true (bb_xml_is_ncname ("ch-vi.1"));
  g_assert_false (bb_xml_is_ncname ("1abc"));
  g_assert_false (bb_xml_is_ncname ("a b"));
  g_assert_false (bb_xml_is_ncname ("a:b"));
}

int
main (int argc, char **argv)
{
  if (argc >= 3 && strcmp (argv[1], "--write") == 0)
    {
      /* --write FILE [sample|stress|empty] */
      const char *which = argc > 3 ? argv[3] : "sample";
      gboolean sample = strcmp (which, "sample") == 0;
      BbBook *b = sample ? sample_book ("Hanoi summit") : stress_book ();
      g_autoptr (BbPageMap) m = sample ? sample_map () : strcmp (which, "stress") == 0 ? stress_map () : NULL;
      if (strcmp (which, "empty") == 0)
        {
          bb_node_free (b->tree);
          b->tree = bb_node_new (BB_NODE_BOOK);
        }
      g_autoptr (GError) err = NULL;
      if (!bb_epub_write (b, m, NULL, argv[2], &err))
        {
          g_printerr ("%s\n", err->message);
          return 1;
        }
      if (sample)
        sample_free (b);
      else
        stress_free (b);
      return 0;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/epub/xml-escape", test_xml_escape);
  g_test_add_func ("/epub/identifier", test_identifier);
  g_test_add_func ("/epub/mimetype-first", test_mimetype_first);
  g_test_add_func ("/epub/deterministic", test_deterministic);
  g_test_add_func ("/epub/package", test_package);
  g_test_add_func ("/epub/content", test_content);
  g_test_add_func ("/epub/page-list", test_page_list);
  g_test_add_func ("/epub/stress", test_stress);
  g_test_add_func ("/epub/empty", test_empty);
  g_test_add_func ("/epub/cover-png", test_cover_png);
  return g_test_run ();
}
