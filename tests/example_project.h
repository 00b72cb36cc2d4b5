// The example project (examples/me-aktiv-2025) for the tests that work on a
// loaded project, loaded once per test process.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "test_support.h"
#include "zielwerk/engine/project.h"

namespace zielwerk::testing {

inline std::filesystem::path example_dir() {
  return source_dir() / "examples/me-aktiv-2025";
}

// The same as a constant, for the test files that name it kExample (brought in
// with a using-declaration, which may repeat when files share a unity batch).
namespace example_files {
inline const std::filesystem::path kExample = example_dir();
}  // namespace example_files

// The project in `directory`; a diagnostic fails the test (and gives an empty project).
inline engine::Project load_project_or_fail(const std::filesystem::path& directory) {
  Diagnostics diagnostics;
  auto loaded = engine::load_project(directory, diagnostics);
  EXPECT_TRUE(loaded.has_value()) << ::testing::PrintToString(lines(diagnostics));
  return loaded ? std::move(*loaded) : engine::Project{};
}

// The example, shared by every test of the process (the dashboard holds it so).
inline std::shared_ptr<const engine::Project> shared_example() {
  static const auto project =
      std::make_shared<const engine::Project>(load_project_or_fail(example_dir()));
  return project;
}

inline const engine::Project& example() {
  return *shared_example();
}

}  // namespace zielwerk::testing
