/* analysis.h — the analysis stage: the chronology and the people of a book,
 * with each source's own share kept across runs.
 *
 * What a source gives on its own (its dated events and the years it names,
 * a BbChronologyPart; its person mentions, a BbPeoplePart) depends on that
 * source alone, so a build keeps it in a cache folder (the build uses
 * OUTDIR/.cache/analysis), one entry per source, named by a key: the
 * SHA-256 of everything those results depend on — BB_ANALYSIS_VERSION, the
 * program version, the source's file name, its anchor prefix (ids are
 * renamed when two sources share a stem), its language, title, publisher
 * and dateline (book.ini or found in the text), and the SHA-256 of its
 * bytes.  A run takes each source's entry when it is there and whole, and
 * reads the source otherwise; then it merges every source as a run without
 * a cache does, so the chronology and people are the same byte for byte.
 *
 * The chronology part of a source also depends on the book's year when one
 * of its dates took it ("27/2" with no year in reach); such a part is read
 * again when the book's year has changed.
 *
 * An entry file is the 8 bytes "BBANAL01", the SHA-256 of the rest
 * (32 bytes), then a GVariant "(svv)": the key, the chronology part
 * (BB_CHRONOLOGY_PART_TYPE) and the people part (BB_PEOPLE_PART_TYPE).  An
 * entry that cannot be read, fails its checksum or holds anything but
 * valid parts for its key is a miss, never an error.
 *
 * No entry appears while the book is made: bb_analysis_cache_commit(),
 * called once the build has succeeded, writes the new entries (each to a
 * temporary ".KEY.XXXXXX", then renamed, so an entry is whole or absent)
 * and removes every entry and temporary the last run did not use, so the
 * folder holds one entry per source of the current book.  The temporaries
 * may be written beforehand, while the book is made
 * (bb_analysis_cache_stage); the commit then only renames them, and a
 * failed build removes them (bb_analysis_cache_abort).  Entries are not
 * flushed to disk: one lost in a crash is a miss.
 */
#pragma once
#include <glib.h>
#include "chronology.h"
#include "diag.h"
#include "people.h"

/* Bumped whenever what a source gives changes: the date and people rules
 * and tables, event texts, name shapes, or how sources are read into
 * blocks.  Old entries then no longer match and are dropped. */
#define BB_ANALYSIS_VERSION 2

typedef struct _BbAnalysisCache BbAnalysisCache;

/* A cache kept in dir (created when first written).  Reads and writes
 * nothing yet.  Owned. */
BbAnalysisCache *bb_analysis_cache_new (const char *dir);
void bb_analysis_cache_free (BbAnalysisCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbAnalysisCache, bb_analysis_cache_free)

/* The chronology and people of sources (BbSource*, borrowed), with
 * sources_dir's chronology.tsv and people.tsv merged in (sources_dir may be
 * NULL): the same as bb_chronology_extract and bb_people_extract.  With a
 * cache (may be NULL), each source's share comes from its entry when there
 * is one.  Both results are owned by the caller. */
void bb_analysis_run (GPtrArray *sources, const char *sources_dir, BbAnalysisCache *cache, BbDiag *diag,
                      BbChronology **chronology, BbPeople **people);

/* Of the last run: sources whose share came from the cache (from its
 * memory, when it has one, or its folder), sources whose share came from
 * its memory, and sources read (no entry, an unusable one, or a
 * chronology part read again for a new book year). */
guint bb_analysis_cache_hits (const BbAnalysisCache *cache);
guint bb_analysis_cache_memory_hits (const BbAnalysisCache *cache);
guint bb_analysis_cache_misses (const BbAnalysisCache *cache);

/* The parts of one run kept for the next in the same process (briefing
 * watch): reading 1,000 entries back from the folder took 0.2 s of each
 * rebuild.  A cache given a memory (bb_analysis_cache_use_memory, the
 * memory borrowed) takes each source's parts from it before the folder,
 * by the same key, and leaves there the parts of every source of the run,
 * letting go of the rest.  Parts depend on their key alone (and on the
 * book's year, which is checked as for an entry), so a memory holds no
 * more than the folder does, and the books are the same byte for byte.
 * An entry missing from the folder is not written again while its source
 * is found in memory: it only makes a later cold build read the source. */
typedef struct _BbAnalysisMemory BbAnalysisMemory;
BbAnalysisMemory *bb_analysis_memory_new (void);
void bb_analysis_memory_free (BbAnalysisMemory *mem);
void bb_analysis_cache_use_memory (BbAnalysisCache *cache, BbAnalysisMemory *mem);

/* Writes the entries the last run made and removes every other entry of
 * the folder.  Returns FALSE with error when the folder cannot be written;
 * every entry left is then still whole. */
gboolean bb_analysis_cache_commit (BbAnalysisCache *cache, GError **error);

/* Writes the temporaries of the entries the last run made, for a later
 * commit to rename (or an abort to remove).  Touches nothing else of
 * cache, so it may run on a thread of its own until the commit or the
 * abort; FALSE with error when they cannot be written (the commit then
 * writes what is missing, and fails the same way). */
gboolean bb_analysis_cache_stage (BbAnalysisCache *cache, GError **error);
/* Removes the temporaries bb_analysis_cache_stage wrote. */
void bb_analysis_cache_abort (BbAnalysisCache *cache);

/* The key of src's entry (64 hex digits).  Caller frees. */
char *bb_analysis_key (const BbSource *src);
