// The consistency rules a zielwerk database keeps at every moment, whatever
// happened to the processes writing it (killed, run at once), and the removal
// of a database's files: shared by the kill and concurrency tests.
#pragma once

#include <filesystem>
#include <string>

#include "storage/raw_sqlite.h"
#include "zielwerk/storage/audit_verify.h"
#include "zielwerk/storage/database.h"

namespace zielwerk::testing {

// Removes a database file with the log and index SQLite keeps beside it: a
// -wal left by a killed process must not be replayed onto a new file there.
inline void remove_database(const std::filesystem::path& db) {
  for (const auto* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db.string() + suffix);
}

// The first rule `db` breaks, in words; empty when all hold.
inline std::string inconsistency(const std::filesystem::path& db) {
  if (const auto check = query_raw(db, "PRAGMA integrity_check"); check != "ok") {
    return "integrity_check: " + check;
  }
  const auto twice = query_raw(db,
                               "SELECT group_concat(workflow || ' ' || meeting_date, ', ') FROM "
                               "(SELECT workflow, meeting_date FROM review GROUP BY workflow, "
                               "meeting_date HAVING count(*) > 1)");
  if (twice != "<null>") return "meetings handled twice: " + twice;
  // Every review and escalation with its own audit record, written in its step.
  const auto reviews = query_raw(db, "SELECT count(*) FROM review");
  const auto review_records =
      query_raw(db,
                "SELECT count(*) FROM audit_record WHERE operation IN ('review.prepare', "
                "'review.missed')");
  if (reviews != review_records) {
    return reviews + " reviews but " + review_records + " audit records of reviews";
  }
  const auto linked =
      query_raw(db,
                "SELECT count(*) FROM review r JOIN audit_record a ON a.seq = r.audit_seq AND "
                "a.operation = CASE r.state WHEN 'missed' THEN 'review.missed' ELSE "
                "'review.prepare' END AND instr(a.payload, '\"' || r.id || '\"') > 0");
  if (linked != reviews) return "a review without its own audit record";
  const auto half_prepared =
      query_raw(db,
                "SELECT count(*) FROM review WHERE state = 'prepared' AND (snapshot IS NULL OR "
                "agenda IS NULL)");
  if (half_prepared != "0") return half_prepared + " prepared reviews without snapshot or agenda";
  const auto escalations = query_raw(db, "SELECT count(*) FROM escalation");
  const auto escalation_records =
      query_raw(db, "SELECT count(*) FROM audit_record WHERE operation LIKE 'escalation.%'");
  if (escalations != escalation_records) {
    return escalations + " escalations but " + escalation_records + " audit records of them";
  }
  // An import is all its rows with its record, or nothing.
  const auto broken_imports = query_raw(
      db,
      "SELECT group_concat(b.file_name, ', ') FROM import_batch b WHERE "
      "b.added + b.revised + b.unchanged <> b.rows_read OR "
      "(SELECT count(*) FROM observation o WHERE o.import_id = b.id) <> b.added + b.revised OR "
      "NOT EXISTS (SELECT 1 FROM audit_object x JOIN audit_record a ON a.seq = x.seq WHERE "
      "x.kind = 'import' AND x.object_id = CAST(b.id AS TEXT) AND "
      "a.operation = 'observations.import')");
  if (broken_imports != "<null>") return "incomplete imports: " + broken_imports;
  const auto stray = query_raw(db,
                               "SELECT count(*) FROM observation WHERE import_id NOT IN "
                               "(SELECT id FROM import_batch)");
  if (stray != "0") return stray + " observations of no import";
  // The chain holds, and every row is the one its record vouches for.
  auto database = storage::Database::open(db);
  if (!database.ok()) return database.error().message;
  const auto verification = storage::verify_audit_trail(*database.value());
  if (!verification.ok()) return "audit verify: " + verification.problems.front().message;
  return {};
}

}  // namespace zielwerk::testing
