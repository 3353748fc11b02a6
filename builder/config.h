/* config.h — the book's settings from SOURCES/book.ini (a GLib key file).
 *
 *   [book]
 *   title=…            default: the sources folder's name
 *   subtitle=…
 *   marking=UNCLASSIFIED   handling marking printed on every page
 *   language=en        the book's own language (generated text, dates)
 *   layout=a4          a key file in layouts/ (a4, letter, …)
 *   author=…  publisher=…
 *
 *   [source 001_example.txt]   optional, one group per source file
 *   title=…  publisher=…  language=…  date=2019-02-28
 */
#pragma once
#include <glib.h>
#include "diag.h"
#include "source.h"

typedef struct {
  char *title;
  char *subtitle;
  char *marking;
  char *lang;
  char *layout;
  char *author;
  char *publisher;
  GHashTable *sources; /* base name → BbSourceMeta* */
} BbConfig;

/* Reads dir/book.ini when present (defaults otherwise).  A malformed file is
 * reported as "book.ini:LINE: …" and its defaults are used; returns NULL only
 * when the file exists but cannot be parsed at all (error in diag). */
BbConfig *bb_config_load (const char *dir, BbDiag *diag);
/* Parses key-file text (for tests and fuzzing); path is used in messages. */
BbConfig *bb_config_parse (const char *path, const char *data, gsize len,
                           const char *dir_name, BbDiag *diag);
void bb_config_free (BbConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbConfig, bb_config_free)

/* Metadata for one source (borrowed), or NULL. */
const BbSourceMeta *bb_config_source_meta (const BbConfig *cfg, const char *name);
