"""Event-study speed: synthetic 500 symbols x 10 years of daily prices, 1k / 10k / 100k events.

Prices are imported into DuckDB first; then run_study (market model, default windows, all aggregates) is timed
alone, once writing the study_* tables only and once also reading them back as DataFrames. Optionally the PyPI
peer `eventstudy` 0.1a12 (Single.market_model) is timed on 1k of the same events in its own virtualenv.

Two figures per size: "study" is a run on prices whose joined return series (study_pairs: returns, joins and the
running sums of the OLS moments, which do not depend on the events) are already built, as for every study after the
first on the same prices; "first" is the first study after the prices changed, which builds study_pairs too. Both are
the best of --repeats runs (the machine is shared); the median is printed beside the best.

    .venv/bin/python benchmarks/study_bench.py [--events 1000,10000,100000] [--peer /tmp/es-venv/bin/python] [--file]

--file runs on a database file in a temporary folder instead of an in-memory database (what `tracker` uses; the
study tables are then written to disk inside the timed transaction). The last lines compare with the issue's targets:
100k events in <= 2 s, and >= 20x the peer's per-event time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel

N_SYMBOLS, N_DAYS = 500, 2520


def make_events(dates, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, N_SYMBOLS, n)
    anchors = rng.integers(262, N_DAYS - 12, n)
    return pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)],
        "symbol": [f"S{s:04d}" for s in symbols],
        "benchmark": "MKT",
        "study_date": [dates[a] for a in anchors],
        "company": [f"S{s:04d}" for s in symbols],
        "event_type": np.where(rng.random(n) < 0.5, "earnings", "guidance"),
    })


def time_ours(con, events: pd.DataFrame, repeats: int) -> dict:
    """Best and median of `repeats`: the default study, the study without the estimation-window tests (rank,
    generalized sign, KP), the first study after a price change (study_pairs rebuilt), and once the default study
    including reading the outputs into DataFrames."""
    load_study_events(con, events)
    run_study(con, StudyParams(), fetch=False)                     # warm-up, builds study_pairs
    runs: dict[str, list[float]] = {"study_s": [], "core_s": [], "first_s": []}
    for _ in range(repeats):
        for key, params in (("study_s", StudyParams()), ("core_s", StudyParams(estimation_tests=False)),
                            ("first_s", StudyParams())):
            if key == "first_s":
                con.execute("DELETE FROM study_pairs_state")       # as after `tracker prices import`
            t0 = time.perf_counter()
            run_study(con, params, fetch=False)
            runs[key].append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    run_study(con, StudyParams())
    timing = {key: min(values) for key, values in runs.items()}
    timing.update({key.replace("_s", "_median_s"): float(np.median(values)) for key, values in runs.items()})
    timing["with_frames_s"] = time.perf_counter() - t0
    return timing


PEER_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import eventstudy as es
returns, events = sys.argv[1], json.load(open(sys.argv[2]))
es.Single.import_returns(returns, log_return=False)
t0 = time.perf_counter()
ok, err = 0, None
for sec, d in events:
    try:
        es.Single.market_model(security_ticker=sec, market_ticker="MKT", event_date=__import__("numpy").datetime64(d),
                               event_window=(-10, 10), estimation_size=240, buffer_size=10)
        ok += 1
    except Exception as exc:
        err = repr(exc)
print(json.dumps({"seconds": time.perf_counter() - t0, "ok": ok, "n": len(events), "error": err}))
"""


def time_peer(python: str, frame: pd.DataFrame, events: pd.DataFrame) -> dict | None:
    """The eventstudy package reads a wide returns CSV (date column + one column per ticker)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wide = frame.pivot(index="date", columns="symbol", values="adj_close").sort_index().pct_change().iloc[1:]
        wide.index.name = "date"
        wide.to_csv(tmp / "returns.csv")
        (tmp / "events.json").write_text(json.dumps(
            [[s, pd.Timestamp(d).strftime("%Y-%m-%d")] for s, d in zip(events.symbol, events.study_date)]))
        (tmp / "peer.py").write_text(PEER_SCRIPT)
        out = subprocess.run([python, str(tmp / "peer.py"), str(tmp / "returns.csv"),
                              str(tmp / "events.json")], capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            print("peer failed:", out.stderr.strip().splitlines()[-1:] or out.stdout, file=sys.stderr)
            return None
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer", default=None, help="python of a virtualenv with eventstudy==0.1a12")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--file", action="store_true", help="use a database file instead of :memory:")
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory()
    con = connect(Path(workdir.name) / "bench.duckdb" if args.file else ":memory:")
    print(f"database: {'file' if args.file else 'in memory'}")
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    print(f"duckdb threads: {threads}")
    t0 = time.perf_counter()
    frame = market_panel(N_SYMBOLS, N_DAYS, seed=1)
    insert_prices(con, frame)
    print(f"prices: {len(frame):,} rows ({N_SYMBOLS} symbols + MKT x {N_DAYS + 1} days) "
          f"generated and imported in {time.perf_counter() - t0:.2f} s")
    dates = sorted(frame.date.unique())
    print(f"{'events':>8} {'study (s)':>10} {'median':>7} {'ms/event':>9} {'no est. tests (s)':>18} {'ms/event':>9} "
          f"{'first (s)':>10} {'median':>7} {'+frames (s)':>12}")
    ours: dict[int, dict] = {}
    for n in (int(x) for x in args.events.split(",")):
        timing = time_ours(con, make_events(dates, n, seed=n), args.repeats)
        ours[n] = timing
        print(f"{n:>8,} {timing['study_s']:>10.3f} {timing['study_median_s']:>7.3f} {1000 * timing['study_s'] / n:>9.4f} "
              f"{timing['core_s']:>18.3f} {1000 * timing['core_s'] / n:>9.4f} {timing['first_s']:>10.3f} "
              f"{timing['first_median_s']:>7.3f} {timing['with_frames_s']:>12.3f}", flush=True)
    steps: dict[str, float] = {}
    largest = max(ours)
    run_study(con, StudyParams(), fetch=False, timings=steps)
    print(f"steps at {largest:,} events (s): " + ", ".join(f"{k.removeprefix('study_')} {v:.2f}" for k, v in steps.items()))
    if args.peer:
        events = make_events(dates, 1000, seed=1000)
        peer = time_peer(args.peer, frame, events)
        if peer:
            if peer["error"]:
                print(f"peer error on some events: {peer['error']}")
            per_event = peer["seconds"] / peer["n"]
            print(f"peer eventstudy 0.1a12 Single.market_model: {peer['n']} events ({peer['ok']} ok) in "
                  f"{peer['seconds']:.2f} s = {1000 * per_event:.3f} ms/event (per-event statistics only)")
            for n, timing in ours.items():
                print(f"  per-event ratio peer/ours at {n:>7,} events: {per_event / (timing['study_s'] / n):6.1f}x "
                      f"(all tests), {per_event / (timing['core_s'] / n):6.1f}x (without estimation-window tests), "
                      f"{per_event / (timing['first_s'] / n):6.1f}x (first study after a price change)")
            ratio = per_event / (ours[largest]["study_s"] / largest)
            print(f"target >= 20x per event at {largest:,} events: {ratio:.1f}x, {'met' if ratio >= 20 else 'missed'} "
                  f"(against the issue's 0.4 ms/event for the peer: {0.0004 / (ours[largest]['study_s'] / largest):.1f}x)")
    if 100_000 in ours:
        for key, what in (("study_s", "study_pairs built"), ("first_s", "first study after a price change")):
            seconds, median = ours[100_000][key], ours[100_000][key.replace("_s", "_median_s")]
            print(f"target 100,000 events <= 2 s (all tests, {what}): best {seconds:.2f} s, median {median:.2f} s, "
                  f"{'met' if seconds <= 2 else 'missed'}")


if __name__ == "__main__":
    main()
