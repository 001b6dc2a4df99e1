"""Monte Carlo calibration of the per-event CAR test under the null (no abnormal returns).

Synthetic market-model prices with normal errors; for estimation windows of 30 and 120 days, every event's CAR
t-statistic (full variance with estimation error, spec §4.3) should follow t(M-2). Printed per window:
- var(t): expected (M-2)/(M-4) (1.077 for M=30, 1.017 for M=120), because t has heavier tails than N(0,1);
- var of the standardized CAR scaled to unit variance, SCAR * sqrt((M-4)/(M-2)) (MacKinlay's J2 scaling):
  target 1 +- 0.05;
- rejection rate of the two-sided 5% test with t(M-2) p-values: target 3.5%..6.5%;
- for contrast, var of CAR / (sqrt(L) sigma), the convention that drops the estimation error.

    .venv/bin/python benchmarks/calibration.py [--events-per-symbol 10] [--symbols 500]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel


def simulate(m: int, n_symbols: int, per_symbol: int, seed: int) -> pd.DataFrame:
    spacing = m + 40                                  # events of one symbol never share estimation data
    n_days = spacing * per_symbol + m + 40
    frame = market_panel(n_symbols, n_days, seed=seed)
    con = connect(":memory:")
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    rng = np.random.default_rng(seed + 1)
    rows = []
    for i in range(n_symbols):
        offset = int(rng.integers(0, 20))             # so cohorts do not share calendar dates
        for j in range(per_symbol):
            rows.append({"event_id": f"S{i:04d}-{j}", "symbol": f"S{i:04d}", "benchmark": "MKT",
                         "study_date": dates[m + 20 + offset + j * spacing]})
    load_study_events(con, pd.DataFrame(rows))
    params = StudyParams(estimation=(-m - 10, -11), min_estimation=m, estimation_tests=False)
    result = run_study(con, params)
    con.close()
    assert (result.results.n_estimation == m).all()
    car = result.car.merge(result.results[["event_id", "symbol", "sigma", "df"]], on=["event_id", "symbol"],
                           suffixes=("", "_r"))
    return car


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--events-per-symbol", type=int, default=10)
    args = parser.parse_args()
    print(f"{'M':>4} {'window':>6} {'N':>6} {'var(t)':>8} {'expect':>7} {'var(scaled)':>11} "
          f"{'reject 5%':>9} {'var(naive)':>10}  verdict")
    ok = True
    for m in (30, 120):
        t0 = time.perf_counter()
        car = simulate(m, args.symbols, args.events_per_symbol, seed=m)
        for window, frame in car.groupby("window", sort=False):
            t = frame.t.to_numpy()
            df = frame.df.to_numpy().astype(float)
            scaled = t * np.sqrt((df - 2) / df)
            reject = np.mean(frame.p.to_numpy() < 0.05)
            length = frame.win_end.iloc[0] - frame.win_start.iloc[0] + 1
            naive = frame.car.to_numpy() / (np.sqrt(length) * frame.sigma.to_numpy())
            good = abs(np.var(scaled, ddof=1) - 1) <= 0.05 and 0.035 <= reject <= 0.065
            ok &= good
            print(f"{m:>4} {window:>6} {len(t):>6} {np.var(t, ddof=1):>8.3f} {(m - 2) / (m - 4):>7.3f} "
                  f"{np.var(scaled, ddof=1):>11.3f} {100 * reject:>8.2f}% {np.var(naive, ddof=1):>10.3f}  "
                  f"{'ok' if good else 'OUT OF BOUNDS'}")
        print(f"     (simulated and studied in {time.perf_counter() - t0:.1f} s)")
    print("calibration holds" if ok else "calibration FAILED")


if __name__ == "__main__":
    main()
