/* dates.c — the date engine: tokenizer, pattern matcher, resolution.
 *
 * Text is cut into tokens (words, digit runs, single punctuation marks, each
 * knowing whether white space precedes it).  Every pattern of the language
 * table is tried at every token; the longest match wins, then the earliest
 * pattern of the table.  Guards that keep counts, scores and identifiers out
 * are generic and read their words from the table.
 */
#include "dates.h"
#include "text.h"
#include <string.h>

/* ---------------------------------------------------------------- calendar */

gint64
bb_date_to_days (int y, int m, int d)
{
  /* Howard Hinnant's days_from_civil. */
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (unsigned) ((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

void
bb_date_from_days (gint64 z, BbYmd *out)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = (gint64) yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  out->year = (int) (y + (m <= 2));
  out->month = (int) m;
  out->day = (int) d;
}

int
bb_date_weekday (int y, int m, int d)
{
  gint64 days = bb_date_to_days (y, m, d); /* 1970-01-01 was a Thursday */
  int w = (int) (((days % 7) + 7 + 3) % 7); /* 0 = Monday */
  return w + 1;
}

static int
days_in_month (int y, int m)
{
  static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

static int
ymd_cmp (const BbYmd *a, const BbYmd *b)
{
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  if (a->day != b->day)
    return a->day < b->day ? -1 : 1;
  return 0;
}

BbDatePrec
bb_date_parse_iso (const char *s, BbYmd *out)
{
  BbYmd v = { 0, 0, 0 };
  if (!s)
    return BB_DATE_PREC_NONE;
  while (*s == ' ')
    s++;
  int n = 0;
  const char *p = s;
  for (int i = 0; i < 4; i++, p++)
    {
      if (!g_ascii_isdigit (*p))
        return BB_DATE_PREC_NONE;
      n = n * 10 + (*p - '0');
    }
  v.year = n;
  BbDatePrec prec = BB_DATE_PREC_YEAR;
  for (int part = 0; part < 2 && *p == '-'; part++)
    {
      if (!g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
        return BB_DATE_PREC_NONE;
      int x = (p[1] - '0') * 10 + (p[2] - '0');
      p += 3;
      if (part == 0)
        {
          if (x < 1 || x > 12)
            return BB_DATE_PREC_NONE;
          v.month = x;
          prec = BB_DATE_PREC_MONTH;
        }
      else
        {
          if (x < 1 || x > days_in_month (v.year, v.month))
            return BB_DATE_PREC_NONE;
          v.day = x;
          prec = BB_DATE_PREC_DAY;
        }
    }
  if (*p && *p != ' ' && *p != 'T' && *p != '/')
    return BB_DATE_PREC_NONE;
  if (out)
    *out = v;
  return prec;
}

static void
append_iso (GString *s, const BbYmd *d, BbDatePrec prec)
{
  g_string_append_printf (s, "%04d", d->year);
  if (prec >= BB_DATE_PREC_MONTH)
    g_string_append_printf (s, "-%02d", d->month);
  if (prec >= BB_DATE_PREC_DAY)
    g_string_append_printf (s, "-%02d", d->day);
}

char *
bb_date_match_iso (const BbDateMatch *m)
{
  GString *s = g_string_new (NULL);
  append_iso (s, &m->start, m->prec);
  if ((m->flags & BB_DATE_RANGE) && ymd_cmp (&m->start, &m->end) != 0)
    {
      g_string_append_c (s, '/');
      append_iso (s, &m->end, m->prec);
    }
  return g_string_free (s, FALSE);
}

static void
format_one (GString *out, const char *fmt, const BbDateRules *r, const BbYmd *d,
            const BbYmd *d2)
{
  for (const char *p = fmt; *p; p++)
    {
      if (*p == '{')
        {
          const char *e = strchr (p, '}');
          if (e)
            {
              g_autofree char *key = g_strndup (p + 1, (gsize) (e - p - 1));
              if (!strcmp (key, "d"))
                g_string_append_printf (out, "%d", d->day);
              else if (!strcmp (key, "d2"))
                g_string_append_printf (out, "%d", d2->day);
              else if (!strcmp (key, "m"))
                g_string_append_printf (out, "%d", d->month);
              else if (!strcmp (key, "M"))
                g_string_append (out, r->month_names[d->month - 1]);
              else if (!strcmp (key, "y"))
                g_string_append_printf (out, "%d", d->year);
              p = e;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
}

static const char *
fmt_for (const BbDateRules *r, BbDatePrec prec)
{
  return prec == BB_DATE_PREC_DAY ? r->fmt_day : prec == BB_DATE_PREC_MONTH ? r->fmt_month : r->fmt_year;
}

char *
bb_date_format (const BbDateRules *r, const BbYmd *start, const BbYmd *end, BbDatePrec prec)
{
  GString *s = g_string_new (NULL);
  if (prec == BB_DATE_PREC_NONE)
    return g_string_free (s, FALSE);
  if (!end || ymd_cmp (start, end) == 0)
    format_one (s, fmt_for (r, prec), r, start, start);
  else if (prec == BB_DATE_PREC_DAY && start->year == end->year && start->month == end->month)
    format_one (s, r->fmt_day_range_same_month, r, start, end);
  else
    {
      format_one (s, fmt_for (r, prec), r, start, start);
      g_string_append (s, " – ");
      format_one (s, fmt_for (r, prec), r, end, end);
    }
  return g_string_free (s, FALSE);
}

/* --------------------------------------------------------------- tokenizer */

typedef enum { TOK_WORD, TOK_NUM, TOK_PUNCT } TokType;

typedef struct {
  TokType type;
  gsize start, end;  /* bytes */
  gboolean glued;    /* no white space before it */
  gboolean cap;      /* WORD: begins with a capital */
  int value;         /* NUM: value, -1 when too long */
  int ndigits;
  gunichar ch;       /* PUNCT: the character, dashes folded to '-' */
  char *fold;        /* WORD, NUM: case-folded text */
  /* WORD: the entries of each word table (months, weekdays, numbers) that
   * begin with it, or NULL; looked up once per token by bb_dates_scan,
   * where every pattern that starts with a name would look again */
  const GArray *first[3];
} Tok;

static gboolean
is_dash (gunichar c)
{
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* ASCII first: the tokenizer sees every character of every source twice.
 * g_unichar_isspace of ASCII is true for these five only. */
static gboolean
is_space (gunichar c)
{
  if (c < 128)
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0x200B;
}

static gboolean
is_letter (gunichar c)
{
  if (c < 128)
    return g_ascii_isalpha ((char) c);
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

static gunichar
char_at (const char *p)
{
  return (guchar) *p < 128 ? (gunichar) (guchar) *p : g_utf8_get_char (p);
}

/* The folded form of a word that is not ASCII: case-folded, then NFC. */
static char *
fold_word (const char *s, gssize len)
{
  g_autofree char *low = g_utf8_casefold (s, len);
  char *folded = g_utf8_normalize (low, -1, G_NORMALIZE_NFC);
  return folded ? folded : g_steal_pointer (&low);
}

static GArray *
tokenize (const char *text)
{
  GArray *toks = g_array_new (FALSE, TRUE, sizeof (Tok));
  const char *p = text;
  gboolean space = TRUE;
  while (*p)
    {
      gunichar c = char_at (p);
      const char *start = p;
      if (is_space (c))
        {
          space = TRUE;
          p = g_utf8_next_char (p);
          continue;
        }
      Tok t = { 0 };
      t.start = (gsize) (start - text);
      t.glued = !space;
      space = FALSE;
      if (c < 128 && g_ascii_isdigit ((char) c))
        {
          gint64 v = 0;
          while (g_ascii_isdigit (*p))
            {
              if (v < 100000000)
                v = v * 10 + (*p - '0');
              t.ndigits++;
              p++;
            }
          t.type = TOK_NUM;
          t.value = t.ndigits <= 8 ? (int) v : -1;
          t.fold = g_strndup (start, (gsize) (p - start));
        }
      else if (is_letter (c))
        {
          t.type = TOK_WORD;
          t.cap = c < 128 ? g_ascii_isupper ((char) c) : g_unichar_isupper (c) || g_unichar_istitle (c);
          while (*p)
            {
              gunichar d = char_at (p);
              if (!is_letter (d))
                break;
              p = g_utf8_next_char (p);
            }
          t.fold = bb_text_ascii_fold (start, p - start);
          if (!t.fold)
            t.fold = bb_text_memo_fold (fold_word, start, (gsize) (p - start));
        }
      else
        {
          t.type = TOK_PUNCT;
          t.ch = is_dash (c) ? '-' : c;
          p = g_utf8_next_char (p);
        }
      t.end = (gsize) (p - text);
      g_array_append_val (toks, t);
    }
  return toks;
}

static void
tokens_free (GArray *toks)
{
  for (guint i = 0; i < toks->len; i++)
    g_free (g_array_index (toks, Tok, i).fold);
  g_array_free (toks, TRUE);
}

/* ------------------------------------------------------ compiled patterns */

typedef enum {
  SLOT_D, SLOT_D2, SLOT_M, SLOT_M2, SLOT_MN, SLOT_MN2, SLOT_Y, SLOT_Y2, SLOT_WD, SLOT_N,
  SLOT_COUNT
} SlotId;

static const char *const slot_names[SLOT_COUNT] = {
  "d", "d2", "m", "m2", "mn", "mn2", "y", "y2", "wd", "n",
};

static gboolean
is_numeric_slot (SlotId s)
{
  return s != SLOT_M && s != SLOT_M2 && s != SLOT_WD;
}

typedef enum { EL_WORD, EL_PUNCT, EL_SLOT } ElType;

typedef struct {
  ElType type;
  gboolean glued;
  SlotId slot;
  gunichar ch;
  char **alts; /* EL_WORD: folded alternatives */
} El;

typedef struct {
  const BbDatePattern *src;
  El *els;
  guint n;
} CPat;

typedef struct {
  char **words; /* folded */
  guint nwords;
  int value;
  gboolean dot; /* may be followed by a full stop */
} CWord;

typedef struct {
  char **words;
  guint nwords;
} CPhrase;

/* Entries of a word table, found by their first word. */
typedef struct {
  GArray *entries;        /* CWord */
  GHashTable *by_first;   /* first folded word → GArray of guint */
  guint id;               /* its slot in Tok.first */
} WordTable;

typedef struct {
  const BbDateRules *rules;
  GArray *pats;       /* CPat */
  WordTable *months, *weekdays, *numbers;
  GHashTable *ordinals, *counts, *before, *vouchers, *abbrevs; /* folded sets */
  GArray *speculation; /* CPhrase */
  /* Which patterns can start at a token: by its folded word, or by kind. */
  GHashTable *start_word;  /* folded word → GArray of guint */
  GArray *start_num, *start_name, *start_punct; /* guint */
} Compiled;

static char *
fold (const char *s, gssize len)
{
  char *ascii = bb_text_ascii_fold (s, len);
  if (ascii)
    return ascii;
  g_autofree char *low = g_utf8_casefold (s, len);
  return g_utf8_normalize (low, -1, G_NORMALIZE_NFC);
}

static GHashTable *
fold_set (const char *const *list)
{
  GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; list && list[i]; i++)
    g_hash_table_add (h, fold (list[i], -1));
  return h;
}

static char **
split_words (const char *s, guint *n)
{
  g_autofree char *f = fold (s, -1);
  char **w = g_strsplit (f, " ", -1);
  *n = g_strv_length (w);
  return w;
}

static WordTable *
compile_words (const BbDateWord *list, guint id)
{
  WordTable *wt = g_new0 (WordTable, 1);
  wt->id = id;
  wt->by_first = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *a = g_array_new (FALSE, TRUE, sizeof (CWord));
  wt->entries = a;
  for (guint i = 0; list && list[i].word; i++)
    {
      CWord w = { 0 };
      g_autofree char *s = g_strdup (list[i].word);
      gsize len = strlen (s);
      if (len > 1 && s[len - 1] == '.')
        {
          s[len - 1] = 0;
          w.dot = TRUE;
        }
      w.words = split_words (s, &w.nwords);
      w.value = list[i].value;
      g_array_append_val (a, w);
      GArray *idx = g_hash_table_lookup (wt->by_first, w.words[0]);
      if (!idx)
        {
          idx = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (wt->by_first, w.words[0], idx);
        }
      guint at = a->len - 1;
      g_array_append_val (idx, at);
    }
  return wt;
}

static gboolean
compile_pattern (const BbDatePattern *src, CPat *out)
{
  GArray *els = g_array_new (FALSE, TRUE, sizeof (El));
  const char *p = src->pattern;
  gboolean glued = FALSE;
  while (*p)
    {
      if (*p == ' ')
        {
          glued = FALSE;
          p++;
          continue;
        }
      El e = { 0 };
      e.glued = els->len > 0 && glued;
      if (*p == '{')
        {
          const char *end = strchr (p, '}');
          g_return_val_if_fail (end != NULL, FALSE);
          g_autofree char *name = g_strndup (p + 1, (gsize) (end - p - 1));
          e.type = EL_SLOT;
          e.slot = SLOT_COUNT;
          for (int s = 0; s < SLOT_COUNT; s++)
            if (!strcmp (name, slot_names[s]))
              e.slot = (SlotId) s;
          if (e.slot == SLOT_COUNT)
            {
              g_warning ("date pattern %s: unknown slot %s", src->pattern, name);
              g_array_free (els, TRUE);
              return FALSE;
            }
          p = end + 1;
        }
      else
        {
          gunichar c = g_utf8_get_char (p);
          if (is_letter (c))
            {
              const char *s = p;
              while (*p && *p != ' ' && *p != '{')
                {
                  gunichar d = g_utf8_get_char (p);
                  if (!is_letter (d) && d != '|')
                    break;
                  p = g_utf8_next_char (p);
                }
              g_autofree char *f = fold (s, p - s);
              e.type = EL_WORD;
              e.alts = g_strsplit (f, "|", -1);
            }
          else
            {
              e.type = EL_PUNCT;
              e.ch = is_dash (c) ? '-' : c;
              p = g_utf8_next_char (p);
            }
        }
      g_array_append_val (els, e);
      glued = TRUE;
    }
  out->src = src;
  out->n = els->len;
  out->els = (El *) g_array_free (els, FALSE);
  return TRUE;
}

static Compiled *
compile_rules (const BbDateRules *r)
{
  Compiled *c = g_new0 (Compiled, 1);
  c->rules = r;
  c->pats = g_array_new (FALSE, TRUE, sizeof (CPat));
  for (guint i = 0; r->patterns[i].pattern; i++)
    {
      CPat cp;
      if (compile_pattern (&r->patterns[i], &cp))
        g_array_append_val (c->pats, cp);
    }
  c->start_word = g_hash_table_new (g_str_hash, g_str_equal);
  c->start_num = g_array_new (FALSE, FALSE, sizeof (guint));
  c->start_name = g_array_new (FALSE, FALSE, sizeof (guint));
  c->start_punct = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < c->pats->len; k++)
    {
      const El *e = &g_array_index (c->pats, CPat, k).els[0];
      if (e->type == EL_WORD)
        for (guint a = 0; e->alts[a]; a++)
          {
            GArray *list = g_hash_table_lookup (c->start_word, e->alts[a]);
            if (!list)
              {
                list = g_array_new (FALSE, FALSE, sizeof (guint));
                g_hash_table_insert (c->start_word, e->alts[a], list);
              }
            g_array_append_val (list, k);
          }
      else if (e->type == EL_PUNCT)
        g_array_append_val (c->start_punct, k);
      else
        {
          if (e->slot == SLOT_M || e->slot == SLOT_M2 || e->slot == SLOT_WD || e->slot == SLOT_N)
            g_array_append_val (c->start_name, k);
          if (is_numeric_slot (e->slot))
            g_array_append_val (c->start_num, k);
        }
    }
  c->months = compile_words (r->months, 0);
  c->weekdays = compile_words (r->weekdays, 1);
  c->numbers = compile_words (r->numbers, 2);
  c->ordinals = fold_set (r->ordinal_suffixes);
  c->counts = fold_set (r->count_words);
  c->before = fold_set (r->number_words_before);
  c->vouchers = fold_set (r->weak_vouchers);
  c->abbrevs = fold_set (r->abbreviations);
  c->speculation = g_array_new (FALSE, TRUE, sizeof (CPhrase));
  for (guint i = 0; r->speculation && r->speculation[i]; i++)
    {
      CPhrase ph;
      ph.words = split_words (r->speculation[i], &ph.nwords);
      g_array_append_val (c->speculation, ph);
    }
  return c;
}

/* Compiled tables live for the life of the program: they are built once
 * per language on first use. */
static const Compiled *
compiled_get (const BbDateRules *r)
{
  static GMutex lock;
  static GHashTable *cache;
  g_mutex_lock (&lock);
  if (!cache)
    cache = g_hash_table_new (g_direct_hash, g_direct_equal);
  Compiled *c = g_hash_table_lookup (cache, r);
  if (!c)
    {
      c = compile_rules (r);
      g_hash_table_insert (cache, (gpointer) r, c);
    }
  g_mutex_unlock (&lock);
  return c;
}

/* ----------------------------------------------------------------- matching */

typedef struct {
  int v[SLOT_COUNT];
  gboolean set[SLOT_COUNT];
} Slots;

typedef struct {
  const CPat *pat;
  guint first, last; /* token indices, inclusive */
  Slots slots;
  guint score;
  guint index;       /* of the pattern in the table */
} Raw;

static int
raw_by_score (gconstpointer pa, gconstpointer pb)
{
  const Raw *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->first < b->first ? -1 : a->first > b->first;
}

static int
raw_by_position (gconstpointer pa, gconstpointer pb)
{
  const Raw *a = pa, *b = pb;
  return a->first < b->first ? -1 : a->first > b->first;
}

/* Matches table entry words at toks[i]; returns tokens used (0: none). */
static guint
match_word_entry (const Compiled *c, const WordTable *wt, gboolean need_cap, const GArray *toks,
                  guint i, int *value)
{
  guint best = 0;
  const Tok *t0 = &g_array_index (toks, Tok, i);
  if (t0->type == TOK_PUNCT)
    return 0;
  const GArray *idx = t0->type == TOK_WORD ? t0->first[wt->id] : g_hash_table_lookup (wt->by_first, t0->fold);
  for (guint x = 0; idx && x < idx->len; x++)
    {
      const CWord *w = &g_array_index (wt->entries, CWord, g_array_index (idx, guint, x));
      if (i + w->nwords > toks->len)
        continue;
      guint j = 0;
      for (; j < w->nwords; j++)
        {
          const Tok *t = &g_array_index (toks, Tok, i + j);
          if (t->type == TOK_PUNCT || strcmp (t->fold, w->words[j]) != 0)
            break;
          if (j > 0 && t->glued && t->type == g_array_index (toks, Tok, i + j - 1).type)
            break;
        }
      if (j < w->nwords)
        continue;
      if (need_cap && !g_array_index (toks, Tok, i).cap)
        continue;
      guint used = w->nwords;
      if (w->dot && i + used < toks->len)
        {
          const Tok *t = &g_array_index (toks, Tok, i + used);
          if (t->type == TOK_PUNCT && t->ch == '.' && t->glued)
            used++;
        }
      if (used > best)
        {
          best = used;
          *value = w->value;
        }
    }
  (void) c;
  return best;
}

static gboolean
next_is_glued_word (const GArray *toks, guint j)
{
  if (j >= toks->len)
    return FALSE;
  const Tok *t = &g_array_index (toks, Tok, j);
  return t->glued && t->type == TOK_WORD;
}

/* Matches one slot at toks[i]; returns tokens used (0: no match). */
static guint
match_slot (const Compiled *c, SlotId slot, const GArray *toks, guint i, int *value)
{
  const Tok *t = &g_array_index (toks, Tok, i);
  gboolean cap = c->rules->names_capitalized;
  switch (slot)
    {
    case SLOT_D:
    case SLOT_D2:
      if (t->type != TOK_NUM || t->ndigits > 2 || t->value < 1 || t->value > 31)
        return 0;
      *value = t->value;
      if (next_is_glued_word (toks, i + 1))
        {
          const Tok *s = &g_array_index (toks, Tok, i + 1);
          if (g_hash_table_contains (c->ordinals, s->fold))
            return 2;
          return 0;
        }
      return 1;
    case SLOT_MN:
    case SLOT_MN2:
      if (t->type != TOK_NUM || t->ndigits > 2 || t->value < 1 || t->value > 12)
        return 0;
      if (next_is_glued_word (toks, i + 1))
        return 0;
      *value = t->value;
      return 1;
    case SLOT_Y:
    case SLOT_Y2:
      if (t->type != TOK_NUM || t->ndigits != 4 || t->value < 1000 || t->value > 2199)
        return 0;
      if (next_is_glued_word (toks, i + 1))
        return 0;
      *value = t->value;
      return 1;
    case SLOT_M:
    case SLOT_M2:
      return match_word_entry (c, c->months, cap, toks, i, value);
    case SLOT_WD:
      return match_word_entry (c, c->weekdays, cap, toks, i, value);
    case SLOT_N:
      if (t->type == TOK_NUM)
        {
          if (t->ndigits > 3 || t->value < 1 || next_is_glued_word (toks, i + 1))
            return 0;
          *value = t->value;
          return 1;
        }
      return match_word_entry (c, c->numbers, FALSE, toks, i, value);
    default:
      return 0;
    }
}

/* Tries pattern cp at toks[i]; returns the number of tokens matched. */
static guint
match_pattern (const Compiled *c, const CPat *cp, const GArray *toks, guint i, Slots *slots)
{
  guint j = i;
  memset (slots, 0, sizeof *slots);
  for (guint k = 0; k < cp->n; k++)
    {
      const El *e = &cp->els[k];
      if (j >= toks->len)
        return 0;
      const Tok *t = &g_array_index (toks, Tok, j);
      if (k > 0 && e->glued && !t->glued)
        return 0;
      switch (e->type)
        {
        case EL_PUNCT:
          if (t->type != TOK_PUNCT || t->ch != e->ch)
            return 0;
          j++;
          break;
        case EL_WORD:
          {
            if (t->type != TOK_WORD)
              return 0;
            gboolean ok = FALSE;
            for (guint a = 0; e->alts[a] && !ok; a++)
              ok = !strcmp (e->alts[a], t->fold);
            if (!ok)
              return 0;
            j++;
            break;
          }
        case EL_SLOT:
          {
            int v = 0;
            guint used = match_slot (c, e->slot, toks, j, &v);
            if (!used)
              return 0;
            slots->v[e->slot] = v;
            slots->set[e->slot] = TRUE;
            j += used;
            break;
          }
        }
    }
  return j - i;
}

static const Tok *
tok_at (const GArray *toks, gint64 i)
{
  if (i < 0 || (guint64) i >= toks->len)
    return NULL;
  return &g_array_index (toks, Tok, (guint) i);
}

/* The guards that tell counts, scores and identifiers from dates. */
static gboolean
guards_pass (const Compiled *c, const GArray *toks, const Raw *r)
{
  const CPat *cp = r->pat;
  guint flags = cp->src->flags;
  const Tok *first = tok_at (toks, r->first);
  const Tok *prev = tok_at (toks, (gint64) r->first - 1);
  const Tok *prev2 = tok_at (toks, (gint64) r->first - 2);
  const Tok *next = tok_at (toks, (gint64) r->last + 1);
  const Tok *next2 = tok_at (toks, (gint64) r->last + 2);
  gboolean starts_num = cp->els[0].type == EL_SLOT && is_numeric_slot (cp->els[0].slot);
  gboolean ends_num = cp->els[cp->n - 1].type == EL_SLOT && is_numeric_slot (cp->els[cp->n - 1].slot);

  if (starts_num && prev)
    {
      /* part of a longer token: "A2019", "1.27", "3/27/2" */
      if (first->glued && prev->type != TOK_PUNCT)
        return FALSE;
      if (first->glued && prev->type == TOK_PUNCT
          && (prev->ch == '.' || prev->ch == ',' || prev->ch == '/' || prev->ch == ':'
              || prev->ch == '$' || prev->ch == '#' || prev->ch == 0x20AC || prev->ch == 0xA3)
          && prev2 && prev2->type == TOK_NUM && prev->glued)
        return FALSE;
      if (prev->type == TOK_PUNCT && (prev->ch == '$' || prev->ch == '#' || prev->ch == 0x20AC
                                      || prev->ch == 0xA3 || prev->ch == 0x2116))
        return FALSE;
      if (prev->type == TOK_WORD && g_hash_table_contains (c->before, prev->fold))
        return FALSE;
    }
  if (ends_num && next)
    {
      if (next->type == TOK_PUNCT && next->glued
          && (next->ch == '%' || ((next->ch == '/' || next->ch == '-' || next->ch == '.'
                                   || next->ch == ',' || next->ch == ':')
                                  && next2 && next2->glued && next2->type == TOK_NUM)))
        return FALSE;
      if (next->type == TOK_WORD && g_hash_table_contains (c->counts, next->fold))
        return FALSE;
      if (next->type == TOK_PUNCT && next->ch == '%')
        return FALSE;
    }
  if (flags & BB_DATE_PAT_WEAK)
    {
      if (prev && prev->type == TOK_NUM)
        return FALSE;
      if (prev && prev->type == TOK_WORD && !g_hash_table_contains (c->vouchers, prev->fold))
        return FALSE;
      if (prev && prev->type == TOK_PUNCT && (prev->ch == '/' || prev->ch == '+' || prev->ch == '='))
        return FALSE;
      if (next && next->type == TOK_NUM)
        return FALSE;
    }
  if (flags & BB_DATE_PAT_BARE_YEAR)
    {
      const Tok *y = first;
      if (y->type != TOK_NUM || y->value < 1800 || y->value > 2100)
        return FALSE;
      if (prev && prev->type == TOK_NUM)
        return FALSE;
      if (next && next->type == TOK_NUM && !next->glued)
        return FALSE;
    }
  if ((flags & BB_DATE_PAT_NO_NUM_BEFORE) && prev)
    {
      int v;
      if (prev->type == TOK_NUM || match_word_entry (c, c->numbers, FALSE, toks, r->first - 1, &v))
        return FALSE;
    }
  return TRUE;
}

/* Is there a speculation phrase in the clause before token i? */
static gboolean
speculative (const Compiled *c, const GArray *toks, guint i)
{
  guint lo = i;
  while (lo > 0)
    {
      const Tok *t = &g_array_index (toks, Tok, lo - 1);
      if (t->type == TOK_PUNCT && (t->ch == ',' || t->ch == ';' || t->ch == ':' || t->ch == '('
                                   || t->ch == '.' || t->ch == '!' || t->ch == '?'))
        break;
      lo--;
    }
  for (guint s = lo; s < i; s++)
    for (guint k = 0; k < c->speculation->len; k++)
      {
        const CPhrase *ph = &g_array_index (c->speculation, CPhrase, k);
        guint j = 0;
        for (; j < ph->nwords && s + j < i; j++)
          {
            const Tok *t = &g_array_index (toks, Tok, s + j);
            if (t->type == TOK_PUNCT || strcmp (t->fold, ph->words[j]) != 0)
              break;
          }
        if (j == ph->nwords)
          return TRUE;
      }
  return FALSE;
}

/* -------------------------------------------------------------- resolution */

static void
add_months (BbYmd *d, int n)
{
  int idx = d->year * 12 + (d->month - 1) + n;
  d->year = idx / 12;
  d->month = idx % 12 + 1;
  if (d->day > days_in_month (d->year, d->month))
    d->day = days_in_month (d->year, d->month);
}

static void
add_days (BbYmd *d, gint64 n)
{
  bb_date_from_days (bb_date_to_days (d->year, d->month, d->day) + n, d);
}

static gboolean
pick_anchor (const BbDateContext *ctx, BbDateAnchor kind, BbYmd *a, BbDatePrec *prec)
{
  gboolean have_line = ctx->dateline.year != 0, have_last = ctx->last.year != 0;
  if (kind == BB_DATE_ANCHOR_DEICTIC ? have_line : !have_last && have_line)
    {
      *a = ctx->dateline;
      *prec = ctx->dateline_prec;
      return TRUE;
    }
  if (have_last)
    {
      *a = ctx->last;
      *prec = ctx->last_prec;
      return TRUE;
    }
  return FALSE;
}

/* The year of a day and month written without one, and whether it came
 * from the dateline.  A year stated in the same paragraph wins, then the
 * dateline, then the last month mentioned, then the book's usual year. */
static int
context_year (BbDateContext *ctx, gboolean *from_dateline)
{
  *from_dateline = FALSE;
  if (ctx->block_year)
    return ctx->block_year;
  if (ctx->dateline.year)
    {
      *from_dateline = TRUE;
      return ctx->dateline.year;
    }
  if (ctx->last_month.year)
    return ctx->last_month.year;
  /* a year named alone earlier ("Năm 2018, …") is too weak a guess: a
   * wrong year is worse than no row */
  ctx->fallback_used = TRUE;
  return ctx->fallback_year;
}

static gboolean
resolve (const Compiled *c, const Raw *r, BbDateContext *ctx, BbDateMatch *m)
{
  const BbDatePattern *p = r->pat->src;
  const Slots *s = &r->slots;
  memset (m, 0, sizeof *m);
  switch (p->kind)
    {
    case BB_DATE_KIND_ABSOLUTE:
      {
        int y = s->set[SLOT_Y] ? s->v[SLOT_Y] : 0;
        int y2 = s->set[SLOT_Y2] ? s->v[SLOT_Y2] : y;
        int mo = s->set[SLOT_M] ? s->v[SLOT_M] : s->set[SLOT_MN] ? s->v[SLOT_MN] : 0;
        int mo2 = s->set[SLOT_M2] ? s->v[SLOT_M2] : s->set[SLOT_MN2] ? s->v[SLOT_MN2] : mo;
        int d = s->set[SLOT_D] ? s->v[SLOT_D] : 0;
        int d2 = s->set[SLOT_D2] ? s->v[SLOT_D2] : d;
        if (!y && s->set[SLOT_Y2])
          y = y2;
        if (mo == 0 && mo2)
          mo = mo2;
        if (!y && (p->flags & BB_DATE_PAT_YEAR_REL))
          {
            BbYmd a;
            BbDatePrec ap;
            if (!pick_anchor (ctx, BB_DATE_ANCHOR_DEICTIC, &a, &ap) || !mo)
              return FALSE;
            y = y2 = a.year + p->amount;
            m->flags |= BB_DATE_RELATIVE;
          }
        else if (!y)
          {
            gboolean from_line;
            y = context_year (ctx, &from_line);
            if (!y || !mo)
              return FALSE;
            /* a dateline in February does not make "27 December" ten
             * months ahead: it was the December before */
            if (from_line && ctx->dateline_prec >= BB_DATE_PREC_MONTH
                && (mo - ctx->dateline.month) > 6)
              y--;
            y2 = y;
            m->flags |= BB_DATE_YEAR_FROM_CONTEXT;
          }
        m->prec = d ? BB_DATE_PREC_DAY : mo ? BB_DATE_PREC_MONTH : BB_DATE_PREC_YEAR;
        if (d && !mo)
          return FALSE;
        m->start = (BbYmd) { y, mo, d };
        m->end = (BbYmd) { y2, mo2, d2 };
        if (mo && (mo < 1 || mo > 12 || mo2 < 1 || mo2 > 12))
          return FALSE;
        if (d && (d > days_in_month (y, mo) || d2 < 1 || d2 > days_in_month (y2, mo2)))
          return FALSE;
        if (ymd_cmp (&m->start, &m->end) > 0)
          {
            /* "27 December – 2 January 2019": the start is in the year before */
            if (y == y2 && mo > mo2)
              m->start.year--;
            else
              return FALSE;
          }
        if (ymd_cmp (&m->start, &m->end) != 0)
          m->flags |= BB_DATE_RANGE;
        return TRUE;
      }
    case BB_DATE_KIND_RELATIVE:
      {
        BbYmd a;
        BbDatePrec ap;
        if ((p->flags & BB_DATE_PAT_DATELINE_ONLY) && !ctx->dateline.year)
          return FALSE;
        if (!pick_anchor (ctx, p->anchor, &a, &ap))
          return FALSE;
        int n = p->amount * (s->set[SLOT_N] ? s->v[SLOT_N] : 1);
        m->flags |= BB_DATE_RELATIVE;
        switch (p->unit)
          {
          case BB_DATE_UNIT_DAY:
          case BB_DATE_UNIT_WEEK:
            if (ap == BB_DATE_PREC_DAY)
              add_days (&a, p->unit == BB_DATE_UNIT_WEEK ? (gint64) n * 7 : n);
            else if (n != 0)
              return FALSE;
            m->prec = ap;
            break;
          case BB_DATE_UNIT_MONTH:
            if (ap < BB_DATE_PREC_MONTH)
              return FALSE;
            add_months (&a, n);
            a.day = 0;
            m->prec = BB_DATE_PREC_MONTH;
            break;
          case BB_DATE_UNIT_YEAR:
            a.year += n;
            a.month = a.day = 0;
            m->prec = BB_DATE_PREC_YEAR;
            break;
          }
        if (m->prec < BB_DATE_PREC_MONTH)
          a.month = 0;
        if (m->prec < BB_DATE_PREC_DAY)
          a.day = 0;
        m->start = m->end = a;
        return a.year >= 1 && a.year <= 9999;
      }
    case BB_DATE_KIND_WEEKDAY:
      {
        BbYmd a;
        BbDatePrec ap;
        if (!s->set[SLOT_WD] || !pick_anchor (ctx, p->anchor, &a, &ap) || ap != BB_DATE_PREC_DAY)
          return FALSE;
        gboolean from_line = ctx->dateline.year && ymd_cmp (&a, &ctx->dateline) == 0
                             && p->anchor == BB_DATE_ANCHOR_DEICTIC;
        int w = bb_date_weekday (a.year, a.month, a.day);
        int want = s->v[SLOT_WD];
        int delta;
        if (p->flags & BB_DATE_PAT_FUTURE)
          delta = ((want - w) + 7) % 7 == 0 ? 7 : ((want - w) + 7) % 7;
        else if (from_line)
          delta = -(((w - want) + 7) % 7);
        else
          {
            delta = ((want - w) + 7) % 7;
            if (delta > 3)
              delta -= 7;
          }
        add_days (&a, delta);
        m->start = m->end = a;
        m->prec = BB_DATE_PREC_DAY;
        m->flags |= BB_DATE_RELATIVE;
        return TRUE;
      }
    case BB_DATE_KIND_IGNORE:
      return FALSE;
    }
  (void) c;
  return FALSE;
}

static void
context_note (BbDateContext *ctx, const BbDateMatch *m)
{
  ctx->last = m->start;
  ctx->last_prec = m->prec;
  /* "tháng 6 năm ngoái" looks back from the story's present; the dates
   * around it stay in that present */
  if (m->prec >= BB_DATE_PREC_MONTH && !(m->flags & BB_DATE_RELATIVE))
    ctx->last_month = m->start;
  /* "the 1994 agreement" names an event; it does not set the scene */
  if (!(m->flags & (BB_DATE_BARE_YEAR | BB_DATE_YEAR_FROM_CONTEXT | BB_DATE_RELATIVE)))
    ctx->block_year = m->end.year;
}

void
bb_date_context_new_block (BbDateContext *ctx)
{
  ctx->block_year = 0;
}

void
bb_date_context_init (BbDateContext *ctx, const char *dateline_iso)
{
  memset (ctx, 0, sizeof *ctx);
  BbYmd d;
  BbDatePrec p = bb_date_parse_iso (dateline_iso, &d);
  if (p != BB_DATE_PREC_NONE)
    {
      ctx->dateline = d;
      ctx->dateline_prec = p;
    }
}

GArray *
bb_dates_scan (const char *text, const BbDateRules *rules, BbDateContext *ctx)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (BbDateMatch));
  if (!text || !*text)
    return out;
  const Compiled *c = compiled_get (rules);
  GArray *toks = tokenize (text);
  GArray *raws = g_array_new (FALSE, TRUE, sizeof (Raw));
  const WordTable *tables[] = { c->months, c->weekdays, c->numbers };
  for (guint i = 0; i < toks->len; i++)
    {
      Tok *t = &g_array_index (toks, Tok, i);
      if (t->type == TOK_WORD)
        for (guint k = 0; k < G_N_ELEMENTS (tables); k++)
          t->first[k] = g_hash_table_lookup (tables[k]->by_first, t->fold);
    }

  /* The best match at each token, then the most specific matches first
   * (filled slots, then length): "In September 2018" is "September 2018",
   * not "In September" and a bare year. */
  GArray *cands = g_array_new (FALSE, TRUE, sizeof (Raw));
  for (guint i = 0; i < toks->len; i++)
    {
      Raw best = { 0 }, r;
      guint best_score = 0;
      const Tok *t = &g_array_index (toks, Tok, i);
      GArray *lists[2] = { NULL, NULL };
      if (t->type == TOK_NUM)
        lists[0] = c->start_num, lists[1] = c->start_name;
      else if (t->type == TOK_WORD)
        {
          lists[0] = g_hash_table_lookup (c->start_word, t->fold);
          /* a pattern that starts with a name needs a word of some table */
          if (t->first[0] || t->first[1] || t->first[2])
            lists[1] = c->start_name;
        }
      else
        lists[0] = c->start_punct;
      for (guint li = 0; li < 2; li++)
        for (guint x = 0; lists[li] && x < lists[li]->len; x++)
          {
            guint k = g_array_index (lists[li], guint, x);
            const CPat *cp = &g_array_index (c->pats, CPat, k);
            guint n = match_pattern (c, cp, toks, i, &r.slots);
            if (!n)
              continue;
            guint score = n;
            for (int sl = 0; sl < SLOT_COUNT; sl++)
              score += r.slots.set[sl] && sl != SLOT_N ? 8 : 0;
            /* equal scores: the pattern listed first in the table */
            if (score < best_score || (score == best_score && k >= best.index))
              continue;
            r.pat = cp;
            r.index = k;
            r.first = i;
            r.last = i + n - 1;
            if (!guards_pass (c, toks, &r))
              continue;
            best = r;
            best_score = score;
          }
      if (best_score)
        {
          best.score = best_score;
          g_array_append_val (cands, best);
        }
    }
  g_array_sort (cands, raw_by_score);
  g_autofree guint8 *taken = g_malloc0 (toks->len + 1);
  for (guint k = 0; k < cands->len; k++)
    {
      const Raw *r = &g_array_index (cands, Raw, k);
      gboolean free_span = TRUE;
      for (guint t = r->first; t <= r->last && free_span; t++)
        free_span = !taken[t];
      if (!free_span)
        continue;
      memset (taken + r->first, 1, r->last - r->first + 1);
      g_array_append_val (raws, *r);
    }
  g_array_free (cands, TRUE);
  g_array_sort (raws, raw_by_position);

  for (guint k = 0; k < raws->len; k++)
    {
      const Raw *r = &g_array_index (raws, Raw, k);
      /* A weekday beside an explicit date ("Wednesday, 27 February",
       * "thứ Tư (27/2)") only repeats it. */
      if (r->pat->src->kind == BB_DATE_KIND_WEEKDAY)
        {
          gboolean beside = FALSE;
          for (int dk = -1; dk <= 1; dk += 2)
            {
              if ((dk < 0 && k == 0) || k + dk >= raws->len)
                continue;
              const Raw *o = &g_array_index (raws, Raw, k + dk);
              if (o->pat->src->kind != BB_DATE_KIND_ABSOLUTE || !o->slots.set[SLOT_D])
                continue;
              guint gap_lo = dk > 0 ? r->last + 1 : o->last + 1;
              guint gap_hi = dk > 0 ? o->first : r->first;
              gboolean only_punct = gap_hi - gap_lo <= 2;
              for (guint g = gap_lo; g < gap_hi && only_punct; g++)
                only_punct = g_array_index (toks, Tok, g).type == TOK_PUNCT;
              beside |= only_punct;
            }
          if (beside)
            continue;
        }
      BbDateMatch m;
      if (!resolve (c, r, ctx, &m))
        continue;
      /* "Kim Il-sung (1912–1994)", "Obama (2009–2017)": a life or a term
       * of office, not an event */
      const Tok *before = tok_at (toks, (gint64) r->first - 1), *after = tok_at (toks, (gint64) r->last + 1);
      if (m.prec == BB_DATE_PREC_YEAR && (m.flags & BB_DATE_RANGE) && before && after
          && before->type == TOK_PUNCT && before->ch == '(' && after->type == TOK_PUNCT && after->ch == ')')
        continue;
      const Tok *a = &g_array_index (toks, Tok, r->first);
      const Tok *b = &g_array_index (toks, Tok, r->last);
      m.offset = a->start;
      m.length = b->end - a->start;
      if (r->pat->src->flags & BB_DATE_PAT_BARE_YEAR)
        m.flags |= BB_DATE_BARE_YEAR;
      if (speculative (c, toks, r->first))
        m.flags |= BB_DATE_SPECULATIVE;
      else
        context_note (ctx, &m);
      g_array_append_val (out, m);
    }
  /* "The 2019 … Summit was held … on February 27–28, 2019", "In 2017, …
   * on August 8, 2017": a year alone only repeats a finer date of the same
   * text. */
  for (guint k = 0; k < out->len;)
    {
      const BbDateMatch *m = &g_array_index (out, BbDateMatch, k);
      gboolean repeat = FALSE;
      gboolean year_only = m->prec == BB_DATE_PREC_YEAR && !(m->flags & (BB_DATE_RANGE | BB_DATE_RELATIVE));
      for (guint o = 0; o < out->len && year_only && !repeat; o++)
        {
          const BbDateMatch *n = &g_array_index (out, BbDateMatch, o);
          repeat = o != k && n->prec > BB_DATE_PREC_YEAR && !(n->flags & BB_DATE_SPECULATIVE)
                   && n->start.year <= m->start.year && m->start.year <= n->end.year;
        }
      if (repeat)
        g_array_remove_index (out, k);
      else
        k++;
    }
  g_array_free (raws, TRUE);
  tokens_free (toks);
  return out;
}

char *
bb_dates_first_iso (const char *text, const char *lang, const char *dateline_iso)
{
  BbDateContext ctx;
  bb_date_context_init (&ctx, dateline_iso);
  g_autoptr (GArray) ms = bb_dates_scan (text, bb_date_rules_lookup (lang), &ctx);
  for (guint i = 0; i < ms->len; i++)
    {
      const BbDateMatch *m = &g_array_index (ms, BbDateMatch, i);
      if (!(m->flags & BB_DATE_SPECULATIVE))
        return bb_date_match_iso (m);
    }
  return NULL;
}

/* ---------------------------------------------------------------- sentences */

GArray *
bb_dates_sentences (const char *text, const BbDateRules *rules)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize zero = 0, len = strlen (text);
  g_array_append_val (out, zero);
  const Compiled *c = compiled_get (rules);
  GArray *toks = tokenize (text);
  for (guint i = 0; i + 1 < toks->len; i++)
    {
      const Tok *t = &g_array_index (toks, Tok, i);
      if (t->type != TOK_PUNCT || (t->ch != '.' && t->ch != '!' && t->ch != '?' && t->ch != 0x2026))
        continue;
      /* closing quotes and brackets belong to the sentence they end */
      guint j = i + 1;
      while (j < toks->len)
        {
          const Tok *q = &g_array_index (toks, Tok, j);
          if (q->type == TOK_PUNCT && q->glued
              && (q->ch == '"' || q->ch == 0x201D || q->ch == 0x2019 || q->ch == ')'
                  || q->ch == '\'' || q->ch == '.' || q->ch == 0x00BB))
            j++;
          else
            break;
        }
      if (j >= toks->len)
        break;
      const Tok *n = &g_array_index (toks, Tok, j);
      if (n->glued)
        continue;
      if (n->type == TOK_WORD && !n->cap)
        continue;
      if (t->ch == '.' && i > 0)
        {
          const Tok *w = &g_array_index (toks, Tok, i - 1);
          if (w->type == TOK_WORD && t->glued)
            {
              /* initials ("W. Bush", "U.S.") and abbreviations ("Mr.", "TS.") */
              if (g_utf8_strlen (w->fold, -1) == 1 && w->cap)
                continue;
              if (g_hash_table_contains (c->abbrevs, w->fold))
                continue;
            }
          if (w->type == TOK_NUM && n->type == TOK_NUM)
            continue;
        }
      gsize at = n->start;
      g_array_append_val (out, at);
      i = j - 1;
    }
  tokens_free (toks);
  g_array_append_val (out, len);
  return out;
}

/* ------------------------------------------------------------------ tables */

static const BbDateRules *const all_rules[] = { &bb_date_rules_en, &bb_date_rules_vi, NULL };

const BbDateRules *const *
bb_date_rules_all (void)
{
  return all_rules;
}

const BbDateRules *
bb_date_rules_lookup (const char *lang)
{
  if (lang)
    for (guint i = 0; all_rules[i]; i++)
      {
        gsize n = strlen (all_rules[i]->lang);
        if (!g_ascii_strncasecmp (lang, all_rules[i]->lang, n) && (lang[n] == 0 || lang[n] == '-' || lang[n] == '_'))
          return all_rules[i];
      }
  return &bb_date_rules_en;
}
