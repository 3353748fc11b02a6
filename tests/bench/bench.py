#!/usr/bin/env python3
"""bench.py — how fast `briefing build` is, against the floor of its stack
and against other tools, on generated corpora of N sources.

For each N (10, 100, 1000 by default; env BENCH_N="10,100" for quick runs) it
generates a corpus once (cached in WORKDIR by N and generator version), then
measures in the same run:

  briefing  `briefing build SRC -o OUT -q` (PDF + EPUB, fixed
            SOURCE_DATE_EPOCH, BRIEFING_TIMINGS=1 for per-stage times)
  floor     bench-floor: the same text laid out and drawn with bare
            Pango/Cairo, single-threaded (tests/bench/floor.c)
  pandoc    `pandoc -o book.epub SOURCES…`, when pandoc is installed
  typst     Typst to PDF through the npm package
            @myriaddreamin/typst-ts-node-compiler (installed into WORKDIR on
            first use, offline afterwards), when node and npm are there

Each measurement is wall time, CPU time (user + sys of the child and its
threads, from wait4) and peak RSS (ru_maxrss), repeated (3 runs for N <= 100,
BENCH_RUNS_LARGE, default 1, above) and summarised by the median.  Machines
are noisy, so the tools take turns (a round runs each tool once) and the
table ends with ratios.

--same measures only briefing on corpora where every source mentions the same
people and dates, and reports how time per source grows from the smallest to
the largest N: a quadratic merge of events or people shows up there.

Usage: bench.py --briefing EXE --floor EXE --srcroot DIR --workdir DIR [--same]
                [--n 10,100,1000] [--markdown FILE]
"""

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402

EPOCH = "1551225600"  # 27 February 2019, the first day of the Hanoi summit
STAGES = ["load", "analyse", "compose", "layout", "draw", "epub"]
TYPST_PKG = "@myriaddreamin/typst-ts-node-compiler"


# ---------------------------------------------------------------- measuring

class Run:
    def __init__(self, wall, cpu, rss_kib, rc, out, err):
        self.wall, self.cpu, self.rss_kib, self.rc = wall, cpu, rss_kib, rc
        self.out, self.err = out, err


def run_measured(cmd, env=None, cwd=None, timeout=3600):
    """Runs cmd; wall clock, CPU (user+sys of the child, all its threads and
    waited-for children) and peak RSS from wait4."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe, env=env, cwd=cwd)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return Run(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode,
                   fo.read().decode("utf-8", "replace"), fe.read().decode("utf-8", "replace"))


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def combine(rounds):
    """One summary from the summaries of single runs: the median of every
    number; None if a run failed (or the tool is missing)."""
    if not rounds or any(s is None for s in rounds):
        return None
    out = {}
    for key in rounds[0]:
        vals = [s.get(key) for s in rounds]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            out[key] = median(vals)
        else:
            out[key] = vals[-1]
    out["runs"] = len(rounds)
    return out


def summarise(runs, extra=None):
    """Medians of wall, cpu, rss and of any per-run numbers in extra."""
    s = {"wall": median(r.wall for r in runs), "cpu": median(r.cpu for r in runs),
         "rss_mib": median(r.rss_kib / 1024.0 for r in runs), "runs": len(runs)}
    for key in (extra or {}):
        s[key] = median(extra[key])
    return s


# ---------------------------------------------------------------- corpora

def corpus(workdir, n, same):
    """The corpus folder for n, generated unless already there for this
    version of the generator."""
    with open(os.path.join(HERE, "gen_corpus.py"), "rb") as f:
        version = hashlib.sha256(f.read()).hexdigest()[:16]
    d = os.path.join(workdir, "corpus-%d%s" % (n, "-same" if same else ""))
    stamp = os.path.join(d, ".stamp")
    if not (os.path.exists(stamp) and open(stamp).read() == version):
        shutil.rmtree(d, ignore_errors=True)
        gen_corpus.generate(n, d, same)
        with open(stamp, "w") as f:
            f.write(version)
    return d


def sources_of(d):
    return sorted(glob.glob(os.path.join(d, "*.txt")) + glob.glob(os.path.join(d, "*.md")))


def typst_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_typ(d, path, layout):
    """The corpus as a Typst document with the same page, fonts and sizes:
    text goes in as string literals, so no markup in it can misfire."""
    out = ['#set page(width: %.2fpt, height: %.2fpt, margin: (top: %.2fpt, bottom: %.2fpt, inside: %.2fpt, outside: %.2fpt), numbering: "1")'
           % (layout["width"], layout["height"], layout["margin_top"], layout["margin_bottom"],
              layout["margin_inner"], layout["margin_outer"]),
           '#set text(font: "Noto Serif", size: %.2fpt, fallback: false)' % layout["body_size"],
           '#set par(justify: true, leading: %.3fem, spacing: %.2fpt)' % (max(layout["leading"] - 0.71, 0.2), layout["paragraph_space"] + 4),
           '#show heading: set text(font: "Noto Sans")',
           '#outline()']
    for src in sources_of(d):
        with open(src, encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f]
        first = True
        rows = []

        def flush_table():
            if rows:
                cells = ", ".join(typst_string(c) for r in rows for c in r)
                out.append("#table(columns: %d, %s)" % (len(rows[0]), cells))
                rows.clear()

        for line in lines:
            t = line.strip()
            if t.startswith("|"):
                if not t.startswith("|--"):
                    rows.append([c.strip() for c in t.strip("|").split("|")])
                continue
            flush_table()
            if not t:
                continue
            if first:
                out.append("#pagebreak(weak: true)")
                out.append("#heading(level: 1, %s)" % typst_string(t.lstrip("# ")))
                first = False
            elif t.startswith("##"):
                out.append("#heading(level: 2, %s)" % typst_string(t.lstrip("# ")))
            else:
                out.append("#%s\n" % typst_string(t))
        flush_table()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def a4_layout(srcroot):
    """The numbers of layouts/a4.ini the Typst document copies (points)."""
    import configparser
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(srcroot, "layouts", "a4.ini"), encoding="utf-8")

    def length(v):
        m = re.match(r"\s*([0-9.]+)\s*(mm|cm|in|pt)?", v)
        x = float(m.group(1))
        return x * {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, None: 1.0}[m.group(2)]

    pg, fn = cp["page"], cp["fonts"]
    return {"width": length(pg["width"]), "height": length(pg["height"]),
            "margin_top": length(pg["margin-top"]), "margin_bottom": length(pg["margin-bottom"]),
            "margin_inner": length(pg["margin-inner"]), "margin_outer": length(pg["margin-outer"]),
            "body_size": float(fn["body-size"]), "leading": float(fn["leading"]),
            "paragraph_space": float(fn["paragraph-space"])}


# ---------------------------------------------------------------- tools

def pdf_pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        return int(m.group(1)) if m else None
    except (OSError, subprocess.CalledProcessError):
        return None


def briefing_env():
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["BRIEFING_TIMINGS"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def bench_briefing(exe, src, outdir, runs):
    res, stages, pages = [], {}, None
    for _ in range(runs):
        shutil.rmtree(outdir, ignore_errors=True)
        r = run_measured([exe, "build", src, "-o", outdir, "-q"], env=briefing_env())
        if r.rc != 0:
            print("briefing build failed (exit %d):\n%s" % (r.rc, r.err[-3000:]), file=sys.stderr)
            return None
        res.append(r)
        for m in re.finditer(r"^timing: (\S+) ([0-9.]+)", r.err, re.M):
            stages.setdefault(m.group(1), []).append(float(m.group(2)))
        pdfs = glob.glob(os.path.join(outdir, "*.pdf"))
        pages = pdf_pages(pdfs[0]) if pdfs else None
    s = summarise(res, {"stage_" + k: v for k, v in stages.items()})
    s["pages"] = pages
    s["epub"] = bool(glob.glob(os.path.join(outdir, "*.epub")))
    return s


def bench_floor(exe, src, out_pdf, runs):
    res, lay, drw, pages = [], [], [], None
    for _ in range(runs):
        r = run_measured([exe, src, out_pdf], env=briefing_env())
        if r.rc != 0:
            print("bench-floor failed: %s" % r.err[-2000:], file=sys.stderr)
            return None
        res.append(r)
        lay.append(float(re.search(r"floor: layout ([0-9.]+)", r.out).group(1)))
        drw.append(float(re.search(r"floor: draw ([0-9.]+)", r.out).group(1)))
        pages = int(re.search(r"floor: pages (\d+)", r.out).group(1))
    s = summarise(res, {"layout": lay, "draw": drw})
    s["pages"] = pages
    return s


def bench_pandoc(src, out_epub, runs):
    pandoc = shutil.which("pandoc")
    if not pandoc:
        return None
    cmd = [pandoc, "-f", "markdown", "-o", out_epub, "--metadata", "title=Benchmark Book"] + sources_of(src)
    res = []
    for _ in range(runs):
        r = run_measured(cmd)
        if r.rc != 0:
            print("pandoc failed: %s" % r.err[-2000:], file=sys.stderr)
            return None
        res.append(r)
    return summarise(res)


def typst_prefix(workdir):
    """Folder holding node_modules with the Typst compiler, installing it on
    first use; None when node or npm are missing or the install fails."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None
    prefix = os.path.join(workdir, "typst")
    mod = os.path.join(prefix, "node_modules", "@myriaddreamin", "typst-ts-node-compiler")
    if not os.path.isdir(mod):
        print("installing %s into %s (first run only)" % (TYPST_PKG, prefix), flush=True)
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", prefix, TYPST_PKG],
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.isdir(mod):
            print("typst baseline unavailable: npm install failed\n%s" % r.stderr[-1500:], file=sys.stderr)
            return None
    return prefix


def bench_typst(prefix, src, workdir, srcroot, n, runs, layout):
    if not prefix:
        return None
    typ = os.path.join(workdir, "typst-%d.typ" % n)
    write_typ(src, typ, layout)
    out = os.path.join(workdir, "typst-%d.pdf" % n)
    cmd = [shutil.which("node"), os.path.join(HERE, "typst_compile.js"), prefix, typ, out,
           os.path.join(srcroot, "fonts")]
    res = []
    for _ in range(runs):
        r = run_measured(cmd)
        if r.rc != 0:
            print("typst failed: %s%s" % (r.out[-1000:], r.err[-2000:]), file=sys.stderr)
            return None
        res.append(r)
    s = summarise(res)
    s["pages"] = pdf_pages(out)
    return s


def has_watch(exe):
    r = subprocess.run([exe, "--help"], capture_output=True, text=True)
    return re.search(r"^\s*(usage:\s*)?briefing watch\b", r.stdout + r.stderr, re.M) is not None


def bench_watch(exe, src, workdir, n, cold_wall, rebuilds=1):
    """`briefing watch`: seconds the rebuild after adding one source takes,
    from the "rebuilding" line watch prints when it starts to the "watching"
    line it prints when done (the folder must first be quiet for a moment,
    a fixed wait that is not rebuilding; it is printed apart).  With
    rebuilds > 1, that many sources are added one after another, each once
    the last edition is out, and the median rebuild is returned: a single
    rebuild moves with the machine.  None when there is no watch command or
    it does not rebuild in time."""
    if not has_watch(exe):
        return None
    import queue
    import threading
    tmp = os.path.join(workdir, "watch-%d" % n)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, os.path.join(tmp, "src"))
    out = os.path.join(tmp, "out")
    p = subprocess.Popen([exe, "watch", os.path.join(tmp, "src"), "-o", out, "-q"], env=briefing_env(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()

    def reader():
        for line in p.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(word, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                return None
            if line is None:
                return None
            if word in line:
                return time.perf_counter()
        return None

    try:
        # Watching starts after the first (cold) build.
        if wait_for("watching", max(120, cold_wall * 5)) is None:
            return None
        times = []
        for k in range(rebuilds):
            time.sleep(0.5)
            name, text = gen_corpus.source(n + k, 2019, False)
            t0 = time.perf_counter()
            with open(os.path.join(tmp, "src", name), "w", encoding="utf-8") as fsrc:
                fsrc.write(text)
            t1 = wait_for("rebuilding", 60)
            t2 = wait_for("watching", max(60, cold_wall * 3)) if t1 is not None else None
            if t2 is None:
                print("briefing watch did not rebuild after %s was added" % name, file=sys.stderr)
                return None
            print("watch N=%d: rebuild %.2f s, %.2f s from the new file to the new edition"
                  % (n, t2 - t1, t2 - t0), flush=True)
            times.append(t2 - t1)
        return median(times)
    finally:
        p.terminate()
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# ---------------------------------------------------------------- report

def f(x, fmt="%.2f"):
    return "n/a" if x is None else fmt % x


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def table(headers, rows):
    w = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(str(c).rjust(w[i]) for i, c in enumerate(cells)) + " |"
    sep = "|" + "|".join("-" * (x + 2) for x in w) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def report(results, same):
    ns = sorted(results)
    g = lambda n, tool, key: (results[n].get(tool) or {}).get(key)
    out = []
    rows = []
    for n in ns:
        b = results[n].get("briefing") or {}
        pps = ratio(b.get("pages"), b.get("wall"))
        rows.append([n, f(b.get("wall")), f(b.get("cpu")), f(b.get("rss_mib"), "%.0f"), f(b.get("pages"), "%d"),
                     f(pps, "%.0f")] + [f(b.get("stage_" + s), "%.2f") for s in STAGES])
    out.append(("briefing build (PDF + EPUB%s); seconds, MiB, median of runs" % (", same people and dates" if same else "")))
    out.append(table(["N", "wall", "CPU", "RSS", "pages", "pages/s"] + STAGES, rows))
    if not same:
        rows = []
        for n in ns:
            fl, pd, ty = (results[n].get(k) or {} for k in ("floor", "pandoc", "typst"))
            rows.append([n, f(fl.get("wall")), f(fl.get("cpu")), f(fl.get("layout")), f(fl.get("draw")),
                         f(fl.get("rss_mib"), "%.0f"), f(fl.get("pages"), "%d"),
                         f(pd.get("wall")), f(pd.get("cpu")), f(pd.get("rss_mib"), "%.0f"),
                         f(ty.get("wall")), f(ty.get("cpu")), f(ty.get("rss_mib"), "%.0f"), f(ty.get("pages"), "%d")])
        out.append("")
        out.append("baselines: floor = bare Pango/Cairo PDF; pandoc = EPUB only; typst = PDF only")
        out.append(table(["N", "floor wall", "CPU", "layout", "draw", "RSS", "pages",
                          "pandoc wall", "CPU", "RSS", "typst wall", "CPU", "RSS", "pages"], rows))
        rows = []
        for n in ns:
            rows.append([n, f(ratio(g(n, "briefing", "wall"), g(n, "typst", "wall"))) + " (<1)",
                         f(results[n].get("typst_paired")) + " (<1)",
                         f(ratio(g(n, "pandoc", "wall"), g(n, "briefing", "wall"))) + " (>=4)",
                         f(ratio(g(n, "briefing", "cpu"), g(n, "floor", "cpu"))) + " (<=1.3)",
                         f(g(n, "briefing", "rss_mib"), "%.0f") + " (<=300)",
                         f(ratio(results[n].get("watch"), g(n, "briefing", "wall"))) + " (<=0.5)"])
        out.append("")
        out.append("ratios (target in brackets)")
        out.append(table(["N", "briefing/typst wall", "same, per round", "pandoc/briefing wall", "briefing/floor CPU",
                          "briefing RSS MiB", "watch rebuild/cold"], rows))
    if len(ns) >= 2:
        lo, hi = ns[0], ns[-1]
        per = lambda n, key: ratio(g(n, "briefing", key), n)
        out.append("")
        out.append("growth %d -> %d sources, time per source (1.0 = linear): wall %s, CPU %s, analyse %s" % (
            lo, hi, f(ratio(per(hi, "wall"), per(lo, "wall"))), f(ratio(per(hi, "cpu"), per(lo, "cpu"))),
            f(ratio(per(hi, "stage_analyse"), per(lo, "stage_analyse")))))
    return "\n".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--briefing", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--srcroot", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--same", action="store_true")
    ap.add_argument("--n", default="10,100,1000")
    ap.add_argument("--markdown", help="also write the report to this file")
    a = ap.parse_args(argv)
    ns = [int(x) for x in os.environ.get("BENCH_N", a.n).replace(" ", "").split(",") if x]
    large_runs = int(os.environ.get("BENCH_RUNS_LARGE", "1"))
    small_runs = int(os.environ.get("BENCH_RUNS", "3"))
    os.makedirs(a.workdir, exist_ok=True)
    layout = a4_layout(a.srcroot)
    prefix = None if a.same else typst_prefix(a.workdir)

    results = {}
    for n in ns:
        runs = small_runs if n <= 100 else large_runs
        t = time.perf_counter()
        src = corpus(a.workdir, n, a.same)
        print("N=%d: corpus ready (%.1fs), %d runs each" % (n, time.perf_counter() - t, runs), flush=True)
        # The tools take turns, one run each per round: a slow spell on a
        # shared machine then falls on all of them, not on one tool's runs.
        tag = "%d%s" % (n, "-same" if a.same else "")
        rounds = {"briefing": [], "floor": [], "pandoc": [], "typst": []}
        for k in range(runs):
            rounds["briefing"].append(bench_briefing(a.briefing, src, os.path.join(a.workdir, "out-" + tag), 1))
            if not a.same:
                rounds["floor"].append(bench_floor(a.floor, src, os.path.join(a.workdir, "floor-%d.pdf" % n), 1))
                rounds["pandoc"].append(bench_pandoc(src, os.path.join(a.workdir, "pandoc-%d.epub" % n), 1))
                rounds["typst"].append(bench_typst(prefix, src, a.workdir, a.srcroot, n, 1, layout))
            walls = {tool: (rounds[tool][-1] or {}).get("wall") for tool in rounds if rounds[tool]}
            print("  round %d of %d done: %s" % (k + 1, runs, ", ".join(
                "%s %s s" % (tool, f(w)) for tool, w in walls.items())), flush=True)
        r = {"briefing": combine(rounds["briefing"])}
        if not a.same:
            for tool in ("floor", "pandoc", "typst"):
                r[tool] = combine(rounds[tool])
            # Each round runs briefing and Typst back to back: the ratio
            # within a round is less at the mercy of a slow spell than the
            # ratio of the two medians.
            paired = [ratio((b or {}).get("wall"), (t or {}).get("wall"))
                      for b, t in zip(rounds["briefing"], rounds["typst"])]
            r["typst_paired"] = median([x for x in paired if x is not None])
            if r["briefing"]:
                r["watch"] = bench_watch(a.briefing, src, a.workdir, n, r["briefing"]["wall"], runs)
        results[n] = r

    text = report(results, a.same)
    print()
    print(text)
    with open(os.path.join(a.workdir, "results%s.json" % ("-same" if a.same else "")), "w") as fjson:
        json.dump(results, fjson, indent=1, sort_keys=True)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as fmd:
            fmd.write(text + "\n")
    # A benchmark fails only when briefing itself could not build the book.
    return 0 if all(results[n].get("briefing") for n in ns) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
