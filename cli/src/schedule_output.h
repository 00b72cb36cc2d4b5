// The meeting schedule as a table, or iCalendar (RFC 5545, written by libical)
// that calendar programs import; its JSON is engine::schedule_json.
#pragma once

#include <ostream>
#include <string>

#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/meetings.h"

namespace zielwerk::cli {

void write_schedule_table(const engine::ProjectSchedule& schedule, const std::string& time_zone,
                          std::ostream& out);
// `stamp` is the DTSTAMP (when the calendar was written). Events carry stable
// UIDs (meeting id @ agreement id), so importing a newer file updates them.
void write_schedule_ics(const engine::ProjectSchedule& schedule, const engine::Project& project,
                        Timestamp stamp, std::ostream& out);

}  // namespace zielwerk::cli
