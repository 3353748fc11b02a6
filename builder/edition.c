/* edition.c — manifests and the "What's new" section.
 *
 * manifest.tsv is line-oriented, one record per line, fields separated by
 * tabs, with \t \n \\ escaped in fields:
 *   edition N / date UNIX / settings SHA / source NAME SHA /
 *   chronology FP TEXT / person FP NAME
 * Fingerprints hash a row's visible text (first two cells for chronology:
 * date and event; the name cell for people), so they survive re-layout but
 * change when the row says something new.
 */
#include "edition.h"
#include <errno.h>
#include <string.h>

typedef struct {
  char *key;   /* source name, or fingerprint */
  char *value; /* checksum, or row text */
} Item;

typedef struct _Items Items;

struct _BbEdition {
  guint number;
  gint64 date;
  char *settings;
  Items *sources;  /* Item, in book order */
  Items *chron;    /* Item */
  Items *people;   /* Item */
};

static void
item_clear (gpointer p)
{
  Item *i = p;
  g_free (i->key);
  g_free (i->value);
}

/* Items in order, found by key through an index (a book holds thousands
 * of chronology rows: a search through the list would make comparing two
 * editions quadratic). */
struct _Items {
  GArray *list;        /* Item */
  GHashTable *index;   /* key (owned by the list) → position + 1; the first of equal keys */
};

static Items *
items_new (void)
{
  Items *a = g_new0 (Items, 1);
  a->list = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (a->list, item_clear);
  a->index = g_hash_table_new (g_str_hash, g_str_equal);
  return a;
}

static void
items_free (Items *a)
{
  g_hash_table_unref (a->index);
  g_array_unref (a->list);
  g_free (a);
}

static void
items_add (Items *a, const char *key, const char *value)
{
  Item it = { g_strdup (key), g_strdup (value) };
  g_array_append_val (a->list, it);
  if (!g_hash_table_contains (a->index, it.key))
    g_hash_table_insert (a->index, it.key, GUINT_TO_POINTER (a->list->len));
}

static const Item *
items_find (const Items *a, const char *key)
{
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (a->index, key));
  return at ? &g_array_index (a->list, Item, at - 1) : NULL;
}

static BbEdition *
edition_alloc (void)
{
  BbEdition *e = g_new0 (BbEdition, 1);
  e->number = 1;
  e->sources = items_new ();
  e->chron = items_new ();
  e->people = items_new ();
  return e;
}

void
bb_edition_free (BbEdition *e)
{
  if (!e)
    return;
  g_free (e->settings);
  items_free (e->sources);
  items_free (e->chron);
  items_free (e->people);
  g_free (e);
}

/* Text of a row as a reader sees it: the first `cells` cells, without the
 * "new" label this module adds. */
static char *
row_text (const BbNode *row, int cells)
{
  GString *s = g_string_new (NULL);
  int c = 0;
  for (const BbNode *cell = row->first; cell && c < cells; cell = cell->next, c++)
    {
      g_autofree char *t = bb_node_plain (cell);
      if (c)
        g_string_append (s, " | ");
      g_string_append (s, t);
    }
  return g_string_free (s, FALSE);
}

static char *
fingerprint (const char *text)
{
  g_autofree char *full = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  return g_strndup (full, 16);
}

/* Calls fn for every body row of every table below section. */
static void
each_row (BbNode *section, void (*fn) (BbNode *row, gpointer data), gpointer data)
{
  if (!section)
    return;
  for (BbNode *n = section; n; n = bb_node_next_in (section, n))
    if (n->type == BB_NODE_TABLE)
      {
        int r = 0;
        for (BbNode *row = n->first; row; row = row->next, r++)
          if (r >= n->level)
            fn (row, data);
      }
}

typedef struct {
  Items *into;
  int cells;
} Collect;

static void
collect_row (BbNode *row, gpointer data)
{
  Collect *c = data;
  g_autofree char *t = row_text (row, c->cells);
  g_autofree char *fp = fingerprint (t);
  if (!items_find (c->into, fp))
    items_add (c->into, fp, t);
}

BbEdition *
bb_edition_new (const BbBook *book, const char *settings, const BbNode *chronology, const BbNode *attendees)
{
  BbEdition *e = edition_alloc ();
  e->date = book->date;
  e->settings = g_compute_checksum_for_string (G_CHECKSUM_SHA256, settings ? settings : "", -1);
  for (guint i = 0; i < book->sources->len; i++)
    {
      const BbSource *s = book->sources->pdata[i];
      items_add (e->sources, s->name, s->checksum);
    }
  Collect cc = { e->chron, 2 }, cp = { e->people, 1 };
  each_row ((BbNode *) chronology, collect_row, &cc);
  each_row ((BbNode *) attendees, collect_row, &cp);
  return e;
}

static gboolean
items_same_keys (const Items *a, const Items *b, gboolean values)
{
  if (a->list->len != b->list->len)
    return FALSE;
  for (guint i = 0; i < a->list->len; i++)
    {
      const Item *x = &g_array_index (a->list, Item, i);
      const Item *y = items_find (b, x->key);
      if (!y || (values && g_strcmp0 (x->value, y->value) != 0))
        return FALSE;
    }
  return TRUE;
}

gboolean
bb_edition_same (const BbEdition *a, const BbEdition *b)
{
  /* Sources and settings decide; the generated rows follow from them. */
  return a && b && g_strcmp0 (a->settings, b->settings) == 0 && items_same_keys (a->sources, b->sources, TRUE);
}

void
bb_edition_follow (BbEdition *cur, const BbEdition *prev, gint64 date)
{
  if (!prev)
    {
      cur->number = 1;
      cur->date = date;
      return;
    }
  if (bb_edition_same (cur, prev))
    {
      cur->number = prev->number;
      cur->date = prev->date;
      return;
    }
  cur->number = prev->number + 1;
  cur->date = MAX (date, prev->date);
}

guint
bb_edition_number (const BbEdition *e)
{
  return e->number;
}

gint64
bb_edition_date (const BbEdition *e)
{
  return e->date;
}

typedef struct {
  const Items *prev;
  int cells;
  guint marked;
} Mark;

static void
mark_row (BbNode *row, gpointer data)
{
  Mark *m = data;
  g_autofree char *t = row_text (row, m->cells);
  g_autofree char *fp = fingerprint (t);
  if (items_find (m->prev, fp))
    return;
  row->flags |= BB_FLAG_NEW;
  /* the word as well as the bar: a change bar alone does not survive
   * photocopying or an e-reader */
  if (row->first)
    {
      bb_node_append (row->first, bb_node_new (BB_NODE_BREAK));
      BbNode *s = bb_node_append (row->first, bb_node_new (BB_NODE_STRONG));
      bb_node_append (s, bb_node_new_text ("new", -1));
    }
  m->marked++;
}

guint
bb_edition_mark_new (const BbEdition *prev, BbNode *section)
{
  if (!prev || !section)
    return 0;
  gboolean chron = g_strcmp0 (bb_node_anchor (section), "chronology") == 0;
  Mark m = { chron ? prev->chron : prev->people, chron ? 2 : 1, 0 };
  /* row_text of a marked row must not see the label it gets: mark after
   * computing, which mark_row does per row */
  each_row (section, mark_row, &m);
  return m.marked;
}

/* ---- What's new ---------------------------------------------------------- */

static BbNode *
para (const char *text, guint flags)
{
  BbNode *p = bb_node_new (BB_NODE_PARAGRAPH);
  p->flags = flags | BB_FLAG_GENERATED;
  if (text)
    bb_node_append (p, bb_node_new_text (text, -1));
  return p;
}

static BbNode *
heading (const char *text, int level)
{
  BbNode *h = bb_node_new (BB_NODE_HEADING);
  h->level = level;
  h->flags = BB_FLAG_GENERATED;
  bb_node_append (h, bb_node_new_text (text, -1));
  return h;
}

static void
list_item (BbNode *list, const char *text, const char *href)
{
  BbNode *item = bb_node_append (list, bb_node_new (BB_NODE_ITEM));
  BbNode *p = bb_node_append (item, para (NULL, 0));
  if (href)
    {
      BbNode *l = bb_node_append (p, bb_node_new (BB_NODE_LINK));
      l->href = g_strdup (href);
      bb_node_append (l, bb_node_new_text (text, -1));
    }
  else
    bb_node_append (p, bb_node_new_text (text, -1));
}

static char *
date_text (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return dt ? g_date_time_format (dt, "%-d %B %Y") : g_strdup ("");
}

static const char *
source_anchor (const BbBook *book, const char *name)
{
  for (guint i = 0; i < book->sources->len; i++)
    {
      const BbSource *s = book->sources->pdata[i];
      if (g_str_equal (s->name, name))
        return s->id;
    }
  return NULL;
}

static void
new_rows (BbNode *sec, const char *title, const Items *cur, const Items *prev, const char *href)
{
  BbNode *list = NULL;
  guint n = 0;
  for (guint i = 0; i < cur->list->len; i++)
    {
      const Item *it = &g_array_index (cur->list, Item, i);
      if (items_find (prev, it->key))
        continue;
      if (!list)
        {
          bb_node_append (sec, heading (title, 2));
          list = bb_node_new (BB_NODE_LIST);
        }
      g_autofree char *text = g_strdup (it->value);
      g_strdelimit (text, "|", '-');
      list_item (list, text, href);
      n++;
    }
  if (list)
    bb_node_append (sec, list);
}

BbNode *
bb_edition_whats_new (const BbEdition *cur, const BbEdition *prev, const BbBook *book)
{
  if (!prev || cur->number <= 1)
    return NULL;
  BbNode *sec = bb_node_new (BB_NODE_SECTION);
  sec->kind = BB_SECTION_FRONT;
  sec->flags = BB_FLAG_GENERATED;
  sec->anchor = g_strdup ("whats-new");
  sec->text = g_strdup_printf ("What’s new in edition %u", cur->number);
  BbNode *h = bb_node_append (sec, heading (sec->text, 1));
  (void) h;
  g_autofree char *d1 = date_text (cur->date), *d0 = date_text (prev->date);
  g_autofree char *intro = g_strdup_printf ("Edition %u of %s replaces edition %u of %s. "
                                            "New rows are marked “new” in the chronology and attendee tables, "
                                            "with a bar in the margin.",
                                            cur->number, d1, prev->number, d0);
  bb_node_append (sec, para (intro, 0));

  const char *titles[] = { "Sources added", "Sources changed", "Sources removed" };
  for (int kind = 0; kind < 3; kind++)
    {
      BbNode *list = NULL;
      const Items *from = kind == 2 ? prev->sources : cur->sources;
      const Items *other = kind == 2 ? cur->sources : prev->sources;
      for (guint i = 0; i < from->list->len; i++)
        {
          const Item *it = &g_array_index (from->list, Item, i);
          const Item *o = items_find (other, it->key);
          gboolean hit = kind == 0 ? o == NULL : kind == 1 ? (o && g_strcmp0 (o->value, it->value) != 0) : o == NULL;
          if (!hit)
            continue;
          if (!list)
            {
              bb_node_append (sec, heading (titles[kind], 2));
              list = bb_node_new (BB_NODE_LIST);
            }
          const char *id = kind == 2 ? NULL : source_anchor (book, it->key);
          g_autofree char *href = id ? g_strconcat ("#", id, NULL) : NULL;
          list_item (list, it->key, href);
        }
      if (list)
        bb_node_append (sec, list);
    }
  if (g_strcmp0 (cur->settings, prev->settings) != 0)
    bb_node_append (sec, para ("The book’s settings (book.ini, layout or formats) changed.", 0));
  new_rows (sec, "New in the chronology", cur->chron, prev->chron, "#chronology");
  new_rows (sec, "New people", cur->people, prev->people, "#attendees");
  return sec;
}

/* ---- manifest.tsv -------------------------------------------------------- */

static void
put_field (GString *o, const char *s)
{
  g_string_append_c (o, '\t');
  for (; s && *s; s++)
    switch (*s)
      {
      case '\t': g_string_append (o, "\\t"); break;
      case '\n': g_string_append (o, "\\n"); break;
      case '\\': g_string_append (o, "\\\\"); break;
      default: g_string_append_c (o, *s);
      }
}

static char *
get_field (const char *s)
{
  GString *o = g_string_new (NULL);
  for (; *s; s++)
    {
      if (*s == '\\' && s[1])
        {
          s++;
          g_string_append_c (o, *s == 't' ? '\t' : *s == 'n' ? '\n' : *s);
        }
      else
        g_string_append_c (o, *s);
    }
  return g_string_free (o, FALSE);
}

char *
bb_edition_serialize (const BbEdition *e)
{
  GString *o = g_string_new ("# briefing edition manifest\n");
  g_string_append_printf (o, "edition\t%u\ndate\t%" G_GINT64_FORMAT "\nsettings\t%s\n", e->number, e->date, e->settings);
  struct { const char *tag; const Items *a; } parts[] = {
    { "source", e->sources }, { "chronology", e->chron }, { "person", e->people } };
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (guint i = 0; i < parts[p].a->list->len; i++)
      {
        const Item *it = &g_array_index (parts[p].a->list, Item, i);
        g_string_append (o, parts[p].tag);
        put_field (o, it->key);
        put_field (o, it->value);
        g_string_append_c (o, '\n');
      }
  return g_string_free (o, FALSE);
}

BbEdition *
bb_edition_load (const char *outdir, BbDiag *diag)
{
  g_autofree char *path = g_build_filename (outdir, "manifest.tsv", NULL);
  g_autofree char *data = NULL;
  g_autoptr (GError) err = NULL;
  if (!g_file_get_contents (path, &data, NULL, &err))
    {
      if (!g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        bb_diag_warn (diag, path, 0, "cannot read the previous edition's manifest (%s); starting at edition 1",
                      err->message);
      return NULL;
    }
  BbEdition *e = edition_alloc ();
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  gboolean have_number = FALSE;
  for (int i = 0; lines[i]; i++)
    {
      if (!*lines[i] || lines[i][0] == '#')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      guint nf = g_strv_length (f);
      if (nf == 2 && g_str_equal (f[0], "edition"))
        {
          guint64 v = 0;
          have_number = g_ascii_string_to_unsigned (f[1], 10, 1, G_MAXUINT, &v, NULL);
          e->number = (guint) v;
        }
      else if (nf == 2 && g_str_equal (f[0], "date"))
        e->date = g_ascii_strtoll (f[1], NULL, 10);
      else if (nf == 2 && g_str_equal (f[0], "settings"))
        e->settings = g_strdup (f[1]);
      else if (nf == 3)
        {
          Items *into = g_str_equal (f[0], "source") ? e->sources
                         : g_str_equal (f[0], "chronology") ? e->chron
                         : g_str_equal (f[0], "person") ? e->people : NULL;
          if (into)
            {
              g_autofree char *k = get_field (f[1]), *v = get_field (f[2]);
              items_add (into, k, v);
              continue;
            }
          bb_diag_warn (diag, path, i + 1, "unknown manifest record '%s' ignored", f[0]);
        }
      else
        bb_diag_warn (diag, path, i + 1, "malformed manifest line ignored");
    }
  if (!have_number)
    {
      bb_diag_warn (diag, path, 0, "manifest has no edition number; starting at edition 1");
      bb_edition_free (e);
      return NULL;
    }
  return e;
}
