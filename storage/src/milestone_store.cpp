#include "zielwerk/storage/milestone_store.h"

#include "connection.h"
#include "statement.h"
#include "zielwerk/common/calendar.h"

namespace zielwerk::storage {

void insert_milestone_record(Database& database, const MilestoneRecord& record) {
  require_write_transaction(database);
  Statement insert(database,
                   "INSERT INTO milestone_done (goal, milestone, done_on, recorded_at, "
                   "actor, audit_seq) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, record.goal);
  insert.bind(2, record.milestone);
  insert.bind(3, format_date(record.done_on));
  insert.bind(4, format_timestamp(record.recorded_at));
  insert.bind(5, record.actor);
  insert.bind(6, static_cast<int64_t>(record.audit_seq));
  insert.exec();
}

std::vector<MilestoneRecord> load_milestone_records(Database& database,
                                                    std::optional<Timestamp> known_at) {
  Statement query(database,
                  "SELECT goal, milestone, done_on, recorded_at, actor, audit_seq "
                  "FROM milestone_done WHERE recorded_at <= ? ORDER BY goal, done_on");
  query.bind(1, known_at ? format_timestamp(*known_at) : std::string("9999"));
  std::vector<MilestoneRecord> records;
  while (query.executeStep()) {
    MilestoneRecord record;
    record.goal = query.getColumn(0).getString();
    record.milestone = query.getColumn(1).getString();
    record.done_on =
        parse_date(query.getColumn(2).getString()).value_or(std::chrono::year_month_day{});
    record.recorded_at = parse_timestamp(query.getColumn(3).getString()).value_or(Timestamp{});
    record.actor = query.getColumn(4).getString();
    record.audit_seq = query.getColumn(5).getInt64();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace zielwerk::storage
