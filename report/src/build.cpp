#include "zielwerk/report/build.h"

#include <algorithm>
#include <map>
#include <utility>

#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/evaluation_report.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/storage/observation_store.h"
#include "zielwerk/storage/review_store.h"

namespace zielwerk::report {
namespace {

std::string party_name(const engine::Project& project, const std::string& party_id) {
  const rules::Party* party = project.rules.agreement.find_party(party_id);
  return party != nullptr ? party->name : party_id;
}

// Who a minutes entry names, as people read it: an actor's or a party's name
// from zielwerk.yaml and the agreement (role descriptions, never persons);
// anything else (an actor no longer declared) as recorded.
std::string actor_or_party_name(const engine::Project& project, const std::string& id) {
  const rules::Actor* actor = project.config.find_actor(id);
  if (actor != nullptr && !actor->name.empty()) return actor->name;
  return party_name(project, id);
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

// A row and, for milestone goals, its milestones, from a goal's facts (the
// agenda's frozen ones or today's evaluation: engine::agenda_goal builds both).
GoalRow goal_row(const domain::AgendaGoal& goal, std::vector<MilestoneLine>& milestones) {
  GoalRow row;
  row.id = goal.id;
  row.title = goal.title;
  row.section = goal.section;
  row.kind = goal.kind;
  row.responsibility = goal.responsibility;
  row.binding = goal.binding;
  row.status = goal.status;
  row.unit = goal.unit.value_or(rules::Unit::count);
  row.actual = goal.actual;
  row.target = goal.target;
  row.op = goal.op;
  row.tolerance = goal.tolerance;
  row.gap = goal.gap();
  row.provisional = goal.provisional;
  row.soll = goal.soll;
  row.soll_gap = goal.soll_gap();
  row.soll_source = goal.soll_source;
  row.judged_against = goal.judged_against;
  row.edges = goal.edges();
  row.target_change_pct = goal.target_change_pct;
  row.planned_change_pct = goal.planned_change_pct;
  row.previous_year = goal.previous_year;
  if (goal.kind == rules::GoalKind::target) row.change_against_previous = goal.change_pct;
  if (goal.forecast) {
    row.forecast = goal.forecast->value;
    row.forecast_status = goal.forecast->status;
    row.reachable = goal.forecast->reachable;
  }
  if (goal.kind == rules::GoalKind::monitoring) {
    row.previous = goal.previous;
    row.change_pct = goal.change_pct;
  }
  for (const auto& milestone : goal.milestones) {
    milestones.push_back({row.id, row.title, milestone.id, milestone.title, milestone.due,
                          milestone.done_on, milestone.status});
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
      // The path only where the course reaches the agreement year: a review of
      // an earlier month has no use for it.
      if (period.year() >= project.rules.agreement.year) {
        chart.soll_path = points(engine::soll_course(project, inputs, *goal));
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

// A measure as documents list it: as an agenda showed it, or as it stands on a
// day (domain::agenda_measure).
MeasureLine measure_line(const engine::Project& project, const domain::AgendaMeasure& item) {
  MeasureLine line;
  line.id = item.id;
  line.goal_id = item.goal;
  line.title = item.title;
  line.owner_party = item.owner;
  line.owner_party_name = party_name(project, item.owner);
  line.assignee = item.assignee;
  line.agreed_in = item.agreed_in;
  line.due = item.due;
  line.follow_up = item.follow_up;
  line.status = item.status;
  line.overdue = item.overdue;
  return line;
}

EscalationLine escalation_line(const engine::Project& project,
                               const domain::AgendaEscalation& escalation) {
  EscalationLine line;
  line.kind = escalation.kind;
  line.goal_id = escalation.goal;
  line.measure_id = escalation.measure;
  line.milestone = escalation.milestone;
  line.party = escalation.party;
  line.party_name = party_name(project, escalation.party);
  line.facts = escalation.facts;
  // The document names the owner as people know it; the stored facts keep the id.
  if (!line.facts.owner.empty()) line.facts.owner = party_name(project, line.facts.owner);
  line.raised_at = escalation.raised_at;
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

Minutes minutes_of(const engine::Project& project, const std::vector<domain::Measure>& measures,
                   const engine::ReviewDetails& details) {
  Minutes minutes;
  for (const auto& entry : details.entries) {
    switch (entry.kind) {
      case domain::EntryKind::attendance:
        minutes.attendance.push_back(actor_or_party_name(project, entry.text));
        break;
      case domain::EntryKind::assessment:
        minutes.assessments.push_back(entry.text);
        break;
      case domain::EntryKind::external_conditions:
        minutes.external_conditions.push_back(entry.text);
        break;
      case domain::EntryKind::decision:
        minutes.decisions.push_back(entry.text);
        break;
      case domain::EntryKind::no_measure:
        minutes.no_measures.push_back({entry.goal, entry.text});
        break;
    }
  }
  const auto meeting_day = details.review.meeting_date.value_or(details.review.period.last_day());
  for (const auto& measure : details.agreed_measures)
    minutes.agreed_measures.push_back(
        measure_line(project, domain::agenda_measure(measure, meeting_day)));
  std::map<std::int64_t, std::string> titles;
  for (const auto& measure : measures)
    titles.emplace(measure.id, measure.title);
  for (const auto& follow_up : details.follow_ups) {
    FollowUpLine line;
    line.measure_id = follow_up.measure_id;
    line.measure_title = titles[follow_up.measure_id];
    line.status = follow_up.status;
    line.note = follow_up.note;
    line.actor = actor_or_party_name(project, follow_up.actor);
    minutes.follow_ups.push_back(std::move(line));
  }
  minutes.closed_at = details.review.closed_at;
  minutes.closed_by = actor_or_party_name(project, details.review.closed_by);
  return minutes;
}

Result<Document> review_document(const engine::Project& project, storage::Database& database,
                                 const std::string& review_id) {
  auto shown = engine::show_review(project, database, review_id);
  if (!shown) return shown.error();
  const engine::ReviewDetails details = std::move(shown).value();
  const domain::Review& review = details.review;
  if (review.state == domain::ReviewState::missed || !review.agenda) {
    return Error::usage("review '" + review_id +
                        "' was missed: it has no agenda and no minutes to report");
  }
  const domain::Agenda& agenda = *review.agenda;

  Document document;
  document.kind =
      review.state == domain::ReviewState::closed ? DocumentKind::minutes : DocumentKind::agenda;
  fill_agreement(project, document);
  document.review_id = review.id;
  document.workflow_id = review.workflow;
  document.workflow_title = agenda.title;
  for (const auto& party : agenda.participants)
    document.participants.push_back(party_line(project, party));
  document.meeting_date = review.meeting_date;
  document.meeting_starts_at = review.starts_at;
  document.late = review.late;
  document.missed_before = details.missed_before;
  document.period = review.period;
  document.as_of = review.meeting_date.value_or(review.period.last_day());
  document.figures_known_at = review.figures_known_at;
  document.rule_set_version = review.rule_set_version;

  for (const auto& goal : agenda.goals)
    document.goals.push_back(goal_row(goal, document.milestones));
  // The revisions the snapshot read, under the rules it was prepared with:
  // the charts then end in the table's values.
  if (project.rules.version == review.rule_set_version) {
    auto inputs = engine::load_evaluation_inputs(project, database, review.figures_known_at);
    if (!inputs) return inputs.error();
    document.charts = charts_for(project, inputs.value(), document.goals, review.period);
  } else {
    // Today's formulas on those figures could draw another course than the
    // meeting's table shows.
    document.charts_withheld = true;
  }

  for (const auto& item : agenda.measures)
    document.measures.push_back(measure_line(project, item));
  sort_measures(document.measures);
  for (const auto& item : agenda.escalations)
    document.escalations.push_back(escalation_line(project, item));
  if (document.kind == DocumentKind::minutes) {
    document.minutes = minutes_of(project, storage::load_measures(database), details);
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

  auto loaded = engine::load_evaluation_inputs(project, database, known_at);
  if (!loaded) return loaded.error();
  const engine::EvaluationInputs& inputs = loaded.value();
  const engine::EvaluationReport report =
      engine::evaluate_period(project, inputs, period, known_at, today);
  // One builder of a goal's facts (engine/evaluation_json.h) feeds both the
  // agenda and this overview, so a goal reads the same in both.
  for (const auto& goal : report.goals)
    document.goals.push_back(goal_row(engine::agenda_goal(goal), document.milestones));
  document.charts = charts_for(project, inputs, document.goals, period);

  auto measures = open_measure_lines(project, database, today);
  if (!measures) return measures.error();
  document.measures = std::move(measures).value();
  for (const auto& escalation : storage::load_all_escalations(database)) {
    document.escalations.push_back(
        escalation_line(project, domain::agenda_escalation(engine::escalation_of(escalation))));
  }
  return document;
}

}  // namespace

Result<std::vector<MeasureLine>> open_measure_lines(const engine::Project& project,
                                                    storage::Database& database,
                                                    std::chrono::year_month_day today) {
  engine::MeasureFilter open;
  open.open_only = true;
  auto views = engine::list_measures(database, open, today);
  if (!views) return views.error();
  std::vector<MeasureLine> lines;
  for (const auto& view : views.value()) {
    // As an agenda on `today` would list it.
    MeasureLine line = measure_line(project, domain::agenda_measure(view.measure, today));
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
