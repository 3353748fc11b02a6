/* fuzz_dates.c — libFuzzer target for the date extractor and the
 * chronology built on it: any bytes, read as text in every language, with
 * and without a dateline, must neither crash nor produce a row that breaks
 * the TSV contract. */
#include "chronology.h"
#include "dates.h"
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size > 64 * 1024)
    return 0;
  g_autofree char *text = g_utf8_make_valid ((const char *) data, (gssize) size);
  const BbDateRules *const *all = bb_date_rules_all ();
  for (guint i = 0; all[i]; i++)
    {
      BbDateContext ctx;
      bb_date_context_init (&ctx, (size & 1) ? "2019-02-28" : NULL);
      g_autoptr (GArray) ms = bb_dates_scan (text, all[i], &ctx);
      gsize len = strlen (text);
      for (guint k = 0; k < ms->len; k++)
        {
          const BbDateMatch *m = &g_array_index (ms, BbDateMatch, k);
          g_assert_true (m->offset + m->length <= len);
          g_assert_true (m->prec != BB_DATE_PREC_NONE);
          g_autofree char *iso = bb_date_match_iso (m);
          BbYmd back;
          g_assert_true (bb_date_parse_iso (iso, &back) == m->prec);
          g_autofree char *shown = bb_date_format (all[i], &m->start, &m->end, m->prec);
          g_assert_true (g_utf8_validate (shown, -1, NULL));
        }
      g_autoptr (GArray) cuts = bb_dates_sentences (text, all[i]);
      g_assert_cmpuint (g_array_index (cuts, gsize, cuts->len - 1), ==, len);

      const char *texts[] = { text }, *names[] = { "fuzz.txt" }, *langs[] = { all[i]->lang };
      g_autoptr (BbChronology) c = bb_chronology_extract_texts (texts, names, langs, NULL, 1);
      g_autoptr (GString) tsv = g_string_new (NULL);
      bb_chronology_write_tsv (c, tsv);
      g_auto (GStrv) rows = g_strsplit (tsv->str, "\n", -1);
      for (guint r = 0; rows[r] && rows[r][0]; r++)
        {
          g_auto (GStrv) cells = g_strsplit (rows[r], "\t", -1);
          g_assert_cmpuint (g_strv_length (cells), ==, 6);
          g_assert_true (g_utf8_strlen (cells[2], -1) <= 201);
        }
      g_autoptr (BbNode) sec = bb_chronology_section (c, all[i]->lang);
      g_assert_nonnull (sec);
    }
  return 0;
}
