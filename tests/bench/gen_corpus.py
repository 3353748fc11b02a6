#!/usr/bin/env python3
"""gen_corpus.py — a deterministic benchmark corpus for briefing.

Writes N sources of about 1,200 words each into OUTDIR, English and
Vietnamese mixed, the way summit staff receive them: news paragraphs with
dates in every form ("27 February 2019", "February 27, 2019",
"ngày 27 tháng 2 năm 2019", "27/2", ranges), people with titles
("Secretary of State …", "Tổng thống …"), Wikipedia-style citation markers
("[12]"), and, for every fifth source, a Markdown file with a schedule table
of 10 to 30 rows.  A book.ini names the book.

Every source is drawn from its own random stream seeded by (seed, index), so
the corpus for N = 100 is the first hundred sources of N = 1,000 and the same
arguments always give byte-identical files.

--same makes every source mention the same few people and the same few dates:
the case where merging events and people must not become quadratic.

Usage: gen_corpus.py N OUTDIR [--same] [--seed S]
"""

import argparse
import os
import random
import re
import sys

WORDS_PER_SOURCE = 1200

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]

FIRST = ["Michael", "Sarah", "David", "Anna", "Robert", "Laura", "James",
         "Helen", "Thomas", "Maria", "Stephen", "Claire", "Daniel", "Julia",
         "Kevin", "Ruth", "Mark", "Alice", "Peter", "Nora"]
LAST = ["Harrison", "Whitfield", "Caldwell", "Brennan", "Okafor", "Lindqvist",
        "Moreau", "Takahashi", "Sullivan", "Fischer", "Abernathy", "Delgado",
        "Kowalski", "Rasmussen", "Ferreira", "Nakamura", "Gallagher", "Ibsen",
        "Montague", "Castellano"]
KOREAN = ["Kim Yong-chol", "Ri Yong-ho", "Choe Son-hui", "Kim Hyok-chol",
          "Moon Jae-in", "Kang Kyung-wha", "Chung Eui-yong", "Ri Su-yong",
          "Kim Yo-jong", "Han Song-ryol"]
VIET = ["Nguyễn Văn Thành", "Trần Thị Mai", "Lê Quang Minh", "Phạm Đức Hòa",
        "Hoàng Thị Lan", "Vũ Văn Hùng", "Đặng Quốc Bảo", "Bùi Thị Hạnh",
        "Đỗ Minh Tuấn", "Ngô Thanh Sơn", "Phan Văn Khải", "Dương Thị Thu"]

TITLES_EN = ["Secretary of State", "President", "Foreign Minister",
             "Special Representative", "Ambassador", "National Security Adviser",
             "Vice Foreign Minister", "Senator", "Deputy Secretary of State",
             "Prime Minister"]
TITLES_VI = ["Tổng thống", "Chủ tịch", "Ngoại trưởng", "Bộ trưởng Ngoại giao",
             "Thủ tướng", "Đại sứ", "Thứ trưởng Ngoại giao", "Đặc phái viên"]

COUNTRIES_EN = ["the United States", "North Korea", "South Korea", "Vietnam",
                "China", "Japan", "Russia", "Singapore"]
COUNTRIES_VI = ["Mỹ", "Triều Tiên", "Hàn Quốc", "Việt Nam", "Trung Quốc",
                "Nhật Bản", "Nga", "Singapore"]
CITIES_EN = ["Hanoi", "Singapore", "Washington", "Pyongyang", "Seoul",
             "Beijing", "Tokyo", "Panmunjom", "Da Nang", "Stockholm"]
CITIES_VI = ["Hà Nội", "Singapore", "Washington", "Bình Nhưỡng", "Seoul",
             "Bắc Kinh", "Tokyo", "Bàn Môn Điếm", "Đà Nẵng", "Stockholm"]
ORGS_EN = ["the Sejong Institute", "the State Department", "the United Nations",
           "the Korean Central News Agency", "the Blue House",
           "the Ministry of Foreign Affairs", "the Asan Institute"]
ORGS_VI = ["Bộ Ngoại giao", "Thông tấn xã Việt Nam", "Liên Hợp Quốc",
           "Hãng thông tấn KCNA", "Văn phòng Chính phủ", "Viện Sejong"]
TOPICS_EN = ["denuclearisation", "sanctions relief", "a peace declaration",
             "the return of remains", "liaison offices", "economic cooperation",
             "missile testing", "the Yongbyon complex", "humanitarian aid",
             "family reunions"]
TOPICS_VI = ["phi hạt nhân hóa", "nới lỏng cấm vận", "tuyên bố hòa bình",
             "hồi hương hài cốt", "văn phòng liên lạc", "hợp tác kinh tế",
             "thử tên lửa", "tổ hợp Yongbyon", "viện trợ nhân đạo",
             "đoàn tụ gia đình"]

EN_FILLER = [
    "Analysts cautioned that the gap between the two positions remained wide.",
    "The delegation declined to comment on the details of the proposal.",
    "Officials described the atmosphere of the talks as constructive but difficult.",
    "Security around the venue was tightened, and several streets were closed to traffic.",
    "Diplomats said that much of the preparatory work had been done at the working level.",
    "Observers noted that neither side had published a written agenda.",
    "The press centre hosted more than three thousand accredited journalists.",
    "Some experts argued that a step-by-step approach was the only realistic option.",
    "Local residents gathered along the motorcade route to watch the arrivals.",
    "The joint statement, if any, was expected to be short and general.",
]
VI_FILLER = [
    "Các nhà phân tích cho rằng khoảng cách giữa hai bên vẫn còn lớn.",
    "Phái đoàn từ chối bình luận về chi tiết của đề xuất.",
    "Giới chức mô tả không khí cuộc đàm phán là xây dựng nhưng khó khăn.",
    "An ninh quanh địa điểm được thắt chặt, nhiều tuyến phố bị cấm lưu thông.",
    "Các nhà ngoại giao cho biết phần lớn công việc chuẩn bị đã được thực hiện ở cấp làm việc.",
    "Giới quan sát lưu ý rằng chưa bên nào công bố chương trình nghị sự bằng văn bản.",
    "Trung tâm báo chí đón tiếp hơn ba nghìn phóng viên được cấp thẻ.",
    "Một số chuyên gia cho rằng cách tiếp cận từng bước là lựa chọn thực tế duy nhất.",
    "Người dân địa phương tập trung dọc tuyến đường để theo dõi đoàn xe.",
    "Tuyên bố chung, nếu có, được dự đoán sẽ ngắn gọn và mang tính khái quát.",
]


class Pools:
    """People and dates a source may mention; small and shared with --same."""

    def __init__(self, same, rng):
        if same:
            self.people = [("Secretary of State", "Michael Harrison", "Ngoại trưởng"),
                           ("Chairman", "Kim Yong-chol", "Chủ tịch"),
                           ("President", "Robert Whitfield", "Tổng thống"),
                           ("Foreign Minister", "Kang Kyung-wha", "Bộ trưởng Ngoại giao")]
            self.dates = [(2019, 2, 27), (2019, 2, 28), (2018, 6, 12)]
        else:
            people = []
            for i in range(240):
                ti = rng.randrange(len(TITLES_EN))
                if i % 4 == 0:
                    name = KOREAN[i // 4 % len(KOREAN)]
                elif i % 4 == 1:
                    name = VIET[i // 4 % len(VIET)]
                else:
                    name = "%s %s" % (FIRST[rng.randrange(len(FIRST))], LAST[rng.randrange(len(LAST))])
                people.append((TITLES_EN[ti], name, TITLES_VI[ti % len(TITLES_VI)]))
            self.people = people
            self.dates = None


def pick_date(rng, pools):
    if pools.dates:
        return rng.choice(pools.dates)
    return (rng.randint(2015, 2020), rng.randint(1, 12), rng.randint(1, 28))


def fmt_en(d, rng):
    y, m, day = d
    form = rng.randrange(5)
    if form == 0:
        return "%d %s %d" % (day, MONTHS_EN[m - 1], y)
    if form == 1:
        return "%s %d, %d" % (MONTHS_EN[m - 1], day, y)
    if form == 2:
        return "%s %d" % (MONTHS_EN[m - 1], y)
    if form == 3:
        return "%d–%d %s %d" % (day, min(day + 1, 28), MONTHS_EN[m - 1], y)
    return "%d/%d" % (day, m)


def fmt_vi(d, rng):
    y, m, day = d
    form = rng.randrange(5)
    if form == 0:
        return "ngày %d tháng %d năm %d" % (day, m, y)
    if form == 1:
        return "ngày %d/%d/%d" % (day, m, y)
    if form == 2:
        return "tháng %d năm %d" % (m, y)
    if form == 3:
        return "từ ngày %d đến ngày %d tháng %d năm %d" % (day, min(day + 1, 28), m, y)
    return "ngày %d/%d" % (day, m)


# Templates 0–6 carry a date; drawing from five times as many slots makes
# about one sentence in five dated (filler for the rest), as in news copy.
DATED_SENTENCES = 7


def cite(rng):
    if rng.random() < 0.35:
        return "[%d]" % rng.randint(1, 120)
    return ""


MONTH_ONLY_EN = re.compile(r"\bon ((?:%s) \d{4})\b" % "|".join(MONTHS_EN))


def sentence_en(rng, pools):
    t, name, _ = rng.choice(pools.people)
    t2, name2, _ = rng.choice(pools.people)
    d = fmt_en(pick_date(rng, pools), rng)
    city = rng.choice(CITIES_EN)
    topic = rng.choice(TOPICS_EN)
    k = rng.randrange(DATED_SENTENCES * 5)
    if k == 0:
        s = "On %s, %s %s met %s %s in %s to discuss %s." % (d, t, name, t2, name2, city, topic)
    elif k == 1:
        s = "%s %s said on %s that talks on %s would continue." % (t, name, d, topic)
    elif k == 2:
        s = "According to %s, delegations from %s and %s held working-level meetings in %s on %s." % (
            rng.choice(ORGS_EN), rng.choice(COUNTRIES_EN), rng.choice(COUNTRIES_EN), city, d)
    elif k == 3:
        s = "%s, %s of %s, arrived in %s on %s." % (name, t, rng.choice(COUNTRIES_EN), city, d)
    elif k == 4:
        s = "The statement issued on %s was later confirmed by %s %s." % (d, t, name)
    elif k == 5:
        s = "In a speech on %s, %s %s called %s \"the most important question of our time\"." % (d, t, name, topic)
    elif k == 6:
        s = "A second round, planned for %s, was postponed after %s %s fell ill." % (d, t, name)
    else:
        s = rng.choice(EN_FILLER)
    s = MONTH_ONLY_EN.sub(r"in \1", s)   # "in May 2016", not "on May 2016"
    return s[:-1] + cite(rng) + s[-1] if s.endswith(".") else s + cite(rng)


def sentence_vi(rng, pools):
    _, name, t = rng.choice(pools.people)
    _, name2, t2 = rng.choice(pools.people)
    d = fmt_vi(pick_date(rng, pools), rng)
    city = rng.choice(CITIES_VI)
    topic = rng.choice(TOPICS_VI)
    k = rng.randrange(DATED_SENTENCES * 5)
    if k == 0:
        s = "%s, %s %s đã gặp %s %s tại %s để thảo luận về %s." % (d[0].upper() + d[1:], t, name, t2, name2, city, topic)
    elif k == 1:
        s = "%s %s cho biết %s rằng các cuộc đàm phán về %s sẽ tiếp tục." % (t, name, d, topic)
    elif k == 2:
        s = "Theo %s, phái đoàn %s và %s đã có cuộc gặp cấp làm việc tại %s %s." % (
            rng.choice(ORGS_VI), rng.choice(COUNTRIES_VI), rng.choice(COUNTRIES_VI), city, d)
    elif k == 3:
        s = "%s %s của %s đã tới %s %s." % (t, name, rng.choice(COUNTRIES_VI), city, d)
    elif k == 4:
        s = "Tuyên bố đưa ra %s sau đó được %s %s xác nhận." % (d, t, name)
    elif k == 5:
        s = "Phát biểu %s, %s %s gọi %s là \"vấn đề quan trọng nhất của thời đại\"." % (d, t, name, topic)
    elif k == 6:
        s = "Vòng đàm phán thứ hai dự kiến %s đã bị hoãn." % d
    else:
        s = rng.choice(VI_FILLER)
    return s[:-1] + cite(rng) + s[-1] if s.endswith(".") else s + cite(rng)


def paragraphs(rng, pools, lang, words):
    """Paragraphs of 3–8 sentences until the source has about `words` words."""
    make = sentence_en if lang == "en" else sentence_vi
    out, count = [], 0
    while count < words:
        p = " ".join(make(rng, pools) for _ in range(rng.randint(3, 8)))
        out.append(p)
        count += len(p.split())
    return out, count


def table(rng, pools, lang):
    rows = rng.randint(10, 30)
    if lang == "en":
        head = "| Date | Event | Place | Lead |\n|---|---|---|---|\n"
    else:
        head = "| Ngày | Sự kiện | Địa điểm | Trưởng đoàn |\n|---|---|---|---|\n"
    lines = []
    for _ in range(rows):
        d = pick_date(rng, pools)
        t, name, tv = rng.choice(pools.people)
        if lang == "en":
            lines.append("| %d %s %d | Talks on %s | %s | %s %s |" % (
                d[2], MONTHS_EN[d[1] - 1], d[0], rng.choice(TOPICS_EN), rng.choice(CITIES_EN), t, name))
        else:
            lines.append("| %d/%d/%d | Đàm phán về %s | %s | %s %s |" % (
                d[2], d[1], d[0], rng.choice(TOPICS_VI), rng.choice(CITIES_VI), tv, name))
    return head + "\n".join(lines) + "\n", rows * 12


def source(i, seed, same):
    """(file name, text) of source i."""
    rng = random.Random("briefing-bench:%d:%d:%d" % (seed, i, 1 if same else 0))
    pools = Pools(same, random.Random("briefing-bench-pools:%d" % seed))
    lang = "vi" if rng.random() < 0.4 else "en"
    markdown = i % 5 == 4
    topic = rng.choice(TOPICS_EN if lang == "en" else TOPICS_VI)
    city = rng.choice(CITIES_EN if lang == "en" else CITIES_VI)
    if lang == "en":
        title = "Report %d: %s and the road to %s" % (i + 1, topic.capitalize(), city)
    else:
        title = "Bản tin %d: %s và con đường tới %s" % (i + 1, topic[0].upper() + topic[1:], city)
    words = WORDS_PER_SOURCE
    parts = []
    if markdown:
        parts.append("# " + title + "\n")
        tab, tw = table(rng, pools, lang)
        paras, _ = paragraphs(rng, pools, lang, words - tw)
        half = len(paras) // 2
        parts.extend(p + "\n" for p in paras[:half])
        parts.append("## " + ("Schedule" if lang == "en" else "Lịch trình") + "\n")
        parts.append(tab)
        parts.extend(p + "\n" for p in paras[half:])
        name = "%04d_%s.md" % (i, lang)
        return name, "\n".join(parts)
    paras, _ = paragraphs(rng, pools, lang, words)
    name = "%04d_%s.txt" % (i, lang)
    return name, title + "\n\n" + "\n\n".join(paras) + "\n"


def book_ini(n, same):
    kind = "shared people and dates" if same else "mixed"
    return ("[book]\ntitle=Benchmark Book\nsubtitle=%d generated sources (%s)\n"
            "language=en\nlayout=a4\nauthor=Benchmark\npublisher=Benchmark\n") % (n, kind)


def generate(n, outdir, same=False, seed=2019):
    os.makedirs(outdir, exist_ok=True)
    wanted = {"book.ini"}
    with open(os.path.join(outdir, "book.ini"), "w", encoding="utf-8") as f:
        f.write(book_ini(n, same))
    for i in range(n):
        name, text = source(i, seed, same)
        wanted.add(name)
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(text)
    # A cached folder reused for a smaller N must not keep the extra files.
    for old in os.listdir(outdir):
        if old not in wanted and (old.endswith(".txt") or old.endswith(".md")):
            os.remove(os.path.join(outdir, old))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--same", action="store_true", help="every source mentions the same people and dates")
    ap.add_argument("--seed", type=int, default=2019)
    a = ap.parse_args(argv)
    if a.n < 0:
        ap.error("N must be >= 0")
    generate(a.n, a.outdir, a.same, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
