/* test_chronology.c — unit tests of event extraction, merging, ordering,
 * cleaning, curated additions and the writers. */
#include "chronology.h"
#include <glib/gstdio.h>
#include <string.h>

static BbChronology *
extract1 (const char *text, const char *lang, const char *dateline)
{
  const char *texts[] = { text }, *names[] = { "a.txt" }, *langs[] = { lang }, *lines[] = { dateline };
  return bb_chronology_extract_texts (texts, names, langs, lines, 1);
}

static char *
tsv_of (const BbChronology *c)
{
  GString *s = g_string_new (NULL);
  bb_chronology_write_tsv (c, s);
  return g_string_free (s, FALSE);
}

/* Row i (0-based, after the header) split into cells. */
static GStrv
row_cells (const BbChronology *c, guint i)
{
  g_autofree char *tsv = tsv_of (c);
  g_auto (GStrv) lines = g_strsplit (tsv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, i + 1);
  return g_strsplit (lines[i + 1], "\t", -1);
}

static void
test_header (void)
{
  g_autoptr (BbChronology) c = extract1 ("", "en", NULL);
  g_autofree char *tsv = tsv_of (c);
  g_assert_cmpstr (tsv, ==, "date\tsources\tevent\tanchors\tcurated\tnote\n");
  g_assert_cmpuint (bb_chronology_len (c), ==, 0);
  g_autoptr (BbNode) sec = bb_chronology_section (c, "en");
  g_assert_cmpint (sec->first->type, ==, BB_NODE_PARAGRAPH);
}

static void
test_merge_sources (void)
{
  const char *texts[] = {
    "The summit was held in Hanoi on 27–28 February 2019 at the Metropole hotel.",
    "Intro line without a date.\nThe summit was held in Hanoi on 27-28 February 2019 at the Metropole hotel.",
  };
  const char *names[] = { "a.txt", "b.txt" }, *langs[] = { "en", "en" };
  g_autoptr (BbChronology) c = bb_chronology_extract_texts (texts, names, langs, NULL, 2);
  g_assert_cmpuint (bb_chronology_len (c), ==, 1);
  g_auto (GStrv) cells = row_cells (c, 0);
  g_assert_cmpstr (cells[0], ==, "2019-02-27/2019-02-28");
  g_assert_cmpstr (cells[1], ==, "a.txt,b.txt");
  g_assert_cmpstr (cells[3], ==, "l1,l2");
}

static void
test_conflict (void)
{
  const char *texts[] = {
    "The second summit between Trump and Kim opened in Hanoi on 27 February 2019 with a dinner.",
    "The second summit between Trump and Kim opened in Hanoi on 26 February 2019 with a dinner.",
  };
  const char *names[] = { "a.txt", "b.txt" }, *langs[] = { "en", "en" };
  g_autoptr (BbChronology) c = bb_chronology_extract_texts (texts, names, langs, NULL, 2);
  g_assert_cmpuint (bb_chronology_len (c), ==, 2);
  g_auto (GStrv) first = row_cells (c, 0);
  g_auto (GStrv) second = row_cells (c, 1);
  g_assert_cmpstr (first[0], ==, "2019-02-26");
  g_assert_nonnull (strstr (first[5], "2019-02-27 (a.txt)"));
  g_assert_nonnull (strstr (second[5], "2019-02-26 (b.txt)"));
}

static void
test_order (void)
{
  g_autoptr (BbChronology) c = extract1 ("On 3 February 2019 the envoys met in Hanoi.\n"
                                         "In February 2019 preparations went on everywhere.\n"
                                         "In 2019 a lot happened for the process.\n"
                                         "On 1 January 2018 Kim gave his New Year speech.", "en", NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 4);
  const char *want[] = { "2018-01-01", "2019", "2019-02", "2019-02-03" };
  for (guint i = 0; i < 4; i++)
    {
      g_auto (GStrv) cells = row_cells (c, i);
      g_assert_cmpstr (cells[0], ==, want[i]);
    }
}

static void
test_cleaning (void)
{
  g_autoptr (BbChronology) c = extract1 ("\"[13] In September 2018, The New York Times reported that "
                                         "\"North Korea is making nuclear fuel[14]", "en", NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 1);
  g_auto (GStrv) cells = row_cells (c, 0);
  g_assert_cmpstr (cells[0], ==, "2018-09");
  g_assert_cmpstr (cells[2], ==, "In September 2018, The New York Times reported that North Korea is making nuclear fuel");
}

static void
test_long_sentence (void)
{
  GString *s = g_string_new ("Officials from both delegations, who had worked through the night on a text "
                             "that neither side would publish, and who had met repeatedly in the weeks before, ");
  g_string_append (s, "finally agreed on 5 March 2019 to keep talking");
  g_string_append (s, ", although analysts in Seoul, Tokyo, Beijing and Washington, speaking on condition "
                      "of anonymity, doubted that the talks would produce anything before the end of the year.");
  g_autoptr (BbChronology) c = extract1 (s->str, "en", NULL);
  g_string_free (s, TRUE);
  g_assert_cmpuint (bb_chronology_len (c), ==, 1);
  g_auto (GStrv) cells = row_cells (c, 0);
  g_assert_cmpstr (cells[0], ==, "2019-03-05");
  g_assert_cmpint (g_utf8_strlen (cells[2], -1), <=, 201);
  g_assert_nonnull (strstr (cells[2], "5 March 2019 to keep talking"));
}

static void
test_not_events (void)
{
  g_autoptr (BbChronology) c = extract1 ("A second summit could come as soon as May 2019, an adviser said.\n"
                                         "For 260 days, they did not waste their timeliness.\n"
                                         "An estimated 28,500 troops remain, 1,300 kilometres from the border.\n"
                                         "27 February 2019\n", "en", NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 0);
}

static void
test_vietnamese (void)
{
  g_autoptr (BbChronology) c = extract1 ("Ngày 27/2/2019, hai nhà lãnh đạo gặp nhau tại Hà Nội.\n"
                                         "Hôm sau, cuộc đàm phán kết thúc sớm.", "vi", NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 2);
  g_auto (GStrv) second = row_cells (c, 1);
  g_assert_cmpstr (second[0], ==, "2019-02-28");
  g_assert_cmpstr (second[2], ==, "Hôm sau, cuộc đàm phán kết thúc sớm.");
}

static void
test_dateline_line (void)
{
  g_autoptr (BbChronology) c = extract1 ("Thứ năm, 28/2/2019, 15:30 (GMT+7)\n"
                                         "Hôm qua, ông Ri Yong-ho tổ chức họp báo tại Hà Nội.\n"
                                         "Ngày 27/12, hai bên trao đổi thư.", "vi", NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 2);
  g_auto (GStrv) first = row_cells (c, 0);
  g_assert_cmpstr (first[0], ==, "2018-12-27");
  g_auto (GStrv) second = row_cells (c, 1);
  g_assert_cmpstr (second[0], ==, "2019-02-27");
}

static void
test_book_year (void)
{
  /* a document that never names its year takes the book's */
  const char *texts[] = {
    "On February 5, 2019, Trump announced the summit. On 8 February 2019 envoys met.",
    "Sáng 28/2, hai nhà lãnh đạo hội đàm tại khách sạn Metropole.",
  };
  const char *names[] = { "a.txt", "b.txt" }, *langs[] = { "en", "vi" };
  g_autoptr (BbChronology) c = bb_chronology_extract_texts (texts, names, langs, NULL, 2);
  g_assert_cmpuint (bb_chronology_len (c), ==, 3);
  g_auto (GStrv) last = row_cells (c, 2);
  g_assert_cmpstr (last[0], ==, "2019-02-28");
  g_assert_cmpstr (last[1], ==, "b.txt");
}

static BbNode *
cell_with (const char *text)
{
  BbNode *cell = bb_node_new (BB_NODE_CELL);
  bb_node_append (cell, bb_node_new_text (text, -1));
  return cell;
}

static void
test_table_rows (void)
{
  /* a schedule table: each row is one statement */
  BbSource src = { 0 };
  src.name = (char *) "memo.md";
  src.lang = (char *) "en";
  src.body = bb_node_new (BB_NODE_SECTION);
  BbNode *table = bb_node_append (src.body, bb_node_new (BB_NODE_TABLE));
  table->anchor = g_strdup ("memo-p1");
  table->level = 1;
  const char *cells[][2] = { { "Date", "Event" }, { "27 February 2019", "Leaders dine" },
                             { "28 February 2019", "Talks end" } };
  for (guint i = 0; i < 3; i++)
    {
      BbNode *row = bb_node_append (table, bb_node_new (BB_NODE_ROW));
      bb_node_append (row, cell_with (cells[i][0]));
      bb_node_append (row, cell_with (cells[i][1]));
    }
  g_autoptr (GPtrArray) sources = g_ptr_array_new ();
  g_ptr_array_add (sources, &src);
  g_autoptr (BbChronology) c = bb_chronology_extract (sources, NULL, NULL);
  g_assert_cmpuint (bb_chronology_len (c), ==, 2);
  g_auto (GStrv) second = row_cells (c, 1);
  g_assert_cmpstr (second[0], ==, "2019-02-28");
  g_assert_cmpstr (second[2], ==, "28 February 2019; Talks end");
  g_assert_cmpstr (second[3], ==, "memo-p1");
  bb_node_free (src.body);
}

static void
test_json (void)
{
  g_autoptr (BbChronology) c = extract1 ("In February 2019 the \"summit\" was confirmed.", "en", NULL);
  g_autoptr (GString) s = g_string_new (NULL);
  bb_chronology_write_json (c, s);
  g_assert_true (g_str_has_prefix (s->str, "["));
  g_assert_nonnull (strstr (s->str, "\"date\": \"2019-02\""));
  g_assert_nonnull (strstr (s->str, "\"precision\": \"month\""));
  g_assert_nonnull (strstr (s->str, "\"sources\": [\"a.txt\"]"));
  g_assert_nonnull (strstr (s->str, "the \\\"summit\\\" was"));
  g_autoptr (BbChronology) empty = extract1 ("", "en", NULL);
  g_string_truncate (s, 0);
  bb_chronology_write_json (empty, s);
  g_assert_cmpstr (s->str, ==, "[]\n");
}

static void
test_section (void)
{
  const char *texts[] = { "Tối 27/2/2019, hai nhà lãnh đạo dự bữa tối tại Hà Nội." };
  const char *names[] = { "vi.txt" }, *langs[] = { "vi" };
  g_autoptr (BbChronology) c = bb_chronology_extract_texts (texts, names, langs, NULL, 1);
  const char *book_langs[] = { "en", "vi" }, *dates[] = { "27 February 2019", "27/2/2019" };
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (BbNode) sec = bb_chronology_section (c, book_langs[k]);
      g_assert_cmpint (sec->type, ==, BB_NODE_SECTION);
      g_assert_cmpint (sec->kind, ==, BB_SECTION_FRONT);
      g_assert_cmpstr (sec->text, ==, "Chronology");
      g_assert_cmpstr (bb_node_anchor (sec), ==, "chronology");
      g_assert_true (sec->flags & BB_FLAG_GENERATED);
      BbNode *table = sec->first;
      g_assert_cmpint (table->type, ==, BB_NODE_TABLE);
      g_assert_cmpint (table->level, ==, 1);
      BbNode *row = table->first->next;
      g_assert_nonnull (row);
      BbNode *date = row->first, *event = date->next, *source = event->next, *page = source->next;
      g_autofree char *when = bb_node_plain (date);
      g_assert_cmpstr (when, ==, dates[k]);
      g_assert_cmpint (event->first->type, ==, BB_NODE_LINK);
      g_assert_cmpstr (event->first->href, ==, "#l1");
      g_assert_cmpstr (bb_node_lang (event), ==, k == 0 ? "vi" : NULL);
      g_autofree char *src = bb_node_plain (source);
      g_assert_cmpstr (src, ==, "vi.txt");
      g_assert_cmpint (page->first->type, ==, BB_NODE_PAGEREF);
      g_assert_cmpstr (page->first->href, ==, "#l1");
      g_assert_null (row->next);
    }
}

static void
test_curated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("chron-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_autofree char *path = g_build_filename (dir, "chronology.tsv", NULL);
  const char *tsv = "date\tevent\tsource\n"
                    "2019-03-05\tThe envoys met again in Panmunjom\t\n"
                    "not-a-date\tBroken row\t\n"
                    "2019-02-27/2019-02-28\tSecond summit, Hanoi\tmissing.txt\n";
  g_assert_true (g_file_set_contents (path, tsv, -1, NULL));
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  g_autoptr (BbChronology) c = bb_chronology_extract (none, dir, diag);
  g_assert_cmpuint (bb_chronology_len (c), ==, 2);
  g_auto (GStrv) first = row_cells (c, 0);
  g_assert_cmpstr (first[0], ==, "2019-02-27/2019-02-28");
  g_assert_cmpstr (first[4], ==, "yes");
  g_auto (GStrv) second = row_cells (c, 1);
  g_assert_cmpstr (second[2], ==, "The envoys met again in Panmunjom");
  g_assert_cmpuint (bb_diag_count (diag, BB_DIAG_WARNING), ==, 2);
  g_autoptr (BbNode) sec = bb_chronology_section (c, "en");
  g_autofree char *plain = bb_node_plain (sec->first->last);
  g_assert_nonnull (strstr (plain, "(curated)"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chronology/header", test_header);
  g_test_add_func ("/chronology/merge-sources", test_merge_sources);
  g_test_add_func ("/chronology/conflict", test_conflict);
  g_test_add_func ("/chronology/order", test_order);
  g_test_add_func ("/chronology/cleaning", test_cleaning);
  g_test_add_func ("/chronology/long-sentence", test_long_sentence);
  g_test_add_func ("/chronology/not-events", test_not_events);
  g_test_add_func ("/chronology/vietnamese", test_vietnamese);
  g_test_add_func ("/chronology/json", test_json);
  g_test_add_func ("/chronology/table-rows", test_table_rows);
  g_test_add_func ("/chronology/dateline-line", test_dateline_line);
  g_test_add_func ("/chronology/book-year", test_book_year);
  g_test_add_func ("/chronology/section", test_section);
  g_test_add_func ("/chronology/curated", test_curated);
  return g_test_run ();
}
