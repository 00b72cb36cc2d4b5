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

std::string changes_text(const std::vector<domain::FieldChange>& changes) {
  std::vector<std::string> parts;
  for (const auto& change : changes) {
    std::string name = domain::to_string(change.field);
    std::replace(name.begin(), name.end(), '_', '-');  // "follow-up", as the option says
    parts.push_back(name + " " + change.before.value_or("none") + " -> " +
                    change.after.value_or("none"));
  }
  return join(parts, ", ");
}

std::string local_time_text(const engine::Project& project, Timestamp time) {
  using namespace std::chrono;
  // The zone's offset at this instant: on the day of a clock change the
  // offset of midnight would put the afternoon an hour off.
  const auto local = workflows::to_local_time(project.config.time_zone, time);
  const auto day = floor<days>(local);
  return format_date(year_month_day{local_days{day.time_since_epoch()}}) + " " +
         engine::time_of_day_text(duration_cast<std::chrono::minutes>(local - day));
}

}  // namespace zielwerk::cli
