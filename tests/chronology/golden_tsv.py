#!/usr/bin/env python3
"""Compares the chronology TSV of a folder with an expected file.

usage: golden_tsv.py CHRON_TOOL SOURCES_DIR EXPECTED.tsv

BB_UPDATE_GOLDEN=1 rewrites EXPECTED.tsv from the tool's output instead;
review the diff before committing it.
"""
import difflib
import os
import subprocess
import sys


def main(argv):
    tool, src, expected = argv[1:4]
    got = subprocess.run([tool, src], check=True, capture_output=True, text=True).stdout
    if os.environ.get("BB_UPDATE_GOLDEN") == "1":
        with open(expected, "w", encoding="utf-8") as f:
            f.write(got)
        print(f"rewrote {expected}")
        return 0
    with open(expected, encoding="utf-8") as f:
        want = f.read()
    if got == want:
        print(f"{expected}: {got.count(chr(10)) - 1} rows as expected")
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               expected, "actual"))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
