#include "zielwerk/storage/measure_store.h"

#include "connection.h"
#include "row_values.h"
#include "statement.h"

namespace zielwerk::storage {
namespace {

constexpr const char* kMeasureColumns =
    "id, goal, review_id, title, owner_party, assignee, due_on, follow_up_on, status, reason, "
    "created_at, created_by, updated_at";

using domain::Measure;
using domain::MeasureStatus;

MeasureStatus status_of(const Column& column) {
  const auto status = domain::parse_measure_status(column.getString());
  if (!status) throw std::runtime_error("unknown measure status in the database");
  return *status;
}

Measure measure_from(Statement& row) {
  Measure measure;
  measure.id = row.getColumn(0).getInt64();
  measure.goal = row.getColumn(1).getString();
  measure.review_id = row.getColumn(2).getString();
  measure.title = row.getColumn(3).getString();
  measure.owner_party = row.getColumn(4).getString();
  measure.assignee = row.getColumn(5).getString();
  measure.due_on = date_or_none(row.getColumn(6)).value_or(std::chrono::year_month_day{});
  measure.follow_up_on = date_or_none(row.getColumn(7));
  measure.status = status_of(row.getColumn(8));
  measure.reason = text_or_empty(row.getColumn(9));
  measure.created_at = timestamp_of(row.getColumn(10));
  measure.created_by = row.getColumn(11).getString();
  measure.updated_at = timestamp_of(row.getColumn(12));
  return measure;
}

constexpr const char* kFollowUpColumns =
    "id, measure_id, review_id, recorded_at, actor, status, note, changes, audit_seq";

FollowUpRecord follow_up_from(Statement& row) {
  FollowUpRecord follow_up;
  follow_up.id = row.getColumn(0).getInt64();
  follow_up.measure_id = row.getColumn(1).getInt64();
  follow_up.review_id = text_or_empty(row.getColumn(2));
  follow_up.recorded_at = timestamp_of(row.getColumn(3));
  follow_up.actor = row.getColumn(4).getString();
  follow_up.status = status_of(row.getColumn(5));
  follow_up.note = row.getColumn(6).getString();
  follow_up.changes_json = row.getColumn(7).getString();
  follow_up.audit_seq = row.getColumn(8).getInt64();
  return follow_up;
}

}  // namespace

std::int64_t insert_measure(Database& database, const Measure& measure) {
  require_write_transaction(database);
  Statement insert(
      database,
      "INSERT INTO measure (goal, review_id, title, owner_party, assignee, due_on, follow_up_on, "
      "status, reason, created_at, created_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      Statement::Returning::id);
  insert.bind(1, measure.goal);
  insert.bind(2, measure.review_id);
  insert.bind(3, measure.title);
  insert.bind(4, measure.owner_party);
  insert.bind(5, measure.assignee);
  insert.bind(6, format_date(measure.due_on));
  bind_text_or_null(insert, 7, optional_date_text(measure.follow_up_on));
  insert.bind(8, domain::to_string(measure.status));
  bind_text_or_null(insert, 9, measure.reason);
  insert.bind(10, format_timestamp(measure.created_at));
  insert.bind(11, measure.created_by);
  insert.bind(12, format_timestamp(measure.updated_at));
  insert.exec();
  return insert.inserted_id();
}

void update_measure(Database& database, const Measure& measure) {
  require_write_transaction(database);
  Statement update(database,
                   "UPDATE measure SET title = ?, owner_party = ?, assignee = ?, "
                   "due_on = ?, follow_up_on = ?, status = ?, reason = ?, updated_at = ? "
                   "WHERE id = ?");
  update.bind(1, measure.title);
  update.bind(2, measure.owner_party);
  update.bind(3, measure.assignee);
  update.bind(4, format_date(measure.due_on));
  bind_text_or_null(update, 5, optional_date_text(measure.follow_up_on));
  update.bind(6, domain::to_string(measure.status));
  bind_text_or_null(update, 7, measure.reason);
  update.bind(8, format_timestamp(measure.updated_at));
  update.bind(9, static_cast<int64_t>(measure.id));
  if (update.exec() != 1) throw std::logic_error("updating an unknown measure");
}

std::int64_t insert_measure_follow_up(Database& database, const FollowUpRecord& follow_up) {
  require_write_transaction(database);
  Statement insert(database,
                   "INSERT INTO measure_followup (measure_id, review_id, recorded_at, "
                   "actor, status, note, changes, audit_seq) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   Statement::Returning::id);
  insert.bind(1, static_cast<int64_t>(follow_up.measure_id));
  bind_text_or_null(insert, 2, follow_up.review_id);
  insert.bind(3, format_timestamp(follow_up.recorded_at));
  insert.bind(4, follow_up.actor);
  insert.bind(5, domain::to_string(follow_up.status));
  insert.bind(6, follow_up.note);
  insert.bind(7, follow_up.changes_json);
  insert.bind(8, static_cast<int64_t>(follow_up.audit_seq));
  insert.exec();
  return insert.inserted_id();
}

std::optional<Measure> find_measure(Database& database, std::int64_t id) {
  Statement query(database,
                  std::string("SELECT ") + kMeasureColumns + " FROM measure WHERE id = ?");
  query.bind(1, static_cast<int64_t>(id));
  if (!query.executeStep()) return std::nullopt;
  return measure_from(query);
}

std::vector<Measure> load_measures(Database& database) {
  Statement query(database, std::string("SELECT ") + kMeasureColumns + " FROM measure ORDER BY id");
  std::vector<Measure> measures;
  while (query.executeStep())
    measures.push_back(measure_from(query));
  return measures;
}

std::vector<FollowUpRecord> load_measure_follow_ups(Database& database, std::int64_t measure_id) {
  Statement query(database, std::string("SELECT ") + kFollowUpColumns +
                                " FROM measure_followup WHERE measure_id = ? "
                                "ORDER BY id");
  query.bind(1, static_cast<int64_t>(measure_id));
  std::vector<FollowUpRecord> follow_ups;
  while (query.executeStep())
    follow_ups.push_back(follow_up_from(query));
  return follow_ups;
}

std::vector<FollowUpRecord> load_all_follow_ups(Database& database) {
  Statement query(database, std::string("SELECT ") + kFollowUpColumns +
                                " FROM measure_followup ORDER BY measure_id, id");
  std::vector<FollowUpRecord> follow_ups;
  while (query.executeStep())
    follow_ups.push_back(follow_up_from(query));
  return follow_ups;
}

}  // namespace zielwerk::storage
