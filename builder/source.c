/* source.c — loading one source document into a repaired chapter tree.
 *
 * Decisions beyond source.h:
 * - A .txt file is read as blank-line-separated paragraphs (lines joined
 *   with a space) when it has both blank lines between text and runs of
 *   consecutive text lines; otherwise every non-blank line is a paragraph.
 * - In a .txt file, a first paragraph that is a single short line without
 *   closing punctuation, with more text after it, is read as a heading (and
 *   so becomes the title).
 * - A file starting with a UTF-16 byte order mark is converted first.
 * - The title is book.ini's, else the first heading's text (the heading is
 *   dropped from the body when it opens it, since the chapter title is
 *   printed anyway; a heading over 200 characters gives only its first
 *   sentence, cut to 200, and stays), else the first sentence of the
 *   first paragraph cut to 80 characters, else the file name.
 * - A source larger than 4 MiB is skipped with a warning: that is some
 *   700,000 words, thousands of printed pages, a data dump rather than a
 *   document, and typesetting it would take minutes and gigabytes.  Only
 *   the first bytes past the limit are read, so a huge file costs nothing.
 * - Leaf blocks (heading, paragraph, table, code block) get anchors
 *   "<id>-p<N>", N counting from 1 in document order.
 */
#include "source.h"
#include "markdown.h"
#include "repair.h"
#include "text.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define BB_SOURCE_MAX_BYTES (4u * 1024 * 1024)
#define BB_TITLE_MAX_CHARS 80
/* headings are titles as written, up to a sane length */
#define BB_HEADING_TITLE_MAX_CHARS 200

gboolean
bb_source_is_source_name (const char *path)
{
  const char *dot = strrchr (path, '.');
  if (!dot || strchr (dot, '/'))
    return FALSE;
  return g_ascii_strcasecmp (dot, ".txt") == 0 || g_ascii_strcasecmp (dot, ".md") == 0
         || g_ascii_strcasecmp (dot, ".markdown") == 0;
}

/* The base name as the book shows it (chapter provenance, TSV `sources`):
 * file names are bytes, so invalid UTF-8, control characters and
 * noncharacters become U+FFFD; the path itself stays as given, for
 * diagnostics and for opening. */
static char *
display_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  return bb_text_scrub (base);
}

static gboolean
is_markdown_name (const char *name)
{
  const char *dot = strrchr (name, '.');
  return dot && (g_ascii_strcasecmp (dot, ".md") == 0 || g_ascii_strcasecmp (dot, ".markdown") == 0);
}

/* "s-" + the base name without its extension, every character outside
 * [A-Za-z0-9_-] replaced by '_': a valid XML NCName. */
static char *
make_id (const char *name)
{
  GString *id = g_string_new ("s-");
  const char *dot = strrchr (name, '.');
  const char *end = dot && dot != name ? dot : name + strlen (name);
  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    {
      if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
        g_string_append_c (id, *p);
      else
        g_string_append_c (id, '_');
    }
  return g_string_free (id, FALSE);
}

static gboolean
is_blank_line (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t')
      {
        /* No-break and other Unicode spaces count as blank too. */
        gunichar c = g_utf8_get_char_validated (s + i, (gssize) (n - i));
        if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isspace (c))
          return FALSE;
        i += (gsize) (g_utf8_next_char (s + i) - (s + i)) - 1;
      }
  return TRUE;
}

/* Splits plain text into paragraphs (owned strings) with their first line. */
static void
split_paragraphs (const char *text, GPtrArray *paras, GArray *lines)
{
  /* First pass: decide the paragraph convention of this file. */
  gboolean blank_between = FALSE, consecutive = FALSE;
  gboolean prev_text = FALSE, seen_text = FALSE, blank_after_text = FALSE;
  for (const char *p = text; *p;)
    {
      const char *nl = strchr (p, '\n');
      gsize n = nl ? (gsize) (nl - p) : strlen (p);
      gboolean blank = is_blank_line (p, n);
      if (!blank)
        {
          if (prev_text)
            consecutive = TRUE;
          if (blank_after_text)
            blank_between = TRUE;
          seen_text = TRUE;
          blank_after_text = FALSE;
        }
      else if (seen_text)
        blank_after_text = TRUE;
      prev_text = !blank;
      p = nl ? nl + 1 : p + n;
    }
  gboolean by_blank = blank_between && consecutive;

  GString *cur = NULL;
  int cur_line = 0, line = 1;
  for (const char *p = text; *p; line++)
    {
      const char *nl = strchr (p, '\n');
      gsize n = nl ? (gsize) (nl - p) : strlen (p);
      gboolean blank = is_blank_line (p, n);
      if (!blank)
        {
          if (cur && by_blank)
            g_string_append_c (cur, ' ');
          else
            {
              cur = g_string_new (NULL);
              cur_line = line;
            }
          g_string_append_len (cur, p, (gssize) n);
          if (!by_blank)
            {
              g_ptr_array_add (paras, g_string_free (cur, FALSE));
              g_array_append_val (lines, cur_line);
              cur = NULL;
            }
        }
      else if (cur)
        {
          g_ptr_array_add (paras, g_string_free (cur, FALSE));
          g_array_append_val (lines, cur_line);
          cur = NULL;
        }
      p = nl ? nl + 1 : p + n;
    }
  if (cur)
    {
      g_ptr_array_add (paras, g_string_free (cur, FALSE));
      g_array_append_val (lines, cur_line);
    }
}

/* A first paragraph that is one short line without closing punctuation,
 * followed by more text, is the document's title line. */
static gboolean
is_title_line (const char *s)
{
  gsize len = strlen (s);
  if (len == 0 || g_utf8_strlen (s, (gssize) len) > BB_TITLE_MAX_CHARS)
    return FALSE;
  const char *last = g_utf8_find_prev_char (s, s + len);
  gunichar c = g_utf8_get_char (last);
  return !strchr (".!?:;,]\"", (int) (c < 0x80 ? c : 'x')) && c != 0x2026 && c != 0x201D;
}

static void
parse_plain (const char *text, BbNode *body, const char *name)
{
  g_autoptr (GPtrArray) paras = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (int));
  split_paragraphs (text, paras, lines);
  bb_repair_paragraphs (paras);
  gboolean first = TRUE;
  for (guint i = 0; i < paras->len; i++)
    {
      const char *s = paras->pdata[i];
      if (is_blank_line (s, strlen (s)))
        continue;
      gboolean title = first && i + 1 < paras->len && is_title_line (s);
      first = FALSE;
      BbNode *p = bb_node_new (title ? BB_NODE_HEADING : BB_NODE_PARAGRAPH);
      p->level = title ? 1 : 0;
      p->file = g_strdup (name);
      p->line = g_array_index (lines, int, i);
      bb_node_append (p, bb_node_new_text (s, -1));
      bb_repair_block (p);
      if (p->first)
        bb_node_append (body, p);
      else
        bb_node_free (p);
    }
}

static gboolean
is_leaf_block (const BbNode *n)
{
  return n->type == BB_NODE_HEADING || n->type == BB_NODE_PARAGRAPH
         || n->type == BB_NODE_TABLE || n->type == BB_NODE_CODE_BLOCK;
}

static void
assign_anchors (BbNode *body, const char *id)
{
  guint n = 0;
  for (BbNode *b = body->first; b; b = bb_node_next_in (body, b))
    if (is_leaf_block (b))
      {
        g_free (bb_node_anchor (b));
        b->anchor = g_strdup_printf ("%s-p%u", id, ++n);
      }
}

/* Title from the text itself; see the header comment. */
static char *
derive_title (BbNode *body)
{
  for (BbNode *b = body->first; b; b = bb_node_next_in (body, b))
    if (b->type == BB_NODE_HEADING)
      {
        char *t = bb_node_plain (b);
        if (!*t)
          {
            g_free (t);
            break;
          }
        if (g_utf8_strlen (t, -1) > BB_HEADING_TITLE_MAX_CHARS)
          {
            /* a whole paragraph marked as a heading: the title is its
             * start, and the heading stays in the text in full */
            char *cut = bb_text_first_sentence (t, BB_HEADING_TITLE_MAX_CHARS);
            g_free (t);
            if (*cut)
              return cut;
            g_free (cut);
            break;
          }
        if (b == body->first)
          bb_node_free (b);
        return t;
      }
  for (BbNode *b = body->first; b; b = bb_node_next_in (body, b))
    if (b->type == BB_NODE_PARAGRAPH)
      {
        g_autofree char *plain = bb_node_plain (b);
        char *t = bb_text_first_sentence (plain, BB_TITLE_MAX_CHARS);
        gsize l = strlen (t);
        /* A title carries no full stop (but keeps "?" and "!"). */
        if (l > 1 && t[l - 1] == '.' && t[l - 2] != '.')
          t[l - 1] = '\0';
        if (*t)
          return t;
        g_free (t);
      }
  return NULL;
}

BbSource *
bb_source_parse (const char *path, const char *data, gsize len, const BbSourceMeta *meta,
                 BbDiag *diag)
{
  g_autofree char *name = display_name (path);
  g_autofree char *converted = NULL;
  gsize raw_len = len;
  const char *raw = data;

  /* UTF-16 text is text, though it is full of NUL bytes. */
  if (len >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
                   || ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      gsize out_len = 0;
      converted = g_convert (data, (gssize) len, "UTF-8", "UTF-16", NULL, &out_len, NULL);
      if (converted)
        {
          data = converted;
          len = out_len;
        }
    }
  if (bb_text_looks_binary (data, len))
    {
      bb_diag_warn (diag, path, 0, "not a text file (binary data); skipped");
      return NULL;
    }

  g_autofree char *text = bb_text_sanitize (data, len, path, diag);
  gboolean blank = TRUE;
  for (const char *p = text; *p && blank; p = g_utf8_next_char (p))
    blank = g_unichar_isspace (g_utf8_get_char (p));
  if (blank)
    {
      bb_diag_warn (diag, path, 0, "empty source; skipped");
      return NULL;
    }

  BbSource *src = g_new0 (BbSource, 1);
  src->path = g_strdup (path);
  src->name = g_strdup (name);
  src->id = make_id (name);
  src->checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) raw, raw_len);
  src->lang = g_strdup (meta && meta->lang && *meta->lang ? meta->lang : bb_text_detect_lang (text));
  src->publisher = g_strdup (meta ? meta->publisher : NULL);
  src->date = g_strdup (meta ? meta->date : NULL);

  BbNode *body = bb_node_new (BB_NODE_SECTION);
  body->kind = BB_SECTION_CHAPTER;
  body->anchor = g_strdup (src->id);
  body->file = g_strdup (name);
  body->line = 1;
  body->lang = g_strdup (src->lang);
  src->body = body;

  if (is_markdown_name (name))
    bb_markdown_parse (text, body, path, diag);
  else
    parse_plain (text, body, name);

  char *derived = derive_title (body); /* may drop an opening heading */
  if (meta && meta->title && *meta->title)
    {
      src->title = g_strdup (meta->title);
      g_free (derived);
    }
  else
    src->title = derived ? derived : g_strdup (name);
  body->text = g_strdup (src->title);

  assign_anchors (body, src->id);
  src->words = bb_node_count_words (body);
  return src;
}

BbSource *
bb_source_load (const char *path, const BbSourceMeta *meta, BbDiag *diag)
{
  FILE *f = fopen (path, "rb");
  if (!f)
    {
      bb_diag_warn (diag, path, 0, "cannot open: %s", g_strerror (errno));
      return NULL;
    }
  struct stat st = { 0 };
  if (fstat (fileno (f), &st) == 0 && S_ISDIR (st.st_mode))
    {
      fclose (f);
      bb_diag_warn (diag, path, 0, "cannot read: %s", g_strerror (EISDIR));
      return NULL;
    }
  /* st_size may be huge (a sparse file): never reserve past the limit */
  GString *buf = g_string_sized_new (st.st_size > 0 ? MIN ((gsize) st.st_size, BB_SOURCE_MAX_BYTES) + 1 : 4096);
  char chunk[65536];
  gsize n;
  while ((n = fread (chunk, 1, sizeof chunk, f)) > 0)
    {
      g_string_append_len (buf, chunk, (gssize) n);
      if (buf->len > BB_SOURCE_MAX_BYTES)
        break;
    }
  int err = ferror (f) ? errno : 0;
  fclose (f);
  if (err)
    {
      g_string_free (buf, TRUE);
      bb_diag_warn (diag, path, 0, "cannot read: %s", g_strerror (err));
      return NULL;
    }
  if (buf->len > BB_SOURCE_MAX_BYTES)
    {
      g_string_free (buf, TRUE);
      bb_diag_warn (diag, path, 0, "file larger than %u MiB; skipped",
                     BB_SOURCE_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  BbSource *src = bb_source_parse (path, buf->str, buf->len, meta, diag);
  g_string_free (buf, TRUE);
  return src;
}

void
bb_source_free (BbSource *src)
{
  if (!src)
    return;
  g_free (src->path);
  g_free (src->name);
  g_free (src->id);
  g_free (src->title);
  g_free (src->lang);
  g_free (src->publisher);
  g_free (src->date);
  g_free (src->checksum);
  bb_node_free (src->body);
  g_free (src);
}
