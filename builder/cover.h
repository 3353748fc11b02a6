/* cover.h — the generated cover, drawn with Cairo: the same design for the
 * PDF's first page and the EPUB's cover image. */
#pragma once
#include <cairo.h>
#include "book.h"
#include "layout.h"

/* Draws the cover of book on cr, filling a page of width × height points. */
void bb_cover_draw (cairo_t *cr, const BbBook *book, const BbLayout *layout,
                    double width, double height);
