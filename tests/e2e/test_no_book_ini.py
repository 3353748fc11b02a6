"""A folder without book.ini still builds, with titles found in the text.

fixtures/my_summit: a Markdown file that starts with a heading and a text
file with no heading (and a Vietnamese one, for language detection).  The book title comes from the folder name; a
chapter's title is its first heading, else its first sentence shortened at a
word boundary.  `briefing dump` shows them.
"""

import os
import re
import shutil

import e2elib as t
from e2elib import check

ctx = t.start("no-book-ini")
folder = os.path.join(ctx.tmp, "my_summit")
shutil.copytree(os.path.join(ctx.fixtures, "my_summit"), folder)
check(not os.path.exists(os.path.join(folder, "book.ini")), "the fixture must not have a book.ini")

with open(os.path.join(folder, "arrival.txt"), encoding="utf-8") as f:
    first_line = f.readline().strip()
first_sentence = re.split(r"(?<=[.!?])\s", first_line)[0]

rc, dump, err = ctx.run("dump", folder)
check(rc == 0, "dump: exit %d, expected 0" % rc)
print(dump[:1500])

# The book line: `book ... "Title"`.
m = re.search(r'^book\b.*"([^"]*)"\s*$', dump, re.M)
check(m is not None, "dump has no book line with a title")
if m:
    check(m.group(1).lower().replace("_", " ") == "my summit",
          "book title %r does not come from the folder name my_summit" % m.group(1))

chapters = dict(re.findall(r'^\s*section chapter\b.*@([^:\s]+):\d+.*"([^"]*)"\s*$', dump, re.M))
print("chapters: %r" % chapters)
check(set(chapters) == {"agenda.md", "arrival.txt", "tin_tuc.txt"},
      "expected chapters for agenda.md, arrival.txt, tin_tuc.txt, got %r" % sorted(chapters))

# Language detected from the text itself.
langs = dict(re.findall(r'^\s*section chapter\b.*@([^:\s]+):\d+.*\blang=(\w+)', dump, re.M))
print("languages: %r" % langs)
for name, lang in (("agenda.md", "en"), ("arrival.txt", "en"), ("tin_tuc.txt", "vi")):
    check(langs.get(name) == lang, "%s: language %r, expected %r" % (name, langs.get(name), lang))

check(chapters.get("agenda.md") == "Agenda for the talks",
      "agenda.md title is %r, expected its first heading" % chapters.get("agenda.md"))

title = chapters.get("arrival.txt", "")
# Typographic quotes may replace the straight apostrophe.
norm = lambda s: s.replace("’", "'")
stem = norm(title.rstrip("…").rstrip(".").rstrip())
fs = norm(first_sentence)
check(stem != "" and fs.startswith(stem),
      "arrival.txt title %r is not taken from the first sentence %r" % (title, first_sentence))
check(len(stem) < len(fs.rstrip(".")),
      "arrival.txt title %r is not shortened (the sentence is %d characters)" % (title, len(fs)))
check(len(stem) <= 100, "arrival.txt title is too long: %d characters" % len(stem))
if stem and fs.startswith(stem) and len(stem) < len(fs):
    check(fs[len(stem)] in " ,;:",
          "arrival.txt title %r is cut inside a word (next: %r)" % (title, fs[len(stem):len(stem) + 8]))

# And the book builds, named after the folder.
pdf = ctx.build(folder, os.path.join(ctx.tmp, "out"))
check(os.path.basename(pdf) == "my-summit.pdf", "PDF is named %s, expected my-summit.pdf"
      % os.path.basename(pdf))
q = t.QpdfJson(pdf)
titles = [o.get("title") for o in q.outlines()]
check("Agenda for the talks" in titles, "outline %r lacks the agenda chapter" % titles)

t.finish()
