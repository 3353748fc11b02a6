/* people.c — the engine behind the attendee tables (see people.h).
 *
 * Three passes over the book:
 *
 *  1. Tokens and name runs.  Each block's plain text becomes word and
 *     punctuation tokens; phrases of the rule tables (titles, affiliation
 *     words, honorifics, words that are never names) cover tokens, longest
 *     match first.  A name run is a maximal run of capitalised tokens left
 *     uncovered.  Runs holding organisation words, or following an article,
 *     are not people.
 *  2. Evidence and attributes.  A run is a person when a title or honorific
 *     stands before it, an appositive with a title follows it, it is the
 *     subject of a reporting verb, it has the shape of a personal name
 *     (family name tables, given names), or the gazetteer knows it.  Title,
 *     affiliation, "former" and participant cues come from the same places.
 *  3. Linking.  Full names make people (hyphen, case and diacritic variants
 *     share one key); short forms ("Trump", "Chairman Kim", "Thủ tướng
 *     Phúc") link to the one person of that family or given name in the same
 *     source, else in the book; when two people share it the short form is
 *     ambiguous and links to no one.  Everything a person's mentions say is
 *     then folded into one row.
 *
 * Passes 1 and 2 read one source at a time into a BbPeoplePart, which
 * depends on that source alone (so a build can keep it across runs, see
 * analysis.h); pass 3 links the parts of every source.
 *
 * Everything is linear in the text, with small fixed windows around each
 * run, so hostile input costs no more than its length.
 */
#include "people.h"
#include "people-rules.h"
#include "source.h"
#include "text.h"
#include <stdlib.h>
#include <string.h>

/* ---- lexicon ------------------------------------------------------------ */

enum {
  CAT_AFFIL = 1 << 0,
  CAT_TITLE = 1 << 1,
  CAT_HONOR = 1 << 2,
  CAT_ORG = 1 << 3,
  CAT_NOTNAME = 1 << 4,
  CAT_TITLEWORD = 1 << 5,
  CAT_HEAD = 1 << 6,
  CAT_COMMENT = 1 << 7,
  CAT_MODIFIER = 1 << 8,
  CAT_FORMER = 1 << 9,
  CAT_REPORT_AFTER = 1 << 10,
  CAT_REPORT_BEFORE = 1 << 11,
  CAT_CUE = 1 << 12,
  CAT_ORGPREP = 1 << 13,
  CAT_EASURNAME = 1 << 14,
  CAT_VISURNAME = 1 << 15,
  CAT_GIVEN = 1 << 16,
  CAT_OPENER = 1 << 17,
  CAT_NEG = 1 << 18,
  CAT_PERSONCUE = 1 << 19,
  CAT_SIDE = 1 << 20,
  CAT_RELATION = 1 << 21,
  CAT_VENUE = 1 << 22,
};

/* Categories that cover tokens (and so break name runs), by priority. */
#define CAT_COVERING (CAT_AFFIL | CAT_TITLE | CAT_HONOR | CAT_ORG | CAT_NOTNAME | CAT_TITLEWORD)

typedef struct {
  char **words;       /* casefolded keys */
  gboolean *exact;    /* word must match its surface exactly (acronyms) */
  char **surface;
  guint n;
  guint cat;
  gconstpointer data; /* BbPeopleTitle* or BbPeopleAffil* */
} Phrase;

typedef struct {
  GHashTable *by_first; /* first key -> GPtrArray of Phrase* */
  GHashTable *known_full; /* name key -> BbPeopleKnown* */
  GHashTable *known_short; /* short key -> BbPeopleKnown* (NULL value: ambiguous) */
} Lexicon;

static char *
word_key_slow (const char *s, gssize len)
{
  g_autofree char *nfc = g_utf8_normalize (s, len, G_NORMALIZE_NFC);
  if (!nfc)
    return g_strndup (s, len < 0 ? strlen (s) : (gsize) len);
  char *k = g_utf8_casefold (nfc, -1);
  /* one apostrophe */
  for (char *p = strstr (k, "\xE2\x80\x99"); p; p = strstr (k, "\xE2\x80\x99"))
    {
      *p = '\'';
      memmove (p + 1, p + 3, strlen (p + 3) + 1);
    }
  return k;
}

static char *
word_key (const char *s, gssize len)
{
  char *ascii = bb_text_ascii_fold (s, len);
  if (ascii)
    return ascii;
  return bb_text_memo_fold (word_key_slow, s, len < 0 ? strlen (s) : (gsize) len);
}

static gboolean
is_acronym (const char *w)
{
  int upper = 0;
  for (const char *p = w; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_islower (c))
        return FALSE;
      if (g_unichar_isupper (c))
        upper++;
    }
  return upper >= 2;
}

static void
lex_add (Lexicon *lx, const char *phrase, guint cat, gconstpointer data)
{
  g_auto (GStrv) parts = g_strsplit (phrase, " ", -1);
  guint n = g_strv_length (parts);
  if (n == 0)
    return;
  Phrase *ph = g_new0 (Phrase, 1);
  ph->n = n;
  ph->words = g_new0 (char *, n + 1);
  ph->surface = g_new0 (char *, n + 1);
  ph->exact = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      ph->words[i] = word_key (parts[i], -1);
      ph->surface[i] = g_strdup (parts[i]);
      ph->exact[i] = is_acronym (parts[i]);
    }
  ph->cat = cat;
  ph->data = data;
  GPtrArray *list = g_hash_table_lookup (lx->by_first, ph->words[0]);
  if (!list)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (lx->by_first, g_strdup (ph->words[0]), list);
    }
  g_ptr_array_add (list, ph);
}

static void
lex_add_list (Lexicon *lx, const char *const *list, guint cat)
{
  for (guint i = 0; list && list[i]; i++)
    lex_add (lx, list[i], cat, NULL);
}

static char *name_key (const char *name);
static char *short_key_of (const char *name);

static const BbPeopleLang *const langs[] = { &bb_people_lang_en, &bb_people_lang_vi };

static const Lexicon *
lexicon_get (void)
{
  static gsize once = 0;
  static Lexicon lx;
  if (g_once_init_enter (&once))
    {
      lx.by_first = g_hash_table_new (g_str_hash, g_str_equal);
      lx.known_full = g_hash_table_new (g_str_hash, g_str_equal);
      lx.known_short = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
        {
          const BbPeopleLang *lang = langs[l];
          for (const BbPeopleTitle *t = lang->titles; t->phrase; t++)
            lex_add (&lx, t->phrase, CAT_TITLE, t);
          for (const BbPeopleAffil *a = lang->affils; a->phrase; a++)
            lex_add (&lx, a->phrase, CAT_AFFIL, a);
          lex_add_list (&lx, lang->title_words, CAT_TITLEWORD);
          lex_add_list (&lx, lang->title_heads, CAT_HEAD);
          lex_add_list (&lx, lang->commentator_heads, CAT_COMMENT);
          lex_add_list (&lx, lang->modifiers, CAT_MODIFIER);
          lex_add_list (&lx, lang->former_words, CAT_FORMER);
          lex_add_list (&lx, lang->honorifics, CAT_HONOR);
          lex_add_list (&lx, lang->report_after, CAT_REPORT_AFTER);
          lex_add_list (&lx, lang->report_before, CAT_REPORT_BEFORE);
          lex_add_list (&lx, lang->participant_cues, CAT_CUE);
          lex_add_list (&lx, lang->org_preps, CAT_ORGPREP);
          lex_add_list (&lx, lang->org_words, CAT_ORG);
          lex_add_list (&lx, lang->not_name, CAT_NOTNAME);
          lex_add_list (&lx, lang->openers, CAT_OPENER);
          lex_add_list (&lx, lang->negations, CAT_NEG);
          lex_add_list (&lx, lang->person_cues, CAT_PERSONCUE);
          lex_add_list (&lx, lang->side_words, CAT_SIDE);
          lex_add_list (&lx, lang->relations, CAT_RELATION);
          lex_add_list (&lx, lang->venues, CAT_VENUE);
        }
      lex_add_list (&lx, bb_people_east_asian_surnames, CAT_EASURNAME);
      lex_add_list (&lx, bb_people_vietnamese_surnames, CAT_VISURNAME);
      lex_add_list (&lx, bb_people_given_names, CAT_GIVEN);
      g_once_init_leave (&once, 1);
    }
  return &lx;
}

/* The gazetteer's keys need the name shapes, so they are built after the
 * lexicon. */
static const Lexicon *
known_get (void)
{
  static gsize once = 0;
  Lexicon *lx = (Lexicon *) lexicon_get ();
  if (g_once_init_enter (&once))
    {
      for (const BbPeopleKnown *k = bb_people_known; k->name; k++)
        {
          g_hash_table_insert (lx->known_full, name_key (k->name), (gpointer) k);
          char *sk = short_key_of (k->name);
          if (g_hash_table_contains (lx->known_short, sk))
            {
              /* two office holders share the word: it names neither */
              g_hash_table_insert (lx->known_short, sk, NULL);
              g_free (sk);
            }
          else
            g_hash_table_insert (lx->known_short, sk, (gpointer) k);
        }
      g_once_init_leave (&once, 1);
    }
  return lx;
}

/* ---- tokens ------------------------------------------------------------- */

typedef struct {
  guint start, end;  /* byte offsets in the block text */
  char *key;         /* casefolded */
  guint8 word, cap, poss, sent_start;
  guint sent;        /* sentence number */
  guint clause;      /* clause number: sentences and semicolons split clauses */
  guint cover;       /* CAT_* of the phrase covering it, 0 if none */
  guint cover_start; /* index of the first token of that phrase */
  guint cover_len;
  const Phrase *phrase;
} Tok;

typedef struct {
  const char *text;
  GArray *toks; /* Tok */
} Block;

static const char *const abbrevs[] = {
  "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col", "sen", "rep",
  "gov", "prof", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
  "oct", "nov", "dec", "no", "vs", "corp", "inc", "co", "capt", "sgt", "maj",
  NULL
};

static gboolean
is_abbrev (const char *s, gsize len)
{
  for (guint i = 0; abbrevs[i]; i++)
    if (strlen (abbrevs[i]) == len && g_ascii_strncasecmp (abbrevs[i], s, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gboolean
is_apos (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

static void
tokenize (Block *b)
{
  const char *s = b->text;
  const char *p = s;
  guint sent = 0, clause = 0;
  gboolean at_start = TRUE;
  b->toks = g_array_new (FALSE, TRUE, sizeof (Tok));
  while (*p)
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      Tok t = { 0 };
      t.start = (guint) (p - s);
      if (is_word_char (c))
        {
          const char *q = p;
          gboolean dots = FALSE;
          while (*q)
            {
              gunichar d = g_utf8_get_char (q);
              const char *nx = g_utf8_next_char (q);
              if (is_word_char (d))
                {
                  q = nx;
                  continue;
                }
              if ((d == '-' || d == '.' || d == 0x2010 || d == 0x2011) && *nx
                  && is_word_char (g_utf8_get_char (nx)))
                {
                  if (d == '.')
                    dots = TRUE;
                  q = nx;
                  continue;
                }
              if (is_apos (d) && *nx && is_word_char (g_utf8_get_char (nx)))
                {
                  /* possessive 's ends the word; other apostrophes join */
                  const char *n2 = g_utf8_next_char (nx);
                  if ((*nx == 's' || *nx == 'S') && !(*n2 && is_word_char (g_utf8_get_char (n2))))
                    {
                      t.poss = 1;
                      t.end = (guint) (q - s);
                      p = n2;
                      goto done;
                    }
                  q = nx;
                  continue;
                }
              break;
            }
          /* plural possessive "Workers' Party": the apostrophe stays */
          if (is_apos (g_utf8_get_char (q)) && q > p && (q[-1] == 's' || q[-1] == 'S'))
            {
              const char *nx = g_utf8_next_char (q);
              if (!*nx || !is_word_char (g_utf8_get_char (nx)))
                q = nx;
            }
          /* absorb a final dot of abbreviations and initials */
          if (*q == '.')
            {
              gsize len = (gsize) (q - p);
              gboolean initial = g_utf8_strlen (p, (gssize) len) == 1
                                 && g_unichar_isupper (g_utf8_get_char (p));
              if (dots || initial || is_abbrev (p, len))
                q++;
            }
          t.end = (guint) (q - s);
          p = q;
        done:
          t.word = 1;
          t.cap = g_unichar_isupper (c) || g_unichar_istitle (c);
        }
      else
        {
          p = g_utf8_next_char (p);
          t.end = (guint) (p - s);
        }
      t.key = word_key (s + t.start, (gssize) (t.end - t.start));
      t.sent = sent;
      t.clause = clause;
      t.sent_start = at_start;
      at_start = FALSE;
      if (!t.word && (c == '.' || c == '!' || c == '?' || c == 0x2026))
        {
          sent++;
          clause++;
          at_start = TRUE;
        }
      else if (!t.word && c == ';')
        clause++;
      g_array_append_val (b->toks, t);
    }
}

#define TOK(b, i) (&g_array_index ((b)->toks, Tok, (i)))
#define NTOK(b) ((b)->toks->len)

static gboolean
tok_matches (const Block *b, guint i, const Phrase *ph, guint w)
{
  const Tok *t = TOK (b, i);
  if (ph->exact[w])
    {
      gsize len = t->end - t->start;
      return strlen (ph->surface[w]) == len && memcmp (b->text + t->start, ph->surface[w], len) == 0;
    }
  return strcmp (t->key, ph->words[w]) == 0;
}

/* Longest phrase of one of cats starting at token i; a possessive may only
 * end a phrase. */
static const Phrase *
match_at (const Block *b, guint i, guint cats)
{
  const Lexicon *lx = lexicon_get ();
  if (i >= NTOK (b))
    return NULL;
  GPtrArray *list = g_hash_table_lookup (lx->by_first, TOK (b, i)->key);
  const Phrase *best = NULL;
  for (guint k = 0; list && k < list->len; k++)
    {
      const Phrase *ph = list->pdata[k];
      if (!(ph->cat & cats) || i + ph->n > NTOK (b))
        continue;
      if (best && ph->n <= best->n)
        continue;
      guint w;
      for (w = 0; w < ph->n; w++)
        if (!tok_matches (b, i + w, ph, w) || (w + 1 < ph->n && TOK (b, i + w)->poss))
          break;
      if (w == ph->n)
        best = ph;
    }
  return best;
}

static gboolean
has_cat (const Block *b, guint i, guint cats)
{
  return match_at (b, i, cats) != NULL;
}

/* Whether one of cats ends exactly at token i (phrases up to 4 words). */
static const Phrase *
match_ending_at (const Block *b, guint i, guint cats)
{
  for (guint len = 1; len <= 4 && len <= i + 1; len++)
    {
      const Phrase *ph = match_at (b, i + 1 - len, cats);
      if (ph && ph->n == len)
        return ph;
    }
  return NULL;
}

static const guint cover_order[] = { CAT_AFFIL, CAT_TITLE, CAT_HONOR, CAT_ORG, CAT_NOTNAME, CAT_TITLEWORD };

static void
cover_tokens (Block *b)
{
  for (guint i = 0; i < NTOK (b);)
    {
      Tok *t = TOK (b, i);
      if (!t->word)
        {
          i++;
          continue;
        }
      const Phrase *best = NULL;
      for (guint k = 0; k < G_N_ELEMENTS (cover_order); k++)
        {
          const Phrase *ph = match_at (b, i, cover_order[k]);
          if (ph && (!best || ph->n > best->n))
            best = ph;
        }
      /* sentence openers count only where a sentence opens */
      gboolean opening = t->sent_start
                         || (i > 0 && TOK (b, i - 1)->sent_start && !TOK (b, i - 1)->word);
      if (!best && opening)
        best = match_at (b, i, CAT_OPENER);
      if (!best)
        {
          i++;
          continue;
        }
      guint cat = (best->cat & CAT_OPENER) ? CAT_NOTNAME : (best->cat & CAT_COVERING);
      for (guint k = 0; k < best->n; k++)
        {
          Tok *u = TOK (b, i + k);
          u->cover = cat;
          u->cover_start = i;
          u->cover_len = best->n;
          u->phrase = best;
        }
      i += best->n;
    }
}

/* ---- names -------------------------------------------------------------- */

/* The key people are merged on: casefolded, without diacritics, dots or
 * apostrophes, hyphens as spaces. */
static char *
name_key (const char *name)
{
  g_autofree char *nfd = g_utf8_normalize (name, -1, G_NORMALIZE_NFD);
  if (!nfd)
    return g_strdup ("");
  g_autofree char *fold = g_utf8_casefold (nfd, -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = fold; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_ismark (c) || c == '.' || is_apos (c))
        continue;
      if (c == 0x0111)
        c = 'd';
      if (g_unichar_isspace (c) || c == '-' || c == 0x2010 || c == 0x2011)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
word_in_cat (const char *word, guint cat)
{
  const Lexicon *lx = lexicon_get ();
  g_autofree char *k = word_key (word, -1);
  GPtrArray *list = g_hash_table_lookup (lx->by_first, k);
  for (guint i = 0; list && i < list->len; i++)
    {
      const Phrase *ph = list->pdata[i];
      if ((ph->cat & cat) && ph->n == 1)
        return TRUE;
    }
  return FALSE;
}

static BbNameShape
name_shape (const char *name)
{
  g_auto (GStrv) w = g_strsplit (name, " ", -1);
  guint n = g_strv_length (w);
  if (n < 2)
    return BB_NAME_WESTERN;
  if (word_in_cat (w[0], CAT_VISURNAME) && !word_in_cat (w[0], CAT_GIVEN))
    return BB_NAME_VIETNAMESE;
  if (word_in_cat (w[0], CAT_EASURNAME) && !word_in_cat (w[0], CAT_GIVEN))
    {
      /* "Kim Jong-un", "Kim Jong Un", "Xi Jinping", "Hwang Jihwan"; a
       * Western name with an Asian-looking first word has an initial or a
       * long given name first ("Lee H. Hamilton"). */
      for (guint i = 1; i < n; i++)
        if (g_str_has_suffix (w[i], "."))
          return BB_NAME_WESTERN;
      return BB_NAME_EAST_ASIAN;
    }
  return BB_NAME_WESTERN;
}

/* The key of the word a person is known by alone. */
static char *
short_key_of (const char *name)
{
  g_autofree char *canon = g_strdup (name);
  g_strstrip (canon);
  g_auto (GStrv) w = g_strsplit (canon, " ", -1);
  guint n = g_strv_length (w);
  if (n == 0)
    return g_strdup ("");
  switch (name_shape (canon))
    {
    case BB_NAME_EAST_ASIAN:
      return name_key (w[0]);
    default:
      return name_key (w[n - 1]);
    }
}

/* ---- mentions ----------------------------------------------------------- */

enum {
  EV_NONE = 0,
  EV_LINK,     /* links to a known person only (e.g. sentence-initial "X said") */
  EV_SHAPE,    /* looks like a personal name */
  EV_STRONG,   /* title, honorific, appositive, reporting verb */
};

enum {
  MF_FORMER = 1 << 0,
  MF_COMMENT = 1 << 1,
  MF_CUE = 1 << 2,
  MF_HONOR = 1 << 3,
  MF_INITIAL = 1 << 4, /* opens a sentence, so capitalised anyway */
  MF_RELATION = 1 << 5, /* named by a relation to someone: "wife of ..." */
};

/* Priority of where an affiliation came from. */
enum { AP_NONE, AP_DELEGATION, AP_IMPLIED, AP_INHERITED, AP_LOOSE, AP_STATED };

typedef struct {
  guint src;        /* source index */
  guint block;      /* block index in the book */
  guint order;      /* position in the book */
  char *name;       /* run surface, words joined by one space */
  guint ntok;
  int evidence;
  char *title;      /* as stated, or NULL */
  char *gloss;      /* English gloss of a table title, or NULL */
  char *affil;      /* plain English, or NULL */
  int affil_prio;
  guint flags;
  guint sent;       /* sentence number in the block */
  gpointer person;  /* Person*, after linking */
} Mention;

typedef struct {
  char *name;       /* a source's base name */
  char *lang;
} SrcInfo;

typedef struct {
  char *anchor;     /* or NULL */
  guint src;
} BlockInfo;

typedef struct {
  char *name;
  char *key;
  char *short_key;
  GHashTable *forms;     /* surface -> count (owned keys, GUINT values) */
  GPtrArray *mentions;   /* Mention*, borrowed */
  GHashTable *in_src;    /* source indexes (GUINT+1) it is mentioned in */
  GHashTable *titles;    /* casefolded titles its mentions state (owned), or NULL */
  const BbPeopleKnown *known;
  /* results */
  char *title, *gloss, *affil;
  gboolean participant, curated, commentator;
  char **sources, **anchors;
  guint first_order;
  /* curated values, override the results when set */
  char *c_title, *c_affil, *c_role;
  char **aliases;
} Person;

struct _BbPeople {
  GPtrArray *srcs;     /* SrcInfo* */
  GPtrArray *blocks;   /* BlockInfo* */
  GPtrArray *mentions; /* Mention* */
  GPtrArray *people;   /* Person*, output order */
};

static void
mention_free (gpointer p)
{
  Mention *m = p;
  g_free (m->name);
  g_free (m->title);
  g_free (m->gloss);
  g_free (m->affil);
  g_free (m);
}

static void
person_free (gpointer p)
{
  Person *x = p;
  g_free (x->name);
  g_free (x->key);
  g_free (x->short_key);
  g_hash_table_unref (x->forms);
  g_ptr_array_unref (x->mentions);
  if (x->in_src)
    g_hash_table_unref (x->in_src);
  if (x->titles)
    g_hash_table_unref (x->titles);
  g_free (x->title);
  g_free (x->gloss);
  g_free (x->affil);
  g_strfreev (x->sources);
  g_strfreev (x->anchors);
  g_free (x->c_title);
  g_free (x->c_affil);
  g_free (x->c_role);
  g_strfreev (x->aliases);
  g_free (x);
}

static void
src_free (gpointer p)
{
  SrcInfo *s = p;
  g_free (s->name);
  g_free (s->lang);
  g_free (s);
}

static void
block_free (gpointer p)
{
  BlockInfo *b = p;
  g_free (b->anchor);
  g_free (b);
}

static BbPeople *
people_new (void)
{
  BbPeople *p = g_new0 (BbPeople, 1);
  p->srcs = g_ptr_array_new_with_free_func (src_free);
  p->blocks = g_ptr_array_new_with_free_func (block_free);
  p->mentions = g_ptr_array_new_with_free_func (mention_free);
  p->people = g_ptr_array_new_with_free_func (person_free);
  return p;
}

void
bb_people_free (BbPeople *p)
{
  if (!p)
    return;
  g_ptr_array_unref (p->people);
  g_ptr_array_unref (p->mentions);
  g_ptr_array_unref (p->blocks);
  g_ptr_array_unref (p->srcs);
  g_free (p);
}

guint
bb_people_len (const BbPeople *p)
{
  return p ? p->people->len : 0;
}

/* ---- pass 2: evidence and attributes ------------------------------------ */

static gboolean
tok_is (const Block *b, guint i, const char *key)
{
  return i < NTOK (b) && strcmp (TOK (b, i)->key, key) == 0;
}

static gboolean
tok_punct (const Block *b, guint i, const char *chars)
{
  if (i >= NTOK (b))
    return FALSE;
  const Tok *t = TOK (b, i);
  if (t->word)
    return FALSE;
  gunichar c = g_utf8_get_char (b->text + t->start);
  return g_utf8_strchr (chars, -1, c) != NULL;
}

static char *
span_text (const Block *b, guint from, guint to /* exclusive */)
{
  if (from >= to)
    return NULL;
  const Tok *a = TOK (b, from), *z = TOK (b, to - 1);
  g_autofree char *raw = g_strndup (b->text + a->start, z->end - a->start);
  /* collapse whitespace */
  GString *out = g_string_new (NULL);
  gboolean sp = FALSE;
  for (const char *p = raw; *p; p++)
    {
      if (g_ascii_isspace (*p))
        sp = TRUE;
      else
        {
          if (sp && out->len)
            g_string_append_c (out, ' ');
          sp = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* Name words: the run surface joined by single spaces, possessive dropped. */
static char *
run_name (const Block *b, guint from, guint to)
{
  GString *out = g_string_new (NULL);
  for (guint i = from; i < to; i++)
    {
      const Tok *t = TOK (b, i);
      if (out->len)
        g_string_append_c (out, ' ');
      g_string_append_len (out, b->text + t->start, t->end - t->start);
    }
  return g_string_free (out, FALSE);
}

/* A title the parse found: token span, affiliation and flags. */
typedef struct {
  guint t0, t1;          /* title tokens [t0, t1) or t0 == t1 */
  const BbPeopleAffil *affil;
  char *org;             /* appositive organisation, owned */
  gboolean honor, former, comment, has_head, relation;
  const BbPeopleTitle *table_title;
} TitleParse;

static gboolean
tok_title_part (const Block *b, guint i)
{
  const Tok *t = TOK (b, i);
  if (!t->word)
    return FALSE;
  if (t->cover & (CAT_TITLE | CAT_TITLEWORD))
    return TRUE;
  return has_cat (b, i, CAT_MODIFIER | CAT_FORMER | CAT_TITLEWORD | CAT_HEAD);
}

/* Scans title tokens [t0,t1) for heads, commentator words, former words. */
static void
title_scan (const Block *b, TitleParse *tp)
{
  for (guint i = tp->t0; i < tp->t1; i++)
    {
      const Tok *t = TOK (b, i);
      const BbPeopleTitle *tt = (t->cover & CAT_TITLE) ? t->phrase->data : NULL;
      if (tt && !(tt->gloss && !*tt->gloss))
        {
          tp->has_head = TRUE;
          tp->table_title = tt;
          if (t->phrase->words[0] && match_at (b, t->cover_start, CAT_COMMENT))
            tp->comment = TRUE;
        }
      if (has_cat (b, i, CAT_HEAD))
        tp->has_head = TRUE;
      if (has_cat (b, i, CAT_COMMENT))
        tp->comment = TRUE;
      if (has_cat (b, i, CAT_FORMER))
        tp->former = TRUE;
    }
}

/* Whether a title head stands in [from, to). */
static gboolean tp_has_head_before (const Block *b, guint from, guint to);

/* Title before a name: walks back from `end` (exclusive) over title words,
 * affiliation words, honorifics and connectors.  Returns the first token. */
static guint
prefix_parse (const Block *b, guint end, guint floor, TitleParse *tp)
{
  guint j = end;
  guint limit = end > 14 ? end - 14 : 0;
  if (limit < floor)
    limit = floor;
  while (j > limit)
    {
      guint i = j - 1;
      const Tok *t = TOK (b, i);
      if (!t->word)
        break;
      if (t->poss && !(t->cover & CAT_AFFIL))
        break;
      if (t->cover & (CAT_AFFIL | CAT_HONOR | CAT_TITLE))
        {
          j = t->cover_start < limit ? limit : t->cover_start;
          if (t->cover_start < limit)
            break;
          continue;
        }
      if (tok_title_part (b, i))
        {
          j = i;
          continue;
        }
      /* a body between an office and the name: "National Intelligence
       * Service chief", "Ban Chấp hành Trung ương Đảng" */
      if ((t->cover & CAT_ORG) && j < end
          && (tok_title_part (b, j) || (TOK (b, j)->cover & (CAT_AFFIL | CAT_ORG))))
        {
          j = t->cover_start < limit ? limit : t->cover_start;
          if (t->cover_start < limit)
            break;
          continue;
        }
      /* connectors inside a title: "Secretary of State", "Expert on Korea" */
      gboolean posting = (tok_is (b, i, "to") || tok_is (b, i, "tại"))
                         && ((TOK (b, j)->cover & CAT_AFFIL)
                             || (tok_is (b, j, "the") && j + 1 < end && (TOK (b, j + 1)->cover & CAT_AFFIL)));
      if ((tok_is (b, i, "of") || tok_is (b, i, "for") || tok_is (b, i, "on")
           || tok_is (b, i, "the") || posting)
          && j < end && i > limit && (TOK (b, i - 1)->cap || tok_title_part (b, i - 1)))
        {
          j = i;
          continue;
        }
      break;
    }
  /* "phu nhân Tổng thống Moon": the relation belongs to someone before */
  for (guint i = j; i < end; i++)
    {
      const Phrase *rel = match_at (b, i, CAT_RELATION);
      if (rel && i + rel->n < end && tp_has_head_before (b, i + rel->n, end))
        j = i + rel->n;
    }
  /* trim leading connectors */
  while (j < end && (tok_is (b, j, "of") || tok_is (b, j, "for") || tok_is (b, j, "on")
                     || tok_is (b, j, "the")))
    j++;
  guint start = j;
  /* peel affiliations at both ends and honorifics */
  guint a = start, z = end;
  while (a < z)
    {
      const Tok *t = TOK (b, a);
      if (t->cover & CAT_HONOR)
        {
          tp->honor = TRUE;
          a += t->cover_len;
        }
      else if ((t->cover & CAT_AFFIL) && t->cover_start == a)
        {
          const BbPeopleAffil *af = t->phrase->data;
          if (!tp->affil)
            tp->affil = af;
          if (af->kind == BB_AFFIL_ORG)
            break;
          a += t->cover_len;
        }
      else
        break;
    }
  while (z > a)
    {
      const Tok *t = TOK (b, z - 1);
      if (t->cover & CAT_HONOR)
        {
          tp->honor = TRUE;
          z = t->cover_start;
        }
      else if ((t->cover & CAT_AFFIL) && t->cover_start > a
               && !(tok_is (b, t->cover_start - 1, "of") || tok_is (b, t->cover_start - 1, "for")
                    || tok_is (b, t->cover_start - 1, "on") || tok_is (b, t->cover_start - 1, "the")
                    || tok_is (b, t->cover_start - 1, "to") || tok_is (b, t->cover_start - 1, "tại")
                    || tok_is (b, t->cover_start - 1, "in")))
        {
          const BbPeopleAffil *af = t->phrase->data;
          if (!tp->affil || tp->affil->kind == BB_AFFIL_ORG)
            tp->affil = af;
          if (af->kind == BB_AFFIL_ORG)
            break;
          z = t->cover_start;
        }
      else
        break;
    }
  /* "Former Australian Prime Minister", "Đại sứ Hoa Kỳ tại Việt Nam": a
   * state inside the title, unless it is the field or the posting ("Expert
   * on North Korea", "Ambassador to the Philippines") */
  for (guint i = a; i < z && !tp->affil; i++)
    {
      const Tok *t = TOK (b, i);
      if ((t->cover & CAT_AFFIL) && t->cover_start == i
          && ((const BbPeopleAffil *) t->phrase->data)->kind == BB_AFFIL_COUNTRY
          && !(i > 0 && (tok_is (b, i - 1, "of") || tok_is (b, i - 1, "for") || tok_is (b, i - 1, "on")
                         || tok_is (b, i - 1, "the") || tok_is (b, i - 1, "to") || tok_is (b, i - 1, "tại")
                         || tok_is (b, i - 1, "in"))))
        tp->affil = t->phrase->data;
    }
  tp->t0 = a;
  tp->t1 = z;
  title_scan (b, tp);
  /* an ORG affiliation inside the title ("White House Press Secretary")
   * still names the state */
  for (guint i = a; i < z && !tp->affil; i++)
    if ((TOK (b, i)->cover & CAT_AFFIL) && ((const BbPeopleAffil *) TOK (b, i)->phrase->data)->kind == BB_AFFIL_ORG)
      tp->affil = TOK (b, i)->phrase->data;
  return start;
}

static gboolean
seg_end (const Block *b, guint i)
{
  return i >= NTOK (b) || tok_punct (b, i, ",;:.!?()[]\"“”") || TOK (b, i)->sent_start;
}

/* An organisation after "at"/"in": [the] Capitalised words joined by
 * of/for/and/the.  Returns the end token; *out gets the text. */
static guint
org_parse (const Block *b, guint i, char **out, gboolean *is_country, const BbPeopleAffil **country)
{
  guint s = i;
  if (tok_is (b, s, "the"))
    s++;
  guint j = s;
  /* "Viện Nghiên cứu Đông Bắc Á": a name opened by an organisation word
   * may go on in lower case */
  gboolean lower_ok = s < NTOK (b) && (TOK (b, s)->cover & CAT_ORG) && TOK (b, s)->cap;
  while (j < NTOK (b) && TOK (b, j)->word)
    {
      const Tok *t = TOK (b, j);
      /* "38 North": a figure opening a name */
      gboolean figure = j == s && g_ascii_isdigit (b->text[t->start]) && j + 1 < NTOK (b)
                        && TOK (b, j + 1)->cap && TOK (b, j + 1)->word;
      if (t->cap || (t->cover & CAT_ORG) || figure)
        {
          j++;
          if (t->poss)
            break;
          continue;
        }
      if (lower_ok && j > s && j - s < 10 && !has_cat (b, j, CAT_ORGPREP | CAT_REPORT_AFTER | CAT_NEG | CAT_CUE)
          && !tok_is (b, j, "and") && !tok_is (b, j, "và"))
        {
          j++;
          continue;
        }
      if ((tok_is (b, j, "of") || tok_is (b, j, "for") || tok_is (b, j, "and") || tok_is (b, j, "the")
           || tok_is (b, j, "on"))
          && j + 1 < NTOK (b) && (TOK (b, j + 1)->cap || tok_is (b, j + 1, "the")) && j > s)
        {
          j++;
          continue;
        }
      break;
    }
  /* drop trailing connectors */
  while (j > s && (tok_is (b, j - 1, "of") || tok_is (b, j - 1, "for") || tok_is (b, j - 1, "and")
                   || tok_is (b, j - 1, "the") || tok_is (b, j - 1, "on") || tok_is (b, j - 1, "và")
                   || (!lower_ok && !TOK (b, j - 1)->cap)))
    j--;
  if (j == s)
    return i;
  *is_country = FALSE;
  *country = NULL;
  const Tok *t0 = TOK (b, s);
  if ((t0->cover & CAT_AFFIL) && t0->cover_start == s && s + t0->cover_len == j)
    {
      *is_country = TRUE;
      *country = t0->phrase->data;
    }
  /* keep a leading "The" that is part of a proper name ("The Korea Times") */
  *out = span_text (b, i < s && TOK (b, i)->cap ? i : s, j);
  return j;
}

/* Organisations whose people comment on a meeting rather than attend it:
 * universities, institutes, think tanks, newspapers. */
static gboolean
institution_like (const char *org)
{
  static const char *const words[] = {
    "University", "Institute", "College", "Center", "Centre", "Foundation",
    "School", "Academy", "Times", "Post", "News", "Herald", "Journal",
    "Ilbo", "Daily", "Review", "Magazine", "Đại học", "Viện", "Học viện",
    "Trung tâm", "Báo", "Tạp chí", NULL
  };
  for (guint i = 0; words[i]; i++)
    if (strstr (org, words[i]))
      return TRUE;
  return FALSE;
}

static gboolean
tp_has_head_before (const Block *b, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    if (((TOK (b, i)->cover & CAT_TITLE) && !(((const BbPeopleTitle *) TOK (b, i)->phrase->data)->gloss
                                               && !*((const BbPeopleTitle *) TOK (b, i)->phrase->data)->gloss))
        || has_cat (b, i, CAT_HEAD))
      return TRUE;
  return FALSE;
}

/* Appositive after a name: ", [a|the] [Country's] title [for Country]
 * [at Org] [in Place] [until ...]," */
static gboolean
appositive_parse (const Block *b, guint i, TitleParse *tp)
{
  guint end = i;
  while (end < NTOK (b) && end - i < 40 && !seg_end (b, end))
    end++;
  guint j = i;
  /* "A, and B": a list, not an apposition */
  if (tok_is (b, j, "and") || tok_is (b, j, "or") || tok_is (b, j, "và"))
    return FALSE;
  if (tok_is (b, j, "a") || tok_is (b, j, "an") || tok_is (b, j, "the"))
    j++;
  /* leading state: "North Korea's", "American", "Mỹ", "the State
   * Department's" */
  while (j < end && (TOK (b, j)->cover & CAT_AFFIL) && TOK (b, j)->cover_start == j)
    {
      const Tok *t = TOK (b, j);
      const BbPeopleAffil *af = t->phrase->data;
      if (af->kind == BB_AFFIL_ORG)
        {
          if (!tp->affil && TOK (b, j + t->cover_len - 1)->poss)
            tp->affil = af;
          break;
        }
      if (!tp->affil)
        tp->affil = af;
      j += t->cover_len;
    }
  /* "Moon's chief of staff": the possessor is someone else, whose side
   * the person is on */
  gboolean possessor = FALSE;
  {
    guint k = j;
    while (k < end && k - j < 4 && TOK (b, k)->word && TOK (b, k)->cap && !(TOK (b, k)->cover & CAT_AFFIL))
      {
        if (TOK (b, k)->poss)
          {
            j = k + 1;
            possessor = TRUE;
            break;
          }
        k++;
      }
  }
  guint t0 = j;
  guint t1 = j;
  gboolean relation = FALSE;
  for (guint k = j; k < end && k < j + 4 && !relation; k++)
    relation = has_cat (b, k, CAT_RELATION);
  tp->relation = relation || possessor;
  gboolean in_org = FALSE;
  const char *best_org = NULL;
  g_autofree char *org_keep = NULL;
  gboolean best_has_word = FALSE;
  const BbPeopleAffil *org_country = NULL;
  while (j < end)
    {
      const Tok *t = TOK (b, j);
      if (has_cat (b, j, CAT_REPORT_AFTER) && j > t0)
        break;
      if (tok_is (b, j, "until") || tok_is (b, j, "former") || tok_is (b, j, "cựu"))
        {
          tp->former = TRUE;
          if (tok_is (b, j, "until"))
            break;
        }
      if (tok_is (b, j, "who") || tok_is (b, j, "which") || tok_is (b, j, "when")
          || tok_is (b, j, "since") || (tok_is (b, j, "and") && in_org))
        break;
      /* "for North Korea" at the end of a title names the state */
      if (tok_is (b, j, "for") && j + 1 < end && (TOK (b, j + 1)->cover & CAT_AFFIL)
          && TOK (b, j + 1)->cover_start == j + 1)
        {
          const Tok *c = TOK (b, j + 1);
          guint after = j + 1 + c->cover_len;
          if (after >= end || has_cat (b, after, CAT_ORGPREP) || tok_punct (b, after, ",;.)"))
            {
              if (!tp->affil)
                tp->affil = c->phrase->data;
              j = after;
              in_org = TRUE;
              continue;
            }
        }
      /* "Secretary of State of China": an "of" inside a known title, or
       * between two title words that name no body, belongs to the title;
       * only a later "of" can name where the person works */
      if (!in_org && tok_is (b, j, "of") && j > t0 && j + 1 < end
          && (((t->cover & CAT_TITLE) && t->cover_start < j && t->cover_start + t->cover_len > j + 1)
              || (tok_title_part (b, j - 1) && tok_title_part (b, j + 1)
                  && !(TOK (b, j + 1)->cover & (CAT_ORG | CAT_AFFIL)))))
        {
          t1 = j + 1;
          j++;
          continue;
        }
      if ((tok_is (b, j, "at") || tok_is (b, j, "in") || tok_is (b, j, "with") || tok_is (b, j, "from")
           || tok_is (b, j, "of") || tok_is (b, j, "tại") || tok_is (b, j, "của") || tok_is (b, j, "thuộc"))
          && j + 1 < end)
        {
          char *org = NULL;
          gboolean is_country = FALSE;
          const BbPeopleAffil *country = NULL;
          guint k = org_parse (b, j + 1, &org, &is_country, &country);
          if (k > j + 1 && org)
            {
              /* "of" joins a title to its field unless an organisation follows */
              gboolean orgish = is_country, has_word = FALSE, proper = FALSE;
              for (guint q = j + 1; q < k; q++)
                {
                  if (TOK (b, q)->cover & CAT_ORG)
                    orgish = has_word = TRUE;
                  else if (TOK (b, q)->word && !(TOK (b, q)->cover & (CAT_TITLE | CAT_TITLEWORD))
                           && !has_cat (b, q, CAT_HEAD) && !tok_is (b, q, "the") && !tok_is (b, q, "of")
                           && !tok_is (b, q, "and") && !tok_is (b, q, "for"))
                    proper = TRUE;
                }
              if (tok_is (b, j, "of") && !orgish)
                {
                  /* "managing editor of 38 North": the title stays whole and
                   * a proper name after "of" is where the person works */
                  if (proper && !in_org && !best_org)
                    {
                      g_free (org_keep);
                      org_keep = org;
                      best_org = org_keep;
                    }
                  else
                    g_free (org);
                  if (!in_org)
                    t1 = k;
                  j = k;
                  continue;
                }
              if (is_country)
                {
                  if (!org_country)
                    org_country = country;
                  g_free (org);
                }
              else if (has_word || !best_has_word)
                {
                  /* the last organisation named, an institution before a
                   * bare place ("at the X Center in Washington") */
                  g_free (org_keep);
                  org_keep = org;
                  best_org = org_keep;
                  best_has_word = has_word;
                }
              else
                g_free (org);
              in_org = TRUE;
              j = k;
              continue;
            }
          g_free (org);
          if (in_org)
            break;
        }
      if (!in_org && !best_org && (t->cover & CAT_ORG) && t->cover_start == j && j > t0
          && tp_has_head_before (b, t0, j))
        {
          char *org = NULL;
          gboolean is_country = FALSE;
          const BbPeopleAffil *country = NULL;
          guint k = org_parse (b, j, &org, &is_country, &country);
          if (k > j && org && !is_country)
            {
              org_keep = org;
              best_org = org_keep;
              best_has_word = TRUE;
              t1 = k;
              j = k;
              continue;
            }
          g_free (org);
        }
      if (!in_org)
        {
          if (t->cap && !(t->cover & (CAT_TITLE | CAT_TITLEWORD | CAT_AFFIL | CAT_ORG))
              && !has_cat (b, j, CAT_HEAD | CAT_COMMENT | CAT_MODIFIER))
            {
              /* a capitalised word that is no title word: a name, so this is
               * no appositive ("Trump, Kim Jong Un and ...") unless it is a
               * capitalised field in a title ("Chair of Asian Studies") */
              if (j == t0)
                return FALSE;
              /* "Vice Chairman Kim Yong-chol": a title before another
               * name that ends the segment, so the next person of a list,
               * not an apposition ("a former CIA analyst" is one) */
              guint k = j;
              while (k < end && TOK (b, k)->word && TOK (b, k)->cap)
                k++;
              if (j > t0 && !relation && (TOK (b, j - 1)->cover & (CAT_TITLE | CAT_TITLEWORD))
                  && !(TOK (b, j - 1)->cover & CAT_ORG)
                  && (k >= end || tok_is (b, k, "and") || tok_is (b, k, "và")))
                return FALSE;
            }
          t1 = j + 1;
        }
      j++;
    }
  tp->t0 = t0;
  tp->t1 = t1;
  title_scan (b, tp);
  if (!tp->has_head)
    return FALSE;
  /* trailing affiliation in a Vietnamese title: "Ngoại trưởng Mỹ", but
   * not "ambassador to the Philippines" */
  while (tp->t1 > tp->t0 && (TOK (b, tp->t1 - 1)->cover & CAT_AFFIL)
         && ((const BbPeopleAffil *) TOK (b, tp->t1 - 1)->phrase->data)->kind == BB_AFFIL_COUNTRY
         && TOK (b, tp->t1 - 1)->cover_start > tp->t0
         && !tok_is (b, TOK (b, tp->t1 - 1)->cover_start - 1, "to")
         && !tok_is (b, TOK (b, tp->t1 - 1)->cover_start - 1, "the")
         && !tok_is (b, TOK (b, tp->t1 - 1)->cover_start - 1, "of")
         && !tok_is (b, TOK (b, tp->t1 - 1)->cover_start - 1, "on")
         && !tok_is (b, TOK (b, tp->t1 - 1)->cover_start - 1, "in"))
    {
      const Tok *t = TOK (b, tp->t1 - 1);
      if (!tp->affil)
        tp->affil = t->phrase->data;
      tp->t1 = t->cover_start;
    }
  while (tp->t1 > tp->t0 && !TOK (b, tp->t1 - 1)->word)
    tp->t1--;
  if (best_org)
    {
      tp->org = g_strdup (best_org);
      if (institution_like (best_org))
        tp->comment = TRUE;
    }
  else if (org_country && !tp->affil)
    tp->affil = org_country;
  return TRUE;
}

static void
title_to_mention (const Block *b, const TitleParse *tp, Mention *m, int prio)
{
  if (tp->t1 > tp->t0 && tp->has_head && !m->title)
    {
      m->title = span_text (b, tp->t0, tp->t1);
      if (tp->table_title && tp->table_title->gloss)
        {
          g_free (m->gloss);
          m->gloss = g_strdup_printf ("%s%s", tp->former ? "former " : "", tp->table_title->gloss);
        }
    }
  if (tp->org && (!m->affil || m->affil_prio < AP_STATED || tp->comment))
    {
      g_free (m->affil);
      m->affil = g_strdup (tp->org);
      m->affil_prio = AP_STATED;
    }
  else if (tp->affil && (!m->affil || m->affil_prio < prio))
    {
      g_free (m->affil);
      m->affil = g_strdup (tp->affil->plain);
      m->affil_prio = prio;
    }
  else if (!m->affil && tp->table_title && tp->table_title->implies)
    {
      m->affil = g_strdup (tp->table_title->implies);
      m->affil_prio = AP_IMPLIED;
    }
  if (tp->honor)
    m->flags |= MF_HONOR;
  if (tp->relation)
    m->flags |= MF_RELATION;
  if (tp->former)
    m->flags |= MF_FORMER;
  if (tp->comment)
    m->flags |= MF_COMMENT;
}

static gboolean
run_token_ok (const Block *b, guint i)
{
  const Tok *t = TOK (b, i);
  if (!t->word || !t->cap)
    return FALSE;
  if (t->cover & (CAT_AFFIL | CAT_TITLE | CAT_HONOR | CAT_TITLEWORD))
    return FALSE;
  /* digits are no names */
  for (guint k = t->start; k < t->end; k++)
    if (g_ascii_isdigit (b->text[k]))
      return FALSE;
  return TRUE;
}

static gboolean
is_particle (const Block *b, guint i)
{
  static const char *const parts[] = { "van", "von", "de", "der", "da", "di", "del", "bin", "al", "le", "la", "dos", NULL };
  if (i >= NTOK (b) || !TOK (b, i)->word || TOK (b, i)->cap)
    return FALSE;
  for (guint k = 0; parts[k]; k++)
    if (tok_is (b, i, parts[k]))
      return TRUE;
  return FALSE;
}

/* Finds the mentions of one block (pass 1 and 2). */
static void
block_mentions (GPtrArray *mentions, guint bi, const Block *b, guint src, guint *order)
{
  guint n = NTOK (b);
  /* sentences with participant cues */
  GArray *cue = g_array_new (FALSE, TRUE, sizeof (gboolean));
  for (guint i = 0; i < n; i++)
    {
      guint s = TOK (b, i)->sent;
      if (cue->len <= s)
        g_array_set_size (cue, s + 1);
      const Phrase *cp = TOK (b, i)->word ? match_at (b, i, CAT_CUE | CAT_PERSONCUE) : NULL;
      if (cp && !(i >= 1 && match_ending_at (b, i - 1, CAT_NEG))
          && !(i >= 2 && match_ending_at (b, i - 2, CAT_NEG)))
        {
          /* "welcomed Kim", not "welcomed the decision" */
          guint nx = i + cp->n;
          if (!(cp->cat & CAT_PERSONCUE)
              || (nx < n && (TOK (b, nx)->cap || tok_title_part (b, nx) || tok_is (b, nx, "him")
                             || tok_is (b, nx, "her") || tok_is (b, nx, "them"))))
            g_array_index (cue, gboolean, s) = TRUE;
        }
    }
  /* a meeting in another year ("met Kim Jong Il in Pyongyang in 2000") is
   * history, not the meeting briefed */
  for (guint i = 1; i < n; i++)
    {
      const Tok *t = TOK (b, i);
      if (!t->word || t->end - t->start != 4 || !g_ascii_isdigit (b->text[t->start]))
        continue;
      int year = atoi (b->text + t->start);
      if (year >= 1900 && year <= 2099
          && (tok_is (b, i - 1, "in") || tok_is (b, i - 1, "năm") || tok_is (b, i - 1, "since")
              || tok_is (b, i - 1, "từ")))
        if (t->sent < cue->len)
          g_array_index (cue, gboolean, t->sent) = FALSE;
    }

  /* sentences naming one delegation: "the U.S. delegation", "delegation
   * of South Korea", "phái đoàn Mỹ" */
  GPtrArray *deleg = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const Phrase *sw = TOK (b, i)->word ? match_at (b, i, CAT_SIDE) : NULL;
      if (!sw)
        continue;
      const BbPeopleAffil *af = NULL;
      guint k = i + sw->n;
      if (tok_is (b, k, "of") || tok_is (b, k, "from"))
        k++;
      if (k < n && tok_is (b, k, "the"))
        k++;
      if (k < n && (TOK (b, k)->cover & CAT_AFFIL) && TOK (b, k)->cover_start == k)
        af = TOK (b, k)->phrase->data;
      else if (i > 0 && (TOK (b, i - 1)->cover & CAT_AFFIL))
        af = TOK (b, i - 1)->phrase->data;
      if (!af)
        continue;
      guint s = TOK (b, i)->clause;
      while (deleg->len <= s)
        g_ptr_array_add (deleg, NULL);
      if (deleg->pdata[s] && deleg->pdata[s] != af
          && strcmp (((const BbPeopleAffil *) deleg->pdata[s])->plain, af->plain) != 0)
        deleg->pdata[s] = (gpointer) &deleg; /* two delegations: neither */
      else
        deleg->pdata[s] = (gpointer) af;
    }

  Mention *prev = NULL;
  guint prev_end = 0;
  for (guint i = 0; i < n;)
    {
      if (!run_token_ok (b, i))
        {
          i++;
          continue;
        }
      guint r0 = i, r1 = i;
      while (r1 < n && r1 - r0 < 8)
        {
          if (run_token_ok (b, r1) || (TOK (b, r1)->cover & (CAT_ORG | CAT_NOTNAME) && TOK (b, r1)->cap))
            {
              r1++;
              if (TOK (b, r1 - 1)->poss)
                break;
              continue;
            }
          if (r1 > r0 && is_particle (b, r1) && r1 + 1 < n && run_token_ok (b, r1 + 1))
            {
              r1++;
              continue;
            }
          break;
        }
      if (r1 == r0)
        r1 = r0 + 1;
      i = r1;
      /* leading sentence openers and the like */
      gboolean article = r0 > 0 && (tok_is (b, r0 - 1, "the") || tok_is (b, r0 - 1, "a")
                                    || tok_is (b, r0 - 1, "an"));
      while (r0 < r1 && (TOK (b, r0)->cover & CAT_NOTNAME))
        {
          if (tok_is (b, r0, "the") || tok_is (b, r0, "a") || tok_is (b, r0, "an"))
            article = TRUE;
          r0 = TOK (b, r0)->cover_start + TOK (b, r0)->cover_len > r0 + 1
                 ? TOK (b, r0)->cover_start + TOK (b, r0)->cover_len : r0 + 1;
        }
      if (r0 >= r1)
        continue;
      gboolean poisoned = article || r1 - r0 > 5;
      /* "Đại học Kinh tế Quốc dân": one capitalised syllable between a body
       * or portfolio and lower case is the rest of that name */
      if (r1 - r0 == 1 && r0 > 0 && r1 < n && TOK (b, r1)->word && !TOK (b, r1)->cap
          && ((TOK (b, r0 - 1)->cover & CAT_ORG)
              || ((TOK (b, r0 - 1)->cover & CAT_TITLE)
                  && ((const BbPeopleTitle *) TOK (b, r0 - 1)->phrase->data)->gloss
                  && !*((const BbPeopleTitle *) TOK (b, r0 - 1)->phrase->data)->gloss)))
        poisoned = TRUE;
      for (guint k = r0; k < r1 && !poisoned; k++)
        if (TOK (b, k)->cover & (CAT_ORG | CAT_NOTNAME))
          poisoned = TRUE;
      /* "Trump–Kim summit": joined by a dash to another name */
      if (!poisoned && ((r1 < n && tok_punct (b, r1, "–—/") ) || (r0 > 0 && tok_punct (b, r0 - 1, "–—/"))))
        poisoned = (r1 < n && tok_punct (b, r1, "–—/")) ? TRUE : FALSE;
      if (poisoned)
        {
          prev = NULL;
          continue;
        }

      Mention *m = g_new0 (Mention, 1);
      m->src = src;
      m->block = bi;
      m->order = (*order)++;
      m->name = run_name (b, r0, r1);
      m->ntok = r1 - r0;
      gboolean sent_initial = TOK (b, r0)->sent_start
                              || (r0 > 0 && TOK (b, r0 - 1)->sent_start && !TOK (b, r0 - 1)->word);
      guint sent = TOK (b, r0)->sent;
      m->sent = sent;
      if (sent_initial)
        m->flags |= MF_INITIAL;

      /* A. title or honorific before */
      TitleParse tp = { 0 };
      guint floor = 0;
      guint p0 = prefix_parse (b, r0, floor, &tp);
      gboolean pre_title = tp.has_head && tp.t1 > tp.t0;
      if (pre_title || tp.honor)
        {
          m->evidence = EV_STRONG;
          title_to_mention (b, &tp, m, AP_STATED);
        }
      else if (tp.affil && p0 < r0)
        {
          /* "North Korea's Kim Jong Un": a state without a title */
          m->affil = g_strdup (tp.affil->plain);
          m->affil_prio = AP_LOOSE;
        }
      g_free (tp.org);
      /* list of titled people: "U.S. Secretary of State A and acting Chief
       * of Staff B" — B shares A's state */
      if (pre_title && prev && prev->affil && (!m->affil) && p0 > 0
          && (prev_end == p0 - 1 || prev_end == p0 - 2)
          && (tok_is (b, p0 - 1, "and") || tok_is (b, p0 - 1, "và") || tok_punct (b, p0 - 1, ",")))
        {
          m->affil = g_strdup (prev->affil);
          m->affil_prio = AP_INHERITED;
        }
      /* reversed appositive: "U.S. Senior Expert on North Korea, Frank Aum," */
      if (!pre_title && r0 >= 2 && tok_punct (b, r0 - 1, ",") && r1 < n && tok_punct (b, r1, ","))
        {
          TitleParse rp = { 0 };
          guint q0 = prefix_parse (b, r0 - 1, 0, &rp);
          if (rp.has_head && rp.t1 > rp.t0 && (q0 == 0 || TOK (b, q0)->sent_start || !TOK (b, q0 - 1)->word))
            {
              m->evidence = EV_STRONG;
              title_to_mention (b, &rp, m, AP_STATED);
            }
          g_free (rp.org);
        }
      /* B. appositive after */
      if (r1 + 1 < n && tok_punct (b, r1, ",(") && !TOK (b, r1 - 1)->poss)
        {
          TitleParse ap = { 0 };
          if (appositive_parse (b, r1 + 1, &ap))
            {
              m->evidence = EV_STRONG;
              if (m->title)
                {
                  /* keep the longer statement of the title */
                  g_autofree char *t2 = span_text (b, ap.t0, ap.t1);
                  if (t2 && strlen (t2) > strlen (m->title))
                    {
                      g_free (m->title);
                      m->title = NULL;
                    }
                }
              title_to_mention (b, &ap, m, AP_STATED);
            }
          g_free (ap.org);
        }
      /* "Victor Cha of the Center for ...", "Choe Son-hui of North Korea" */
      if (r1 + 1 < n && (tok_is (b, r1, "of") || tok_is (b, r1, "at") || tok_is (b, r1, "from")
                         || tok_is (b, r1, "thuộc")) && m->affil_prio < AP_STATED)
        {
          char *org = NULL;
          gboolean is_country = FALSE;
          const BbPeopleAffil *country = NULL;
          guint k = org_parse (b, r1 + 1, &org, &is_country, &country);
          gboolean orgish = FALSE, venue = FALSE;
          for (guint q = r1 + 1; q < k; q++)
            {
              if (TOK (b, q)->cover & CAT_ORG)
                orgish = TRUE;
              if (has_cat (b, q, CAT_VENUE))
                venue = TRUE;
            }
          if (venue)
            orgish = is_country = FALSE;
          if (k > r1 + 1 && (is_country || orgish))
            {
              g_free (m->affil);
              m->affil = g_strdup (is_country ? country->plain : org);
              m->affil_prio = AP_STATED;
              if (!is_country && institution_like (org))
                m->flags |= MF_COMMENT;
            }
          g_free (org);
        }
      /* C. reporting verbs */
      gboolean reports = FALSE;
      if (r1 < n && has_cat (b, r1, CAT_REPORT_AFTER))
        reports = TRUE;
      const Phrase *rb = r0 > 0 ? match_ending_at (b, r0 - 1, CAT_REPORT_BEFORE) : NULL;
      if (rb)
        {
          guint before = r0 - rb->n;
          /* "according to X", "theo X" always; "..., said X" only after a
           * comma or a quote ("he said Kim ..." is no source of speech) */
          if (rb->n > 1 || strcmp (rb->words[0], "theo") == 0 || before == 0
              || tok_punct (b, before - 1, ",\"”'’"))
            reports = TRUE;
        }
      if (reports && m->evidence < EV_STRONG)
        {
          if (m->ntok == 1 && sent_initial)
            m->evidence = EV_LINK;
          else
            m->evidence = EV_STRONG;
        }
      /* D. name shape */
      if (m->evidence < EV_SHAPE && m->ntok >= 2)
        {
          gboolean shape = FALSE;
          if (has_cat (b, r0, CAT_GIVEN))
            shape = TRUE;
          else if (has_cat (b, r0, CAT_EASURNAME)
                   && (m->ntok >= 3 || strchr (b->text + TOK (b, r0 + 1)->start, '-') < b->text + TOK (b, r0 + 1)->end))
            shape = TRUE;
          else if (has_cat (b, r0, CAT_VISURNAME) && m->ntok >= 3)
            shape = TRUE;
          /* coordinated with a person: "George W. Bush and Barack Obama" */
          else if (prev && prev->ntok >= 2 && prev->evidence >= EV_SHAPE && r0 >= 1
                   && (prev_end == r0 - 1 || prev_end == r0 - 2)
                   && (tok_is (b, r0 - 1, "and") || tok_is (b, r0 - 1, "or") || tok_is (b, r0 - 1, "và")
                       || tok_punct (b, r0 - 1, ",")))
            shape = TRUE;
          if (shape)
            m->evidence = EV_SHAPE;
        }
      if (sent < cue->len && g_array_index (cue, gboolean, sent))
        m->flags |= MF_CUE;
      guint clause = TOK (b, r0)->clause;
      if (!m->affil && clause < deleg->len && deleg->pdata[clause] && deleg->pdata[clause] != (gpointer) &deleg)
        {
          m->affil = g_strdup (((const BbPeopleAffil *) deleg->pdata[clause])->plain);
          m->affil_prio = AP_DELEGATION;
        }
      g_ptr_array_add (mentions, m);
      prev = m;
      prev_end = r1;
    }
  g_array_unref (cue);
  g_ptr_array_unref (deleg);
}

/* ---- pass 3: linking ---------------------------------------------------- */

typedef struct {
  BbPeople *pp;
  GHashTable *by_key;     /* name key -> Person* */
  GHashTable *by_short;   /* short key -> GPtrArray of Person* */
  GHashTable *by_reduced; /* key without middle initials -> GPtrArray of Person* */
  GHashTable *by_tail;    /* last words of a key (two or more) -> Person*, or
                             the linker itself when several share them */
} Linker;

static char *reduced_key (const char *key);

/* Files a person under every key a mention may reach it by; the indexes
 * keep linking linear however many people a hostile text names. */
static void
index_person (Linker *lk, Person *x)
{
  if (!g_hash_table_contains (lk->by_key, x->key))
    g_hash_table_insert (lk->by_key, g_strdup (x->key), x);
  GPtrArray *list = g_hash_table_lookup (lk->by_short, x->short_key);
  if (!list)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (lk->by_short, g_strdup (x->short_key), list);
    }
  g_ptr_array_add (list, x);
  if (!strchr (x->key, ' '))
    return;
  char *rk = reduced_key (x->key);
  list = g_hash_table_lookup (lk->by_reduced, rk);
  if (!list)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (lk->by_reduced, rk, list);
    }
  else
    g_free (rk);
  g_ptr_array_add (list, x);
  /* "huckabee sanders" for "sarah huckabee sanders" */
  const char *p = strchr (x->key, ' ');
  for (; p && strchr (p + 1, ' '); p = strchr (p + 1, ' '))
    {
      const char *tail = p + 1;
      gpointer old = g_hash_table_lookup (lk->by_tail, tail);
      if (!old)
        g_hash_table_insert (lk->by_tail, g_strdup (tail), x);
      else if (old != x)
        g_hash_table_replace (lk->by_tail, g_strdup (tail), lk);
    }
}

static Person *
person_new (Linker *lk, const char *name)
{
  Person *x = g_new0 (Person, 1);
  x->name = g_strdup (name);
  x->key = name_key (name);
  x->short_key = short_key_of (name);
  x->forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  x->mentions = g_ptr_array_new ();
  x->first_order = G_MAXUINT;
  g_ptr_array_add (lk->pp->people, x);
  index_person (lk, x);
  return x;
}

static void
link_mention (Person *x, Mention *m)
{
  m->person = x;
  g_ptr_array_add (x->mentions, m);
  if (!x->in_src)
    x->in_src = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_hash_table_add (x->in_src, GUINT_TO_POINTER (m->src + 1));
  if (m->title)
    {
      if (!x->titles)
        x->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (x->titles, g_utf8_casefold (m->title, -1));
    }
  if (m->ntok >= 2 || !x->known)
    {
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (x->forms, m->name));
      g_hash_table_replace (x->forms, g_strdup (m->name), GUINT_TO_POINTER (c + 1));
    }
  if (m->order < x->first_order)
    x->first_order = m->order;
}

/* The words of a key; a Western name whose middle initials are left out
 * ("George Bush" for "George W. Bush") has the same reduced key. */
static char *
reduced_key (const char *key)
{
  g_auto (GStrv) w = g_strsplit (key, " ", -1);
  guint n = g_strv_length (w);
  if (n < 3)
    return g_strdup (key);
  GString *out = g_string_new (w[0]);
  for (guint i = 1; i + 1 < n; i++)
    if (g_utf8_strlen (w[i], -1) > 1)
      g_string_append_printf (out, " %s", w[i]);
  g_string_append_printf (out, " %s", w[n - 1]);
  return g_string_free (out, FALSE);
}

static Person *
find_full (Linker *lk, const char *key)
{
  Person *x = g_hash_table_lookup (lk->by_key, key);
  if (x)
    return x;
  /* same name but for middle initials, when only one person fits */
  if (!strchr (key, ' '))
    return NULL;
  g_autofree char *rk = reduced_key (key);
  GPtrArray *list = g_hash_table_lookup (lk->by_reduced, rk);
  return list && list->len == 1 ? list->pdata[0] : NULL;
}

/* The one person a short form names: same source first, then the book;
 * NULL when none or several fit.  A title on the mention may decide
 * between several ("Chairman Kim"). */
static Person *
find_short (Linker *lk, Mention *m, const char *skey, gboolean *ambiguous)
{
  GPtrArray *list = g_hash_table_lookup (lk->by_short, skey);
  *ambiguous = FALSE;
  if (!list || list->len == 0)
    return NULL;
  if (list->len > 64)
    {
      *ambiguous = TRUE;
      return NULL;
    }
  for (int scope = 0; scope < 2; scope++)
    {
      Person *one = NULL;
      guint hits = 0;
      for (guint i = 0; i < list->len; i++)
        {
          Person *x = list->pdata[i];
          if (!strchr (x->key, ' '))
            continue;
          gboolean in_src = scope == 1
                            || (x->in_src && g_hash_table_contains (x->in_src, GUINT_TO_POINTER (m->src + 1)));
          if (in_src)
            {
              one = x;
              hits++;
            }
        }
      if (hits == 1)
        return one;
      if (hits > 1)
        {
          /* a title may tell them apart */
          if (m->title)
            {
              Person *tone = NULL;
              guint th = 0;
              g_autofree char *mt = g_utf8_casefold (m->title, -1);
              for (guint i = 0; i < list->len; i++)
                {
                  Person *x = list->pdata[i];
                  gboolean fits = FALSE;
                  /* the titles its mentions state, each once however
                   * often it is mentioned */
                  GHashTableIter it;
                  gpointer ot;
                  if (x->titles)
                    g_hash_table_iter_init (&it, x->titles);
                  while (x->titles && !fits && g_hash_table_iter_next (&it, &ot, NULL))
                    fits = strstr (ot, mt) || strstr (mt, ot);
                  if (!fits && x->known)
                    {
                      g_autofree char *kt = g_utf8_casefold (x->known->title, -1);
                      fits = strstr (kt, mt) || strstr (mt, kt);
                    }
                  if (fits)
                    {
                      tone = x;
                      th++;
                    }
                }
              if (th == 1)
                return tone;
            }
          /* "Mr. Trump" beside "Ivanka Trump": a Western family name alone
           * names the public office holder among them; East Asian family
           * names are too common for that ("Kim" stays ambiguous) */
          Person *kone = NULL;
          guint kh = 0;
          for (guint i = 0; i < list->len; i++)
            {
              Person *x = list->pdata[i];
              if (x->known && name_shape (x->name) == BB_NAME_WESTERN)
                {
                  kone = x;
                  kh++;
                }
            }
          if (kh == 1)
            return kone;
          *ambiguous = TRUE;
          return NULL;
        }
    }
  return NULL;
}

static void
link_all (BbPeople *pp)
{
  const Lexicon *lx = known_get ();
  Linker lk = { pp, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref),
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref),
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };

  /* curated rows come first so their aliases link */
  for (guint i = 0; i < pp->people->len; i++)
    {
      Person *x = pp->people->pdata[i];
      index_person (&lk, x);
      for (guint a = 0; x->aliases && x->aliases[a]; a++)
        {
          char *ak = name_key (x->aliases[a]);
          if (!g_hash_table_contains (lk.by_key, ak))
            g_hash_table_insert (lk.by_key, ak, x);
          else
            g_free (ak);
        }
    }

  /* full names with evidence make people */
  for (guint i = 0; i < pp->mentions->len; i++)
    {
      Mention *m = pp->mentions->pdata[i];
      g_autofree char *key = name_key (m->name);
      if (m->ntok < 2 && !g_hash_table_contains (lk.by_key, key))
        continue;
      const BbPeopleKnown *kn = g_hash_table_lookup (lx->known_full, key);
      Person *x = find_full (&lk, key);
      if (!x && (m->evidence >= EV_SHAPE || kn))
        {
          x = person_new (&lk, m->name);
          x->known = kn;
        }
      if (x)
        link_mention (x, m);
    }
  /* short forms and unevidenced runs */
  for (guint i = 0; i < pp->mentions->len; i++)
    {
      Mention *m = pp->mentions->pdata[i];
      if (m->person)
        continue;
      g_autofree char *key = name_key (m->name);
      Person *x = NULL;
      gboolean ambiguous = FALSE;
      if (m->ntok == 1)
        x = find_short (&lk, m, key, &ambiguous);
      else if ((x = find_full (&lk, key)))
        ; /* a full name met before the mention that made the person */
      else
        {
          /* "Huckabee Sanders" for "Sarah Huckabee Sanders": the last words
           * of one known full name */
          gpointer one = g_hash_table_lookup (lk.by_tail, key);
          if (one && one != (gpointer) &lk)
            x = one;
        }
      if (!x && !ambiguous && m->ntok == 1 && (m->evidence >= EV_LINK || !(m->flags & MF_INITIAL)))
        {
          const BbPeopleKnown *kn = g_hash_table_lookup (lx->known_short, key);
          /* a bare capitalised syllable is no Vietnamese given name unless a
           * title or honorific says so ("Chính sách" is a policy) */
          if (kn && m->evidence < EV_LINK && name_shape (kn->name) == BB_NAME_VIETNAMESE)
            kn = NULL;
          if (kn)
            {
              g_autofree char *fk = name_key (kn->name);
              x = g_hash_table_lookup (lk.by_key, fk);
              if (!x)
                {
                  x = person_new (&lk, kn->name);
                  x->known = kn;
                }
            }
          else if (m->evidence >= EV_STRONG && g_utf8_strlen (m->name, -1) > 1 && m->affil_prio != AP_DELEGATION)
            {
              x = g_hash_table_lookup (lk.by_key, key);
              if (!x)
                x = person_new (&lk, m->name);
            }
        }
      if (x)
        link_mention (x, m);
    }
  g_hash_table_unref (lk.by_key);
  g_hash_table_unref (lk.by_short);
  g_hash_table_unref (lk.by_reduced);
  g_hash_table_unref (lk.by_tail);
}

/* ---- rows --------------------------------------------------------------- */

static gint
cmp_first (gconstpointer a, gconstpointer b)
{
  const Person *x = *(Person *const *) a, *y = *(Person *const *) b;
  return x->first_order < y->first_order ? -1 : x->first_order > y->first_order;
}

static void
finish_person (BbPeople *pp, Person *x)
{
  /* canonical name: the most used full form */
  GHashTableIter it;
  gpointer k, v;
  const char *best = NULL;
  guint best_n = 0;
  g_hash_table_iter_init (&it, x->forms);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const char *form = k;
      guint c = GPOINTER_TO_UINT (v);
      gboolean full = strchr (form, ' ') != NULL;
      gboolean best_full = best && strchr (best, ' ') != NULL;
      if (!best || (full && !best_full) || (full == best_full && (c > best_n || (c == best_n && strcmp (form, best) < 0))))
        {
          best = form;
          best_n = c;
        }
    }
  if (best && !x->curated && (strchr (best, ' ') || !strchr (x->name, ' ')))
    {
      g_free (x->name);
      x->name = g_strdup (best);
    }
  /* title: the most specific stated; affiliation: the best-sourced */
  const Mention *tm = NULL;
  int aprio = AP_NONE;
  GHashTable *affs = g_hash_table_new (g_str_hash, g_str_equal);
  const char *aff = NULL;
  guint aff_n = 0;
  gboolean cue = FALSE, former = FALSE, comment = FALSE;
  GPtrArray *srcs = g_ptr_array_new ();
  GPtrArray *anchors = g_ptr_array_new ();
  GHashTable *seen_src = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTable *seen_anchor = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < x->mentions->len; i++)
    {
      const Mention *m = x->mentions->pdata[i];
      /* titles stated with the full name first, then the longest */
      if (m->title && (!tm || (m->ntok >= 2 && tm->ntok < 2)
                       || ((m->ntok >= 2) == (tm->ntok >= 2)
                           && g_utf8_strlen (m->title, -1) > g_utf8_strlen (tm->title, -1))))
        tm = m;
      if (m->affil && m->affil_prio > aprio)
        {
          aprio = m->affil_prio;
          g_hash_table_remove_all (affs);
          aff = NULL;
          aff_n = 0;
        }
      if (m->affil && m->affil_prio == aprio)
        {
          guint c = GPOINTER_TO_UINT (g_hash_table_lookup (affs, m->affil)) + 1;
          g_hash_table_insert (affs, m->affil, GUINT_TO_POINTER (c));
          if (c > aff_n)
            {
              aff = m->affil;
              aff_n = c;
            }
        }
      cue |= (m->flags & MF_CUE) != 0;
      former |= (m->flags & MF_FORMER) != 0;
      comment |= (m->flags & MF_COMMENT) != 0;
      const SrcInfo *si = pp->srcs->pdata[m->src];
      if (g_hash_table_add (seen_src, GUINT_TO_POINTER (m->src + 1)))
        g_ptr_array_add (srcs, g_strdup (si->name));
      const BlockInfo *bi = pp->blocks->pdata[m->block];
      if (bi->anchor && g_hash_table_add (seen_anchor, bi->anchor))
        g_ptr_array_add (anchors, g_strdup (bi->anchor));
    }
  if (tm)
    {
      x->title = g_strdup (tm->title);
      x->gloss = g_strdup (tm->gloss);
    }
  else if (x->known)
    x->title = g_strdup (x->known->title);
  /* general knowledge, and a Vietnamese name in office, beat a guess from
   * the office or the delegation */
  if (aff && aprio < AP_IMPLIED && !x->known && tm && !comment
      && name_shape (x->name) == BB_NAME_VIETNAMESE)
    x->affil = g_strdup ("Vietnam");
  else if (aff && (aprio >= AP_INHERITED || !x->known))
    x->affil = g_strdup (aff);
  else if (x->known)
    x->affil = g_strdup (x->known->affiliation);
  x->commentator = comment;
  g_hash_table_unref (affs);
  x->participant = cue && !former && !comment;
  g_hash_table_unref (seen_src);
  g_hash_table_unref (seen_anchor);
  g_ptr_array_add (srcs, NULL);
  g_ptr_array_add (anchors, NULL);
  x->sources = (char **) g_ptr_array_free (srcs, FALSE);
  x->anchors = (char **) g_ptr_array_free (anchors, FALSE);
  /* curated values win */
  if (x->c_title)
    {
      g_free (x->title);
      g_free (x->gloss);
      x->title = g_strdup (x->c_title);
      x->gloss = NULL;
    }
  if (x->c_affil)
    {
      g_free (x->affil);
      x->affil = g_strdup (x->c_affil);
    }
  if (x->c_role)
    x->participant = g_ascii_strcasecmp (x->c_role, "participant") == 0
                     || g_ascii_strcasecmp (x->c_role, "yes") == 0;
}

static void
finish (BbPeople *pp)
{
  /* people nobody mentions (only curated rows keep them) go */
  for (guint i = pp->people->len; i-- > 0;)
    {
      Person *x = pp->people->pdata[i];
      if (x->mentions->len == 0 && !x->curated)
        g_ptr_array_remove_index (pp->people, i);
    }
  for (guint i = 0; i < pp->people->len; i++)
    finish_person (pp, pp->people->pdata[i]);
  /* A person named by a relation takes the state of the person named next
   * in the same sentence ("Kim Jung-sook, wife of President Moon"); this
   * comes first, so the relation wins over mere nearness. */
  for (guint i = 0; i + 1 < pp->mentions->len; i++)
    {
      const Mention *m = pp->mentions->pdata[i];
      Person *x = m->person;
      if (!x || (x->affil && *x->affil) || !x->title || x->commentator || x->c_affil
          || !(m->flags & MF_RELATION))
        continue;
      for (guint k = i + 1; k < pp->mentions->len && k < i + 8; k++)
        {
          const Mention *o = pp->mentions->pdata[k];
          if (o->block != m->block || o->sent != m->sent)
            break;
          const Person *y = o->person;
          if (y && y != x && y->affil && *y->affil && !y->commentator)
            {
              g_free (x->affil);
              x->affil = g_strdup (y->affil);
              break;
            }
        }
    }
  /* A Vietnamese name holding an office the text does not place is a
   * Vietnamese office holder; other name shapes say nothing. */
  for (guint i = 0; i < pp->people->len; i++)
    {
      Person *x = pp->people->pdata[i];
      if ((!x->affil || !*x->affil) && x->title && !x->commentator && !x->c_affil
          && name_shape (x->name) == BB_NAME_VIETNAMESE)
        {
          g_free (x->affil);
          x->affil = g_strdup ("Vietnam");
        }
    }
  /* Else an official whose state the text leaves to context takes the
   * state of the person named just before, in the same sentence or else
   * the same paragraph: "Singapore Prime Minister Lee ... Foreign Minister
   * Balakrishnan greeted Kim", "according to his spokesman Kim Eui-kyeom". */
  const Mention *last = NULL;
  for (guint i = 0; i < pp->mentions->len; i++)
    {
      const Mention *m = pp->mentions->pdata[i];
      Person *x = m->person;
      if (!x)
        continue;
      if (last && last->block != m->block)
        last = NULL;
      if (last && (!x->affil || !*x->affil) && x->title && !x->commentator && !x->c_affil
          && last->person != x)
        {
          const Person *y = last->person;
          if (y->affil && *y->affil && !y->commentator)
            {
              g_free (x->affil);
              x->affil = g_strdup (y->affil);
            }
        }
      last = m;
    }
  g_ptr_array_sort (pp->people, cmp_first);
}

/* ---- curated overrides -------------------------------------------------- */

static void
load_curated (BbPeople *pp, const char *dir, BbDiag *diag)
{
  if (!dir)
    return;
  g_autofree char *path = g_build_filename (dir, "people.tsv", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return;
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      if (diag)
        bb_diag_warn (diag, path, 0, "people.tsv is not UTF-8; ignored");
      return;
    }
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  /* the header names the columns; another table that happens to be called
   * people.tsv (gold annotations, say) is not taken for overrides */
  if (!lines[0] || g_ascii_strncasecmp (lines[0], "name\t", 5) != 0)
    {
      if (diag)
        bb_diag_warn (diag, path, 1, "header must start with 'name' (name, aliases, title, affiliation, role); file ignored");
      return;
    }
  for (guint l = 1; lines[l]; l++)
    {
      char *line = lines[l];
      g_strchomp (line);
      if (!*line || line[0] == '#')
        continue;
      g_auto (GStrv) f = g_strsplit (line, "\t", -1);
      guint nf = g_strv_length (f);
      g_strstrip (f[0]);
      if (!*f[0])
        {
          if (diag)
            bb_diag_warn (diag, path, (int) l + 1, "row without a name; ignored");
          continue;
        }
      if (nf > 5 && diag)
        bb_diag_warn (diag, path, (int) l + 1, "more than 5 columns; extra ones ignored");
      Person *x = g_new0 (Person, 1);
      x->name = g_strdup (f[0]);
      x->key = name_key (f[0]);
      x->short_key = short_key_of (f[0]);
      x->forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      x->mentions = g_ptr_array_new ();
      x->first_order = G_MAXUINT;
      x->curated = TRUE;
      if (nf > 1 && *g_strstrip (f[1]))
        x->aliases = g_strsplit (f[1], "|", -1);
      if (nf > 2 && *g_strstrip (f[2]))
        x->c_title = g_strdup (f[2]);
      if (nf > 3 && *g_strstrip (f[3]))
        x->c_affil = g_strdup (f[3]);
      if (nf > 4 && *g_strstrip (f[4]))
        {
          if (g_ascii_strcasecmp (f[4], "participant") && g_ascii_strcasecmp (f[4], "mentioned")
              && g_ascii_strcasecmp (f[4], "yes") && g_ascii_strcasecmp (f[4], "no"))
            {
              if (diag)
                bb_diag_warn (diag, path, (int) l + 1, "role '%s' is neither participant nor mentioned", f[4]);
            }
          else
            x->c_role = g_strdup (f[4]);
        }
      g_ptr_array_add (pp->people, x);
    }
}

/* ---- extraction --------------------------------------------------------- */

struct _BbPeoplePart {
  char *name;          /* the source's base name */
  char *lang;
  GPtrArray *anchors;  /* char* (or NULL), one per block */
  GPtrArray *mentions; /* Mention*; blocks and order counted in the part */
};

static BbPeoplePart *
part_new (const char *name, const char *lang)
{
  BbPeoplePart *part = g_new0 (BbPeoplePart, 1);
  part->name = g_strdup (name ? name : "");
  part->lang = g_strdup (lang ? lang : "en");
  part->anchors = g_ptr_array_new_with_free_func (g_free);
  part->mentions = g_ptr_array_new_with_free_func (mention_free);
  return part;
}

void
bb_people_part_free (BbPeoplePart *part)
{
  if (!part)
    return;
  g_free (part->name);
  g_free (part->lang);
  g_ptr_array_unref (part->anchors);
  g_ptr_array_unref (part->mentions);
  g_free (part);
}

/* Passes 1 and 2 over one more block of part. */
static void
part_add_block (BbPeoplePart *part, const char *text, const char *anchor)
{
  guint order = part->mentions->len;
  Block b = { text, NULL };
  tokenize (&b);
  cover_tokens (&b);
  block_mentions (part->mentions, part->anchors->len, &b, 0, &order);
  for (guint k = 0; k < NTOK (&b); k++)
    g_free (TOK (&b, k)->key);
  g_array_unref (b.toks);
  g_ptr_array_add (part->anchors, g_strdup (anchor));
}

static const char *
block_anchor (const BbNode *n)
{
  for (; n; n = n->parent)
    if (bb_node_anchor (n))
      return bb_node_anchor (n);
  return NULL;
}

BbPeoplePart *
bb_people_part_extract (const BbSource *src)
{
  BbPeoplePart *part = part_new (src->name, src->lang);
  for (BbNode *n = src->body; n; n = bb_node_next_in (src->body, n))
    {
      if (n->type != BB_NODE_PARAGRAPH && n->type != BB_NODE_HEADING && n->type != BB_NODE_CELL)
        continue;
      g_autofree char *text = bb_node_plain (n);
      part_add_block (part, text, block_anchor (n));
    }
  return part;
}

static Mention *
mention_copy (const Mention *m)
{
  Mention *c = g_new (Mention, 1);
  *c = *m;
  c->name = g_strdup (m->name);
  c->title = g_strdup (m->title);
  c->gloss = g_strdup (m->gloss);
  c->affil = g_strdup (m->affil);
  c->person = NULL;
  return c;
}

BbPeople *
bb_people_merge (BbPeoplePart *const *parts, guint n, const char *sources_dir, BbDiag *diag)
{
  BbPeople *pp = people_new ();
  load_curated (pp, sources_dir, diag);
  for (guint s = 0; s < n; s++)
    {
      const BbPeoplePart *part = parts[s];
      SrcInfo *si = g_new0 (SrcInfo, 1);
      si->name = g_strdup (part ? part->name : "");
      si->lang = g_strdup (part ? part->lang : "en");
      g_ptr_array_add (pp->srcs, si);
      if (!part)
        continue;
      guint block0 = pp->blocks->len, order0 = pp->mentions->len;
      for (guint i = 0; i < part->anchors->len; i++)
        {
          BlockInfo *bi = g_new0 (BlockInfo, 1);
          bi->anchor = g_strdup (part->anchors->pdata[i]);
          bi->src = s;
          g_ptr_array_add (pp->blocks, bi);
        }
      for (guint i = 0; i < part->mentions->len; i++)
        {
          Mention *m = mention_copy (part->mentions->pdata[i]);
          m->src = s;
          m->block += block0;
          m->order += order0;
          g_ptr_array_add (pp->mentions, m);
        }
    }
  link_all (pp);
  finish (pp);
  return pp;
}

BbPeople *
bb_people_extract (GPtrArray *sources, const char *sources_dir, BbDiag *diag)
{
  guint n = sources ? sources->len : 0;
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_people_part_free);
  for (guint s = 0; s < n; s++)
    g_ptr_array_add (parts, bb_people_part_extract (sources->pdata[s]));
  return bb_people_merge ((BbPeoplePart *const *) parts->pdata, n, sources_dir, diag);
}

BbPeople *
bb_people_extract_texts (const char *const *texts, const char *lang)
{
  g_autoptr (BbPeoplePart) part = part_new ("text", lang);
  for (guint i = 0; texts && texts[i]; i++)
    {
      g_autofree char *text = g_utf8_make_valid (texts[i], -1);
      g_autofree char *anchor = g_strdup_printf ("b%u", i + 1);
      part_add_block (part, text, anchor);
    }
  return bb_people_merge (&part, 1, NULL, NULL);
}

/* ---- cache format ------------------------------------------------------- */

void
bb_people_part_write (const BbPeoplePart *part, BbGvw *w)
{
  bb_gvw_open_tuple (w, 4);
  bb_gvw_string (w, part->name);
  bb_gvw_frame (w);
  bb_gvw_string (w, part->lang);
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 1, FALSE);
  for (guint i = 0; i < part->anchors->len; i++)
    bb_gvw_maybe_string (w, part->anchors->pdata[i]);
  bb_gvw_close (w);
  bb_gvw_frame (w);
  bb_gvw_open_array (w, 4, FALSE);
  for (guint i = 0; i < part->mentions->len; i++)
    {
      const Mention *m = part->mentions->pdata[i];
      bb_gvw_open_tuple (w, 4);
      bb_gvw_uint32 (w, m->block);
      bb_gvw_string (w, m->name);
      bb_gvw_frame (w);
      bb_gvw_uint32 (w, m->ntok);
      bb_gvw_int32 (w, m->evidence);
      bb_gvw_maybe_string (w, m->title);
      bb_gvw_frame (w);
      bb_gvw_maybe_string (w, m->gloss);
      bb_gvw_frame (w);
      bb_gvw_maybe_string (w, m->affil);
      bb_gvw_frame (w);
      bb_gvw_int32 (w, m->affil_prio);
      bb_gvw_uint32 (w, m->flags);
      bb_gvw_uint32 (w, m->sent);
      bb_gvw_close (w);
    }
  bb_gvw_close (w);
  bb_gvw_close (w);
}

BbPeoplePart *
bb_people_part_from_variant (GVariant *v)
{
  if (!v || !g_variant_is_of_type (v, G_VARIANT_TYPE (BB_PEOPLE_PART_TYPE)))
    return NULL;
  const char *name, *lang;
  g_autoptr (GVariantIter) anchors = NULL, mentions = NULL;
  g_variant_get (v, "(&s&samsa(usuimsmsmsiuu))", &name, &lang, &anchors, &mentions);
  g_autoptr (BbPeoplePart) part = part_new (name, lang);
  char *anchor;
  while (g_variant_iter_next (anchors, "ms", &anchor))
    g_ptr_array_add (part->anchors, anchor);
  guint32 block, ntok, flags, sent;
  gint32 evidence, prio;
  char *mname, *title, *gloss, *affil;
  while (g_variant_iter_next (mentions, "(usuimsmsmsiuu)", &block, &mname, &ntok, &evidence, &title, &gloss,
                              &affil, &prio, &flags, &sent))
    {
      Mention *m = g_new0 (Mention, 1);
      m->block = block;
      m->order = part->mentions->len;
      m->name = mname;
      m->ntok = ntok;
      m->evidence = evidence;
      m->title = title;
      m->gloss = gloss;
      m->affil = affil;
      m->affil_prio = prio;
      m->flags = flags;
      m->sent = sent;
      g_ptr_array_add (part->mentions, m);
      if (block >= part->anchors->len || !*mname || evidence < EV_NONE || evidence > EV_STRONG
          || prio < AP_NONE || prio > AP_STATED)
        return NULL;
    }
  return g_steal_pointer (&part);
}

void
bb_people_get (const BbPeople *p, guint i, BbPerson *out)
{
  const Person *x = p->people->pdata[i];
  out->name = x->name;
  out->title = x->title ? x->title : "";
  out->affiliation = x->affil ? x->affil : "";
  out->participant = x->participant;
  out->curated = x->curated;
  out->sources = (const char *const *) x->sources;
  out->anchors = (const char *const *) x->anchors;
}

/* ---- output ------------------------------------------------------------- */

static void
tsv_cell (GString *out, const char *s)
{
  for (const char *p = s ? s : ""; *p; p++)
    g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static void
join (GString *out, char **v, void (*cell) (GString *, const char *))
{
  for (guint i = 0; v && v[i]; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      cell (out, v[i]);
    }
}

void
bb_people_write_tsv (const BbPeople *p, GString *out)
{
  g_string_append (out, "name\ttitle\taffiliation\trole\tsources\tanchors\tcurated\n");
  for (guint i = 0; i < p->people->len; i++)
    {
      const Person *x = p->people->pdata[i];
      tsv_cell (out, x->name);
      g_string_append_c (out, '\t');
      tsv_cell (out, x->title);
      g_string_append_c (out, '\t');
      tsv_cell (out, x->affil);
      g_string_append_printf (out, "\t%s\t", x->participant ? "participant" : "mentioned");
      join (out, x->sources, tsv_cell);
      g_string_append_c (out, '\t');
      join (out, x->anchors, tsv_cell);
      g_string_append_printf (out, "\t%s\n", x->curated ? "yes" : "no");
    }
}

static void
json_str (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s ? s : ""; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
json_array (GString *out, char **v)
{
  g_string_append_c (out, '[');
  for (guint i = 0; v && v[i]; i++)
    {
      if (i)
        g_string_append (out, ", ");
      json_str (out, v[i]);
    }
  g_string_append_c (out, ']');
}

void
bb_people_write_json (const BbPeople *p, GString *out)
{
  g_string_append (out, "[");
  for (guint i = 0; i < p->people->len; i++)
    {
      const Person *x = p->people->pdata[i];
      g_string_append (out, i ? ",\n {" : "\n {");
      g_string_append (out, "\"name\": ");
      json_str (out, x->name);
      g_string_append (out, ", \"title\": ");
      json_str (out, x->title);
      g_string_append (out, ", \"affiliation\": ");
      json_str (out, x->affil);
      g_string_append_printf (out, ", \"role\": \"%s\", \"sources\": ",
                              x->participant ? "participant" : "mentioned");
      json_array (out, x->sources);
      g_string_append (out, ", \"anchors\": ");
      json_array (out, x->anchors);
      g_string_append_printf (out, ", \"curated\": %s}", x->curated ? "true" : "false");
    }
  g_string_append (out, p->people->len ? "\n]\n" : "]\n");
}

/* ---- book sections ------------------------------------------------------ */

typedef struct {
  const char *attendees, *others, *index, *name, *title, *title_aff, *pages, *no_delegation;
} Labels;

static const Labels labels_en = { "Attendees", "Others mentioned", "Index of people", "Name",
                                  "Title", "Title and affiliation", "Pages", "Other participants" };
static const Labels labels_vi = { "Thành phần tham dự", "Những người khác được nhắc đến",
                                  "Chỉ mục nhân vật", "Họ tên", "Chức danh", "Chức danh và đơn vị",
                                  "Trang", "Những người tham dự khác" };

static const Labels *
labels_for (const char *lang)
{
  return lang && g_str_has_prefix (lang, "vi") ? &labels_vi : &labels_en;
}

static const char *
shown_title (const Person *x, const char *lang)
{
  /* an English book shows the English gloss of a title stated in another
   * language; the title as stated is kept in the TSV */
  if (x->gloss && !(lang && g_str_has_prefix (lang, "vi")))
    return x->gloss;
  return x->title ? x->title : "";
}

static BbNode *
cell_text (BbNode *row, const char *text)
{
  BbNode *c = bb_node_append (row, bb_node_new (BB_NODE_CELL));
  c->flags |= BB_FLAG_GENERATED;
  if (text && *text)
    bb_node_append (c, bb_node_new_text (text, -1));
  return c;
}

static BbNode *
cell_name (BbNode *row, const Person *x)
{
  BbNode *c = bb_node_append (row, bb_node_new (BB_NODE_CELL));
  c->flags |= BB_FLAG_GENERATED;
  if (x->anchors && x->anchors[0])
    {
      BbNode *l = bb_node_append (c, bb_node_new (BB_NODE_LINK));
      l->href = g_strdup_printf ("#%s", x->anchors[0]);
      bb_node_append (l, bb_node_new_text (x->name, -1));
    }
  else
    bb_node_append (c, bb_node_new_text (x->name, -1));
  return c;
}

static void
append_pagerefs (BbNode *parent, const Person *x, const char *sep_first)
{
  for (guint i = 0; x->anchors && x->anchors[i]; i++)
    {
      bb_node_append (parent, bb_node_new_text (i ? ", " : sep_first, -1));
      BbNode *r = bb_node_append (parent, bb_node_new (BB_NODE_PAGEREF));
      r->href = g_strdup_printf ("#%s", x->anchors[i]);
    }
}

/* widths: the columns' shares of the line (node.h) */
static BbNode *
new_table (BbNode *sec, const char *const *head, guint ncols, const char *widths)
{
  BbNode *t = bb_node_append (sec, bb_node_new (BB_NODE_TABLE));
  t->level = 1;
  t->flags |= BB_FLAG_GENERATED;
  t->text = g_strdup (widths);
  BbNode *row = bb_node_append (t, bb_node_new (BB_NODE_ROW));
  for (guint i = 0; i < ncols; i++)
    cell_text (row, head[i]);
  return t;
}

BbNode *
bb_people_attendees_section (const BbPeople *p, const char *book_lang)
{
  const Labels *lb = labels_for (book_lang);
  BbNode *sec = bb_node_new (BB_NODE_SECTION);
  sec->kind = BB_SECTION_FRONT;
  sec->text = g_strdup (lb->attendees);
  sec->anchor = g_strdup ("attendees");
  sec->flags |= BB_FLAG_GENERATED;
  if (book_lang)
    sec->lang = g_strdup (book_lang);

  /* delegations in order of their first participant */
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < p->people->len; i++)
    {
      const Person *x = p->people->pdata[i];
      if (!x->participant)
        continue;
      const char *g = x->affil && *x->affil ? x->affil : "";
      gboolean seen = FALSE;
      for (guint k = 0; k < groups->len && !seen; k++)
        seen = strcmp (groups->pdata[k], g) == 0;
      if (!seen)
        g_ptr_array_add (groups, g_strdup (g));
    }
  guint anchor_n = 0;
  for (guint k = 0; k < groups->len; k++)
    {
      const char *g = groups->pdata[k];
      BbNode *h = bb_node_append (sec, bb_node_new (BB_NODE_HEADING));
      h->level = 2;
      h->flags |= BB_FLAG_GENERATED;
      h->anchor = g_strdup_printf ("attendees-%u", ++anchor_n);
      bb_node_append (h, bb_node_new_text (*g ? g : lb->no_delegation, -1));
      const char *head[] = { lb->name, lb->title };
      BbNode *t = new_table (sec, head, 2, "35 65");
      t->anchor = g_strdup_printf ("attendees-%u-table", anchor_n);
      for (guint i = 0; i < p->people->len; i++)
        {
          const Person *x = p->people->pdata[i];
          if (!x->participant || strcmp (x->affil && *x->affil ? x->affil : "", g) != 0)
            continue;
          BbNode *row = bb_node_append (t, bb_node_new (BB_NODE_ROW));
          cell_name (row, x);
          cell_text (row, shown_title (x, book_lang));
        }
    }
  g_ptr_array_unref (groups);

  gboolean any = FALSE;
  for (guint i = 0; i < p->people->len && !any; i++)
    any = !((Person *) p->people->pdata[i])->participant;
  if (any)
    {
      BbNode *h = bb_node_append (sec, bb_node_new (BB_NODE_HEADING));
      h->level = 2;
      h->flags |= BB_FLAG_GENERATED;
      h->anchor = g_strdup ("attendees-others");
      bb_node_append (h, bb_node_new_text (lb->others, -1));
      const char *head[] = { lb->name, lb->title_aff, lb->pages };
      BbNode *t = new_table (sec, head, 3, "30 55 15");
      t->anchor = g_strdup ("attendees-others-table");
      for (guint i = 0; i < p->people->len; i++)
        {
          const Person *x = p->people->pdata[i];
          if (x->participant)
            continue;
          BbNode *row = bb_node_append (t, bb_node_new (BB_NODE_ROW));
          cell_name (row, x);
          const char *ti = shown_title (x, book_lang);
          g_autofree char *ta = NULL;
          if (*ti && x->affil && *x->affil)
            ta = g_strdup_printf ("%s, %s", ti, x->affil);
          else
            ta = g_strdup (*ti ? ti : (x->affil ? x->affil : ""));
          cell_text (row, ta);
          BbNode *pc = bb_node_append (row, bb_node_new (BB_NODE_CELL));
          pc->flags |= BB_FLAG_GENERATED;
          append_pagerefs (pc, x, "");
        }
    }
  return sec;
}

/* Sort key: the word a person is known by, then the full name. */
static char *
sort_key (const Person *x)
{
  g_autofree char *sk = short_key_of (x->name);
  g_autofree char *nk = name_key (x->name);
  g_autofree char *raw = g_strdup_printf ("%s\x01%s", sk, nk);
  return g_utf8_collate_key (raw, -1);
}

static gint
cmp_sort (gconstpointer a, gconstpointer b, gpointer data)
{
  GHashTable *keys = data;
  const Person *x = *(Person *const *) a, *y = *(Person *const *) b;
  return strcmp (g_hash_table_lookup (keys, x), g_hash_table_lookup (keys, y));
}

BbNode *
bb_people_index_section (const BbPeople *p, const char *book_lang)
{
  const Labels *lb = labels_for (book_lang);
  BbNode *sec = bb_node_new (BB_NODE_SECTION);
  sec->kind = BB_SECTION_BACK;
  sec->text = g_strdup (lb->index);
  sec->anchor = g_strdup ("index-people");
  sec->flags |= BB_FLAG_GENERATED;
  if (book_lang)
    sec->lang = g_strdup (book_lang);
  GHashTable *keys = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  GPtrArray *sorted = g_ptr_array_new ();
  for (guint i = 0; i < p->people->len; i++)
    {
      Person *x = p->people->pdata[i];
      g_hash_table_insert (keys, x, sort_key (x));
      g_ptr_array_add (sorted, x);
    }
  g_ptr_array_sort_with_data (sorted, cmp_sort, keys);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Person *x = sorted->pdata[i];
      BbNode *para = bb_node_append (sec, bb_node_new (BB_NODE_PARAGRAPH));
      para->flags |= BB_FLAG_GENERATED;
      para->anchor = g_strdup_printf ("index-people-%u", i + 1);
      bb_node_append (para, bb_node_new_text (x->name, -1));
      append_pagerefs (para, x, " ");
    }
  g_ptr_array_unref (sorted);
  g_hash_table_unref (keys);
  return sec;
}
