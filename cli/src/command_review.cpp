// zielwerk review list [--workflow ID] [--state STATE] [--format table|json]
// zielwerk review show ID [--format table|json]
// zielwerk review record ID [--attended ACTOR|PARTY]... [--assessment TEXT]
//                           [--external-conditions TEXT] [--decision TEXT]...
//                           [--no-measure GOAL=REASON]...
// zielwerk review close ID
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "commands.h"
#include "number_format.h"
#include "text_table.h"
#include "workflow_output.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/version.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {
namespace {

using domain::EntryKind;
using domain::ReviewState;

struct ListOptions : DataOptions {
  std::string workflow;
  std::string state;
  std::string format;
};

struct ShowOptions : DataOptions {
  std::string id;
  std::string format;
};

struct RecordOptions : DataOptions {
  std::string id;
  std::vector<std::string> attended;
  std::string assessment;
  std::string external_conditions;
  std::vector<std::string> decisions;
  std::vector<std::string> no_measure;
};

struct CloseOptions : DataOptions {
  std::string id;
};

const std::vector<std::string> kStates = {"prepared", "missed", "closed"};

std::string state_text(const domain::Review& review) {
  return domain::to_string(review.state) + (review.late ? " (late)" : "");
}

// The goals of the agenda as the evaluation table shows them.
void write_agenda_goals(const std::vector<domain::AgendaGoal>& goals, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"GOAL", "SEC", "STATUS", "VALUE", "TARGET", "FORECAST", "NOTE"}};
  for (const auto& goal : goals) {
    const rules::Unit unit = goal.unit.value_or(rules::Unit::count);
    std::vector<std::string> row = {goal.id, goal.section, rules::to_string(goal.status)};
    row.push_back(goal.actual ? format_quantity(*goal.actual, unit, goal.target)
                              : (goal.kind == rules::GoalKind::milestone ? "" : "-"));
    row.push_back(goal.target && goal.op
                      ? rules::to_string(*goal.op) + " " + format_quantity(*goal.target, unit)
                      : "");
    std::string forecast;
    if (goal.forecast) {
      forecast = goal.forecast->value ? format_quantity(*goal.forecast->value, unit, goal.target) +
                                            " (" + rules::to_string(goal.forecast->status) + ")"
                                      : "-";
      rows[0][5] = "FORECAST " + goal.forecast->period.to_string();
    }
    row.push_back(forecast);
    std::vector<std::string> notes;
    for (const auto& milestone : goal.milestones) {
      if (milestone.status == rules::GoalStatus::overdue) {
        notes.push_back("overdue: " + milestone.id + " (due " + format_date(milestone.due) + ")");
      }
    }
    if (goal.change_pct) notes.push_back("change " + format_change_pct(*goal.change_pct));
    if (!goal.binding) notes.push_back("informational");
    row.push_back(join(notes, "; "));
    rows.push_back(std::move(row));
  }
  write_table(rows, {3, 4}, out);
}

void write_measure_table(const std::vector<domain::Measure>& measures, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", "GOAL", "TITLE", "OWNER", "ASSIGNEE", "DUE", "FOLLOW-UP", "STATUS"}};
  for (const auto& measure : measures) {
    rows.push_back({std::to_string(measure.id), measure.goal, measure.title, measure.owner_party,
                    measure.assignee, format_date(measure.due_on),
                    measure.follow_up_on ? format_date(*measure.follow_up_on) : "-",
                    domain::to_string(measure.status)});
  }
  write_table(rows, {0}, out);
}

// `status_now`: every measure's status as it is now, beside the agenda's.
void write_show_table(const engine::Project& project, const engine::ReviewDetails& details,
                      const std::map<std::int64_t, domain::MeasureStatus>& status_now,
                      std::ostream& out) {
  const domain::Review& review = details.review;
  const std::string title = review.agenda ? review.agenda->title : "";
  out << "review " << review.id << (title.empty() ? "" : ": " + title) << '\n';
  out << "  reviews " << review.period.to_string() << "; meeting "
      << (review.meeting_date ? "on " + local_time_text(project, review.starts_at)
                              : std::string("skipped"))
      << "; " << state_text(review) << '\n';
  if (review.state == ReviewState::missed) {
    out << "  recorded as missed " << local_time_text(project, review.prepared_at) << " by "
        << review.prepared_by << ": the meeting passed before it was prepared\n";
  } else {
    out << "  prepared " << local_time_text(project, review.prepared_at) << " by "
        << review.prepared_by;
    if (review.figures_known_at) {
      out << " on the figures known at " << local_time_text(project, *review.figures_known_at);
    }
    out << ", rule set " << review.rule_set_version.substr(0, 12) << '\n';
  }
  if (review.closed_at) {
    out << "  closed " << local_time_text(project, *review.closed_at) << " by " << review.closed_by
        << '\n';
  }
  const auto& missed = details.missed_before;
  if (!missed.empty()) out << "  missed before it: " << join(missed, ", ") << '\n';

  if (review.agenda) {
    const domain::Agenda& agenda = *review.agenda;
    out << "\nAgenda: goals, reporting month " << review.period.to_string() << "\n";
    write_agenda_goals(agenda.goals, out);
    if (!agenda.measures.empty()) {
      out << "\nAgenda: open measures up for follow-up\n";
      std::vector<std::vector<std::string>> rows = {
          {"ID", "GOAL", "TITLE", "OWNER", "ASSIGNEE", "DUE", "STATUS", "NOTE"}};
      for (const auto& measure : agenda.measures) {
        std::vector<std::string> notes;
        if (measure.overdue) notes.push_back("overdue");
        if (measure.follow_up_due) notes.push_back("follow-up due");
        const bool followed_up =
            std::any_of(details.follow_ups.begin(), details.follow_ups.end(),
                        [&](const auto& follow_up) { return follow_up.measure_id == measure.id; });
        if (followed_up) notes.push_back("followed up here");
        const auto now = status_now.find(measure.id);
        if (now != status_now.end() && now->second != measure.status) {
          notes.push_back("now " + domain::to_string(now->second));
        }
        rows.push_back({std::to_string(measure.id), measure.goal, measure.title, measure.owner,
                        measure.assignee, format_date(measure.due),
                        domain::to_string(measure.status), join(notes, ", ")});
      }
      write_table(rows, {0}, out);
    }
  }
  if (!details.escalations.empty()) {
    out << "\nAgenda: escalations\n";
    for (const auto& escalation : details.escalations) {
      out << "  - " << domain::to_string(escalation.kind) << ", to " << escalation.party << ": "
          << locale::escalation_reason(domain::agenda_escalation(escalation), locale::Language::en)
          << '\n';
    }
  }
  if (review.state == ReviewState::missed) return;
  out << "\nMinutes\n";
  if (details.entries.empty()) out << "  nothing recorded yet\n";
  std::vector<std::string> attended;
  for (const auto& entry : details.entries) {
    if (entry.kind == EntryKind::attendance) attended.push_back(entry.text);
  }
  if (!attended.empty()) out << "  attended: " << join(attended, ", ") << '\n';
  for (const auto& entry : details.entries) {
    switch (entry.kind) {
      case EntryKind::attendance:
        continue;
      case EntryKind::assessment:
        out << "  assessment: ";
        break;
      case EntryKind::external_conditions:
        out << "  external conditions: ";
        break;
      case EntryKind::decision:
        out << "  decision: ";
        break;
      case EntryKind::no_measure:
        out << "  no measure for " << entry.goal << ": ";
        break;
    }
    out << entry.text << "  (" << entry.actor << ", " << local_time_text(project, entry.recorded_at)
        << ")\n";
  }
  if (!details.agreed_measures.empty()) {
    out << "\nMeasures agreed in this review\n";
    write_measure_table(details.agreed_measures, out);
  }
  if (!details.follow_ups.empty()) {
    out << "\nFollow-ups recorded in this review\n";
    for (const auto& follow_up : details.follow_ups) {
      out << "  measure " << follow_up.measure_id << ": " << domain::to_string(follow_up.status);
      const std::string changes = changes_text(follow_up.changes);
      if (!changes.empty()) out << "; " << changes;
      if (!follow_up.note.empty()) out << "; note: " << follow_up.note;
      out << "  (" << follow_up.actor << ", " << local_time_text(project, follow_up.recorded_at)
          << ")\n";
    }
  }
  if (review.state == ReviewState::prepared) {
    if (details.open_items.empty()) {
      out << "\nCan be closed.\n";
    } else {
      out << "\nOpen before it can be closed:\n";
      for (const auto& item : details.open_items)
        out << "  - " << locale::open_item_text(item, locale::Language::en) << '\n';
    }
  }
}

int run_list(const ListOptions& options) {
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  engine::ReviewFilter filter;
  filter.workflow = options.workflow;
  if (!options.state.empty()) filter.state = domain::parse_review_state(options.state);
  const auto reviews = engine::list_reviews(context.project, *context.database, filter);
  if (!reviews) return report_error(reviews.error());
  if (options.format == "json") {
    std::cout << engine::reviews_json(reviews.value()) << '\n';
    return kSuccess;
  }
  if (reviews.value().empty()) {
    std::cout << (options.workflow.empty() && options.state.empty()
                      ? "no reviews yet: `zielwerk run` prepares them when their time comes\n"
                      : "no reviews match\n");
    return kSuccess;
  }
  std::vector<std::vector<std::string>> rows = {
      {"REVIEW", "MEETING", "STATE", "PERIOD", "OPEN ITEMS / CLOSED"}};
  for (const auto& [review, open_items] : reviews.value()) {
    std::string note;
    if (review.state == ReviewState::prepared) {
      const auto count = open_items.size();
      note = count == 0 ? "can be closed"
                        : std::to_string(count) + (count == 1 ? " open item" : " open items");
    } else if (review.state == ReviewState::closed) {
      note = "closed by " + review.closed_by + " on " +
             (review.closed_at ? local_time_text(context.project, *review.closed_at) : "?");
    } else {
      note = "-";
    }
    rows.push_back({review.id, review.meeting_date ? format_date(*review.meeting_date) : "-",
                    state_text(review), review.period.to_string(), note});
  }
  write_table(rows, {}, std::cout);
  return kSuccess;
}

int run_show(const ShowOptions& options) {
  auto opened = open_for_reading(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ReadContext>(opened);
  const auto details = engine::show_review(context.project, *context.database, options.id);
  if (!details) return report_error(details.error());
  if (options.format == "json") {
    std::cout << engine::review_json(details.value()) << '\n';
    return kSuccess;
  }
  const auto measures = engine::list_measures(*context.database, {}, {});
  if (!measures) return report_error(measures.error());
  std::map<std::int64_t, domain::MeasureStatus> status_now;
  for (const auto& view : measures.value())
    status_now[view.measure.id] = view.measure.status;
  write_show_table(context.project, details.value(), status_now, std::cout);
  return kSuccess;
}

int run_record(const RecordOptions& options, const Clock& clock) {
  engine::ReviewMinutes minutes;
  minutes.review_id = options.id;
  minutes.attendance = options.attended;
  minutes.assessment = options.assessment;
  minutes.external_conditions = options.external_conditions;
  minutes.decisions = options.decisions;
  for (const auto& item : options.no_measure) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      return report_error(Error::usage("--no-measure: '" + item +
                                       "' is not GOAL=REASON (e.g. iq-frauen=\"the new "
                                       "programme starts in July\")"));
    }
    minutes.no_measure.emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  auto opened = open_for_change(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ChangeContext>(opened);
  minutes.actor = context.actor;
  minutes.now = clock();
  const Status recorded = engine::record_review(context.project, *context.database, minutes);
  if (!recorded) return report_error(recorded.error());
  std::vector<std::string> parts;
  if (!minutes.attendance.empty()) {
    parts.push_back("attendance of " + std::to_string(minutes.attendance.size()));
  }
  if (!minutes.assessment.empty()) parts.push_back("assessment");
  if (!minutes.external_conditions.empty()) parts.push_back("external conditions");
  if (!minutes.decisions.empty()) {
    parts.push_back(std::to_string(minutes.decisions.size()) +
                    (minutes.decisions.size() == 1 ? " decision" : " decisions"));
  }
  for (const auto& [goal, reason] : minutes.no_measure)
    parts.push_back("no measure for " + goal);
  std::cout << minutes.review_id << ": recorded " << join(parts, ", ") << " (by " << context.actor
            << ")\n";
  const auto details = engine::show_review(context.project, *context.database, options.id);
  if (details) {
    std::vector<std::string> items;
    for (const auto& item : details.value().open_items)
      items.push_back(locale::open_item_text(item, locale::Language::en));
    std::cout << (items.empty() ? std::string("can be closed")
                                : "open before closing: " + join(items, "; "))
              << '\n';
  }
  return kSuccess;
}

int run_close(const CloseOptions& options, const Clock& clock) {
  auto opened = open_for_change(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ChangeContext>(opened);
  const Timestamp now = clock();
  const Status closed =
      engine::close_review(context.project, *context.database, options.id, context.actor, now);
  if (!closed) return report_error(closed.error());
  std::cout << options.id << ": closed by " << context.actor << " on "
            << local_time_text(context.project, now) << '\n';
  return kSuccess;
}

}  // namespace

Action register_review(Command app, const Clock& clock) {
  Command command =
      app.subcommand("review", "Review meetings: agenda, minutes, attendance, closing");
  command.require_subcommand(1);
  command.set_help_flag("-h,--help", "print this help and exit");
  command.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command.footer(std::string("The review meetings of the workflows. `zielwerk run` prepares each "
                             "meeting: it freezes the evaluation of the reviewed month and "
                             "builds the agenda. In the meeting, record the attendance, the "
                             "joint assessment, notes on external conditions and decisions; "
                             "then close the review. Reviews are named workflow/reviewed "
                             "month, e.g. ba-zielnachhaltedialog/2025-05.") +
                 "\n\n" + kExitCodesHelp);

  auto list_options = std::make_shared<ListOptions>();
  Command list = command.subcommand("list", "List the reviews and their state");
  list.footer(std::string("List the reviews by meeting: prepared (with how many items are "
                          "still open before it can be closed), missed (the meeting passed "
                          "while nothing ran) or closed (by whom and when). \"late\" marks a "
                          "review prepared after its meeting had started.") +
              "\n\n" + kExitCodesHelp);
  add_data_options(list, *list_options, false);
  list.option("--workflow", list_options->workflow, "only the reviews of this workflow")
      .type_name("ID");
  list.option("--state", list_options->state,
              "only reviews in this state: prepared, missed, "
              "closed")
      .type_name("STATE")
      .one_of(kStates);
  add_format_option(list, list_options->format, {"table", "json"});

  auto show_options = std::make_shared<ShowOptions>();
  Command show = command.subcommand("show", "Show a review: agenda, minutes, measures");
  show.footer(std::string("Show one review: the agenda frozen when it was prepared (the goals "
                          "of the workflow with status, value, target and year-end forecast; "
                          "the open measures up for follow-up, with overdue flags; the "
                          "escalations), the missed reviews before it, the minutes, the "
                          "measures agreed and the follow-ups recorded in it, and what is "
                          "still open before it can be closed. --format json writes the "
                          "snapshot and agenda as JSON objects.") +
              "\n\n" + kExitCodesHelp);
  add_data_options(show, *show_options, false);
  show.option("ID", show_options->id, "review id, workflow/YYYY-MM").required();
  add_format_option(show, show_options->format, {"table", "json"});

  auto record_options = std::make_shared<RecordOptions>();
  Command record = command.subcommand("record", "Record the minutes of a review");
  record.footer(
      std::string("Add to the minutes of a prepared review: who took part, the joint assessment "
                  "of the figures, notes on external conditions (labour market, law) and the "
                  "decisions taken. When the agenda demands a measure for a goal, either agree "
                  "one (`zielwerk measure add`) or decide against it with --no-measure "
                  "GOAL=REASON. Options may be repeated; everything given is recorded together "
                  "with one audit record. Minutes are only added to, never changed. Missed and "
                  "closed reviews take no minutes.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(record, *record_options, true);
  record.option("ID", record_options->id, "review id, workflow/YYYY-MM").required();
  record
      .option("--attended", record_options->attended,
              "who took part: an actor id of zielwerk.yaml or a party id of the agreement, "
              "never a person's name (repeatable)")
      .type_name("ACTOR|PARTY")
      .allow_extra_args(false);
  record.option("--assessment", record_options->assessment, "the joint assessment")
      .type_name("TEXT");
  record
      .option("--external-conditions", record_options->external_conditions,
              "notes on external conditions: labour market, law, funding")
      .type_name("TEXT");
  record.option("--decision", record_options->decisions, "a decision taken (repeatable)")
      .type_name("TEXT")
      .allow_extra_args(false);
  record
      .option("--no-measure", record_options->no_measure,
              "decide against a demanded measure for GOAL, with the reason (repeatable)")
      .type_name("GOAL=REASON")
      .allow_extra_args(false);

  auto close_options = std::make_shared<CloseOptions>();
  Command close = command.subcommand("close", "Close a review");
  close.footer(std::string("Close a prepared review once its minutes are complete: the "
                           "attendance is recorded, every measure the agenda demands is agreed "
                           "in this review or decided against, and every open measure on the "
                           "agenda has a follow-up recorded in this review (`zielwerk measure "
                           "update ID --review REVIEW`). Otherwise nothing is changed and each "
                           "open item is named.") +
               "\n\n" + kExitCodesHelp);
  add_data_options(close, *close_options, true);
  close.option("ID", close_options->id, "review id, workflow/YYYY-MM").required();

  return [=] {
    if (list.parsed()) return run_list(*list_options);
    if (show.parsed()) return run_show(*show_options);
    if (record.parsed()) return run_record(*record_options, clock);
    if (close.parsed()) return run_close(*close_options, clock);
    return static_cast<int>(kUsage);
  };
}

}  // namespace zielwerk::cli
