// Inside the engine: what the workflow operations (run, reviews, measures)
// share: finding a stored review and its workflow with the refusals every
// command recording in a review gives, the missed reviews before one, and the
// audit event of a change.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/domain/audit_vocabulary.h"
#include "zielwerk/engine/project.h"
#include "zielwerk/storage/audit_log.h"
#include "zielwerk/storage/database.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {

const workflows::Workflow* find_workflow(const Project& project, std::string_view id);

// The ids of the goals the workflow's scope selects, in declaration order.
std::vector<std::string> goal_ids_in_scope(const Project& project,
                                           const workflows::Workflow& workflow);
bool in_scope(const Project& project, const workflows::Workflow& workflow,
              std::string_view goal_id);

// The workflow of the stored review `review_id`, if the project still defines
// it; empty otherwise (the operation itself then says why it cannot go on).
std::string workflow_of_review(const Project& project, storage::Database& database,
                               const std::string& review_id);

// The stored review; an unknown id is a usage error with a did-you-mean.
Result<storage::ReviewRecord> stored_review(storage::Database& database, const std::string& id);

// The stored review with its snapshot and agenda read (engine/documents.h);
// unknown as for stored_review, documents that do not read ErrorKind::storage.
Result<domain::Review> load_review(storage::Database& database, const std::string& id);

// A prepared review of a workflow the project still defines, or a usage error
// naming why not; `refused` says what cannot be done ("no measure can be agreed in it").
Result<const workflows::Workflow*> open_review_workflow(const Project& project,
                                                        const storage::ReviewRecord& review,
                                                        const std::string& refused);

// The missed reviews among `reviews_of_workflow` since the last held one
// before the reviewed month `period`, by reviewed month.
std::vector<std::string> missed_before(std::vector<storage::ReviewRecord> reviews_of_workflow,
                                       YearMonth period);

// `work()` (a Result or Status) with every read it does guarded: a failure
// of SQLite outside its write transactions (a damaged page, a lock held
// beyond the timeout) becomes ErrorKind::storage instead of an exception.
template <typename Work>
auto guarded(storage::Database& database, Work work) -> decltype(work()) {
  std::optional<decltype(work())> result;
  const Status read = database.read([&]() -> Status {
    result.emplace(work());
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*result);
}

// True for text that is empty or only white space.
bool is_blank(const std::string& text);

// The audit event of a change by `actor` at `now` under the project's rule set.
storage::AuditEvent audit_event(const Project& project, const std::string& actor, Timestamp now,
                                domain::AuditOperation operation,
                                std::vector<storage::AuditObject> objects,
                                const nlohmann::json& details);

}  // namespace zielwerk::engine
