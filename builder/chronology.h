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
 * Extraction reads each source on its own (a BbChronologyPart) and then
 * merges the parts; merging indexes rows by date and by their rarest words,
 * so its cost follows the number of rows and of matching pairs, not the
 * square of the number of rows.
 *
 * The chronology copies what it needs (texts, anchors), so it stays valid
 * after the sources' blocks move into the book.
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "gvw.h"
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

/* One source's own chronology, before it is merged with the others': the
 * years its dates name (which decide the book's year, the year of a "27/2"
 * that nothing else places) and its dated events, each with the clause that
 * reports it and the anchor of its paragraph.  A part depends on nothing but
 * its source, except that its events depend on the book's year when one of
 * its dates took that year; the part says whether one did, so a part kept
 * from an earlier run can be reused exactly when it still holds. */
typedef struct _BbChronologyPart BbChronologyPart;

/* A new part for src (borrowed): the years its dates name, no events yet.
 * Never NULL (a source without blocks gives an empty part). */
BbChronologyPart *bb_chronology_part_new (const BbSource *src);
void bb_chronology_part_free (BbChronologyPart *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbChronologyPart, bb_chronology_part_free)

/* The year most explicit dates of the book name (0 when none): the year
 * every part's events are read with.  parts[i] may be NULL. */
int bb_chronology_book_year (BbChronologyPart *const *parts, guint n);

/* Whether part holds its events as read with book_year: read with that
 * year, or with any year none of its dates took. */
gboolean bb_chronology_part_ready (const BbChronologyPart *part, int book_year);

/* Reads the events of src (the source part was made from) into part, with
 * book_year for dates that nothing else places; replaces earlier events. */
void bb_chronology_part_extract (BbChronologyPart *part, const BbSource *src, int book_year);

/* A part written as a GVariant of type BB_CHRONOLOGY_PART_TYPE (gvw.h),
 * and read back from one: NULL when v is not of that type or does not hold
 * a valid part.  The variant holds everything the part holds, so a part
 * read back merges exactly as the one written. */
#define BB_CHRONOLOGY_PART_TYPE "(ssa(iu)bbia(iiiiiiusss))"
void bb_chronology_part_write (const BbChronologyPart *part, BbGvw *w);
BbChronologyPart *bb_chronology_part_from_variant (GVariant *v);

/* Merges parts (one per source, in source order; NULL entries are skipped)
 * into the book's chronology, then sources_dir/chronology.tsv as
 * bb_chronology_extract does (sources and sources_dir may be NULL).  Every
 * part must be ready for the book's year.  The parts are only read. */
BbChronology *bb_chronology_merge (BbChronologyPart *const *parts, guint n, GPtrArray *sources,
                                   const char *sources_dir, BbDiag *diag);

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
