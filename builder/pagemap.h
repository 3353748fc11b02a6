/* pagemap.h — where each part of the book fell in print.
 *
 * The page map is an output of PDF layout and an input to everything that
 * cites print pages: the contents, page references in generated tables, the
 * index, and the EPUB page-list (print-page equivalence).
 *
 * Offsets inside a block are counted in Unicode characters of the block's
 * inline text as found by walking its TEXT and CODE nodes in order,
 * verbatim (CITATION labels, BREAKs and PAGEREFs count nothing).
 */
#pragma once
#include <glib.h>

typedef struct {
  char *label;        /* "i", "ii", "1", "2" ... */
  gboolean front;     /* front matter (roman labels) */
  char *anchor;       /* block whose content opens the page, or NULL (blank page) */
  gsize offset;       /* characters of that block already on earlier pages (0: starts here) */
} BbPage;

typedef struct _BbPageMap BbPageMap;

BbPageMap *bb_pagemap_new (void);
void bb_pagemap_free (BbPageMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPageMap, bb_pagemap_free)

/* Appends a page; returns its 0-based index. */
guint bb_pagemap_add_page (BbPageMap *map, const char *label, gboolean front,
                           const char *anchor, gsize offset);
/* Sets the block (and characters of it on earlier pages) that opens page index. */
void bb_pagemap_set_start (BbPageMap *map, guint index, const char *anchor, gsize offset);
/* Records that anchor begins on page index (first call per anchor wins). */
void bb_pagemap_set_anchor (BbPageMap *map, const char *anchor, guint page);

guint bb_pagemap_n_pages (const BbPageMap *map);
const BbPage *bb_pagemap_page (const BbPageMap *map, guint index);
/* Page label of anchor, or NULL when unknown (borrowed). */
const char *bb_pagemap_label (const BbPageMap *map, const char *anchor);
/* Page index of anchor, or -1. */
int bb_pagemap_index (const BbPageMap *map, const char *anchor);
/* True when both maps give every anchor the same label (layout converged). */
gboolean bb_pagemap_equal (const BbPageMap *a, const BbPageMap *b);
