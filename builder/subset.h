/* subset.h — cutting a font down to the characters a book uses.
 *
 * The bundled Noto fonts are about half a megabyte each; an e-book needs
 * only the glyphs for its own text.  HarfBuzz's hb-subset keeps those
 * glyphs with their layout features (so Vietnamese marks still stack) and
 * the licence entries of the name table.
 */
#pragma once
#include <glib.h>

/* Returns a new font (owned) holding the glyphs for the code points in
 * chars (a set: gunichar keys via GUINT_TO_POINTER), or NULL when the font
 * cannot be read or subset. */
GBytes *bb_subset_font (GBytes *font, GHashTable *chars);

/* The bytes of the font file at path (a new reference), or NULL with error
 * set.  Each file is read once per process and kept until exit, so building
 * several books (`watch`) reads the bundled fonts once. */
GBytes *bb_font_file_bytes (const char *path, GError **error);
