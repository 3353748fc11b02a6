#!/usr/bin/env python3
"""Checks a built EPUB against its PDF and its sources.

  check_epub.py BOOK.epub BOOK.pdf SOURCES_DIR

- the nav page-list has one entry per PDF page from the first body page on
  (front matter pages too when present), each label equal to the PDF page
  label, each target an existing id, in reading order;
- mimetype is the first entry, stored, without extra field;
- a page that begins inside a paragraph begins, in the PDF, with the text
  that follows its marker in the EPUB;
- `pandoc -f epub -t plain` holds sentences of every source, Vietnamese
  included.
Prints what it checked; exits 1 on the first failure.
"""
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"
OPF = "{http://www.idpf.org/2007/opf}"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def roman(n, upper=False):
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out.upper() if upper else out


def letters(n, upper=False):
    s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return s.upper() if upper else s


def qpdf_str(v):
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    return v or ""


def pdf_labels(pdf):
    """Page labels of every page, from the PDF's /PageLabels (via qpdf)."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout).group(1))
    js = json.loads(subprocess.run(["qpdf", "--json", "--json-key=pagelabels", pdf],
                                   capture_output=True, text=True, check=True).stdout)
    ranges = sorted(js.get("pagelabels", []), key=lambda r: r["index"])
    if not ranges:
        return [str(i + 1) for i in range(n)], None
    labels = []
    body_start = None
    for i in range(n):
        r = [x for x in ranges if x["index"] <= i][-1]
        lab = r["label"]
        style = lab.get("/S", "")
        start = int(lab.get("/St", 1))
        k = start + i - r["index"]
        num = {"/D": str(k), "/r": roman(k), "/R": roman(k, True),
               "/a": letters(k), "/A": letters(k, True)}.get(style, "")
        labels.append(qpdf_str(lab.get("/P")) + num)
        if style == "/D" and body_start is None:
            body_start = i
    return labels, body_start


def check_zip(path):
    with open(path, "rb") as f:
        head = f.read(64)
    sig, _, _, method, _, _, _, _, _, nlen, xlen = struct.unpack("<IHHHHHIIIHH", head[:30])
    if sig != 0x04034B50 or head[30:30 + nlen] != b"mimetype":
        fail("mimetype is not the first entry")
    if method != 0 or xlen != 0:
        fail("mimetype is compressed or has an extra field")
    if head[30 + nlen:30 + nlen + 20] != b"application/epub+zip":
        fail("mimetype content")
    print("ok mimetype first, stored, no extra field")


def page_list(z):
    container = ET.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    base = os.path.dirname(opf_path)
    opf = ET.fromstring(z.read(opf_path))
    items = {i.get("id"): i for i in opf.iter(OPF + "item")}
    spine = [os.path.normpath(os.path.join(base, items[r.get("idref")].get("href")))
             for r in opf.iter(OPF + "itemref")]
    nav_item = [i for i in items.values() if "nav" in (i.get("properties") or "").split()][0]
    nav_path = os.path.normpath(os.path.join(base, nav_item.get("href")))
    nav = ET.fromstring(z.read(nav_path))
    plist = [n for n in nav.iter(XHTML + "nav") if n.get(OPS + "type") == "page-list"]
    if not plist:
        fail("no page-list in nav")
    entries = []
    for a in plist[0].iter(XHTML + "a"):
        href = a.get("href")
        f, _, frag = href.partition("#")
        entries.append(("".join(a.itertext()).strip(),
                        os.path.normpath(os.path.join(os.path.dirname(nav_path), f)), frag))
    # positions of ids: (spine index, document order); and for markers
    # inside a paragraph, the text that follows them there
    pos = {}
    follows = {}
    for si, f in enumerate(spine):
        doc = ET.fromstring(z.read(f))
        parents = {c: p for p in doc.iter() for c in p}
        for k, el in enumerate(doc.iter()):
            if el.get("id"):
                pos[(f, el.get("id"))] = (si, k)
            if el.get(OPS + "type") == "pagebreak":
                block = el
                while block in parents and block.tag in (XHTML + "span", XHTML + "em", XHTML + "strong",
                                                         XHTML + "a", XHTML + "code"):
                    block = parents[block]
                if block.tag != XHTML + "p":
                    continue
                text = "".join(block.itertext())
                after = _text_after(block, el)
                if after is not None and after != text:
                    follows[(f, el.get("id"))] = (text[:len(text) - len(after)], after)
    return entries, pos, follows


def _text_after(block, marker):
    """Text of block after marker, or None if marker is not inside block."""
    out = []
    seen = [False]

    def walk(node):
        if node is marker:
            seen[0] = True
            if node.tail and seen[0]:
                out.append(node.tail)
            return
        if seen[0] and node.text:
            out.append(node.text)
        for c in node:
            walk(c)
        if seen[0] and node is not block and node.tail:
            out.append(node.tail)

    walk(block)
    return "".join(out) if seen[0] else None


def squash(s):
    return re.sub(r"[\s\u00ad\u2010-\u2015-]", "", unicodedata.normalize("NFC", s))


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00ad", "")
    s = re.sub("[\u2018\u2019\u201a\u2032']", "'", s)
    s = re.sub("[\u201c\u201d\u201e\u2033\"]", '"', s)
    s = re.sub(r"[\u2010-\u2015-]", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def sentences(path, count=3):
    text = open(path, encoding="utf-8", errors="replace").read()
    out = []
    for line in text.splitlines():
        if re.match(r"\s*([#|>`*+-]|\d+\.)", line):
            continue  # Markdown structure: checked by the unit tests
        line = re.sub(r"\[\d+\]", "", line)  # citation markers become note links
        for s in re.split(r"(?<=[.!?])\s+", line):
            s = s.strip()
            if 40 <= len(s) <= 240 and not re.search(r"[\[\]#*_`<>|]", s):
                out.append(norm(s))
            if len(out) >= count:
                return out
    return out


def main():
    epub, pdf, sources = sys.argv[1:4]
    check_zip(epub)
    z = zipfile.ZipFile(epub)
    labels, body_start = pdf_labels(pdf)
    entries, pos, follows = page_list(z)
    got = [e[0] for e in entries]
    if body_start is None:
        body_start = 0
    want_body = labels[body_start:]
    if got[-len(want_body):] != want_body or len(got) < len(want_body):
        fail("page-list %s != PDF labels from the first body page %s" % (got, want_body))
    if got != labels[len(labels) - len(got):]:
        fail("page-list front entries %s do not match the PDF %s" % (got, labels))
    last = (-1, -1)
    for label, f, frag in entries:
        p = pos.get((f, frag))
        if p is None:
            fail("page-list target %s#%s does not exist" % (f, frag))
        if p <= last:
            fail("page-list entry %s is out of reading order" % label)
        last = p
    print("ok page-list: %d entries = PDF labels %s" % (len(got), " ".join(got)))

    # Pages that begin inside a paragraph begin with the same words in print.
    first = len(labels) - len(got)
    mid = 0
    def page_text(n):
        return squash(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"],
                                     capture_output=True, text=True, check=True).stdout)

    for i, (label, f, frag) in enumerate(entries):
        split = follows.get((f, frag))
        if not split:
            continue
        before, after = split
        page = first + i + 1
        head = squash(after)[:20]
        tail = squash(before)[-20:]
        # the marker's text opens this page, and what precedes it closes the
        # previous one (running heads and footers are short)
        if head and head not in page_text(page)[:600]:
            fail("page %s: the PDF page does not begin with %r" % (label, after[:40]))
        if page > 1 and tail and tail not in page_text(page - 1)[-400:]:
            fail("page %s: the PDF page before does not end with %r" % (label, before[-40:]))
        mid += 1
    print("ok %d page(s) opening mid-paragraph begin with the same text in the PDF" % mid)

    plain = subprocess.run(["pandoc", "-f", "epub", "-t", "plain", "--wrap=none", epub],
                           capture_output=True, text=True, check=True).stdout
    plain = norm(plain)
    checked = 0
    for name in sorted(os.listdir(sources)):
        if not (name.endswith(".txt") or name.endswith(".md")):
            continue
        for s in sentences(os.path.join(sources, name)):
            if s not in plain:
                fail("pandoc text lacks a sentence of %s: %r" % (name, s))
            checked += 1
    if checked == 0:
        fail("no sentences to check in %s" % sources)
    print("ok pandoc text holds %d sentences of the sources" % checked)


if __name__ == "__main__":
    main()
