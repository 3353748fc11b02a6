/* chronology.c — events from dated sentences, merged, sorted and written. */
#include "chronology.h"
#include "dates.h"
#include "parallel.h"
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
/* The book names at most this many other reports in a row's note, then
 * says how many more there are (the TSV and JSON keep them all): a row
 * that differs from dozens of sources would otherwise fill pages, and the
 * chronology would grow with the square of the number of sources. */
#define NOTE_SHOWN 3

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
  guint n_partners;   /* rows the note names */
  gsize note_shown;   /* bytes of note the book prints (NOTE_SHOWN rows) */
  guint64 order;      /* source index and position: stable order */
  guint *words;       /* content words of the event as it was read (Words ids), ascending */
  guint n_words;
  guint *rank;        /* the same words by rank, rarest first, while merging */
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
  g_free (r->words);
  g_free (r->rank);
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

/* ------------------------------------------------------------------ words */

static const char *const stop_words[] = {
  "the", "and", "that", "with", "for", "from", "was", "were", "has", "have", "had", "said",
  "this", "its", "his", "her", "their", "which", "who", "after", "before", "into", "but",
  "not", "are", "been", "also", "than", "over", "they", "them", "của", "và", "các", "những",
  "được", "trong", "với", "cho", "này", "là", "đã", "sẽ", "không", "có", "một", "ngày",
  "tháng", "năm", "khi", "đến", "tại", "người", "theo", NULL
};

static gboolean
is_stop_word (const char *word)
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
  return g_hash_table_contains (stops, word);
}

/* The words of one merge, each with a small id (from 1), so that a row's
 * words are a sorted array of ids and two rows' shared words a merge of
 * two arrays. */
typedef struct {
  GHashTable *ids; /* word -> id; owns its keys */
  guint n;         /* ids given */
} Words;

static void
words_init (Words *wt)
{
  wt->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  wt->n = 0;
}

static void
words_clear (Words *wt)
{
  g_hash_table_unref (wt->ids);
}

static int
cmp_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static int
cmp_guint64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

/* The content words of text (of three letters or more, not stop words),
 * casefolded, in order with repeats: each ended by a NUL, the list by an
 * empty word.  It touches nothing shared, so the merge finds the words of
 * every event on every core (bb_chronology_merge), and only gives them
 * their ids in order. */
static char *
word_list (const char *text)
{
  g_autofree char *low = g_utf8_casefold (text, -1);
  GString *out = g_string_sized_new (strlen (low) + 2);
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
          gsize at = out->len;
          g_string_append_len (out, s, p - s);
          if (is_stop_word (out->str + at))
            g_string_truncate (out, at);
          else
            g_string_append_c (out, '\0');
        }
    }
  g_string_append_c (out, '\0');
  return g_string_free (out, FALSE);
}

/* The words of list (word_list) as ascending ids without repeats, new
 * words taking the next ids. */
static guint *
word_ids (Words *wt, const char *list, guint *n_out)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  for (const char *w = list; *w; w += strlen (w) + 1)
    {
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (wt->ids, w));
      if (!id)
        {
          id = ++wt->n;
          g_hash_table_insert (wt->ids, g_strdup (w), GUINT_TO_POINTER (id));
        }
      g_array_append_val (ids, id);
    }
  g_array_sort (ids, cmp_guint);
  guint n = 0;
  for (guint i = 0; i < ids->len; i++)
    if (n == 0 || g_array_index (ids, guint, i) != g_array_index (ids, guint, n - 1))
      g_array_index (ids, guint, n++) = g_array_index (ids, guint, i);
  *n_out = n;
  return (guint *) g_array_free (ids, FALSE);
}

/* Shared words and their share of the smaller set. */
static double
overlap (const Row *a, const Row *b, guint *shared)
{
  guint n = 0;
  for (guint i = 0, j = 0; i < a->n_words && j < b->n_words;)
    {
      if (a->words[i] < b->words[j])
        i++;
      else if (a->words[i] > b->words[j])
        j++;
      else
        {
          n++;
          i++;
          j++;
        }
    }
  *shared = n;
  guint small = MIN (a->n_words, b->n_words);
  return small ? (double) n / small : 0.0;
}

/* The fewest shared words with which a row of m words can pass
 * threshold t (share of the smaller set) and have at least
 * SAME_EVENT_MIN_WORDS in common; 0 when none can. */
static guint
least_shared (guint m, double t)
{
  for (guint k = SAME_EVENT_MIN_WORDS; k <= m; k++)
    if ((double) k / m >= t)
      return k;
  return 0;
}

/* Prefix filter.  With every row's words in one order (rarest first), two
 * rows that pass threshold t share a word among the first prefix_len()
 * words of the smaller one: of its m words, at least least_shared(m) are
 * shared, and only m - prefix_len() = least_shared(m) - 1 lie beyond the
 * prefix.  So candidates come from a few rare words, not every row. */
static guint
prefix_len (const Row *r, double t)
{
  guint k = least_shared (r->n_words, t);
  return k ? r->n_words - k + 1 : 0;
}

/* Ranks the words of rows (Row*; ids 1..n_ids) rarest first, ties by id,
 * and gives each row its words in that order. */
static void
rank_words (GPtrArray *rows, guint n_ids)
{
  guint64 *by = g_new0 (guint64, n_ids + 1);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = rows->pdata[i];
      for (guint k = 0; k < r->n_words; k++)
        by[r->words[k]] += G_GUINT64_CONSTANT (1) << 32;
    }
  for (guint id = 0; id <= n_ids; id++)
    by[id] |= id;
  qsort (by + 1, n_ids, sizeof *by, cmp_guint64);
  guint *rank = g_new0 (guint, n_ids + 1);
  for (guint k = 1; k <= n_ids; k++)
    rank[(guint) (by[k] & G_MAXUINT32)] = k - 1;
  g_free (by);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = rows->pdata[i];
      g_free (r->rank);
      r->rank = g_new (guint, MAX (r->n_words, 1));
      for (guint k = 0; k < r->n_words; k++)
        r->rank[k] = rank[r->words[k]];
      qsort (r->rank, r->n_words, sizeof (guint), cmp_guint);
    }
  g_free (rank);
}

static gboolean
has_source (const Row *r, const char *name)
{
  for (guint i = 0; i < r->sources->len; i++)
    if (!strcmp (g_ptr_array_index (r->sources, i), name))
      return TRUE;
  return FALSE;
}

/* words: the event's word_list, or NULL to find it here. */
static Row *
row_new (Words *wt, const BbYmd *start, const BbYmd *end, BbDatePrec prec, const char *iso,
         const char *source, const char *anchor, const char *event, const char *lang, guint64 order,
         const char *words)
{
  Row *r = g_new0 (Row, 1);
  r->start = *start;
  r->end = *end;
  r->prec = prec;
  r->iso = g_strdup (iso);
  r->sources = g_ptr_array_new_with_free_func (g_free);
  r->anchors = g_ptr_array_new_with_free_func (g_free);
  if (source)
    {
      g_ptr_array_add (r->sources, g_strdup (source));
      g_ptr_array_add (r->anchors, g_strdup (anchor ? anchor : ""));
    }
  r->event = g_strdup (event);
  r->lang = g_strdup (lang);
  r->order = order;
  g_autofree char *found = words ? NULL : word_list (r->event);
  r->words = word_ids (wt, words ? words : found, &r->n_words);
  return r;
}

/* ------------------------------------------------------------- one source */

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

/* One document as extraction sees it; owns its strings. */
typedef struct {
  GArray *blocks;      /* Block */
  GPtrArray *texts;    /* owned strings the blocks point into */
  char *name, *lang, *dateline, *title;
} Doc;

static void
doc_free (Doc *d)
{
  if (!d)
    return;
  g_array_unref (d->blocks);
  g_ptr_array_unref (d->texts);
  g_free (d->name);
  g_free (d->lang);
  g_free (d->dateline);
  g_free (d->title);
  g_free (d);
}

static Doc *
doc_new (const char *name, const char *lang, const char *dateline, const char *title)
{
  Doc *d = g_new0 (Doc, 1);
  d->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  d->texts = g_ptr_array_new_with_free_func (g_free);
  d->name = g_strdup (name);
  d->lang = g_strdup (lang);
  d->dateline = g_strdup (dateline);
  d->title = g_strdup (title);
  return d;
}

/* The blocks of src that can report events; NULL when it has no body. */
static Doc *
doc_from_source (const BbSource *src)
{
  if (!src || !src->body)
    return NULL;
  Doc *doc = doc_new (src->name, src->lang, src->date, src->title);
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
      g_ptr_array_add (doc->texts, t);
      /* rows and cells have no anchor of their own: link to the table */
      const BbNode *a = n;
      while (a && !bb_node_anchor (a))
        a = a->parent;
      Block b = { t, a ? bb_node_anchor (a) : NULL, min_words };
      g_array_append_val (doc->blocks, b);
    }
  return doc;
}

/* An explicit year and how often a source names it. */
typedef struct {
  int year;
  guint n;
} YearCount;

/* One event as its source reports it, before merging. */
typedef struct {
  BbYmd start, end;
  BbDatePrec prec;
  char *iso;
  char *anchor;       /* "" when the block has none */
  char *event;
} Event;

struct _BbChronologyPart {
  char *name;          /* the source's base name */
  char *lang;          /* the language its dates are read in ("en", "vi") */
  GArray *years;       /* YearCount, ascending years */
  gboolean extracted;  /* events holds the events, read with fallback_year */
  gboolean fallback_used; /* one of its dates took fallback_year */
  int fallback_year;
  GArray *events;      /* Event */
  Doc *doc;            /* the blocks, until the events are read; or NULL */
};

static void
event_clear (gpointer p)
{
  Event *e = p;
  g_free (e->iso);
  g_free (e->anchor);
  g_free (e->event);
}

static BbChronologyPart *
part_alloc (const char *name, const char *lang)
{
  BbChronologyPart *part = g_new0 (BbChronologyPart, 1);
  part->name = g_strdup (name ? name : "");
  part->lang = g_strdup (lang ? lang : "en");
  part->years = g_array_new (FALSE, FALSE, sizeof (YearCount));
  part->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (part->events, event_clear);
  return part;
}

void
bb_chronology_part_free (BbChronologyPart *part)
{
  if (!part)
    return;
  g_free (part->name);
  g_free (part->lang);
  g_array_unref (part->years);
  g_array_unref (part->events);
  doc_free (part->doc);
  g_free (part);
}

static void
count_year (GHashTable *counts, int year)
{
  gpointer key = GINT_TO_POINTER (year);
  g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
}

static int
cmp_year (gconstpointer a, gconstpointer b)
{
  const YearCount *x = a, *y = b;
  return x->year < y->year ? -1 : x->year > y->year;
}

/* A part for doc (which it takes): the explicit years its dateline and its
 * dates name, each block read on its own. */
static BbChronologyPart *
part_from_doc (Doc *doc)
{
  const BbDateRules *rules = bb_date_rules_lookup (doc->lang);
  BbChronologyPart *part = part_alloc (doc->name, rules->lang);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);
  BbYmd line;
  if (bb_date_parse_iso (doc->dateline, &line) != BB_DATE_PREC_NONE)
    count_year (counts, line.year);
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
          count_year (counts, m->start.year);
        }
    }
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, counts);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      YearCount yc = { GPOINTER_TO_INT (k), GPOINTER_TO_UINT (v) };
      g_array_append_val (part->years, yc);
    }
  g_array_sort (part->years, cmp_year);
  part->doc = doc;
  return part;
}

BbChronologyPart *
bb_chronology_part_new (const BbSource *src)
{
  Doc *doc = doc_from_source (src);
  if (!doc)
    {
      BbChronologyPart *part = part_alloc (src ? src->name : NULL, bb_date_rules_lookup (src ? src->lang : NULL)->lang);
      part->extracted = TRUE;
      return part;
    }
  return part_from_doc (doc);
}

/* The year most explicit dates of the book name: the year of a "27/2" in
 * a document that never says which year it is (news written for the day).
 * The most counted year, the later of two counted as often. */
int
bb_chronology_book_year (BbChronologyPart *const *parts, guint n)
{
  g_autoptr (GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint p = 0; p < n; p++)
    for (guint i = 0; parts[p] && i < parts[p]->years->len; i++)
      {
        const YearCount *yc = &g_array_index (parts[p]->years, YearCount, i);
        gpointer key = GINT_TO_POINTER (yc->year);
        g_hash_table_insert (counts, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + yc->n));
      }
  int best = 0;
  guint best_n = 0;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, counts);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      int year = GPOINTER_TO_INT (k);
      guint c = GPOINTER_TO_UINT (v);
      if (c > best_n || (c == best_n && year > best))
        {
          best = year;
          best_n = c;
        }
    }
  return best;
}

gboolean
bb_chronology_part_ready (const BbChronologyPart *part, int book_year)
{
  return part->extracted && (!part->fallback_used || part->fallback_year == book_year);
}

/* Reads the events of doc into part.  The title is the source's title when
 * the loader took its first line for one (a dateline often stands alone on
 * the first line), or NULL. */
static void
part_read_events (BbChronologyPart *part, const Doc *doc, int fallback_year)
{
  g_array_set_size (part->events, 0);
  const BbDateRules *rules = bb_date_rules_lookup (doc->lang);
  const Block *blocks = (const Block *) doc->blocks->data;
  guint n = doc->blocks->len;
  BbDateContext ctx;
  bb_date_context_init (&ctx, doc->dateline);
  ctx.fallback_year = fallback_year;
  Block head = { doc->title, NULL, MIN_EVENT_WORDS };
  find_dateline (doc->title ? &head : NULL, rules, &ctx);
  /* a dateline line ("Thứ năm, 28/2/2019, 15:30 (GMT+7)") reports nothing */
  guint first = find_dateline (n ? &blocks[0] : NULL, rules, &ctx) ? 1 : 0;
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
              Event e = { m->start, m->end, m->prec, bb_date_match_iso (m),
                          g_strdup (blocks[bi].anchor ? blocks[bi].anchor : ""),
                          event_text (sentence, m->offset, m->length) };
              g_array_append_val (part->events, e);
            }
        }
    }
  part->extracted = TRUE;
  part->fallback_used = ctx.fallback_used;
  part->fallback_year = fallback_year;
}

void
bb_chronology_part_extract (BbChronologyPart *part, const BbSource *src, int book_year)
{
  Doc *doc = part->doc ? part->doc : doc_from_source (src);
  part->doc = NULL;
  if (doc)
    part_read_events (part, doc, book_year);
  else
    {
      g_array_set_size (part->events, 0);
      part->extracted = TRUE;
      part->fallback_used = FALSE;
    }
  doc_free (doc);
}

/* ----------------------------------------------------------- cache format */

void
bb_chronology_part_write (const BbChronologyPart *part, BbGvw *w)
{
  bb_gvw_open_tuple (w, 4);
  bb_gvw_string (w, part->name);
  bb_gvw_frame (w);
  bb_gvw_string (w, part->lang);
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 4, TRUE);
  for (guint i = 0; i < part->years->len; i++)
    {
      const YearCount *yc = &g_array_index (part->years, YearCount, i);
      bb_gvw_int32 (w, yc->year);
      bb_gvw_uint32 (w, yc->n);
    }
  bb_gvw_close (w);
  bb_gvw_frame (w);
  bb_gvw_boolean (w, part->extracted);
  bb_gvw_boolean (w, part->fallback_used);
  bb_gvw_int32 (w, part->fallback_year);
  bb_gvw_open_array (w, 4, FALSE);
  for (guint i = 0; i < part->events->len; i++)
    {
      const Event *e = &g_array_index (part->events, Event, i);
      bb_gvw_open_tuple (w, 4);
      const gint32 v[6] = { e->start.year, e->start.month, e->start.day, e->end.year, e->end.month, e->end.day };
      for (int k = 0; k < 6; k++)
        bb_gvw_int32 (w, v[k]);
      bb_gvw_uint32 (w, (guint32) e->prec);
      bb_gvw_string (w, e->iso);
      bb_gvw_frame (w);
      bb_gvw_string (w, e->anchor);
      bb_gvw_frame (w);
      bb_gvw_string (w, e->event);
      bb_gvw_close (w);
    }
  bb_gvw_close (w);
  bb_gvw_close (w);
}

static gboolean
ymd_in_range (const BbYmd *d)
{
  return d->year >= 0 && d->year <= 9999 && d->month >= 0 && d->month <= 12 && d->day >= 0
         && d->day <= 31 && (d->day == 0 || d->month != 0);
}

BbChronologyPart *
bb_chronology_part_from_variant (GVariant *v)
{
  if (!v || !g_variant_is_of_type (v, G_VARIANT_TYPE (BB_CHRONOLOGY_PART_TYPE)))
    return NULL;
  const char *name, *lang;
  gboolean extracted, used;
  gint32 fallback;
  g_autoptr (GVariantIter) years = NULL, events = NULL;
  g_variant_get (v, "(&s&sa(iu)bbia(iiiiiiusss))", &name, &lang, &years, &extracted, &used, &fallback,
                 &events);
  BbChronologyPart *part = part_alloc (name, lang);
  part->extracted = extracted;
  part->fallback_used = used;
  part->fallback_year = fallback;
  YearCount yc;
  while (g_variant_iter_next (years, "(iu)", &yc.year, &yc.n))
    g_array_append_val (part->years, yc);
  gint32 y0, m0, d0, y1, m1, d1;
  guint32 prec;
  const char *iso, *anchor, *event;
  gboolean ok = TRUE;
  while (ok && g_variant_iter_next (events, "(iiiiiiu&s&s&s)", &y0, &m0, &d0, &y1, &m1, &d1, &prec, &iso,
                                    &anchor, &event))
    {
      Event e = { { y0, m0, d0 }, { y1, m1, d1 }, (BbDatePrec) prec, NULL, NULL, NULL };
      ok = prec >= BB_DATE_PREC_YEAR && prec <= BB_DATE_PREC_DAY && ymd_in_range (&e.start)
           && ymd_in_range (&e.end) && *iso;
      if (!ok)
        break;
      e.iso = g_strdup (iso);
      e.anchor = g_strdup (anchor);
      e.event = g_strdup (event);
      g_array_append_val (part->events, e);
    }
  if (!ok)
    g_clear_pointer (&part, bb_chronology_part_free);
  return part;
}

/* ------------------------------------------------------------------ merge */

/* Positions of rows in a bucket.  Not a GArray: GLib 2.74 takes GArray
 * headers from its slice allocator, whose per-thread magazines keep what
 * they are given back; the merge's hundreds of thousands of headers left
 * 15 MB there at 1,000 sources (memory at the end of analysis: 113 MiB
 * before, 98 after; the layout's own slices used to reuse them, so its
 * peak is the same). */
typedef struct {
  guint *pos;
  guint len, cap;
} Postings;

static void
postings_free (gpointer p)
{
  Postings *a = p;
  g_free (a->pos);
  g_free (a);
}

/* The rows of one date, with indexes of their texts and words while
 * events are merged in. */
typedef struct {
  GPtrArray *incoming;    /* Row*: the date's events, in book order, to merge */
  GPtrArray *rows;        /* Row*, in the order they came */
  GHashTable *by_text;    /* event -> Postings: positions in rows */
  GHashTable *by_word;    /* rank + 1 -> Postings: rows with that word */
  GHashTable *by_prefix;  /* rank + 1 -> Postings: rows with it among their rarest */
} Bucket;

static void
bucket_unindex (Bucket *bk)
{
  g_clear_pointer (&bk->by_text, g_hash_table_unref);
  g_clear_pointer (&bk->by_word, g_hash_table_unref);
  g_clear_pointer (&bk->by_prefix, g_hash_table_unref);
}

static void
bucket_free (gpointer p)
{
  Bucket *bk = p;
  if (bk->incoming)
    g_ptr_array_unref (bk->incoming);
  g_ptr_array_unref (bk->rows);
  bucket_unindex (bk);
  g_free (bk);
}

static Bucket *
bucket_new (void)
{
  Bucket *bk = g_new0 (Bucket, 1);
  bk->incoming = g_ptr_array_new ();
  bk->rows = g_ptr_array_new ();
  bk->by_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, postings_free);
  bk->by_word = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, postings_free);
  bk->by_prefix = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, postings_free);
  return bk;
}

static void
post (GHashTable *index, gpointer key, gboolean own_key, guint pos)
{
  Postings *a = g_hash_table_lookup (index, key);
  if (!a)
    {
      a = g_new0 (Postings, 1);
      g_hash_table_insert (index, own_key ? g_strdup (key) : key, a);
    }
  if (a->len == a->cap)
    {
      a->cap = a->cap ? 2 * a->cap : 2;
      a->pos = g_renew (guint, a->pos, a->cap);
    }
  a->pos[a->len++] = pos;
}

static void
gather (GHashTable *index, gconstpointer key, GArray *into)
{
  const Postings *a = g_hash_table_lookup (index, key);
  if (a)
    g_array_append_vals (into, a->pos, a->len);
}

#define RANK_KEY(r) GUINT_TO_POINTER ((r) + 1)

/* Adds an event, or cites its source on the first row of its date that
 * already holds it.  Only rows with the same text, or sharing a word the
 * prefix filter picks, can hold it, so only those are tried, in the order
 * the rows came: the first that holds it is the one a try of every row of
 * the date would find. */
static void
add_event (Bucket *bk, Row *r, GArray *cand)
{
  const double t = MIN (SAME_EVENT_OVERLAP, SAME_SOURCE_OVERLAP);
  const char *src = r->sources->len ? g_ptr_array_index (r->sources, 0) : "";
  guint np = prefix_len (r, t);
  if (bk->rows->len)
    {
      g_array_set_size (cand, 0);
      gather (bk->by_text, r->event, cand);
      for (guint i = 0; i < np; i++)
        gather (bk->by_word, RANK_KEY (r->rank[i]), cand);
      /* a row of fewer words than r shares one of its own rarest */
      for (guint i = 0; np && i < r->n_words; i++)
        gather (bk->by_prefix, RANK_KEY (r->rank[i]), cand);
      g_array_sort (cand, cmp_guint);
      for (guint i = 0; i < cand->len; i++)
        {
          guint pos = g_array_index (cand, guint, i);
          if (i && pos == g_array_index (cand, guint, i - 1))
            continue;
          Row *o = g_ptr_array_index (bk->rows, pos);
          guint shared;
          if (!strcmp (o->event, r->event) && has_source (o, src))
            goto drop;
          double ov = overlap (o, r, &shared);
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
    }
  guint pos = bk->rows->len;
  g_ptr_array_add (bk->rows, r);
  post (bk->by_text, r->event, TRUE, pos);
  for (guint i = 0; i < r->n_words; i++)
    {
      post (bk->by_word, RANK_KEY (r->rank[i]), FALSE, pos);
      if (i < np)
        post (bk->by_prefix, RANK_KEY (r->rank[i]), FALSE, pos);
    }
  return;
drop:
  row_free (r);
}

/* bb_parallel_for: merges the events of one date (a Bucket of dates), in
 * the order they came. */
static void
add_date (guint i, gpointer data)
{
  Bucket *bk = ((GPtrArray *) data)->pdata[i];
  g_autoptr (GArray) cand = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < bk->incoming->len; k++)
    add_event (bk, bk->incoming->pdata[k], cand);
  g_clear_pointer (&bk->incoming, g_ptr_array_unref);
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

/* How far apart (in days) two rows may be and still be one event told
 * with different dates. */
#define CONFLICT_DAYS 62

/* Whether rows a and b (a before b, at most CONFLICT_DAYS apart) read as
 * one event under different dates: dates that do not contain one another,
 * no source in common, and much the same words. */
static gboolean
conflict (const Row *a, const Row *b)
{
  /* compatible when one date contains the other */
  BbDatePrec p = MIN (a->prec, b->prec);
  if (a->start.year == b->start.year && (p < BB_DATE_PREC_MONTH || a->start.month == b->start.month)
      && (p < BB_DATE_PREC_DAY || a->start.day == b->start.day))
    return FALSE;
  guint shared;
  if (overlap (a, b, &shared) < CONFLICT_OVERLAP || shared < SAME_EVENT_MIN_WORDS)
    return FALSE;
  for (guint s = 0; s < b->sources->len; s++)
    if (has_source (a, g_ptr_array_index (b->sources, s)))
      return FALSE;
  return TRUE;
}

typedef struct {
  guint a, b; /* row indexes, a < b */
} Pair;

/* Rows per chunk of the conflict search. */
#define CONFLICT_CHUNK 512

typedef struct {
  GPtrArray *rows;
  const gint64 *days;
  GArray **holders;     /* rank → the rows holding that word, in row order */
  guint chunks;
  GArray **found;       /* per chunk: its Pairs */
} ConflictSearch;

/* bb_parallel_for: the pairs that the rows of chunk c find (below). */
static void
conflict_chunk (guint c, gpointer data)
{
  ConflictSearch *cs = data;
  GPtrArray *rows = cs->rows;
  const gint64 *days = cs->days;
  guint n = rows->len;
  GArray *pairs = cs->found[c] = g_array_new (FALSE, FALSE, sizeof (Pair));
  /* seen[j] == i: row j was tried against row i already */
  guint *seen = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    seen[i] = G_MAXUINT;
  guint end = MIN (n, (c + 1) * CONFLICT_CHUNK);
  for (guint i = c * CONFLICT_CHUNK; i < end; i++)
    {
      const Row *x = rows->pdata[i];
      guint np = prefix_len (x, CONFLICT_OVERLAP);
      for (guint p = 0; p < np; p++)
        {
          const GArray *h = cs->holders[x->rank[p]];
          const guint *js = (const guint *) h->data;
          /* the first holder at most CONFLICT_DAYS before row i */
          guint lo = 0, hi = h->len;
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (days[js[mid]] < days[i] - CONFLICT_DAYS)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint k = lo; k < h->len; k++)
            {
              guint j = js[k];
              if (days[j] - days[i] > CONFLICT_DAYS)
                break;
              if (j == i || seen[j] == i)
                continue;
              seen[j] = i;
              const Row *y = rows->pdata[j];
              if (y->n_words < x->n_words || (y->n_words == x->n_words && j < i))
                continue;
              Pair pr = { MIN (i, j), MAX (i, j) };
              if (conflict (rows->pdata[pr.a], rows->pdata[pr.b]))
                g_array_append_val (pairs, pr);
            }
        }
    }
  g_free (seen);
}

/* Every pair of rows in conflict, for rows sorted so that their days never
 * decrease.  Each row looks for partners through the rarest words of its
 * prefix (prefix_len) among the rows within CONFLICT_DAYS of it, and keeps
 * those with at least as many words (the smaller row of a pair finds it;
 * of two the same size, the earlier). */
static void
conflict_pairs_indexed (GPtrArray *rows, const gint64 *days, guint n_ids, GArray *pairs)
{
  guint n = rows->len;
  rank_words (rows, n_ids);
  /* the rows holding each word, in row order */
  GArray **holders = g_new0 (GArray *, n_ids + 1);
  for (guint i = 0; i < n; i++)
    {
      const Row *r = rows->pdata[i];
      for (guint k = 0; k < r->n_words; k++)
        {
          if (!holders[r->rank[k]])
            holders[r->rank[k]] = g_array_new (FALSE, FALSE, sizeof (guint));
          g_array_append_val (holders[r->rank[k]], i);
        }
    }
  /* rows in chunks on every core, each chunk's pairs in row order, joined
   * in chunk order: the pairs one thread would find, in its order */
  ConflictSearch cs = { rows, days, holders, (n + CONFLICT_CHUNK - 1) / CONFLICT_CHUNK, NULL };
  cs.found = g_new0 (GArray *, cs.chunks);
  bb_parallel_for (cs.chunks, conflict_chunk, &cs);
  for (guint k = 0; k < cs.chunks; k++)
    {
      g_array_append_vals (pairs, cs.found[k]->data, cs.found[k]->len);
      g_array_unref (cs.found[k]);
    }
  g_free (cs.found);
  for (guint w = 0; w <= n_ids; w++)
    if (holders[w])
      g_array_unref (holders[w]);
  g_free (holders);
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&((Row *) rows->pdata[i])->rank, g_free);
}

/* The same by trying every later row within CONFLICT_DAYS of each row, up
 * to the first beyond: for rows whose days do decrease somewhere, which
 * dates of the calendar never give. */
static void
conflict_pairs_scan (GPtrArray *rows, const gint64 *days, GArray *pairs)
{
  for (guint i = 0; i < rows->len; i++)
    for (guint j = i + 1; j < rows->len; j++)
      {
        if (days[j] - days[i] > CONFLICT_DAYS)
          break;
        if (conflict (rows->pdata[i], rows->pdata[j]))
          {
            Pair pr = { i, j };
            g_array_append_val (pairs, pr);
          }
      }
}

static int
cmp_pair (gconstpointer pa, gconstpointer pb)
{
  const Pair *a = pa, *b = pb;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

/* Different dates for what reads as one event: both rows say so, each
 * listing the other rows' dates and sources in row order. */
static void
note_conflicts (BbChronology *c, guint n_ids)
{
  GPtrArray *rows = c->rows;
  guint n = rows->len;
  if (n < 2)
    return;
  gint64 *days = g_new (gint64, n);
  gboolean rising = TRUE;
  for (guint i = 0; i < n; i++)
    {
      days[i] = row_days (rows->pdata[i]);
      rising &= i == 0 || days[i] >= days[i - 1];
    }
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  if (rising)
    conflict_pairs_indexed (rows, days, n_ids, pairs);
  else
    conflict_pairs_scan (rows, days, pairs);
  g_free (days);
  if (!pairs->len)
    return;
  /* each row's partners, in row order */
  guint *start = g_new0 (guint, n + 1);
  for (guint k = 0; k < pairs->len; k++)
    {
      const Pair *pr = &g_array_index (pairs, Pair, k);
      start[pr->a + 1]++;
      start[pr->b + 1]++;
    }
  for (guint i = 0; i < n; i++)
    start[i + 1] += start[i];
  guint *fill = g_memdup2 (start, sizeof (guint) * n);
  guint *partner = g_new (guint, start[n]);
  g_array_sort (pairs, cmp_pair);
  for (guint k = 0; k < pairs->len; k++)
    {
      const Pair *pr = &g_array_index (pairs, Pair, k);
      partner[fill[pr->a]++] = pr->b;
      partner[fill[pr->b]++] = pr->a;
    }
  for (guint i = 0; i < n; i++)
    {
      if (start[i] == start[i + 1])
        continue;
      qsort (partner + start[i], start[i + 1] - start[i], sizeof (guint), cmp_guint);
      Row *self = rows->pdata[i];
      GString *note = g_string_new (NULL);
      for (guint k = start[i]; k < start[i + 1]; k++)
        {
          const Row *other = rows->pdata[partner[k]];
          if (note->len)
            g_string_append (note, "; ");
          g_string_append_printf (note, "%s (", other->iso);
          for (guint s = 0; s < other->sources->len; s++)
            {
              if (s)
                g_string_append (note, ", ");
              g_string_append (note, g_ptr_array_index (other->sources, s));
            }
          g_string_append_c (note, ')');
          if (k - start[i] + 1 == NOTE_SHOWN)
            self->note_shown = note->len;
        }
      self->n_partners = start[i + 1] - start[i];
      if (self->n_partners <= NOTE_SHOWN)
        self->note_shown = note->len;
      g_free (self->note);
      self->note = g_string_free (note, FALSE);
    }
  g_free (start);
  g_free (fill);
  g_free (partner);
}

/* --------------------------------------------------------------- curated */

static void
merge_curated (BbChronology *c, GHashTable *by_date, Words *wt, GPtrArray *sources, const char *dir,
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
              anchor = so->body ? bb_node_anchor (so->body) : NULL;
              for (BbNode *n = so->body; n && !anchor; n = bb_node_next_in (so->body, n))
                if (bb_node_is_block (n) && bb_node_anchor (n))
                  anchor = bb_node_anchor (n);
            }
        }
      if (*src && !anchor && diag)
        bb_diag_warn (diag, path, (int) i + 1, "no source named '%s'", src);
      g_autofree char *iso = bb_date_match_iso (&m);
      g_autofree char *event = tidy (cells[1]);
      Row *r = row_new (wt, &m.start, &m.end, m.prec, iso, *src ? src : NULL, anchor, event, lang,
                        G_MAXUINT64, NULL);
      r->curated = TRUE;
      /* an editor's words replace the extracted ones for the same event */
      Bucket *bk = g_hash_table_lookup (by_date, r->iso);
      gboolean merged = FALSE;
      for (guint k = 0; bk && k < bk->rows->len && !merged; k++)
        {
          Row *o = g_ptr_array_index (bk->rows, k);
          guint shared;
          if (o->curated || overlap (o, r, &shared) < SAME_EVENT_OVERLAP
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

typedef struct {
  const Event *const *events;
  char **lists;
} WordLists;

static void
word_list_one (guint i, gpointer data)
{
  WordLists *wl = data;
  wl->lists[i] = word_list (wl->events[i]->event);
}

BbChronology *
bb_chronology_merge (BbChronologyPart *const *parts, guint n, GPtrArray *sources,
                     const char *sources_dir, BbDiag *diag)
{
  BbChronology *c = chronology_new ();
  Words wt;
  words_init (&wt);
  /* every event of every source, in order, with its words ranked over all */
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  for (guint d = 0; d < n; d++)
    for (guint k = 0; parts[d] && k < parts[d]->events->len; k++)
      g_ptr_array_add (all, &g_array_index (parts[d]->events, Event, k));
  WordLists wl = { (const Event *const *) all->pdata, g_new0 (char *, all->len + 1) };
  bb_parallel_for (all->len, word_list_one, &wl);
  g_autoptr (GPtrArray) events = g_ptr_array_new ();
  guint at = 0;
  for (guint d = 0; d < n; d++)
    {
      const BbChronologyPart *part = parts[d];
      for (guint k = 0; part && k < part->events->len; k++, at++)
        {
          const Event *e = &g_array_index (part->events, Event, k);
          g_ptr_array_add (events, row_new (&wt, &e->start, &e->end, e->prec, e->iso, part->name, e->anchor,
                                            e->event, part->lang, ((guint64) d << 32) | k, wl.lists[at]));
          g_free (wl.lists[at]);
        }
    }
  g_free (wl.lists);
  rank_words (events, wt.n);
  /* Events of different dates never merge: each date's are merged in
   * their order on its own, the dates on every core, and the rows kept
   * are gathered date by date (row_cmp gives them their order). */
  g_autoptr (GHashTable) by_date = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bucket_free);
  g_autoptr (GPtrArray) dates = g_ptr_array_new ();
  for (guint i = 0; i < events->len; i++)
    {
      Row *r = events->pdata[i];
      Bucket *bk = g_hash_table_lookup (by_date, r->iso);
      if (!bk)
        {
          bk = bucket_new ();
          g_hash_table_insert (by_date, g_strdup (r->iso), bk);
          g_ptr_array_add (dates, bk);
        }
      g_ptr_array_add (bk->incoming, r);
    }
  bb_parallel_for (dates->len, add_date, dates);
  for (guint i = 0; i < dates->len; i++)
    {
      Bucket *bk = dates->pdata[i];
      g_ptr_array_extend (c->rows, bk->rows, NULL, NULL);
    }
  GHashTableIter it;
  gpointer bk;
  g_hash_table_iter_init (&it, by_date);
  while (g_hash_table_iter_next (&it, NULL, &bk))
    bucket_unindex (bk);
  for (guint i = 0; i < c->rows->len; i++)
    g_clear_pointer (&((Row *) c->rows->pdata[i])->rank, g_free);
  if (sources_dir)
    merge_curated (c, by_date, &wt, sources, sources_dir, diag);
  g_ptr_array_sort (c->rows, row_cmp);
  note_conflicts (c, wt.n);
  words_clear (&wt);
  return c;
}

/* Parts for docs (taken), events read with the book's year, merged. */
static BbChronology *
extract_docs (GPtrArray *docs, GPtrArray *sources, const char *sources_dir, BbDiag *diag)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_chronology_part_free);
  for (guint d = 0; d < docs->len; d++)
    g_ptr_array_add (parts, part_from_doc (docs->pdata[d]));
  int year = bb_chronology_book_year ((BbChronologyPart *const *) parts->pdata, parts->len);
  for (guint d = 0; d < parts->len; d++)
    bb_chronology_part_extract (parts->pdata[d], NULL, year);
  return bb_chronology_merge ((BbChronologyPart *const *) parts->pdata, parts->len, sources, sources_dir,
                              diag);
}

BbChronology *
bb_chronology_extract (GPtrArray *sources, const char *sources_dir, BbDiag *diag)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new ();
  for (guint s = 0; sources && s < sources->len; s++)
    {
      Doc *doc = doc_from_source (g_ptr_array_index (sources, s));
      if (doc)
        g_ptr_array_add (docs, doc);
    }
  return extract_docs (docs, sources, sources_dir, diag);
}

BbChronology *
bb_chronology_extract_texts (const char *const *texts, const char *const *names,
                             const char *const *langs, const char *const *datelines, guint n)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new ();
  for (guint d = 0; d < n; d++)
    {
      Doc *doc = doc_new (names && names[d] ? names[d] : "text", langs ? langs[d] : NULL,
                          datelines ? datelines[d] : NULL, NULL);
      g_auto (GStrv) lines = g_strsplit (texts[d] ? texts[d] : "", "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          if (!*g_strstrip (lines[i]))
            continue;
          char *t = g_strdup (lines[i]);
          char *a = g_strdup_printf ("l%u", i + 1);
          g_ptr_array_add (doc->texts, t);
          g_ptr_array_add (doc->texts, a);
          Block b = { t, a, MIN_EVENT_WORDS };
          g_array_append_val (doc->blocks, b);
        }
      g_ptr_array_add (docs, doc);
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
          gsize shown = r->n_partners ? MIN (r->note_shown, strlen (r->note)) : strlen (r->note);
          GString *others = g_string_new_len (r->note, (gssize) shown);
          if (r->n_partners > NOTE_SHOWN)
            {
              const char *u = strstr (rules->fmt_conflict_more, "%u");
              g_string_append (others, "; ");
              if (u)
                {
                  g_string_append_len (others, rules->fmt_conflict_more, u - rules->fmt_conflict_more);
                  g_string_append_printf (others, "%u", r->n_partners - NOTE_SHOWN);
                  g_string_append (others, u + 2);
                }
              else
                g_string_append (others, rules->fmt_conflict_more);
            }
          if (at)
            {
              g_string_append_len (note, rules->fmt_conflict, at - rules->fmt_conflict);
              g_string_append (note, others->str);
              g_string_append (note, at + 2);
            }
          else
            g_string_append_printf (note, "%s: %s", rules->fmt_conflict, others->str);
          g_string_free (others, TRUE);
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
