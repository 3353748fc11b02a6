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

/* Returns a reference (owned) to this thread's Pango font map, which sees
 * only the bundled fonts, or NULL with a diagnostic when they cannot be
 * loaded.  The map is made on a thread's first call and shared by every
 * later call on that thread; use it from that thread only, and do not
 * change its settings (resolution, configuration). */
PangoFontMap *bb_fonts_new_fontmap (BbDiag *diag);

/* A new font map of its own (owned), not this thread's: for a thread that
 * lays out for a while and may have to start over with fresh fonts
 * (paginate.c). */
PangoFontMap *bb_fonts_fresh_fontmap (BbDiag *diag);
