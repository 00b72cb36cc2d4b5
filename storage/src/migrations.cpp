#include "migrations.h"

namespace zielwerk::storage {

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all = {
      // 1: project metadata (e.g. which agreement the database belongs to), so a
      // database cannot silently be used with another project's rules.
      R"sql(
        CREATE TABLE project_meta (
          key   TEXT PRIMARY KEY NOT NULL,
          value TEXT NOT NULL
        ) STRICT;
      )sql",

      // 2: the audit trail, observations with every revision, milestone progress.
      //
      // The audit trail is append-only (triggers refuse UPDATE and DELETE) and
      // hash-chained: each record stores the hash of the one before it, and its
      // own hash over that and its canonical payload (see audit_log.h).
      //
      // An observation is one value of a series (metric, region) for a period
      // (YYYYMM as an integer); each change of value is a new revision, linked
      // to the import of the file it came from.
      //
      // The key starts with the period because statistics are delivered month
      // by month: a national file (all jobcenters, period by period) then
      // appends to the end of the tree instead of touching one page per series,
      // which makes a national import several times faster
      // (docs/performance.md). For the same reason observation has no FOREIGN
      // KEY clauses: the import writer is the only code that inserts, it takes
      // series and import ids from those tables in the same transaction, and
      // the per-row parent lookups cost a fifth of the import time.
      R"sql(
        CREATE TABLE audit_record (
          seq              INTEGER PRIMARY KEY,
          recorded_at      TEXT NOT NULL,
          actor            TEXT NOT NULL,
          operation        TEXT NOT NULL,
          rule_set_version TEXT NOT NULL,
          payload          TEXT NOT NULL,
          previous_hash    TEXT NOT NULL,
          hash             TEXT NOT NULL UNIQUE
        ) STRICT;
        CREATE INDEX audit_record_by_time ON audit_record (recorded_at);
        CREATE INDEX audit_record_by_actor ON audit_record (actor, recorded_at);
        CREATE TABLE audit_object (
          kind      TEXT NOT NULL,
          object_id TEXT NOT NULL,
          seq       INTEGER NOT NULL REFERENCES audit_record (seq),
          PRIMARY KEY (kind, object_id, seq)
        ) STRICT, WITHOUT ROWID;
        -- INSERT OR REPLACE would delete a record without firing the DELETE trigger.
        CREATE TRIGGER audit_record_is_append_only_replace BEFORE INSERT ON audit_record
          WHEN EXISTS (SELECT 1 FROM audit_record WHERE seq = NEW.seq OR hash = NEW.hash)
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_record_is_append_only_update BEFORE UPDATE ON audit_record
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_record_is_append_only_delete BEFORE DELETE ON audit_record
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_object_is_append_only_update BEFORE UPDATE ON audit_object
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_object_is_append_only_delete BEFORE DELETE ON audit_object
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

        CREATE TABLE import_batch (
          id          INTEGER PRIMARY KEY,
          imported_at TEXT NOT NULL,
          actor       TEXT NOT NULL,
          file_name   TEXT NOT NULL,
          file_hash   TEXT NOT NULL,
          rows_read   INTEGER NOT NULL DEFAULT 0,
          added       INTEGER NOT NULL DEFAULT 0,
          revised     INTEGER NOT NULL DEFAULT 0,
          unchanged   INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX import_batch_by_hash ON import_batch (file_hash);
        CREATE TABLE series (
          id     INTEGER PRIMARY KEY,
          metric TEXT NOT NULL,
          region TEXT NOT NULL,
          UNIQUE (metric, region)
        ) STRICT;
        CREATE TABLE observation (
          series_id INTEGER NOT NULL,  -- series (id)
          period    INTEGER NOT NULL,
          revision  INTEGER NOT NULL,
          value     REAL NOT NULL,
          source    TEXT NOT NULL,
          import_id INTEGER NOT NULL,  -- import_batch (id)
          line      INTEGER NOT NULL,
          PRIMARY KEY (period, series_id, revision)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE milestone_done (
          goal        TEXT NOT NULL,
          milestone   TEXT NOT NULL,
          done_on     TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          actor       TEXT NOT NULL,
          audit_seq   INTEGER NOT NULL REFERENCES audit_record (seq),
          PRIMARY KEY (goal, milestone)
        ) STRICT;
      )sql",
  };
  return all;
}

}  // namespace zielwerk::storage
