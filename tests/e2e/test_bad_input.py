"""Bad input: clear file:line messages, the right exit status, a book when possible.

The fixtures are made at test time in a temporary folder: a missing folder,
an empty folder, and a folder mixing one good source with a binary file
named .txt, invalid UTF-8, an empty file, a sub-folder and a malformed
book.ini.  Usage errors exit 2.
"""

import os
import re

import e2elib as t
from e2elib import check

ctx = t.start("bad-input")
tmp = ctx.tmp


def no_files_in(folder, what):
    left = os.listdir(folder) if os.path.isdir(folder) else []
    check(not left, "%s: a failed build wrote %r" % (what, left))


def diag_lines(err, name):
    """stderr lines that are diagnostics about the file `name`."""
    return [ln for ln in err.splitlines()
            if re.match(r"^(.*/)?%s(:\d+)?: " % re.escape(name), ln)]


# 1. A missing folder.
missing = os.path.join(tmp, "no-such-folder")
out1 = os.path.join(tmp, "out1")
rc, out, err = ctx.run("build", missing, "-o", out1)
check(rc == 1, "missing folder: exit %d, expected 1" % rc)
check(re.search(r"^%s(:\d+)?: " % re.escape(missing), err, re.M) is not None,
      "missing folder: no 'file: message' line naming %s in %r" % (missing, err))
no_files_in(out1, "missing folder")

# 2. An empty folder.
empty = os.path.join(tmp, "empty")
os.mkdir(empty)
out2 = os.path.join(tmp, "out2")
rc, out, err = ctx.run("build", empty, "-o", out2)
check(rc == 1, "empty folder: exit %d, expected 1" % rc)
check("no sources" in err, "empty folder: message does not say 'no sources': %r" % err)
check(re.search(r"^%s(:\d+)?: " % re.escape(empty), err, re.M) is not None,
      "empty folder: the message does not start with the folder name: %r" % err)
no_files_in(out2, "empty folder")

# 3. One good source among bad ones: the book is built, one warning each.
mixed = os.path.join(tmp, "mixed")
os.mkdir(mixed)
GOOD = "The delegations met in the Metropole hotel on Wednesday evening."
with open(os.path.join(mixed, "good.txt"), "w", encoding="utf-8") as f:
    f.write(GOOD + "\nThe talks continued the next morning.\n")
with open(os.path.join(mixed, "picture.txt"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06")
with open(os.path.join(mixed, "utf.txt"), "wb") as f:
    # The bad byte is on line 4.
    f.write(b"Line one is fine.\nLine two is fine.\nLine three is fine.\n"
            b"Line four has a bad \xc3\x28 byte.\nLine five is fine.\n")
open(os.path.join(mixed, "blank.txt"), "w").close()
os.mkdir(os.path.join(mixed, "notes"))
with open(os.path.join(mixed, "notes", "hidden.txt"), "w") as f:
    f.write("This file is inside a sub-folder.\n")
with open(os.path.join(mixed, "book.ini"), "w") as f:
    # The malformed group line is line 3.
    f.write("# settings for the book\n\n[book\ntitle=Broken\n")

out3 = os.path.join(tmp, "out3")
rc, out, err = ctx.run("build", mixed, "-o", out3)
check(rc == 0, "mixed folder: exit %d, expected 0 (the good source can be built)" % rc)
pdfs = [f for f in os.listdir(out3) if f.endswith(".pdf")] if os.path.isdir(out3) else []
check(len(pdfs) == 1, "mixed folder: expected one PDF, found %r" % pdfs)

expect = {
    # file name: the line the message must carry (None: no line needed)
    "picture.txt": None,
    "utf.txt": 4,
    "blank.txt": None,
    "notes": None,
    "book.ini": 3,
}
for name, line in expect.items():
    lines = diag_lines(err, name)
    if not check(len(lines) == 1, "%s: expected exactly one message, got %r" % (name, lines)):
        continue
    msg = lines[0]
    check(re.search(r": (warning|error): \S", msg) is not None,
          "%s: message lacks a severity and text: %r" % (name, msg))
    if line is not None:
        m = re.match(r"^(?:.*/)?%s:(\d+): " % re.escape(name), msg)
        check(m is not None and int(m.group(1)) == line,
              "%s: expected line %d in %r" % (name, line, msg))
check(not diag_lines(err, "good.txt"), "good.txt got a message: %r" % diag_lines(err, "good.txt"))

if pdfs:
    text = t.squash(t.pdftotext(os.path.join(out3, pdfs[0])))
    check(GOOD in text, "the good source's text is not in the book")
    check("PNG" not in text and "IHDR" not in text, "the binary file's bytes are in the book")
    check("This file is inside a sub-folder" not in text, "a sub-folder's file was read")
    check("Line four has a bad \ufffd( byte." in text,
          "the invalid byte is not shown as U+FFFD with the rest of the line kept")

# 4. An unreadable file (only meaningful when not running as root).
if hasattr(os, "geteuid") and os.geteuid() != 0:
    locked = os.path.join(tmp, "locked")
    os.mkdir(locked)
    with open(os.path.join(locked, "good.txt"), "w") as f:
        f.write(GOOD + "\n")
    secret = os.path.join(locked, "secret.txt")
    with open(secret, "w") as f:
        f.write("Nobody may read this.\n")
    os.chmod(secret, 0)
    rc, out, err = ctx.run("build", locked, "-o", os.path.join(tmp, "out4"))
    check(rc == 0, "unreadable file: exit %d, expected 0" % rc)
    check(len(diag_lines(err, "secret.txt")) == 1,
          "unreadable file: expected one message naming secret.txt in %r" % err)
    os.chmod(secret, 0o600)
else:
    print("skipping the unreadable-file case: running as root")

# 5. Usage errors exit 2.
for args in (["build", "--format", "docx"], ["frobnicate"], ["build", "--no-such-option"]):
    rc, out, err = ctx.run(*args)
    check(rc == 2, "%s: exit %d, expected 2 (usage error)" % (" ".join(args), rc))
    check(err.strip() != "", "%s: no message on stderr" % " ".join(args))
no_files_in(os.path.join(tmp, "out"), "usage errors")

t.finish()
