// `zielwerk milestone done`: progress on qualitative goals.
#pragma once

#include <chrono>
#include <string>

#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

struct MilestoneDone {
  std::string goal;
  std::string milestone;
  std::chrono::year_month_day date{};  // when it was done (a civil date in the project's zone)
  std::string actor;                   // a known actor id
  Timestamp now{};
};

// Records that a milestone was done, with an audit record, in one transaction.
// Refused (ErrorKind::usage, nothing stored): an unknown goal or milestone (with
// a did-you-mean), a goal without milestones, a milestone already recorded, a
// date after today, and for ordered goals a milestone whose predecessor is not
// done or was done after `date`.
Status record_milestone_done(const Project& project, storage::Database& database,
                             const MilestoneDone& request);

}  // namespace zielwerk::engine
