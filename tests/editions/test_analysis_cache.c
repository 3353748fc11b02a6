/* test_analysis_cache.c — the per-source analysis cache (analysis.h).
 *
 * Through a cold cache and a warm one, the chronology and people (TSV and
 * JSON) are byte-identical to a run without a cache; a changed source is
 * the only one read again (and a source whose dates take the book's year,
 * when that year changes); damaged entries are misses, never crashes; the
 * folder keeps one entry per source of the current book.
 *
 * usage: test-analysis-cache            the GLib tests (BB_PROJECT_ROOT set)
 *        test-analysis-cache --compare DIR...
 *                                       for each folder: uncached, cold and
 *                                       warm runs compared, with their times
 */
#include "analysis.h"
#include "book.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

typedef struct {
  char *text[4]; /* chronology TSV, JSON; people TSV, JSON */
} Out;

static void
out_fill (Out *o, BbChronology *c, BbPeople *p)
{
  GString *s[4];
  for (int i = 0; i < 4; i++)
    s[i] = g_string_new (NULL);
  bb_chronology_write_tsv (c, s[0]);
  bb_chronology_write_json (c, s[1]);
  bb_people_write_tsv (p, s[2]);
  bb_people_write_json (p, s[3]);
  for (int i = 0; i < 4; i++)
    o->text[i] = g_string_free (s[i], FALSE);
}

static void
out_clear (Out *o)
{
  for (int i = 0; i < 4; i++)
    g_clear_pointer (&o->text[i], g_free);
}

static gboolean
out_same (const Out *a, const Out *b)
{
  for (int i = 0; i < 4; i++)
    if (strcmp (a->text[i], b->text[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
assert_same (const Out *a, const Out *b)
{
  for (int i = 0; i < 4; i++)
    g_assert_cmpstr (a->text[i], ==, b->text[i]);
}

static void
reference (BbBook *book, Out *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbChronology) c = bb_chronology_extract (book->sources, book->dir, diag);
  g_autoptr (BbPeople) p = bb_people_extract (book->sources, book->dir, diag);
  out_fill (o, c, p);
}

static void
run (BbBook *book, BbAnalysisCache *cache, Out *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbChronology) c = NULL;
  g_autoptr (BbPeople) p = NULL;
  bb_analysis_run (book->sources, book->dir, cache, diag, &c, &p);
  out_fill (o, c, p);
}

static BbBook *
load (const char *dir)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  BbBook *book = bb_book_load (dir, diag);
  g_assert_nonnull (book);
  return book;
}

/* Runs book through a fresh cache object on dir; checks the output
 * against ref and the counts; commits. */
static void
run_check (BbBook *book, const char *dir, const Out *ref, guint hits, guint misses)
{
  g_autoptr (BbAnalysisCache) cache = bb_analysis_cache_new (dir);
  Out o = { 0 };
  run (book, cache, &o);
  assert_same (&o, ref);
  out_clear (&o);
  g_assert_cmpuint (bb_analysis_cache_hits (cache), ==, hits);
  g_assert_cmpuint (bb_analysis_cache_misses (cache), ==, misses);
  g_assert_true (bb_analysis_cache_commit (cache, NULL));
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static char *
root_path (const char *rel)
{
  const char *root = g_getenv ("BB_PROJECT_ROOT");
  g_assert_nonnull (root);
  return g_build_filename (root, rel, NULL);
}

/* A writable copy of the source files of the folder rel. */
static char *
copy_folder (const char *rel)
{
  g_autofree char *from = root_path (rel);
  char *to = g_dir_make_tmp ("bb-cache-src-XXXXXX", NULL);
  g_assert_nonnull (to);
  g_autoptr (GDir) d = g_dir_open (from, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autofree char *data = NULL;
      gsize len;
      if (!g_file_test (src, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (src, &data, &len, NULL))
        continue;
      g_assert_true (g_file_set_contents (dst, data, (gssize) len, NULL));
    }
  return to;
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)))
        {
          g_autofree char *p = g_build_filename (path, name, NULL);
          remove_tree (p);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
cache_dir_new (void)
{
  char *tmp = g_dir_make_tmp ("bb-cache-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  char *dir = g_build_filename (tmp, ".cache", "analysis", NULL);
  g_free (tmp);
  return dir;
}

static void
cache_dir_free (char *dir)
{
  g_autofree char *cache = g_path_get_dirname (dir);
  g_autofree char *top = g_path_get_dirname (cache);
  remove_tree (top);
  g_free (dir);
}

/* ------------------------------------------------------------- tests */

/* Seeds and test corpora: cold and warm runs give the uncached output. */
static void
test_same_output (void)
{
  static const char *const folders[] = { "sources", "tests/chronology/corpus", "tests/chronology/gold",
                                         "tests/people/gold", "tests/people/corpus",
                                         "tests/e2e/fixtures/my_summit", "tests/epub/corpus",
                                         "tests/load/fixtures" };
  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *path = root_path (folders[f]);
      g_autoptr (BbBook) book = load (path);
      guint n = book->sources->len;
      Out ref = { 0 };
      reference (book, &ref);
      char *dir = cache_dir_new ();
      run_check (book, dir, &ref, 0, n);
      g_assert_cmpuint (count_files (dir), ==, n);
      run_check (book, dir, &ref, n, 0);
      /* no cache at all: the same again */
      Out plain = { 0 };
      run (book, NULL, &plain);
      assert_same (&plain, &ref);
      out_clear (&plain);
      out_clear (&ref);
      cache_dir_free (dir);
    }
}

/* One source changed, added or removed: only that source is read. */
static void
test_one_changed (void)
{
  g_autofree char *src = copy_folder ("tests/people/gold");
  char *dir = cache_dir_new ();
  guint n;
  {
    g_autoptr (BbBook) book = load (src);
    n = book->sources->len;
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, 0, n);
    out_clear (&ref);
  }
  /* a changed source */
  {
    g_autofree char *path = g_build_filename (src, "k01_wire.txt", NULL);
    g_autofree char *data = NULL;
    g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
    /* no year in it: the book's year stays, and so do the other parts */
    g_autofree char *more = g_strconcat (data, "\nForeign Minister Ri Yong Ho said the talks would go on, "
                                         "according to Vice Foreign Minister Choe Son Hui.\n", NULL);
    g_assert_true (g_file_set_contents (path, more, -1, NULL));
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, n - 1, 1);
    g_assert_cmpuint (count_files (dir), ==, n);
    out_clear (&ref);
  }
  /* an added source, then the same removed: its entry goes */
  {
    write_file (src, "zz_added.txt", "Memo\n\nOn 12 June 2018, Chairman Kim Jong Un arrived in Singapore "
                                     "by air, said Foreign Minister Vivian Balakrishnan.\n");
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, n, 1);
    g_assert_cmpuint (count_files (dir), ==, n + 1);
    out_clear (&ref);
  }
  {
    g_autofree char *path = g_build_filename (src, "zz_added.txt", NULL);
    g_unlink (path);
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, n, 0);
    g_assert_cmpuint (count_files (dir), ==, n);
    out_clear (&ref);
  }
  cache_dir_free (dir);
  remove_tree (src);
}

/* "27 February" in a source that names no year takes the book's year:
 * when another source changes that year, the first is read again too. */
static void
test_book_year (void)
{
  g_autofree char *src = g_dir_make_tmp ("bb-cache-year-XXXXXX", NULL);
  char *dir = cache_dir_new ();
  write_file (src, "a.txt", "Memo\n\nThe leaders met in Hanoi on 27 February for two days of talks about "
                            "sanctions.\n");
  write_file (src, "b.txt", "Background\n\nThe first summit was held in June 2018 in Singapore with great "
                            "fanfare.\nIn March 2018 the invitation was delivered to the White House.\n");
  write_file (src, "c.txt", "Notes\n\nDelegations from both sides are expected in Hanoi.\n");
  {
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    g_assert_nonnull (strstr (ref.text[0], "2018-02-27\ta.txt"));
    run_check (book, dir, &ref, 0, 3);
    out_clear (&ref);
  }
  /* b changes the book's year: a is read again, c is not */
  write_file (src, "b.txt", "Background\n\nThe summit was held in February 2019 in Hanoi with great fanfare.\n"
                            "In January 2019 the invitation was delivered to the White House.\n"
                            "In March 2019 the talks on sanctions resumed between the delegations.\n");
  {
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    g_assert_nonnull (strstr (ref.text[0], "2019-02-27\ta.txt"));
    run_check (book, dir, &ref, 1, 2);
    out_clear (&ref);
  }
  /* b changes, the year does not: only b */
  write_file (src, "b.txt", "Background\n\nThe summit was held in February 2019 in Hanoi with great fanfare.\n"
                            "In January 2019 the invitation was delivered to the White House.\n");
  {
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, 2, 1);
    out_clear (&ref);
  }
  cache_dir_free (dir);
  remove_tree (src);
}

/* Anchor ids are part of the key: "x.md" and "x.txt" share a stem, and
 * removing one renames the other's anchors. */
static void
test_renamed_ids (void)
{
  g_autofree char *src = g_dir_make_tmp ("bb-cache-ids-XXXXXX", NULL);
  char *dir = cache_dir_new ();
  write_file (src, "x.md", "# Agenda\n\nOn 27 February 2019, President Donald Trump met Chairman Kim Jong Un "
                           "in Hanoi for dinner.\n");
  write_file (src, "x.txt", "Wire\n\nOn 28 February 2019, Secretary of State Mike Pompeo said the talks ended "
                            "without an agreement.\n");
  {
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, 0, 2);
    out_clear (&ref);
  }
  g_autofree char *md = g_build_filename (src, "x.md", NULL);
  g_unlink (md);
  {
    g_autoptr (BbBook) book = load (src);
    Out ref = { 0 };
    reference (book, &ref);
    run_check (book, dir, &ref, 0, 1);
    g_assert_cmpuint (count_files (dir), ==, 1);
    out_clear (&ref);
  }
  cache_dir_free (dir);
  remove_tree (src);
}

/* Writes an entry file for key holding payload v (sunk), with a valid
 * header: the reader must still refuse what v holds. */
static void
write_entry (const char *path, GVariant *v)
{
  g_autoptr (GVariant) sunk = g_variant_ref_sink (v);
  gsize n = g_variant_get_size (sunk);
  g_autofree guint8 *buf = g_malloc (40 + n);
  memcpy (buf, "BBANAL01", 8);
  g_variant_store (sunk, buf + 40);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, buf + 40, (gssize) n);
  gsize dl = 32;
  g_checksum_get_digest (sum, buf + 8, &dl);
  g_assert_true (g_file_set_contents (path, (const char *) buf, (gssize) (40 + n), NULL));
}

typedef enum {
  DAMAGE_TRUNCATED,
  DAMAGE_EMPTY,
  DAMAGE_FLIPPED_PAYLOAD,
  DAMAGE_FLIPPED_DIGEST,
  DAMAGE_MAGIC,
  DAMAGE_GARBAGE,
  DAMAGE_OTHER_ENTRY,
  DAMAGE_WRONG_TYPES,
  DAMAGE_BAD_VALUES,
  DAMAGE_BAD_BLOCK,
  DAMAGE_FOLDER,
  N_DAMAGE
} Damage;

static void
damage (const char *path, const char *other, const char *key, Damage how)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  switch (how)
    {
    case DAMAGE_TRUNCATED:
      g_assert_true (g_file_set_contents (path, data, (gssize) (len / 2), NULL));
      break;
    case DAMAGE_EMPTY:
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
      break;
    case DAMAGE_FLIPPED_PAYLOAD:
      data[40 + (len - 40) / 2] ^= 0x20;
      g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
      break;
    case DAMAGE_FLIPPED_DIGEST:
      data[12] ^= 1;
      g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
      break;
    case DAMAGE_MAGIC:
      data[7] = '9';
      g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
      break;
    case DAMAGE_GARBAGE:
      for (gsize i = 0; i < len; i++)
        data[i] = (char) (i * 7919 % 251);
      g_assert_true (g_file_set_contents (path, data, (gssize) len, NULL));
      break;
    case DAMAGE_OTHER_ENTRY:
      {
        g_autofree char *od = NULL;
        gsize ol;
        g_assert_true (g_file_get_contents (other, &od, &ol, NULL));
        g_assert_true (g_file_set_contents (path, od, (gssize) ol, NULL));
      }
      break;
    case DAMAGE_WRONG_TYPES:
      write_entry (path, g_variant_new ("(svv)", key, g_variant_new_int32 (1), g_variant_new_string ("x")));
      break;
    case DAMAGE_BAD_VALUES:
      {
        /* a month 13 and a precision that does not exist */
        GVariant *c = g_variant_new_parsed ("('a.txt', 'en', @a(iu) [], true, false, 0, "
                                            "[(2019, 13, 1, 2019, 13, 1, uint32 9, '2019-13-01', 'p1', 'x')])");
        GVariant *p = g_variant_new_parsed ("('a.txt', 'en', @ams [], @a(usuimsmsmsiuu) [])");
        write_entry (path, g_variant_new ("(svv)", key, c, p));
      }
      break;
    case DAMAGE_BAD_BLOCK:
      {
        /* a mention in a block the source does not have */
        GVariant *c = g_variant_new_parsed ("('a.txt', 'en', @a(iu) [], true, false, 0, "
                                            "@a(iiiiiiusss) [])");
        GVariant *p = g_variant_new_parsed ("('a.txt', 'en', [just 'p1'], "
                                            "[(uint32 5, 'Kim Jong Un', uint32 3, 3, @ms nothing, @ms nothing, "
                                            "@ms nothing, 0, uint32 0, uint32 0)])");
        write_entry (path, g_variant_new ("(svv)", key, c, p));
      }
      break;
    case DAMAGE_FOLDER:
      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
      write_file (path, "x", "in the way");
      break;
    case N_DAMAGE:
      break;
    }
}

/* Every kind of damage to an entry is a miss; the run's output is still
 * the uncached one, and the next commit puts a whole entry back. */
static void
test_damaged (void)
{
  g_autofree char *src = copy_folder ("tests/people/gold");
  char *dir = cache_dir_new ();
  g_autoptr (BbBook) book = load (src);
  guint n = book->sources->len;
  Out ref = { 0 };
  reference (book, &ref);
  run_check (book, dir, &ref, 0, n);
  g_autofree char *key = bb_analysis_key (book->sources->pdata[0]);
  g_autofree char *key1 = bb_analysis_key (book->sources->pdata[1]);
  g_autofree char *path = g_build_filename (dir, key, NULL);
  g_autofree char *other = g_build_filename (dir, key1, NULL);
  for (Damage how = 0; how < N_DAMAGE; how++)
    {
      damage (path, other, key, how);
      g_autoptr (BbAnalysisCache) cache = bb_analysis_cache_new (dir);
      Out o = { 0 };
      run (book, cache, &o);
      assert_same (&o, &ref);
      out_clear (&o);
      g_assert_cmpuint (bb_analysis_cache_hits (cache), ==, n - 1);
      g_assert_cmpuint (bb_analysis_cache_misses (cache), ==, 1);
      if (how == DAMAGE_FOLDER)
        {
          /* the entry cannot be written where a folder stands: a failure
           * to report, with every other entry still whole */
          g_autoptr (GError) err = NULL;
          g_assert_false (bb_analysis_cache_commit (cache, &err));
          g_assert_nonnull (err);
          remove_tree (path);
          run_check (book, dir, &ref, n - 1, 1);
        }
      else
        g_assert_true (bb_analysis_cache_commit (cache, NULL));
      run_check (book, dir, &ref, n, 0);
      g_assert_cmpuint (count_files (dir), ==, n);
    }
  out_clear (&ref);
  cache_dir_free (dir);
  remove_tree (src);
}

/* A commit leaves one entry per source: entries of other books and
 * temporaries a killed build left go; files that are not the cache's
 * stay. */
static void
test_evict (void)
{
  g_autofree char *src = root_path ("sources");
  char *dir = cache_dir_new ();
  g_autoptr (BbBook) book = load (src);
  guint n = book->sources->len;
  Out ref = { 0 };
  reference (book, &ref);
  run_check (book, dir, &ref, 0, n);
  g_autofree char *key = bb_analysis_key (book->sources->pdata[0]);
  g_autofree char *temp = g_strdup_printf (".%s.a1B2c3", key);
  write_file (dir, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "stale");
  write_file (dir, temp, "half");
  write_file (dir, "README", "not ours");
  g_assert_cmpuint (count_files (dir), ==, n + 3);
  run_check (book, dir, &ref, n, 0);
  g_assert_cmpuint (count_files (dir), ==, n + 1);
  g_autofree char *readme = g_build_filename (dir, "README", NULL);
  g_assert_true (g_file_test (readme, G_FILE_TEST_EXISTS));
  /* the cache folder gone: a cold run again */
  remove_tree (dir);
  run_check (book, dir, &ref, 0, n);
  out_clear (&ref);
  cache_dir_free (dir);
}

/* ---------------------------------------------------------- --compare */

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
compare (int argc, char **argv)
{
  int status = 0;
  for (int i = 2; i < argc; i++)
    {
      double t0 = now ();
      g_autoptr (BbBook) book = load (argv[i]);
      double t1 = now ();
      Out ref = { 0 }, cold = { 0 }, warm = { 0 };
      reference (book, &ref);
      double t2 = now ();
      char *dir = cache_dir_new ();
      g_autoptr (BbAnalysisCache) cache = bb_analysis_cache_new (dir);
      run (book, cache, &cold);
      double t3 = now ();
      bb_analysis_cache_commit (cache, NULL);
      double t4 = now ();
      g_autoptr (BbAnalysisCache) again = bb_analysis_cache_new (dir);
      run (book, again, &warm);
      double t5 = now ();
      gboolean same = out_same (&ref, &cold) && out_same (&ref, &warm);
      printf ("%s: %u sources; load %.2f s, uncached %.2f s, cold %.2f s (+ %.2f s writing), "
              "warm %.2f s (%u hits); %s\n",
              argv[i], book->sources->len, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4,
              bb_analysis_cache_hits (again), same ? "same output" : "OUTPUT DIFFERS");
      status |= !same;
      out_clear (&ref);
      out_clear (&cold);
      out_clear (&warm);
      cache_dir_free (dir);
    }
  return status;
}

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--compare"))
    return compare (argc, argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis-cache/same-output", test_same_output);
  g_test_add_func ("/analysis-cache/one-changed", test_one_changed);
  g_test_add_func ("/analysis-cache/book-year", test_book_year);
  g_test_add_func ("/analysis-cache/renamed-ids", test_renamed_ids);
  g_test_add_func ("/analysis-cache/damaged", test_damaged);
  g_test_add_func ("/analysis-cache/evict", test_evict);
  return g_test_run ();
}
