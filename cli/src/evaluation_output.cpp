#include "evaluation_output.h"

#include <algorithm>

#include "csv_output.h"
#include "number_format.h"
#include "text_table.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/json_views.h"

namespace zielwerk::cli {
namespace {

using engine::GoalEvaluation;
using rules::GoalKind;

const rules::TargetSpec* target_of(const GoalEvaluation& goal) {
  return std::get_if<rules::TargetSpec>(&goal.result.goal->spec);
}

rules::Unit unit_of(const rules::Goal& goal) {
  if (const auto* target = std::get_if<rules::TargetSpec>(&goal.spec)) return target->unit;
  if (const auto* monitoring = std::get_if<rules::MonitoringSpec>(&goal.spec))
    return monitoring->unit;
  return rules::Unit::count;
}

std::size_t milestones_done(const GoalEvaluation& goal) {
  return static_cast<std::size_t>(
      std::count_if(goal.milestones.begin(), goal.milestones.end(),
                    [](const auto& m) { return m.status == rules::GoalStatus::done; }));
}

// The last column of the table: what a reader needs besides value, Soll and target.
std::string note_for(const GoalEvaluation& goal, const domain::AgendaGoal& facts,
                     YearMonth period) {
  const rules::Goal& spec = *goal.result.goal;
  std::vector<std::string> notes;
  if (goal.result.status == rules::GoalStatus::no_data && !goal.result.why_missing.empty()) {
    notes.push_back(goal.result.why_missing);
  }
  if (facts.provisional) notes.push_back("provisional figures");
  if (spec.kind() == GoalKind::target) {
    if (facts.target_change_pct && facts.previous_year) {
      notes.push_back("target: previous year " +
                      format_quantity(*facts.previous_year, unit_of(spec)) + " " +
                      format_change_pct(*facts.target_change_pct));
    }
    if (facts.planned_change_pct) {
      std::string note = "planned change " + format_change_pct(*facts.planned_change_pct);
      if (facts.change_pct) note += ", actual " + format_change_pct(*facts.change_pct);
      notes.push_back(note);
    }
    if (!facts.soll && !facts.soll_why_missing.empty() &&
        goal.result.status != rules::GoalStatus::no_data) {
      notes.push_back("judged against the target: " + facts.soll_why_missing);
    }
  }
  if (spec.kind() == GoalKind::monitoring && goal.result.previous) {
    std::string note = period.plus_months(-12).to_string() + ": " +
                       format_quantity(*goal.result.previous, unit_of(spec));
    if (goal.result.change_pct) note += ", change " + format_change_pct(*goal.result.change_pct);
    notes.push_back(note);
  }
  if (spec.kind() == GoalKind::milestone) {
    notes.push_back(std::to_string(milestones_done(goal)) + " of " +
                    std::to_string(goal.milestones.size()) + " milestones done");
    for (const auto& m : goal.milestones) {
      if (m.status == rules::GoalStatus::overdue) {
        notes.push_back("overdue: " + m.milestone->id + " (due " + format_date(m.milestone->due) +
                        ")");
      }
    }
    for (const auto& m : goal.milestones) {
      if (m.status == rules::GoalStatus::open) {
        notes.push_back("next: " + m.milestone->id + " (due " + format_date(m.milestone->due) +
                        ")");
        break;
      }
    }
  }
  if (!spec.binding) notes.push_back("informational");
  return join(notes, "; ");
}

}  // namespace

void write_evaluation_table(const engine::EvaluationReport& report, const std::string& title,
                            std::ostream& out) {
  out << title << " (" << report.agreement << "), reporting month " << report.period.to_string();
  if (report.known_at) out << ", figures as known at " << format_timestamp(*report.known_at);
  out << "\n\n";
  std::vector<std::vector<std::string>> rows = {{"GOAL", "SEC", "RESP", "STATUS", "VALUE", "SOLL",
                                                 "TARGET", "FORECAST", "REACHABLE", "NOTE"}};
  for (const auto& goal : report.goals) {
    const rules::Goal& spec = *goal.result.goal;
    const domain::AgendaGoal facts = engine::agenda_goal(goal);
    std::vector<std::string> row = {spec.id, spec.section, spec.responsibility,
                                    rules::to_string(goal.result.status)};
    const auto* target = target_of(goal);
    std::string value;
    std::string soll;
    std::string target_text;
    std::string forecast;
    std::string reachable;
    if (goal.result.actual) {
      value = locale::format_quantity(*goal.result.actual, unit_of(spec), locale::Language::en,
                                      facts.edges());
    } else if (spec.kind() != GoalKind::milestone) {
      value = "-";
    }
    if (target != nullptr) {
      soll = facts.soll ? format_quantity(*facts.soll, target->unit, facts.actual) : "-";
      target_text = facts.target ? rules::to_string(target->op) + " " +
                                       format_quantity(*facts.target, target->unit, facts.actual)
                                 : "-";
      if (goal.forecast && goal.forecast->value) {
        forecast = format_quantity(*goal.forecast->value, target->unit, facts.target) + " (" +
                   rules::to_string(goal.forecast->status) + ")";
        reachable = goal.forecast->reachable ? "yes" : "no";
      } else {
        forecast = "-";
        reachable = "-";
      }
    }
    row.insert(row.end(), {value, soll, target_text, forecast, reachable,
                           note_for(goal, facts, report.period)});
    rows.push_back(std::move(row));
  }
  // The forecast column is named after the agreement's year end.
  for (const auto& goal : report.goals) {
    if (goal.forecast) {
      rows[0][7] = "FORECAST " + goal.forecast->year_end.to_string();
      break;
    }
  }
  write_table(rows, {4, 5, 6}, out);  // values, Soll and targets aligned to the right
}

void write_evaluation_json(const engine::EvaluationReport& report, std::ostream& out) {
  out << engine::evaluation_json(report, 2) << '\n';
}

namespace {

std::string csv_number(std::optional<double> value) {
  return value ? format_plain(*value) : std::string();
}

}  // namespace

void write_evaluation_csv(const engine::EvaluationReport& report, std::ostream& out) {
  out << "period,goal,section,kind,responsibility,binding,status,actual,op,target,unit,"
         "previous,change_pct,forecast,forecast_status,reachable,milestones_done,"
         "milestones_total,soll,soll_gap,judged_against,provisional\n";
  for (const auto& goal : report.goals) {
    const rules::Goal& spec = *goal.result.goal;
    const auto* target = target_of(goal);
    const rules::GoalResult& result = goal.result;
    std::vector<std::string> fields = {
        report.period.to_string(),
        spec.id,
        spec.section,
        rules::to_string(spec.kind()),
        spec.responsibility,
        spec.binding ? "true" : "false",
        rules::to_string(goal.result.status),
        csv_number(goal.result.actual),
        target ? rules::to_string(target->op) : "",
        target ? csv_number(result.target) : "",
        spec.kind() == GoalKind::milestone ? "" : rules::to_string(unit_of(spec)),
        csv_number(goal.result.previous),
        csv_number(goal.result.change_pct),
        goal.forecast ? csv_number(goal.forecast->value) : "",
        goal.forecast ? rules::to_string(goal.forecast->status) : "",
        goal.forecast ? (goal.forecast->reachable ? "true" : "false") : "",
        spec.kind() == GoalKind::milestone ? std::to_string(milestones_done(goal)) : "",
        spec.kind() == GoalKind::milestone ? std::to_string(goal.milestones.size()) : "",
        target ? csv_number(result.soll) : "",
        target ? csv_number(result.soll_gap()) : "",
        target ? rules::to_string(result.judged_against) : "",
        spec.kind() == GoalKind::milestone ? "" : (result.provisional ? "true" : "false"),
    };
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out << (i > 0 ? "," : "") << csv_field(fields[i]);
    }
    out << '\n';
  }
}

void write_explanation_text(const engine::GoalExplanation& explanation, YearMonth period,
                            std::ostream& out) {
  const GoalEvaluation& goal = explanation.evaluation;
  const rules::Goal& spec = *goal.result.goal;
  out << spec.id << ": " << spec.title << "\n";
  out << "  section " << spec.section << ", " << rules::to_string(spec.kind()) << " goal, "
      << spec.responsibility << (spec.binding ? ", binding" : ", informational")
      << "\n  declared at " << spec.location.file << ':' << spec.location.line << "\n\n";
  out << "reporting month " << period.to_string() << ": " << rules::to_string(goal.result.status);
  if (goal.result.actual) {
    out << ", value " << format_plain(*goal.result.actual);
  }
  if (goal.result.provisional) out << " (provisional)";
  if (const auto* target = target_of(goal)) {
    const rules::GoalResult& result = goal.result;
    out << ", target " << rules::to_string(target->op) << ' '
        << (result.target ? format_plain(*result.target) : std::string("-"));
    if (target->target_change_pct && result.previous_year) {
      out << " (" << format_plain(*result.previous_year) << " of the previous year "
          << format_change_pct(*target->target_change_pct) << ")";
    }
    if (target->tolerance > 0) out << " (tolerance " << format_plain(target->tolerance) << ")";
    out << "\n  soll path (" << rules::to_string(target->soll_path.source) << "): ";
    if (result.soll) {
      out << format_plain(*result.soll) << ", gap " << format_plain(*result.soll_gap());
    } else {
      out << "none (" << result.soll_why_missing << ")";
    }
    out << "; judged against the " << rules::to_string(result.judged_against) << " "
        << format_plain(result.judged_against == rules::Reference::soll ? result.soll.value_or(0)
                                                                        : result.target.value_or(0))
        << " with the tolerance " << format_plain(result.band);
  }
  if (goal.result.previous) {
    out << ", " << period.plus_months(-12).to_string() << ": "
        << format_plain(*goal.result.previous);
  }
  if (goal.result.change_pct) out << ", change " << format_plain(*goal.result.change_pct) << " %";
  out << '\n';
  if (!goal.result.why_missing.empty()) out << "  missing: " << goal.result.why_missing << '\n';
  if (goal.forecast && goal.forecast->value) {
    out << "year-end forecast " << goal.forecast->year_end.to_string() << ": "
        << format_plain(*goal.forecast->value) << " (" << rules::to_string(goal.forecast->status)
        << "); best case "
        << (goal.forecast->best_case ? format_plain(*goal.forecast->best_case) : "-") << "; target "
        << (goal.forecast->reachable ? "reachable" : "not reachable") << '\n';
  }
  for (const auto& m : goal.milestones) {
    out << "  milestone " << m.milestone->id << " due " << format_date(m.milestone->due) << ": "
        << rules::to_string(m.status);
    if (m.done_on) out << " (done on " << format_date(*m.done_on) << ")";
    out << '\n';
  }
  if (!explanation.metrics.empty()) {
    out << "\nformulas:\n";
    for (const auto* metric : explanation.metrics) {
      out << "  " << metric->id << " [" << rules::to_string(metric->unit) << "] = "
          << (metric->formula ? metric->formula->text() : std::string("imported base series"))
          << '\n';
    }
  }
  if (!explanation.inputs.empty()) {
    out << "\ninputs (metric, month, value, revision, imported at, from):\n";
    for (const auto& input : explanation.inputs) {
      out << "  " << pad(input.metric, 28) << ' ' << input.month.to_string() << "  ";
      if (!input.used) {
        out << "missing\n";
        continue;
      }
      const auto& used = *input.used;
      out << pad(format_plain(used.value), 12) << " rev " << used.revision << " of "
          << input.history.size() << "  " << format_timestamp(used.imported_at) << "  "
          << used.file_name << ':' << used.line << '\n';
      for (const auto& earlier : input.history) {
        if (earlier.revision == used.revision) continue;
        out << "      revision " << earlier.revision << ": " << format_plain(earlier.value)
            << ", imported " << format_timestamp(earlier.imported_at) << " from "
            << earlier.file_name << ':' << earlier.line << '\n';
      }
    }
  }
}

void write_explanation_json(const engine::GoalExplanation& explanation, YearMonth period,
                            std::ostream& out) {
  out << engine::explanation_json(explanation, period) << '\n';
}

}  // namespace zielwerk::cli
