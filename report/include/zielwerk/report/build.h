// Builds meeting documents (report/document.h) from the project and the
// database. Reads only; every read of one document happens in one snapshot of
// the database, so a change committed meanwhile cannot mix into it.
//
// A review's agenda and minutes show what the meeting saw: the goal rows,
// open measures, escalations and milestones come from the agenda frozen when
// the review was prepared, not from today's figures. The charts are drawn
// from the revisions known at the review's `figures_known_at`, so they end in
// exactly the values of the status table, whatever was corrected later.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/error.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/report/document.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::report {

// How many months of its course each target goal's chart shows.
inline constexpr int kChartMonths = 24;

// The agenda of a prepared review, or the minutes of a closed one. An unknown
// review id is a usage error with a did-you-mean; a missed review has no
// agenda (usage error saying so).
Result<Document> build_review_document(const engine::Project& project, storage::Database& database,
                                       const std::string& review_id);

// The whole agreement at `period`: every goal, its chart, the milestones as of
// the period's last day, the measures open on `today` (overdue flagged) and
// every escalation raised. `known_at` evaluates with the revisions known then.
Result<Document> build_year_document(const engine::Project& project, storage::Database& database,
                                     YearMonth period, std::optional<Timestamp> known_at,
                                     std::chrono::year_month_day today);

// The measures open on `today`, overdue first, then by due date, each with
// its owner's name and latest follow-up note: what the year overview and the
// dashboard list. Read in one snapshot (the caller's when it has one).
Result<std::vector<MeasureLine>> open_measure_lines(const engine::Project& project,
                                                    storage::Database& database,
                                                    std::chrono::year_month_day today);

}  // namespace zielwerk::report
