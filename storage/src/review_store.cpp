#include "zielwerk/storage/review_store.h"

#include <algorithm>

#include "connection.h"
#include "row_values.h"
#include "statement.h"

namespace zielwerk::storage {
namespace {

using domain::EntryKind;
using domain::EscalationKind;
using domain::ReviewState;

// A stored name the domain does not know: written outside zielwerk.
template <typename Enum, typename Parse>
Enum enum_of(Parse parse, const std::string& text) {
  if (const auto value = parse(text)) return *value;
  throw std::runtime_error("unknown value '" + text + "' in the database");
}

constexpr const char* kReviewColumns =
    "id, workflow, period, meeting_date, starts_at, state, late, prepared_at, prepared_by, "
    "rule_set_version, figures_known_at, snapshot, agenda, closed_at, closed_by, audit_seq";

ReviewRecord review_from(Statement& row) {
  ReviewRecord review;
  review.id = row.getColumn(0).getString();
  review.workflow = row.getColumn(1).getString();
  review.period = YearMonth::parse(row.getColumn(2).getString()).value_or(YearMonth{});
  review.meeting_date = date_or_none(row.getColumn(3));
  review.starts_at = timestamp_of(row.getColumn(4));
  review.state = enum_of<ReviewState>(domain::parse_review_state, row.getColumn(5).getString());
  review.late = row.getColumn(6).getInt() != 0;
  review.prepared_at = timestamp_of(row.getColumn(7));
  review.prepared_by = row.getColumn(8).getString();
  review.rule_set_version = row.getColumn(9).getString();
  review.figures_known_at = timestamp_or_none(row.getColumn(10));
  review.snapshot_json = text_or_empty(row.getColumn(11));
  review.agenda_json = text_or_empty(row.getColumn(12));
  review.closed_at = timestamp_or_none(row.getColumn(13));
  review.closed_by = text_or_empty(row.getColumn(14));
  review.audit_seq = row.getColumn(15).getInt64();
  return review;
}

constexpr const char* kEscalationColumns =
    "id, kind, subject, workflow, goal, measure_id, milestone, party, facts, raised_at, "
    "review_id, audit_seq";

EscalationRecord escalation_from(Statement& row) {
  EscalationRecord escalation;
  escalation.id = row.getColumn(0).getInt64();
  escalation.kind =
      enum_of<EscalationKind>(domain::parse_escalation_kind, row.getColumn(1).getString());
  escalation.subject = row.getColumn(2).getString();
  escalation.workflow = row.getColumn(3).getString();
  escalation.goal = row.getColumn(4).getString();
  if (!row.getColumn(5).isNull()) escalation.measure_id = row.getColumn(5).getInt64();
  escalation.milestone = text_or_empty(row.getColumn(6));
  escalation.party = row.getColumn(7).getString();
  escalation.facts_json = row.getColumn(8).getString();
  escalation.raised_at = timestamp_of(row.getColumn(9));
  escalation.review_id = text_or_empty(row.getColumn(10));
  escalation.audit_seq = row.getColumn(11).getInt64();
  return escalation;
}

}  // namespace

void insert_review(Database& database, const ReviewRecord& review) {
  require_write_transaction(database);
  Statement insert(database, std::string("INSERT INTO review (") + kReviewColumns +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, review.id);
  insert.bind(2, review.workflow);
  insert.bind(3, review.period.to_string());
  bind_text_or_null(insert, 4, optional_date_text(review.meeting_date));
  insert.bind(5, format_timestamp(review.starts_at));
  insert.bind(6, domain::to_string(review.state));
  insert.bind(7, review.late ? 1 : 0);
  insert.bind(8, format_timestamp(review.prepared_at));
  insert.bind(9, review.prepared_by);
  insert.bind(10, review.rule_set_version);
  bind_text_or_null(insert, 11, optional_timestamp_text(review.figures_known_at));
  bind_text_or_null(insert, 12, review.snapshot_json);
  bind_text_or_null(insert, 13, review.agenda_json);
  bind_text_or_null(insert, 14, optional_timestamp_text(review.closed_at));
  bind_text_or_null(insert, 15, review.closed_by);
  insert.bind(16, static_cast<int64_t>(review.audit_seq));
  insert.exec();
}

void close_review_record(Database& database, const std::string& id, Timestamp closed_at,
                         const std::string& actor) {
  require_write_transaction(database);
  Statement update(database,
                   "UPDATE review SET state = 'closed', closed_at = ?, closed_by = ? "
                   "WHERE id = ? AND state = 'prepared'");
  update.bind(1, format_timestamp(closed_at));
  update.bind(2, actor);
  update.bind(3, id);
  if (update.exec() != 1) throw std::logic_error("closing review '" + id + "': not prepared");
}

std::optional<ReviewRecord> find_review(Database& database, const std::string& id) {
  Statement query(database, std::string("SELECT ") + kReviewColumns + " FROM review WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return review_from(query);
}

std::vector<ReviewRecord> load_reviews(Database& database, const std::string& workflow) {
  Statement query(database,
                  std::string("SELECT ") + kReviewColumns +
                      " FROM review WHERE ?1 = '' OR workflow = ?1 ORDER BY starts_at, id");
  query.bind(1, workflow);
  std::vector<ReviewRecord> reviews;
  while (query.executeStep())
    reviews.push_back(review_from(query));
  return reviews;
}

std::optional<ReviewSnapshot> latest_snapshot_of_period(Database& database, YearMonth period) {
  Statement query(database,
                  "SELECT id, prepared_at, snapshot FROM review WHERE period = ? AND snapshot IS "
                  "NOT NULL ORDER BY prepared_at DESC, id DESC LIMIT 1");
  query.bind(1, period.to_string());
  if (!query.executeStep()) return std::nullopt;
  return ReviewSnapshot{query.getColumn(0).getString(), timestamp_of(query.getColumn(1)),
                        query.getColumn(2).getString()};
}

std::int64_t insert_review_entry(Database& database, const domain::ReviewEntry& entry) {
  require_write_transaction(database);
  Statement insert(database,
                   "INSERT INTO review_entry (review_id, kind, goal, text, recorded_at, "
                   "actor, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   Statement::Returning::id);
  insert.bind(1, entry.review_id);
  insert.bind(2, domain::to_string(entry.kind));
  bind_text_or_null(insert, 3, entry.goal);
  insert.bind(4, entry.text);
  insert.bind(5, format_timestamp(entry.recorded_at));
  insert.bind(6, entry.actor);
  insert.bind(7, static_cast<int64_t>(entry.audit_seq));
  insert.exec();
  return insert.inserted_id();
}

std::vector<domain::ReviewEntry> load_review_entries(Database& database,
                                                     const std::string& review_id) {
  Statement query(database,
                  "SELECT id, review_id, kind, goal, text, recorded_at, actor, audit_seq "
                  "FROM review_entry WHERE review_id = ? ORDER BY id");
  query.bind(1, review_id);
  std::vector<domain::ReviewEntry> entries;
  while (query.executeStep()) {
    domain::ReviewEntry entry;
    entry.id = query.getColumn(0).getInt64();
    entry.review_id = query.getColumn(1).getString();
    entry.kind = enum_of<EntryKind>(domain::parse_entry_kind, query.getColumn(2).getString());
    entry.goal = text_or_empty(query.getColumn(3));
    entry.text = query.getColumn(4).getString();
    entry.recorded_at = timestamp_of(query.getColumn(5));
    entry.actor = query.getColumn(6).getString();
    entry.audit_seq = query.getColumn(7).getInt64();
    entries.push_back(std::move(entry));
  }
  return entries;
}

bool escalation_raised(Database& database, EscalationKind kind, const std::string& subject,
                       const std::string& workflow) {
  Statement query(database,
                  "SELECT 1 FROM escalation WHERE kind = ? AND subject = ? AND workflow = ?");
  query.bind(1, domain::to_string(kind));
  query.bind(2, subject);
  query.bind(3, workflow);
  return query.executeStep();
}

std::optional<std::int64_t> insert_escalation(Database& database,
                                              const EscalationRecord& escalation) {
  require_write_transaction(database);
  // The same statement in each dialect: a second raise of (kind, subject,
  // workflow) inserts nothing.
  constexpr const char* kColumns =
      "INTO escalation (kind, subject, workflow, goal, measure_id, milestone, party, facts, "
      "raised_at, review_id, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  Statement insert(database,
                   is_postgres(database)
                       ? std::string("INSERT ") + kColumns + " ON CONFLICT DO NOTHING"
                       : std::string("INSERT OR IGNORE ") + kColumns,
                   Statement::Returning::id);
  insert.bind(1, domain::to_string(escalation.kind));
  insert.bind(2, escalation.subject);
  insert.bind(3, escalation.workflow);
  insert.bind(4, escalation.goal);
  if (escalation.measure_id) {
    insert.bind(5, static_cast<int64_t>(*escalation.measure_id));
  } else {
    insert.bind(5);
  }
  bind_text_or_null(insert, 6, escalation.milestone);
  insert.bind(7, escalation.party);
  insert.bind(8, escalation.facts_json);
  insert.bind(9, format_timestamp(escalation.raised_at));
  bind_text_or_null(insert, 10, escalation.review_id);
  insert.bind(11, static_cast<int64_t>(escalation.audit_seq));
  if (insert.exec() != 1) return std::nullopt;
  return insert.inserted_id();
}

std::vector<std::int64_t> attach_pending_escalations(Database& database,
                                                     const std::string& workflow,
                                                     const std::string& review_id) {
  require_write_transaction(database);
  Statement update(database,
                   "UPDATE escalation SET review_id = ? "
                   "WHERE workflow = ? AND review_id IS NULL RETURNING id");
  update.bind(1, review_id);
  update.bind(2, workflow);
  std::vector<std::int64_t> ids;
  while (update.executeStep())
    ids.push_back(update.getColumn(0).getInt64());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<EscalationRecord> load_escalations(Database& database, const std::string& workflow,
                                               const std::string& review_id) {
  Statement query(database, std::string("SELECT ") + kEscalationColumns +
                                " FROM escalation WHERE workflow = ?1 AND "
                                "((?2 = '' AND review_id IS NULL) OR review_id = ?2) ORDER BY id");
  query.bind(1, workflow);
  query.bind(2, review_id);
  std::vector<EscalationRecord> escalations;
  while (query.executeStep())
    escalations.push_back(escalation_from(query));
  return escalations;
}

std::vector<EscalationRecord> load_all_escalations(Database& database) {
  Statement query(database,
                  std::string("SELECT ") + kEscalationColumns + " FROM escalation ORDER BY id");
  std::vector<EscalationRecord> escalations;
  while (query.executeStep())
    escalations.push_back(escalation_from(query));
  return escalations;
}

}  // namespace zielwerk::storage
