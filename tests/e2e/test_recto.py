"""Page 1 of the body is a recto.

Generated books of 3 to 8 sources have front matter of either parity.  In
every one, the page labelled "1" must sit at an even index (a right-hand
page in print: index 0 is the cover), every front page must carry a roman
label, and when the front matter would have ended on a recto, the page
before "1" must be a blank verso: a roman label, only the handling
markings for text, no links.  At least one of the books must need that
blank page, or nothing was tested.  The EPUB is checked by EPUBCheck
elsewhere; here its page list must still name every print page.
"""

import os
import re
import subprocess
import sys
import zipfile

import e2elib as t
from e2elib import check

ROMAN = re.compile(r"^[ivxlcdm]+$")

ctx = t.start("recto")
marking = None
blanks = 0
for n in range(3, 9):
    src = os.path.join(ctx.tmp, "src%d" % n)
    subprocess.run([sys.executable, os.path.join(ctx.root, "tests", "bench", "gen_corpus.py"), str(n), src],
                   check=True, capture_output=True)
    if marking is None:
        marking = t.read_book_ini(src).get("book", "marking", fallback="UNCLASSIFIED")
    out = os.path.join(ctx.tmp, "out%d" % n)
    pdf = ctx.build(src, out)
    q = t.QpdfJson(pdf)
    labels = q.page_labels()
    check("1" in labels, "%d sources: no page 1 among %r" % (n, labels))
    if "1" not in labels:
        continue
    one = labels.index("1")
    check(one % 2 == 0, "%d sources: page 1 is at index %d, a verso" % (n, one))
    check(all(ROMAN.match(x) for x in labels[:one]), "%d sources: front labels %r" % (n, labels[:one]))
    before = t.pdftotext(pdf, one, one)  # 1-based: the page before page 1
    words = before.split()
    blank = all(w == marking for w in words)
    if blank:
        blanks += 1
        check(len(words) == 2, "%d sources: the blank page says %r, not the marking twice" % (n, words))
        annots = q.pages()[one - 1].get("annotations", [])
        check(not annots, "%d sources: the blank page has %d links" % (n, len(annots)))
    else:
        # no blank page: the front matter ended on a verso by itself
        check((one - 1) % 2 == 1, "%d sources: page %s before page 1 is not a verso" % (n, labels[one - 1]))
    # the EPUB's page list names every print page, the blank one too
    epubs = [f for f in os.listdir(out) if f.endswith(".epub")]
    check(len(epubs) == 1, "%d sources: EPUBs %r" % (n, epubs))
    if epubs:
        with zipfile.ZipFile(os.path.join(out, epubs[0])) as z:
            nav = "".join(z.read(name).decode("utf-8") for name in z.namelist() if name.endswith("nav.xhtml"))
        listed = re.findall(r'epub:type="page-list".*?</ol>', nav, re.S)
        check(listed, "%d sources: no page list in the EPUB" % n)
        if listed:
            entries = re.findall(r">([^<>]+)</a>", listed[0])
            for lab in labels:
                check(lab in entries, "%d sources: page %s is not in the EPUB's page list" % (n, lab))
    print("%d sources: %d pages, page 1 at index %d%s" % (n, len(labels), one, ", after a blank verso" if blank else ""))
check(blanks >= 1, "no book needed a blank verso: nothing was tested")
t.finish()
