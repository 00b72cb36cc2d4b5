#!/usr/bin/env python3
"""A region's agreements on SQLite (one file each) and on one PostgreSQL
database: import, evaluate all, and the overview.

    bench/regional_benchmark.py [--agreements N] [--zielwerk build/zielwerk]
                                [--write-docs docs/performance.md]

Generates N agreements (default 405, Germany's jobcenters) from the example
project (examples/me-aktiv-2025, its agreement id numbered), each with the
example's four CSV files. For each backend, with the same binary:

- import: `zielwerk import` of the four files for every agreement, one
  process per agreement, in sequence (as each jobcenter's import would run);
- prepare: `zielwerk run --now 2025-07-03T10:00` for every agreement (so each
  has its review of 2025-06, which the overview shows);
- evaluate all: `zielwerk evaluate --period 2025-06 --format json` for every
  agreement;
- overview: on PostgreSQL one `zielwerk overview --period 2025-06 --format
  json` over the whole database (the median of 5); on SQLite there is no
  shared database, so the region's overview is one `overview` per file
  (the sum over all files).

Times are wall-clock seconds of whole program runs. The PostgreSQL server is
the test server of scripts/pg-test-server.sh (started and stopped here; fsync
off, as for the tests: the figures compare zielwerk's work, not disks).
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2025-07-03T10:00"


def timed(command, env):
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr}")
    return elapsed, done.stdout


def make_projects(work, count):
    example = ROOT / "examples" / "me-aktiv-2025"
    projects = []
    for i in range(count):
        project = work / f"jc{i:03d}"
        shutil.copytree(example, project, ignore=shutil.ignore_patterns("*.db", "*.db-*"))
        agreement = project / "rules" / "agreement.yaml"
        agreement.write_text(agreement.read_text().replace(
            "id: me-aktiv-2025", f"id: jc{i:03d}-2025", 1))
        projects.append(project)
    return projects


def run_backend(zielwerk, projects, db_of, env):
    data = sorted(str(p) for p in (projects[0] / "data").glob("*.csv"))
    phases = {}
    for name, args in (("import", ["import", "--actor", "controlling-jc", *data]),
                       ("prepare", ["run", "--actor", "zielwerk-dienst", "--now", NOW]),
                       ("evaluate", ["evaluate", "--period", "2025-06", "--format", "json"])):
        total = 0.0
        for project in projects:
            elapsed, _ = timed([zielwerk, "--project", str(project), "--db", db_of(project), *args],
                               env)
            total += elapsed
        phases[name] = total
    return phases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=405)
    parser.add_argument("--zielwerk", default=str(ROOT / "build" / "zielwerk"))
    parser.add_argument("--write-docs")
    args = parser.parse_args()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "ZIELWERK_TEST_NOW": "2025-07-03T10:00:00Z"}
    work = Path(tempfile.mkdtemp(prefix="zielwerk-regional-"))
    os.chmod(work, 0o711)  # the server's account (postgres, when run as root) must reach pg/
    server = work / "pg"
    try:
        projects = make_projects(work, args.agreements)
        sqlite = run_backend(args.zielwerk, projects, lambda p: str(p / "zielwerk.db"), env)
        overview_sqlite = 0.0
        for project in projects:
            elapsed, _ = timed([args.zielwerk, "--project", str(project), "--db",
                                str(project / "zielwerk.db"), "overview", "--period", "2025-06",
                                "--format", "json"], env)
            overview_sqlite += elapsed

        subprocess.run([str(ROOT / "scripts" / "pg-test-server.sh"), "start", str(server)],
                       check=True)
        subprocess.run(["psql", "-X", "-q", "-h", str(server), "-U", "zielwerk_admin", "-d",
                        "postgres", "-c", "CREATE DATABASE region OWNER zielwerk_app"], check=True)
        uri = f"postgresql:///region?host={server}&user=zielwerk_app"
        postgres = run_backend(args.zielwerk, projects, lambda p: uri, env)
        runs = []
        listed = 0
        for _ in range(5):
            elapsed, out = timed([args.zielwerk, "--project", str(projects[0]), "--db", uri,
                                  "overview", "--period", "2025-06", "--format", "json"], env)
            runs.append(elapsed)
            listed = len(json.loads(out)["agreements"])
        if listed != args.agreements:
            sys.exit(f"the overview listed {listed} agreements, not {args.agreements}")
        overview_pg = statistics.median(runs)
        size = subprocess.run(["psql", "-X", "-At", "-h", str(server), "-U", "zielwerk_admin",
                               "-d", "region", "-c",
                               "SELECT pg_database_size('region')"],
                              capture_output=True, text=True, check=True).stdout.strip()
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg-test-server.sh"), "stop", str(server)],
                       check=False)
        sqlite_bytes = sum(f.stat().st_size for f in work.rglob("zielwerk.db*"))
        shutil.rmtree(work, ignore_errors=True)

    n = args.agreements
    table = [
        f"| backend | agreements | import s (per agreement) | prepare reviews s | evaluate all s "
        f"(per agreement) | overview s | database MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| SQLite, one file each | {n} | {sqlite['import']:.1f} ({sqlite['import'] / n:.3f}) | "
        f"{sqlite['prepare']:.1f} | {sqlite['evaluate']:.1f} ({sqlite['evaluate'] / n:.3f}) | "
        f"{overview_sqlite:.2f} (one per file) | {sqlite_bytes / 2**20:.1f} |",
        f"| PostgreSQL, one database | {n} | {postgres['import']:.1f} "
        f"({postgres['import'] / n:.3f}) | {postgres['prepare']:.1f} | "
        f"{postgres['evaluate']:.1f} ({postgres['evaluate'] / n:.3f}) | {overview_pg:.2f} | "
        f"{int(size) / 2**20:.1f} |",
    ]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"Run of {stamp}:\n\n" + "\n".join(table) + "\n"
    print(text)
    if args.write_docs:
        path = Path(args.write_docs)
        docs = path.read_text()
        begin, end = "<!-- regional-benchmark -->", "<!-- /regional-benchmark -->"
        if begin in docs:
            head, rest = docs.split(begin, 1)
            docs = head + begin + "\n" + text + end + rest.split(end, 1)[1]
        else:
            docs += "\n" + begin + "\n" + text + end + "\n"
        path.write_text(docs)


if __name__ == "__main__":
    main()
