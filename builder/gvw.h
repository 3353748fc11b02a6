/* gvw.h — writes a GVariant's serialized form directly, without building
 * the value's tree first.
 *
 * The analysis cache stores each source's parts as a GVariant (analysis.h).
 * Building one through GVariantBuilder made a tree of small values, each
 * parsed from a format string, allocated, serialized and freed: 2.4% of
 * the CPU time of a cold 1,000-source build (perf), in the analysis stage,
 * which the rest of the build waits for.  The writer appends the bytes
 * GLib would store, in normal form, as the caller walks the value
 * (GVariant specification, "Serialised Data").  Measured: a 100-source
 * build runs 1.3% fewer instructions (callgrind), and the 1,000 entries of
 * the benchmark book are byte for byte those GLib wrote.
 *
 * The rules it follows:
 * - every value starts at a multiple of its alignment, counted from the
 *   start of its container (a variant restarts the count at 8);
 * - a tuple's members that are not of fixed size, but the last, end at
 *   framing offsets stored after the body, the first member's last;
 * - an array of elements not of fixed size stores each element's end
 *   after the body, in order;
 * - offsets are 1, 2, 4 or 8 bytes, the fewest that hold the container's
 *   whole size (body and offsets);
 * - "ms" is empty for nothing, else the string, its NUL and one more zero.
 *
 * The reader stays GLib's: the cache loads an entry through
 * g_variant_new_from_bytes () and refuses it unless it is in normal form,
 * so a writer that strayed would only make misses, and test-core's
 * "gvw" cases compare its bytes with what GLib serializes for the same
 * values.
 *
 * The caller says what the type says: bb_gvw_frame () after each member of
 * a tuple that is not of fixed size and not last; an array knows its
 * elements' ends itself. */
#pragma once
#include <glib.h>

typedef struct _BbGvw BbGvw;

BbGvw *bb_gvw_new (void);
void bb_gvw_free (BbGvw *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbGvw, bb_gvw_free)

/* The bytes written so far (the whole value once every container is
 * closed), and their number. */
const guint8 *bb_gvw_data (const BbGvw *w, gsize *len);

/* Containers.  align is the container's alignment as a number of bytes
 * (1, 4 or 8): the largest of its members' (a tuple) or its element's (an
 * array).  An array of fixed-size elements ("a(iu)") is opened with
 * fixed_elements TRUE: it has no offsets. */
void bb_gvw_open_tuple (BbGvw *w, guint align);
void bb_gvw_open_array (BbGvw *w, guint align, gboolean fixed_elements);
void bb_gvw_close (BbGvw *w);
/* A variant: its value is written between the two calls; type is that
 * value's type string. */
void bb_gvw_open_variant (BbGvw *w);
void bb_gvw_close_variant (BbGvw *w, const char *type);

/* The end of the tuple member just written, as a framing offset. */
void bb_gvw_frame (BbGvw *w);

void bb_gvw_int32 (BbGvw *w, gint32 v);
void bb_gvw_uint32 (BbGvw *w, guint32 v);
void bb_gvw_boolean (BbGvw *w, gboolean v);
/* "s": s may not be NULL.  "ms": NULL is nothing. */
void bb_gvw_string (BbGvw *w, const char *s);
void bb_gvw_maybe_string (BbGvw *w, const char *s);
