// Inside the engine: the configuration a change is made under, as canonical
// JSON, for the audit trail's project.change and workflow.change records.
// Only what decides who may do what and when: actors with their party and
// roles, the calendar settings, each workflow's participants, scope, meeting
// rule and escalation. Never the dashboard's token or the database path.
#pragma once

#include <string>

#include "zielwerk/engine/project.h"

namespace zielwerk::engine {

// {"actor/<id>": {"name", "party", "roles"}, ..., "settings": {"time_zone",
// "holiday_region", "regional_holidays", "region"}}, keys sorted.
std::string project_definitions_json(const rules::ProjectConfig& config);
// {"<workflow id>": {"title", "participants", "scope", "meetings", "escalation"}}.
std::string workflow_definitions_json(const std::vector<workflows::Workflow>& workflows);

}  // namespace zielwerk::engine
