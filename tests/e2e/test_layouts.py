"""--layout picks the page size; an unknown layout fails cleanly.

a4 (the seed book's layout) gives 595×842 pt pages, letter 612×792 pt.  An
unknown layout exits 1 with a message that names it and lists the layouts
that exist, writes nothing, and leaves the previous book untouched.
"""

import glob
import os
import re

import e2elib as t
from e2elib import check


def page_sizes(pdf):
    n = t.page_count(pdf)
    info = t.tool("pdfinfo", "-f", "1", "-l", str(n), pdf)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(round(float(w)), round(float(h))) for w, h in sizes]


ctx = t.start("layouts")

a4 = ctx.build(ctx.sources, os.path.join(ctx.tmp, "a4"), "--layout", "a4")
sizes = page_sizes(a4)
check(len(sizes) >= 3, "a4 build has only %d pages" % len(sizes))
check(all(s == (595, 842) for s in sizes), "a4 pages are not 595×842 pt: %r" % sorted(set(sizes)))

letter = ctx.build(ctx.sources, os.path.join(ctx.tmp, "letter"), "--layout", "letter")
sizes = page_sizes(letter)
check(len(sizes) >= 3, "letter build has only %d pages" % len(sizes))
check(all(s == (612, 792) for s in sizes), "letter pages are not 612×792 pt: %r" % sorted(set(sizes)))

# Unknown layout into an empty folder: exit 1, clear message, nothing written.
empty_out = os.path.join(ctx.tmp, "nope")
rc, out, err = ctx.run("build", ctx.sources, "-o", empty_out, "--layout", "nope")
check(rc == 1, "unknown layout: exit %d, expected 1" % rc)
check("nope" in err, "the message does not name the layout 'nope': %r" % err)
available = sorted(os.path.splitext(os.path.basename(p))[0]
                    for p in glob.glob(os.path.join(ctx.root, "layouts", "*.ini")))
check("a4" in available and "letter" in available, "layouts/ lacks a4.ini or letter.ini")
for name in available:
    check(re.search(r"\b%s\b" % re.escape(name), err) is not None,
          "the message does not list the available layout %r: %r" % (name, err))
written = []
if os.path.isdir(empty_out):
    written = os.listdir(empty_out)
check(not written, "a failed build left files behind: %r" % written)

# Unknown layout over a previous edition: the old PDF stays, byte for byte.
with open(a4, "rb") as f:
    before = f.read()
mtime = os.stat(a4).st_mtime_ns
listing = sorted(os.listdir(os.path.dirname(a4)))
rc, out, err = ctx.run("build", ctx.sources, "-o", os.path.dirname(a4), "--layout", "nope")
check(rc == 1, "unknown layout over an old book: exit %d, expected 1" % rc)
with open(a4, "rb") as f:
    check(f.read() == before, "the previous PDF changed after a failed build")
check(os.stat(a4).st_mtime_ns == mtime, "the previous PDF was rewritten after a failed build")
check(sorted(os.listdir(os.path.dirname(a4))) == listing,
      "the output folder changed after a failed build: %r -> %r"
      % (listing, sorted(os.listdir(os.path.dirname(a4)))))

t.finish()
