/* people.h — the attendee tables: who is named in the sources.
 *
 * Finds person mentions in every block of every source (names after titles
 * and honorifics, appositives, possessives, subjects of reporting verbs,
 * Korean, Vietnamese, Chinese and Western name shapes), links the ways one
 * person is written (`Kim Jong Un`, `Kim Jong-un`, `Chairman Kim`, `Trump`)
 * to one row, and gives each person a title as stated, an affiliation in
 * plain English and a role: `participant` when the text presents them as
 * taking part in the meeting briefed, else `mentioned`.  Every row keeps the
 * anchors of the blocks that mention the person, so each entry points back
 * to where it came from.
 *
 * The language rules (titles with their English gloss, affiliation words,
 * reporting verbs, participant cues, words that are never people) are tables,
 * one file per language: people-en.c, people-vi.c; name shapes and a small
 * gazetteer of public office holders are in people-names.c.
 *
 * An optional `people.tsv` in the sources folder (columns name, aliases,
 * title, affiliation, role; `|` between aliases) corrects and completes what
 * was extracted; such rows are marked curated.
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "gvw.h"
#include "node.h"
#include "source.h"

typedef struct _BbPeople BbPeople; /* opaque */

/* Extracts the people of sources (BbSource*, borrowed).  sources_dir is the
 * folder holding an optional people.tsv, or NULL.  Problems in people.tsv go
 * to diag (may be NULL).  Returns an owned value; never NULL. */
BbPeople *bb_people_extract (GPtrArray *sources, const char *sources_dir, BbDiag *diag);

/* One source's own mentions, before linking: each run of the text that may
 * name a person, with what the text around it says (title, affiliation,
 * evidence, participant cues), and the anchors of the source's blocks.  A
 * part depends on its source alone; linking the parts of every source
 * (bb_people_merge) makes the people. */
typedef struct _BbPeoplePart BbPeoplePart;

/* Finds the mentions of src (borrowed).  Never NULL. */
BbPeoplePart *bb_people_part_extract (const BbSource *src);
void bb_people_part_free (BbPeoplePart *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPeoplePart, bb_people_part_free)

/* A part written as a GVariant of type BB_PEOPLE_PART_TYPE (gvw.h), and
 * read back from one: NULL when v is not of that type or does not hold a
 * valid part. */
#define BB_PEOPLE_PART_TYPE "(ssamsa(usuimsmsmsiuu))"
void bb_people_part_write (const BbPeoplePart *part, BbGvw *w);
BbPeoplePart *bb_people_part_from_variant (GVariant *v);

/* Links the parts (one per source, in source order; a NULL entry stands
 * for a source without text) and people.tsv in sources_dir (may be NULL)
 * into the people of the book, as bb_people_extract does.  The parts are
 * only read. */
BbPeople *bb_people_merge (BbPeoplePart *const *parts, guint n, const char *sources_dir, BbDiag *diag);

void bb_people_free (BbPeople *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPeople, bb_people_free)

/* Number of people (rows). */
guint bb_people_len (const BbPeople *p);

/* Appends a header line "name\ttitle\taffiliation\trole\tsources\tanchors\tcurated"
 * then one row per person: role is "participant" or "mentioned", sources
 * and anchors are comma-separated, curated is "yes" or "no". */
void bb_people_write_tsv (const BbPeople *p, GString *out);

/* Appends a JSON array, one object per person with the same fields
 * (sources and anchors as arrays, curated as a boolean). */
void bb_people_write_json (const BbPeople *p, GString *out);

/* Returns a new SECTION (kind FRONT, anchor "attendees", flag GENERATED):
 * a level-2 HEADING and a TABLE (Name | Title) per delegation of
 * participants, then "Others mentioned" (Name | Title and affiliation |
 * Pages).  Names link to their first mention; pages are PAGEREF nodes.
 * book_lang ("en", "vi", or NULL for English) picks the labels and whether
 * titles are glossed into English.  Caller owns the result. */
BbNode *bb_people_attendees_section (const BbPeople *p, const char *book_lang);

/* Returns a new SECTION (kind BACK, anchor "index-people"): one PARAGRAPH per
 * person, sorted by surname, holding the name then one PAGEREF per mentioning
 * block.  Caller owns the result. */
BbNode *bb_people_index_section (const BbPeople *p, const char *book_lang);

/* Read access to one row, for callers that compose their own views.
 * All strings are borrowed from p; title and affiliation may be "". */
typedef struct {
  const char *name;
  const char *title;
  const char *affiliation;
  gboolean participant;
  gboolean curated;
  const char *const *sources; /* NULL-terminated base names */
  const char *const *anchors; /* NULL-terminated block anchors */
} BbPerson;

/* Fills *out with row i (0 <= i < bb_people_len). */
void bb_people_get (const BbPeople *p, guint i, BbPerson *out);

/* Extracts from plain texts, one per block, all of one source; used by the
 * unit tests and the fuzzer.  texts is NULL-terminated; lang may be NULL. */
BbPeople *bb_people_extract_texts (const char *const *texts, const char *lang);
