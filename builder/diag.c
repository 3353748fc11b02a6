/* diag.c — collected diagnostics with file:line. */
#include "diag.h"
#include <stdio.h>

struct _BbDiag {
  GArray *entries; /* BbDiagEntry */
};

static void
entry_clear (gpointer p)
{
  BbDiagEntry *e = p;
  g_free (e->file);
  g_free (e->message);
}

BbDiag *
bb_diag_new (void)
{
  BbDiag *d = g_new0 (BbDiag, 1);
  d->entries = g_array_new (FALSE, TRUE, sizeof (BbDiagEntry));
  g_array_set_clear_func (d->entries, entry_clear);
  return d;
}

void
bb_diag_free (BbDiag *diag)
{
  if (!diag)
    return;
  g_array_unref (diag->entries);
  g_free (diag);
}

/* A hostile file can produce a diagnostic per line; past this many the rest
 * are counted but not kept, so memory stays bounded. */
#define BB_DIAG_MAX 1000

void
bb_diag_add (BbDiag *diag, BbDiagLevel level, const char *file, int line, const char *fmt, ...)
{
  if (!diag)
    return;
  if (diag->entries->len >= BB_DIAG_MAX && level == BB_DIAG_WARNING)
    return;
  BbDiagEntry e = { level, g_strdup (file), line, NULL };
  va_list ap;
  va_start (ap, fmt);
  e.message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_array_append_val (diag->entries, e);
}

guint
bb_diag_count (const BbDiag *diag, BbDiagLevel level)
{
  guint n = 0;
  for (guint i = 0; i < diag->entries->len; i++)
    n += g_array_index (diag->entries, BbDiagEntry, i).level == level;
  return n;
}

void
bb_diag_append (BbDiag *diag, const BbDiag *from)
{
  for (guint i = 0; from && i < from->entries->len; i++)
    {
      const BbDiagEntry *e = &g_array_index (from->entries, BbDiagEntry, i);
      bb_diag_add (diag, e->level, e->file, e->line, "%s", e->message);
    }
}

guint
bb_diag_len (const BbDiag *diag)
{
  return diag->entries->len;
}

const BbDiagEntry *
bb_diag_get (const BbDiag *diag, guint i)
{
  g_return_val_if_fail (i < diag->entries->len, NULL);
  return &g_array_index (diag->entries, BbDiagEntry, i);
}

char *
bb_diag_format (const BbDiagEntry *e)
{
  const char *kind = e->level == BB_DIAG_ERROR ? "error" : "warning";
  if (e->file && e->line > 0)
    return g_strdup_printf ("%s:%d: %s: %s", e->file, e->line, kind, e->message);
  if (e->file)
    return g_strdup_printf ("%s: %s: %s", e->file, kind, e->message);
  return g_strdup_printf ("briefing: %s: %s", kind, e->message);
}

void
bb_diag_print (const BbDiag *diag, guint from)
{
  for (guint i = from; i < diag->entries->len; i++)
    {
      g_autofree char *s = bb_diag_format (bb_diag_get (diag, i));
      fprintf (stderr, "%s\n", s);
    }
}
