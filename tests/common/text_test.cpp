#include "zielwerk/common/text.h"

#include <gtest/gtest.h>

#include "zielwerk/common/sha256.h"

namespace zielwerk {
namespace {

TEST(TextTest, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("target", "target"), 0u);
  EXPECT_EQ(edit_distance("traget", "target"), 2u);
  EXPECT_EQ(edit_distance("metrix", "metrics"), 2u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
}

TEST(TextTest, DidYouMeanSuggestsOnlyLikelyTypos) {
  const std::vector<std::string> keys = {"metric", "op", "target", "unit", "tolerance"};
  EXPECT_EQ(did_you_mean("traget", keys), " (did you mean 'target'?)");
  EXPECT_EQ(did_you_mean("tolerence", keys), " (did you mean 'tolerance'?)");
  EXPECT_EQ(did_you_mean("colour", keys), "");  // nothing close
  EXPECT_EQ(did_you_mean("x", {}), "");
  EXPECT_EQ(closest_match("uni", keys), "unit");
  EXPECT_FALSE(closest_match("planned", keys).has_value());
}

TEST(TextTest, TrimBlanksRemovesSpacesAndTabsAroundOnly) {
  EXPECT_EQ(trim_blanks(" \tIntegrationsquote Frauen\t "), "Integrationsquote Frauen");
  EXPECT_EQ(trim_blanks("a b"), "a b");
  EXPECT_EQ(trim_blanks(" \t "), "");
  EXPECT_EQ(trim_blanks("\nWert\r"), "\nWert\r");  // line ends are not blanks
}

TEST(TextTest, Join) {
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"a", "b", "c"}, " -> "), "a -> b -> c");
}

TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
TEST(MailAddress, OnlyPlainAddrSpecsPass) {
  EXPECT_TRUE(is_mail_address("jana.gross@jobcenter.example"));
  EXPECT_TRUE(is_mail_address("team@localhost"));
  EXPECT_FALSE(is_mail_address("jana"));
  EXPECT_FALSE(is_mail_address("@jobcenter.example"));
  EXPECT_FALSE(is_mail_address("a@b@c.example"));
  EXPECT_FALSE(is_mail_address("a b@c.example"));
  EXPECT_FALSE(is_mail_address("a@nodot"));
  EXPECT_FALSE(is_mail_address("a@b.example>\r\nBcc: x@y.example"));
  EXPECT_FALSE(is_mail_address("jürgen@b.example"));
  EXPECT_FALSE(is_mail_address("a@.example"));
}

}  // namespace zielwerk
