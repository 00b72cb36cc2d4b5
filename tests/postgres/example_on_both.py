#!/usr/bin/env python3
"""The README's example on both backends: the same commands, unchanged, on a
SQLite file and on a PostgreSQL database of the test server
(scripts/pg-test-server.sh), must print the same `evaluate --format json`,
the same review report and a trail that verifies; then what is particular to
a server: a second agreement in the same database stays apart, a URI with a
password is refused before anything connects, and a trigger planted on a
table stops every write.

Usage: example_on_both.py ZIELWERK_BINARY EXAMPLE_DIR PG_SOCKET_DIR
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ZIELWERK, EXAMPLE, SOCKET = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
ADMIN = ["psql", "-X", "-q", "-h", SOCKET, "-U", "zielwerk_admin", "-v", "ON_ERROR_STOP=1"]
NOW = "2025-07-03T10:00"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def sql(database, statement):
    return subprocess.run(ADMIN + ["-d", database, "-At", "-c", statement], check=True,
                          capture_output=True, text=True).stdout


def environment(**extra):
    return {"ZIELWERK_TEST_NOW": "2025-07-03T10:00:00Z", "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8", **extra}


def zielwerk(project, db, *args, expect=0, env=None):
    command = [ZIELWERK, "--project", str(project), "--db", db, *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env or environment())
    check(done.returncode == expect,
          f"{' '.join(args)} on {db}: exit {done.returncode}, expected {expect}: {done.stderr}")
    return done


def readme_example(project, db):
    """README command 1 and the evaluation shown under it."""
    data = sorted(str(p) for p in (EXAMPLE / "data").glob("*.csv"))
    zielwerk(project, db, "import", "--actor", "controlling-jc", *data)
    zielwerk(project, db, "run", "--actor", "zielwerk-dienst", "--now", NOW)
    report = zielwerk(project, db, "report", "review", "ba-zielnachhaltedialog/2025-06").stdout
    evaluation = zielwerk(project, db, "evaluate", "--period", "2025-06", "--format", "json").stdout
    verify = zielwerk(project, db, "audit", "verify")
    return report, evaluation, verify


def steps_done(database):
    """What a run leaves: reviews by state, escalations, and the trail's length."""
    return (sql(database, "SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM review"),
            sql(database, "SELECT count(*) FROM escalation"),
            sql(database, "SELECT count(*) FROM audit_record"))


def fresh_database(name):
    sql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    sql("postgres", f"CREATE DATABASE {name} OWNER zielwerk_app")
    return f"postgresql:///{name}?host={SOCKET}&user=zielwerk_app"


def kill_and_concurrency(project, name):
    """Kills at each commit, then two runs at once; each compared with one clean run."""
    data = sorted(str(p) for p in (EXAMPLE / "data").glob("*.csv"))
    uri = fresh_database(name)
    zielwerk(project, uri, "import", "--actor", "controlling-jc", *data)
    zielwerk(project, uri, "run", "--actor", "zielwerk-dienst", "--now", NOW)
    clean = steps_done(name)
    killed_at = 0
    for point in ("before-commit", "after-commit"):
        for ordinal in range(1, 60):
            uri = fresh_database(name)
            zielwerk(project, uri, "import", "--actor", "controlling-jc", *data)
            killed = subprocess.run(
                [ZIELWERK, "--project", str(project), "--db", uri, "run", "--actor",
                 "zielwerk-dienst", "--now", NOW],
                capture_output=True, text=True,
                env=environment(ZIELWERK_FAULT_INJECTION=f"{point}:{ordinal}"))
            if killed.returncode != -9:
                break  # past the last commit (or a build without the hook)
            killed_at += 1
            zielwerk(project, uri, "run", "--actor", "zielwerk-dienst", "--now", NOW)
            check(steps_done(name) == clean, f"killed {point}:{ordinal}, then rerun: "
                                             f"{steps_done(name)} instead of {clean}")
            check(zielwerk(project, uri, "audit", "verify").returncode == 0,
                  f"the trail verifies after a kill {point}:{ordinal}")
    print(f"run killed at {killed_at} commits, each completed by a rerun")
    uri = fresh_database(name)
    zielwerk(project, uri, "import", "--actor", "controlling-jc", *data)
    runs = [subprocess.Popen([ZIELWERK, "--project", str(project), "--db", uri, "run", "--actor",
                              "zielwerk-dienst", "--now", NOW],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=environment()) for _ in range(3)]
    for run in runs:
        _, err = run.communicate()
        check(run.returncode == 0, "a run beside others: " + err)
    check(steps_done(name) == clean,
          f"three runs at once: {steps_done(name)} instead of one run's {clean}")
    check(zielwerk(project, uri, "audit", "verify").returncode == 0,
          "the trail verifies after runs at once")
    sql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main():
    work = Path(tempfile.mkdtemp(prefix="zielwerk-pg-"))
    database = "example_" + str(abs(hash(str(work))) % 10**8)
    sql("postgres", f"CREATE DATABASE {database} OWNER zielwerk_app")
    try:
        project = work / "project"
        shutil.copytree(EXAMPLE, project)
        uri = f"postgresql:///{database}?host={SOCKET}&user=zielwerk_app"
        on_file = readme_example(project, str(work / "zielwerk.db"))
        on_server = readme_example(project, uri)
        check(on_file[1] == on_server[1], "evaluate --format json differs between the backends")
        check(json.loads(on_server[1])["goals"], "the evaluation on the server has goals")
        check(on_file[0] == on_server[0], "the review report differs between the backends")
        check(on_server[2].returncode == 0, "audit verify on the server: " + on_server[2].stdout)

        kill_and_concurrency(project, database + "_runs")

        # The same import again changes nothing, on the server as on a file.
        before = sql(database, "SELECT count(*) FROM observation")
        data = sorted(str(p) for p in (EXAMPLE / "data").glob("*.csv"))
        zielwerk(project, uri, "import", "--actor", "controlling-jc", *data)
        check(sql(database, "SELECT count(*) FROM observation") == before,
              "a repeated import wrote rows")

        # A second agreement in the same database: its own trail from seq 1,
        # and the first agreement's figures do not leak into its evaluation.
        other = work / "other"
        shutil.copytree(EXAMPLE, other)
        agreement = other / "rules" / "agreement.yaml"
        agreement.write_text(agreement.read_text().replace("id: me-aktiv-2025", "id: other-2025", 1))
        empty = zielwerk(other, uri, "evaluate", "--period", "2025-06", "--format", "json",
                         expect=2)
        check("holds nothing of the agreement 'other-2025'" in empty.stderr,
              "evaluate of an agreement without data: " + empty.stderr)
        one_file = sorted(str(p) for p in (EXAMPLE / "data").glob("*.csv"))[:1]
        zielwerk(other, uri, "import", "--actor", "controlling-jc", *one_file)
        seqs = sql(database, "SELECT agreement, min(seq), max(seq) FROM audit_record "
                             "GROUP BY agreement ORDER BY agreement").split()
        check(len(seqs) == 2 and seqs[1].startswith("other-2025|1|"),
              "each agreement's trail starts at 1: " + " ".join(seqs))
        check(zielwerk(project, uri, "audit", "verify").returncode == 0,
              "the first agreement's trail still verifies")

        # The overview: both agreements side by side on the server, the one
        # of the file identical to its row; the other has no review yet.
        overview = ["overview", "--period", "2025-06", "--format", "json"]
        of_file = json.loads(zielwerk(project, str(work / "zielwerk.db"), *overview).stdout)
        of_server = json.loads(zielwerk(project, uri, *overview).stdout)
        check([a["agreement"] for a in of_server["agreements"]] == ["me-aktiv-2025", "other-2025"],
              "the overview lists both agreements: " + json.dumps(of_server["agreements"])[:200])
        check(of_server["agreements"][0] == of_file["agreements"][0],
              "the overview's row equals the file's")
        check(of_server["agreements"][1]["review"] is None and
              not of_server["agreements"][1]["goals"], "an agreement without a review")
        check(of_file["agreements"][0]["goals"][0]["status"] in ("met", "at_risk", "missed"),
              "the overview shows statuses")
        table = zielwerk(project, uri, "overview", "--period", "2025-06").stdout
        check("Overview of 2 agreements" in table and "iq-frauen" in table, "the table: " + table)
        zielwerk(project, uri, "overview", "--period", "2025-13", expect=2)

        # A password in the URI is refused (usage, exit 2) before connecting.
        refused = zielwerk(project, f"postgresql://zielwerk_app:secret@/{database}?host={SOCKET}",
                           "evaluate", "--period", "2025-06", expect=2)
        check("password" in refused.stderr and "secret" not in refused.stderr,
              "a password in the URI: " + refused.stderr)

        # A trigger planted on a table stops every write, and verify names it.
        sql(database, "CREATE FUNCTION planted() RETURNS trigger LANGUAGE plpgsql AS "
                      "$$ BEGIN NEW.value := 0; RETURN NEW; END $$; "
                      "CREATE TRIGGER planted BEFORE INSERT ON observation "
                      "FOR EACH ROW EXECUTE FUNCTION planted()")
        stopped = zielwerk(project, uri, "milestone", "done", "kommunale-eingliederung-schulungen",
                           "schulungsplan", "--date", "2025-07-01", "--actor", "sozialamt-kreis",
                           expect=4)
        check("planted" in stopped.stderr, "a write with a planted trigger: " + stopped.stderr)
        found = zielwerk(project, uri, "audit", "verify", expect=1)
        check("planted" in found.stdout + found.stderr, "verify names the planted trigger")
        sql(database, "DROP TRIGGER planted ON observation")

        # One role per jobcenter: each reads its own agreement only; the
        # region's role reads both and may change neither.
        jc, region = f"jc_{database}", f"region_{database}"
        sql(database, f"CREATE ROLE {jc} LOGIN; CREATE ROLE {region} LOGIN; "
                      f"INSERT INTO zielwerk_tenant VALUES ('me-aktiv-2025', '{jc}'), "
                      f"('other-2025', 'zielwerk_app'); "
                      f"INSERT INTO zielwerk_region_reader VALUES ('{region}')")
        as_jc = uri.replace("user=zielwerk_app", f"user={jc}")
        as_region = uri.replace("user=zielwerk_app", f"user={region}")
        mine = json.loads(zielwerk(project, as_jc, *overview).stdout)
        check([a["agreement"] for a in mine["agreements"]] == ["me-aktiv-2025"],
              "a jobcenter's overview shows its own agreement only")
        check(mine["agreements"][0] == of_file["agreements"][0], "its row is complete")
        hidden = zielwerk(other, as_jc, "evaluate", "--period", "2025-06", expect=2)
        check("holds nothing of the agreement 'other-2025'" in hidden.stderr,
              "another jobcenter's agreement is invisible: " + hidden.stderr)
        everything = json.loads(zielwerk(project, as_region, *overview).stdout)
        check([a["agreement"] for a in everything["agreements"]] == ["me-aktiv-2025", "other-2025"],
              "the region's overview shows every agreement")
        denied = zielwerk(project, as_region, "milestone", "done",
                          "kommunale-eingliederung-schulungen", "schulungsplan", "--date",
                          "2025-07-01", "--actor", "sozialamt-kreis", expect=4)
        check("row-level security" in denied.stderr or "read-only" in denied.stderr,
              "the region cannot write: " + denied.stderr)
    finally:
        sql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        sql("postgres", f"DROP ROLE IF EXISTS jc_{database}, region_{database}")
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("the example runs the same on SQLite and PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
