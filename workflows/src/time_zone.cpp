#include "zielwerk/workflows/time_zone.h"

#include <date/tz.h>

#include <stdexcept>

namespace zielwerk::workflows {

bool is_known_time_zone(const std::string& name) {
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::runtime_error&) {  // date/tz reports an unknown zone by throwing
    return false;
  }
}

}  // namespace zielwerk::workflows
