// zielwerk measure add --review ID --goal GOAL --title TEXT --owner PARTY --assignee ROLE
//                      --due DATE [--follow-up DATE]
// zielwerk measure update ID [--status S] [--reason TEXT] [--note TEXT] [--review ID]
//                            [--due DATE] [--follow-up DATE] [--assignee ROLE]
// zielwerk measure list [--goal GOAL] [--review ID] [--status S] [--open] [--overdue]
//                       [--today DATE] [--format table|json|csv]
#include <algorithm>
#include <iostream>
#include <memory>

#include "commands.h"
#include "csv_output.h"
#include "text_table.h"
#include "workflow_output.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/engine/json_views.h"
#include "zielwerk/engine/measures.h"
#include "zielwerk/engine/reviews.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/version.h"
#include "zielwerk/workflows/time_zone.h"

namespace zielwerk::cli {
namespace {

struct AddOptions : DataOptions {
  std::string review;
  std::string goal;
  std::string title;
  std::string owner;
  std::string assignee;
  std::string due;
  std::string follow_up;
};

struct UpdateOptions : DataOptions {
  std::int64_t id = 0;
  std::string status;
  std::string reason;
  std::string note;
  std::string review;
  std::string due;
  std::string follow_up;
  std::string assignee;
  Option assignee_option;  // given at all: an empty assignee is refused
};

struct ListOptions : DataOptions {
  std::string goal;
  std::string review;
  std::string status;
  bool open_only = false;
  bool overdue_only = false;
  std::string today;
  std::string format;
};

// An optional date option: nullopt when not given.
Result<std::optional<std::chrono::year_month_day>> optional_date_option(std::string_view option,
                                                                        const std::string& text) {
  if (text.empty()) return std::optional<std::chrono::year_month_day>();
  const auto date = date_option(option, text);
  if (!date) return date.error();
  return std::optional<std::chrono::year_month_day>(date.value());
}

void write_csv(const std::vector<engine::MeasureView>& views, std::ostream& out) {
  out << "id,goal,agreed_in,workflow,title,owner,assignee,due,follow_up,status,overdue,reason,"
         "created_at,created_by,updated_at,follow_ups\n";
  for (const auto& view : views) {
    const domain::Measure& m = view.measure;
    const std::vector<std::string> fields = {
        std::to_string(m.id),
        m.goal,
        m.review_id,
        view.workflow,
        m.title,
        m.owner_party,
        m.assignee,
        format_date(m.due_on),
        m.follow_up_on ? format_date(*m.follow_up_on) : "",
        domain::to_string(m.status),
        view.overdue ? "true" : "false",
        m.reason,
        format_timestamp(m.created_at),
        m.created_by,
        format_timestamp(m.updated_at),
        std::to_string(view.follow_ups.size()),
    };
    for (std::size_t i = 0; i < fields.size(); ++i)
      out << (i > 0 ? "," : "") << csv_field(fields[i]);
    out << '\n';
  }
}

void write_table_output(const std::vector<engine::MeasureView>& views, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"ID", "GOAL", "AGREED IN", "TITLE", "OWNER",
                                                 "ASSIGNEE", "DUE", "FOLLOW-UP", "STATUS", "NOTE"}};
  for (const auto& view : views) {
    const domain::Measure& m = view.measure;
    std::vector<std::string> notes;
    if (view.overdue) notes.push_back("overdue");
    if (m.status == domain::MeasureStatus::dropped && !m.reason.empty()) {
      notes.push_back("reason: " + m.reason);
    }
    if (!view.follow_ups.empty()) {
      const auto& last = view.follow_ups.back();
      notes.push_back(std::to_string(view.follow_ups.size()) +
                      (view.follow_ups.size() == 1 ? " follow-up" : " follow-ups") + ", last " +
                      format_timestamp(last.recorded_at).substr(0, 10) +
                      (last.review_id.empty() ? "" : " in " + last.review_id));
    }
    rows.push_back({std::to_string(m.id), m.goal, m.review_id, m.title, m.owner_party, m.assignee,
                    format_date(m.due_on), m.follow_up_on ? format_date(*m.follow_up_on) : "-",
                    domain::to_string(m.status), join(notes, "; ")});
  }
  write_table(rows, {0}, out);
}

int run_add(const AddOptions& options, const Clock& clock) {
  engine::NewMeasure measure;
  const auto due = date_option("--due", options.due);
  if (!due) return report_error(due.error());
  const auto follow_up = optional_date_option("--follow-up", options.follow_up);
  if (!follow_up) return report_error(follow_up.error());
  measure.review_id = options.review;
  measure.goal = options.goal;
  measure.title = options.title;
  measure.owner_party = options.owner;
  measure.assignee = options.assignee;
  measure.due = due.value();
  measure.follow_up = follow_up.value();
  auto opened = open_for_change(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ChangeContext>(opened);
  measure.actor = context.actor;
  measure.now = clock();
  const auto id = engine::add_measure(context.project, *context.database, measure);
  if (!id) return report_error(id.error());
  std::cout << "measure " << id.value() << " agreed for " << measure.goal << " in "
            << measure.review_id << '\n';
  return kSuccess;
}

int run_update(const UpdateOptions& options, const Clock& clock) {
  engine::MeasureChange change;
  change.id = options.id;
  if (!options.status.empty()) change.status = domain::parse_measure_status(options.status);
  const auto due = optional_date_option("--due", options.due);
  if (!due) return report_error(due.error());
  const auto follow_up = optional_date_option("--follow-up", options.follow_up);
  if (!follow_up) return report_error(follow_up.error());
  change.due = due.value();
  change.follow_up = follow_up.value();
  change.reason = options.reason;
  change.note = options.note;
  change.review_id = options.review;
  if (options.assignee_option.given()) change.assignee = options.assignee;
  auto opened = open_for_change(options);
  if (const int* exit_code = std::get_if<int>(&opened)) return *exit_code;
  auto& context = std::get<ChangeContext>(opened);
  change.actor = context.actor;
  change.now = clock();
  const Status updated = engine::update_measure(context.project, *context.database, change);
  if (!updated) return report_error(updated.error());
  // What was recorded: the follow-up entry just written.
  const auto today = workflows::local_date(context.project.config.time_zone, change.now);
  const auto views = engine::list_measures(*context.database, {}, today);
  if (!views) return report_error(views.error());
  for (const auto& view : views.value()) {
    if (view.measure.id != change.id || view.follow_ups.empty()) continue;
    const auto& entry = view.follow_ups.back();
    std::vector<std::string> parts;
    if (const std::string changes = changes_text(entry.changes); !changes.empty()) {
      parts.push_back(changes);
    }
    if (!entry.note.empty()) parts.push_back("note recorded");
    std::cout << "measure " << change.id << " (" << view.measure.goal << "): " << join(parts, "; ");
    if (!entry.review_id.empty()) std::cout << "; followed up in " << entry.review_id;
    std::cout << "; now " << domain::to_string(view.measure.status) << '\n';
  }
  return kSuccess;
}

int run_list(const ListOptions& options, const Clock& clock) {
  engine::MeasureFilter filter;
  filter.goal = options.goal;
  filter.review_id = options.review;
  if (!options.status.empty()) filter.status = domain::parse_measure_status(options.status);
  filter.open_only = options.open_only;
  filter.overdue_only = options.overdue_only;
  std::optional<std::chrono::year_month_day> today_option;
  if (!options.today.empty()) {
    const auto date = date_option("--today", options.today);
    if (!date) return report_error(date.error());
    today_option = date.value();
  }
  auto project = load_project_or_report(options);
  if (!project) return static_cast<int>(kInvalidInput);
  if (!options.goal.empty() && project->rules.find_goal(options.goal) == nullptr) {
    return report_error(Error::usage("--goal: unknown goal '" + options.goal + "'" +
                                     did_you_mean(options.goal, project->rules.goal_ids())));
  }
  auto database = engine::open_database(*project, options.db, engine::OpenMode::must_exist);
  if (!database) return report_error(database.error());
  if (!options.review.empty()) {
    const auto review = engine::show_review(*project, *database.value(), options.review);
    if (!review) return report_error(review.error());
  }
  const auto today =
      today_option ? *today_option : workflows::local_date(project->config.time_zone, clock());
  const auto views = engine::list_measures(*database.value(), filter, today);
  if (!views) return report_error(views.error());
  if (options.format == "json") {
    std::cout << engine::measures_json(views.value(), today) << '\n';
  } else if (options.format == "csv") {
    write_csv(views.value(), std::cout);
  } else if (views.value().empty()) {
    std::cout << "no measures match\n";
  } else {
    write_table_output(views.value(), std::cout);
  }
  return kSuccess;
}

}  // namespace

Action register_measure(Command app, const Clock& clock) {
  Command command = app.subcommand("measure", "Control measures: agree, follow up, list");
  command.require_subcommand(1);
  command.set_help_flag("-h,--help", "print this help and exit");
  command.set_version_flag("--version", std::string("zielwerk ") + kVersion);
  command.footer(std::string("Control measures for goals behind their targets: agreed in a "
                             "review with an owner party, an assignee (a role or team), a due "
                             "date and a follow-up date, then followed up in later reviews "
                             "until done or dropped. Every change is kept in the measure's "
                             "follow-up log and the audit trail.") +
                 "\n\n" + kExitCodesHelp);
  const std::vector<std::string>& statuses = domain::measure_status_names();

  auto add_options = std::make_shared<AddOptions>();
  Command add = command.subcommand("add", "Agree a measure in a review");
  add.footer(std::string("Agree a control measure for GOAL in a prepared review. The goal must "
                         "be in the scope of the review's workflow, the owner one of its "
                         "participants; due and follow-up dates lie on or after the meeting, "
                         "the follow-up not after the due date. Prints the new measure's id. "
                         "The measure starts as agreed.") +
             "\n\n" + kExitCodesHelp);
  add_data_options(add, *add_options, true);
  add.option("--review", add_options->review, "the review that agrees it, workflow/YYYY-MM")
      .type_name("ID")
      .required();
  add.option("--goal", add_options->goal, "the goal it is for").type_name("GOAL").required();
  add.option("--title", add_options->title, "what is to be done").type_name("TEXT").required();
  add.option("--owner", add_options->owner, "the responsible party, a participant")
      .type_name("PARTY")
      .required();
  add.option("--assignee", add_options->assignee,
             "the role or team that carries it out (never a person's name)")
      .type_name("ROLE")
      .required();
  add.option("--due", add_options->due, "when it is to be done, YYYY-MM-DD")
      .type_name("DATE")
      .required();
  add.option("--follow-up", add_options->follow_up,
             "when it is to be followed up, YYYY-MM-DD (not after --due)")
      .type_name("DATE");

  auto update_options = std::make_shared<UpdateOptions>();
  Command update = command.subcommand("update", "Follow a measure up: status, dates, note");
  update.footer(
      std::string("Record a follow-up of measure ID: a new status (agreed -> in_progress, done "
                  "or dropped; in_progress -> done or dropped; done and dropped are final), "
                  "new due or follow-up dates, another assignee, and/or a note. Dropping needs "
                  "--reason. With --review the follow-up counts for that review (same workflow, "
                  "prepared): a review can only be closed once each open measure on its agenda "
                  "is followed up in it. Each update is one entry in the measure's follow-up "
                  "log with what changed.") +
      "\n\n" + kExitCodesHelp);
  add_data_options(update, *update_options, true);
  update.option("ID", update_options->id, "measure id (see `zielwerk measure list`)").required();
  update.option("--status", update_options->status, "new status: " + join(statuses, ", "))
      .type_name("STATUS")
      .one_of(statuses);
  update.option("--reason", update_options->reason, "why it is dropped (with --status dropped)")
      .type_name("TEXT");
  update.option("--note", update_options->note, "what was reported on it").type_name("TEXT");
  update
      .option("--review", update_options->review,
              "the review it is followed up in, workflow/YYYY-MM")
      .type_name("ID");
  update.option("--due", update_options->due, "new due date, YYYY-MM-DD").type_name("DATE");
  update.option("--follow-up", update_options->follow_up, "new follow-up date, YYYY-MM-DD")
      .type_name("DATE");
  update_options->assignee_option =
      update.option("--assignee", update_options->assignee, "new assignee: a role or team")
          .type_name("ROLE");

  auto list_options = std::make_shared<ListOptions>();
  Command list = command.subcommand("list", "List measures");
  list.footer(std::string("List the control measures by id with their status and follow-up "
                          "count. A measure is overdue when it is open (agreed or in_progress) "
                          "and its due date is before --today (default: today in the "
                          "project's time zone). Filters combine.") +
              "\n\n" + kExitCodesHelp);
  add_data_options(list, *list_options, false);
  list.option("--goal", list_options->goal, "only measures for this goal").type_name("GOAL");
  list.option("--review", list_options->review, "only measures agreed in this review")
      .type_name("ID");
  list.option("--status", list_options->status, "only measures in this status")
      .type_name("STATUS")
      .one_of(statuses);
  list.flag("--open", list_options->open_only, "only open measures (agreed, in_progress)");
  list.flag("--overdue", list_options->overdue_only, "only overdue measures");
  list.option("--today", list_options->today,
              "the day overdue is judged on, YYYY-MM-DD (default: today)")
      .type_name("DATE");
  add_format_option(list, list_options->format, {"table", "json", "csv"});

  return [=] {
    if (add.parsed()) return run_add(*add_options, clock);
    if (update.parsed()) return run_update(*update_options, clock);
    if (list.parsed()) return run_list(*list_options, clock);
    return static_cast<int>(kUsage);
  };
}

}  // namespace zielwerk::cli
