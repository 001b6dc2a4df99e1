"""A small Monte Carlo under the null: standardized CARs with the full variance have variance ~1 (a fast version of
benchmarks/calibration.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel


def test_standardized_car_variance_under_the_null():
    n_symbols, anchors = 60, (200, 350, 500, 650, 800)
    frame = market_panel(n_symbols, 830, seed=42)
    con = connect(":memory:")
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    events = pd.DataFrame([
        {"event_id": f"S{i:04d}-{a}", "symbol": f"S{i:04d}", "benchmark": "MKT", "study_date": dates[a],
         "company": f"S{i:04d}"}
        for i in range(n_symbols) for a in anchors
    ])
    load_study_events(con, events)
    result = run_study(con, StudyParams(estimation=(-130, -11)))
    con.close()
    assert (result.results.n_estimation == 120).all() and len(result.results) == 300
    for window in ("0:0", "-5:5", "0:10"):
        t = result.car[result.car.window == window].t.to_numpy()
        assert len(t) == 300
        # t(118) has variance 1.017; 300 draws give a standard error of about 0.085 on the variance
        assert 0.8 < np.var(t, ddof=1) < 1.25, window
        assert abs(np.mean(t)) < 0.2
    p = result.car.p.to_numpy()
    assert 0.02 < np.mean(p < 0.05) < 0.09
    # the naive sqrt(L)*sigma convention is visibly inflated on long windows relative to ours
    sigma = result.results.set_index("event_id").sigma
    wide = result.car[result.car.window == "-5:5"].set_index("event_id")
    naive = wide.car / (np.sqrt(11) * sigma.loc[wide.index])
    assert np.var(naive, ddof=1) > np.var(wide.t, ddof=1)
