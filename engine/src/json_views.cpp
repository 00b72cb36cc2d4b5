#include "zielwerk/engine/json_views.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "document_json.h"
#include "zielwerk/common/calendar.h"
#include "zielwerk/common/text.h"
#include "zielwerk/common/timestamp.h"
#include "zielwerk/domain/audit_vocabulary.h"
#include "zielwerk/engine/documents.h"
#include "zielwerk/engine/evaluation_json.h"
#include "zielwerk/engine/workspace.h"
#include "zielwerk/locale/catalogue.h"
#include "zielwerk/storage/audit_line.h"
#include "zielwerk/workflows/workflow.h"

namespace zielwerk::engine {
namespace {

using nlohmann::json;

// ---- Values that may be missing: null, never left out -------------------

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json date_or_null(const std::optional<std::chrono::year_month_day>& date) {
  return date ? json(format_date(*date)) : json(nullptr);
}

json time_or_null(const std::optional<Timestamp>& time) {
  return time ? json(format_timestamp(*time)) : json(nullptr);
}

// ---- Measures --------------------------------------------------------

json measure_object(const domain::Measure& measure) {
  return {
      {"id", measure.id},
      {"goal", measure.goal},
      {"title", measure.title},
      {"agreed_in", measure.review_id},
      {"owner", measure.owner_party},
      {"assignee", measure.assignee},
      {"due", format_date(measure.due_on)},
      {"follow_up", date_or_null(measure.follow_up_on)},
      {"status", domain::to_string(measure.status)},
      {"reason", text_or_null(measure.reason)},
      {"created_at", format_timestamp(measure.created_at)},
      {"created_by", measure.created_by},
      {"updated_at", format_timestamp(measure.updated_at)},
  };
}

json follow_up_object(const domain::MeasureFollowUp& follow_up) {
  return {
      {"id", follow_up.id},
      {"measure", follow_up.measure_id},
      {"review", text_or_null(follow_up.review_id)},
      {"recorded_at", format_timestamp(follow_up.recorded_at)},
      {"actor", follow_up.actor},
      {"status", domain::to_string(follow_up.status)},
      {"note", follow_up.note},
      {"changes", field_changes_json(follow_up.changes)},
  };
}

// The stored fields, with the workflow, whether it is overdue and its follow-up log.
json measure_view_object(const MeasureView& view) {
  json measure = measure_object(view.measure);
  measure["workflow"] = view.workflow;
  measure["overdue"] = view.overdue;
  json follow_ups = json::array();
  for (const auto& follow_up : view.follow_ups)
    follow_ups.push_back(follow_up_object(follow_up));
  measure["follow_ups"] = follow_ups;
  return measure;
}

// ---- Audit queries ---------------------------------------------------

std::vector<std::string> names_of(const std::vector<domain::AuditTerm>& terms) {
  std::vector<std::string> names;
  for (const auto& term : terms)
    names.push_back(term.name);
  return names;
}

Result<storage::AuditObject> parse_object(const std::string& text, const std::string& option) {
  const auto colon = text.find(':');
  const auto kinds = names_of(domain::audit_object_kinds());
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Error::usage(option + ": '" + text +
                        "' is not KIND:ID (e.g. goal:iq-frauen); kinds: " + join(kinds, ", "));
  }
  storage::AuditObject object{text.substr(0, colon), text.substr(colon + 1)};
  if (std::find(kinds.begin(), kinds.end(), object.kind) == kinds.end()) {
    return Error::usage(option + ": unknown kind '" + object.kind + "'" +
                        did_you_mean(object.kind, kinds) + "; kinds: " + join(kinds, ", "));
  }
  return object;
}

// An operation name or "prefix.*"; typos would silently match nothing.
Status check_operation(const std::string& operation, const std::string& option) {
  const auto names = names_of(domain::audit_operations());
  if (operation.size() > 2 && operation.ends_with(".*")) {
    const std::string prefix = operation.substr(0, operation.size() - 1);
    for (const auto& name : names) {
      if (name.starts_with(prefix)) return Ok{};
    }
  } else if (std::find(names.begin(), names.end(), operation) != names.end()) {
    return Ok{};
  }
  return Error::usage(option + ": unknown operation '" + operation + "'" +
                      did_you_mean(operation, names) + "; operations: " + join(names, ", ") +
                      " (or a prefix such as measure.*)");
}

// since DATE means from the start of that day, until DATE up to its end
// (parse_point_in_time's reading of a date); with a time, exactly then.
Result<Timestamp> point_in_time(const Project& project, const std::string& text,
                                const std::string& option, bool start_of_day) {
  if (start_of_day && parse_date(text)) {
    return parse_point_in_time(project, text + "T00:00", option);
  }
  return parse_point_in_time(project, text, option);
}

// A record's payload as JSON. One that does not parse (written outside
// zielwerk; `audit verify` names it) is shown by its columns.
json payload_object(const storage::AuditRecord& record) {
  json object = json::parse(record.payload, nullptr, /*allow_exceptions=*/false);
  if (object.is_object()) return object;
  return {{"seq", record.seq},
          {"recorded_at", format_timestamp(record.recorded_at)},
          {"actor", record.actor},
          {"operation", record.operation},
          {"rule_set_version", record.rule_set_version},
          {"objects", json::array()},
          {"details", json::object()},
          {"unreadable_payload", true}};
}

// ---- Reviews ---------------------------------------------------------

json review_object(const domain::Review& review) {
  return {
      {"id", review.id},
      {"workflow", review.workflow},
      {"period", review.period.to_string()},
      {"meeting_date", date_or_null(review.meeting_date)},
      {"starts_at", format_timestamp(review.starts_at)},
      {"state", domain::to_string(review.state)},
      {"late", review.late},
      {"prepared_at", format_timestamp(review.prepared_at)},
      {"prepared_by", review.prepared_by},
      {"rule_set_version", review.rule_set_version},
      {"figures_known_at", time_or_null(review.figures_known_at)},
      {"closed_at", time_or_null(review.closed_at)},
      {"closed_by", text_or_null(review.closed_by)},
  };
}

json open_items_json(const std::vector<domain::OpenItem>& items) {
  json list = json::array();
  for (const auto& item : items)
    list.push_back(locale::open_item_text(item, locale::Language::en));
  return list;
}

json escalation_object(const domain::Escalation& escalation) {
  return {
      {"id", escalation.id},
      {"kind", domain::to_string(escalation.kind)},
      {"subject", escalation.subject},
      {"goal", escalation.goal},
      {"measure", escalation.measure_id ? json(*escalation.measure_id) : json(nullptr)},
      {"milestone", text_or_null(escalation.milestone)},
      {"party", escalation.party},
      {"reason",
       locale::escalation_reason(domain::agenda_escalation(escalation), locale::Language::en)},
      {"facts", escalation_facts_json(escalation.facts)},
      {"raised_at", format_timestamp(escalation.raised_at)},
  };
}

json revision_object(const storage::StoredObservation& row) {
  return {{"revision", row.revision},
          {"value", row.value},
          {"imported_at", format_timestamp(row.imported_at)},
          {"file", row.file_name},
          {"file_hash", row.file_hash},
          {"line", row.line},
          {"source", row.source}};
}

// ---- Audit records as rows ---------------------------------------------

std::string value_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : dump_tolerant(value);
}

// object[key] when it is an array or object; an empty array otherwise.
const json& member(const json& object, const char* key) {
  static const json kNone = json::array();
  if (!object.is_object()) return kNone;
  const auto found = object.find(key);
  return found != object.end() && found->is_structured() ? *found : kNone;
}

// object[key] whatever it is; null when missing.
const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found != object.end() ? *found : kNull;
}

std::string text_field(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::string rules_change_note(const json& details) {
  std::vector<std::string> parts;
  std::size_t added = 0;
  for (const auto& change : member(details, "goals")) {
    const std::string kind = text_field(change, "change");
    const std::string goal = text_field(change, "goal");
    if (kind == "added") {
      ++added;
    } else if (kind == "removed") {
      parts.push_back(goal + " removed");
    } else {
      for (const auto& changed : member(change, "fields")) {
        parts.push_back(goal + " " + text_field(changed, "field") + " " +
                        value_text(field(changed, "before")) + " -> " +
                        value_text(field(changed, "after")));
      }
    }
  }
  if (added > 0) {
    parts.push_back(std::to_string(added) + (added == 1 ? " goal" : " goals") + " added");
  }
  return parts.empty() ? "no goal changed" : join(parts, "; ");
}

// A project or workflow change: what was added or removed, and each changed
// field with its values before and after.
std::string config_change_note(const json& details) {
  std::vector<std::string> parts;
  for (const auto& change : member(details, "changes")) {
    const std::string kind = text_field(change, "change");
    const std::string object = text_field(change, "object");
    if (kind == "added" || kind == "removed") {
      parts.push_back(object + " " + kind);
      continue;
    }
    for (const auto& changed : member(change, "fields")) {
      parts.push_back(object + " " + text_field(changed, "field") + " " +
                      value_text(field(changed, "before")) + " -> " +
                      value_text(field(changed, "after")));
    }
  }
  return parts.empty() ? "nothing changed but the files' bytes" : join(parts, "; ");
}

// One line on what a record did, where its operation has something to say.
std::string note_of(std::string_view operation_name, const json& details) {
  using domain::AuditOperation;
  const auto operation = domain::parse_audit_operation(operation_name);
  if (!operation) return "";
  switch (*operation) {
    case AuditOperation::access_denied:
      return "refused " + text_field(details, "attempted") + ": " + text_field(details, "reason");
    case AuditOperation::rules_change:
      return rules_change_note(details);
    case AuditOperation::project_change:
    case AuditOperation::workflow_change:
      return config_change_note(details);
    case AuditOperation::observations_import:
      return text_field(details, "file") + " (" + value_text(field(details, "added")) + " new, " +
             value_text(field(details, "revised")) + " revised)";
    case AuditOperation::measure_add:
      return text_field(details, "title");
    case AuditOperation::measure_update: {
      std::vector<std::string> parts;
      for (const auto& [name, change] : member(details, "changes").items()) {
        if (change.is_array() && change.size() == 2) {
          parts.push_back(name + " " + value_text(change[0]) + " -> " + value_text(change[1]));
        }
      }
      if (!field(details, "note").is_null())
        parts.push_back("note: " + value_text(details["note"]));
      return join(parts, "; ");
    }
    case AuditOperation::review_prepare:
      if (field(details, "figures_known_at").is_null()) return "";
      return "figures known at " + value_text(details["figures_known_at"]);
    default:
      return "";
  }
}

}  // namespace

AuditEntry audit_entry(const storage::AuditRecord& record) {
  AuditEntry entry;
  entry.record = record;
  const json payload = payload_object(record);
  entry.unreadable_payload = payload.contains("unreadable_payload");
  for (const auto& object : member(payload, "objects"))
    entry.objects.push_back({value_text(field(object, "kind")), value_text(field(object, "id"))});
  entry.details_json =
      dump_tolerant(field(payload, "details").is_null() ? json::object() : payload["details"]);
  entry.file_hash = text_field(payload, "file_hash");
  entry.note = note_of(record.operation, field(payload, "details"));
  return entry;
}

namespace {}  // namespace

std::string review_json(const ReviewDetails& details) {
  json document = review_object(details.review);
  document["snapshot"] =
      details.review.snapshot ? snapshot_json(*details.review.snapshot) : json(nullptr);
  document["agenda"] = details.review.agenda ? agenda_json(*details.review.agenda) : json(nullptr);
  document["missed_before"] = details.missed_before;
  json entries = json::array();
  for (const auto& entry : details.entries) {
    entries.push_back({{"id", entry.id},
                       {"kind", domain::to_string(entry.kind)},
                       {"goal", text_or_null(entry.goal)},
                       {"text", entry.text},
                       {"recorded_at", format_timestamp(entry.recorded_at)},
                       {"actor", entry.actor}});
  }
  document["entries"] = std::move(entries);
  json measures = json::array();
  for (const auto& measure : details.agreed_measures)
    measures.push_back(measure_object(measure));
  document["measures"] = std::move(measures);
  json follow_ups = json::array();
  for (const auto& follow_up : details.follow_ups)
    follow_ups.push_back(follow_up_object(follow_up));
  document["follow_ups"] = std::move(follow_ups);
  json escalations = json::array();
  for (const auto& escalation : details.escalations)
    escalations.push_back(escalation_object(escalation));
  document["escalations"] = std::move(escalations);
  document["open_items"] = open_items_json(details.open_items);
  document["can_close"] =
      details.review.state == domain::ReviewState::prepared && details.open_items.empty();
  return dump_tolerant(document, 2);
}

std::string reviews_json(const std::vector<ReviewSummary>& reviews) {
  json list = json::array();
  for (const auto& summary : reviews) {
    json item = review_object(summary.review);
    item["open_items"] = open_items_json(summary.open_items);
    list.push_back(std::move(item));
  }
  return dump_tolerant(json{{"reviews", list}}, 2);
}

std::string explanation_json(const GoalExplanation& explanation, YearMonth period) {
  json metrics = json::array();
  for (const auto* metric : explanation.metrics) {
    metrics.push_back(
        {{"id", metric->id},
         {"unit", rules::to_string(metric->unit)},
         {"formula", metric->formula ? json(metric->formula->text()) : json(nullptr)}});
  }
  json inputs = json::array();
  for (const auto& input : explanation.inputs) {
    json history = json::array();
    for (const auto& row : input.history)
      history.push_back(revision_object(row));
    inputs.push_back({{"metric", input.metric},
                      {"month", input.month.to_string()},
                      {"used", input.used ? revision_object(*input.used) : json(nullptr)},
                      {"revisions", std::move(history)}});
  }
  domain::Evaluation goal;
  goal.goals.push_back(agenda_goal(explanation.evaluation));
  const json document = {{"period", period.to_string()},
                         {"goal", evaluation_object(goal)["goals"][0]},
                         {"metrics", std::move(metrics)},
                         {"inputs", std::move(inputs)}};
  return dump_tolerant(document, 2);
}

std::string schedule_json(const ProjectSchedule& schedule, const Project& project) {
  json meetings = json::array();
  for (const auto& entry : schedule.meetings) {
    const auto& m = entry.meeting;
    meetings.push_back({
        {"id", m.id()},
        {"workflow", m.workflow},
        {"title", entry.workflow->title},
        {"reviews", m.reviews.to_string()},
        {"date", date_or_null(m.date)},
        {"time", time_of_day_text(m.time_of_day)},
        {"starts_at", format_timestamp(m.starts_at)},
        {"rule_date", format_date(m.rule_date)},
        {"moved", m.moved()},
        {"skipped", m.skipped()},
        {"holiday", text_or_null(m.holiday)},
        {"participants", entry.workflow->participants},
        {"goals", scope_goal_ids(*entry.workflow, project.rules)},
    });
  }
  const json document = {{"agreement", project.rules.agreement.id},
                         {"from", format_date(schedule.from)},
                         {"to", format_date(schedule.to)},
                         {"time_zone", project.config.time_zone},
                         {"holiday_region", project.config.holiday_region},
                         {"regional_holidays", calendar_of(project).holidays.regional},
                         {"meetings", meetings}};
  return document.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string time_of_day_text(std::chrono::minutes since_midnight) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(since_midnight.count() / 60),
                static_cast<int>(since_midnight.count() % 60));
  return buffer;
}

std::vector<std::string> scope_goal_ids(const workflows::Workflow& workflow,
                                        const rules::RuleSet& rules) {
  std::vector<std::string> ids;
  for (const auto* goal : workflows::goals_in_scope(workflow.scope, rules))
    ids.push_back(goal->id);
  return ids;
}

std::string measures_json(const std::vector<MeasureView>& views,
                          std::chrono::year_month_day today) {
  json measures = json::array();
  for (const auto& view : views)
    measures.push_back(measure_view_object(view));
  return dump_tolerant(json{{"today", format_date(today)}, {"measures", measures}}, 2);
}

std::string measure_json(const domain::Measure& measure) {
  return dump_tolerant(measure_object(measure));
}

std::string measure_follow_up_json(const domain::MeasureFollowUp& follow_up) {
  return dump_tolerant(follow_up_object(follow_up));
}

Result<storage::AuditQuery> audit_query(const Project& project, const AuditQueryRequest& request,
                                        std::string_view option_prefix) {
  const auto option = [&](const char* name) { return std::string(option_prefix) + name; };
  storage::AuditQuery query;
  if (!request.goal.empty()) query.objects.push_back({"goal", request.goal});
  if (!request.measure.empty()) query.objects.push_back({"measure", request.measure});
  if (!request.review.empty()) query.objects.push_back({"review", request.review});
  for (const auto& text : request.objects) {
    auto object = parse_object(text, option("object"));
    if (!object) return object.error();
    query.objects.push_back(std::move(object).value());
  }
  if (!request.actor.empty()) query.actor = request.actor;
  for (const auto& operation : request.operations) {
    if (const Status known = check_operation(operation, option("operation")); !known) {
      return known.error();
    }
    query.operations.push_back(operation);
  }
  if (!request.since.empty()) {
    auto since = point_in_time(project, request.since, option("since"), true);
    if (!since) return since.error();
    query.since = since.value();
  }
  if (!request.until.empty()) {
    auto until = point_in_time(project, request.until, option("until"), false);
    if (!until) return until.error();
    // Up to and including that millisecond (a date: its last one); the
    // storage query's bound is exclusive.
    query.until = until.value() + std::chrono::milliseconds(1);
  }
  if (query.since && query.until && *query.until <= *query.since) {
    return Error::usage(option("until") + " must be after " + option("since"));
  }
  if (request.limit < 1) return Error::usage(option("limit") + " must be at least 1");
  query.limit = request.all ? INT64_MAX : request.limit;
  query.newest_first = !request.oldest_first;
  return query;
}

std::string audit_record_json(const storage::AuditRecord& record) {
  json object = payload_object(record);
  object["hash"] = record.hash;
  object["previous_hash"] = record.previous_hash;
  // A record is shown whatever its bytes: a reader of the trail (an auditor,
  // the dashboard) must not fail on a record someone tampered with.
  return dump_tolerant(object);
}

Result<std::int64_t> write_audit_export(storage::Database& database, std::ostream& out) {
  std::int64_t written = 0;
  const Status read = database.snapshot([&]() -> Status {
    const auto head = storage::audit_head(database);
    std::string line;
    storage::for_each_audit_record(database, [&](const storage::AuditRecord& record) {
      if (record.seq > head.seq) return;  // appended while exporting: the next export's
      line.clear();
      storage::append_audit_line(line, record.seq, record.previous_hash, record.hash,
                                 record.payload);
      line.push_back('\n');
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
      ++written;
    });
    return Ok{};
  });
  if (!read) return read.error();
  return written;
}

Result<AuditPage> audit_page(storage::Database& database, const storage::AuditQuery& query) {
  AuditPage page;
  const Status read = database.snapshot([&]() -> Status {
    page.total = storage::count_audit_records(database, query);
    storage::query_audit_records(database, query, [&](const storage::AuditRecord& record) {
      page.entries.push_back(audit_entry(record));
    });
    return Ok{};
  });
  if (!read) return read.error();
  return page;
}

Status write_audit_query_json(storage::Database& database, const storage::AuditQuery& query,
                              bool oldest_first, std::ostream& out) {
  // The document must not name an order other than the one its records are in.
  if (oldest_first == query.newest_first) {
    throw std::logic_error("write_audit_query_json: oldest_first contradicts the query's order");
  }
  return database.snapshot([&]() -> Status {
    const std::int64_t total = storage::count_audit_records(database, query);
    out << "{\n  \"order\": \"" << (oldest_first ? "oldest_first" : "newest_first")
        << "\",\n  \"total\": " << total << ",\n  \"records\": [";
    std::int64_t shown = 0;
    storage::query_audit_records(database, query, [&](const storage::AuditRecord& record) {
      out << (shown++ == 0 ? "\n    " : ",\n    ") << audit_record_json(record);
    });
    out << (shown == 0 ? "]\n}" : "\n  ]\n}");
    return Ok{};
  });
}

}  // namespace zielwerk::engine
