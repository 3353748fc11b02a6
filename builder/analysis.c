/* analysis.c — per-source analysis, cached by content hash (see analysis.h). */
#include "analysis.h"
#include "bb-build.h"
#include "parallel.h"
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "BBANAL01"
#define MAGIC_LEN 8
#define DIGEST_LEN 32
#define HEADER_LEN (MAGIC_LEN + DIGEST_LEN)
#define KEY_LEN 64

struct _BbAnalysisCache {
  char *dir;
  GHashTable *used;    /* keys of the last run's sources (owned) */
  GHashTable *pending; /* key -> GBytes: entries to write (NULL once staged) */
  GHashTable *staged;  /* key -> its temporary's path (bb_analysis_cache_stage) */
  BbAnalysisMemory *mem; /* borrowed, or NULL */
  guint hits, memory_hits, misses;
};

/* A source's parts, as a memory keeps them. */
typedef struct {
  BbChronologyPart *c;
  BbPeoplePart *p;
} Parts;

struct _BbAnalysisMemory {
  GHashTable *parts; /* key → Parts, owned */
};

static void
parts_free (gpointer data)
{
  Parts *p = data;
  bb_chronology_part_free (p->c);
  bb_people_part_free (p->p);
  g_free (p);
}

BbAnalysisMemory *
bb_analysis_memory_new (void)
{
  BbAnalysisMemory *mem = g_new0 (BbAnalysisMemory, 1);
  mem->parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, parts_free);
  return mem;
}

void
bb_analysis_memory_free (BbAnalysisMemory *mem)
{
  if (!mem)
    return;
  g_hash_table_unref (mem->parts);
  g_free (mem);
}

void
bb_analysis_cache_use_memory (BbAnalysisCache *cache, BbAnalysisMemory *mem)
{
  cache->mem = mem;
}

BbAnalysisCache *
bb_analysis_cache_new (const char *dir)
{
  BbAnalysisCache *cache = g_new0 (BbAnalysisCache, 1);
  cache->dir = g_strdup (dir);
  cache->used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cache->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  cache->staged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return cache;
}

void
bb_analysis_cache_free (BbAnalysisCache *cache)
{
  if (!cache)
    return;
  g_free (cache->dir);
  g_hash_table_unref (cache->used);
  g_hash_table_unref (cache->pending);
  g_hash_table_unref (cache->staged);
  g_free (cache);
}

guint
bb_analysis_cache_hits (const BbAnalysisCache *cache)
{
  return cache ? cache->hits : 0;
}

guint
bb_analysis_cache_memory_hits (const BbAnalysisCache *cache)
{
  return cache ? cache->memory_hits : 0;
}

guint
bb_analysis_cache_misses (const BbAnalysisCache *cache)
{
  return cache ? cache->misses : 0;
}

/* One field of a key: its length, then its bytes, so that no two lists of
 * fields hash alike; NULL differs from "". */
static void
key_field (GChecksum *sum, const char *s)
{
  char len[24];
  if (!s)
    {
      g_checksum_update (sum, (const guchar *) "-", 1);
      return;
    }
  gsize n = strlen (s);
  g_snprintf (len, sizeof len, "%" G_GSIZE_FORMAT ":", n);
  g_checksum_update (sum, (const guchar *) len, (gssize) strlen (len));
  g_checksum_update (sum, (const guchar *) s, (gssize) n);
}

char *
bb_analysis_key (const BbSource *src)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  /* GVariant stores numbers in the machine's byte order */
  g_autofree char *version = g_strdup_printf ("briefing-analysis %d %s %d", BB_ANALYSIS_VERSION, BB_VERSION,
                                              G_BYTE_ORDER);
  key_field (sum, version);
  key_field (sum, src->name);
  key_field (sum, src->id);
  key_field (sum, src->lang);
  key_field (sum, src->title);
  key_field (sum, src->publisher);
  key_field (sum, src->date);
  key_field (sum, src->checksum);
  return g_strdup (g_checksum_get_string (sum));
}

static char *
entry_path (const BbAnalysisCache *cache, const char *key)
{
  return g_build_filename (cache->dir, key, NULL);
}

static void
digest_of (const guint8 *data, gsize len, guint8 out[DIGEST_LEN])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, data, (gssize) len);
  gsize n = DIGEST_LEN;
  g_checksum_get_digest (sum, out, &n);
}

/* The parts of key's entry, or FALSE (a miss) when there is no usable
 * entry. */
static gboolean
entry_load (const BbAnalysisCache *cache, const char *key, BbChronologyPart **cpart, BbPeoplePart **ppart)
{
  g_autofree char *path = entry_path (cache, key);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL) || len <= HEADER_LEN || memcmp (data, MAGIC, MAGIC_LEN) != 0)
    return FALSE;
  guint8 digest[DIGEST_LEN];
  digest_of ((const guint8 *) data + HEADER_LEN, len - HEADER_LEN, digest);
  if (memcmp (digest, data + MAGIC_LEN, DIGEST_LEN) != 0)
    return FALSE;
  /* a copy, aligned as GVariant wants */
  g_autoptr (GBytes) bytes = g_bytes_new (data + HEADER_LEN, len - HEADER_LEN);
  g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("(svv)"), bytes, FALSE));
  if (!g_variant_is_normal_form (v))
    return FALSE;
  const char *stored;
  g_autoptr (GVariant) cv = NULL, pv = NULL;
  g_variant_get (v, "(&svv)", &stored, &cv, &pv);
  if (strcmp (stored, key) != 0)
    return FALSE;
  g_autoptr (BbChronologyPart) c = bb_chronology_part_from_variant (cv);
  g_autoptr (BbPeoplePart) p = bb_people_part_from_variant (pv);
  if (!c || !p)
    return FALSE;
  *cpart = g_steal_pointer (&c);
  *ppart = g_steal_pointer (&p);
  return TRUE;
}

/* The bytes of an entry holding cpart and ppart under key: the GVariant
 * written straight into its serialized form (gvw.h). */
static GBytes *
entry_bytes (const char *key, const BbChronologyPart *cpart, const BbPeoplePart *ppart)
{
  g_autoptr (BbGvw) w = bb_gvw_new ();
  bb_gvw_open_tuple (w, 8); /* (svv) */
  bb_gvw_string (w, key);
  bb_gvw_frame (w);
  bb_gvw_open_variant (w);
  bb_chronology_part_write (cpart, w);
  bb_gvw_close_variant (w, BB_CHRONOLOGY_PART_TYPE);
  bb_gvw_frame (w);
  bb_gvw_open_variant (w);
  bb_people_part_write (ppart, w);
  bb_gvw_close_variant (w, BB_PEOPLE_PART_TYPE);
  bb_gvw_close (w);
  gsize n;
  const guint8 *data = bb_gvw_data (w, &n);
  guint8 *buf = g_malloc (HEADER_LEN + n);
  memcpy (buf, MAGIC, MAGIC_LEN);
  memcpy (buf + HEADER_LEN, data, n);
  digest_of (buf + HEADER_LEN, n, buf + MAGIC_LEN);
  return g_bytes_new_take (buf, HEADER_LEN + n);
}

/* The per-source work of one run, shared by the worker threads: each
 * call fills only its own index of the arrays. */
typedef struct {
  GPtrArray *sources;
  const BbAnalysisCache *cache;
  char **keys;
  BbChronologyPart **cparts;
  BbPeoplePart **pparts;
  gboolean *fresh;
  gboolean *remembered; /* parts borrowed from the memory */
  GHashTable *mem;      /* the memory's parts (only read while the
                           sources are analysed), or NULL */
  GBytes **entries;
  int year;
} Run;

static void
load_or_extract (guint s, gpointer user)
{
  Run *run = user;
  const BbSource *src = run->sources->pdata[s];
  run->keys[s] = run->cache ? bb_analysis_key (src) : NULL;
  /* a key names one source (its file name is part of it), so no two
   * sources borrow the same parts */
  const Parts *kept = run->mem && run->keys[s] ? g_hash_table_lookup (run->mem, run->keys[s]) : NULL;
  if (kept)
    {
      run->cparts[s] = kept->c;
      run->pparts[s] = kept->p;
      run->remembered[s] = TRUE;
    }
  else if (!run->keys[s] || !entry_load (run->cache, run->keys[s], &run->cparts[s], &run->pparts[s]))
    {
      run->cparts[s] = bb_chronology_part_new (src);
      run->pparts[s] = bb_people_part_extract (src);
      run->fresh[s] = TRUE;
    }
}

/* The dates that need the book's year, then the bytes of a new entry. */
static void
finish_part (guint s, gpointer user)
{
  Run *run = user;
  if (!bb_chronology_part_ready (run->cparts[s], run->year))
    {
      bb_chronology_part_extract (run->cparts[s], run->sources->pdata[s], run->year);
      run->fresh[s] = TRUE;
    }
  if (run->cache && run->fresh[s])
    run->entries[s] = entry_bytes (run->keys[s], run->cparts[s], run->pparts[s]);
}

/* The two merges look at different parts and share nothing, so they run
 * side by side (at 1,000 sources the chronology's takes about half a
 * second on one core, the people's a tenth).
 * The people's diagnostics are collected apart and follow the
 * chronology's, in the order one thread would give them. */
typedef struct {
  Run *run;
  const char *sources_dir;
  BbDiag *diag, *people_diag;
  BbChronology *chronology;
  BbPeople *people;
} Merge;

static void
merge_one (guint i, gpointer user)
{
  Merge *m = user;
  Run *run = m->run;
  guint n = run->sources ? run->sources->len : 0;
  if (i == 0)
    m->chronology = bb_chronology_merge (run->cparts, n, run->sources, m->sources_dir, m->diag);
  else
    m->people = bb_people_merge (run->pparts, n, m->sources_dir, m->people_diag);
}

static void
free_part (guint s, gpointer user)
{
  Run *run = user;
  g_free (run->keys[s]);
  if (run->remembered[s])
    return;
  bb_chronology_part_free (run->cparts[s]);
  bb_people_part_free (run->pparts[s]);
}

/* The memory now holds the parts of this run's sources, and no others;
 * the keys move into it. */
static void
remember (Run *run, BbAnalysisMemory *mem, guint n)
{
  GHashTable *next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, parts_free);
  for (guint s = 0; s < n; s++)
    {
      Parts *p = NULL;
      if (run->remembered[s])
        {
          gpointer old_key = NULL;
          g_hash_table_steal_extended (mem->parts, run->keys[s], &old_key, (gpointer *) &p);
          g_free (old_key);
          if (!p)
            {
              g_clear_pointer (&run->keys[s], g_free);
              continue; /* cannot be: nothing changed the memory since */
            }
        }
      else
        {
          p = g_new (Parts, 1);
          p->c = run->cparts[s];
          p->p = run->pparts[s];
        }
      g_hash_table_replace (next, g_steal_pointer (&run->keys[s]), p);
    }
  g_hash_table_unref (mem->parts);
  mem->parts = next;
}

/* Each source is analysed on its own (bb_parallel_for spreads them over
 * the cores); only the book's year and the merges look at all of them.
 * The result does not depend on the number of threads: every source's
 * parts land in its own slot, and the merges run in source order. */
void
bb_analysis_run (GPtrArray *sources, const char *sources_dir, BbAnalysisCache *cache, BbDiag *diag,
                 BbChronology **chronology, BbPeople **people)
{
  guint n = sources ? sources->len : 0;
  guint m = MAX (n, 1);
  g_autofree char **keys = g_new0 (char *, m);
  g_autofree BbChronologyPart **cparts = g_new0 (BbChronologyPart *, m);
  g_autofree BbPeoplePart **pparts = g_new0 (BbPeoplePart *, m);
  g_autofree gboolean *fresh = g_new0 (gboolean, m);
  g_autofree gboolean *remembered = g_new0 (gboolean, m);
  g_autofree GBytes **entries = g_new0 (GBytes *, m);
  BbAnalysisMemory *mem = cache ? cache->mem : NULL;
  Run run = { sources, cache, keys, cparts, pparts, fresh, remembered, mem ? mem->parts : NULL, entries, 0 };
  if (cache)
    {
      g_hash_table_remove_all (cache->used);
      g_hash_table_remove_all (cache->pending);
      cache->hits = cache->memory_hits = cache->misses = 0;
    }
  bb_parallel_for (n, load_or_extract, &run);
  run.year = bb_chronology_book_year (cparts, n);
  bb_parallel_for (n, finish_part, &run);
  for (guint s = 0; s < n; s++)
    {
      if (!cache)
        continue;
      g_hash_table_add (cache->used, g_strdup (keys[s]));
      if (!fresh[s])
        {
          cache->hits++;
          cache->memory_hits += remembered[s];
        }
      else
        {
          cache->misses++;
          g_hash_table_replace (cache->pending, g_strdup (keys[s]), entries[s]);
        }
    }
  Merge merge = { &run, sources_dir, diag, NULL, NULL, NULL };
  merge.people_diag = diag ? bb_diag_new () : NULL;
  bb_parallel_for (2, merge_one, &merge);
  if (diag)
    bb_diag_append (diag, merge.people_diag);
  bb_diag_free (merge.people_diag);
  *chronology = merge.chronology;
  *people = merge.people;
  if (mem)
    remember (&run, mem, n);
  else
    bb_parallel_for (n, free_part, &run);
}

/* Writes one entry's temporary beside it; its path, or NULL with error. */
static char *
entry_stage (const BbAnalysisCache *cache, const char *key, GBytes *bytes, GError **error)
{
  char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", cache->dir, key);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write: %s", cache->dir, g_strerror (e));
      g_free (tmp);
      return NULL;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize done = 0;
  errno = 0;
  while (done < len)
    {
      ssize_t w = write (fd, data + done, len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        break;
      done += (gsize) w;
    }
  int e = done == len ? 0 : errno ? errno : EIO;
  if (close (fd) != 0 && !e)
    e = errno;
  if (e)
    {
      g_unlink (tmp);
      g_autofree char *path = entry_path (cache, key);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write: %s", path, g_strerror (e));
      g_free (tmp);
      return NULL;
    }
  return tmp;
}

/* Renames an entry's temporary into place. */
static gboolean
entry_publish (const BbAnalysisCache *cache, const char *key, const char *tmp, GError **error)
{
  g_autofree char *path = entry_path (cache, key);
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write: %s", path, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_dir (const BbAnalysisCache *cache, GError **error)
{
  if (g_mkdir_with_parents (cache->dir, 0777) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create folder: %s", cache->dir,
                   g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_analysis_cache_stage (BbAnalysisCache *cache, GError **error)
{
  if (g_hash_table_size (cache->pending) && !make_dir (cache, error))
    return FALSE;
  /* in key order, so that the same run writes the same way */
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (cache->pending), (GCompareFunc) strcmp);
  for (GList *l = keys; l; l = l->next)
    {
      if (g_hash_table_contains (cache->staged, l->data))
        continue;
      char *tmp = entry_stage (cache, l->data, g_hash_table_lookup (cache->pending, l->data), error);
      if (!tmp)
        return FALSE;
      g_hash_table_insert (cache->staged, g_strdup (l->data), tmp);
      /* the temporary holds the entry now: its bytes are let go while the
       * book is laid out and drawn (7 MB at 1,000 sources); the key stays
       * (insert keeps the table's own key and frees the copy) */
      g_hash_table_insert (cache->pending, g_strdup (l->data), NULL);
    }
  return TRUE;
}

void
bb_analysis_cache_abort (BbAnalysisCache *cache)
{
  GHashTableIter it;
  gpointer tmp;
  g_hash_table_iter_init (&it, cache->staged);
  while (g_hash_table_iter_next (&it, NULL, &tmp))
    g_unlink (tmp);
  g_hash_table_remove_all (cache->staged);
}

/* An entry ("KEY") or a temporary (".KEY.XXXXXX") of a cache folder. */
static gboolean
is_cache_file (const char *name, char *key)
{
  const char *k = name[0] == '.' ? name + 1 : name;
  if (strlen (k) < KEY_LEN)
    return FALSE;
  for (guint i = 0; i < KEY_LEN; i++)
    if (!g_ascii_isxdigit (k[i]) || g_ascii_isupper (k[i]))
      return FALSE;
  if (name[0] == '.' ? (k[KEY_LEN] != '.' || strlen (k) != KEY_LEN + 7) : k[KEY_LEN] != 0)
    return FALSE;
  memcpy (key, k, KEY_LEN);
  key[KEY_LEN] = 0;
  return TRUE;
}

gboolean
bb_analysis_cache_commit (BbAnalysisCache *cache, GError **error)
{
  gboolean ok = TRUE;
  if (g_hash_table_size (cache->pending) && !make_dir (cache, error))
    {
      bb_analysis_cache_abort (cache);
      return FALSE;
    }
  /* in key order, so that the same run writes the same way */
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (cache->pending), (GCompareFunc) strcmp);
  for (GList *l = keys; l; l = l->next)
    {
      g_autoptr (GError) err = NULL;
      g_autofree char *tmp = NULL;
      gpointer staged_key = NULL;
      if (g_hash_table_steal_extended (cache->staged, l->data, &staged_key, (gpointer *) &tmp))
        g_free (staged_key);
      else if (g_hash_table_lookup (cache->pending, l->data))
        tmp = entry_stage (cache, l->data, g_hash_table_lookup (cache->pending, l->data), &err);
      else /* staged, then removed (bb_analysis_cache_abort): its bytes are gone */
        g_set_error (&err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: cache entry %s was removed before it was kept",
                     cache->dir, (const char *) l->data);
      if ((!tmp || !entry_publish (cache, l->data, tmp, &err)) && ok)
        {
          ok = FALSE;
          g_propagate_error (error, g_steal_pointer (&err));
        }
    }
  bb_analysis_cache_abort (cache);
  g_hash_table_remove_all (cache->pending);
  /* what no source of this book uses goes, and what a killed run left */
  g_autoptr (GDir) d = g_dir_open (cache->dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      char key[KEY_LEN + 1];
      if (!is_cache_file (name, key) || (name[0] != '.' && g_hash_table_contains (cache->used, key)))
        continue;
      g_autofree char *path = g_build_filename (cache->dir, name, NULL);
      GStatBuf st;
      if (g_lstat (path, &st) == 0 && !S_ISDIR (st.st_mode))
        g_unlink (path);
    }
  return ok;
}
