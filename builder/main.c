/* main.c — the briefing command; everything else lives in the library. */
#include "cli.h"

int
main (int argc, char **argv)
{
  return bb_cli_main (argc, argv);
}
