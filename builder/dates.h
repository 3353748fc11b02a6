/* dates.h — finding dates in running text.
 *
 * The engine is language-neutral: everything that depends on a language
 * (month and weekday names, number words, the forms a date takes, relative
 * expressions, the words that show a number is a count and not a year) is a
 * BbDateRules table, one file per language (dates-en.c, dates-vi.c).  Adding
 * a language is adding a table and listing it in bb_date_rules_lookup().
 *
 * A scan walks a text left to right and returns every date expression with
 * its resolved value, using and updating a BbDateContext: the dateline of the
 * document (anchor of "yesterday", "năm ngoái") and the last date mentioned
 * (anchor of "two months later", "hôm sau", and the year of "27/2").
 *
 * Pattern language (BbDatePattern.pattern).  Elements are separated by a
 * space, which allows (but does not require) white space in the text between
 * them; elements written without a space between them must touch in the text
 * ("{d}/{mn}" matches "27/2" but not "27 / 2").  An element is
 *   - a slot: {d} {d2} day 1–31 (digits, optional ordinal suffix),
 *     {m} {m2} month name from the table, {mn} {mn2} month number 1–12,
 *     {y} {y2} year (four digits), {wd} weekday name, {n} a count (digits or
 *     a number word);
 *   - a word, or several alternatives "sáng|chiều|tối", matched without
 *     regard to case;
 *   - one punctuation character; "-" matches any dash.
 */
#pragma once
#include <glib.h>

typedef enum {
  BB_DATE_PREC_NONE,
  BB_DATE_PREC_YEAR,
  BB_DATE_PREC_MONTH,
  BB_DATE_PREC_DAY,
} BbDatePrec;

/* A calendar date at some precision: month and day are 0 when unknown. */
typedef struct {
  int year, month, day;
} BbYmd;

/* What a pattern yields. */
typedef enum {
  BB_DATE_KIND_ABSOLUTE,  /* the slots give the value */
  BB_DATE_KIND_RELATIVE,  /* amount (times {n}) units from an anchor */
  BB_DATE_KIND_WEEKDAY,   /* the {wd} nearest the anchor */
  BB_DATE_KIND_IGNORE,    /* looks like a date but is none ("những năm 1990",
                             the 1990s): claims its words, yields nothing */
} BbDateKind;

typedef enum { BB_DATE_UNIT_DAY, BB_DATE_UNIT_WEEK, BB_DATE_UNIT_MONTH, BB_DATE_UNIT_YEAR } BbDateUnit;

/* Which anchor a relative expression counts from. */
typedef enum {
  BB_DATE_ANCHOR_NARRATIVE, /* the last date mentioned ("the following day") */
  BB_DATE_ANCHOR_DEICTIC,   /* the dateline ("yesterday", "năm ngoái") */
} BbDateAnchor;

/* Pattern flags. */
enum {
  BB_DATE_PAT_WEAK = 1 << 0,      /* bare numbers: needs a vouching word before it */
  BB_DATE_PAT_BARE_YEAR = 1 << 1, /* a year on its own: guarded against counts */
  BB_DATE_PAT_FUTURE = 1 << 2,    /* WEEKDAY: the next one, not the last */
  BB_DATE_PAT_NO_NUM_BEFORE = 1 << 3, /* rejected after a number ("60 năm qua") */
  BB_DATE_PAT_DATELINE_ONLY = 1 << 4, /* "today": only with a dateline */
  BB_DATE_PAT_YEAR_REL = 1 << 5,  /* ABSOLUTE without {y}: the year is the anchor's
                                     plus amount ("tháng 6 năm ngoái") */
};

typedef struct {
  const char *pattern;
  BbDateKind kind;
  BbDateUnit unit;      /* RELATIVE */
  int amount;           /* RELATIVE: signed count of units (times {n} if present) */
  BbDateAnchor anchor;  /* RELATIVE and WEEKDAY */
  guint flags;          /* BB_DATE_PAT_* */
} BbDatePattern;

/* A word (or several words) with a value: month 1–12, weekday 1–7 (Monday
 * is 1), number.  A month written with a final "." ("feb.") may be followed
 * by a full stop in the text. */
typedef struct {
  const char *word;
  int value;
} BbDateWord;

/* One language.  Lists end with a NULL entry. */
typedef struct {
  const char *lang;                 /* "en", "vi" */
  gboolean names_capitalized;       /* month/weekday names only when capitalised ("May", not "may") */
  const BbDateWord *months;
  const BbDateWord *weekdays;
  const BbDateWord *numbers;        /* number words for {n} */
  const char *const *ordinal_suffixes; /* "st", "th": glued to a day */
  const BbDatePattern *patterns;
  const char *const *count_words;   /* after a number: it counts things, it is no date */
  const char *const *number_words_before; /* before a number: an identifier ("Resolution 2087") */
  const char *const *weak_vouchers; /* words that make a bare "27/2" a date */
  const char *const *speculation;   /* phrases that make a date in their clause a guess */
  const char *const *abbreviations; /* words whose full stop ends no sentence */
  /* How the book writes a date: {d} day, {m} month number, {M} month
   * name, {y} year. */
  const char *fmt_day, *fmt_month, *fmt_year;
  const char *fmt_day_range_same_month;  /* {d}, {d2}, {m}, {M}, {y} */
  const char *const *month_names;   /* 12 names for {M} */
  const char *label_date, *label_event, *label_source, *label_page, *label_curated;
  const char *label_empty;          /* a chronology without rows */
  const char *fmt_conflict;         /* "%s": the other dates and sources */
  const char *fmt_conflict_more;    /* "%u": how many more the book leaves out */
} BbDateRules;

/* Flags on a match. */
enum {
  BB_DATE_RANGE = 1 << 0,
  BB_DATE_RELATIVE = 1 << 1,       /* resolved from an anchor */
  BB_DATE_YEAR_FROM_CONTEXT = 1 << 2,
  BB_DATE_SPECULATIVE = 1 << 3,    /* inside a guess: not an event */
  BB_DATE_BARE_YEAR = 1 << 4,      /* a year alone ("the 1994 agreement") */
};

typedef struct {
  BbYmd start, end;     /* end == start unless a range */
  BbDatePrec prec;
  gsize offset, length; /* bytes of the expression in the scanned text */
  guint flags;
} BbDateMatch;

/* The state a scan reads and updates. */
typedef struct {
  BbYmd dateline;       /* .year == 0: none */
  BbDatePrec dateline_prec;
  BbYmd last;           /* last date mentioned; .year == 0: none */
  BbDatePrec last_prec;
  BbYmd last_month;     /* last date mentioned at month precision or finer */
  int block_year;       /* year stated in the current block ("Năm 2019, …"), or 0 */
  int fallback_year;    /* the year most dates of the book name, or 0 */
  gboolean fallback_used; /* set when a date was resolved with fallback_year in
                             reach (what a scan finds then depends on it) */
} BbDateContext;

/* The table for lang ("en", "vi", "en-GB" …); English when unknown.  Static. */
const BbDateRules *bb_date_rules_lookup (const char *lang);
/* The tables of every language, NULL-terminated (for tests).  Static. */
const BbDateRules *const *bb_date_rules_all (void);

/* Sets ctx to empty and, when dateline_iso parses ("2019-02-28", "2019-02"),
 * to that dateline. */
void bb_date_context_init (BbDateContext *ctx, const char *dateline_iso);

/* Tells ctx a new block (paragraph) begins: a year stated in the previous
 * block no longer decides the year of "27/2". */
void bb_date_context_new_block (BbDateContext *ctx);

/* Finds the date expressions of text (valid UTF-8) in order, resolving them
 * against ctx and updating ctx.  Returns an array of BbDateMatch; caller
 * frees.  Expressions that cannot be resolved (no anchor, no year) are left
 * out; speculative ones are returned with BB_DATE_SPECULATIVE. */
GArray *bb_dates_scan (const char *text, const BbDateRules *rules, BbDateContext *ctx);

/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD"; returns the precision, NONE when
 * s is not such a date. */
BbDatePrec bb_date_parse_iso (const char *s, BbYmd *out);
/* ISO 8601 of a match at its precision: "2019", "2019-02", "2019-02-27",
 * "2019-02-27/2019-02-28".  Caller frees. */
char *bb_date_match_iso (const BbDateMatch *m);
/* The date (or range) written the way rules' language writes it
 * ("27 February 2019", "27/2/2019", "tháng 2/2019").  Caller frees. */
char *bb_date_format (const BbDateRules *rules, const BbYmd *start, const BbYmd *end,
                      BbDatePrec prec);

/* Convenience for tests: the ISO value of the first non-speculative date in
 * text, resolved against dateline_iso (may be NULL), or NULL when the text
 * holds no event date.  Caller frees. */
char *bb_dates_first_iso (const char *text, const char *lang, const char *dateline_iso);

/* Splits text into sentences, using rules' abbreviations; returns an array
 * of byte offsets, each a sentence start, followed by the text length.
 * Caller frees. */
GArray *bb_dates_sentences (const char *text, const BbDateRules *rules);

/* Days from 1970-01-01 of a full date, and back (proleptic Gregorian). */
gint64 bb_date_to_days (int y, int m, int d);
void bb_date_from_days (gint64 days, BbYmd *out);
/* 1–7, Monday is 1. */
int bb_date_weekday (int y, int m, int d);

/* The language tables (dates-en.c, dates-vi.c). */
extern const BbDateRules bb_date_rules_en;
extern const BbDateRules bb_date_rules_vi;
