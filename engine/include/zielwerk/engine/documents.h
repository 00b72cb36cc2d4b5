// The one JSON form of the documents the follow-up stores, and the mapping of
// the rows that carry them to domain values.
//
// A prepared review stores two documents: its snapshot (the evaluation it was
// based on, with the imports read) and its agenda. Beside them an escalation
// stores its facts and a follow-up what it changed. Storage keeps their bytes
// (the audit trail vouches for them) and knows nothing of their shape; this is
// the only code that writes or reads them, so every other module passes
// domain::Agenda, domain::Snapshot, ... and never JSON.
//
// Versions: an agenda carries "agenda_version" and a snapshot
// "snapshot_version". Version 2: escalations keep facts instead of English
// sentences. Version 3: a target goal carries its Soll path (soll, soll_gap,
// soll_source, judged_against, judged_tolerance), the previous year's values
// (previous_year, previous, change_pct), its relative or planned change and
// whether its value is provisional; its target may be null (a relative target
// without the previous year). Documents without the key are version 1, as
// zielwerk wrote them before. Older versions read as well: an escalation of
// version 1 keeps its sentence (domain::EscalationFacts::legacy_reason), a goal
// of version 1 or 2 has no Soll and was judged against its target. A version
// above the one this build writes was written by a newer zielwerk and is
// refused.
//
// Encoding is canonical: keys sorted, no whitespace, numbers as JSON numbers,
// a missing value as null; encoding what was decoded from a current document
// gives the same bytes. The evaluation is the contract's `evaluate --format
// json` document (docs/evaluation.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "zielwerk/common/error.h"
#include "zielwerk/domain/agenda.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"
#include "zielwerk/domain/review.h"
#include "zielwerk/storage/measure_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::engine {

inline constexpr int kAgendaVersion = 3;
inline constexpr int kSnapshotVersion = 3;

std::string encode_agenda(const domain::Agenda& agenda);
std::string encode_snapshot(const domain::Snapshot& snapshot);
// `indent` as for `evaluate --format json` (2) or compact (-1).
std::string encode_evaluation(const domain::Evaluation& evaluation, int indent = -1);
std::string encode_escalation_facts(const domain::EscalationFacts& facts);
std::string encode_field_changes(const std::vector<domain::FieldChange>& changes);

// Text that is not such a document is ErrorKind::storage, naming where it
// fails ("goals[3].status: expected a goal status, got 7").
Result<domain::Agenda> decode_agenda(std::string_view text);
Result<domain::Snapshot> decode_snapshot(std::string_view text);
Result<std::vector<domain::FieldChange>> decode_field_changes(std::string_view text);
// Never fails: text that is not a facts object is the sentence an escalation
// of version 1 stored.
domain::EscalationFacts decode_escalation_facts(std::string_view text);

// Stored rows as domain values and back. A review whose documents do not read
// is ErrorKind::storage naming the review and what to do.
Result<domain::Review> review_of(const storage::ReviewRecord& record);
storage::ReviewRecord record_of(const domain::Review& review);
domain::Escalation escalation_of(const storage::EscalationRecord& record);
storage::EscalationRecord record_of(const domain::Escalation& escalation);
Result<domain::MeasureFollowUp> follow_up_of(const storage::FollowUpRecord& record);
storage::FollowUpRecord record_of(const domain::MeasureFollowUp& follow_up);

}  // namespace zielwerk::engine
