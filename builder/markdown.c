/* markdown.c — md4c callbacks building book-tree blocks.
 *
 * md4c reports blocks and spans as enter/leave events and text as pointers
 * into the input buffer.  We keep a stack of what each event created (or NULL
 * when it created nothing: md4c's document and table-section blocks, images,
 * and anything flattened by the depth limit), merge consecutive text pieces
 * into one TEXT node so the repair pass sees "[13]" whole, and take each
 * block's line from the offset of the first text inside it.
 *
 * md4c's bracket matching is quadratic in the number of bracket pairs in a
 * paragraph, and scraped text is full of "[13]".  When the document defines
 * no link references, such markers can never be links, so their brackets
 * are swapped for two private-use characters before parsing and swapped back
 * in every piece of text md4c hands us (line numbers are unaffected). */
#include "markdown.h"
#include "repair.h"
#include "text.h"
#include <md4c.h>
#include <string.h>

typedef struct {
  const char *text;
  gsize len;
  const char *file;      /* for diagnostics: the path as given */
  const char *node_file; /* for blocks: the base name */
  BbDiag *diag;
  GArray *line_starts;   /* gsize offsets of line starts */
  GPtrArray *stack;      /* BbNode * or NULL, one per open event */
  GArray *spans;         /* gboolean per stack entry: opened by enter_span */
  BbNode *cur;           /* innermost created node */
  int depth;             /* created nodes below the section */
  gboolean implicit;     /* cur is a paragraph we opened for a tight item */
  gboolean depth_warned;
  GPtrArray *pending;    /* blocks still waiting for their line */
  int last_line;
  int code_fence_pending; /* first text of a fenced code block: line - 1 */
  gboolean protected;     /* citation brackets were swapped, see above */
  /* text accumulation */
  BbNode *acc_node;
  GString *acc;
} Md;

#define PROTECT_OPEN "\xEE\x80\x80"  /* U+E000 */
#define PROTECT_CLOSE "\xEE\x80\x81" /* U+E001 */

/* Returns a copy of text with the brackets of citation markers swapped for
 * the private-use pair, or NULL when nothing needs (or may) be swapped. */
static char *
protect_markers (const char *text)
{
  if (strstr (text, "]:") || strstr (text, PROTECT_OPEN) || strstr (text, PROTECT_CLOSE))
    return NULL; /* link references, or the characters are taken */
  GString *out = NULL;
  const char *copied = text;
  const char *line = text;
  for (const char *p = text; *p; p++)
    {
      if (*p == '\n')
        line = p + 1;
      if (*p != '[')
        continue;
      gsize m = bb_repair_marker_len (p);
      if (!m)
        continue;
      if (p > text && (p[-1] == '\\' || p[-1] == ']' || p[-1] == '!'))
        continue;
      if (p[m] == '(' || p[m] == '[')
        continue;
      /* "- [x] task" is a task-list box, not a citation. */
      if (m == 3 && p[1] == 'x')
        {
          const char *q = line;
          while (q < p && strchr (" \t>-*+.)0123456789", *q))
            q++;
          if (q == p)
            continue;
        }
      if (!out)
        out = g_string_sized_new (strlen (text) + 64);
      g_string_append_len (out, copied, p - copied);
      g_string_append (out, PROTECT_OPEN);
      g_string_append_len (out, p + 1, (gssize) m - 2);
      g_string_append (out, PROTECT_CLOSE);
      copied = p + m;
      p += m - 1;
    }
  if (!out)
    return NULL;
  g_string_append (out, copied);
  return g_string_free (out, FALSE);
}

/* Appends n bytes of s to out, swapping protected brackets back. */
static void
append_unprotected (GString *out, const char *s, gsize n, gboolean protected)
{
  if (!protected)
    {
      g_string_append_len (out, s, (gssize) n);
      return;
    }
  const char *end = s + n;
  for (const char *p = s; p < end; p++)
    {
      if ((guchar) *p == 0xEE && end - p >= 3 && (guchar) p[1] == 0x80
          && ((guchar) p[2] == 0x80 || (guchar) p[2] == 0x81))
        {
          g_string_append_c (out, (guchar) p[2] == 0x80 ? '[' : ']');
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
}

static int
line_of (Md *md, const char *p)
{
  if (p < md->text || p >= md->text + md->len)
    return 0;
  gsize off = (gsize) (p - md->text);
  guint lo = 0, hi = md->line_starts->len;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (g_array_index (md->line_starts, gsize, mid) <= off)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo + 1;
}

static void
flush_text (Md *md)
{
  if (!md->acc_node)
    return;
  g_free (md->acc_node->text);
  md->acc_node->text = g_strndup (md->acc->str, md->acc->len);
  g_string_truncate (md->acc, 0);
  md->acc_node = NULL;
}

static void
see_line (Md *md, int line)
{
  if (line <= 0)
    return;
  for (guint i = 0; i < md->pending->len; i++)
    {
      BbNode *n = md->pending->pdata[i];
      n->line = line;
      if (n->type == BB_NODE_CODE_BLOCK && md->code_fence_pending && line > 1)
        n->line = line - 1;
    }
  g_ptr_array_set_size (md->pending, 0);
  md->code_fence_pending = 0;
  md->last_line = line;
}

static BbNode *
open_block (Md *md, BbNodeType type)
{
  BbNode *n = bb_node_new (type);
  n->file = g_strdup (md->node_file);
  bb_node_append (md->cur, n);
  md->cur = n;
  md->depth++;
  g_ptr_array_add (md->pending, n);
  return n;
}

static void
push (Md *md, BbNode *n, gboolean span)
{
  g_ptr_array_add (md->stack, n);
  g_array_append_val (md->spans, span);
}

/* Takes the innermost open event off the stack; returns its node (or NULL
 * when the event made none). */
static BbNode *
pop (Md *md)
{
  g_array_set_size (md->spans, md->spans->len - 1);
  return g_ptr_array_steal_index (md->stack, md->stack->len - 1);
}

static gboolean
top_is_span (const Md *md)
{
  return md->spans->len && g_array_index (md->spans, gboolean, md->spans->len - 1);
}

/* Closes an inline node (cur moves back to its parent). */
static void
close_span (Md *md, BbNode *n)
{
  if (!n)
    return;
  md->cur = n->parent;
  md->depth--;
}

static gboolean
is_container (const BbNode *n)
{
  return n->type == BB_NODE_SECTION || n->type == BB_NODE_QUOTE || n->type == BB_NODE_ITEM;
}

static gboolean
holds_inlines (const BbNode *n)
{
  return n->type == BB_NODE_PARAGRAPH || n->type == BB_NODE_HEADING || n->type == BB_NODE_CELL
         || bb_node_is_inline (n);
}

static void
close_implicit (Md *md)
{
  flush_text (md);
  if (!md->implicit)
    return;
  bb_repair_block (md->cur);
  md->cur = md->cur->parent;
  md->depth--;
  md->implicit = FALSE;
}

/* Makes sure cur can take inline content; FALSE when it cannot. */
static gboolean
inline_parent (Md *md)
{
  if (holds_inlines (md->cur) || md->cur->type == BB_NODE_CODE_BLOCK)
    return TRUE;
  if (!is_container (md->cur))
    return FALSE;
  open_block (md, BB_NODE_PARAGRAPH);
  md->implicit = TRUE;
  return TRUE;
}

static gboolean
too_deep (Md *md)
{
  if (md->depth < BB_MARKDOWN_MAX_DEPTH)
    return FALSE;
  if (!md->depth_warned)
    {
      md->depth_warned = TRUE;
      bb_diag_warn (md->diag, md->file, md->last_line,
                    "nesting deeper than %d levels flattened", BB_MARKDOWN_MAX_DEPTH);
    }
  return TRUE;
}

static int
enter_block (MD_BLOCKTYPE type, void *detail, void *userdata)
{
  Md *md = userdata;
  flush_text (md);
  while (top_is_span (md)) /* never left by md4c (see leave_block) */
    close_span (md, pop (md));
  close_implicit (md);
  BbNode *n = NULL;
  switch (type)
    {
    case MD_BLOCK_QUOTE:
      if (!too_deep (md))
        n = open_block (md, BB_NODE_QUOTE);
      break;
    case MD_BLOCK_UL:
      if (!too_deep (md))
        n = open_block (md, BB_NODE_LIST);
      break;
    case MD_BLOCK_OL:
      if (!too_deep (md))
        {
          n = open_block (md, BB_NODE_LIST);
          MD_BLOCK_OL_DETAIL *d = detail;
          n->level = (int) MAX (1u, MIN (d->start, (unsigned) G_MAXINT));
        }
      break;
    case MD_BLOCK_LI:
      /* An item exists exactly when its list does. */
      if (md->cur->type == BB_NODE_LIST)
        n = open_block (md, BB_NODE_ITEM);
      break;
    case MD_BLOCK_HR:
      if (is_container (md->cur))
        n = open_block (md, BB_NODE_RULE);
      break;
    case MD_BLOCK_H:
      if (is_container (md->cur))
        {
          n = open_block (md, BB_NODE_HEADING);
          n->level = (int) CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1u, 6u);
        }
      break;
    case MD_BLOCK_CODE:
      if (is_container (md->cur))
        {
          n = open_block (md, BB_NODE_CODE_BLOCK);
          n->text = g_strdup ("");
          md->code_fence_pending = ((MD_BLOCK_CODE_DETAIL *) detail)->fence_char != 0;
        }
      break;
    case MD_BLOCK_HTML: /* not produced with MD_FLAG_NOHTML; shown as text */
    case MD_BLOCK_P:
      if (is_container (md->cur))
        n = open_block (md, BB_NODE_PARAGRAPH);
      break;
    case MD_BLOCK_TABLE:
      if (is_container (md->cur))
        {
          n = open_block (md, BB_NODE_TABLE);
          n->level = (int) MIN (((MD_BLOCK_TABLE_DETAIL *) detail)->head_row_count, 1000u);
        }
      break;
    case MD_BLOCK_TR:
      if (md->cur->type == BB_NODE_TABLE)
        n = open_block (md, BB_NODE_ROW);
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (md->cur->type == BB_NODE_ROW)
        {
          n = open_block (md, BB_NODE_CELL);
          if (((MD_BLOCK_TD_DETAIL *) detail)->align == MD_ALIGN_RIGHT)
            n->flags |= BB_FLAG_NUMERIC;
        }
      break;
    case MD_BLOCK_DOC:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }
  push (md, n, FALSE);
  return 0;
}

static gboolean
is_figure_char (gunichar c)
{
  if (c < 0x80)
    return c != 0 && strchr (" .,%+-()$", (int) c) != NULL;
  return c == 0x2212 || c == 0x2013 || c == 0x20AC || c == 0xA3 || c == 0xA5
         || c == 0x20AB || c == 0xA0 || c == 0x202F;
}

/* A cell whose text is a figure ("1,200", "-3.5%", "$40") is set flush
 * right. */
static gboolean
looks_numeric (const char *s)
{
  gboolean digit = FALSE;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isdigit (c))
        digit = TRUE;
      else if (!is_figure_char (c))
        return FALSE;
    }
  return digit;
}

static int
leave_block (MD_BLOCKTYPE type, void *detail, void *userdata)
{
  Md *md = userdata;
  /* md4c 0.4 can leave spans unbalanced (emphasis across a permissive
   * autolink): spans still open when their block ends are closed here */
  flush_text (md);
  while (top_is_span (md))
    close_span (md, pop (md));
  close_implicit (md);
  BbNode *n = md->stack->len ? pop (md) : NULL;
  if (!n)
    return 0;
  if (n->line == 0)
    {
      g_ptr_array_remove (md->pending, n);
      n->line = MAX (md->last_line, 1);
    }
  switch (n->type)
    {
    case BB_NODE_PARAGRAPH:
    case BB_NODE_HEADING:
      bb_repair_block (n);
      break;
    case BB_NODE_CELL:
      bb_repair_block (n);
      {
        g_autofree char *plain = bb_node_plain (n);
        if (type == MD_BLOCK_TD && looks_numeric (plain))
          n->flags |= BB_FLAG_NUMERIC;
      }
      break;
    case BB_NODE_CODE_BLOCK:
      {
        gsize l = strlen (n->text);
        if (l && n->text[l - 1] == '\n')
          n->text[l - 1] = '\0';
      }
      break;
    default:
      break;
    }
  md->cur = n->parent;
  md->depth--;
  return 0;
}

static char *
attribute_string (const MD_ATTRIBUTE *a, gboolean protected);

static gboolean
href_allowed (const char *href)
{
  static const char *const schemes[] = { "http://", "https://", "ftp://", "mailto:" };
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_ascii_strncasecmp (href, schemes[i], strlen (schemes[i])) == 0)
      return TRUE;
  return FALSE;
}

static int
enter_span (MD_SPANTYPE type, void *detail, void *userdata)
{
  Md *md = userdata;
  flush_text (md);
  BbNode *n = NULL;
  if (inline_parent (md) && md->cur->type != BB_NODE_CODE_BLOCK)
    {
      BbNodeType t = BB_NODE_BOOK;
      char *href = NULL;
      switch (type)
        {
        case MD_SPAN_EM: t = BB_NODE_EMPH; break;
        case MD_SPAN_STRONG: t = BB_NODE_STRONG; break;
        case MD_SPAN_CODE: t = BB_NODE_CODE; break;
        case MD_SPAN_A:
          href = attribute_string (&((MD_SPAN_A_DETAIL *) detail)->href, md->protected);
          if (g_ascii_strncasecmp (href, "www.", 4) == 0)
            {
              char *h = g_strconcat ("http://", href, NULL);
              g_free (href);
              href = h;
            }
          if (href_allowed (href))
            t = BB_NODE_LINK;
          break;
        default: /* images keep their text; strikethrough is shown plain */
          break;
        }
      /* Code spans are leaves: always kept. */
      if (t != BB_NODE_BOOK && md->cur->type != BB_NODE_CODE
          && (t == BB_NODE_CODE || !too_deep (md)))
        {
          n = bb_node_new (t);
          n->href = href;
          href = NULL;
          if (t == BB_NODE_CODE)
            n->text = g_strdup ("");
          bb_node_append (md->cur, n);
          md->cur = n;
          md->depth++;
        }
      g_free (href);
    }
  push (md, n, TRUE);
  return 0;
}

static int
leave_span (MD_SPANTYPE type, void *detail, void *userdata)
{
  Md *md = userdata;
  flush_text (md);
  /* a leave without its enter (see leave_block) must not close a block */
  if (top_is_span (md))
    close_span (md, pop (md));
  return 0;
}

/* Decodes one entity ("&amp;", "&#233;", "&#x1F600;") into out; unknown
 * named entities are kept as written. */
static void
append_entity (GString *out, const char *s, gsize n)
{
  static const struct { const char *name; const char *utf8; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", "\u00A0" }, { "mdash", "\u2014" }, { "ndash", "\u2013" },
    { "hellip", "\u2026" }, { "copy", "\u00A9" }, { "reg", "\u00AE" },
    { "lsquo", "\u2018" }, { "rsquo", "\u2019" }, { "ldquo", "\u201C" },
    { "rdquo", "\u201D" }, { "laquo", "\u00AB" }, { "raquo", "\u00BB" },
    { "euro", "\u20AC" }, { "pound", "\u00A3" }, { "deg", "\u00B0" },
    { "times", "\u00D7" }, { "minus", "\u2212" }, { "shy", "\u00AD" },
  };
  if (n >= 4 && s[0] == '&' && s[1] == '#' && s[n - 1] == ';')
    {
      gboolean hex = s[2] == 'x' || s[2] == 'X';
      g_autofree char *digits = g_strndup (s + 2 + hex, n - 3 - hex);
      guint64 v = g_ascii_strtoull (digits, NULL, hex ? 16 : 10);
      if (v > 0x10FFFF || !bb_text_char_ok ((gunichar) v) || v == '\t' || v == '\n')
        g_string_append (out, "\uFFFD");
      else
        g_string_append_unichar (out, (gunichar) v);
      return;
    }
  if (n >= 3 && s[0] == '&' && s[n - 1] == ';')
    for (guint i = 0; i < G_N_ELEMENTS (named); i++)
      if (strlen (named[i].name) == n - 2 && strncmp (s + 1, named[i].name, n - 2) == 0)
        {
          g_string_append (out, named[i].utf8);
          return;
        }
  g_string_append_len (out, s, (gssize) n);
}

static char *
attribute_string (const MD_ATTRIBUTE *a, gboolean protected)
{
  GString *s = g_string_new (NULL);
  if (!a->text || a->size == 0 || !a->substr_offsets || !a->substr_types)
    return g_string_free (s, FALSE);
  for (guint i = 0; a->substr_offsets[i] < a->size; i++)
    {
      const char *p = a->text + a->substr_offsets[i];
      gsize n = a->substr_offsets[i + 1] - a->substr_offsets[i];
      if (a->substr_types[i] == MD_TEXT_ENTITY)
        append_entity (s, p, n);
      else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
        g_string_append (s, "\uFFFD");
      else
        append_unprotected (s, p, n, protected);
    }
  return g_string_free (s, FALSE);
}

static int
text_cb (MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
  Md *md = userdata;
  /* Open the implicit paragraph first so it gets this text's line too. */
  gboolean ok = inline_parent (md);
  see_line (md, line_of (md, text));
  if (!ok)
    return 0;
  if (type == MD_TEXT_BR)
    {
      flush_text (md);
      if (md->cur->type != BB_NODE_CODE && md->cur->type != BB_NODE_CODE_BLOCK)
        bb_node_append (md->cur, bb_node_new (BB_NODE_BREAK));
      return 0;
    }
  /* Code spans and blocks collect into their own text. */
  BbNode *target;
  if (md->cur->type == BB_NODE_CODE || md->cur->type == BB_NODE_CODE_BLOCK)
    target = md->cur;
  else if (md->cur->last && md->cur->last->type == BB_NODE_TEXT)
    target = md->cur->last; /* also across flattened spans */
  else
    {
      flush_text (md);
      target = bb_node_append (md->cur, bb_node_new_text ("", 0));
    }
  if (target != md->acc_node)
    {
      flush_text (md);
      md->acc_node = target;
      g_string_assign (md->acc, target->text ? target->text : "");
    }
  switch (type)
    {
    case MD_TEXT_SOFTBR:
      g_string_append_c (md->acc, md->cur->type == BB_NODE_CODE_BLOCK ? '\n' : ' ');
      break;
    case MD_TEXT_NULLCHAR:
      g_string_append (md->acc, "\uFFFD");
      break;
    case MD_TEXT_ENTITY:
      append_entity (md->acc, text, size);
      break;
    default:
      append_unprotected (md->acc, text, size, md->protected);
      break;
    }
  return 0;
}

gboolean
bb_markdown_parse (const char *text, BbNode *section, const char *file, BbDiag *diag)
{
  Md md = { 0 };
  g_autofree char *swapped = protect_markers (text);
  if (swapped)
    {
      text = swapped;
      md.protected = TRUE;
    }
  md.text = text;
  md.len = strlen (text);
  md.file = file;
  md.node_file = bb_node_file (section) ? bb_node_file (section) : file;
  md.diag = diag;
  md.line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize zero = 0;
  g_array_append_val (md.line_starts, zero);
  for (const char *p = text; (p = strchr (p, '\n')); p++)
    {
      gsize off = (gsize) (p - text) + 1;
      g_array_append_val (md.line_starts, off);
    }
  md.stack = g_ptr_array_new ();
  md.spans = g_array_new (FALSE, FALSE, sizeof (gboolean));
  md.pending = g_ptr_array_new ();
  md.cur = section;
  md.acc = g_string_new (NULL);
  md.last_line = 1;

  MD_PARSER parser = { 0 };
  parser.abi_version = 0;
  parser.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = text_cb;

  int rc = md_parse (text, (MD_SIZE) MIN (md.len, (gsize) G_MAXUINT32), &parser, &md);
  close_implicit (&md);
  flush_text (&md);
  if (rc != 0)
    bb_diag_error (diag, file, 0, "markdown parser failed (code %d)", rc);

  g_string_free (md.acc, TRUE);
  g_ptr_array_free (md.pending, TRUE);
  g_ptr_array_free (md.stack, TRUE);
  g_array_unref (md.spans);
  g_array_free (md.line_starts, TRUE);
  return rc == 0;
}
