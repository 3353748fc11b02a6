/* pdf.h — the print edition: pages laid out by paginate.c, drawn with Cairo.
 *
 * Adds what a reader of the PDF expects: page labels (roman front matter,
 * arabic body), an outline, clickable contents, links and citations,
 * document metadata, structure tags, running heads and the handling
 * marking on every page.
 */
#pragma once
#include <glib.h>
#include "book.h"
#include "paginate.h"

/* Called after each page is drawn: page i of n. */
typedef void (*BbPdfProgress) (guint i, guint n, gpointer data);

/* Draws the pages in ts (after bb_typeset_book) into a PDF at path (and the
 * same bytes at copy, unless NULL), letting
 * go of what each page drew once no later page needs it
 * (bb_typeset_page_drawn); progress, when not NULL, hears of every page
 * (from whichever thread drew it, one call at a time).  A book of more than
 * one run of pages (pdf.c) is drawn on every processor and the runs joined
 * (pdfmerge.h).  Dates come from book->date, never the clock, and the runs
 * from the page count, never the threads, so equal input gives equal
 * bytes. */
gboolean bb_pdf_write (const BbBook *book, BbTypeset *ts, const char *path, const char *copy,
                       BbPdfProgress progress, gpointer data, GError **error);

/* Expands a running-head template ({book} {chapter} {page} {edition} {date}
 * {marking}); caller frees. */
char *bb_pdf_expand (const char *tmpl, const BbBook *book, const char *chapter, const char *page);
