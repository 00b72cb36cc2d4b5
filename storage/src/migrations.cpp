#include "migrations.h"

#include "audit_tree_store.h"

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

      // 3: the follow-up process: review meetings, what was recorded in them,
      // control measures with their follow-up log, and escalations.
      //
      // A review's id is its meeting's identity ("workflow/reviewed month"),
      // so the primary key itself makes preparing a meeting twice impossible,
      // whichever process tries. A prepared review keeps the evaluation it was
      // based on (snapshot) and its agenda as JSON, never changed afterwards;
      // a missed one has neither. Minutes are an append-only list of entries.
      // An escalation's subject names what it is about (a measure and its due
      // date, a milestone, a goal in a review), so it is raised once.
      R"sql(
        CREATE TABLE review (
          id               TEXT PRIMARY KEY NOT NULL,
          workflow         TEXT NOT NULL,
          period           TEXT NOT NULL,
          meeting_date     TEXT,
          starts_at        TEXT NOT NULL,
          state            TEXT NOT NULL CHECK (state IN ('prepared', 'missed', 'closed')),
          late             INTEGER NOT NULL DEFAULT 0,
          prepared_at      TEXT NOT NULL,
          prepared_by      TEXT NOT NULL,
          rule_set_version TEXT NOT NULL,
          figures_known_at TEXT,
          snapshot         TEXT,
          agenda           TEXT,
          closed_at        TEXT,
          closed_by        TEXT,
          audit_seq        INTEGER NOT NULL REFERENCES audit_record (seq)
        ) STRICT;
        CREATE INDEX review_by_workflow ON review (workflow, period);
        CREATE TABLE review_entry (
          id          INTEGER PRIMARY KEY,
          review_id   TEXT NOT NULL REFERENCES review (id),
          kind        TEXT NOT NULL CHECK (kind IN ('attendance', 'assessment',
                        'external_conditions', 'decision', 'no_measure')),
          goal        TEXT,
          text        TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          actor       TEXT NOT NULL,
          audit_seq   INTEGER NOT NULL REFERENCES audit_record (seq)
        ) STRICT;
        CREATE INDEX review_entry_by_review ON review_entry (review_id);
        CREATE TABLE measure (
          id           INTEGER PRIMARY KEY,
          goal         TEXT NOT NULL,
          review_id    TEXT NOT NULL REFERENCES review (id),
          title        TEXT NOT NULL,
          owner_party  TEXT NOT NULL,
          assignee     TEXT NOT NULL,
          due_on       TEXT NOT NULL,
          follow_up_on TEXT,
          status       TEXT NOT NULL CHECK (status IN ('agreed', 'in_progress', 'done', 'dropped')),
          reason       TEXT,
          created_at   TEXT NOT NULL,
          created_by   TEXT NOT NULL,
          updated_at   TEXT NOT NULL
        ) STRICT;
        CREATE INDEX measure_by_goal ON measure (goal, status);
        CREATE TABLE measure_followup (
          id          INTEGER PRIMARY KEY,
          measure_id  INTEGER NOT NULL REFERENCES measure (id),
          review_id   TEXT REFERENCES review (id),
          recorded_at TEXT NOT NULL,
          actor       TEXT NOT NULL,
          status      TEXT NOT NULL,
          note        TEXT NOT NULL,
          changes     TEXT NOT NULL,
          audit_seq   INTEGER NOT NULL REFERENCES audit_record (seq)
        ) STRICT;
        CREATE INDEX measure_followup_by_measure ON measure_followup (measure_id);
        CREATE TABLE escalation (
          id         INTEGER PRIMARY KEY,
          kind       TEXT NOT NULL CHECK (kind IN ('measure_demanded', 'measure_overdue',
                       'milestone_overdue')),
          subject    TEXT NOT NULL,
          workflow   TEXT NOT NULL,
          goal       TEXT NOT NULL,
          measure_id INTEGER REFERENCES measure (id),
          milestone  TEXT,
          party      TEXT NOT NULL,
          reason     TEXT NOT NULL,
          raised_at  TEXT NOT NULL,
          review_id  TEXT REFERENCES review (id),
          audit_seq  INTEGER NOT NULL REFERENCES audit_record (seq),
          UNIQUE (kind, subject, workflow)
        ) STRICT;
        CREATE INDEX escalation_by_review ON escalation (review_id);
      )sql",

      // 4: what makes the audit trail verifiable and quick to query.
      //
      // Each record names the objects it touched; for objects whose state lives
      // in a table (an import with its observations, a review, a measure, ...)
      // it also holds the number of rows and a SHA-256 over them as they were
      // after the change (see audit_state.h). `audit verify` recomputes those
      // digests from the tables: the last record that touched an object must
      // match the object as it is now, and every stored object must have a
      // record. audit_object is rebuilt keyed by record first, in the order the
      // payload lists its objects, so verification reads it alongside the trail;
      // audit_object_by_object answers "the history of this goal/measure/review".
      //
      // rule_set keeps each rule-set version in the order zielwerk started
      // using it (a version can come back), with its files and goal
      // definitions, so a change of the rule files becomes a record with a
      // diff of the goals that changed.
      R"sql(
        CREATE TABLE audit_object_v4 (
          seq       INTEGER NOT NULL REFERENCES audit_record (seq),
          kind      TEXT NOT NULL,
          object_id TEXT NOT NULL,
          rows      INTEGER,
          sha256    TEXT,
          PRIMARY KEY (seq, kind, object_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO audit_object_v4 (seq, kind, object_id)
          SELECT seq, kind, object_id FROM audit_object;
        DROP TABLE audit_object;
        ALTER TABLE audit_object_v4 RENAME TO audit_object;
        CREATE INDEX audit_object_by_object ON audit_object (kind, object_id);
        CREATE TRIGGER audit_object_is_append_only_replace BEFORE INSERT ON audit_object
          WHEN EXISTS (SELECT 1 FROM audit_object WHERE seq = NEW.seq AND kind = NEW.kind
                       AND object_id = NEW.object_id)
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_object_is_append_only_update BEFORE UPDATE ON audit_object
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_object_is_append_only_delete BEFORE DELETE ON audit_object
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE INDEX audit_record_by_operation ON audit_record (operation, recorded_at);

        CREATE TABLE rule_set (
          audit_seq INTEGER PRIMARY KEY REFERENCES audit_record (seq),
          version   TEXT NOT NULL,
          files     TEXT NOT NULL,
          goals     TEXT NOT NULL,
          used_from TEXT NOT NULL
        ) STRICT;
      )sql",

      // 5: a change writes the rows naming its record before the record; when
      // the record is inserted, SQLite resolves the deferred foreign keys by
      // looking for those rows: a full scan of each table without these, so
      // every change grew slower with the database.
      R"sql(
        CREATE INDEX IF NOT EXISTS milestone_done_by_audit_seq ON milestone_done (audit_seq);
        CREATE INDEX IF NOT EXISTS review_by_audit_seq ON review (audit_seq);
        CREATE INDEX IF NOT EXISTS review_entry_by_audit_seq ON review_entry (audit_seq);
        CREATE INDEX IF NOT EXISTS measure_followup_by_audit_seq ON measure_followup (audit_seq);
        CREATE INDEX IF NOT EXISTS escalation_by_audit_seq ON escalation (audit_seq);
      )sql",

      // 6: an escalation keeps facts, not a sentence: what it is about (due
      // date, status, the statuses behind a demand) as a JSON object, so the
      // documents word it in their reader's language. The values of earlier
      // rows (an English sentence) stay as they are, which the trail's digests
      // cover; the engine shows them unchanged.
      R"sql(
        ALTER TABLE escalation RENAME COLUMN reason TO facts;
      )sql",

      // 7: the configuration is audited like the rules: each version of
      // zielwerk.yaml and the workflow files zielwerk worked under (who may act
      // with which party and roles, who reviews what), kept in the order it
      // started using them and named by the record that noted it.
      R"sql(
        CREATE TABLE config_set (
          audit_seq INTEGER PRIMARY KEY REFERENCES audit_record (seq),
          version   TEXT NOT NULL,
          files     TEXT NOT NULL,
          project   TEXT NOT NULL,
          workflows TEXT NOT NULL,
          used_from TEXT NOT NULL
        ) STRICT;
      )sql",

      // 8: the Merkle tree over the trail (RFC 9162, proofs/merkle.h), so
      // signed checkpoints can name its root and proofs show a record in it
      // or one tree extending another; the hashes of a database from before
      // are computed right after this step (complete_migration). And the
      // database's own random identity, part of the checkpoints' origin.
      R"sql(
        CREATE TABLE audit_tree (
          idx  INTEGER PRIMARY KEY,
          hash BLOB NOT NULL CHECK (length(hash) = 32)
        ) STRICT;
        CREATE TRIGGER audit_tree_is_append_only_replace BEFORE INSERT ON audit_tree
          WHEN EXISTS (SELECT 1 FROM audit_tree WHERE idx = NEW.idx)
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_tree_is_append_only_update BEFORE UPDATE ON audit_tree
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_tree_is_append_only_delete BEFORE DELETE ON audit_tree
          BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        INSERT INTO project_meta (key, value) VALUES ('instance', lower(hex(randomblob(16))));
      )sql",

      // 9: an observation may be a missing value with its reason (a
      // suppressed figure `*` in a BA file): NULL for a figure, so the rows
      // and audit digests from before stay as they were.
      R"sql(
        ALTER TABLE observation ADD COLUMN missing TEXT
          CHECK (missing IS NULL OR (length(missing) BETWEEN 1 AND 64 AND value = 0));
      )sql",
  };
  return all;
}

void complete_migration(int version, SQLite::Database& db) {
  if (version == 8) backfill_audit_tree(db);
}

}  // namespace zielwerk::storage
