/* publish.h — writing output files so that a reader never sees half of one.
 *
 * Each output is written to a temporary file beside its final name, flushed
 * to disk, and renamed over the final name only when every output of the
 * build is complete; on failure the temporaries are removed and the
 * previous files stay as they were.
 */
#pragma once
#include <glib.h>

typedef struct _BbPublish BbPublish;

/* Starts a publication into outdir (created if missing). */
BbPublish *bb_publish_new (const char *outdir, GError **error);
/* Reserves a temporary file for final_name (a name relative to outdir, in
 * a sub-folder if it has slashes; folders are created); returns its path
 * (borrowed, valid until commit/free). */
const char *bb_publish_reserve (BbPublish *pub, const char *final_name, GError **error);
/* Reserves final_name in outdir/subdir (created if missing) with a copy of
 * what the i-th reserved file holds now. */
gboolean bb_publish_copy (BbPublish *pub, guint i, const char *subdir, GError **error);
/* Reserves final_name with a copy of the file at from. */
gboolean bb_publish_add_file (BbPublish *pub, const char *final_name, const char *from, GError **error);
/* Opens path for writing from its start, as open (O_CREAT | O_TRUNC)
 * does, except that a file already empty (a reserved temporary) is not
 * truncated: ext4 writes a truncated file out to disk when it is closed
 * (auto_da_alloc), which held up the build 0.15 s for each 100 MB PDF.
 * A file descriptor, or -1 with errno set. */
int bb_publish_open_write (const char *path);
/* Reserves final_name and writes data into it. */
gboolean bb_publish_write (BbPublish *pub, const char *final_name, const char *data, gsize len, GError **error);

/* Takes the output folder's lock (outdir/.briefing.lock), waiting up to
 * timeout_s seconds for another build to finish; returns the lock's file
 * descriptor (close it to release) or -1 with an error. */
int bb_publish_lock (const char *outdir, guint timeout_s, GError **error);

/* Removes temporaries (".NAME.XXXXXX") that a killed build left in outdir
 * and its editions/ folders.  Call only while holding the lock. */
void bb_publish_sweep (const char *outdir);

/* Flushes every reserved file and renames each over its final name. */
gboolean bb_publish_commit (BbPublish *pub, GError **error);
/* Final path of the i-th reserved file (borrowed). */
const char *bb_publish_final_path (const BbPublish *pub, guint i);
/* Rewrites error's message to name each reserved file by its final path
 * rather than its temporary's (a write that fails, fails on the
 * temporary, which the reader never sees). */
void bb_publish_name_finals (const BbPublish *pub, GError *error);
/* Removes whatever was not committed. */
void bb_publish_free (BbPublish *pub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbPublish, bb_publish_free)
