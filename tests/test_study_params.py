"""Study parameters: validation, CAR windows outside the event window, switching the estimation-window tests off."""

from __future__ import annotations

import pandas as pd
import pytest

from tracker.errors import TrackerError
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel


@pytest.mark.parametrize("kwargs, message", [
    ({"model": "capm"}, "unknown study model"),
    ({"estimation": (-11, -250)}, "start <= end"),
    ({"estimation": (-250, 0)}, "overlaps the event window -10:10: it must end before day -10; pass --estimation=-261:-11"),
    ({"min_estimation": 2}, "at least 3"),
    ({"window": ("a", 3)}, "two whole numbers"),
])
def test_invalid_parameters_say_what_to_fix(kwargs, message):
    with pytest.raises(TrackerError, match=message):
        StudyParams(**kwargs).validate()


def test_car_windows_outside_the_event_window_are_left_out():
    params = StudyParams(window=(-3, 3))
    assert params.effective_car_windows() == ((0, 0), (-1, 1), (0, 1))
    assert StudyParams(window=(5, 8)).effective_car_windows() == ((5, 8),)
    assert StudyParams(estimation=[-200, -20], window=[-5, 5]).estimation == (-200, -20)


def test_no_events_gives_empty_outputs(con):
    insert_prices(con, market_panel(1, 30, seed=1))
    result = run_study(con, StudyParams())
    assert result.results.empty and result.car.empty and result.aggregates.empty and result.aar.empty


def test_estimation_tests_off_leaves_parametric_tests(con):
    frame = market_panel(6, 320, seed=4)
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    load_study_events(con, pd.DataFrame({
        "event_id": [f"e{i}" for i in range(6)], "symbol": [f"S{i:04d}" for i in range(6)], "benchmark": "MKT",
        "study_date": [dates[290]] * 6,
    }))
    full = run_study(con, StudyParams()).aggregates
    fast = run_study(con, StudyParams(estimation_tests=False)).aggregates
    assert con.execute("SELECT estimation_tests FROM study_params").fetchall() == [(False,)]
    key = ["group_kind", "group_value", "window", "test"]
    merged = full.merge(fast, on=key, suffixes=("_full", "_fast"))
    skipped = merged.test.isin(["kp_bmp_t", "corrado_rank_z", "gen_sign_z"])
    assert merged[skipped].statistic_fast.isna().all()
    assert merged[skipped & (merged.group_kind == "all")].statistic_full.notna().all()
    assert merged[skipped].convention_fast.str.startswith("not computed: estimation_tests is off").all()
    pd.testing.assert_series_equal(merged[~skipped].statistic_full, merged[~skipped].statistic_fast,
                                   check_names=False)
