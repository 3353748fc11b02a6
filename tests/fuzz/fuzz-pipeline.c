/* fuzz-pipeline.c — libFuzzer target for the whole book in memory: one to
 * three sources (and optionally book.ini) cut from the input, loaded,
 * analysed (chronology, people), composed, typeset with Pango, written as
 * an EPUB into memory, then read back as a reader would: libzip opens it,
 * `mimetype` must be entry 0 and stored, and every XHTML, OPF and NCX file
 * must parse with libxml2 in strict mode (no recovery, no network).
 *
 * Input: byte 0 holds flags (bits 0-1: number of sources - 1 (3 means 1),
 * bits 2-4: which sources are Markdown, bit 7: the first part is book.ini);
 * the parts follow, separated by 0xFF bytes (never valid UTF-8, so a
 * separator never hides inside well-formed text). */
#include "book.h"
#include "chronology.h"
#include "compose.h"
#include "epub.h"
#include "fuzz-common.h"
#include "layout.h"
#include "paginate.h"
#include "people.h"
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>
#include <zip.h>

/* libxml2 2.12 made the error const */
#if LIBXML_VERSION >= 21200
typedef const xmlError *XmlErrorArg;
#else
typedef xmlErrorPtr XmlErrorArg;
#endif

static void
xml_error (void *user, XmlErrorArg error)
{
  guint *errors = user;
  (*errors)++;
  fprintf (stderr, "libxml2: line %d: %s", error->line, error->message ? error->message : "?\n");
}

/* Parses one package file strictly; aborts on the first error. */
static void
check_xml (const char *name, const char *data, gsize len)
{
  guint errors = 0;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt ();
  FUZZ_CHECK (ctxt != NULL, "no parser context");
  xmlSetStructuredErrorFunc (&errors, xml_error);
  xmlDocPtr doc = xmlCtxtReadMemory (ctxt, data, (int) len, name, "UTF-8", XML_PARSE_NONET);
  xmlSetStructuredErrorFunc (NULL, NULL);
  gboolean ok = doc != NULL && ctxt->wellFormed && errors == 0;
  xmlFreeDoc (doc);
  xmlFreeParserCtxt (ctxt);
  if (!ok)
    fprintf (stderr, "----- %s -----\n%.*s\n-----\n", name, (int) MIN (len, 20000), data);
  FUZZ_CHECK (ok, "%s is not well-formed XML (%u errors)", name, errors);
}

static void
check_epub (GBytes *bytes)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  zip_error_t zerr;
  zip_error_init (&zerr);
  zip_source_t *zs = zip_source_buffer_create (data, len, 0, &zerr);
  FUZZ_CHECK (zs != NULL, "zip source: %s", zip_error_strerror (&zerr));
  zip_t *za = zip_open_from_source (zs, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  FUZZ_CHECK (za != NULL, "the EPUB is not a ZIP: %s", zip_error_strerror (&zerr));
  zip_int64_t n = zip_get_num_entries (za, 0);
  FUZZ_CHECK (n > 2, "%" G_GINT64_FORMAT " entries", (gint64) n);

  zip_stat_t st;
  FUZZ_CHECK (zip_stat_index (za, 0, 0, &st) == 0, "no entry 0");
  FUZZ_CHECK (g_strcmp0 (st.name, "mimetype") == 0, "entry 0 is '%s', not mimetype", st.name);
  FUZZ_CHECK (st.comp_method == ZIP_CM_STORE, "mimetype is compressed (method %d)", (int) st.comp_method);

  gboolean have_opf = FALSE, have_xhtml = FALSE;
  for (zip_int64_t i = 0; i < n; i++)
    {
      FUZZ_CHECK (zip_stat_index (za, (zip_uint64_t) i, 0, &st) == 0, "no stat for entry %d", (int) i);
      const char *name = st.name;
      gboolean xml = g_str_has_suffix (name, ".xhtml") || g_str_has_suffix (name, ".opf")
                     || g_str_has_suffix (name, ".ncx") || g_str_has_suffix (name, "container.xml");
      zip_file_t *zf = zip_fopen_index (za, (zip_uint64_t) i, 0);
      FUZZ_CHECK (zf != NULL, "cannot open entry %s", name);
      g_autofree char *buf = g_malloc (st.size + 1);
      zip_int64_t got = zip_fread (zf, buf, st.size);
      zip_fclose (zf);
      FUZZ_CHECK (got == (zip_int64_t) st.size, "short read of %s", name);
      buf[st.size] = 0;
      if (i == 0)
        FUZZ_CHECK (st.size == 20 && memcmp (buf, "application/epub+zip", 20) == 0, "wrong mimetype");
      if (xml)
        check_xml (name, buf, st.size);
      have_opf |= g_str_has_suffix (name, ".opf");
      have_xhtml |= g_str_has_suffix (name, ".xhtml");
    }
  FUZZ_CHECK (have_opf && have_xhtml, "no package document or no content");
  zip_close (za); /* read-only: discards, and frees the source */
}

static const BbLayout *
the_layout (void)
{
  static BbLayout *layout;
  if (!layout)
    {
      bb_epub_set_cover_width (64); /* see epub.c: the PNG would dominate */
      bb_epub_set_deflate_level (0); /* and so would deflating the fonts */
      g_autoptr (BbDiag) diag = bb_diag_new ();
      layout = bb_layout_load ("a4", diag);
      if (!layout)
        {
          bb_diag_print (diag, 0);
          abort ();
        }
    }
  return layout;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2 || size > 8 * 1024)
    return 0;
  guint8 flags = data[0];
  guint nsrc = (flags & 3) == 3 ? 1 : (flags & 3) + 1;
  gboolean with_ini = (flags & 0x80) != 0;

  /* cut the parts */
  const char *parts[4] = { 0 };
  gsize lens[4] = { 0 };
  guint nparts = 0, want = nsrc + (with_ini ? 1 : 0);
  const char *p = (const char *) data + 1, *end = (const char *) data + size;
  while (nparts < want)
    {
      const char *sep = memchr (p, 0xFF, (gsize) (end - p));
      if (nparts == want - 1 || !sep)
        sep = end;
      parts[nparts] = p;
      lens[nparts] = (gsize) (sep - p);
      nparts++;
      if (sep == end)
        break;
      p = sep + 1;
    }

  g_autoptr (BbDiag) diag = bb_diag_new ();
  g_autoptr (BbBook) book = g_new0 (BbBook, 1);
  book->dir = g_strdup ("fuzz");
  guint k = 0;
  if (with_ini)
    {
      book->config = bb_config_parse ("fuzz/book.ini", parts[0], lens[0], "fuzz", diag);
      k = 1;
    }
  else
    book->config = bb_config_parse ("fuzz/book.ini", "", 0, "fuzz", diag);
  if (!book->config)
    return 0;
  book->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_source_free);
  book->edition = g_strdup ("1");
  book->date = 1551398400;
  static const char *const names[] = { "fuzz/a-1.txt", "fuzz/b 2.txt", "fuzz/c&3.txt",
                                       "fuzz/a-1.md", "fuzz/b 2.md", "fuzz/c&3.md" };
  for (guint i = 0; k < nparts; i++, k++)
    {
      const char *name = names[i + (flags & (4u << i) ? 3 : 0)];
      g_autofree char *base = g_path_get_basename (name);
      BbSource *src = bb_source_parse (name, parts[k], lens[k],
                                       bb_config_source_meta (book->config, base), diag);
      if (src)
        g_ptr_array_add (book->sources, src);
    }
  if (book->sources->len == 0)
    return 0;

  /* the sequence of cli.c's analyse_and_compose */
  g_autoptr (BbChronology) chron = bb_chronology_extract (book->sources, book->dir, diag);
  g_autoptr (BbPeople) people = bb_people_extract (book->sources, book->dir, diag);
  g_autoptr (GPtrArray) front = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  g_autoptr (GPtrArray) back = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_node_free);
  const char *lang = book->config->lang;
  g_ptr_array_add (front, bb_chronology_section (chron, lang));
  g_ptr_array_add (front, bb_people_attendees_section (people, lang));
  g_ptr_array_add (back, bb_people_index_section (people, lang));
  bb_compose (book, front, back);
  FUZZ_CHECK (book->tree && book->tree->type == BB_NODE_BOOK, "no book tree");
  fuzz_check_tree (book->tree);

  g_autoptr (BbTypeset) ts = bb_typeset_new (book, the_layout (), diag);
  if (!ts)
    {
      bb_diag_print (diag, 0);
      FUZZ_CHECK (ts != NULL, "cannot typeset (bundled fonts missing?)");
    }
  g_autoptr (BbPageMap) map = bb_typeset_book (ts, book);
  FUZZ_CHECK (bb_typeset_n_pages (ts) > 0, "no pages");

  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) epub = bb_epub_write_bytes (book, map, NULL, &error);
  FUZZ_CHECK (epub != NULL, "EPUB not written: %s", error ? error->message : "?");
  check_epub (epub);
  return 0;
}
