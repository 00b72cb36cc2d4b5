// The forms figures arrive in: encodings, month notations, German and wide
// layouts, placeholders, profiles and workbooks (XLSX, ODS).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "corpus_support.h"
#include "zielwerk/common/sha256.h"
#include "zielwerk/observations/csv_reader.h"
#include "zielwerk/observations/import_profile.h"
#include "zielwerk/observations/observation_reader.h"
#include "zielwerk/observations/workbook_reader.h"

namespace zielwerk::observations::formats {
namespace {

using zielwerk::testing::lines;
using zielwerk::testing::TempDir;
using Messages = std::vector<std::string>;

const rules::RuleSet& rule_set() {
  static const rules::RuleSet rules = zielwerk::testing::base_rule_set();
  return rules;
}

// --- encodings ----------------------------------------------------------------

struct Decoded {
  std::vector<std::vector<std::string>> records;
  Messages errors;  // "line:col: message"
  TextEncoding encoding = TextEncoding::automatic;
  std::string hash;
};

Decoded decode(const std::string& bytes, TextEncoding declared = TextEncoding::automatic) {
  std::istringstream input(bytes);
  CsvReader reader(input, declared);
  Decoded result;
  std::vector<CsvField> fields;
  CsvError error;
  while (reader.next(fields, error)) {
    if (!error.message.empty()) {
      result.errors.push_back(std::to_string(error.line) + ":" + std::to_string(error.column) +
                              ": " + error.message);
      continue;
    }
    std::vector<std::string> texts;
    for (const auto& field : fields)
      texts.push_back(field.text);
    result.records.push_back(texts);
  }
  result.encoding = reader.encoding();
  result.hash = reader.content_hash();
  return result;
}

std::string utf16(const std::u16string& text, bool little, bool bom = true) {
  std::string out;
  if (bom) out = little ? "\xFF\xFE" : "\xFE\xFF";
  for (const char16_t unit : text) {
    const auto low = static_cast<char>(unit & 0xFF);
    const auto high = static_cast<char>(unit >> 8);
    out += little ? std::string{low, high} : std::string{high, low};
  }
  return out;
}

TEST(EncodingTest, WindowsTwelveFiftyTwoIsDetectedAndConverted) {
  const std::string bytes = "Kennzahl;Quelle\nelb;D\xfcsseldorf \x80 \x96 Ma\xdfnahme\n";
  const Decoded decoded = decode(bytes);
  EXPECT_TRUE(decoded.errors.empty()) << ::testing::PrintToString(decoded.errors);
  ASSERT_EQ(decoded.records.size(), 2u);
  EXPECT_EQ(decoded.records[1][1], "D\u00fcsseldorf \u20ac \u2013 Ma\u00dfnahme");
  EXPECT_EQ(decoded.encoding, TextEncoding::windows1252);
  EXPECT_EQ(decoded.hash, sha256_hex(bytes));  // the file's bytes, not the converted text
}

TEST(EncodingTest, UtfEightStaysUtfEight) {
  const Decoded decoded = decode("a,b\nx,D\u00fcsseldorf\n");
  EXPECT_EQ(decoded.records[1][1], "D\u00fcsseldorf");
  EXPECT_EQ(decoded.encoding, TextEncoding::utf8);
  EXPECT_EQ(decode("a,b\nx,y\n").encoding, TextEncoding::automatic);  // ASCII: undecided
}

TEST(EncodingTest, UtfSixteenWithAByteOrderMark) {
  for (const bool little : {true, false}) {
    const std::string bytes = utf16(u"metric;source\r\nelb;D\u00fcsseldorf \U0001F600\r\n", little);
    const Decoded decoded = decode(bytes);
    EXPECT_TRUE(decoded.errors.empty()) << ::testing::PrintToString(decoded.errors);
    ASSERT_EQ(decoded.records.size(), 2u);
    EXPECT_EQ(decoded.records[0][0], "metric");
    EXPECT_EQ(decoded.records[1][1], "D\u00fcsseldorf \U0001F600");
    EXPECT_EQ(decoded.encoding, little ? TextEncoding::utf16le : TextEncoding::utf16be);
  }
}

TEST(EncodingTest, UtfSixteenAcrossChunkBoundaries) {
  // Far more than one 256 KiB chunk, with surrogate pairs at every offset.
  std::u16string text = u"a;b\n";
  for (int i = 0; i < 40000; ++i)
    text += u"x;\U0001F600\u00e4\n";
  const Decoded decoded = decode(utf16(text, true));
  EXPECT_TRUE(decoded.errors.empty());
  ASSERT_EQ(decoded.records.size(), 40001u);
  for (const auto& record : decoded.records) {
    if (record[0] == "x") {
      ASSERT_EQ(record[1], "\U0001F600\u00e4");
    }
  }
}

TEST(EncodingTest, ADeclaredEncodingAppliesWithoutAByteOrderMark) {
  // "\xc3\xa4" is valid UTF-8 ("ä") but declared Windows-1252 it is "Ã¤".
  EXPECT_EQ(decode("a\n\xc3\xa4\n", TextEncoding::windows1252).records[1][0], "\u00c3\u00a4");
  EXPECT_EQ(decode(utf16(u"a\n\u00e4\n", true, false), TextEncoding::utf16le).records[1][0],
            "\u00e4");
  // A byte order mark wins over the declaration.
  EXPECT_EQ(decode("\xEF\xBB\xBF"
                   "a\n\xc3\xa4\n",
                   TextEncoding::windows1252)
                .records[1][0],
            "\u00e4");
}

TEST(EncodingTest, BytesThatAreNotTextInTheirEncodingAreErrorsNamingTheLine) {
  // UTF-8 first, then a Latin-1 byte: an error, not a switch of encodings.
  EXPECT_EQ(decode("a\n\xc3\xa4\nok\nx\xe4y\n").errors,
            (Messages{"4:2: the line is not UTF-8 (byte 0xE4); save the file as UTF-8 or declare "
                      "its encoding (--encoding windows-1252)"}));
  EXPECT_EQ(decode("a\nD\xfcsseldorf\n", TextEncoding::utf8).errors,
            (Messages{"2:2: the line is not UTF-8 (byte 0xFC); save the file as UTF-8 or declare "
                      "its encoding (--encoding windows-1252)"}));
  // 0x81 has no character in Windows-1252.
  EXPECT_EQ(decode("a\n\xe4\x81\n").errors,
            (Messages{"2:2: the line holds a byte that is no Windows-1252 character"}));
  // A lone surrogate, and an odd byte at the end.
  EXPECT_EQ(decode(utf16(u"a\n", true) + std::string("\x00\xD8\x0A\x00", 4)).errors,
            (Messages{"2:1: the line is not valid UTF-16 (a lone surrogate or an odd byte)"}));
  EXPECT_EQ(decode(utf16(u"a\nb", true) + "c").errors,
            (Messages{"2:2: the line is not valid UTF-16 (a lone surrogate or an odd byte)"}));
}

TEST(EncodingTest, EncodingNames) {
  EXPECT_EQ(parse_text_encoding("Windows-1252"), TextEncoding::windows1252);
  EXPECT_EQ(parse_text_encoding("cp1252"), TextEncoding::windows1252);
  EXPECT_EQ(parse_text_encoding("UTF-8"), TextEncoding::utf8);
  EXPECT_EQ(parse_text_encoding("utf-16"), TextEncoding::utf16le);
  EXPECT_EQ(parse_text_encoding("utf-16be"), TextEncoding::utf16be);
  EXPECT_EQ(parse_text_encoding("auto"), TextEncoding::automatic);
  EXPECT_EQ(parse_text_encoding("latin9"), std::nullopt);
}

// --- months ------------------------------------------------------------------

TEST(MonthNotationTest, TheNotationsOfficesWrite) {
  for (const char* text :
       {"2025-06", "06/2025", "6/2025", "06.2025", "202506", "Juni 2025", "juni 2025", "Jun 25",
        "Jun. 2025", "Jun-25", "30.06.2025", "2025-06-30", "01.06.2025"}) {
    EXPECT_EQ(parse_month_notation(text), YearMonth(2025, 6)) << text;
  }
  EXPECT_EQ(parse_month_notation("M\u00e4rz 2024"), YearMonth(2024, 3));
  EXPECT_EQ(parse_month_notation("Mrz 24"), YearMonth(2024, 3));
  EXPECT_EQ(parse_month_notation("Dez 2023"), YearMonth(2023, 12));
  EXPECT_EQ(parse_month_notation("Okt. 2025"), YearMonth(2025, 10));
  for (const char* text : {"2025-13", "13/2025", "0/2025", "06/25", "Juno 2025", "Juni",
                           "31.02.2025", "202513", "2025", "", "Juni 20255", "06.2025.1"}) {
    EXPECT_EQ(parse_month_notation(text), std::nullopt) << text;
  }
}

TEST(MonthNotationTest, ExcelSerialDaysAndYearMonthNumbers) {
  EXPECT_EQ(month_of_number(45809), YearMonth(2025, 6));  // 2025-06-01
  EXPECT_EQ(month_of_number(45838), YearMonth(2025, 6));  // 2025-06-30
  EXPECT_EQ(month_of_number(45839), YearMonth(2025, 7));
  EXPECT_EQ(month_of_number(45809.75), YearMonth(2025, 6));  // a time of day
  EXPECT_EQ(month_of_number(1), YearMonth(1900, 1));
  EXPECT_EQ(month_of_number(59), YearMonth(1900, 2));  // 1900-02-28
  EXPECT_EQ(month_of_number(61), YearMonth(1900, 3));  // 1900-03-01 after Excel's 29 Feb
  EXPECT_EQ(month_of_number(202506), YearMonth(2025, 6));
  EXPECT_EQ(month_of_number(202513), std::nullopt);
  EXPECT_EQ(month_of_number(0), std::nullopt);
  EXPECT_EQ(month_of_number(-3), std::nullopt);
  EXPECT_EQ(month_of_number(202506.5), std::nullopt);
}

// --- layouts -------------------------------------------------------------------

struct Row {
  std::string metric, region, source, period;
  double value = 0;
  std::string missing;
  int line = 0;
  bool operator==(const Row&) const = default;
};

void PrintTo(const Row& row, std::ostream* out) {
  *out << row.metric << "|" << row.region << "|" << row.source << "|" << row.period << "|"
       << row.value << "|" << row.missing << "|" << row.line;
}

struct Read {
  bool header_ok = false;
  std::vector<Row> rows;
  Messages messages;
};

Read read_with(ObservationReader& reader) {
  Diagnostics diagnostics;
  Read result;
  result.header_ok = reader.read_header(diagnostics);
  if (result.header_ok) {
    while (const auto row = reader.next(diagnostics)) {
      result.rows.push_back({std::string(row->metric), std::string(row->region),
                             std::string(row->source), row->period.to_string(), row->value,
                             std::string(row->missing), row->line});
    }
  }
  result.messages = lines(diagnostics);
  return result;
}

Read read_csv(const std::string& content, const ImportProfile* profile = nullptr) {
  std::istringstream input(content);
  ReadOptions options;
  options.profile = profile;
  ObservationReader reader(input, "obs.csv", rule_set(), options);
  return read_with(reader);
}

TEST(LayoutTest, GermanColumnNames) {
  const Read read = read_csv(
      "Berichtsmonat;Merkmal;Wert;Jobcenter;Quelle\n"
      "Juni 2025;elb;14.747;05158;BA\n"
      "07/2025;lzb;1.234,5;05158;BA\n");
  EXPECT_TRUE(read.messages.empty()) << ::testing::PrintToString(read.messages);
  EXPECT_EQ(read.rows, (std::vector<Row>{{"elb", "05158", "BA", "2025-06", 14747, "", 2},
                                         {"lzb", "05158", "BA", "2025-07", 1234.5, "", 3}}));
  EXPECT_TRUE(read_csv("Monat,Kennzahl,Wert,Region\n2025-06,elb,1,Nord\n").messages.empty());
}

TEST(LayoutTest, PlaceholdersAreMissingValuesWithTheirReason) {
  const Read read = read_csv(
      "metric;period;value\n"
      "elb;2025-01;*\n"
      "elb;2025-02;x\n"
      "elb;2025-03;-\n"
      "elb;2025-04;\u2013\n"
      "elb;2025-05;.\n"
      "elb;2025-06;\n"
      "elb;2025-07;0\n");
  EXPECT_TRUE(read.messages.empty()) << ::testing::PrintToString(read.messages);
  std::vector<std::string> reasons;
  for (const auto& row : read.rows)
    reasons.push_back(row.missing);
  EXPECT_EQ(reasons, (std::vector<std::string>{"suppressed", "not_meaningful", "none_reported",
                                               "none_reported", "not_available", "empty", ""}));
  EXPECT_EQ(read.rows.back().value, 0);  // a real zero stays a figure
}

TEST(LayoutTest, TheWideLayoutHasAColumnPerMonth) {
  const Read read = read_csv(
      "Kennzahl;Quelle;Jan 25;Februar 2025;03/2025;2025-04\n"
      "elb;BA;14.747;14.600;;*\n"
      "lzb;BA;1,5;2;3;4\n");
  EXPECT_TRUE(read.messages.empty()) << ::testing::PrintToString(read.messages);
  EXPECT_EQ(read.rows, (std::vector<Row>{{"elb", "", "BA", "2025-01", 14747, "", 2},
                                         {"elb", "", "BA", "2025-02", 14600, "", 2},
                                         {"elb", "", "BA", "2025-04", 0, "suppressed", 2},
                                         {"lzb", "", "BA", "2025-01", 1.5, "", 3},
                                         {"lzb", "", "BA", "2025-02", 2, "", 3},
                                         {"lzb", "", "BA", "2025-03", 3, "", 3},
                                         {"lzb", "", "BA", "2025-04", 4, "", 3}}));
}

TEST(LayoutTest, WideLayoutErrorsNameTheCell) {
  const Read read = read_csv(
      "metric,2025-01,2025-02\n"
      "elb,1,abc\n"
      "iqq,1,2\n");
  EXPECT_EQ(read.messages, (Messages{"obs.csv:2:7: error: value 'abc' is not a number",
                                     "obs.csv:3:1: error: unknown metric 'iqq'"}));
  ASSERT_EQ(read.rows.size(), 1u);
}

TEST(LayoutTest, MonthColumnsBesideAPeriodColumnAreRefused) {
  const Read read = read_csv("metric,period,value,2025-01\n");
  EXPECT_FALSE(read.header_ok);
  EXPECT_EQ(read.messages,
            (Messages{"obs.csv:1:21: error: a column headed by a month beside a period or value "
                      "column; use one layout: metric, period, value or a column per month"}));
}

// --- profiles ------------------------------------------------------------------

std::optional<ImportProfile> profile_from(const std::string& yaml, Messages* messages = nullptr) {
  TempDir dir;
  const auto path = dir.path() / "profile.yaml";
  zielwerk::testing::write_file(path, yaml);
  Diagnostics diagnostics;
  auto profile = load_import_profile(path, "profile.yaml", rule_set(), diagnostics);
  if (messages != nullptr) *messages = lines(diagnostics);
  return profile;
}

TEST(ProfileTest, HeaderRowColumnsLabelsRegionsAndScale) {
  const auto profile = profile_from(
      "header_row: 3\n"
      "columns: {metric: Merkmal, period: Monat, value: \"Wert (Tsd.)\", region: JC-Nr.}\n"
      "metrics:\n"
      "  \"eLb insgesamt\": elb\n"
      "  \"Langzeitbezieher\": lzb\n"
      "regions: [\"05158\"]\n"
      "scale: 1000\n");
  ASSERT_TRUE(profile.has_value());
  const Read read = read_csv(
      "Eckwerte (erfunden)\n"
      "Stand: Juli 2025\n"
      "JC-Nr.;Name;Merkmal;Monat;Wert (Tsd.)\n"
      "05111;Düsseldorf;eLb insgesamt;06/2025;40,1\n"
      "05158;ME-aktiv;eLb insgesamt;06/2025;14,747\n"
      "05158;ME-aktiv;Langzeitbezieher;06/2025;*\n"
      "05158;ME-aktiv;elb;07/2025;14,8\n",
      &*profile);
  EXPECT_TRUE(read.messages.empty()) << ::testing::PrintToString(read.messages);
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.rows[0], (Row{"elb", "05158", "", "2025-06", 14747, "", 5}));
  EXPECT_EQ(read.rows[1].missing, "suppressed");
  EXPECT_EQ(read.rows[2].metric, "elb");  // an id needs no mapping
}

TEST(ProfileTest, AnUnknownLabelIsAnError) {
  const auto profile = profile_from("metrics: {\"eLb insgesamt\": elb}\n");
  ASSERT_TRUE(profile.has_value());
  const Read read = read_csv("metric,period,value\neLb insgesammt,2025-06,1\n", &*profile);
  EXPECT_EQ(read.messages,
            (Messages{"obs.csv:2:1: error: unknown label 'eLb insgesammt' (did you mean 'eLb "
                      "insgesamt'?); map it to a metric in the profile's metrics"}));
}

TEST(ProfileTest, AMissingProfileColumnIsNamed) {
  const auto profile = profile_from("columns: {metric: Merkmal, period: Monat, value: Wert}\n");
  ASSERT_TRUE(profile.has_value());
  const Read read = read_csv("Merkmal;Berichtsmonat;Wert\n", &*profile);
  EXPECT_EQ(read.messages, (Messages{"obs.csv:1: error: the header has no column 'Monat' (the "
                                     "profile's columns.period)"}));
}

TEST(ProfileTest, InvalidProfilesAreLocated) {
  Messages messages;
  EXPECT_FALSE(
      profile_from("sheeet: Daten\n"
                   "encoding: latin9\n"
                   "metrics: {\"eLb\": elbb, \"IQ\": iq}\n"
                   "scale: -1\n"
                   "columns: {period: Monat}\n",
                   &messages));
  EXPECT_EQ(messages,
            (Messages{
                "profile.yaml:1:1: error: unknown key 'sheeet' (did you mean 'sheet'?)",
                "profile.yaml:2:11: error: encoding: unknown encoding 'latin9'; known are auto, "
                "utf-8, utf-16, windows-1252",
                "profile.yaml:5:10: error: columns.value: name both the period and the value "
                "column, or neither (then the columns headed by a month hold the values)",
                "profile.yaml:3:18: error: metrics.'eLb': 'elbb' is not a base series of the "
                "rules (did you mean 'elb'?)",
                "profile.yaml:3:30: error: metrics.'IQ': 'iq' is not a base series of the rules",
                "profile.yaml:4:8: error: scale: the scale must be a positive number (e.g. 1000 "
                "for thousands)",
            }));
}

// --- workbooks -------------------------------------------------------------------

class WorkbookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string command =
        "python3 " +
        (zielwerk::testing::source_dir() / "tests/fixtures/make_spreadsheets.py").string() + " " +
        (zielwerk::testing::source_dir() / "examples/me-aktiv-2025/data").string() + " " +
        dir_->path().string();
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static Read read_workbook_file(const std::string& name, const std::string& sheet = "",
                                 const ImportProfile* profile = nullptr) {
    const std::string bytes = zielwerk::testing::read_file(dir_->path() / name);
    Diagnostics diagnostics;
    auto source = read_workbook(bytes, *workbook_kind(name), name, sheet, diagnostics);
    if (!source) return {false, {}, lines(diagnostics)};
    ReadOptions options;
    options.profile = profile;
    ObservationReader reader(std::move(source), name, rule_set(), options);
    return read_with(reader);
  }
  static TempDir* dir_;
};

TempDir* WorkbookTest::dir_ = nullptr;

TEST_F(WorkbookTest, CellsAreTextNumbersAndDatesInRowOrder) {
  // The example's metrics are not in the corpus rule set: the errors show
  // what the reader saw, cell by cell.
  const Read read = read_workbook_file("korrektur-2025.xlsx");
  EXPECT_EQ(read.messages,
            (Messages{"korrektur-2025.xlsx:Daten!A2: error: unknown metric "
                      "'integrationen_frauen'",
                      "korrektur-2025.xlsx:Daten!A3: error: unknown metric 'elb_frauen'"}));
}

TEST_F(WorkbookTest, ABrokenCellIsNamedBySheetAndCell) {
  const Read read = read_workbook_file("broken.xlsx");
  EXPECT_EQ(read.messages,
            (Messages{"broken.xlsx:Daten!A2: error: unknown metric 'elb_frauen'",
                      "broken.xlsx:Daten!A3: error: unknown metric 'elb_frauen'",
                      "broken.xlsx:Daten!C3: error: value '12,5x' is not a number; in a text "
                      "cell the decimal mark is ',' and '.' may only group thousands (e.g. "
                      "10.154,5)"}));
}

TEST_F(WorkbookTest, ASheetThatIsNotThereAndACorruptZip) {
  EXPECT_EQ(read_workbook_file("ba.xlsx", "Eckwert").messages,
            (Messages{"ba.xlsx: error: the workbook has no sheet 'Eckwert' (did you mean "
                      "'Eckwerte'?); its sheets are Hinweise, Eckwerte"}));
  const Read corrupt = read_workbook_file("corrupt.xlsx");
  ASSERT_EQ(corrupt.messages.size(), 1u);
  EXPECT_TRUE(corrupt.messages[0].starts_with("corrupt.xlsx: error: not a readable XLSX workbook"))
      << corrupt.messages[0];
  Diagnostics diagnostics;
  EXPECT_EQ(read_workbook("not a zip at all", WorkbookKind::ods, "x.ods", "", diagnostics),
            nullptr);
  EXPECT_EQ(lines(diagnostics).size(), 1u);
}

TEST_F(WorkbookTest, EverySheetHasItsOwnHeader) {
  // Without a profile the notes sheet of the BA file is a table without the
  // required columns; the data sheet's German labels are no metric ids.
  const Read read = read_workbook_file("ba.xlsx");
  EXPECT_FALSE(read.header_ok);
  ASSERT_FALSE(read.messages.empty());
  EXPECT_TRUE(read.messages[0].starts_with("ba.xlsx:Hinweise!A1: error: unknown column"))
      << read.messages[0];
}

TEST(CellNameTest, AOneNotation) {
  EXPECT_EQ(cell_name(0, 0), "A1");
  EXPECT_EQ(cell_name(16, 1), "B17");
  EXPECT_EQ(cell_name(0, 25), "Z1");
  EXPECT_EQ(cell_name(0, 26), "AA1");
  EXPECT_EQ(cell_name(9, 701), "ZZ10");
  EXPECT_EQ(cell_name(0, 702), "AAA1");
  EXPECT_EQ(workbook_kind("Daten.XLSX"), WorkbookKind::xlsx);
  EXPECT_EQ(workbook_kind("daten.ods"), WorkbookKind::ods);
  EXPECT_EQ(workbook_kind("daten.csv"), std::nullopt);
  EXPECT_EQ(workbook_kind("xlsx"), std::nullopt);
}

}  // namespace
}  // namespace zielwerk::observations::formats
