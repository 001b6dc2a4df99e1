"""The CAR path in study_ar and the window CARs in study_car come from running sums (study_pairs' cumulative
returns, no per-event sort); they must equal the plain sums of the day's ARs, also when the data ends inside the
event window (an event whose data starts inside it has no estimation window, hence no ARs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel

PARAMS = StudyParams(estimation=(-60, -6), window=(-5, 5), car_windows=((0, 0), (-1, 1), (-5, 5), (2, 5)),
                     min_estimation=3)


@pytest.fixture(scope="module")
def result():
    con = connect(":memory:")
    frame = market_panel(3, 200, seed=3)
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    anchors = [3, 40, 90, 150, 197]            # the first and last windows run off the data
    load_study_events(con, pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(anchors))], "symbol": [f"S{i % 3:04d}" for i in range(len(anchors))],
        "benchmark": "MKT", "study_date": [dates[a] for a in anchors], "event_type": "earnings",
        "company": [f"S{i % 3:04d}" for i in range(len(anchors))],
    }))
    yield run_study(con, PARAMS)
    con.close()


def test_car_path_is_the_running_sum_of_the_ars(result):
    ar = result.ar.sort_values(["event_id", "symbol", "day"])
    assert ar.groupby("event_id").day.min().max() > PARAMS.window[0] or ar.groupby("event_id").day.max().min() < 5
    expected = ar.groupby(["event_id", "symbol"]).ar.cumsum()
    np.testing.assert_allclose(ar.car, expected, rtol=1e-12, atol=1e-15)


def test_window_cars_are_sums_of_the_window_ars(result):
    ar = result.ar
    checked = 0
    for row in result.car.itertuples():
        days = ar[(ar.event_id == row.event_id) & (ar.symbol == row.symbol)
                  & ar.day.between(row.win_start, row.win_end) & ar.ar.notna()]
        full = len(days) == row.win_end - row.win_start + 1
        assert row.covered == full and row.n_days == len(days)
        if full:
            assert row.car == pytest.approx(days.ar.sum(), rel=1e-12, abs=1e-15)
            checked += 1
        else:
            assert np.isnan(row.car)
    assert checked >= 10
