/* fonts.h — the bundled fonts, through a private fontconfig configuration.
 *
 * Only fonts/ is visible: the book never depends on the machine's fonts, and
 * tests see exactly what users see.
 */
#pragma once
#include <glib.h>
#include <pango/pango.h>
#include "diag.h"

/* Checks that every bundled font file is present and readable; reports each
 * missing one ("fonts/NotoSerif-Bold.ttf: missing font file") and returns
 * FALSE if any is missing. */
gboolean bb_fonts_check (BbDiag *diag);

/* Returns a new Pango font map (owned; one per thread) that sees only the
 * bundled fonts, or NULL with a diagnostic when they cannot be loaded. */
PangoFontMap *bb_fonts_new_fontmap (BbDiag *diag);
