/* people-names.c — name shapes and general knowledge, shared by all
 * languages: family names that decide the order of a name (and so which
 * word a person is known by), common given names, and a gazetteer of
 * public office holders for people the sources name without saying who
 * they are.  Data only; the engine is people.c.  A book's people.tsv
 * overrides anything here. */
#include "people-rules.h"

const char *const bb_people_east_asian_surnames[] = {
  /* Korean */
  "Kim", "Lee", "Yi", "Ri", "Rhee", "Park", "Pak", "Choi", "Choe", "Jung",
  "Jeong", "Chung", "Cheong", "Kang", "Cho", "Jo", "Yoon", "Yun", "Jang",
  "Chang", "Lim", "Im", "Han", "Oh", "Seo", "Suh", "Shin", "Sin", "Kwon",
  "Hwang", "Ahn", "An", "Song", "Yoo", "Yu", "Hong", "Jeon", "Chun", "Ko",
  "Koh", "Moon", "Mun", "Yang", "Son", "Sohn", "Bae", "Baek", "Paik", "Heo",
  "Hur", "Nam", "Noh", "Roh", "Ro", "Ha", "Kwak", "Sung", "Cha", "Joo", "Ju",
  "Woo", "Koo", "Ku", "Min", "Ryu", "Ryoo", "Na", "Jin", "Ji", "Chae", "Won",
  "Bang", "Pang", "Hyun", "Ham", "Byun", "Yeo", "Do", "Seok", "Ma", "Gil",
  "Ok", "Tak", "Pyon", "Ryang", "Thae", "Choe", "Kye", "Jon", "Kang",
  /* Chinese */
  "Xi", "Li", "Wang", "Zhang", "Liu", "Chen", "Zhao", "Huang", "Zhou", "Wu",
  "Hu", "Wen", "Deng", "Mao", "Jiang", "Zhu", "Guo", "He", "Gao", "Luo",
  "Zheng", "Liang", "Xie", "Tang", "Han", "Feng", "Dong", "Xiao", "Cheng",
  "Cao", "Yuan", "Xu", "Sun", "Ma", "Hua", "Geng", "Qin", "Cui", "Kong",
  "Bo", "Yang", "Lu", "Ye", "Fu", "Shen", "Peng", "Pan", "Du", "Dai", "Xia",
  NULL
};

const char *const bb_people_vietnamese_surnames[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
  "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Trương",
  "Mai", "Tô", "Lương", "Trịnh", "Hà", "Lâm", "Cao", "Quách", "Tạ", "Đoàn",
  "Vương", "Thái", "Tôn", "Lại", "Kiều", "Chu", "Văn", "Nông", "Triệu",
  "Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Vu", "Vo", "Dang",
  "Bui", "Ngo", "Duong", "Dao", "Dinh", "Truong", "Luong", "Trinh",
  "Quach", "Doan", "Vuong", "Ton", "Lai", "Kieu", "Nong", "Trieu",
  NULL
};

const char *const bb_people_given_names[] = {
  "Aaron", "Abby", "Abraham", "Adam", "Alan", "Albert", "Alex", "Alexander",
  "Alice", "Alison", "Amy", "Andrew", "Angela", "Ann", "Anna", "Anne",
  "Anthony", "Antony", "Antonio", "Ashley", "Barack", "Barbara", "Ben",
  "Benjamin", "Bernie", "Betty", "Bill", "Bob", "Boris", "Brad", "Brian",
  "Bruce", "Carl", "Carol", "Caroline", "Catherine", "Charles", "Chris",
  "Christian", "Christine", "Christopher", "Colin", "Condoleezza",
  "Daniel", "David", "Dennis", "Diana", "Dick", "Donald", "Doug", "Douglas",
  "Ed", "Edward", "Elizabeth", "Ellen", "Emily", "Emmanuel", "Eric", "Evan",
  "Frank", "Fred", "Gary", "George", "Gerald", "Hillary", "Helen",
  "Henry", "Ivanka", "Jack", "Jacob", "James", "Jane", "Janet", "Jared",
  "Jason", "Jeff", "Jeffrey", "Jennifer", "Jeremy", "Jessica", "Jim",
  "Jimmy", "Joe", "John", "Jon", "Jonathan", "Joseph", "Josh", "Joshua",
  "Julie", "Justin", "Karen", "Kate", "Katharine", "Katherine", "Kathleen",
  "Kevin", "Kurt", "Laura", "Lawrence", "Linda", "Lisa", "Mark", "Martin",
  "Mary", "Matthew", "Melania", "Michael", "Michelle", "Mick", "Mike",
  "Nancy", "Nicholas", "Nick", "Nikki", "Olivia", "Patrick", "Paul",
  "Peter", "Philip", "Rachel", "Ralph", "Rebecca", "Rex", "Richard",
  "Robert", "Ronald", "Ross", "Ruth", "Ryan", "Sam", "Samuel", "Sarah",
  "Scott", "Sean", "Sergei", "Stephen", "Steve", "Steven", "Sue", "Susan",
  "Thomas", "Tim", "Timothy", "Tom", "Tony", "Vladimir", "Walter",
  "William", "Angela", "Emmanuel", "Justin", "Narendra", "Shinzo",
  "Yoshihide", "Fumio", "Taro", "Dmitry", "Sergey", "Xavier", "Jean",
  "Pierre", "Marie", "Hans", "Klaus", "Olaf", "Theresa", "Margaret",
  "Gordon", "Tony", "Jacinda", "Scott", "Malcolm", "Lee", "Stephen",
  NULL
};

/* Heads of state and government and foreign ministers of the countries
 * most often briefed on, recent decades.  Title is the office, affiliation
 * the state. */
const BbPeopleKnown bb_people_known[] = {
  { "Donald Trump", "President", "United States" },
  { "Joe Biden", "President", "United States" },
  { "Barack Obama", "President", "United States" },
  { "George W. Bush", "President", "United States" },
  { "George H. W. Bush", "President", "United States" },
  { "Bill Clinton", "President", "United States" },
  { "Ronald Reagan", "President", "United States" },
  { "Jimmy Carter", "President", "United States" },
  { "Richard Nixon", "President", "United States" },
  { "Mike Pence", "Vice President", "United States" },
  { "Kamala Harris", "Vice President", "United States" },
  { "Hillary Clinton", "Secretary of State", "United States" },
  { "John Kerry", "Secretary of State", "United States" },
  { "Rex Tillerson", "Secretary of State", "United States" },
  { "Mike Pompeo", "Secretary of State", "United States" },
  { "Antony Blinken", "Secretary of State", "United States" },
  { "Condoleezza Rice", "Secretary of State", "United States" },
  { "John Bolton", "National Security Adviser", "United States" },
  { "Kim Jong Un", "Chairman", "North Korea" },
  { "Kim Jong Il", "Chairman", "North Korea" },
  { "Kim Il Sung", "President", "North Korea" },
  { "Kim Yo Jong", "Vice Department Director", "North Korea" },
  { "Moon Jae-in", "President", "South Korea" },
  { "Park Geun-hye", "President", "South Korea" },
  { "Lee Myung-bak", "President", "South Korea" },
  { "Roh Moo-hyun", "President", "South Korea" },
  { "Kim Dae-jung", "President", "South Korea" },
  { "Yoon Suk Yeol", "President", "South Korea" },
  { "Lee Jae-myung", "President", "South Korea" },
  { "Xi Jinping", "President", "China" },
  { "Hu Jintao", "President", "China" },
  { "Li Keqiang", "Premier", "China" },
  { "Wang Yi", "Foreign Minister", "China" },
  { "Vladimir Putin", "President", "Russia" },
  { "Dmitry Medvedev", "Prime Minister", "Russia" },
  { "Sergei Lavrov", "Foreign Minister", "Russia" },
  { "Shinzo Abe", "Prime Minister", "Japan" },
  { "Yoshihide Suga", "Prime Minister", "Japan" },
  { "Fumio Kishida", "Prime Minister", "Japan" },
  { "Nguyễn Phú Trọng", "General Secretary", "Vietnam" },
  { "Nguyễn Xuân Phúc", "Prime Minister", "Vietnam" },
  { "Phạm Bình Minh", "Foreign Minister", "Vietnam" },
  { "Phạm Minh Chính", "Prime Minister", "Vietnam" },
  { "Võ Văn Thưởng", "President", "Vietnam" },
  { "Tô Lâm", "General Secretary", "Vietnam" },
  { "Lee Hsien Loong", "Prime Minister", "Singapore" },
  { "Emmanuel Macron", "President", "France" },
  { "Angela Merkel", "Chancellor", "Germany" },
  { "Olaf Scholz", "Chancellor", "Germany" },
  { "Theresa May", "Prime Minister", "United Kingdom" },
  { "Boris Johnson", "Prime Minister", "United Kingdom" },
  { "Narendra Modi", "Prime Minister", "India" },
  { "Justin Trudeau", "Prime Minister", "Canada" },
  { "António Guterres", "Secretary-General", "United Nations" },
  { "Ban Ki-moon", "Secretary-General", "United Nations" },
  { NULL, NULL, NULL }
};
