/* source.h — one source document, loaded and repaired.
 *
 * Loading checks the bytes as UTF-8 (bad bytes become U+FFFD, reported as
 * file:line warnings), normalises to NFC, splits the text into blocks
 * (.txt: a paragraph per line, or paragraphs separated by blank lines; .md:
 * Markdown through md4c) and repairs scraped text (citation markers become
 * CITATION nodes, stray quotes go back to the paragraph they close, straight
 * quotes become typographic where the pairing is clear).  Every block gets
 * file, line and a stable anchor id.
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "node.h"

/* Optional metadata for one source, from book.ini; any field may be NULL. */
typedef struct {
  char *title;
  char *publisher;
  char *lang;
  char *date;
} BbSourceMeta;

typedef struct {
  char *path;       /* path as given */
  char *name;       /* base name ("001_x.txt"); used in TSV `sources` */
  char *id;         /* NCName prefix for anchors, from the base name */
  char *title;      /* book.ini title, else first heading, else first sentence */
  char *lang;       /* book.ini language, else detected ("en", "vi") */
  char *publisher;  /* or NULL */
  char *date;       /* or NULL */
  gsize words;      /* words of body text */
  char *checksum;   /* SHA-256 of the raw bytes, hex */
  BbNode *body;     /* SECTION (kind CHAPTER) holding the blocks; owned */
} BbSource;

/* Loads the file at path.  Problems in the text are added to diag; returns
 * NULL (with a diagnostic error added, never a crash) when the file cannot be
 * used as a source at all: unreadable, binary, empty (a warning saying it
 * was skipped is added).  meta may be NULL. */
BbSource *bb_source_load (const char *path, const BbSourceMeta *meta, BbDiag *diag);

/* Same from memory: name decides the format by its extension (".md" is
 * Markdown, anything else plain text); data need not be NUL-terminated or
 * valid UTF-8.  Used by bb_source_load and by the fuzzers. */
BbSource *bb_source_parse (const char *path, const char *data, gsize len,
                           const BbSourceMeta *meta, BbDiag *diag);

void bb_source_free (BbSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSource, bb_source_free)

/* True when path names a file the loader reads (.txt, .md, .markdown). */
gboolean bb_source_is_source_name (const char *path);
