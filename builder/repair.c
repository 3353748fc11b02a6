/* repair.c — scraped-text repair: citation markers, stray quotes,
 * whitespace and typographic quotes.
 *
 * Decisions (see repair.h for the interface):
 * - Citation markers are "[13]" (1–4 digits), "[a]"/"[ab]" (Wikipedia's
 *   lettered notes), "[note 3]"/"[nb 3]", and the maintenance tags listed in
 *   maintenance_tags ("[citation needed]" ...).  Each marker becomes one
 *   CITATION node whose text is the label inside the brackets; whitespace
 *   before a marker is dropped, since markers hang on the word they follow.
 * - A paragraph that starts with a quote character is a stray closing quote
 *   when a citation marker follows it or the paragraph's own quotes are odd
 *   in number.  It goes back to the previous paragraph when that one leaves a
 *   quotation open; a stray quote before a marker that nothing can take is
 *   dropped (the quotation it closed is not in the scrape).
 * - Straight double quotes become “ ” only when every one of them in the
 *   block can be classed as opening (after start, space or an opening bracket
 *   and before a non-space) or closing (after a non-space), and the classes
 *   alternate open, close, open ...; a final quotation may stay open (it
 *   continues in the next paragraph).  Otherwise they stay straight.
 * - A run of more than 128 characters without a space gets a zero-width
 *   space every 64 characters, so that lines can break in it (see
 *   break_long_words).
 */
#include "repair.h"
#include <string.h>

/* ---- citation markers ----------------------------------------------------- */

/* Wikipedia's inline maintenance tags, compared case-insensitively. */
static const char *const maintenance_tags[] = {
  "citation needed", "clarification needed", "verification needed",
  "better source needed", "full citation needed", "page needed", "year needed",
  "failed verification", "dead link", "permanent dead link", "original research?",
  "unreliable source?", "dubious", "dubious – discuss", "who?", "when?", "which?",
  "where?", "why?", "by whom?", "according to whom?", "update needed", "needs update",
  "not in citation given", "self-published source", "non-primary source needed",
};

static gboolean
all_digits (const char *s, gsize n)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
all_lower (const char *s, gsize n)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (s[i]))
      return FALSE;
  return TRUE;
}

/* If p starts a citation marker, returns its length in bytes and sets
 * label_start and label_len to the label inside the brackets; else 0. */
static gsize
marker_at (const char *p, const char **label_start, gsize *label_len)
{
  if (*p != '[')
    return 0;
  const char *in = p + 1;
  const char *close = NULL;
  for (const char *q = in; *q && q - in <= 40; q++)
    {
      if (*q == ']')
        {
          close = q;
          break;
        }
      if (*q == '[' || *q == '\n')
        return 0;
    }
  if (!close)
    return 0;
  gsize n = (gsize) (close - in);
  gboolean ok = FALSE;
  if (all_digits (in, n) && n <= 4)
    ok = TRUE;
  else if (all_lower (in, n) && n <= 2)
    ok = TRUE;
  else
    {
      /* "note 3", "nb 3", "Note a" */
      const char *sp = memchr (in, ' ', n);
      if (sp)
        {
          gsize w = (gsize) (sp - in), rest = n - w - 1;
          if ((w == 4 && g_ascii_strncasecmp (in, "note", 4) == 0)
              || (w == 2 && g_ascii_strncasecmp (in, "nb", 2) == 0))
            ok = (all_digits (sp + 1, rest) && rest <= 4) || (all_lower (sp + 1, rest) && rest <= 2);
        }
      for (guint i = 0; !ok && i < G_N_ELEMENTS (maintenance_tags); i++)
        ok = strlen (maintenance_tags[i]) == n
             && g_ascii_strncasecmp (in, maintenance_tags[i], n) == 0;
    }
  if (!ok)
    return 0;
  *label_start = in;
  *label_len = n;
  return n + 2;
}

gsize
bb_repair_marker_len (const char *p)
{
  const char *label;
  gsize label_len;
  return marker_at (p, &label, &label_len);
}

/* ---- cross-paragraph repair ----------------------------------------------- */

/* Length of a quote character at p (", “ or ”), else 0. */
static gsize
quote_at (const char *p)
{
  if (*p == '"')
    return 1;
  if ((guchar) p[0] == 0xE2 && (guchar) p[1] == 0x80
      && ((guchar) p[2] == 0x9C || (guchar) p[2] == 0x9D))
    return 3;
  return 0;
}

static guint
count_quotes (const char *s)
{
  guint n = 0;
  for (const char *p = s; *p; p++)
    n += quote_at (p) != 0;
  return n;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n')
    p++;
  return p;
}

/* Replaces paras[i] by a copy of text; text may point into the old string,
 * which is freed only after the copy. */
static void
set_para (GPtrArray *paras, guint i, const char *text)
{
  char *old = paras->pdata[i];
  paras->pdata[i] = g_strdup (text);
  g_free (old);
}

/* Appends the text gathered for paragraph i (markers and quotes handed back
 * to it) in one go, so a long run of handovers stays linear. */
static void
flush_tail (GPtrArray *paras, gint i, GString *tail)
{
  if (i < 0 || tail->len == 0)
    return;
  char *old = paras->pdata[i];
  gsize ol = strlen (old);
  /* Trailing whitespace would separate the quote from its sentence. */
  while (ol && (old[ol - 1] == ' ' || old[ol - 1] == '\t' || old[ol - 1] == '\n'))
    ol--;
  char *s = g_malloc (ol + tail->len + 1);
  memcpy (s, old, ol);
  memcpy (s + ol, tail->str, tail->len);
  s[ol + tail->len] = '\0';
  paras->pdata[i] = s;
  g_free (old);
  g_string_truncate (tail, 0);
}

guint
bb_repair_paragraphs (GPtrArray *paras)
{
  guint repairs = 0;
  gint prev = -1;        /* last non-empty paragraph */
  guint prev_quotes = 0; /* its quote characters, with those handed back */
  GString *tail = g_string_new (NULL);

  for (guint i = 0; i < paras->len; i++)
    {
      const char *s = skip_space (paras->pdata[i]);
      const char *label;
      gsize label_len;

      gsize q = quote_at (s);
      if (q && prev >= 0)
        {
          const char *after = s + q;
          gboolean closing_curly = q == 3 && (guchar) s[2] == 0x9D;
          gboolean before_marker = marker_at (after, &label, &label_len) > 0;
          gboolean stray = before_marker || closing_curly || count_quotes (s) % 2 == 1;
          if (stray && prev_quotes % 2 == 1)
            {
              g_string_append_len (tail, s, (gssize) q);
              prev_quotes++;
              set_para (paras, i, after);
              s = skip_space (paras->pdata[i]);
              repairs++;
            }
          else if (before_marker)
            {
              set_para (paras, i, after);
              s = skip_space (paras->pdata[i]);
              repairs++;
            }
        }

      /* Leading markers cite the sentence before them. */
      const char *p = s;
      gsize m;
      while ((m = marker_at (p, &label, &label_len)) > 0)
        {
          if (prev >= 0)
            g_string_append_len (tail, p, (gssize) m); /* without the spaces between */
          p = skip_space (p + m);
        }
      if (p != s && prev >= 0)
        {
          set_para (paras, i, p);
          repairs++;
        }

      if (*skip_space (paras->pdata[i]))
        {
          flush_tail (paras, prev, tail);
          prev = (gint) i;
          prev_quotes = count_quotes (paras->pdata[i]);
        }
    }
  flush_tail (paras, prev, tail);
  g_string_free (tail, TRUE);
  return repairs;
}

/* ---- block repair ------------------------------------------------------------ */

static gboolean
is_collapsible_space (gunichar c)
{
  /* No-break spaces are deliberate: keep them. */
  return g_unichar_isspace (c) && c != 0x00A0 && c != 0x202F && c != 0x2007;
}

/* Leaf inline nodes of block in document order (TEXT, CITATION, CODE,
 * BREAK, PAGEREF); containers (EMPH, STRONG, LINK) are walked through. */
static GPtrArray *
collect_leaves (BbNode *block)
{
  GPtrArray *a = g_ptr_array_new ();
  for (BbNode *n = block->first; n; n = bb_node_next_in (block, n))
    if (n->type == BB_NODE_TEXT || n->type == BB_NODE_CITATION || n->type == BB_NODE_CODE
        || n->type == BB_NODE_BREAK || n->type == BB_NODE_PAGEREF)
      g_ptr_array_add (a, n);
  return a;
}

/* Splits one TEXT node so its citation markers become CITATION nodes. */
static void
split_citations (BbNode *text)
{
  const char *s = text->text;
  if (!s || !strchr (s, '['))
    return;
  GString *cur = g_string_new (NULL);
  const char *p = s;
  gboolean changed = FALSE;
  while (*p)
    {
      const char *label;
      gsize label_len, m;
      if (*p == '[' && (m = marker_at (p, &label, &label_len)) > 0)
        {
          while (cur->len && (cur->str[cur->len - 1] == ' ' || cur->str[cur->len - 1] == '\t'
                              || cur->str[cur->len - 1] == '\n'))
            g_string_truncate (cur, cur->len - 1);
          if (cur->len)
            {
              bb_node_insert_before (text, bb_node_new_text (cur->str, (gssize) cur->len));
              g_string_truncate (cur, 0);
            }
          BbNode *c = bb_node_new (BB_NODE_CITATION);
          c->text = g_strndup (label, label_len);
          bb_node_insert_before (text, c);
          p += m;
          changed = TRUE;
          continue;
        }
      g_string_append_c (cur, *p);
      p++;
    }
  if (changed)
    {
      g_free (text->text);
      text->text = g_string_free (cur, FALSE);
    }
  else
    g_string_free (cur, TRUE);
}

/* Collapses whitespace runs across the block's text and trims both ends.
 * Empty TEXT nodes are removed. */
static void
collapse_whitespace (BbNode *block)
{
  GPtrArray *leaves = collect_leaves (block);
  gboolean space = TRUE; /* at start: leading space is dropped */
  for (guint i = 0; i < leaves->len; i++)
    {
      BbNode *n = leaves->pdata[i];
      if (n->type == BB_NODE_BREAK)
        {
          /* Space before a hard break is invisible; after it, dropped. */
          for (gint j = (gint) i - 1; j >= 0; j--)
            {
              BbNode *t = leaves->pdata[j];
              if (t->type == BB_NODE_CITATION)
                continue;
              if (t->type == BB_NODE_TEXT && t->text)
                {
                  gsize l = strlen (t->text);
                  if (l && t->text[l - 1] == ' ')
                    t->text[l - 1] = '\0';
                }
              break;
            }
          space = TRUE;
          continue;
        }
      if (n->type != BB_NODE_TEXT)
        {
          if (n->type != BB_NODE_CITATION)
            space = FALSE;
          continue;
        }
      GString *out = g_string_sized_new (n->text ? strlen (n->text) : 0);
      for (const char *p = n->text ? n->text : ""; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (is_collapsible_space (c))
            {
              if (!space)
                g_string_append_c (out, ' ');
              space = TRUE;
            }
          else
            {
              g_string_append_len (out, p, g_utf8_next_char (p) - p);
              space = FALSE;
            }
        }
      g_free (n->text);
      n->text = g_string_free (out, FALSE);
    }
  /* Trailing space of the block. */
  for (gint j = (gint) leaves->len - 1; j >= 0; j--)
    {
      BbNode *t = leaves->pdata[j];
      if (t->type == BB_NODE_CITATION)
        continue;
      if (t->type != BB_NODE_TEXT)
        break;
      gsize l = strlen (t->text);
      if (l && t->text[l - 1] == ' ')
        t->text[l - 1] = '\0';
      if (t->text[0])
        break;
    }
  for (guint i = 0; i < leaves->len; i++)
    {
      BbNode *t = leaves->pdata[i];
      if (t->type == BB_NODE_TEXT && (!t->text || !t->text[0]))
        bb_node_free (t);
    }
  g_ptr_array_free (leaves, TRUE);
}

typedef enum { Q_OPEN, Q_CLOSE, Q_UNCLEAR } QuoteKind;

static gboolean
opens_context (gunichar c)
{
  return c == 0 || is_collapsible_space (c) || c == 0xA0 || c == '(' || c == '[' || c == '{'
         || c == 0x2014 || c == 0x2013 || c == '/' || c == 0x2018 || c == 0x201C;
}

static QuoteKind
classify_quote (const char *s, gsize pos)
{
  gunichar prev = 0, next = 0;
  if (pos > 0)
    prev = g_utf8_get_char (g_utf8_find_prev_char (s, s + pos));
  next = g_utf8_get_char (s + pos + 1);
  gboolean next_space = next == 0 || g_unichar_isspace (next);
  if (opens_context (prev))
    return next_space ? Q_UNCLEAR : Q_OPEN;
  return Q_CLOSE;
}

/* Converts straight double quotes (when their pairing is clear) and
 * apostrophes between letters. */
static void
typographic_quotes (BbNode *block)
{
  GPtrArray *leaves = collect_leaves (block);
  GString *all = g_string_new (NULL);
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gboolean any = FALSE;
  for (guint i = 0; i < leaves->len; i++)
    {
      BbNode *n = leaves->pdata[i];
      gsize off = all->len;
      g_array_append_val (starts, off);
      if (n->type == BB_NODE_TEXT)
        {
          g_string_append (all, n->text);
          any = any || strchr (n->text, '"') || strchr (n->text, '\'');
        }
      else if (n->type == BB_NODE_CODE)
        g_string_append_c (all, 'x'); /* code reads as a word */
      else if (n->type == BB_NODE_BREAK)
        g_string_append_c (all, ' ');
    }
  if (!any)
    goto out;

  /* Classify every straight quote; convert only if they alternate. */
  gboolean convert = TRUE;
  QuoteKind expect = Q_OPEN;
  for (gsize i = 0; i < all->len && convert; i++)
    {
      if (all->str[i] != '"')
        continue;
      QuoteKind k = classify_quote (all->str, i);
      if (k != expect)
        convert = FALSE;
      expect = expect == Q_OPEN ? Q_CLOSE : Q_OPEN;
    }

  for (guint i = 0; i < leaves->len; i++)
    {
      BbNode *n = leaves->pdata[i];
      if (n->type != BB_NODE_TEXT || (!strchr (n->text, '"') && !strchr (n->text, '\'')))
        continue;
      gsize base = g_array_index (starts, gsize, i);
      GString *out = g_string_sized_new (strlen (n->text) + 8);
      for (const char *p = n->text; *p; p++)
        {
          gsize pos = base + (gsize) (p - n->text);
          if (*p == '"' && convert)
            g_string_append (out, classify_quote (all->str, pos) == Q_OPEN ? "\u201C" : "\u201D");
          else if (*p == '\'' && pos > 0)
            {
              gunichar prev = g_utf8_get_char (g_utf8_find_prev_char (all->str, all->str + pos));
              gunichar next = g_utf8_get_char (all->str + pos + 1);
              if (g_unichar_isalnum (prev) && g_unichar_isalpha (next))
                g_string_append (out, "\u2019");
              else
                g_string_append_c (out, '\'');
            }
          else
            g_string_append_c (out, *p);
        }
      g_free (n->text);
      n->text = g_string_free (out, FALSE);
    }
out:
  g_array_free (starts, TRUE);
  g_string_free (all, TRUE);
  g_ptr_array_free (leaves, TRUE);
}

/* ---- very long words ------------------------------------------------------ */

/* A "word" this long is a scraping accident (an inlined image, a hash, a
 * run of punctuation); Pango can only break it character by character and
 * reshapes the rest of it for every line, which costs the square of its
 * length.  Such runs get a zero-width space every BREAK_EVERY characters:
 * invisible, and a place to break the line. */
#define LONG_WORD_CHARS 128
#define BREAK_EVERY 64

static gboolean
ends_word (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x200B;
}

static void
break_long_words (BbNode *text)
{
  const char *s = text->text;
  if (!s || strlen (s) <= LONG_WORD_CHARS)
    return;
  GString *out = NULL;
  const char *p = s;
  while (*p)
    {
      /* one run of word characters: [p, q) */
      const char *q = p;
      glong n = 0;
      while (*q && !ends_word (g_utf8_get_char (q)))
        {
          q = g_utf8_next_char (q);
          n++;
        }
      if (n > LONG_WORD_CHARS)
        {
          if (!out)
            {
              out = g_string_sized_new (strlen (s) + strlen (s) / BREAK_EVERY * 3 + 1);
              g_string_append_len (out, s, p - s);
            }
          glong k = 0;
          for (const char *c = p; c < q; c = g_utf8_next_char (c), k++)
            {
              if (k && k % BREAK_EVERY == 0)
                g_string_append (out, "\u200B");
              g_string_append_len (out, c, g_utf8_next_char (c) - c);
            }
        }
      else if (out)
        g_string_append_len (out, p, q - p);
      p = q;
      /* the separator(s) after it */
      while (*p && ends_word (g_utf8_get_char (p)))
        {
          const char *next = g_utf8_next_char (p);
          if (out)
            g_string_append_len (out, p, next - p);
          p = next;
        }
    }
  if (out)
    {
      g_free (text->text);
      text->text = g_string_free (out, FALSE);
    }
}

void
bb_repair_block (BbNode *block)
{
  g_autoptr (GPtrArray) texts = collect_leaves (block);
  for (guint i = 0; i < texts->len; i++)
    {
      BbNode *n = texts->pdata[i];
      if (n->type == BB_NODE_TEXT)
        split_citations (n);
    }
  collapse_whitespace (block);
  typographic_quotes (block);
  g_autoptr (GPtrArray) leaves = collect_leaves (block);
  for (guint i = 0; i < leaves->len; i++)
    {
      BbNode *n = leaves->pdata[i];
      if (n->type == BB_NODE_TEXT)
        break_long_words (n);
    }
}
