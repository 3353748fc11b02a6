"""Hostile input and faults while writing, against the real `briefing` binary.

Run by meson as
    python3 hostile.py BRIEFING_EXE SOURCE_ROOT CASE
one CASE per test.  Every input is made at test time in a private temporary
folder (the 50 MB file too); BB_KEEP_TMP=1 keeps it.

What every run must do, whatever the input:
  - no crash: no signal, no sanitizer report, no GLib critical or warning;
  - no hang: each run has a wall-clock timeout, and in the child a memory
    limit (RLIMIT_AS 4 GiB; none under AddressSanitizer, which reserves
    terabytes of address space) and a CPU limit;
  - diagnostics as `file:line: ...` or `file: ...` naming the culprit;
  - exit 0 with exactly one PDF and one EPUB that pass `qpdf --check` and
    EPUBCheck with no error and no warning, or exit 1 with nothing written
    (and the previous edition, if any, byte-identical).

BB_SANITIZE (set by meson from b_sanitize) lifts the memory limit and
skips EPUBCheck (the sanitized binary writes the same bytes as the plain
one, which the plain run validates; the JVM would dominate the run time).
"""

import os
import re
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

EPOCH = "1551398400"  # 2019-03-01, for stable output
SANITIZE = os.environ.get("BB_SANITIZE", "none") not in ("", "none")
SLOW = 4 if SANITIZE else 1
RUN_TIMEOUT = 300 * SLOW  # generous: CI machines are shared
EPUBCHECK = "/usr/share/java/epubcheck.jar"

GOOD = ("The delegations met in Hanoi on 27 February 2019. Kim Jong Un and "
        "President Donald Trump held talks at the Metropole hotel.\n\n"
        "The talks ended early on 28 February 2019 without an agreement.\n")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


class Runner:
    def __init__(self, exe, root, case):
        self.exe = os.path.abspath(exe)
        self.root = os.path.abspath(root)
        self.tmp = tempfile.mkdtemp(prefix="bb-hostile-%s-" % case)
        os.chmod(self.tmp, 0o755)  # the unprivileged runs must get in

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def folder(self, name, files=None):
        """A sources folder with files {name: str|bytes}; a good source
        unless files is given."""
        d = self.path(name)
        os.makedirs(d, exist_ok=True)
        for fname, content in (files if files is not None else {"good.txt": GOOD}).items():
            p = os.path.join(os.fsencode(d), os.fsencode(fname) if isinstance(fname, str) else fname)
            with open(p, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
        return d

    def env(self, datadir=None):
        env = dict(os.environ)
        env["LC_ALL"] = "C.UTF-8"
        env["BRIEFING_DATADIR"] = datadir or self.root
        env["SOURCE_DATE_EPOCH"] = EPOCH
        env.pop("BRIEFING_TIMINGS", None)
        return env

    def start(self, args, datadir=None, fsize=None, user=None):
        def limits():
            if not SANITIZE:
                resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
            resource.setrlimit(resource.RLIMIT_CPU, (RUN_TIMEOUT, RUN_TIMEOUT))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if fsize is not None:
                # a full disk: write() fails with EFBIG instead of a signal
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        cmd = [self.exe] + list(args)
        if user is not None:
            cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups", "--"] + cmd
        print("$ " + " ".join(repr(a) if isinstance(a, str) and (" " in a or not a.isprintable()) else str(a)
                              for a in cmd), flush=True)
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env(datadir), cwd=self.tmp, preexec_fn=limits)

    def run(self, *args, datadir=None, fsize=None, user=None, expect=None, what=""):
        """Runs briefing; returns (status, stderr).  Checks for crashes,
        hangs and, when expect is given, the exit status."""
        what = what or " ".join(str(a) for a in args)
        p = self.start(args, datadir=datadir, fsize=fsize, user=user)
        t0 = time.monotonic()
        try:
            out, err = p.communicate(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            fail("%s: no result within %d s (hang)" % (what, RUN_TIMEOUT))
            return None, err.decode("utf-8", "replace")
        dt = time.monotonic() - t0
        err = err.decode("utf-8", "replace")
        print("  -> exit %d in %.1f s" % (p.returncode, dt))
        for ln in err.splitlines()[:40]:
            print("  stderr: " + ln)
        if p.returncode < 0:
            fail("%s: killed by signal %d (crash or resource limit)" % (what, -p.returncode))
        for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "-CRITICAL **", "-WARNING **",
                    "Segmentation fault", "double free"):
            check(bad not in err, "%s: stderr reports %r" % (what, bad))
        if expect is not None:
            check(p.returncode == expect, "%s: exit %d, expected %d" % (what, p.returncode, expect))
        return p.returncode, err

    def build(self, src, out, *extra, expect=0, msgs=(), datadir=None, user=None, what="", epubcheck=True):
        """One build with the checks of the module comment.  msgs: (name,
        line) pairs; line None means `name:` or `name:N:` will do."""
        what = what or os.path.basename(src)
        rc, err = self.run("build", src, "-o", out, *extra, datadir=datadir, user=user,
                           expect=expect, what=what)
        for name, line in msgs:
            check(has_diag(err, name, line),
                  "%s: no diagnostic naming %s%s" % (what, name, ":%d:" % line if line else ""))
        if rc == 0:
            validate_book(out, what, epubcheck=epubcheck)
        elif rc is not None:
            # the lock is the one file a failed build may leave (it is
            # taken before the book is made); nothing else
            left = [f for f in os.listdir(out) if f != ".briefing.lock"] if os.path.isdir(out) else []
            check(not left, "%s: failed build left %r in %s" % (what, left, out))
        return rc, err


def has_diag(err, name, line):
    """A stderr line `[folder/]name:line: ...` (or `name: ...` when line is None)."""
    pat = r"^(?:.*/)?%s:%s " % (re.escape(name), r"%d:" % line if line else r"(?:\d+:)?")
    return re.search(pat, err, re.M) is not None


# What a build keeps beside the book: the edition record and its copies
# (editions/N/), the lock that serialises builds of one folder, and each
# source's analysis kept for the next build (.cache/analysis/).
HOUSEKEEPING = ("manifest.tsv", "editions", ".briefing.lock", ".cache")


def validate_book(out, what, epubcheck=True):
    files = sorted(os.listdir(out))
    pdfs = [f for f in files if f.endswith(".pdf")]
    epubs = [f for f in files if f.endswith(".epub")]
    other = [f for f in files if f not in pdfs + epubs and f not in HOUSEKEEPING]
    check(len(pdfs) == 1 and len(epubs) == 1 and not other,
          "%s: expected one .pdf and one .epub in %s, found %r" % (what, out, files))
    for f in pdfs:
        p = subprocess.run(["qpdf", "--check", os.path.join(out, f)], capture_output=True, text=True)
        check(p.returncode == 0, "%s: qpdf --check %s: exit %d\n%s" % (what, f, p.returncode,
                                                                      (p.stdout + p.stderr)[-2000:]))
    for f in epubs:
        path = os.path.join(out, f)
        with zipfile.ZipFile(path) as z:
            first = z.infolist()[0]
            check(first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED,
                  "%s: %s does not start with a stored mimetype" % (what, f))
            for info in z.infolist():
                if info.filename.endswith(".xhtml"):
                    body = z.read(info).decode("utf-8", "replace")
                    check("<script" not in body.lower(), "%s: %s holds a <script> element" % (what, info.filename))
        if SANITIZE:
            print("  (EPUBCheck skipped in the sanitizer build; the plain build runs it)")
            continue
        if not epubcheck:
            print("  (EPUBCheck skipped: same content as a book checked in this case)")
            continue
        if not os.path.exists(EPUBCHECK):
            print("  (EPUBCheck not installed: skipped)")
            continue
        p = subprocess.run(["java", "-jar", EPUBCHECK, path], capture_output=True, text=True)
        text = p.stdout + p.stderr
        m = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", text)
        clean = "No errors or warnings detected" in text or (m and m.group(1) == m.group(2) == m.group(3) == "0")
        check(p.returncode == 0 and clean, "%s: EPUBCheck on %s:\n%s" % (what, f, text[-3000:]))


def png_bytes():
    """A real 16x16 PNG."""
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"".join(bytes((x * 16, y * 16, 128)) for x in range(16)) for y in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def tree_bytes(d):
    """{relative path: bytes} of the regular files below d (the lock aside)."""
    res = {}
    for dirpath, _, files in os.walk(d):
        for f in files:
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, d)
            if rel != ".briefing.lock" and os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as fh:
                    res[rel] = fh.read()
    return res


TEMP_RE = re.compile(r"^\..+\.[A-Za-z0-9]{6}$")


# ---- hostile input ----------------------------------------------------------

def case_invalid_utf8(r):
    bad = (b"A report on the summit.\nSecond line is fine.\n"
           b"Third line has a bad \xc3\x28 byte and a lone \xff.\n"
           b"Fourth line is fine.\n"
           b"Fifth: overlong \xc0\xaf, surrogate \xed\xa0\x80, truncated \xe2\x82\n")
    src = r.folder("utf8", {"good.txt": GOOD, "bad.txt": bad})
    r.build(src, r.path("out"), msgs=[("bad.txt", 3), ("bad.txt", 5)])


def case_nul_bytes(r):
    src = r.folder("nul", {"good.txt": GOOD,
                           "nul.txt": b"First line of text.\nSecond \x00line with a NUL.\nThird.\n",
                           "nulls.txt": b"\x00" * 4096 + b"text" + b"\x00" * 4096})
    r.build(src, r.path("out"), msgs=[("nul.txt", 2), ("nulls.txt", None)])


def case_png_as_txt(r):
    src = r.folder("png", {"good.txt": GOOD, "picture.txt": png_bytes()})
    r.build(src, r.path("out"), msgs=[("picture.txt", None)])
    only = r.folder("png-only", {"picture.txt": png_bytes()})
    r.build(only, r.path("out-only"), expect=1, msgs=[("picture.txt", None)], what="png only")


def case_empty_file(r):
    only = r.folder("empty-only", {"empty.txt": b""})
    r.build(only, r.path("out-only"), expect=1, msgs=[("empty.txt", None)], what="empty only")
    src = r.folder("empty", {"good.txt": GOOD, "empty.txt": b"", "blank.md": b"  \n\n\t\n"})
    r.build(src, r.path("out"), msgs=[("empty.txt", None), ("blank.md", None)])


def case_huge_one_line(r):
    src = r.folder("huge")
    chunk = ("summit talks Hanoi delegation agreement sanctions " * 2000).encode()
    with open(os.path.join(src, "huge.txt"), "wb") as f:
        n = 0
        while n < 50 * 1000 * 1000:
            f.write(chunk)
            n += len(chunk)
    print("  huge.txt: %d bytes on one line" % os.path.getsize(os.path.join(src, "huge.txt")))
    r.build(src, r.path("out"), msgs=[("huge.txt", None)])
    os.unlink(os.path.join(src, "good.txt"))
    r.build(src, r.path("out-only"), expect=1, msgs=[("huge.txt", None)], what="huge only")


def case_long_word(r):
    word = ("abcdefghijklmnopqrstuvwxyz" * 40000)[:1000000]
    src = r.folder("word", {"good.txt": GOOD, "word.txt": "A paragraph follows.\n\n" + word + "\n"})
    r.build(src, r.path("out"))


def case_citations(r):
    src = r.folder("cites", {"cites.txt": "Talks began in Hanoi on 27 February 2019." + "[1]" * 10000
                             + " The end.\n\n" + "[1]" * 10000 + "\n",
                             "cites.md": "# Notes\n\nText[1]" + "[1]" * 10000 + "\n"})
    r.build(src, r.path("out"))


def case_deep_markdown(r):
    deep = ("> " * 10000 + "quoted deep\n\n"
            + "".join("  " * i + "- item %d\n" % i for i in range(2000)) + "\n"
            + "*" * 5000 + "emph" + "*" * 5000 + "\n\n"
            + "[" * 10000 + "link" + "](x)" * 10000 + "\n\n"
            + "<div>" * 5000 + "html" + "</div>" * 5000 + "\n")
    src = r.folder("deep", {"deep.md": deep, "good.txt": GOOD})
    r.build(src, r.path("out"), msgs=[("deep.md", None)])


def case_raw_html(r):
    md = ("# Heading <script>alert(1)</script> ]]>\n\n"
          "<script type=\"text/javascript\">document.write(']]>')</script>\n\n"
          "Inline <script>x()</script> and <b onclick=\"evil()\">bold</b> and ]]> and <![CDATA[ raw ]]>.\n\n"
          "<?php echo 1; ?> <!-- comment --> &nbsp; &#0; &#x110000; &#xFFFE; &bogus; &amp;\n\n"
          "<style>body{display:none}</style>\n\n"
          "<iframe src=\"https://example.org\"></iframe>\n\n"
          "[a link](javascript:alert(1)) and ![img](file:///etc/passwd) and <https://example.org/?a=1&b=2>\n\n"
          "| a <script> | ]]> |\n|---|---|\n| <x> | &lt; |\n")
    src = r.folder("html", {"html.md": md})
    r.build(src, r.path("out"))


SPECIAL = "A & B <C> \"D\" 'E' ]]> \u202eRTL\u202c \u05e2\u05d1\u05e8\u05d9\u05ea \u0627\u0644\u0639\u0631\u0628\u064a\u0629"


def case_titles(r):
    ini = ("[book]\ntitle=%s \x01\x07\x1b ctrl\\t\\n end\nsubtitle=]]> & <sub>\x7f\n"
           "marking=SECRET & <NOFORN> \u202e\nauthor=<script>x</script>\npublisher=\"Desk\" & co\n"
           "[source plain.txt]\ntitle=%s \x02 plain\npublisher=<Wire> & \"co\"\n" % (SPECIAL, SPECIAL))
    src = r.folder("titles", {
        "book.ini": ini,
        "heading.md": "# %s \x03\x0b ctrl \ufffe &#xFFFF; &#xFDD0;\n\n%s\n" % (SPECIAL, GOOD),
        "first.txt": "%s \x04 title line\n\n%s\n" % (SPECIAL, GOOD),
        "plain.txt": GOOD,
        "rtl.txt": "\u0645\u0624\u062a\u0645\u0631 \u0647\u0627\u0646\u0648\u064a \u202b\u0627\u0644\u0642\u0645\u0629\u202c \u200f\n\n\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd.\n",
    })
    r.build(src, r.path("out"))


def case_title_noncharacters(r):
    # Unicode noncharacters (U+FFFE, U+FDD0 ...) are valid UTF-8 that Cairo
    # refuses in any string; in a source they are dropped by the loader,
    # in book.ini and in the folder name (the default title) they must be too.
    ini = "[book]\ntitle=Summit \ufffe\ufdd0\U0001fffe notes\nmarking=SECRET \uffff\n"
    src = r.folder("ini", {"book.ini": ini, "good.txt": GOOD})
    r.build(src, r.path("out-ini"), what="book.ini title with noncharacters")
    folder = r.folder("Summit \ufffe\ufdd0 folder", {"good.txt": GOOD})
    r.build(folder, r.path("out-folder"), what="folder name with noncharacters")


def case_file_names(r):
    names = {
        "with space.txt": GOOD,
        "quote\"d.txt": GOOD,
        "apo'strophe.md": "# Apostrophe\n\n" + GOOD,
        "H\u00e0 N\u1ed9i \u2013 ghi ch\u00fa.txt": "H\u00e0 N\u1ed9i, ng\u00e0y 27 th\u00e1ng 2 n\u0103m 2019.\n",
        "a&b<c>]]>.txt": GOOD,
        "\u202eevil\u202c.txt": GOOD,
        "\u0627\u0644\u0642\u0645\u0629.txt": GOOD,
        "ctl\x01\x1bname.txt": GOOD,
        "tab\tname.md": GOOD,
        b"bad-\xff\xfe-utf8.txt": GOOD,
        "-dash-first.txt": GOOD,
    }
    src = r.folder("names", names)
    r.build(src, r.path("out"))
    # a sources folder and an output folder with awkward names of their own
    odd = r.folder("odd \"folder\" & <x> \u0110\u00e0", {"x.txt": GOOD})
    r.build(odd, r.path("out dir \u00e9 'q'"), what="odd folder names")
    # with no book.ini the folder's name is the title: make it a bad one
    bad = os.fsdecode(os.path.join(os.fsencode(r.tmp), b"bad-\xff-\x01\x1b-\xef\xbf\xbe-\xef\xb7\x90-dir"))
    r.folder(os.path.basename(bad), {"x.txt": GOOD, "nonchar-\ufffe-\ufdd0.txt": GOOD})
    r.build(bad, r.path("out-bad"), what="folder name with bad bytes")


def case_unreadable(r):
    src = r.folder("unreadable")
    os.symlink("no-such-file.txt", os.path.join(src, "dangling.txt"))
    os.mkfifo(os.path.join(src, "pipe.txt"))  # opening it would block: must be skipped
    os.symlink("/dev/zero", os.path.join(src, "zero.txt"))  # endless: must be skipped
    locked = os.path.join(src, "locked.txt")
    with open(locked, "w") as f:
        f.write(GOOD)
    os.chmod(locked, 0)
    msgs = [("dangling.txt", None), ("pipe.txt", None), ("zero.txt", None)]
    user = None
    if os.geteuid() == 0:
        # root reads a mode-000 file anyway: run as nobody to make it unreadable
        if shutil.which("setpriv"):
            user = 65534
            msgs.append(("locked.txt", None))
            print("  running as uid 65534 (setpriv) so that the mode-000 file is unreadable")
        else:
            print("  running as root without setpriv: the mode-000 file is readable and not tested")
    else:
        msgs.append(("locked.txt", None))
    out = r.path("out")
    os.mkdir(out)
    os.chmod(out, 0o777)
    r.build(src, out, msgs=msgs, user=user)


def case_dir_and_loop(r):
    src = r.folder("loops")
    os.mkdir(os.path.join(src, "notes.txt"))  # a folder that looks like a source
    os.mkdir(os.path.join(src, "sub"))
    with open(os.path.join(src, "sub", "inside.txt"), "w") as f:
        f.write(GOOD)
    os.symlink("loop2.txt", os.path.join(src, "loop1.txt"))
    os.symlink("loop1.txt", os.path.join(src, "loop2.txt"))
    os.symlink("self.md", os.path.join(src, "self.md"))
    os.symlink(".", os.path.join(src, "here"))
    os.symlink("..", os.path.join(src, "up.txt"))
    r.build(src, r.path("out"), msgs=[("notes.txt", None), ("loop1.txt", None), ("loop2.txt", None),
                                      ("self.md", None), ("up.txt", None)])


def case_bad_ini(r):
    variants = {
        "group": (b"# settings\n\n[book\ntitle=Broken\n", 3),
        "binary": (b"\x00\x01\x02[book]\x00title=\xff\n" + png_bytes(), None),
        "utf8": (b"[book]\ntitle=Bad \xc3\x28 title\n", None),
        "nogroup": (b"title=No group\n[book]\ntitle=x\n", 1),
        "keys": (b"[book]\ntitle=One\ntitle=Two\nlayout\n=value\n[source]\n[source missing.txt]\ntitle=ghost\n", None),
    }
    for name, (ini, line) in variants.items():
        src = r.folder("ini-" + name, {"good.txt": GOOD, "book.ini": ini})
        # the books differ only in their title: EPUBCheck the first one
        r.build(src, r.path("out-" + name), msgs=[("book.ini", line)], what="book.ini " + name,
                epubcheck=name == "group")
    src = r.folder("ini-dir")
    os.mkdir(os.path.join(src, "book.ini"))
    r.build(src, r.path("out-dir"), msgs=[("book.ini", None)], what="book.ini folder", epubcheck=False)


def case_unknown_layout(r):
    src = r.folder("layout")
    for bad in ("nope", "../../../etc/passwd", "a4/../../a4", ""):
        rc, err = r.build(src, r.path("out-cli"), "--layout", bad, expect=1, what="--layout %r" % bad)
        check("layout" in err and (bad in err or not bad), "--layout %r: message does not name it" % bad)
    ini = r.folder("layout-ini", {"good.txt": GOOD, "book.ini": "[book]\ntitle=Layout\nlayout=nope\n"})
    r.build(ini, r.path("out-ini"), msgs=[("book.ini", None)], what="book.ini layout=nope")


def data_copy(r, name):
    d = r.path(name)
    os.mkdir(d)
    shutil.copytree(os.path.join(r.root, "layouts"), os.path.join(d, "layouts"))
    shutil.copytree(os.path.join(r.root, "fonts"), os.path.join(d, "fonts"))
    return d


def case_missing_font(r):
    src = r.folder("src")
    d = data_copy(r, "data-missing")
    os.unlink(os.path.join(d, "fonts", "NotoSans-Bold.ttf"))
    r.build(src, r.path("out"), expect=1, datadir=d, msgs=[("NotoSans-Bold.ttf", None)])


def case_corrupt_font(r):
    # Not in the list of the issue, but the same fault: a font that is there
    # and is not a font.  A clear message, and exit 1 or a valid book.
    src = r.folder("src")
    d = data_copy(r, "data-corrupt")
    with open(os.path.join(d, "fonts", "NotoSerif-Regular.ttf"), "wb") as f:
        f.write(b"\x00\x01\x00\x00" + b"garbage" * 100)
    # Either way the user must be told: a book silently set in another
    # font than its layout names is a wrong book.
    rc, err = r.build(src, r.path("out"), expect=None, datadir=d)
    check(rc in (0, 1), "corrupt font: exit %s" % rc)
    check(has_diag(err, "NotoSerif-Regular.ttf", None), "corrupt font: no diagnostic naming the font file")


def case_evil_layout(r):
    # A layout file full of impossible values: no crash, no hang; a book or a
    # clear message about the layout file.
    src = r.folder("src")
    d = data_copy(r, "data-evil")
    with open(os.path.join(d, "layouts", "evil.ini"), "w") as f:
        f.write("[page]\nwidth=10\nheight=-5\nmargin-top=1e308\nmargin-bottom=900\nmargin-inner=nan\n"
                "[fonts]\nbody=No Such Font\nbody-size=0\nleading=-1\nheading-size-1=inf\nsmall-size=1e9\n"
                "[colours]\ntext=#zzzzzz\nrule=red\n"
                "[running]\nheader-left={book}{chapter}{page}{nope}{\x01\n")
    rc, err = r.build(src, r.path("out"), "--layout", "evil", expect=None, datadir=d)
    if rc == 1:
        check(has_diag(err, "evil.ini", None), "evil layout: message does not name evil.ini")
    else:
        check(rc == 0, "evil layout: exit %s" % rc)


# ---- faults while writing ----------------------------------------------------

def two_editions(r, copies=1):
    """A sources folder built once (the previous edition); then changed."""
    seeds = os.path.join(r.root, "sources")
    src = r.path("book")
    os.mkdir(src)
    for f in sorted(os.listdir(seeds)):
        for k in range(copies):
            name = f if k == 0 or f == "book.ini" else "%02d_%s" % (k, f)
            if k and f == "book.ini":
                continue
            shutil.copy(os.path.join(seeds, f), os.path.join(src, name))
    out = r.path("out")
    rc, _ = r.build(src, out, what="previous edition")
    if rc != 0:
        return None, None, None
    before = tree_bytes(out)
    with open(os.path.join(src, "zz_new.txt"), "w") as f:
        f.write(GOOD)
    return src, out, before


def check_previous(out, before, what, new=None):
    """Final files: each byte-identical to the previous edition (or, when
    new is given, to the complete new one); other files only temporaries."""
    after = tree_bytes(out)
    temps = [f for f in after if f not in before]
    for f, data in before.items():
        if f not in after:
            fail("%s: %s is gone" % (what, f))
        elif after[f] != data and not (new and after[f] == new.get(f)):
            fail("%s: %s changed and is not the complete new edition (%d bytes, was %d)"
                 % (what, f, len(after[f]), len(data)))
    for f in temps:
        if new and after[f] == new.get(f):
            continue  # a file of the new edition, complete
        check(TEMP_RE.match(os.path.basename(f)) is not None, "%s: unexpected file %s" % (what, f))
    temps = [f for f in temps if TEMP_RE.match(os.path.basename(f))]
    return temps


def case_fault_full_disk(r):
    src, out, before = two_editions(r)
    if src is None:
        return
    # no room at all, room for the small files only, and room for all but
    # the largest file of the new edition
    # the last limit once more with the PDF drawn in runs of 3 pages on
    # several threads, so that the write fails while the runs are joined
    # limits between those, so that the write fails at other places in the
    # middle of a page (Cairo 1.16 aborts if it is told of such a failure)
    largest = max(len(b) for b in before.values())
    limits = [(0, None), (4096, None), (64 * 1024, None), (largest - 1024, None), (largest - 1024, "3")]
    limits += [(k * largest // 8, None) for k in range(1, 8)]
    for limit, runs in limits:
        what = "RLIMIT_FSIZE=%d%s" % (limit, ", runs of %s pages" % runs if runs else "")
        if runs:
            os.environ["BRIEFING_PDF_RUN_PAGES"] = runs
        try:
            rc, err = r.run("build", src, "-o", out, fsize=limit, what=what)
        finally:
            os.environ.pop("BRIEFING_PDF_RUN_PAGES", None)
        check(rc not in (0, None), "%s: exit %s, expected a failure" % (what, rc))
        check(re.search(r"(too large|No space|EFBIG|cannot|write|failed)", err, re.I) is not None,
              "%s: no message saying the write failed" % what)
        # the files are named as the reader knows them, not by the
        # temporaries they were being written under
        hidden = re.search(r"[^\s:]*/\.[^/\s:]+\.(?:pdf|epub|tsv)\.[A-Za-z0-9]{6}", err)
        check(hidden is None, "%s: the message names a temporary: %s" % (what, hidden.group(0) if hidden else ""))
        temps = check_previous(out, before, what)
        check(not temps, "%s: temporaries left behind: %r" % (what, temps))


def case_fault_read_only(r):
    src = r.folder("src")
    # 1. where the output folder should be there is a file
    blocker = r.path("blocker")
    with open(blocker, "w") as f:
        f.write("keep me\n")
    r.run("build", src, "-o", blocker, expect=1, what="-o a file")
    r.run("build", src, "-o", os.path.join(blocker, "out"), expect=1, what="-o below a file")
    with open(blocker) as f:
        check(f.read() == "keep me\n", "-o a file: the file was changed")
    # 2. a folder nobody may write, not even root
    r.run("build", src, "-o", "/proc/self/bb-out", expect=1, what="-o under /proc")
    r.run("build", src, "-o", "/proc/self", expect=1, what="-o /proc/self")
    # 3. a read-only folder holding the previous edition
    book, out, before = two_editions(r)
    if book is None:
        return
    os.chmod(out, 0o555)
    user = None
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            print("  root without setpriv: a mode-555 folder is writable for root; part 3 skipped")
            return
        user = 65534
        print("  running as uid 65534 (setpriv): root writes into mode-555 folders anyway")
    rc, err = r.run("build", book, "-o", out, user=user, expect=1, what="read-only output folder")
    check(re.search(r"(denied|read-only|cannot)", err, re.I) is not None, "read-only folder: no clear message")
    check_previous(out, before, "read-only output folder")
    os.chmod(out, 0o755)


def case_fault_killed(r):
    src, out, before = two_editions(r, copies=4)
    if src is None:
        return
    pristine = r.path("previous")
    shutil.copytree(out, pristine, symlinks=True)
    # the complete new edition (edition 2 over the same previous one)
    ref = r.path("ref")
    shutil.copytree(pristine, ref, symlinks=True)
    t0 = time.monotonic()
    rc, _ = r.run("build", src, "-o", ref, expect=0, what="new edition (reference)")
    took = time.monotonic() - t0
    if rc != 0:
        return
    validate_book(ref, "new edition (reference)")
    new = tree_bytes(ref)
    check(new != before, "the new edition is the same as the previous one")
    killed = 0
    temps_seen = 0
    fracs = (0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1.02)
    for frac in fracs:
        shutil.rmtree(out)
        shutil.copytree(pristine, out, symlinks=True)
        p = r.start(["build", src, "-o", out, "-q"])
        time.sleep(took * frac)
        p.kill()
        p.communicate()
        done = p.returncode == 0
        killed += not done
        what = "SIGKILL after %.2f s" % (took * frac)
        after = tree_bytes(out)
        state = "finished first" if done else "killed"
        if not done:
            state += "; %d files of the new edition in place" % sum(
                1 for f in after if f in new and after[f] == new[f] and before.get(f) != new[f])
        print("  %s: %s" % (what, state))
        temps = check_previous(out, before, what, new=new)
        temps_seen += len(temps)
        if done:
            check(after == new, "%s: finished, but the folder is not the new edition" % what)
        # a killed process cannot clean up: the next build must cope
        rc2, _ = r.run("build", src, "-o", out, "-q", expect=0, what="rebuild after " + what)
        final = tree_bytes(out)
        for f, data in new.items():
            check(final.get(f) == data, "rebuild after %s: %s is not the new edition's" % (what, f))
    check(killed > 0, "the build always finished before the kill: nothing was tested")
    print("  %d of %d builds killed mid-run; %d temporaries left by killed builds"
          % (killed, len(fracs), temps_seen))


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in CASES:
        sys.exit("usage: %s BRIEFING_EXE SOURCE_ROOT CASE\ncases: %s" % (sys.argv[0], " ".join(CASES)))
    case = sys.argv[3]
    r = Runner(sys.argv[1], sys.argv[2], case)
    try:
        CASES[case](r)
    finally:
        if os.environ.get("BB_KEEP_TMP"):
            print("kept " + r.tmp)
        else:
            for dirpath, dirnames, _ in os.walk(r.tmp):
                for d in dirnames:
                    p = os.path.join(dirpath, d)
                    if not os.path.islink(p):
                        os.chmod(p, 0o755)
            shutil.rmtree(r.tmp, ignore_errors=True)
    if failures:
        print("%d failure(s) in %s" % (len(failures), case))
        sys.exit(1)
    print("ok: %s" % case)


if __name__ == "__main__":
    main()
