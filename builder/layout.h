/* layout.h — page layouts: key files in layouts/ (a4.ini, letter.ini …).
 *
 *   [page]    width, height (points or with unit: 210mm, 8.5in), margin-top,
 *             margin-bottom, margin-inner, margin-outer, header-gap, footer-gap
 *   [fonts]   body (family), heading (family), body-size, small-size,
 *             heading-size-1/2/3, title-size, leading (line height ÷ size),
 *             paragraph-space (points)
 *   [colours] text, accent, rule, marking (#rrggbb)
 *   [running] header-left, header-right, footer-center, marking-top,
 *             marking-bottom — templates with {book} {chapter} {page}
 *             {edition} {date} {marking}
 */
#pragma once
#include <glib.h>
#include "diag.h"

typedef struct { double r, g, b; } BbColour;

typedef struct {
  char *name;
  double width, height;                  /* points */
  double margin_top, margin_bottom, margin_inner, margin_outer;
  double header_gap, footer_gap;         /* text block to header/footer baseline */
  char *body_font, *heading_font;        /* family names */
  double body_size, small_size, title_size;
  double heading_size[3];                /* levels 1, 2, 3+ */
  double leading;                        /* line height as a multiple of the size */
  double paragraph_space;                /* points between paragraphs */
  BbColour text, accent, rule, marking;
  char *header_left, *header_right, *footer_center, *marking_top, *marking_bottom;
} BbLayout;

/* Loads layouts/<name>.ini from the data folder; NULL with an error in diag
 * ("unknown layout 'x' (available: a4, letter)") when it does not exist. */
BbLayout *bb_layout_load (const char *name, BbDiag *diag);
/* Parses key-file text; missing keys take A4 defaults. */
BbLayout *bb_layout_parse (const char *path, const char *data, gsize len, BbDiag *diag);
void bb_layout_free (BbLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbLayout, bb_layout_free)

/* The data folder: $BRIEFING_DATADIR, else the one fixed at build time.
 * Returns a borrowed string. */
const char *bb_datadir (void);
