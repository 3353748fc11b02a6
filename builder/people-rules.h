/* people-rules.h — the shape of the per-language rule tables read by
 * people.c (people-en.c, people-vi.c) and the language-neutral name tables
 * (people-names.c).  Internal to the people module.
 *
 * Phrases are written as they appear in text, words separated by single
 * spaces; matching ignores case and diacritics, except for words written in
 * capitals (acronyms such as "UN", "DPRK"), which must match exactly.
 * Every list ends with a NULL entry.
 */
#pragma once
#include <glib.h>

/* A title phrase and its English gloss (NULL: it is English already; "":
 * a portfolio or body that only completes a title, "Kế hoạch và Đầu tư"). */
typedef struct {
  const char *phrase;
  const char *gloss;
  const char *implies; /* the state an office name implies, or NULL:
                          "Secretary of State" is American */
} BbPeopleTitle;

/* What an affiliation phrase names. */
typedef enum {
  BB_AFFIL_COUNTRY, /* a state: "U.S.", "North Korean", "Mỹ" */
  BB_AFFIL_ORG,     /* a body of a state, kept in the title: "White House" */
} BbAffilKind;

typedef struct {
  const char *phrase;
  const char *plain;  /* plain English: "United States" */
  BbAffilKind kind;
} BbPeopleAffil;

typedef struct {
  const char *lang;
  /* Title phrases, matched as a whole (longest first), e.g. "Tổng thống". */
  const BbPeopleTitle *titles;
  /* Single words that may make up an English-style open title, e.g.
   * "Secretary", "State", "of" is handled by the engine. */
  const char *const *title_words;
  /* Words that make a run of title words a title ("negotiator", "chief"). */
  const char *const *title_heads;
  /* Title heads of people who comment rather than act: professors,
   * analysts, reporters.  Such people are never participants. */
  const char *const *commentator_heads;
  /* Modifiers kept in a title ("acting", "top", "quyền"). */
  const char *const *modifiers;
  /* Words that mark a title as past ("former", "cựu", "late"). */
  const char *const *former_words;
  /* Honorifics: evidence of a person, not kept as a title ("Mr.", "ông"). */
  const char *const *honorifics;
  const BbPeopleAffil *affils;
  /* Reporting verbs after a subject ("said", "cho biết"). */
  const char *const *report_after;
  /* Phrases before a source of speech ("according to", "theo"). */
  const char *const *report_before;
  /* Phrases that present the people of a sentence as taking part in the
   * meeting ("seated at", "met with", "đàm phán"). */
  const char *const *participant_cues;
  /* Words after which a phrase starts an organisation, not a title part
   * ("at", "in" in English appositives). */
  const char *const *org_preps;
  /* Head words of organisations: an appositive organisation or a name run
   * holding one is not a person ("University", "Times", "Hotel"). */
  const char *const *org_words;
  /* Other capitalised words that are never part of a person's name:
   * months, days, places. */
  const char *const *not_name;
  /* Words that are no names at the start of a sentence (articles,
   * conjunctions, adverbs); elsewhere they may be ("Trong", "Ha"). */
  const char *const *openers;
  /* Words that deny a participant cue right after them ("not",
   * "không"). */
  const char *const *negations;
  /* Cues that count only with a person after them: "welcomed Kim" takes
   * part, "welcomed the decision" does not. */
  const char *const *person_cues;
  /* Words naming one side of a meeting: "the U.S. delegation", "the North
   * Korean side", "phía Triều Tiên". */
  const char *const *side_words;
  /* Relations that name a person by another ("wife of", "phu nhân"):
   * "Kim Jung-sook, phu nhân Tổng thống Moon" is an apposition. */
  const char *const *relations;
  /* Places where things happen, not where people work: "at the Government
   * Guest House" says nothing about a person's affiliation. */
  const char *const *venues;
} BbPeopleLang;

extern const BbPeopleLang bb_people_lang_en;
extern const BbPeopleLang bb_people_lang_vi;

/* people-names.c */
typedef enum {
  BB_NAME_WESTERN,    /* given names first; known by the last word */
  BB_NAME_EAST_ASIAN, /* family name first; known by the first word */
  BB_NAME_VIETNAMESE, /* family name first; known by the last word */
} BbNameShape;

/* Family names that put a name in East Asian order (Korean, Chinese). */
extern const char *const bb_people_east_asian_surnames[];
/* Vietnamese family names, with and without diacritics. */
extern const char *const bb_people_vietnamese_surnames[];
/* Common given names of Western shape. */
extern const char *const bb_people_given_names[];

/* A public office holder: general knowledge used when the sources name a
 * person without saying who they are. */
typedef struct {
  const char *name;
  const char *title;
  const char *affiliation;
} BbPeopleKnown;
extern const BbPeopleKnown bb_people_known[];
