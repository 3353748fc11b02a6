/* config.c — book.ini. */
#include "config.h"
#include "text.h"
#include <string.h>

static void
meta_free (gpointer p)
{
  BbSourceMeta *m = p;
  g_free (m->title);
  g_free (m->publisher);
  g_free (m->lang);
  g_free (m->date);
  g_free (m);
}

void
bb_config_free (BbConfig *cfg)
{
  if (!cfg)
    return;
  g_free (cfg->title);
  g_free (cfg->subtitle);
  g_free (cfg->marking);
  g_free (cfg->lang);
  g_free (cfg->layout);
  g_free (cfg->author);
  g_free (cfg->publisher);
  g_hash_table_unref (cfg->sources);
  g_free (cfg);
}

static BbConfig *
config_defaults (const char *dir_name)
{
  BbConfig *c = g_new0 (BbConfig, 1);
  /* Book title from the folder name: "hanoi_summit" → "Hanoi summit". */
  g_autofree char *t = g_utf8_make_valid (dir_name && *dir_name ? dir_name : "Briefing book", -1);
  g_autofree char *scrubbed = bb_text_scrub (t);
  g_free (t);
  t = g_steal_pointer (&scrubbed);
  g_strdelimit (t, "_", ' ');
  if (g_utf8_validate (t, -1, NULL) && *t)
    {
      gunichar first = g_unichar_toupper (g_utf8_get_char (t));
      GString *s = g_string_new (NULL);
      g_string_append_unichar (s, first);
      g_string_append (s, g_utf8_next_char (t));
      c->title = g_string_free (s, FALSE);
    }
  else
    c->title = g_strdup ("Briefing book");
  c->marking = g_strdup ("UNCLASSIFIED");
  c->lang = g_strdup ("en");
  c->layout = g_strdup ("a4");
  c->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, meta_free);
  return c;
}

/* Line of a group header or key, for messages; 0 when not found. */
static int
find_line (const char *data, gsize len, const char *group, const char *key)
{
  int line = 1;
  gboolean in = group == NULL;
  const char *p = data, *end = data + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *le = nl ? nl : end;
      const char *s = p;
      while (s < le && (*s == ' ' || *s == '\t'))
        s++;
      if (s < le && *s == '[')
        {
          gsize gl = group ? strlen (group) : 0;
          in = group && (gsize) (le - s) > gl + 1 && strncmp (s + 1, group, gl) == 0 && s[gl + 1] == ']';
          if (in && !key)
            return line;
        }
      else if (in && key)
        {
          gsize kl = strlen (key);
          if ((gsize) (le - s) > kl && strncmp (s, key, kl) == 0 && (s[kl] == '=' || s[kl] == ' '))
            return line;
        }
      line++;
      p = nl ? nl + 1 : end;
    }
  return 0;
}

/* GKeyFile errors name no line; find the first line it would reject so the
 * message can point at it. */
static int
first_bad_line (const char *data, gsize len)
{
  int line = 1;
  const char *p = data, *end = data + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *le = nl ? nl : end;
      const char *s = p;
      while (s < le && (*s == ' ' || *s == '\t'))
        s++;
      gboolean ok = s == le || *s == '#' || (*s == '[' && memchr (s, ']', (size_t) (le - s)))
                    || (*s != '[' && *s != '=' && memchr (s, '=', (size_t) (le - s)));
      if (!ok)
        return line;
      line++;
      p = nl ? nl + 1 : end;
    }
  return 1;
}

static const char *const book_keys[] = { "title", "subtitle", "marking", "language", "layout", "author", "publisher", NULL };
static const char *const source_keys[] = { "title", "publisher", "language", "date", NULL };

static gboolean
known (const char *const *keys, const char *k)
{
  for (; *keys; keys++)
    if (g_str_equal (*keys, k))
      return TRUE;
  return FALSE;
}

static char *
get_clean (GKeyFile *kf, const char *group, const char *key)
{
  g_autofree char *raw = g_key_file_get_string (kf, group, key, NULL);
  if (!raw)
    return NULL;
  char *v = bb_text_scrub (raw);
  g_strstrip (v);
  if (!*v)
    g_clear_pointer (&v, g_free);
  return v;
}

static void
set_if (char **field, char *v)
{
  if (v)
    {
      g_free (*field);
      *field = v;
    }
}

BbConfig *
bb_config_parse (const char *path, const char *data, gsize len, const char *dir_name, BbDiag *diag)
{
  BbConfig *c = config_defaults (dir_name);
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      bb_diag_error (diag, path, 0, "not valid UTF-8; book settings ignored");
      return c;
    }
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) err = NULL;
  if (!g_key_file_load_from_data (kf, data, len, G_KEY_FILE_NONE, &err))
    {
      /* Settings are a convenience: report, then build with defaults. */
      bb_diag_warn (diag, path, first_bad_line (data, len), "cannot read book settings (%s); using defaults",
                    err->message);
      return c;
    }
  gsize ng = 0;
  g_auto (GStrv) groups = g_key_file_get_groups (kf, &ng);
  for (gsize i = 0; i < ng; i++)
    {
      const char *g = groups[i];
      gboolean is_book = g_str_equal (g, "book");
      gboolean is_source = g_str_has_prefix (g, "source ");
      if (!is_book && !is_source)
        {
          bb_diag_warn (diag, path, find_line (data, len, g, NULL), "unknown group [%s] ignored", g);
          continue;
        }
      g_auto (GStrv) keys = g_key_file_get_keys (kf, g, NULL, NULL);
      for (int k = 0; keys && keys[k]; k++)
        if (!known (is_book ? book_keys : source_keys, keys[k]))
          bb_diag_warn (diag, path, find_line (data, len, g, keys[k]), "unknown key '%s' in [%s] ignored", keys[k], g);
      if (is_book)
        {
          set_if (&c->title, get_clean (kf, g, "title"));
          set_if (&c->subtitle, get_clean (kf, g, "subtitle"));
          set_if (&c->marking, get_clean (kf, g, "marking"));
          set_if (&c->lang, get_clean (kf, g, "language"));
          set_if (&c->layout, get_clean (kf, g, "layout"));
          set_if (&c->author, get_clean (kf, g, "author"));
          set_if (&c->publisher, get_clean (kf, g, "publisher"));
        }
      else
        {
          const char *name = g + strlen ("source ");
          while (*name == ' ')
            name++;
          BbSourceMeta *m = g_new0 (BbSourceMeta, 1);
          m->title = get_clean (kf, g, "title");
          m->publisher = get_clean (kf, g, "publisher");
          m->lang = get_clean (kf, g, "language");
          m->date = get_clean (kf, g, "date");
          g_hash_table_replace (c->sources, g_strdup (name), m);
        }
    }
  return c;
}

BbConfig *
bb_config_load (const char *dir, BbDiag *diag)
{
  g_autofree char *path = g_build_filename (dir, "book.ini", NULL);
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  g_autofree char *dir_name = g_path_get_basename (abs);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) err = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return bb_config_parse (path, "", 0, dir_name, diag);
  if (!g_file_get_contents (path, &data, &len, &err))
    {
      bb_diag_warn (diag, path, 0, "cannot read book settings (%s); using defaults", err->message);
      return bb_config_parse (path, "", 0, dir_name, diag);
    }
  return bb_config_parse (path, data, len, dir_name, diag);
}

const BbSourceMeta *
bb_config_source_meta (const BbConfig *cfg, const char *name)
{
  return cfg ? g_hash_table_lookup (cfg->sources, name) : NULL;
}
