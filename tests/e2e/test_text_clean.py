"""The text layer of the seed book is clean enough to search and copy.

A soft hyphen (U+00AD) marks where a word may break.  In the PDF text layer
it belongs only at the end of a line where the word did break; inside a line
it splits the word for search and copy ("of\u00adfering" is not "offering").
The replacement character U+FFFD must not appear either: the seeds are
valid UTF-8.
"""

import os
import re

import e2elib as t
from e2elib import check

ctx = t.start("text-clean")
pdf = ctx.build(ctx.sources, os.path.join(ctx.tmp, "out"))
raw = t.nfc(t.pdftotext(pdf))

inner = sorted(set(m.group(0).replace("\u00ad", "\u2027")
                   for m in re.finditer(r"\w*\u00ad(?!\n)\w*", raw)))
check(not inner, "soft hyphens inside lines of the text layer (shown as ‧): %s"
      % ", ".join(inner))
check("\ufffd" not in raw, "U+FFFD replacement characters in the text layer")

t.finish()
