/* parallel.h — a parallel for-loop over independent items. */
#pragma once
#include <glib.h>

typedef void (*BbParallelFunc) (guint index, gpointer data);

/* Calls fn (i, data) once for every i in [0, n), on up to
 * bb_parallel_threads () threads (the calling thread is one of them), and
 * returns when all calls have returned.  Items are handed out in order,
 * one at a time, so the results must go into per-index slots: the order
 * in which calls finish is not fixed. */
void bb_parallel_for (guint n, BbParallelFunc fn, gpointer data);

/* The number of threads bb_parallel_for uses: BRIEFING_THREADS when set
 * (1 = everything on the calling thread), else the processors available,
 * at most 8. */
guint bb_parallel_threads (void);
