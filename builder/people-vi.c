/* people-vi.c — Vietnamese rules for finding people: titles (with their
 * English gloss), affiliation words, reporting verbs, participant cues and
 * words that are never names.  Data only; the engine is people.c.
 *
 * Vietnamese titles come before the name and may be followed by the
 * country: "Ngoại trưởng Mỹ Mike Pompeo".  "cựu" (former) and "quyền"
 * (acting) are modifiers kept in the title. */
#include "people-rules.h"

static const BbPeopleTitle titles[] = {
  { "Tổng thống", "President", NULL },
  { "Phó Tổng thống", "Vice President", NULL },
  { "Chủ tịch nước", "President", NULL },
  { "Phó Chủ tịch nước", "Vice President", NULL },
  { "Chủ tịch", "Chairman", NULL },
  { "Phó Chủ tịch", "Vice Chairman", NULL },
  { "Chủ tịch Quốc hội", "Chairman of the National Assembly", NULL },
  { "Chủ tịch Ủy ban Quốc vụ", "Chairman of the State Affairs Commission", NULL },
  { "Tổng Bí thư", "General Secretary", NULL },
  { "Thủ tướng", "Prime Minister", NULL },
  { "Phó Thủ tướng", "Deputy Prime Minister", NULL },
  { "Nhà lãnh đạo", "Leader", NULL },
  { "Nhà lãnh đạo tối cao", "Supreme Leader", NULL },
  { "Lãnh đạo", "Leader", NULL },
  { "Lãnh tụ", "Leader", NULL },
  { "Ngoại trưởng", "Foreign Minister", NULL },
  { "Bộ trưởng Ngoại giao", "Foreign Minister", NULL },
  { "Bộ trưởng Quốc phòng", "Defence Minister", NULL },
  { "Bộ trưởng Tài chính", "Finance Minister", NULL },
  { "Bộ trưởng Công an", "Minister of Public Security", NULL },
  { "Bộ trưởng", "Minister", NULL },
  { "Thứ trưởng Ngoại giao", "Deputy Foreign Minister", NULL },
  { "Thứ trưởng", "Deputy Minister", NULL },
  { "Chánh Văn phòng Nhà Trắng", "White House Chief of Staff", NULL },
  { "Chánh văn phòng Nhà Trắng", "White House Chief of Staff", NULL },
  { "Chánh văn phòng", "Chief of Staff", NULL },
  { "Thư ký Báo chí Nhà Trắng", "White House Press Secretary", NULL },
  { "Người phát ngôn Nhà Trắng", "White House spokesperson", NULL },
  { "Người phát ngôn", "spokesperson", NULL },
  { "Phát ngôn viên", "spokesperson", NULL },
  { "Cố vấn An ninh Quốc gia", "National Security Adviser", NULL },
  { "Đặc phái viên", "Special Envoy", NULL },
  { "Đặc phái viên về Triều Tiên", "Special Representative for North Korea", NULL },
  { "Đại diện đặc biệt", "Special Representative", NULL },
  { "Trưởng đoàn đàm phán", "chief negotiator", NULL },
  { "Trưởng đoàn", "head of delegation", NULL },
  { "Trưởng ban", "head", NULL },
  { "Thường trực Ban Bí thư", "Standing Member of the Secretariat", NULL },
  { "Thường trực", "Standing Member", NULL },
  { "Phó Trưởng ban", "deputy head", NULL },
  { "Chính sách", "", NULL },
  { "Đối ngoại", "", NULL },
  { "Tuyên giáo", "", NULL },
  { "Tổ chức", "", NULL },
  { "Kinh tế", "", NULL },
  { "Quốc phòng", "", NULL },
  { "An ninh", "", NULL },
  { "Ngoại giao", "", NULL },
  { "Tài chính", "", NULL },
  { "Nhà đàm phán", "negotiator", NULL },
  { "Đại sứ", "Ambassador", NULL },
  { "Tướng", "General", NULL },
  { "Đại tướng", "General", NULL },
  { "Thượng tướng", "Colonel General", NULL },
  { "Giáo sư", "Professor", NULL },
  { "Phó Giáo sư", "Associate Professor", NULL },
  { "PGS.TS", "Associate Professor", NULL },
  { "GS.TS", "Professor", NULL },
  { "GS", "Professor", NULL },
  { "PGS", "Associate Professor", NULL },
  { "Tiến sĩ", "Doctor", NULL },
  { "TS", "Doctor", NULL },
  { "Nhà nghiên cứu", "researcher", NULL },
  { "Nhà phân tích", "analyst", NULL },
  { "Chuyên gia", "expert", NULL },
  { "Phóng viên", "reporter", NULL },
  { "Nhà báo", "journalist", NULL },
  { "Giám đốc", "Director", NULL },
  { "Phó Giám đốc", "Deputy Director", NULL },
  { "Viện trưởng", "Director", NULL },
  { "Em gái", "sister", NULL },
  { "Phu nhân", "First Lady", NULL },
  { "Đệ nhất phu nhân", "First Lady", NULL },
  { "Quốc vương", "King", NULL },
  { "Nữ hoàng", "Queen", NULL },
  { "Thị trưởng", "Mayor", NULL },
  { "Thống đốc", "Governor", NULL },
  { "Thượng nghị sĩ", "Senator", NULL },
  { "Nghị sĩ", "Representative", NULL },
  { "Chủ nhiệm", "Chairman", NULL },
  { "Bí thư", "Secretary", NULL },
  /* portfolios and bodies that follow an office: "Bộ trưởng Kế hoạch và
   * Đầu tư", "Phó Chủ tịch Ban Chấp hành Trung ương"; an empty gloss marks
   * a part of a title that is no title alone */
  { "Kế hoạch và Đầu tư", "", NULL },
  { "Công Thương", "", NULL },
  { "Tài nguyên và Môi trường", "", NULL },
  { "Giao thông Vận tải", "", NULL },
  { "Nội vụ", "", NULL },
  { "Tư pháp", "", NULL },
  { "Y tế", "", NULL },
  { "Giáo dục và Đào tạo", "", NULL },
  { "Khoa học và Công nghệ", "", NULL },
  { "Thông tin và Truyền thông", "", NULL },
  { "Nông nghiệp và Phát triển nông thôn", "", NULL },
  { "Xây dựng", "", NULL },
  { "Ban Chấp hành Trung ương", "", NULL },
  { "Bộ Chính trị", "", NULL },
  { "Ban Bí thư", "", NULL },
  { "Ủy ban Quốc vụ", "", NULL },
  { "Ủy viên Bộ Chính trị", "Politburo member", NULL },
  { "Ủy viên", "member", NULL },
  { NULL, NULL, NULL }
};

static const char *const title_words[] = { NULL };

static const char *const title_heads[] = { NULL };

static const char *const commentator_heads[] = {
  "giáo sư", "tiến sĩ", "nhà nghiên cứu", "nhà phân tích", "chuyên gia",
  "phóng viên", "nhà báo", "ts", "gs", "pgs", "gs.ts", "pgs.ts", "viện trưởng",
  NULL
};

static const char *const modifiers[] = {
  "cựu", "quyền", "nguyên", "đương kim", "tân",
  NULL
};

static const char *const former_words[] = {
  "cựu", "nguyên", "cố",
  NULL
};

static const char *const honorifics[] = {
  "ông", "bà", "ngài", "đồng chí",
  NULL
};

static const BbPeopleAffil affils[] = {
  { "Nhà Trắng", "United States", BB_AFFIL_ORG },
  { "Đảng Lao động Triều Tiên", "North Korea", BB_AFFIL_ORG },
  { "Đảng Cộng sản Việt Nam", "Vietnam", BB_AFFIL_ORG },
  { "Lầu Năm Góc", "United States", BB_AFFIL_ORG },
  { "Bộ Ngoại giao Mỹ", "United States", BB_AFFIL_ORG },
  { "Điện Kremlin", "Russia", BB_AFFIL_ORG },
  { "Nhà Xanh", "South Korea", BB_AFFIL_ORG },
  { "Mỹ", "United States", BB_AFFIL_COUNTRY },
  { "Hoa Kỳ", "United States", BB_AFFIL_COUNTRY },
  { "CHDCND Triều Tiên", "North Korea", BB_AFFIL_COUNTRY },
  { "Triều Tiên", "North Korea", BB_AFFIL_COUNTRY },
  { "Bắc Triều Tiên", "North Korea", BB_AFFIL_COUNTRY },
  { "Hàn Quốc", "South Korea", BB_AFFIL_COUNTRY },
  { "Nam Triều Tiên", "South Korea", BB_AFFIL_COUNTRY },
  { "Việt Nam", "Vietnam", BB_AFFIL_COUNTRY },
  { "Trung Quốc", "China", BB_AFFIL_COUNTRY },
  { "Nga", "Russia", BB_AFFIL_COUNTRY },
  { "Nhật Bản", "Japan", BB_AFFIL_COUNTRY },
  { "Nhật", "Japan", BB_AFFIL_COUNTRY },
  { "Vương quốc Anh", "United Kingdom", BB_AFFIL_COUNTRY },
  { "Pháp", "France", BB_AFFIL_COUNTRY },
  { "Đức", "Germany", BB_AFFIL_COUNTRY },
  { "Ấn Độ", "India", BB_AFFIL_COUNTRY },
  { "Lào", "Laos", BB_AFFIL_COUNTRY },
  { "Campuchia", "Cambodia", BB_AFFIL_COUNTRY },
  { "Thái Lan", "Thailand", BB_AFFIL_COUNTRY },
  { "Singapore", "Singapore", BB_AFFIL_COUNTRY },
  { "Liên Hợp Quốc", "United Nations", BB_AFFIL_COUNTRY },
  { "Liên hợp quốc", "United Nations", BB_AFFIL_COUNTRY },
  { "LHQ", "United Nations", BB_AFFIL_COUNTRY },
  { NULL, NULL, 0 }
};

static const char *const report_after[] = {
  "cho biết", "nói", "tuyên bố", "khẳng định", "nhấn mạnh", "phát biểu",
  "bày tỏ", "nhận định", "cho rằng", "nhận xét", "chia sẻ", "viết",
  "thông báo", "đánh giá", "lưu ý",
  NULL
};

static const char *const report_before[] = {
  "theo", "Theo", "lời của",
  NULL
};

static const char *const participant_cues[] = {
  "cuộc gặp", "gặp", "gặp gỡ", "hội đàm", "hội kiến", "đàm phán", "tiếp",
  "đón", "chào đón", "bắt tay", "phái đoàn", "đoàn", "tháp tùng", "tham dự",
  "dự", "chủ trì", "ngồi", "hội nghị thượng đỉnh", "thượng đỉnh", "tới Hà Nội", "phía", "tiễn", "hội kiến", "đón tiếp", "thăm", "chuyến thăm", "cùng dự", "lễ đón",
  "đến Hà Nội", "có mặt",
  NULL
};

static const char *const org_preps[] = {
  "tại", "của", "thuộc",
  NULL
};

static const char *const org_words[] = {
  "Đại học", "Viện", "Học viện", "Trung tâm", "Bộ", "Báo", "Tạp chí",
  "Đài", "Thông tấn xã", "TTXVN", "VnExpress", "Tuổi Trẻ", "Thanh Niên",
  "Nhân Dân", "Khách sạn", "Nhà khách", "Quốc hội", "Đảng",
  "Ủy ban", "Hội nghị", "Phố", "Đường", "Sông", "Núi", "Tỉnh",
  "Thành phố", "Quận", "Huyện", "Sân bay", "Công ty", "Tập đoàn",
  "Ngân hàng", "Lăng", "Chủ tịch Hồ Chí Minh", "Vịnh", "Biển", "Phủ Chủ tịch",
  "Bảo tàng", "Trụ sở",
  NULL
};

static const char *const not_name[] = {
  "Hà Nội", "Nội", "Singapore", "Bình Nhưỡng", "Seoul", "Bắc Kinh",
  "Washington", "Nhà", "Quốc hội", "Hội", "Nghị", "Hồ Chí Minh City",
NULL
};

/* Words that open sentences and are no names there ("Trong" is also a
 * given name). */
static const char *const openers[] = {
  "Theo", "Trong", "Khi", "Nếu", "Sau", "Trước", "Tại", "Với", "Và", "Nhưng",
  "Mặc", "Dù", "Đây", "Đó", "Những", "Các", "Một", "Hai", "Ba", "Cả",
  "Còn", "Ít", "Việc", "Cuộc", "Tháng", "Ngày", "Năm", "Thứ", "Chủ", "Nhật",
  "Tết", "Ai", "Cũng", "Khó", "Đáng", "Bước", "Hiện", "Tuy", "Do",
  "Vì", "Để", "Lần", "Đặc", "Ngay", "Từ", "Đến", "Về", "Trên", "Dưới",
  "Hôm", "Chiều", "Sáng", "Tối", "Trưa", "Đêm", "Thời", "Điều",
  "CHDCND", "Thế", "Giới", "Châu", "Á", "Âu", "Mỹ",
  NULL
};

static const char *const person_cues[] = { NULL };

static const char *const side_words[] = {
  "phía", "đoàn", "phái đoàn",
  NULL
};

static const char *const relations[] = {
  "phu nhân", "vợ", "chồng", "em gái", "con gái", "con trai", "anh trai",
  "chị gái",
  NULL
};

static const char *const venues[] = {
  "Khách sạn", "Nhà khách", "Phủ Chủ tịch", "Trụ sở", "Sân bay", "Cung",
  "Lăng", "Nhà hát", "Trung tâm Hội nghị",
  NULL
};

static const char *const negations[] = {
  "không", "chưa", "chẳng", "không hề", "chưa từng",
  NULL
};

const BbPeopleLang bb_people_lang_vi = {
  "vi", titles, title_words, title_heads, commentator_heads, modifiers,
  former_words, honorifics, affils, report_after, report_before,
  participant_cues, org_preps, org_words, not_name, openers, negations,
  person_cues, side_words, relations, venues,
};
