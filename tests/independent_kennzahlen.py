#!/usr/bin/env python3
"""The example's goal values computed from its CSV files by the definitions of
docs/evaluation.md ("Windows", "The Soll path"), without zielwerk's evaluator,
and compared with `zielwerk evaluate --format json` for every month of 2025.

Usage: independent_kennzahlen.py ZIELWERK_BINARY EXAMPLE_DIR

Definitions (M = the reporting month, Y its year):
  JFW   (iq-*)  100 × integrations Jan..M ÷ mean eLb stock Dec(Y−1)..M−1
  K2            100 × integrations M−11..M ÷ mean eLb stock M−12..M−1
  LZB   (lzb-*) mean stock Jan..M
  shares        100 × Σ Jan..M part ÷ Σ Jan..M whole (FbW, consultations)
  KdU           100 × Σ Jan..M completed ÷ the December (Y−1) base
  Soll(M)       target × value(M of Y−1) ÷ value(Dec of Y−1) (default path),
                the target (flat), the declared value (kdu-kostensenkung)
The December JFW must equal the December K2."""
import csv
import io
import json
import pathlib
import subprocess
import sys
import tempfile

TOLERANCE = 1e-9


def read_figures(data_dir):
    """metric -> {(year, month): value}; later files (the correction) win."""
    figures = {}
    for name in ["2023.csv", "2024.csv", "2025.csv", "korrektur-2025.csv"]:
        text = (data_dir / name).read_text(encoding="utf-8-sig")
        delimiter = ";" if text.splitlines()[0].count(";") > 0 else ","
        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
            year, month = (int(part) for part in row["period"].split("-"))
            value = float(row["value"].replace(",", "."))
            figures.setdefault(row["metric"], {})[(year, month)] = value
    return figures


def shift(year, month, months):
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def months_between(first, last):
    out = []
    while first <= last:
        out.append(first)
        first = shift(*first, 1)
    return out


class Figures:
    def __init__(self, figures):
        self.figures = figures

    def at(self, metrics, ym):
        return sum(self.figures[m][ym] for m in metrics)

    def total(self, metrics, first, last):
        return sum(self.at(metrics, ym) for ym in months_between(first, last))

    def mean(self, metrics, first, last):
        window = months_between(first, last)
        return self.total(metrics, first, last) / len(window)


def goal_values(f, year, month):
    """Every target goal's value at (year, month), by the definitions above."""
    m = (year, month)
    jan = (year, 1)
    dec_before = (year - 1, 12)
    m_minus_1 = shift(year, month, -1)

    def jfw(genders):
        integrations = [f"integrationen_{g}" for g in genders]
        stock = [f"elb_{g}" for g in genders]
        return 100 * f.total(integrations, jan, m) / f.mean(stock, dec_before, m_minus_1)

    def lzb(genders):
        return f.mean([f"lzb_{g}" for g in genders], jan, m)

    both = ["frauen", "maenner"]
    return {
        "iq-gesamt": jfw(both),
        "iq-frauen": jfw(["frauen"]),
        "iq-maenner": jfw(["maenner"]),
        "lzb-gesamt": lzb(both),
        "lzb-frauen": lzb(["frauen"]),
        "lzb-maenner": lzb(["maenner"]),
        "fbw-absolventenmanagement": 100 * f.total(["fbw_absolventen_betreut"], jan, m)
        / f.total(["fbw_absolventen"], jan, m),
        "persoenliche-beratungen": 100 * f.total(["beratungen_persoenlich"], jan, m)
        / f.total(["beratungen_gesamt"], jan, m),
        "kdu-kostensenkung": 100 * f.total(["kdu_verfahren_abgearbeitet"], jan, m)
        / f.at(["kdu_faelle_karenzende"], dec_before),
    }


def k2(f, genders, year, month):
    m = (year, month)
    integrations = [f"integrationen_{g}" for g in genders]
    stock = [f"elb_{g}" for g in genders]
    return (100 * f.total(integrations, shift(*m, -11), m)
            / f.mean(stock, shift(*m, -12), shift(*m, -1)))


TARGETS = {"iq-gesamt": 20.4, "iq-frauen": 15.5, "iq-maenner": 25.4, "lzb-gesamt": 19006,
           "lzb-frauen": 10154, "lzb-maenner": 8856, "fbw-absolventenmanagement": 80,
           "persoenliche-beratungen": 60, "kdu-kostensenkung": 50}
FLAT = {"fbw-absolventenmanagement", "persoenliche-beratungen"}
KDU_PATH = [4.17, 8.33, 12.5, 16.67, 20.83, 25, 29.17, 33.33, 37.5, 41.67, 45.83, 50]


def soll(f, goal, month):
    if month == 12 or goal in FLAT:
        return TARGETS[goal]
    if goal == "kdu-kostensenkung":
        return KDU_PATH[month - 1]
    then = goal_values(f, 2024, month)[goal]
    december = goal_values(f, 2024, 12)[goal]
    return TARGETS[goal] * then / december


def main(binary, example):
    f = Figures(read_figures(example / "data"))
    problems = []
    for genders in (["frauen"], ["maenner"], ["frauen", "maenner"]):
        jfw = goal_values(f, 2025, 12)["iq-" + ("gesamt" if len(genders) == 2 else genders[0])]
        if abs(jfw - k2(f, genders, 2025, 12)) > TOLERANCE:
            problems.append(f"December JFW {jfw} != K2 {k2(f, genders, 2025, 12)} ({genders})")
    with tempfile.TemporaryDirectory() as scratch:
        db = pathlib.Path(scratch) / "zielwerk.db"
        common = ["--project", str(example), "--db", str(db)]
        files = sorted(str(p) for p in (example / "data").glob("*.csv"))
        subprocess.run([binary, "import", *common, "--actor", "controlling-jc", *files],
                       check=True, stdout=subprocess.DEVNULL)
        compared = 0
        for month in range(1, 13):
            out = subprocess.run([binary, "evaluate", *common, "--period", f"2025-{month:02d}",
                                  "--format", "json"], check=True, capture_output=True, text=True)
            goals = {g["id"]: g for g in json.loads(out.stdout)["goals"]}
            for goal, expected in goal_values(f, 2025, month).items():
                got = goals[goal]
                checks = {"actual": expected, "soll": soll(f, goal, month)}
                checks["soll_gap"] = checks["actual"] - checks["soll"]
                for key, value in checks.items():
                    compared += 1
                    if got.get(key) is None or abs(got[key] - value) > 1e-6 * max(1, abs(value)):
                        problems.append(f"2025-{month:02d} {goal} {key}: zielwerk {got.get(key)},"
                                        f" by the definitions {value}")
    for problem in problems:
        print(problem)
    print(f"{compared} values compared, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], pathlib.Path(sys.argv[2])))
