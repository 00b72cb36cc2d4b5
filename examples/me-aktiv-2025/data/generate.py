#!/usr/bin/env python3
# Invented monthly figures for the example project me-aktiv-2025.
#
# All figures are INVENTED. They are in the magnitude of the target agreement 2025
# of Jobcenter ME-aktiv (Kreis Mettmann) and exist only to demonstrate zielwerk;
# they are not statistics of the BA, the jobcenter or the Kreis.
#
# The script is deterministic (pure formulas plus seeded random.Random().random(),
# whose sequence Python guarantees across versions) and uses only the standard
# library. Re-run it from anywhere with
#
#     python3 examples/me-aktiv-2025/data/generate.py
#
# It writes 2023.csv, 2024.csv, 2025.csv and korrektur-2025.csv next to itself,
# reads them back, evaluates every goal by the formulas of shared/contracts.md
# with the targets and tolerances of rules/goals.yaml, prints the values and
# statuses, and exits with 1 if a status the example relies on is not shown.
import os
import random
import sys
import zlib
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
MONTHS = [(y, m) for y in (2023, 2024, 2025) for m in range(1, 13)]
PERIODS = ["%04d-%02d" % ym for ym in MONTHS]

SRC_BA = "BA-Statistik (erfunden)"
SRC_BA_PRELIM = "BA-Statistik vorläufig (erfunden)"
SRC_BA_CORR = "BA-Statistik Korrektur nach Wartezeit (erfunden)"
SRC_JC = "Internes Controlling Jobcenter (erfunden)"
SRC_KREIS = "Kommunales Controlling Kreis (erfunden)"
SOURCES = {
    "integrationen_frauen": SRC_BA, "integrationen_maenner": SRC_BA,
    "elb_frauen": SRC_BA, "elb_maenner": SRC_BA,
    "lzb_frauen": SRC_BA, "lzb_maenner": SRC_BA, "llu_summe": SRC_BA,
    "fbw_absolventen": SRC_JC, "fbw_absolventen_betreut": SRC_JC,
    "beratungen_gesamt": SRC_JC, "beratungen_persoenlich": SRC_JC,
    "kdu_faelle_karenzende": SRC_KREIS, "kdu_verfahren_abgearbeitet": SRC_KREIS,
}
METRICS = list(SOURCES)


def rng(name):
    """One seeded generator per series, so tuning one series leaves the others alone."""
    return random.Random(zlib.crc32(name.encode("utf-8")))


def jitter(r, spread):
    """Uniform noise in [-spread, +spread] from random() only."""
    return (2.0 * r.random() - 1.0) * spread


def ramp(t, points):
    """Piecewise linear course; points = [(month index, value), ...], index 0 = 2023-01."""
    if t <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in zip(points, points[1:]):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return points[-1][1]


def step(t, levels):
    """Value per half-year; levels = {(year, half): value}."""
    y, m = MONTHS[t]
    return levels[(y, 1 if m <= 6 else 2)]


# Seasonal factors (January .. December, mean 1).
SEASON_INTEGRATION = [0.80, 0.95, 1.08, 1.08, 1.05, 1.00, 0.95, 1.08, 1.15, 1.10, 0.98, 0.78]
SEASON_ELB = [1.010, 1.012, 1.006, 1.000, 0.996, 0.994, 0.997, 0.999, 0.994, 0.992, 0.996, 1.005]
SEASON_LLU = [1.012, 1.008, 1.004, 0.998, 0.994, 0.992, 0.996, 0.999, 0.995, 0.994, 0.998, 1.010]
SEASON_BERATUNG = [0.92, 1.02, 1.08, 1.04, 1.00, 1.02, 0.90, 0.86, 1.06, 1.08, 1.06, 0.96]
FBW_GRADUATES = [68, 42, 74, 58, 52, 118, 146, 96, 57, 71, 63, 128]


def generate():
    s = {m: {} for m in METRICS}

    # eLb stock: rising 2023 (refugees from Ukraine), slower in 2024/2025.
    for name, pts in (("elb_frauen", [(0, 13900), (12, 14350), (24, 14600), (35, 14780)]),
                      ("elb_maenner", [(0, 12800), (12, 13250), (24, 13500), (35, 13650)])):
        r = rng(name)
        for t, p in enumerate(PERIODS):
            m = MONTHS[t][1]
            s[name][p] = round(ramp(t, pts) * SEASON_ELB[m - 1] + jitter(r, 25))

    # Integrations: an annual quota level per half-year times the seasonal factor.
    # Women weaken in 2024/H2 and 2025/H1 (at_risk at 2025-06) and recover in
    # 2025/H2 after control measures; men stay above their target.
    quota = {
        "integrationen_frauen": ("elb_frauen", {
            (2023, 1): 16.2, (2023, 2): 16.0, (2024, 1): 15.9, (2024, 2): 15.25,
            (2025, 1): 15.2, (2025, 2): 16.3}),
        "integrationen_maenner": ("elb_maenner", {
            (2023, 1): 27.2, (2023, 2): 27.0, (2024, 1): 26.6, (2024, 2): 25.7,
            (2025, 1): 25.7, (2025, 2): 26.0}),
    }
    for name, (elb, levels) in quota.items():
        r = rng(name)
        for t, p in enumerate(PERIODS):
            m = MONTHS[t][1]
            base = step(t, levels) / 100.0 * s[elb][p] / 12.0 * SEASON_INTEGRATION[m - 1]
            s[name][p] = round(base * (1.0 + jitter(r, 0.03)))

    # Long-term recipients: rising stock, women faster than planned (missed),
    # men close to their ceiling by the end of 2025.
    for name, pts in (("lzb_frauen", [(0, 9050), (12, 9500), (24, 10480), (29, 10800), (35, 10900)]),
                      ("lzb_maenner", [(0, 7780), (12, 8060), (24, 8660), (29, 8930), (35, 9080)])):
        r = rng(name)
        for t, p in enumerate(PERIODS):
            s[name][p] = round(ramp(t, pts) + jitter(r, 20))

    # LLU in EUR with cents: standard rates +12 % in January 2024, none in 2025.
    r = rng("llu_summe")
    for t, p in enumerate(PERIODS):
        y, m = MONTHS[t]
        level = ramp(t, [(0, 12450000.0), (11, 12800000.0), (12, 14280000.0),
                         (23, 14520000.0), (24, 14640000.0), (35, 14950000.0)])
        cents = round(level * SEASON_LLU[m - 1] * (1.0 + jitter(r, 0.004)) * 100)
        s["llu_summe"][p] = Fraction(cents, 100)

    # FbW graduates and those handled by graduate management (~80-84 %).
    r = rng("fbw")
    for t, p in enumerate(PERIODS):
        y, m = MONTHS[t]
        grads = round(FBW_GRADUATES[m - 1] * (1.0 + 0.04 * (y - 2023)) * (1.0 + jitter(r, 0.10)))
        share = {2023: 0.80, 2024: 0.815, 2025: 0.825}[y] + jitter(r, 0.03)
        s["fbw_absolventen"][p] = grads
        s["fbw_absolventen_betreut"][p] = round(grads * share)

    # Consultations: several thousand a month, about 61-62 % in person.
    r = rng("beratungen")
    for t, p in enumerate(PERIODS):
        y, m = MONTHS[t]
        total = round(7400 * SEASON_BERATUNG[m - 1] * (1.0 + 0.02 * (y - 2023)) * (1.0 + jitter(r, 0.04)))
        share = ramp(t, [(0, 0.645), (12, 0.628), (24, 0.616), (35, 0.610)]) + jitter(r, 0.01)
        s["beratungen_gesamt"][p] = total
        s["beratungen_persoenlich"][p] = round(total * share)

    # KdU: grace periods (Karenzzeit) run out from 2024 on; the stock builds up
    # during 2024 (December 2024 = the base for 2025), procedures follow.
    r = rng("kdu")
    for t, p in enumerate(PERIODS):
        y, m = MONTHS[t]
        stock = ramp(t, [(0, 38), (11, 86), (12, 140), (23, 640), (29, 690), (35, 660)])
        done = ramp(t, [(0, 2), (11, 5), (12, 6), (23, 19), (24, 22), (35, 36)])
        s["kdu_faelle_karenzende"][p] = round(stock + jitter(r, 6)) if p != "2024-12" else 644
        s["kdu_verfahren_abgearbeitet"][p] = round(done + jitter(r, 4))

    # The correction delivery (after the three-month waiting period of BA
    # statistics): late-reported integrations of women in May 2025 and the eLb
    # stock of women in May 2025.
    corrections = [
        ("integrationen_frauen", "2025-05", s["integrationen_frauen"]["2025-05"] + 16),
        ("elb_frauen", "2025-05", s["elb_frauen"]["2025-05"] + 23),
    ]
    return s, corrections


# --------------------------------------------------------------------------- writing

def fmt(value, decimal_comma=False):
    # no thousands separators; EUR values always with two decimals
    if isinstance(value, Fraction):
        text = "%d.%02d" % divmod(int(value * 100), 100)
    else:
        text = str(int(value))
    return text.replace(".", ",") if decimal_comma else text


def write_files(s, corrections):
    for year in (2023, 2024):
        lines = ["metric,period,value,source"]
        for name in METRICS:
            for p in PERIODS:
                if p.startswith(str(year)):
                    lines.append("%s,%s,%s,%s" % (name, p, fmt(s[name][p]), SOURCES[name]))
        with open(os.path.join(HERE, "%d.csv" % year), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(lines) + "\n")

    # 2025 as a German spreadsheet exports it: ';', decimal comma, BOM, CRLF,
    # another column order, sorted by month.
    lines = ["period;metric;value;source"]
    for p in PERIODS:
        if p.startswith("2025"):
            for name in METRICS:
                src = SRC_BA_PRELIM if SOURCES[name] == SRC_BA else SOURCES[name]
                lines.append("%s;%s;%s;%s" % (p, name, fmt(s[name][p], True), src))
    with open(os.path.join(HERE, "2025.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")

    lines = ["metric,period,value,source"]
    for name, p, v in corrections:
        lines.append("%s,%s,%s,%s" % (name, p, fmt(v), SRC_BA_CORR))
    with open(os.path.join(HERE, "korrektur-2025.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- checking

def read_csv(path):
    """Reads a file the way the contract describes it; returns {(metric, period): value}."""
    raw = open(path, "rb").read()
    assert raw.count(b"\r\n") in (0, raw.count(b"\n")), path + ": mixed line ends"
    text = raw.decode("utf-8-sig")
    rows = [line for line in text.replace("\r\n", "\n").split("\n") if line]
    sep = ";" if ";" in rows[0] else ","
    header = rows[0].split(sep)
    out = {}
    for row in rows[1:]:
        fields = row.split(sep)
        assert len(fields) == len(header), path + ": " + row
        rec = dict(zip(header, fields))
        value = rec["value"].replace(",", ".") if sep == ";" else rec["value"]
        assert "," not in value, path
        out[(rec["metric"], rec["period"])] = Fraction(value)
    return out


def prev_month(p, n):
    y, m = int(p[:4]), int(p[5:])
    k = y * 12 + (m - 1) - n
    return "%04d-%02d" % (k // 12, k % 12 + 1)


def jfw(p):
    return [prev_month(p, n) for n in range(11, -1, -1)]


def goal_values(d, p):
    g = lambda metric, q: d[(metric, q)]
    w = jfw(p)
    ssum = lambda *ms: sum(g(m, q) for m in ms for q in w)
    mean = lambda *ms: ssum(*ms) / 12
    y = p[:4]
    ytd = [q for q in w if q[:4] == y]
    prev = prev_month(p, 12)
    llu, llu_prev = g("llu_summe", p), g("llu_summe", prev)
    return {
        "iq-gesamt": 100 * ssum("integrationen_frauen", "integrationen_maenner") / mean("elb_frauen", "elb_maenner"),
        "iq-frauen": 100 * ssum("integrationen_frauen") / mean("elb_frauen"),
        "iq-maenner": 100 * ssum("integrationen_maenner") / mean("elb_maenner"),
        "lzb-gesamt": mean("lzb_frauen", "lzb_maenner"),
        "lzb-frauen": mean("lzb_frauen"),
        "lzb-maenner": mean("lzb_maenner"),
        "llu-monitoring": (llu, llu_prev, 100 * (llu - llu_prev) / llu_prev),
        "fbw-absolventenmanagement": 100 * ssum("fbw_absolventen_betreut") / ssum("fbw_absolventen"),
        "persoenliche-beratungen": 100 * ssum("beratungen_persoenlich") / ssum("beratungen_gesamt"),
        "kdu-kostensenkung": 100 * sum(g("kdu_verfahren_abgearbeitet", q) for q in ytd)
        / g("kdu_faelle_karenzende", "%d-12" % (int(y) - 1)),
    }


# id: (op, target, tolerance, binding) as in rules/goals.yaml
TARGETS = {
    "iq-gesamt": (">=", 20.4, 0.5, False),
    "iq-frauen": (">=", 15.5, 0.5, True),
    "iq-maenner": (">=", 25.4, 0.5, True),
    "lzb-gesamt": ("<=", 19006, 190, False),
    "lzb-frauen": ("<=", 10154, 100, True),
    "lzb-maenner": ("<=", 8856, 90, True),
    "fbw-absolventenmanagement": (">=", 80, 0.5, True),
    "persoenliche-beratungen": (">", 60, 0, True),
    "kdu-kostensenkung": (">=", 50, 0.5, True),
}


def status(goal, value):
    op, target, tol = TARGETS[goal][:3]
    target, tol = Fraction(str(target)), Fraction(str(tol))
    ok = {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}[op]
    if ok:
        return "met"
    if tol > 0 and (value >= target - tol if op in (">=", ">") else value <= target + tol):
        return "at_risk"
    return "missed"


def margin(goal, value):
    """Distance to the nearest status boundary (to keep the example robust)."""
    op, target, tol = TARGETS[goal][:3]
    target, tol = Fraction(str(target)), Fraction(str(tol))
    return min(abs(value - target), abs(value - (target - tol if op[0] == ">" else target + tol)))


def evaluate(d, p):
    out = {}
    for goal, v in goal_values(d, p).items():
        out[goal] = ("observed", v) if goal == "llu-monitoring" else (status(goal, v), v)
    return out


def show(label, res):
    print(label)
    for goal, (st, v) in res.items():
        if goal == "llu-monitoring":
            print("  %-27s %-9s actual %.2f previous %.2f change_pct %.10f" % (goal, st, v[0], v[1], v[2]))
        else:
            print("  %-27s %-9s %.10f" % (goal, st, v))


def check():
    before = {}
    for name in ("2023.csv", "2024.csv", "2025.csv"):
        before.update(read_csv(os.path.join(HERE, name)))
    after = dict(before)
    corr = read_csv(os.path.join(HERE, "korrektur-2025.csv"))
    for key, v in corr.items():
        assert key in before and before[key] != v, key
        after[key] = v
    assert len(before) == len(METRICS) * 36
    for (metric, _), v in before.items():
        assert v >= 0 and (metric == "llu_summe" or v.denominator == 1), metric

    jun_b, jun, dec = evaluate(before, "2025-06"), evaluate(after, "2025-06"), evaluate(after, "2025-12")
    show("2025-06 before the correction:", jun_b)
    show("2025-06 after the correction:", jun)
    show("2025-12:", dec)
    print("2025 course (after the correction):")
    goals = [g for g in TARGETS]
    print("  %-7s " % "period" + " ".join("%11s" % g[:11] for g in goals) + "  llu-chg%")
    for m in range(1, 13):
        p = "2025-%02d" % m
        res = evaluate(after, p)
        print("  %-7s " % p + " ".join("%7.2f %-3s" % (res[g][1], res[g][0][:3]) for g in goals)
              + "  %6.2f" % res["llu-monitoring"][1][2])
    print("revised:", ", ".join("%s %s %s -> %s" % (k[0], k[1], before[k], v) for k, v in corr.items()))

    expected = {
        "2025-06": {"iq-gesamt": "at_risk", "iq-frauen": "at_risk", "iq-maenner": "met",
                    "lzb-gesamt": "at_risk", "lzb-frauen": "missed", "lzb-maenner": "met",
                    "fbw-absolventenmanagement": "met", "persoenliche-beratungen": "met",
                    "kdu-kostensenkung": "missed"},
        "2025-12": {"iq-gesamt": "met", "iq-frauen": "met", "iq-maenner": "met",
                    "lzb-gesamt": "missed", "lzb-frauen": "missed", "lzb-maenner": "at_risk",
                    "fbw-absolventenmanagement": "met", "persoenliche-beratungen": "met",
                    "kdu-kostensenkung": "met"},
    }
    problems = []
    for label, res, exp in (("2025-06 before", jun_b, expected["2025-06"]),
                            ("2025-06", jun, expected["2025-06"]), ("2025-12", dec, expected["2025-12"])):
        for goal, st in exp.items():
            v = res[goal][1]
            # keep 0.05 (quotas) or 10 (stocks) away from every boundary
            need = 10 if TARGETS[goal][1] > 1000 else Fraction(1, 20)
            if res[goal][0] != st or margin(goal, v) < need:
                problems.append("%s %s: %s %.4f, expected %s" % (label, goal, res[goal][0], v, st))
    if abs(jun["iq-frauen"][1] - jun_b["iq-frauen"][1]) < Fraction(1, 20):
        problems.append("the correction is hardly visible")
    for pr in problems:
        print("PROBLEM:", pr)
    return not problems


def main():
    s, corrections = generate()
    write_files(s, corrections)
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main())
