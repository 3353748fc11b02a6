/* paginate.h — print layout: the book tree cut into pages with Pango.
 *
 * Each block becomes a box (a Pango layout for text, a grid of layouts for a
 * table); boxes flow down the text block of each page with widow and orphan
 * control, headings kept with what follows, and tables split between rows
 * with their header rows repeated.  The result is plain data that pdf.c
 * draws, and the page map every other part cites.
 *
 * Page references (PAGEREF nodes) need the page map this very layout makes:
 * bb_paginate() takes the map of the previous pass and the caller repeats
 * until the map no longer changes (bb_typeset_book does it).
 */
#pragma once
#include <glib.h>
#include <pango/pango.h>
#include "book.h"
#include "diag.h"
#include "glyphs.h"
#include "layout.h"
#include "pagemap.h"

typedef struct {
  int start, end;   /* byte range in the layout text */
  char *target;     /* "#anchor" or a URI */
} BbSpan;

typedef struct {
  int y, height;    /* Pango units, from the layout top */
  int baseline;     /* Pango units, from the layout top */
  int x;            /* logical x of the line (alignment) */
  int start_index;  /* first byte of the line */
} BbLine;

typedef struct {
  guint start;      /* byte in the layout text */
  guint offset;     /* characters of inline text before it (see pagemap.h);
                       32 bits, as start: 12 bytes a segment, not 24 */
  gboolean hyphenated; /* soft hyphens were added inside this run */
} BbSegment;

/* A block's text, laid out: measured lines and the glyphs that draw them
 * (glyphs.h); the PangoLayout itself is let go once measured.  Lines, spans
 * and segments are plain arrays of their exact length: a 1,000-source book
 * has some 200,000 texts, mostly table cells of one line, where a GArray's
 * header (48 bytes) and its power-of-two rounding cost more than the line
 * (14 MB in all). */
typedef struct {
  char *str;         /* the laid-out text (soft hyphens included) */
  BbGlyphs *glyphs;
  BbLine *lines;     /* n_lines (at least 1) */
  BbSpan *spans;     /* n_spans: links, citations, page references */
  BbSegment *segments; /* n_segments, by start; NULL once pages are final */
  guint n_lines, n_spans, n_segments;
  int height;        /* Pango units */
  int refcount;      /* shared by table cells with the same content */
  guint first_page, last_page; /* the pages that draw it (bb_typeset_draw_begin) */
  guint64 serial;    /* this text's alone in the process; a text is not
                        changed once it is made (pdf.c remembers a digest of
                        each text by it) */
} BbText;

typedef enum { BB_BOX_TEXT, BB_BOX_TABLE, BB_BOX_RULE, BB_BOX_LEADER } BbBoxKind;

typedef struct {
  int ncols, nrows, nheader;
  double *colx, *colw;   /* points, relative to the box */
  double *rowh;          /* points, row heights with padding */
  BbText **cells;        /* nrows × ncols; NULL for missing cells */
  const BbNode **rownodes;
  gsize *rowstart;       /* inline characters before each row (pagemap.h) */
  double pad;
} BbTable;

typedef struct {
  BbBoxKind kind;
  const BbNode *node;       /* the block drawn */
  const char *tag;          /* structure tag: "P", "H1" … "Table" */
  double x, width;          /* points, from the text block's left */
  double space_before, space_after;
  gboolean keep_with_next, new_page;
  int columns;              /* > 0: a short entry set in this many columns
                               with the boxes beside it that have them too
                               (BB_FLAG_COLUMNS); width is one column's */
  int min_lines;            /* widow/orphan minimum (2), 0 = never split */
  BbText *text;             /* TEXT, LEADER (the entry) */
  BbText *aux;              /* list marker (TEXT) or page number (LEADER) */
  double aux_x;             /* where aux goes, from the text block's left */
  double bar;               /* width of a quotation bar left of x, 0 none */
  BbColour *fill;           /* background, or NULL */
  BbTable *table;
} BbBox;

/* One box's share of a page: lines (text) or rows (table) first..last-1. */
typedef struct {
  BbBox *box;
  int first, last;
  double y;                 /* points, top of the fragment in the text block */
  double x;                 /* points, added to box->x: the column it is in */
} BbPlaced;

typedef struct {
  GArray *placed;           /* BbPlaced */
  const BbNode *section;
  char *label;
  gboolean front;
  gboolean blank;           /* left blank so that the body opens on a recto */
} BbPageOut;

typedef struct _BbTypeset BbTypeset;

/* Fonts, hyphenation and layout settings for typesetting book; NULL (with
 * diagnostics) when the bundled fonts cannot be loaded. */
BbTypeset *bb_typeset_new (const BbBook *book, const BbLayout *layout, BbDiag *diag);
void bb_typeset_free (BbTypeset *ts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbTypeset, bb_typeset_free)

/* Makes ts typeset the next build with layout (a new copy of the same
 * settings) and diag, keeping what it laid out for the last build: blocks
 * and table cells are found again by content, so only what changed is laid
 * out anew (`briefing watch`).  FALSE when layout differs in any setting:
 * make a new typeset then. */
gboolean bb_typeset_reuse (BbTypeset *ts, const BbLayout *layout, BbDiag *diag);

const BbLayout *bb_typeset_layout (const BbTypeset *ts);
PangoContext *bb_typeset_context (const BbTypeset *ts);

/* Lays out book->tree into pages (stored in ts, replacing an earlier run),
 * resolving page references with refs (may be NULL on a first pass); returns
 * the page map of this run (owned by the caller). */
BbPageMap *bb_paginate (BbTypeset *ts, const BbBook *book, const BbPageMap *refs);
/* Runs bb_paginate until page references are stable (at most 4 passes);
 * returns the final map. */
BbPageMap *bb_typeset_book (BbTypeset *ts, const BbBook *book);

/* Of the last bb_typeset_book's top-level blocks, how many were laid out
 * by an earlier build (see bb_typeset_reuse). */
void bb_typeset_reused (const BbTypeset *ts, guint *reused, guint *blocks);

/* Drawing lets go of glyph runs as it goes, unless keep was set (`briefing
 * watch` keeps them for the next edition).  Call bb_typeset_draw_begin
 * before drawing any page; then pages are drawn in runs of consecutive
 * pages, each run in order (runs may be drawn at once, on several
 * threads), and after drawing page i of the run that starts at run_first,
 * bb_typeset_page_drawn lets go of the texts that only pages run_first to
 * i draw. */
void bb_typeset_draw_begin (BbTypeset *ts);
void bb_typeset_page_drawn (BbTypeset *ts, guint i, guint run_first);
void bb_typeset_keep_glyphs (BbTypeset *ts, gboolean keep);
gboolean bb_typeset_keeps_glyphs (const BbTypeset *ts);

/* Data the PDF writer keeps with ts from build to build (`briefing watch`):
 * it goes when ts does, or when replaced. */
gpointer bb_typeset_get_drawn (const BbTypeset *ts);
void bb_typeset_set_drawn (BbTypeset *ts, gpointer data, GDestroyNotify free_data);

guint bb_typeset_n_pages (const BbTypeset *ts);
const BbPageOut *bb_typeset_page (const BbTypeset *ts, guint i);

/* Lays out a single line of text in the given family/size/weight (running
 * heads, cover); caller unrefs. */
PangoLayout *bb_typeset_line (BbTypeset *ts, const char *family, double size, PangoWeight weight,
                              const char *text, double max_width);

/* Characters of inline text before byte index in t (for the page map). */
gsize bb_text_offset_at (const BbText *t, int index);
