#!/usr/bin/env python3
"""Benchmark of `zielwerk import` against the sqlite3 command-line tool's `.import`.

For each size (rows) it
  1. generates the observation file with bench/generate_observations.py (405 jobcenters x the
     project's base series, as many months from 2016-01 as the size needs, ordered by period,
     region, metric as a national statistics export is);
  2. runs `sqlite3 fresh.db` with `.mode csv` and `.import --skip 1 FILE observations` into a
     table created beforehand with the file's columns (the baseline), and once more into a table
     keyed by (metric, region, period) (for information);
  3. runs `zielwerk import --project bench/project --db fresh.db --actor bench FILE` and checks
     its summary (rows read = generated rows, all new);
  4. runs the same import again into that database (must report 0 new, 0 revised);
and measures for each run the wall time and the peak resident set size of the program itself.

Peak RSS: Linux records the high-water mark of the parent's memory into a child at exec, so a
child started directly by Python would report at least Python's own RSS. The benchmark makes
itself a child subreaper and starts each program from a small /bin/sh that backgrounds it and
exits; the program is re-parented to the benchmark, which reaps it with wait4() and reads its
own ru_maxrss (the floor is the shell's ~1-2 MiB). The same figure as GNU `time -f %M`.

Prints a Markdown report on stdout (progress on stderr). With --write-docs PATH it also writes
the section "Observation import" of PATH (replacing that section if the file has it).

Exit status: 0 done; 1 --enforce-targets and a target was missed; 2 usage error;
3 a program failed or reported wrong counts.
Standard library only (plus the sqlite3 command-line tool). Linux.
"""
from __future__ import annotations

import argparse
import ctypes
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "generate_observations.py"
DEFAULT_ZIELWERK = REPO / "build" / "zielwerk"
DEFAULT_PROJECT = HERE / "project"
DEFAULT_SIZES = "100000,729000,2000000"
JOBCENTERS = 405
ACTOR = "bench"
SPEED_TARGET = 0.8        # zielwerk rows/s >= 0.8 x sqlite3's (into the plain table)
MEMORY_FLAT_FACTOR = 1.25  # peak RSS of the largest file <= 1.25 x that of the smallest
MiB = 2**20

PLAIN_TABLE = ("CREATE TABLE observations (region TEXT, metric TEXT, period TEXT, value REAL, "
               "source TEXT);")
KEYED_TABLE = ("CREATE TABLE observations (region TEXT NOT NULL, metric TEXT NOT NULL, "
               "period TEXT NOT NULL, value REAL NOT NULL, source TEXT, "
               "PRIMARY KEY (metric, region, period));")

# Runs "$@" in the background with the given stdin/stdout/stderr and reports its pid on fd 4.
# (A background job of a non-interactive shell ignores SIGINT; on Ctrl-C the benchmark sends
# SIGTERM to the program itself.)
LAUNCHER = 'in=$1 out=$2 err=$3; shift 3; "$@" <"$in" >"$out" 2>"$err" 4>&- & echo $! >&4'


class BenchError(Exception):
    """A program failed or reported something other than expected."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- running a program and measuring it -------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_rss_kib: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_kib / 1024


class Runner:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.count = 0
        self.subreaper = False
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_CHILD_SUBREAPER = 36
            self.subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            pass
        if not self.subreaper:
            log("warning: cannot become a child subreaper; peak RSS figures include the "
                "benchmark's own memory (about 10-20 MiB)")

    def run(self, argv: list[str], *, stdin: Path | None = None, name: str = "run") -> Run:
        self.count += 1
        base = self.workdir / f"{self.count:03d}-{name}"
        out, err = Path(f"{base}.stdout"), Path(f"{base}.stderr")
        source = str(stdin) if stdin else os.devnull
        began = time.perf_counter()
        if self.subreaper:
            read_end, write_end = os.pipe()
            try:
                shell = os.posix_spawn("/bin/sh", ["sh", "-c", LAUNCHER, "sh", source, str(out),
                                                   str(err), *argv], os.environ,
                                       file_actions=[(os.POSIX_SPAWN_DUP2, write_end, 4),
                                                     (os.POSIX_SPAWN_CLOSE, read_end)])
            finally:
                os.close(write_end)
            with os.fdopen(read_end, "rb") as pipe:
                pid_text = pipe.readline().decode().strip()
            os.waitpid(shell, 0)
            if not pid_text.isdigit():
                raise BenchError(f"could not start {argv[0]}")
            pid = int(pid_text)
        else:
            with open(source, "rb") as i, open(out, "wb") as o, open(err, "wb") as e:
                pid = os.posix_spawnp(argv[0], argv, os.environ,
                                     file_actions=[(os.POSIX_SPAWN_DUP2, i.fileno(), 0),
                                                   (os.POSIX_SPAWN_DUP2, o.fileno(), 1),
                                                   (os.POSIX_SPAWN_DUP2, e.fileno(), 2)])
        try:
            _, status, usage = os.wait4(pid, 0)
        except BaseException:
            try:
                os.kill(pid, 15)
                os.wait4(pid, 0)
            except OSError:
                pass
            raise
        seconds = time.perf_counter() - began
        return Run(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                   out.read_text(encoding="utf-8", errors="replace"),
                   err.read_text(encoding="utf-8", errors="replace"))


def failure(what: str, argv: list[str], run: Run) -> BenchError:
    def tail(text: str) -> str:
        text = text.strip()
        return text if len(text) <= 6000 else "...\n" + text[-6000:]
    parts = [f"{what} failed (exit {run.returncode}): {shlex.join(argv)}"]
    if run.stderr.strip():
        parts.append("--- its stderr ---\n" + tail(run.stderr))
    if run.stdout.strip():
        parts.append("--- its stdout ---\n" + tail(run.stdout))
    return BenchError("\n".join(parts))


# --- the zielwerk summary line ----------------------------------------------------------------

NUMBER = r"(\d[\d,.'\u00a0\u202f ]*?)"
SUMMARY = re.compile(NUMBER + r"\s*rows?\s+read\b.*?" + NUMBER + r"\s*new\b.*?" + NUMBER
                     + r"\s*revised\b.*?" + NUMBER + r"\s*unchanged\b", re.IGNORECASE)


def parse_summary(text: str) -> dict[str, int] | None:
    """{read, new, revised, unchanged} from the last summary line, or None."""
    matches = list(SUMMARY.finditer(text))
    if not matches:
        return None
    values = [int(re.sub(r"\D", "", group)) for group in matches[-1].groups()]
    return dict(zip(("read", "new", "revised", "unchanged"), values))


# --- the benchmark ----------------------------------------------------------------------------

@dataclass
class Measurement:
    seconds: float
    peak_rss_mib: float
    runs: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, runs: list[Run]) -> "Measurement":
        return cls(statistics.median(r.seconds for r in runs),
                   max(r.peak_rss_mib for r in runs), [round(r.seconds, 3) for r in runs])


@dataclass
class SizeResult:
    rows: int
    months: int
    file_bytes: int
    file_sha256: str
    last_period: str
    generate: Measurement
    sqlite3: Measurement
    sqlite3_db_bytes: int
    sqlite3_keyed: Measurement | None = None
    zielwerk: Measurement | None = None
    zielwerk_reimport: Measurement | None = None
    zielwerk_db_bytes: int | None = None
    zielwerk_summary: str | None = None

    def ratio(self) -> float | None:
        return None if self.zielwerk is None else self.sqlite3.seconds / self.zielwerk.seconds

    def keyed_ratio(self) -> float | None:
        if self.zielwerk is None or self.sqlite3_keyed is None:
            return None
        return self.sqlite3_keyed.seconds / self.zielwerk.seconds


def file_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
               if p.exists())


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class Benchmark:
    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.runner = Runner(workdir)
        self.sqlite3 = args.sqlite3

    def sqlite_import(self, csv: Path, rows: int, table: str, name: str) -> tuple[Run, int]:
        db = self.workdir / f"{name}.db"
        remove_db(db)
        create = [self.sqlite3, "-batch", "-bail", str(db), table]
        created = self.runner.run(create, name=f"{name}-create")
        if created.returncode != 0 or created.stderr.strip():
            raise failure("sqlite3 (creating the table)", create, created)
        if '"' in str(csv):
            raise BenchError(f"the file path must not contain a double quote: {csv}")
        script = self.workdir / f"{name}.sql"
        script.write_text(f'.mode csv\n.import --skip 1 "{csv}" observations\n', encoding="utf-8")
        argv = [self.sqlite3, "-batch", "-bail", str(db)]
        run = self.runner.run(argv, stdin=script, name=name)
        # .import reports malformed lines on stderr but may still exit 0.
        if run.returncode != 0 or run.stderr.strip():
            raise failure(f"sqlite3 .import (< {script.name})", argv, run)
        count_argv = [self.sqlite3, "-batch", str(db), "SELECT count(*) FROM observations;"]
        counted = self.runner.run(count_argv, name=f"{name}-count")
        if counted.returncode != 0 or counted.stdout.strip() != str(rows):
            raise BenchError(f"sqlite3 imported {counted.stdout.strip() or '?'} rows, expected {rows}"
                             + (f"\n{counted.stderr.strip()}" if counted.stderr.strip() else ""))
        size = file_bytes(db)
        if not self.args.keep:
            remove_db(db)
        return run, size

    def zielwerk_import(self, db: Path, csv: Path, rows: int, first: bool) -> Run:
        argv = [str(self.args.zielwerk), "import", "--project", str(self.args.project),
                "--db", str(db), "--actor", ACTOR, str(csv)]
        run = self.runner.run(argv, name="zielwerk-import" if first else "zielwerk-reimport")
        what = "zielwerk import" if first else "zielwerk import (re-import)"
        if run.returncode != 0:
            raise failure(what, argv, run)
        summary = parse_summary(run.stdout) or parse_summary(run.stderr)
        if summary is None:
            raise failure(what + " printed no summary '... N rows read, N new, N revised, "
                          "N unchanged'; it", argv, run)
        expected = {"read": rows, "new": rows if first else 0, "revised": 0,
                    "unchanged": 0 if first else rows}
        if summary != expected:
            raise BenchError(f"{what} reported {summary}, expected {expected}\n"
                             f"command: {shlex.join(argv)}\nstdout: {run.stdout.strip()}")
        return run

    def measure_size(self, rows: int) -> SizeResult:
        args = self.args
        label = f"[{rows:,} rows]"
        csv = self.workdir / f"observations-{rows}.csv"
        summary_json = self.workdir / f"observations-{rows}.json"
        months = max(120, math.ceil(rows / (JOBCENTERS * args.series_count)))
        generate = [sys.executable, str(GENERATOR), "--jobcenters", str(JOBCENTERS),
                    "--series-from", str(args.project), "--start", "2016-01",
                    "--months", str(months), "--rows", str(rows), "--order", args.order,
                    "--output", str(csv), "--summary-json", str(summary_json), "--quiet"]
        log(f"{label} generating {csv.name} ({JOBCENTERS} jobcenters x {args.series_count} series "
            f"x up to {months} months) ...")
        generated = self.runner.run(generate, name="generate")
        if generated.returncode != 0:
            raise failure("the generator", generate, generated)
        info = json.loads(summary_json.read_text(encoding="utf-8"))
        if info["rows"] != rows:
            raise BenchError(f"the generator wrote {info['rows']} rows, expected {rows}")
        log(f"{label}   {info['bytes'] / MiB:.1f} MiB, {info['first_period']}..{info['last_period']}, "
            f"{generated.seconds:.1f} s, peak RSS {generated.peak_rss_mib:.1f} MiB")

        sqlite_runs, keyed_runs, zielwerk_runs, reimport_runs = [], [], [], []
        sqlite_db_bytes = 0
        zielwerk_db_bytes = None
        last_summary = None
        for repetition in range(args.repeat):
            run, sqlite_db_bytes = self.sqlite_import(csv, rows, PLAIN_TABLE, f"sqlite3-{rows}")
            sqlite_runs.append(run)
            log(f"{label}   sqlite3 .import: {run.seconds:.2f} s ({rows / run.seconds:,.0f} rows/s), "
                f"peak RSS {run.peak_rss_mib:.1f} MiB")
            if args.keyed_baseline:
                run, _ = self.sqlite_import(csv, rows, KEYED_TABLE, f"sqlite3-keyed-{rows}")
                keyed_runs.append(run)
                log(f"{label}   sqlite3 .import, keyed table: {run.seconds:.2f} s "
                    f"({rows / run.seconds:,.0f} rows/s), peak RSS {run.peak_rss_mib:.1f} MiB")
            if not args.skip_zielwerk:
                db = self.workdir / f"zielwerk-{rows}.db"
                remove_db(db)
                run = self.zielwerk_import(db, csv, rows, first=True)
                zielwerk_runs.append(run)
                last_summary = next((line for line in reversed(run.stdout.splitlines())
                                     if parse_summary(line)), None)
                log(f"{label}   zielwerk import: {run.seconds:.2f} s ({rows / run.seconds:,.0f} rows/s), "
                    f"peak RSS {run.peak_rss_mib:.1f} MiB")
                # The same rows in another file: an identical file is skipped by its
                # hash, so this measures comparing every row with the stored value.
                redelivery = self.workdir / f"observations-{rows}-again.csv"
                shutil.copyfile(csv, redelivery)
                with redelivery.open("a", encoding="utf-8") as extra:
                    extra.write("\n")
                run = self.zielwerk_import(db, redelivery, rows, first=False)
                redelivery.unlink(missing_ok=True)
                reimport_runs.append(run)
                zielwerk_db_bytes = file_bytes(db)
                log(f"{label}   zielwerk re-import: {run.seconds:.2f} s, peak RSS "
                    f"{run.peak_rss_mib:.1f} MiB")
                if not args.keep:
                    remove_db(db)
        if not args.keep:
            csv.unlink(missing_ok=True)
        return SizeResult(
            rows=rows, months=info["months"], file_bytes=info["bytes"],
            file_sha256=info["sha256"], last_period=info["last_period"],
            generate=Measurement.of([generated]),
            sqlite3=Measurement.of(sqlite_runs), sqlite3_db_bytes=sqlite_db_bytes,
            sqlite3_keyed=Measurement.of(keyed_runs) if keyed_runs else None,
            zielwerk=Measurement.of(zielwerk_runs) if zielwerk_runs else None,
            zielwerk_reimport=Measurement.of(reimport_runs) if reimport_runs else None,
            zielwerk_db_bytes=zielwerk_db_bytes, zielwerk_summary=last_summary)


# --- preconditions and machine information ----------------------------------------------------

def output_of(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def check_zielwerk(args: argparse.Namespace) -> str:
    """Fails unless zielwerk has a working `import` and accepts the project; returns its version."""
    zielwerk = args.zielwerk
    hint = "(pass --skip-zielwerk to measure only the generator and sqlite3)"
    if not zielwerk.is_file() or not os.access(zielwerk, os.X_OK):
        raise BenchError(f"no zielwerk executable at {zielwerk} {hint}")
    done = subprocess.run([str(zielwerk), "import", "--help"], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"`{zielwerk} import --help` exited {done.returncode}: this zielwerk has no "
                         f"working import command {hint}\n{done.stderr.strip()}")
    done = subprocess.run([str(zielwerk), "check", "--project", str(args.project)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"`zielwerk check --project {args.project}` exited {done.returncode}:\n"
                         f"{done.stderr.strip()}")
    return output_of([str(zielwerk), "--version"]) or "zielwerk (version unknown)"


def machine_info(workdir: Path) -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        info["CPU"] = model.group(1).strip() if model else platform.processor() or "unknown"
    except OSError:
        info["CPU"] = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{os.cpu_count()} (usable by the benchmark: {usable})"
    try:
        total = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        info["RAM"] = f"{int(total.group(1)) / 2**20:.1f} GiB" if total else "unknown"
    except OSError:
        info["RAM"] = "unknown"
    os_name = ""
    try:
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]*)', Path("/etc/os-release").read_text(), re.MULTILINE)
        os_name = pretty.group(1) if pretty else ""
    except OSError:
        pass
    info["system"] = f"{os_name}, kernel {platform.release()}".strip(", ")
    info["work directory file system"] = filesystem_of(workdir)
    info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["Python"] = platform.python_version()
    return info


def filesystem_of(path: Path) -> str:
    try:
        target = str(path.resolve())
        best = ("", "unknown")
        for line in Path("/proc/self/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3:
                mount = parts[1].replace("\\040", " ")
                inside = target == mount or target.startswith(mount.rstrip("/") + "/")
                if inside and len(mount) > len(best[0]):
                    best = (mount, parts[2])
        return f"{best[1]} (mounted at {best[0]})" if best[0] else "unknown"
    except OSError:
        return "unknown"


def git_revision() -> str:
    revision = output_of(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"])
    if not revision:
        return "unknown"
    dirty = output_of(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return revision + (" with local changes" if dirty else "")


# --- the report -------------------------------------------------------------------------------

def fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def report(results: list[SizeResult], context: dict, args: argparse.Namespace) -> str:
    dash = "–"
    lines = []
    lines.append("| rows | file MiB | zielwerk s | zielwerk rows/s | zielwerk peak RSS MiB "
                 "| sqlite3 s | sqlite3 rows/s | sqlite3 peak RSS MiB | speed zielwerk/sqlite3 "
                 "| re-import s |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        z, re_ = r.zielwerk, r.zielwerk_reimport
        lines.append(
            f"| {fmt_int(r.rows)} | {r.file_bytes / MiB:.1f} "
            f"| {f'{z.seconds:.2f}' if z else dash} | {fmt_int(r.rows / z.seconds) if z else dash} "
            f"| {f'{z.peak_rss_mib:.1f}' if z else dash} "
            f"| {r.sqlite3.seconds:.2f} | {fmt_int(r.rows / r.sqlite3.seconds)} "
            f"| {r.sqlite3.peak_rss_mib:.1f} "
            f"| {f'{r.ratio():.2f}' if z else dash} | {f'{re_.seconds:.2f}' if re_ else dash} |")
    lines.append("")
    lines.append("Details: the generator, the sqlite3 baseline into a table keyed by "
                 "(metric, region, period), database sizes.")
    lines.append("")
    lines.append("| rows | months | generate s | generate peak RSS MiB | sqlite3 keyed s "
                 "| sqlite3 keyed rows/s | sqlite3 keyed peak RSS MiB | speed zielwerk/sqlite3 keyed "
                 "| sqlite3 DB MiB | zielwerk DB MiB | re-import peak RSS MiB |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        k = r.sqlite3_keyed
        lines.append(
            f"| {fmt_int(r.rows)} | {r.months} | {r.generate.seconds:.2f} "
            f"| {r.generate.peak_rss_mib:.1f} "
            f"| {f'{k.seconds:.2f}' if k else dash} | {fmt_int(r.rows / k.seconds) if k else dash} "
            f"| {f'{k.peak_rss_mib:.1f}' if k else dash} "
            f"| {f'{r.keyed_ratio():.2f}' if r.keyed_ratio() is not None else dash} "
            f"| {r.sqlite3_db_bytes / MiB:.1f} "
            f"| {f'{r.zielwerk_db_bytes / MiB:.1f}' if r.zielwerk_db_bytes is not None else dash} "
            f"| {f'{r.zielwerk_reimport.peak_rss_mib:.1f}' if r.zielwerk_reimport else dash} |")
    lines.append("")
    lines.extend(verdict_lines(results, args))
    lines.append("")
    lines.append("Files (deterministic; SHA-256 of the generated CSV):")
    lines.append("")
    for r in results:
        lines.append(f"- {fmt_int(r.rows)} rows: {r.file_bytes:,} bytes, 2016-01..{r.last_period}, "
                     f"`{r.file_sha256}`")
    lines.append("")
    lines.append("Run:")
    lines.append("")
    for key, value in context.items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines) + "\n"


def verdicts(results: list[SizeResult]) -> tuple[bool | None, bool | None, str, str]:
    measured = [r for r in results if r.zielwerk is not None]
    if not measured:
        return None, None, "", ""
    slowest = min(measured, key=lambda r: r.ratio())
    speed_ok = slowest.ratio() >= SPEED_TARGET
    speed = (f"lowest ratio {slowest.ratio():.2f} (at {fmt_int(slowest.rows)} rows)")
    if len(measured) < 2:
        return speed_ok, None, speed, ""
    small = min(measured, key=lambda r: r.rows)
    large = max(measured, key=lambda r: r.rows)
    factor = large.zielwerk.peak_rss_mib / small.zielwerk.peak_rss_mib
    memory_ok = factor <= MEMORY_FLAT_FACTOR
    memory = (f"peak RSS {large.zielwerk.peak_rss_mib:.1f} MiB at {fmt_int(large.rows)} rows vs "
              f"{small.zielwerk.peak_rss_mib:.1f} MiB at {fmt_int(small.rows)} rows: x{factor:.2f} "
              f"for a x{large.file_bytes / small.file_bytes:.1f} larger file")
    return speed_ok, memory_ok, speed, memory


def verdict_lines(results: list[SizeResult], args: argparse.Namespace) -> list[str]:
    speed_ok, memory_ok, speed, memory = verdicts(results)
    if speed_ok is None:
        return ["Targets: not judged, zielwerk was not measured (--skip-zielwerk)."]
    word = {True: "**met**", False: "**missed**"}
    lines = [f"- Speed target (zielwerk at least {SPEED_TARGET:g} x sqlite3's rows/s): "
             f"{word[speed_ok]}, {speed}."]
    if memory_ok is None:
        lines.append("- Memory flat in file size: not judged (needs two sizes).")
    else:
        lines.append(f"- Memory flat in file size (largest at most {MEMORY_FLAT_FACTOR:g} x the "
                     f"smallest): {word[memory_ok]}, {memory}.")
    return lines


def docs_section(results: list[SizeResult], context: dict, args: argparse.Namespace,
                 command: str, date: str) -> str:
    parts = [
        "## Observation import",
        "",
        "What is measured: `zielwerk import` of a national-scale observation file, next to the "
        "sqlite3 command-line tool's `.import` of the same file on the same machine in the same "
        "run. The file is generated deterministically by `bench/generate_observations.py`: "
        f"{JOBCENTERS} jobcenters (5-digit keys) x the {args.series_count} base series of "
        "`bench/project` x as many months from 2016-01 as the size needs (120 months give "
        f"{JOBCENTERS * args.series_count * 120:,} rows), columns `region,metric,period,value,source`, "
        "rows ordered by period, then region, then metric, as a national statistics export "
        "delivers them.",
        "",
        "- *zielwerk*: `zielwerk import --project bench/project --db <fresh database> --actor bench "
        "FILE`; its summary must report every row read and new. *re-import*: the same rows again "
        "as a new delivery (a copy of the file with a blank line appended, so its SHA-256 "
        "differs and every row is compared with the stored value; the identical file would be "
        "recognised by its hash and skipped); it must report 0 new, 0 revised.",
        "- *sqlite3*: `.mode csv` and `.import --skip 1 FILE observations` into a fresh database "
        "holding `" + PLAIN_TABLE + "` (the tool's defaults otherwise: rollback journal, "
        "`synchronous=FULL`, one transaction). The keyed variant imports into a table with "
        "`PRIMARY KEY (metric, region, period)`, the key a store of revisions needs.",
        "- Times are wall-clock seconds of the whole program run (start-up and loading the "
        "project included); with `--repeat N`, the median of N runs, each into a fresh database. "
        "Peak RSS is the program's own `ru_maxrss` (as GNU `time -f %M` reports it), not the "
        "benchmark's.",
        f"- Targets: zielwerk imports at least {SPEED_TARGET:g} x sqlite3's rows/s, and its peak "
        "memory does not grow with the file size.",
        "",
        "Reproduce (from the repository root, after building `build/zielwerk`):",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Run of {date}:",
        "",
        report(results, context, args).rstrip("\n"),
        "",
    ]
    return "\n".join(parts)


def write_docs(path: Path, section: str) -> None:
    """Writes the section into path: replaces an existing "## Observation import" section."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^## Observation import[ \t]*$", text, re.MULTILINE)
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


# --- main -------------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().replace("_", "").lower()
        factor = 1
        if part.endswith("k"):
            factor, part = 1000, part[:-1]
        elif part.endswith("m"):
            factor, part = 1_000_000, part[:-1]
        try:
            value = round(float(part) * factor)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a row count: {part!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError("sizes must be positive")
        sizes.append(value)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `zielwerk import` against sqlite3's .import at national scale and "
                    "print a Markdown report.")
    parser.add_argument("--zielwerk", type=Path, default=DEFAULT_ZIELWERK,
                        help="the zielwerk executable (default: build/zielwerk of this repository)")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT,
                        help="the project imported into (default: bench/project)")
    parser.add_argument("--sqlite3", default=shutil.which("sqlite3"),
                        help="the sqlite3 command-line tool (default: from PATH)")
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES),
                        metavar="N,N,...",
                        help=f"row counts to measure (default {DEFAULT_SIZES}: 405 x 15 x 120 "
                             "months, and 5 million; suffixes k and M allowed)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the median time is reported (default 1)")
    parser.add_argument("--order", choices=["period", "series"], default="period",
                        help="row order of the generated files (default period: period, region, metric)")
    parser.add_argument("--no-keyed-baseline", dest="keyed_baseline", action="store_false",
                        help="skip the sqlite3 import into a keyed table")
    parser.add_argument("--skip-zielwerk", action="store_true",
                        help="measure only the generator and sqlite3 (while zielwerk has no import)")
    parser.add_argument("--workdir", type=Path,
                        help="where files and databases go (default: a temporary directory, removed "
                             "afterwards); use a disk, not tmpfs, for realistic figures")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated files and databases")
    parser.add_argument("--write-docs", type=Path, metavar="PATH",
                        help="also write the section 'Observation import' of PATH (e.g. docs/performance.md)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the raw results as JSON")
    parser.add_argument("--enforce-targets", action="store_true",
                        help="exit 1 when a target (speed, flat memory) is missed")
    args = parser.parse_args(argv)

    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.sqlite3 or not shutil.which(args.sqlite3):
        parser.error("the sqlite3 command-line tool was not found (install it or pass --sqlite3)")
    if args.write_docs and args.skip_zielwerk:
        parser.error("--write-docs needs the zielwerk figures; drop --skip-zielwerk")
    if not Path("/bin/sh").exists() or not hasattr(os, "wait4"):
        parser.error("this benchmark needs Linux (/bin/sh, wait4)")
    args.sqlite3 = shutil.which(args.sqlite3)
    args.zielwerk = args.zielwerk.resolve()
    args.project = args.project.resolve()
    if not (args.project / "zielwerk.yaml").is_file():
        parser.error(f"no zielwerk.yaml in {args.project}")
    sys.dont_write_bytecode = True  # no __pycache__ in bench/
    sys.path.insert(0, str(HERE))
    from generate_observations import read_base_series  # noqa: E402 (same directory)
    try:
        args.series_count = len(read_base_series(args.project))
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the base series of {args.project}: {error}")

    command = shlex.join(["python3", "bench/import_benchmark.py",
                          *(sys.argv[1:] if argv is None else argv)])
    created_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="zielwerk-bench-")) if created_workdir else args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        zielwerk_version = "not measured (--skip-zielwerk)"
        if not args.skip_zielwerk:
            zielwerk_version = check_zielwerk(args)
        sqlite_version = output_of([args.sqlite3, "--version"]) or "unknown"
        date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        context = machine_info(workdir)
        context = {"date": date, **context,
                   "zielwerk": f"{zielwerk_version}, commit {git_revision()}",
                   "sqlite3": sqlite_version,
                   "row order": ("period, region, metric" if args.order == "period"
                                 else "region, metric, period"),
                   "repetitions": str(args.repeat)}
        log(f"work directory {workdir} ({context['work directory file system']}); "
            f"sqlite3 {sqlite_version.split()[0] if sqlite_version else '?'}")
        bench = Benchmark(args, workdir)
        results = [bench.measure_size(rows) for rows in args.sizes]
    except BenchError as error:
        log(f"import_benchmark: error: {error}")
        if created_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            log("import_benchmark: (the work directory was removed; --keep keeps it)")
        else:
            log(f"import_benchmark: the files are in {workdir}")
        return 3
    except KeyboardInterrupt:
        log("import_benchmark: interrupted")
        if created_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 130
    if created_workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    elif args.keep:
        log(f"files kept in {workdir}")

    text = report(results, context, args)
    print(f"## Observation import ({date})\n")
    print(text, end="")
    if args.json:
        args.json.write_text(json.dumps({"context": context, "command": command,
                                         "results": [asdict(r) for r in results]}, indent=2) + "\n",
                             encoding="utf-8")
    if args.write_docs:
        write_docs(args.write_docs, docs_section(results, context, args, command, date))
        log(f"wrote {args.write_docs}")
    speed_ok, memory_ok, _, _ = verdicts(results)
    if args.enforce_targets and (speed_ok is False or memory_ok is False):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
