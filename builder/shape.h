/* shape.h — a word cache in front of HarfBuzz's shaping (see shape.c). */
#pragma once
#include <glib.h>

typedef struct {
  guint64 calls;        /* shaping calls Pango made */
  guint64 chars;        /* characters in them */
  guint64 cached_chars; /* characters whose glyphs came from the cache */
  guint64 words;        /* words kept, over every font */
} BbShapeStats;

/* Counts since the process started (every thread, every font). */
void bb_shape_stats (BbShapeStats *out);

/* Lets go of every word the caches keep (the caches stay, empty) and
 * returns how many.  Only while no other thread shapes text. */
guint64 bb_shape_forget (void);

/* FALSE when BRIEFING_SHAPE_CACHE=off: every call goes to HarfBuzz. */
gboolean bb_shape_cache_enabled (void);
