/* book.h — a book in the making: configuration, loaded sources, the
 * composed tree.  The pipeline's stages hang off this struct. */
#pragma once
#include <glib.h>
#include "config.h"
#include "diag.h"
#include "node.h"
#include "source.h"

typedef struct {
  char *dir;            /* the sources folder */
  BbConfig *config;
  GPtrArray *sources;   /* BbSource*, sorted by file name; owned */
  char *edition;        /* edition label ("1"), for the cover and footers */
  gint64 date;          /* the edition date (unix seconds): SOURCE_DATE_EPOCH, else newest source mtime */
  BbNode *tree;         /* the composed book (BOOK node), after bb_book_compose */
} BbBook;

/* Loads every source in dir (sorted by name; sub-folders and other files are
 * skipped with a warning).  Returns NULL with errors in diag when no book can
 * be made (missing or empty folder, no usable source). */
BbBook *bb_book_load (const char *dir, BbDiag *diag);
void bb_book_free (BbBook *book);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbBook, bb_book_free)
