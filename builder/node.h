/* node.h — the book tree.
 *
 * One tree type serves sources and generated parts alike (cover, contents,
 * chronology, attendees, chapters).  Block nodes carry the file and line they
 * came from and a stable anchor id; inline nodes (text, emphasis, links,
 * citations) hang below paragraphs, headings and table cells.  Every back-end
 * (PDF, EPUB, the plain-text dump) walks this tree and nothing else.
 *
 * Nodes are plain data: fields may be read directly.  A node owns its
 * children and its strings; bb_node_free() releases a whole subtree.
 */
#pragma once
#include <glib.h>

typedef enum {
  /* containers */
  BB_NODE_BOOK,      /* root; children are SECTIONs */
  BB_NODE_SECTION,   /* a part of the book: cover, contents, chapter ... */
  /* blocks */
  BB_NODE_HEADING,   /* level 1..6 */
  BB_NODE_PARAGRAPH,
  BB_NODE_QUOTE,     /* block quote; children are blocks */
  BB_NODE_LIST,      /* ordered when level != 0; children are ITEMs */
  BB_NODE_ITEM,      /* children are blocks */
  BB_NODE_TABLE,     /* children are ROWs; the first `level` rows are header rows */
  BB_NODE_ROW,       /* children are CELLs */
  BB_NODE_CELL,      /* inline children */
  BB_NODE_CODE_BLOCK,/* text holds the code */
  BB_NODE_RULE,      /* thematic break */
  /* inlines */
  BB_NODE_TEXT,      /* text holds UTF-8 */
  BB_NODE_EMPH,
  BB_NODE_STRONG,
  BB_NODE_CODE,      /* inline code; text holds it */
  BB_NODE_LINK,      /* href: external URI, or "#anchor" inside the book */
  BB_NODE_CITATION,  /* a scraped citation marker; text holds its label ("13") */
  BB_NODE_BREAK,     /* hard line break */
  BB_NODE_PAGEREF,   /* href "#anchor": shows the print page label of anchor
                        (PDF: from the page map; EPUB: a link with that label) */
} BbNodeType;

/* What a SECTION is; the back-ends draw some kinds specially. */
typedef enum {
  BB_SECTION_NONE,
  BB_SECTION_COVER,
  BB_SECTION_CONTENTS,
  BB_SECTION_FRONT,    /* other front matter (roman page labels) */
  BB_SECTION_CHAPTER,  /* one per source */
  BB_SECTION_BACK,     /* notes, index ... (arabic, after chapters) */
} BbSectionKind;

/* Flags on block nodes. */
enum {
  BB_FLAG_GENERATED = 1 << 0, /* made by the program, not read from a source */
  BB_FLAG_SMALL     = 1 << 1, /* set in the small (note) size */
  BB_FLAG_CENTER    = 1 << 2, /* centred rather than justified */
  BB_FLAG_META      = 1 << 3, /* provenance line under a chapter title */
  BB_FLAG_NUMERIC   = 1 << 4, /* CELL: right-aligned figure */
  BB_FLAG_LEADER    = 1 << 5, /* PARAGRAPH: contents entry; its last child is a
                                 PAGEREF printed at the right after dot leaders;
                                 level = depth (1 = top) */
  BB_FLAG_NEW       = 1 << 6, /* block or row new since the previous edition */
  BB_FLAG_COLUMNS   = 1 << 7, /* PARAGRAPH: a short entry that print sets in
                                 columns with the neighbours that have it too
                                 (a chapter's citation notes) */
};

typedef struct _BbNode BbNode;
struct _BbNode {
  /* Pointers first, then the numbers, then the fields only blocks and
   * sections have.  An inline node (TEXT ... PAGEREF) is allocated without
   * that last part: 80 bytes instead of 112.  A 1,000-source book has about
   * 440,000 inline nodes of its 600,000, so this is 14 MB at the peak of
   * its layout.  Read those fields through bb_node_anchor(), bb_node_file()
   * and bb_node_lang(), which give NULL for an inline node; write them only
   * on a node known to be a block or section. */
  BbNode *parent, *first, *last, *next, *prev;
  char *text;    /* TEXT, CODE, CODE_BLOCK, CITATION label; SECTION title;
                    TABLE: column widths as shares ("18 57 17 8"), set by
                    generated tables, or NULL for widths from the content */
  char *href;    /* LINK target */
  BbNodeType type;
  int line;      /* 1-based line in that file, 0 when generated */
  int level;     /* HEADING level, LIST ordered start, TABLE header rows */
  guint flags;   /* BB_FLAG_* */
  BbSectionKind kind; /* SECTION only */
  /* --- blocks and sections only (not allocated for inline nodes) --- */
  char *anchor;  /* block anchor id (XML NCName), unique in the book */
  char *file;    /* source file base name the block came from, or NULL */
  char *lang;    /* BCP 47 tag for SECTIONs (and blocks that differ), or NULL */
  char *subtitle;     /* SECTION only: running-header title, if different */
};

/* The types allocated without the block-only fields. */
#define BB_NODE_TYPE_IS_INLINE(t) ((t) >= BB_NODE_TEXT)

static inline char *
bb_node_anchor (const BbNode *n)
{
  return BB_NODE_TYPE_IS_INLINE (n->type) ? NULL : n->anchor;
}

static inline char *
bb_node_file (const BbNode *n)
{
  return BB_NODE_TYPE_IS_INLINE (n->type) ? NULL : n->file;
}

static inline char *
bb_node_lang (const BbNode *n)
{
  return BB_NODE_TYPE_IS_INLINE (n->type) ? NULL : n->lang;
}

/* Returns a new node with no children; caller owns it. */
BbNode *bb_node_new (BbNodeType type);
/* Convenience: a new TEXT node holding a copy of the first len bytes of s
 * (len < 0: up to NUL). */
BbNode *bb_node_new_text (const char *s, gssize len);
/* Appends child (owned by parent afterwards) and returns it. */
BbNode *bb_node_append (BbNode *parent, BbNode *child);
/* Inserts child before sibling (which must have a parent). */
void bb_node_insert_before (BbNode *sibling, BbNode *child);
/* Detaches node from its parent; the caller owns it again. */
void bb_node_unlink (BbNode *node);
/* Releases node and all below it. */
void bb_node_free (BbNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbNode, bb_node_free)

gboolean bb_node_is_block (const BbNode *node);
gboolean bb_node_is_inline (const BbNode *node);

/* Appends to out the plain text of node's inline content, without citation
 * markers, with whitespace collapsed.  Used for titles, running headers and
 * extraction: no "[13]" ever leaks into them. */
void bb_node_append_plain (const BbNode *node, GString *out);
/* Returns the plain text (as above) as a new string. */
char *bb_node_plain (const BbNode *node);

/* Counts words (runs of letters/digits) of the plain text below node. */
gsize bb_node_count_words (const BbNode *node);

/* Depth-first pre-order walk: returns the node after `node` within `root`,
 * or NULL at the end. */
BbNode *bb_node_next_in (const BbNode *root, const BbNode *node);

/* The nearest ancestor-or-self SECTION, or NULL. */
BbNode *bb_node_section (const BbNode *node);

/* Type name for dumps ("paragraph", "citation", ...). */
const char *bb_node_type_name (BbNodeType type);

/* Writes a readable, stable plain-text dump of the tree below node: one line
 * per node, indented by depth, with anchors and file:line.  The third
 * back-end, used by golden tests. */
void bb_node_dump (const BbNode *node, GString *out);
