/* fonts.c — private fontconfig over fonts/. */
#include "fonts.h"
#include "layout.h"
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

static const char *const bundled[] = {
  "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf",
  "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf",
};

/* Bundled files fontconfig could not read (corrupt, not a font). */
static GPtrArray *unusable;
static FcConfig *private_config (void);

gboolean
bb_fonts_check (BbDiag *diag)
{
  gboolean ok = TRUE;
  private_config ();
  for (guint i = 0; unusable && i < unusable->len; i++)
    {
      bb_diag_error (diag, unusable->pdata[i], 0, "not a usable font file (damaged?); reinstall fonts/");
      ok = FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (bundled); i++)
    {
      g_autofree char *path = g_build_filename (bb_datadir (), "fonts", bundled[i], NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_access (path, R_OK) != 0)
        {
          bb_diag_error (diag, path, 0, "missing font file (the book uses only the bundled fonts)");
          ok = FALSE;
        }
    }
  return ok;
}

/* One configuration for the process: building it scans fonts/, which is the
 * slow part; font maps per thread share it (FcConfig is reference counted
 * and read-only once built). */
static FcConfig *
private_config (void)
{
  static gsize once = 0;
  static FcConfig *config = NULL;
  if (g_once_init_enter (&once))
    {
      FcConfig *c = FcConfigCreate ();
      /* File by file: a folder scan would want a writable cache. */
      for (guint i = 0; i < G_N_ELEMENTS (bundled); i++)
        {
          g_autofree char *path = g_build_filename (bb_datadir (), "fonts", bundled[i], NULL);
          if (g_file_test (path, G_FILE_TEST_EXISTS) && !FcConfigAppFontAddFile (c, (const FcChar8 *) path))
            {
              if (!unusable)
                unusable = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (unusable, g_strdup (path));
            }
        }
      FcFontSet *set = FcConfigGetFonts (c, FcSetApplication);
      if (!set || set->nfont == 0)
        {
          FcConfigDestroy (c);
          c = NULL;
        }
      config = c;
      g_once_init_leave (&once, 1);
    }
  return config;
}

/* Each thread's font map, made on first use and kept until the thread
 * ends: a Pango font map is not thread-safe, and making one is costly
 * (Pango starts a thread to initialise fontconfig for each), while its
 * caches of fonts and shaping data serve every later book. */
static GPrivate thread_fontmap = G_PRIVATE_INIT (g_object_unref);

PangoFontMap *
bb_fonts_new_fontmap (BbDiag *diag)
{
  PangoFontMap *fm = g_private_get (&thread_fontmap);
  if (!fm)
    {
      fm = bb_fonts_fresh_fontmap (diag);
      if (!fm)
        return NULL;
      g_private_set (&thread_fontmap, fm);
    }
  return g_object_ref (fm);
}

PangoFontMap *
bb_fonts_fresh_fontmap (BbDiag *diag)
{
  FcConfig *config = private_config ();
  if (!config)
    {
      g_autofree char *dir = g_build_filename (bb_datadir (), "fonts", NULL);
      bb_diag_error (diag, dir, 0, "no usable fonts in the bundled font folder");
      return NULL;
    }
  PangoFontMap *fm = pango_cairo_font_map_new_for_font_type (CAIRO_FONT_TYPE_FT);
  if (!fm)
    {
      bb_diag_error (diag, NULL, 0, "cannot create a font map");
      return NULL;
    }
  pango_fc_font_map_set_config (PANGO_FC_FONT_MAP (fm), config);
  return fm;
}
