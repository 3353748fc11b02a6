/* dates-en.c — English date rules (the pattern language is in dates.h).
 *
 * Numeric dates other than ISO 8601 are left out on purpose: "2/3/2019" is
 * March in London and February in New York.  Month and weekday names count
 * only when capitalised, so "may" the verb and "march" the word are not
 * dates; "May" alone is a month only after a preposition ("in May").
 */
#include "dates.h"

#define DATE_ABS(p) { p, BB_DATE_KIND_ABSOLUTE, 0, 0, 0, 0 }
#define DATE_ABSF(p, f) { p, BB_DATE_KIND_ABSOLUTE, 0, 0, 0, f }
#define DATE_ABSY(p, n) { p, BB_DATE_KIND_ABSOLUTE, 0, n, BB_DATE_ANCHOR_DEICTIC, BB_DATE_PAT_YEAR_REL }
#define DATE_REL(p, unit, n, anchor) { p, BB_DATE_KIND_RELATIVE, BB_DATE_UNIT_##unit, n, BB_DATE_ANCHOR_##anchor, 0 }
#define DATE_RELF(p, unit, n, anchor, f) { p, BB_DATE_KIND_RELATIVE, BB_DATE_UNIT_##unit, n, BB_DATE_ANCHOR_##anchor, f }
#define DATE_WD(p, f) { p, BB_DATE_KIND_WEEKDAY, 0, 0, BB_DATE_ANCHOR_DEICTIC, f }

static const BbDateWord months[] = {
  { "January", 1 }, { "February", 2 }, { "March", 3 }, { "April", 4 }, { "May", 5 },
  { "June", 6 }, { "July", 7 }, { "August", 8 }, { "September", 9 }, { "October", 10 },
  { "November", 11 }, { "December", 12 },
  { "Jan.", 1 }, { "Feb.", 2 }, { "Mar.", 3 }, { "Apr.", 4 }, { "Jun.", 6 }, { "Jul.", 7 },
  { "Aug.", 8 }, { "Sep.", 9 }, { "Sept.", 9 }, { "Oct.", 10 }, { "Nov.", 11 }, { "Dec.", 12 },
  { NULL, 0 }
};

static const BbDateWord weekdays[] = {
  { "Monday", 1 }, { "Tuesday", 2 }, { "Wednesday", 3 }, { "Thursday", 4 },
  { "Friday", 5 }, { "Saturday", 6 }, { "Sunday", 7 },
  { NULL, 0 }
};

static const BbDateWord numbers[] = {
  { "a", 1 }, { "an", 1 }, { "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 },
  { "five", 5 }, { "six", 6 }, { "seven", 7 }, { "eight", 8 }, { "nine", 9 }, { "ten", 10 },
  { "eleven", 11 }, { "twelve", 12 }, { "fifteen", 15 }, { "twenty", 20 }, { "thirty", 30 },
  { NULL, 0 }
};

static const char *const ordinals[] = { "st", "nd", "rd", "th", NULL };

static const BbDatePattern patterns[] = {
  /* full dates */
  DATE_ABS ("{m} {d} , {y}"),
  DATE_ABS ("{m} {d} {y}"),
  DATE_ABS ("{d} {m} {y}"),
  DATE_ABS ("{d} {m} , {y}"),
  DATE_ABS ("{d} of {m} {y}"),
  DATE_ABS ("{d} of {m} , {y}"),
  DATE_ABS ("{y}-{mn}-{d}"),
  /* day and month; the year comes from the context */
  DATE_ABS ("{m} {d}"),
  DATE_ABS ("{d} {m}"),
  DATE_ABS ("{d} of {m}"),
  /* month and year */
  DATE_ABS ("{m} {y}"),
  DATE_ABS ("{m} , {y}"),
  DATE_ABS ("{m} of {y}"),
  DATE_ABS ("in|since|until|till|by|during|before|after|from|through|early|late|mid|last|next|this|that|of|between {m}"),
  DATE_ABS ("mid-{m}"),
  /* a year that sets the scene ("in 2018") or names an event ("the 1994
   * agreement", "mid-2018") */
  DATE_ABS ("in|since|during|until|till|through|throughout|from|by|early|late|mid|of {y}"),
  DATE_ABS ("mid-{y}"),
  DATE_ABSF ("{y}", BB_DATE_PAT_BARE_YEAR),
  /* month of a year counted from the dateline */
  DATE_ABSY ("{m} last year", -1),
  DATE_ABSY ("{m} of last year", -1),
  DATE_ABSY ("{m} this year", 0),
  DATE_ABSY ("{m} next year", 1),
  /* ranges */
  DATE_ABS ("{d} - {d2} {m} {y}"),
  DATE_ABS ("{d} - {d2} {m} , {y}"),
  DATE_ABS ("{d} - {d2} {m}"),
  DATE_ABS ("{d} and {d2} {m} {y}"),
  DATE_ABS ("{d} and {d2} {m}"),
  DATE_ABS ("{d} to {d2} {m} {y}"),
  DATE_ABS ("{d} to {d2} {m}"),
  DATE_ABS ("{d} {m} - {d2} {m2} {y}"),
  DATE_ABS ("{d} {m} to {d2} {m2} {y}"),
  DATE_ABS ("{d} {m} {y} - {d2} {m2} {y2}"),
  DATE_ABS ("{m} {d} - {d2} , {y}"),
  DATE_ABS ("{m} {d} - {d2} {y}"),
  DATE_ABS ("{m} {d} - {d2}"),
  DATE_ABS ("{m} {d} and {d2} , {y}"),
  DATE_ABS ("{m} {d} and {d2}"),
  DATE_ABS ("{m} {d} to {d2} , {y}"),
  DATE_ABS ("{m} {d} - {m2} {d2} , {y}"),
  DATE_ABS ("{m} {d} to {m2} {d2} , {y}"),
  DATE_ABS ("{m} - {m2} {y}"),
  DATE_ABS ("{m} to {m2} {y}"),
  DATE_ABS ("{m} {y} - {m2} {y2}"),
  DATE_ABS ("{y}-{y2}"),
  DATE_ABS ("{y} - {y2}"),
  DATE_ABS ("from {y} to {y2}"),
  DATE_ABS ("between {y} and {y2}"),
  /* relative to the last date mentioned */
  DATE_REL ("the following day", DAY, 1, NARRATIVE),
  DATE_REL ("the next day", DAY, 1, NARRATIVE),
  DATE_REL ("the day after", DAY, 1, NARRATIVE),
  DATE_REL ("the previous day", DAY, -1, NARRATIVE),
  DATE_REL ("the day before", DAY, -1, NARRATIVE),
  DATE_REL ("the preceding day", DAY, -1, NARRATIVE),
  DATE_REL ("the same day", DAY, 0, NARRATIVE),
  DATE_REL ("that same day", DAY, 0, NARRATIVE),
  DATE_REL ("later that day", DAY, 0, NARRATIVE),
  DATE_REL ("earlier that day", DAY, 0, NARRATIVE),
  DATE_REL ("that evening|night|morning|afternoon", DAY, 0, NARRATIVE),
  DATE_REL ("the same evening|night|morning|afternoon", DAY, 0, NARRATIVE),
  DATE_REL ("the following evening|night|morning|afternoon", DAY, 1, NARRATIVE),
  DATE_REL ("the next evening|night|morning|afternoon", DAY, 1, NARRATIVE),
  DATE_REL ("the previous evening|night|morning|afternoon", DAY, -1, NARRATIVE),
  DATE_REL ("the following week", WEEK, 1, NARRATIVE),
  DATE_REL ("the next week", WEEK, 1, NARRATIVE),
  DATE_REL ("the following month", MONTH, 1, NARRATIVE),
  DATE_REL ("the next month", MONTH, 1, NARRATIVE),
  DATE_REL ("the previous month", MONTH, -1, NARRATIVE),
  DATE_REL ("the same month", MONTH, 0, NARRATIVE),
  DATE_REL ("later that month", MONTH, 0, NARRATIVE),
  DATE_REL ("earlier that month", MONTH, 0, NARRATIVE),
  DATE_REL ("the following year", YEAR, 1, NARRATIVE),
  DATE_REL ("the next year", YEAR, 1, NARRATIVE),
  DATE_REL ("the previous year", YEAR, -1, NARRATIVE),
  DATE_REL ("the year before", YEAR, -1, NARRATIVE),
  DATE_REL ("the same year", YEAR, 0, NARRATIVE),
  DATE_REL ("later that year", YEAR, 0, NARRATIVE),
  DATE_REL ("earlier that year", YEAR, 0, NARRATIVE),
  DATE_REL ("{n} day|days later", DAY, 1, NARRATIVE),
  DATE_REL ("{n} day|days earlier", DAY, -1, NARRATIVE),
  DATE_REL ("{n} week|weeks later", WEEK, 1, NARRATIVE),
  DATE_REL ("{n} week|weeks earlier", WEEK, -1, NARRATIVE),
  DATE_REL ("{n} month|months later", MONTH, 1, NARRATIVE),
  DATE_REL ("{n} month|months earlier", MONTH, -1, NARRATIVE),
  DATE_REL ("{n} year|years later", YEAR, 1, NARRATIVE),
  DATE_REL ("{n} year|years earlier", YEAR, -1, NARRATIVE),
  /* relative to the dateline */
  DATE_REL ("yesterday", DAY, -1, DEICTIC),
  DATE_RELF ("today", DAY, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_REL ("tomorrow", DAY, 1, DEICTIC),
  DATE_REL ("last night", DAY, -1, DEICTIC),
  DATE_REL ("last week", WEEK, -1, DEICTIC),
  DATE_REL ("last month", MONTH, -1, DEICTIC),
  DATE_REL ("last year", YEAR, -1, DEICTIC),
  DATE_RELF ("this month", MONTH, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_RELF ("this year", YEAR, 0, DEICTIC, BB_DATE_PAT_DATELINE_ONLY),
  DATE_REL ("next month", MONTH, 1, DEICTIC),
  DATE_REL ("next year", YEAR, 1, DEICTIC),
  DATE_REL ("{n} day|days ago", DAY, -1, DEICTIC),
  DATE_REL ("{n} week|weeks ago", WEEK, -1, DEICTIC),
  DATE_REL ("{n} month|months ago", MONTH, -1, DEICTIC),
  DATE_REL ("{n} year|years ago", YEAR, -1, DEICTIC),
  /* weekdays */
  DATE_WD ("{wd}", 0),
  DATE_WD ("last {wd}", 0),
  DATE_WD ("next {wd}", BB_DATE_PAT_FUTURE),
  DATE_WD ("this coming {wd}", BB_DATE_PAT_FUTURE),
  { NULL, 0, 0, 0, 0, 0 }
};

/* After a number: the number counts these, so it is no year or day. */
static const char *const count_words[] = {
  "people", "persons", "troops", "soldiers", "officers", "men", "women", "children",
  "members", "delegates", "journalists", "reporters", "workers", "residents", "students",
  "votes", "seats", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile",
  "metres", "meters", "m", "feet", "ft", "acres", "hectares", "tonnes", "tons", "kg",
  "dollars", "euros", "won", "yen", "dong", "pounds", "usd", "units", "cases", "deaths",
  "missiles", "warheads", "rockets", "weapons", "tanks", "ships", "aircraft", "planes",
  "hours", "hour", "minutes", "minute", "seconds", "days", "weeks", "months", "years",
  "times", "pages", "words", "copies", "items", "sites", "facilities", "rooms", "guests",
  "vehicles", "cars", "protesters", "demonstrators", "participants", "attendees", "prisoners", "families", "households", "companies", "firms",
  "percent", "per", "points", "billion", "million", "thousand", "hundred", "am", "pm",
  "a.m", "p.m", "gmt", "utc", "ict", "kst", "est", "edt", "h", "hrs", NULL
};

/* Before a number: the number is an identifier or an amount. */
static const char *const number_words_before[] = {
  "resolution", "resolutions", "no", "number", "nos", "route", "highway", "flight", "room",
  "page", "pages", "p", "pp", "vol", "volume", "article", "section", "chapter", "code",
  "model", "type", "item", "case", "act", "bill", "us", "usd", "eur", "vnd", "krw", "rs",
  "nearly", "almost", "approximately", "exactly", "roughly", "additional", "another",
  "about", "than", "over", "some", "around", NULL
};

static const char *const weak_vouchers[] = { NULL };

/* Words before a date in its clause that make it a guess. */
static const char *const speculation[] = {
  "could", "might", "may be", "may come", "may take", "may happen", "may occur",
  "may hold", "may meet", "as soon as", "as early as", "possibly", "perhaps", "would likely",
  "likely to", "speculated", "speculation", "rumoured", "rumored", "hoped", "hopes", "if",
  NULL
};

static const char *const abbreviations[] = {
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt",
  "cmdr", "adm", "gov", "sen", "rep", "pres", "amb", "rev", "hon", "no", "vs", "etc", "inc",
  "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
  "oct", "nov", "dec", "approx", "est", "fig", "vol", "pp", "ca", NULL
};

static const char *const month_names[] = {
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December",
};

const BbDateRules bb_date_rules_en = {
  .lang = "en",
  .names_capitalized = TRUE,
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
  .fmt_day = "{d} {M} {y}",
  .fmt_month = "{M} {y}",
  .fmt_year = "{y}",
  .fmt_day_range_same_month = "{d}–{d2} {M} {y}",
  .month_names = month_names,
  .label_date = "Date",
  .label_event = "Event",
  .label_source = "Source",
  .label_page = "Page",
  .label_curated = "curated",
  .label_empty = "No dated events were found in the sources.",
  .fmt_conflict = "sources differ: %s",
  .fmt_conflict_more = "%u more",
};
