#include "zielwerk/common/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zielwerk {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const std::string& text :
       std::vector<std::string>{"", "Maßnahme", "Düsseldorf", "€ 12,5", "\xF0\x9F\x93\x88",
                                "\xF4\x8F\xBF\xBF", "a\x7f b", std::string("nul\0inside", 10)}) {
    EXPECT_TRUE(is_valid_utf8(text)) << escape_controls(text);
  }
}

TEST(Utf8Test, FindsTheFirstIllFormedByte) {
  EXPECT_EQ(first_invalid_utf8("Ma\xdfnahme"), 2u);       // Latin-1
  EXPECT_EQ(first_invalid_utf8("ab\xC3"), 2u);            // truncated
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("x\xE0\x80\xAF"), 1u);     // overlong, 3 bytes
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0u);      // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(first_invalid_utf8("ok \x80"), 3u);  // a lone continuation byte
}

TEST(Utf8Test, ReplacesEachMaximalSubpartWithOneReplacementCharacter) {
  EXPECT_EQ(to_valid_utf8("Ma\xdfnahme"), "Ma\xEF\xBF\xBDnahme");
  // Unicode 15, table 3-8: F1 80 80 is one maximal subpart, E1 80 another.
  EXPECT_EQ(to_valid_utf8("a\xF1\x80\x80\xE1\x80"
                          "b"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(to_valid_utf8("fine"), "fine");
}

TEST(Utf8Test, EscapesControlsAndStrayBytesOnly) {
  EXPECT_EQ(escape_controls("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
  EXPECT_EQ(escape_controls("\x1b[2J\x1b[31mOK"), "\\x1b[2J\\x1b[31mOK");
  EXPECT_EQ(escape_controls(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_controls("line\nnext\r\ttab\x7f"), "line\\nnext\\r\\ttab\\x7f");
  EXPECT_EQ(escape_controls("line\nnext", LineFeeds::keep), "line\nnext");
  EXPECT_EQ(escape_controls("Ma\xdfnahme"), "Ma\\xdfnahme");
  EXPECT_EQ(escape_controls("\xC2\x9B"
                            "2J"),
            "\\u{009b}2J");  // C1 CSI
  EXPECT_EQ(escape_controls("abc\xE2\x80\xAE"
                            "fed"),
            "abc\\u{202e}fed");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(escape_controls("Düsseldorf C:\\tmp €"), "Düsseldorf C:\\tmp €");
  for (const std::string text : {"\x1b[2J", "Ma\xdf", "\xC2\x9B", "a\nb"}) {
    const std::string once = escape_controls(text);
    EXPECT_EQ(escape_controls(once), once);
    EXPECT_TRUE(is_valid_utf8(once));
  }
}

TEST(Utf8Test, QuotesShortlyAndEscaped) {
  EXPECT_EQ(quote("iq-gesamt"), "'iq-gesamt'");
  EXPECT_EQ(quote("\x1b[2J"), "'\\x1b[2J'");
  EXPECT_EQ(quote(std::string(100, 'x'), 10), "'xxxxxxxxxx...'");
  EXPECT_EQ(quote("äöüäöü", 3), "'äöü...'");  // cut at a character, not a byte
}

TEST(Utf8Test, NamesTheProblemOfTextThatIsNotUtf8) {
  EXPECT_EQ(utf8_problem("Maßnahme"), "");
  EXPECT_EQ(utf8_problem("Ma\xdfnahme"),
            "is not UTF-8 text (byte 0xdf at position 3: 'Ma\\xdfnahme'); zielwerk reads and "
            "stores text as UTF-8");
  const std::string long_text = std::string(50, 'a') + "\xff";
  EXPECT_TRUE(utf8_problem(long_text).find("position 51: '...aaaa") != std::string::npos)
      << utf8_problem(long_text);
}

}  // namespace
}  // namespace zielwerk
