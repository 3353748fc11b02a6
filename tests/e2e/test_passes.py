"""Page references are right, and the passes lay out only what changed.

Pagination runs in passes until the page labels that texts cite stop
changing.  The first pass cites the pages of what it has already placed,
so the references back into the book (a chapter's citation notes, the
index) print their real labels from the start and the next pass finds
them laid out; only the front matter's references (the contents, the
chronology, the attendees), which point forward, wait for a second pass.

A generated book of 12 sources (citation markers, people, dates) is built
with BRIEFING_TIMINGS=1, and:

- the first pass laid out blocks after the front matter (the citation
  notes and the index: the control that there is something to test);
- no later pass laid out any block after the front matter;
- there were at most three passes;
- every link that prints "page N" (contents entries, chronology and
  attendee rows, citation notes, index entries) prints the label of the
  page its destination is on, read back from the PDF: the link's named
  destination in the document's name tree, and the words inside the
  link's rectangle as pdftotext places them.
"""

import os
import re
import subprocess
import sys

import e2elib as t
from e2elib import check

PASS = re.compile(r"^layout: pass (\d+) [\d.]+ s, (\d+) blocks laid out in the front matter, (\d+) after it$", re.M)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
ROMAN = re.compile(r"^[ivxlcdm]+$")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')

ctx = t.start("passes")
os.environ["BRIEFING_TIMINGS"] = "1"
src = os.path.join(ctx.tmp, "src")
subprocess.run([sys.executable, os.path.join(ctx.root, "tests", "bench", "gen_corpus.py"), "12", src],
               check=True, capture_output=True)
out = os.path.join(ctx.tmp, "out")
code, _, err = ctx.run("build", src, "-o", out)
check(code == 0, "build failed (%d): %s" % (code, err[-2000:]))
passes = [(int(a), int(b), int(c)) for a, b, c in PASS.findall(err)]
print("passes (pass, front, after): %r" % passes)
check(len(passes) >= 2, "expected two passes or more, timings say %r" % passes)
check(len(passes) <= 3, "%d passes: the page references did not settle by the third" % len(passes))
if passes:
    check(passes[0][2] > 0, "the first pass laid out nothing after the front matter: no notes or index to test")
    for p, front, after in passes[1:]:
        check(after == 0, "pass %d laid out %d blocks after the front matter again" % (p, after))

pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")]
check(len(pdfs) == 1, "PDFs in the output: %r" % pdfs)
pdf = os.path.join(out, pdfs[0])
q = t.QpdfJson(pdf)
labels = q.page_labels()
index_of = {p["object"]: i for i, p in enumerate(q.pages())}

# named destinations: the /Dests name tree of the catalogue
dests = {}


def walk(node):
    node = q.deref(node) or {}
    names = node.get("/Names", [])
    for k in range(0, len(names) - 1, 2):
        target = q.deref(names[k + 1])
        if isinstance(target, dict):
            target = target.get("/D")
        if isinstance(target, list) and target:
            dests[t.pdf_string(names[k])] = index_of.get(target[0])
    for kid in node.get("/Kids", []):
        walk(kid)


root = q.deref(q.trailer().get("/Root")) or {}
walk((q.deref(root.get("/Names")) or {}).get("/Dests"))
check(len(dests) > 100, "only %d named destinations" % len(dests))

# the words of every page, with their boxes (top-left origin, points)
html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
pages = html.split("<page ")[1:]
check(len(pages) == len(labels), "pdftotext saw %d pages, qpdf %d" % (len(pages), len(labels)))

checked = {"front": 0, "after": 0}
for i, chunk in enumerate(pages):
    height = float(PAGE.match("<page " + chunk).group(2))
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(chunk)]
    page = q.deref(q.pages()[i]["object"]) or {}
    for ref in q.deref(page.get("/Annots")) or []:
        a = q.deref(ref) or {}
        name = a.get("/Dest")
        if a.get("/Subtype") != "/Link" or not isinstance(name, str):
            continue
        x0, y0, x1, y1 = a["/Rect"]
        top, bottom = height - y1, height - y0
        inside = [w for (wx0, wy0, wx1, wy1, w) in words
                  if x0 - 1 <= (wx0 + wx1) / 2 <= x1 + 1 and top - 1 <= (wy0 + wy1) / 2 <= bottom + 1]
        text = " ".join(inside)
        m = re.search(r"\bpage\s+(\S+)$", text)
        if not m:
            continue
        target = dests.get(t.pdf_string(name))
        check(target is not None, "page %s: link to %r, which names no page" % (labels[i], name))
        if target is None:
            continue
        check(m.group(1) == labels[target],
              "page %s: %r leads to page %s" % (labels[i], text, labels[target]))
        checked["front" if ROMAN.match(labels[i]) else "after"] += 1
print("page references checked: %r" % checked)
check(checked["after"] >= 10, "fewer than 10 references after the front matter: %r" % checked)
t.finish()
