// Inside the engine: the documents of engine/documents.h as nlohmann::json
// values, for the JSON views that nest them (review show, measure list) so
// that they are written once and never parsed back.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "zielwerk/domain/agenda.h"
#include "zielwerk/domain/escalation.h"
#include "zielwerk/domain/measure.h"

namespace zielwerk::engine {

nlohmann::json agenda_json(const domain::Agenda& agenda);
nlohmann::json snapshot_json(const domain::Snapshot& snapshot);
nlohmann::json evaluation_object(const domain::Evaluation& evaluation);
nlohmann::json escalation_facts_json(const domain::EscalationFacts& facts);
nlohmann::json field_changes_json(const std::vector<domain::FieldChange>& changes);

// Text as JSON keeps what it can: bytes that are not UTF-8 become U+FFFD
// instead of failing the document (a stored byte must never stop a writer).
std::string dump_tolerant(const nlohmann::json& value, int indent = -1);

}  // namespace zielwerk::engine
