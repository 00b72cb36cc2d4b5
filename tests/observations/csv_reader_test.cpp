#include "zielwerk/observations/csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "zielwerk/common/sha256.h"

namespace zielwerk::observations {
namespace {

// One record as next() returned it: the line, the fields' texts and columns or the error.
struct Record {
  int line = 0;
  std::vector<std::string> texts;
  std::vector<int> columns;
  CsvError error;
};

std::vector<Record> read_all(const std::string& input, char* separator = nullptr) {
  std::istringstream stream(input);
  CsvReader reader(stream);
  std::vector<Record> records;
  std::vector<CsvField> fields;
  CsvError error;
  while (reader.next(fields, error)) {
    Record record;
    record.line = reader.line();
    for (const auto& field : fields) {
      record.texts.push_back(field.text);
      record.columns.push_back(reader.column_of(field));
    }
    record.error = error;
    records.push_back(std::move(record));
  }
  if (separator != nullptr) *separator = reader.separator();
  return records;
}

using Texts = std::vector<std::string>;
using Columns = std::vector<int>;

TEST(CsvReaderTest, DetectsCommaAsSeparator) {
  char separator = 0;
  const auto records = read_all("metric,period,value\nelb,2025-06,12.5\n", &separator);
  EXPECT_EQ(separator, ',');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].texts, (Texts{"metric", "period", "value"}));
  EXPECT_EQ(records[1].texts, (Texts{"elb", "2025-06", "12.5"}));
  EXPECT_EQ(records[1].columns, (Columns{1, 5, 13}));
  EXPECT_EQ(records[1].line, 2);
}

TEST(CsvReaderTest, DetectsSemicolonAsSeparator) {
  char separator = 0;
  const auto records = read_all("metric;period;value\nelb;2025-06;1.234,5\n", &separator);
  EXPECT_EQ(separator, ';');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].texts, (Texts{"metric", "period", "value"}));
  EXPECT_EQ(records[1].texts, (Texts{"elb", "2025-06", "1.234,5"}));  // ',' is no separator
}

TEST(CsvReaderTest, SeparatorDetectionCountsOnlyTheHeaderAndIgnoresQuotedSeparators) {
  char separator = 0;
  read_all("a;b,c;d\n", &separator);  // three ';' fields against two ','
  EXPECT_EQ(separator, ';');
  read_all("\"a;b;c\",d\n", &separator);  // the ';' are inside quotes
  EXPECT_EQ(separator, ',');
  read_all("metric\n", &separator);  // a tie (one field each) is ','
  EXPECT_EQ(separator, ',');
  // The data rows do not change the separator fixed by the header.
  const auto records = read_all("a,b\nx;y;z,w\n", &separator);
  EXPECT_EQ(separator, ',');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"x;y;z", "w"}));
}

TEST(CsvReaderTest, SkipsAByteOrderMark) {
  const auto records = read_all("\xEF\xBB\xBFmetric,period\nelb,2025-06\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].texts, (Texts{"metric", "period"}));
  EXPECT_EQ(records[0].columns, (Columns{1, 8}));  // columns as an editor shows them
}

TEST(CsvReaderTest, ByteOrderMarkOnAnOtherwiseBlankFirstLine) {
  const auto records = read_all("\xEF\xBB\xBF\nmetric,period\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[0].texts, (Texts{"metric", "period"}));
}

TEST(CsvReaderTest, OnlyTheFirstLineMayStartWithAByteOrderMark) {
  const auto records = read_all("a,b\n\xEF\xBB\xBFx,y\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"\xEF\xBB\xBFx", "y"}));
}

TEST(CsvReaderTest, AcceptsCrLfLineEnds) {
  const auto records = read_all("a,b\r\nc,d\r\n\r\ne,f\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].texts, (Texts{"a", "b"}));
  EXPECT_EQ(records[1].texts, (Texts{"c", "d"}));
  EXPECT_EQ(records[2].texts, (Texts{"e", "f"}));
  EXPECT_EQ(records[2].line, 4);
}

TEST(CsvReaderTest, ReadsALastLineWithoutLineEnd) {
  auto records = read_all("a,b\nc,d");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"c", "d"}));
  EXPECT_EQ(records[1].line, 2);

  records = read_all("a,b\r\nc,d\r");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"c", "d"}));
}

TEST(CsvReaderTest, SkipsBlankLinesButCountsThem) {
  const auto records = read_all("\na,b\n\n   \n\t\n\r\nc,d\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[1].line, 7);
  EXPECT_EQ(records[1].texts, (Texts{"c", "d"}));
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\n\n  \r\n").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReaderTest, TrimsSpacesAroundFieldsAndKeepsEmptyFields) {
  const auto records = read_all("a,b,c\n  x , y\t,\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"x", "y", ""}));
  EXPECT_EQ(records[1].columns, (Columns{3, 7, 10}));
}

TEST(CsvReaderTest, QuotedFieldsKeepSeparatorsSpacesAndDoubledQuotes) {
  const auto records = read_all("a,b,c,d,e\nx,\"1,5\",\"say \"\"hi\"\"\", \"  padded  \" ,\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[1].error.message.empty()) << records[1].error.message;
  EXPECT_EQ(records[1].texts, (Texts{"x", "1,5", "say \"hi\"", "  padded  ", ""}));
  EXPECT_EQ(records[1].columns, (Columns{1, 3, 9, 23, 37}));
}

TEST(CsvReaderTest, QuotedFieldsWithTheSemicolonSeparator) {
  const auto records = read_all("a;b\n\"x;y\";\"10.154,5\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].texts, (Texts{"x;y", "10.154,5"}));
}

TEST(CsvReaderTest, AnUnclosedQuoteIsAnErrorOfItsLineOnly) {
  const auto records = read_all("a,b\nx,\"open\nc,d\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[1].texts.empty());
  EXPECT_EQ(records[1].error.line, 2);
  EXPECT_EQ(records[1].error.column, 3);
  EXPECT_EQ(records[1].error.message,
            "a quoted field is not closed on this line (line breaks inside quotes are not "
            "supported)");
  EXPECT_TRUE(records[2].error.message.empty());
  EXPECT_EQ(records[2].texts, (Texts{"c", "d"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReaderTest, TextAfterAClosingQuoteIsAnError) {
  auto records = read_all("a,b\n\"ab\"c,d\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[1].texts.empty());
  EXPECT_EQ(records[1].error.line, 2);
  EXPECT_EQ(records[1].error.column, 5);
  EXPECT_EQ(records[1].error.message,
            "unexpected text after a quoted field; expected ',' or the end of the line");

  records = read_all("a;b\nx;\"ab\" c\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].error.column, 8);
  EXPECT_EQ(records[1].error.message,
            "unexpected text after a quoted field; expected ';' or the end of the line");
}

TEST(CsvReaderTest, AQuoteInsideAnUnquotedFieldIsAnError) {
  const auto records = read_all("a,b\nx,ab\"c\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[1].texts.empty());
  EXPECT_EQ(records[1].error.line, 2);
  EXPECT_EQ(records[1].error.column, 5);
  EXPECT_EQ(records[1].error.message,
            "a quote inside an unquoted field; quote the whole field and double the quote");
}

TEST(CsvReaderTest, ALineLongerThanTheLimitIsReportedAndReadingGoesOn) {
  const std::string too_long(kMaxLineBytes + 1, 'x');
  const auto records = read_all("a,b\n" + too_long + "\nc,d\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[1].texts.empty());
  EXPECT_EQ(records[1].error.line, 2);
  EXPECT_EQ(records[1].error.column, 0);
  EXPECT_EQ(records[1].error.message, "line longer than 65536 bytes");
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[2].texts, (Texts{"c", "d"}));
}

TEST(CsvReaderTest, ALineOfExactlyTheLimitIsRead) {
  const std::string longest(kMaxLineBytes, 'x');
  const auto records = read_all("a\n" + longest + "\r\nc\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[1].error.message.empty()) << records[1].error.message;
  EXPECT_EQ(records[1].texts, (Texts{longest}));
  EXPECT_EQ(records[2].texts, (Texts{"c"}));
}

TEST(CsvReaderTest, AnOverlongLastLineWithoutLineEndIsReported) {
  const auto records = read_all("a,b\n" + std::string(kMaxLineBytes + 1, 'x'));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].error.line, 2);
  EXPECT_EQ(records[1].error.message, "line longer than 65536 bytes");
}

// The reader reads in chunks of 256 KiB; lines that straddle a chunk boundary
// take another path through the reader than lines within one chunk.
constexpr std::size_t kChunk = 256 * 1024;

// Exactly `size` bytes (size >= 20) of two-field lines, the last one padded.
std::string filler_to(std::size_t size) {
  std::string out;
  while (out.size() + 20 <= size)
    out += "abcd,efgh\n";
  out += "pad," + std::string(size - out.size() - 5, 'p') + "\n";
  return out;
}

// The first record whose first field is `text`, or nullptr.
const Record* find_record(const std::vector<Record>& records, const std::string& text) {
  for (const auto& record : records) {
    if (!record.texts.empty() && record.texts.front() == text) return &record;
  }
  return nullptr;
}

TEST(CsvReaderTest, ALineOfExactlyTheLimitEndingAtAChunkBoundaryIsRead) {
  const std::string longest(kMaxLineBytes, 'y');
  for (const std::string line_end : {"\n", "\r\n"}) {
    // The line's last byte is the last byte of the second chunk.
    const std::string input = filler_to(2 * kChunk - kMaxLineBytes) + longest + line_end + "c\n";
    const auto records = read_all(input);
    for (const auto& record : records) {
      EXPECT_TRUE(record.error.message.empty())
          << "line " << record.error.line << ": " << record.error.message;
    }
    ASSERT_NE(find_record(records, longest), nullptr);
    EXPECT_EQ(records.back().texts, (Texts{"c"}));
  }
}

TEST(CsvReaderTest, AnOverlongLineAcrossSeveralChunksIsReported) {
  const std::string filler = filler_to(250 * 1024);
  const auto filler_lines = static_cast<int>(std::count(filler.begin(), filler.end(), '\n'));
  const std::string input =
      filler + std::string(3 * kMaxLineBytes, 'z') + "\n" + filler + "last,one\n";
  const auto records = read_all(input);
  ASSERT_EQ(records.size(), static_cast<std::size_t>(2 * filler_lines + 2));
  const Record& over = records[static_cast<std::size_t>(filler_lines)];
  EXPECT_TRUE(over.texts.empty());
  EXPECT_EQ(over.error.message, "line longer than 65536 bytes");
  EXPECT_EQ(over.error.line, filler_lines + 1);
  EXPECT_EQ(records.back().texts, (Texts{"last", "one"}));
  EXPECT_EQ(records.back().line, 2 * filler_lines + 2);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == static_cast<std::size_t>(filler_lines)) continue;
    ASSERT_TRUE(records[i].error.message.empty()) << i << ": " << records[i].error.message;
    ASSERT_EQ(records[i].texts.size(), 2u) << i;
  }
}

TEST(CsvReaderTest, CrLfSplitAcrossAChunkBoundary) {
  // The '\r' is the last byte of the first chunk, the '\n' the first of the next.
  const std::string input = filler_to(kChunk - 20) + std::string(19, 'q') + "\r\nnext,line\n";
  const auto records = read_all(input);
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[records.size() - 2].texts, (Texts{std::string(19, 'q')}));
  EXPECT_EQ(records.back().texts, (Texts{"next", "line"}));
}

TEST(CsvReaderTest, AtMostKMaxFieldsInOneLine) {
  std::string header = "a";
  for (std::size_t i = 1; i < kMaxFields; ++i)
    header += ",a";
  auto records = read_all(header + "\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].error.message.empty()) << records[0].error.message;
  EXPECT_EQ(records[0].texts.size(), kMaxFields);

  records = read_all(header + ",b\nc\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].texts.empty());
  EXPECT_EQ(records[0].error.line, 1);
  EXPECT_EQ(records[0].error.column, static_cast<int>(2 * kMaxFields + 1));  // the 65th field
  EXPECT_EQ(records[0].error.message, "more than 64 fields in one line");
  EXPECT_EQ(records[1].texts, (Texts{"c"}));
}

TEST(CsvReaderTest, ContentHashIsTheSha256OfTheWholeInput) {
  const std::string input =
      "\xEF\xBB\xBFmetric;period;value\r\nelb;2025-06;1,5\r\n\r\nlzb;2025-06;2";
  std::istringstream stream(input);
  CsvReader reader(stream);
  std::vector<CsvField> fields;
  CsvError error;
  while (reader.next(fields, error)) {
  }
  EXPECT_EQ(reader.bytes_read(), input.size());
  EXPECT_EQ(reader.content_hash(), sha256_hex(input));
}

TEST(CsvReaderTest, ContentHashReadsTheRestOfTheInput) {
  // Larger than one chunk, and only the header is read before asking for the hash.
  const std::string input = "a,b\n" + filler_to(700 * 1024);
  std::istringstream stream(input);
  CsvReader reader(stream);
  std::vector<CsvField> fields;
  CsvError error;
  ASSERT_TRUE(reader.next(fields, error));
  EXPECT_LT(reader.bytes_read(), input.size());
  EXPECT_EQ(reader.content_hash(), sha256_hex(input));
  EXPECT_EQ(reader.bytes_read(), input.size());
}

TEST(CsvReaderTest, ContentHashWithoutReadingAnything) {
  std::istringstream stream("a,b\nc,d\n");
  CsvReader reader(stream);
  EXPECT_EQ(reader.content_hash(), sha256_hex("a,b\nc,d\n"));

  // Asking again gives the same answer.
  EXPECT_EQ(reader.content_hash(), sha256_hex("a,b\nc,d\n"));
  std::vector<CsvField> fields;
  CsvError error;
  EXPECT_FALSE(reader.next(fields, error));  // the input is consumed
  EXPECT_EQ(reader.content_hash(), sha256_hex("a,b\nc,d\n"));

  std::istringstream empty("");
  CsvReader empty_reader(empty);
  EXPECT_EQ(empty_reader.content_hash(), sha256_hex(""));
}

}  // namespace
}  // namespace zielwerk::observations
