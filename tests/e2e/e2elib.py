"""Shared helpers for the end-to-end tests of `briefing build`.

Every test script is run by meson as
    python3 SCRIPT BRIEFING_EXE SOURCE_ROOT
and uses only the Python standard library plus the command-line tools the
project already depends on (qpdf, poppler-utils).  Each test works in its own
temporary folder and removes it at the end, unless BB_KEEP_TMP=1 is set.
"""

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

# A fixed date (2019-03-01 00:00:00 UTC) so that dates in the book are stable.
DEFAULT_EPOCH = "1551398400"

# One run of briefing on a small book takes well under a second; a run that
# takes this long is hung, and the test says so instead of timing out.
RUN_TIMEOUT = 30

_failures = []


class Ctx:
    """Paths handed over by meson, and a private temporary folder."""

    def __init__(self, name):
        if len(sys.argv) < 3:
            sys.exit("usage: %s BRIEFING_EXE SOURCE_ROOT" % sys.argv[0])
        self.name = name
        self.exe = os.path.abspath(sys.argv[1])
        self.root = os.path.abspath(sys.argv[2])
        self.sources = os.path.join(self.root, "sources")
        self.fixtures = os.path.join(self.root, "tests", "e2e", "fixtures")
        self.tmp = tempfile.mkdtemp(prefix="bb-e2e-%s-" % name)

    def env(self, epoch=DEFAULT_EPOCH):
        env = dict(os.environ)
        env["LC_ALL"] = "C.UTF-8"
        env["BRIEFING_DATADIR"] = self.root
        if epoch is None:
            env.pop("SOURCE_DATE_EPOCH", None)
        else:
            env["SOURCE_DATE_EPOCH"] = str(epoch)
        return env

    def run(self, *args, epoch=DEFAULT_EPOCH, cwd=None):
        """Run briefing; return (exit status, stdout, stderr)."""
        cmd = [self.exe] + [str(a) for a in args]
        try:
            p = subprocess.run(cmd, capture_output=True, env=self.env(epoch),
                               cwd=cwd or self.tmp, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            fail("%s did not finish within %d s" % (" ".join(cmd), RUN_TIMEOUT))
            finish()
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        print("$ %s  -> exit %d" % (" ".join(cmd), p.returncode))
        if err.strip():
            print("  stderr: " + err.strip().replace("\n", "\n  stderr: "))
        return p.returncode, out, err

    def build(self, sources, outdir, *extra, epoch=DEFAULT_EPOCH):
        """Build and insist that it worked; return the path of the PDF."""
        rc, out, err = self.run("build", sources, "-o", outdir, *extra, epoch=epoch)
        if rc != 0:
            fail("build of %s failed with exit %d:\n%s" % (sources, rc, err))
            finish()
        pdfs = sorted(f for f in os.listdir(outdir) if f.endswith(".pdf"))
        if len(pdfs) != 1:
            fail("expected one PDF in %s, found %r" % (outdir, pdfs))
            finish()
        return os.path.join(outdir, pdfs[0])

    def cleanup(self):
        if os.environ.get("BB_KEEP_TMP") == "1":
            print("kept temporary folder %s" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


_ctx = None


def start(name):
    global _ctx
    _ctx = Ctx(name)
    return _ctx


def check(cond, message):
    """Record a failure (and keep going) when cond is false."""
    if not cond:
        fail(message)
    return bool(cond)


def fail(message):
    _failures.append(message)
    print("FAIL: " + message)


def finish():
    """Clean up and exit with the right status."""
    if _ctx is not None:
        _ctx.cleanup()
    if _failures:
        print("\n%d check(s) failed" % len(_failures))
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


def tool(*cmd, ok=(0,)):
    """Run an external tool and return its stdout as text."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, timeout=100)
    if p.returncode not in ok:
        fail("%s exited %d: %s" % (" ".join(map(str, cmd)), p.returncode,
                                  p.stderr.decode("utf-8", "replace")))
        finish()
    return p.stdout.decode("utf-8", "replace")


def pdftotext(pdf, first=None, last=None, raw=False):
    """Text of pdf.  raw=True keeps the content-stream order and, unlike
    the default mode, does not join "Jong-" + "un" into "Jongun": poppler
    removes a line-end hyphen before a lower-case letter even when the hyphen
    is the word's own."""
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first is not None:
        cmd += ["-f", first, "-l", last if last is not None else first]
    return tool(*cmd, pdf, "-")


def page_count(pdf):
    m = re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", pdf), re.M)
    return int(m.group(1)) if m else 0


def nfc(s):
    return unicodedata.normalize("NFC", s)


def squash(s):
    """All runs of white space become one space."""
    return re.sub(r"\s+", " ", s).strip()


def read_book_ini(sources):
    """book.ini is a GLib key file; configparser reads this subset of it."""
    cp = configparser.ConfigParser(interpolation=None, strict=False,
                                   comment_prefixes=("#", ";"))
    cp.optionxform = str
    cp.read(os.path.join(sources, "book.ini"), encoding="utf-8")
    return cp


class QpdfJson:
    """The object graph of a PDF as `qpdf --json=2` shows it."""

    def __init__(self, pdf):
        self.data = json.loads(tool("qpdf", "--json=2", pdf, ok=(0, 3)))
        self.objects = {}
        for part in self.data["qpdf"]:
            for key, val in part.items():
                self.objects[key] = val

    def deref(self, value):
        """Follow an indirect reference 'N 0 R' to its value."""
        while isinstance(value, str) and value.endswith(" R"):
            obj = self.objects.get("obj:" + value, {})
            value = obj.get("value", obj.get("stream", {}).get("dict"))
        return value

    def trailer(self):
        return self.objects["trailer"]["value"]

    def info(self):
        return self.deref(self.trailer().get("/Info")) or {}

    def pages(self):
        return self.data["pages"]

    def outlines(self):
        return self.data["outlines"]

    def page_labels(self):
        """The label of every page, computed from /PageLabels as a reader would."""
        n = len(self.pages())
        ranges = sorted(self.data.get("pagelabels", []), key=lambda r: r["index"])
        labels = []
        for i in range(n):
            current = None
            for r in ranges:
                if r["index"] <= i:
                    current = r
            if current is None:
                labels.append(str(i + 1))
                continue
            lab = current["label"]
            start = int(lab.get("/St", 1))
            number = start + i - current["index"]
            prefix = pdf_string(lab.get("/P", ""))
            style = lab.get("/S")
            labels.append(prefix + format_number(number, style))
        return labels


def pdf_string(s):
    """Strings in qpdf JSON v2 are 'u:text' (Unicode) or 'b:hex' (bytes)."""
    if not isinstance(s, str):
        return ""
    if s.startswith("u:"):
        return s[2:]
    if s.startswith("b:"):
        raw = bytes.fromhex(s[2:])
        if raw.startswith(b"\xfe\xff"):
            return raw[2:].decode("utf-16-be", "replace")
        return raw.decode("latin-1")
    return s


def roman(n):
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
            (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
            (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def format_number(n, style):
    if style == "/D":
        return str(n)
    if style == "/r":
        return roman(n)
    if style == "/R":
        return roman(n).upper()
    if style in ("/a", "/A"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if style == "/A" else letter
    return ""  # no style: the label is the prefix alone


ROMAN_RE = re.compile(r"^(?=[ivxlcdm]+$)m*(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
