/* compose.h — the book's tree from its sources and generated parts.
 *
 * Order: cover, contents, the generated front sections given (what's new,
 * chronology, attendees …), one chapter per source, the generated back
 * sections (index …).  Each chapter opens with its title and a provenance
 * line (file, language, words, publisher, date); source headings are moved
 * one level down under the chapter title; citation markers link to a list of
 * them at the chapter's end, which links back to where each was cited.
 *
 * Composing moves each source's blocks into the book: run the analyses
 * (chronology, people) before it.
 */
#pragma once
#include "book.h"

/* Builds book->tree.  front and back are GPtrArrays of SECTION nodes (may be
 * NULL); their nodes are moved into the tree (the arrays are emptied). */
void bb_compose (BbBook *book, GPtrArray *front, GPtrArray *back);

/* English name of a language tag ("vi" → "Vietnamese"); static string. */
const char *bb_compose_language_name (const char *lang);
