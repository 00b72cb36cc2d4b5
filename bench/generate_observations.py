#!/usr/bin/env python3
"""Generates a deterministic, national-scale observation file for `zielwerk import`.

The file has the columns `region,metric,period,value,source` (comma separated, LF line ends,
UTF-8 without BOM, a header row), the format of shared/contracts.md, "Observation import (CSV)".

    bench/generate_observations.py --jobcenters 405 --months 120 --start 2016-01 \\
        --output /tmp/national.csv                  # 405 x 15 x 120 = 729,000 rows

Row order (default `--order period`): by period, then region key, then metric in the order the
project declares them. That is how a national statistics export is delivered and accumulated:
each monthly release covers every jobcenter for one reporting month, and a time series export
is the concatenation of those releases. For a store keyed by (metric, region, period) it is the
less friendly order (consecutive rows hit 15 different series, and each series is touched once
per month); `--order series` writes region, then metric, then period instead (one series after
the other, as a per-jobcenter export would), for comparing the two.

Determinism: every value is a pure function of (seed, region key, metric id, month), computed in
integer arithmetic, so the same arguments give the same bytes on every machine and Python
version, independent of `--order`, `--rows` or the number of months: a file with more months
begins with the rows of the file with fewer (in the default order). The generator streams: it
holds one reporting month (or one region's series) in memory, whatever the file size.

Regions are synthetic 5-digit jobcenter keys in the pattern of the German district keys (two
digits for the Land, three for the district), spread over the 16 Laender roughly like the real
jobcenters. The values are plausible in size (stocks of about 10,000 employable beneficiaries
for an average jobcenter, integrations in the tens to hundreds, benefit sums in EUR with cents,
seasonal patterns, "of which" series never above their base series), but invented.

Standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PROJECT = HERE / "project"
HEADER = "region,metric,period,value,source\n"

# The 15 base series of bench/project, in declaration order (used with --metrics bench).
BENCH_SERIES = [
    "integrationen_frauen", "integrationen_maenner", "elb_frauen", "elb_maenner",
    "lzb_frauen", "lzb_maenner", "bg_bestand", "llu_summe", "kdu_summe", "fbw_absolventen",
    "fbw_absolventen_betreut", "beratungen_gesamt", "beratungen_persoenlich",
    "kdu_faelle_karenzende", "kdu_verfahren_abgearbeitet",
]

# Level for an average jobcenter (EUR for `eur`), noise in per mille, seasonal pattern.
PROFILES = {
    "integrationen_frauen": ("count", 48, 120, "flow"),
    "integrationen_maenner": ("count", 82, 120, "flow"),
    "elb_frauen": ("count", 4800, 6, "stock"),
    "elb_maenner": ("count", 5000, 6, "stock"),
    "lzb_frauen": ("count", 3100, 5, "stock"),
    "lzb_maenner": ("count", 2800, 5, "stock"),
    "bg_bestand": ("count", 7200, 5, "stock"),
    "llu_summe": ("eur", 4_300_000, 15, "stock"),
    "kdu_summe": ("eur", 3_700_000, 12, "stock"),
    "fbw_absolventen": ("count", 22, 250, "flow"),
    "beratungen_gesamt": ("count", 3100, 60, "flow"),
    "kdu_faelle_karenzende": ("count", 65, 80, "stock"),
}
# "Of which" series: (base series, share in per mille, spread of the share in per mille).
SHARES = {
    "fbw_absolventen_betreut": ("fbw_absolventen", 780, 120),
    "beratungen_persoenlich": ("beratungen_gesamt", 610, 60),
    "kdu_verfahren_abgearbeitet": ("kdu_faelle_karenzende", 90, 60),
}
# Series of other projects: a generic profile by unit.
GENERIC = {
    "count": ("count", 1000, 40, "flow"),
    "eur": ("eur", 1_000_000, 20, "stock"),
    "percent": ("percent", 50, 30, "stock"),
}
SEASON = {  # per mille, January..December
    "flow": (780, 900, 1010, 1000, 1000, 960, 980, 1180, 1120, 1050, 1020, 700),
    "stock": (1015, 1018, 1012, 1000, 992, 986, 990, 994, 990, 988, 996, 1010),
}
# Jobcenters per Land (Land codes 01..16), roughly as in Germany; used as weights.
LAND_WEIGHTS = (15, 1, 45, 2, 53, 26, 36, 44, 96, 6, 12, 18, 8, 13, 14, 22)
MAX_PER_LAND = 899  # keys LL101..LL999
CYCLE = 132  # months of the slow up-and-down of the stocks (11 years)
MASK = (1 << 64) - 1


def mix(x: int) -> int:
    """splitmix64 finaliser: a well-spread 64-bit hash of a 64-bit integer."""
    x &= MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def parse_month(text: str) -> int:
    """YYYY-MM -> months since year 0."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def format_month(absolute: int) -> str:
    return f"{absolute // 12:04d}-{absolute % 12 + 1:02d}"


# --- reading the base series of a project -----------------------------------------------------
# A minimal reader for the block-style YAML of zielwerk projects (standard library only): the
# `rules:` list of zielwerk.yaml and, in each rule file, the items of the top-level `metrics:`
# list with their `id`, `unit` and whether they have a `formula`.

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?:\s+(?P<value>.*))?$")
ITEM_LINE = re.compile(r"^(?P<indent> *)- +(?P<value>.*)$")


def _scalar(text: str | None) -> str:
    text = re.sub(r"(^|\s)#.*$", "", text or "").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def _top_level_block(text: str, key: str) -> tuple[str, list[str]] | None:
    """The inline value and the following lines of the top-level `key:`, or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = KEY_LINE.match(line)
        if match and not match.group("indent") and not match.group("dash") and match.group("key") == key:
            block = []
            for following in lines[i + 1:]:
                if following.strip() and not following.lstrip().startswith("#") \
                        and not following.startswith((" ", "-")):
                    break
                block.append(following)
            return _scalar(match.group("value")), block
    return None


def read_base_series(project: Path) -> list[tuple[str, str]]:
    """(id, unit) of every metric without a formula, in the order the project declares them."""
    config = project / "zielwerk.yaml"
    found = _top_level_block(config.read_text(encoding="utf-8"), "rules")
    if found is None:
        raise ValueError(f"{config}: no `rules:` list")
    inline, block = found
    if inline.startswith("["):
        files = [_scalar(part) for part in inline.strip("[]").split(",") if part.strip()]
    else:
        files = [_scalar(m.group("value")) for m in map(ITEM_LINE.match, block) if m]
    series: list[tuple[str, str]] = []
    for name in files:
        path = project / name
        found = _top_level_block(path.read_text(encoding="utf-8"), "metrics")
        if found is None:
            continue
        inline, block = found
        if inline:
            raise ValueError(f"{path}: `metrics:` in flow style is not understood here; "
                             "pass the ids with --metrics")
        items: list[dict[str, str]] = []
        key_indent = -1
        for line in block:
            match = KEY_LINE.match(line)
            if not match:
                continue
            indent = len(match.group("indent"))
            if match.group("dash"):
                items.append({})
                key_indent = indent + len(match.group("dash"))
            elif indent != key_indent or not items:
                continue
            items[-1][match.group("key")] = _scalar(match.group("value"))
        for item in items:
            if "id" not in item:
                raise ValueError(f"{path}: a metric without an id")
            if "formula" not in item:
                series.append((item["id"], item.get("unit", "count")))
    if not series:
        raise ValueError(f"{project}: the rule files declare no base series (metrics without formula)")
    return series


# --- regions and values -----------------------------------------------------------------------

def region_keys(count: int) -> list[str]:
    """`count` distinct 5-digit keys, spread over the Laender by LAND_WEIGHTS, sorted."""
    total = sum(LAND_WEIGHTS)
    if not 1 <= count <= MAX_PER_LAND * total // max(LAND_WEIGHTS):
        raise ValueError(f"--jobcenters must lie between 1 and "
                         f"{MAX_PER_LAND * total // max(LAND_WEIGHTS)}, got {count}")
    exact = [count * w / total for w in LAND_WEIGHTS]
    per_land = [int(e) for e in exact]
    # Largest remainder; ties go to the lower Land code.
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - per_land[i]), i))
    for i in order[: count - sum(per_land)]:
        per_land[i] += 1
    return [f"{land + 1:02d}{101 + j:03d}" for land, n in enumerate(per_land) for j in range(n)]


def triangle(phase: int) -> int:
    """A slow up-and-down between -60 and +60 per mille over CYCLE months."""
    phase %= CYCLE
    return 60 - abs(phase - CYCLE // 2) * 120 // (CYCLE // 2)


class Model:
    """The value of every (region, metric, month): a pure function of the seed and those three."""

    def __init__(self, seed: int, series: list[tuple[str, str]]):
        self.seed = seed
        self.ids = [metric for metric, _ in series]
        self.units = dict(series)
        self.trend = [1000 + triangle(p) for p in range(CYCLE)]

    def _profile(self, metric: str) -> tuple[str, int, int, str]:
        if metric in PROFILES:
            return PROFILES[metric]
        return GENERIC.get(self.units.get(metric, "count"), GENERIC["count"])

    def series_state(self, region: str, metric: str) -> tuple:
        """Everything about one series that does not depend on the month."""
        region_hash = mix(self.seed * 1_000_003 + int(region))
        if metric in SHARES:
            base, share, spread = SHARES[metric]
            return ("share", self.series_state(region, base), share, spread,
                    mix(region_hash ^ zlib.crc32(metric.encode())))
        unit, level, noise, pattern = self._profile(metric)
        u = region_hash % 1000
        size = 250 + u * u * 2250 // 1_000_000      # 0.25 .. 2.5 times an average jobcenter
        phase = (region_hash >> 10) % CYCLE
        scale = 100 if unit == "eur" else 1          # EUR in cents
        return ("base", level * size * scale, noise, SEASON[pattern], phase,
                mix(region_hash ^ zlib.crc32(metric.encode())), unit == "eur")

    def value(self, state: tuple, month: int) -> int:
        """The value in the series' smallest unit (cents for EUR)."""
        if state[0] == "share":
            _, base_state, share, spread, key = state
            base = self.value(base_state, month)
            h = mix(key + month)
            permille = share - spread + h % (2 * spread + 1)
            return min(base, base * permille // 1000)
        _, level, noise, season, phase, key, _ = state
        h = mix(key + month)
        jitter = 1000 - noise + h % (2 * noise + 1)
        value = level * season[month % 12] * self.trend[(month + phase) % CYCLE] * jitter // 10**12
        return value

    @staticmethod
    def text(state: tuple, value: int) -> str:
        while state[0] == "share":
            state = state[1]
        if state[6]:  # EUR: cents as a decimal number
            return f"{value // 100}.{value % 100:02d}"
        return str(value)


# --- writing ----------------------------------------------------------------------------------

def generate(out, *, jobcenters: int, series: list[tuple[str, str]], start: int, months: int,
             rows: int | None, order: str, source: str, seed: int) -> dict:
    model = Model(seed, series)
    regions = region_keys(jobcenters)
    capacity = jobcenters * len(series) * months
    if rows is not None and rows > capacity:
        raise ValueError(f"--rows {rows} exceeds {jobcenters} jobcenters x {len(series)} series x "
                         f"{months} months = {capacity} rows; raise --months or --jobcenters")
    limit = capacity if rows is None else rows
    digest = hashlib.sha256()
    written = 0
    size = 0

    def emit(lines: list[str]) -> None:
        nonlocal size
        data = "".join(lines).encode("utf-8")
        out.write(data)
        digest.update(data)
        size += len(data)

    emit([HEADER])
    last = start + months - 1
    suffix = "," + source + "\n"
    if order == "period":
        # One reporting month at a time: the states of all series are reused for every month.
        states = [[(metric, model.series_state(region, metric)) for metric in model.ids]
                  for region in regions]
        for month in range(start, start + months):
            period = "," + format_month(month) + ","
            lines = []
            for region, region_states in zip(regions, states):
                for metric, state in region_states:
                    lines.append(region + "," + metric + period
                                 + model.text(state, model.value(state, month)) + suffix)
            last = month
            if written + len(lines) >= limit:
                lines = lines[: limit - written]
                written += len(lines)
                emit(lines)
                break
            written += len(lines)
            emit(lines)
    else:
        # One series at a time (region, metric, period).
        done = False
        for region in regions:
            lines = []
            for metric in model.ids:
                state = model.series_state(region, metric)
                for month in range(start, start + months):
                    lines.append(region + "," + metric + "," + format_month(month) + ","
                                 + model.text(state, model.value(state, month)) + suffix)
            if written + len(lines) >= limit:
                lines = lines[: limit - written]
                done = True
            written += len(lines)
            emit(lines)
            if done:
                break
    return {"rows": written, "bytes": size, "sha256": digest.hexdigest(),
            "jobcenters": jobcenters, "series": len(series), "months": months,
            "first_period": format_month(start), "last_period": format_month(last),
            "order": order, "seed": seed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic national-scale observation CSV for `zielwerk import` "
                    "(columns region,metric,period,value,source; ordered by period, region, metric).")
    parser.add_argument("--jobcenters", type=int, default=405,
                        help="number of regions (5-digit jobcenter keys), default 405")
    parser.add_argument("--series-from", type=Path, default=DEFAULT_PROJECT, metavar="DIR",
                        help="zielwerk project whose base series (metrics without formula) are "
                             "generated, in declaration order (default: bench/project)")
    parser.add_argument("--metrics", metavar="ID,ID,...",
                        help="the metric ids instead of --series-from; `bench` = the 15 series "
                             "of bench/project")
    parser.add_argument("--start", type=parse_month, default=parse_month("2016-01"), metavar="YYYY-MM",
                        help="first reporting month (default 2016-01)")
    parser.add_argument("--months", type=int,
                        help="number of months (default 120, or as many as --rows needs)")
    parser.add_argument("--rows", type=int,
                        help="stop after this many data rows (the last month may be partial)")
    parser.add_argument("--order", choices=["period", "series"], default="period",
                        help="period: period, region, metric (a national export; default); "
                             "series: region, metric, period")
    parser.add_argument("--source", default="bench-synthetic", help="the source column's text")
    parser.add_argument("--seed", type=int, default=1, help="seed of the values (default 1)")
    parser.add_argument("--output", "-o", required=True, metavar="FILE", help="output file, - for stdout")
    parser.add_argument("--summary-json", metavar="FILE",
                        help="also write the summary (rows, bytes, sha256, shape, seconds) as JSON")
    parser.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)

    try:
        if args.metrics:
            ids = BENCH_SERIES if args.metrics == "bench" else \
                [m.strip() for m in args.metrics.split(",") if m.strip()]
            series = [(m, PROFILES.get(m, ("count",))[0]) for m in ids]
        else:
            series = read_base_series(args.series_from)
        if len({m for m, _ in series}) != len(series):
            raise ValueError("a metric id is listed twice")
        for metric, _ in series:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", metric):
                raise ValueError(f"not a metric id: {metric!r}")
        if not re.fullmatch(r"[^,;\"\r\n]*", args.source):
            raise ValueError("--source must not contain , ; \" or line breaks")
        if args.jobcenters < 1:
            raise ValueError("--jobcenters must be at least 1")
        if args.rows is not None and args.rows < 0:
            raise ValueError("--rows must not be negative")
        months = args.months
        if months is None:
            months = 120
            if args.rows is not None:
                months = max(months, math.ceil(args.rows / (args.jobcenters * len(series))))
        if months < 1:
            raise ValueError("--months must be at least 1")
        if args.start + months - 1 > parse_month("2999-12"):
            raise ValueError("the months run past 2999-12")
        region_keys(args.jobcenters)  # validates the count before a file is created
        capacity = args.jobcenters * len(series) * months
        if args.rows is not None and args.rows > capacity:
            raise ValueError(f"--rows {args.rows} exceeds {args.jobcenters} jobcenters x "
                             f"{len(series)} series x {months} months = {capacity} rows; "
                             "raise --months or --jobcenters")

        began = time.perf_counter()
        if args.output == "-":
            summary = generate(sys.stdout.buffer, jobcenters=args.jobcenters, series=series,
                               start=args.start, months=months, rows=args.rows, order=args.order,
                               source=args.source, seed=args.seed)
            sys.stdout.buffer.flush()
        else:
            with open(args.output, "wb", buffering=1 << 20) as out:
                summary = generate(out, jobcenters=args.jobcenters, series=series, start=args.start,
                                   months=months, rows=args.rows, order=args.order,
                                   source=args.source, seed=args.seed)
        summary["seconds"] = round(time.perf_counter() - began, 3)
    except (ValueError, OSError) as error:
        print(f"generate_observations: error: {error}", file=sys.stderr)
        return 2

    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print(f"generate_observations: {summary['rows']:,} rows ({summary['jobcenters']} jobcenters x "
              f"{summary['series']} series x {summary['months']} months, {summary['first_period']}.."
              f"{summary['last_period']}, order {summary['order']}), {summary['bytes'] / 2**20:.1f} MiB "
              f"in {summary['seconds']:.1f} s, sha256 {summary['sha256']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
