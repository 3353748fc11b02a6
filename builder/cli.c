/* cli.c — subcommands: build, check, chronology, people, dump.
 *
 * Messages go to stderr as "file:line: level: message"; progress lines
 * ("briefing: …") too, so stdout carries only what a subcommand prints
 * (TSV, JSON, dumps).  Exit status: 0 done, 1 the book could not be made,
 * 2 usage error.
 */
#include "cli.h"
#include "analysis.h"
#include "bb-build.h"
#include "edition.h"
#include "book.h"
#include "chronology.h"
#include "compose.h"
#include "epub.h"
#include "fonts.h"
#include "layout.h"
#include "paginate.h"
#include "numfmt.h"
#include "parallel.h"
#include "shape.h"
#include "pdf.h"
#include "people.h"
#include "publish.h"
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_BUILT = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
  "usage: briefing build [SOURCES] [-o OUTDIR] [--layout NAME] [--format pdf,epub] [-q]\n"
  "       briefing check [SOURCES]\n"
  "       briefing chronology [SOURCES] [--tsv | --json]\n"
  "       briefing people [SOURCES] [--tsv | --json]\n"
  "       briefing watch [SOURCES] [-o OUTDIR] [--layout NAME] [--format pdf,epub]\n"
  "       briefing dump [SOURCES]\n"
  "       briefing --help | --version\n";

static const char help_text[] =
  "briefing builds a briefing book from a folder of source documents.\n"
  "\n"
  "Commands:\n"
  "  build       typeset the book: OUTDIR/<title>.pdf (and .epub); a new\n"
  "              edition when the sources changed, kept in OUTDIR/editions/N\n"
  "  check       read the sources and report problems; writes nothing\n"
  "  chronology  print the generated chronology (TSV: date, sources, event)\n"
  "  people      print the generated people table (TSV: name, title, affiliation, role, sources)\n"
  "  watch       build, then rebuild a new edition whenever a source changes\n"
  "  dump        print the book tree as text (for checking what was read)\n"
  "\n"
  "SOURCES is a folder of .txt and .md files, with an optional book.ini\n"
  "(default ./sources).  OUTDIR defaults to ./out.  Layouts are the key files\n"
  "in layouts/ (a4, letter).  Set SOURCE_DATE_EPOCH for reproducible dates.\n"
  "\n"
  "Exit status: 0 done, 1 the book could not be made, 2 usage error.\n";

typedef struct {
  char *outdir;
  char *layout;
  char *format;
  gboolean tsv, json, quiet;
  char **rest;
  BbTypeset **keep;   /* watch: the typeset kept from build to build */
  BbAnalysisMemory *memory; /* watch: each source's analysis, likewise */
} Options;

static void
options_clear (Options *o)
{
  g_free (o->outdir);
  g_free (o->layout);
  g_free (o->format);
  g_strfreev (o->rest);
}

static void
progress (const Options *o, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
progress (const Options *o, const char *fmt, ...)
{
  if (o->quiet)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "briefing: %s\n", s);
}

/* A file name from the book title: ASCII, lower case, words joined by '-'. */
static char *
book_slug (const BbBook *book)
{
  g_autofree char *ascii = g_str_to_ascii (book->config->title ? book->config->title : "", "C");
  GString *s = g_string_new (NULL);
  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
      if (s->len >= 80)
        break;
    }
  while (s->len && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (!s->len)
    g_string_append (s, "briefing");
  return g_string_free (s, FALSE);
}

static int
finish (BbDiag *diag, guint from, int status)
{
  bb_diag_print (diag, from);
  return status;
}

static BbBook *
load_book (const char *dir, BbDiag *diag, const Options *o)
{
  BbBook *book = bb_book_load (dir, diag);
  if (book)
    {
      gsize words = 0;
      for (guint i = 0; i < book->sources->len; i++)
        words += ((BbSource *) book->sources->pdata[i])->words;
      progress (o, "read %u source%s (%" G_GSIZE_FORMAT " words) from %s", book->sources->len,
                book->sources->len == 1 ? "" : "s", words, dir);
    }
  return book;
}

/* Stage timings for benchmarks: with BRIEFING_TIMINGS set, each stage's
 * wall time goes to stderr as "timing: STAGE SECONDS". */
typedef struct {
  gboolean on;
  gint64 t0;
} Timer;

static Timer
timer_start (void)
{
  Timer t = { g_getenv ("BRIEFING_TIMINGS") != NULL, g_get_monotonic_time () };
  return t;
}

/* Gives freed memory back to the system between stages, whichever
 * allocator the program was linked with.  The briefing executable links
 * jemalloc when it is available (meson option allocator; measured at
 * N = 1,000: 13% less wall time than glibc's malloc, whose free lists cost
 * a tenth of the build, and a lower peak): then this purges every arena,
 * since the EPUB thread allocates from an arena of its own and would not
 * reuse the main thread's freed pages.  Without it, malloc_trim does the
 * same for glibc's heaps. */
int mallctl (const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen) __attribute__ ((weak));

static void
release_memory (void)
{
  if (mallctl)
    mallctl ("arena.4096.purge", NULL, NULL, NULL, 0); /* 4096: MALLCTL_ARENAS_ALL */
  else
    malloc_trim (0);
}

/* A field of /proc/self/status in MiB ("VmRSS", "VmHWM"), or -1. */
static double
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *p = strstr (status, key);
  return p ? g_ascii_strtod (p + strlen (key), NULL) / 1024 : -1;
}

static void
timer_mark (Timer *t, const char *stage)
{
  gint64 now = g_get_monotonic_time ();
  if (t && t->on)
    fprintf (stderr, "timing: %s %.3f (memory %.0f MiB, peak %.0f MiB)\n", stage, (now - t->t0) / 1e6,
             status_mib ("VmRSS"), status_mib ("VmHWM"));
  if (t)
    t->t0 = now;
}

/* The generated sections of a book. */
typedef struct {
  BbNode *chronology, *attendees, *index;
} Generated;

static void
generated_clear (Generated *g)
{
  bb_node_free (g->chronology);
  bb_node_free (g->attendees);
  bb_node_free (g->index);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Generated, generated_clear)

/* The chronology and people of the book; each source's share comes from
 * cache when it holds it (cache may be NULL).  With BRIEFING_TIMINGS set,
 * "cache: N hits, M misses" goes to stderr. */
static void
analyse (BbBook *book, BbDiag *diag, const Options *o, BbAnalysisCache *cache, Generated *g)
{
  g_autoptr (BbChronology) chron = NULL;
  g_autoptr (BbPeople) people = NULL;
  bb_analysis_run (book->sources, book->dir, cache, diag, &chron, &people);
  if (cache)
    {
      guint hits = bb_analysis_cache_hits (cache), misses = bb_analysis_cache_misses (cache);
      if (g_getenv ("BRIEFING_TIMINGS"))
        fprintf (stderr, "cache: %u hits (%u from memory), %u misses\n", hits, bb_analysis_cache_memory_hits (cache),
                 misses);
      if (hits)
        progress (o, "analysed %u source%s (%u unchanged since the last build)", misses, misses == 1 ? "" : "s", hits);
    }
  progress (o, "found %u dated events and %u people", bb_chronology_len (chron), bb_people_len (people));
  const char *lang = book->config->lang;
  g->chronology = bb_chronology_section (chron, lang);
  g->attendees = bb_people_attendees_section (people, lang);
  g->index = bb_people_index_section (people, lang);
}

/* Composes the book; the sections move into it. */
static void
compose (BbBook *book, Generated *g, BbNode *whats_new)
{
  g_autoptr (GPtrArray) front = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  g_autoptr (GPtrArray) back = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  if (whats_new)
    g_ptr_array_add (front, whats_new);
  g_ptr_array_add (front, g_steal_pointer (&g->chronology));
  g_ptr_array_add (front, g_steal_pointer (&g->attendees));
  g_ptr_array_add (back, g_steal_pointer (&g->index));
  bb_compose (book, front, back);
}

/* The entries of the sources that were read are written to the analysis
 * cache's folder as temporaries on a thread of its own while the book is
 * laid out and drawn (at 1,000 sources, 0.3 s of small files that used to
 * be written after the book, on one core); once the book is published
 * they are renamed into place, and a build that fails removes them
 * (bb_analysis_cache_stage).  The thread is joined before run_build
 * returns, whichever way: CacheWrite's cleanup joins it and removes what
 * was not committed. */
typedef struct {
  GThread *thread;
  BbAnalysisCache *cache;
  gboolean committed;
} CacheWrite;

static gpointer
cache_write_run (gpointer data)
{
  CacheWrite *w = data;
  /* a failure here is met again by the commit, which says it */
  bb_analysis_cache_stage (w->cache, NULL);
  return NULL;
}

static void
cache_write_start (CacheWrite *w, BbAnalysisCache *cache)
{
  w->cache = cache;
  w->thread = g_thread_try_new ("briefing-cache", cache_write_run, w, NULL);
}

static void
cache_write_join (CacheWrite *w)
{
  if (w->thread)
    g_thread_join (g_steal_pointer (&w->thread));
}

static void
cache_write_clear (CacheWrite *w)
{
  cache_write_join (w);
  if (w->cache && !w->committed)
    bb_analysis_cache_abort (w->cache);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CacheWrite, cache_write_clear)

/* Keeps the analysis for the next build.  A cache that cannot be written
 * only makes the next build slower: said, but no failure. */
static void
save_cache (BbAnalysisCache *cache, const Options *o)
{
  g_autoptr (GError) err = NULL;
  if (!bb_analysis_cache_commit (cache, &err))
    progress (o, "analysis not kept for the next build: %s", err->message);
}

/* What shapes the output besides the sources: a change makes a new edition. */
static char *
settings_fingerprint (const BbBook *book, const BbLayout *layout, gboolean pdf, gboolean epub)
{
  g_autofree char *ini = g_build_filename (book->dir, "book.ini", NULL);
  g_autofree char *data = NULL;
  g_file_get_contents (ini, &data, NULL, NULL);
  return g_strdup_printf ("%s\nlayout=%s\npdf=%d\nepub=%d\n", data ? data : "", layout->name, pdf, epub);
}

static gboolean
parse_formats (const Options *o, gboolean *pdf, gboolean *epub)
{
  *pdf = *epub = FALSE;
  g_auto (GStrv) fmts = g_strsplit (o->format ? o->format : "pdf,epub", ",", -1);
  for (int i = 0; fmts[i]; i++)
    {
      g_strstrip (fmts[i]);
      if (g_ascii_strcasecmp (fmts[i], "pdf") == 0)
        *pdf = TRUE;
      else if (g_ascii_strcasecmp (fmts[i], "epub") == 0)
        *epub = TRUE;
      else
        {
          fprintf (stderr, "briefing: unknown format '%s' (use pdf, epub or pdf,epub)\n%s", fmts[i], usage_text);
          return FALSE;
        }
    }
  return *pdf || *epub;
}

static int
fail (BbDiag *diag, GError *err)
{
  if (err)
    bb_diag_error (diag, NULL, 0, "%s", err->message);
  return finish (diag, 0, EXIT_FAILED);
}

/* As fail, for an error met while the book's files are written: they are
 * written under temporary names, which the message should not show. */
static int
fail_publishing (BbDiag *diag, const BbPublish *pub, GError *err)
{
  bb_publish_name_finals (pub, err);
  return fail (diag, err);
}

/* When the current edition is unchanged but a current file went missing,
 * it comes back from the edition's own copy: the same bytes. */
static gboolean
restore_from_edition (const char *outdir, guint number, const char *name)
{
  g_autofree char *final = g_build_filename (outdir, name, NULL);
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *num = g_strdup_printf ("%u", number);
  g_autofree char *kept = g_build_filename (outdir, "editions", num, name, NULL);
  if (!g_file_test (kept, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  g_autoptr (BbPublish) pub = bb_publish_new (outdir, NULL);
  return pub && bb_publish_add_file (pub, name, kept, NULL) && bb_publish_commit (pub, NULL);
}

/* One build of dir into o->outdir: an edition when anything changed. */
/* Writing the EPUB, on the calling thread or another (run_build). */
typedef struct {
  const BbBook *book;
  const BbPageMap *map;
  const char *path;
  GBytes *cover;   /* drawn before the thread starts: Pango is not used on two threads at once */
  GError *error;
  double seconds;
  gboolean ok;
} EpubJob;

static gpointer
epub_job_run (gpointer user)
{
  EpubJob *job = user;
  gint64 t0 = g_get_monotonic_time ();
  job->ok = bb_epub_write (job->book, job->map, job->cover, job->path, &job->error);
  job->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return NULL;
}

/* When the EPUB thread starts.  A big book's PDF lets go of each page's
 * glyph runs once drawn (bb_typeset_page_drawn): started halfway through, the
 * EPUB (about a sixth of the drawing time at 5,000 pages) still ends before
 * the PDF, and the peak memory holds half the glyph runs rather than all.
 * A book under EPUB_LATE_PAGES pages starts it at once: there the EPUB takes
 * as long as drawing; so does `briefing watch` (run_build says why). */
#define EPUB_LATE_PAGES 1000

typedef struct {
  EpubJob *job;
  GThread *thread;
  gboolean wanted;
} EpubStart;

static void
epub_start (EpubStart *s)
{
  if (s->wanted && !s->thread)
    {
      /* The cover is laid out here, on the thread that draws the PDF: its
       * running heads and cover are laid out while it draws, and two
       * threads that lay out text at once can damage each other's font
       * metrics (paginate.c).  On failure the EPUB thread reports it. */
      if (!s->job->cover)
        s->job->cover = bb_epub_draw_cover (s->job->book, NULL);
      release_memory (); /* the EPUB thread's allocations come from its own arena */
      s->thread = g_thread_try_new ("briefing-epub", epub_job_run, s->job, NULL);
    }
}

static void
epub_start_halfway (guint i, guint n, gpointer data)
{
  if (i + 1 >= n / 2)
    epub_start (data);
}

/* A build that is not kept for the next (`briefing build`, not watch) is
 * followed by the exit: its book and typeset, hundreds of thousands of
 * small blocks at 1,000 sources (0.2 s to free one by one), are left to
 * it, parked where they stay reachable.  A later build in the same process
 * frees what the one before parked. */
static BbBook *parked_book;
static BbTypeset *parked_ts;

static void
park (BbBook **book, BbTypeset **ts)
{
  g_clear_pointer (&parked_ts, bb_typeset_free);
  g_clear_pointer (&parked_book, bb_book_free);
  parked_ts = g_steal_pointer (ts);
  parked_book = g_steal_pointer (book);
}

static int
run_build (const char *dir, const Options *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  gboolean want_pdf, want_epub;
  if (!parse_formats (o, &want_pdf, &want_epub))
    return EXIT_USAGE;
  const char *outdir = o->outdir ? o->outdir : "out";
  g_autoptr (GError) err = NULL;
  Timer timer = timer_start ();
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (!book)
    return finish (diag, 0, EXIT_FAILED);
  timer_mark (&timer, "load");
  const char *lname = o->layout ? o->layout : book->config->layout;
  /* A layout asked for on the command line must exist; a bad one in
   * book.ini is the settings' problem: warn and build in A4. */
  g_autoptr (BbDiag) ldiag = bb_diag_new ();
  g_autoptr (BbLayout) layout = bb_layout_load (lname, ldiag);
  if (!layout && !o->layout && !g_str_equal (lname, "a4"))
    {
      g_autofree char *ini = g_build_filename (dir, "book.ini", NULL);
      const BbDiagEntry *why = bb_diag_len (ldiag) ? bb_diag_get (ldiag, bb_diag_len (ldiag) - 1) : NULL;
      bb_diag_warn (diag, ini, 0, "%s; using a4", why ? why->message : "layout not available");
      g_clear_pointer (&ldiag, bb_diag_free);
      ldiag = bb_diag_new ();
      layout = bb_layout_load ("a4", ldiag);
    }
  for (guint i = 0; i < bb_diag_len (ldiag); i++)
    {
      const BbDiagEntry *e = bb_diag_get (ldiag, i);
      bb_diag_add (diag, e->level, e->file, e->line, "%s", e->message);
    }
  if (!layout || !bb_fonts_check (diag))
    return finish (diag, 0, EXIT_FAILED);

  /* One build of an output folder at a time, from here to the last rename. */
  int lock = bb_publish_lock (outdir, 600, &err);
  if (lock < 0)
    return fail (diag, err);
  bb_publish_sweep (outdir);
  g_auto (Generated) gen = { 0 };
  /* each source's analysis, kept for the next build once this one is done
   * (a failed build writes nothing) */
  g_autofree char *cache_dir = g_build_filename (outdir, ".cache", "analysis", NULL);
  g_autoptr (BbAnalysisCache) cache = bb_analysis_cache_new (cache_dir);
  if (o->memory)
    bb_analysis_cache_use_memory (cache, o->memory);
  analyse (book, diag, o, cache, &gen);
  release_memory ();
  timer_mark (&timer, "analyse");

  g_autofree char *settings = settings_fingerprint (book, layout, want_pdf, want_epub);
  g_autoptr (BbEdition) prev = bb_edition_load (outdir, diag);
  g_autoptr (BbEdition) cur = bb_edition_new (book, settings, gen.chronology, gen.attendees);
  bb_edition_follow (cur, prev, book->date);
  g_autofree char *slug = book_slug (book);
  g_autofree char *pdf_name = g_strconcat (slug, ".pdf", NULL);
  g_autofree char *epub_name = g_strconcat (slug, ".epub", NULL);
  if (prev && bb_edition_same (cur, prev)
      && (!want_pdf || restore_from_edition (outdir, bb_edition_number (prev), pdf_name))
      && (!want_epub || restore_from_edition (outdir, bb_edition_number (prev), epub_name)))
    {
      save_cache (cache, o);
      bb_diag_print (diag, 0);
      progress (o, "no change since edition %u; %s is current", bb_edition_number (prev), outdir);
      close (lock);
      return EXIT_BUILT;
    }
  g_auto (CacheWrite) cache_write = { 0 };
  cache_write_start (&cache_write, cache);
  g_free (book->edition);
  book->edition = g_strdup_printf ("%u", bb_edition_number (cur));
  book->date = bb_edition_date (cur);
  BbNode *whats_new = NULL;
  if (prev && bb_edition_number (cur) > bb_edition_number (prev))
    {
      whats_new = bb_edition_whats_new (cur, prev, book);
      bb_edition_mark_new (prev, gen.chronology);
      bb_edition_mark_new (prev, gen.attendees);
    }
  compose (book, &gen, whats_new);
  timer_mark (&timer, "compose");

  /* watch keeps the typeset, and with it the layout of every block that
   * has not changed since the last edition */
  g_autoptr (BbTypeset) ts = NULL;
  if (o->keep && *o->keep && bb_typeset_reuse (*o->keep, layout, diag))
    ts = g_steal_pointer (o->keep);
  else
    ts = bb_typeset_new (book, layout, diag);
  if (!ts)
    return finish (diag, 0, EXIT_FAILED);
  bb_typeset_keep_glyphs (ts, o->keep != NULL); /* watch draws them again */
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  if (timer.on)
    {
      guint reused, blocks;
      bb_typeset_reused (ts, &reused, &blocks);
      fprintf (stderr, "layout: %u of %u blocks from the last build\n", reused, blocks);
      BbShapeStats st;
      bb_shape_stats (&st);
      fprintf (stderr, "shaping: %" G_GUINT64_FORMAT " calls, %" G_GUINT64_FORMAT " characters, %.1f%% from the word cache (%" G_GUINT64_FORMAT " words kept)\n",
               st.calls, st.chars, st.chars ? 100.0 * (double) st.cached_chars / (double) st.chars : 0.0, st.words);
    }
  /* the shaping is done but for running heads: no later build reuses the
   * words (watch does), and no other thread shapes now */
  if (!o->keep)
    {
      guint64 gone = bb_shape_forget ();
      if (timer.on)
        fprintf (stderr, "shaping: %" G_GUINT64_FORMAT " words let go before drawing\n", gone);
    }
  release_memory ();
  timer_mark (&timer, "layout");
  progress (o, "laid out %u pages (%s)", bb_typeset_n_pages (ts), layout->name);

  g_autoptr (BbPublish) pub = bb_publish_new (outdir, &err);
  if (!pub)
    return fail_publishing (diag, pub, err);
  /* The EPUB cites the print pages, so the PDF is laid out either way. */
  g_autofree char *edir = g_strdup_printf ("editions/%u", bb_edition_number (cur));
  /* The EPUB is written on a thread of its own while the PDF is drawn
   * (EpubStart): it only reads the tree and the page map, which nothing
   * changes any more (the PDF reads them too: the writer must not change
   * them even for a moment), and gets its cover already drawn.  The
   * threads-tsan test (tests/threads) holds it to that. */
  const char *pdf_tmp = want_pdf ? bb_publish_reserve (pub, pdf_name, &err) : NULL;
  if (want_pdf && !pdf_tmp)
    return fail_publishing (diag, pub, err);
  EpubJob job = { book, map, want_epub ? bb_publish_reserve (pub, epub_name, &err) : NULL, NULL, NULL, 0, FALSE };
  if (want_epub && !job.path)
    return fail_publishing (diag, pub, err);
  /* the PDF's copy in the edition's folder is written with it */
  g_autofree char *pdf_copy_name = g_build_filename (edir, pdf_name, NULL);
  const char *pdf_copy = want_pdf ? bb_publish_reserve (pub, pdf_copy_name, &err) : NULL;
  if (want_pdf && !pdf_copy)
    return fail_publishing (diag, pub, err);
  EpubStart start = { &job, NULL, want_epub && want_pdf && bb_parallel_threads () > 1 };
  /* watch keeps every glyph run for the next build (bb_typeset_keep_glyphs),
   * so waiting saves no memory there; and a rebuild draws only the runs
   * that changed, mostly the front matter, so that halfway through the
   * runs comes near the end of the drawing, and the EPUB would be left to
   * finish alone (0.8 s of a 6 s rebuild at 1,000 sources) */
  if (bb_typeset_n_pages (ts) < EPUB_LATE_PAGES || o->keep)
    epub_start (&start);
  gboolean pdf_ok = !want_pdf || bb_pdf_write (book, ts, pdf_tmp, pdf_copy, epub_start_halfway, &start, &err);
  GThread *epub_thread = start.thread;
  if (want_pdf && pdf_ok)
    {
      release_memory (); /* what Cairo let go after writing the pages */
      if (timer.on)
        fprintf (stderr, "numbers: %" G_GUINT64_FORMAT " formatted without printf\n", bb_numfmt_count ());
      timer_mark (&timer, "draw");
    }
  if (epub_thread)
    g_thread_join (epub_thread);
  else if (want_epub && pdf_ok)
    epub_job_run (&job);
  g_clear_pointer (&job.cover, g_bytes_unref);
  if (!pdf_ok)
    return fail_publishing (diag, pub, err);
  if (!job.ok && want_epub)
    {
      err = g_steal_pointer (&job.error);
      return fail_publishing (diag, pub, err);
    }
  if (want_epub && timer.on)
    fprintf (stderr, "timing: epub %.3f (%s)\n", job.seconds, epub_thread ? "beside the PDF" : "after the PDF");
  timer.t0 = g_get_monotonic_time ();
  /* the books are the first files reserved (PDF, then EPUB); the EPUB
   * gets its copy in the edition's folder now, the PDF has had its own */
  guint n = (want_pdf ? 1 : 0) + (want_epub ? 1 : 0);
  if (want_epub && !bb_publish_copy (pub, n - 1, edir, &err))
    return fail_publishing (diag, pub, err);
  g_autofree char *manifest = bb_edition_serialize (cur);
  g_autofree char *kept_manifest = g_build_filename (edir, "manifest.tsv", NULL);
  /* the manifest last: until it is renamed, the folder still says the
   * previous edition, and a rerun redoes this one */
  if (!bb_publish_write (pub, kept_manifest, manifest, strlen (manifest), &err)
      || !bb_publish_write (pub, "manifest.tsv", manifest, strlen (manifest), &err)
      || !bb_publish_commit (pub, &err))
    return fail_publishing (diag, pub, err);
  cache_write_join (&cache_write);
  cache_write.committed = TRUE;
  save_cache (cache, o);
  close (lock);
  if (o->keep)
    {
      g_clear_pointer (o->keep, bb_typeset_free);
      *o->keep = g_steal_pointer (&ts);
    }
  bb_diag_print (diag, 0);
  progress (o, "edition %u of %s", bb_edition_number (cur), book->config->title);
  for (guint i = 0; i < n; i++)
    progress (o, "wrote %s", bb_publish_final_path (pub, i));
  if (!o->keep)
    park (&book, &ts);
  return EXIT_BUILT;
}

static int
cmd_build (const char *dir, Options *o)
{
  return run_build (dir, o);
}

/* briefing watch: rebuild when a source is added, changed or removed.
 * Events come in bursts (an editor writes a temporary file, renames it, and
 * touches the folder), so a rebuild waits until the folder has been quiet
 * for a moment. */
typedef struct {
  const char *dir;
  const Options *o;
  guint timeout;
  GMainLoop *loop;
  GPtrArray *changed;   /* names seen since the last build */
} Watch;

#define WATCH_QUIET_MS 600

static gboolean
watch_rebuild (gpointer data)
{
  Watch *w = data;
  w->timeout = 0;
  GString *what = g_string_new (NULL);
  for (guint i = 0; i < w->changed->len; i++)
    g_string_append_printf (what, "%s%s", i ? ", " : "", (char *) w->changed->pdata[i]);
  fprintf (stderr, "briefing: changed: %s; rebuilding\n", what->str);
  g_string_free (what, TRUE);
  g_ptr_array_set_size (w->changed, 0);
  int status = run_build (w->dir, w->o);
  if (status != EXIT_BUILT)
    fprintf (stderr, "briefing: the book could not be built; the previous edition stays in %s\n",
             w->o->outdir ? w->o->outdir : "out");
  fprintf (stderr, "briefing: watching %s (Ctrl-C to stop)\n", w->dir);
  return G_SOURCE_REMOVE;
}

static void
watch_event (GFileMonitor *mon, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data)
{
  Watch *w = data;
  if (ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED || ev == G_FILE_MONITOR_EVENT_PRE_UNMOUNT
      || ev == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;
  g_autofree char *name = g_file_get_basename (file);
  /* hidden and backup files are not sources (editors' temporaries) */
  if (!name || name[0] == '.' || g_str_has_suffix (name, "~"))
    return;
  gboolean seen = FALSE;
  for (guint i = 0; i < w->changed->len; i++)
    seen |= g_str_equal (w->changed->pdata[i], name);
  if (!seen)
    g_ptr_array_add (w->changed, g_strdup (name));
  if (w->timeout)
    g_source_remove (w->timeout);
  w->timeout = g_timeout_add (WATCH_QUIET_MS, watch_rebuild, w);
}

static gboolean
watch_stop (gpointer data)
{
  g_main_loop_quit (((Watch *) data)->loop);
  return G_SOURCE_REMOVE;
}

static int
cmd_watch (const char *dir, Options *o)
{
  /* Watch first, then build: a source dropped in during the first build
   * is seen and makes the next edition. */
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autoptr (GError) err = NULL;
  g_autoptr (GFileMonitor) mon = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &err);
  if (!mon)
    {
      fprintf (stderr, "%s: cannot watch: %s\n", dir, err->message);
      return EXIT_FAILED;
    }
  g_file_monitor_set_rate_limit (mon, 200);
  BbTypeset *kept = NULL;
  o->keep = &kept;
  o->memory = bb_analysis_memory_new ();
  Watch w = { dir, o, 0, g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func (g_free) };
  g_signal_connect (mon, "changed", G_CALLBACK (watch_event), &w);
  if (run_build (dir, o) == EXIT_USAGE)
    {
      g_main_loop_unref (w.loop);
      g_ptr_array_unref (w.changed);
      g_clear_pointer (&kept, bb_typeset_free);
      g_clear_pointer (&o->memory, bb_analysis_memory_free);
      return EXIT_USAGE;
    }
  g_unix_signal_add (SIGINT, watch_stop, &w);
  g_unix_signal_add (SIGTERM, watch_stop, &w);
  fprintf (stderr, "briefing: watching %s (Ctrl-C to stop)\n", dir);
  g_main_loop_run (w.loop);
  if (w.timeout)
    g_source_remove (w.timeout);
  g_main_loop_unref (w.loop);
  g_ptr_array_unref (w.changed);
  g_clear_pointer (&kept, bb_typeset_free);
  g_clear_pointer (&o->memory, bb_analysis_memory_free);
  o->keep = NULL;
  return EXIT_BUILT;
}

static int
cmd_check (const char *dir, Options *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (book)
    {
      /* loaded for what it reports: an unknown layout is an error */
      bb_layout_free (bb_layout_load (book->config->layout, diag));
      bb_fonts_check (diag);
    }
  bb_diag_print (diag, 0);
  guint errors = bb_diag_count (diag, BB_DIAG_ERROR), warnings = bb_diag_count (diag, BB_DIAG_WARNING);
  progress (o, "%u error%s, %u warning%s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  return book && errors == 0 ? EXIT_BUILT : EXIT_FAILED;
}

static int
cmd_table (const char *dir, Options *o, gboolean people)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (!book)
    return finish (diag, 0, EXIT_FAILED);
  GString *out = g_string_new (NULL);
  if (people)
    {
      g_autoptr (BbPeople) p = bb_people_extract (book->sources, book->dir, diag);
      if (o->json)
        bb_people_write_json (p, out);
      else
        bb_people_write_tsv (p, out);
    }
  else
    {
      g_autoptr (BbChronology) c = bb_chronology_extract (book->sources, book->dir, diag);
      if (o->json)
        bb_chronology_write_json (c, out);
      else
        bb_chronology_write_tsv (c, out);
    }
  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
  return finish (diag, 0, EXIT_BUILT);
}

static int
cmd_dump (const char *dir, Options *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (!book)
    return finish (diag, 0, EXIT_FAILED);
  g_auto (Generated) gen = { 0 };
  analyse (book, diag, o, NULL, &gen);
  compose (book, &gen, NULL);
  GString *out = g_string_new (NULL);
  bb_node_dump (book->tree, out);
  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
  return finish (diag, 0, EXIT_BUILT);
}

int
bb_cli_main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      fputs (usage_text, stderr);
      return EXIT_USAGE;
    }
  const char *cmd = argv[1];
  if (g_str_equal (cmd, "--help") || g_str_equal (cmd, "-h") || g_str_equal (cmd, "help"))
    {
      fputs (usage_text, stdout);
      fputs ("\n", stdout);
      fputs (help_text, stdout);
      return EXIT_BUILT;
    }
  if (g_str_equal (cmd, "--version"))
    {
      printf ("briefing %s\n", BB_VERSION);
      return EXIT_BUILT;
    }
  static const char *const commands[] = { "build", "check", "chronology", "people", "dump", "watch" };
  gboolean known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    known |= g_str_equal (cmd, commands[i]);
  if (!known)
    {
      fprintf (stderr, "briefing: unknown command '%s'\n%s", cmd, usage_text);
      return EXIT_USAGE;
    }
  Options o = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.outdir, "Output folder (default ./out)", "OUTDIR" },
    { "layout", 0, 0, G_OPTION_ARG_STRING, &o.layout, "Page layout from layouts/ (default from book.ini, else a4)", "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Formats to write (default pdf,epub)", "pdf,epub" },
    { "tsv", 0, 0, G_OPTION_ARG_NONE, &o.tsv, "Tab-separated output (default)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, "JSON output", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "No progress messages", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.rest, NULL, "[SOURCES]" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autofree char *param = g_strdup_printf ("%s [SOURCES]", cmd);
  g_autoptr (GOptionContext) ctx = g_option_context_new (param);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx, help_text);
  g_autoptr (GError) err = NULL;
  /* skip the command word */
  int sub_argc = argc - 1;
  char **sub_argv = argv + 1;
  if (!g_option_context_parse (ctx, &sub_argc, &sub_argv, &err))
    {
      fprintf (stderr, "briefing: %s\n%s", err->message, usage_text);
      options_clear (&o);
      return EXIT_USAGE;
    }
  if (o.rest && o.rest[0] && o.rest[1])
    {
      fprintf (stderr, "briefing: one SOURCES folder at a time (got '%s' and '%s')\n%s", o.rest[0], o.rest[1], usage_text);
      options_clear (&o);
      return EXIT_USAGE;
    }
  if (o.tsv && o.json)
    {
      fprintf (stderr, "briefing: --tsv and --json exclude each other\n%s", usage_text);
      options_clear (&o);
      return EXIT_USAGE;
    }
  const char *dir = o.rest && o.rest[0] ? o.rest[0] : "sources";
  int status;
  if (g_str_equal (cmd, "build"))
    status = cmd_build (dir, &o);
  else if (g_str_equal (cmd, "check"))
    status = cmd_check (dir, &o);
  else if (g_str_equal (cmd, "watch"))
    status = cmd_watch (dir, &o);
  else if (g_str_equal (cmd, "dump"))
    status = cmd_dump (dir, &o);
  else
    status = cmd_table (dir, &o, g_str_equal (cmd, "people"));
  options_clear (&o);
  return status;
}
