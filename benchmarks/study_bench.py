"""Event-study speed: the numpy kernel alone, and the study in DuckDB on 500 symbols x 10 years of daily prices.

1. Kernel alone (tracker/study/kernel.py on arrays already in memory: fit, ARs, CAR windows and every cross-event test
   including Corrado rank, generalized sign and Kolari-Pynnonen) at --kernel-events events, with its peak memory
   (tracemalloc, which sees numpy's allocations). Issue 12's target: <= 0.25 s at 100k events, memory aim < 1.5 GB.
2. run_study in DuckDB (prices imported; every SQL step, the kernel, the result tables written), 1k / 10k / 100k events,
   best and median of --repeats runs (the machine is shared), and once more reading the outputs back as DataFrames.
   Optionally the PyPI peer `eventstudy` 0.1a12 (Single.market_model) on 1k of the same events in its own virtualenv.

    .venv/bin/python benchmarks/study_bench.py [--events 1000,10000,100000] [--kernel-events 100000] [--file]
                                               [--peer /tmp/es-venv/bin/python]

--file runs on a database file in a temporary folder (what `tracker` uses) instead of an in-memory database.
The end-to-end figures of the command a user types are printed by benchmarks/study_e2e_bench.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.db import connect
from tracker.study import StudyParams, kernel, load_study_events, run_study
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


def time_kernel(n: int, repeats: int) -> dict:
    """The kernel on in-memory arrays shaped like the DuckDB run's: 500 pairs x 2520 joined sessions, n events."""
    rng = np.random.default_rng(n)
    market = rng.normal(0.0003, 0.01, N_DAYS)
    stock = rng.normal(0, 5e-4, (N_SYMBOLS, 1)) + rng.uniform(0.5, 1.5, (N_SYMBOLS, 1)) * market \
        + rng.normal(0, 0.02, (N_SYMBOLS, N_DAYS))
    series = kernel.Series(ret=stock.ravel(), bench=np.tile(market, N_SYMBOLS),
                           date=np.tile(np.arange(N_DAYS, dtype=np.int64), N_SYMBOLS))
    pair_of_row = np.repeat(np.arange(N_SYMBOLS), N_DAYS)
    symbols, anchors = rng.integers(0, N_SYMBOLS, n), rng.integers(262, N_DAYS - 12, n)
    rows = kernel.Rows(row0=symbols * N_DAYS + anchors, first_day=-anchors, last_day=N_DAYS - 1 - anchors)
    params = StudyParams()
    groups = kernel.Groups(labels={"all": np.full(n, "all", dtype=object),
                                   "event_type": np.where(rng.random(n) < 0.5, "earnings", "guidance").astype(object),
                                   "company": np.array([f"S{s:04d}" for s in symbols], dtype=object)},
                           observation=np.arange(n), include=np.ones(n, dtype=bool))

    def once():
        f = kernel.fit(series, rows, params.model, params.estimation)
        path = kernel.event_window(series, rows, f, params.window)
        cars = kernel.car_windows(path, f, params.effective_car_windows())
        kernel.aggregate(series, rows, f, path, cars, groups, estimation=params.estimation, window=params.window,
                         pair_of_row=pair_of_row)

    once()                                                         # warm-up (imports, page faults)
    seconds = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        once()
        seconds.append(time.perf_counter() - t0)
    tracemalloc.start()
    once()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"best_s": min(seconds), "median_s": float(np.median(seconds)), "peak_mb": peak / 2**20}


def time_ours(con, events: pd.DataFrame, repeats: int) -> dict:
    """Best and median of `repeats`: the default study, the study without the estimation-window tests (rank,
    generalized sign, KP), and once the default study including reading the outputs into DataFrames."""
    load_study_events(con, events)
    run_study(con, StudyParams(), fetch=False)                     # warm-up
    runs: dict[str, list[float]] = {"study_s": [], "core_s": []}
    for _ in range(repeats):
        for key, params in (("study_s", StudyParams()), ("core_s", StudyParams(estimation_tests=False))):
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
    parser.add_argument("--kernel-events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer", default=None, help="python of a virtualenv with eventstudy==0.1a12")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--file", action="store_true", help="use a database file instead of :memory:")
    args = parser.parse_args()

    k = time_kernel(args.kernel_events, args.repeats)
    print(f"kernel alone, {args.kernel_events:,} events, all tests: best {k['best_s']:.3f} s, median "
          f"{k['median_s']:.3f} s, peak memory {k['peak_mb']:,.0f} MB; target <= 0.25 s: "
          f"{'met' if k['best_s'] <= 0.25 else 'missed'}", flush=True)

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
          f"{'+frames (s)':>12}")
    ours: dict[int, dict] = {}
    for n in (int(x) for x in args.events.split(",")):
        timing = time_ours(con, make_events(dates, n, seed=n), args.repeats)
        ours[n] = timing
        print(f"{n:>8,} {timing['study_s']:>10.3f} {timing['study_median_s']:>7.3f} {1000 * timing['study_s'] / n:>9.4f} "
              f"{timing['core_s']:>18.3f} {1000 * timing['core_s'] / n:>9.4f} {timing['with_frames_s']:>12.3f}",
              flush=True)
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
                      f"(all tests), {per_event / (timing['core_s'] / n):6.1f}x (without estimation-window tests)")


if __name__ == "__main__":
    main()
