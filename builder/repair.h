/* repair.h — scraped-text repair on blocks of the book tree.
 *
 * Wikipedia and news scrapes arrive with citation markers ("[13]",
 * "[37][38][39]", "history[61][62]") glued into the text, closing quotes
 * pushed onto the next line ("\"[14] Two months later"), and straight
 * quotes.  These functions turn such text into clean inline nodes.
 */
#pragma once
#include <glib.h>
#include "node.h"

/* Rewrites the inline children of block (PARAGRAPH, HEADING or CELL):
 * TEXT nodes are split so that citation markers become CITATION nodes, and
 * straight double quotes become “ ” where the pairing in the block is clear
 * (apostrophes between letters become ’), and runs of more than 128
 * characters without a space get a zero-width space (U+200B) every 64
 * characters as a line-break opportunity.  CODE inlines are left alone. */
void bb_repair_block (BbNode *block);

/* Cross-paragraph repair for line-oriented text, before inline parsing:
 * paras holds the raw paragraph strings (char *, owned, modifiable in
 * place).  A paragraph that begins with a stray closing quote hands it back
 * to the previous paragraph when that one has an unclosed quotation, and
 * citation markers that lead a paragraph (they cite the previous sentence)
 * move to the end of the previous paragraph.  Returns how many repairs were
 * made. */
guint bb_repair_paragraphs (GPtrArray *paras);

/* If p starts a citation marker ("[13]", "[a]", "[note 3]",
 * "[citation needed]" ...), returns its length in bytes, else 0. */
gsize bb_repair_marker_len (const char *p);
