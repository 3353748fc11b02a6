"""--help and --version: exit 0, every command named, a version number;
--format makes exactly the books it names."""

import os
import re

import e2elib as t
from e2elib import check

COMMANDS = ("build", "check", "chronology", "people", "dump")
OPTIONS = ("-o", "--layout", "--format", "--help", "--version")

ctx = t.start("cli")

rc, out, err = ctx.run("--help")
check(rc == 0, "--help: exit %d, expected 0" % rc)
text = out + err
check(out.strip() != "", "--help prints nothing on stdout")
for cmd in COMMANDS:
    check(re.search(r"\b%s\b" % cmd, text) is not None, "--help does not mention %r" % cmd)
for opt in OPTIONS:
    check(opt in text, "--help does not mention %r" % opt)
for word in ("SOURCES", "OUTDIR", "SOURCE_DATE_EPOCH"):
    check(word in text, "--help does not explain %s" % word)

rc, out, err = ctx.run("--version")
check(rc == 0, "--version: exit %d, expected 0" % rc)
m = re.search(r"^briefing\s+(\d+\.\d+(?:\.\d+)?)", out, re.M)
check(m is not None, "--version does not print 'briefing X.Y[.Z]': %r" % out)

with open(os.path.join(ctx.root, "meson.build"), encoding="utf-8") as f:
    meson = f.read()
mv = re.search(r"version\s*:\s*'([^']+)'", meson)
if m and mv:
    check(m.group(1) == mv.group(1), "--version says %s, meson.build says %s"
          % (m.group(1), mv.group(1)))

# No arguments at all is a usage error, not a crash.
rc, out, err = ctx.run()
check(rc in (0, 2), "no arguments: exit %d, expected 2 (usage) or 0 (help)" % rc)

# --format: each book alone, and both; the edition's folder holds the same
for fmt, want in (("pdf", {".pdf"}), ("epub", {".epub"}), ("pdf,epub", {".pdf", ".epub"})):
    out_dir = os.path.join(ctx.tmp, "format-" + fmt.replace(",", "-"))
    rc, out, err = ctx.run("build", ctx.sources, "-o", out_dir, "--format", fmt)
    check(rc == 0, "--format %s: exit %d, expected 0" % (fmt, rc))
    if rc != 0:
        continue
    books = {os.path.splitext(n)[1] for n in os.listdir(out_dir) if n.endswith((".pdf", ".epub"))}
    kept = {os.path.splitext(n)[1] for n in os.listdir(os.path.join(out_dir, "editions", "1"))
            if n.endswith((".pdf", ".epub"))}
    check(books == want, "--format %s made %r" % (fmt, sorted(books)))
    check(kept == want, "--format %s kept %r in editions/1" % (fmt, sorted(kept)))

t.finish()
