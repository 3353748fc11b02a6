#!/usr/bin/env python3
"""Scores the people table of a gold folder and fails below the bar.

usage: check_quality.py PEOPLE_TOOL GOLD_DIR

Runs PEOPLE_TOOL on the sources in GOLD_DIR, scores the table with the
rules of tests/eval/score.py against GOLD_DIR/people.tsv, prints
the figures and what was missed or extra, and exits 1 when people F1 < 0.95,
title accuracy < 0.90, affiliation accuracy < 0.95 or participant accuracy
< 0.90."""
import json
import os
import subprocess
import sys
import tempfile

BAR = {"f1": 0.95, "title_accuracy": 0.90, "affiliation_accuracy": 0.95,
       "participant_accuracy": 0.90}


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tool, gold = argv[1], argv[2]
    srcs = sorted(os.path.join(gold, f) for f in os.listdir(gold)
                  if f.endswith((".txt", ".md")))
    out = subprocess.run([tool] + srcs, check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        f.write(out)
        table = f.name
    try:
        scorer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "eval", "score.py")
        res = subprocess.run([sys.executable, scorer, gold, "-", table, "--json"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(table)
    p = json.loads(res)["people"]
    for k in ("missed", "extra"):
        for x in p[k]:
            print(f"{k}: {x}")
    ok = True
    for k, bar in BAR.items():
        flag = "ok" if p[k] >= bar else "BELOW BAR"
        ok &= p[k] >= bar
        print(f"{k} = {p[k]:.3f} (bar {bar}) {flag}")
    print(f"precision = {p['precision']:.3f} recall = {p['recall']:.3f} "
          f"source_recall = {p['source_recall']:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
