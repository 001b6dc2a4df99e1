"""End-to-end speed as a user meets it: whole `tracker` processes, start-up included.

500 synthetic symbols (and their benchmark MKT) x 10 years of daily prices are written as Yahoo-format CSVs, then
timed, each as a separate process:

- `tracker --db FILE prices import DIR`                         (--import-repeats times, into a fresh database file)
- the first `tracker --db FILE study --events E.csv --format csv` after that import (1k events)
- `tracker --db FILE study --events E.csv --format csv` at 1k / 10k / 100k events (no --offline: what a user types)
- `tracker --help` and `tracker --db FILE sql "select 1"`
- `tracker --db FILE report --prices-dir ../shared/prices` on the seed articles (skipped without that folder)

Each figure is the best and the median of --repeats runs (the machine is shared, so the median moves with load).
The PyPI peer `eventstudy` 0.1a12 (Single.market_model, market model, same windows) is timed on 1k of the same
events in its own virtualenv, created with pip on first use (--peer-venv; --no-peer skips it), and the per-event
ratio peer/ours is printed at each size. The last lines give each target and its verdict.

    .venv/bin/python benchmarks/study_e2e_bench.py [--events 1000,10000,100000] [--repeats 5]
        [--peer-venv /tmp/eventstudy-venv] [--no-peer] [--profile DIR] [--workdir DIR]

--profile DIR runs each study size once more under cProfile, writes DIR/study_<n>.prof and prints where the time
goes: start-up (imports), reading and linking the events, working out and checking the prices, the study engine
(run_study), and writing the output.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.study.synthetic import market_panel

REPO = Path(__file__).resolve().parent.parent
N_SYMBOLS, N_DAYS = 500, 2520
START = "2015-01-01"
PEER_VERSION = "0.1a12"
TARGETS_S = {1_000: 0.8, 10_000: 1.0, 100_000: 1.5}
PEER_RATIO_TARGET = 10.0
STARTUP_TARGET_S = 0.5


def tracker_command() -> list[str]:
    """The `tracker` script of the running interpreter's environment (what `make install` puts on PATH)."""
    script = Path(sys.executable).parent / "tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def write_price_csvs(folder: Path, seed: int = 1) -> pd.DataFrame:
    """One Yahoo-format SYMBOL.csv per symbol (Date,Open,High,Low,Close,Adj Close,Volume); returns the panel."""
    frame = market_panel(N_SYMBOLS, N_DAYS, seed=seed, start=START)
    folder.mkdir(parents=True, exist_ok=True)
    out = frame.rename(columns={"date": "Date", "open": "Open", "high": "High", "low": "Low", "close": "Close",
                                "adj_close": "Adj Close", "volume": "Volume"})
    columns = ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]
    for symbol, rows in out.groupby("symbol", sort=False):
        rows[columns].to_csv(folder / f"{symbol}.csv", index=False, float_format="%.6f")
    return frame


def make_events(dates: list, n: int, seed: int) -> pd.DataFrame:
    """n events on random symbols and days, each with a full estimation window before and the needed margin after
    inside the price history (so no price is missing and nothing needs downloading)."""
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, N_SYMBOLS, n)
    anchors = rng.integers(320, len(dates) - 40, n)
    return pd.DataFrame({
        "symbol": [f"S{s:04d}" for s in symbols],
        "event_date": [pd.Timestamp(dates[a]).strftime("%Y-%m-%d") for a in anchors],
        "event_type": np.where(rng.random(n) < 0.5, "earnings", "guidance"),
        "label": "",
        "benchmark": "MKT",
    })


def run(cmd: list[str], cwd: Path = REPO, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        tail = (out.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"failed: {' '.join(cmd)}: {tail}")
    return seconds


def timed(cmd: list[str], repeats: int, before=None, cwd: Path = REPO) -> dict:
    times = []
    for _ in range(repeats):
        if before:
            before()
        times.append(run(cmd, cwd=cwd))
    return {"best": min(times), "median": statistics.median(times), "runs": times}


def fmt(t: dict) -> str:
    return f"best {t['best']:6.3f} s  median {t['median']:6.3f} s"


# --- the peer -------------------------------------------------------------------------------------------------

PEER_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import eventstudy as es
returns, events = sys.argv[1], json.load(open(sys.argv[2]))
t_start = time.perf_counter()
es.Single.import_returns(returns, log_return=False)
t0 = time.perf_counter()
ok, err = 0, None
for sec, d in events:
    try:
        es.Single.market_model(security_ticker=sec, market_ticker="MKT", event_date=np.datetime64(d),
                               event_window=(-10, 10), estimation_size=240, buffer_size=10)
        ok += 1
    except Exception as exc:
        err = repr(exc)
print(json.dumps({"seconds": time.perf_counter() - t0, "import_s": t0 - t_start, "ok": ok, "n": len(events),
                  "error": err}))
"""


def peer_python(venv: Path) -> Path | None:
    """The virtualenv's python with eventstudy installed, creating it with pip when it is missing."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('eventstudy'))"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == PEER_VERSION:
            return python
    print(f"creating the peer's virtualenv in {venv} (pip install eventstudy=={PEER_VERSION})", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    made = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"eventstudy=={PEER_VERSION}"],
                          capture_output=True, text=True)
    if made.returncode != 0:
        print("peer not installed:", (made.stderr.strip().splitlines() or ["?"])[-1], file=sys.stderr)
        return None
    return python


def time_peer(python: Path, panel: pd.DataFrame, events: pd.DataFrame, workdir: Path) -> dict | None:
    """eventstudy reads one wide CSV of returns (date + one column per ticker); the per-event loop is timed."""
    wide = panel.pivot(index="date", columns="symbol", values="adj_close").sort_index().pct_change().iloc[1:]
    wide.index.name = "date"
    wide.to_csv(workdir / "peer_returns.csv")
    (workdir / "peer_events.json").write_text(json.dumps(list(zip(events.symbol, events.event_date))))
    (workdir / "peer.py").write_text(PEER_SCRIPT)
    t0 = time.perf_counter()
    out = subprocess.run([str(python), str(workdir / "peer.py"), str(workdir / "peer_returns.csv"),
                          str(workdir / "peer_events.json")], capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        print("peer failed:", (out.stderr.strip().splitlines() or ["?"])[-1], file=sys.stderr)
        return None
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


# --- profiling ------------------------------------------------------------------------------------------------

PHASES = {
    "read events CSV": ("tracker/study/inputs.py", "read_events_csv"),
    "link symbols": ("tracker/study/inputs.py", "user_events_to_study_events"),
    "load study_events": ("tracker/study/inputs.py", "load_study_events"),
    "price needs": ("tracker/pipeline.py", "price_needs"),
    "prices (cache check, fetch)": ("tracker/prices/fetch.py", "ensure_prices"),
    "study engine (run_study)": ("tracker/study/run.py", "run_study"),
    "output (table from the result tables, csv)": ("tracker/formatting.py", "render_relation_csv"),
}


def profile_phases(prof: Path) -> dict[str, float]:
    import pstats

    stats = pstats.Stats(str(prof)).stats
    out = {name: 0.0 for name in PHASES}
    total = 0.0
    for (filename, _line, func), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for name, (suffix, wanted) in PHASES.items():
            if func == wanted and filename.endswith(suffix):
                out[name] += cumulative
        if func == "<module>" and filename.endswith("tracker/__main__.py"):
            total = max(total, cumulative)
    out["whole command (in profile)"] = total
    return out


def profile_study(tracker: list[str], args: list[str], prof: Path) -> dict[str, float]:
    """One run of `tracker ARGS` under cProfile (slower than a plain run); the phases' cumulative seconds."""
    python = Path(tracker[0]).parent / "python" if len(tracker) == 1 else Path(sys.executable)
    run([str(python), "-m", "cProfile", "-o", str(prof), "-m", "tracker", *args])
    return profile_phases(prof)


# --- main -----------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--import-repeats", type=int, default=1, help="imports of the 500 CSVs into a fresh file")
    parser.add_argument("--peer-venv", type=Path, default=Path(tempfile.gettempdir()) / "eventstudy-0.1a12-venv")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--prices-dir", type=Path, default=REPO.parent / "shared" / "prices",
                        help="real prices for the report on the seeds")
    parser.add_argument("--profile", type=Path, default=None, help="folder for one cProfile run per study size")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated files here")
    args = parser.parse_args()
    sizes = [int(x) for x in args.events.split(",")]
    tracker = tracker_command()
    keep = tempfile.TemporaryDirectory() if args.workdir is None else None
    work = Path(keep.name) if keep else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    print(f"tracker: {' '.join(tracker)}; workdir {work}; cores {os.cpu_count()}; repeats {args.repeats}")

    t0 = time.perf_counter()
    prices = work / "prices"
    panel = write_price_csvs(prices)
    print(f"{N_SYMBOLS} symbols + MKT x {N_DAYS + 1} days written as CSVs in {time.perf_counter() - t0:.1f} s")
    dates = sorted(panel["date"].unique())
    event_files = {}
    for n in sorted(set(sizes) | {1000}):
        event_files[n] = work / f"events_{n}.csv"
        make_events(dates, n, seed=n).to_csv(event_files[n], index=False)

    db, imported = work / "bench.duckdb", work / "imported.duckdb"
    results: dict[str, dict] = {}

    def fresh_db() -> None:
        for path in (imported, Path(f"{imported}.wal")):
            path.unlink(missing_ok=True)

    results["import"] = timed([*tracker, "--db", str(imported), "prices", "import", str(prices)],
                              max(1, args.import_repeats), before=fresh_db)
    print(f"prices import (500 CSVs, fresh db):        {fmt(results['import'])}", flush=True)

    def copy_imported() -> None:
        shutil.copyfile(imported, db)

    study = [*tracker, "--db", str(db), "study", "--format", "csv", "--events"]
    results["first"] = timed([*study, str(event_files[1000])], args.repeats, before=copy_imported)
    print(f"first study after the import, 1k events:  {fmt(results['first'])}", flush=True)

    for n in sizes:
        run([*study, str(event_files[n])])   # warm: the prices' return series are built once per price change
        results[f"study_{n}"] = timed([*study, str(event_files[n])], args.repeats)
        t = results[f"study_{n}"]
        print(f"study {n:>7,} events:                     {fmt(t)}  {1000 * t['best'] / n:8.4f} ms/event",
              flush=True)

    results["help"] = timed([*tracker, "--help"], args.repeats)
    print(f"tracker --help:                            {fmt(results['help'])}")
    results["sql"] = timed([*tracker, "--db", str(db), "sql", "select 1"], args.repeats)
    print(f"tracker sql \"select 1\":                    {fmt(results['sql'])}")
    if args.prices_dir.is_dir():
        report_db, report_dir = work / "report.duckdb", work / "report"
        results["report"] = timed([*tracker, "--db", str(report_db), "report", "--prices-dir", str(args.prices_dir),
                                   "--out", str(report_dir)], max(1, min(args.repeats, 3)))
        print(f"tracker report on the seeds:               {fmt(results['report'])}")
    else:
        print(f"report on the seeds skipped: no {args.prices_dir}")

    peer = None
    if not args.no_peer:
        python = peer_python(args.peer_venv)
        if python:
            events = pd.read_csv(event_files[1000])
            peer = time_peer(python, panel, events, work)
    if peer:
        per_event = peer["seconds"] / peer["n"]
        print(f"peer eventstudy {PEER_VERSION} Single.market_model: {peer['n']} events ({peer['ok']} ok) in "
              f"{peer['seconds']:.2f} s = {1000 * per_event:.3f} ms/event (loop only; its returns CSV read "
              f"{peer['import_s']:.2f} s, process {peer['wall']:.2f} s)")
        if peer["error"]:
            print(f"  peer error on some events: {peer['error']}")
        for n in sizes:
            ours = results[f"study_{n}"]["best"] / n
            print(f"  per-event ratio peer/ours at {n:>7,} events: {per_event / ours:7.1f}x")

    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            run([*study, str(event_files[n])])   # warm, as the timed runs: the returns series are built for this set
            phases = profile_study(tracker, [*study[len(tracker):], str(event_files[n])], args.profile / f"study_{n}.prof")
            print(f"profile at {n:,} events (cProfile, s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))

    print("targets:")
    for n in sizes:
        if n in TARGETS_S:
            best = results[f"study_{n}"]["best"]
            print(f"  study {n:>7,} events <= {TARGETS_S[n]} s: best {best:.3f} s, median "
                  f"{results[f'study_{n}']['median']:.3f} s -> {'met' if best <= TARGETS_S[n] else 'MISSED'}")
    for key, label in (("help", "tracker --help"), ("sql", 'tracker sql "select 1"')):
        best = results[key]["best"]
        print(f"  {label} <= {STARTUP_TARGET_S} s: best {best:.3f} s -> {'met' if best <= STARTUP_TARGET_S else 'MISSED'}")
    largest = max(sizes)
    if peer:
        ratio = (peer["seconds"] / peer["n"]) / (results[f"study_{largest}"]["best"] / largest)
        print(f"  >= {PEER_RATIO_TARGET:.0f}x the peer per event at {largest:,} events: {ratio:.1f}x -> "
              f"{'met' if ratio >= PEER_RATIO_TARGET else 'MISSED'}")
    else:
        print("  peer ratio: not measured (no peer)")
    if keep:
        keep.cleanup()


if __name__ == "__main__":
    main()
