#!/usr/bin/env python3
"""Writes the invented figures of the Hohenwald example: 2025.csv and 2026.csv.

Deterministic, standard library only. The figures are invented; they are in the
magnitude of a rural district with about 6,000 eLb and exist only to show
zielwerk. Run from anywhere: the files land beside this script.
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SEASON = [0.80, 0.90, 1.05, 1.10, 1.05, 1.00, 0.95, 1.15, 1.20, 1.10, 1.00, 0.70]  # sums to 12
SOURCE = "Statistik der BA (erfunden)"


def year_rows(year, months, integrations_per_year, elb_level, elb_trend, lzb_level, lzb_trend,
              llu_level):
    rows = []
    for m in range(1, months + 1):
        period = f"{year}-{m:02d}"
        wave = (m % 3) - 1  # -1, 0, 1: a small wobble, deterministic
        rows.append(("integrationen", period, round(integrations_per_year / 12 * SEASON[m - 1])))
        rows.append(("elb", period, round(elb_level + elb_trend * m + 12 * wave)))
        rows.append(("lzb", period, round(lzb_level + lzb_trend * m + 5 * wave)))
        rows.append(("llu_summe", period, f"{llu_level * (1 + 0.004 * m) + 1234.56 * wave:.2f}"))
    return rows


def write(name, rows):
    lines = ["metric,period,value,source"]
    lines += [f"{metric},{period},{value},{SOURCE}" for metric, period, value in rows]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


# December 2024: the stock the JFW of January 2025 divides by.
base = [("elb", "2024-12", 6120), ("lzb", "2024-12", 3790)]
write("2025.csv", base + year_rows(2025, 12, 1425, 6110, -1.5, 3800, 4.0, 3_050_000))
# 2026 up to September: fewer integrations than the year before, a rising stock.
write("2026.csv", year_rows(2026, 9, 1320, 6100, 6.0, 3850, 6.0, 3_180_000))
