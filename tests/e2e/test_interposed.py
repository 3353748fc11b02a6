"""Two library functions are replaced inside the executable for speed:
HarfBuzz's hb_shape by a word cache (builder/shape.c) and the
__snprintf_chk through which Cairo writes every number of the PDF
(builder/numfmt.c).  The book must come out exactly as it does with the
libraries' own.

Three books are built twice each, once with BRIEFING_SHAPE_CACHE=off and
BRIEFING_FAST_NUMBERS=off, once with both on: the seed book; twelve sources from the benchmark's
corpus generator (English and Vietnamese news, tables, citation markers);
and one source of hard cases for cutting text into words (decomposed
Vietnamese with marks after spaces, runs of spaces, no-break and other
spaces, ligatures and kerning pairs, a soft hyphen and long words that
hyphenate, Greek, Cyrillic, Arabic and Hangul that the fonts lack or that
have shapers of their own, tabs).  PDF and EPUB must be byte-identical
both ways.  Controls: BRIEFING_TIMINGS reports that most characters of
the generated book came from the cache and that numbers were formatted
outside glibc, and neither when both are off; that `briefing build` let
the cached words go before drawing (the running heads and the cover are
then shaped with an empty cache, and the bytes must still be the same);
and the hard cases reach the PDF's text.

A third, zlib's deflateInit_, makes Cairo compress the PDF's streams at
a faster level (builder/pdf.c): the seed book is built again with
BRIEFING_PDF_DEFLATE=default, and the two PDFs must differ in their bytes
but not in what their streams hold (qpdf decodes both into the same QDF
file), and the EPUB must be the same.
"""

import os
import re
import subprocess
import sys

import e2elib as t
from e2elib import check

ctx = t.start("interposed")

HARD = """Hard cases for shaping word by word

Tiếng Việt dựng sẵn: Hội nghị thượng đỉnh Hoa Kỳ – Triều Tiên lần thứ hai diễn ra tại Hà Nội ngày 27 tháng 2 năm 2019.

Tiếng Việt tách dấu: Hội nghị thượng đỉnh lần thứ hai diễn ra tại Hà Nội, và dấu đứng sau khoảng trắng: a \u0300b c \u0323\u0302d .

Spaces:  two,   three,\u00a0no-break\u00a0here, thin\u2009space, em\u2003space, ideographic\u3000space, tab\there, and a trailing one .

Ligatures and kerning: office affluent fjord flight ffi ffl; AVAWAY To Tw Ty Yo P. V. W. LT LY "quoted" ‘single’ —dash— 1/2 ½ 10:30 №5 ©2019.

Soft hyphen: extra\u00adordinary, counter\u00adrevolutionary, and words long enough to hyphenate at a narrow measure: incomprehensibilities, denuclearisation, internationalisation, telecommunications, institutionalisation.

Greek: Η Σύνοδος Κορυφής στο Ανόι έληξε νωρίτερα. Cyrillic: Саммит в Ханое завершился досрочно. Arabic: انتهت القمة في هانوي مبكرا. Hangul: 하노이 정상회담은 일찍 끝났다.

Numbers and marks: [12][13] 2019-02-27, 27/2/2019, 3.14159, 1,234,567 — x² H₂O e\u0301 n\u0303 A\u030a.
"""


def build(sources, name, cache):
    out = os.path.join(ctx.tmp, "%s-%s" % (name, cache))
    env_before = dict(os.environ)
    os.environ["BRIEFING_SHAPE_CACHE"] = cache
    os.environ["BRIEFING_FAST_NUMBERS"] = cache
    os.environ["BRIEFING_TIMINGS"] = "1"
    try:
        rc, _out, err = ctx.run("build", sources, "-o", out)
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    check(rc == 0, "%s (cache %s) builds (exit %d)" % (name, cache, rc))
    m = re.search(r"shaping: (\d+) calls, (\d+) characters, ([\d.]+)% from the word cache", err)
    check(m is not None, "%s (cache %s): BRIEFING_TIMINGS reports shaping" % (name, cache))
    share = float(m.group(3)) if m else -1.0
    m = re.search(r"numbers: (\d+) formatted without printf", err)
    check(m is not None, "%s (cache %s): BRIEFING_TIMINGS reports the numbers" % (name, cache))
    numbers = int(m.group(1)) if m else -1
    check((numbers > 0) == (cache == "on"),
          "%s (%s): %d numbers formatted outside glibc" % (name, cache, numbers))
    m = re.search(r"shaping: (\d+) words let go before drawing", err)
    gone = int(m.group(1)) if m else -1
    check((gone > 0) == (cache == "on") and gone >= 0,
          "%s (cache %s): %d cached words let go before drawing" % (name, cache, gone))
    files = {}
    for f in sorted(os.listdir(out)):
        if f.endswith(".pdf") or f.endswith(".epub"):
            with open(os.path.join(out, f), "rb") as fh:
                files[f] = fh.read()
    return files, share, out


def compare(sources, name):
    off, share_off, _ = build(sources, name, "off")
    on, share_on, out = build(sources, name, "on")
    check(sorted(off) == sorted(on) and len(on) == 2,
          "%s: a PDF and an EPUB both ways (%r, %r)" % (name, sorted(off), sorted(on)))
    for f in sorted(off):
        if f in on:
            same = off[f] == on[f]
            detail = ""
            if not same:
                n = min(len(off[f]), len(on[f]))
                first = next((i for i in range(n) if off[f][i] != on[f][i]), n)
                detail = " (sizes %d and %d, first difference at byte %d)" % (len(off[f]), len(on[f]), first)
            check(same, "%s: %s is the same with and without the replacements%s" % (name, f, detail))
    check(share_off == 0.0, "%s: nothing comes from the cache when it is off (%.1f%%)" % (name, share_off))
    return share_on, out


share_seed, seed_out = compare(ctx.sources, "seed")
check(share_seed > 0, "seed: some characters come from the word cache (%.1f%%)" % share_seed)

generated = os.path.join(ctx.tmp, "generated")
subprocess.run([sys.executable, os.path.join(ctx.root, "tests", "bench", "gen_corpus.py"), "12", generated],
               check=True, capture_output=True)
share_gen, _ = compare(generated, "generated")
check(share_gen > 50, "generated: most characters come from the word cache (%.1f%%)" % share_gen)

hard = os.path.join(ctx.tmp, "hard")
os.makedirs(hard)
with open(os.path.join(hard, "hard-cases.txt"), "w", encoding="utf-8") as f:
    f.write(HARD)
_, out = compare(hard, "hard")
pdfs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith(".pdf")]
text = t.squash(t.nfc(t.pdftotext(pdfs[0]))) if pdfs else ""
for probe in ["Hội nghị thượng đỉnh", "Саммит в Ханое", "Σύνοδος Κορυφής", "affluent", "denuclearisation"]:
    check(t.squash(probe) in text or t.squash(probe).replace(" ", "") in text.replace(" ", ""),
          "hard: the PDF's text holds %r" % probe)


def qdf(pdf):
    r = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--decode-level=generalized",
                        "--static-id", pdf, "-"], capture_output=True)
    check(r.returncode in (0, 3), "qpdf decodes %s (exit %d: %s)" % (pdf, r.returncode, r.stderr[-300:]))
    return r.stdout


os.environ["BRIEFING_PDF_DEFLATE"] = "default"
try:
    zlib_out = os.path.join(ctx.tmp, "seed-zlib-default")
    rc, _o, err = ctx.run("build", ctx.sources, "-o", zlib_out)
finally:
    del os.environ["BRIEFING_PDF_DEFLATE"]
check(rc == 0, "seed builds with zlib's own level (exit %d): %s" % (rc, err[-300:]))
for f in sorted(os.listdir(seed_out)):
    ours, theirs = os.path.join(seed_out, f), os.path.join(zlib_out, f)
    if f.endswith(".epub"):
        check(open(ours, "rb").read() == open(theirs, "rb").read(), "deflate: %s is the same" % f)
    if f.endswith(".pdf"):
        a, b = open(ours, "rb").read(), open(theirs, "rb").read()
        check(a != b, "deflate: the PDF's streams are compressed at another level (%d and %d bytes)" % (len(a), len(b)))
        check(len(a) < len(b) * 1.1, "deflate: the PDF grows by less than 10%% (%d and %d bytes)" % (len(a), len(b)))
        qa, qb = qdf(ours), qdf(theirs)
        check(len(qa) > len(a) and qa == qb, "deflate: the decoded PDFs are the same (%d and %d bytes)" % (len(qa), len(qb)))

t.finish()
