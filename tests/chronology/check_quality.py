#!/usr/bin/env python3
"""Scores the chronology of a gold folder and fails below the bar.

usage: check_quality.py CHRON_TOOL GOLD_DIR [MIN_RELAXED_F1 [MIN_STRICT_F1]]

Runs CHRON_TOOL over GOLD_DIR (its .txt/.md sources), scores the TSV with
tests/eval/score.py (the reference scorer) and asserts
relaxed F1 >= 0.95 and strict F1 >= 0.90 unless told otherwise.  Misses and
extras are printed so a failing run says why.
"""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    tool, gold = argv[1], argv[2]
    min_relaxed = float(argv[3]) if len(argv) > 3 else 0.95
    min_strict = float(argv[4]) if len(argv) > 4 else 0.90
    out = subprocess.run([tool, gold], check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        f.write(out)
        path = f.name
    try:
        res = subprocess.run([sys.executable, os.path.join(here, "..", "eval", "score.py"), gold, path, "-", "--json"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    e = json.loads(res)["events"]
    strict_p = e["strict_matched"] / e["system"] if e["system"] else 0.0
    strict_r = e["strict_matched"] / e["gold"] if e["gold"] else 0.0
    strict_f = 2 * strict_p * strict_r / (strict_p + strict_r) if strict_p + strict_r else 0.0
    for m in e["missed"]:
        print("missed:", m)
    for x in e["extra"]:
        print("extra:", x)
    print(f"{gold}: relaxed P={e['precision']:.3f} R={e['recall']:.3f} F1={e['f1']:.3f}; "
          f"strict P={strict_p:.3f} R={strict_r:.3f} F1={strict_f:.3f} "
          f"({e['matched']} matched, {e['system']} system, {e['gold']} gold)")
    ok = e["f1"] >= min_relaxed and strict_f >= min_strict
    if not ok:
        print(f"FAIL: below the bar (relaxed F1 >= {min_relaxed}, strict F1 >= {min_strict})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
