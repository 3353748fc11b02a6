"""The README's Quick start: two commands, and what the first one leaves.

The first code block under "## Quick start" must hold exactly two commands:
(1) install the Debian packages, build, run `briefing build` on sources/;
(2) run the whole test suite.  Installing is not repeated here; the test
checks that every listed package is installed on this machine, and then
does what the first command's last step does — `briefing build` with the
default arguments from a folder holding `sources/` — and expects
`out/<book>.pdf`.
"""

import os
import re
import shutil
import subprocess

import e2elib as t
from e2elib import check

ctx = t.start("quick-start")

with open(os.path.join(ctx.root, "README.md"), encoding="utf-8") as f:
    readme = f.read()
m = re.search(r"^## Quick start\s*$(.*?)^```[^\n]*\n(.*?)^```", readme, re.M | re.S)
check(m is not None, "README.md has no '## Quick start' section with a code block")
if m:
    commands = [ln for ln in m.group(2).splitlines() if ln.strip()]
    check(len(commands) == 2, "the Quick start block holds %d lines, expected 2: %r"
          % (len(commands), commands))
    if len(commands) == 2:
        first, second = commands
        check("apt-get" in first and "install" in first, "command 1 does not install packages")
        check("meson setup" in first and ("ninja" in first or "meson compile" in first),
              "command 1 does not build")
        check(re.search(r"briefing build( sources)?\s*$", first) is not None,
              "command 1 does not end by running `briefing build` on sources")
        check(second.startswith("meson test"), "command 2 does not run `meson test`")

        # The packages it installs are installed here.
        listed = re.search(r"-a\s+(\S+)", first)
        if listed and shutil.which("dpkg-query"):
            with open(os.path.join(ctx.root, listed.group(1))) as f:
                pkgs = [p.strip() for p in f if p.strip() and not p.startswith("#")]
            check(len(pkgs) > 5, "%s lists only %d packages" % (listed.group(1), len(pkgs)))
            for p in pkgs:
                r = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", p],
                                   capture_output=True, text=True)
                check("install ok installed" in r.stdout,
                      "package %s from %s is not installed" % (p, listed.group(1)))

# `briefing build` with no arguments, run from a folder holding sources/.
shutil.copytree(ctx.sources, os.path.join(ctx.tmp, "sources"))
rc, out, err = ctx.run("build", cwd=ctx.tmp)
check(rc == 0, "`briefing build` with defaults: exit %d" % rc)
ini = t.read_book_ini(ctx.sources)
slug = re.sub(r"[^a-z0-9]+", "-", ini.get("book", "title").lower()).strip("-")
pdf = os.path.join(ctx.tmp, "out", slug + ".pdf")
check(os.path.isfile(pdf), "no %s after `briefing build`: out/ holds %r"
      % (os.path.relpath(pdf, ctx.tmp),
         os.listdir(os.path.join(ctx.tmp, "out")) if os.path.isdir(os.path.join(ctx.tmp, "out")) else None))
if os.path.isfile(pdf):
    check(t.page_count(pdf) >= 4, "out/%s.pdf has fewer than 4 pages" % slug)
# Output is written to ".NAME.XXXXXX" and renamed when complete.
leftovers = []
for dirpath, dirs, files in os.walk(os.path.join(ctx.tmp, "out")):
    leftovers += [os.path.join(dirpath, f) for f in files
                  if re.match(r"^\..+\.[A-Za-z0-9]{6}$", f)]
check(not leftovers, "temporary files left in out/: %r" % leftovers)

t.finish()
