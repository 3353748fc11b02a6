/* diag.h — diagnostics about the user's sources.
 *
 * Problems in sources are collected, not fatal: each carries the file and
 * line it concerns and a short lower-case sentence (git's message style).
 * Whether the book can still be made is the caller's decision.
 */
#pragma once
#include <glib.h>

typedef enum { BB_DIAG_WARNING, BB_DIAG_ERROR } BbDiagLevel;

typedef struct {
  BbDiagLevel level;
  char *file;    /* path as the user gave it, or NULL */
  int line;      /* 1-based, 0 when the whole file is meant */
  char *message;
} BbDiagEntry;

typedef struct _BbDiag BbDiag;

BbDiag *bb_diag_new (void);
void bb_diag_free (BbDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbDiag, bb_diag_free)

void bb_diag_add (BbDiag *diag, BbDiagLevel level, const char *file, int line,
                  const char *fmt, ...) G_GNUC_PRINTF (5, 6);
#define bb_diag_warn(d, f, l, ...) bb_diag_add ((d), BB_DIAG_WARNING, (f), (l), __VA_ARGS__)
#define bb_diag_error(d, f, l, ...) bb_diag_add ((d), BB_DIAG_ERROR, (f), (l), __VA_ARGS__)

guint bb_diag_count (const BbDiag *diag, BbDiagLevel level);
/* Borrowed entry i (0-based, in the order added). */
const BbDiagEntry *bb_diag_get (const BbDiag *diag, guint i);
/* Adds from's entries to diag, in their order (as bb_diag_add would). */
void bb_diag_append (BbDiag *diag, const BbDiag *from);
guint bb_diag_len (const BbDiag *diag);

/* Prints entries from `from` on as "file:line: warning: message" to stderr. */
void bb_diag_print (const BbDiag *diag, guint from);
/* Formats one entry; caller frees. */
char *bb_diag_format (const BbDiagEntry *e);
