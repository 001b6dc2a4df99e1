"""`tracker study --format csv` builds its table in DuckDB from the result tables; it must print what the
DataFrame path (read_result, then the CLI's pivot and the renderer) prints, flags and missing values included."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.cli import _study_table
from tracker.formatting import render, render_relation_csv
from tracker.study import StudyParams, load_study_events, read_result, run_study
from tracker.study.synthetic import insert_prices, market_panel
from tracker.study.table import study_table


def test_the_sql_table_prints_what_the_dataframe_path_prints(con):
    frame = market_panel(6, 400, seed=3)
    insert_prices(con, frame)
    dates = sorted(frame["date"].unique())
    rng = np.random.default_rng(5)
    anchors = [dates[i] for i in rng.integers(260, 390, 30)]
    events = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(30)] + ["early", "nosuch"],
        "symbol": [f"S{i % 6:04d}" for i in range(30)] + ["S0001", "NOPE"],
        "benchmark": "MKT",
        "study_date": anchors + [dates[20], dates[300]],     # too little estimation data; a symbol without prices
        "company": "c, with a comma",
        "event_type": np.where(np.arange(32) % 2, "earnings", "guid\"ance"),
    })
    load_study_events(con, events)
    params = StudyParams(car_windows=((0, 0), (-1, 1), (0, 5), (-20, 20)))   # the last is outside the window
    run_study(con, params, fetch=False)
    fast = render_relation_csv(study_table(con, params))
    slow = render(_study_table(read_result(con, params)), "csv")
    assert fast == slow
    header = fast.splitlines()[0]
    assert "CAR[-1:1]" in header and "CAR[-20:20]" not in header
    flagged = [line for line in fast.splitlines() if line.startswith(("early,", "nosuch,"))]
    assert len(flagged) == 2 and all(not line.endswith(",") for line in flagged)
