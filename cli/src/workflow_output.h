// Output pieces the review, measure, run and audit commands share: missing
// values as JSON null, the text of a follow-up's changes, local times. (The
// JSON of a measure and its follow-ups is the engine's, engine/json_views.h.)
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/engine/project.h"

namespace zielwerk::cli {

// null for an empty text or a missing value.
nlohmann::json optional_text(const std::string& text);
nlohmann::json optional_date(const std::optional<std::chrono::year_month_day>& date);
nlohmann::json optional_time(const std::optional<Timestamp>& time);
// "status agreed -> in_progress, due 2025-07-31 -> 2025-08-31" from a follow-up's
// changes (in the order of domain::MeasureField: status first).
std::string changes_text(const std::vector<domain::FieldChange>& changes);

// "2025-06-05 12:00" in the project's time zone, for people.
std::string local_time_text(const engine::Project& project, Timestamp time);

}  // namespace zielwerk::cli
