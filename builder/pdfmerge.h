/* pdfmerge.h — joins PDFs that Cairo wrote for consecutive runs of pages
 * into one document.
 *
 * pdf.c draws a long book in parts, on several threads, each part on a
 * Cairo PDF surface of its own; this puts the parts back together as if
 * one surface had drawn every page: one page tree, one structure tree
 * (with its parent tree), one set of named destinations, the page labels
 * of every part, the outline and document information of the part that
 * has them.  It reads only what Cairo 1.16 writes (a classic xref table,
 * flat number and name trees) and says so in an error for anything else.
 */
#pragma once
#include <glib.h>

typedef struct _BbPdfMerge BbPdfMerge;

/* Writes len bytes; FALSE when they could not be written. */
typedef gboolean (*BbPdfMergeWrite) (const guint8 *data, gsize len, gpointer closure);

BbPdfMerge *bb_pdf_merge_new (BbPdfMergeWrite write, gpointer closure);

/* Adds one part (a whole PDF in memory, as Cairo wrote it), whose pages
 * are the document's pages first_page, first_page + 1, …  Parts may be
 * added in any order: the page tree, the structure tree root's kids and
 * the page labels follow the pages; the objects, and the structure-parent
 * keys of the parent tree, follow the order the parts were added in.
 * Together the parts must hold every page once (bb_pdf_merge_finish
 * checks). */
gboolean bb_pdf_merge_add (BbPdfMerge *m, const guint8 *pdf, gsize len, guint first_page, GError **error);

/* Writes the document's catalog, trees and cross-reference table. */
gboolean bb_pdf_merge_finish (BbPdfMerge *m, GError **error);

void bb_pdf_merge_free (BbPdfMerge *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPdfMerge, bb_pdf_merge_free)
