/* chronology.c — events from dated sentences, merged, sorted and written. */
#include "chronology.h"
#include "dates.h"
#include <string.h>

#define EVENT_MAX_CHARS 200
/* Share of content words (of the shorter description) two rows of the same
 * date must have in common to be one event, and the least number of such
 * words.  Set high on purpose: a merged row shows one source's words, so
 * only near-identical reports merge; differently worded reports of one
 * event stay separate rows rather than lose what the other source said. */
#define SAME_EVENT_OVERLAP 0.8
#define SAME_EVENT_MIN_WORDS 5
#define SAME_SOURCE_OVERLAP 0.8
/* Looser: rows of different dates that read as one event get a note. */
#define CONFLICT_OVERLAP 0.6

typedef struct {
  BbYmd start, end;
  BbDatePrec prec;
  char *iso;
  GPtrArray *sources; /* char*, base names */
  GPtrArray *anchors; /* char*, parallel to sources */
  char *event;
  char *lang;
  gboolean curated;
  char *note;
  guint64 order;      /* source index and position: stable order */
  GHashTable *words;  /* content words of event */
} Row;

struct _BbChronology {
  GPtrArray *rows; /* Row* */
};

/* One block of one document, as extraction sees it. */
typedef struct {
  const char *text;
  const char *anchor;
  guint min_words;  /* words besides the date that make it an event */
} Block;

/* A line that is only a date (a dateline, a schedule heading) sets the
 * context but reports nothing; a table row needs only a word or two. */
#define MIN_EVENT_WORDS 3

static void
row_free (gpointer p)
{
  Row *r = p;
  g_free (r->iso);
  g_ptr_array_unref (r->sources);
  g_ptr_array_unref (r->anchors);
  g_free (r->event);
  g_free (r->lang);
  g_free (r->note);
  if (r->words)
    g_hash_table_unref (r->words);
  g_free (r);
}

void
bb_chronology_free (BbChronology *c)
{
  if (!c)
    return;
  g_ptr_array_unref (c->rows);
  g_free (c);
}

guint
bb_chronology_len (const BbChronology *c)
{
  return c ? c->rows->len : 0;
}

static BbChronology *
chronology_new (void)
{
  BbChronology *c = g_new0 (BbChronology, 1);
  c->rows = g_ptr_array_new_with_free_func (row_free);
  return c;
}

/* ------------------------------------------------------------ event text */

static gboolean
is_quote (gunichar c)
{
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB || c == 0x00BB;
}

/* Removes "[13]", "[a]", "[citation needed]" markers a plain string may
 * still hold, and collapses white space. */
static char *
strip_markers (const char *s)
{
  GString *out = g_string_new (NULL);
  for (const char *p = s; *p;)
    {
      if (*p == '[')
        {
          const char *e = strchr (p, ']');
          if (e && e - p <= 22)
            {
              gboolean marker = TRUE;
              for (const char *q = p + 1; q < e && marker; q++)
                marker = g_ascii_isalnum (*q) || *q == ' ' || *q == '-';
              if (marker && e > p + 1)
                {
                  p = e + 1;
                  continue;
                }
            }
        }
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          if (out->len && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* Trims white space, leading bullets and dashes, and quotes that open or
 * close nothing inside the text. */
static char *
tidy (const char *s)
{
  g_autofree char *t = strip_markers (s);
  char *p = t;
  for (;;)
    {
      gunichar c = g_utf8_get_char (p);
      if (*p && (g_unichar_isspace (c) || c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2022
                 || c == '*' || c == ',' || c == ';' || c == ':' || c == ')'))
        p = g_utf8_next_char (p);
      else
        break;
    }
  GString *out = g_string_new (p);
  while (out->len && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == ','))
    g_string_truncate (out, out->len - 1);
  /* A quote mark standing apart at either end closes or opens nothing
   * here: a scraped closing quote pushed onto the next paragraph. */
  if (out->len > 1 && is_quote (g_utf8_get_char (out->str)))
    {
      const char *after = g_utf8_next_char (out->str);
      if (*after == ' ')
        g_string_erase (out, 0, after + 1 - out->str);
    }
  /* Unbalanced quotes at either end were cut off from their partner. */
  for (int round = 0; round < 2; round++)
    {
      int open = 0, close = 0, straight = 0;
      for (const char *q = out->str; *q; q = g_utf8_next_char (q))
        {
          gunichar c = g_utf8_get_char (q);
          open += c == 0x201C || c == 0x201E || c == 0x00AB;
          close += c == 0x201D || c == 0x00BB;
          straight += c == '"';
        }
      gboolean odd = (straight % 2) == 1 || open != close;
      if (!odd || !out->len)
        break;
      gunichar first = g_utf8_get_char (out->str);
      const char *lastp = g_utf8_find_prev_char (out->str, out->str + out->len);
      gunichar last = lastp ? g_utf8_get_char (lastp) : 0;
      if (is_quote (first) && (open < close || (first == '"' && straight % 2) || open > close))
        g_string_erase (out, 0, g_utf8_next_char (out->str) - out->str);
      else if (lastp && is_quote (last))
        g_string_truncate (out, (gsize) (lastp - out->str));
      else
        {
          /* a quotation whose other half is in another sentence: drop the
           * unmatched mark so the row reads cleanly */
          gunichar want = open > close ? 0x201C : close > open ? 0x201D : '"';
          const char *hit = NULL;
          for (const char *q = out->str; *q; q = g_utf8_next_char (q))
            if (g_utf8_get_char (q) == want || (want == 0x201C && (g_utf8_get_char (q) == 0x201E
                                                                     || g_utf8_get_char (q) == 0x00AB)))
              {
                hit = q;
                if (want == 0x201D)
                  break; /* the first closing mark has no opener */
              }
          if (!hit)
            break;
          gsize at = (gsize) (hit - out->str);
          g_string_erase (out, (gssize) at, g_utf8_next_char (hit) - hit);
          if (at < out->len && out->str[at] == ' ' && at > 0 && out->str[at - 1] == ' ')
            g_string_erase (out, (gssize) at, 1);
        }
      while (out->len && out->str[0] == ' ')
        g_string_erase (out, 0, 1);
    }
  return g_string_free (out, FALSE);
}

/* Cuts text to at most max characters, at a word boundary, with "…". */
static char *
shorten (const char *s, glong max)
{
  if (g_utf8_strlen (s, -1) <= max)
    return g_strdup (s);
  const char *end = g_utf8_offset_to_pointer (s, max - 1);
  const char *cut = end;
  while (cut > s && *cut != ' ')
    cut--;
  if (cut - s < (end - s) / 2)
    cut = end;
  GString *out = g_string_new_len (s, cut - s);
  while (out->len && strchr (" ,;:", out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static gboolean
clause_break_at (const char *s, gsize i)
{
  /* ", " "; " ": " " – " " — " separate clauses */
  if ((s[i] == ',' || s[i] == ';' || s[i] == ':') && s[i + 1] == ' ')
    return TRUE;
  if (s[i] == ' ' && (!strncmp (s + i + 1, "–", 3) || !strncmp (s + i + 1, "—", 3)))
    return TRUE;
  return FALSE;
}

/* The description of the event dated at [off, off+len) of sentence: the
 * sentence when short enough, else the sentence with the clauses farthest
 * from the date left out ("…"); the opening clause, which usually names
 * who acted, goes last. */
static char *
event_text (const char *sentence, gsize off, gsize len)
{
  g_autofree char *whole = tidy (sentence);
  if (g_utf8_strlen (whole, -1) <= EVENT_MAX_CHARS)
    return g_steal_pointer (&whole);
  gsize n = strlen (sentence);
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize zero = 0;
  g_array_append_val (cuts, zero);
  for (gsize i = 0; i + 1 < n; i++)
    if (clause_break_at (sentence, i))
      {
        gsize at = i + 1;
        g_array_append_val (cuts, at);
      }
  g_array_append_val (cuts, n);
  guint nc = cuts->len - 1;
  /* the clauses holding the date */
  guint d0 = 0;
  while (d0 + 1 < nc && g_array_index (cuts, gsize, d0 + 1) <= off)
    d0++;
  guint d1 = d0;
  while (d1 + 1 < nc && g_array_index (cuts, gsize, d1 + 1) < off + len)
    d1++;
  g_autofree glong *clen = g_new0 (glong, nc);
  g_autofree gboolean *keep = g_new0 (gboolean, nc);
  glong total = 0;
  for (guint i = 0; i < nc; i++)
    {
      gsize lo = g_array_index (cuts, gsize, i), hi = g_array_index (cuts, gsize, i + 1);
      clen[i] = g_utf8_strlen (sentence + lo, (gssize) (hi - lo));
      keep[i] = TRUE;
      total += clen[i];
    }
  while (total > EVENT_MAX_CHARS - 4)
    {
      gint pick = -1;
      guint best = 0;
      for (guint i = 1; i < nc; i++)
        {
          if (!keep[i] || (i >= d0 && i <= d1))
            continue;
          guint dist = i > d1 ? (i - d1) * 2 : (d0 - i) * 2 + 1; /* after the date goes first */
          if (pick < 0 || dist > best)
            {
              pick = (gint) i;
              best = dist;
            }
        }
      if (pick < 0 && keep[0] && d0 > 0)
        pick = 0;
      if (pick < 0)
        break;
      keep[pick] = FALSE;
      total -= clen[pick] - 2;
    }
  GString *out = g_string_new (NULL);
  gboolean gap = FALSE;
  for (guint i = 0; i < nc; i++)
    {
      if (!keep[i])
        {
          gap = TRUE;
          continue;
        }
      gsize lo = g_array_index (cuts, gsize, i), hi = g_array_index (cuts, gsize, i + 1);
      g_autofree char *part = g_strndup (sentence + lo, hi - lo);
      g_strstrip (part);
      if (gap && out->len)
        {
          while (out->len && strchr (" ,;:", out->str[out->len - 1]))
            g_string_truncate (out, out->len - 1);
          g_string_append (out, " … ");
        }
      else if (out->len)
        g_string_append_c (out, ' ');
      g_string_append (out, part);
      gap = FALSE;
    }
  g_array_free (cuts, TRUE);
  g_autofree char *joined = g_string_free (out, FALSE);
  g_autofree char *clean = tidy (joined);
  return shorten (clean, EVENT_MAX_CHARS);
}

static const char *const stop_words[] = {
  "the", "and", "that", "with", "for", "from", "was", "were", "has", "have", "had", "said",
  "this", "its", "his", "her", "their", "which", "who", "after", "before", "into", "but",
  "not", "are", "been", "also", "than", "over", "they", "them", "của", "và", "các", "những",
  "được", "trong", "với", "cho", "này", "là", "đã", "sẽ", "không", "có", "một", "ngày",
  "tháng", "năm", "khi", "đến", "tại", "người", "theo", NULL
};

static GHashTable *
content_words (const char *text)
{
  static GHashTable *stops;
  static gsize once;
  if (g_once_init_enter (&once))
    {
      stops = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; stop_words[i]; i++)
        g_hash_table_add (stops, (gpointer) stop_words[i]);
      g_once_init_leave (&once, 1);
    }
  GHashTable *w = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *low = g_utf8_casefold (text, -1);
  const char *p = low;
  while (*p)
    {
      while (*p && !g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      const char *s = p;
      while (*p && (g_unichar_isalnum (g_utf8_get_char (p)) || g_unichar_ismark (g_utf8_get_char (p))))
        p = g_utf8_next_char (p);
      if (p > s && g_utf8_strlen (s, p - s) >= 3)
        {
          char *word = g_strndup (s, (gsize) (p - s));
          if (g_hash_table_contains (stops, word))
            g_free (word);
          else
            g_hash_table_add (w, word);
        }
    }
  return w;
}

/* Shared words and their share of the smaller set. */
static double
overlap (GHashTable *a, GHashTable *b, guint *shared)
{
  if (g_hash_table_size (a) > g_hash_table_size (b))
    {
      GHashTable *t = a;
      a = b;
      b = t;
    }
  guint n = 0;
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init (&it, a);
  while (g_hash_table_iter_next (&it, &k, NULL))
    n += g_hash_table_contains (b, k);
  *shared = n;
  guint small = g_hash_table_size (a);
  return small ? (double) n / small : 0.0;
}

static gboolean
has_source (const Row *r, const char *name)
{
  for (guint i = 0; i < r->sources->len; i++)
    if (!strcmp (g_ptr_array_index (r->sources, i), name))
      return TRUE;
  return FALSE;
}

static Row *
row_new (const BbDateMatch *m, const char *source, const char *anchor, char *event,
         const char *lang, guint64 order)
{
  Row *r = g_new0 (Row, 1);
  r->start = m->start;
  r->end = m->end;
  r->prec = m->prec;
  r->iso = bb_date_match_iso (m);
  r->sources = g_ptr_array_new_with_free_func (g_free);
  r->anchors = g_ptr_array_new_with_free_func (g_free);
  if (source)
    {
      g_ptr_array_add (r->sources, g_strdup (source));
      g_ptr_array_add (r->anchors, g_strdup (anchor ? anchor : ""));
    }
  r->event = event;
  r->lang = g_strdup (lang);
  r->order = order;
  r->words = content_words (event);
  return r;
}

/* Adds an event, or cites source on the row that already holds it. */
static void
add_event (BbChronology *c, GHashTable *by_date, Row *r)
{
  GPtrArray *same = g_hash_table_lookup (by_date, r->iso);
  const char *src = r->sources->len ? g_ptr_array_index (r->sources, 0) : "";
  for (guint i = 0; same && i < same->len; i++)
    {
      Row *o = g_ptr_array_index (same, i);
      guint shared;
      if (!strcmp (o->event, r->event) && has_source (o, src))
        goto drop;
      double ov = overlap (o->words, r->words, &shared);
      if (shared < SAME_EVENT_MIN_WORDS)
        continue;
      if (has_source (o, src))
        {
          if (ov >= SAME_SOURCE_OVERLAP)
            goto drop;
        }
      else if (ov >= SAME_EVENT_OVERLAP)
        {
          g_ptr_array_add (o->sources, g_strdup (src));
          g_ptr_array_add (o->anchors, g_strdup (g_ptr_array_index (r->anchors, 0)));
          goto drop;
        }
    }
  if (!same)
    {
      same = g_ptr_array_new ();
      g_hash_table_insert (by_date, g_strdup (r->iso), same);
    }
  g_ptr_array_add (same, r);
  g_ptr_array_add (c->rows, r);
  return;
drop:
  row_free (r);
}

/* Words outside the date expression. */
static guint
words_outside (const char *sentence, gsize off, gsize len)
{
  g_autofree char *rest = g_strdup_printf ("%.*s %s", (int) off, sentence, sentence + off + len);
  guint n = 0;
  gboolean in = FALSE;
  for (const char *p = rest; *p; p = g_utf8_next_char (p))
    {
      gboolean w = g_unichar_isalpha (g_utf8_get_char (p));
      if (w && !in)
        n++;
      in = w;
    }
  return n;
}

/* A first block that is short and mostly a full date is the document's
 * dateline. */
static gboolean
find_dateline (const Block *b, const BbDateRules *rules, BbDateContext *ctx)
{
  if (!b || !b->text || strlen (b->text) > 100 || ctx->dateline.year)
    return FALSE;
  BbDateContext probe;
  bb_date_context_init (&probe, NULL);
  g_autoptr (GArray) ms = bb_dates_scan (b->text, rules, &probe);
  for (guint i = 0; i < ms->len; i++)
    {
      const BbDateMatch *m = &g_array_index (ms, BbDateMatch, i);
      if (m->prec == BB_DATE_PREC_DAY && !(m->flags & (BB_DATE_RELATIVE | BB_DATE_YEAR_FROM_CONTEXT))
          && words_outside (b->text, m->offset, m->length) <= 4)
        {
          ctx->dateline = m->start;
          ctx->dateline_prec = m->prec;
          return TRUE;
        }
    }
  return FALSE;
}

/* One document as extraction sees it. */
typedef struct {
  GArray *blocks;      /* Block */
  GPtrArray *texts;    /* owned strings the blocks point into */
  const char *name, *lang, *dateline, *title;
} Doc;

static void
doc_clear (gpointer p)
{
  Doc *d = p;
  g_array_unref (d->blocks);
  g_ptr_array_unref (d->texts);
}

/* The year most explicit dates of the book name: the year of a "27/2" in
 * a document that never says which year it is (news written for the day). */
static int
book_year (GArray *docs)
{
  g_autoptr (GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);
  int best = 0;
  guint best_n = 0;
  for (guint d = 0; d < docs->len; d++)
    {
      const Doc *doc = &g_array_index (docs, Doc, d);
      const BbDateRules *rules = bb_date_rules_lookup (doc->lang);
      BbYmd line;
      if (bb_date_parse_iso (doc->dateline, &line) != BB_DATE_PREC_NONE)
        {
          gpointer key = GINT_TO_POINTER (line.year);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1;
          g_hash_table_insert (counts, key, GUINT_TO_POINTER (n));
          if (n > best_n || (n == best_n && line.year > best))
            {
              best = line.year;
              best_n = n;
            }
        }
      for (guint b = 0; b < doc->blocks->len; b++)
        {
          BbDateContext ctx;
          bb_date_context_init (&ctx, NULL);
          g_autoptr (GArray) ms = bb_dates_scan (g_array_index (doc->blocks, Block, b).text, rules, &ctx);
          for (guint i = 0; i < ms->len; i++)
            {
              const BbDateMatch *m = &g_array_index (ms, BbDateMatch, i);
              if (m->prec < BB_DATE_PREC_MONTH
                  || (m->flags & (BB_DATE_YEAR_FROM_CONTEXT | BB_DATE_RELATIVE | BB_DATE_SPECULATIVE)))
                continue;
              gpointer key = GINT_TO_POINTER (m->start.year);
              guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1;
              g_hash_table_insert (counts, key, GUINT_TO_POINTER (n));
              if (n > best_n || (n == best_n && m->start.year > best))
                {
                  best = m->start.year;
                  best_n = n;
                }
            }
        }
    }
  return best;
}

/* title: the source's title when the loader took its first line for one
 * (a dateline often stands alone on the first line), or NULL. */
static void
extract_document (BbChronology *c, GHashTable *by_date, const Block *blocks, guint n,
                  const char *name, const char *lang, const char *dateline, const char *title,
                  int fallback_year, guint doc_index)
{
  const BbDateRules *rules = bb_date_rules_lookup (lang);
  BbDateContext ctx;
  bb_date_context_init (&ctx, dateline);
  ctx.fallback_year = fallback_year;
  Block head = { title, NULL, MIN_EVENT_WORDS };
  find_dateline (title ? &head : NULL, rules, &ctx);
  /* a dateline line ("Thứ năm, 28/2/2019, 15:30 (GMT+7)") reports nothing */
  guint first = find_dateline (n ? &blocks[0] : NULL, rules, &ctx) ? 1 : 0;
  guint64 pos = 0;
  for (guint bi = first; bi < n; bi++)
    {
      g_autofree char *text = strip_markers (blocks[bi].text);
      bb_date_context_new_block (&ctx);
      g_autoptr (GArray) cuts = bb_dates_sentences (text, rules);
      for (guint si = 0; si + 1 < cuts->len; si++)
        {
          gsize lo = g_array_index (cuts, gsize, si), hi = g_array_index (cuts, gsize, si + 1);
          g_autofree char *sentence = g_strndup (text + lo, hi - lo);
          g_autoptr (GArray) ms = bb_dates_scan (sentence, rules, &ctx);
          for (guint mi = 0; mi < ms->len; mi++)
            {
              const BbDateMatch *m = &g_array_index (ms, BbDateMatch, mi);
              if (m->flags & BB_DATE_SPECULATIVE)
                continue;
              if (words_outside (sentence, m->offset, m->length) < blocks[bi].min_words)
                continue;
              char *ev = event_text (sentence, m->offset, m->length);
              Row *r = row_new (m, name, blocks[bi].anchor, ev, rules->lang,
                                ((guint64) doc_index << 32) | pos++);
              add_event (c, by_date, r);
            }
        }
    }
}

/* ------------------------------------------------------------------ order */

static int
row_cmp (gconstpointer pa, gconstpointer pb)
{
  const Row *a = *(Row *const *) pa, *b = *(Row *const *) pb;
  int ka[6] = { a->start.year, a->start.month, a->start.day, a->end.year, a->end.month, a->end.day };
  int kb[6] = { b->start.year, b->start.month, b->start.day, b->end.year, b->end.month, b->end.day };
  for (int i = 0; i < 6; i++)
    if (ka[i] != kb[i])
      return ka[i] < kb[i] ? -1 : 1;
  if (a->curated != b->curated)
    return a->curated ? 1 : -1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static gint64
row_days (const Row *r)
{
  return bb_date_to_days (r->start.year, r->start.month ? r->start.month : 1,
                          r->start.day ? r->start.day : 1);
}

/* Different dates for what reads as one event: both rows say so. */
static void
note_conflicts (BbChronology *c)
{
  GPtrArray *rows = c->rows;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *a = g_ptr_array_index (rows, i);
      for (guint j = i + 1; j < rows->len; j++)
        {
          Row *b = g_ptr_array_index (rows, j);
          if (row_days (b) - row_days (a) > 62)
            break;
          /* compatible when one date contains the other */
          BbDatePrec p = MIN (a->prec, b->prec);
          if (a->start.year == b->start.year && (p < BB_DATE_PREC_MONTH || a->start.month == b->start.month)
              && (p < BB_DATE_PREC_DAY || a->start.day == b->start.day))
            continue;
          gboolean disjoint = TRUE;
          for (guint s = 0; s < b->sources->len && disjoint; s++)
            disjoint = !has_source (a, g_ptr_array_index (b->sources, s));
          guint shared;
          if (!disjoint || overlap (a->words, b->words, &shared) < CONFLICT_OVERLAP
              || shared < SAME_EVENT_MIN_WORDS)
            continue;
          Row *pair[2] = { a, b };
          for (int k = 0; k < 2; k++)
            {
              Row *self = pair[k], *other = pair[1 - k];
              g_autofree char *srcs = NULL;
              g_ptr_array_add (other->sources, NULL);
              srcs = g_strjoinv (", ", (char **) other->sources->pdata);
              g_ptr_array_remove_index (other->sources, other->sources->len - 1);
              char *add = g_strdup_printf ("%s (%s)", other->iso, srcs);
              char *note = self->note ? g_strdup_printf ("%s; %s", self->note, add) : g_strdup (add);
              g_free (add);
              g_free (self->note);
              self->note = note;
            }
        }
    }
}

/* --------------------------------------------------------------- curated */

static void
merge_curated (BbChronology *c, GHashTable *by_date, GPtrArray *sources, const char *dir,
               BbDiag *diag)
{
  g_autofree char *path = g_build_filename (dir, "chronology.tsv", NULL);
  g_autofree char *data = NULL;
  gsize len;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return;
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      if (diag)
        bb_diag_warn (diag, path, 0, "not UTF-8 text; curated events ignored");
      return;
    }
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_strchomp (lines[i]);
      if (!*lines[i] || lines[i][0] == '#')
        continue;
      g_auto (GStrv) cells = g_strsplit (lines[i], "\t", 4);
      if (i == 0 && !g_ascii_strcasecmp (g_strstrip (cells[0]), "date"))
        continue;
      guint ncells = g_strv_length (cells);
      if (ncells < 2 || !*g_strstrip (cells[1]))
        {
          if (diag)
            bb_diag_warn (diag, path, (int) i + 1, "expected date, event and source separated by tabs");
          continue;
        }
      BbDateMatch m = { 0 };
      g_auto (GStrv) ends = g_strsplit (g_strstrip (cells[0]), "/", 2);
      m.prec = bb_date_parse_iso (ends[0], &m.start);
      m.end = m.start;
      if (m.prec != BB_DATE_PREC_NONE && ends[1])
        {
          if (bb_date_parse_iso (ends[1], &m.end) != m.prec)
            m.prec = BB_DATE_PREC_NONE;
          else
            m.flags |= BB_DATE_RANGE;
        }
      if (m.prec == BB_DATE_PREC_NONE)
        {
          if (diag)
            bb_diag_warn (diag, path, (int) i + 1, "'%s' is not an ISO 8601 date", cells[0]);
          continue;
        }
      const char *src = ncells > 2 ? g_strstrip (cells[2]) : "";
      const char *anchor = NULL, *lang = "en";
      for (guint s = 0; sources && s < sources->len && *src; s++)
        {
          BbSource *so = g_ptr_array_index (sources, s);
          if (!strcmp (so->name, src))
            {
              lang = so->lang ? so->lang : "en";
              anchor = so->body ? so->body->anchor : NULL;
              for (BbNode *n = so->body; n && !anchor; n = bb_node_next_in (so->body, n))
                if (bb_node_is_block (n) && n->anchor)
                  anchor = n->anchor;
            }
        }
      if (*src && !anchor && diag)
        bb_diag_warn (diag, path, (int) i + 1, "no source named '%s'", src);
      Row *r = row_new (&m, *src ? src : NULL, anchor, tidy (cells[1]), lang, G_MAXUINT64);
      r->curated = TRUE;
      /* an editor's words replace the extracted ones for the same event */
      GPtrArray *same = g_hash_table_lookup (by_date, r->iso);
      gboolean merged = FALSE;
      for (guint k = 0; same && k < same->len && !merged; k++)
        {
          Row *o = g_ptr_array_index (same, k);
          guint shared;
          if (o->curated || overlap (o->words, r->words, &shared) < SAME_EVENT_OVERLAP
              || shared < SAME_EVENT_MIN_WORDS / 2)
            continue;
          g_free (o->event);
          o->event = g_strdup (r->event);
          o->curated = TRUE;
          merged = TRUE;
        }
      if (merged)
        row_free (r);
      else
        g_ptr_array_add (c->rows, r);
    }
}

static void
finish (BbChronology *c)
{
  g_ptr_array_sort (c->rows, row_cmp);
  note_conflicts (c);
}

static void
by_date_free (gpointer p)
{
  g_ptr_array_unref (p);
}

static BbChronology *
extract_docs (GArray *docs, GPtrArray *sources, const char *sources_dir, BbDiag *diag)
{
  BbChronology *c = chronology_new ();
  g_autoptr (GHashTable) by_date = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, by_date_free);
  int year = book_year (docs);
  for (guint d = 0; d < docs->len; d++)
    {
      const Doc *doc = &g_array_index (docs, Doc, d);
      extract_document (c, by_date, (const Block *) doc->blocks->data, doc->blocks->len, doc->name,
                        doc->lang, doc->dateline, doc->title, year, d);
    }
  if (sources_dir)
    merge_curated (c, by_date, sources, sources_dir, diag);
  finish (c);
  return c;
}

static GArray *
docs_new (void)
{
  GArray *docs = g_array_new (FALSE, TRUE, sizeof (Doc));
  g_array_set_clear_func (docs, doc_clear);
  return docs;
}

BbChronology *
bb_chronology_extract (GPtrArray *sources, const char *sources_dir, BbDiag *diag)
{
  g_autoptr (GArray) docs = docs_new ();
  for (guint s = 0; sources && s < sources->len; s++)
    {
      BbSource *src = g_ptr_array_index (sources, s);
      if (!src || !src->body)
        continue;
      Doc doc = { g_array_new (FALSE, FALSE, sizeof (Block)), g_ptr_array_new_with_free_func (g_free),
                  src->name, src->lang, src->date, src->title };
      for (BbNode *n = src->body; n; n = bb_node_next_in (src->body, n))
        {
          char *t;
          guint min_words = MIN_EVENT_WORDS;
          if (n->type == BB_NODE_PARAGRAPH || n->type == BB_NODE_HEADING)
            t = bb_node_plain (n);
          else if (n->type == BB_NODE_ROW)
            {
              /* a schedule row "27/2 | Summit opens" is one statement */
              GString *row = g_string_new (NULL);
              for (BbNode *cell = n->first; cell; cell = cell->next)
                {
                  g_autofree char *ct = bb_node_plain (cell);
                  if (!*ct)
                    continue;
                  if (row->len)
                    g_string_append (row, "; ");
                  g_string_append (row, ct);
                }
              t = g_string_free (row, FALSE);
              min_words = 1;
            }
          else
            continue;
          g_ptr_array_add (doc.texts, t);
          /* rows and cells have no anchor of their own: link to the table */
          const BbNode *a = n;
          while (a && !a->anchor)
            a = a->parent;
          Block b = { t, a ? a->anchor : NULL, min_words };
          g_array_append_val (doc.blocks, b);
        }
      g_array_append_val (docs, doc);
    }
  return extract_docs (docs, sources, sources_dir, diag);
}

BbChronology *
bb_chronology_extract_texts (const char *const *texts, const char *const *names,
                             const char *const *langs, const char *const *datelines, guint n)
{
  g_autoptr (GArray) docs = docs_new ();
  for (guint d = 0; d < n; d++)
    {
      Doc doc = { g_array_new (FALSE, FALSE, sizeof (Block)), g_ptr_array_new_with_free_func (g_free),
                  names && names[d] ? names[d] : "text", langs ? langs[d] : NULL,
                  datelines ? datelines[d] : NULL, NULL };
      g_auto (GStrv) lines = g_strsplit (texts[d] ? texts[d] : "", "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          if (!*g_strstrip (lines[i]))
            continue;
          char *t = g_strdup (lines[i]);
          char *a = g_strdup_printf ("l%u", i + 1);
          g_ptr_array_add (doc.texts, t);
          g_ptr_array_add (doc.texts, a);
          Block b = { t, a, MIN_EVENT_WORDS };
          g_array_append_val (doc.blocks, b);
        }
      g_array_append_val (docs, doc);
    }
  return extract_docs (docs, NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- writers */

static void
append_cell (GString *out, const char *s)
{
  for (const char *p = s ? s : ""; *p; p++)
    g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static void
append_joined (GString *out, GPtrArray *a, const char *sep)
{
  for (guint i = 0; i < a->len; i++)
    {
      if (i)
        g_string_append (out, sep);
      append_cell (out, g_ptr_array_index (a, i));
    }
}

void
bb_chronology_write_tsv (const BbChronology *c, GString *out)
{
  g_string_append (out, "date\tsources\tevent\tanchors\tcurated\tnote\n");
  for (guint i = 0; i < c->rows->len; i++)
    {
      const Row *r = g_ptr_array_index (c->rows, i);
      append_cell (out, r->iso);
      g_string_append_c (out, '\t');
      append_joined (out, r->sources, ",");
      g_string_append_c (out, '\t');
      append_cell (out, r->event);
      g_string_append_c (out, '\t');
      append_joined (out, r->anchors, ",");
      g_string_append_c (out, '\t');
      g_string_append (out, r->curated ? "yes" : "");
      g_string_append_c (out, '\t');
      append_cell (out, r->note);
      g_string_append_c (out, '\n');
    }
}

static void
json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s ? s : ""; *p; p++)
    {
      guchar ch = (guchar) *p;
      if (ch == '"' || ch == '\\')
        g_string_append_printf (out, "\\%c", ch);
      else if (ch == '\n')
        g_string_append (out, "\\n");
      else if (ch == '\t')
        g_string_append (out, "\\t");
      else if (ch < 0x20)
        g_string_append_printf (out, "\\u%04x", ch);
      else
        g_string_append_c (out, (char) ch);
    }
  g_string_append_c (out, '"');
}

static void
json_strings (GString *out, GPtrArray *a)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < a->len; i++)
    {
      if (i)
        g_string_append (out, ", ");
      json_string (out, g_ptr_array_index (a, i));
    }
  g_string_append_c (out, ']');
}

static void
iso_of (GString *s, const BbYmd *d, BbDatePrec prec)
{
  BbDateMatch m = { .start = *d, .end = *d, .prec = prec };
  g_autofree char *iso = bb_date_match_iso (&m);
  json_string (s, iso);
}

void
bb_chronology_write_json (const BbChronology *c, GString *out)
{
  static const char *const prec_names[] = { "none", "year", "month", "day" };
  g_string_append (out, "[");
  for (guint i = 0; i < c->rows->len; i++)
    {
      const Row *r = g_ptr_array_index (c->rows, i);
      g_string_append (out, i ? ",\n {" : "\n {");
      g_string_append (out, "\"date\": ");
      json_string (out, r->iso);
      g_string_append (out, ", \"start\": ");
      iso_of (out, &r->start, r->prec);
      g_string_append (out, ", \"end\": ");
      iso_of (out, &r->end, r->prec);
      g_string_append_printf (out, ", \"precision\": \"%s\", \"sources\": ", prec_names[r->prec]);
      json_strings (out, r->sources);
      g_string_append (out, ", \"anchors\": ");
      json_strings (out, r->anchors);
      g_string_append (out, ", \"event\": ");
      json_string (out, r->event);
      g_string_append (out, ", \"lang\": ");
      json_string (out, r->lang);
      g_string_append_printf (out, ", \"curated\": %s, \"note\": ", r->curated ? "true" : "false");
      if (r->note)
        json_string (out, r->note);
      else
        g_string_append (out, "null");
      g_string_append (out, "}");
    }
  g_string_append (out, c->rows->len ? "\n]\n" : "]\n");
}

/* ---------------------------------------------------------------- section */

static BbNode *
cell_text (const char *s, guint flags)
{
  BbNode *cell = bb_node_new (BB_NODE_CELL);
  cell->flags = flags;
  if (s && *s)
    bb_node_append (cell, bb_node_new_text (s, -1));
  return cell;
}

static char *
base_name (const char *name)
{
  const char *slash = strrchr (name, '/');
  return g_strdup (slash ? slash + 1 : name);
}

BbNode *
bb_chronology_section (const BbChronology *c, const char *book_lang)
{
  const BbDateRules *rules = bb_date_rules_lookup (book_lang);
  BbNode *sec = bb_node_new (BB_NODE_SECTION);
  sec->kind = BB_SECTION_FRONT;
  sec->text = g_strdup ("Chronology");
  sec->anchor = g_strdup ("chronology");
  sec->flags = BB_FLAG_GENERATED;
  sec->lang = g_strdup (book_lang ? book_lang : "en");

  if (c->rows->len == 0)
    {
      BbNode *p = bb_node_append (sec, bb_node_new (BB_NODE_PARAGRAPH));
      p->flags = BB_FLAG_GENERATED;
      p->anchor = g_strdup ("chronology-empty");
      bb_node_append (p, bb_node_new_text (rules->label_empty, -1));
      return sec;
    }
  BbNode *table = bb_node_append (sec, bb_node_new (BB_NODE_TABLE));
  table->level = 1;
  table->flags = BB_FLAG_GENERATED;
  table->anchor = g_strdup ("chronology-table");
  table->text = g_strdup ("17 61 15 7"); /* date, event, source, page */
  BbNode *head = bb_node_append (table, bb_node_new (BB_NODE_ROW));
  bb_node_append (head, cell_text (rules->label_date, 0));
  bb_node_append (head, cell_text (rules->label_event, 0));
  bb_node_append (head, cell_text (rules->label_source, 0));
  bb_node_append (head, cell_text (rules->label_page, BB_FLAG_NUMERIC));

  for (guint i = 0; i < c->rows->len; i++)
    {
      const Row *r = g_ptr_array_index (c->rows, i);
      BbNode *row = bb_node_append (table, bb_node_new (BB_NODE_ROW));
      g_autofree char *when = bb_date_format (rules, &r->start, &r->end, r->prec);
      bb_node_append (row, cell_text (when, 0));

      BbNode *ev = bb_node_append (row, bb_node_new (BB_NODE_CELL));
      if (r->lang && book_lang && g_ascii_strncasecmp (r->lang, book_lang, 2) != 0)
        ev->lang = g_strdup (r->lang);
      const char *first_anchor = r->anchors->len ? g_ptr_array_index (r->anchors, 0) : "";
      if (first_anchor && *first_anchor)
        {
          BbNode *link = bb_node_append (ev, bb_node_new (BB_NODE_LINK));
          link->href = g_strdup_printf ("#%s", first_anchor);
          bb_node_append (link, bb_node_new_text (r->event, -1));
        }
      else
        bb_node_append (ev, bb_node_new_text (r->event, -1));
      if (r->curated)
        {
          BbNode *em = bb_node_append (ev, bb_node_new (BB_NODE_EMPH));
          g_autofree char *mark = g_strdup_printf (" (%s)", rules->label_curated);
          bb_node_append (em, bb_node_new_text (mark, -1));
        }
      if (r->note)
        {
          BbNode *em = bb_node_append (ev, bb_node_new (BB_NODE_EMPH));
          /* the table's wording, with the other dates where it says %s */
          const char *at = strstr (rules->fmt_conflict, "%s");
          GString *note = g_string_new (" (");
          if (at)
            {
              g_string_append_len (note, rules->fmt_conflict, at - rules->fmt_conflict);
              g_string_append (note, r->note);
              g_string_append (note, at + 2);
            }
          else
            g_string_append_printf (note, "%s: %s", rules->fmt_conflict, r->note);
          g_string_append_c (note, ')');
          bb_node_append (em, bb_node_new_text (note->str, -1));
          g_string_free (note, TRUE);
        }

      GString *names = g_string_new (NULL);
      for (guint s = 0; s < r->sources->len; s++)
        {
          g_autofree char *b = base_name (g_ptr_array_index (r->sources, s));
          if (s)
            g_string_append (names, ", ");
          g_string_append (names, b);
        }
      bb_node_append (row, cell_text (names->str, 0));
      g_string_free (names, TRUE);

      BbNode *page = bb_node_append (row, bb_node_new (BB_NODE_CELL));
      page->flags = BB_FLAG_NUMERIC;
      for (guint s = 0; s < r->anchors->len; s++)
        {
          const char *a = g_ptr_array_index (r->anchors, s);
          if (!a || !*a)
            continue;
          if (page->first)
            bb_node_append (page, bb_node_new_text (", ", -1));
          BbNode *ref = bb_node_append (page, bb_node_new (BB_NODE_PAGEREF));
          ref->href = g_strdup_printf ("#%s", a);
        }
    }
  return sec;
}
