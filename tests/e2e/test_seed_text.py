"""pdftotext of the seed book gives back the Vietnamese seed's sentences exactly.

The extracted text is cleaned the way a reader would read it: lines that are
page furniture (handling marking, book title, page labels, chapter titles in
running headers) are dropped, hyphenated line ends are joined, and all runs
of white space become one space.  Then every sentence of the Vietnamese seed
must appear verbatim, and no `[13]`-style citation marker may appear anywhere.
"""

import os
import re

import e2elib as t
from e2elib import check

VI_SEED = "000_7d51c5f7be742ba7.txt"
SOFT_HYPHEN = "\u00ad"
HYPHENS = "-\u2010"

ctx = t.start("seed-text")
pdf = ctx.build(ctx.sources, os.path.join(ctx.tmp, "out"))
ini = t.read_book_ini(ctx.sources)
book_title = ini.get("book", "title")
marking = ini.get("book", "marking", fallback="UNCLASSIFIED")
chapter_titles = [ini.get(s, "title") for s in ini.sections()
                  if s.startswith("source ") and ini.has_option(s, "title")]

with open(os.path.join(ctx.sources, VI_SEED), encoding="utf-8") as f:
    source = t.nfc(f.read())
source_flat = t.squash(source)

raw = t.nfc(t.pdftotext(pdf, raw=True))

# No citation marker anywhere: not in headings, running headers or body.
for m in re.finditer(r"\[\d+\]", raw):
    ctx_text = raw[max(0, m.start() - 40):m.end() + 40].replace("\n", "⏎")
    check(False, "citation marker %s in the PDF text: …%s…" % (m.group(0), ctx_text))


def is_furniture(line):
    s = line.strip()
    if not s:
        return False
    if s in (marking, book_title) or s in chapter_titles:
        return True
    if s.isdigit() or t.ROMAN_RE.match(s):
        return True
    # The running header: the book title, then the chapter title on the same
    # baseline (one line in -raw mode), which may be shortened with "…".
    if s.startswith(book_title + " "):
        s = s[len(book_title):].strip()
        if s in chapter_titles or s in ("Contents",):
            return True
    if s.endswith("…") and any(ct.startswith(s[:-1].rstrip()) for ct in chapter_titles):
        return True
    return False


lines = [ln for ln in raw.replace("\f", "\n").split("\n") if not is_furniture(ln)]
furniture_seen = sum(1 for ln in raw.replace("\f", "\n").split("\n") if is_furniture(ln))
check(furniture_seen >= 4, "expected running headers/footers on their own lines, "
      "found only %d furniture lines" % furniture_seen)


def join_lines(lines):
    """Join lines; undo hyphenation, keep hyphens the source really has."""
    out = ""
    for ln in lines:
        ln = ln.rstrip()
        if not out:
            out = ln
            continue
        nxt = ln.lstrip()
        if out.endswith(SOFT_HYPHEN):
            out = out[:-1] + nxt
        elif (out[-1] in HYPHENS and nxt[:1].islower()
              and re.search(r"\w$", out[:-1])):
            # A word broken at a hyphen ("biết nhau - điểm" is not one).
            w1 = re.search(r"(\w*)$", out[:-1]).group(1)
            w2 = re.match(r"(\w*)", nxt).group(1)
            if (w1 + "-" + w2) in source_flat:
                out = out + nxt          # a real hyphen, e.g. Kim Yong-chol
            else:
                out = out[:-1] + nxt     # added by hyphenation
        else:
            out = out + "\n" + nxt
    return out


text = t.squash(join_lines(lines))

sentences = []
for para in source.splitlines():
    para = t.squash(para)
    if not para:
        continue
    for s in re.split(r"(?<=[.!?])\s+|(?<=[.!?][”’\"])\s+", para):
        if s:
            sentences.append(s)

print("checking %d sentences of %s" % (len(sentences), VI_SEED))
check(len(sentences) >= 20, "too few sentences found in the seed (%d)" % len(sentences))
check("phi hạt nhân hóa “hoàn toàn, có kiểm chứng và không thể đảo ngược”" in text,
      "the example phrase from the acceptance criteria is not in the PDF text")

missing = 0
for s in sentences:
    if s not in text:
        missing += 1
        # Show where it goes wrong: the longest prefix that is present.
        lo, hi = 0, len(s)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if s[:mid] in text:
                lo = mid
            else:
                hi = mid - 1
        at = text.find(s[:lo])
        check(False, "sentence not found verbatim:\n  source: %s\n  pdf:    %s"
              % (s, text[at:at + len(s) + 20] if at >= 0 else "(nothing)"))
print("%d of %d sentences found" % (len(sentences) - missing, len(sentences)))

t.finish()
