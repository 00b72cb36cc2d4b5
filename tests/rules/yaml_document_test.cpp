#include "zielwerk/rules/yaml_document.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace zielwerk::rules {
namespace {

using zielwerk::testing::lines;

TEST(YamlDocumentTest, KeepsLocationsAndPlainness) {
  Diagnostics diagnostics;
  const auto document = parse_yaml("a: 1\nb:\n  - \"2\"\n  - x\n", "f.yaml", diagnostics);
  ASSERT_TRUE(document.has_value());
  const Node& root = document->root();
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root.entries()[0].key, "a");
  EXPECT_EQ(root.entries()[0].key_location.line, 1);
  const Node& a = *root.find("a")->value;
  EXPECT_EQ(a.text(), "1");
  EXPECT_TRUE(a.is_plain());
  EXPECT_EQ(a.location().column, 4);
  const Node& b = *root.find("b")->value;
  ASSERT_TRUE(b.is_sequence());
  EXPECT_FALSE(b.items()[0]->is_plain());  // quoted
  EXPECT_EQ(b.items()[1]->location().line, 4);
  EXPECT_EQ(b.items()[1]->location().column, 5);
  EXPECT_EQ(root.find("c"), nullptr);
}

TEST(YamlDocumentTest, NullValuesAreNullNodes) {
  Diagnostics diagnostics;
  const auto document = parse_yaml("a:\nb: ~\nc: null\nd: \"null\"\n", "f.yaml", diagnostics);
  ASSERT_TRUE(document.has_value());
  EXPECT_TRUE(document->root().find("a")->value->is_null());
  EXPECT_TRUE(document->root().find("b")->value->is_null());
  EXPECT_TRUE(document->root().find("c")->value->is_null());
  EXPECT_TRUE(document->root().find("d")->value->is_scalar());
}

TEST(YamlDocumentTest, AliasesAreResolved) {
  Diagnostics diagnostics;
  const auto document = parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml", diagnostics);
  ASSERT_TRUE(document.has_value()) << ::testing::PrintToString(lines(diagnostics));
  const Node& b = *document->root().find("b")->value;
  ASSERT_TRUE(b.is_sequence());
  EXPECT_EQ(b.items().size(), 2u);
}

TEST(YamlDocumentTest, LocationInsideAScalar) {
  Diagnostics diagnostics;
  const auto document = parse_yaml("f: a + bc\ng: \"a + bc\"\n", "f.yaml", diagnostics);
  ASSERT_TRUE(document.has_value());
  const auto plain = document->root().find("f")->value->location_of_offset(4);
  EXPECT_EQ(plain.line, 1);
  EXPECT_EQ(plain.column, 8);
  const auto quoted = document->root().find("g")->value->location_of_offset(4);
  EXPECT_EQ(quoted.column, 9);  // after the opening quote
}

struct BadInput {
  const char* name;
  std::string text;
  std::vector<std::string> diagnostics;
};

class YamlRejectsTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(YamlRejectsTest, WithALocatedMessage) {
  Diagnostics diagnostics;
  YamlLimits limits;
  limits.max_file_bytes = 1000;
  limits.max_nodes = 50;
  limits.max_depth = 5;
  const auto document = parse_yaml(GetParam().text, "f.yaml", diagnostics, limits);
  EXPECT_FALSE(document.has_value());
  EXPECT_EQ(lines(diagnostics), GetParam().diagnostics);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, YamlRejectsTest,
    ::testing::Values(
        BadInput{"empty", "", {"f.yaml:1:1: error: the file is empty"}},
        BadInput{"comments_only", "# nothing\n", {"f.yaml:1:1: error: the file is empty"}},
        BadInput{"nul_byte",
                 std::string("a: 1\0b", 6),
                 {"f.yaml: error: not a text file (it contains a NUL byte)"}},
        BadInput{"too_large",
                 std::string(1001, '#'),
                 {"f.yaml: error: the file is larger than the limit of 1000 bytes"}},
        BadInput{"too_deep",
                 "a: [[[[[[1]]]]]]\n",
                 {"f.yaml:1:8: error: the document is nested deeper than 5 levels"}},
        BadInput{"too_many_nodes",
                 "a: &a [1, 1, 1, 1, 1, 1, 1, 1]\nb: [*a, *a, *a, *a, *a, *a]\n",
                 {"f.yaml:2:21: error: the document has more than 50 nodes (counting aliases "
                  "expanded)"}},
        BadInput{"duplicate_key",
                 "a: 1\nb: 2\na: 3\n",
                 {"f.yaml:3:1: error: duplicate key 'a' (first at line 1)"}},
        BadInput{"non_text_key",
                 "[1, 2]: x\n",
                 {"f.yaml:1:1: error: a map key must be text, got a list"}},
        BadInput{"two_documents",
                 "a: 1\n---\nb: 2\n",
                 {"f.yaml:3:1: error: a second YAML document; zielwerk files hold exactly one"}},
        BadInput{"syntax", "a: b: c\n", {"f.yaml:1:5: error: invalid YAML: illegal map value"}}),
    [](const ::testing::TestParamInfo<BadInput>& param) { return std::string(param.param.name); });

TEST(YamlDocumentTest, LoadFileReportsMissingAndEmptyFiles) {
  zielwerk::testing::TempDir dir;
  Diagnostics diagnostics;
  EXPECT_FALSE(load_yaml_file(dir.path() / "missing.yaml", "missing.yaml", diagnostics));
  zielwerk::testing::write_file(dir.path() / "empty.yaml", "");
  EXPECT_FALSE(load_yaml_file(dir.path() / "empty.yaml", "empty.yaml", diagnostics));
  EXPECT_FALSE(load_yaml_file(dir.path(), "dir", diagnostics));
  const std::vector<std::string> expected = {
      "missing.yaml: error: cannot read the file: it does not exist",
      "empty.yaml:1:1: error: the file is empty",
      "dir: error: cannot read the file: it is not a regular file",
  };
  EXPECT_EQ(lines(diagnostics), expected);
}

TEST(YamlDocumentTest, AHundredMegabyteFileIsRefusedWithoutReadingIt) {
  zielwerk::testing::TempDir dir;
  const auto path = dir.path() / "huge.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp(100 * 1024 * 1024);  // sparse: no 100 MB written to disk
    out.put('\n');
  }
  Diagnostics diagnostics;
  EXPECT_FALSE(load_yaml_file(path, "huge.yaml", diagnostics));
  EXPECT_EQ(lines(diagnostics),
            std::vector<std::string>{"huge.yaml: error: the file is larger than "
                                     "the limit of 4194304 bytes"});
}

}  // namespace
}  // namespace zielwerk::rules
