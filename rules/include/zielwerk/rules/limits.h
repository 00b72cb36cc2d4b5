// How much one project may declare. An agreement has tens of goals and metrics
// and a handful of files; the bounds sit far above that, so a real project
// never meets them, and a generated or corrupted file gets a diagnostic instead
// of making `check`, `run` and every evaluation slow (several checks compare
// each object with the others). docs/rules.md lists them beside the YAML
// limits (yaml_document.h).
#pragma once

#include <cstddef>

namespace zielwerk::rules {

inline constexpr std::size_t kMaxFilesPerList = 100;  // rules, workflows, tests in zielwerk.yaml
inline constexpr std::size_t kMaxGoals = 1'000;       // per rule set
inline constexpr std::size_t kMaxMetrics = 5'000;     // per rule set, base and derived
inline constexpr std::size_t kMaxMilestonesPerGoal = 100;

}  // namespace zielwerk::rules
