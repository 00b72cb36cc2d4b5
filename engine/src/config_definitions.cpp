#include "config_definitions.h"

#include <nlohmann/json.hpp>

#include "document_json.h"
#include "zielwerk/engine/json_views.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;

std::string frequency_name(workflows::Frequency frequency) {
  return frequency == workflows::Frequency::monthly ? "monthly" : "quarterly";
}

std::string holiday_rule_name(workflows::HolidayRule rule) {
  switch (rule) {
    case workflows::HolidayRule::skip:
      return "skip";
    case workflows::HolidayRule::next_business_day:
      return "next_business_day";
    case workflows::HolidayRule::previous_business_day:
      return "previous_business_day";
  }
  return "?";
}

}  // namespace

std::string project_definitions_json(const rules::ProjectConfig& config) {
  json definitions = json::object();
  for (const auto& actor : config.actors) {
    json roles = json::array();
    for (const auto role : actor.roles)
      roles.push_back(rules::to_string(role));
    definitions["actor/" + actor.id] = {
        {"name", actor.name}, {"party", actor.party}, {"roles", std::move(roles)}};
  }
  json regional = json::array();
  for (const auto& [id, location] : config.regional_holidays)
    regional.push_back(id);
  definitions["settings"] = {{"time_zone", config.time_zone},
                             {"holiday_region", config.holiday_region},
                             {"regional_holidays", std::move(regional)},
                             {"region", config.region}};
  return dump_tolerant(definitions);
}

std::string workflow_definitions_json(const std::vector<workflows::Workflow>& workflows) {
  json definitions = json::object();
  for (const auto& workflow : workflows) {
    const auto& scope = workflow.scope;
    const auto& meetings = workflow.meetings;
    json demand_on = json::array();
    for (const auto status : workflow.escalation.demand_measure_on)
      demand_on.push_back(rules::to_string(status));
    definitions[workflow.id] = {
        {"title", workflow.title},
        {"participants", workflow.participants},
        {"scope",
         {{"responsibility", scope.responsibility ? json(*scope.responsibility) : json(nullptr)},
          {"sections", scope.sections},
          {"goals", scope.goals}}},
        {"meetings",
         {{"frequency", frequency_name(meetings.frequency)},
          {"weekday", meetings.weekday.c_encoding()},
          {"week", meetings.week},
          {"time", time_of_day_text(meetings.time_of_day)},
          {"on_holiday", holiday_rule_name(meetings.on_holiday)},
          {"reviews_month", meetings.reviews_month},
          {"prepare_days_before", meetings.prepare_days_before}}},
        {"escalation",
         {{"demand_measure_on", std::move(demand_on)},
          {"demand_measure_after", workflow.escalation.demand_measure_after},
          {"overdue_measures_to", workflow.escalation.overdue_measures_to}}},
    };
  }
  return dump_tolerant(definitions);
}

}  // namespace zielwerk::engine
