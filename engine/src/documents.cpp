#include "zielwerk/engine/documents.h"

#include <algorithm>
#include <optional>
#include <string>

#include "document_json.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/timestamp.h"

namespace zielwerk::engine {
namespace {

using domain::AgendaGoal;
using nlohmann::json;

json number_or_null(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json date_or_null(const std::optional<std::chrono::year_month_day>& date) {
  return date ? json(format_date(*date)) : json(nullptr);
}

json time_or_null(const std::optional<Timestamp>& time) {
  return time ? json(format_timestamp(*time)) : json(nullptr);
}

json goal_json(const AgendaGoal& goal) {
  json object = {
      {"id", goal.id},
      {"title", goal.title},
      {"section", goal.section},
      {"kind", rules::to_string(goal.kind)},
      {"responsibility", goal.responsibility},
      {"binding", goal.binding},
      {"status", rules::to_string(goal.status)},
  };
  const std::string unit = goal.unit ? rules::to_string(*goal.unit) : "count";
  switch (goal.kind) {
    case rules::GoalKind::target:
      object["metric"] = goal.metric;
      object["actual"] = number_or_null(goal.actual);
      object["provisional"] = goal.provisional;
      object["target"] = number_or_null(goal.target);
      object["op"] = rules::to_string(goal.op.value_or(rules::Comparison::at_least));
      object["unit"] = unit;
      object["tolerance"] = goal.tolerance;
      object["target_change_pct"] = number_or_null(goal.target_change_pct);
      object["planned_change_pct"] = number_or_null(goal.planned_change_pct);
      object["previous_year"] = number_or_null(goal.previous_year);
      object["previous"] = number_or_null(goal.previous);
      object["change_pct"] = number_or_null(goal.change_pct);
      object["soll"] = number_or_null(goal.soll);
      object["soll_gap"] = number_or_null(goal.soll_gap());
      object["soll_source"] =
          goal.soll_source ? json(rules::to_string(*goal.soll_source)) : json(nullptr);
      if (!goal.soll && !goal.soll_why_missing.empty()) {
        object["soll_why_missing"] = goal.soll_why_missing;
      }
      object["judged_against"] = rules::to_string(goal.judged_against);
      object["judged_tolerance"] = goal.judged_tolerance;
      if (goal.forecast) {
        object["forecast"] = {
            {"period", goal.forecast->period.to_string()},
            {"value", number_or_null(goal.forecast->value)},
            {"status", rules::to_string(goal.forecast->status)},
            {"best_case", number_or_null(goal.forecast->best_case)},
            {"reachable", goal.forecast->reachable},
        };
      }
      break;
    case rules::GoalKind::monitoring:
      object["metric"] = goal.metric;
      object["actual"] = number_or_null(goal.actual);
      object["provisional"] = goal.provisional;
      object["previous"] = number_or_null(goal.previous);
      object["change_pct"] = number_or_null(goal.change_pct);
      object["unit"] = unit;
      break;
    case rules::GoalKind::milestone: {
      json milestones = json::array();
      for (const auto& m : goal.milestones) {
        milestones.push_back({{"id", m.id},
                              {"title", m.title},
                              {"due", format_date(m.due)},
                              {"done_on", date_or_null(m.done_on)},
                              {"status", rules::to_string(m.status)}});
      }
      object["milestones"] = std::move(milestones);
      break;
    }
  }
  if (goal.status == rules::GoalStatus::no_data) object["why_missing"] = goal.why_missing;
  return object;
}

json measure_json(const domain::AgendaMeasure& measure) {
  return {
      {"id", measure.id},
      {"goal", measure.goal},
      {"title", measure.title},
      {"agreed_in", measure.agreed_in},
      {"owner", measure.owner},
      {"assignee", measure.assignee},
      {"due", format_date(measure.due)},
      {"follow_up", date_or_null(measure.follow_up)},
      {"status", domain::to_string(measure.status)},
      {"overdue", measure.overdue},
      {"follow_up_due", measure.follow_up_due},
  };
}

json escalation_json(const domain::AgendaEscalation& escalation) {
  return {
      {"kind", domain::to_string(escalation.kind)},
      {"goal", escalation.goal},
      {"measure", escalation.measure ? json(*escalation.measure) : json(nullptr)},
      {"milestone", text_or_null(escalation.milestone)},
      {"party", escalation.party},
      {"raised_at", format_timestamp(escalation.raised_at)},
      {"facts", escalation_facts_json(escalation.facts)},
  };
}

// ---- Reading -------------------------------------------------------------

// Reads one document, remembering the first thing that does not fit (with
// its path), so a damaged document is one clear error instead of a crash or
// a silently wrong field.
class Reader {
 public:
  explicit Reader(std::string document) : document_(std::move(document)) {}

  bool failed() const { return !problem_.empty(); }
  Error error() const {
    return Error::storage("the stored " + document_ + " does not read: " + problem_);
  }
  void fail(const std::string& path, const std::string& problem) {
    if (problem_.empty()) problem_ = (path.empty() ? "" : path + ": ") + problem;
  }

  const json* field(const json& object, const std::string& path, const char* key) {
    if (!object.is_object()) {
      fail(path, "expected an object");
      return nullptr;
    }
    const auto it = object.find(key);
    if (it == object.end()) {
      fail(join(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }
  // Absent or null: nullopt; anything but the expected type is a problem.
  std::string text(const json& object, const std::string& path, const char* key) {
    const json* value = field(object, path, key);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      fail(join(path, key), "expected a text");
      return {};
    }
    return value->get<std::string>();
  }
  std::string optional_text(const json& object, const std::string& path, const char* key) {
    const auto it = object.is_object() ? object.find(key) : object.end();
    if (it == object.end() || it->is_null()) return {};
    return text(object, path, key);
  }
  bool boolean(const json& object, const std::string& path, const char* key) {
    const json* value = field(object, path, key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      fail(join(path, key), "expected true or false");
      return false;
    }
    return value->get<bool>();
  }
  std::optional<double> number(const json& object, const std::string& path, const char* key) {
    const auto it = object.is_object() ? object.find(key) : object.end();
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) {
      fail(join(path, key), "expected a number");
      return std::nullopt;
    }
    return it->get<double>();
  }
  std::optional<std::int64_t> integer(const json& object, const std::string& path,
                                      const char* key) {
    const auto it = object.is_object() ? object.find(key) : object.end();
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) {
      fail(join(path, key), "expected a whole number");
      return std::nullopt;
    }
    return it->get<std::int64_t>();
  }
  std::optional<std::chrono::year_month_day> date(const json& object, const std::string& path,
                                                  const char* key) {
    const std::string value = optional_text(object, path, key);
    if (value.empty()) return std::nullopt;
    const auto parsed = parse_date(value);
    if (!parsed) fail(join(path, key), "expected a date YYYY-MM-DD, got '" + value + "'");
    return parsed;
  }
  std::optional<Timestamp> time(const json& object, const std::string& path, const char* key) {
    const std::string value = optional_text(object, path, key);
    if (value.empty()) return std::nullopt;
    const auto parsed = parse_timestamp(value);
    if (!parsed) fail(join(path, key), "expected a UTC time, got '" + value + "'");
    return parsed;
  }
  YearMonth month(const json& object, const std::string& path, const char* key) {
    const std::string value = text(object, path, key);
    const auto parsed = YearMonth::parse(value);
    if (!parsed && !failed())
      fail(join(path, key), "expected a month YYYY-MM, got '" + value + "'");
    return parsed.value_or(YearMonth{});
  }
  template <typename T, typename Parse>
  std::optional<T> name(const json& object, const std::string& path, const char* key, Parse parse,
                        const char* what) {
    const std::string value = text(object, path, key);
    if (failed()) return std::nullopt;
    const auto parsed = parse(value);
    if (!parsed) fail(join(path, key), std::string("expected ") + what + ", got '" + value + "'");
    return parsed;
  }
  // The array at `key` (absent: none), each element visited with its path.
  template <typename Visit>
  void each(const json& object, const std::string& path, const char* key, Visit visit) {
    const json* value = field(object, path, key);
    if (value == nullptr) return;
    if (!value->is_array()) {
      fail(join(path, key), "expected a list");
      return;
    }
    for (std::size_t i = 0; i < value->size() && !failed(); ++i)
      visit((*value)[i], join(path, key) + "[" + std::to_string(i) + "]");
  }
  // The document's version under `key`: 1 when absent.
  int version(const json& document, const char* key, int newest) {
    const auto it = document.find(key);
    if (it == document.end()) return 1;
    if (!it->is_number_integer() || it->get<int>() < 1) {
      fail(key, "expected a version number");
      return 0;
    }
    const int version = it->get<int>();
    if (version > newest) {
      fail(key, std::to_string(version) +
                    " was written by a newer zielwerk (this one reads up to " +
                    std::to_string(newest) + ")");
    }
    return version;
  }

 private:
  static std::string join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }
  std::string document_;
  std::string problem_;
};

std::optional<rules::GoalKind> parse_goal_kind(std::string_view text) {
  for (const auto kind :
       {rules::GoalKind::target, rules::GoalKind::monitoring, rules::GoalKind::milestone}) {
    if (rules::to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

std::optional<rules::Unit> parse_unit(std::string_view text) {
  for (const auto unit : {rules::Unit::count, rules::Unit::percent, rules::Unit::eur}) {
    if (rules::to_string(unit) == text) return unit;
  }
  return std::nullopt;
}

std::optional<rules::Comparison> parse_comparison(std::string_view text) {
  for (const auto op : {rules::Comparison::at_least, rules::Comparison::more_than,
                        rules::Comparison::at_most, rules::Comparison::less_than}) {
    if (rules::to_string(op) == text) return op;
  }
  return std::nullopt;
}

std::optional<rules::SollPathSpec::Source> parse_soll_source(std::string_view text) {
  using Source = rules::SollPathSpec::Source;
  for (const auto source : {Source::previous_year, Source::flat, Source::declared, Source::plan}) {
    if (rules::to_string(source) == text) return source;
  }
  return std::nullopt;
}

std::optional<rules::Reference> parse_reference(std::string_view text) {
  for (const auto reference : {rules::Reference::soll, rules::Reference::target}) {
    if (rules::to_string(reference) == text) return reference;
  }
  return std::nullopt;
}

// Any non-empty label: the sides are the agreement's (a stored document keeps
// the one its goal had when it was written).
std::optional<rules::Responsibility> parse_responsibility(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return rules::Responsibility(text);
}

AgendaGoal read_goal(Reader& reader, const json& object, const std::string& path) {
  AgendaGoal goal;
  goal.id = reader.text(object, path, "id");
  goal.title = reader.text(object, path, "title");
  goal.section = reader.text(object, path, "section");
  goal.kind = reader.name<rules::GoalKind>(object, path, "kind", parse_goal_kind, "a goal kind")
                  .value_or(rules::GoalKind::target);
  goal.responsibility = reader
                            .name<rules::Responsibility>(object, path, "responsibility",
                                                         parse_responsibility, "a side label")
                            .value_or(rules::Responsibility("BA"));
  goal.binding = reader.boolean(object, path, "binding");
  goal.status = reader
                    .name<rules::GoalStatus>(object, path, "status", rules::parse_goal_status,
                                             "a goal status")
                    .value_or(rules::GoalStatus::no_data);
  if (goal.kind != rules::GoalKind::milestone) {
    goal.metric = reader.text(object, path, "metric");
    goal.actual = reader.number(object, path, "actual");
    goal.unit = reader.name<rules::Unit>(object, path, "unit", parse_unit, "a unit");
    // Absent before version 3, when zielwerk did not tell provisional figures apart.
    if (object.contains("provisional"))
      goal.provisional = reader.boolean(object, path, "provisional");
  }
  if (goal.kind == rules::GoalKind::target) {
    goal.target = reader.number(object, path, "target");
    goal.op = reader.name<rules::Comparison>(object, path, "op", parse_comparison,
                                             "a comparison (>=, >, <=, <)");
    goal.tolerance = reader.number(object, path, "tolerance").value_or(0.0);
    // Before version 3 a goal had no Soll path and was judged against its
    // target with its tolerance: what the defaults below say.
    goal.target_change_pct = reader.number(object, path, "target_change_pct");
    goal.planned_change_pct = reader.number(object, path, "planned_change_pct");
    goal.previous_year = reader.number(object, path, "previous_year");
    goal.previous = reader.number(object, path, "previous");
    goal.change_pct = reader.number(object, path, "change_pct");
    goal.soll = reader.number(object, path, "soll");
    if (!reader.optional_text(object, path, "soll_source").empty()) {
      goal.soll_source = reader.name<rules::SollPathSpec::Source>(
          object, path, "soll_source", parse_soll_source, "a Soll path source");
    }
    goal.soll_why_missing = reader.optional_text(object, path, "soll_why_missing");
    if (!reader.optional_text(object, path, "judged_against").empty()) {
      goal.judged_against = reader
                                .name<rules::Reference>(object, path, "judged_against",
                                                        parse_reference, "soll or target")
                                .value_or(rules::Reference::target);
    }
    goal.judged_tolerance =
        reader.number(object, path, "judged_tolerance").value_or(goal.tolerance);
    if (object.contains("forecast") && !object["forecast"].is_null()) {
      const json& forecast = object["forecast"];
      const std::string at = path + ".forecast";
      domain::ForecastFacts facts;
      facts.period = reader.month(forecast, at, "period");
      facts.value = reader.number(forecast, at, "value");
      facts.status = reader
                         .name<rules::GoalStatus>(forecast, at, "status", rules::parse_goal_status,
                                                  "a goal status")
                         .value_or(rules::GoalStatus::no_data);
      facts.best_case = reader.number(forecast, at, "best_case");
      facts.reachable = reader.boolean(forecast, at, "reachable");
      goal.forecast = facts;
    }
  } else if (goal.kind == rules::GoalKind::monitoring) {
    goal.previous = reader.number(object, path, "previous");
    goal.change_pct = reader.number(object, path, "change_pct");
  } else {
    reader.each(object, path, "milestones", [&](const json& item, const std::string& at) {
      domain::MilestoneFacts milestone;
      milestone.id = reader.text(item, at, "id");
      milestone.title = reader.text(item, at, "title");
      milestone.due = reader.date(item, at, "due").value_or(std::chrono::year_month_day{});
      milestone.done_on = reader.date(item, at, "done_on");
      milestone.status = reader
                             .name<rules::GoalStatus>(item, at, "status", rules::parse_goal_status,
                                                      "a goal status")
                             .value_or(rules::GoalStatus::open);
      goal.milestones.push_back(std::move(milestone));
    });
  }
  if (goal.status == rules::GoalStatus::no_data) {
    goal.why_missing = reader.optional_text(object, path, "why_missing");
  }
  return goal;
}

domain::Evaluation read_evaluation(Reader& reader, const json& object, const std::string& path) {
  domain::Evaluation evaluation;
  evaluation.agreement = reader.text(object, path, "agreement");
  evaluation.period = reader.month(object, path, "period");
  evaluation.known_at = reader.time(object, path, "known_at");
  evaluation.rule_set_version = reader.text(object, path, "rule_set_version");
  reader.each(object, path, "goals", [&](const json& item, const std::string& at) {
    evaluation.goals.push_back(read_goal(reader, item, at));
  });
  return evaluation;
}

domain::EscalationFacts read_facts(Reader& reader, const json& object, const std::string& path) {
  domain::EscalationFacts facts;
  facts.due = reader.date(object, path, "due");
  if (object.contains("status") && !object["status"].is_null()) {
    facts.status = reader.name<domain::MeasureStatus>(
        object, path, "status", domain::parse_measure_status, "a measure status");
  }
  facts.owner = reader.optional_text(object, path, "owner");
  facts.title = reader.optional_text(object, path, "title");
  facts.legacy_reason = reader.optional_text(object, path, "reason");
  if (object.contains("history")) {
    reader.each(object, path, "history", [&](const json& item, const std::string& at) {
      domain::ReviewedStatus step;
      step.period = reader.month(item, at, "period");
      step.status = reader
                        .name<rules::GoalStatus>(item, at, "status", rules::parse_goal_status,
                                                 "a goal status")
                        .value_or(rules::GoalStatus::no_data);
      facts.history.push_back(step);
    });
  }
  return facts;
}

Result<json> parse_object(std::string_view text, const std::string& what) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return Error::storage("the stored " + what + " does not read: it is not a JSON object");
  }
  return document;
}

}  // namespace

// ---- Writing -------------------------------------------------------------

std::string dump_tolerant(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

json escalation_facts_json(const domain::EscalationFacts& facts) {
  json history = json::array();
  for (const auto& step : facts.history)
    history.push_back(
        {{"period", step.period.to_string()}, {"status", rules::to_string(step.status)}});
  json object = {
      {"due", date_or_null(facts.due)},
      {"status", facts.status ? json(domain::to_string(*facts.status)) : json(nullptr)},
      {"owner", text_or_null(facts.owner)},
      {"title", text_or_null(facts.title)},
      {"history", std::move(history)},
  };
  // Only escalations of version 1 have a sentence; a current one has none.
  if (!facts.legacy_reason.empty()) object["reason"] = facts.legacy_reason;
  return object;
}

json field_changes_json(const std::vector<domain::FieldChange>& changes) {
  json object = json::object();
  const auto value = [](const std::optional<std::string>& text) {
    return text ? json(*text) : json(nullptr);
  };
  for (const auto& change : changes)
    object[domain::to_string(change.field)] = {value(change.before), value(change.after)};
  return object;
}

json evaluation_object(const domain::Evaluation& evaluation) {
  json goals = json::array();
  for (const auto& goal : evaluation.goals)
    goals.push_back(goal_json(goal));
  return {
      {"agreement", evaluation.agreement},
      {"period", evaluation.period.to_string()},
      {"known_at", time_or_null(evaluation.known_at)},
      {"rule_set_version", evaluation.rule_set_version},
      {"goals", std::move(goals)},
  };
}

json agenda_json(const domain::Agenda& agenda) {
  json goals = json::array();
  for (const auto& goal : agenda.goals)
    goals.push_back(goal_json(goal));
  json measures = json::array();
  for (const auto& measure : agenda.measures)
    measures.push_back(measure_json(measure));
  json escalations = json::array();
  for (const auto& escalation : agenda.escalations)
    escalations.push_back(escalation_json(escalation));
  return {
      {"agenda_version", kAgendaVersion},
      {"review", agenda.review},
      {"workflow", agenda.workflow},
      {"title", agenda.title},
      {"participants", agenda.participants},
      {"period", agenda.period.to_string()},
      {"meeting_date", format_date(agenda.meeting_date)},
      {"starts_at", format_timestamp(agenda.starts_at)},
      {"holiday", text_or_null(agenda.holiday)},
      {"late", agenda.late},
      {"goals", std::move(goals)},
      {"measures", std::move(measures)},
      {"escalations", std::move(escalations)},
      {"missed_reviews", agenda.missed_reviews},
  };
}

json snapshot_json(const domain::Snapshot& snapshot) {
  json revisions = json::array();
  for (const auto& revision : snapshot.data_revisions) {
    revisions.push_back({{"import", revision.import_id},
                         {"file", revision.file},
                         {"sha256", revision.sha256},
                         {"imported_at", format_timestamp(revision.imported_at)},
                         {"rows", revision.rows}});
  }
  return {
      {"snapshot_version", kSnapshotVersion},
      {"evaluation", evaluation_object(snapshot.evaluation)},
      {"figures_known_at", time_or_null(snapshot.figures_known_at)},
      {"prepared_at", format_timestamp(snapshot.prepared_at)},
      {"data_revisions", std::move(revisions)},
  };
}

std::string encode_agenda(const domain::Agenda& agenda) {
  return dump_tolerant(agenda_json(agenda));
}

std::string encode_snapshot(const domain::Snapshot& snapshot) {
  return dump_tolerant(snapshot_json(snapshot));
}

std::string encode_evaluation(const domain::Evaluation& evaluation, int indent) {
  return dump_tolerant(evaluation_object(evaluation), indent);
}

std::string encode_escalation_facts(const domain::EscalationFacts& facts) {
  return dump_tolerant(escalation_facts_json(facts));
}

std::string encode_field_changes(const std::vector<domain::FieldChange>& changes) {
  return dump_tolerant(field_changes_json(changes));
}

Result<domain::Agenda> decode_agenda(std::string_view text) {
  auto parsed = parse_object(text, "agenda");
  if (!parsed) return parsed.error();
  const json& document = parsed.value();
  Reader reader("agenda");
  const int version = reader.version(document, "agenda_version", kAgendaVersion);
  domain::Agenda agenda;
  agenda.review = reader.text(document, "", "review");
  agenda.workflow = reader.text(document, "", "workflow");
  agenda.title = reader.text(document, "", "title");
  reader.each(document, "", "participants", [&](const json& item, const std::string& at) {
    if (!item.is_string()) return reader.fail(at, "expected a party id");
    agenda.participants.push_back(item.get<std::string>());
  });
  agenda.period = reader.month(document, "", "period");
  agenda.meeting_date =
      reader.date(document, "", "meeting_date").value_or(std::chrono::year_month_day{});
  agenda.starts_at = reader.time(document, "", "starts_at").value_or(Timestamp{});
  agenda.holiday = reader.optional_text(document, "", "holiday");
  agenda.late = reader.boolean(document, "", "late");
  reader.each(document, "", "goals", [&](const json& item, const std::string& at) {
    agenda.goals.push_back(read_goal(reader, item, at));
  });
  reader.each(document, "", "measures", [&](const json& item, const std::string& at) {
    domain::AgendaMeasure measure;
    measure.id = reader.integer(item, at, "id").value_or(0);
    measure.goal = reader.text(item, at, "goal");
    measure.title = reader.text(item, at, "title");
    measure.agreed_in = reader.text(item, at, "agreed_in");
    measure.owner = reader.text(item, at, "owner");
    measure.assignee = reader.text(item, at, "assignee");
    measure.due = reader.date(item, at, "due").value_or(std::chrono::year_month_day{});
    measure.follow_up = reader.date(item, at, "follow_up");
    measure.status = reader
                         .name<domain::MeasureStatus>(
                             item, at, "status", domain::parse_measure_status, "a measure status")
                         .value_or(domain::MeasureStatus::agreed);
    measure.overdue = reader.boolean(item, at, "overdue");
    measure.follow_up_due = reader.boolean(item, at, "follow_up_due");
    agenda.measures.push_back(std::move(measure));
  });
  reader.each(document, "", "escalations", [&](const json& item, const std::string& at) {
    domain::AgendaEscalation escalation;
    escalation.kind = reader
                          .name<domain::EscalationKind>(
                              item, at, "kind", domain::parse_escalation_kind, "an escalation kind")
                          .value_or(domain::EscalationKind::measure_demanded);
    escalation.goal = reader.text(item, at, "goal");
    escalation.measure = reader.integer(item, at, "measure");
    escalation.milestone = reader.optional_text(item, at, "milestone");
    escalation.party = reader.text(item, at, "party");
    escalation.raised_at = reader.time(item, at, "raised_at").value_or(Timestamp{});
    if (version == 1) {
      escalation.facts.legacy_reason = reader.text(item, at, "reason");
    } else if (const json* facts = reader.field(item, at, "facts")) {
      escalation.facts = read_facts(reader, *facts, at + ".facts");
    }
    agenda.escalations.push_back(std::move(escalation));
  });
  reader.each(document, "", "missed_reviews", [&](const json& item, const std::string& at) {
    if (!item.is_string()) return reader.fail(at, "expected a review id");
    agenda.missed_reviews.push_back(item.get<std::string>());
  });
  if (reader.failed()) return reader.error();
  return agenda;
}

Result<domain::Snapshot> decode_snapshot(std::string_view text) {
  auto parsed = parse_object(text, "snapshot");
  if (!parsed) return parsed.error();
  const json& document = parsed.value();
  Reader reader("snapshot");
  reader.version(document, "snapshot_version", kSnapshotVersion);
  domain::Snapshot snapshot;
  if (const json* evaluation = reader.field(document, "", "evaluation")) {
    snapshot.evaluation = read_evaluation(reader, *evaluation, "evaluation");
  }
  snapshot.figures_known_at = reader.time(document, "", "figures_known_at");
  snapshot.prepared_at = reader.time(document, "", "prepared_at").value_or(Timestamp{});
  reader.each(document, "", "data_revisions", [&](const json& item, const std::string& at) {
    domain::DataRevision revision;
    revision.import_id = reader.integer(item, at, "import").value_or(0);
    revision.file = reader.text(item, at, "file");
    revision.sha256 = reader.text(item, at, "sha256");
    revision.imported_at = reader.time(item, at, "imported_at").value_or(Timestamp{});
    revision.rows = reader.integer(item, at, "rows").value_or(0);
    snapshot.data_revisions.push_back(std::move(revision));
  });
  if (reader.failed()) return reader.error();
  return snapshot;
}

Result<std::vector<domain::FieldChange>> decode_field_changes(std::string_view text) {
  auto parsed = parse_object(text, "follow-up changes");
  if (!parsed) return parsed.error();
  std::vector<domain::FieldChange> changes;
  for (const auto& [key, values] : parsed.value().items()) {
    const auto field = domain::parse_measure_field(key);
    if (!field || !values.is_array() || values.size() != 2) {
      return Error::storage("the stored follow-up changes do not read: '" + key +
                            "' is not a field with its value before and after");
    }
    domain::FieldChange change{*field, std::nullopt, std::nullopt};
    for (std::size_t i = 0; i < 2; ++i) {
      if (values[i].is_null()) continue;
      if (!values[i].is_string()) {
        return Error::storage("the stored follow-up changes do not read: '" + key +
                              "' holds a value that is not text");
      }
      (i == 0 ? change.before : change.after) = values[i].get<std::string>();
    }
    changes.push_back(std::move(change));
  }
  std::sort(changes.begin(), changes.end(),
            [](const auto& a, const auto& b) { return a.field < b.field; });
  return changes;
}

domain::EscalationFacts decode_escalation_facts(std::string_view text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_object()) {
    Reader reader("escalation facts");
    domain::EscalationFacts facts = read_facts(reader, document, "");
    if (!reader.failed()) return facts;
  }
  domain::EscalationFacts legacy;
  legacy.legacy_reason = std::string(text);
  return legacy;
}

// ---- Rows ----------------------------------------------------------------

Result<domain::Review> review_of(const storage::ReviewRecord& record) {
  domain::Review review{static_cast<const domain::ReviewInfo&>(record), {}, {}};
  const auto broken = [&](const Error& error) {
    return Error::storage("review '" + record.id + "': " + error.message +
                          "; run `zielwerk audit verify`");
  };
  if (!record.snapshot_json.empty()) {
    auto snapshot = decode_snapshot(record.snapshot_json);
    if (!snapshot) return broken(snapshot.error());
    review.snapshot = std::move(snapshot).value();
  }
  if (!record.agenda_json.empty()) {
    auto agenda = decode_agenda(record.agenda_json);
    if (!agenda) return broken(agenda.error());
    review.agenda = std::move(agenda).value();
  }
  return review;
}

storage::ReviewRecord record_of(const domain::Review& review) {
  storage::ReviewRecord record{static_cast<const domain::ReviewInfo&>(review), {}, {}};
  if (review.snapshot) record.snapshot_json = encode_snapshot(*review.snapshot);
  if (review.agenda) record.agenda_json = encode_agenda(*review.agenda);
  return record;
}

domain::Escalation escalation_of(const storage::EscalationRecord& record) {
  return {static_cast<const domain::EscalationInfo&>(record),
          decode_escalation_facts(record.facts_json)};
}

storage::EscalationRecord record_of(const domain::Escalation& escalation) {
  return {static_cast<const domain::EscalationInfo&>(escalation),
          encode_escalation_facts(escalation.facts)};
}

Result<domain::MeasureFollowUp> follow_up_of(const storage::FollowUpRecord& record) {
  auto changes = decode_field_changes(record.changes_json);
  if (!changes) {
    return Error::storage("follow-up " + std::to_string(record.id) + " of measure " +
                          std::to_string(record.measure_id) + ": " + changes.error().message +
                          "; run `zielwerk audit verify`");
  }
  return domain::MeasureFollowUp{static_cast<const domain::FollowUpInfo&>(record),
                                 std::move(changes).value()};
}

storage::FollowUpRecord record_of(const domain::MeasureFollowUp& follow_up) {
  return {static_cast<const domain::FollowUpInfo&>(follow_up),
          encode_field_changes(follow_up.changes)};
}

}  // namespace zielwerk::engine
