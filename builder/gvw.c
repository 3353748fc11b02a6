/* gvw.c — a GVariant's serialized form, written directly (see gvw.h). */
#include "gvw.h"
#include <string.h>

typedef enum { K_TUPLE, K_ARRAY, K_FIXED_ARRAY, K_VARIANT } Kind;

typedef struct {
  Kind kind;
  gsize start; /* where the container's body starts in buf */
  guint first; /* its first framing offset in offsets */
} Frame;

struct _BbGvw {
  GByteArray *buf;
  GArray *frames;  /* Frame: the open containers, innermost last */
  GArray *offsets; /* gsize: the open containers' framing offsets, each
                      relative to its container's start */
};

BbGvw *
bb_gvw_new (void)
{
  BbGvw *w = g_new (BbGvw, 1);
  w->buf = g_byte_array_sized_new (4096);
  w->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  w->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  return w;
}

void
bb_gvw_free (BbGvw *w)
{
  if (!w)
    return;
  g_byte_array_unref (w->buf);
  g_array_unref (w->frames);
  g_array_unref (w->offsets);
  g_free (w);
}

const guint8 *
bb_gvw_data (const BbGvw *w, gsize *len)
{
  *len = w->buf->len;
  return w->buf->data;
}

static Frame *
top (BbGvw *w)
{
  return w->frames->len ? &g_array_index (w->frames, Frame, w->frames->len - 1) : NULL;
}

/* Zeros up to a multiple of align (a power of two) from the start of the
 * innermost variant, or of the value: both are at multiples of 8. */
static void
pad (BbGvw *w, guint align)
{
  static const guint8 zeros[8] = { 0 };
  gsize len = w->buf->len;
  gsize n = (align - (len & (align - 1))) & (align - 1);
  if (n)
    g_byte_array_append (w->buf, zeros, (guint) n);
}

/* After a value: an array of elements that are not of fixed size keeps
 * where each ends. */
static void
done (BbGvw *w)
{
  Frame *f = top (w);
  if (f && f->kind == K_ARRAY)
    {
      gsize end = w->buf->len - f->start;
      g_array_append_val (w->offsets, end);
    }
}

static void
open_frame (BbGvw *w, Kind kind, guint align)
{
  pad (w, align);
  Frame f = { kind, w->buf->len, w->offsets->len };
  g_array_append_val (w->frames, f);
}

void
bb_gvw_open_tuple (BbGvw *w, guint align)
{
  open_frame (w, K_TUPLE, align);
}

void
bb_gvw_open_array (BbGvw *w, guint align, gboolean fixed_elements)
{
  open_frame (w, fixed_elements ? K_FIXED_ARRAY : K_ARRAY, align);
}

void
bb_gvw_open_variant (BbGvw *w)
{
  open_frame (w, K_VARIANT, 8);
}

void
bb_gvw_frame (BbGvw *w)
{
  Frame *f = top (w);
  g_return_if_fail (f && f->kind == K_TUPLE);
  gsize end = w->buf->len - f->start;
  g_array_append_val (w->offsets, end);
}

/* The size of a container of body bytes and n offsets, and the size of
 * each offset: the smallest that can hold the whole (GLib's
 * gvs_calculate_total_size and gvs_get_offset_size). */
static guint
offset_size (gsize body, gsize n)
{
  if (n == 0)
    return 0;
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

static void
put_offset (BbGvw *w, gsize v, guint size)
{
  guint8 le[8];
  for (guint i = 0; i < size; i++)
    le[i] = (guint8) (v >> (8 * i));
  g_byte_array_append (w->buf, le, size);
}

void
bb_gvw_close (BbGvw *w)
{
  Frame f = *top (w);
  g_return_if_fail (f.kind != K_VARIANT);
  g_array_set_size (w->frames, w->frames->len - 1);
  gsize n = w->offsets->len - f.first;
  guint size = offset_size (w->buf->len - f.start, n);
  const gsize *off = &g_array_index (w->offsets, gsize, f.first);
  if (f.kind == K_TUPLE)
    for (gsize i = n; i-- > 0;) /* the first member's offset comes last */
      put_offset (w, off[i], size);
  else
    for (gsize i = 0; i < n; i++)
      put_offset (w, off[i], size);
  g_array_set_size (w->offsets, f.first);
  done (w);
}

void
bb_gvw_close_variant (BbGvw *w, const char *type)
{
  g_return_if_fail (top (w)->kind == K_VARIANT);
  g_array_set_size (w->frames, w->frames->len - 1);
  g_byte_array_append (w->buf, (const guint8 *) "", 1);
  g_byte_array_append (w->buf, (const guint8 *) type, (guint) strlen (type));
  done (w);
}

void
bb_gvw_int32 (BbGvw *w, gint32 v)
{
  pad (w, 4);
  g_byte_array_append (w->buf, (const guint8 *) &v, 4);
  done (w);
}

void
bb_gvw_uint32 (BbGvw *w, guint32 v)
{
  pad (w, 4);
  g_byte_array_append (w->buf, (const guint8 *) &v, 4);
  done (w);
}

void
bb_gvw_boolean (BbGvw *w, gboolean v)
{
  guint8 b = v ? 1 : 0;
  g_byte_array_append (w->buf, &b, 1);
  done (w);
}

void
bb_gvw_string (BbGvw *w, const char *s)
{
  g_byte_array_append (w->buf, (const guint8 *) s, (guint) strlen (s) + 1);
  done (w);
}

void
bb_gvw_maybe_string (BbGvw *w, const char *s)
{
  if (s)
    {
      g_byte_array_append (w->buf, (const guint8 *) s, (guint) strlen (s) + 1);
      g_byte_array_append (w->buf, (const guint8 *) "", 1);
    }
  done (w);
}
