/* test_dates.c — golden tests of the date rules, one file per language
 * (dates-LANG.golden: text, dateline, expected ISO values), and unit tests
 * of the calendar helpers.  BB_UPDATE_GOLDEN=1 rewrites the expected
 * column from what the engine finds; review the diff. */
#include "dates.h"
#include <string.h>

static const char *golden_dir;

/* Every event date of text, space-separated, or "-". */
static char *
scan_all (const char *text, const BbDateRules *rules, const char *dateline)
{
  BbDateContext ctx;
  bb_date_context_init (&ctx, dateline);
  g_autoptr (GArray) ms = bb_dates_scan (text, rules, &ctx);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < ms->len; i++)
    {
      const BbDateMatch *m = &g_array_index (ms, BbDateMatch, i);
      if (m->flags & BB_DATE_SPECULATIVE)
        continue;
      g_autofree char *iso = bb_date_match_iso (m);
      if (out->len)
        g_string_append_c (out, ' ');
      g_string_append (out, iso);
    }
  if (!out->len)
    g_string_append_c (out, '-');
  return g_string_free (out, FALSE);
}

static void
test_golden (gconstpointer data)
{
  const BbDateRules *rules = data;
  g_autofree char *name = g_strdup_printf ("dates-%s.golden", rules->lang);
  g_autofree char *path = g_build_filename (golden_dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  gboolean update = g_strcmp0 (g_getenv ("BB_UPDATE_GOLDEN"), "1") == 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *rewritten = g_string_new (NULL);
  guint cases = 0, failures = 0;
  for (guint i = 0; lines[i]; i++)
    {
      if (!lines[i][0] && !lines[i + 1])
        break;
      if (lines[i][0] == '#' || !lines[i][0])
        {
          g_string_append_printf (rewritten, "%s\n", lines[i]);
          continue;
        }
      g_auto (GStrv) cols = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (cols) != 3)
        {
          g_test_message ("%s:%u: expected three tab-separated columns", path, i + 1);
          g_test_fail ();
          continue;
        }
      const char *dateline = strcmp (cols[1], "-") ? cols[1] : NULL;
      g_autofree char *got = scan_all (cols[0], rules, dateline);
      cases++;
      if (strcmp (got, cols[2]) != 0)
        {
          failures++;
          if (!update)
            {
              g_test_message ("%s:%u: %s → %s, expected %s", path, i + 1, cols[0], got, cols[2]);
              g_test_fail ();
            }
        }
      g_string_append_printf (rewritten, "%s\t%s\t%s\n", cols[0], cols[1], got);
    }
  if (update && failures)
    g_assert_true (g_file_set_contents (path, rewritten->str, (gssize) rewritten->len, NULL));
  g_string_free (rewritten, TRUE);
  g_test_message ("%s: %u cases, %u differ", name, cases, failures);
  g_assert_cmpuint (cases, >=, 30);
}

static void
test_calendar (void)
{
  BbYmd d;
  for (gint64 days = -800000; days < 800000; days += 997)
    {
      bb_date_from_days (days, &d);
      g_assert_cmpint (bb_date_to_days (d.year, d.month, d.day), ==, days);
    }
  g_assert_cmpint (bb_date_to_days (1970, 1, 1), ==, 0);
  g_assert_cmpint (bb_date_weekday (2019, 2, 27), ==, 3); /* a Wednesday */
  g_assert_cmpint (bb_date_weekday (2000, 1, 1), ==, 6);
  g_assert_cmpint (bb_date_parse_iso ("2019-02-27", &d), ==, BB_DATE_PREC_DAY);
  g_assert_cmpint (d.day, ==, 27);
  g_assert_cmpint (bb_date_parse_iso ("2019-02", &d), ==, BB_DATE_PREC_MONTH);
  g_assert_cmpint (bb_date_parse_iso ("2019", &d), ==, BB_DATE_PREC_YEAR);
  g_assert_cmpint (bb_date_parse_iso ("2019-02-30", &d), ==, BB_DATE_PREC_NONE);
  g_assert_cmpint (bb_date_parse_iso ("2019-13", &d), ==, BB_DATE_PREC_NONE);
  g_assert_cmpint (bb_date_parse_iso ("19", &d), ==, BB_DATE_PREC_NONE);
  g_assert_cmpint (bb_date_parse_iso (NULL, &d), ==, BB_DATE_PREC_NONE);
}

static void
test_format (void)
{
  BbYmd a = { 2019, 2, 27 }, b = { 2019, 2, 28 }, c = { 2019, 3, 1 };
  const BbDateRules *en = bb_date_rules_lookup ("en");
  const BbDateRules *vi = bb_date_rules_lookup ("vi");
  struct { const BbDateRules *r; BbYmd *s, *e; BbDatePrec p; const char *want; } cases[] = {
    { en, &a, &a, BB_DATE_PREC_DAY, "27 February 2019" },
    { en, &a, &a, BB_DATE_PREC_MONTH, "February 2019" },
    { en, &a, &a, BB_DATE_PREC_YEAR, "2019" },
    { en, &a, &b, BB_DATE_PREC_DAY, "27–28 February 2019" },
    { en, &a, &c, BB_DATE_PREC_DAY, "27 February 2019 – 1 March 2019" },
    { vi, &a, &a, BB_DATE_PREC_DAY, "27/2/2019" },
    { vi, &a, &a, BB_DATE_PREC_MONTH, "tháng 2/2019" },
    { vi, &a, &b, BB_DATE_PREC_DAY, "27–28/2/2019" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = bb_date_format (cases[i].r, cases[i].s, cases[i].e, cases[i].p);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
  g_assert_true (bb_date_rules_lookup ("vi-VN") == vi);
  g_assert_true (bb_date_rules_lookup ("xx") == en);
  g_assert_true (bb_date_rules_lookup (NULL) == en);
}

static void
test_sentences (void)
{
  const char *text = "Mr. Trump met Kim on Feb. 27, 2019. George W. Bush did not. Talks ended! Next.";
  g_autoptr (GArray) cuts = bb_dates_sentences (text, bb_date_rules_lookup ("en"));
  g_assert_cmpuint (cuts->len, ==, 5);
  g_assert_cmpstr (text + g_array_index (cuts, gsize, 1), ==, "George W. Bush did not. Talks ended! Next.");
  g_assert_cmpuint (g_array_index (cuts, gsize, 4), ==, strlen (text));
}

static void
test_offsets (void)
{
  const char *text = "Hội nghị diễn ra ngày 27/2/2019 tại Hà Nội.";
  BbDateContext ctx;
  bb_date_context_init (&ctx, NULL);
  g_autoptr (GArray) ms = bb_dates_scan (text, bb_date_rules_lookup ("vi"), &ctx);
  g_assert_cmpuint (ms->len, ==, 1);
  const BbDateMatch *m = &g_array_index (ms, BbDateMatch, 0);
  g_autofree char *span = g_strndup (text + m->offset, m->length);
  g_assert_cmpstr (span, ==, "27/2/2019");
  g_assert_cmpint (ctx.last.day, ==, 27);
  g_autofree char *first = bb_dates_first_iso ("It could come in May 2019; talks ended on 28 February 2019.", "en", NULL);
  g_assert_cmpstr (first, ==, "2019-02-28");
  g_autofree char *none = bb_dates_first_iso ("For 260 days nothing happened.", "en", NULL);
  g_assert_null (none);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  golden_dir = g_getenv ("BB_CHRONOLOGY_TESTDIR");
  if (!golden_dir)
    golden_dir = argc > 1 ? argv[1] : ".";
  const BbDateRules *const *all = bb_date_rules_all ();
  for (guint i = 0; all[i]; i++)
    {
      g_autofree char *name = g_strdup_printf ("/dates/golden/%s", all[i]->lang);
      g_test_add_data_func (name, all[i], test_golden);
    }
  g_test_add_func ("/dates/calendar", test_calendar);
  g_test_add_func ("/dates/format", test_format);
  g_test_add_func ("/dates/sentences", test_sentences);
  g_test_add_func ("/dates/offsets", test_offsets);
  return g_test_run ();
}
