/* markdown.h — Markdown sources through md4c, into book-tree blocks.
 *
 * GitHub dialect (tables, strikethrough, task lists, autolinks) with raw HTML
 * switched off: HTML in a source is shown as text, never taken as markup.
 * Links keep their target only when it is an absolute http, https, ftp or
 * mailto URI (a relative path would point nowhere inside the book); other
 * links and images keep just their text; task-list boxes are dropped.  Nesting of block quotes, lists and
 * inline spans deeper than BB_MARKDOWN_MAX_DEPTH is flattened into the
 * enclosing block with one warning, so hostile input cannot make the tree (or
 * the recursive walkers over it) arbitrarily deep.
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "node.h"

#define BB_MARKDOWN_MAX_DEPTH 32

/* Parses text (NUL-terminated, valid UTF-8, as from bb_text_sanitize) and
 * appends its blocks to section.  Diagnostics name file; every block gets
 * section's file (the base name; file when section has none) and the 1-based line where it starts; inline content is repaired with
 * bb_repair_block().  Anchors are left to the caller.  Returns FALSE only
 * when md4c gives up (an error is added to diag). */
gboolean bb_markdown_parse (const char *text, BbNode *section, const char *file, BbDiag *diag);
