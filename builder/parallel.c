/* parallel.c — a parallel for-loop over independent items (see parallel.h).
 *
 * Threads are started per call rather than kept in a pool: the loops that
 * use this run once or twice per build over hundreds of items each, so a
 * thread start (tens of microseconds) is noise, and nothing outlives the
 * call.  The work is handed out item by item through an atomic counter,
 * which balances sources of very different lengths without tuning. */
#include "parallel.h"
#include <stdlib.h>

typedef struct {
  guint n;
  BbParallelFunc fn;
  gpointer data;
  gint next; /* atomic: the next index to hand out */
} Loop;

static gpointer
worker (gpointer user)
{
  Loop *loop = user;
  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&loop->next, 1);
      if (i >= loop->n)
        break;
      loop->fn (i, loop->data);
    }
  return NULL;
}

guint
bb_parallel_threads (void)
{
  const char *env = g_getenv ("BRIEFING_THREADS");
  if (env && *env)
    {
      char *end;
      guint64 v = g_ascii_strtoull (env, &end, 10);
      if (*end == 0 && v >= 1)
        return (guint) MIN (v, 64);
    }
  return CLAMP (g_get_num_processors (), 1, 8);
}

void
bb_parallel_for (guint n, BbParallelFunc fn, gpointer data)
{
  Loop loop = { n, fn, data, 0 };
  guint threads = MIN (bb_parallel_threads (), n);
  GThread *started[64];
  guint k = 0;
  for (guint t = 1; t < threads; t++)
    {
      /* a thread that cannot start only means less parallelism */
      GThread *th = g_thread_try_new ("briefing-work", worker, &loop, NULL);
      if (th)
        started[k++] = th;
    }
  worker (&loop);
  for (guint t = 0; t < k; t++)
    g_thread_join (started[t]);
}
