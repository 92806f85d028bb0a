#!/usr/bin/env python3
"""Formats the end-to-end benchmark's results (benches/end_to_end.sh) as Markdown.

usage: end_to_end_table.py RESULTS.tsv OUT_DIR

RESULTS.tsv has one line per run: size, tool, wall seconds, peak RSS in MB, exit code.
Each peer's per-school counts and nearest distances are compared with proximity's table
(the WGS84 geodesic), so the table also says how often each peer's answer differs.
"""

import csv
import math
import os
import platform
import sys
from datetime import date
from pathlib import Path


FLOORS = ("read_floor", "index_floor")


def read_table(path):
    """school id -> (count within, nearest metres) from a per-school CSV."""
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            school = row.get("school_id")
            count = row.get("incidents_within", row.get("count_within"))
            nearest = row.get("nearest_m")
            rows[school] = (int(count), float(nearest) if nearest not in (None, "") else math.nan)
    return rows


def agreement(reference, other):
    """How many schools' counts differ, and the largest nearest-distance difference."""
    differing = sum(1 for k, (count, _) in reference.items() if other.get(k, (None,))[0] != count)
    deltas = [abs(near - other[k][1]) for k, (_, near) in reference.items() if k in other]
    return differing, max(deltas, default=math.nan)


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    results_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    runs = {}
    with open(results_path) as f:
        for line in f:
            size, tool, wall, rss, rc = line.rstrip("\n").split("\t")
            runs.setdefault(size, []).append((tool, float(wall), float(rss), int(rc)))
    cores = len(os.sched_getaffinity(0))
    print(f"End to end, {date.today().isoformat()}, {cores} cores ({cpu_model()}), "
          f"radius 160.9344 m; wall-clock seconds and peak resident memory by GNU time.\n")
    curve = {size: tools for size, tools in runs.items() if size.startswith("curve_")}
    for size, tools in runs.items():
        if size in curve:
            continue
        ours = next((wall for tool, wall, _, rc in tools if tool == "proximity" and rc == 0), math.nan)
        reference_path = out_dir / size / "proximity" / "per_school.csv"
        reference = read_table(reference_path) if reference_path.exists() else {}
        print(f"### {size}\n")
        print("| tool | seconds | × proximity | peak RSS (MB) | schools whose count differs | max nearest Δ (m) |")
        print("|---|---:|---:|---:|---:|---:|")
        for tool, wall, rss, rc in tools:
            if rc != 0:
                print(f"| {tool} | failed (exit {rc}) | | {rss:.0f} | | |")
                continue
            differing, delta = "", ""
            if tool.startswith("read_floor"):
                differing, delta = "(reads only)", ""
            elif tool.startswith("index_floor"):
                differing, delta = "(reads, builds the R-tree)", ""
            elif reference:
                table = out_dir / size / tool / "per_school.csv"
                if table.exists():
                    d, m = agreement(reference, read_table(table))
                    differing, delta = f"{d:,}", f"{m:.3f}"
            print(f"| {tool} | {wall:.2f} | {wall / ours:.2f} | {rss:,.0f} | {differing} | {delta} |")
        peers = [(wall, tool) for tool, wall, _, rc in tools
                 if rc == 0 and not tool.startswith(("proximity",) + FLOORS)]
        floor = {tool: wall for tool, wall, _, rc in tools if tool.startswith(FLOORS) and rc == 0}
        parquet = next((wall for tool, wall, _, rc in tools if tool == "proximity_parquet" and rc == 0), math.nan)
        print()
        if peers:
            fastest, name = min(peers)
            print(f"- fastest peer: {name}, {fastest / ours:.2f}× proximity's time from CSV, "
                  f"{fastest / parquet:.2f}× from Parquet")
        if "read_floor_csv" in floor:
            print(f"- proximity from CSV takes {ours / floor['read_floor_csv']:.2f}× the time polars "
                  f"takes to read the same CSV files")
        if "read_floor_parquet" in floor:
            print(f"- proximity from Parquet takes {parquet / max(floor['read_floor_parquet'], 0.01):.2f}× the "
                  f"read-only time of the same Parquet files; end to end, Parquet input takes "
                  f"{parquet / ours:.2f}× the time of CSV input")
        if peers:
            print_targets(size, min(peers)[0], floor, {"csv": ours, "parquet": parquet})
        print()
    if curve:
        print_curve(curve)


def print_targets(size, fastest, floor, ours):
    """Each input's speed target beside the floor of reading the files and bulk-loading the
    R-tree. At large the target is to beat the fastest peer; at medium and large_region, to
    be 5× faster than it (from CSV, within 1.3× of the read floor instead when reading alone
    takes more than a fifth of that peer's time). Other sizes have no target."""
    if size not in ("medium", "large_region", "large"):
        return
    for kind, label in [("csv", "CSV"), ("parquet", "Parquet")]:
        read, index = floor.get(f"read_floor_{kind}"), floor.get(f"index_floor_{kind}")
        if read is None or index is None:
            continue
        target = fastest if size == "large" else fastest / 5
        if size != "large" and kind == "csv" and read > target:
            target = 1.3 * read
        print(f"- from {label}, the target is {target:.2f} s: proximity takes {ours[kind]:.2f} s "
              f"({ours[kind] / target:.2f}× the target), and reading the files and building the R-tree "
              f"alone takes {index:.2f} s ({index / target:.2f}×)")


def print_curve(runs):
    """The growth curve: proximity's time at four numbers of incidents and of schools."""
    def seconds(size):
        return next((wall for tool, wall, _, rc in runs.get(size, []) if tool == "proximity" and rc == 0),
                    math.nan)

    base = seconds("curve_i1")
    print("### growth (proximity, CSV in, medium's city)\n")
    for label, sizes, unit in [
        ("incidents (10,000 schools)", [("curve_i1", 1), ("curve_i2", 2), ("curve_i4", 4), ("curve_i8", 8)],
         "million incidents"),
        ("schools (1,000,000 incidents)", [("curve_i1", 1), ("curve_s2", 2), ("curve_s4", 4), ("curve_s8", 8)],
         "× 10,000 schools"),
    ]:
        print(f"| {label} | seconds | × the smallest | seconds per unit ({unit}) |")
        print("|---|---:|---:|---:|")
        for size, n in sizes:
            wall = seconds(size)
            print(f"| {n} | {wall:.2f} | {wall / base:.2f} | {wall / n:.3f} |")
        print()


if __name__ == "__main__":
    main()
