/* node.c — the book tree: construction, plain text, walking, dumping. */
#include "node.h"
#include "text.h"
#include <string.h>

/* The inline part ends where the block-only fields begin (node.h). */
G_STATIC_ASSERT (G_STRUCT_OFFSET (BbNode, anchor) == 80 && sizeof (BbNode) == 112);

BbNode *
bb_node_new (BbNodeType type)
{
  BbNode *n = g_malloc0 (BB_NODE_TYPE_IS_INLINE (type) ? G_STRUCT_OFFSET (BbNode, anchor)
                                                    : sizeof (BbNode));
  n->type = type;
  return n;
}

BbNode *
bb_node_new_text (const char *s, gssize len)
{
  BbNode *n = bb_node_new (BB_NODE_TEXT);
  n->text = len < 0 ? g_strdup (s) : g_strndup (s, (gsize) len);
  return n;
}

BbNode *
bb_node_append (BbNode *parent, BbNode *child)
{
  g_return_val_if_fail (child->parent == NULL, child);
  child->parent = parent;
  child->prev = parent->last;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  return child;
}

void
bb_node_insert_before (BbNode *sibling, BbNode *child)
{
  BbNode *parent = sibling->parent;
  g_return_if_fail (parent != NULL && child->parent == NULL);
  child->parent = parent;
  child->next = sibling;
  child->prev = sibling->prev;
  if (sibling->prev)
    sibling->prev->next = child;
  else
    parent->first = child;
  sibling->prev = child;
}

void
bb_node_unlink (BbNode *node)
{
  BbNode *parent = node->parent;
  if (!parent)
    return;
  if (node->prev)
    node->prev->next = node->next;
  else
    parent->first = node->next;
  if (node->next)
    node->next->prev = node->prev;
  else
    parent->last = node->prev;
  node->parent = node->prev = node->next = NULL;
}

void
bb_node_free (BbNode *node)
{
  /* Iterative over siblings, recursive over depth: deep Markdown nesting is
   * bounded by the loader. */
  if (!node)
    return;
  bb_node_unlink (node);
  BbNode *c = node->first;
  while (c)
    {
      BbNode *next = c->next;
      c->parent = NULL;
      c->prev = c->next = NULL;
      bb_node_free (c);
      c = next;
    }
  g_free (node->text);
  g_free (node->href);
  if (!BB_NODE_TYPE_IS_INLINE (node->type))
    {
      g_free (node->anchor);
      g_free (node->file);
      g_free (node->lang);
      g_free (node->subtitle);
    }
  g_free (node);
}

gboolean
bb_node_is_inline (const BbNode *node)
{
  return BB_NODE_TYPE_IS_INLINE (node->type);
}

gboolean
bb_node_is_block (const BbNode *node)
{
  return node->type >= BB_NODE_HEADING && node->type < BB_NODE_TEXT;
}

static void
append_collapsed (GString *out, const char *s)
{
  const char *p = s;
  while (*p)
    {
      /* a stretch of ASCII other than white space is copied at once */
      const char *q = p;
      while ((guchar) *q >= 0x21 && (guchar) *q < 0x80)
        q++;
      if (q > p)
        {
          g_string_append_len (out, p, q - p);
          p = q;
          continue;
        }
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      if (g_unichar_isspace (c) || c == 0x00AD)
        {
          if (c != 0x00AD && out->len && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
}

static void
append_plain_rec (const BbNode *node, GString *out)
{
  switch (node->type)
    {
    case BB_NODE_CITATION:
      return;
    case BB_NODE_TEXT:
    case BB_NODE_CODE:
    case BB_NODE_CODE_BLOCK:
      append_collapsed (out, node->text ? node->text : "");
      return;
    case BB_NODE_BREAK:
      if (out->len && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
      return;
    default:
      break;
    }
  for (const BbNode *c = node->first; c; c = c->next)
    {
      /* Blocks are separated by a space so words never glue together. */
      if (bb_node_is_block (c) && out->len && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
      append_plain_rec (c, out);
    }
}

void
bb_node_append_plain (const BbNode *node, GString *out)
{
  gsize start = out->len;
  append_plain_rec (node, out);
  /* trim what we added */
  gsize i = start;
  while (i < out->len && out->str[i] == ' ')
    i++;
  g_string_erase (out, (gssize) start, (gssize) (i - start));
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
}

char *
bb_node_plain (const BbNode *node)
{
  GString *s = g_string_new (NULL);
  bb_node_append_plain (node, s);
  return g_string_free (s, FALSE);
}

gsize
bb_node_count_words (const BbNode *node)
{
  g_autofree char *plain = bb_node_plain (node);
  return bb_text_count_words (plain);
}

BbNode *
bb_node_next_in (const BbNode *root, const BbNode *node)
{
  if (node->first)
    return node->first;
  while (node && node != root)
    {
      if (node->next)
        return node->next;
      node = node->parent;
    }
  return NULL;
}

BbNode *
bb_node_section (const BbNode *node)
{
  while (node && node->type != BB_NODE_SECTION)
    node = node->parent;
  return (BbNode *) node;
}

const char *
bb_node_type_name (BbNodeType type)
{
  static const char *const names[] = {
    [BB_NODE_BOOK] = "book", [BB_NODE_SECTION] = "section",
    [BB_NODE_HEADING] = "heading", [BB_NODE_PARAGRAPH] = "paragraph",
    [BB_NODE_QUOTE] = "quote", [BB_NODE_LIST] = "list", [BB_NODE_ITEM] = "item",
    [BB_NODE_TABLE] = "table", [BB_NODE_ROW] = "row", [BB_NODE_CELL] = "cell",
    [BB_NODE_CODE_BLOCK] = "code-block", [BB_NODE_RULE] = "rule",
    [BB_NODE_TEXT] = "text", [BB_NODE_EMPH] = "emph", [BB_NODE_STRONG] = "strong",
    [BB_NODE_CODE] = "code", [BB_NODE_LINK] = "link",
    [BB_NODE_CITATION] = "citation", [BB_NODE_BREAK] = "break",
    [BB_NODE_PAGEREF] = "pageref",
  };
  return (guint) type < G_N_ELEMENTS (names) ? names[type] : "?";
}

static const char *
section_kind_name (BbSectionKind k)
{
  static const char *const names[] = { "none", "cover", "contents", "front", "chapter", "back" };
  return (guint) k < G_N_ELEMENTS (names) ? names[k] : "?";
}

static void
dump_escaped (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
dump_rec (const BbNode *n, int depth, GString *out)
{
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append (out, bb_node_type_name (n->type));
  if (n->type == BB_NODE_SECTION)
    g_string_append_printf (out, " %s", section_kind_name (n->kind));
  if ((n->type == BB_NODE_HEADING || n->type == BB_NODE_LIST || n->type == BB_NODE_TABLE) && n->level)
    g_string_append_printf (out, " level=%d", n->level);
  if (bb_node_anchor (n))
    g_string_append_printf (out, " #%s", bb_node_anchor (n));
  if (bb_node_file (n))
    g_string_append_printf (out, " @%s:%d", bb_node_file (n), n->line);
  if (bb_node_lang (n))
    g_string_append_printf (out, " lang=%s", bb_node_lang (n));
  if (n->flags)
    g_string_append_printf (out, " flags=%u", n->flags);
  if (n->href)
    {
      g_string_append (out, " href=");
      dump_escaped (out, n->href);
    }
  if (n->text)
    {
      g_string_append_c (out, ' ');
      dump_escaped (out, n->text);
    }
  g_string_append_c (out, '\n');
  for (const BbNode *c = n->first; c; c = c->next)
    dump_rec (c, depth + 1, out);
}

void
bb_node_dump (const BbNode *node, GString *out)
{
  dump_rec (node, 0, out);
}
