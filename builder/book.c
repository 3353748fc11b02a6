/* book.c — loading a sources folder. */
#include "book.h"
#include "parallel.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Files in the sources folder that are settings, not sources. */
static const char *const settings_files[] = { "book.ini", "chronology.tsv", "people.tsv" };

void
bb_book_free (BbBook *book)
{
  if (!book)
    return;
  g_free (book->dir);
  bb_config_free (book->config);
  if (book->sources)
    g_ptr_array_unref (book->sources);
  g_free (book->edition);
  bb_node_free (book->tree);
  g_free (book);
}

/* SOURCE_DATE_EPOCH when set and valid (reproducible builds spec). */
static gboolean
source_date_epoch (gint64 *out)
{
  const char *s = g_getenv ("SOURCE_DATE_EPOCH");
  if (!s || !*s)
    return FALSE;
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (errno || *end || v < 0 || v > G_GINT64_CONSTANT (253402300799))
    {
      g_printerr ("briefing: warning: SOURCE_DATE_EPOCH='%s' is not a number of seconds; ignored\n", s);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
is_settings_file (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings_files); i++)
    if (g_str_equal (name, settings_files[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Anchor ids come from file names, and "a.txt" and "a.md" (or "a b.txt"
 * and "a_b.txt") would share one: later sources get a numbered id. */
static void
rename_prefix (BbNode *root, const char *old, const char *new_id)
{
  gsize ol = strlen (old);
  for (BbNode *n = root; n; n = bb_node_next_in (root, n))
    if (bb_node_anchor (n) && strncmp (bb_node_anchor (n), old, ol) == 0 && (bb_node_anchor (n)[ol] == 0 || bb_node_anchor (n)[ol] == '-'))
      {
        char *a = g_strconcat (new_id, bb_node_anchor (n) + ol, NULL);
        g_free (bb_node_anchor (n));
        n->anchor = a;
      }
}

static void
uniquify_ids (GPtrArray *sources)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sources->len; i++)
    {
      BbSource *src = sources->pdata[i];
      if (g_hash_table_add (seen, src->id))
        continue;
      for (guint k = 2;; k++)
        {
          char *id = g_strdup_printf ("%s-%u", src->id, k);
          if (!g_hash_table_contains (seen, id))
            {
              rename_prefix (src->body, src->id, id);
              g_free (src->id);
              src->id = id;
              g_hash_table_add (seen, src->id);
              break;
            }
          g_free (id);
        }
    }
}

/* One entry of the sources folder, read on a worker thread. */
typedef struct {
  BbSource *src; /* NULL: skipped */
  BbDiag *diag;  /* its messages, or NULL */
  gint64 mtime;
} Loaded;

typedef struct {
  const char *dir;
  const BbConfig *config;
  GPtrArray *names;
  Loaded *out;
} Load;

static void
load_one (guint i, gpointer user)
{
  Load *load = user;
  const char *name = load->names->pdata[i];
  Loaded *l = &load->out[i];
  if (name[0] == '.' || is_settings_file (name) || name[strlen (name) - 1] == '~')
    return;
  l->diag = bb_diag_new ();
  g_autofree char *path = g_build_filename (load->dir, name, NULL);
  struct stat st;
  if (stat (path, &st) != 0)
    bb_diag_warn (l->diag, path, 0, "cannot read (%s); skipped", g_strerror (errno));
  else if (S_ISDIR (st.st_mode))
    bb_diag_warn (l->diag, path, 0, "a folder inside the sources folder; skipped (sources are not searched recursively)");
  else if (!S_ISREG (st.st_mode))
    bb_diag_warn (l->diag, path, 0, "not a regular file; skipped");
  else if (!bb_source_is_source_name (name))
    bb_diag_warn (l->diag, path, 0, "not a source (.txt or .md); skipped");
  else
    {
      l->src = bb_source_load (path, bb_config_source_meta (load->config, name), l->diag);
      l->mtime = (gint64) st.st_mtime;
    }
}

BbBook *
bb_book_load (const char *dir, BbDiag *diag)
{
  struct stat st;
  if (stat (dir, &st) != 0)
    {
      bb_diag_error (diag, dir, 0, "cannot open sources folder: %s", g_strerror (errno));
      return NULL;
    }
  if (!S_ISDIR (st.st_mode))
    {
      bb_diag_error (diag, dir, 0, "not a folder (give the folder that holds the sources)");
      return NULL;
    }
  g_autoptr (GError) err = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &err);
  if (!d)
    {
      bb_diag_error (diag, dir, 0, "cannot read sources folder: %s", err->message);
      return NULL;
    }
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *e;
  while ((e = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (e));
  /* byte order: the same on every machine, whatever the locale */
  g_ptr_array_sort (names, compare_names);

  BbBook *book = g_new0 (BbBook, 1);
  book->dir = g_strdup (dir);
  book->config = bb_config_load (dir, diag);
  book->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  book->edition = g_strdup ("1");
  /* Sources are read and parsed in parallel, each with its own messages;
   * sources and messages are then taken in name order, so the book and
   * what is printed do not depend on the threads. */
  Load load = { dir, book->config, names, g_new0 (Loaded, MAX (names->len, 1)) };
  bb_parallel_for (names->len, load_one, &load);
  gint64 newest = 0;
  for (guint i = 0; i < names->len; i++)
    {
      Loaded *l = &load.out[i];
      if (l->diag)
        {
          for (guint k = 0; k < bb_diag_len (l->diag); k++)
            {
              const BbDiagEntry *m = bb_diag_get (l->diag, k);
              bb_diag_add (diag, m->level, m->file, m->line, "%s", m->message);
            }
          bb_diag_free (l->diag);
        }
      if (!l->src)
        continue;
      newest = MAX (newest, l->mtime);
      g_ptr_array_add (book->sources, l->src);
    }
  g_free (load.out);
  if (book->sources->len == 0)
    {
      bb_diag_error (diag, dir, 0, "no sources to build (put .txt or .md files in this folder)");
      bb_book_free (book);
      return NULL;
    }
  uniquify_ids (book->sources);
  if (!source_date_epoch (&book->date))
    book->date = newest;
  return book;
}
