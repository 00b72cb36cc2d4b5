#include "zielwerk/observations/observation_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "corpus_support.h"
#include "zielwerk/common/sha256.h"

namespace zielwerk::observations {
namespace {

using zielwerk::testing::lines;
using Messages = std::vector<std::string>;

// The base rule set of the corpus: base series integrationen, elb, lzb, llu;
// derived iq and lzb_jfw. The reader keeps a reference, so it lives here.
const rules::RuleSet& rule_set() {
  static const rules::RuleSet rules = zielwerk::testing::base_rule_set();
  return rules;
}

// A valid row, copied out of the reader's views.
struct Row {
  std::string metric;
  std::string region;
  std::string source;
  std::string period;
  double value = 0;
  int line = 0;
  std::string missing;
};

struct ReadResult {
  bool header_ok = false;
  std::vector<Row> rows;
  Messages messages;  // every diagnostic as the CLI prints it
  char separator = 0;
  std::size_t rows_read = 0;
};

ReadResult read(const std::string& content, const std::string& name = "obs.csv") {
  std::istringstream input(content);
  ObservationReader reader(input, name, rule_set());
  Diagnostics diagnostics;
  ReadResult result;
  result.header_ok = reader.read_header(diagnostics);
  if (result.header_ok) {
    while (const auto row = reader.next(diagnostics)) {
      result.rows.push_back({std::string(row->metric), std::string(row->region),
                             std::string(row->source), row->period.to_string(), row->value,
                             row->line, std::string(row->missing)});
    }
  }
  result.messages = lines(diagnostics);
  result.separator = reader.separator();
  result.rows_read = reader.rows_read();
  return result;
}

// The messages of a file with the header `header` and the one data row `row` (line 2).
Messages row_errors(const std::string& header, const std::string& row) {
  const ReadResult result = read(header + "\n" + row + "\n");
  EXPECT_TRUE(result.header_ok);
  EXPECT_TRUE(result.rows.empty());
  return result.messages;
}

// The value of a one-row file, or nothing when the row was refused.
std::optional<double> value_of(const std::string& content) {
  const ReadResult result = read(content);
  if (result.rows.size() != 1) return std::nullopt;
  return result.rows[0].value;
}

std::optional<double> semicolon_value(const std::string& value) {
  return value_of("metric;period;value\nelb;2025-06;" + value + "\n");
}

std::optional<double> comma_value(const std::string& value) {
  return value_of("metric,period,value\nelb,2025-06," + value + "\n");
}

// ---- Header -----------------------------------------------------------------

TEST(ObservationReaderTest, ReadsTheRequiredColumns) {
  const ReadResult result = read("metric,period,value\nelb,2025-06,10154\nlzb,2025-07,3.5\n");
  ASSERT_TRUE(result.header_ok);
  EXPECT_TRUE(result.messages.empty()) << ::testing::PrintToString(result.messages);
  EXPECT_EQ(result.separator, ',');
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].metric, "elb");
  EXPECT_EQ(result.rows[0].period, "2025-06");
  EXPECT_EQ(result.rows[0].value, 10154);
  EXPECT_EQ(result.rows[0].region, "");
  EXPECT_EQ(result.rows[0].source, "");
  EXPECT_EQ(result.rows[0].line, 2);
  EXPECT_EQ(result.rows[1].metric, "lzb");
  EXPECT_EQ(result.rows[1].period, "2025-07");
  EXPECT_EQ(result.rows[1].value, 3.5);
  EXPECT_EQ(result.rows[1].line, 3);
  EXPECT_EQ(result.rows_read, 2u);
}

TEST(ObservationReaderTest, ColumnsInAnyOrderWithRegionAndSource) {
  const ReadResult result =
      read("source,value,region,period,metric\n\"BA, Statistik\",42,Nord,2025-01,integrationen\n");
  ASSERT_TRUE(result.header_ok);
  EXPECT_TRUE(result.messages.empty()) << ::testing::PrintToString(result.messages);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].metric, "integrationen");
  EXPECT_EQ(result.rows[0].period, "2025-01");
  EXPECT_EQ(result.rows[0].value, 42);
  EXPECT_EQ(result.rows[0].region, "Nord");
  EXPECT_EQ(result.rows[0].source, "BA, Statistik");
}

TEST(ObservationReaderTest, RegionWithoutSourceAndSourceWithoutRegion) {
  ReadResult result = read("metric,region,period,value\nelb,Süd,2025-01,1\n");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].region, "Süd");
  EXPECT_EQ(result.rows[0].source, "");

  result = read("period,value,metric,source\n2025-01,1,elb,Meldung 3/25\n");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].region, "");
  EXPECT_EQ(result.rows[0].source, "Meldung 3/25");
}

TEST(ObservationReaderTest, UnknownColumnWithDidYouMean) {
  const ReadResult result = read("metric,period,value,regoin\nelb,2025-06,1,Nord\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(
      result.messages,
      (Messages{"obs.csv:1:21: error: unknown column 'regoin' (did you mean 'region'?); "
                "the columns are metric, period, value, region, source (or Kennzahl, Monat, Wert, "
                "Region, Quelle), or months"}));
}

TEST(ObservationReaderTest, UnknownColumnWithoutSuggestion) {
  const ReadResult result = read("metric;period;value;kommentar\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{"obs.csv:1:21: error: unknown column 'kommentar'; the columns are metric, "
                      "period, value, region, source (or Kennzahl, Monat, Wert, Region, Quelle), "
                      "or months"}));
}

TEST(ObservationReaderTest, ColumnNamesIgnoreCase) {
  const ReadResult result = read("Metric,PERIOD,Value\nelb,2025-06,3\n");
  EXPECT_TRUE(result.header_ok);
  EXPECT_TRUE(result.messages.empty()) << ::testing::PrintToString(result.messages);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].value, 3);
  // Case does not make two columns out of one.
  EXPECT_EQ(read("metric,period,value,Period\n").messages,
            (Messages{"obs.csv:1:21: error: column 'period' appears twice"}));
}

TEST(ObservationReaderTest, DuplicateColumn) {
  const ReadResult result = read("metric,period,value,period\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages, (Messages{"obs.csv:1:21: error: column 'period' appears twice"}));
}

TEST(ObservationReaderTest, MissingRequiredColumns) {
  ReadResult result = read("metric,region,period\nelb,Nord,2025-06\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{"obs.csv:1: error: the header has no column 'value'; "
                      "required are metric, period, value, or metric and a column per month"}));

  result = read("\n\nregion\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{
                "obs.csv:3: error: the header has no column 'metric'; required are metric, "
                "period, value, or metric and a column per month",
                "obs.csv:3: error: the header has no column 'period'; required are metric, "
                "period, value, or metric and a column per month",
                "obs.csv:3: error: the header has no column 'value'; required are metric, period, "
                "value, or metric and a column per month",
            }));
}

TEST(ObservationReaderTest, AllHeaderErrorsInOnePass) {
  const ReadResult result = read("metrik;value;value\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{
                "obs.csv:1:1: error: unknown column 'metrik' (did you mean 'metric'?); the "
                "columns are metric, period, value, region, source (or Kennzahl, Monat, Wert, "
                "Region, Quelle), or months",
                "obs.csv:1:14: error: column 'value' appears twice",
                "obs.csv:1: error: the header has no column 'metric'; required are metric, "
                "period, value, or metric and a column per month",
                "obs.csv:1: error: the header has no column 'period'; required are metric, "
                "period, value, or metric and a column per month",
            }));
}

TEST(ObservationReaderTest, EmptyFile) {
  const Messages expected = {
      "obs.csv: error: the file is empty; expected a header row with the columns metric, period, "
      "value"};
  for (const std::string content : {"", "\n", "  \r\n\r\n", "\xEF\xBB\xBF"}) {
    const ReadResult result = read(content);
    EXPECT_FALSE(result.header_ok);
    EXPECT_EQ(result.messages, expected) << ::testing::PrintToString(content);
  }
}

TEST(ObservationReaderTest, AMalformedHeaderLine) {
  const ReadResult result = read("metric,\"period,value\n");
  EXPECT_FALSE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{"obs.csv:1:8: error: a quoted field is not closed on this line (line breaks "
                      "inside quotes are not supported)"}));
}

TEST(ObservationReaderTest, MessagesNameTheFileAsTheUserWroteIt) {
  const ReadResult result = read("metric,period,value\nelb,2025-6,1\n", "daten/juni.csv");
  EXPECT_EQ(result.messages,
            (Messages{"daten/juni.csv:2:5: error: period '2025-6' is not a month YYYY-MM (e.g. "
                      "2025-06)"}));
}

// ---- Spreadsheet dialects ---------------------------------------------------

TEST(ObservationReaderTest, ASpreadsheetExportWithBomSemicolonsCrLfAndDecimalCommas) {
  const ReadResult result = read(
      "\xEF\xBB\xBFmetric;period;value;region\r\n"
      "llu;2025-01;1.234.567,89;Nord\r\n"
      "\r\n"
      "elb;2025-01;10.154;Nord\r\n"
      "lzb;2025-01;\"3.001,5\";Nord");
  ASSERT_TRUE(result.header_ok);
  EXPECT_TRUE(result.messages.empty()) << ::testing::PrintToString(result.messages);
  EXPECT_EQ(result.separator, ';');
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].metric, "llu");
  EXPECT_DOUBLE_EQ(result.rows[0].value, 1234567.89);
  EXPECT_EQ(result.rows[0].line, 2);
  EXPECT_EQ(result.rows[1].value, 10154);
  EXPECT_EQ(result.rows[1].line, 4);
  EXPECT_EQ(result.rows[2].value, 3001.5);
  EXPECT_EQ(result.rows[2].line, 5);
  EXPECT_EQ(result.rows[2].region, "Nord");
}

TEST(ObservationReaderTest, GermanNumbersWithTheSemicolonSeparator) {
  EXPECT_EQ(semicolon_value("1234,5"), 1234.5);
  EXPECT_EQ(semicolon_value("10.154,5"), 10154.5);
  EXPECT_EQ(semicolon_value("10.154"), 10154);  // a thousands separator, not ten point one
  EXPECT_DOUBLE_EQ(semicolon_value("-1.234.567,89").value_or(0), -1234567.89);
  EXPECT_EQ(semicolon_value("+1.000"), 1000);
  EXPECT_EQ(semicolon_value("0,25"), 0.25);
  EXPECT_EQ(semicolon_value("-3"), -3);
  EXPECT_EQ(semicolon_value("999.999.999"), 999999999);
}

TEST(ObservationReaderTest, GermanNumbersThatAreRejected) {
  for (const std::string text :
       {"12.5", "1.23,4", "1,2,3", "1234.5", ".5",  "1..234", "1.234.56", "1234.567,8,9",
        "abc",  "1.2a4",  "inf",   "-inf",   "nan", "1e5",    "1,5e3",    "0x10",
        "--",   "+",      "+-5",   "--5",    "5-",  "1 234"}) {
    EXPECT_EQ(semicolon_value(text), std::nullopt) << text;
  }
}

TEST(ObservationReaderTest, GermanNumberMessage) {
  EXPECT_EQ(row_errors("metric;period;value", "elb;2025-06;12.5"),
            (Messages{"obs.csv:2:13: error: value '12.5' is not a number; with ';' as separator "
                      "the decimal mark is ',' and '.' may only group thousands (e.g. 10.154,5)"}));
}

TEST(ObservationReaderTest, NumbersWithTheCommaSeparator) {
  EXPECT_EQ(comma_value("12.5"), 12.5);
  EXPECT_EQ(comma_value("-0.5"), -0.5);
  EXPECT_EQ(comma_value("+7"), 7);
  EXPECT_EQ(comma_value("10154"), 10154);
  for (const std::string text : {"inf", "nan", "NaN", "infinity", "1e5", "1E5", "0x10", "abc",
                                 "1.2.3", "+-5", "--5", "\"1,5\"", "\"1.234,5\""}) {
    EXPECT_EQ(comma_value(text), std::nullopt) << text;
  }
}

TEST(ObservationReaderTest, AValueWithACommaInACommaFile) {
  // Quoted it stays one field and the message explains the decimal mark.
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06,\"1234,5\""),
            (Messages{"obs.csv:2:13: error: value '1234,5' is not a number; with ',' as "
                      "separator the decimal mark is '.'"}));
  // Unquoted it splits the row.
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06,1234,5"),
            (Messages{"obs.csv:2: error: expected 3 fields, got 4 (a decimal comma? with ',' "
                      "as separator the decimal mark is '.')"}));
}

TEST(ObservationReaderTest, ColumnsCountCharactersNotBytes) {
  // "Süd" is four bytes but three characters: the period starts in column 9.
  EXPECT_EQ(
      row_errors("region,metric,period,value", "Süd,elb,2025-13,1"),
      (Messages{"obs.csv:2:9: error: period '2025-13' is not a month YYYY-MM (e.g. 2025-06)"}));
}

TEST(ObservationReaderTest, TrailingSeparatorsOfSpreadsheetExportsAreIgnored) {
  const ReadResult result = read("metric;period;value;\nelb;2025-06;12,5;\nelb;2025-07;13\n");
  EXPECT_TRUE(result.header_ok);
  EXPECT_TRUE(result.messages.empty()) << ::testing::PrintToString(result.messages);
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].value, 12.5);
  EXPECT_EQ(result.rows[1].value, 13);
  // A non-empty extra field is still an error.
  EXPECT_EQ(row_errors("metric;period;value;", "elb;2025-06;12;x"),
            (Messages{"obs.csv:2: error: expected 3 fields, got 4"}));
}

TEST(ObservationReaderTest, InfNanAndExponentsAreRejected) {
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06,inf"),
            (Messages{"obs.csv:2:13: error: value 'inf' is not a number"}));
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06,nan"),
            (Messages{"obs.csv:2:13: error: value 'nan' is not a number"}));
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06,1e5"),
            (Messages{"obs.csv:2:13: error: value '1e5' is not a number"}));
  EXPECT_EQ(row_errors("metric;period;value", "elb;2025-06;1e5"),
            (Messages{"obs.csv:2:13: error: value '1e5' is not a number; with ';' as separator "
                      "the decimal mark is ',' and '.' may only group thousands (e.g. 10.154,5)"}));
}

TEST(ObservationReaderTest, AnOutOfRangeValueIsRejected) {
  EXPECT_EQ(comma_value("1" + std::string(400, '0')), std::nullopt);
}

// ---- Rows -------------------------------------------------------------------

TEST(ObservationReaderTest, UnknownMetricWithDidYouMean) {
  EXPECT_EQ(row_errors("metric,period,value", "integrationn,2025-06,1"),
            (Messages{"obs.csv:2:1: error: unknown metric 'integrationn' (did you mean "
                      "'integrationen'?)"}));
  EXPECT_EQ(row_errors("period,value,metric", "2025-06,1,  arbeitslose"),
            (Messages{"obs.csv:2:13: error: unknown metric 'arbeitslose'"}));
  // Only importable metrics are suggested: "iqq" is closest to the derived "iq".
  EXPECT_EQ(row_errors("metric,period,value", "iqq,2025-06,1"),
            (Messages{"obs.csv:2:1: error: unknown metric 'iqq'"}));
}

TEST(ObservationReaderTest, DerivedMetricIsRefused) {
  EXPECT_EQ(row_errors("metric,period,value", "iq,2025-06,61.5"),
            (Messages{"obs.csv:2:1: error: metric 'iq' is derived by a formula in the rules; "
                      "import its base series instead"}));
}

TEST(ObservationReaderTest, EmptyMetric) {
  EXPECT_EQ(row_errors("metric,period,value", ",2025-06,1"),
            (Messages{"obs.csv:2:1: error: the metric is empty"}));
}

TEST(ObservationReaderTest, BadPeriods) {
  for (const std::string period : {"2025-13", "2025-6", "2025-00"}) {
    EXPECT_EQ(row_errors("metric,period,value", "elb," + period + ",1"),
              (Messages{"obs.csv:2:5: error: period '" + period +
                        "' is not a month YYYY-MM (e.g. 2025-06)"}))
        << period;
  }
  for (const std::string period :
       {"25-06", "2025/06", "13/2025", "Juno 2025", "Juni", "31.02.2025", "06/25", "", "45809"}) {
    EXPECT_EQ(row_errors("metric,period,value", "elb," + period + ",1"),
              (Messages{"obs.csv:2:5: error: period '" + period +
                        "' is not a month (e.g. 2025-06, 06/2025, Juni 2025)"}))
        << period;
  }
}

TEST(ObservationReaderTest, EmptyValueIsMissing) {
  for (const auto& [header, row] :
       {std::pair<std::string, std::string>{"metric,period,value", "elb,2025-06,"},
        {"metric;period;value", "elb;2025-06;\"\""}}) {
    const ReadResult result = read(header + "\n" + row + "\n");
    EXPECT_TRUE(result.messages.empty());
    ASSERT_EQ(result.rows.size(), 1u);
    EXPECT_EQ(result.rows[0].missing, "empty");
    EXPECT_EQ(result.rows[0].value, 0);
  }
}

TEST(ObservationReaderTest, WrongFieldCount) {
  EXPECT_EQ(row_errors("metric,period,value", "elb,2025-06"),
            (Messages{"obs.csv:2: error: expected 3 fields, got 2"}));
  EXPECT_EQ(row_errors("metric;period;value;region", "elb;2025-06;1;Nord;extra"),
            (Messages{"obs.csv:2: error: expected 4 fields, got 5"}));
}

TEST(ObservationReaderTest, AllErrorsOfOneRowAreReported) {
  EXPECT_EQ(row_errors("metric,period,value", "lzbb,2025-6,zwölf"),
            (Messages{
                "obs.csv:2:1: error: unknown metric 'lzbb' (did you mean 'lzb'?)",
                "obs.csv:2:6: error: period '2025-6' is not a month YYYY-MM (e.g. 2025-06)",
                "obs.csv:2:13: error: value 'zwölf' is not a number",
            }));
}

TEST(ObservationReaderTest, OverlongRegionAndSource) {
  const std::string region(kMaxRegionLength + 1, 'r');
  const std::string source(kMaxSourceLength + 1, 's');
  EXPECT_EQ(
      row_errors("metric,period,value,region,source", "elb,2025-06,1," + region + "," + source),
      (Messages{
          "obs.csv:2:15: error: the region is longer than 64 characters",
          "obs.csv:2:81: error: the source is longer than 500 characters",
      }));
  const ReadResult longest =
      read("metric,period,value,region,source\nelb,2025-06,1," +
           std::string(kMaxRegionLength, 'r') + "," + std::string(kMaxSourceLength, 's') + "\n");
  ASSERT_EQ(longest.rows.size(), 1u);
  EXPECT_EQ(longest.rows[0].region.size(), kMaxRegionLength);
  EXPECT_EQ(longest.rows[0].source.size(), kMaxSourceLength);
  // Characters, not bytes: 64 umlauts are 128 bytes and still a valid region.
  std::string umlauts;
  for (std::size_t i = 0; i < kMaxRegionLength; ++i)
    umlauts += "ü";
  const ReadResult german = read("metric,period,value,region\nelb,2025-06,1," + umlauts + "\n");
  ASSERT_EQ(german.rows.size(), 1u) << ::testing::PrintToString(german.messages);
  EXPECT_EQ(row_errors("metric,period,value,region", "elb,2025-06,1," + umlauts + "ü"),
            (Messages{"obs.csv:2:15: error: the region is longer than 64 characters"}));
}

TEST(ObservationReaderTest, MalformedCsvLinesInTheData) {
  const ReadResult result = read(
      "metric,period,value\n"
      "elb,\"2025-06,1\n"
      "elb,2025-06,1\n"
      "elb,\"2025-07\"x,1\n" +
      std::string(kMaxLineBytes + 1, 'x') + "\n" + "elb,2025-08,3\n");
  ASSERT_TRUE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{
                "obs.csv:2:5: error: a quoted field is not closed on this line (line breaks "
                "inside quotes are not supported)",
                "obs.csv:4:14: error: unexpected text after a quoted field; expected ',' or the "
                "end of the line",
                "obs.csv:5: error: line longer than 65536 bytes",
            }));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].line, 3);
  EXPECT_EQ(result.rows[1].line, 6);
  EXPECT_EQ(result.rows[1].value, 3);
  EXPECT_EQ(result.rows_read, 5u);
}

TEST(ObservationReaderTest, OnePassFindsEveryBrokenRowAndKeepsTheValidOnes) {
  const ReadResult result = read(
      "metric;period;value;region\n"
      "elb;2025-01;10.154;Nord\n"
      "iq;2025-01;61,5;Nord\n"
      "elb;2025-02;10.200;Nord\n"
      "\n"
      "elb;2025-13;10.300;Nord\n"
      "elb;2025-03;12.5;Nord\n"
      "elb;2025-04;;Nord\n"
      "elb;2025-05\n"
      "lzb;2025-05;3.000;Süd\n");
  ASSERT_TRUE(result.header_ok);
  EXPECT_EQ(result.messages,
            (Messages{
                "obs.csv:3:1: error: metric 'iq' is derived by a formula in the rules; import its "
                "base series instead",
                "obs.csv:6:5: error: period '2025-13' is not a month YYYY-MM (e.g. 2025-06)",
                "obs.csv:7:13: error: value '12.5' is not a number; with ';' as separator the "
                "decimal mark is ',' and '.' may only group thousands (e.g. 10.154,5)",
                "obs.csv:9: error: expected 4 fields, got 2",
            }));
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_EQ(result.rows[0].line, 2);
  EXPECT_EQ(result.rows[0].value, 10154);
  EXPECT_EQ(result.rows[1].line, 4);
  EXPECT_EQ(result.rows[1].value, 10200);
  EXPECT_EQ(result.rows[2].line, 8);  // an empty value: missing
  EXPECT_EQ(result.rows[2].missing, "empty");
  EXPECT_EQ(result.rows[3].line, 10);
  EXPECT_EQ(result.rows[3].metric, "lzb");
  EXPECT_EQ(result.rows[3].region, "Süd");
  EXPECT_EQ(result.rows[3].value, 3000);
  EXPECT_EQ(result.rows_read, 8u);
}

TEST(ObservationReaderTest, ContentHashOfTheWholeFile) {
  const std::string content =
      "\xEF\xBB\xBFmetric;period;value\r\nelb;2025-01;1\r\nelb;2025-02;2\r\n";
  {
    std::istringstream input(content);
    ObservationReader reader(input, "obs.csv", rule_set());
    Diagnostics diagnostics;
    ASSERT_TRUE(reader.read_header(diagnostics));
    while (reader.next(diagnostics)) {
    }
    EXPECT_EQ(reader.bytes_read(), content.size());
    EXPECT_EQ(reader.content_hash(), sha256_hex(content));
  }
  {
    // Stopped after the header (e.g. at too many errors): the hash is still of the whole file.
    std::istringstream input(content);
    ObservationReader reader(input, "obs.csv", rule_set());
    Diagnostics diagnostics;
    ASSERT_TRUE(reader.read_header(diagnostics));
    EXPECT_EQ(reader.content_hash(), sha256_hex(content));
  }
}

TEST(ObservationReaderTest, TheContractsColumns) {
  EXPECT_EQ(observation_columns(),
            (std::vector<std::string>{"metric", "period", "value", "region", "source"}));
}

}  // namespace
}  // namespace zielwerk::observations
