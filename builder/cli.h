/* cli.h — the command line (contract in DESIGN.md). */
#pragma once

/* Runs briefing with argv; returns the exit status: 0 built, 1 the sources
 * could not be built, 2 usage error. */
int bb_cli_main (int argc, char **argv);
