/* test_people.c — golden tests of the people rules, one case per pattern
 * (patterns.golden: "> " lines are the blocks of one source, "= " lines
 * the expected rows name | title | affiliation | role), and unit tests of
 * linking, curated overrides and the book sections.
 *
 * BB_UPDATE_GOLDEN=1 rewrites the expected rows of patterns.golden from
 * what the engine gives; review the diff. */
#include "people.h"
#include "source.h"
#include <glib/gstdio.h>
#include <string.h>

static const char *testdir;

static char *
rows_of (const char *const *blocks, const char *lang)
{
  g_autoptr (BbPeople) p = bb_people_extract_texts (blocks, lang);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < bb_people_len (p); i++)
    {
      BbPerson r;
      bb_people_get (p, i, &r);
      g_string_append_printf (out, "= %s | %s | %s | %s\n", r.name, r.title, r.affiliation,
                              r.participant ? "participant" : "mentioned");
    }
  return g_string_free (out, FALSE);
}

static void
test_golden (void)
{
  g_autofree char *path = g_build_filename (testdir, "patterns.golden", NULL);
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  gboolean update = g_strcmp0 (g_getenv ("BB_UPDATE_GOLDEN"), "1") == 0;
  g_autoptr (GString) rewritten = g_string_new (NULL);
  guint cases = 0, failures = 0;
  for (guint i = 0; lines[i];)
    {
      if (!g_str_has_prefix (lines[i], "> ") && !g_str_has_prefix (lines[i], "lang: "))
        {
          if (lines[i][0] || lines[i + 1])
            g_string_append_printf (rewritten, "%s\n", lines[i]);
          i++;
          continue;
        }
      /* one case: optional lang line, "> " blocks, "= " rows */
      const char *lang = "en";
      guint start_line = i + 1;
      if (g_str_has_prefix (lines[i], "lang: "))
        {
          lang = lines[i] + 6;
          g_string_append_printf (rewritten, "%s\n", lines[i]);
          i++;
        }
      g_autoptr (GPtrArray) blocks = g_ptr_array_new ();
      while (lines[i] && g_str_has_prefix (lines[i], "> "))
        {
          g_ptr_array_add (blocks, lines[i] + 2);
          g_string_append_printf (rewritten, "%s\n", lines[i]);
          i++;
        }
      g_ptr_array_add (blocks, NULL);
      GString *want = g_string_new (NULL);
      while (lines[i] && g_str_has_prefix (lines[i], "= "))
        g_string_append_printf (want, "%s\n", lines[i++]);
      g_autofree char *got = rows_of ((const char *const *) blocks->pdata, lang);
      g_string_append (rewritten, got);
      cases++;
      if (strcmp (got, want->str) != 0)
        {
          failures++;
          g_printerr ("patterns.golden:%u: case differs\n--- want\n%s--- got\n%s", start_line,
                      want->str, got);
        }
      g_string_free (want, TRUE);
    }
  if (update)
    {
      g_assert_true (g_file_set_contents (path, rewritten->str, (gssize) rewritten->len, NULL));
      g_test_message ("updated %s", path);
      return;
    }
  g_test_message ("%u cases", cases);
  g_assert_cmpuint (cases, >=, 20);
  g_assert_cmpuint (failures, ==, 0);
}

static BbPeople *
extract (const char *const *blocks, const char *lang)
{
  return bb_people_extract_texts (blocks, lang);
}

static const BbPerson *
find (const BbPeople *p, const char *name, BbPerson *out)
{
  for (guint i = 0; i < bb_people_len (p); i++)
    {
      bb_people_get (p, i, out);
      if (strcmp (out->name, name) == 0)
        return out;
    }
  return NULL;
}

/* Two people with one family name stay two; the bare family name, which
 * could be either, links to neither. */
static void
test_never_merge (void)
{
  const char *blocks[] = {
    "North Korean leader Kim Jong Un met Vice Chairman Kim Yong-chol in Pyongyang.",
    "Kim said the talks went well.",
    NULL
  };
  g_autoptr (BbPeople) p = extract (blocks, "en");
  BbPerson r;
  g_assert_cmpuint (bb_people_len (p), ==, 2);
  g_assert_nonnull (find (p, "Kim Jong Un", &r));
  g_assert_cmpstr (r.anchors[0], ==, "b1");
  g_assert_null (r.anchors[1]); /* "Kim" in b2 is ambiguous */
  g_assert_nonnull (find (p, "Kim Yong-chol", &r));
  g_assert_null (r.anchors[1]);
}

/* A single Kim in scope takes the bare family name. */
static void
test_single_kim (void)
{
  const char *blocks[] = {
    "South Korean President Moon Jae-in greeted Kim Jong-un at the border.",
    "Later, Kim Jong Un and Moon planted a tree.",
    "Moon said the day was historic.",
    NULL
  };
  g_autoptr (BbPeople) p = extract (blocks, "en");
  BbPerson r;
  g_assert_cmpuint (bb_people_len (p), ==, 2);
  g_assert_nonnull (find (p, "Moon Jae-in", &r));
  g_assert_cmpstr (r.title, ==, "President");
  g_assert_cmpstr (r.affiliation, ==, "South Korea");
  g_assert_cmpstr (r.anchors[2], ==, "b3");
  g_assert_true (r.participant);
}

static void
test_variants (void)
{
  const char *blocks[] = {
    "Tổng thống Mỹ Donald Trump gặp Chủ tịch Kim Jong-un tại Hà Nội.",
    "Ông Trump và ông Kim Jong Un bắt tay.",
    "Thủ tướng Nguyễn Xuân Phúc tiếp Tổng thống Trump. Thủ tướng Phúc chúc mừng.",
    NULL
  };
  g_autoptr (BbPeople) p = extract (blocks, "vi");
  BbPerson r;
  g_assert_cmpuint (bb_people_len (p), ==, 3);
  g_assert_nonnull (find (p, "Donald Trump", &r));
  g_assert_cmpstr (r.affiliation, ==, "United States");
  g_assert_cmpstr (r.anchors[2], ==, "b3");
  g_assert_nonnull (find (p, "Nguyễn Xuân Phúc", &r));
  g_assert_cmpstr (r.title, ==, "Thủ tướng");
  g_assert_cmpstr (r.affiliation, ==, "Vietnam");
}

static BbSource *
fake_source (const char *name, const char *const *paras)
{
  BbSource *s = g_new0 (BbSource, 1);
  s->name = g_strdup (name);
  s->path = g_strdup (name);
  s->lang = g_strdup ("en");
  s->body = bb_node_new (BB_NODE_SECTION);
  for (guint i = 0; paras[i]; i++)
    {
      BbNode *p = bb_node_append (s->body, bb_node_new (BB_NODE_PARAGRAPH));
      p->anchor = g_strdup_printf ("%s-p%u", name, i + 1);
      bb_node_append (p, bb_node_new_text (paras[i], -1));
      /* a citation marker never reaches the engine */
      BbNode *c = bb_node_append (p, bb_node_new (BB_NODE_CITATION));
      c->text = g_strdup ("12");
    }
  return s;
}

static void
free_source (gpointer p)
{
  BbSource *s = p;
  g_free (s->name);
  g_free (s->path);
  g_free (s->lang);
  bb_node_free (s->body);
  g_free (s);
}

static void
test_curated_and_sections (void)
{
  g_autofree char *dir = g_dir_make_tmp ("people-XXXXXX", NULL);
  g_autofree char *tsv = g_build_filename (dir, "people.tsv", NULL);
  const char *curated = "name\taliases\ttitle\taffiliation\trole\n"
                        "Choe Son-hui\tChoe\tFirst Vice Minister of Foreign Affairs\tNorth Korea\tparticipant\n";
  g_assert_true (g_file_set_contents (tsv, curated, -1, NULL));
  const char *a[] = { "U.S. Secretary of State Mike Pompeo met Choe Son Hui in Hanoi.",
                      "Analyst Victor Cha of the Center for Strategic and International Studies said Choe was key.",
                      NULL };
  g_autoptr (GPtrArray) srcs = g_ptr_array_new_with_free_func (free_source);
  g_ptr_array_add (srcs, fake_source ("a.txt", a));
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbPeople) p = bb_people_extract (srcs, dir, diag);
  BbPerson r;
  g_assert_nonnull (find (p, "Choe Son-hui", &r));
  g_assert_true (r.curated);
  g_assert_true (r.participant);
  g_assert_cmpstr (r.anchors[0], ==, "a.txt-p1");
  g_assert_cmpstr (r.anchors[1], ==, "a.txt-p2");
  g_assert_nonnull (find (p, "Victor Cha", &r));
  g_assert_false (r.participant);

  g_autoptr (GString) out = g_string_new (NULL);
  bb_people_write_tsv (p, out);
  g_assert_true (g_str_has_prefix (out->str, "name\ttitle\taffiliation\trole\tsources\tanchors\tcurated\n"));
  g_assert_nonnull (strstr (out->str, "Choe Son-hui\tFirst Vice Minister of Foreign Affairs\tNorth Korea\tparticipant\ta.txt\ta.txt-p1,a.txt-p2\tyes\n"));
  g_assert_null (strstr (out->str, "[12]"));
  g_string_truncate (out, 0);
  bb_people_write_json (p, out);
  g_assert_nonnull (strstr (out->str, "\"curated\": true"));

  g_autoptr (BbNode) att = bb_people_attendees_section (p, "en");
  g_assert_cmpstr (bb_node_anchor (att), ==, "attendees");
  g_assert_cmpstr (att->text, ==, "Attendees");
  g_assert_cmpint (att->kind, ==, BB_SECTION_FRONT);
  g_assert_true (att->flags & BB_FLAG_GENERATED);
  g_assert_cmpint (att->first->type, ==, BB_NODE_HEADING);
  g_autofree char *h = bb_node_plain (att->first);
  g_assert_cmpstr (h, ==, "United States"); /* Pompeo's delegation comes first */
  BbNode *table = att->first->next;
  g_assert_cmpint (table->type, ==, BB_NODE_TABLE);
  g_assert_cmpint (table->level, ==, 1);
  BbNode *link = table->first->next->first->first;
  g_assert_cmpint (link->type, ==, BB_NODE_LINK);
  g_assert_cmpstr (link->href, ==, "#a.txt-p1");
  /* others: a PAGEREF per paragraph */
  BbNode *last = att->last;
  g_assert_cmpint (last->type, ==, BB_NODE_TABLE);
  BbNode *pages = last->last->last;
  g_assert_cmpint (pages->first->next->type, ==, BB_NODE_PAGEREF);

  g_autoptr (BbNode) idx = bb_people_index_section (p, "en");
  g_assert_cmpstr (bb_node_anchor (idx), ==, "index-people");
  g_assert_cmpint (idx->kind, ==, BB_SECTION_BACK);
  g_autofree char *first = bb_node_plain (idx->first);
  g_assert_true (g_str_has_prefix (first, "Victor Cha")); /* Cha < Choe < Pompeo */
  guint refs = 0;
  for (BbNode *n = idx->first->first; n; n = n->next)
    refs += n->type == BB_NODE_PAGEREF;
  g_assert_cmpuint (refs, ==, 1);
  g_remove (tsv);
  g_rmdir (dir);
}

/* A table that is not ours (gold annotations) is not read as overrides. */
static void
test_curated_other_table (void)
{
  g_autofree char *dir = g_dir_make_tmp ("people-XXXXXX", NULL);
  g_autofree char *tsv = g_build_filename (dir, "people.tsv", NULL);
  g_assert_true (g_file_set_contents (tsv, "source\tname\naa.txt\tJohn Doe\n", -1, NULL));
  g_autoptr (GPtrArray) srcs = g_ptr_array_new ();
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbPeople) p = bb_people_extract (srcs, dir, diag);
  g_assert_cmpuint (bb_people_len (p), ==, 0);
  g_assert_cmpuint (bb_diag_len (diag), ==, 1);
  g_remove (tsv);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  testdir = g_getenv ("BB_PEOPLE_TESTDIR");
  if (!testdir)
    testdir = ".";
  g_test_add_func ("/people/patterns", test_golden);
  g_test_add_func ("/people/never-merge", test_never_merge);
  g_test_add_func ("/people/single-kim", test_single_kim);
  g_test_add_func ("/people/variants-vi", test_variants);
  g_test_add_func ("/people/curated-sections", test_curated_and_sections);
  g_test_add_func ("/people/curated-other-table", test_curated_other_table);
  return g_test_run ();
}
