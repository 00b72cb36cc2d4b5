#include "zielwerk/report/build.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/storage/observation_store.h"

namespace zielwerk::report {
namespace {

using nlohmann::json;

// Reading a stored agenda: written by zielwerk itself, but a document must
// never crash on an odd field, so every accessor tolerates absence and type.
std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::chrono::year_month_day> date_of(const json& object, const char* key) {
  return parse_date(text_of(object, key));
}

template <typename T, typename Parse>
T enum_of(const json& object, const char* key, T fallback, Parse parse) {
  const auto parsed = parse(text_of(object, key));
  return parsed ? *parsed : fallback;
}

std::optional<rules::GoalKind> parse_kind(std::string_view text) {
  if (text == "target") return rules::GoalKind::target;
  if (text == "monitoring") return rules::GoalKind::monitoring;
  if (text == "milestone") return rules::GoalKind::milestone;
  return std::nullopt;
}

std::optional<rules::Unit> parse_unit(std::string_view text) {
  if (text == "count") return rules::Unit::count;
  if (text == "percent") return rules::Unit::percent;
  if (text == "eur") return rules::Unit::eur;
  return std::nullopt;
}

std::optional<rules::Comparison> parse_op(std::string_view text) {
  if (text == ">=") return rules::Comparison::at_least;
  if (text == ">") return rules::Comparison::more_than;
  if (text == "<=") return rules::Comparison::at_most;
  if (text == "<") return rules::Comparison::less_than;
  return std::nullopt;
}

std::optional<storage::EscalationKind> parse_escalation_kind(std::string_view text) {
  for (const auto kind :
       {storage::EscalationKind::measure_demanded, storage::EscalationKind::measure_overdue,
        storage::EscalationKind::milestone_overdue}) {
    if (storage::to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

std::string party_name(const engine::Project& project, const std::string& party_id) {
  const rules::Party* party = project.rules.agreement.find_party(party_id);
  return party != nullptr ? party->name : party_id;
}

PartyLine party_line(const engine::Project& project, const std::string& party_id) {
  const rules::Party* party = project.rules.agreement.find_party(party_id);
  if (party == nullptr) return {party_id, party_id, rules::Carrier::ba};
  return {party->id, party->name, party->carrier};
}

void fill_agreement(const engine::Project& project, Document& document) {
  const auto& agreement = project.rules.agreement;
  document.agreement_id = agreement.id;
  document.agreement_title = agreement.title;
  document.agreement_year = agreement.year;
  for (const auto& party : agreement.parties)
    document.parties.push_back({party.id, party.name, party.carrier});
  document.time_zone = project.config.time_zone;
}

// A row and, for milestone goals, its milestones, from one element of an
// evaluation's or agenda's "goals" (engine/evaluation_json.h writes both).
GoalRow goal_row(const json& goal, std::vector<MilestoneLine>& milestones) {
  GoalRow row;
  row.id = text_of(goal, "id");
  row.title = text_of(goal, "title");
  row.section = text_of(goal, "section");
  row.kind = enum_of(goal, "kind", rules::GoalKind::target, parse_kind);
  row.responsibility = text_of(goal, "responsibility") == "kommunal"
                           ? rules::Responsibility::kommunal
                           : rules::Responsibility::ba;
  const auto binding = goal.find("binding");
  row.binding = binding == goal.end() || !binding->is_boolean() || binding->get<bool>();
  row.status = enum_of(goal, "status", rules::GoalStatus::no_data, rules::parse_goal_status);
  row.unit = enum_of(goal, "unit", rules::Unit::count, parse_unit);
  row.actual = number_of(goal, "actual");
  row.target = number_of(goal, "target");
  row.op = parse_op(text_of(goal, "op"));
  row.tolerance = number_of(goal, "tolerance").value_or(0.0);
  if (row.actual && row.target) row.gap = *row.actual - *row.target;
  if (const auto forecast = goal.find("forecast");
      forecast != goal.end() && forecast->is_object()) {
    row.forecast = number_of(*forecast, "value");
    row.forecast_status = rules::parse_goal_status(text_of(*forecast, "status"));
    if (const auto reachable = forecast->find("reachable");
        reachable != forecast->end() && reachable->is_boolean()) {
      row.reachable = reachable->get<bool>();
    }
  }
  row.previous = number_of(goal, "previous");
  row.change_pct = number_of(goal, "change_pct");
  if (const auto list = goal.find("milestones"); list != goal.end() && list->is_array()) {
    for (const auto& item : *list) {
      if (!item.is_object()) continue;
      MilestoneLine line;
      line.goal_id = row.id;
      line.goal_title = row.title;
      line.milestone_id = text_of(item, "id");
      line.title = text_of(item, "title");
      line.due = date_of(item, "due").value_or(std::chrono::year_month_day{});
      line.done_on = date_of(item, "done_on");
      line.status = enum_of(item, "status", rules::GoalStatus::open, rules::parse_goal_status);
      milestones.push_back(std::move(line));
    }
  }
  return row;
}

std::vector<ChartPoint> points(const std::vector<std::pair<YearMonth, std::optional<double>>>& in) {
  std::vector<ChartPoint> out;
  out.reserve(in.size());
  for (const auto& [month, value] : in)
    out.push_back({month, value});
  return out;
}

// A chart for each target and monitoring goal among `rows`, from the
// revisions in `inputs`. A goal the rules no longer define gets no chart.
std::vector<Chart> charts_for(const engine::Project& project,
                              const engine::EvaluationInputs& inputs,
                              const std::vector<GoalRow>& rows, YearMonth period) {
  std::vector<Chart> charts;
  for (const auto& row : rows) {
    const rules::Goal* goal = project.rules.find_goal(row.id);
    if (goal == nullptr || goal->kind() == rules::GoalKind::milestone) continue;
    Chart chart;
    chart.goal_id = row.id;
    chart.title = row.title;
    chart.kind = goal->kind();
    chart.unit = row.unit;
    if (goal->kind() == rules::GoalKind::target) {
      chart.course = points(engine::metric_course(project, inputs, goal->metric(),
                                                  period.plus_months(-(kChartMonths - 1)), period));
      chart.target = row.target;
      chart.op = row.op;
      chart.tolerance = row.tolerance;
      if (row.forecast) {
        chart.forecast = ChartPoint{YearMonth(project.rules.agreement.year, 12), row.forecast};
      }
    } else {
      // The monitoring comparison: the last twelve months against the same
      // months a year earlier.
      const YearMonth first = period.plus_months(-11);
      chart.course = points(engine::metric_course(project, inputs, goal->metric(), first, period));
      chart.previous_year = points(engine::metric_course(
          project, inputs, goal->metric(), first.plus_months(-12), period.plus_months(-12)));
    }
    charts.push_back(std::move(chart));
  }
  return charts;
}

MeasureLine measure_line(const engine::Project& project, const storage::MeasureRecord& measure,
                         bool overdue) {
  MeasureLine line;
  line.id = measure.id;
  line.goal_id = measure.goal;
  line.title = measure.title;
  line.owner_party = measure.owner_party;
  line.owner_party_name = party_name(project, measure.owner_party);
  line.assignee = measure.assignee;
  line.agreed_in = measure.review_id;
  line.due = measure.due_on;
  line.follow_up = measure.follow_up_on;
  line.status = measure.status;
  line.overdue = overdue;
  return line;
}

MeasureLine measure_line(const engine::Project& project, const json& item) {
  MeasureLine line;
  const auto id = item.find("id");
  line.id = id != item.end() && id->is_number_integer() ? id->get<std::int64_t>() : 0;
  line.goal_id = text_of(item, "goal");
  line.title = text_of(item, "title");
  line.owner_party = text_of(item, "owner");
  line.owner_party_name = party_name(project, line.owner_party);
  line.assignee = text_of(item, "assignee");
  line.agreed_in = text_of(item, "agreed_in");
  line.due = date_of(item, "due").value_or(std::chrono::year_month_day{});
  line.follow_up = date_of(item, "follow_up");
  line.status =
      enum_of(item, "status", storage::MeasureStatus::agreed, storage::parse_measure_status);
  const auto overdue = item.find("overdue");
  line.overdue = overdue != item.end() && overdue->is_boolean() && overdue->get<bool>();
  return line;
}

EscalationLine escalation_line(const engine::Project& project,
                               const storage::Escalation& escalation) {
  EscalationLine line;
  line.kind = escalation.kind;
  line.goal_id = escalation.goal;
  line.measure_id = escalation.measure_id;
  line.milestone = escalation.milestone;
  line.party = escalation.party;
  line.party_name = party_name(project, escalation.party);
  line.reason = escalation.reason;
  line.raised_at = escalation.raised_at;
  return line;
}

EscalationLine escalation_line(const engine::Project& project, const json& item) {
  EscalationLine line;
  line.kind =
      enum_of(item, "kind", storage::EscalationKind::measure_demanded, parse_escalation_kind);
  line.goal_id = text_of(item, "goal");
  if (const auto measure = item.find("measure");
      measure != item.end() && measure->is_number_integer()) {
    line.measure_id = measure->get<std::int64_t>();
  }
  line.milestone = text_of(item, "milestone");
  line.party = text_of(item, "party");
  line.party_name = party_name(project, line.party);
  line.reason = text_of(item, "reason");
  line.raised_at = parse_timestamp(text_of(item, "raised_at")).value_or(Timestamp{});
  return line;
}

// Overdue first (the meeting talks about those first), then by due date.
void sort_measures(std::vector<MeasureLine>& measures) {
  std::stable_sort(measures.begin(), measures.end(), [](const auto& a, const auto& b) {
    if (a.overdue != b.overdue) return a.overdue;
    if (a.due != b.due) return a.due < b.due;
    return a.id < b.id;
  });
}

Minutes minutes_of(const engine::Project& project, storage::Database& database,
                   const engine::ReviewDetails& details) {
  Minutes minutes;
  for (const auto& entry : details.entries) {
    switch (entry.kind) {
      case storage::EntryKind::attendance:
        minutes.attendance.push_back(entry.text);
        break;
      case storage::EntryKind::assessment:
        minutes.assessments.push_back(entry.text);
        break;
      case storage::EntryKind::external_conditions:
        minutes.external_conditions.push_back(entry.text);
        break;
      case storage::EntryKind::decision:
        minutes.decisions.push_back(entry.text);
        break;
      case storage::EntryKind::no_measure:
        minutes.no_measures.push_back({entry.goal, entry.text});
        break;
    }
  }
  const auto meeting_day = details.review.meeting_date.value_or(details.review.period.last_day());
  for (const auto& measure : details.agreed_measures)
    minutes.agreed_measures.push_back(
        measure_line(project, measure, storage::is_overdue(measure, meeting_day)));
  std::map<std::int64_t, std::string> titles;
  for (const auto& measure : storage::load_measures(database))
    titles.emplace(measure.id, measure.title);
  for (const auto& follow_up : details.follow_ups) {
    FollowUpLine line;
    line.measure_id = follow_up.measure_id;
    line.measure_title = titles[follow_up.measure_id];
    line.status = follow_up.status;
    line.note = follow_up.note;
    line.actor = follow_up.actor;
    minutes.follow_ups.push_back(std::move(line));
  }
  minutes.closed_at = details.review.closed_at;
  minutes.closed_by = details.review.closed_by;
  return minutes;
}

Result<Document> review_document(const engine::Project& project, storage::Database& database,
                                 const std::string& review_id) {
  auto shown = engine::show_review(project, database, review_id);
  if (!shown) return shown.error();
  const engine::ReviewDetails details = std::move(shown).value();
  const storage::ReviewRecord& review = details.review;
  if (review.state == storage::ReviewState::missed || review.agenda_json.empty()) {
    return Error::usage("review '" + review_id +
                        "' was missed: it has no agenda and no minutes to report");
  }
  const json agenda = json::parse(review.agenda_json, nullptr, false);
  if (agenda.is_discarded() || !agenda.is_object()) {
    return Error::storage("the stored agenda of review '" + review_id +
                          "' is not a JSON object; run `zielwerk audit verify`");
  }

  Document document;
  document.kind =
      review.state == storage::ReviewState::closed ? DocumentKind::minutes : DocumentKind::agenda;
  fill_agreement(project, document);
  document.review_id = review.id;
  document.workflow_id = review.workflow;
  document.workflow_title = text_of(agenda, "title");
  if (const auto participants = agenda.find("participants");
      participants != agenda.end() && participants->is_array()) {
    for (const auto& party : *participants) {
      if (party.is_string()) document.participants.push_back(party_line(project, party));
    }
  }
  document.meeting_date = review.meeting_date;
  document.meeting_starts_at = review.starts_at;
  document.late = review.late;
  document.missed_before = details.missed_before;
  document.period = review.period;
  document.as_of = review.meeting_date.value_or(review.period.last_day());
  document.figures_known_at = review.figures_known_at;
  document.rule_set_version = review.rule_set_version;

  if (const auto goals = agenda.find("goals"); goals != agenda.end() && goals->is_array()) {
    for (const auto& goal : *goals) {
      if (goal.is_object()) document.goals.push_back(goal_row(goal, document.milestones));
    }
  }
  // The revisions the snapshot read, under the rules it was prepared with:
  // the charts then end in the table's values.
  if (project.rules.version == review.rule_set_version) {
    const engine::EvaluationInputs inputs =
        engine::load_evaluation_inputs(project, database, review.figures_known_at);
    document.charts = charts_for(project, inputs, document.goals, review.period);
  } else {
    // Today's formulas on those figures could draw another course than the
    // meeting's table shows.
    document.charts_withheld = true;
  }

  if (const auto measures = agenda.find("measures");
      measures != agenda.end() && measures->is_array()) {
    for (const auto& item : *measures) {
      if (item.is_object()) document.measures.push_back(measure_line(project, item));
    }
  }
  sort_measures(document.measures);
  if (const auto escalations = agenda.find("escalations");
      escalations != agenda.end() && escalations->is_array()) {
    for (const auto& item : *escalations) {
      if (item.is_object()) document.escalations.push_back(escalation_line(project, item));
    }
  }
  if (document.kind == DocumentKind::minutes) {
    document.minutes = minutes_of(project, database, details);
  }
  return document;
}

Result<Document> year_document(const engine::Project& project, storage::Database& database,
                               YearMonth period, std::optional<Timestamp> known_at,
                               std::chrono::year_month_day today) {
  Document document;
  document.kind = DocumentKind::year;
  fill_agreement(project, document);
  document.period = period;
  document.as_of = today;
  // Without --known-at the document rests on everything imported so far: it
  // names when that was, so a printed overview says which figures it shows.
  document.figures_known_at = known_at ? known_at : storage::latest_import_time(database);
  document.rule_set_version = project.rules.version;

  const engine::EvaluationInputs inputs =
      engine::load_evaluation_inputs(project, database, known_at);
  const engine::EvaluationReport report =
      engine::evaluate_period(project, inputs, period, known_at);
  // One writer of a goal's JSON (engine/evaluation_json.h) feeds both the
  // agenda and this overview, so a goal reads the same in both.
  const json evaluation = json::parse(engine::evaluation_json(report), nullptr, false);
  if (const auto goals = evaluation.find("goals"); goals != evaluation.end() && goals->is_array()) {
    for (const auto& goal : *goals)
      document.goals.push_back(goal_row(goal, document.milestones));
  }
  document.charts = charts_for(project, inputs, document.goals, period);

  document.measures = open_measure_lines(project, database, today);
  for (const auto& escalation : storage::load_all_escalations(database))
    document.escalations.push_back(escalation_line(project, escalation));
  return document;
}

}  // namespace

std::vector<MeasureLine> open_measure_lines(const engine::Project& project,
                                            storage::Database& database,
                                            std::chrono::year_month_day today) {
  engine::MeasureFilter open;
  open.open_only = true;
  std::vector<MeasureLine> lines;
  for (const auto& view : engine::list_measures(database, open, today)) {
    MeasureLine line = measure_line(project, view.measure, view.overdue);
    if (!view.follow_ups.empty()) line.last_note = view.follow_ups.back().note;
    lines.push_back(std::move(line));
  }
  sort_measures(lines);
  return lines;
}

Result<Document> build_review_document(const engine::Project& project, storage::Database& database,
                                       const std::string& review_id) {
  std::optional<Result<Document>> document;
  const Status read = database.snapshot([&]() -> Status {
    document = review_document(project, database, review_id);
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*document);
}

Result<Document> build_year_document(const engine::Project& project, storage::Database& database,
                                     YearMonth period, std::optional<Timestamp> known_at,
                                     std::chrono::year_month_day today) {
  std::optional<Result<Document>> document;
  const Status read = database.snapshot([&]() -> Status {
    document = year_document(project, database, period, known_at, today);
    return Ok{};
  });
  if (!read) return read.error();
  return std::move(*document);
}

}  // namespace zielwerk::report
