"""The seed book as a PDF file: valid, fonts embedded, title, outline, labels."""

import os
import re

import e2elib as t
from e2elib import check

ctx = t.start("seed-pdf")
out = os.path.join(ctx.tmp, "out")
pdf = ctx.build(ctx.sources, out)
ini = t.read_book_ini(ctx.sources)
title = ini.get("book", "title")

# The file name is the slug of the book title.
slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
check(os.path.basename(pdf) == slug + ".pdf",
      "PDF is named %s, expected %s.pdf" % (os.path.basename(pdf), slug))

# qpdf --check: exit 0 and no warnings.
qc = t.tool("qpdf", "--check", pdf, ok=(0, 2, 3))
check("No syntax or stream encoding errors" in qc,
      "qpdf --check reports problems:\n" + qc)

# pdffonts: every font embedded.
rows = t.tool("pdffonts", pdf).splitlines()[2:]
check(len(rows) > 0, "pdffonts lists no fonts at all")
for row in rows:
    # Columns from the right: object ID (2 cols), uni, sub, emb.
    cols = row.split()
    emb = cols[-5] if len(cols) >= 5 else "?"
    check(emb == "yes", "font not embedded: " + row)
    check("Noto" in cols[0], "font is not one of the bundled Noto fonts: " + row)

q = t.QpdfJson(pdf)

# Document information.
info = q.info()
check(t.pdf_string(info.get("/Title")) == title,
      "Info /Title is %r, book.ini says %r" % (t.pdf_string(info.get("/Title")), title))
check(t.pdf_string(info.get("/Creator", "")).startswith("briefing"),
      "Info /Creator %r does not name briefing" % t.pdf_string(info.get("/Creator")))
if ini.has_option("book", "author"):
    check(t.pdf_string(info.get("/Author")) == ini.get("book", "author"),
          "Info /Author is %r, book.ini says %r"
          % (t.pdf_string(info.get("/Author")), ini.get("book", "author")))

# Outline: non-empty, every chapter title present, entries point at pages.
def walk(items):
    for it in items:
        yield it
        yield from walk(it.get("kids", []))

entries = list(walk(q.outlines()))
titles = [e.get("title", "") for e in entries]
print("outline: %r" % titles)
check(len(entries) > 0, "the PDF has no outline")
chapter_titles = []
for section in ini.sections():
    if section.startswith("source ") and ini.has_option(section, "title"):
        chapter_titles.append(ini.get(section, "title"))
check(len(chapter_titles) == 2, "book.ini should give two chapter titles, got %r" % chapter_titles)
npages = len(q.pages())
for ct in chapter_titles:
    check(ct in titles, "chapter %r is not in the outline %r" % (ct, titles))
for e in entries:
    pos = e.get("destpageposfrom1")
    check(isinstance(pos, int) and 1 <= pos <= npages,
          "outline entry %r does not point at a page (%r)" % (e.get("title"), pos))
for bad in titles:
    check(not re.search(r"\[\d+\]", bad), "citation marker in outline entry %r" % bad)

# Page labels: roman for the front matter, arabic from 1 for the body.
labels = q.page_labels()
print("page labels: %r" % labels)
check(len(q.data.get("pagelabels", [])) > 0, "the PDF has no /PageLabels")
first_chapter = min((e["destpageposfrom1"] for e in entries
                     if e.get("title") in chapter_titles), default=None)
check(first_chapter is not None and first_chapter >= 2,
      "first chapter should come after front matter, starts on page %r" % first_chapter)
if first_chapter:
    front = labels[:first_chapter - 1]
    body = labels[first_chapter - 1:]
    for i, lab in enumerate(front):
        check(t.ROMAN_RE.match(lab) is not None,
              "front-matter page %d has label %r, not a roman numeral" % (i + 1, lab))
        check(lab == t.roman(i + 1),
              "front-matter page %d has label %r, expected %r" % (i + 1, lab, t.roman(i + 1)))
    check(body == [str(n) for n in range(1, len(body) + 1)],
          "body labels should be 1..%d, got %r" % (len(body), body))

    # The printed folio agrees with the label: last line of text on a body
    # page is the marking, the line before it the page number.
    text = t.pdftotext(pdf, first_chapter)
    check(re.search(r"(^|\n)1\n", text) is not None,
          "first body page does not print the folio 1")

t.finish()
