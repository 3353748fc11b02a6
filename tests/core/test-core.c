/* test-core.c — unit tests of the spine: settings, layouts, page map,
 * pagination rules, publishing. */
#include "book.h"
#include "compose.h"
#include "config.h"
#include "digest.h"
#include "gvw.h"
#include "layout.h"
#include "pagemap.h"
#include "paginate.h"
#include "publish.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
diag_has (BbDiag *d, int line, const char *needle)
{
  for (guint i = 0; i < bb_diag_len (d); i++)
    {
      const BbDiagEntry *e = bb_diag_get (d, i);
      if ((line < 0 || e->line == line) && strstr (e->message, needle))
        return TRUE;
    }
  return FALSE;
}

static void
test_config_parse (void)
{
  const char *ini = "[book]\ntitle= Summit \nmarking=SECRET\ncolour=blue\n\n[source a.txt]\ntitle=Alpha\nlanguage=vi\n";
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_autoptr (BbConfig) c = bb_config_parse ("book.ini", ini, strlen (ini), "my_folder", d);
  g_assert_cmpstr (c->title, ==, "Summit");
  g_assert_cmpstr (c->marking, ==, "SECRET");
  g_assert_cmpstr (c->layout, ==, "a4");
  g_assert_true (diag_has (d, 4, "unknown key 'colour'"));
  const BbSourceMeta *m = bb_config_source_meta (c, "a.txt");
  g_assert_nonnull (m);
  g_assert_cmpstr (m->title, ==, "Alpha");
  g_assert_cmpstr (m->lang, ==, "vi");
  g_assert_null (bb_config_source_meta (c, "b.txt"));
}

static void
test_config_defaults_and_malformed (void)
{
  g_autoptr (BbDiag) d = bb_diag_new ();
  const char *bad = "[book]\ntitle=x\n[book\nfoo\n";
  g_autoptr (BbConfig) c = bb_config_parse ("book.ini", bad, strlen (bad), "hanoi_summit", d);
  g_assert_cmpstr (c->title, ==, "Hanoi summit"); /* defaults: from the folder */
  g_assert_true (diag_has (d, 3, "cannot read book settings"));
}

static void
test_layout_parse (void)
{
  const char *ini = "[page]\nwidth=8.5in\nheight=279.4mm\nmargin-top=2cm\nmargin-bottom=oops\n[fonts]\nleading=9\n";
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_autoptr (BbLayout) l = bb_layout_parse ("layouts/x.ini", ini, strlen (ini), d);
  g_assert_nonnull (l);
  g_assert_cmpfloat_with_epsilon (l->width, 612, 0.01);
  g_assert_cmpfloat_with_epsilon (l->height, 792, 0.01);
  g_assert_cmpfloat_with_epsilon (l->margin_top, 56.69, 0.01);
  g_assert_true (diag_has (d, 5, "not a length"));
  g_assert_true (diag_has (d, 7, "not a number"));
  g_assert_cmpstr (l->name, ==, "x");

  const char *tiny = "[page]\nwidth=100pt\n";
  g_autoptr (BbDiag) d2 = bb_diag_new ();
  g_assert_null (bb_layout_parse ("t.ini", tiny, strlen (tiny), d2));
  g_assert_cmpuint (bb_diag_count (d2, BB_DIAG_ERROR), ==, 1);
}

static void
test_layout_unknown (void)
{
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_assert_null (bb_layout_load ("nope", d));
  g_assert_true (diag_has (d, -1, "unknown layout 'nope'"));
  g_assert_true (diag_has (d, -1, "a4"));
  g_autoptr (BbDiag) d2 = bb_diag_new ();
  g_assert_null (bb_layout_load ("../etc/passwd", d2));
  g_autoptr (BbLayout) a4 = bb_layout_load ("a4", d2);
  g_assert_nonnull (a4);
  g_assert_cmpfloat_with_epsilon (a4->width, 595.28, 0.01);
}

static void
test_pagemap (void)
{
  g_autoptr (BbPageMap) a = bb_pagemap_new ();
  guint p0 = bb_pagemap_add_page (a, "i", TRUE, NULL, 0);
  guint p1 = bb_pagemap_add_page (a, "1", FALSE, "x", 0);
  bb_pagemap_set_anchor (a, "x", p1);
  bb_pagemap_set_anchor (a, "x", p0); /* first wins */
  g_assert_cmpstr (bb_pagemap_label (a, "x"), ==, "1");
  g_assert_cmpstr (bb_pagemap_label (a, "#x"), ==, "1");
  g_assert_null (bb_pagemap_label (a, "y"));
  g_autoptr (BbPageMap) b = bb_pagemap_new ();
  bb_pagemap_add_page (b, "i", TRUE, NULL, 0);
  bb_pagemap_add_page (b, "1", FALSE, NULL, 0);
  g_assert_false (bb_pagemap_equal (a, b));
  bb_pagemap_set_anchor (b, "x", 1);
  g_assert_true (bb_pagemap_equal (a, b));
}

/* A book of one chapter built by hand, to test the page rules. */
static BbBook *
hand_book_cited (int paragraphs, int table_rows, int markers)
{
  BbBook *book = g_new0 (BbBook, 1);
  book->config = bb_config_parse ("book.ini", "", 0, "test", NULL);
  book->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  book->edition = g_strdup ("1");
  GString *txt = g_string_new ("# Title\n\n");
  for (int i = 0; i < paragraphs; i++)
    {
      g_string_append_printf (txt, "## Heading %d\n\n", i);
      for (int k = 0; k < 9 + i % 7; k++)
        {
          g_string_append (txt, "The delegation arrived at the government guest house and met their hosts before the talks began.");
          if (k < markers)
            g_string_append_printf (txt, "[%d]", i * markers + k + 1);
          g_string_append_c (txt, ' ');
        }
      g_string_append (txt, "\n\n");
    }
  if (table_rows)
    {
      g_string_append (txt, "| Date | Event |\n|---|---|\n");
      for (int r = 0; r < table_rows; r++)
        g_string_append_printf (txt, "| 2019-02-%02d | Row %d of the schedule, with a description long enough to wrap in its cell. |\n", r % 28 + 1, r);
    }
  g_autoptr (BbDiag) d = bb_diag_new ();
  BbSource *src = bb_source_parse ("hand.md", txt->str, txt->len, NULL, d);
  g_string_free (txt, TRUE);
  g_ptr_array_add (book->sources, src);
  bb_compose (book, NULL, NULL);
  return book;
}

static BbBook *
hand_book (int paragraphs, int table_rows)
{
  return hand_book_cited (paragraphs, table_rows, 0);
}

static void
test_paginate_rules (void)
{
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_autoptr (BbLayout) L = bb_layout_load ("a4", d);
  g_autoptr (BbBook) book = hand_book (40, 0);
  g_autoptr (BbTypeset) ts = bb_typeset_new (book, L, d);
  g_assert_nonnull (ts);
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  guint n = bb_typeset_n_pages (ts);
  g_assert_cmpuint (n, >, 5);
  g_assert_cmpuint (bb_pagemap_n_pages (map), ==, n);
  gboolean split_seen = FALSE;
  for (guint i = 0; i < n; i++)
    {
      const BbPageOut *pg = bb_typeset_page (ts, i);
      for (guint k = 0; k < pg->placed->len; k++)
        {
          const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, k);
          if (p->box->kind != BB_BOX_TEXT)
            continue;
          int lines = (int) p->box->text->n_lines;
          if (p->first > 0 || p->last < lines)
            {
              split_seen = TRUE;
              /* no widows, no orphans */
              g_assert_cmpint (p->last - p->first, >=, 2);
            }
          /* a heading never ends a page */
          if (p->box->node->type == BB_NODE_HEADING && k + 1 == pg->placed->len)
            g_assert_not_reached ();
        }
    }
  g_assert_true (split_seen);
  /* labels: cover and contents roman, chapter arabic from 1 */
  g_assert_cmpstr (bb_pagemap_page (map, 0)->label, ==, "i");
  g_assert_cmpstr (bb_pagemap_page (map, 1)->label, ==, "ii");
  g_assert_cmpstr (bb_pagemap_page (map, 2)->label, ==, "1");
  /* every page after the cover starts at an anchored block */
  for (guint i = 2; i < n; i++)
    g_assert_nonnull (bb_pagemap_page (map, i)->anchor);
}

static void
test_paginate_table_split (void)
{
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_autoptr (BbLayout) L = bb_layout_load ("a4", d);
  g_autoptr (BbBook) book = hand_book (0, 150);
  g_autoptr (BbTypeset) ts = bb_typeset_new (book, L, d);
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  int pieces = 0, next = -1;
  for (guint i = 0; i < bb_typeset_n_pages (ts); i++)
    {
      const BbPageOut *pg = bb_typeset_page (ts, i);
      for (guint k = 0; k < pg->placed->len; k++)
        {
          const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, k);
          if (p->box->kind != BB_BOX_TABLE)
            continue;
          pieces++;
          g_assert_cmpint (p->box->table->nheader, ==, 1);
          if (next >= 0)
            g_assert_cmpint (p->first, ==, next); /* rows continue where they stopped */
          g_assert_cmpint (p->last, >, p->first);
          next = p->last;
        }
    }
  g_assert_cmpint (pieces, >=, 3);
  g_assert_cmpint (next, ==, 151);
}

/* A chapter's citation notes are set in columns: each page's columns are
 * filled in turn, top to bottom, in the order of the notes; none overlaps
 * another or leaves the text block; the last page's columns are balanced. */
static void
test_paginate_columns (void)
{
  g_autoptr (BbDiag) d = bb_diag_new ();
  g_autoptr (BbLayout) L = bb_layout_load ("a4", d);
  g_autoptr (BbBook) book = hand_book_cited (40, 0, 6); /* 240 notes */
  g_autoptr (BbTypeset) ts = bb_typeset_new (book, L, d);
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  double text_width = L->width - L->margin_inner - L->margin_outer;
  double text_height = L->height - L->margin_top - L->margin_bottom;
  g_autoptr (GPtrArray) notes = g_ptr_array_new (); /* in the tree's order */
  for (const BbNode *n = book->tree; n; n = bb_node_next_in (book->tree, n))
    if (n->type == BB_NODE_PARAGRAPH && (n->flags & BB_FLAG_COLUMNS))
      g_ptr_array_add (notes, (gpointer) n);
  g_assert_cmpuint (notes->len, ==, 240);
  guint seen = 0, pages = 0;
  for (guint i = 0; i < bb_typeset_n_pages (ts); i++)
    {
      const BbPageOut *pg = bb_typeset_page (ts, i);
      double bottom[8] = { 0 }, tallest = 0, entry = 0;
      int ncol = 0, used = 0;
      const BbPlaced *prev = NULL;
      for (guint k = 0; k < pg->placed->len; k++)
        {
          const BbPlaced *p = &g_array_index (pg->placed, BbPlaced, k);
          if (!p->box->columns)
            {
              g_assert_cmpfloat (p->x, ==, 0);
              continue;
            }
          ncol = p->box->columns;
          g_assert_cmpint (ncol, ==, 3); /* A4's text block holds three */
          g_assert_true (p->box->node == notes->pdata[seen]);
          seen++;
          g_assert_cmpint (p->first, ==, 0);
          g_assert_cmpint (p->last, ==, (int) p->box->text->n_lines);
          double step = (text_width - p->box->width) / (ncol - 1); /* a column and a gap */
          int c = (int) (p->x / step + 0.5);
          g_assert_cmpint (c, <, ncol);
          g_assert_cmpfloat_with_epsilon (p->x, c * step, 0.01);
          g_assert_cmpfloat (p->box->width, >, 100);
          g_assert_cmpfloat (p->box->x + p->x + p->box->width, <=, text_width + 0.01);
          double h = (double) p->box->text->height / PANGO_SCALE;
          entry = MAX (entry, h + p->box->space_after);
          g_assert_cmpfloat (p->y + h, <=, text_height + 0.01);
          if (prev)
            {
              /* down a column, or on to the top of the next */
              if (p->x == prev->x)
                g_assert_cmpfloat (p->y, >=, bottom[c] - 0.01);
              else
                g_assert_cmpfloat (p->x, >, prev->x);
            }
          bottom[c] = p->y + h;
          tallest = MAX (tallest, bottom[c]);
          used = MAX (used, c + 1);
          prev = p;
        }
      if (!prev)
        continue;
      pages++;
      if (seen < notes->len)
        g_assert_cmpint (used, ==, ncol); /* a page is filled before the next */
      else
        for (int c = 0; c < ncol; c++) /* balanced: within an entry */
          g_assert_cmpfloat (tallest - bottom[c], <=, entry + 0.01);
    }
  g_assert_cmpuint (seen, ==, notes->len);
  g_assert_cmpuint (pages, >=, 2);
  /* every note leads back to a page */
  g_assert_nonnull (bb_pagemap_label (map, bb_node_anchor (notes->pdata[0])));
}

static void
digest_of (const char *const *fields, guint n, char hex[33])
{
  g_autoptr (BbDigest) d = bb_digest_new ();
  for (guint i = 0; i < n; i++)
    bb_digest_feed_str (d, fields[i]);
  bb_digest_hex (d, hex);
}

/* Layout and run keys: xxHash's XXH3-128, in its canonical byte order, and
 * fields that cannot run into each other. */
static void
test_digest (void)
{
  char a[33], b[33];
  digest_of (NULL, 0, a);
  g_assert_cmpstr (a, ==, "99aa06d3014798d86001c324468d497f"); /* xxHash's own value */
  /* fed in pieces or at once: the same */
  g_autoptr (GString) big = g_string_new (NULL);
  for (int i = 0; i < 5000; i++)
    g_string_append_printf (big, "%d,", i * 7919);
  g_autoptr (BbDigest) whole = bb_digest_new ();
  bb_digest_feed (whole, big->str, big->len);
  g_autoptr (BbDigest) parts = bb_digest_new ();
  for (gsize at = 0; at < big->len; at += 7)
    bb_digest_feed (parts, big->str + at, MIN (7, big->len - at));
  bb_digest_hex (whole, a);
  bb_digest_hex (parts, b);
  g_assert_cmpstr (a, ==, b);
  XXH128_canonical_t c;
  XXH128_canonicalFromHash (&c, XXH3_128bits (big->str, big->len));
  guint8 raw[16];
  bb_digest_get (whole, raw);
  g_assert_cmpmem (raw, 16, c.digest, 16);
  /* strings keep their bounds; NULL is not "" */
  const char *f1[] = { "ab", "c" }, *f2[] = { "a", "bc" }, *f3[] = { NULL }, *f4[] = { "" };
  digest_of (f1, 2, a);
  digest_of (f2, 2, b);
  g_assert_cmpstr (a, !=, b);
  digest_of (f3, 1, a);
  digest_of (f4, 1, b);
  g_assert_cmpstr (a, !=, b);
  g_autoptr (BbDigest) x = bb_digest_new ();
  g_autoptr (BbDigest) y = bb_digest_new ();
  bb_digest_feed_int (x, 1);
  bb_digest_feed_double (y, 1.0);
  bb_digest_hex (x, a);
  bb_digest_hex (y, b);
  g_assert_cmpstr (a, !=, b);
}

/* ---- gvw: the bytes GLib stores for the same values ---- */

/* A string of n letters drawn from r (n may be 0). */
static char *
gvw_text (GRand *r, guint n)
{
  char *s = g_malloc (n + 1);
  for (guint i = 0; i < n; i++)
    s[i] = (char) ('a' + g_rand_int_range (r, 0, 26));
  s[n] = 0;
  return s;
}

/* Writes the same value of type "(ssa(iu)bbia(iiiiiiusss))" with gvw and
 * into a GVariantBuilder (returned, sunk): n_events events whose strings
 * are up to len letters long, n_years years. */
static GVariant *
gvw_events (GRand *r, BbGvw *w, guint n_years, guint n_events, guint len)
{
  GVariantBuilder years, events;
  g_variant_builder_init (&years, G_VARIANT_TYPE ("a(iu)"));
  g_variant_builder_init (&events, G_VARIANT_TYPE ("a(iiiiiiusss)"));
  g_autofree char *name = gvw_text (r, g_rand_int_range (r, 0, 20));
  bb_gvw_open_tuple (w, 4);
  bb_gvw_string (w, name);
  bb_gvw_frame (w);
  bb_gvw_string (w, "vi");
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 4, TRUE);
  for (guint i = 0; i < n_years; i++)
    {
      gint32 y = (gint32) g_rand_int_range (r, -5, 3000);
      guint32 c = g_rand_int (r);
      bb_gvw_int32 (w, y);
      bb_gvw_uint32 (w, c);
      g_variant_builder_add (&years, "(iu)", y, c);
    }
  bb_gvw_close (w);
  bb_gvw_frame (w);
  gboolean b1 = g_rand_boolean (r), b2 = g_rand_boolean (r);
  bb_gvw_boolean (w, b1);
  bb_gvw_boolean (w, b2);
  bb_gvw_int32 (w, -7);
  bb_gvw_open_array (w, 4, FALSE);
  for (guint i = 0; i < n_events; i++)
    {
      gint32 v[6];
      for (int k = 0; k < 6; k++)
        v[k] = (gint32) g_rand_int (r);
      guint32 prec = g_rand_int (r);
      g_autofree char *a = gvw_text (r, g_rand_int_range (r, 0, (gint32) len + 1));
      g_autofree char *b = gvw_text (r, g_rand_int_range (r, 0, (gint32) len + 1));
      g_autofree char *c = gvw_text (r, g_rand_int_range (r, 0, (gint32) len + 1));
      bb_gvw_open_tuple (w, 4);
      for (int k = 0; k < 6; k++)
        bb_gvw_int32 (w, v[k]);
      bb_gvw_uint32 (w, prec);
      bb_gvw_string (w, a);
      bb_gvw_frame (w);
      bb_gvw_string (w, b);
      bb_gvw_frame (w);
      bb_gvw_string (w, c);
      bb_gvw_close (w);
      g_variant_builder_add (&events, "(iiiiiiusss)", v[0], v[1], v[2], v[3], v[4], v[5], prec, a, b, c);
    }
  bb_gvw_close (w);
  bb_gvw_close (w);
  return g_variant_ref_sink (
      g_variant_new ("(ssa(iu)bbia(iiiiiiusss))", name, "vi", &years, b1, b2, -7, &events));
}

/* The same for "(ssamsa(usuimsmsmsiuu))", a third of the maybes nothing. */
static GVariant *
gvw_mentions (GRand *r, BbGvw *w, guint n_anchors, guint n_mentions, guint len)
{
  GVariantBuilder anchors, mentions;
  g_variant_builder_init (&anchors, G_VARIANT_TYPE ("ams"));
  g_variant_builder_init (&mentions, G_VARIANT_TYPE ("a(usuimsmsmsiuu)"));
  bb_gvw_open_tuple (w, 4);
  bb_gvw_string (w, "");
  bb_gvw_frame (w);
  bb_gvw_string (w, "en");
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 1, FALSE);
  for (guint i = 0; i < n_anchors; i++)
    {
      g_autofree char *a = g_rand_int_range (r, 0, 3) ? gvw_text (r, g_rand_int_range (r, 0, (gint32) len + 1)) : NULL;
      bb_gvw_maybe_string (w, a);
      g_variant_builder_add (&anchors, "ms", a);
    }
  bb_gvw_close (w);
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 4, FALSE);
  for (guint i = 0; i < n_mentions; i++)
    {
      char *m[4];
      for (int k = 0; k < 4; k++)
        m[k] = k == 0 || g_rand_int_range (r, 0, 3) ? gvw_text (r, g_rand_int_range (r, 0, (gint32) len + 1)) : NULL;
      guint32 u[5];
      for (int k = 0; k < 5; k++)
        u[k] = g_rand_int (r);
      bb_gvw_open_tuple (w, 4);
      bb_gvw_uint32 (w, u[0]);
      bb_gvw_string (w, m[0]);
      bb_gvw_frame (w);
      bb_gvw_uint32 (w, u[1]);
      bb_gvw_int32 (w, (gint32) u[2]);
      for (int k = 1; k < 4; k++)
        {
          bb_gvw_maybe_string (w, m[k]);
          bb_gvw_frame (w);
        }
      bb_gvw_int32 (w, (gint32) u[3]);
      bb_gvw_uint32 (w, u[4]);
      bb_gvw_uint32 (w, u[0] ^ u[4]);
      bb_gvw_close (w);
      g_variant_builder_add (&mentions, "(usuimsmsmsiuu)", u[0], m[0], u[1], (gint32) u[2], m[1], m[2], m[3],
                             (gint32) u[3], u[4], u[0] ^ u[4]);
      for (int k = 0; k < 4; k++)
        g_free (m[k]);
    }
  bb_gvw_close (w);
  bb_gvw_close (w);
  return g_variant_ref_sink (g_variant_new ("(ssamsa(usuimsmsmsiuu))", "", "en", &anchors, &mentions));
}

/* An analysis entry's shape, "(svv)", around the two parts, at sizes that
 * take framing offsets of 1, 2 and 4 bytes (a container of more than
 * 65,535 bytes), and with empty arrays: gvw's bytes must be GLib's. */
static void
test_gvw (void)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (20261124);
  const guint sizes[][4] = {
    { 0, 0, 0, 0 }, { 1, 1, 1, 3 }, { 3, 5, 4, 12 }, { 4, 40, 30, 40 }, { 9, 900, 700, 60 }, { 2, 4000, 1500, 30 },
  };
  guint widths_seen = 0;
  for (guint t = 0; t < G_N_ELEMENTS (sizes); t++)
    for (int rep = 0; rep < 4; rep++)
      {
        g_autoptr (BbGvw) w = bb_gvw_new ();
        g_autofree char *key = gvw_text (r, 64);
        bb_gvw_open_tuple (w, 8);
        bb_gvw_string (w, key);
        bb_gvw_frame (w);
        bb_gvw_open_variant (w);
        g_autoptr (GVariant) c = gvw_events (r, w, sizes[t][0], sizes[t][1], sizes[t][3]);
        bb_gvw_close_variant (w, "(ssa(iu)bbia(iiiiiiusss))");
        bb_gvw_frame (w);
        bb_gvw_open_variant (w);
        g_autoptr (GVariant) p = gvw_mentions (r, w, sizes[t][1], sizes[t][2], sizes[t][3]);
        bb_gvw_close_variant (w, "(ssamsa(usuimsmsmsiuu))");
        bb_gvw_close (w);
        g_autoptr (GVariant) ref = g_variant_ref_sink (g_variant_new ("(svv)", key, c, p));
        gsize n;
        const guint8 *mine = bb_gvw_data (w, &n);
        g_assert_cmpmem (mine, n, g_variant_get_data (ref), g_variant_get_size (ref));
        /* the widths of the offsets this case needed: the events' array */
        g_autoptr (GVariant) ev = g_variant_get_child_value (c, 6);
        gsize events = g_variant_get_size (ev);
        widths_seen |= events == 0 ? 1 : events <= 255 ? 2 : events <= 65535 ? 4 : 8;
      }
  g_assert_cmpuint (widths_seen, ==, 15); /* empty, 1, 2 and 4 bytes */

  /* every size around the two limits, where the offsets widen: an "as"
   * of n strings and an "(sss)" (two offsets) of body bytes */
  const gsize limits[] = { 255, 65535 };
  for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
    for (gsize body = limits[l] - 12; body <= limits[l] + 4; body++)
      for (guint n = 1; n <= 5; n++)
        {
          /* n strings of body bytes in all, NULs included */
          g_autoptr (GPtrArray) strs = g_ptr_array_new_with_free_func (g_free);
          gsize left = body;
          for (guint i = 0; i < n; i++)
            {
              gsize len = i + 1 < n ? left / (n - i) : left;
              g_ptr_array_add (strs, g_strnfill (len - 1, 'x'));
              left -= len;
            }
          g_autoptr (BbGvw) w = bb_gvw_new ();
          bb_gvw_open_array (w, 1, FALSE);
          for (guint i = 0; i < n; i++)
            bb_gvw_string (w, strs->pdata[i]);
          bb_gvw_close (w);
          g_autoptr (GVariant) ref = g_variant_ref_sink (g_variant_new_strv ((const char *const *) strs->pdata, n));
          gsize len;
          const guint8 *mine = bb_gvw_data (w, &len);
          g_assert_cmpmem (mine, len, g_variant_get_data (ref), g_variant_get_size (ref));
          if (n != 3)
            continue;
          g_autoptr (BbGvw) t = bb_gvw_new ();
          bb_gvw_open_tuple (t, 1);
          for (guint i = 0; i < 3; i++)
            {
              bb_gvw_string (t, strs->pdata[i]);
              if (i < 2)
                bb_gvw_frame (t);
            }
          bb_gvw_close (t);
          g_autoptr (GVariant) tref
              = g_variant_ref_sink (g_variant_new ("(sss)", strs->pdata[0], strs->pdata[1], strs->pdata[2]));
          mine = bb_gvw_data (t, &len);
          g_assert_cmpmem (mine, len, g_variant_get_data (tref), g_variant_get_size (tref));
        }
}

static void
test_publish (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bb-publish-XXXXXX", NULL);
  g_autofree char *final = g_build_filename (dir, "book.pdf", NULL);
  g_assert_true (g_file_set_contents (final, "old", -1, NULL));
  {
    g_autoptr (BbPublish) p = bb_publish_new (dir, NULL);
    const char *tmp = bb_publish_reserve (p, "book.pdf", NULL);
    g_assert_true (g_file_set_contents (tmp, "half", -1, NULL));
    /* dropped without commit: the old file stays, the temporary goes */
  }
  g_autofree char *content = NULL;
  g_assert_true (g_file_get_contents (final, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "old");
  g_autoptr (GDir) dd = g_dir_open (dir, 0, NULL);
  int files = 0;
  while (g_dir_read_name (dd))
    files++;
  g_assert_cmpint (files, ==, 1);
  {
    g_autoptr (BbPublish) p = bb_publish_new (dir, NULL);
    const char *tmp = bb_publish_reserve (p, "book.pdf", NULL);
    g_assert_true (g_file_set_contents (tmp, "new", -1, NULL));
    g_assert_true (bb_publish_commit (p, NULL));
  }
  g_clear_pointer (&content, g_free);
  g_assert_true (g_file_get_contents (final, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "new");
  g_unlink (final);
  g_rmdir (dir);
  if (geteuid () != 0)
    {
      g_autoptr (GError) err = NULL;
      g_assert_null (bb_publish_new ("/proc/no/such/dir", &err));
      g_assert_nonnull (err);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/parse", test_config_parse);
  g_test_add_func ("/config/defaults-and-malformed", test_config_defaults_and_malformed);
  g_test_add_func ("/layout/parse", test_layout_parse);
  g_test_add_func ("/layout/unknown", test_layout_unknown);
  g_test_add_func ("/pagemap/basics", test_pagemap);
  g_test_add_func ("/paginate/rules", test_paginate_rules);
  g_test_add_func ("/paginate/table-split", test_paginate_table_split);
  g_test_add_func ("/paginate/columns", test_paginate_columns);
  g_test_add_func ("/digest/xxh3", test_digest);
  g_test_add_func ("/gvw/glib", test_gvw);
  g_test_add_func ("/publish/atomic", test_publish);
  return g_test_run ();
}
