"""`briefing check` agrees with `briefing build` and writes nothing.

DESIGN.md: exit 1 means the sources could not be built, and warnings never
change the exit status.  So when `build` makes the book from a folder whose
bad files it skips, `check` on the same folder must exit 0 too, and the
messages about skipped files are warnings, not errors.
"""

import os

import e2elib as t
from e2elib import check

ctx = t.start("check-agrees")
folder = os.path.join(ctx.tmp, "mixed")
os.mkdir(folder)
with open(os.path.join(folder, "good.txt"), "w", encoding="utf-8") as f:
    f.write("The delegations met in Hanoi on Wednesday evening.\n")
with open(os.path.join(folder, "picture.txt"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
open(os.path.join(folder, "blank.txt"), "w").close()
before = sorted(os.listdir(folder))

rc_check, _, err_check = ctx.run("check", folder, cwd=ctx.tmp)
check(sorted(os.listdir(folder)) == before, "check wrote into the sources folder")
check(not os.path.exists(os.path.join(ctx.tmp, "out")), "check created an output folder")

rc_build, _, err_build = ctx.run("build", folder, "-o", os.path.join(ctx.tmp, "out"))
check(rc_build == 0, "build: exit %d, expected 0" % rc_build)
check(rc_check == rc_build,
      "check exits %d but build exits %d on the same sources" % (rc_check, rc_build))
for line in err_build.splitlines():
    if ("picture.txt" in line or "blank.txt" in line) and ": error:" in line:
        check(False, "a skipped source is reported as an error although the "
              "book was built: %r" % line)

t.finish()
