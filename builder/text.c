/* text.c — text hygiene shared by the loaders: UTF-8 repair, NFC, language
 * detection, first sentence and word counting.
 *
 * Everything here is a single linear pass over the text: sources may be
 * large and many, and hostile input must not cost more than its length. */
#include "text.h"
#include <string.h>

/* ---- sanitize ---------------------------------------------------------- */

/* Per-line bookkeeping so each problem is reported once per line. */
typedef struct {
  const char *file;
  BbDiag *diag;
  int line;
  gboolean bad_utf8_reported;
  gboolean control_reported;
} SanitizeState;

static void
report_bad_utf8 (SanitizeState *st)
{
  if (st->bad_utf8_reported)
    return;
  st->bad_utf8_reported = TRUE;
  bb_diag_warn (st->diag, st->file, st->line, "invalid UTF-8 replaced with U+FFFD");
}

static void
report_control (SanitizeState *st, gunichar c)
{
  if (st->control_reported)
    return;
  st->control_reported = TRUE;
  if (c == 0)
    bb_diag_warn (st->diag, st->file, st->line, "NUL byte dropped");
  else
    bb_diag_warn (st->diag, st->file, st->line, "%s U+%04X dropped",
                  c >= 0xA0 ? "non-character" : "control character", c);
}

static void
new_line (SanitizeState *st, GString *out)
{
  g_string_append_c (out, '\n');
  st->line++;
  st->bad_utf8_reported = FALSE;
  st->control_reported = FALSE;
}

gboolean
bb_text_char_ok (gunichar c)
{
  if (c == '\t' || c == '\n')
    return TRUE;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return FALSE;
  /* noncharacters: U+FDD0..U+FDEF and the last two code points of every plane */
  return !(c >= 0xFDD0 && c <= 0xFDEF) && (c & 0xFFFE) != 0xFFFE;
}

/* Latin to U+02FF, the precomposed Latin of U+1E00–U+1EFF (Vietnamese),
 * and the dashes, quotes and marks of U+2010–U+2027 and U+2030–U+205E:
 * NFC_Quick_Check = Yes, canonical combining class 0, and no composition
 * with a following starter.  GLib's normalisation (a full decomposition and
 * recomposition) is skipped for text made only of these: most sources. */
gboolean
bb_text_nfc_inert (gunichar c)
{
  return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x2027)
         || (c >= 0x2030 && c <= 0x205E) || c == 0xFFFD;
}

char *
bb_text_sanitize (const char *data, gsize len, const char *file, BbDiag *diag)
{
  SanitizeState st = { file, diag, 1, FALSE, FALSE };
  gboolean composed = TRUE; /* every character so far is bb_text_nfc_inert */
  GString *out = g_string_sized_new (len + 1);
  const char *p = data, *end = data + len;

  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      guchar b = (guchar) *p;
      if (b < 0x80)
        {
          p++;
          if (b == '\n')
            new_line (&st, out);
          else if (b == '\r')
            {
              /* CR LF and a lone CR both end a line. */
              if (p < end && *p == '\n')
                p++;
              new_line (&st, out);
            }
          else if (b == '\t' || b >= 0x20)
            {
              if (b == 0x7F)
                report_control (&st, b);
              else
                g_string_append_c (out, (char) b);
            }
          else if (b == '\f' || b == '\v')
            g_string_append_c (out, ' '); /* page/line feeds: keep words apart */
          else
            report_control (&st, b);
          continue;
        }
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* One replacement per bad byte: the next byte may start a valid
           * character again. */
          report_bad_utf8 (&st);
          g_string_append (out, "\xEF\xBF\xBD");
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c >= 0x80 && c < 0xA0)
        report_control (&st, c);          /* C1 controls */
      else if (c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');     /* line/paragraph separators */
      else if (!bb_text_char_ok (c))
        report_control (&st, c);          /* noncharacters: XML and Cairo refuse them */
      else
        {
          g_string_append_len (out, p, next - p);
          composed = composed && bb_text_nfc_inert (c);
        }
      p = next;
    }

  if (composed)
    return g_string_free (out, FALSE);
  char *nfc = g_utf8_normalize (out->str, (gssize) out->len, G_NORMALIZE_NFC);
  if (!nfc)  /* cannot happen on validated text; keep the unnormalised copy */
    return g_string_free (out, FALSE);
  g_string_free (out, TRUE);
  return nfc;
}

/* ---- binary detection --------------------------------------------------- */

gboolean
bb_text_looks_binary (const char *data, gsize len)
{
  static const struct { const char *magic; gsize len; } magics[] = {
    { "\x89PNG\r\n\x1a\n", 8 }, { "%PDF-", 5 }, { "PK\x03\x04", 4 },
    { "PK\x05\x06", 4 }, { "GIF87a", 6 }, { "GIF89a", 6 }, { "\xFF\xD8\xFF", 3 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (len >= magics[i].len && memcmp (data, magics[i].magic, magics[i].len) == 0)
      return TRUE;

  /* A stray NUL or two is a scraping accident in a text (sanitizing drops
   * them, with a warning on their line); binary data is full of them. */
  gsize head = MIN (len, 8192), controls = 0, nuls = 0;
  for (gsize i = 0; i < head; i++)
    {
      guchar b = (guchar) data[i];
      if (b == 0)
        nuls++;
      if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v')
          || b == 0x7F)
        controls++;
    }
  return head > 0 && (nuls * 16 > head || controls * 10 > head);
}

/* ---- language detection ------------------------------------------------- */

/* Marks that Vietnamese puts on letters: the five tone marks (grave, acute,
 * tilde, hook above, dot below) and the vowel marks of ă â ê ô ơ ư. */
static const gunichar vi_marks[] = {
  0x0300, 0x0301, 0x0303, 0x0309, 0x0323, /* tones */
  0x0302, 0x0306, 0x031B,                 /* circumflex, breve, horn */
};

/* Vietnamese-specific letters share: above this, the text is Vietnamese.
 * Calibrated on the seeds: the Vietnamese article scores 0.29, the
 * English one 0.00; French or Spanish prose stays under 0.05. */
#define VI_THRESHOLD 0.12

static gboolean
is_vi_letter (gunichar c)
{
  if (c < 0xC0)
    return FALSE;
  if (c == 0x0111 || c == 0x0110) /* đ Đ */
    return TRUE;
  gunichar d[8];
  gsize n = g_unichar_fully_decompose (c, FALSE, d, G_N_ELEMENTS (d));
  for (gsize i = 1; i < n && i < G_N_ELEMENTS (d); i++)
    for (guint k = 0; k < G_N_ELEMENTS (vi_marks); k++)
      if (d[i] == vi_marks[k])
        return TRUE;
  return FALSE;
}

/* Looks at the first 64 KiB only: enough to decide. */
double
bb_text_vi_share (const char *text)
{
  gsize letters = 0, vi = 0;
  const char *p = text;
  while (*p && p - text < 65536)
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalpha (c))
        {
          letters++;
          vi += is_vi_letter (c);
        }
      p = g_utf8_next_char (p);
    }
  return letters ? (double) vi / (double) letters : 0.0;
}

const char *
bb_text_detect_lang (const char *text)
{
  return bb_text_vi_share (text) > VI_THRESHOLD ? "vi" : "en";
}

/* ---- sentences ----------------------------------------------------------- */

/* Words after which a full stop does not end a sentence (English, and the
 * few Vietnamese ones seen in news text).  Compared case-sensitively. */
static const char *const abbreviations[] = {
  "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gen", "Col", "Lt", "Maj",
  "Capt", "Sgt", "Adm", "Sen", "Rep", "Gov", "Pres", "Rev", "Hon", "No", "Nos",
  "vs", "etc", "approx", "Inc", "Ltd", "Co", "Corp", "Jan", "Feb", "Mar", "Apr",
  "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "ed", "eds", "cf",
  "TP", "GS", "TS", "PGS", "ThS",
};

/* Is the word ending just before text+dot (a '.') an abbreviation? */
static gboolean
ends_abbreviation (const char *text, const char *dot)
{
  const char *w = dot;
  while (w > text)
    {
      const char *prev = g_utf8_find_prev_char (text, w);
      gunichar c = g_utf8_get_char (prev);
      if (!g_unichar_isalpha (c) && c != '.')
        break;
      w = prev;
    }
  gsize n = (gsize) (dot - w);
  if (n == 0)
    return FALSE;
  /* Initials and dotted forms: "U.S.", "W.", "a.m." */
  if (g_utf8_strlen (w, (gssize) n) == 1 || memchr (w, '.', n))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (abbreviations); i++)
    if (strlen (abbreviations[i]) == n && strncmp (w, abbreviations[i], n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_closing_punct (gunichar c)
{
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019
         || c == 0xBB;
}

/* Returns a pointer just past the end of the first sentence of text. */
static const char *
first_sentence_end (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '.' && c != '!' && c != '?' && c != 0x2026)
        continue;
      const char *q = g_utf8_next_char (p);
      while (*q && is_closing_punct (g_utf8_get_char (q)))
        q = g_utf8_next_char (q);
      if (!*q)
        return q;
      if (!g_unichar_isspace (g_utf8_get_char (q)))
        continue;           /* "3.5", "U.S.", "example.com" */
      if (c == '.' && ends_abbreviation (text, p))
        continue;
      const char *r = q;
      while (*r && g_unichar_isspace (g_utf8_get_char (r)))
        r = g_utf8_next_char (r);
      gunichar n = g_utf8_get_char (r);
      if (*r && g_unichar_islower (n))
        continue;           /* "e.g. the", lowercase continues the sentence */
      return q;
    }
  return text + strlen (text);
}

char *
bb_text_first_sentence (const char *text, guint max_chars)
{
  while (*text && g_unichar_isspace (g_utf8_get_char (text)))
    text = g_utf8_next_char (text);
  const char *end = first_sentence_end (text);
  /* Collapse whitespace while copying. */
  GString *s = g_string_new (NULL);
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c))
        {
          if (s->len && s->str[s->len - 1] != ' ')
            g_string_append_c (s, ' ');
        }
      else
        g_string_append_unichar (s, c);
    }
  while (s->len && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);

  if (max_chars == 0 || g_utf8_strlen (s->str, (gssize) s->len) <= (glong) max_chars)
    return g_string_free (s, FALSE);

  /* Cut at the last space that leaves room for the ellipsis. */
  const char *limit = g_utf8_offset_to_pointer (s->str, (glong) max_chars - 1);
  gsize cut = (gsize) (limit - s->str);
  gsize sp = cut;
  while (sp > 0 && s->str[sp] != ' ')
    sp--;
  if (sp > 0)
    cut = sp;
  g_string_truncate (s, cut);
  /* No dangling punctuation or spaces before the ellipsis. */
  while (s->len)
    {
      const char *last = g_utf8_find_prev_char (s->str, s->str + s->len);
      gunichar c = g_utf8_get_char (last);
      if (c == ' ' || c == ',' || c == ';' || c == ':' || c == 0x2013 || c == 0x2014
          || c == '-' || c == '(' || c == '"' || c == 0x201C)
        g_string_truncate (s, (gsize) (last - s->str));
      else
        break;
    }
  g_string_append (s, "\xE2\x80\xA6");
  return g_string_free (s, FALSE);
}

/* ---- words ---------------------------------------------------------------- */

gsize
bb_text_count_words (const char *text)
{
  gsize n = 0;
  gboolean in = FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean w = g_unichar_isalnum (c) || g_unichar_ismark (c)
                   || ((c == '-' || c == '\'' || c == 0x2019) && in);
      if (w && !in)
        n++;
      in = w;
    }
  return n;
}

char *
bb_text_scrub (const char *s)
{
  /* file names are bytes: make them UTF-8 first (bad bytes become U+FFFD) */
  g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
  GString *o = g_string_new (NULL);
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (o, c == '\t' || bb_text_char_ok (c) ? c : 0xFFFD);
    }
  return g_string_free (o, FALSE);
}

char *
bb_text_ascii_fold (const char *s, gssize len)
{
  gsize n = len < 0 ? strlen (s) : (gsize) len;
  for (gsize i = 0; i < n; i++)
    if ((guchar) s[i] >= 0x80 || s[i] == '\0')
      return NULL;
  char *o = g_malloc (n + 1);
  for (gsize i = 0; i < n; i++)
    o[i] = g_ascii_tolower (s[i]);
  o[n] = '\0';
  return o;
}

#define MEMO_WORDS 65536

static void
memos_free (gpointer p)
{
  g_hash_table_unref (p);
}

char *
bb_text_memo_fold (BbTextFoldFunc fn, const char *s, gsize len)
{
  /* this thread's memos: fn -> (bytes -> result) */
  static GPrivate memos_key = G_PRIVATE_INIT (memos_free);
  GHashTable *memos = g_private_get (&memos_key);
  if (!memos)
    {
      memos = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_hash_table_unref);
      g_private_set (&memos_key, memos);
    }
  GHashTable *memo = g_hash_table_lookup (memos, (gpointer) fn);
  if (!memo)
    {
      memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (memos, (gpointer) fn, memo);
    }
  char small[64];
  g_autofree char *big = NULL;
  char *raw = len < sizeof small ? small : (big = g_malloc (len + 1));
  memcpy (raw, s, len);
  raw[len] = 0;
  const char *known = g_hash_table_lookup (memo, raw);
  if (known)
    return g_strdup (known);
  char *result = fn (s, (gssize) len);
  if (!result)
    return NULL;
  if (g_hash_table_size (memo) >= MEMO_WORDS)
    g_hash_table_remove_all (memo);
  g_hash_table_insert (memo, g_strdup (raw), g_strdup (result));
  return result;
}
