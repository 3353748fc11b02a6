#!/usr/bin/env python3
"""test_gen.py — the benchmark corpus generator is deterministic and writes
what the benchmarks claim to measure.

Generates N=3 twice (and the --same mode once) through the command line and
checks: identical bytes both times; book.ini plus three sources; UTF-8 text
of roughly 1,200 words; dates, titles and citation markers present; the
Markdown source's table has 10 to 30 rows; the first source of N=3 equals
the first source of N=1 (corpora are prefixes of each other).
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile

GEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_corpus.py")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def gen(n, d, *extra):
    subprocess.run([sys.executable, GEN, str(n), d, *extra], check=True)
    return {name: open(os.path.join(d, name), "rb").read() for name in sorted(os.listdir(d))}


def digest(files):
    h = hashlib.sha256()
    for k, v in sorted(files.items()):
        h.update(k.encode() + b"\0" + v + b"\0")
    return h.hexdigest()


with tempfile.TemporaryDirectory() as tmp:
    a = gen(3, os.path.join(tmp, "a"))
    b = gen(3, os.path.join(tmp, "b"))
    one = gen(1, os.path.join(tmp, "one"))
    # N=5 so that a Markdown source (every fifth) exists.
    five = gen(5, os.path.join(tmp, "five"))
    same = gen(3, os.path.join(tmp, "same"), "--same")

    check(digest(a) == digest(b), "two runs with the same arguments differ")
    srcs = [k for k in a if k.endswith((".txt", ".md"))]
    check("book.ini" in a and len(srcs) == 3, "expected book.ini and 3 sources, got %s" % sorted(a))
    first = min(srcs)
    check(one.get(first) == a[first], "source 0 of N=1 differs from source 0 of N=3")
    check(digest(same) != digest(a), "--same gives the same corpus as the mixed mode")

    text_all = ""
    for k in srcs:
        text = a[k].decode("utf-8")   # raises on bad UTF-8: that is a failure too
        words = len(text.split())
        check(1000 <= words <= 1700, "%s: %d words, want about 1200" % (k, words))
        text_all += text
    for k in five:
        if k.endswith((".txt", ".md")):
            text_all += five[k].decode("utf-8")
    check(re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b", text_all),
          "no '27 February 2019' dates")
    check(re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b", text_all)
          or "ngày" in text_all, "no 'February 27, 2019' or Vietnamese dates")
    check(re.search(r"\[\d+\]", text_all), "no citation markers")
    check(re.search(r"(Secretary of State|President|Tổng thống|Ngoại trưởng) ", text_all), "no titled names")

    md = [k for k in five if k.endswith(".md")]
    check(len(md) == 1, "expected one Markdown source in N=5, got %s" % md)
    for k in md:
        rows = [l for l in five[k].decode("utf-8").splitlines() if l.startswith("|") and not l.startswith("|--")]
        check(11 <= len(rows) <= 31, "%s: table has %d rows (header included), want 10-30 body rows" % (k, len(rows)))

    # The same-people mode really repeats: few distinct titled names.
    names = set(re.findall(r"(?:Secretary of State|Chairman|President|Foreign Minister) ([A-Z][\w-]+ [A-Z][\w-]+)",
                           "".join(v.decode("utf-8") for k, v in same.items() if k.endswith(".txt"))))
    check(0 < len(names) <= 6, "--same mentions %d distinct people: %s" % (len(names), sorted(names)))

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
