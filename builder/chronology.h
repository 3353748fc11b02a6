/* chronology.h — the generated chronology: dated events from every source.
 *
 * Every dated statement in the sources becomes an event: the date at the
 * precision the text gives (dates.h finds and resolves it), the sentence or
 * clause that reports it (cleaned, at most about 200 characters, in the
 * source's language) and the anchor of the paragraph it came from.  The same
 * event in several sources (same date, much the same words) is one row citing
 * each source; rows that look like the same event under different dates get
 * a note.  Rows sort by date, a month before the days of that month.
 *
 * Curated additions: SOURCES/chronology.tsv, optional, a header line then
 * rows "date<TAB>event<TAB>source" (source: a base name, may be empty),
 * merged in and marked curated.  A curated row with the date and words of an
 * extracted row replaces its text.
 *
 * The chronology copies what it needs (texts, anchors), so it stays valid
 * after the sources' blocks move into the book.
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "node.h"
#include "source.h"

typedef struct _BbChronology BbChronology;

/* Extracts the chronology of sources (GPtrArray of BbSource*), merging in
 * sources_dir/chronology.tsv when sources_dir is not NULL and the file exists
 * (its problems go to diag as file:line warnings; diag may be NULL).
 * Returns an owned chronology, never NULL. */
BbChronology *bb_chronology_extract (GPtrArray *sources, const char *sources_dir, BbDiag *diag);

/* The same over plain texts, for tests and fuzzing: texts[i] is one document
 * (a paragraph per line), named names[i], in langs[i], with datelines[i]
 * (NULL entries allowed).  n documents. */
BbChronology *bb_chronology_extract_texts (const char *const *texts, const char *const *names,
                                           const char *const *langs, const char *const *datelines,
                                           guint n);

void bb_chronology_free (BbChronology *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbChronology, bb_chronology_free)

/* Number of rows. */
guint bb_chronology_len (const BbChronology *c);

/* Appends the header "date\tsources\tevent\tanchors\tcurated\tnote" and one
 * line per row (the contract of `briefing chronology --tsv`). */
void bb_chronology_write_tsv (const BbChronology *c, GString *out);

/* Appends a JSON array, one object per row: date, start, end, precision,
 * sources, anchors, event, lang, curated, note. */
void bb_chronology_write_json (const BbChronology *c, GString *out);

/* A new SECTION (front matter, "Chronology", anchor "chronology", generated)
 * holding a table Date | Event | Source | Page: dates written the way
 * book_lang writes them, each event a link to its paragraph, page cells
 * PAGEREF nodes.  Caller owns it. */
BbNode *bb_chronology_section (const BbChronology *c, const char *book_lang);
