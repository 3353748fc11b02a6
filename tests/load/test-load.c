/* test-load.c — unit tests for loading: text hygiene, repair, Markdown. */
#include "markdown.h"
#include "repair.h"
#include "source.h"
#include "text.h"
#include <string.h>

static const char *seed_dir;

/* ---- helpers ---------------------------------------------------------------- */

static char *
dump (const BbNode *n)
{
  GString *s = g_string_new (NULL);
  bb_node_dump (n, s);
  return g_string_free (s, FALSE);
}

/* A paragraph holding one TEXT node, repaired. */
static BbNode *
repaired (const char *text)
{
  BbNode *p = bb_node_new (BB_NODE_PARAGRAPH);
  bb_node_append (p, bb_node_new_text (text, -1));
  bb_repair_block (p);
  return p;
}

/* Concatenates TEXT nodes and "{label}" for citations below n. */
static char *
flat (const BbNode *root)
{
  GString *s = g_string_new (NULL);
  for (const BbNode *n = root->first; n; n = bb_node_next_in (root, n))
    {
      if (n->type == BB_NODE_TEXT)
        g_string_append (s, n->text);
      else if (n->type == BB_NODE_CITATION)
        g_string_append_printf (s, "{%s}", n->text);
    }
  return g_string_free (s, FALSE);
}

static guint
count_type (const BbNode *root, BbNodeType t)
{
  guint k = 0;
  for (const BbNode *n = root; n; n = bb_node_next_in (root, n))
    k += n->type == t;
  return k;
}

static guint
max_depth (const BbNode *root)
{
  guint best = 0;
  for (const BbNode *n = root; n; n = bb_node_next_in (root, n))
    {
      guint d = 0;
      for (const BbNode *a = n; a != root; a = a->parent)
        d++;
      best = MAX (best, d);
    }
  return best;
}

static BbNode *
parse_md (const char *text, BbDiag *diag)
{
  BbNode *sec = bb_node_new (BB_NODE_SECTION);
  sec->file = g_strdup ("t.md");
  g_assert_true (bb_markdown_parse (text, sec, "t.md", diag));
  return sec;
}

static BbNode *
find_type (BbNode *root, BbNodeType t)
{
  for (BbNode *n = root; n; n = bb_node_next_in (root, n))
    if (n->type == t)
      return n;
  return NULL;
}

static guint
count_messages (BbDiag *diag, const char *needle)
{
  guint k = 0;
  for (guint i = 0; i < bb_diag_len (diag); i++)
    k += strstr (bb_diag_get (diag, i)->message, needle) != NULL;
  return k;
}

/* ---- text.c ------------------------------------------------------------------- */

static void
test_sanitize_utf8 (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  /* Two bad bytes on line 2, one on line 4: one warning per line. */
  const char data[] = "ok\nbad \xff and \xfe\nfine\nH\xf4tel\n";
  g_autofree char *s = bb_text_sanitize (data, sizeof data - 1, "f.txt", diag);
  g_assert_true (g_utf8_validate (s, -1, NULL));
  g_assert_cmpstr (s, ==, "ok\nbad \uFFFD and \uFFFD\nfine\nH\uFFFDtel\n");
  g_assert_cmpuint (bb_diag_len (diag), ==, 2);
  const BbDiagEntry *e = bb_diag_get (diag, 0);
  g_assert_cmpint (e->line, ==, 2);
  g_assert_cmpstr (e->file, ==, "f.txt");
  g_assert_cmpstr (e->message, ==, "invalid UTF-8 replaced with U+FFFD");
  g_assert_cmpint (bb_diag_get (diag, 1)->line, ==, 4);
  g_assert_cmpint (bb_diag_get (diag, 1)->level, ==, BB_DIAG_WARNING);
}

static void
test_sanitize_controls (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char data[] = "\xEF\xBB\xBFone\r\ntwo\rthree\x01\x00x\n\tcafe\xCC\x81";
  g_autofree char *s = bb_text_sanitize (data, sizeof data - 1, "c.txt", diag);
  /* BOM gone, CR LF and lone CR are LF, controls dropped, NFC applied. */
  g_assert_cmpstr (s, ==, "one\ntwo\nthreex\n\tcaf\u00E9");
  g_assert_cmpuint (bb_diag_len (diag), ==, 1); /* once for line 3 */
  g_assert_cmpint (bb_diag_get (diag, 0)->line, ==, 3);
}

/* Text made of characters the loader leaves unnormalised
 * (bb_text_nfc_inert) must already be NFC: every such character followed
 * by a spread of others is left as it is by GLib's NFC.  Decomposed text
 * is still composed. */
static gboolean
inert (gunichar c)
{
  return c >= 0x20 && bb_text_nfc_inert (c) && g_unichar_isdefined (c) && !g_unichar_iscntrl (c);
}

static void
test_sanitize_nfc (void)
{
  guint pairs = 0;
  for (gunichar c = 0x20; c <= 0xFFFF; c++)
    {
      if (!inert (c))
        continue;
      for (gunichar d = 0x20 + (c % 7); d <= 0xFFFF; d += 7)
        {
          if (!inert (d))
            continue;
          char buf[16];
          int n = g_unichar_to_utf8 (c, buf);
          n += g_unichar_to_utf8 (d, buf + n);
          buf[n] = '\0';
          g_autofree char *nfc = g_utf8_normalize (buf, -1, G_NORMALIZE_NFC);
          if (g_strcmp0 (nfc, buf) != 0)
            g_error ("U+%04X U+%04X is not NFC as it stands", c, d);
          pairs++;
        }
    }
  g_assert_cmpuint (pairs, >, 100000);
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char vi[] = "Nguye\xcc\x82\xcc\x83n Ph\xc3\xba \xe2\x80\x9cTr\xe1\xbb\x8dng\xe2\x80\x9d";
  g_autofree char *s = bb_text_sanitize (vi, sizeof vi - 1, "v.txt", diag);
  g_assert_cmpstr (s, ==, "Nguy\xe1\xbb\x85n Ph\xc3\xba \xe2\x80\x9cTr\xe1\xbb\x8dng\xe2\x80\x9d");
  const char composed[] = "Nguy\xe1\xbb\x85n \xe2\x80\x94 caf\xc3\xa9";
  g_autofree char *t = bb_text_sanitize (composed, sizeof composed - 1, "v.txt", diag);
  g_assert_cmpstr (t, ==, composed);
  g_assert_cmpuint (bb_diag_len (diag), ==, 0);
}

static void
test_looks_binary (void)
{
  g_assert_true (bb_text_looks_binary ("\x89PNG\r\n\x1a\n....", 12));
  g_assert_true (bb_text_looks_binary ("%PDF-1.4\n", 9));
  g_assert_true (bb_text_looks_binary ("PK\x03\x04zzzz", 8));
  g_assert_true (bb_text_looks_binary ("GIF89a..", 8));
  g_assert_true (bb_text_looks_binary ("\xFF\xD8\xFF\xE0", 4));
  g_assert_true (bb_text_looks_binary ("abc\0def", 7));
  g_assert_true (bb_text_looks_binary ("a\x01\x02\x03\x04\x05\x06", 7));
  g_assert_false (bb_text_looks_binary ("plain text\nwith lines\n", 22));
  g_assert_false (bb_text_looks_binary ("Vi\xE1\xBB\x87t Nam\n", 11));
  g_assert_false (bb_text_looks_binary ("", 0));
}

static char *
read_seed (const char *name)
{
  g_autofree char *path = g_build_filename (seed_dir, name, NULL);
  char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
test_detect_lang (void)
{
  g_autofree char *vi = read_seed ("000_7d51c5f7be742ba7.txt");
  g_autofree char *en = read_seed ("001_64eba9c8bd6f667b.txt");
  double svi = bb_text_vi_share (vi), sen = bb_text_vi_share (en);
  g_test_message ("vi share: vi seed %.3f, en seed %.3f", svi, sen);
  g_assert_cmpfloat (svi, >, 0.2);
  g_assert_cmpfloat (sen, <, 0.02);
  g_assert_cmpstr (bb_text_detect_lang (vi), ==, "vi");
  g_assert_cmpstr (bb_text_detect_lang (en), ==, "en");
  g_assert_cmpstr (bb_text_detect_lang ("Hội nghị thượng đỉnh Mỹ – Triều Tiên lần thứ hai"), ==, "vi");
  /* French accents are not Vietnamese. */
  g_assert_cmpstr (bb_text_detect_lang ("Le président a rencontré le dirigeant à Hanoï pour un sommet très attendu."), ==, "en");
  g_assert_cmpstr (bb_text_detect_lang (""), ==, "en");
}

static void
test_first_sentence (void)
{
  g_autofree char *a = bb_text_first_sentence ("Mr. Trump met Kim in Hanoi. Then they left.", 80);
  g_assert_cmpstr (a, ==, "Mr. Trump met Kim in Hanoi.");
  g_autofree char *b = bb_text_first_sentence ("The U.S. delegation arrived on Feb. 26. It stayed.", 80);
  g_assert_cmpstr (b, ==, "The U.S. delegation arrived on Feb. 26.");
  g_autofree char *c = bb_text_first_sentence (
    "In September 2018, The New York Times reported that North Korea is making nuclear fuel and building weapons.", 80);
  g_assert_cmpuint (g_utf8_strlen (c, -1), <=, 80);
  g_assert_true (g_str_has_suffix (c, "\u2026"));
  g_assert_true (g_str_has_prefix (c, "In September 2018, The New York Times reported that North"));
  /* Cut at a word boundary: the character before the ellipsis ends a word. */
  g_assert_cmpstr (c, ==, "In September 2018, The New York Times reported that North Korea is making\u2026");
  g_autofree char *d = bb_text_first_sentence ("  No full stop at all", 80);
  g_assert_cmpstr (d, ==, "No full stop at all");
  g_autofree char *e = bb_text_first_sentence ("He said \"go.\" Then left.", 80);
  g_assert_cmpstr (e, ==, "He said \"go.\"");
  g_autofree char *f = bb_text_first_sentence ("Pi is 3.14 exactly. Yes.", 80);
  g_assert_cmpstr (f, ==, "Pi is 3.14 exactly.");
}

static void
test_count_words (void)
{
  g_assert_cmpuint (bb_text_count_words ("Kim Jong-un's summit, 2019!"), ==, 4);
  g_assert_cmpuint (bb_text_count_words ("Hội nghị thượng đỉnh"), ==, 4);
  g_assert_cmpuint (bb_text_count_words (""), ==, 0);
}

/* ---- repair.c ------------------------------------------------------------------- */

static void
test_citations_split (void)
{
  g_autoptr (BbNode) p = repaired ("economic history[61][62] during the summit");
  g_assert_cmpuint (count_type (p, BB_NODE_CITATION), ==, 2);
  BbNode *t = p->first;
  g_assert_cmpint (t->type, ==, BB_NODE_TEXT);
  g_assert_cmpstr (t->text, ==, "economic history");
  g_assert_cmpint (t->next->type, ==, BB_NODE_CITATION);
  g_assert_cmpstr (t->next->text, ==, "61");
  g_assert_cmpstr (t->next->next->text, ==, "62");
  g_assert_cmpstr (t->next->next->next->text, ==, " during the summit");
  g_autofree char *plain = bb_node_plain (p);
  g_assert_cmpstr (plain, ==, "economic history during the summit");

  g_autoptr (BbNode) q = repaired ("[37][38][39] Bloomberg said [a] it [note 3] was [citation needed] so.");
  g_autofree char *fq = flat (q);
  g_assert_cmpstr (fq, ==, "{37}{38}{39}Bloomberg said{a} it{note 3} was{citation needed} so.");
  /* Not markers: long numbers, words, years in brackets of prose. */
  g_autoptr (BbNode) r = repaired ("See [12345] and [Hello] and [sic] and [2019 est.].");
  g_assert_cmpuint (count_type (r, BB_NODE_CITATION), ==, 0);
  g_autofree char *fr = flat (r);
  g_assert_cmpstr (fr, ==, "See [12345] and [Hello] and [sic] and [2019 est.].");
}

static void
test_whitespace (void)
{
  g_autoptr (BbNode) p = repaired ("  too   many\t spaces \n here  ");
  g_autofree char *f = flat (p);
  g_assert_cmpstr (f, ==, "too many spaces here");
  g_autoptr (BbNode) q = repaired ("keep\u00A0nbsp");
  g_autofree char *g = flat (q);
  g_assert_cmpstr (g, ==, "keep\u00A0nbsp");
}

static GPtrArray *
paras_of (const char *const *lines)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
  for (; *lines; lines++)
    g_ptr_array_add (a, g_strdup (*lines));
  return a;
}

static void
test_stray_quote_seed (void)
{
  /* Lines 1 and 2 of seed 001. */
  const char *lines[] = {
    "[13] In September 2018, The New York Times reported that \"North Korea is making "
    "nuclear fuel and building weapons as actively as ever\" but did so quietly, "
    "\"allowing Mr. Trump to portray a denuclearization effort as on track.",
    "\"[14] Two months later, The Times reported that North Korea appeared to be "
    "engaged in a \"great deception\" by offering to dismantle one missile base.",
    "[20] The February 2019 summit was confirmed.",
    NULL,
  };
  g_autoptr (GPtrArray) paras = paras_of (lines);
  guint n = bb_repair_paragraphs (paras);
  g_assert_cmpuint (n, >=, 2);
  g_assert_true (g_str_has_prefix (paras->pdata[0], "[13] In September"));
  g_assert_true (g_str_has_suffix (paras->pdata[0], "as on track.\"[14]"));
  g_assert_true (g_str_has_prefix (paras->pdata[1], "Two months later"));
  g_assert_true (g_str_has_suffix (paras->pdata[1], "missile base.[20]"));
  g_assert_cmpstr (paras->pdata[2], ==, "The February 2019 summit was confirmed.");

  /* Then the blocks: the quotation of paragraph 1 pairs up and closes. */
  g_autoptr (BbNode) p = repaired (paras->pdata[0]);
  g_autofree char *f = flat (p);
  g_assert_true (g_str_has_prefix (f, "{13}In September 2018"));
  g_assert_true (g_str_has_suffix (f, "as on track.\u201D{14}"));
  g_assert_nonnull (strstr (f, "that \u201CNorth Korea"));
  g_assert_nonnull (strstr (f, "as ever\u201D but"));
  g_assert_null (strchr (f, '"'));
}

static void
test_stray_quote_other (void)
{
  /* A stray quote before a marker that nothing can take is dropped, and the
   * next one goes back to the now-open quotation. */
  const char *lines[] = {
    "[58] NBC News reported it.",
    "\"[59] Cheong said: \"After the first summit, they did not waste time.",
    "\"[60] BBC News believed it.",
    NULL,
  };
  g_autoptr (GPtrArray) paras = paras_of (lines);
  bb_repair_paragraphs (paras);
  g_assert_cmpstr (paras->pdata[0], ==, "[58] NBC News reported it.[59]");
  g_assert_cmpstr (paras->pdata[1], ==, "Cheong said: \"After the first summit, they did not waste time.\"[60]");
  g_assert_cmpstr (paras->pdata[2], ==, "BBC News believed it.");

  /* A quotation running over paragraphs (English convention: each paragraph
   * reopens it) is left alone. */
  const char *multi[] = {
    "He said: \"We will go on.",
    "\"And we will win,\" he added.",
    NULL,
  };
  g_autoptr (GPtrArray) m = paras_of (multi);
  g_assert_cmpuint (bb_repair_paragraphs (m), ==, 0);
  g_assert_cmpstr (m->pdata[1], ==, "\"And we will win,\" he added.");

  /* A paragraph that is only a marker empties out. */
  const char *only[] = { "Text one.", "[5]", "Text two.", NULL };
  g_autoptr (GPtrArray) o = paras_of (only);
  bb_repair_paragraphs (o);
  g_assert_cmpstr (o->pdata[0], ==, "Text one.[5]");
  g_assert_cmpstr (o->pdata[1], ==, "");
}

static void
test_typographic_quotes (void)
{
  g_autoptr (BbNode) a = repaired ("She said \"yes\" and (\"no\"), Trump's \"deal\".");
  g_autofree char *fa = flat (a);
  g_assert_cmpstr (fa, ==, "She said \u201Cyes\u201D and (\u201Cno\u201D), Trump\u2019s \u201Cdeal\u201D.");

  /* Unclear pairing: inches, a lone quote between spaces, close-before-open. */
  g_autoptr (BbNode) b = repaired ("A 5\" and 6\" pipe.");
  g_autofree char *fb = flat (b);
  g_assert_cmpstr (fb, ==, "A 5\" and 6\" pipe.");
  g_autoptr (BbNode) c = repaired ("a \" b \"c\"");
  g_autofree char *fc = flat (c);
  g_assert_cmpstr (fc, ==, "a \" b \"c\"");
  g_autoptr (BbNode) d = repaired ("said,\"go\" now");
  g_autofree char *fd = flat (d);
  g_assert_cmpstr (fd, ==, "said,\"go\" now");

  /* An open quotation at the end of a paragraph continues: still clear. */
  g_autoptr (BbNode) e = repaired ("He said: \"This really speaks to the lack of preparation.");
  g_autofree char *fe = flat (e);
  g_assert_cmpstr (fe, ==, "He said: \u201CThis really speaks to the lack of preparation.");

  /* Apostrophes only between letters; quotes across inline nodes pair. */
  g_autoptr (BbNode) f = repaired ("'tis rock 'n' roll's");
  g_autofree char *ff = flat (f);
  g_assert_cmpstr (ff, ==, "'tis rock 'n' roll\u2019s");

  BbNode *g = bb_node_new (BB_NODE_PARAGRAPH);
  bb_node_append (g, bb_node_new_text ("a \"", -1));
  BbNode *em = bb_node_append (g, bb_node_new (BB_NODE_EMPH));
  bb_node_append (em, bb_node_new_text ("word", -1));
  bb_node_append (g, bb_node_new_text ("\" b", -1));
  bb_repair_block (g);
  g_autofree char *fg = flat (g);
  g_assert_cmpstr (fg, ==, "a \u201Cword\u201D b");
  bb_node_free (g);
}

/* ---- markdown.c --------------------------------------------------------------- */

static void
test_markdown_blocks (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *md =
    "# Title *here*\n"                 /* 1 */
    "\n"
    "Some **bold** and [a link](https://example.org/x) and [rel](other.md).[7]\n" /* 3 */
    "\n"
    "- one\n"                          /* 5 */
    "- two\n"
    "\n"
    "3. three\n"                       /* 8 */
    "4. four\n"
    "\n"
    "> quoted\n"                       /* 11 */
    "> text\n"
    "\n"
    "| Name | Count |\n"                /* 14 */
    "|------|------:|\n"
    "| a    | 1,200 |\n"
    "| b    | 40%   |\n"
    "\n"
    "<b>raw</b> &amp; <script>x</script>\n" /* 19 */
    "\n"
    "```\n"                            /* 21 */
    "code <here>\n"
    "```\n"
    "\n"
    "Line one  \n"                     /* 25 */
    "line two `x`\n";
  g_autoptr (BbNode) sec = parse_md (md, diag);
  g_autofree char *d = dump (sec);
  g_test_message ("%s", d);

  BbNode *h = sec->first;
  g_assert_cmpint (h->type, ==, BB_NODE_HEADING);
  g_assert_cmpint (h->level, ==, 1);
  g_assert_cmpint (h->line, ==, 1);
  g_assert_cmpstr (bb_node_file (h), ==, "t.md");
  g_autofree char *ht = bb_node_plain (h);
  g_assert_cmpstr (ht, ==, "Title here");

  BbNode *p = h->next;
  g_assert_cmpint (p->type, ==, BB_NODE_PARAGRAPH);
  g_assert_cmpint (p->line, ==, 3);
  g_assert_nonnull (find_type (p, BB_NODE_STRONG));
  BbNode *link = find_type (p, BB_NODE_LINK);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->href, ==, "https://example.org/x");
  g_assert_cmpuint (count_type (p, BB_NODE_LINK), ==, 1); /* relative link is text */
  g_assert_cmpuint (count_type (p, BB_NODE_CITATION), ==, 1);

  BbNode *ul = p->next;
  g_assert_cmpint (ul->type, ==, BB_NODE_LIST);
  g_assert_cmpint (ul->level, ==, 0);
  g_assert_cmpint (ul->line, ==, 5);
  g_assert_cmpuint (count_type (ul, BB_NODE_ITEM), ==, 2);
  g_assert_cmpint (ul->first->first->type, ==, BB_NODE_PARAGRAPH); /* tight item */
  g_assert_cmpint (ul->first->first->line, ==, 5);
  g_assert_cmpint (ul->last->first->line, ==, 6);
  g_assert_cmpint (ul->last->line, ==, 6);

  BbNode *ol = ul->next;
  g_assert_cmpint (ol->type, ==, BB_NODE_LIST);
  g_assert_cmpint (ol->level, ==, 3);
  g_assert_cmpint (ol->line, ==, 8);

  BbNode *q = ol->next;
  g_assert_cmpint (q->type, ==, BB_NODE_QUOTE);
  g_assert_cmpint (q->line, ==, 11);
  g_autofree char *qt = bb_node_plain (q);
  g_assert_cmpstr (qt, ==, "quoted text");

  BbNode *t = q->next;
  g_assert_cmpint (t->type, ==, BB_NODE_TABLE);
  g_assert_cmpint (t->level, ==, 1);
  g_assert_cmpint (t->line, ==, 14);
  g_assert_cmpuint (count_type (t, BB_NODE_ROW), ==, 3);
  g_assert_cmpuint (count_type (t, BB_NODE_CELL), ==, 6);
  BbNode *row2 = t->first->next;
  g_assert_cmpint (row2->line, ==, 16);
  g_assert_false (row2->first->flags & BB_FLAG_NUMERIC);
  g_assert_true (row2->last->flags & BB_FLAG_NUMERIC);

  BbNode *raw = t->next;
  g_assert_cmpint (raw->type, ==, BB_NODE_PARAGRAPH);
  g_assert_cmpint (raw->line, ==, 19);
  g_autofree char *rt = bb_node_plain (raw);
  g_assert_cmpstr (rt, ==, "<b>raw</b> & <script>x</script>");

  BbNode *code = raw->next;
  g_assert_cmpint (code->type, ==, BB_NODE_CODE_BLOCK);
  g_assert_cmpstr (code->text, ==, "code <here>");
  g_assert_cmpint (code->line, ==, 21);

  BbNode *last = code->next;
  g_assert_cmpint (last->line, ==, 25);
  g_assert_cmpuint (count_type (last, BB_NODE_BREAK), ==, 1);
  g_assert_cmpuint (count_type (last, BB_NODE_CODE), ==, 1);
  g_assert_null (last->next);
  g_assert_cmpuint (bb_diag_len (diag), ==, 0);
}

static void
test_markdown_deep (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  GString *md = g_string_new (NULL);
  for (int i = 0; i < 500; i++)
    g_string_append_c (md, '>');
  g_string_append (md, " deep\n\n");
  for (int i = 0; i < 300; i++)
    {
      for (int k = 0; k < i * 2; k++)
        g_string_append_c (md, ' ');
      g_string_append (md, "- item\n");
    }
  g_string_append (md, "\n");
  for (int i = 0; i < 200; i++)
    g_string_append (md, "*a **b ");
  g_string_append (md, "x\n");
  g_autoptr (BbNode) sec = parse_md (md->str, diag);
  g_string_free (md, TRUE);
  guint depth = max_depth (sec);
  g_test_message ("depth %u", depth);
  g_assert_cmpuint (depth, <=, BB_MARKDOWN_MAX_DEPTH + 4);
  g_assert_cmpuint (count_messages (diag, "nesting deeper than"), ==, 1);
  g_autofree char *plain = bb_node_plain (sec);
  g_assert_true (g_str_has_prefix (plain, "deep item item"));
  /* Every block container still holds blocks only. */
  for (BbNode *n = sec; n; n = bb_node_next_in (sec, n))
    if (n->type == BB_NODE_QUOTE || n->type == BB_NODE_ITEM || n->type == BB_NODE_SECTION)
      for (BbNode *c = n->first; c; c = c->next)
        g_assert_true (bb_node_is_block (c));
}

static void
test_markdown_markers (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *md =
    "Text[1][2] and `code[3]` and [4](https://example.org/4) and [sic].\n"
    "\n"
    "- [x] done task\n"
    "- item [a]\n"
    "\n"
    "```\n"
    "block [6]\n"
    "```\n";
  g_autoptr (BbNode) sec = parse_md (md, diag);
  BbNode *p = sec->first;
  g_autofree char *fp = flat (p);
  g_assert_cmpstr (fp, ==, "Text{1}{2} and  and 4 and [sic].");
  g_assert_cmpstr (find_type (p, BB_NODE_CODE)->text, ==, "code[3]");
  g_assert_cmpstr (find_type (p, BB_NODE_LINK)->href, ==, "https://example.org/4");
  BbNode *list = p->next;
  g_autofree char *fl = flat (list);
  g_assert_cmpstr (fl, ==, "done taskitem{a}");
  g_assert_cmpstr (list->next->text, ==, "block [6]");

  /* With link reference definitions, "[1]" may be a link: md4c decides. */
  const char *md2 = "See [1] and [2].\n\n[1]: https://example.org/one\n";
  g_autoptr (BbNode) s2 = parse_md (md2, diag);
  g_assert_cmpstr (find_type (s2, BB_NODE_LINK)->href, ==, "https://example.org/one");
  g_assert_cmpuint (count_type (s2, BB_NODE_CITATION), ==, 1);
  g_assert_cmpuint (bb_diag_len (diag), ==, 0);
}

/* ---- source.c ------------------------------------------------------------------ */

static void
test_source_errors (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_assert_null (bb_source_parse ("img.txt", "\x89PNG\r\n\x1a\nxxxx", 12, NULL, diag));
  g_assert_null (bb_source_parse ("blank.txt", " \n\t\n\r\n", 6, NULL, diag));
  g_assert_null (bb_source_load ("/nonexistent/dir/x.txt", NULL, diag));
  /* a skipped source is a warning: the book is still made from the rest */
  g_assert_cmpuint (bb_diag_count (diag, BB_DIAG_WARNING), ==, 3);
  g_assert_cmpuint (bb_diag_count (diag, BB_DIAG_ERROR), ==, 0);
  g_autofree char *e0 = bb_diag_format (bb_diag_get (diag, 0));
  g_assert_cmpstr (e0, ==, "img.txt: warning: not a text file (binary data); skipped");
  g_assert_cmpstr (bb_diag_get (diag, 1)->message, ==, "empty source; skipped");
  g_assert_nonnull (strstr (bb_diag_get (diag, 2)->message, "No such file"));
}

static void
test_source_txt (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *txt = "First para line one\nstill first.\n\n[3] Second para.\n\nThird.\n";
  g_autoptr (BbSource) src = bb_source_parse ("dir/My File (2).txt", txt, strlen (txt), NULL, diag);
  g_assert_nonnull (src);
  g_assert_cmpstr (src->name, ==, "My File (2).txt");
  g_assert_cmpstr (src->id, ==, "s-My_File__2_");
  g_assert_cmpstr (src->lang, ==, "en");
  g_assert_cmpstr (src->title, ==, "First para line one still first");
  g_assert_cmpstr (src->body->text, ==, src->title);
  g_assert_cmpint (src->body->kind, ==, BB_SECTION_CHAPTER);
  g_assert_cmpstr (bb_node_anchor (src->body), ==, src->id);
  g_assert_cmpuint (count_type (src->body, BB_NODE_PARAGRAPH), ==, 3);
  BbNode *p2 = src->body->first->next;
  g_assert_cmpint (p2->line, ==, 4);
  g_assert_cmpstr (bb_node_anchor (p2), ==, "s-My_File__2_-p2");
  g_autofree char *f1 = flat (src->body->first);
  g_assert_cmpstr (f1, ==, "First para line one still first.{3}");
  g_assert_cmpuint (src->words, ==, 9);
  g_assert_cmpuint (strlen (src->checksum), ==, 64);

  /* A short first line without a full stop is the title line. */
  const char *t3 = "Summit notes\nFirst line.\nSecond line.\n";
  g_autoptr (BbSource) s3 = bb_source_parse ("n.txt", t3, strlen (t3), NULL, diag);
  g_assert_cmpstr (s3->title, ==, "Summit notes");
  g_assert_cmpuint (count_type (s3->body, BB_NODE_PARAGRAPH), ==, 2);
  g_assert_cmpuint (count_type (s3->body, BB_NODE_HEADING), ==, 0);
  g_assert_cmpstr (bb_node_anchor (s3->body->first), ==, "s-n-p1");
  g_assert_cmpint (s3->body->first->line, ==, 2);
  const char *t4 = "Only one line";
  g_autoptr (BbSource) s4 = bb_source_parse ("o.txt", t4, strlen (t4), NULL, diag);
  g_assert_cmpstr (s4->title, ==, "Only one line");
  g_assert_cmpuint (count_type (s4->body, BB_NODE_PARAGRAPH), ==, 1);

  BbSourceMeta meta = { "Given title", NULL, "vi", "2019-02-27" };
  g_autoptr (BbSource) s2 = bb_source_parse ("x.txt", txt, strlen (txt), &meta, diag);
  g_assert_cmpstr (s2->title, ==, "Given title");
  g_assert_cmpstr (s2->lang, ==, "vi");
  g_assert_cmpstr (bb_node_lang (s2->body), ==, "vi");
  g_assert_cmpstr (s2->date, ==, "2019-02-27");
  g_assert_cmpuint (bb_diag_len (diag), ==, 0);
}

static void
test_source_md_title (void)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *md = "# The Hanoi summit[4]\n\nBody text.\n\n## Part\n\nMore.\n";
  g_autoptr (BbSource) src = bb_source_parse ("a.md", md, strlen (md), NULL, diag);
  g_assert_cmpstr (src->title, ==, "The Hanoi summit");
  /* The opening heading became the chapter title. */
  g_assert_cmpint (src->body->first->type, ==, BB_NODE_PARAGRAPH);
  g_assert_cmpstr (bb_node_anchor (src->body->first), ==, "s-a-p1");
  g_assert_cmpint (src->body->first->line, ==, 3);

  const char *md2 = "Intro first.\n\n# Later heading\n";
  g_autoptr (BbSource) s2 = bb_source_parse ("b.markdown", md2, strlen (md2), NULL, diag);
  g_assert_cmpstr (s2->title, ==, "Later heading");
  g_assert_cmpuint (count_type (s2->body, BB_NODE_HEADING), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  seed_dir = g_getenv ("BB_SEED_DIR") ? g_getenv ("BB_SEED_DIR") : "sources";
  g_test_add_func ("/load/sanitize/utf8", test_sanitize_utf8);
  g_test_add_func ("/load/sanitize/controls", test_sanitize_controls);
  g_test_add_func ("/load/sanitize/nfc", test_sanitize_nfc);
  g_test_add_func ("/load/binary", test_looks_binary);
  g_test_add_func ("/load/lang", test_detect_lang);
  g_test_add_func ("/load/first-sentence", test_first_sentence);
  g_test_add_func ("/load/words", test_count_words);
  g_test_add_func ("/load/repair/citations", test_citations_split);
  g_test_add_func ("/load/repair/whitespace", test_whitespace);
  g_test_add_func ("/load/repair/stray-quote-seed", test_stray_quote_seed);
  g_test_add_func ("/load/repair/stray-quote-other", test_stray_quote_other);
  g_test_add_func ("/load/repair/typographic-quotes", test_typographic_quotes);
  g_test_add_func ("/load/markdown/blocks", test_markdown_blocks);
  g_test_add_func ("/load/markdown/deep", test_markdown_deep);
  g_test_add_func ("/load/markdown/markers", test_markdown_markers);
  g_test_add_func ("/load/source/errors", test_source_errors);
  g_test_add_func ("/load/source/txt", test_source_txt);
  g_test_add_func ("/load/source/md-title", test_source_md_title);
  return g_test_run ();
}
