// The JSON documents zielwerk shows of its data: the meeting schedule, the
// control measures, the reviews, a goal's explanation and the answers of the
// audit trail. One writer for each, so `zielwerk schedule|measure list|review
// show|audit query --format json` and the dashboard's JSON API (`serve
// --http`) answer with the same bytes, and an audit query is checked the same
// way whether it came as options or as URL parameters. Text that is not UTF-8
// is written with U+FFFD: a stored byte never stops a writer.
//
// Every document is returned (or written) without a trailing newline; the CLI
// adds one. Keys are in alphabetical order within each object (nlohmann::json's
// default; only the streamed audit query envelope is written as order, total,
// records), dates are YYYY-MM-DD, points in time UTC as stored
// (common/timestamp.h), and a missing value is null rather than left out.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/meetings.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/audit_query.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::engine {

// ---- The meeting schedule ------------------------------------------------

// What `schedule --format json` prints, indented by 2:
// {"agreement", "from", "to", "time_zone", "holiday_region", "regional_holidays",
// "meetings": [{"id",
// "workflow", "title", "reviews", "date" (null when skipped), "time" (local
// HH:MM), "starts_at", "rule_date", "moved", "skipped", "holiday" (or null),
// "participants", "goals"}]}.
std::string schedule_json(const ProjectSchedule& schedule, const Project& project);

// Two of the meetings' fields, for writers of other formats (table, iCalendar,
// HTML) to show exactly what the JSON says:
// "10:00" for a local time of day.
std::string time_of_day_text(std::chrono::minutes since_midnight);
// The ids of the goals in the workflow's scope, in the rule set's order.
std::vector<std::string> scope_goal_ids(const workflows::Workflow& workflow,
                                        const rules::RuleSet& rules);

// ---- Control measures --------------------------------------------------

// What `measure list --format json` prints, indented by 2: {"today", "measures":
// [...]}, each measure as measure_json() plus "workflow", "overdue" and
// "follow_ups" (each as measure_follow_up_json()). `today` is the day overdue
// was judged on.
std::string measures_json(const std::vector<MeasureView>& views, std::chrono::year_month_day today);

// One measure's stored fields, compact: {"id", "goal", "title", "agreed_in",
// "owner", "assignee", "due", "follow_up", "status", "reason", "created_at",
// "created_by", "updated_at"}. `review show` lists a review's measures so.
std::string measure_json(const domain::Measure& measure);
// One entry of a measure's follow-up log, compact: {"id", "measure", "review",
// "recorded_at", "actor", "status", "note", "changes"} ("changes" is the stored
// JSON object of what changed, or null).
std::string measure_follow_up_json(const domain::MeasureFollowUp& follow_up);

// ---- Reviews and evaluations ---------------------------------------------

// What `review show --format json` prints, indented by 2: the review's fields
// ("id", "workflow", "period", "meeting_date", "starts_at", "state", "late",
// "prepared_at", "prepared_by", "rule_set_version", "figures_known_at",
// "closed_at", "closed_by"), its "snapshot" and "agenda" (engine/documents.h,
// null for a missed review), "missed_before", "entries", "measures" (as
// measure_json), "follow_ups", "escalations" (with "reason" in English and
// "facts"), "open_items" (English, one line each) and "can_close".
std::string review_json(const ReviewDetails& details);
// What `review list --format json` prints: {"reviews": [the review's fields
// plus "open_items"]}, indented by 2.
std::string reviews_json(const std::vector<ReviewSummary>& reviews);
// What `evaluate --explain GOAL --format json` prints, indented by 2:
// {"period", "goal" (as in `evaluate`), "metrics" [{"id", "unit", "formula"}],
// "inputs" [{"metric", "month", "used", "revisions"}]}.
std::string explanation_json(const GoalExplanation& explanation, YearMonth period);

// ---- The audit trail ---------------------------------------------------

inline constexpr std::int64_t kAuditQueryDefaultLimit = 50;

// An audit query as a person asks it, in text: `audit query`'s options or the
// dashboard's URL parameters. Empty strings and lists filter nothing.
struct AuditQueryRequest {
  std::string goal;                  // records about this goal
  std::string measure;               // ... this measure (its id)
  std::string review;                // ... this review (workflow/reviewed month)
  std::vector<std::string> objects;  // "KIND:ID", e.g. "import:3"; each must hold
  std::string actor;                 // records by this actor
  // Any of these operations (audit_operations()) or prefixes such as "measure.*".
  std::vector<std::string> operations;
  // A date (since: from its start; until: up to its end), a local time
  // YYYY-MM-DDTHH:MM in the project's time zone, or UTC as stored (...Z).
  std::string since;
  std::string until;                             // inclusive
  std::int64_t limit = kAuditQueryDefaultLimit;  // at least 1, even with `all`
  bool all = false;                              // no limit
  bool oldest_first = false;
};

// The storage query the request means. Refused as ErrorKind::usage, naming the
// option as `option_prefix` + its name: "" (the default) for URL parameters
// ("since"), "--" for the command line ("--since"). Refused: an object that is
// not KIND:ID or of an unknown kind, an unknown operation or a prefix no
// operation has (both with a did-you-mean and the list of names, since a typo
// would silently match nothing), a time that does not parse, until not after
// since, limit < 1.
Result<storage::AuditQuery> audit_query(const Project& project, const AuditQueryRequest& request,
                                        std::string_view option_prefix = "");

// One record as it appears in "records": its payload's fields (details
// included) plus "hash" and "previous_hash", compact. A payload that is not a
// JSON object (written outside zielwerk; `audit verify` names it) is shown by
// its columns with empty "objects" and "details" and "unreadable_payload":
// true. Text that is not UTF-8 is shown with U+FFFD rather than refused.
std::string audit_record_json(const storage::AuditRecord& record);

// What `audit query --format json` prints: {"order": "newest_first" or
// "oldest_first", "total" (matching records without the limit), "records":
// [...]}, the envelope laid out with an indent of 2 and each record as
// audit_record_json() on a line of its own. Written record by record inside one
// Database::snapshot, so an --all answer is never held whole and "total" and
// "records" belong to the same moment. `oldest_first` is the request's, which
// audit_query() turned into the query's order; one that contradicts the query
// is a programming error (std::logic_error). On an error (ErrorKind::storage)
// part of the document may have been written already: buffer it to answer all
// or nothing.
Status write_audit_query_json(storage::Database& database, const storage::AuditQuery& query,
                              bool oldest_first, std::ostream& out);

// A record as tables show it: its columns, what its payload says (read once:
// an --all CSV can have millions of rows) and one line on what it did.
struct AuditEntry {
  storage::AuditRecord record;
  std::vector<storage::AuditObject> objects;
  std::string details_json = "{}";  // compact
  std::string file_hash;
  // What the operation has to say in a line, e.g. "refused measure.add: ...",
  // "kpi.csv (12 new, 0 revised)", a measure's title or its changes; may be empty.
  std::string note;
  bool unreadable_payload = false;  // written outside zielwerk: `audit verify` names it
};
AuditEntry audit_entry(const storage::AuditRecord& record);

// The records an audit query matches, for pages that show them as a table.
// Read in one snapshot; "total" counts the matches without the limit.
struct AuditPage {
  std::int64_t total = 0;
  std::vector<AuditEntry> entries;
};
Result<AuditPage> audit_page(storage::Database& database, const storage::AuditQuery& query);

// What `audit export` writes, JSON Lines: one line per record, oldest first,
// {"hash", "payload", "previous_hash", "seq"} with the payload as the stored
// text; each line without its "\n" is the record's Merkle leaf
// (storage/audit_line.h), so an export alone recomputes chain and tree.
// Read in one snapshot, so records appended meanwhile are the next export's.
// Returns how many records it wrote; on an error part of it may have been
// written.
Result<std::int64_t> write_audit_export(storage::Database& database, std::ostream& out);

}  // namespace zielwerk::engine
