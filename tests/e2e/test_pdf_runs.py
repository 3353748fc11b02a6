"""A long book's PDF is drawn in runs of pages on several threads and the
runs joined (pdf.c, pdfmerge.c): the joined PDF must be the book one
surface draws, to a reader and to assistive technology alike.

The seed book is built whole (one run) and in runs of 1, 3 and 7 pages,
on 1 and 4 threads.  The joined PDFs must pass `qpdf --check`, be
byte-identical whatever the threads, and agree with the whole one on:
the text of every page, every page's label, the outline (titles, levels
and the page and position each entry opens), every link (its rectangle
and where its destination lands), the named destinations, and the
structure tree (tag, page and marked-content ids of every element, in
order), whose parent tree must map every page's marked content and every
link annotation back to the element that owns it.  Every font must be
embedded.  A control requires the runs to have been joined at all: the
joined PDF embeds more font programs than the whole one.  Another, that
they were joined out of the pages' order, as pdf.c joins them (the
body's runs before the front matter's): the first page's object is not
the lowest-numbered page.
"""

import os

import e2elib as t
from e2elib import check

ctx = t.start("pdf-runs")


def build(run_pages, threads):
    out = os.path.join(ctx.tmp, "out-%s-%d" % (run_pages or "whole", threads))
    os.environ["BRIEFING_THREADS"] = str(threads)
    if run_pages:
        os.environ["BRIEFING_PDF_RUN_PAGES"] = str(run_pages)
    try:
        return ctx.build(ctx.sources, out, "--format", "pdf")
    finally:
        os.environ.pop("BRIEFING_THREADS", None)
        os.environ.pop("BRIEFING_PDF_RUN_PAGES", None)


def ref_key(value):
    return value if isinstance(value, str) and value.endswith(" R") else None


def model(pdf):
    """What a reader and a screen reader get from the PDF, with object
    numbers replaced by page indexes."""
    q = t.QpdfJson(pdf)
    obj = q.objects
    pages = [p["object"] for p in q.pages()]
    index = {ref: i for i, ref in enumerate(pages)}
    root = q.deref(q.trailer()["/Root"])

    def where(dest):
        """A destination, by name or explicit, as (page index, x, y)."""
        if isinstance(dest, str) and not dest.endswith(" R"):
            dest = dests.get(t.pdf_string(dest))
        dest = q.deref(dest)
        if not isinstance(dest, list) or not dest:
            return None
        return (index.get(dest[0]), [round(float(v), 2) if isinstance(v, (int, float)) else v for v in dest[1:]])

    dests = {}
    names = q.deref(q.deref(root.get("/Names", {})).get("/Dests")) if root.get("/Names") else None
    if names:
        arr = names.get("/Names", [])
        keys = [t.pdf_string(arr[i]) for i in range(0, len(arr), 2)]
        check(keys == sorted(keys, key=lambda s: s.encode("utf-8")), "%s: the destination names are not sorted" % pdf)
        for i in range(0, len(arr), 2):
            dests[t.pdf_string(arr[i])] = arr[i + 1]

    links = []
    for i, ref in enumerate(pages):
        page = q.deref(ref)
        for a in q.deref(page.get("/Annots", [])) or []:
            ad = q.deref(a)
            links.append((i, [round(float(v)) for v in ad.get("/Rect", [])],
                          where(ad.get("/Dest")) if "/Dest" in ad else ad.get("/A")))

    outline = []

    def walk_outline(item, depth):
        while item:
            d = q.deref(item)
            outline.append((depth, t.pdf_string(d.get("/Title")), where(d.get("/Dest"))))
            walk_outline(d.get("/First"), depth + 1)
            item = d.get("/Next")

    if root.get("/Outlines"):
        walk_outline(q.deref(root["/Outlines"]).get("/First"), 0)

    # the structure tree, and the parent tree checked against it
    tags = []
    mcid_owner = {}   # (page index, mcid) -> element
    annot_owner = {}  # annotation ref -> element
    sroot = q.deref(root.get("/StructTreeRoot"))

    def walk_struct(ref, depth, parent):
        e = q.deref(ref)
        if not isinstance(e, dict) or e.get("/Type") not in ("/StructElem", None):
            return
        if e.get("/P") != parent:
            bad_parents.append(ref)
        kids = e.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        page = index.get(e.get("/Pg"))
        marks = []
        for k in kids:
            if isinstance(k, int):
                marks.append((page, k))
                mcid_owner[(page, k)] = ref
            elif ref_key(k):
                walk_struct(k, depth + 1, ref)
            elif isinstance(k, dict) and k.get("/Type") == "/OBJR":
                annot_owner[k["/Obj"]] = ref
                marks.append(("link", index.get(q.deref(k["/Obj"]).get("/P"))))
            elif isinstance(k, dict) and k.get("/Type") == "/MCR":
                marks.append((index.get(k.get("/Pg")), k.get("/MCID")))
                mcid_owner[(index.get(k.get("/Pg")), k.get("/MCID"))] = ref
        tags.append((depth, e.get("/S"), marks))

    bad_parents = []
    if sroot:
        kids = sroot.get("/K", [])
        for k in kids if isinstance(kids, list) else [kids]:
            walk_struct(k, 0, root["/StructTreeRoot"])
        check(not bad_parents, "%s: %d structure elements do not name their parent (/P), %s the first"
              % (pdf, len(bad_parents), bad_parents[:1]))
        parents = q.deref(sroot.get("/ParentTree")) or {}
        nums = parents.get("/Nums", [])
        ptree = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
        keys = [nums[i] for i in range(0, len(nums), 2)]
        check(keys == sorted(keys) and len(set(keys)) == len(keys),
              "%s: the parent tree's keys are not in order" % pdf)
        for i, ref in enumerate(pages):
            page = q.deref(ref)
            if "/StructParents" in page:
                arr = q.deref(ptree.get(page["/StructParents"]))
                check(isinstance(arr, list), "%s: page %d's marked content has no parent tree entry" % (pdf, i + 1))
                for mcid, owner in enumerate(arr or []):
                    if (i, mcid) in mcid_owner:
                        check(owner == mcid_owner[(i, mcid)],
                              "%s: page %d, marked content %d: the parent tree names the wrong element"
                              % (pdf, i + 1, mcid))
            for a in q.deref(page.get("/Annots", [])) or []:
                sp = q.deref(a).get("/StructParent")
                if sp is not None:
                    check(ptree.get(sp) == annot_owner.get(a),
                          "%s: page %d: a link's parent tree entry is not its element" % (pdf, i + 1))
    text = t.pdftotext(pdf)
    return {
        "pages": len(pages),
        "labels": q.page_labels(),
        "text": text,
        "links": links,
        "outline": outline,
        "dests": {k: where(v) for k, v in dests.items()},
        "tags": tags,
    }


def page_numbers(pdf):
    """The object number of each page, in the pages' order."""
    return [int(p["object"].split()[0]) for p in t.QpdfJson(pdf).pages()]


def font_programs(pdf):
    q = t.QpdfJson(pdf)
    return sum(1 for v in q.objects.values()
               if isinstance(v, dict) and isinstance(v.get("value"), dict)
               and v["value"].get("/Type") == "/FontDescriptor")


whole = build(None, 1)
want = model(whole)
check(want["pages"] > 8, "the seed book has %d pages: too few to draw in runs" % want["pages"])
check(len(want["links"]) > 20 and len(want["tags"]) > 50 and want["outline"],
      "the whole book has too few links, tags or outline entries to compare")
for run_pages in (1, 3, 7):
    books = {}
    for threads in (1, 4):
        pdf = build(run_pages, threads)
        books[threads] = open(pdf, "rb").read()
        t.tool("qpdf", "--check", pdf)
        fonts = t.tool("pdffonts", pdf).splitlines()[2:]
        check(fonts and all(" yes " in line.split("  ", 1)[1] for line in fonts),
              "runs of %d: a font is not embedded:\n%s" % (run_pages, "\n".join(fonts)))
    check(books[1] == books[4], "runs of %d pages: the PDF differs between 1 and 4 threads" % run_pages)
    check(font_programs(pdf) > font_programs(whole),
          "runs of %d pages: no more fonts than the whole book's; the runs were not joined" % run_pages)
    nums = page_numbers(pdf)
    check(nums[0] > min(nums),
          "runs of %d pages: the first page has the lowest object number (%d): "
          "the front matter was not joined after the body" % (run_pages, nums[0]))
    got = model(pdf)
    for key in want:
        if got[key] != want[key]:
            if isinstance(want[key], list) and isinstance(got[key], list):
                diff = next((i for i, (a, b) in enumerate(zip(got[key], want[key])) if a != b),
                            min(len(got[key]), len(want[key])))
                detail = "first difference at %d: %r against %r" % (
                    diff, got[key][diff] if diff < len(got[key]) else None,
                    want[key][diff] if diff < len(want[key]) else None)
            else:
                detail = "%r against %r" % (str(got[key])[:300], str(want[key])[:300])
            check(False, "runs of %d pages: %s differ from the whole book's (%s)" % (run_pages, key, detail))
t.finish()
