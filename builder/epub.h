/* epub.h — the e-reader edition: EPUB 3 from the book tree.
 *
 * The package holds one XHTML file per part of the book (cover, contents,
 * generated sections, one per source chapter), nav.xhtml (toc, landmarks,
 * page-list), toc.ncx for older readers, the stylesheet layouts/epub.css,
 * the fonts it names (subset to the characters the book uses), and the
 * cover drawn by Cairo as a PNG.
 *
 * Print-page equivalence: with a page map from PDF layout, a page-break
 * marker (epub:type="pagebreak", id "page-LABEL") is written where each
 * PDF page begins — before the block that opens it, or inside a paragraph
 * that runs across pages — and the page-list names them in order.
 *
 * Every text from sources is escaped; only the tree's own structure
 * becomes markup.  Links to anchors that do not exist are dropped (their
 * text kept), so no link ever dangles.
 *
 * Output is deterministic: fixed entry order, entry times from book->date
 * (independent of the time zone), fixed compression.
 */
#pragma once
#include <glib.h>
#include "book.h"
#include "pagemap.h"

#define BB_EPUB_ERROR (bb_epub_error_quark ())
GQuark bb_epub_error_quark (void);

typedef enum {
  BB_EPUB_ERROR_ZIP,    /* libzip failed */
  BB_EPUB_ERROR_DATA,   /* a data file (stylesheet, font) is unusable */
} BbEpubError;

/* The cover image (PNG) of book, drawn by Cairo and laid out by Pango.
 * Two threads laying out text at once can damage each other's font
 * metrics (paginate.c), so a writer that runs beside the PDF is handed a
 * cover drawn before it starts. */
GBytes *bb_epub_draw_cover (const BbBook *book, GError **error);

/* Writes the EPUB 3 of book (its composed tree book->tree) to path.
 * map: page map from PDF layout, may be NULL (then no page-list and no
 * printPageNumbers claim).  cover: from bb_epub_draw_cover, or NULL to
 * draw it here.  The file is replaced atomically. */
gboolean bb_epub_write (const BbBook *book, const BbPageMap *map, GBytes *cover,
                        const char *path, GError **error);

/* Same into memory; returns the bytes (owned) or NULL with error set. */
GBytes *bb_epub_write_bytes (const BbBook *book, const BbPageMap *map, GBytes *cover,
                             GError **error);

/* Width in pixels of the cover image (default 1200; clamped to 16–4000). */
void bb_epub_set_cover_width (int px);

/* Deflate level of the compressed entries (default 6; clamped to 0–9,
 * where 0 stores every entry uncompressed). */
void bb_epub_set_deflate_level (int level);

/* The package identifier: "urn:uuid:" and a name-based (version 5) UUID
 * of the book's title, so every edition of the same book shares it.
 * Caller frees. */
char *bb_epub_identifier (const char *title);
