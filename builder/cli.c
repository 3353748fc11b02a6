/* cli.c — subcommands: build, check, chronology, people, dump.
 *
 * Messages go to stderr as "file:line: level: message"; progress lines
 * ("briefing: …") too, so stdout carries only what a subcommand prints
 * (TSV, JSON, dumps).  Exit status: 0 done, 1 the book could not be made,
 * 2 usage error.
 */
#include "cli.h"
#include "bb-build.h"
#include "book.h"
#include "chronology.h"
#include "compose.h"
#include "epub.h"
#include "fonts.h"
#include "layout.h"
#include "paginate.h"
#include "pdf.h"
#include "people.h"
#include "publish.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>

enum { EXIT_BUILT = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
  "usage: briefing build [SOURCES] [-o OUTDIR] [--layout NAME] [--format pdf,epub] [-q]\n"
  "       briefing check [SOURCES]\n"
  "       briefing chronology [SOURCES] [--tsv | --json]\n"
  "       briefing people [SOURCES] [--tsv | --json]\n"
  "       briefing dump [SOURCES]\n"
  "       briefing --help | --version\n";

static const char help_text[] =
  "briefing builds a briefing book from a folder of source documents.\n"
  "\n"
  "Commands:\n"
  "  build       typeset the book: OUTDIR/<title>.pdf (and .epub)\n"
  "  check       read the sources and report problems; writes nothing\n"
  "  chronology  print the generated chronology (TSV: date, sources, event)\n"
  "  people      print the generated people table (TSV: name, title, affiliation, role, sources)\n"
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

/* Runs the analyses and composes the book with their sections. */
static void
analyse_and_compose (BbBook *book, BbDiag *diag, const Options *o)
{
  g_autoptr (BbChronology) chron = bb_chronology_extract (book->sources, book->dir, diag);
  g_autoptr (BbPeople) people = bb_people_extract (book->sources, book->dir, diag);
  progress (o, "found %u dated events and %u people", bb_chronology_len (chron), bb_people_len (people));
  g_autoptr (GPtrArray) front = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  g_autoptr (GPtrArray) back = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  const char *lang = book->config->lang;
  g_ptr_array_add (front, bb_chronology_section (chron, lang));
  g_ptr_array_add (front, bb_people_attendees_section (people, lang));
  g_ptr_array_add (back, bb_people_index_section (people, lang));
  bb_compose (book, front, back);
}

static int
cmd_build (const char *dir, Options *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  gboolean want_pdf = FALSE, want_epub = FALSE;
  g_auto (GStrv) fmts = g_strsplit (o->format ? o->format : "pdf,epub", ",", -1);
  for (int i = 0; fmts[i]; i++)
    {
      g_strstrip (fmts[i]);
      if (g_ascii_strcasecmp (fmts[i], "pdf") == 0)
        want_pdf = TRUE;
      else if (g_ascii_strcasecmp (fmts[i], "epub") == 0)
        want_epub = TRUE;
      else
        {
          fprintf (stderr, "briefing: unknown format '%s' (use pdf, epub or pdf,epub)\n%s", fmts[i], usage_text);
          return EXIT_USAGE;
        }
    }
  /* The EPUB cites the print pages, so the PDF is always laid out. */
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (!book)
    return finish (diag, 0, EXIT_FAILED);
  const char *lname = o->layout ? o->layout : book->config->layout;
  g_autoptr (BbLayout) layout = bb_layout_load (lname, diag);
  if (!layout && !o->layout)
    {
      /* a bad layout in book.ini is the settings' problem: build in A4 */
      g_autofree char *ini = g_build_filename (dir, "book.ini", NULL);
      bb_diag_warn (diag, ini, 0, "layout '%s' is not available; using a4", lname);
      layout = bb_layout_load ("a4", diag);
    }
  if (!layout || !bb_fonts_check (diag))
    return finish (diag, 0, EXIT_FAILED);

  analyse_and_compose (book, diag, o);
  g_autoptr (BbTypeset) ts = bb_typeset_new (book, layout, diag);
  if (!ts)
    return finish (diag, 0, EXIT_FAILED);
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  progress (o, "laid out %u pages (%s)", bb_typeset_n_pages (ts), layout->name);

  g_autoptr (GError) err = NULL;
  g_autoptr (BbPublish) pub = bb_publish_new (o->outdir ? o->outdir : "out", &err);
  if (!pub)
    {
      bb_diag_error (diag, NULL, 0, "%s", err->message);
      return finish (diag, 0, EXIT_FAILED);
    }
  g_autofree char *slug = book_slug (book);
  g_autofree char *pdf_name = g_strconcat (slug, ".pdf", NULL);
  if (want_pdf)
    {
      const char *tmp = bb_publish_reserve (pub, pdf_name, &err);
      if (!tmp || !bb_pdf_write (book, ts, tmp, &err))
        {
          bb_diag_error (diag, NULL, 0, "%s", err->message);
          return finish (diag, 0, EXIT_FAILED);
        }
    }
  if (want_epub)
    {
      g_autofree char *epub_name = g_strconcat (slug, ".epub", NULL);
      const char *tmp = bb_publish_reserve (pub, epub_name, &err);
      if (!tmp || !bb_epub_write (book, map, tmp, &err))
        {
          bb_diag_error (diag, NULL, 0, "%s", err->message);
          return finish (diag, 0, EXIT_FAILED);
        }
    }
  if (!bb_publish_commit (pub, &err))
    {
      bb_diag_error (diag, NULL, 0, "%s", err->message);
      return finish (diag, 0, EXIT_FAILED);
    }
  bb_diag_print (diag, 0);
  for (guint i = 0; bb_publish_final_path (pub, i); i++)
    progress (o, "wrote %s", bb_publish_final_path (pub, i));
  return EXIT_BUILT;
}

static int
cmd_check (const char *dir, Options *o)
{
  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbBook) book = load_book (dir, diag, o);
  if (book)
    {
      g_autoptr (BbLayout) layout = bb_layout_load (book->config->layout, diag);
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
  analyse_and_compose (book, diag, o);
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
  static const char *const commands[] = { "build", "check", "chronology", "people", "dump" };
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
    { NULL },
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
  else if (g_str_equal (cmd, "dump"))
    status = cmd_dump (dir, &o);
  else
    status = cmd_table (dir, &o, g_str_equal (cmd, "people"));
  options_clear (&o);
  return status;
}
