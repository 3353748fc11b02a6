#!/usr/bin/env python3
"""The EPUB thread under ThreadSanitizer.

briefing writes the EPUB on a thread of its own while the PDF is drawn
(builder/cli.c).  That is safe only while the EPUB writer never changes the
book tree, not even for a moment, and does no Pango work (Pango has been seen
to break lines differently when two threads lay out text at once: see
builder/paginate.c).  Both were broken once; the PDF then sometimes lost a
named destination.

This test runs a ThreadSanitizer build of briefing on the seed book (two
editions) and on a generated corpus, and fails on any report that involves
the thread named "briefing-epub".

A long book's PDF is drawn in runs of pages on several threads (builder/
pdf.c, pdfmerge.c).  The seed book is built once more in runs of 3 pages on
4 threads, and once by `briefing watch` in runs of 2 pages on 4 threads,
whose second edition joins runs kept from the first (pdf.c: the threads
share the digests of texts).  Any report whose two accesses both come from the drawing
code (pdf.c, pdfmerge.c, glyphs.c) fails the test: that is two drawing
threads, or a drawing thread and the joining of runs, touching the same
memory unguarded.  Reports between other threads are not
judged here: GLib, fontconfig and Pango are not instrumented, so their own
locks (GMutex, g_once) are invisible to ThreadSanitizer and produce reports
that say nothing about this program.

usage: tsan_check.py BRIEFING_EXE SOURCE_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def epub_reports(log):
    """The reports in log that involve the EPUB thread."""
    found = []
    for block in log.split("==================\n"):
        if "WARNING: ThreadSanitizer" in block and "'briefing-epub'" in block:
            found.append(block)
    return found


def drawing_reports(log):
    """The reports in log whose two accesses both come from drawing code."""
    found = []
    ours = re.compile(r"builder/(pdf|pdfmerge|glyphs)\.c:")
    for block in log.split("==================\n"):
        if "WARNING: ThreadSanitizer" not in block:
            continue
        parts = re.split(r"\n  Previous ", block, maxsplit=1)
        if len(parts) == 2:
            second = parts[1].split("\n\n")[0]
            if ours.search(parts[0]) and ours.search(second):
                found.append(block)
    return found


def build(exe, src, out, what, runs=None):
    env = dict(os.environ)
    if runs:
        env["BRIEFING_PDF_RUN_PAGES"] = str(runs)
        env["BRIEFING_THREADS"] = "4"
    # GSlice's magazines reuse memory behind ThreadSanitizer's back
    env["G_SLICE"] = "always-malloc"
    env["TSAN_OPTIONS"] = "halt_on_error=0:exitcode=0"
    env["SOURCE_DATE_EPOCH"] = "1551398400"
    env["BRIEFING_TIMINGS"] = "1"
    p = subprocess.run([exe, "build", src, "-o", out], env=env, capture_output=True,
                       text=True, errors="replace", timeout=600)
    print("  %s: exit %d, %d ThreadSanitizer reports in all" % (
        what, p.returncode, p.stderr.count("WARNING: ThreadSanitizer")))
    if p.returncode != 0:
        fail("%s: exit %d\n%s" % (what, p.returncode, p.stderr[-3000:]))
        return
    # the control: without the EPUB beside the PDF this proves nothing
    if "(beside the PDF)" not in p.stderr:
        fail("%s: the EPUB was not written beside the PDF; nothing was tested" % what)
    for block in epub_reports(p.stderr):
        m = re.search(r"SUMMARY: ThreadSanitizer: (.*)", block)
        fail("%s: a race involving the EPUB thread: %s\n%s" % (what, m.group(1) if m else "?", block))
    if runs:
        m = re.search(r"draw: \d+ pages in (\d+) runs on (\d+) threads", p.stderr)
        if not m or int(m.group(1)) < 3 or int(m.group(2)) < 2:
            fail("%s: the PDF was not drawn in runs on several threads; nothing was tested" % what)
        for block in drawing_reports(p.stderr):
            m = re.search(r"SUMMARY: ThreadSanitizer: (.*)", block)
            fail("%s: a race between threads drawing the PDF: %s\n%s" % (what, m.group(1) if m else "?", block))


def watch(exe, src, out, what):
    """briefing watch: edition 1, then a source added and edition 2, which
    must join runs kept from edition 1."""
    import signal
    import time
    env = dict(os.environ, BRIEFING_PDF_RUN_PAGES="2", BRIEFING_THREADS="4", G_SLICE="always-malloc",
               TSAN_OPTIONS="halt_on_error=0:exitcode=0", SOURCE_DATE_EPOCH="1551398400",
               BRIEFING_TIMINGS="1")
    errpath = out + ".log"
    with open(errpath, "w") as errf:
        p = subprocess.Popen([exe, "watch", src, "-o", out], env=env, stdout=subprocess.DEVNULL, stderr=errf)
        try:
            deadline = time.time() + 600

            def wait(count):
                while True:
                    with open(errpath, errors="replace") as f:
                        if f.read().count("watching") >= count:
                            return True
                    if time.time() > deadline or p.poll() is not None:
                        return False
                    time.sleep(0.3)
            if not wait(1):
                fail("%s: watch did not build edition 1" % what)
                return
            time.sleep(0.5)
            with open(os.path.join(src, "zzz_watch.txt"), "w") as f:
                f.write("The leaders met again in Hanoi on 28 February 2019.\n")
            if not wait(2):
                fail("%s: watch did not build edition 2" % what)
                return
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(120)
            except subprocess.TimeoutExpired:
                p.kill()
    with open(errpath, errors="replace") as f:
        log = f.read()
    print("  %s: %d ThreadSanitizer reports in all" % (what, log.count("WARNING: ThreadSanitizer")))
    m = re.findall(r"draw: \d+ pages in (\d+) runs on (\d+) threads, (\d+) runs from the last build", log)
    if len(m) < 2 or int(m[1][1]) < 2 or int(m[1][2]) < 1:
        fail("%s: edition 2 did not join kept runs on several threads; nothing was tested: %r" % (what, m))
    for block in drawing_reports(log):
        r = re.search(r"SUMMARY: ThreadSanitizer: (.*)", block)
        fail("%s: a race between threads drawing the PDF: %s\n%s" % (what, r.group(1) if r else "?", block))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    exe, root = sys.argv[1], sys.argv[2]
    ldd = subprocess.run(["ldd", exe], capture_output=True, text=True).stdout
    if "libtsan" not in ldd:
        sys.exit("FAIL: %s is not built with ThreadSanitizer (meson setup -Db_sanitize=thread)" % exe)
    tmp = tempfile.mkdtemp(prefix="bb-tsan-")
    try:
        # the seed book, then its next edition (a "what's new" section and
        # marked rows: more of the tree for the two threads to share)
        src = os.path.join(tmp, "seeds")
        shutil.copytree(os.path.join(root, "sources"), src)
        out = os.path.join(tmp, "out")
        build(exe, src, out, "seed book, edition 1")
        with open(os.path.join(src, "zz_new.txt"), "w") as f:
            f.write("The delegations met in Hanoi on 27 February 2019. Kim Jong Un and "
                    "President Donald Trump held talks at the Metropole hotel.\n\n"
                    "The talks ended early on 28 February 2019 without an agreement.\n")
        build(exe, src, out, "seed book, edition 2")
        build(exe, src, os.path.join(tmp, "runs-out"), "seed book in runs of 3 pages", runs=3)
        wsrc = os.path.join(tmp, "watch-src")
        shutil.copytree(os.path.join(root, "sources"), wsrc)
        watch(exe, wsrc, os.path.join(tmp, "watch-out"), "briefing watch in runs of 2 pages")
        # thirty generated sources: tables, citation notes, both languages
        corpus = os.path.join(tmp, "corpus")
        subprocess.run([sys.executable, os.path.join(root, "tests", "bench", "gen_corpus.py"), "30", corpus],
                       check=True, capture_output=True)
        build(exe, corpus, os.path.join(tmp, "corpus-out"), "30 generated sources")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("no race involving the EPUB thread or between threads drawing the PDF")


if __name__ == "__main__":
    main()
