/* glyphs.h — a laid-out paragraph kept as compact glyph runs.
 *
 * A PangoLayout holds far more than drawing needs (attribute lists, log
 * attributes for every character, items with their analysis, glyph
 * geometry in 20-byte records): a 1,000-source book's layouts come to
 * hundreds of megabytes.  Once a text is measured, paginate.c keeps only
 * what draws it: per run the font, colour and offsets, per glyph its id,
 * advance and cluster.  Drawing gives Cairo the glyphs, positions and text
 * clusters that Pango's renderer would (the same text mapping for copy,
 * search and ActualText of ligatures), several runs and lines a call, so
 * no text is ever laid out twice.
 */
#pragma once
#include "digest.h"
#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

typedef struct _BbGlyphs BbGlyphs;

/* The runs of layout's lines (layout must have its text and attributes
 * set); NULL when the layout has no lines. */
BbGlyphs *bb_glyphs_from_layout (PangoLayout *layout);
/* Runs are shared (texts with the same content): counted. */
BbGlyphs *bb_glyphs_ref (BbGlyphs *g);
void bb_glyphs_unref (BbGlyphs *g);

/* Draws line i with the left end of its baseline at the current point of
 * cr; text is the layout's text. */
void bb_glyphs_draw_line (const BbGlyphs *g, guint line, cairo_t *cr, const char *text);

/* Draws lines first..last-1, line i with the left end of its baseline at
 * (origins[2 (i - first)], origins[2 (i - first) + 1]), in as few Cairo
 * calls as their fonts and colours allow. */
void bb_glyphs_draw_lines (const BbGlyphs *g, guint first, guint last, cairo_t *cr, const char *text,
                           const double *origins);

/* The logical width of line i, Pango units. */
int bb_glyphs_line_width (const BbGlyphs *g, guint line);

/* Horizontal extents of the bytes [start, end) of text (the layout's) on
 * line i, from the line's left end, Pango units: pairs of x0, x1 in
 * *ranges (free with g_free), *n of them. */
void bb_glyphs_x_ranges (const BbGlyphs *g, guint line, const char *text, int start, int end, int **ranges,
                         int *n);

/* Feeds everything that draws g to ck: equal digests draw the same
 * glyphs with the same font objects. */
void bb_glyphs_feed (const BbGlyphs *g, BbDigest *ck);

/* How ids and advances are kept: 1 or 2, bytes of each glyph's index into
 * the text's palette of (id, advance) pairs; 0, per glyph (glyphs.c). */
guint bb_glyphs_index_bytes (const BbGlyphs *g);
/* Bytes held (to report memory). */
gsize bb_glyphs_size (const BbGlyphs *g);
