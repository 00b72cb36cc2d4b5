#include "workflow_output.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {

using nlohmann::json;

json optional_text(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json optional_date(const std::optional<std::chrono::year_month_day>& date) {
  return date ? json(format_date(*date)) : json(nullptr);
}

json optional_time(const std::optional<Timestamp>& time) {
  return time ? json(format_timestamp(*time)) : json(nullptr);
}

json parsed_json(const std::string& text) {
  if (text.empty()) return nullptr;
  json document = json::parse(text, nullptr, false);
  return document.is_discarded() ? json(nullptr) : document;
}

json measure_json(const storage::MeasureRecord& measure) {
  return {
      {"id", measure.id},
      {"goal", measure.goal},
      {"title", measure.title},
      {"agreed_in", measure.review_id},
      {"owner", measure.owner_party},
      {"assignee", measure.assignee},
      {"due", format_date(measure.due_on)},
      {"follow_up", optional_date(measure.follow_up_on)},
      {"status", storage::to_string(measure.status)},
      {"reason", optional_text(measure.reason)},
      {"created_at", format_timestamp(measure.created_at)},
      {"created_by", measure.created_by},
      {"updated_at", format_timestamp(measure.updated_at)},
  };
}

json follow_up_json(const storage::MeasureFollowUp& follow_up) {
  return {
      {"id", follow_up.id},
      {"measure", follow_up.measure_id},
      {"review", optional_text(follow_up.review_id)},
      {"recorded_at", format_timestamp(follow_up.recorded_at)},
      {"actor", follow_up.actor},
      {"status", storage::to_string(follow_up.status)},
      {"note", follow_up.note},
      {"changes", parsed_json(follow_up.changes_json)},
  };
}

std::string changes_text(const std::string& changes_json) {
  const json changes = parsed_json(changes_json);
  if (!changes.is_object()) return "";
  auto text = [](const json& value) {
    return value.is_string() ? value.get<std::string>()
           : value.is_null() ? std::string("none")
                             : value.dump();
  };
  // The status first, then the other fields in the order people think of them.
  std::vector<std::string> fields = {"status", "reason", "due", "follow_up", "assignee"};
  for (const auto& [field, values] : changes.items()) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
  }
  std::vector<std::string> parts;
  for (const auto& field : fields) {
    const auto values = changes.find(field);
    if (values == changes.end() || !values->is_array() || values->size() != 2) continue;
    std::string name = field;
    std::replace(name.begin(), name.end(), '_', '-');  // "follow-up", as the option says
    parts.push_back(name + " " + text((*values)[0]) + " -> " + text((*values)[1]));
  }
  return join(parts, ", ");
}

std::string local_time_text(const engine::Project& project, Timestamp time) {
  using namespace std::chrono;
  const auto day = workflows::local_date(project.config.time_zone, time);
  const auto midnight =
      workflows::local_to_utc(project.config.time_zone, local_time<milliseconds>(local_days(day)));
  const auto minutes = duration_cast<std::chrono::minutes>(time - midnight).count();
  char clock_text[16];
  std::snprintf(clock_text, sizeof clock_text, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return format_date(day) + " " + clock_text;
}

}  // namespace zielwerk::cli
