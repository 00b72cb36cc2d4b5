#include "zielwerk/common/diagnostics.h"

#include <gtest/gtest.h>

namespace zielwerk {
namespace {

TEST(DiagnosticsTest, FormatsWithAndWithoutAPosition) {
  EXPECT_EQ(format_diagnostic({Severity::error, {"rules/goals.yaml", 12, 5}, "boom"}),
            "rules/goals.yaml:12:5: error: boom");
  EXPECT_EQ(format_diagnostic({Severity::warning, {"a.yaml", 3, 1}, "hm"}),
            "a.yaml:3:1: warning: hm");
  EXPECT_EQ(format_diagnostic({Severity::error, {"a.yaml", 0, 0}, "cannot read"}),
            "a.yaml: error: cannot read");
}

TEST(DiagnosticsTest, CountsAndSortsByFileLineColumnStably) {
  Diagnostics diagnostics;
  EXPECT_TRUE(diagnostics.empty());
  diagnostics.error({"b.yaml", 1, 1}, "b1");
  diagnostics.warning({"a.yaml", 5, 2}, "a5-2");
  diagnostics.error({"a.yaml", 5, 1}, "a5-1 first");
  diagnostics.error({"a.yaml", 5, 1}, "a5-1 second");
  diagnostics.error({"a.yaml", 10, 1}, "a10");
  EXPECT_TRUE(diagnostics.has_errors());
  EXPECT_EQ(diagnostics.error_count(), 4u);
  EXPECT_EQ(diagnostics.warning_count(), 1u);
  diagnostics.sort();
  std::vector<std::string> order;
  for (const auto& d : diagnostics.items())
    order.push_back(d.message);
  EXPECT_EQ(order, (std::vector<std::string>{"a5-1 first", "a5-1 second", "a5-2", "a10", "b1"}));
}

TEST(DiagnosticsTest, WarningsAloneAreNoErrors) {
  Diagnostics diagnostics;
  diagnostics.warning({"a.yaml", 1, 1}, "unused");
  EXPECT_FALSE(diagnostics.has_errors());
  Diagnostics all;
  all.error({"b.yaml", 1, 1}, "x");
  all.append(diagnostics);
  EXPECT_EQ(all.items().size(), 2u);
  EXPECT_EQ(all.error_count(), 1u);
}

}  // namespace
}  // namespace zielwerk
