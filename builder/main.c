/* main.c — the briefing command; everything else lives in the library. */
#include "cli.h"

/* Read by jemalloc when the program is linked with it (builder/meson.build),
 * ignored otherwise.  One arena for every thread: the threads that lay out
 * and draw a long book free much of what another allocated, and with an
 * arena each the freed pages of one were not reused by the other (N =
 * 1,000, four builds each: peak RSS 403-406 MiB against 403-425, wall
 * time the same within the machine's noise). */
const char *malloc_conf = "narenas:1";

int
main (int argc, char **argv)
{
  return bb_cli_main (argc, argv);
}
