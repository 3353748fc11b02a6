#!/usr/bin/env python3
"""Editions: numbered rebuilds that say what changed and lose nothing.

usage: test_editions.py CASE BRIEFING PROJECT_ROOT
CASE is one of: editions, interrupted, watch, watch-runs, lock, cache.
"""
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CASE, BRIEFING, ROOT = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1551312000", LC_ALL="C.UTF-8")
SLUG = "the-hanoi-summit"

NEW_SOURCE = """# Memo: arrival schedule

On 26 February 2019, Chairman Kim Jong Un arrived at Dong Dang station by train.
Vietnamese Foreign Minister Pham Binh Minh met Secretary of State Mike Pompeo on February 26, 2019.
"""


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(*args, check=True):
    p = subprocess.run([BRIEFING, *args], env=ENV, capture_output=True, text=True, timeout=240)
    if check and p.returncode != 0:
        fail(f"briefing {' '.join(args)} exited {p.returncode}\n{p.stderr}")
    return p


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def pdftext(path):
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout


def manifest_edition(out):
    with open(os.path.join(out, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            if k == "edition":
                return int(v)
    fail("manifest has no edition")


def valid_book(folder):
    pdf, epub = os.path.join(folder, SLUG + ".pdf"), os.path.join(folder, SLUG + ".epub")
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if q.returncode != 0:
        fail(f"qpdf --check {pdf}: {q.stdout}{q.stderr}")
    e = subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", epub], capture_output=True, text=True)
    if e.returncode != 0 or "0 errors / 0 warnings" not in e.stdout + e.stderr:
        fail(f"epubcheck {epub}: {e.stdout}{e.stderr}")


def setup():
    tmp = tempfile.mkdtemp(prefix="bb-editions-")
    src = os.path.join(tmp, "sources")
    shutil.copytree(os.path.join(ROOT, "sources"), src)
    return tmp, src, os.path.join(tmp, "out")


def case_editions():
    tmp, src, out = setup()
    run("build", src, "-o", out, "-q")
    if manifest_edition(out) != 1:
        fail("first build is not edition 1")
    with open(os.path.join(src, "002_memo.md"), "w", encoding="utf-8") as f:
        f.write(NEW_SOURCE)
    run("build", src, "-o", out, "-q")
    if manifest_edition(out) != 2:
        fail("adding a source did not make edition 2")
    text = pdftext(os.path.join(out, SLUG + ".pdf"))
    if "What’s new in edition 2" not in text or "002_memo.md" not in text:
        fail("edition 2 has no What's new listing the added source")
    if "Sources added" not in text:
        fail("What's new does not say the source was added")
    # its events and people are marked new in their tables
    chron = text[text.index("Chronology"):]
    if "\nnew\n" not in chron and " new\n" not in chron:
        fail("no row marked new in the chronology")
    if "Pham Binh Minh" not in text.split("New people", 1)[-1]:
        fail("the new person is not listed as new")
    before = {n: digest(os.path.join(out, n)) for n in (SLUG + ".pdf", SLUG + ".epub", "manifest.tsv")}
    p = run("build", src, "-o", out)
    if manifest_edition(out) != 2 or os.path.exists(os.path.join(out, "editions", "3")):
        fail("an unchanged rebuild made a new edition")
    after = {n: digest(os.path.join(out, n)) for n in before}
    if before != after:
        fail("an unchanged rebuild changed the files")
    if "no change since edition 2" not in p.stderr:
        fail("an unchanged rebuild did not say so: " + p.stderr)
    os.remove(os.path.join(src, "000_7d51c5f7be742ba7.txt"))
    run("build", src, "-o", out, "-q")
    if manifest_edition(out) != 3:
        fail("removing a source did not make edition 3")
    text = pdftext(os.path.join(out, SLUG + ".pdf"))
    if "Sources removed" not in text or "000_7d51c5f7be742ba7.txt" not in text:
        fail("edition 3 does not list the removed source")
    for n in (1, 2, 3):
        valid_book(os.path.join(out, "editions", str(n)))
    # a current file deleted by hand comes back byte for byte
    os.remove(os.path.join(out, SLUG + ".pdf"))
    run("build", src, "-o", out, "-q")
    if digest(os.path.join(out, SLUG + ".pdf")) != digest(os.path.join(out, "editions", "3", SLUG + ".pdf")):
        fail("a missing current PDF did not come back identical to its edition's copy")
    shutil.rmtree(tmp)
    print("ok: editions 1-3, unchanged rebuild, removal, kept editions valid")


def case_interrupted():
    """Kill builds at different moments: the previous edition stays whole."""
    tmp, src, out = setup()
    run("build", src, "-o", out, "-q")
    # make the next build long enough to interrupt at several points
    for i in range(50):
        with open(os.path.join(src, f"bulk_{i:02d}.txt"), "w", encoding="utf-8") as f:
            for k in range(40):
                f.write(f"On {k % 28 + 1} March 2019 delegation {i} met officials in Hanoi to review item {k}, "
                        "and the talks continued through the afternoon with long statements from both sides.\n")
    good = {n: digest(os.path.join(out, n)) for n in (SLUG + ".pdf", SLUG + ".epub", "manifest.tsv")}
    t0 = time.time()
    p = subprocess.Popen([BRIEFING, "build", src, "-o", os.path.join(tmp, "probe"), "-q"], env=ENV)
    p.wait()
    full = time.time() - t0
    kills = 0
    for frac, sig in ((0.05, signal.SIGKILL), (0.25, signal.SIGTERM), (0.45, signal.SIGKILL),
                      (0.6, signal.SIGINT), (0.75, signal.SIGKILL), (0.9, signal.SIGTERM),
                      (0.97, signal.SIGKILL)):
        # The probe's time is only a guide on a shared machine: a build
        # that finishes before its signal is checked and tried again
        # sooner, so each moment is interrupted at least once.
        delay = full * frac
        for attempt in range(4):
            p = subprocess.Popen([BRIEFING, "build", src, "-o", out, "-q"], env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            killed = p.poll() is None
            if killed:
                p.send_signal(sig)
                kills += 1
            p.wait()
            delay /= 2
            if p.returncode == 0:
                # the build finished: it must be a complete edition 2; start over
                if manifest_edition(out) != 2:
                    fail("a finished build is not edition 2")
                valid_book(out)
                shutil.rmtree(out)
                run("build", os.path.join(ROOT, "sources"), "-o", out, "-q")
                good = {n: digest(os.path.join(out, n)) for n in good}
                continue
            now = {n: digest(os.path.join(out, n)) for n in good}
            if now != good:
                # A polite signal that lands during the renames waits for
                # them: then the folder must hold the whole new edition.
                new = os.path.join(out, "editions", "2")
                new_files = {n: digest(os.path.join(new, n)) if os.path.exists(os.path.join(new, n)) else None
                             for n in good}
                whole_new = manifest_edition(out) == 2 and now == new_files
                if sig != signal.SIGKILL and not whole_new:
                    fail(f"killed with {sig.name} at {frac:.0%}: the folder holds neither the previous "
                         "edition nor the whole new one")
                # SIGKILL cannot wait for the renames: each current file is
                # still whole (old or new, never cut), and edition 1's own
                # copy is untouched.
                for n in good:
                    if now[n] not in (good[n], new_files[n]):
                        fail(f"killed with {sig.name} at {frac:.0%}: {n} is neither the old nor the new file")
                valid_book(os.path.join(out, "editions", "1"))
                valid_book(out)
                shutil.rmtree(out)
                run("build", os.path.join(ROOT, "sources"), "-o", out, "-q")
                good = {n: digest(os.path.join(out, n)) for n in good}
                break
            for name in os.listdir(out):
                if name.startswith(".") and name != ".briefing.lock":
                    # temporaries may remain after SIGKILL, never under a final name
                    continue
            break
    if kills < 5:
        fail(f"only {kills} builds were interrupted; the test proves too little")
    valid_book(out)
    shutil.rmtree(tmp)
    print(f"ok: {kills} interrupted builds left the previous edition intact (full build {full:.1f}s)")


def case_watch():
    tmp, src, out = setup()
    # BRIEFING_TIMINGS: each build says how many blocks it took from the last
    p = subprocess.Popen([BRIEFING, "watch", src, "-o", out, "-q"], env=dict(ENV, BRIEFING_TIMINGS="1"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while not os.path.exists(os.path.join(out, "manifest.tsv")):
            if time.time() > deadline or p.poll() is not None:
                fail("watch did not build edition 1")
            time.sleep(0.2)
        time.sleep(0.5)
        with open(os.path.join(src, "002_memo.md"), "w", encoding="utf-8") as f:
            f.write(NEW_SOURCE)
        while not os.path.exists(os.path.join(out, "editions", "2", "manifest.tsv")):
            if time.time() > deadline or p.poll() is not None:
                fail("watch did not make edition 2 after a source was dropped in")
            time.sleep(0.2)
        # the manifest is renamed last: wait for it to say 2
        while manifest_edition(out) != 2:
            if time.time() > deadline:
                fail("manifest never reached edition 2")
            time.sleep(0.2)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("watch did not stop on SIGTERM")
    if p.returncode != 0:
        fail(f"watch exited {p.returncode}: {err}")
    if "002_memo.md" not in err:
        fail("watch did not say what changed: " + err)
    valid_book(out)
    # The rebuild kept the layout of what did not change ...
    reuse = re.findall(r"^layout: (\d+) of (\d+) blocks from the last build$", err, re.M)
    if len(reuse) != 2:
        fail("expected two builds' layout lines, got %r\n%s" % (reuse, err))
    first, second = [(int(a), int(b)) for a, b in reuse]
    print("layout reuse: first build %d of %d, rebuild %d of %d" % (first + second))
    if first[0] != 0:
        fail("the first build reused layout it cannot have: %r" % (first,))
    if not (second[1] > first[1] and second[0] >= first[1] // 2):
        fail("the rebuild laid out again what had not changed: %r after %r" % (second, first))
    # ... took the analysis of the sources that had not changed from
    # memory, not from the cache's folder ...
    counts = [tuple(int(x) for x in m) for m in CACHE_LINE.findall(err)]
    if len(counts) != 2:
        fail("expected two builds' cache lines, got %r\n%s" % (counts, err))
    (h1, m1, x1), (h2, m2, x2) = counts
    print("analysis: first build %d hits (%d from memory), %d misses; rebuild %d hits (%d from memory), %d misses"
          % (h1, m1, x1, h2, m2, x2))
    if m1 != 0 or x2 != 1 or h2 != x1 or m2 != h2:
        fail("the rebuild did not take the unchanged sources' analysis from memory: %r" % (counts,))
    # ... and made the very same book as two separate builds do.
    cold = os.path.join(tmp, "cold")
    os.remove(os.path.join(src, "002_memo.md"))
    run("build", src, "-o", cold, "-q")
    with open(os.path.join(src, "002_memo.md"), "w", encoding="utf-8") as f:
        f.write(NEW_SOURCE)
    run("build", src, "-o", cold, "-q")
    for name in (SLUG + ".pdf", SLUG + ".epub"):
        if digest(os.path.join(out, name)) != digest(os.path.join(cold, name)):
            fail(f"{name} from watch differs from the same edition built by two separate runs")
    shutil.rmtree(tmp)
    print("ok: watch made edition 2 when a source was added, reusing layout, identical to a cold build")

def json_labels(pdf, n):
    """Each page's label, from the PDF's page label tree (qpdf)."""
    import json
    data = json.loads(subprocess.run(["qpdf", "--json", "--json-key=pagelabels", pdf], capture_output=True,
                                     text=True, check=True).stdout)["pagelabels"]
    out = []
    for i in range(n):
        cur = [x for x in data if x["index"] <= i][-1]
        lab = cur["label"]
        num = lab.get("/St", 1) + i - cur["index"]
        prefix = lab.get("/P", "").removeprefix("u:")
        out.append({"label": prefix + (str(num) if lab.get("/S") == "/D" else "")})
    return out


def case_watch_runs_spread():
    """The same with the blocks laid out on two threads before the first
    pass, as in a big book (BRIEFING_PRELAYOUT_MIN=1): a generated book of
    six sources, each of whose chapters ends with the same paragraph before
    its citation notes.  After a seventh source is added at the end, every
    run of the body that ends before the new chapter must be joined from
    the last edition: a page drawn with glyphs of other fonts (another
    thread's) than last time is drawn again, so a block laid out on a
    worker in one build and on the main thread in the next would show up
    here as runs drawn again."""
    tmp = tempfile.mkdtemp(prefix="bb-editions-")
    src, out = os.path.join(tmp, "src"), os.path.join(tmp, "out")
    sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
    import gen_corpus
    gen_corpus.generate(6, src)
    env = dict(ENV, BRIEFING_TIMINGS="1", BRIEFING_PDF_RUN_PAGES="4", BRIEFING_PRELAYOUT_MIN="1",
               BRIEFING_THREADS="2")
    p = subprocess.Popen([BRIEFING, "watch", src, "-o", out, "-q"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    name = None
    try:
        deadline = time.time() + 240
        for edition in (1, 2):
            while not os.path.exists(os.path.join(out, "manifest.tsv")) or manifest_edition(out) != edition:
                if time.time() > deadline or p.poll() is not None:
                    fail(f"watch did not make edition {edition}")
                time.sleep(0.2)
            if edition == 1:
                time.sleep(0.5)
                name, text = gen_corpus.source(6, 2019, False)
                with open(os.path.join(src, name), "w", encoding="utf-8") as f:
                    f.write(text)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("watch did not stop on SIGTERM")
    if p.returncode != 0:
        fail(f"watch exited {p.returncode}: {err}")
    if "blocks and cells laid out on 2 threads" not in err:
        fail("the blocks were not laid out on two threads: nothing was tested\n" + err)
    kept = [line.split()[6:] for line in err.splitlines() if line.startswith("draw: pages from the last build:")]
    if len(kept) != 1:
        fail("expected the pages edition 2 reused, got %r\n%s" % (kept, err))
    # the first body page of the new chapter: its provenance line names the file
    pdf = os.path.join(out, "editions", "2", "benchmark-book.pdf")
    npages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                                                               check=True).stdout, re.M).group(1))
    labels = [x["label"] for x in json_labels(pdf, npages)]
    body = [i for i in range(npages) if labels[i].isdigit()]
    start = None
    for i in body:
        page = subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1), pdf, "-"], capture_output=True,
                              text=True, check=True).stdout
        if name + " ·" in page:
            start = int(labels[i])
            break
    if start is None:
        fail(f"no body page names {name}")
    # runs of the body are counted from page 1, four pages each
    expected = ["%d-%d" % (a, a + 3) for a in range(1, start - 3, 4)]
    missing = [r for r in expected if r not in kept[0]]
    print("new chapter from page %d; runs before it %r; reused %r" % (start, expected, kept[0]))
    if len(expected) < 3:
        fail("fewer than three runs before the new chapter: nothing was tested")
    if missing:
        fail("runs before the new chapter were drawn again: %r" % missing)
    shutil.rmtree(tmp, ignore_errors=True)
    print("ok: watch-runs-spread")


def case_watch_runs():
    """watch joins runs of pages it drew for the last edition instead of
    drawing them again (pdf.c): every edition must still be, byte for byte,
    the book that separate builds make of the same sources."""
    tmp, src, out = setup()
    # runs of two pages: the seed book's body is several runs
    env = dict(ENV, BRIEFING_TIMINGS="1", BRIEFING_PDF_RUN_PAGES="2")
    first = sorted(f for f in os.listdir(src) if f.endswith(".txt"))[0]

    def rewrite(path, old, new):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if old not in text:
            fail(f"{path} no longer has {old!r}, which this test changes")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    # what changes each edition, applied to a folder
    steps = [
        ("a source added at the end", lambda d: open(os.path.join(d, "002_memo.md"), "w",
                                                     encoding="utf-8").write(NEW_SOURCE)),
        ("a word changed in the first chapter",
         lambda d: rewrite(os.path.join(d, first), "Khó khăn cho cuộc gặp", "Khó khăn của cuộc gặp")),
        ("the book's title changed (every running head)",
         lambda d: rewrite(os.path.join(d, "book.ini"), "title=The Hanoi Summit\n",
                           "title=The Hanoi Summit, Revised\n")),
    ]
    p = subprocess.Popen([BRIEFING, "watch", src, "-o", out, "-q"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 240
        for edition in range(1, len(steps) + 2):
            while not os.path.exists(os.path.join(out, "manifest.tsv")) or manifest_edition(out) != edition:
                if time.time() > deadline or p.poll() is not None:
                    fail(f"watch did not make edition {edition}")
                time.sleep(0.2)
            if edition <= len(steps):
                time.sleep(0.5)
                steps[edition - 1][1](src)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("watch did not stop on SIGTERM")
    if p.returncode != 0:
        fail(f"watch exited {p.returncode}: {err}")
    draws = [(int(a), int(b)) for a, b in
             re.findall(r"^draw: \d+ pages in (\d+) runs on \d+ threads, (\d+) runs from the last build$",
                        err, re.M)]
    if len(draws) != len(steps) + 1:
        fail("expected a draw line per edition, got %r\n%s" % (draws, err))
    print("runs joined from the last edition, per edition: %r" % draws)
    if draws[0][1] != 0:
        fail("the first build reused runs it cannot have")
    # the added source and the changed word leave runs of the body as they were
    if draws[1][1] < 1 or draws[2][1] < 1:
        fail("watch drew every run again: %r" % draws)
    # the changed word's page is drawn again
    kept = [line.split()[6:] for line in err.splitlines() if line.startswith("draw: pages from the last build:")]
    if len(kept) != 2:
        fail("expected the pages reused by editions 2 and 3, got %r" % kept)
    pdf3 = os.path.join(out, "editions", "3", SLUG + ".pdf")
    npages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf3], capture_output=True, text=True,
                                                               check=True).stdout, re.M).group(1))
    labels = [x["label"] for x in json_labels(pdf3, npages)]
    changed = [labels[i] for i in range(npages)
               if "Khó khăn của cuộc gặp" in " ".join(subprocess.run(
                   ["pdftotext", "-f", str(i + 1), "-l", str(i + 1), pdf3, "-"], capture_output=True,
                   text=True, check=True).stdout.split())]
    if len(changed) != 1:
        fail("the changed sentence is on pages %r of edition 3" % changed)
    for r in kept[1]:
        a, b = r.split("-")
        if a.isdigit() and b.isdigit() and changed[0].isdigit() and int(a) <= int(changed[0]) <= int(b):
            fail(f"page {changed[0]}, whose word changed, was joined from the last edition ({r})")
    print("edition 3 changed page %s and reused pages %s" % (changed[0], " ".join(kept[1])))
    # a new title changes every page's running head
    if draws[3][1] != 0:
        fail("runs were reused across a change to every page: %r" % draws)
    # the same editions from separate builds
    cold_src, cold = os.path.join(tmp, "cold-src"), os.path.join(tmp, "cold")
    shutil.copytree(os.path.join(ROOT, "sources"), cold_src)
    for edition in range(1, len(steps) + 2):
        if edition > 1:
            steps[edition - 2][1](cold_src)
        r = subprocess.run([BRIEFING, "build", cold_src, "-o", cold, "-q"], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"cold build of edition {edition} failed: {r.stderr}")
        # the title names the file
        names = [f for f in os.listdir(os.path.join(out, "editions", str(edition))) if f.endswith(".pdf")]
        if len(names) != 1:
            fail(f"edition {edition} holds PDFs {names!r}")
        for name in names:
            a = os.path.join(out, "editions", str(edition), name)
            b = os.path.join(cold, "editions", str(edition), name)
            if digest(a) != digest(b):
                fail(f"edition {edition} ({steps[edition - 2][0] if edition > 1 else 'first'}): "
                     f"{name} from watch differs from separate builds")
    valid_book(out)
    shutil.rmtree(tmp)
    print("ok: watch joined runs it had drawn, and every edition equals separate builds byte for byte")


def case_lock():
    tmp, src, out = setup()
    os.makedirs(out)
    fd = os.open(os.path.join(out, ".briefing.lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    p = subprocess.Popen([BRIEFING, "build", src, "-o", out], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    if p.poll() is not None:
        fail("a build ran while another held the output folder")
    if os.path.exists(os.path.join(out, SLUG + ".pdf")):
        fail("a build wrote while another held the output folder")
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    _, err = p.communicate(timeout=240)
    if p.returncode != 0:
        fail("the waiting build failed: " + err)
    if "waiting for another build" not in err:
        fail("the waiting build did not say why it waited: " + err)
    shutil.rmtree(tmp)
    print("ok: a second build waits for the first")


CACHE_LINE = re.compile(r"^cache: (\d+) hits \((\d+) from memory\), (\d+) misses$", re.M)
KEY_NAME = re.compile(r"^[0-9a-f]{64}$")


def build_counted(src, out):
    """Builds with BRIEFING_TIMINGS; returns (hits, misses, stderr)."""
    p = subprocess.run([BRIEFING, "build", src, "-o", out], env=dict(ENV, BRIEFING_TIMINGS="1"),
                       capture_output=True, text=True, timeout=240)
    if p.returncode != 0:
        fail(f"briefing build {src} -o {out} exited {p.returncode}\n{p.stderr}")
    m = CACHE_LINE.search(p.stderr)
    if not m:
        fail("no 'cache: N hits (K from memory), M misses' line with BRIEFING_TIMINGS:\n" + p.stderr)
    if int(m.group(2)) != 0:
        fail("a build on its own took analyses from memory:\n" + p.stderr)
    return int(m.group(1)), int(m.group(3)), p.stderr


def cache_entries(out):
    folder = os.path.join(out, ".cache", "analysis")
    names = sorted(os.listdir(folder))
    odd = [n for n in names if not KEY_NAME.match(n)]
    if odd:
        fail(f"the analysis cache holds more than entries: {odd}")
    return [os.path.join(folder, n) for n in names]


def book_digests(out):
    names = [SLUG + ".pdf", SLUG + ".epub", "manifest.tsv"]
    return {n: digest(os.path.join(out, n)) for n in names}


def same_book(a, b, what):
    da, db = book_digests(a), book_digests(b)
    differ = [n for n in da if da[n] != db[n]]
    if differ:
        fail(f"{what}: {', '.join(differ)} differ ({a} and {b})")


def case_cache():
    """Per-source analysis kept across builds: the same book, less work."""
    tmp, src, out = setup()
    fixtures = os.path.join(ROOT, "tests", "e2e", "fixtures", "my_summit")
    for name in os.listdir(fixtures):
        shutil.copy(os.path.join(fixtures, name), src)
    n = sum(1 for f in os.listdir(src) if f.endswith((".txt", ".md")))

    # cold: every source read, one entry each
    hits, misses, _ = build_counted(src, out)
    if (hits, misses) != (0, n):
        fail(f"cold build: {hits} hits, {misses} misses; expected 0 and {n}")
    if len(cache_entries(out)) != n:
        fail(f"{len(cache_entries(out))} cache entries for {n} sources")

    # warm, into a folder holding only that cache: the same book byte for byte
    warm = os.path.join(tmp, "warm")
    shutil.copytree(os.path.join(out, ".cache"), os.path.join(warm, ".cache"))
    hits, misses, _ = build_counted(src, warm)
    if (hits, misses) != (n, 0):
        fail(f"warm build: {hits} hits, {misses} misses; expected {n} and 0")
    same_book(warm, out, "a build from the cache against the cold build")

    # an unchanged rebuild reads nothing and changes nothing
    before = book_digests(out)
    entries = {e: digest(e) for e in cache_entries(out)}
    hits, misses, err = build_counted(src, out)
    if (hits, misses) != (n, 0) or "no change since edition 1" not in err:
        fail(f"unchanged rebuild: {hits} hits, {misses} misses\n{err}")
    if book_digests(out) != before or {e: digest(e) for e in cache_entries(out)} != entries:
        fail("an unchanged rebuild rewrote files")

    # one source changed: only it is read, and the edition is the one a
    # build without the cache makes
    prev = os.path.join(tmp, "prev")
    shutil.copytree(out, prev)
    with open(os.path.join(src, "arrival.txt"), "a", encoding="utf-8") as f:
        f.write("\nForeign Minister Pham Binh Minh welcomed the delegation at the station.\n")
    hits, misses, _ = build_counted(src, out)
    if (hits, misses) != (n - 1, 1):
        fail(f"one source changed: {hits} hits, {misses} misses; expected {n - 1} and 1")
    if manifest_edition(out) != 2:
        fail("a changed source did not make edition 2")
    shutil.rmtree(os.path.join(prev, ".cache"))
    hits, misses, _ = build_counted(src, prev)
    if (hits, misses) != (0, n):
        fail(f"build without a cache: {hits} hits, {misses} misses")
    same_book(prev, out, "edition 2 from the cache against edition 2 built without it")
    if len(cache_entries(out)) != n:
        fail("the changed source's old entry was not dropped")

    # damaged entries are read again, never a failure
    damaged = cache_entries(out)[:3]
    with open(damaged[0], "r+b") as f:
        f.truncate(os.path.getsize(damaged[0]) // 2)
    with open(damaged[1], "wb") as f:
        f.write(os.urandom(4096))
    with open(damaged[2], "wb"):
        pass
    hits, misses, err = build_counted(src, out)
    if (hits, misses) != (n - 3, 3) or "no change since edition 2" not in err:
        fail(f"damaged entries: {hits} hits, {misses} misses\n{err}")
    same_book(out, prev, "the book after damaged entries")
    hits, misses, _ = build_counted(src, out)
    if (hits, misses) != (n, 0):
        fail(f"damaged entries were not rewritten: {hits} hits, {misses} misses")

    # a removed source takes its entry with it
    os.remove(os.path.join(src, "tin_tuc.txt"))
    hits, misses, _ = build_counted(src, out)
    if (hits, misses) != (n - 1, 0) or len(cache_entries(out)) != n - 1:
        fail(f"removed source: {hits} hits, {misses} misses, {len(cache_entries(out))} entries")
    valid_book(out)
    shutil.rmtree(tmp)
    print(f"ok: cold, warm and changed builds through the analysis cache ({n} sources)")


{"editions": case_editions, "interrupted": case_interrupted, "watch": case_watch, "watch-runs": case_watch_runs,
 "watch-runs-spread": case_watch_runs_spread,
 "lock": case_lock,
 "cache": case_cache}[CASE]()
