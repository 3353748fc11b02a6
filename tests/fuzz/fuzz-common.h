/* fuzz-common.h — checks shared by the fuzz targets: what every tree the
 * loaders build must satisfy whatever the input, so that a fuzzer finds
 * wrong output as well as crashes.  Header-only (static functions) so each
 * target stays a single file plus the replay driver. */
#pragma once
#include "node.h"
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Stops the run loudly: libFuzzer and the replay test both see an abort. */
#define FUZZ_CHECK(cond, ...)                                          \
  do                                                                   \
    {                                                                  \
      if (!(cond))                                                     \
        {                                                              \
          fprintf (stderr, "%s:%d: check failed: %s: ", __FILE__,      \
                   __LINE__, #cond);                                   \
          fprintf (stderr, __VA_ARGS__);                               \
          fputc ('\n', stderr);                                        \
          abort ();                                                    \
        }                                                              \
    }                                                                  \
  while (0)

/* Text that ends up in XHTML and PDF must be valid UTF-8 made of XML
 * characters, and no Unicode noncharacters. */
static inline void
fuzz_check_text (const char *what, const char *s)
{
  if (!s)
    return;
  FUZZ_CHECK (g_utf8_validate (s, -1, NULL), "%s is not UTF-8", what);
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      FUZZ_CHECK (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF),
                  "%s holds U+%04X, not an XML character", what, c);
      /* Cairo refuses noncharacters in any string it is given */
      FUZZ_CHECK (!(c >= 0xFDD0 && c <= 0xFDEF) && (c & 0xFFFE) != 0xFFFE,
                  "%s holds the noncharacter U+%04X", what, c);
    }
}

/* An anchor must be an XML NCName (ASCII subset is what the loader makes). */
static inline gboolean
fuzz_is_ncname (const char *s)
{
  if (!s || !*s || !(g_ascii_isalpha (*s) || *s == '_'))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.'))
      return FALSE;
  return TRUE;
}

/* Settings values (book.ini, layouts) are checked like text only when
 * BB_FUZZ_LENIENT is unset.  Setting it lets a campaign look for memory
 * errors past a known, reported defect instead of stopping at it. */
static inline gboolean
fuzz_lenient (void)
{
  static int lenient = -1;
  if (lenient < 0)
    lenient = g_getenv ("BB_FUZZ_LENIENT") != NULL;
  return lenient;
}

static inline void
fuzz_check_setting (const char *what, const char *s)
{
  if (fuzz_lenient ())
    FUZZ_CHECK (!s || g_utf8_validate (s, -1, NULL), "%s is not UTF-8", what);
  else
    fuzz_check_text (what, s);
}

/* Structure, text and anchors of a tree: links are consistent, every
 * string is clean, anchors are NCNames and unique within root. */
static inline void
fuzz_check_tree (const BbNode *root)
{
  g_autoptr (GHashTable) anchors = g_hash_table_new (g_str_hash, g_str_equal);
  for (const BbNode *n = root; n; n = bb_node_next_in (root, n))
    {
      for (const BbNode *c = n->first; c; c = c->next)
        {
          FUZZ_CHECK (c->parent == n, "child's parent pointer is wrong");
          FUZZ_CHECK (c->next ? c->next->prev == c : n->last == c, "sibling links are wrong");
        }
      /* a composed tree holds book.ini values too: checked as settings */
      fuzz_check_setting ("node text", n->text);
      fuzz_check_setting ("node href", n->href);
      if (!bb_node_is_inline (n))
        fuzz_check_setting ("node subtitle", n->subtitle);
      if (bb_node_anchor (n))
        {
          FUZZ_CHECK (fuzz_is_ncname (bb_node_anchor (n)), "anchor '%s' is not an NCName", bb_node_anchor (n));
          FUZZ_CHECK (g_hash_table_add (anchors, bb_node_anchor (n)), "anchor '%s' twice", bb_node_anchor (n));
        }
      if (n->type == BB_NODE_HEADING)
        FUZZ_CHECK (n->level >= 1 && n->level <= 6, "heading level %d", n->level);
      if (n != root && bb_node_is_inline (n))
        FUZZ_CHECK (n->first == NULL || n->type == BB_NODE_EMPH || n->type == BB_NODE_STRONG
                      || n->type == BB_NODE_LINK,
                    "inline %s has children", bb_node_type_name (n->type));
    }
}
