/* epub.c — the EPUB 3 writer.
 *
 * Walks the composed book tree once per part (one XHTML file per SECTION),
 * placing print page-break markers from the page map as it goes, then
 * writes the navigation (nav.xhtml, toc.ncx), the package document with
 * accessibility metadata computed from what was written, and packs
 * everything with libzip in a fixed order with fixed times.
 */
#include "epub.h"

#include <cairo.h>
#include <png.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "cover.h"
#include "layout.h"
#include "subset.h"
#include "text.h"
#include "xml.h"

G_DEFINE_QUARK (bb-epub-error-quark, bb_epub_error)

/* The cover image is 1200 px wide, what e-reader stores ask for; the
 * fuzz target draws it much smaller, because a fuzzer must run thousands
 * of inputs a second and compressing a 2-megapixel PNG would dominate. */
static int cover_width_px = 1200;

void
bb_epub_set_cover_width (int px)
{
  cover_width_px = CLAMP (px, 16, 4000);
}

/* ---- words the EPUB adds itself, per book language ---------------------- */

typedef struct {
  const char *lang;
  const char *contents;   /* nav toc heading */
  const char *cover;
  const char *landmarks;
  const char *pages;      /* page-list heading */
  const char *notes;      /* endnotes heading */
  const char *start;      /* landmark: start of content */
  const char *back;       /* label of the link back from a note */
  /* Templates: {name} is replaced by a value. */
  const char *note;       /* note text: {label}, {file}, {line} */
  const char *note_noline;/* note text without a line: {label} */
  const char *cover_alt;  /* alt text: {title} */
  const char *edition;    /* {edition} */
} Words;

static const Words words_table[] = {
  { "en", "Contents", "Cover", "Landmarks", "Pages", "Notes", "Start of content",
    "Back to the text", "Citation marker [{label}] in {file}, line {line}; the reference list was not part of the source.",
    "Citation marker [{label}] in the source; the reference list was not part of the source.",
    "Cover: {title}", "edition {edition}" },
  { "vi", "Mục lục", "Bìa", "Mốc", "Trang", "Chú thích", "Bắt đầu nội dung",
    "Quay lại văn bản", "Dấu trích dẫn [{label}] trong {file}, dòng {line}; danh mục tài liệu không có trong nguồn.",
    "Dấu trích dẫn [{label}] trong nguồn; danh mục tài liệu không có trong nguồn.",
    "Bìa: {title}", "ấn bản {edition}" },
};

static const Words *
words_for (const char *lang)
{
  for (gsize i = 0; i < G_N_ELEMENTS (words_table); i++)
    if (lang && g_ascii_strncasecmp (lang, words_table[i].lang, 2) == 0)
      return &words_table[i];
  return &words_table[0];
}

/* Appends tmpl to out with each {key} replaced by its value from the
 * NULL-terminated key, value list. */
static void
expand (GString *out, const char *tmpl, ...)
{
  for (const char *p = tmpl; *p;)
    {
      const char *close = *p == '{' ? strchr (p, '}') : NULL;
      if (close)
        {
          va_list ap;
          va_start (ap, tmpl);
          const char *k, *value = NULL;
          while ((k = va_arg (ap, const char *)))
            {
              const char *v = va_arg (ap, const char *);
              if (strlen (k) == (gsize) (close - p - 1) && strncmp (k, p + 1, close - p - 1) == 0)
                value = v;
            }
          va_end (ap);
          if (value)
            {
              g_string_append (out, value);
              p = close + 1;
              continue;
            }
        }
      g_string_append_c (out, *p++);
    }
}

/* ---- state --------------------------------------------------------------- */

typedef struct {
  char *name;        /* file name inside text/, e.g. "s003.xhtml" */
  char *id;          /* manifest id */
  BbNode *section;   /* NULL for a made-up cover */
  char *title;
  char *lang;
  gboolean is_cover;
  GString *xhtml;    /* NULL once spooled (Writer.spool) */
  gint64 spool_off, spool_len;
} Part;

typedef struct {
  gsize offset;      /* characters into the block */
  GArray *pages;     /* guint page indices written at this place, in order */
} Break;

typedef struct {
  char *id;          /* id of the note's list item */
  char *label;
  char *file;
  int line;
  char *first_ref;   /* id of the first marker, for the back link */
} Note;

typedef struct {
  const BbBook *book;
  const BbPageMap *map;
  const Words *words;
  const char *book_lang;
  GPtrArray *parts;            /* Part* */
  GHashTable *anchor_part;     /* anchor → Part* (borrowed) */
  GHashTable *ids;             /* every id in the book (set) */
  GHashTable *written;         /* block anchors already written as ids (set, borrowed) */
  GHashTable *breaks;          /* anchor → GPtrArray<Break*> sorted by offset */
  GHashTable *note_targets;    /* anchors that citations point to (set, borrowed) */
  GHashTable *anchor_seq;      /* anchor → GUINT (1-based place in reading order) */
  GArray *trailing;            /* pages with no place: at the end of the book */
  char **page_ids;             /* per page: id of its marker */
  Part **page_part;            /* per page: where the marker went */
  gboolean has_headings, has_tables, has_notes, has_cover;
  guint n_chapters, n_notes;
  /* per part while writing */
  Part *cur;
  int in_link;
  int heading_shift;
  GPtrArray *notes;            /* Note* */
  GHashTable *note_by_label;   /* label → Note* */
  /* Where finished parts wait for the archive (bb_epub_write), or NULL to
   * keep them in memory: a 1,000-source book's parts come to about 40 MB,
   * which beside the PDF being drawn made the peak of the whole build. */
  FILE *spool;
  const char *spool_path;
} Writer;

static void
part_free (gpointer p)
{
  Part *part = p;
  g_free (part->name);
  g_free (part->id);
  g_free (part->title);
  g_free (part->lang);
  if (part->xhtml)
    g_string_free (part->xhtml, TRUE);
  g_free (part);
}

static void
break_free (gpointer p)
{
  Break *b = p;
  g_array_unref (b->pages);
  g_free (b);
}

static void
note_free (gpointer p)
{
  Note *n = p;
  g_free (n->id);
  g_free (n->label);
  g_free (n->file);
  g_free (n->first_ref);
  g_free (n);
}

/* ---- small helpers --------------------------------------------------------- */

/* A language tag safe to write: letters, digits and hyphens, else NULL. */
static const char *
clean_lang (const char *lang)
{
  if (!lang || !*lang || strlen (lang) > 35 || !g_ascii_isalpha (lang[0]))
    return NULL;
  for (const char *p = lang; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return NULL;
  return lang;
}

/* Returns a new id based on base that is not yet used, and records it. */
static char *
unique_id (Writer *w, const char *base)
{
  GString *s = g_string_new (NULL);
  for (const char *p = base; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.')
        g_string_append_c (s, (char) c);
      else
        g_string_append_c (s, '_');
    }
  if (s->len == 0 || !g_ascii_isalpha (s->str[0]))
    g_string_prepend (s, "x");
  char *id = g_strdup (s->str);
  for (guint n = 2; g_hash_table_contains (w->ids, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", s->str, n);
    }
  g_string_free (s, TRUE);
  g_hash_table_add (w->ids, g_strdup (id));
  return id;
}

static void
attr (GString *out, const char *name, const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  bb_xml_append_attr (out, value);
  g_string_append_c (out, '"');
}

/* lang and xml:lang attributes when lang differs from the enclosing one. */
static void
lang_attrs (GString *out, const char *lang, const char *outer)
{
  lang = clean_lang (lang);
  if (!lang || (outer && g_ascii_strcasecmp (lang, outer) == 0))
    return;
  attr (out, "lang", lang);
  attr (out, "xml:lang", lang);
}

/* True when href is an absolute URI a reader can follow: a web or mail
 * address written with RFC 3986 characters only. */
static gboolean
external_href_ok (const char *href)
{
  if (!href)
    return FALSE;
  if (!g_str_has_prefix (href, "http://") && !g_str_has_prefix (href, "https://")
      && !g_str_has_prefix (href, "mailto:"))
    return FALSE;
  for (const char *p = href; *p; p++)
    {
      unsigned char c = (unsigned char) *p;
      if (g_ascii_isalnum (c) || strchr ("-._~:/?#[]@!$&'()*+,;=", c))
        continue;
      if (c == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        continue;
      return FALSE;
    }
  return g_uri_is_valid (href, G_URI_FLAGS_NONE, NULL);
}

/* ---- page breaks ----------------------------------------------------------- */

static void
add_break (Writer *w, const char *anchor, gsize offset, GArray *pages)
{
  GPtrArray *list = g_hash_table_lookup (w->breaks, anchor);
  if (!list)
    {
      list = g_ptr_array_new_with_free_func (break_free);
      g_hash_table_insert (w->breaks, g_strdup (anchor), list);
    }
  Break *b = NULL;
  guint at = list->len;
  for (guint i = 0; i < list->len; i++)
    {
      Break *o = list->pdata[i];
      if (o->offset == offset)
        {
          b = o;
          break;
        }
      if (o->offset > offset)
        {
          at = i;
          break;
        }
    }
  if (!b)
    {
      b = g_new0 (Break, 1);
      b->offset = offset;
      b->pages = g_array_new (FALSE, FALSE, sizeof (guint));
      g_ptr_array_insert (list, (gint) at, b);
    }
  g_array_append_vals (b->pages, pages->data, pages->len);
}

/* Gives every page of the map a place: the block that opens it (known
 * anchors), else — blank pages, unknown anchors — the place of the next
 * page that has one, else the end of the book. */
static void
plan_breaks (Writer *w)
{
  if (!w->map)
    return;
  guint n = bb_pagemap_n_pages (w->map);
  /* A page with no block of its own (the cover) may still open a section. */
  g_autofree const char **opens = g_new0 (const char *, n + 1);
  for (guint i = 0; i < w->parts->len; i++)
    {
      const BbNode *s = ((Part *) w->parts->pdata[i])->section;
      int at = s && bb_node_anchor (s) && g_hash_table_contains (w->anchor_part, bb_node_anchor (s))
                 ? bb_pagemap_index (w->map, bb_node_anchor (s)) : -1;
      if (at >= 0 && (guint) at < n && !opens[at])
        opens[at] = bb_node_anchor (s);
    }
  g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint));
  /* The page-list must follow reading order: a page the map places before
   * the previous one (a map out of step with the tree) shares its place. */
  const char *last_anchor = NULL;
  guint last_seq = 0;
  gsize last_offset = 0;
  for (guint i = 0; i < n; i++)
    {
      const BbPage *pg = bb_pagemap_page (w->map, i);
      g_array_append_val (pending, i);
      const char *anchor = NULL;
      gsize offset = 0;
      if (pg->anchor && g_hash_table_contains (w->anchor_part, pg->anchor))
        anchor = pg->anchor, offset = pg->offset;
      else if (opens[i])
        anchor = opens[i];
      if (!anchor)
        continue;
      guint seq = GPOINTER_TO_UINT (g_hash_table_lookup (w->anchor_seq, anchor));
      if (seq < last_seq || (seq == last_seq && offset < last_offset))
        anchor = last_anchor, seq = last_seq, offset = last_offset;
      add_break (w, anchor, offset, pending);
      g_array_set_size (pending, 0);
      last_anchor = anchor, last_seq = seq, last_offset = offset;
    }
  g_array_append_vals (w->trailing, pending->data, pending->len);
}

static void
write_page_markers (Writer *w, GString *out, GArray *pages)
{
  for (guint i = 0; i < pages->len; i++)
    {
      guint pi = g_array_index (pages, guint, i);
      if (w->page_ids[pi])
        continue;
      const BbPage *pg = bb_pagemap_page (w->map, pi);
      g_autofree char *base = g_strconcat ("page-", pg->label ? pg->label : "", NULL);
      w->page_ids[pi] = unique_id (w, base);
      w->page_part[pi] = w->cur;
      g_string_append (out, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\"");
      attr (out, "id", w->page_ids[pi]);
      attr (out, "aria-label", pg->label ? pg->label : "");
      g_string_append (out, "/>");
    }
}

/* Takes the breaks planned for node's anchor (owned by the caller). */
static GPtrArray *
take_breaks (Writer *w, const BbNode *node)
{
  if (!bb_node_anchor (node))
    return NULL;
  gpointer key, value;
  if (!g_hash_table_steal_extended (w->breaks, bb_node_anchor (node), &key, &value))
    return NULL;
  g_free (key);
  return value;
}

/* Writes the markers of breaks from index *next on whose offset is at most
 * upto. */
static void
write_breaks_upto (Writer *w, GString *out, GPtrArray *breaks, guint *next, gsize upto)
{
  while (breaks && *next < breaks->len)
    {
      Break *b = breaks->pdata[*next];
      if (b->offset > upto)
        break;
      write_page_markers (w, out, b->pages);
      (*next)++;
    }
}

/* ---- inline content ---------------------------------------------------------- */

typedef struct {
  GPtrArray *breaks;
  guint next;
  gsize count;       /* characters of TEXT/CODE written so far */
} Flow;

/* Writes text escaped, with page markers at their character offsets. */
static void
write_counted_text (Writer *w, GString *out, const char *text, Flow *f)
{
  if (!text)
    return;
  if (!f || !f->breaks || f->next >= f->breaks->len)
    {
      bb_xml_append_text (out, text, -1);
      if (f)
        f->count += g_utf8_strlen (text, -1);
      return;
    }
  const char *seg = text;
  const char *p = text;
  const char *end = text + strlen (text);
  while (p < end)
    {
      if (f->next < f->breaks->len && ((Break *) f->breaks->pdata[f->next])->offset <= f->count)
        {
          bb_xml_append_text (out, seg, p - seg);
          seg = p;
          write_breaks_upto (w, out, f->breaks, &f->next, f->count);
        }
      /* Walks whole characters; invalid bytes count as one each, as the
       * escaper turns each into one replacement character. */
      gunichar c = g_utf8_get_char_validated (p, end - p);
      p = (c == (gunichar) -1 || c == (gunichar) -2) ? p + 1 : g_utf8_next_char (p);
      f->count++;
    }
  bb_xml_append_text (out, seg, p - seg);
}

static void write_inlines (Writer *w, GString *out, const BbNode *parent, Flow *f);
static char *resolve_anchor (Writer *w, const char *href);

static void
write_citation (Writer *w, GString *out, const BbNode *n)
{
  const char *label = n->text && *n->text ? n->text : "*";
  if (w->in_link)
    {
      /* No link inside a link: the marker stays as plain superscript. */
      g_string_append (out, "<sup>");
      bb_xml_append_text (out, label, -1);
      g_string_append (out, "</sup>");
      return;
    }
  g_autofree char *target = resolve_anchor (w, n->href);
  if (target)
    {
      /* The composed book has its own note for this marker. */
      g_string_append (out, "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\"");
      attr (out, "href", target);
      g_string_append_c (out, '>');
      bb_xml_append_text (out, label, -1);
      g_string_append (out, "</a>");
      return;
    }
  Note *note = g_hash_table_lookup (w->note_by_label, label);
  if (!note)
    {
      note = g_new0 (Note, 1);
      g_autofree char *base = g_strdup_printf ("note-%s-%u", w->cur->id, w->notes->len + 1);
      note->id = unique_id (w, base);
      note->label = g_strdup (label);
      const BbNode *blk = n;
      while (blk && !bb_node_file (blk) && blk->parent)
        blk = blk->parent;
      note->file = g_strdup (blk ? bb_node_file (blk) : NULL);
      note->line = blk ? blk->line : 0;
      g_ptr_array_add (w->notes, note);
      g_hash_table_insert (w->note_by_label, note->label, note);
      w->n_notes++;
    }
  g_autofree char *ref_base = g_strdup_printf ("ref-%s", note->id + 5);
  g_autofree char *ref = unique_id (w, ref_base);
  if (!note->first_ref)
    note->first_ref = g_strdup (ref);
  g_string_append (out, "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\"");
  attr (out, "id", ref);
  g_string_append (out, " href=\"#");
  bb_xml_append_attr (out, note->id);
  g_string_append (out, "\">");
  bb_xml_append_text (out, label, -1);
  g_string_append (out, "</a>");
}

/* The href for an in-book anchor ("#x"), or NULL when x does not exist. */
static char *
resolve_anchor (Writer *w, const char *href)
{
  if (!href || href[0] != '#')
    return NULL;
  Part *p = g_hash_table_lookup (w->anchor_part, href + 1);
  if (!p)
    return NULL;
  if (p->is_cover && (!p->section || g_strcmp0 (bb_node_anchor (p->section), href + 1) != 0))
    return g_strdup (p->name); /* the cover shows an image, not its blocks */
  return p == w->cur ? g_strdup (href) : g_strconcat (p->name, href, NULL);
}

static void
write_inline (Writer *w, GString *out, const BbNode *n, Flow *f)
{
  switch (n->type)
    {
    case BB_NODE_TEXT:
      write_counted_text (w, out, n->text, f);
      break;
    case BB_NODE_CODE:
      g_string_append (out, "<code>");
      write_counted_text (w, out, n->text, f);
      g_string_append (out, "</code>");
      break;
    case BB_NODE_EMPH:
      g_string_append (out, "<em>");
      write_inlines (w, out, n, f);
      g_string_append (out, "</em>");
      break;
    case BB_NODE_STRONG:
      g_string_append (out, "<strong>");
      write_inlines (w, out, n, f);
      g_string_append (out, "</strong>");
      break;
    case BB_NODE_BREAK:
      g_string_append (out, "<br/>");
      break;
    case BB_NODE_CITATION:
      write_citation (w, out, n);
      break;
    case BB_NODE_LINK:
      {
        g_autofree char *href = resolve_anchor (w, n->href);
        if (!href && external_href_ok (n->href))
          href = g_strdup (n->href);
        if (!href || w->in_link)
          {
            write_inlines (w, out, n, f);
            break;
          }
        g_string_append (out, "<a");
        attr (out, "href", href);
        g_string_append_c (out, '>');
        w->in_link++;
        write_inlines (w, out, n, f);
        w->in_link--;
        g_string_append (out, "</a>");
      }
      break;
    case BB_NODE_PAGEREF:
      {
        const char *label = w->map && n->href ? bb_pagemap_label (w->map, n->href) : NULL;
        g_autofree char *href = resolve_anchor (w, n->href);
        if (!label)
          break;
        /* A contents entry: the number stands apart from the title. */
        if (n->parent && (n->parent->flags & BB_FLAG_LEADER))
          g_string_append_c (out, ' ');
        if (!href || w->in_link)
          {
            bb_xml_append_text (out, label, -1);
            break;
          }
        g_string_append (out, "<a class=\"pageref\"");
        attr (out, "href", href);
        g_string_append_c (out, '>');
        bb_xml_append_text (out, label, -1);
        g_string_append (out, "</a>");
      }
      break;
    default:
      /* A block where an inline belongs: keep its text. */
      write_inlines (w, out, n, f);
      break;
    }
}

static void
write_inlines (Writer *w, GString *out, const BbNode *parent, Flow *f)
{
  for (const BbNode *c = parent->first; c; c = c->next)
    write_inline (w, out, c, f);
}

/* ---- blocks ------------------------------------------------------------------ */

static void write_block (Writer *w, GString *out, const BbNode *n, const char *lang);

static void
write_blocks (Writer *w, GString *out, const BbNode *parent, const char *lang)
{
  for (const BbNode *c = parent->first; c; c = c->next)
    write_block (w, out, c, lang);
}

/* id attribute for a block's anchor, when it is the one registered. */
static void
id_attr (Writer *w, GString *out, const BbNode *n)
{
  /* Only the first block with an anchor gets it: links go there. */
  if (bb_node_anchor (n) && g_hash_table_lookup (w->anchor_part, bb_node_anchor (n)) == w->cur
      && g_hash_table_add (w->written, bb_node_anchor (n)))
    attr (out, "id", bb_node_anchor (n));
}

static void
class_attr (GString *out, guint flags)
{
  GString *c = g_string_new (NULL);
  if (flags & BB_FLAG_SMALL)
    g_string_append (c, " small");
  if (flags & BB_FLAG_CENTER)
    g_string_append (c, " center");
  if (flags & BB_FLAG_META)
    g_string_append (c, " meta");
  if (flags & BB_FLAG_NUMERIC)
    g_string_append (c, " num");
  if (flags & BB_FLAG_LEADER)
    g_string_append (c, " leader");
  if (flags & BB_FLAG_NEW)
    g_string_append (c, " new");
  if (c->len)
    attr (out, "class", c->str + 1);
  g_string_free (c, TRUE);
}

/* Opens element tag for block n with its id, class and language. */
static void
open_block (Writer *w, GString *out, const char *tag, const BbNode *n, const char *lang)
{
  g_string_append_printf (out, "<%s", tag);
  id_attr (w, out, n);
  class_attr (out, n->flags);
  const char *own = clean_lang (bb_node_lang (n));
  if (!own && lang && g_ascii_strncasecmp (lang, "vi", 2) != 0
      && (n->type == BB_NODE_PARAGRAPH || n->type == BB_NODE_CELL || n->type == BB_NODE_HEADING))
    {
      /* Vietnamese quoted in generated tables and lists (event text,
       * names): tell screen readers, which would otherwise read it as
       * the surrounding language. */
      g_autofree char *plain = bb_node_plain (n);
      if (g_utf8_strlen (plain, -1) >= 12 && g_strcmp0 (bb_text_detect_lang (plain), "vi") == 0)
        own = "vi";
    }
  lang_attrs (out, own, lang);
}

static const char *
inner_lang (const BbNode *n, const char *lang)
{
  const char *l = clean_lang (bb_node_lang (n));
  return l ? l : lang;
}

/* A block with inline content (paragraph, heading, cell): page markers go
 * at their character offsets; those at offset 0 before the element unless
 * inside is the only valid place. */
static void
write_text_block (Writer *w, GString *out, const char *tag, const BbNode *n,
                  const char *lang, gboolean breaks_inside)
{
  g_autoptr (GPtrArray) breaks = take_breaks (w, n);
  Flow f = { breaks, 0, 0 };
  if (!breaks_inside)
    write_breaks_upto (w, out, breaks, &f.next, 0);
  open_block (w, out, tag, n, lang);
  if (n->type == BB_NODE_CELL && n->parent && n->parent->parent
      && n->parent->parent->type == BB_NODE_TABLE && tag[1] == 'h')
    g_string_append (out, " scope=\"col\"");
  g_string_append_c (out, '>');
  write_breaks_upto (w, out, breaks, &f.next, 0);
  if (n->type == BB_NODE_CODE_BLOCK)
    {
      g_string_append (out, "<code>");
      write_counted_text (w, out, n->text, &f);
      g_string_append (out, "</code>");
    }
  else
    write_inlines (w, out, n, &f);
  write_breaks_upto (w, out, breaks, &f.next, G_MAXSIZE);
  g_string_append_printf (out, "</%s>", tag);
}

/* Markers of a container block: all before it. */
static void
write_breaks_before (Writer *w, GString *out, const BbNode *n)
{
  g_autoptr (GPtrArray) breaks = take_breaks (w, n);
  guint next = 0;
  write_breaks_upto (w, out, breaks, &next, G_MAXSIZE);
}

/* Characters of TEXT and CODE content below node (see pagemap.h). */
static gsize
count_chars (const BbNode *node)
{
  gsize n = 0;
  for (const BbNode *c = node; c; c = bb_node_next_in (node, c))
    if ((c->type == BB_NODE_TEXT || c->type == BB_NODE_CODE) && c->text)
      n += (gsize) g_utf8_strlen (c->text, -1);
  return n;
}

/* Markers of a table row: the row's own, and the table's whose offset
 * (characters of the cells before) falls at or before this row's start. */
static void
write_row_breaks (Writer *w, GString *out, GPtrArray *row_breaks, GPtrArray *table_breaks,
                  guint *table_next, gsize row_start)
{
  write_breaks_upto (w, out, table_breaks, table_next, row_start);
  guint next = 0;
  write_breaks_upto (w, out, row_breaks, &next, G_MAXSIZE);
}

static void
write_table (Writer *w, GString *out, const BbNode *n, const char *lang)
{
  /* A page that opens inside a table has the table's anchor and the
   * characters of the rows before it as offset: its marker goes at the
   * start of the row it opens with. */
  g_autoptr (GPtrArray) tbreaks = take_breaks (w, n);
  guint tnext = 0;
  write_breaks_upto (w, out, tbreaks, &tnext, 0);
  w->has_tables = TRUE;
  open_block (w, out, "table", n, lang);
  g_string_append_c (out, '>');
  const char *l = inner_lang (n, lang);
  int row = 0;
  gsize row_start = 0;
  gboolean in_head = FALSE, in_body = FALSE;
  for (const BbNode *r = n->first; r; row_start += count_chars (r), r = r->next, row++)
    {
      gboolean head = row < n->level;
      if (head && !in_head)
        {
          g_string_append (out, "<thead>");
          in_head = TRUE;
        }
      if (!head && !in_body)
        {
          if (in_head)
            g_string_append (out, "</thead>");
          g_string_append (out, "<tbody>");
          in_body = TRUE;
        }
      g_autoptr (GPtrArray) row_breaks = take_breaks (w, r);
      gboolean due = row_breaks || (tbreaks && tnext < tbreaks->len
                                    && ((Break *) tbreaks->pdata[tnext])->offset <= row_start);
      if (r->type != BB_NODE_ROW)
        {
          /* Not a row: keep its content in a row of its own. */
          g_string_append (out, "<tr");
          id_attr (w, out, r);
          g_string_append (out, "><td>");
          write_row_breaks (w, out, row_breaks, tbreaks, &tnext, row_start);
          if (r->first && bb_node_is_block (r->first))
            write_blocks (w, out, r, l);
          else
            write_inline (w, out, r, NULL);
          g_string_append (out, "</td></tr>");
          continue;
        }
      open_block (w, out, "tr", r, l);
      g_string_append_c (out, '>');
      if (!r->first && due)
        {
          /* A row without cells still has to hold its markers. */
          g_string_append (out, "<td>");
          write_row_breaks (w, out, row_breaks, tbreaks, &tnext, row_start);
          g_string_append (out, "</td>");
        }
      for (const BbNode *c = r->first; c; c = c->next)
        {
          const char *tag = head ? "th" : "td";
          if (c == r->first && due)
            {
              /* Markers of the row go at the start of its first cell. */
              g_string_append_printf (out, "<%s", tag);
              id_attr (w, out, c);
              if (head)
                g_string_append (out, " scope=\"col\"");
              class_attr (out, c->flags);
              lang_attrs (out, bb_node_lang (c), l);
              g_string_append_c (out, '>');
              write_row_breaks (w, out, row_breaks, tbreaks, &tnext, row_start);
              g_autoptr (GPtrArray) breaks = take_breaks (w, c);
              Flow f = { breaks, 0, 0 };
              write_inlines (w, out, c, &f);
              write_breaks_upto (w, out, breaks, &f.next, G_MAXSIZE);
              g_string_append_printf (out, "</%s>", tag);
              continue;
            }
          write_text_block (w, out, tag, c, l, TRUE);
        }
      g_string_append (out, "</tr>");
    }
  if (in_head && !in_body)
    g_string_append (out, "</thead>");
  if (in_body)
    g_string_append (out, "</tbody>");
  g_string_append (out, "</table>");
  /* Offsets past the last row. */
  write_breaks_upto (w, out, tbreaks, &tnext, G_MAXSIZE);
}

static void
write_block (Writer *w, GString *out, const BbNode *n, const char *lang)
{
  const char *l = inner_lang (n, lang);
  switch (n->type)
    {
    case BB_NODE_PARAGRAPH:
      if (bb_node_anchor (n) && g_hash_table_contains (w->note_targets, bb_node_anchor (n))
          && g_hash_table_lookup (w->anchor_part, bb_node_anchor (n)) == w->cur)
        {
          /* A note that citation markers point to: an aside, so reading
           * systems can show it as a pop-up. */
          write_breaks_before (w, out, n);
          g_string_append (out, "<aside epub:type=\"footnote\" role=\"doc-footnote\"");
          id_attr (w, out, n);
          g_string_append_c (out, '>');
          /* The id is on the aside: id_attr has marked it written, and
           * write_breaks_before took the block's page breaks, so the inner
           * <p> gets neither.  The tree is never changed here, not even for
           * a moment: the PDF is drawn from it on another thread (cli.c). */
          write_text_block (w, out, "p", n, lang, FALSE);
          g_string_append (out, "</aside>");
        }
      else
        write_text_block (w, out, "p", n, lang, FALSE);
      break;
    case BB_NODE_HEADING:
      {
        int level = CLAMP (n->level + w->heading_shift, 1, 6);
        char tag[3] = { 'h', (char) ('0' + level), 0 };
        w->has_headings = TRUE;
        write_text_block (w, out, tag, n, lang, FALSE);
      }
      break;
    case BB_NODE_CODE_BLOCK:
      write_text_block (w, out, "pre", n, lang, FALSE);
      break;
    case BB_NODE_QUOTE:
      write_breaks_before (w, out, n);
      open_block (w, out, "blockquote", n, lang);
      g_string_append_c (out, '>');
      write_blocks (w, out, n, l);
      g_string_append (out, "</blockquote>");
      break;
    case BB_NODE_LIST:
      write_breaks_before (w, out, n);
      if (n->level != 0)
        {
          open_block (w, out, "ol", n, lang);
          if (n->level != 1)
            g_string_append_printf (out, " start=\"%d\"", n->level);
          g_string_append_c (out, '>');
        }
      else
        {
          open_block (w, out, "ul", n, lang);
          g_string_append_c (out, '>');
        }
      for (const BbNode *it = n->first; it; it = it->next)
        {
          gboolean item = it->type == BB_NODE_ITEM;
          g_autoptr (GPtrArray) breaks = item ? take_breaks (w, it) : NULL;
          guint next = 0;
          if (item)
            open_block (w, out, "li", it, l);
          else
            g_string_append (out, "<li");
          g_string_append_c (out, '>');
          write_breaks_upto (w, out, breaks, &next, G_MAXSIZE);
          if (it->type == BB_NODE_ITEM || bb_node_is_block (it))
            {
              if (it->type == BB_NODE_ITEM)
                {
                  /* List items hold flow content: blocks and inlines alike. */
                  for (const BbNode *c = it->first; c; c = c->next)
                    if (bb_node_is_inline (c))
                      write_inline (w, out, c, NULL);
                    else
                      write_block (w, out, c, inner_lang (it, l));
                }
              else
                write_block (w, out, it, l);
            }
          else
            write_inline (w, out, it, NULL);
          g_string_append (out, "</li>");
        }
      g_string_append (out, n->level != 0 ? "</ol>" : "</ul>");
      break;
    case BB_NODE_ITEM:
      /* An item outside a list: a plain division. */
      write_breaks_before (w, out, n);
      open_block (w, out, "div", n, lang);
      g_string_append_c (out, '>');
      write_blocks (w, out, n, l);
      g_string_append (out, "</div>");
      break;
    case BB_NODE_TABLE:
      write_table (w, out, n, lang);
      break;
    case BB_NODE_RULE:
      write_breaks_before (w, out, n);
      open_block (w, out, "hr", n, lang);
      g_string_append (out, "/>");
      break;
    case BB_NODE_SECTION:
      /* A section inside a section (not made by compose today). */
      write_breaks_before (w, out, n);
      open_block (w, out, "section", n, lang);
      g_string_append_c (out, '>');
      write_blocks (w, out, n, l);
      g_string_append (out, "</section>");
      break;
    case BB_NODE_ROW:
    case BB_NODE_CELL:
      /* Stray table parts: their text as a paragraph. */
      write_text_block (w, out, "p", n, lang, FALSE);
      break;
    default:
      if (bb_node_is_inline (n))
        {
          /* Inline content directly in a section: wrap it. */
          g_string_append (out, "<p>");
          write_inline (w, out, n, NULL);
          g_string_append (out, "</p>");
        }
      break;
    }
}

/* ---- parts -------------------------------------------------------------------- */

static void
begin_xhtml (Writer *w, GString *out, const char *title, const char *lang, const char *body_type)
{
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<!DOCTYPE html>\n"
                        "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                        "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  attr (out, "lang", lang);
  attr (out, "xml:lang", lang);
  g_string_append (out, ">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
  bb_xml_append_text (out, title, -1);
  g_string_append (out, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"../styles/epub.css\"/>\n"
                        "</head>\n<body");
  if (body_type)
    attr (out, "epub:type", body_type);
  g_string_append (out, ">\n");
}

static const char *
body_type (BbSectionKind kind)
{
  switch (kind)
    {
    case BB_SECTION_COVER:
    case BB_SECTION_CONTENTS:
    case BB_SECTION_FRONT:
      return "frontmatter";
    case BB_SECTION_CHAPTER:
      return "bodymatter";
    case BB_SECTION_BACK:
      return "backmatter";
    default:
      return NULL;
    }
}

static char *
cover_alt (Writer *w)
{
  const BbConfig *cfg = w->book->config;
  GString *s = g_string_new (NULL);
  expand (s, w->words->cover_alt, "title", cfg && cfg->title ? cfg->title : "", NULL);
  if (cfg && cfg->subtitle && *cfg->subtitle)
    g_string_append_printf (s, " — %s", cfg->subtitle);
  if (w->book->edition && *w->book->edition)
    {
      g_string_append (s, ", ");
      expand (s, w->words->edition, "edition", w->book->edition, NULL);
    }
  if (cfg && cfg->marking && *cfg->marking)
    g_string_append_printf (s, " (%s)", cfg->marking);
  return g_string_free (s, FALSE);
}

/* Writes every pending marker of anchors below node (the cover shows an
 * image, not its blocks). */
static void
write_all_breaks_below (Writer *w, GString *out, const BbNode *node)
{
  for (const BbNode *n = node; n; n = bb_node_next_in (node, n))
    write_breaks_before (w, out, n);
}

static void
write_cover_part (Writer *w, Part *p)
{
  GString *out = p->xhtml = g_string_new (NULL);
  begin_xhtml (w, out, p->title, w->book_lang, "frontmatter");
  g_string_append (out, "<section class=\"cover\" epub:type=\"cover\"");
  if (p->section)
    id_attr (w, out, p->section);
  g_string_append (out, ">\n");
  if (p->section)
    write_all_breaks_below (w, out, p->section);
  g_autofree char *alt = cover_alt (w);
  g_string_append (out, "<img src=\"../images/cover.png\" role=\"doc-cover\"");
  attr (out, "alt", alt);
  g_string_append (out, "/>\n</section>\n");
}

static void
write_notes (Writer *w, GString *out, const char *lang)
{
  if (w->notes->len == 0)
    return;
  w->has_notes = TRUE;
  g_string_append (out, "<section class=\"notes\" epub:type=\"endnotes\" role=\"doc-endnotes\"");
  lang_attrs (out, w->book_lang, lang);
  g_string_append (out, ">\n<h2>");
  bb_xml_append_text (out, w->words->notes, -1);
  g_string_append (out, "</h2>\n<ol>\n");
  for (guint i = 0; i < w->notes->len; i++)
    {
      Note *n = w->notes->pdata[i];
      g_string_append (out, "<li epub:type=\"endnote\" role=\"doc-endnote\"");
      attr (out, "id", n->id);
      g_string_append (out, "><p>");
      g_autoptr (GString) text = g_string_new (NULL);
      g_autofree char *line = g_strdup_printf ("%d", n->line);
      if (n->file && n->line > 0)
        expand (text, w->words->note, "label", n->label, "file", n->file, "line", line, NULL);
      else
        expand (text, w->words->note_noline, "label", n->label, NULL);
      bb_xml_append_text (out, text->str, -1);
      g_string_append (out, " <a role=\"doc-backlink\"");
      g_autofree char *back = g_strconcat ("#", n->first_ref, NULL);
      attr (out, "href", back);
      attr (out, "title", w->words->back);
      g_string_append (out, ">↩</a></p></li>\n");
    }
  g_string_append (out, "</ol>\n</section>\n");
}

static void
write_section_part (Writer *w, Part *p)
{
  const BbNode *s = p->section;
  GString *out = p->xhtml = g_string_new (NULL);
  const char *lang = p->lang;
  begin_xhtml (w, out, p->title, lang, body_type (s->kind));

  g_hash_table_remove_all (w->note_by_label);
  g_ptr_array_set_size (w->notes, 0);

  g_string_append (out, "<section");
  id_attr (w, out, s);
  if (s->kind == BB_SECTION_CHAPTER)
    g_string_append (out, " epub:type=\"chapter\" role=\"doc-chapter\"");
  g_string_append (out, ">\n");
  write_breaks_before (w, out, s);

  /* The section's title is its first heading, unless the tree already
   * starts with a heading saying the same. */
  const BbNode *first = s->first;
  g_autofree char *first_text = first && first->type == BB_NODE_HEADING ? bb_node_plain (first) : NULL;
  gboolean own_title = s->text && *s->text && !(first_text && g_strcmp0 (first_text, s->text) == 0);
  w->heading_shift = 0;
  if (own_title)
    {
      g_string_append (out, "<h1>");
      bb_xml_append_text (out, s->text, -1);
      g_string_append (out, "</h1>\n");
      w->has_headings = TRUE;
      w->heading_shift = 1;
    }
  for (const BbNode *c = s->first; c; c = c->next)
    {
      write_block (w, out, c, lang);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "</section>\n");
  write_notes (w, out, lang);
}

static void
end_xhtml (GString *out)
{
  g_string_append (out, "</body>\n</html>\n");
}

/* ---- planning ------------------------------------------------------------------ */

/* True when the writer gives n an id: sections, and blocks whose parent
 * holds blocks (blocks misplaced inside inline content get none). */
static gboolean
gets_id (const BbNode *n)
{
  if (n->type == BB_NODE_SECTION)
    return TRUE;
  if (!bb_node_is_block (n) || !n->parent)
    return FALSE;
  switch (n->parent->type)
    {
    case BB_NODE_SECTION:
    case BB_NODE_QUOTE:
    case BB_NODE_ITEM:
    case BB_NODE_LIST:
    case BB_NODE_TABLE:
    case BB_NODE_ROW:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
register_anchors (Writer *w, Part *p, const BbNode *root)
{
  for (const BbNode *n = root; n; n = bb_node_next_in (root, n))
    {
      if (!bb_node_anchor (n) || !gets_id (n) || !bb_xml_is_ncname (bb_node_anchor (n))
          || g_hash_table_contains (w->anchor_part, bb_node_anchor (n)))
        continue;
      g_hash_table_insert (w->anchor_part, bb_node_anchor (n), p);
      g_hash_table_insert (w->anchor_seq, bb_node_anchor (n),
                           GUINT_TO_POINTER (g_hash_table_size (w->anchor_seq) + 1));
      g_hash_table_add (w->ids, g_strdup (bb_node_anchor (n)));
    }
}

static char *
section_title (Writer *w, const BbNode *s)
{
  g_autofree char *t = s->text ? g_strstrip (g_strdup (s->text)) : NULL;
  if (t && *t)
    return g_steal_pointer (&t);
  switch (s->kind)
    {
    case BB_SECTION_COVER: return g_strdup (w->words->cover);
    case BB_SECTION_CONTENTS: return g_strdup (w->words->contents);
    default: break;
    }
  const BbConfig *cfg = w->book->config;
  return g_strdup (cfg && cfg->title && *cfg->title ? cfg->title : "—");
}

static void
plan_parts (Writer *w)
{
  const BbNode *tree = w->book->tree;
  const BbNode *cover = NULL;
  guint k = 0;
  for (const BbNode *s = tree ? tree->first : NULL; s && !cover; s = s->next)
    if (s->type == BB_NODE_SECTION && s->kind == BB_SECTION_COVER)
      cover = s;
  if (!cover)
    {
      /* Every EPUB gets a cover page showing the cover image. */
      Part *p = g_new0 (Part, 1);
      p->name = g_strdup ("cover.xhtml");
      p->id = g_strdup ("cover");
      p->title = g_strdup (w->words->cover);
      p->lang = g_strdup (w->book_lang);
      p->is_cover = TRUE;
      g_ptr_array_add (w->parts, p);
    }
  for (BbNode *s = tree ? tree->first : NULL; s; s = s->next)
    {
      if (s->type != BB_NODE_SECTION)
        continue;
      Part *p = g_new0 (Part, 1);
      p->section = s;
      if (s == cover)
        {
          /* Only the first cover section is the cover; others are pages. */
          p->is_cover = TRUE;
          p->name = g_strdup ("cover.xhtml");
          p->id = g_strdup ("cover");
        }
      else
        {
          k++;
          p->name = g_strdup_printf ("s%03u.xhtml", k);
          p->id = g_strdup_printf ("s%03u", k);
        }
      p->title = section_title (w, s);
      const char *l = s->kind == BB_SECTION_CHAPTER ? clean_lang (bb_node_lang (s)) : NULL;
      p->lang = g_strdup (l ? l : w->book_lang);
      if (s->kind == BB_SECTION_CHAPTER)
        w->n_chapters++;
      g_ptr_array_add (w->parts, p);
      register_anchors (w, p, s);
    }
  /* Citations that point at notes in the book. */
  for (const BbNode *n = tree; n; n = bb_node_next_in (tree, n))
    if (n->type == BB_NODE_CITATION && n->href && n->href[0] == '#'
        && g_hash_table_contains (w->anchor_part, n->href + 1))
      g_hash_table_add (w->note_targets, n->href + 1);
  /* Reserve the ids the package uses for itself. */
  for (guint i = 0; i < w->parts->len; i++)
    g_hash_table_add (w->ids, g_strdup (((Part *) w->parts->pdata[i])->id));
}

/* ---- navigation ----------------------------------------------------------------- */

static void
nav_headings (Writer *w, GString *out, const Part *p)
{
  /* Second-level entries: headings of the part that have an anchor. */
  gboolean open = FALSE;
  const BbNode *s = p->section;
  for (const BbNode *n = s->first; n; n = n->next)
    {
      if (n->type != BB_NODE_HEADING || n->level > 2 || !bb_node_anchor (n)
          || g_hash_table_lookup (w->anchor_part, bb_node_anchor (n)) != p)
        continue;
      g_autofree char *text = bb_node_plain (n);
      if (!text || !*text || g_strcmp0 (text, p->title) == 0)
        continue;
      if (!open)
        g_string_append (out, "\n<ol>\n");
      open = TRUE;
      g_autofree char *href = g_strconcat ("text/", p->name, "#", bb_node_anchor (n), NULL);
      g_string_append (out, "<li><a");
      attr (out, "href", href);
      g_string_append_c (out, '>');
      bb_xml_append_text (out, text, -1);
      g_string_append (out, "</a></li>\n");
    }
  if (open)
    g_string_append (out, "</ol>\n");
}

static GString *
make_nav (Writer *w, gboolean *has_page_list)
{
  GString *out = g_string_new (NULL);
  const BbConfig *cfg = w->book->config;
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                        "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                        "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  attr (out, "lang", w->book_lang);
  attr (out, "xml:lang", w->book_lang);
  g_string_append (out, ">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
  bb_xml_append_text (out, cfg && cfg->title && *cfg->title ? cfg->title : w->words->contents, -1);
  g_string_append (out, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"styles/epub.css\"/>\n"
                        "</head>\n<body>\n");

  /* toc */
  g_string_append (out, "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h1>");
  bb_xml_append_text (out, w->words->contents, -1);
  g_string_append (out, "</h1>\n<ol>\n");
  guint entries = 0;
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      if (p->is_cover && w->parts->len > 1)
        continue;
      g_autofree char *href = g_strconcat ("text/", p->name, NULL);
      g_string_append (out, "<li><a");
      attr (out, "href", href);
      if (g_strcmp0 (p->lang, w->book_lang) != 0)
        lang_attrs (out, p->lang, w->book_lang);
      g_string_append_c (out, '>');
      bb_xml_append_text (out, p->title, -1);
      g_string_append (out, "</a>");
      if (p->section)
        nav_headings (w, out, p);
      g_string_append (out, "</li>\n");
      entries++;
    }
  g_string_append (out, "</ol>\n</nav>\n");

  /* landmarks */
  g_string_append (out, "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"\">\n<h2>");
  bb_xml_append_text (out, w->words->landmarks, -1);
  g_string_append (out, "</h2>\n<ol>\n");
  const Part *contents = NULL, *body = NULL, *cover = NULL;
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      if (p->is_cover && !cover)
        cover = p;
      else if (p->section && p->section->kind == BB_SECTION_CONTENTS && !contents)
        contents = p;
      else if (p->section && p->section->kind == BB_SECTION_CHAPTER && !body)
        body = p;
    }
  if (!body)
    for (guint i = 0; i < w->parts->len && !body; i++)
      if (!((Part *) w->parts->pdata[i])->is_cover)
        body = w->parts->pdata[i];
  if (cover)
    g_string_append_printf (out, "<li><a epub:type=\"cover\" href=\"text/%s\">%s</a></li>\n",
                            cover->name, w->words->cover);
  if (contents)
    g_string_append_printf (out, "<li><a epub:type=\"toc\" href=\"text/%s\">%s</a></li>\n",
                            contents->name, w->words->contents);
  if (body)
    g_string_append_printf (out, "<li><a epub:type=\"bodymatter\" href=\"text/%s\">%s</a></li>\n",
                            body->name, w->words->start);
  g_string_append (out, "</ol>\n</nav>\n");

  /* page-list: every page of the print edition, in order */
  *has_page_list = FALSE;
  guint n = w->map ? bb_pagemap_n_pages (w->map) : 0;
  if (n > 0)
    {
      g_string_append (out, "<nav epub:type=\"page-list\" id=\"page-list\" hidden=\"\">\n<h2>");
      bb_xml_append_text (out, w->words->pages, -1);
      g_string_append (out, "</h2>\n<ol>\n");
      for (guint i = 0; i < n; i++)
        {
          if (!w->page_ids[i])
            continue;
          const BbPage *pg = bb_pagemap_page (w->map, i);
          g_autofree char *href = g_strconcat ("text/", w->page_part[i]->name, "#", w->page_ids[i], NULL);
          g_string_append (out, "<li><a");
          attr (out, "href", href);
          g_string_append_c (out, '>');
          bb_xml_append_text (out, pg->label && *pg->label ? pg->label : "?", -1);
          g_string_append (out, "</a></li>\n");
          *has_page_list = TRUE;
        }
      g_string_append (out, "</ol>\n</nav>\n");
    }
  (void) entries;
  g_string_append (out, "</body>\n</html>\n");
  return out;
}

static GString *
make_ncx (Writer *w, const char *identifier)
{
  GString *out = g_string_new (NULL);
  const BbConfig *cfg = w->book->config;
  guint npages = w->map ? bb_pagemap_n_pages (w->map) : 0;
  guint max_page = 0;
  for (guint k = 0; k < npages; k++)
    {
      const BbPage *pg = bb_pagemap_page (w->map, k);
      guint64 v;
      if (!pg->front && pg->label && g_ascii_string_to_unsigned (pg->label, 10, 1, G_MAXINT, &v, NULL))
        max_page = MAX (max_page, (guint) v);
    }
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\"");
  attr (out, "xml:lang", w->book_lang);
  g_string_append (out, ">\n<head>\n<meta name=\"dtb:uid\"");
  attr (out, "content", identifier);
  g_string_append_printf (out, "/>\n<meta name=\"dtb:depth\" content=\"1\"/>\n"
                               "<meta name=\"dtb:totalPageCount\" content=\"%u\"/>\n"
                               "<meta name=\"dtb:maxPageNumber\" content=\"%u\"/>\n"
                               "</head>\n<docTitle><text>", npages, max_page);
  bb_xml_append_text (out, cfg && cfg->title ? cfg->title : "", -1);
  g_string_append (out, "</text></docTitle>\n<navMap>\n");
  /* playOrder runs over navigation points and page targets together, in
   * reading order: each part, then the pages that begin inside it. */
  g_autoptr (GString) pages = g_string_new (NULL);
  guint order = 0;
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      order++;
      g_string_append_printf (out, "<navPoint id=\"np-%u\" playOrder=\"%u\"><navLabel><text>", i + 1, order);
      bb_xml_append_text (out, p->title, -1);
      g_string_append_printf (out, "</text></navLabel><content src=\"text/%s\"/></navPoint>\n", p->name);
      for (guint k = 0; k < npages; k++)
        {
          if (w->page_part[k] != p || !w->page_ids[k])
            continue;
          const BbPage *pg = bb_pagemap_page (w->map, k);
          guint64 v;
          gboolean numeric = !pg->front && pg->label
                             && g_ascii_string_to_unsigned (pg->label, 10, 1, G_MAXINT, &v, NULL);
          order++;
          g_string_append_printf (pages, "<pageTarget id=\"pt-%u\" type=\"%s\"", k + 1,
                                  numeric ? "normal" : pg->front ? "front" : "special");
          if (numeric)
            g_string_append_printf (pages, " value=\"%u\"", (guint) v);
          g_string_append_printf (pages, " playOrder=\"%u\"><navLabel><text>", order);
          bb_xml_append_text (pages, pg->label && *pg->label ? pg->label : "?", -1);
          g_string_append_printf (pages, "</text></navLabel><content src=\"text/%s#%s\"/></pageTarget>\n",
                                  p->name, w->page_ids[k]);
        }
    }
  g_string_append (out, "</navMap>\n");
  if (pages->len)
    {
      g_string_append (out, "<pageList>\n<navLabel><text>");
      bb_xml_append_text (out, w->words->pages, -1);
      g_string_append (out, "</text></navLabel>\n");
      g_string_append_len (out, pages->str, (gssize) pages->len);
      g_string_append (out, "</pageList>\n");
    }
  g_string_append (out, "</ncx>\n");
  return out;
}

/* ---- identity and dates ------------------------------------------------------------ */

char *
bb_epub_identifier (const char *title)
{
  /* RFC 4122 version 5: SHA-1 of a namespace and the name.  The namespace
   * is the URL one; the name is the book's title, so editions share it. */
  static const guint8 ns[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sum, ns, sizeof ns);
  g_autofree char *name = g_strconcat ("briefing:", title ? title : "", NULL);
  g_checksum_update (sum, (const guchar *) name, (gssize) strlen (name));
  guint8 d[20];
  gsize len = sizeof d;
  g_checksum_get_digest (sum, d, &len);
  d[6] = (guint8) ((d[6] & 0x0F) | 0x50);
  d[8] = (guint8) ((d[8] & 0x3F) | 0x80);
  return g_strdup_printf ("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
                          d[10], d[11], d[12], d[13], d[14], d[15]);
}

static char *
format_utc (gint64 t, const char *fmt)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  if (!dt)
    dt = g_date_time_new_from_unix_utc (0);
  return g_date_time_format (dt, fmt);
}

/* ZIP entries carry MS-DOS times, which libzip converts from time_t with the
 * local time zone.  Returns the time_t whose local time reads as the UTC
 * time of t, so the bytes do not depend on TZ. */
static time_t
zip_time_for (gint64 t)
{
  if (t < 315532800) /* DOS times start in 1980 */
    t = 315532800;
  time_t guess = (time_t) t;
  for (int i = 0; i < 3; i++)
    {
      struct tm lt;
      if (!localtime_r (&guess, &lt))
        break;
      g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (guess);
      gint64 off = local ? g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND : 0;
      time_t next = (time_t) (t - off);
      if (next == guess)
        break;
      guess = next;
    }
  return guess;
}

/* ---- package document --------------------------------------------------------------- */

typedef struct {
  char *path;        /* inside EPUB/ */
  char *id;
  const char *media;
  const char *props; /* or NULL */
  GBytes *data;      /* or NULL: spool_len bytes at spool_off of the spool */
  gint64 spool_off, spool_len;
  gboolean store;
} Entry;

static void
entry_free (gpointer p)
{
  Entry *e = p;
  g_free (e->path);
  g_free (e->id);
  g_bytes_unref (e->data);
  g_free (e);
}

static Entry *
entry_new (const char *path, const char *id, const char *media, const char *props, GBytes *data)
{
  Entry *e = g_new0 (Entry, 1);
  e->path = g_strdup (path);
  e->id = g_strdup (id);
  e->media = media;
  e->props = props;
  e->data = data;
  return e;
}

static void
meta (GString *out, const char *property, const char *value)
{
  g_string_append (out, "<meta");
  attr (out, "property", property);
  g_string_append_c (out, '>');
  bb_xml_append_text (out, value, -1);
  g_string_append (out, "</meta>\n");
}

static GString *
make_opf (Writer *w, const char *identifier, GPtrArray *entries, gboolean page_list)
{
  const BbBook *b = w->book;
  const BbConfig *cfg = b->config;
  const char *title = cfg && cfg->title && *cfg->title ? cfg->title : "Briefing";
  GString *out = g_string_new (NULL);
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                        "unique-identifier=\"pub-id\"");
  attr (out, "xml:lang", w->book_lang);
  g_string_append (out, ">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
  g_string_append (out, "<dc:identifier id=\"pub-id\">");
  bb_xml_append_text (out, identifier, -1);
  g_string_append (out, "</dc:identifier>\n<dc:title id=\"title\">");
  bb_xml_append_text (out, title, -1);
  g_string_append (out, "</dc:title>\n");
  if (cfg && cfg->subtitle && *cfg->subtitle)
    {
      g_string_append (out, "<dc:title id=\"subtitle\">");
      bb_xml_append_text (out, cfg->subtitle, -1);
      g_string_append (out, "</dc:title>\n"
                            "<meta refines=\"#title\" property=\"title-type\">main</meta>\n"
                            "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
    }
  g_string_append (out, "<dc:language>");
  bb_xml_append_text (out, w->book_lang, -1);
  g_string_append (out, "</dc:language>\n");
  /* Other languages of the text (source chapters). */
  g_autoptr (GHashTable) langs = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_add (langs, (gpointer) w->book_lang);
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      if (g_hash_table_contains (langs, p->lang))
        continue;
      g_hash_table_add (langs, p->lang);
      g_string_append (out, "<dc:language>");
      bb_xml_append_text (out, p->lang, -1);
      g_string_append (out, "</dc:language>\n");
    }
  if (cfg && cfg->author && *cfg->author)
    {
      g_string_append (out, "<dc:creator>");
      bb_xml_append_text (out, cfg->author, -1);
      g_string_append (out, "</dc:creator>\n");
    }
  if (cfg && cfg->publisher && *cfg->publisher)
    {
      g_string_append (out, "<dc:publisher>");
      bb_xml_append_text (out, cfg->publisher, -1);
      g_string_append (out, "</dc:publisher>\n");
    }
  g_autofree char *day = format_utc (b->date, "%Y-%m-%d");
  g_autofree char *modified = format_utc (b->date, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append_printf (out, "<dc:date>%s</dc:date>\n", day);
  g_string_append (out, "<dc:source>");
  g_autofree char *source = g_strdup_printf ("%s, print edition %s of %s (PDF%s%s)", title,
                                             b->edition && *b->edition ? b->edition : "1", day,
                                             cfg && cfg->layout ? ", " : "",
                                             cfg && cfg->layout ? cfg->layout : "");
  bb_xml_append_text (out, source, -1);
  g_string_append (out, "</dc:source>\n");
  meta (out, "dcterms:modified", modified);
  g_string_append (out, "<meta name=\"cover\" content=\"cover-image\"/>\n");

  /* Accessibility, from what was written. */
  meta (out, "schema:accessMode", "textual");
  if (w->has_cover)
    meta (out, "schema:accessMode", "visual");
  meta (out, "schema:accessModeSufficient", "textual");
  meta (out, "schema:accessibilityFeature", "tableOfContents");
  meta (out, "schema:accessibilityFeature", "readingOrder");
  if (w->has_headings)
    meta (out, "schema:accessibilityFeature", "structuralNavigation");
  if (w->has_cover)
    meta (out, "schema:accessibilityFeature", "alternativeText");
  if (page_list)
    {
      meta (out, "schema:accessibilityFeature", "printPageNumbers");
      meta (out, "schema:accessibilityFeature", "pageBreakMarkers");
      meta (out, "schema:accessibilityFeature", "pageNavigation");
    }
  meta (out, "schema:accessibilityHazard", "none");
  GString *sum = g_string_new (NULL);
  g_string_append_printf (sum, "A reflowable text briefing book of %u source chapter%s with a "
                               "table of contents%s.", w->n_chapters, w->n_chapters == 1 ? "" : "s",
                          w->has_headings ? " and headings for structural navigation" : "");
  if (page_list)
    g_string_append_printf (sum, " Page-break markers and a page list give the page numbers of "
                                 "the print edition (%u pages).", bb_pagemap_n_pages (w->map));
  if (w->has_tables)
    g_string_append (sum, " Tables have header rows.");
  if (w->has_notes)
    g_string_append (sum, " Citation markers are linked note references.");
  if (w->has_cover)
    g_string_append (sum, " The cover image has a text alternative; all other content is text.");
  g_string_append (sum, " No known hazards.");
  g_string_append (out, "<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\">");
  bb_xml_append_text (out, sum->str, -1);
  g_string_append (out, "</meta>\n");
  g_string_free (sum, TRUE);
  g_string_append (out, "</metadata>\n<manifest>\n");

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = entries->pdata[i];
      g_string_append (out, "<item");
      attr (out, "id", e->id);
      attr (out, "href", e->path);
      attr (out, "media-type", e->media);
      if (e->props)
        attr (out, "properties", e->props);
      g_string_append (out, "/>\n");
    }
  g_string_append (out, "</manifest>\n<spine toc=\"ncx\">\n");
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      g_string_append_printf (out, "<itemref idref=\"%s\"/>\n", p->id);
    }
  g_string_append (out, "</spine>\n</package>\n");
  return out;
}

/* ---- resources ---------------------------------------------------------------------- */

/* The cover as a PNG, written with libpng rather than Cairo's writer.
 * Cairo tries all five filters on every row, which suits photographs; the
 * cover is flat colour and type, where no filter does better: at 1,200
 * pixels wide its PNG takes 0.025 s instead of 0.065 s, and 35 KB instead
 * of 42 KB. */
static void
png_write_bytes (png_structp png, png_bytep data, png_size_t length)
{
  g_byte_array_append (png_get_io_ptr (png), data, (guint) length);
}

static void
png_flush_nothing (png_structp png)
{
  (void) png;
}

static void
png_fail (png_structp png, png_const_charp message)
{
  (void) message;
  png_longjmp (png, 1);
}

static void
png_warn_nothing (png_structp png, png_const_charp message)
{
  (void) png;
  (void) message;
}

/* Appends surface (CAIRO_FORMAT_RGB24) to out as a PNG; FALSE when libpng
 * fails (out of memory). */
static gboolean
png_encode (cairo_surface_t *surface, GByteArray *out)
{
  cairo_surface_flush (surface);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const unsigned char *data = cairo_image_surface_get_data (surface);
  if (!data || w <= 0 || h <= 0)
    return FALSE;
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, png_fail, png_warn_nothing);
  if (!png)
    return FALSE;
  png_infop info = png_create_info_struct (png);
  /* set before setjmp and not changed after it, so that a longjmp back
   * finds it as it was */
  png_bytep row = g_malloc ((gsize) w * 3);
  if (!info || setjmp (png_jmpbuf (png)))
    {
      g_free (row);
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }
  png_set_write_fn (png, out, png_write_bytes, png_flush_nothing);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_compression_level (png, 6);
  png_set_IHDR (png, info, (png_uint_32) w, (png_uint_32) h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  for (int y = 0; y < h; y++)
    {
      /* RGB24: one native-endian 32-bit word a pixel, 0xXXRRGGBB */
      const guint32 *px = (const guint32 *) (const void *) (data + (gsize) y * (gsize) stride);
      for (int x = 0; x < w; x++)
        {
          row[3 * x] = (png_byte) (px[x] >> 16);
          row[3 * x + 1] = (png_byte) (px[x] >> 8);
          row[3 * x + 2] = (png_byte) px[x];
        }
      png_write_row (png, row);
    }
  png_write_end (png, info);
  g_free (row);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

GBytes *
bb_epub_draw_cover (const BbBook *book, GError **error)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  const char *name = book->config && book->config->layout ? book->config->layout : "a4";
  g_autoptr (BbLayout) layout = bb_layout_load (name, diag);
  if (!layout)
    layout = bb_layout_parse ("a4.ini", "", 0, diag);
  if (!layout)
    {
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_DATA, "no page layout for the cover");
      return NULL;
    }
  double scale = cover_width_px / layout->width;
  int wpx = cover_width_px;
  int hpx = (int) (layout->height * scale + 0.5);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, wpx, hpx);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  bb_cover_draw (cr, book, layout, layout->width, layout->height);
  cairo_status_t st = cairo_status (cr);
  cairo_destroy (cr);
  GByteArray *png = g_byte_array_new ();
  if (st == CAIRO_STATUS_SUCCESS && !png_encode (surface, png))
    st = CAIRO_STATUS_NO_MEMORY;
  cairo_surface_destroy (surface);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_DATA, "cannot draw the cover: %s",
                   cairo_status_to_string (st));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}

static const char *
font_media_type (const char *name)
{
  if (g_str_has_suffix (name, ".otf"))
    return "font/otf";
  if (g_str_has_suffix (name, ".woff"))
    return "font/woff";
  if (g_str_has_suffix (name, ".woff2"))
    return "font/woff2";
  return "font/ttf";
}

static void
collect_chars (GHashTable *chars, const char *s)
{
  /* a part repeats its characters: each one below SEEN_MAX goes to the
   * table once per call */
  enum { SEEN_MAX = 0x3000 };
  guint8 seen[SEEN_MAX / 8] = { 0 };
  for (const char *p = s; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = (guchar) *p < 0x80 ? (gunichar) (guchar) *p : g_utf8_get_char (p);
      if (c < 0x20)
        continue;
      if (c < SEEN_MAX)
        {
          if (seen[c / 8] & (1u << (c % 8)))
            continue;
          seen[c / 8] |= (guint8) (1u << (c % 8));
        }
      g_hash_table_add (chars, GUINT_TO_POINTER (c));
    }
}

/* Adds the fonts the stylesheet names (url(../fonts/NAME)), each subset to
 * the characters of the book. */
static gboolean
add_fonts (const char *css, GHashTable *chars, GPtrArray *entries, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint k = 0;
  for (const char *p = strstr (css, "url("); p; p = strstr (p + 4, "url("))
    {
      const char *q = p + 4;
      while (*q == '"' || *q == '\'' || *q == ' ')
        q++;
      if (!g_str_has_prefix (q, "../fonts/"))
        continue;
      q += strlen ("../fonts/");
      gsize n = strcspn (q, "\"') ");
      g_autofree char *name = g_strndup (q, n);
      if (!*name || strchr (name, '/') || g_hash_table_contains (seen, name))
        continue;
      g_hash_table_add (seen, g_strdup (name));
      g_autofree char *path = g_build_filename (bb_datadir (), "fonts", name, NULL);
      g_autoptr (GError) err = NULL;
      g_autoptr (GBytes) full = bb_font_file_bytes (path, &err);
      if (!full)
        {
          g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_DATA, "%s: %s", path, err->message);
          return FALSE;
        }
      GBytes *font = bb_subset_font (full, chars);
      if (!font)
        font = g_bytes_ref (full);
      g_autofree char *epath = g_strconcat ("fonts/", name, NULL);
      g_autofree char *id = g_strdup_printf ("font-%u", ++k);
      g_ptr_array_add (entries, entry_new (epath, id, font_media_type (name), NULL, font));
    }
  return TRUE;
}

static GBytes *
string_bytes (GString *s)
{
  gsize len = s->len;
  return g_bytes_new_take (g_string_free (s, FALSE), len);
}

/* ---- packing ------------------------------------------------------------------------ */

/* zlib's default level: on the sample book, level 9 took a quarter more
 * time to save 0.1% of the size.  0 stores every entry: the fuzz target's
 * choice, because deflating the fonts would dominate its run. */
static int deflate_level = 6;

void
bb_epub_set_deflate_level (int level)
{
  deflate_level = CLAMP (level, 0, 9);
}

/* A part in the spool, read when the archive is written.  libzip reads
 * one entry's data at a time, so every entry shares the spool's stream.
 * (zip_source_file would do, but it gives the entry the spool's file mode
 * and an open file per entry.) */
typedef struct {
  FILE *spool;
  gint64 off, len, pos;
  zip_error_t error;
} SpoolRead;

static zip_int64_t
spool_read (void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
  SpoolRead *r = user;
  switch (cmd)
    {
    case ZIP_SOURCE_OPEN:
      r->pos = 0;
      return 0;
    case ZIP_SOURCE_READ:
      {
        zip_uint64_t n = MIN (len, (zip_uint64_t) (r->len - r->pos));
        if (n == 0)
          return 0;
        if (fseeko (r->spool, r->off + r->pos, SEEK_SET) != 0 || fread (data, 1, n, r->spool) != n)
          {
            zip_error_set (&r->error, ZIP_ER_READ, errno);
            return -1;
          }
        r->pos += (gint64) n;
        return (zip_int64_t) n;
      }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT:
      {
        zip_stat_t *st = data;
        zip_stat_init (st);
        st->size = (zip_uint64_t) r->len;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof *st;
      }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data (&r->error, data, len);
    case ZIP_SOURCE_FREE:
      zip_error_fini (&r->error);
      g_free (r);
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap (ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                             ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set (&r->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
    }
}

static zip_source_t *
spool_source (zip_t *za, FILE *spool, const Entry *e)
{
  SpoolRead *r = g_new0 (SpoolRead, 1);
  r->spool = spool;
  r->off = e->spool_off;
  r->len = e->spool_len;
  zip_error_init (&r->error);
  zip_source_t *src = zip_source_function (za, spool_read, r);
  if (!src)
    {
      zip_error_fini (&r->error);
      g_free (r);
    }
  return src;
}

static gboolean
pack_entry (zip_t *za, const Entry *e, FILE *spool, time_t mtime, GError **error)
{
  const char *name = e->path;
  gboolean store = e->store;
  zip_source_t *src;
  if (e->data)
    {
      gsize len;
      const void *buf = g_bytes_get_data (e->data, &len);
      src = zip_source_buffer (za, buf, len, 0);
    }
  else
    src = spool_source (za, spool, e);
  zip_int64_t idx = src ? zip_file_add (za, name, src, ZIP_FL_ENC_UTF_8) : -1;
  if (idx < 0)
    {
      if (src)
        zip_source_free (src);
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "cannot add %s: %s", name,
                   zip_strerror (za));
      return FALSE;
    }
  zip_uint64_t i = (zip_uint64_t) idx;
  store = store || deflate_level == 0;
  if (zip_set_file_compression (za, i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : (zip_uint32_t) deflate_level) < 0
      || zip_file_set_mtime (za, i, mtime, 0) < 0
      || zip_file_extra_field_delete (za, i, ZIP_EXTRA_FIELD_ALL, ZIP_FL_LOCAL | ZIP_FL_CENTRAL) < 0)
    {
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "cannot set up %s: %s", name,
                   zip_strerror (za));
      return FALSE;
    }
  return TRUE;
}

/* Adds the entries to za in order and writes the archive. */
static gboolean
pack_into (zip_t *za, GPtrArray *entries, gint64 date, FILE *spool, GError **error)
{
  time_t mtime = zip_time_for (date);
  for (guint i = 0; i < entries->len; i++)
    if (!pack_entry (za, entries->pdata[i], spool, mtime, error))
      {
        zip_discard (za);
        return FALSE;
      }
  if (zip_close (za) < 0)
    {
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "cannot write archive: %s",
                   zip_strerror (za));
      zip_discard (za);
      return FALSE;
    }
  return TRUE;
}

/* The archive written to path: libzip writes a temporary beside it and
 * renames it over path when done. */
static gboolean
pack_to_file (GPtrArray *entries, gint64 date, const char *path, FILE *spool, GError **error)
{
  int zerr = 0;
  zip_t *za = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (!za)
    {
      zip_error_t ze;
      zip_error_init_with_code (&ze, zerr);
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "%s: cannot create archive: %s", path,
                   zip_error_strerror (&ze));
      zip_error_fini (&ze);
      return FALSE;
    }
  return pack_into (za, entries, date, spool, error);
}

static GBytes *
pack (GPtrArray *entries, gint64 date, GError **error)
{
  zip_error_t zerr;
  zip_error_init (&zerr);
  zip_source_t *src = zip_source_buffer_create (NULL, 0, 0, &zerr);
  zip_t *za = src ? zip_open_from_source (src, ZIP_TRUNCATE, &zerr) : NULL;
  if (!za)
    {
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "cannot create archive: %s",
                   zip_error_strerror (&zerr));
      zip_error_fini (&zerr);
      if (src)
        zip_source_free (src);
      return NULL;
    }
  zip_source_keep (src);
  if (!pack_into (za, entries, date, NULL, error))
    {
      zip_source_free (src);
      return NULL;
    }
  zip_stat_t st;
  GBytes *result = NULL;
  if (zip_source_open (src) == 0)
    {
      if (zip_source_stat (src, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        {
          guint8 *buf = g_malloc (st.size ? st.size : 1);
          zip_int64_t got = zip_source_read (src, buf, st.size);
          if (got == (zip_int64_t) st.size)
            result = g_bytes_new_take (buf, st.size);
          else
            g_free (buf);
        }
      zip_source_close (src);
    }
  zip_source_free (src);
  if (!result)
    g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "cannot read back the archive");
  return result;
}

/* ---- the whole book ------------------------------------------------------------------- */

/* Moves a finished part out of memory into the spool. */
static gboolean
spool_part (Writer *w, Part *p, GError **error)
{
  p->spool_off = ftello (w->spool);
  p->spool_len = (gint64) p->xhtml->len;
  if (p->spool_off < 0 || fwrite (p->xhtml->str, 1, p->xhtml->len, w->spool) != p->xhtml->len)
    {
      int e = errno;
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "%s: cannot write: %s", w->spool_path,
                   g_strerror (e));
      return FALSE;
    }
  g_string_free (p->xhtml, TRUE);
  p->xhtml = NULL;
  return TRUE;
}

/* Writes every part and resource of the book into entries, in archive
 * order. */
static gboolean
build_entries (Writer *w, GPtrArray *entries, const char *identifier, GBytes *drawn, GError **error)
{
  const BbBook *book = w->book;
  guint npages = w->map ? bb_pagemap_n_pages (w->map) : 0;
  g_autoptr (GBytes) cover = drawn ? g_bytes_ref (drawn) : bb_epub_draw_cover (book, error);
  if (!cover)
    return FALSE;
  w->has_cover = TRUE;
  /* the characters the fonts are cut to, gathered as each part is done */
  g_autoptr (GHashTable) chars = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      w->cur = p;
      if (p->is_cover)
        write_cover_part (w, p);
      else
        write_section_part (w, p);
      if (i + 1 == w->parts->len)
        {
          /* Pages with no place of their own close the book; so does any
           * marker whose block was never written. */
          write_page_markers (w, p->xhtml, w->trailing);
          for (guint k = 0; k < npages; k++)
            if (!w->page_ids[k])
              {
                g_autoptr (GArray) one = g_array_new (FALSE, FALSE, sizeof (guint));
                g_array_append_val (one, k);
                write_page_markers (w, p->xhtml, one);
              }
        }
      end_xhtml (p->xhtml);
      collect_chars (chars, p->xhtml->str);
      if (w->spool && !spool_part (w, p, error))
        return FALSE;
    }

  /* The stylesheet, and the fonts it names cut to the characters used. */
  g_autofree char *css_path = g_build_filename (bb_datadir (), "layouts", "epub.css", NULL);
  g_autofree char *css = NULL;
  gsize css_len;
  g_autoptr (GError) css_err = NULL;
  if (!g_file_get_contents (css_path, &css, &css_len, &css_err))
    {
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_DATA, "%s: %s", css_path, css_err->message);
      return FALSE;
    }

  gboolean page_list = FALSE;
  GString *nav = make_nav (w, &page_list);
  GString *ncx = make_ncx (w, identifier);

  for (gunichar c = 0x20; c < 0x7F; c++)
    g_hash_table_add (chars, GUINT_TO_POINTER (c));
  /* Typographic punctuation the renderer may use even when the text has none. */
  collect_chars (chars, "\u00A0\u00AD–—‘’“”…•↩·×");
  collect_chars (chars, nav->str);

  Entry *e = entry_new ("mimetype", NULL, NULL, NULL, g_bytes_new_static ("application/epub+zip", 20));
  e->store = TRUE;
  g_ptr_array_add (entries, e);
  static const char container[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "<rootfiles>\n"
    "<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "</rootfiles>\n"
    "</container>\n";
  g_ptr_array_add (entries, entry_new ("META-INF/container.xml", NULL, NULL, NULL,
                                       g_bytes_new_static (container, sizeof container - 1)));
  guint first_item = entries->len; /* the package document goes here */
  g_ptr_array_add (entries, entry_new ("nav.xhtml", "nav", "application/xhtml+xml", "nav", string_bytes (nav)));
  g_ptr_array_add (entries, entry_new ("toc.ncx", "ncx", "application/x-dtbncx+xml", NULL, string_bytes (ncx)));
  g_ptr_array_add (entries, entry_new ("styles/epub.css", "css", "text/css", NULL,
                                       g_bytes_new (css, css_len)));
  if (!add_fonts (css, chars, entries, error))
    return FALSE;
  g_ptr_array_add (entries, entry_new ("images/cover.png", "cover-image", "image/png", "cover-image",
                                       g_bytes_ref (cover)));
  for (guint i = 0; i < w->parts->len; i++)
    {
      Part *p = w->parts->pdata[i];
      g_autofree char *path = g_strconcat ("text/", p->name, NULL);
      GString *x = p->xhtml;
      p->xhtml = NULL;
      Entry *pe = entry_new (path, p->id, "application/xhtml+xml", NULL, x ? string_bytes (x) : NULL);
      pe->spool_off = p->spool_off;
      pe->spool_len = p->spool_len;
      g_ptr_array_add (entries, pe);
    }

  /* The package document lists the entries after it. */
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  for (guint i = first_item; i < entries->len; i++)
    g_ptr_array_add (items, entries->pdata[i]);
  GString *opf = make_opf (w, identifier, items, page_list);
  g_ptr_array_insert (entries, (gint) first_item,
                      entry_new ("package.opf", NULL, NULL, NULL, string_bytes (opf)));
  /* Paths inside the zip: the package lives in EPUB/. */
  for (guint i = first_item; i < entries->len; i++)
    {
      Entry *en = entries->pdata[i];
      char *full = g_strconcat ("EPUB/", en->path, NULL);
      g_free (en->path);
      en->path = full;
    }
  return TRUE;
}

/* Writes the book: into *bytes when path is NULL, else to path, with
 * the finished parts waiting in a spool file beside it. */
static gboolean
write_epub (const BbBook *book, const BbPageMap *map, GBytes *cover, const char *path, GBytes **bytes,
            GError **error)
{
  Writer w = { 0 };
  w.book = book;
  w.map = map;
  const char *bl = book->config ? clean_lang (book->config->lang) : NULL;
  w.book_lang = bl ? bl : "en";
  w.words = words_for (w.book_lang);
  g_autofree char *spool_path = NULL;
  if (path)
    {
      /* ".NAME.XXXXXX" beside the reserved file: the output folder's sweep
       * removes it if the build is killed (publish.c) */
      spool_path = g_strconcat (path, ".XXXXXX", NULL);
      int fd = g_mkstemp_full (spool_path, O_RDWR | O_CLOEXEC, 0600);
      w.spool = fd >= 0 ? fdopen (fd, "w+b") : NULL;
      if (!w.spool)
        {
          int e = errno;
          if (fd >= 0)
            close (fd);
          g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "%s: cannot create: %s", spool_path,
                       g_strerror (e));
          return FALSE;
        }
      w.spool_path = spool_path;
    }
  w.parts = g_ptr_array_new_with_free_func (part_free);
  w.anchor_part = g_hash_table_new (g_str_hash, g_str_equal);
  w.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.breaks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  w.trailing = g_array_new (FALSE, FALSE, sizeof (guint));
  w.note_targets = g_hash_table_new (g_str_hash, g_str_equal);
  w.anchor_seq = g_hash_table_new (g_str_hash, g_str_equal);
  w.written = g_hash_table_new (g_str_hash, g_str_equal);
  w.notes = g_ptr_array_new_with_free_func (note_free);
  w.note_by_label = g_hash_table_new (g_str_hash, g_str_equal);
  guint npages = map ? bb_pagemap_n_pages (map) : 0;
  w.page_ids = g_new0 (char *, npages + 1);
  w.page_part = g_new0 (Part *, npages + 1);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autofree char *identifier = bb_epub_identifier (book->config ? book->config->title : NULL);

  plan_parts (&w);
  plan_breaks (&w);
  gboolean ok = build_entries (&w, entries, identifier, cover, error);
  if (ok && w.spool && fflush (w.spool) != 0)
    {
      int e = errno;
      g_set_error (error, BB_EPUB_ERROR, BB_EPUB_ERROR_ZIP, "%s: cannot write: %s", spool_path, g_strerror (e));
      ok = FALSE;
    }
  if (ok && path)
    ok = pack_to_file (entries, book->date, path, w.spool, error);
  else if (ok)
    ok = (*bytes = pack (entries, book->date, error)) != NULL;
  if (w.spool)
    {
      fclose (w.spool);
      g_unlink (spool_path);
    }

  for (guint i = 0; i < npages; i++)
    g_free (w.page_ids[i]);
  g_free (w.page_ids);
  g_free (w.page_part);
  g_hash_table_unref (w.note_by_label);
  g_ptr_array_unref (w.notes);
  g_array_unref (w.trailing);
  g_hash_table_unref (w.breaks);
  g_hash_table_unref (w.note_targets);
  g_hash_table_unref (w.anchor_seq);
  g_hash_table_unref (w.written);
  g_hash_table_unref (w.ids);
  g_hash_table_unref (w.anchor_part);
  g_ptr_array_unref (w.parts);
  return ok;
}

GBytes *
bb_epub_write_bytes (const BbBook *book, const BbPageMap *map, GBytes *cover, GError **error)
{
  g_return_val_if_fail (book != NULL, NULL);
  GBytes *result = NULL;
  write_epub (book, map, cover, NULL, &result, error);
  return result;
}

gboolean
bb_epub_write (const BbBook *book, const BbPageMap *map, GBytes *cover, const char *path, GError **error)
{
  g_return_val_if_fail (book != NULL && path != NULL, FALSE);
  return write_epub (book, map, cover, path, NULL, error);
}
