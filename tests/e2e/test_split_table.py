"""A long Markdown table splits across pages and repeats its header row.

The fixture (made at test time) is a 120-row table.  On every page the table
spans, pdftotext must show the header cells before the first body row; every
row must appear exactly once in the whole book.  The pages are rendered with
`pdftoppm -png -r 60` into /tmp/bb-e2e-split-table/ for a person to look at
(that folder is kept, BB_E2E_PNG_DIR changes it; the paths are printed).
"""

import glob
import os
import re
import shutil

import e2elib as t
from e2elib import check

ROWS = 120
HEADER = ("Envoy name", "Mission", "Arrival day")
PNG_DIR = os.environ.get("BB_E2E_PNG_DIR", "/tmp/bb-e2e-split-table")

ctx = t.start("split-table")
folder = os.path.join(ctx.tmp, "schedule")
os.mkdir(folder)
lines = ["# Delegate schedule", "",
         "The following table lists every delegate and the day of arrival.", "",
         "| %s |" % " | ".join(HEADER), "|---|---|---:|"]
for i in range(1, ROWS + 1):
    lines.append("| Delegate %03d | Team %s | Day %d |" % (i, chr(ord("A") + i % 26), 1 + i % 3))
lines += ["", "End of the schedule.", "",
          # a second table whose row becomes a chronology event: the row's
          # page number in the Chronology must be the page the table is on
          "| Date | Event |", "|---|---|",
          "| 27 February 2019 | Plenary at the Metropole |", ""]
with open(os.path.join(folder, "schedule.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines))

pdf = ctx.build(folder, os.path.join(ctx.tmp, "out"))
n = t.page_count(pdf)
row_re = re.compile(r"\bDelegate (\d{3})\b")

spanned = []
seen = {}
for page in range(1, n + 1):
    text = t.pdftotext(pdf, page)
    rows = [int(m.group(1)) for m in row_re.finditer(text)]
    for r in rows:
        seen[r] = seen.get(r, 0) + 1
    if not rows:
        continue
    spanned.append(page)
    first_row = row_re.search(text).start()
    for cell in HEADER:
        pos = text.find(cell)
        check(pos >= 0, "page %d holds rows %d–%d but no header cell %r"
              % (page, rows[0], rows[-1], cell))
        if pos >= 0:
            check(pos < first_row, "page %d: header cell %r comes after the first row"
                  % (page, cell))
    check(rows == list(range(rows[0], rows[0] + len(rows))),
          "page %d: rows out of order or missing: %r" % (page, rows))

print("the table spans pages %r of %d" % (spanned, n))
check(len(spanned) >= 2, "the table does not split across pages (pages %r)" % spanned)
check(spanned == list(range(spanned[0], spanned[0] + len(spanned))) if spanned else False,
      "the table's pages are not consecutive: %r" % spanned)
missing = [i for i in range(1, ROWS + 1) if seen.get(i, 0) == 0]
doubled = [i for i, c in seen.items() if c > 1]
check(not missing, "rows missing from the PDF: %r" % missing)
check(not doubled, "rows printed more than once: %r" % doubled)
if spanned:
    last = t.pdftotext(pdf, spanned[-1], n)
    check("End of the schedule." in last, "the paragraph after the table is missing")

# The chronology row from the second table gives the page that table is on.
labels = t.QpdfJson(pdf).page_labels()
event = "Plenary at the Metropole"
# The chronology row wraps over lines: take the source and page after it.
chron = re.findall(r"Plenary at the\s+Metropole\s+schedule\.md\s+(\S+)", t.pdftotext(pdf, raw=True))
check(len(chron) == 1, "the chronology has no single row for the table's event: %r" % chron)
table_pages = [labels[p - 1] for p in range(1, n + 1)
               if re.search(r"^27 February 2019 " + event, t.pdftotext(pdf, p, raw=True), re.M)]
print("chronology page ref: %r; table on page(s) %r" % (chron, table_pages))
check(len(table_pages) == 1, "the dated table is not on one page: %r" % table_pages)
if chron and table_pages:
    check(chron[0] == table_pages[0], "the chronology points to page %r, the table is on %r"
          % (chron[0], table_pages))

# Render the pages the table spans for a human look.
if spanned:
    shutil.rmtree(PNG_DIR, ignore_errors=True)
    os.makedirs(PNG_DIR)
    t.tool("pdftoppm", "-png", "-r", "60", "-f", spanned[0], "-l", spanned[-1],
           pdf, os.path.join(PNG_DIR, "page"))
    pngs = sorted(glob.glob(os.path.join(PNG_DIR, "page-*.png")))
    check(len(pngs) == len(spanned), "pdftoppm made %d images for %d pages"
          % (len(pngs), len(spanned)))
    for p in pngs:
        print("rendered: " + p)

t.finish()
