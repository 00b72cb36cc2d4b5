// Time zones of the IANA database (from the system's tzdata), through date/tz.
#pragma once

#include <string>

namespace zielwerk::workflows {

// True when `name` (e.g. "Europe/Berlin") is a zone of the installed tz database.
bool is_known_time_zone(const std::string& name);

}  // namespace zielwerk::workflows
