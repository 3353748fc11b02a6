/* pagemap.c — anchor → print page. */
#include "pagemap.h"

struct _BbPageMap {
  GArray *pages;        /* BbPage */
  GHashTable *anchors;  /* char* → GUINT_TO_POINTER(index + 1) */
};

static void
page_clear (gpointer p)
{
  BbPage *pg = p;
  g_free (pg->label);
  g_free (pg->anchor);
}

BbPageMap *
bb_pagemap_new (void)
{
  BbPageMap *m = g_new0 (BbPageMap, 1);
  m->pages = g_array_new (FALSE, TRUE, sizeof (BbPage));
  g_array_set_clear_func (m->pages, page_clear);
  m->anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return m;
}

void
bb_pagemap_free (BbPageMap *map)
{
  if (!map)
    return;
  g_array_unref (map->pages);
  g_hash_table_unref (map->anchors);
  g_free (map);
}

guint
bb_pagemap_add_page (BbPageMap *map, const char *label, gboolean front, const char *anchor, gsize offset)
{
  BbPage p = { g_strdup (label), front, g_strdup (anchor), offset };
  g_array_append_val (map->pages, p);
  return map->pages->len - 1;
}

void
bb_pagemap_set_start (BbPageMap *map, guint index, const char *anchor, gsize offset)
{
  g_return_if_fail (index < map->pages->len);
  BbPage *p = &g_array_index (map->pages, BbPage, index);
  g_free (p->anchor);
  p->anchor = g_strdup (anchor);
  p->offset = offset;
}

void
bb_pagemap_set_anchor (BbPageMap *map, const char *anchor, guint page)
{
  if (!anchor || g_hash_table_contains (map->anchors, anchor))
    return;
  g_hash_table_insert (map->anchors, g_strdup (anchor), GUINT_TO_POINTER (page + 1));
}

guint
bb_pagemap_n_pages (const BbPageMap *map)
{
  return map->pages->len;
}

const BbPage *
bb_pagemap_page (const BbPageMap *map, guint index)
{
  g_return_val_if_fail (index < map->pages->len, NULL);
  return &g_array_index (map->pages, BbPage, index);
}

int
bb_pagemap_index (const BbPageMap *map, const char *anchor)
{
  if (!anchor)
    return -1;
  if (anchor[0] == '#')
    anchor++;
  gpointer v = g_hash_table_lookup (map->anchors, anchor);
  return v ? (int) GPOINTER_TO_UINT (v) - 1 : -1;
}

const char *
bb_pagemap_label (const BbPageMap *map, const char *anchor)
{
  int i = bb_pagemap_index (map, anchor);
  return i < 0 ? NULL : bb_pagemap_page (map, (guint) i)->label;
}

gboolean
bb_pagemap_equal (const BbPageMap *a, const BbPageMap *b)
{
  if (a->pages->len != b->pages->len || g_hash_table_size (a->anchors) != g_hash_table_size (b->anchors))
    return FALSE;
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init (&it, a->anchors);
  while (g_hash_table_iter_next (&it, &k, NULL))
    if (g_strcmp0 (bb_pagemap_label (a, k), bb_pagemap_label (b, k)) != 0)
      return FALSE;
  return TRUE;
}
