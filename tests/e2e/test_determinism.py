"""Same sources + same SOURCE_DATE_EPOCH give a byte-identical PDF.

The build runs twice into different folders (and from different working
folders) so that no path or time can leak into the file unnoticed, and the
PDF's dates must be the SOURCE_DATE_EPOCH instant.
"""

import datetime
import os
import re

import e2elib as t
from e2elib import check

EPOCH = 1700000000   # 2023-11-14 22:13:20 UTC: not the default, not midnight

ctx = t.start("determinism")
a = ctx.build(ctx.sources, os.path.join(ctx.tmp, "first", "out"), epoch=EPOCH)
b = ctx.build(ctx.sources, os.path.join(ctx.tmp, "second-folder", "out"), epoch=EPOCH)

with open(a, "rb") as f:
    da = f.read()
with open(b, "rb") as f:
    db = f.read()
if not check(da == db, "two builds differ: %d vs %d bytes" % (len(da), len(db))):
    for i, (x, y) in enumerate(zip(da, db)):
        if x != y:
            print("first difference at byte %d:\n  %r\n  %r"
                  % (i, da[max(0, i - 60):i + 60], db[max(0, i - 60):i + 60]))
            break
check(b"/tmp/" not in da and ctx.tmp.encode() not in da,
      "the PDF contains a temporary path")

want = datetime.datetime.fromtimestamp(EPOCH, datetime.timezone.utc)
want_s = want.strftime("D:%Y%m%d%H%M%S")
info = t.QpdfJson(a).info()
for key in ("/CreationDate", "/ModDate"):
    got = t.pdf_string(info.get(key, ""))
    if key == "/ModDate" and not got:
        continue   # optional
    # Cairo 1.16 writes the date without the "D:" prefix; readers accept it.
    m = re.match(r"(?:D:)?(\d{14})(Z|[+-]00'?00'?)?$", got)
    if m and not got.startswith("D:"):
        print("note: %s %r lacks the D: prefix (Cairo 1.16)" % (key, got))
    check(m is not None, "%s %r is not a UTC PDF date" % (key, got))
    if m:
        check("D:" + m.group(1) == want_s,
              "%s is %r, SOURCE_DATE_EPOCH=%d means %s" % (key, got, EPOCH, want_s))

# A different epoch must change the dates (so the test above can fail).
c = ctx.build(ctx.sources, os.path.join(ctx.tmp, "third", "out"), epoch=EPOCH + 86400)
with open(c, "rb") as f:
    dc = f.read()
check(dc != da, "changing SOURCE_DATE_EPOCH did not change the PDF")

t.finish()
