"""--help and --version: exit 0, every command named, a version number."""

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

t.finish()
