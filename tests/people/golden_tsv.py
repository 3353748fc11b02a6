#!/usr/bin/env python3
"""Golden test of a people table.

usage: golden_tsv.py PEOPLE_TOOL SOURCES_DIR EXPECTED.tsv

Compares the tool's TSV for SOURCES_DIR with EXPECTED.tsv and shows a diff
when they differ; with BB_UPDATE_GOLDEN=1 it rewrites EXPECTED.tsv instead
(review the diff before committing)."""
import difflib
import os
import subprocess
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    tool, srcdir, expected = argv[1:]
    got = subprocess.run([tool, srcdir], check=True, capture_output=True, text=True).stdout
    if os.environ.get("BB_UPDATE_GOLDEN") == "1":
        with open(expected, "w", encoding="utf-8") as f:
            f.write(got)
        print(f"updated {expected}")
        return 0
    try:
        with open(expected, encoding="utf-8") as f:
            want = f.read()
    except FileNotFoundError:
        print(f"{expected} is missing; run with BB_UPDATE_GOLDEN=1", file=sys.stderr)
        return 1
    if got == want:
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               expected, "got"))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
