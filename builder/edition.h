/* edition.h — numbered editions: what a build contains, what changed.
 *
 * A build's manifest lists each source (name, SHA-256 of its bytes), the
 * settings that shape the book (book.ini, layout, formats) and fingerprints
 * of the generated chronology and people rows.  The output folder keeps the
 * manifest of its current edition (manifest.tsv) and a copy of every
 * edition's files under editions/N/.  A build whose manifest equals the
 * previous one is the same edition and changes nothing; any difference
 * makes edition N + 1, whose "What's new" section and "new" markers come
 * from comparing the two manifests.
 */
#pragma once
#include <glib.h>
#include "book.h"

typedef struct _BbEdition BbEdition;

/* The manifest of this build: sources from book, settings as a string that
 * changes when the output would (book.ini bytes, layout, formats), and the
 * generated sections (chronology, attendees) whose table rows are
 * fingerprinted.  Sections may be NULL. */
BbEdition *bb_edition_new (const BbBook *book, const char *settings, const BbNode *chronology,
                           const BbNode *attendees);
/* Reads outdir/manifest.tsv; NULL when there is none (a first edition) or
 * it cannot be read (reported as a warning in diag: the next edition then
 * starts over at 1). */
BbEdition *bb_edition_load (const char *outdir, BbDiag *diag);
void bb_edition_free (BbEdition *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbEdition, bb_edition_free)

/* Whether two manifests describe the same book. */
gboolean bb_edition_same (const BbEdition *a, const BbEdition *b);
/* Number and date: set from prev (same book: its number and date; else the
 * next number, and a date never earlier than prev's). */
void bb_edition_follow (BbEdition *cur, const BbEdition *prev, gint64 date);
guint bb_edition_number (const BbEdition *e);
gint64 bb_edition_date (const BbEdition *e);

/* Marks with BB_FLAG_NEW (and a "new" label) the rows of the generated
 * tables below section whose fingerprints prev lacks; returns how many. */
guint bb_edition_mark_new (const BbEdition *prev, BbNode *section);

/* The "What's new in edition N" section (FRONT), or NULL for a first
 * edition.  Source chapters are linked by their anchors from book. */
BbNode *bb_edition_whats_new (const BbEdition *cur, const BbEdition *prev, const BbBook *book);

/* The manifest as text (manifest.tsv). */
char *bb_edition_serialize (const BbEdition *e);
