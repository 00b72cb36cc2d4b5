#!/usr/bin/env python3
"""Benchmark of the audit trail: `zielwerk audit verify` against sha256sum, and audit queries.

It
  1. generates a trail of N audit records (default 1,000,000) with zielwerk-audit-generator
     (bench/audit_generator.cpp, built into build/bench/): a synthetic follow-up process of
     eight years written through the storage module, with the bytes the verifier hashes
     (previous_hash + "\\n" + payload of every record) in a second file;
  2. runs `sha256sum` over those bytes (the baseline);
  3. runs `zielwerk audit verify --project bench/project --db DB`, which must exit 0 and name
     the number of records verified, and compares its throughput over the same bytes with
     sha256sum's (target: at least half of it);
  4. runs `zielwerk audit query ... --format json` for a goal, a measure, a review, an actor in
     one month, an operation (each --limit 50) and all records of a goal (--all), and checks
     the number of records returned against the database; then `audit export` and
     `audit checkpoint` (which must name the last record).
Each step is timed as the wall-clock time of the whole program run; with --repeat N the median
of N runs is reported with the highest peak RSS (the program's own, see import_benchmark.py).

Prints a Markdown report on stdout (progress on stderr). With --write-docs PATH it also writes
the section "Audit trail" of PATH (replacing that section if the file has it).

Exit status: 0 done; 1 --enforce-targets and a target was missed; 2 usage error;
3 a program failed or reported something wrong.
Standard library only (plus sha256sum). Linux.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in bench/
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from import_benchmark import (  # noqa: E402 (same directory)
    BenchError, Measurement, Run, Runner, failure, fmt_int, git_revision, log, machine_info,
    output_of, parse_sizes, remove_db)

DEFAULT_ZIELWERK = REPO / "build" / "zielwerk"
DEFAULT_GENERATOR = REPO / "build" / "bench" / "zielwerk-audit-generator"
DEFAULT_PROJECT = HERE / "project"
DEFAULT_RECORDS = 1_000_000
SPEED_TARGET = 0.5        # verify's bytes/s >= half of sha256sum's over the same bytes
QUERY_LIMIT = 50
MiB = 2**20
MB = 10**6



# --- the database, read directly for the expected answers --------------------------------------

def read_only(db: Path, sql: str, values: list | tuple = ()) -> list[tuple]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute(sql, values).fetchall()
    finally:
        connection.close()


def expected_count(db: Path, query: "Query") -> int:
    """How many records the query matches, counted in the database itself."""
    where, values = [], []
    for kind, object_id in query.objects:
        where.append("seq IN (SELECT seq FROM audit_object WHERE kind = ? AND object_id = ?)")
        values += [kind, object_id]
    if query.actor:
        where.append("actor = ?")
        values.append(query.actor)
    if query.operation:
        where.append("operation = ?")
        values.append(query.operation)
    if query.since:
        where.append("recorded_at >= ?")
        values.append(query.since_stored)
    if query.until:  # the command line's --until includes its instant
        where.append("recorded_at <= ?")
        values.append(query.until_stored)
    sql = "SELECT count(*) FROM audit_record" + (" WHERE " + " AND ".join(where) if where else "")
    return read_only(db, sql, values)[0][0]


def query_plan(db: Path, query: "Query") -> str:
    """The plan SQLite makes for the SQL storage/src/audit_query.cpp builds for this query."""
    where, values = [], []
    source, order = "audit_record r", "r.seq"
    for i, (kind, object_id) in enumerate(query.objects):
        if i == 0:  # the first object drives, through its index entries in seq order
            source, order = "audit_object o JOIN audit_record r ON r.seq = o.seq", "o.seq"
            where.append("o.kind = ? AND o.object_id = ?")
        else:
            where.append("r.seq IN (SELECT seq FROM audit_object WHERE kind = ? AND object_id = ?)")
        values += [kind, object_id]
    if query.actor:
        where.append("r.actor = ?")
        values.append(query.actor)
    if query.operation:
        where.append("(r.operation = ?)")
        values.append(query.operation)
    if query.since:
        where.append("r.recorded_at >= ?")
        values.append(query.since_stored)
    if query.until:
        where.append("r.recorded_at < ?")
        values.append(query.until_stored)
    only_time = not query.objects and not query.actor and not query.operation
    sql = ("SELECT r.seq, r.recorded_at, r.actor, r.operation, r.rule_set_version, r.payload, "
           "r.previous_hash, r.hash FROM " + source
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY " + ("+" if only_time and (query.since or query.until) else "") + order
           + " DESC LIMIT ?")
    values.append(query.limit if query.limit else -1)
    rows = read_only(db, "EXPLAIN QUERY PLAN " + sql, values)
    return "; ".join(row[3] for row in rows)


def last_record(db: Path) -> tuple[int, str]:
    rows = read_only(db, "SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1")
    return (rows[0][0], rows[0][1]) if rows else (0, "0" * 64)


# --- the queries -------------------------------------------------------------------------------

@dataclass
class Query:
    name: str
    args: list[str]
    objects: list[tuple[str, str]] = field(default_factory=list)
    actor: str | None = None
    operation: str | None = None
    since: str | None = None          # as given to zielwerk (UTC)
    until: str | None = None
    since_stored: str | None = None   # as stored (format_timestamp)
    until_stored: str | None = None
    limit: int | None = QUERY_LIMIT


def queries_for(samples: dict) -> list[Query]:
    goal, measure, review = samples["goal"], samples["measure"], samples["review"]
    actor, month = samples["actor"], samples["month"]
    year, number = (int(part) for part in month.split("-"))
    following = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    since, until = f"{month}-01T00:00:00Z", f"{following}-01T00:00:00Z"
    return [
        Query(f"--goal {goal}", ["--goal", goal], objects=[("goal", goal)]),
        Query(f"--measure {measure}", ["--measure", measure], objects=[("measure", measure)]),
        Query(f"--review {review}", ["--review", review], objects=[("review", review)]),
        Query(f"--actor {actor} --since {since} --until {until}",
              ["--actor", actor, "--since", since, "--until", until], actor=actor,
              since=since, until=until, since_stored=f"{month}-01T00:00:00.000Z",
              until_stored=f"{following}-01T00:00:00.000Z"),
        Query("--operation measure.add", ["--operation", "measure.add"],
              operation="measure.add"),
        Query(f"--goal {goal} --all", ["--goal", goal, "--all"], objects=[("goal", goal)],
              limit=None),
    ]


def count_json_records(text: str) -> int | None:
    """The number of records in `audit query --format json` output (an array, an object
    holding one, or one JSON object per line)."""
    text = text.strip()
    if not text:
        return 0
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        try:
            return sum(1 for line in text.splitlines() if line.strip() and json.loads(line))
        except json.JSONDecodeError:
            return None
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        for key in ("records", "results", "items"):
            if isinstance(value.get(key), list):
                return len(value[key])
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return len(lists[0])
        return 1 if "seq" in value else None
    return None


def numbers_in(text: str) -> set[int]:
    return {int(re.sub(r"\D", "", match)) for match in
            re.findall(r"\d[\d,.'\u00a0\u202f]*\d|\d", text)}


# --- the benchmark -----------------------------------------------------------------------------

@dataclass
class QueryResult:
    name: str
    argv: list[str]
    measurement: Measurement
    returned: int
    matching: int
    plan: str


@dataclass
class Result:
    records: int
    db_bytes: int
    chain_bytes: int
    trail: dict
    generate: Measurement
    sha256sum: Measurement
    sha256: str
    verify: Measurement | None = None
    verify_output: str | None = None
    queries: list[QueryResult] = field(default_factory=list)
    export: Measurement | None = None
    export_bytes: int | None = None
    checkpoint: Measurement | None = None
    checkpoint_output: str | None = None

    def ratio(self) -> float | None:
        return None if self.verify is None else self.sha256sum.seconds / self.verify.seconds


class Benchmark:
    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.runner = Runner(workdir)
        self.db = workdir / "audit.db"
        self.chain = workdir / "audit-chain.bytes"
        self.summary = workdir / "audit-summary.json"

    def zielwerk(self, *argv: str) -> list[str]:
        return [str(self.args.zielwerk), "audit", argv[0], "--project", str(self.args.project),
                "--db", str(self.db), *argv[1:]]

    def generate(self) -> tuple[Run, dict, list[str]]:
        args = self.args
        remove_db(self.db)
        self.chain.unlink(missing_ok=True)
        create = [str(args.generator), "--db", str(self.db), "--records", "0",
                  "--agreement", args.agreement]
        created = self.runner.run(create, name="create")
        if created.returncode != 0:
            raise failure("the generator (creating the database)", create, created)
        argv = [str(args.generator), "--db", str(self.db), "--records", str(args.records),
                "--agreement", args.agreement, "--seed", str(args.seed),
                "--bytes-out", str(self.chain), "--summary-json", str(self.summary)]
        log(f"generating {args.records:,} audit records into {self.db} ...")
        run = self.runner.run(argv, name="generate")
        if run.returncode != 0:
            raise failure("the generator", argv, run)
        info = json.loads(self.summary.read_text(encoding="utf-8"))
        if info["records"] != args.records or last_record(self.db)[0] != args.records:
            raise BenchError(f"the generator wrote {info['records']} records, expected "
                             f"{args.records}")
        if self.chain.stat().st_size != info["chain_bytes"]:
            raise BenchError(f"{self.chain} has {self.chain.stat().st_size} bytes, the generator "
                             f"reported {info['chain_bytes']}")
        info["db_bytes"] = self.db.stat().st_size
        log(f"  {run.stdout.strip()}")
        log(f"  {run.seconds:.1f} s, DB {info['db_bytes'] / MiB:.1f} MiB, hashed bytes "
            f"{info['chain_bytes'] / MiB:.1f} MiB, peak RSS {run.peak_rss_mib:.1f} MiB"
            )
        return run, info, []

    def sha256sum(self) -> tuple[Run, str]:
        argv = [self.args.sha256sum, str(self.chain)]
        run = self.runner.run(argv, name="sha256sum")
        match = re.match(r"([0-9a-f]{64})\s", run.stdout)
        if run.returncode != 0 or not match:
            raise failure("sha256sum", argv, run)
        return run, match.group(1)

    def verify(self) -> Run:
        argv = self.zielwerk("verify")
        run = self.runner.run(argv, name="verify")
        if run.returncode != 0:
            raise failure("zielwerk audit verify", argv, run)
        if self.args.records not in numbers_in(run.stdout + "\n" + run.stderr):
            raise failure(f"zielwerk audit verify did not name the {self.args.records:,} records "
                          "verified; it", argv, run)
        return run

    def query(self, query: Query, matching: int) -> tuple[Run, int]:
        argv = self.zielwerk("query", "--format", "json", *query.args,
                             *(["--limit", str(query.limit)] if query.limit else []))
        run = self.runner.run(argv, name="query")
        if run.returncode != 0:
            raise failure("zielwerk audit query", argv, run)
        returned = count_json_records(run.stdout)
        expected = min(matching, query.limit) if query.limit else matching
        if returned != expected:
            raise BenchError(f"zielwerk audit query returned {returned} records, expected "
                             f"{expected} ({matching:,} match in the database)\n"
                             f"command: {shlex.join(argv)}\nstdout begins: {run.stdout[:500]}")
        return run, returned

    def export(self) -> tuple[Run, int]:
        output = self.workdir / "audit-export.out"
        output.unlink(missing_ok=True)
        argv = self.zielwerk("export", "--output", str(output))
        run = self.runner.run(argv, name="export")
        if run.returncode != 0 or not output.exists() or output.stat().st_size == 0:
            raise failure("zielwerk audit export (to a non-empty file)", argv, run)
        size = output.stat().st_size
        output.unlink()
        return run, size

    def checkpoint(self) -> Run:
        argv = self.zielwerk("checkpoint")
        run = self.runner.run(argv, name="checkpoint")
        seq, digest = last_record(self.db)
        match = re.search(r"\b(\d+):([0-9a-f]{64})\b", run.stdout)
        if run.returncode != 0 or not match or (int(match.group(1)), match.group(2)) != (seq,
                                                                                          digest):
            raise failure(f"zielwerk audit checkpoint (expected {seq}:{digest})", argv, run)
        return run

    def reuse(self) -> tuple[Run, dict, list[str]]:
        """The trail of an earlier run kept in --workdir (--keep), instead of a new one."""
        if not (self.db.exists() and self.chain.exists() and self.summary.exists()):
            raise BenchError(f"--reuse: no kept trail in {self.workdir} (audit.db, "
                             "audit-chain.bytes, audit-summary.json of a --keep run)")
        info = json.loads(self.summary.read_text(encoding="utf-8"))
        if info["records"] != self.args.records or last_record(self.db)[0] != self.args.records:
            raise BenchError(f"--reuse: the kept trail has {info['records']:,} records, not "
                             f"{self.args.records:,}")
        info["db_bytes"] = self.db.stat().st_size
        info["reused"] = True
        log(f"reusing the trail in {self.workdir} ({info['records']:,} records)")
        return Run(info["generate_seconds"], 0, 0, "", ""), info, []

    def measure(self) -> Result:
        args = self.args
        generated, info, _ = self.reuse() if args.reuse else self.generate()
        samples = info["query_samples"]
        queries = queries_for(samples)
        matching = {q.name: expected_count(self.db, q) for q in queries}
        sha_runs, verify_runs, export_runs, checkpoint_runs = [], [], [], []
        query_runs: dict[str, list[Run]] = {q.name: [] for q in queries}
        returned: dict[str, int] = {}
        digest = ""
        export_size = None
        verify_output = checkpoint_output = None
        chain_mb = info["chain_bytes"] / MB
        for repetition in range(args.repeat):
            label = f"[{repetition + 1}/{args.repeat}]"
            run, digest = self.sha256sum()
            sha_runs.append(run)
            log(f"{label} sha256sum: {run.seconds:.2f} s ({chain_mb / run.seconds:,.0f} MB/s)")
            if args.skip_zielwerk:
                continue
            run = self.verify()
            verify_runs.append(run)
            # The verdict is the first line; the Merkle root follows it.
            verify_output = (run.stdout.strip() or run.stderr.strip()).splitlines()[0]
            log(f"{label} audit verify: {run.seconds:.2f} s ({args.records / run.seconds:,.0f} "
                f"records/s, {chain_mb / run.seconds:,.0f} MB/s), peak RSS "
                f"{run.peak_rss_mib:.1f} MiB; speed verify/sha256sum "
                f"{sha_runs[-1].seconds / run.seconds:.2f}")
            for query in queries:
                run, returned[query.name] = self.query(query, matching[query.name])
                query_runs[query.name].append(run)
                log(f"{label} audit query {query.name}: {run.seconds * 1000:.0f} ms, "
                    f"{returned[query.name]:,} records")
            run, export_size = self.export()
            export_runs.append(run)
            log(f"{label} audit export: {run.seconds:.2f} s, {export_size / MiB:.1f} MiB")
            run = self.checkpoint()
            checkpoint_runs.append(run)
            checkpoint_output = run.stdout.strip()
            log(f"{label} audit checkpoint: {run.seconds * 1000:.0f} ms")
        result = Result(records=args.records, db_bytes=info["db_bytes"],
                        chain_bytes=info["chain_bytes"], trail=info,
                        generate=Measurement.of([generated]),
                        sha256sum=Measurement.of(sha_runs), sha256=digest)
        if not args.skip_zielwerk:
            result.verify = Measurement.of(verify_runs)
            result.verify_output = verify_output
            result.queries = [QueryResult(q.name, q.args + (["--limit", str(q.limit)]
                                                            if q.limit else []),
                                          Measurement.of(query_runs[q.name]), returned[q.name],
                                          matching[q.name], query_plan(self.db, q))
                              for q in queries]
            result.export = Measurement.of(export_runs)
            result.export_bytes = export_size
            result.checkpoint = Measurement.of(checkpoint_runs)
            result.checkpoint_output = checkpoint_output
        return result


# --- preconditions -----------------------------------------------------------------------------

def check_programs(args: argparse.Namespace) -> str:
    """Fails unless the generator runs and, unless skipped, zielwerk has `audit` and accepts
    the project; returns zielwerk's version."""
    generator = args.generator
    if not generator.is_file() or not os.access(generator, os.X_OK):
        raise BenchError(f"no generator at {generator}: build it with "
                         "`cmake --build --preset dev` (target zielwerk-audit-generator)")
    if args.skip_zielwerk:
        return "not measured (--skip-zielwerk)"
    zielwerk = args.zielwerk
    hint = "(pass --skip-zielwerk to measure only the generator and sha256sum)"
    if not zielwerk.is_file() or not os.access(zielwerk, os.X_OK):
        raise BenchError(f"no zielwerk executable at {zielwerk} {hint}")
    done = subprocess.run([str(zielwerk), "audit", "--help"], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"`{zielwerk} audit --help` exited {done.returncode}: this zielwerk has no "
                         f"audit command {hint}\n{done.stderr.strip()}")
    done = subprocess.run([str(zielwerk), "check", "--project", str(args.project)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"`zielwerk check --project {args.project}` exited {done.returncode}:\n"
                         f"{done.stderr.strip()}")
    return output_of([str(zielwerk), "--version"]) or "zielwerk (version unknown)"


def agreement_of(project: Path) -> str:
    """The agreement id of the project's rules (the database is claimed for it)."""
    text = (project / "zielwerk.yaml").read_text(encoding="utf-8")
    files = re.findall(r"^\s*-\s*(\S+\.ya?ml)\s*$", text, re.MULTILINE)
    for name in files:
        path = project / name
        if not path.is_file():
            continue
        match = re.search(r"^agreement:\s*\n\s+id:\s*['\"]?([^'\"\s#]+)",
                          path.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            return match.group(1)
    raise ValueError("no `agreement: id:` in the project's rule files")


# --- the report --------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def report(result: Result, context: dict, args: argparse.Namespace) -> str:
    dash = "–"
    r = result
    chain_mb = r.chain_bytes / MB
    lines = [
        f"Trail: {fmt_int(r.records)} records ({r.trail['first_recorded_at'][:10]} .. "
        f"{r.trail['last_recorded_at'][:10]}), database {r.db_bytes / MiB:,.1f} MiB, hashed bytes "
        f"(previous hash + newline + payload of every record) {r.chain_bytes / MiB:,.1f} MiB, "
        f"{r.chain_bytes / r.records:,.0f} bytes per record.",
        "",
        "| step | s | records/s | MB/s of the hashed bytes | peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
        f"| generate (zielwerk-audit-generator{', an earlier run' if r.trail.get('reused') else ''}"
        f") | {r.generate.seconds:.1f} | {fmt_int(r.records / r.generate.seconds)} | {dash} "
        f"| {r.generate.peak_rss_mib:.1f} |",
        f"| `sha256sum` | {r.sha256sum.seconds:.2f} | {fmt_int(r.records / r.sha256sum.seconds)} "
        f"| {chain_mb / r.sha256sum.seconds:,.0f} | {r.sha256sum.peak_rss_mib:.1f} |",
    ]
    if r.verify:
        lines.append(f"| `zielwerk audit verify` | {r.verify.seconds:.2f} "
                     f"| {fmt_int(r.records / r.verify.seconds)} "
                     f"| {chain_mb / r.verify.seconds:,.0f} | {r.verify.peak_rss_mib:.1f} |")
    if r.export:
        lines.append(f"| `zielwerk audit export` ({r.export_bytes / MiB:,.1f} MiB) "
                     f"| {r.export.seconds:.2f} | {fmt_int(r.records / r.export.seconds)} "
                     f"| {dash} | {r.export.peak_rss_mib:.1f} |")
    if r.checkpoint:
        lines.append(f"| `zielwerk audit checkpoint` | {r.checkpoint.seconds:.3f} | {dash} "
                     f"| {dash} | {r.checkpoint.peak_rss_mib:.1f} |")
    lines.append("")
    if r.queries:
        lines += [
            "Queries (`zielwerk audit query --project bench/project --db DB --format json ...`):",
            "",
            "| query | ms | records returned | records matching | peak RSS MiB "
            "| plan of the storage's SQL (EXPLAIN QUERY PLAN) |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for q in r.queries:
            lines.append(f"| `{shlex.join(q.argv)}` | {ms(q.measurement.seconds)} "
                         f"| {fmt_int(q.returned)} | {fmt_int(q.matching)} "
                         f"| {q.measurement.peak_rss_mib:.1f} | {q.plan} |")
        lines.append("")
    lines.extend(verdict_lines(r))
    lines += ["", "The trail (operations and the rows they wrote):", ""]
    operations = r.trail["operations"]
    lines.append("- operations: " + ", ".join(f"{name} {fmt_int(count)}" for name, count in
                                              sorted(operations.items(), key=lambda x: -x[1])))
    lines.append("- rows: " + ", ".join(f"{name.replace('_', ' ')} {fmt_int(count)}"
                                        for name, count in r.trail["objects"].items()))
    lines.append(f"- actors: {len(r.trail['actors'])}; generator seed {r.trail['seed']}; "
                 f"SHA-256 of the hashed bytes `{r.sha256}`")
    if r.verify_output:
        lines.append(f"- `audit verify` said: {r.verify_output}")
    lines += ["", "Run:", ""]
    for key, value in context.items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines) + "\n"


def verdict(result: Result) -> bool | None:
    ratio = result.ratio()
    return None if ratio is None else ratio >= SPEED_TARGET


def verdict_lines(result: Result) -> list[str]:
    ok = verdict(result)
    if ok is None:
        return ["Target: not judged, zielwerk was not measured (--skip-zielwerk)."]
    word = "**met**" if ok else "**missed**"
    return [f"- Target (verify at least {SPEED_TARGET:g} x sha256sum's throughput over the same "
            f"bytes): "
            f"{word}, verify/sha256sum = {result.ratio():.2f} "
            f"({result.sha256sum.seconds:.2f} s / {result.verify.seconds:.2f} s)."]


def docs_section(result: Result, context: dict, args: argparse.Namespace, command: str,
                 date: str) -> str:
    parts = [
        "## Audit trail",
        "",
        "What is measured: `zielwerk audit verify` of a trail of "
        f"{fmt_int(result.records)} records next to `sha256sum` over the very bytes the "
        "verification hashes (for every record, previous hash + newline + payload), on the same "
        "machine in the same run; and audit queries on that trail.",
        "",
        "- The trail is written by `zielwerk-audit-generator` (`bench/audit_generator.cpp`) "
        "through the storage module, as the engine writes it: eight years of a follow-up "
        "process with two review workflows (monthly and quarterly), measures agreed in the "
        "reviews and followed up (each follow-up a `measure_followup` row), minutes, "
        "escalations and milestones, a dozen actors; every record names the objects it "
        "touched with their state digests. Deterministic for a seed.",
        "- *verify*: `zielwerk audit verify --project bench/project --db DB` (hash chain, "
        "columns and object index against each payload, the digest of every stored object "
        "against its last record, the append-only triggers); it must exit 0 and name the "
        "number of records. *sha256sum*: `sha256sum FILE` of those bytes, written by the "
        "generator (`--bytes-out`).",
        "- *queries*: `zielwerk audit query --project bench/project --db DB --format json` with "
        f"`--limit {QUERY_LIMIT}` (newest first), and one `--all` query of a goal; the number of "
        "records returned is checked against the database. The plan column is SQLite's plan "
        "for the SQL `storage/src/audit_query.cpp` builds.",
        "- Times are wall-clock seconds of the whole program run (start-up, opening the "
        "database and loading the project included); with `--repeat N`, the median of N runs "
        "on the same database. The files were just written and are in the page cache, so the "
        "figures are CPU-bound. Peak RSS is the program's own `ru_maxrss`; for verify it counts the database file, which verify maps into memory (`PRAGMA mmap_size`), not memory it allocates.",
        f"- Target: verify's throughput over the hashed bytes at least "
        f"{SPEED_TARGET:g} x sha256sum's. Since the Merkle tree, verify hashes each record "
        "twice (the chain over previous hash + newline + payload, the leaf over the export "
        "line) plus the tree's inner nodes, about 2.2 times the bytes sha256sum reads; "
        "OpenSSL's SHA-256 uses the CPU's SHA instructions, which Debian's sha256sum (no "
        "libcrypto) does not, and that is what leaves room for the target.",
        "",
        "Reproduce (from the repository root, after `cmake --build --preset dev`):",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Run of {date}:",
        "",
        report(result, context, args).rstrip("\n"),
        "",
    ]
    return "\n".join(parts)


def write_docs(path: Path, section: str, title: str = "Audit trail") -> None:
    """Writes the section into path: replaces an existing "## <title>" section."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        match = re.search(rf"^## {re.escape(title)}[ \t]*$", text, re.MULTILINE)
        if match:
            following = re.search(r"^## ", text[match.end():], re.MULTILINE)
            end = match.end() + following.start() if following else len(text)
            text = text[:match.start()] + section + ("\n" if following else "") + text[end:]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        text = "# Performance\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- main --------------------------------------------------------------------------------------

def parse_records(text: str) -> int:
    values = parse_sizes(text)
    if len(values) != 1:
        raise argparse.ArgumentTypeError("one record count")
    return values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `zielwerk audit verify` against sha256sum over the same bytes, "
                    "and audit queries, on a generated trail; prints a Markdown report.")
    parser.add_argument("--zielwerk", type=Path, default=DEFAULT_ZIELWERK,
                        help="the zielwerk executable (default: build/zielwerk of this repository)")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR,
                        help="zielwerk-audit-generator (default: build/bench/ of this repository)")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT,
                        help="the project zielwerk opens the database with (default: bench/project)")
    parser.add_argument("--sha256sum", default=shutil.which("sha256sum"),
                        help="the sha256sum tool (default: from PATH)")
    parser.add_argument("--records", type=parse_records, default=DEFAULT_RECORDS, metavar="N",
                        help="audit records to generate (default 1,000,000; suffixes k and M)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement on the same trail; the median time is "
                             "reported (default 1; the trail is generated once)")
    parser.add_argument("--skip-zielwerk", action="store_true",
                        help="measure only the generator and sha256sum")
    parser.add_argument("--workdir", type=Path,
                        help="where the database and files go (default: a temporary directory, "
                             "removed afterwards); 1M records need about 3 GB")
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the trail an earlier --keep run left in --workdir instead "
                             "of generating one (not for the docs)")
    parser.add_argument("--write-docs", type=Path, metavar="PATH",
                        help="also write the section 'Audit trail' of PATH "
                             "(e.g. docs/performance.md)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the raw results as JSON")
    parser.add_argument("--enforce-targets", action="store_true",
                        help=f"exit 1 when the target (verify >= {SPEED_TARGET:g} x sha256sum) is missed")
    args = parser.parse_args(argv)

    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.sha256sum or not shutil.which(args.sha256sum):
        parser.error("sha256sum was not found (install coreutils or pass --sha256sum)")
    if args.write_docs and args.skip_zielwerk:
        parser.error("--write-docs needs the zielwerk figures; drop --skip-zielwerk")
    if args.reuse and (args.write_docs or not args.workdir):
        parser.error("--reuse needs --workdir (of an earlier --keep run) and no --write-docs")
    if not Path("/bin/sh").exists() or not hasattr(os, "wait4"):
        parser.error("this benchmark needs Linux (/bin/sh, wait4)")
    args.sha256sum = shutil.which(args.sha256sum)
    args.zielwerk = args.zielwerk.resolve()
    args.generator = args.generator.resolve()
    args.project = args.project.resolve()
    if not (args.project / "zielwerk.yaml").is_file():
        parser.error(f"no zielwerk.yaml in {args.project}")
    try:
        args.agreement = agreement_of(args.project)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the agreement id of {args.project}: {error}")

    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python3", "bench/audit_benchmark.py", *given])
    # The docs show how to reproduce the figures, without where this run kept its files.
    shown, skip = [], False
    for arg in given:
        if skip:
            skip = False
        elif arg in ("--json", "--workdir"):
            skip = True
        elif arg != "--keep" and not arg.startswith(("--json=", "--workdir=")):
            shown.append(arg)
    docs_command = shlex.join(["python3", "bench/audit_benchmark.py", *shown])
    created_workdir = args.workdir is None
    args.keep = args.keep or args.reuse
    workdir = (Path(tempfile.mkdtemp(prefix="zielwerk-audit-bench-")) if created_workdir
               else args.workdir.resolve())
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        zielwerk_version = check_programs(args)
        sha_version = (output_of([args.sha256sum, "--version"]) or "unknown").splitlines()[0]
        date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        context = {"date": date, **machine_info(workdir),
                   "zielwerk": f"{zielwerk_version}, commit {git_revision()}",
                   "sha256sum": sha_version,
                   "SQLite (Python's, for the expected counts and plans)": sqlite3.sqlite_version,
                   "repetitions": str(args.repeat)}
        log(f"work directory {workdir} ({context['work directory file system']})")
        result = Benchmark(args, workdir).measure()
    except BenchError as error:
        log(f"audit_benchmark: error: {error}")
        if created_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            log("audit_benchmark: (the work directory was removed; --keep keeps it)")
        else:
            log(f"audit_benchmark: the files are in {workdir}")
        return 3
    except KeyboardInterrupt:
        log("audit_benchmark: interrupted")
        if created_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 130
    if created_workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    elif args.keep:
        log(f"files kept in {workdir}")

    text = report(result, context, args)
    print(f"## Audit trail ({date})\n")
    print(text, end="")
    if args.json:
        args.json.write_text(json.dumps({"context": context, "command": command,
                                         "result": asdict(result)}, indent=2) + "\n",
                             encoding="utf-8")
    if args.write_docs:
        write_docs(args.write_docs, docs_section(result, context, args, docs_command, date))
        log(f"wrote {args.write_docs}")
    if args.enforce_targets and verdict(result) is False:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
