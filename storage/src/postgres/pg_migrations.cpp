#include "pg_migrations.h"

namespace zielwerk::storage::pg {

// How the PostgreSQL schema differs from SQLite's, and why:
//  - Many agreements share one database: every table has the column
//    `agreement` (filled from the session's zielwerk.agreement, which
//    Database::open sets) and every key starts with it, so seq numbers, ids
//    and review ids are per agreement, as in a SQLite file of its own.
//  - Row-level security keeps agreements apart (FORCE: the tables' owner is
//    bound too): a session reads and writes only the rows of the agreement it
//    set, and only when its role may act for it (zielwerk_tenant names the
//    role of each agreement; without an entry, the schema's owner). Members
//    of a role named in zielwerk_region_reader read every agreement they set.
//    The conditions are sub-selects, evaluated once per statement.
//  - Ids an INSERT leaves out are max + 1 within the agreement (a trigger),
//    which is what SQLite's INTEGER PRIMARY KEY gives: the same ids and so
//    the same audit payloads on both backends.
//  - Values keep SQLite's types (bigint, double precision, text, bytea), so
//    a row digests to the same bytes on both (audit_state.h).
//  - Text compares byte by byte (COLLATE "C"), as in SQLite, so every
//    ORDER BY gives the same order on both whatever the server's locale.
//  - Foreign keys are checked at commit, as Database::write defers them on
//    SQLite: a change writes its rows before the record they name.
//  - No PostgreSQL database predates version 8: versions 1 to 7 are empty
//    here, and 8 creates the schema SQLite has after its migration 8; later
//    versions change both schemas alike.
const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> all = {
      "",  // 1
      "",  // 2
      "",  // 3
      "",  // 4
      "",  // 5
      "",  // 6
      "",  // 7
      // 8
      R"sql(
        CREATE TABLE zielwerk_tenant (
          agreement text COLLATE "C" PRIMARY KEY,
          role      name NOT NULL
        );
        CREATE TABLE zielwerk_region_reader (
          role name PRIMARY KEY
        );

        CREATE FUNCTION zielwerk_agreement() RETURNS text LANGUAGE sql STABLE
          AS $$ SELECT current_setting('zielwerk.agreement', true) $$;
        -- Every agreement the database holds (no row-level security: the
        -- names are what the regional overview lists).
        CREATE TABLE zielwerk_agreement (
          agreement text COLLATE "C" PRIMARY KEY
        );
        -- Whether the session's role may act for an agreement.
        CREATE FUNCTION zielwerk_may_act_for(a text) RETURNS boolean LANGUAGE sql STABLE AS $$
          SELECT CASE
            WHEN EXISTS (SELECT 1 FROM zielwerk_tenant t WHERE t.agreement = a)
              THEN EXISTS (SELECT 1 FROM zielwerk_tenant t
                           WHERE t.agreement = a AND pg_has_role(current_user, t.role, 'MEMBER'))
            ELSE pg_has_role(current_user, (SELECT owner FROM zielwerk_schema), 'MEMBER')
          END
        $$;
        CREATE FUNCTION zielwerk_may_act() RETURNS boolean LANGUAGE sql STABLE
          AS $$ SELECT zielwerk_may_act_for(zielwerk_agreement()) $$;
        CREATE FUNCTION zielwerk_may_read_region() RETURNS boolean LANGUAGE sql STABLE AS $$
          SELECT EXISTS (SELECT 1 FROM zielwerk_region_reader r
                         WHERE pg_has_role(current_user, r.role, 'MEMBER'))
        $$;
        CREATE FUNCTION zielwerk_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.id IS NULL THEN
            EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I WHERE agreement = $1',
                           TG_TABLE_NAME) INTO NEW.id USING NEW.agreement;
          END IF;
          RETURN NEW;
        END $$;
        CREATE FUNCTION zielwerk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit trail is append-only';
        END $$;

        CREATE TABLE project_meta (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          key       text COLLATE "C" NOT NULL,
          value     text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, key)
        );

        CREATE TABLE audit_record (
          agreement        text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          seq              bigint NOT NULL,
          recorded_at      text COLLATE "C" NOT NULL,
          actor            text COLLATE "C" NOT NULL,
          operation        text COLLATE "C" NOT NULL,
          rule_set_version text COLLATE "C" NOT NULL,
          payload          text COLLATE "C" NOT NULL,
          previous_hash    text COLLATE "C" NOT NULL,
          hash             text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, seq),
          UNIQUE (agreement, hash)
        );
        CREATE INDEX audit_record_by_time ON audit_record (agreement, recorded_at);
        CREATE INDEX audit_record_by_actor ON audit_record (agreement, actor, recorded_at);
        CREATE INDEX audit_record_by_operation ON audit_record (agreement, operation, recorded_at);
        CREATE TABLE audit_object (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          seq       bigint NOT NULL,
          kind      text COLLATE "C" NOT NULL,
          object_id text COLLATE "C" NOT NULL,
          rows      bigint,
          sha256    text COLLATE "C",
          PRIMARY KEY (agreement, seq, kind, object_id),
          FOREIGN KEY (agreement, seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX audit_object_by_object ON audit_object (agreement, kind, object_id);
        CREATE TABLE audit_tree (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          idx       bigint NOT NULL,
          hash      bytea NOT NULL CHECK (length(hash) = 32),
          PRIMARY KEY (agreement, idx)
        );

        CREATE TABLE import_batch (
          agreement   text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id          bigint NOT NULL,
          imported_at text COLLATE "C" NOT NULL,
          actor       text COLLATE "C" NOT NULL,
          file_name   text COLLATE "C" NOT NULL,
          file_hash   text COLLATE "C" NOT NULL,
          rows_read   bigint NOT NULL DEFAULT 0,
          added       bigint NOT NULL DEFAULT 0,
          revised     bigint NOT NULL DEFAULT 0,
          unchanged   bigint NOT NULL DEFAULT 0,
          PRIMARY KEY (agreement, id)
        );
        CREATE INDEX import_batch_by_hash ON import_batch (agreement, file_hash);
        CREATE TABLE series (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id        bigint NOT NULL,
          metric    text COLLATE "C" NOT NULL,
          region    text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, id),
          UNIQUE (agreement, metric, region)
        );
        CREATE TABLE observation (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          series_id bigint NOT NULL,
          period    bigint NOT NULL,
          revision  bigint NOT NULL,
          value     double precision NOT NULL,
          source    text COLLATE "C" NOT NULL,
          import_id bigint NOT NULL,
          line      bigint NOT NULL,
          PRIMARY KEY (agreement, period, series_id, revision)
        );
        CREATE INDEX observation_by_import ON observation (agreement, import_id);
        CREATE INDEX observation_by_series ON observation (agreement, series_id, period);

        CREATE TABLE milestone_done (
          agreement   text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          goal        text COLLATE "C" NOT NULL,
          milestone   text COLLATE "C" NOT NULL,
          done_on     text COLLATE "C" NOT NULL,
          recorded_at text COLLATE "C" NOT NULL,
          actor       text COLLATE "C" NOT NULL,
          audit_seq   bigint NOT NULL,
          PRIMARY KEY (agreement, goal, milestone),
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );

        CREATE TABLE review (
          agreement        text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id               text COLLATE "C" NOT NULL,
          workflow         text COLLATE "C" NOT NULL,
          period           text COLLATE "C" NOT NULL,
          meeting_date     text COLLATE "C",
          starts_at        text COLLATE "C" NOT NULL,
          state            text COLLATE "C" NOT NULL CHECK (state IN ('prepared', 'missed', 'closed')),
          late             bigint NOT NULL DEFAULT 0,
          prepared_at      text COLLATE "C" NOT NULL,
          prepared_by      text COLLATE "C" NOT NULL,
          rule_set_version text COLLATE "C" NOT NULL,
          figures_known_at text COLLATE "C",
          snapshot         text COLLATE "C",
          agenda           text COLLATE "C",
          closed_at        text COLLATE "C",
          closed_by        text COLLATE "C",
          audit_seq        bigint NOT NULL,
          PRIMARY KEY (agreement, id),
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX review_by_workflow ON review (agreement, workflow, period);
        CREATE TABLE review_entry (
          agreement   text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id          bigint NOT NULL,
          review_id   text COLLATE "C" NOT NULL,
          kind        text COLLATE "C" NOT NULL CHECK (kind IN ('attendance', 'assessment',
                        'external_conditions', 'decision', 'no_measure')),
          goal        text COLLATE "C",
          text        text COLLATE "C" NOT NULL,
          recorded_at text COLLATE "C" NOT NULL,
          actor       text COLLATE "C" NOT NULL,
          audit_seq   bigint NOT NULL,
          PRIMARY KEY (agreement, id),
          FOREIGN KEY (agreement, review_id) REFERENCES review (agreement, id)
            DEFERRABLE INITIALLY DEFERRED,
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX review_entry_by_review ON review_entry (agreement, review_id);
        CREATE TABLE measure (
          agreement    text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id           bigint NOT NULL,
          goal         text COLLATE "C" NOT NULL,
          review_id    text COLLATE "C" NOT NULL,
          title        text COLLATE "C" NOT NULL,
          owner_party  text COLLATE "C" NOT NULL,
          assignee     text COLLATE "C" NOT NULL,
          due_on       text COLLATE "C" NOT NULL,
          follow_up_on text COLLATE "C",
          status       text COLLATE "C" NOT NULL CHECK (status IN ('agreed', 'in_progress', 'done', 'dropped')),
          reason       text COLLATE "C",
          created_at   text COLLATE "C" NOT NULL,
          created_by   text COLLATE "C" NOT NULL,
          updated_at   text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, id),
          FOREIGN KEY (agreement, review_id) REFERENCES review (agreement, id)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX measure_by_goal ON measure (agreement, goal, status);
        CREATE TABLE measure_followup (
          agreement   text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id          bigint NOT NULL,
          measure_id  bigint NOT NULL,
          review_id   text COLLATE "C",
          recorded_at text COLLATE "C" NOT NULL,
          actor       text COLLATE "C" NOT NULL,
          status      text COLLATE "C" NOT NULL,
          note        text COLLATE "C" NOT NULL,
          changes     text COLLATE "C" NOT NULL,
          audit_seq   bigint NOT NULL,
          PRIMARY KEY (agreement, id),
          FOREIGN KEY (agreement, measure_id) REFERENCES measure (agreement, id)
            DEFERRABLE INITIALLY DEFERRED,
          FOREIGN KEY (agreement, review_id) REFERENCES review (agreement, id)
            DEFERRABLE INITIALLY DEFERRED,
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX measure_followup_by_measure ON measure_followup (agreement, measure_id);
        CREATE TABLE escalation (
          agreement  text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          id         bigint NOT NULL,
          kind       text COLLATE "C" NOT NULL CHECK (kind IN ('measure_demanded', 'measure_overdue',
                       'milestone_overdue')),
          subject    text COLLATE "C" NOT NULL,
          workflow   text COLLATE "C" NOT NULL,
          goal       text COLLATE "C" NOT NULL,
          measure_id bigint,
          milestone  text COLLATE "C",
          party      text COLLATE "C" NOT NULL,
          facts      text COLLATE "C" NOT NULL,
          raised_at  text COLLATE "C" NOT NULL,
          review_id  text COLLATE "C",
          audit_seq  bigint NOT NULL,
          PRIMARY KEY (agreement, id),
          UNIQUE (agreement, kind, subject, workflow),
          FOREIGN KEY (agreement, measure_id) REFERENCES measure (agreement, id)
            DEFERRABLE INITIALLY DEFERRED,
          FOREIGN KEY (agreement, review_id) REFERENCES review (agreement, id)
            DEFERRABLE INITIALLY DEFERRED,
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE INDEX escalation_by_review ON escalation (agreement, review_id);

        CREATE TABLE rule_set (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          audit_seq bigint NOT NULL,
          version   text COLLATE "C" NOT NULL,
          files     text COLLATE "C" NOT NULL,
          goals     text COLLATE "C" NOT NULL,
          used_from text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, audit_seq),
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );
        CREATE TABLE config_set (
          agreement text COLLATE "C" NOT NULL DEFAULT zielwerk_agreement(),
          audit_seq bigint NOT NULL,
          version   text COLLATE "C" NOT NULL,
          files     text COLLATE "C" NOT NULL,
          project   text COLLATE "C" NOT NULL,
          workflows text COLLATE "C" NOT NULL,
          used_from text COLLATE "C" NOT NULL,
          PRIMARY KEY (agreement, audit_seq),
          FOREIGN KEY (agreement, audit_seq) REFERENCES audit_record (agreement, seq)
            DEFERRABLE INITIALLY DEFERRED
        );

        CREATE TRIGGER audit_record_is_append_only BEFORE UPDATE OR DELETE ON audit_record
          FOR EACH ROW EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER audit_object_is_append_only BEFORE UPDATE OR DELETE ON audit_object
          FOR EACH ROW EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER audit_tree_is_append_only BEFORE UPDATE OR DELETE ON audit_tree
          FOR EACH ROW EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record
          FOR EACH STATEMENT EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER audit_object_no_truncate BEFORE TRUNCATE ON audit_object
          FOR EACH STATEMENT EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER audit_tree_no_truncate BEFORE TRUNCATE ON audit_tree
          FOR EACH STATEMENT EXECUTE FUNCTION zielwerk_append_only();
        CREATE TRIGGER import_batch_id BEFORE INSERT ON import_batch
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();
        CREATE TRIGGER series_id BEFORE INSERT ON series
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();
        CREATE TRIGGER review_entry_id BEFORE INSERT ON review_entry
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();
        CREATE TRIGGER measure_id BEFORE INSERT ON measure
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();
        CREATE TRIGGER measure_followup_id BEFORE INSERT ON measure_followup
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();
        CREATE TRIGGER escalation_id BEFORE INSERT ON escalation
          FOR EACH ROW EXECUTE FUNCTION zielwerk_next_id();

        DO $$
        DECLARE
          t text COLLATE "C";
        BEGIN
          FOREACH t IN ARRAY ARRAY['project_meta', 'audit_record', 'audit_object', 'audit_tree',
              'import_batch', 'series', 'observation', 'milestone_done', 'review', 'review_entry',
              'measure', 'measure_followup', 'escalation', 'rule_set', 'config_set'] LOOP
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
            EXECUTE format('CREATE POLICY %I ON %I USING (agreement = zielwerk_agreement() '
                           'AND (SELECT zielwerk_may_act())) WITH CHECK (agreement = '
                           'zielwerk_agreement() AND (SELECT zielwerk_may_act()))',
                           t || '_of_its_agreement', t);
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (agreement = '
                           'zielwerk_agreement() AND (SELECT zielwerk_may_read_region()))',
                           t || '_read_by_the_region', t);
            EXECUTE format('GRANT SELECT, INSERT ON %I TO PUBLIC', t);
          END LOOP;
        END $$;
        GRANT UPDATE ON project_meta, import_batch, review, measure, escalation TO PUBLIC;
        GRANT SELECT ON zielwerk_tenant, zielwerk_region_reader, zielwerk_schema TO PUBLIC;
        GRANT SELECT, INSERT ON zielwerk_agreement TO PUBLIC;
      )sql",

      // 9: an observation may be a missing value with its reason, as in
      // SQLite's migration 9; NULL for a figure.
      R"sql(
        ALTER TABLE observation ADD COLUMN missing text COLLATE "C"
          CHECK (missing IS NULL OR (char_length(missing) BETWEEN 1 AND 64 AND value = 0));
      )sql",
  };
  return all;
}

}  // namespace zielwerk::storage::pg
