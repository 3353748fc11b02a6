/* compose.c — cover, contents, chapters. */
#include "compose.h"
#include <string.h>

static const struct { const char *tag, *name; } languages[] = {
  { "en", "English" }, { "vi", "Vietnamese" }, { "fr", "French" }, { "de", "German" },
  { "ko", "Korean" },  { "zh", "Chinese" },    { "ja", "Japanese" }, { "ru", "Russian" },
  { "es", "Spanish" },
};

const char *
bb_compose_language_name (const char *lang)
{
  if (!lang)
    return "unknown language";
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_ascii_strncasecmp (lang, languages[i].tag, 2) == 0 && (lang[2] == 0 || lang[2] == '-'))
      return languages[i].name;
  return lang;
}

static BbNode *
section_new (BbSectionKind kind, const char *title, const char *anchor)
{
  BbNode *s = bb_node_new (BB_NODE_SECTION);
  s->kind = kind;
  s->text = g_strdup (title);
  s->anchor = g_strdup (anchor);
  s->flags = BB_FLAG_GENERATED;
  return s;
}

static BbNode *
text_block (BbNodeType type, const char *text, guint flags)
{
  BbNode *b = bb_node_new (type);
  b->flags = flags | BB_FLAG_GENERATED;
  bb_node_append (b, bb_node_new_text (text, -1));
  return b;
}

static BbNode *
contents_entry (const BbNode *target, int level)
{
  BbNode *p = bb_node_new (BB_NODE_PARAGRAPH);
  p->flags = BB_FLAG_LEADER | BB_FLAG_GENERATED;
  p->level = level;
  BbNode *link = bb_node_append (p, bb_node_new (BB_NODE_LINK));
  link->href = g_strconcat ("#", bb_node_anchor (target), NULL);
  g_autofree char *title = target->type == BB_NODE_SECTION ? g_strdup (target->text) : bb_node_plain (target);
  bb_node_append (link, bb_node_new_text (title ? title : "", -1));
  BbNode *ref = bb_node_append (p, bb_node_new (BB_NODE_PAGEREF));
  ref->href = g_strconcat ("#", bb_node_anchor (target), NULL);
  return p;
}

static void
demote_headings (BbNode *n)
{
  for (BbNode *c = n->first; c; c = c->next)
    {
      if (c->type == BB_NODE_HEADING)
        c->level = MIN (c->level + 1, 6);
      else if (bb_node_is_block (c))
        demote_headings (c);
    }
}

static BbNode *
nearest_anchor (BbNode *n)
{
  while (n && !bb_node_anchor (n))
    n = n->parent;
  return n;
}

/* Citation markers point at a list at the chapter's end (the scraped text
 * kept the markers but not the reference lists they pointed to); each entry
 * points back to its paragraph. */
static void
add_citation_notes (BbNode *chapter, const BbSource *src)
{
  g_autoptr (GPtrArray) cites = g_ptr_array_new ();
  g_autoptr (GPtrArray) repeats = g_ptr_array_new ();
  for (BbNode *n = chapter->first; n; n = bb_node_next_in (chapter, n))
    if (n->type == BB_NODE_CITATION)
      {
        /* "[1][1][1]" is a scraping artefact: one marker says it all */
        if (n->prev && n->prev->type == BB_NODE_CITATION && g_strcmp0 (n->prev->text, n->text) == 0)
          g_ptr_array_add (repeats, n);
        else
          g_ptr_array_add (cites, n);
      }
  for (guint i = 0; i < repeats->len; i++)
    bb_node_free (repeats->pdata[i]);
  if (cites->len == 0)
    return;
  BbNode *h = bb_node_append (chapter, text_block (BB_NODE_HEADING, "Citation markers", 0));
  h->level = 2;
  h->anchor = g_strconcat (src->id, "-notes", NULL);
  bb_node_append (chapter, text_block (BB_NODE_PARAGRAPH,
                                       "The source carried these reference markers; its list of references "
                                       "was not part of the text. Each entry leads back to where the marker stands.",
                                       BB_FLAG_SMALL));
  for (guint i = 0; i < cites->len; i++)
    {
      BbNode *c = cites->pdata[i];
      BbNode *at = nearest_anchor (c);
      g_free (c->href);
      g_autofree char *id = g_strdup_printf ("%s-n%u", src->id, i + 1);
      c->href = g_strconcat ("#", id, NULL);
      BbNode *p = bb_node_new (BB_NODE_PARAGRAPH);
      p->flags = BB_FLAG_SMALL | BB_FLAG_GENERATED | BB_FLAG_COLUMNS;
      p->anchor = g_strdup (id);
      BbNode *s = bb_node_append (p, bb_node_new (BB_NODE_STRONG));
      bb_node_append (s, bb_node_new_text (c->text ? c->text : "", -1));
      if (at)
        {
          bb_node_append (p, bb_node_new_text ("  ", -1));
          BbNode *link = bb_node_append (p, bb_node_new (BB_NODE_LINK));
          link->href = g_strconcat ("#", bb_node_anchor (at), NULL);
          g_autofree char *where = g_strdup_printf ("line %d, page ", at->line);
          bb_node_append (link, bb_node_new_text (where, -1));
          BbNode *ref = bb_node_append (link, bb_node_new (BB_NODE_PAGEREF));
          ref->href = g_strconcat ("#", bb_node_anchor (at), NULL);
        }
      bb_node_append (chapter, p);
    }
}

static char *
provenance (const BbSource *src)
{
  GString *s = g_string_new (src->name);
  g_string_append_printf (s, " · %s · %" G_GSIZE_FORMAT " words", bb_compose_language_name (src->lang), src->words);
  if (src->publisher)
    g_string_append_printf (s, " · %s", src->publisher);
  if (src->date)
    g_string_append_printf (s, " · %s", src->date);
  return g_string_free (s, FALSE);
}

/* Pango lays out a paragraph as one piece and slows down badly on hundreds
 * of thousands of characters (and e-readers do no better), so a paragraph
 * that long is cut into paragraphs of about SPLIT_AT bytes, at a space when
 * there is one.  Only its top-level text is cut; the pieces keep the
 * paragraph's file and line, and anchors "<anchor>-cN". */
#define SPLIT_AT 16000

static gsize
top_text_len (const BbNode *p)
{
  gsize n = 0;
  for (const BbNode *c = p->first; c; c = c->next)
    n += c->text ? strlen (c->text) : 0;
  return n;
}

static BbNode *
piece_after (BbNode *para, guint k)
{
  BbNode *np = bb_node_new (BB_NODE_PARAGRAPH);
  np->file = g_strdup (bb_node_file (para));
  np->line = para->line;
  np->flags = para->flags;
  np->lang = g_strdup (bb_node_lang (para));
  np->anchor = bb_node_anchor (para) ? g_strdup_printf ("%s-c%u", bb_node_anchor (para), k) : NULL;
  return np;
}

static void
insert_after (BbNode *node, BbNode *n)
{
  if (node->next)
    bb_node_insert_before (node->next, n);
  else
    bb_node_append (node->parent, n);
}

/* Where to cut text so that at most room bytes stay: the last space in the
 * second half of that span, else a character boundary. */
static const char *
cut_point (const char *t, gsize room)
{
  gsize len = strlen (t);
  const char *end = t + MIN (room, len);
  for (const char *q = end; q > t + room / 2; q--)
    if (*q == ' ')
      return q + 1;
  while (end > t && (*end & 0xC0) == 0x80)
    end--;
  return end > t ? end : g_utf8_next_char (t);
}

static void
split_long_paragraph (BbNode *para)
{
  if (!para->parent || top_text_len (para) <= 2 * SPLIT_AT)
    return;
  BbNode *cur = para;
  gsize size = 0;
  guint k = 1;
  for (BbNode *c = para->first, *next; c; c = next)
    {
      next = c->next;
      if (cur != para)
        {
          bb_node_unlink (c);
          bb_node_append (cur, c);
        }
      while (c->type == BB_NODE_TEXT && c->text && size + strlen (c->text) > SPLIT_AT)
        {
          const char *at = cut_point (c->text, SPLIT_AT > size ? SPLIT_AT - size : 0);
          BbNode *rest = bb_node_new_text (at, -1);
          c->text[at - c->text] = 0;
          BbNode *np = piece_after (para, k++);
          insert_after (cur, np);
          bb_node_append (np, rest);
          cur = np;
          c = rest;
          size = 0;
        }
      size += c->text ? strlen (c->text) : 0;
    }
}

static BbNode *
chapter_new (BbSource *src)
{
  BbNode *ch = section_new (BB_SECTION_CHAPTER, src->title, src->id);
  ch->flags = 0;
  ch->lang = g_strdup (src->lang);
  ch->file = g_strdup (src->name);
  ch->line = 1;
  BbNode *h = bb_node_append (ch, text_block (BB_NODE_HEADING, src->title ? src->title : src->name, 0));
  h->level = 1;
  h->anchor = g_strconcat (src->id, "-title", NULL);
  g_autofree char *prov = provenance (src);
  BbNode *meta = bb_node_append (ch, text_block (BB_NODE_PARAGRAPH, prov, BB_FLAG_META));
  meta->lang = g_strdup ("en");
  if (src->body)
    {
      while (src->body->first)
        {
          BbNode *b = src->body->first;
          bb_node_unlink (b);
          bb_node_append (ch, b);
        }
    }
  demote_headings (ch);
  h->level = 1;
  for (BbNode *b = ch->first, *next; b; b = next)
    {
      next = b->next;
      if (b->type == BB_NODE_PARAGRAPH)
        split_long_paragraph (b);
    }
  add_citation_notes (ch, src);
  return ch;
}

static void
move_all (BbNode *tree, GPtrArray *secs)
{
  if (!secs)
    return;
  for (guint i = 0; i < secs->len; i++)
    {
      BbNode *sec = secs->pdata[i];
      if (!sec)
        continue;
      /* Generated sections open with their title like every chapter. */
      if (!(sec->first && sec->first->type == BB_NODE_HEADING && sec->first->level == 1))
        {
          BbNode *h = text_block (BB_NODE_HEADING, sec->text ? sec->text : "", 0);
          h->level = 1;
          if (sec->first)
            bb_node_insert_before (sec->first, h);
          else
            bb_node_append (sec, h);
        }
      bb_node_append (tree, sec);
    }
  g_ptr_array_set_free_func (secs, NULL);
  g_ptr_array_set_size (secs, 0);
}

void
bb_compose (BbBook *book, GPtrArray *front, GPtrArray *back)
{
  BbNode *tree = bb_node_new (BB_NODE_BOOK);
  tree->text = g_strdup (book->config->title);
  tree->lang = g_strdup (book->config->lang);
  bb_node_append (tree, section_new (BB_SECTION_COVER, "Cover", "cover"));
  BbNode *contents = bb_node_append (tree, section_new (BB_SECTION_CONTENTS, "Contents", "contents"));
  BbNode *h = bb_node_append (contents, text_block (BB_NODE_HEADING, "Contents", 0));
  h->level = 1;
  move_all (tree, front);
  for (guint i = 0; i < book->sources->len; i++)
    bb_node_append (tree, chapter_new (book->sources->pdata[i]));
  move_all (tree, back);
  /* contents entries for every section after the contents */
  for (BbNode *s = contents->next; s; s = s->next)
    {
      if (s->type != BB_NODE_SECTION || !bb_node_anchor (s))
        continue;
      bb_node_append (contents, contents_entry (s, 1));
    }
  bb_node_free (book->tree);
  book->tree = tree;
}
