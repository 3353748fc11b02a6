/* layout.c — page layouts from key files in layouts/.
 *
 * Missing keys fall back to the A4 defaults below, so a layout file only
 * says how it differs; a value that cannot be read is reported with its
 * line and the default is used.
 */
#include "layout.h"
#include "bb-build.h"
#include "text.h"   /* generated: BB_DATADIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
bb_datadir (void)
{
  const char *env = g_getenv ("BRIEFING_DATADIR");
  return env && *env ? env : BB_DATADIR;
}

static BbLayout *
layout_defaults (void)
{
  BbLayout *l = g_new0 (BbLayout, 1);
  l->name = g_strdup ("a4");
  l->width = 595.276;
  l->height = 841.89;
  l->margin_top = l->margin_bottom = l->margin_inner = 70.866;
  l->margin_outer = 62.362;
  l->header_gap = 25.5;
  l->footer_gap = 31.2;
  l->body_font = g_strdup ("Noto Serif");
  l->heading_font = g_strdup ("Noto Sans");
  l->body_size = 10.5;
  l->small_size = 8.5;
  l->title_size = 26;
  l->heading_size[0] = 17;
  l->heading_size[1] = 13;
  l->heading_size[2] = 11;
  l->leading = 1.38;
  l->paragraph_space = 5;
  l->text = (BbColour) { 0.1, 0.1, 0.1 };
  l->accent = (BbColour) { 0.12, 0.23, 0.37 };
  l->rule = (BbColour) { 0.54, 0.56, 0.6 };
  l->marking = (BbColour) { 0.61, 0.11, 0.11 };
  l->header_left = g_strdup ("{book}");
  l->header_right = g_strdup ("{chapter}");
  l->footer_center = g_strdup ("{page}");
  l->marking_top = g_strdup ("{marking}");
  l->marking_bottom = g_strdup ("{marking}");
  return l;
}

void
bb_layout_free (BbLayout *l)
{
  if (!l)
    return;
  g_free (l->name);
  g_free (l->body_font);
  g_free (l->heading_font);
  g_free (l->header_left);
  g_free (l->header_right);
  g_free (l->footer_center);
  g_free (l->marking_top);
  g_free (l->marking_bottom);
  g_free (l);
}

/* Finds the 1-based line of "key" inside "[group]" for messages; 0 if not found. */
static int
key_line (const char *data, gsize len, const char *group, const char *key)
{
  g_autofree char *text = g_strndup (data, len);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in = FALSE;
  gsize klen = strlen (key);
  for (int i = 0; lines[i]; i++)
    {
      const char *s = lines[i];
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '[')
        {
          const char *end = strchr (s, ']');
          in = end && (gsize) (end - s - 1) == strlen (group) && strncmp (s + 1, group, strlen (group)) == 0;
        }
      else if (in && strncmp (s, key, klen) == 0 && (s[klen] == '=' || s[klen] == ' '))
        return i + 1;
    }
  return 0;
}

typedef struct {
  GKeyFile *kf;
  const char *path, *data;
  gsize len;
  BbDiag *diag;
} Reader;

/* Reads a length: plain number = points; units pt, mm, cm, in. */
static void
read_length (Reader *r, const char *group, const char *key, double *out)
{
  g_autofree char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (!v)
    return;
  g_strstrip (v);
  char *end = NULL;
  double x = g_ascii_strtod (v, &end);
  double scale = 1;
  if (end && *end)
    {
      if (g_str_equal (end, "mm"))
        scale = 72.0 / 25.4;
      else if (g_str_equal (end, "cm"))
        scale = 72.0 / 2.54;
      else if (g_str_equal (end, "in"))
        scale = 72.0;
      else if (g_str_equal (end, "pt"))
        scale = 1;
      else
        scale = -1;
    }
  if (end == v || scale < 0 || !(x >= 0) || x * scale > 10000)
    {
      bb_diag_warn (r->diag, r->path, key_line (r->data, r->len, group, key),
                    "'%s' is not a length (use pt, mm, cm or in); keeping the default", v);
      return;
    }
  *out = x * scale;
}

static void
read_number (Reader *r, const char *group, const char *key, double *out, double lo, double hi)
{
  g_autofree char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (!v)
    return;
  char *end = NULL;
  g_strstrip (v);
  double x = g_ascii_strtod (v, &end);
  if (end == v || *end || !(x >= lo && x <= hi))
    {
      bb_diag_warn (r->diag, r->path, key_line (r->data, r->len, group, key),
                    "'%s' for %s is not a number between %g and %g; keeping the default", v, key, lo, hi);
      return;
    }
  *out = x;
}

static void
read_string (Reader *r, const char *group, const char *key, char **out)
{
  g_autofree char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (!v)
    return;
  g_free (*out);
  *out = bb_text_scrub (v);
}

/* A font family: a non-empty name without control characters, else the
 * default stays (an empty family would let fontconfig pick any font). */
static void
read_family (Reader *r, const char *group, const char *key, char **out)
{
  g_autofree char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (!v)
    return;
  g_strstrip (v);
  g_autofree char *clean = bb_text_scrub (v);
  if (!*v || !g_str_equal (clean, v) || strchr (v, ','))
    {
      bb_diag_warn (r->diag, r->path, key_line (r->data, r->len, group, key),
                    "'%s' is not a font family name; keeping %s", clean, *out);
      return;
    }
  g_free (*out);
  *out = g_steal_pointer (&v);
}

static void
read_colour (Reader *r, const char *group, const char *key, BbColour *out)
{
  g_autofree char *v = g_key_file_get_string (r->kf, group, key, NULL);
  if (!v)
    return;
  g_strstrip (v);
  unsigned int rgb;
  char tail;
  if (v[0] == '#' && strlen (v) == 7 && sscanf (v + 1, "%6x%c", &rgb, &tail) == 1)
    {
      out->r = ((rgb >> 16) & 0xff) / 255.0;
      out->g = ((rgb >> 8) & 0xff) / 255.0;
      out->b = (rgb & 0xff) / 255.0;
      return;
    }
  bb_diag_warn (r->diag, r->path, key_line (r->data, r->len, group, key),
                "'%s' is not a colour (#rrggbb); keeping the default", v);
}

BbLayout *
bb_layout_parse (const char *path, const char *data, gsize len, BbDiag *diag)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) err = NULL;
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, &err))
    {
      bb_diag_error (diag, path, 0, "cannot read layout: %s", err->message);
      return NULL;
    }
  BbLayout *l = layout_defaults ();
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  if (dot)
    *dot = 0;
  g_free (l->name);
  l->name = g_strdup (base);
  Reader r = { kf, path, data, len, diag };
  read_length (&r, "page", "width", &l->width);
  read_length (&r, "page", "height", &l->height);
  read_length (&r, "page", "margin-top", &l->margin_top);
  read_length (&r, "page", "margin-bottom", &l->margin_bottom);
  read_length (&r, "page", "margin-inner", &l->margin_inner);
  read_length (&r, "page", "margin-outer", &l->margin_outer);
  read_length (&r, "page", "header-gap", &l->header_gap);
  read_length (&r, "page", "footer-gap", &l->footer_gap);
  read_family (&r, "fonts", "body", &l->body_font);
  read_family (&r, "fonts", "heading", &l->heading_font);
  read_number (&r, "fonts", "body-size", &l->body_size, 4, 72);
  read_number (&r, "fonts", "small-size", &l->small_size, 4, 72);
  read_number (&r, "fonts", "title-size", &l->title_size, 4, 144);
  read_number (&r, "fonts", "heading-size-1", &l->heading_size[0], 4, 96);
  read_number (&r, "fonts", "heading-size-2", &l->heading_size[1], 4, 96);
  read_number (&r, "fonts", "heading-size-3", &l->heading_size[2], 4, 96);
  read_number (&r, "fonts", "leading", &l->leading, 0.8, 4);
  read_number (&r, "fonts", "paragraph-space", &l->paragraph_space, 0, 72);
  read_colour (&r, "colours", "text", &l->text);
  read_colour (&r, "colours", "accent", &l->accent);
  read_colour (&r, "colours", "rule", &l->rule);
  read_colour (&r, "colours", "marking", &l->marking);
  read_string (&r, "running", "header-left", &l->header_left);
  read_string (&r, "running", "header-right", &l->header_right);
  read_string (&r, "running", "footer-center", &l->footer_center);
  read_string (&r, "running", "marking-top", &l->marking_top);
  read_string (&r, "running", "marking-bottom", &l->marking_bottom);

  /* The text block must keep a sane size whatever the file says. */
  double tw = l->width - l->margin_inner - l->margin_outer;
  double th = l->height - l->margin_top - l->margin_bottom;
  if (l->width < 144 || l->height < 144 || tw < 72 || th < 144)
    {
      bb_diag_error (diag, path, 0, "page too small for its margins (text block %.0f × %.0f pt)", tw, th);
      bb_layout_free (l);
      return NULL;
    }
  return l;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

BbLayout *
bb_layout_load (const char *name, BbDiag *diag)
{
  if (!name || !*name || strchr (name, '/') || name[0] == '.')
    {
      bb_diag_error (diag, NULL, 0, "'%s' is not a layout name", name ? name : "");
      return NULL;
    }
  g_autofree char *dir = g_build_filename (bb_datadir (), "layouts", NULL);
  g_autofree char *file = g_strconcat (name, ".ini", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      /* List what there is so the user can pick. */
      GString *avail = g_string_new (NULL);
      g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *e;
      while (d && (e = g_dir_read_name (d)))
        if (g_str_has_suffix (e, ".ini"))
          g_ptr_array_add (names, g_strndup (e, strlen (e) - 4));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (avail, "%s%s", i ? ", " : "", (char *) names->pdata[i]);
      bb_diag_error (diag, NULL, 0, "unknown layout '%s' (available: %s)", name,
                     avail->len ? avail->str : "none found in layouts/");
      g_string_free (avail, TRUE);
      return NULL;
    }
  return bb_layout_parse (path, data, len, diag);
}
