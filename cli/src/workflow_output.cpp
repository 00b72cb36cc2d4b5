#include "workflow_output.h"

#include <algorithm>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/json_views.h"
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
  return format_date(day) + " " +
         engine::time_of_day_text(duration_cast<std::chrono::minutes>(time - midnight));
}

}  // namespace zielwerk::cli
