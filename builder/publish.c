/* publish.c — temp file, fsync, rename. */
#include "publish.h"
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _BbPublish {
  char *outdir;
  GPtrArray *temps;   /* char* */
  GPtrArray *finals;  /* char* */
  gboolean committed;
};

BbPublish *
bb_publish_new (const char *outdir, GError **error)
{
  if (g_mkdir_with_parents (outdir, 0777) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create output folder: %s", outdir,
                   g_strerror (e));
      return NULL;
    }
  BbPublish *p = g_new0 (BbPublish, 1);
  p->outdir = g_strdup (outdir);
  p->temps = g_ptr_array_new_with_free_func (g_free);
  p->finals = g_ptr_array_new_with_free_func (g_free);
  return p;
}

const char *
bb_publish_reserve (BbPublish *pub, const char *final_name, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", final_name);
  char *path = g_build_filename (pub->outdir, tmpl, NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write in output folder: %s",
                   pub->outdir, g_strerror (e));
      g_free (path);
      return NULL;
    }
  close (fd);
  g_ptr_array_add (pub->temps, path);
  g_ptr_array_add (pub->finals, g_build_filename (pub->outdir, final_name, NULL));
  return path;
}

static gboolean
sync_file (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot flush to disk: %s", path, g_strerror (e));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
bb_publish_commit (BbPublish *pub, GError **error)
{
  for (guint i = 0; i < pub->temps->len; i++)
    if (!sync_file (pub->temps->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < pub->temps->len; i++)
    if (g_rename (pub->temps->pdata[i], pub->finals->pdata[i]) != 0)
      {
        int e = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot rename into place: %s",
                     (char *) pub->finals->pdata[i], g_strerror (e));
        return FALSE;
      }
  /* the renames themselves reach the disk with the folder */
  int dfd = open (pub->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  pub->committed = TRUE;
  return TRUE;
}

const char *
bb_publish_final_path (const BbPublish *pub, guint i)
{
  return i < pub->finals->len ? pub->finals->pdata[i] : NULL;
}

void
bb_publish_free (BbPublish *pub)
{
  if (!pub)
    return;
  if (!pub->committed)
    for (guint i = 0; i < pub->temps->len; i++)
      g_unlink (pub->temps->pdata[i]);
  g_ptr_array_unref (pub->temps);
  g_ptr_array_unref (pub->finals);
  g_free (pub->outdir);
  g_free (pub);
}
