/* publish.c — temp file, fsync, rename. */
#include "publish.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
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

static const char *
reserve_in (BbPublish *pub, const char *dir, const char *final_name, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", final_name);
  char *path = g_build_filename (dir, tmpl, NULL);
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
  g_ptr_array_add (pub->finals, g_build_filename (dir, final_name, NULL));
  return path;
}

const char *
bb_publish_reserve (BbPublish *pub, const char *final_name, GError **error)
{
  /* a name may lie in a sub-folder of the output folder ("editions/2/x") */
  g_autofree char *sub = g_path_get_dirname (final_name);
  g_autofree char *base = g_path_get_basename (final_name);
  g_autofree char *dir = g_str_equal (sub, ".") ? g_strdup (pub->outdir) : g_build_filename (pub->outdir, sub, NULL);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create folder: %s", dir, g_strerror (e));
      return NULL;
    }
  return reserve_in (pub, dir, base, error);
}

int
bb_publish_open_write (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  struct stat st;
  if (fd >= 0 && (fstat (fd, &st) != 0 || (st.st_size > 0 && ftruncate (fd, 0) != 0)))
    {
      int e = errno;
      close (fd);
      errno = e;
      return -1;
    }
  return fd;
}

gboolean
bb_publish_write (BbPublish *pub, const char *final_name, const char *data, gsize len, GError **error)
{
  const char *tmp = bb_publish_reserve (pub, final_name, error);
  if (!tmp)
    return FALSE;
  int fd = bb_publish_open_write (tmp);
  gboolean ok = fd >= 0;
  for (gsize done = 0; ok && done < len;)
    {
      ssize_t w = write (fd, data + done, len - done);
      if (w < 0)
        ok = errno == EINTR;
      else
        done += (gsize) w;
    }
  if (fd >= 0 && close (fd) != 0)
    ok = FALSE;
  if (!ok)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write: %s", tmp, g_strerror (e));
    }
  return ok;
}

/* Copies the bytes of from into the existing file to. */
static gboolean
copy_file (const char *from, const char *to, GError **error)
{
  int in = open (from, O_RDONLY | O_CLOEXEC);
  int out = in < 0 ? -1 : bb_publish_open_write (to);
  gboolean ok = in >= 0 && out >= 0;
  char buf[1 << 16];
  while (ok)
    {
      ssize_t n = read (in, buf, sizeof buf);
      if (n == 0)
        break;
      if (n < 0)
        {
          ok = errno == EINTR;
          continue;
        }
      for (ssize_t done = 0; ok && done < n;)
        {
          ssize_t w = write (out, buf + done, (size_t) (n - done));
          if (w < 0)
            ok = errno == EINTR;
          else
            done += w;
        }
    }
  int e = errno;
  if (out >= 0 && close (out) != 0 && ok)
    {
      ok = FALSE;
      e = errno;
    }
  if (in >= 0)
    close (in);
  if (!ok)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "cannot copy %s to %s: %s", from, to, g_strerror (e));
  return ok;
}

gboolean
bb_publish_add_file (BbPublish *pub, const char *final_name, const char *from, GError **error)
{
  const char *tmp = bb_publish_reserve (pub, final_name, error);
  return tmp && copy_file (from, tmp, error);
}

gboolean
bb_publish_copy (BbPublish *pub, guint i, const char *subdir, GError **error)
{
  g_return_val_if_fail (i < pub->temps->len, FALSE);
  g_autofree char *dir = g_build_filename (pub->outdir, subdir, NULL);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create folder: %s", dir, g_strerror (e));
      return FALSE;
    }
  g_autofree char *name = g_path_get_basename (pub->finals->pdata[i]);
  g_autofree char *src = g_strdup (pub->temps->pdata[i]);
  const char *tmp = reserve_in (pub, dir, name, error);
  return tmp && copy_file (src, tmp, error);
}

int
bb_publish_lock (const char *outdir, guint timeout_s, GError **error)
{
  if (g_mkdir_with_parents (outdir, 0777) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create output folder: %s", outdir,
                   g_strerror (e));
      return -1;
    }
  g_autofree char *path = g_build_filename (outdir, ".briefing.lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot open lock: %s", path, g_strerror (e));
      return -1;
    }
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  gboolean said = FALSE;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        break;
      if (!said)
        {
          fprintf (stderr, "briefing: waiting for another build of %s to finish\n", outdir);
          said = TRUE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       "%s: another build of this output folder is still running (gave up after %u s)", outdir,
                       timeout_s);
          close (fd);
          return -1;
        }
      g_usleep (100 * 1000);
    }
  return fd;
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
  /* The renames go together: Ctrl-C or a polite kill waits until they are
   * done, so a book is never half old and half new (SIGKILL cannot wait;
   * each rename is still atomic, and editions/N keeps every edition whole). */
  sigset_t block, old;
  sigemptyset (&block);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGHUP);
  sigaddset (&block, SIGQUIT);
  pthread_sigmask (SIG_BLOCK, &block, &old);
  for (guint i = 0; i < pub->temps->len; i++)
    if (g_rename (pub->temps->pdata[i], pub->finals->pdata[i]) != 0)
      {
        int e = errno;
        pthread_sigmask (SIG_SETMASK, &old, NULL);
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot rename into place: %s",
                     (char *) pub->finals->pdata[i], g_strerror (e));
        return FALSE;
      }
  pub->committed = TRUE;
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  /* the renames themselves reach the disk with the folder */
  int dfd = open (pub->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  return TRUE;
}

const char *
bb_publish_final_path (const BbPublish *pub, guint i)
{
  return i < pub->finals->len ? pub->finals->pdata[i] : NULL;
}

void
bb_publish_name_finals (const BbPublish *pub, GError *error)
{
  if (!pub || !error)
    return;
  for (guint i = 0; i < pub->temps->len; i++)
    {
      const char *tmp = pub->temps->pdata[i];
      if (!strstr (error->message, tmp))
        continue;
      g_auto (GStrv) parts = g_strsplit (error->message, tmp, -1);
      g_free (error->message);
      error->message = g_strjoinv (pub->finals->pdata[i], parts);
    }
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

/* A temporary of ours: ".NAME.XXXXXX" with six characters from mkstemp. */
static gboolean
is_temporary (const char *name)
{
  gsize n = strlen (name);
  return n > 9 && name[0] == '.' && name[n - 7] == '.' && strcmp (name, ".briefing.lock") != 0;
}

static void
sweep_dir (const char *dir, int depth)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *e;
  while (d && (e = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, e, NULL);
      if (is_temporary (e) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_unlink (path);
      else if (depth > 0 && g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        sweep_dir (path, depth - 1);
    }
}

void
bb_publish_sweep (const char *outdir)
{
  sweep_dir (outdir, 0);
  g_autofree char *ed = g_build_filename (outdir, "editions", NULL);
  sweep_dir (ed, 1);
}
