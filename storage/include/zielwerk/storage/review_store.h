// Review meetings as they happened: prepared (with the evaluation snapshot and
// agenda frozen at preparation), missed, or closed; the minutes recorded in
// them; and the escalations put on their agendas. What they mean is
// domain/review.h and domain/escalation.h; this stores them.
//
// A review's id is its meeting's identity ("workflow/reviewed month"). The
// table's primary key makes a second preparation of one meeting impossible,
// whichever process tries; the engine checks first, inside the same write
// transaction, so it never even tries.
//
// The snapshot, the agenda and an escalation's facts are stored as the JSON
// documents the engine wrote (its one codec, engine/documents.h); storage
// keeps their bytes, which the audit trail vouches for, and knows nothing of
// their shape.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/review.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::storage {

struct ReviewRecord : domain::ReviewInfo {
  std::string snapshot_json;  // empty for a missed review
  std::string agenda_json;    // empty for a missed review
};

// Inside Database::write. insert_review throws when the id exists.
void insert_review(Database& database, const ReviewRecord& review);
void close_review_record(Database& database, const std::string& id, Timestamp closed_at,
                         const std::string& actor);

std::optional<ReviewRecord> find_review(Database& database, const std::string& id);
// By meeting start, then id; `workflow` empty: all.
std::vector<ReviewRecord> load_reviews(Database& database, const std::string& workflow = {});

// The snapshot of the review of reviewed month `period` prepared last (several
// workflows may review one month; a missed one has none): its id, when it was
// prepared and the snapshot's bytes. One row, without the agenda: what the
// region's overview reads per agreement.
struct ReviewSnapshot {
  std::string id;
  Timestamp prepared_at{};
  std::string snapshot_json;
};
std::optional<ReviewSnapshot> latest_snapshot_of_period(Database& database, YearMonth period);

// Returns the entry's id.
std::int64_t insert_review_entry(Database& database, const domain::ReviewEntry& entry);
std::vector<domain::ReviewEntry> load_review_entries(Database& database,
                                                     const std::string& review_id);

struct EscalationRecord : domain::EscalationInfo {
  std::string facts_json;  // the engine's JSON of domain::EscalationFacts
};

// Whether (kind, subject, workflow) was raised before.
bool escalation_raised(Database& database, domain::EscalationKind kind, const std::string& subject,
                       const std::string& workflow);
// The new escalation's id; nullopt (nothing written) when (kind, subject,
// workflow) was raised before.
std::optional<std::int64_t> insert_escalation(Database& database,
                                              const EscalationRecord& escalation);
// Puts every escalation of `workflow` not on an agenda yet onto `review_id`'s
// and returns their ids.
std::vector<std::int64_t> attach_pending_escalations(Database& database,
                                                     const std::string& workflow,
                                                     const std::string& review_id);
// `review_id` empty: those not on an agenda yet.
std::vector<EscalationRecord> load_escalations(Database& database, const std::string& workflow,
                                               const std::string& review_id);
std::vector<EscalationRecord> load_all_escalations(Database& database);

}  // namespace zielwerk::storage
