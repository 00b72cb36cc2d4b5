// Replays through the fuzz targets' entry functions (fuzz/fuzz_entries.h)
// every input the fuzzers ever crashed on (fuzz/regressions/<target>/) and
// every seed scripts/fuzz.sh starts them from (the example project, the
// broken-file corpus, fuzz/seeds/<target>/). Each input is its own test, so a
// crash names the file; under the asan preset the replay finds memory errors
// the way the fuzzer did. The entry functions abort on a broken invariant, so
// "returns normally" is the whole assertion.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fuzz_entries.h"
#include "test_support.h"

namespace zielwerk::fuzz {
namespace {

namespace fs = std::filesystem;
using zielwerk::testing::read_file;
using zielwerk::testing::source_dir;

const std::vector<std::string> kTargets = {"rule_loader", "workflow_loader", "csv_import",
                                           "cli_text", "xlsx_import"};

// One input: its files, joined with marker lines when more than one (as
// scripts/fuzz.sh builds the whole-rule-set seeds).
struct Input {
  std::string target;
  std::string label;  // unique, for the test name
  std::vector<fs::path> files;
};

std::vector<fs::path> files_in(const fs::path& directory, const std::string& extension = "") {
  std::vector<fs::path> files;
  if (!fs::is_directory(directory)) return files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (!entry.is_regular_file()) continue;
    if (!extension.empty() && entry.path().extension() != extension) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path example_dir() {
  return source_dir() / "examples" / "me-aktiv-2025";
}

// The seeds of scripts/fuzz.sh's seeds(), except the generated over-long CSV
// line, which tests/observations covers.
std::vector<Input> seed_inputs() {
  std::vector<Input> inputs;
  auto add = [&](const std::string& target, const std::string& label, std::vector<fs::path> files) {
    inputs.push_back({target, "seed_" + label, std::move(files)});
  };
  const fs::path rules = example_dir() / "rules";
  for (const auto& file : files_in(rules, ".yaml"))
    add("rule_loader", "example_" + file.filename().string(), {file});
  add("rule_loader", "example_rule_set",
      {rules / "agreement.yaml", rules / "metrics.yaml", rules / "goals.yaml"});
  const fs::path base = source_dir() / "tests" / "corpus" / "base";
  const std::vector<fs::path> base_files = {base / "agreement.yaml", base / "metrics.yaml",
                                            base / "goals.yaml"};
  add("rule_loader", "corpus_base", base_files);
  for (const auto& file : files_in(source_dir() / "tests" / "corpus" / "rules", ".yaml")) {
    auto files = base_files;
    files.push_back(file);
    add("rule_loader", "corpus_" + file.filename().string(), files);
  }
  const auto workflows = files_in(example_dir() / "workflows", ".yaml");
  for (const auto& file : workflows)
    add("workflow_loader", "example_" + file.filename().string(), {file});
  add("workflow_loader", "example_workflows", workflows);
  for (const auto& file : files_in(example_dir() / "data", ".csv"))
    add("csv_import", "example_" + file.filename().string(), {file});
  for (const auto& target : kTargets) {
    for (const auto& file : files_in(source_dir() / "fuzz" / "seeds" / target))
      add(target, "extra_" + file.filename().string(), {file});
  }
  return inputs;
}

fs::path regressions_dir() {
  return source_dir() / "fuzz" / "regressions";
}

std::vector<Input> regression_inputs() {
  std::vector<Input> inputs;
  for (const auto& target : kTargets) {
    for (const auto& file : files_in(regressions_dir() / target))
      inputs.push_back({target, "crash_" + file.filename().string(), {file}});
  }
  return inputs;
}

std::string content_of(const Input& input) {
  if (input.files.size() == 1) return read_file(input.files.front());
  std::vector<std::string> contents;
  for (const auto& file : input.files)
    contents.push_back(read_file(file));
  return join_files(contents);
}

std::string test_name(const ::testing::TestParamInfo<Input>& info) {
  std::string name = info.param.target + "_" + info.param.label;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name + "_" + std::to_string(info.index);
}

class FuzzReplay : public ::testing::TestWithParam<Input> {};

TEST_P(FuzzReplay, ReturnsNormally) {
  const Input& input = GetParam();
  const Entry entry = entry_by_name(input.target);
  ASSERT_NE(entry, nullptr) << input.target;
  for (const auto& file : input.files)
    ASSERT_TRUE(fs::is_regular_file(file)) << file;
  entry(content_of(input));
}

INSTANTIATE_TEST_SUITE_P(Seeds, FuzzReplay, ::testing::ValuesIn(seed_inputs()), test_name);
INSTANTIATE_TEST_SUITE_P(Regressions, FuzzReplay, ::testing::ValuesIn(regression_inputs()),
                         test_name);

// The replay cannot pass by finding nothing: the seeds are there for every
// target, and every directory under fuzz/regressions/ is a target's.
TEST(FuzzReplaySetup, FindsSeedsForEveryTargetAndOnlyKnownRegressionDirectories) {
  std::map<std::string, int> seeds;
  for (const auto& input : seed_inputs())
    ++seeds[input.target];
  EXPECT_GE(seeds["rule_loader"], 40) << "the example's rule files and tests/corpus/rules";
  EXPECT_GE(seeds["workflow_loader"], 3) << "the example's workflow files";
  EXPECT_GE(seeds["csv_import"], 4) << "the example's data/*.csv";
  EXPECT_GE(seeds["cli_text"], 9) << "fuzz/seeds/cli_text";
  EXPECT_GE(seeds["xlsx_import"], 4) << "fuzz/seeds/xlsx_import";

  ASSERT_TRUE(fs::is_directory(regressions_dir())) << regressions_dir();
  for (const auto& entry : fs::directory_iterator(regressions_dir())) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    EXPECT_NE(entry_by_name(name), nullptr)
        << "fuzz/regressions/" << name << " is not a fuzz target's directory";
  }
}

}  // namespace
}  // namespace zielwerk::fuzz
