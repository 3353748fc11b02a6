/* people-en.c — English rules for finding people: titles, affiliation words,
 * reporting verbs, participant cues and words that are never names.
 * Data only; the engine is people.c. */
#include "people-rules.h"

static const BbPeopleTitle titles[] = {
  { "Secretary of State", NULL, "United States" },
  { "Secretary of Defense", NULL, "United States" },
  { "Defense Secretary", NULL, "United States" },
  { "Treasury Secretary", NULL, "United States" },
  { "Secretary-General", NULL, NULL },
  { "Chief of Staff", NULL, NULL },
  { "Minister of Foreign Affairs", NULL, NULL },
  { "Prime Minister", NULL, NULL },
  { "Supreme Leader", NULL, NULL },
  { "Press Secretary", NULL, NULL },
  { "National Security Adviser", NULL, NULL },
  { "National Security Advisor", NULL, NULL },
  { "First Lady", NULL, NULL },
  { NULL, NULL, NULL }
};

/* Words that build open English titles ("Deputy Foreign Minister",
 * "Special Representative for North Korea Policy"). */
static const char *const title_words[] = {
  "secretary", "state", "minister", "ministry", "foreign", "affairs", "defense", "defence",
  "chairman", "chairwoman", "chair", "vice", "deputy", "president", "vice-president",
  "prime", "premier", "leader", "supreme", "chief", "staff", "press", "adviser",
  "advisor", "national", "security", "ambassador", "envoy", "special",
  "representative", "senator", "sen.", "rep.", "congressman", "congresswoman",
  "governor", "gov.", "mayor", "general", "gen.", "admiral", "colonel", "col.",
  "lieutenant", "lt.", "marshal", "director", "spokesman", "spokeswoman",
  "spokesperson", "negotiator", "commander", "king", "queen", "emperor",
  "prince", "princess", "chancellor", "treasury", "finance", "trade",
  "commerce", "intelligence", "unification", "justice", "attorney", "interior",
  "energy", "homeland", "first", "lady", "senior", "official", "head",
  "counselor", "counsellor", "assistant", "undersecretary", "under",
  "secretary-general", "professor", "prof.", "speaker", "party", "committee",
  "central", "politburo", "member", "executive", "officer", "aide", "diplomat",
  "expert", "analyst", "policy", "envoy", "top", "lead", "working-level",
  "nuclear", "delegation", "delegate", "premier", "president-elect", "chairperson",
  "deputy", "principal", "ceo", "founder", "editor", "correspondent",
  "reporter", "journalist", "researcher", "fellow", "associate", "scholar",
  "lecturer", "economist", "commentator", "interpreter", "translator",
  "dean", "pope", "sultan", "emir", "crown", "dictator", "premier",
  "wife", "husband", "sister", "daughter", "widow", "spouse",
  NULL
};

/* Nouns that make a title: a run of title words is a title only if it holds
 * one of these. */
static const char *const title_heads[] = {
  "secretary", "minister", "chairman", "chairwoman", "chair", "chairperson",
  "president", "vice-president", "president-elect", "premier", "leader",
  "chief", "adviser", "advisor", "ambassador", "envoy", "representative",
  "senator", "sen.", "rep.", "congressman", "congresswoman", "governor",
  "gov.", "mayor", "general", "gen.", "admiral", "colonel", "col.", "marshal",
  "director", "spokesman", "spokeswoman", "spokesperson", "negotiator",
  "commander", "king", "queen", "emperor", "prince", "princess", "chancellor",
  "official", "head", "counselor", "counsellor", "undersecretary",
  "secretary-general", "professor", "prof.", "speaker", "member", "officer",
  "aide", "diplomat", "expert", "analyst", "delegate", "ceo", "founder",
  "editor", "correspondent", "reporter", "journalist", "researcher", "fellow",
  "associate", "scholar", "lecturer", "economist", "commentator",
  "interpreter", "translator", "dean", "pope", "sultan", "emir", "dictator",
  "lady", "staff", "attorney", "lieutenant", "lt.",
  "wife", "husband", "sister", "daughter", "widow", "spouse",
  NULL
};

static const char *const commentator_heads[] = {
  "professor", "prof.", "analyst", "expert", "researcher", "fellow",
  "associate", "scholar", "lecturer", "economist", "commentator", "reporter",
  "journalist", "correspondent", "editor", "columnist", "dean", "author",
  "historian", "observer", "critic", "research", "studies", "writer",
  NULL
};

static const char *const modifiers[] = {
  "acting", "top", "senior", "lead", "deputy", "vice", "chief", "former",
  "late", "interim", "outgoing", "incoming", "first", "working-level",
  "special", "veteran", "longtime", "current", "new", "main",
  NULL
};

static const char *const former_words[] = {
  "former", "late", "ex", "ex-", "until", "outgoing", "erstwhile",
  NULL
};

static const char *const honorifics[] = {
  "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Madam",
  "Comrade",
  NULL
};

static const BbPeopleAffil affils[] = {
  /* bodies of states: kept in the title, give the state */
  { "White House", "United States", BB_AFFIL_ORG },
  { "State Department", "United States", BB_AFFIL_ORG },
  { "Pentagon", "United States", BB_AFFIL_ORG },
  { "Kremlin", "Russia", BB_AFFIL_ORG },
  { "Blue House", "South Korea", BB_AFFIL_ORG },
  { "Workers' Party", "North Korea", BB_AFFIL_ORG },
  { "Workers’ Party", "North Korea", BB_AFFIL_ORG },
  { "CIA", "United States", BB_AFFIL_ORG },
  { "FBI", "United States", BB_AFFIL_ORG },
  { "Pentagon", "United States", BB_AFFIL_ORG },
  { "National Intelligence Service", "South Korea", BB_AFFIL_ORG },
  /* states */
  { "U.S.", "United States", BB_AFFIL_COUNTRY },
  { "US", "United States", BB_AFFIL_COUNTRY },
  { "U.S.A.", "United States", BB_AFFIL_COUNTRY },
  { "USA", "United States", BB_AFFIL_COUNTRY },
  { "United States", "United States", BB_AFFIL_COUNTRY },
  { "America", "United States", BB_AFFIL_COUNTRY },
  { "American", "United States", BB_AFFIL_COUNTRY },
  { "DPRK", "North Korea", BB_AFFIL_COUNTRY },
  { "North Korea", "North Korea", BB_AFFIL_COUNTRY },
  { "North Korean", "North Korea", BB_AFFIL_COUNTRY },
  { "N. Korean", "North Korea", BB_AFFIL_COUNTRY },
  { "Democratic People's Republic of Korea", "North Korea", BB_AFFIL_COUNTRY },
  { "Pyongyang", "North Korea", BB_AFFIL_COUNTRY },
  { "ROK", "South Korea", BB_AFFIL_COUNTRY },
  { "South Korea", "South Korea", BB_AFFIL_COUNTRY },
  { "South Korean", "South Korea", BB_AFFIL_COUNTRY },
  { "Republic of Korea", "South Korea", BB_AFFIL_COUNTRY },
  { "Seoul", "South Korea", BB_AFFIL_COUNTRY },
  { "Vietnam", "Vietnam", BB_AFFIL_COUNTRY },
  { "Viet Nam", "Vietnam", BB_AFFIL_COUNTRY },
  { "Vietnamese", "Vietnam", BB_AFFIL_COUNTRY },
  { "Hanoi", "Vietnam", BB_AFFIL_COUNTRY },
  { "China", "China", BB_AFFIL_COUNTRY },
  { "Chinese", "China", BB_AFFIL_COUNTRY },
  { "Beijing", "China", BB_AFFIL_COUNTRY },
  { "Russia", "Russia", BB_AFFIL_COUNTRY },
  { "Russian", "Russia", BB_AFFIL_COUNTRY },
  { "Moscow", "Russia", BB_AFFIL_COUNTRY },
  { "Japan", "Japan", BB_AFFIL_COUNTRY },
  { "Japanese", "Japan", BB_AFFIL_COUNTRY },
  { "Tokyo", "Japan", BB_AFFIL_COUNTRY },
  { "Singapore", "Singapore", BB_AFFIL_COUNTRY },
  { "Singaporean", "Singapore", BB_AFFIL_COUNTRY },
  { "United Kingdom", "United Kingdom", BB_AFFIL_COUNTRY },
  { "U.K.", "United Kingdom", BB_AFFIL_COUNTRY },
  { "UK", "United Kingdom", BB_AFFIL_COUNTRY },
  { "Britain", "United Kingdom", BB_AFFIL_COUNTRY },
  { "British", "United Kingdom", BB_AFFIL_COUNTRY },
  { "France", "France", BB_AFFIL_COUNTRY },
  { "French", "France", BB_AFFIL_COUNTRY },
  { "Germany", "Germany", BB_AFFIL_COUNTRY },
  { "German", "Germany", BB_AFFIL_COUNTRY },
  { "India", "India", BB_AFFIL_COUNTRY },
  { "Indian", "India", BB_AFFIL_COUNTRY },
  { "Canada", "Canada", BB_AFFIL_COUNTRY },
  { "Canadian", "Canada", BB_AFFIL_COUNTRY },
  { "Australia", "Australia", BB_AFFIL_COUNTRY },
  { "Australian", "Australia", BB_AFFIL_COUNTRY },
  { "Thailand", "Thailand", BB_AFFIL_COUNTRY },
  { "Thai", "Thailand", BB_AFFIL_COUNTRY },
  { "Laos", "Laos", BB_AFFIL_COUNTRY },
  { "Lao", "Laos", BB_AFFIL_COUNTRY },
  { "Cambodia", "Cambodia", BB_AFFIL_COUNTRY },
  { "Cambodian", "Cambodia", BB_AFFIL_COUNTRY },
  { "Indonesia", "Indonesia", BB_AFFIL_COUNTRY },
  { "Indonesian", "Indonesia", BB_AFFIL_COUNTRY },
  { "Malaysia", "Malaysia", BB_AFFIL_COUNTRY },
  { "Malaysian", "Malaysia", BB_AFFIL_COUNTRY },
  { "Philippines", "Philippines", BB_AFFIL_COUNTRY },
  { "Philippine", "Philippines", BB_AFFIL_COUNTRY },
  { "Filipino", "Philippines", BB_AFFIL_COUNTRY },
  { "Mongolia", "Mongolia", BB_AFFIL_COUNTRY },
  { "Mongolian", "Mongolia", BB_AFFIL_COUNTRY },
  { "Iran", "Iran", BB_AFFIL_COUNTRY },
  { "Iranian", "Iran", BB_AFFIL_COUNTRY },
  { "Israel", "Israel", BB_AFFIL_COUNTRY },
  { "Israeli", "Israel", BB_AFFIL_COUNTRY },
  { "Ukraine", "Ukraine", BB_AFFIL_COUNTRY },
  { "Ukrainian", "Ukraine", BB_AFFIL_COUNTRY },
  { "Italy", "Italy", BB_AFFIL_COUNTRY },
  { "Italian", "Italy", BB_AFFIL_COUNTRY },
  { "Spain", "Spain", BB_AFFIL_COUNTRY },
  { "Spanish", "Spain", BB_AFFIL_COUNTRY },
  { "Sweden", "Sweden", BB_AFFIL_COUNTRY },
  { "Swedish", "Sweden", BB_AFFIL_COUNTRY },
  { "Switzerland", "Switzerland", BB_AFFIL_COUNTRY },
  { "Swiss", "Switzerland", BB_AFFIL_COUNTRY },
  { "Taiwan", "Taiwan", BB_AFFIL_COUNTRY },
  { "Taiwanese", "Taiwan", BB_AFFIL_COUNTRY },
  { "Pakistan", "Pakistan", BB_AFFIL_COUNTRY },
  { "Pakistani", "Pakistan", BB_AFFIL_COUNTRY },
  { "Turkey", "Turkey", BB_AFFIL_COUNTRY },
  { "Turkish", "Turkey", BB_AFFIL_COUNTRY },
  { "Brazil", "Brazil", BB_AFFIL_COUNTRY },
  { "Brazilian", "Brazil", BB_AFFIL_COUNTRY },
  { "Mexico", "Mexico", BB_AFFIL_COUNTRY },
  { "Mexican", "Mexico", BB_AFFIL_COUNTRY },
  { "Saudi", "Saudi Arabia", BB_AFFIL_COUNTRY },
  { "Saudi Arabia", "Saudi Arabia", BB_AFFIL_COUNTRY },
  { "Egypt", "Egypt", BB_AFFIL_COUNTRY },
  { "Egyptian", "Egypt", BB_AFFIL_COUNTRY },
  /* organisations of states */
  { "UN", "United Nations", BB_AFFIL_COUNTRY },
  { "U.N.", "United Nations", BB_AFFIL_COUNTRY },
  { "United Nations", "United Nations", BB_AFFIL_COUNTRY },
  { "EU", "European Union", BB_AFFIL_COUNTRY },
  { "European Union", "European Union", BB_AFFIL_COUNTRY },
  { "ASEAN", "ASEAN", BB_AFFIL_COUNTRY },
  { "NATO", "NATO", BB_AFFIL_COUNTRY },
  { "IAEA", "IAEA", BB_AFFIL_COUNTRY },
  { NULL, NULL, 0 }
};

static const char *const report_after[] = {
  "said", "says", "told", "tells", "believed", "believes", "added", "adds",
  "noted", "notes", "argued", "argues", "warned", "warns", "wrote", "writes",
  "suggested", "suggests", "stated", "states", "explained", "explains",
  "claimed", "claims", "insisted", "insists", "announced", "announces",
  "replied", "stressed", "emphasised", "emphasized", "observed", "recalled",
  "tweeted", "commented", "remarked", "predicted", "cautioned", "contended",
  "acknowledged", "conceded", "thinks", "thought", "asserted", "declared",
  NULL
};

static const char *const report_before[] = {
  "according to", "said", "says", "added", "wrote", "told", "noted",
  NULL
};

static const char *const participant_cues[] = {
  "seated", "attendees", "attended", "attending", "attend", "delegation",
  "delegations", "met with", "met", "meets", "meeting with", "greeted",
  "greets", "hosted", "hosts", "hosting",
  "shook hands", "accompanied", "accompanying", "sat", "across the table",
  "at the table", "held talks", "negotiations between", "talks between",
  "lunch between", "dinner between", "meeting between", "summit between",
  "negotiator", "negotiators", "arrived", "in attendance",
  "took part", "participated", "sat down", "joining", "joined", "working lunch",
  "led the talks", "led the working-level talks", "led the negotiations",
  "led the delegation", "counterpart", "visited", "visiting", "state visit",
  "talks with", "alongside", "made the trip", "travelled with", "traveled with", "host", "opened the", "side",
  NULL
};

static const char *const org_preps[] = {
  "at", "in", "of", "with", "from", "for",
  NULL
};

static const char *const org_words[] = {
  "University", "Institute", "College", "Center", "Centre", "School",
  "Foundation", "Council", "Academy", "Department", "Ministry", "Agency",
  "Office", "Service", "Bank", "Company", "Corporation", "Corp.", "Inc.",
  "Group", "Association", "Society", "Commission", "Committee",
  "Organization", "Organisation", "Party", "Times", "Post", "News", "Herald",
  "Journal", "Tribune", "Gazette", "Press", "Ilbo", "Daily", "Review",
  "Magazine", "Network", "Radio", "Television", "TV", "Agency", "Reuters",
  "Bloomberg", "Yonhap", "KCNA", "AFP", "AP", "BBC", "CNN", "NBC", "CBS",
  "ABC", "NPR", "NHK", "Xinhua", "TASS", "Kyodo", "Hotel", "Hôtel",
  "House", "Palace", "Building", "Tower", "Plaza", "Street", "Road",
  "Avenue", "Square", "Airport", "Station", "Zone", "Resort",
  "Mountain", "Mount", "River", "Lake", "Island", "Islands", "Province",
  "City", "District", "Republic", "Kingdom", "Empire", "Union", "Federation",
  "Army", "Navy", "Forces", "Command", "Congress", "Parliament", "Assembly",
  "Senate", "Court", "Summit", "Conference", "Forum", "War", "Treaty",
  "Agreement", "Accord", "Declaration", "Program", "Programme", "Project",
  "Initiative", "Administration", "Government", "Embassy", "Consulate",
  "Club", "Museum", "Library", "Church", "Temple", "Pagoda", "Cathedral",
  "Prize", "Award", "Olympics", "Games", "Cup", "Festival", "Day", "Week",
  "Guest", "Office", "Post", "Monitor", "Watch", "Project", "Brookings",
  "Heritage", "RAND", "Morning", "Evening", "Mail", "Express",
  "Telegraph", "Guardian", "Economist", "Politico", "Axios", "Chosun",
  "JoongAng", "Hankyoreh", "Nikkei", "Asahi", "Yomiuri", "Mainichi",
  "Factory", "Industrial", "Complex", "Facility", "Site", "Base", "Port",
  "Peninsula", "Sea", "Ocean", "Strait", "Bay", "Gulf", "Valley",
  NULL
};

/* Capitalised words that begin sentences or name things, never a part of a
 * person's name. */
/* Words that open sentences and are no names there. */
static const char *const openers[] = {
  "The", "A", "An", "In", "On", "At", "Of", "For", "And", "But", "Or", "If",
  "When", "While", "After", "Before", "During", "Since", "Until", "As", "By",
  "From", "To", "With", "Without", "This", "That", "These", "Those", "It",
  "Its", "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our",
  "There", "Here", "Some", "Many", "Most", "All", "Both", "Each", "Every",
  "Such", "No", "Not", "Yet", "So", "Also", "However", "Although", "Though",
  "Despite", "Compared", "According", "Asked", "Asking", "Deals", "Two",
  "Three", "Four", "Five", "One", "Few", "Other", "Another", "Then", "Now",
  "Today", "Yesterday", "Tomorrow", "Why", "What", "Who", "How", "Where",
  "Which", "Whose", "Meanwhile", "Later", "Earlier", "Instead", "Still",
  "Even", "Only", "Just", "Last", "Next", "Under", "Over", "Between",
  "Among", "Against", "Through", "Following", "Amid", "Once", "Because",
  "Officials", "Experts", "Analysts", "Critics", "Observers", "Sources",
  "Diplomats", "Reporters", "Leaders", "Negotiators", "Scholars", "People",
  "Several", "Others", "Neither", "Either", "Nor", "Please", "Yes", "Thank",
  "Thanks", "Dear", "Seated", "Asked", "Speaking", "Writing", "Hours", "Days",
  "Weeks", "Months", "Years", "Shortly", "Soon", "Finally",
  NULL
};

static const char *const person_cues[] = {
  "welcomed", "welcomes", "welcoming", "meeting",
  NULL
};

static const char *const side_words[] = {
  "delegation", "delegations", "side", "team", "entourage",
  NULL
};

static const char *const relations[] = {
  "wife", "husband", "spouse", "widow", "sister", "brother", "daughter",
  "mother", "father", "younger sister", "elder sister",
  NULL
};

static const char *const venues[] = {
  "House", "Hotel", "Hôtel", "Palace", "Hall", "Building", "Tower", "Plaza",
  "Street", "Road", "Avenue", "Square", "Airport", "Station", "Resort",
  "Mausoleum", "Stadium", "Park", "Guest House", "Convention Center",
  "Conference Center", "Office", "Residence", "Villa", "Garden", "Gardens",
  NULL
};

static const char *const negations[] = {
  "not", "never", "no", "didn't", "did not", "won't", "cannot", "can't", "nor",
  NULL
};

static const char *const not_name[] = {
  "From", "Subject", "Re", "Cc", "Memo", "Attn", "Mr.", "Mrs.", "Ms.", "Dr.", "Republicans", "Democrats", "Republican",
  "Democratic", "Democrat", "Korean", "War", "Communist", "Communists",
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December", "Jan.", "Feb.", "Mar.",
  "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  "Sunday", "Christmas", "Easter", "Lunar New Year", "Tet", "New Year",
  "Hanoi", "Saigon", "Da Nang", "Ho Chi Minh City",
  "Washington", "Seoul", "Pyongyang", "Beijing", "Tokyo", "Moscow",
  "Singapore", "Sentosa", "London", "Paris", "Berlin", "Geneva", "Vienna",
  "Panmunjom", "Busan", "Incheon", "Kaesong", "Wonsan", "Yongbyon",
  "Nyongbyon", "Sohae", "Sanumdong", "Punggye-ri", "Dongchang-ri",
  "Kumgang", "Hawaii", "Guam", "Okinawa", "Manila", "Bangkok", "Jakarta",
  "Kuala Lumpur", "Phnom Penh", "Vientiane", "Ulaanbaatar",
  "Shanghai", "Hong Kong", "Macau", "Taipei", "Osaka", "Kyoto",
  "Vladivostok", "New York", "Los Angeles", "Chicago", "Boston",
  "California", "Texas", "Florida", "Virginia", "Maryland", "Europe",
  "Asia", "Africa", "Americas", "Pacific", "Atlantic", "Korea", "Koreas",
  "Asian", "European", "African", "Western", "Eastern", "Northern",
  "Southern", "East", "West", "North", "South", "Central", "Oval", "Office",
  "Internet", "Twitter", "Facebook", "YouTube", "Google", "Apple", "Samsung",
  "Hyundai", "LG", "Vingroup", "Boeing", "Airbus", "VinFast", "Vietjet",
  "Vietnam", "Airlines", "Air", "Force", "One", "Metropole", "Métropole",
  "Melia", "Meliá", "Marriott", "JW", "Sofitel", "Legend", "ICBM", "ICBMs",
  "USSR", "Soviet", "Cold", "Trump–Kim", "Trump-Kim", "CVID", "GDP", "Covid",
  "COVID-19", "Buddhist", "Christian", "Muslim", "Catholic", "God", "Lord",
  NULL
};

const BbPeopleLang bb_people_lang_en = {
  "en", titles, title_words, title_heads, commentator_heads, modifiers,
  former_words, honorifics, affils, report_after, report_before,
  participant_cues, org_preps, org_words, not_name, openers, negations,
  person_cues, side_words, relations, venues,
};
