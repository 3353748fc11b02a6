/* dates-vi.c — Vietnamese date rules (the pattern language is in dates.h).
 *
 * Numeric dates are DAY/MONTH ("27/2", "27-2", "27.2.2019").  A bare "27/2"
 * or "27-2" is taken only after a word that introduces a date (ngày, sáng,
 * tối, hôm, từ …) or at the start of a clause, so scores ("tỷ số 2-1"),
 * ranges of counts ("2-3 người") and "24/7" stay out.  "tháng 6" is June,
 * "6 tháng" six months (a duration, not matched); "thứ hai" is a weekday
 * only after a word such as "vào" or "sáng", since "ngày thứ hai" is "the
 * second day".
 */
#include "dates.h"

#define DATE_ABS(p) { p, BB_DATE_KIND_ABSOLUTE, 0, 0, 0, 0 }
#define DATE_ABSF(p, f) { p, BB_DATE_KIND_ABSOLUTE, 0, 0, 0, f }
#define DATE_ABSY(p, n) { p, BB_DATE_KIND_ABSOLUTE, 0, n, BB_DATE_ANCHOR_DEICTIC, BB_DATE_PAT_YEAR_REL }
#define DATE_REL(p, unit, n, anchor) { p, BB_DATE_KIND_RELATIVE, BB_DATE_UNIT_##unit, n, BB_DATE_ANCHOR_##anchor, 0 }
#define DATE_RELF(p, unit, n, anchor, f) { p, BB_DATE_KIND_RELATIVE, BB_DATE_UNIT_##unit, n, BB_DATE_ANCHOR_##anchor, f }
#define DATE_WD(p, f) { p, BB_DATE_KIND_WEEKDAY, 0, 0, BB_DATE_ANCHOR_DEICTIC, f }

/* Months written in words ("tháng Hai"); "hai tháng" is two months and
 * does not match, the month word comes second. */
static const BbDateWord months[] = {
  { "tháng giêng", 1 }, { "tháng một", 1 }, { "tháng hai", 2 }, { "tháng ba", 3 },
  { "tháng tư", 4 }, { "tháng năm", 5 }, { "tháng sáu", 6 }, { "tháng bảy", 7 },
  { "tháng tám", 8 }, { "tháng chín", 9 }, { "tháng mười", 10 }, { "tháng mười một", 11 },
  { "tháng mười hai", 12 }, { "tháng chạp", 12 },
  { NULL, 0 }
};

static const BbDateWord weekdays[] = {
  { "thứ hai", 1 }, { "thứ 2", 1 }, { "thứ ba", 2 }, { "thứ 3", 2 }, { "thứ tư", 3 },
  { "thứ 4", 3 }, { "thứ năm", 4 }, { "thứ 5", 4 }, { "thứ sáu", 5 }, { "thứ 6", 5 },
  { "thứ bảy", 6 }, { "thứ 7", 6 }, { "chủ nhật", 7 },
  { NULL, 0 }
};

static const BbDateWord numbers[] = {
  { "một", 1 }, { "hai", 2 }, { "ba", 3 }, { "bốn", 4 }, { "tư", 4 }, { "năm", 5 },
  { "sáu", 6 }, { "bảy", 7 }, { "tám", 8 }, { "chín", 9 }, { "mười", 10 },
  { "mười hai", 12 }, { NULL, 0 }
};

static const char *const ordinals[] = { NULL };

/* Words that may stand before a date and change nothing in its value. */
#define TIME_OF_DAY "ngày|sáng|chiều|tối|trưa|đêm|hôm|khuya|rạng"

static const BbDatePattern patterns[] = {
  /* full dates */
  DATE_ABS ("ngày {d} tháng {mn} năm {y}"),
  DATE_ABS ("{d} tháng {mn} năm {y}"),
  DATE_ABS ("ngày {d} tháng {mn} , {y}"),
  DATE_ABS ("{d}/{mn}/{y}"),
  DATE_ABS ("{d}-{mn}-{y}"),
  DATE_ABS ("{d}.{mn}.{y}"),
  DATE_ABS ("{d}/{mn} năm {y}"),
  DATE_ABS ("{y}-{mn}-{d}"),
  /* day and month; the year comes from the context */
  DATE_ABS ("ngày {d} tháng {mn}"),
  DATE_ABSF ("{d}/{mn}", BB_DATE_PAT_WEAK),
  DATE_ABSF ("{d}-{mn}", BB_DATE_PAT_WEAK),
  DATE_ABS (TIME_OF_DAY " {d}.{mn}"),
  /* months in words */
  DATE_ABS ("ngày {d} {m} năm {y}"),
  DATE_ABS ("ngày {d} {m}"),
  DATE_ABS ("{m} năm {y}"),
  DATE_ABS ("{m} , {y}"),
  DATE_ABS ("{m}/{y}"),
  DATE_ABS ("vào|trong|từ|đến|cuối|đầu|giữa|hồi|hôm|sang {m}"),
  /* month and year */
  DATE_ABS ("tháng {mn}/{y}"),
  DATE_ABS ("tháng {mn}-{y}"),
  DATE_ABS ("tháng {mn}.{y}"),
  DATE_ABS ("tháng {mn} năm {y}"),
  DATE_ABS ("tháng {mn} , {y}"),
  DATE_ABSF ("tháng {mn}", BB_DATE_PAT_NO_NUM_BEFORE),
  /* month of a year counted from the dateline */
  DATE_ABSY ("tháng {mn} năm ngoái|trước", -1),
  DATE_ABSY ("tháng {mn} năm nay", 0),
  DATE_ABSY ("tháng {mn} năm sau|tới", 1),
  DATE_ABSY ("ngày {d} tháng {mn} năm ngoái|trước", -1),
  DATE_ABSY ("{d}/{mn} năm ngoái|trước", -1),
  DATE_ABSY ("{d}/{mn} năm nay", 0),
  /* decades, not years: "những năm 1990", "thập niên 1990" */
  { "những|các năm {y}", BB_DATE_KIND_IGNORE, 0, 0, 0, 0 },
  { "thập niên|kỷ {y}", BB_DATE_KIND_IGNORE, 0, 0, 0, 0 },
  { "thập niên|kỷ năm {y}", BB_DATE_KIND_IGNORE, 0, 0, 0, 0 },
  /* a year */
  DATE_ABS ("năm {y}"),
  DATE_ABSF ("{y}", BB_DATE_PAT_BARE_YEAR),
  /* ranges */
  DATE_ABS ("{d}-{d2}/{mn}/{y}"),
  DATE_ABS ("{d} - {d2}/{mn}/{y}"),
  DATE_ABSF ("{d}-{d2}/{mn}", BB_DATE_PAT_WEAK),
  DATE_ABSF ("{d} - {d2}/{mn}", BB_DATE_PAT_WEAK),
  DATE_ABS ("{d} , {d2}/{mn}/{y}"),
  DATE_ABSF ("{d} , {d2}/{mn}", BB_DATE_PAT_WEAK),
  DATE_ABS ("từ {d} đến {d2}/{mn}/{y}"),
  DATE_ABS ("từ {d} - {d2}/{mn}/{y}"),
  DATE_ABS ("từ {d} đến {d2}/{mn}"),
  DATE_ABS ("từ ngày {d} đến {d2}/{mn}/{y}"),
  DATE_ABS ("từ ngày {d} đến {d2}/{mn}"),
  DATE_ABS ("từ ngày {d} đến ngày {d2}/{mn}/{y}"),
  DATE_ABS ("từ ngày {d} đến ngày {d2}/{mn}"),
  DATE_ABS ("{d} và {d2}/{mn}/{y}"),
  DATE_ABSF ("{d} và {d2}/{mn}", BB_DATE_PAT_WEAK),
  DATE_ABS ("ngày {d} - {d2} tháng {mn} năm {y}"),
  DATE_ABS ("ngày {d} và {d2} tháng {mn} năm {y}"),
  DATE_ABS ("ngày {d} - {d2} tháng {mn}"),
  DATE_ABS ("ngày {d} và {d2} tháng {mn}"),
  DATE_ABS ("từ ngày {d} đến ngày {d2} tháng {mn} năm {y}"),
  DATE_ABS ("từ ngày {d} đến ngày {d2} tháng {mn}"),
  DATE_ABS ("từ ngày {d} đến {d2} tháng {mn} năm {y}"),
  DATE_ABS ("từ ngày {d} đến {d2} tháng {mn}"),
  DATE_ABS ("từ ngày {d} tháng {mn} đến ngày {d2} tháng {mn2} năm {y}"),
  DATE_ABS ("từ ngày {d} tháng {mn} đến ngày {d2} tháng {mn2}"),
  DATE_ABS ("từ ngày {d}/{mn} đến ngày {d2}/{mn2}/{y}"),
  DATE_ABS ("từ ngày {d}/{mn} đến ngày {d2}/{mn2}"),
  DATE_ABS ("từ {d}/{mn} đến {d2}/{mn2}/{y}"),
  DATE_ABS ("từ {d}/{mn} đến {d2}/{mn2}"),
  DATE_ABS ("từ ngày {d}/{mn} đến {d2}/{mn2}"),
  DATE_ABS ("{d}/{mn} - {d2}/{mn2}/{y}"),
  DATE_ABSF ("{d}/{mn} - {d2}/{mn2}", BB_DATE_PAT_WEAK),
  DATE_ABS ("tháng {mn} - {mn2}/{y}"),
  DATE_ABS ("tháng {mn} và {mn2}/{y}"),
  DATE_ABS ("{y}-{y2}"),
  DATE_ABS ("{y} - {y2}"),
  DATE_ABS ("năm {y} - {y2}"),
  DATE_ABS ("từ năm {y} đến năm {y2}"),
  DATE_ABS ("từ năm {y} đến {y2}"),
  DATE_ABS ("từ {y} đến {y2}"),
  /* relative to the last date mentioned */
  DATE_REL ("hôm sau", DAY, 1, NARRATIVE),
  DATE_REL ("ngày hôm sau", DAY, 1, NARRATIVE),
  DATE_REL ("ngày sau đó", DAY, 1, NARRATIVE),
  DATE_REL ("hôm sau đó", DAY, 1, NARRATIVE),
  DATE_REL ("ngày hôm trước", DAY, -1, NARRATIVE),
  DATE_REL ("hôm trước đó", DAY, -1, NARRATIVE),
  DATE_REL ("ngày trước đó", DAY, -1, NARRATIVE),
  DATE_REL ("cùng ngày", DAY, 0, NARRATIVE),
  DATE_REL ("ngày hôm đó", DAY, 0, NARRATIVE),
  DATE_REL ("hôm đó", DAY, 0, NARRATIVE),
  DATE_REL ("cùng tháng", MONTH, 0, NARRATIVE),
  DATE_REL ("tháng sau đó", MONTH, 1, NARRATIVE),
  DATE_REL ("cùng năm", YEAR, 0, NARRATIVE),
  DATE_REL ("năm đó", YEAR, 0, NARRATIVE),
  DATE_REL ("năm sau đó", YEAR, 1, NARRATIVE),
  DATE_REL ("{n} ngày sau", DAY, 1, NARRATIVE),
  DATE_REL ("{n} ngày sau đó", DAY, 1, NARRATIVE),
  DATE_REL ("{n} ngày trước đó", DAY, -1, NARRATIVE),
  DATE_REL ("{n} tuần sau", WEEK, 1, NARRATIVE),
  DATE_REL ("{n} tuần sau đó", WEEK, 1, NARRATIVE),
  DATE_REL ("{n} tháng sau", MONTH, 1, NARRATIVE),
  DATE_REL ("{n} tháng sau đó", MONTH, 1, NARRATIVE),
  DATE_REL ("{n} tháng trước đó", MONTH, -1, NARRATIVE),
  DATE_REL ("{n} năm sau", YEAR, 1, NARRATIVE),
  DATE_REL ("{n} năm sau đó", YEAR, 1, NARRATIVE),
  DATE_REL ("{n} năm trước đó", YEAR, -1, NARRATIVE),
  /* relative to the dateline */
  DATE_REL ("hôm qua", DAY, -1, DEICTIC),
  DATE_REL ("tối qua", DAY, -1, DEICTIC),
  DATE_REL ("đêm qua", DAY, -1, DEICTIC),
  DATE_RELF ("hôm nay", DAY, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_RELF ("sáng|chiều|trưa|tối|đêm nay", DAY, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_REL ("ngày mai", DAY, 1, DEICTIC),
  DATE_REL ("tuần trước", WEEK, -1, DEICTIC),
  DATE_REL ("tuần sau|tuần tới", WEEK, 1, DEICTIC),
  DATE_REL ("tháng trước", MONTH, -1, DEICTIC),
  DATE_REL ("tháng sau|tháng tới", MONTH, 1, DEICTIC),
  DATE_RELF ("tháng này", MONTH, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_REL ("năm ngoái", YEAR, -1, DEICTIC),
  DATE_RELF ("năm trước", YEAR, -1, DEICTIC, BB_DATE_PAT_NO_NUM_BEFORE),
  DATE_RELF ("năm sau|năm tới", YEAR, 1, DEICTIC, BB_DATE_PAT_NO_NUM_BEFORE),
  DATE_RELF ("năm nay", YEAR, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_REL ("{n} ngày trước", DAY, -1, DEICTIC),
  DATE_REL ("{n} tháng trước", MONTH, -1, DEICTIC),
  DATE_REL ("{n} năm trước", YEAR, -1, DEICTIC),
  /* weekdays, only after a word that makes them one */
  DATE_WD ("vào|hôm|sáng|chiều|tối|trưa|đêm|rạng {wd}", 0),
  DATE_WD ("{wd} tuần trước", 0),
  DATE_WD ("{wd} tuần tới|sau", BB_DATE_PAT_FUTURE),
  { NULL, 0, 0, 0, 0, 0 }
};

static const char *const count_words[] = {
  "người", "km", "cây", "tấn", "binh", "lính", "quân", "đồng", "usd", "lần", "giờ", "phút",
  "giây", "chiếc", "tỷ", "tỉ", "triệu", "nghìn", "ngàn", "trăm", "ha", "m", "con", "cái",
  "trang", "tuổi", "ngày", "tuần", "đại", "phóng", "nhà", "học", "sinh", "vụ", "điểm",
  "bàn", "ghế", "phiếu", "khách", "đơn", "quả", "tên", "xe", "phần", "h", "kg", "mét",
  "héc", "hộ", "gia", "công", "cơ", "đô", "euro", "won", "yên", "số", "dân", "lượng", NULL
};

static const char *const number_words_before[] = {
  "số", "khoảng", "gần", "hơn", "nghị", "quyết", "điều", "khoản", "chương", "phòng",
  "lộ", "tuyến", "bay", "lúc", "mã", "hiệu", "top", "gấp", "chừng", "ngót", "tầm", NULL
};

/* Words that introduce a bare "27/2". */
static const char *const weak_vouchers[] = {
  "ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "rạng", "khuya", "từ", "đến", "tới",
  "vào", "trước", "sau", "qua", "cuối", "đầu", "giữa", "và", "hoặc", "nay", "là", "hai",
  "ba", "tư", "năm", "sáu", "bảy", "nhật", "dịp", "hạn", "mùng", "mồng", NULL
};

static const char *const speculation[] = {
  "có thể", "có lẽ", "sớm nhất", "khả năng", "dự đoán", "đồn đoán", "nếu", "hy vọng",
  "hi vọng", "phỏng đoán", NULL
};

static const char *const abbreviations[] = {
  "tp", "ts", "pgs", "gs", "ths", "bs", "ks", "th", "tt", "q", "p", "st", "mr", "dr", NULL
};

static const char *const month_names[] = {
  "tháng 1", "tháng 2", "tháng 3", "tháng 4", "tháng 5", "tháng 6", "tháng 7", "tháng 8",
  "tháng 9", "tháng 10", "tháng 11", "tháng 12",
};

const BbDateRules bb_date_rules_vi = {
  .lang = "vi",
  .names_capitalized = FALSE,
  .months = months,
  .weekdays = weekdays,
  .numbers = numbers,
  .ordinal_suffixes = ordinals,
  .patterns = patterns,
  .count_words = count_words,
  .number_words_before = number_words_before,
  .weak_vouchers = weak_vouchers,
  .speculation = speculation,
  .abbreviations = abbreviations,
  .fmt_day = "{d}/{m}/{y}",
  .fmt_month = "tháng {m}/{y}",
  .fmt_year = "năm {y}",
  .fmt_day_range_same_month = "{d}–{d2}/{m}/{y}",
  .month_names = month_names,
  .label_date = "Ngày",
  .label_event = "Sự kiện",
  .label_source = "Nguồn",
  .label_page = "Trang",
  .label_curated = "bổ sung",
  .label_empty = "Không tìm thấy sự kiện có ngày tháng trong các nguồn.",
  .fmt_conflict = "các nguồn ghi khác: %s",
  .fmt_conflict_more = "%u nguồn khác",
};
