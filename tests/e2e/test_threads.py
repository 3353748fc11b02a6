"""Loading, analysis, layout and the EPUB run on several threads: the
books, the edition's files and every message must not depend on how many.

A generated corpus of 24 sources (tests/bench/gen_corpus.py), with a few
entries that are skipped with a warning, is built with BRIEFING_THREADS=1
and with BRIEFING_THREADS=4, cold and again from the analysis cache; all
four must be byte-identical, messages included.  Layout on several threads
has gone wrong only some of the time (Pango's font metrics, paginate.c), so
the book is also laid out cold three more times on 2 and 4 threads, each
required to have used them (BRIEFING_PRELAYOUT_MIN=0: a book this small
would otherwise be laid out on one thread).
"""

import os
import re
import subprocess
import sys

import e2elib as t
from e2elib import check

ctx = t.start("threads")
src = os.path.join(ctx.tmp, "sources")
subprocess.run([sys.executable, os.path.join(ctx.root, "tests", "bench", "gen_corpus.py"), "24", src],
               check=True, capture_output=True)
# entries that make messages, spread through the name order
os.mkdir(os.path.join(src, "b-folder"))
with open(os.path.join(src, "c-notes.doc"), "w") as f:
    f.write("not a source\n")
with open(os.path.join(src, "d-empty.txt"), "w") as f:
    pass
with open(os.path.join(src, "e-binary.txt"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


# a book this small is laid out on one thread unless told otherwise
os.environ["BRIEFING_PRELAYOUT_MIN"] = "0"


def build(threads, outdir, timings=False):
    os.environ["BRIEFING_THREADS"] = str(threads)
    if timings:
        os.environ["BRIEFING_TIMINGS"] = "1"
    rc, out, err = ctx.run("build", src, "-o", outdir)
    del os.environ["BRIEFING_THREADS"]
    if timings:
        del os.environ["BRIEFING_TIMINGS"]
    check(rc == 0, "build with %d thread(s) failed (exit %d)" % (threads, rc))
    files = {}
    for dirpath, _, names in os.walk(outdir):
        if ".cache" in dirpath.split(os.sep):
            continue
        for n in names:
            if n.startswith(".briefing"):
                continue
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                files[os.path.relpath(p, outdir)] = f.read()
    # the output folder appears in messages; the rest must agree
    return files, err.replace(outdir, "OUT")


one, one_err = build(1, os.path.join(ctx.tmp, "one"))
four, four_err = build(4, os.path.join(ctx.tmp, "four"))
check(any(k.endswith(".pdf") for k in one) and any(k.endswith(".epub") for k in one),
      "no PDF or no EPUB: %r" % sorted(one))
check("b-folder" in one_err and "c-notes.doc" in one_err and "d-empty.txt" in one_err,
      "the skipped entries made no messages:\n" + one_err)
check(sorted(one) == sorted(four), "different files: %r vs %r" % (sorted(one), sorted(four)))
for name in sorted(set(one) & set(four)):
    check(one[name] == four[name], "%s differs between 1 and 4 threads" % name)
check(one_err == four_err, "messages differ between 1 and 4 threads:\n%s\n---\n%s" % (one_err, four_err))

# layout on several threads, again and again: each must have laid out on
# that many threads (the control), and match the single thread's book
for k, threads in enumerate((2, 4, 4)):
    more, more_err = build(threads, os.path.join(ctx.tmp, "more%d" % k), timings=True)
    check("laid out on %d threads" % threads in more_err,
          "the layout did not run on %d threads:\n%s" % (threads, more_err))
    for name in sorted(set(one) & set(more)):
        if name.endswith((".pdf", ".epub")):
            check(one[name] == more[name], "%s differs between 1 and %d threads (run %d)" % (name, threads, k + 1))

# the same with the threads' fonts left to get their metrics at the same
# time (BRIEFING_PRELAYOUT_COLD): Pango then damages some, and only the
# check after each text keeps the book right
os.environ["BRIEFING_PRELAYOUT_COLD"] = "1"
renewed = 0
for k in range(3):
    cold, cold_err = build(4, os.path.join(ctx.tmp, "cold%d" % k), timings=True)
    check("laid out on 4 threads" in cold_err, "the layout did not run on 4 threads:\n" + cold_err)
    m = re.search(r"\((\d+) font maps renewed\)", cold_err)
    renewed += int(m.group(1)) if m else 0
    for name in sorted(set(one) & set(cold)):
        if name.endswith((".pdf", ".epub")):
            check(one[name] == cold[name], "%s differs between 1 and 4 unguarded threads (run %d)" % (name, k + 1))
del os.environ["BRIEFING_PRELAYOUT_COLD"]
print("unguarded layout: %d font maps renewed in 3 builds" % renewed)
# the control: unguarded, Pango did damage fonts, so the check was tried
check(renewed > 0, "no font was damaged in 3 unguarded builds: the check went untried")

# again from the analysis cache: a new edition's folder would differ, so
# a changed source makes edition 2 in both, from 23 cached analyses
with open(os.path.join(src, "zz-late.txt"), "w") as f:
    f.write("Late report\n\nOn 28 February 2019 the talks in Hanoi ended early.\n")
os.environ["BRIEFING_TIMINGS"] = "1"
one2, one2_err = build(1, os.path.join(ctx.tmp, "one"))
four2, four2_err = build(4, os.path.join(ctx.tmp, "four"))
del os.environ["BRIEFING_TIMINGS"]
for err in (one2_err, four2_err):
    check("cache: 24 hits (0 from memory), 1 misses" in err, "the second build did not use the cache:\n" + err)
check(sorted(one2) == sorted(four2), "different files in edition 2")
for name in sorted(set(one2) & set(four2)):
    check(one2[name] == four2[name], "%s differs between 1 and 4 threads (edition 2)" % name)

t.finish()
