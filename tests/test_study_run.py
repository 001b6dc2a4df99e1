"""A study run replaces its tables in one transaction: a failure half-way keeps the previous run whole; the steps run
in file order and leave only the result tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tracker.study.kernel as kernel
import tracker.study.run as run
from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import business_days, insert_prices, prices_from_returns

RESULT_TABLES = ("study_params", "study_results", "study_ar", "study_car", "study_aggregates", "study_aar")


def _snapshot(con):
    tables = {}
    for t in RESULT_TABLES:
        frame = con.execute(f"SELECT * FROM {t}").df()
        tables[t] = frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)
    ddl = dict(con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE table_name LIKE 'study_%'").fetchall())
    return tables, ddl


def _two_event_study():
    rng = np.random.default_rng(3)
    dates = business_days("2020-01-01", 400)
    market = rng.normal(0, 0.01, 399)
    con = connect(":memory:")
    insert_prices(con, pd.concat([prices_from_returns("M", market, dates),
                                  prices_from_returns("A", market + rng.normal(0, 0.01, 399), dates)]))
    load_study_events(con, pd.DataFrame({"event_id": ["e1", "e2"], "symbol": "A", "benchmark": "M",
                                         "study_date": [dates[300].date(), dates[350].date()],
                                         "event_type": "earnings", "company": "acme"}))
    run_study(con, StudyParams())
    return con


def _broken(*_args, **_kwargs):
    raise RuntimeError("disk full")


@pytest.mark.parametrize("where", [
    (kernel, "fit"),              # after the SQL steps before the kernel
    (kernel, "aggregate"),        # after study_ar, study_car and study_results are rebuilt
])
def test_a_failing_run_keeps_the_previous_study(monkeypatch, where):
    con = _two_event_study()
    before_tables, before_ddl = _snapshot(con)
    assert len(before_tables["study_ar"]) == 42 and len(before_tables["study_aggregates"]) > 0
    monkeypatch.setattr(*where, _broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run_study(con, StudyParams(window=(-5, 5), car_windows=((0, 0),)))
    after_tables, after_ddl = _snapshot(con)
    assert after_ddl == before_ddl
    for table in RESULT_TABLES:
        pd.testing.assert_frame_equal(after_tables[table], before_tables[table], obj=table)
    assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
    monkeypatch.undo()
    again = run_study(con, StudyParams())                 # and the connection still runs studies
    assert len(again.ar) == 42
    con.close()


def test_steps_are_numbered_in_run_order_and_leave_only_result_tables():
    names = [name for name, _ in run.steps()]
    assert names[0] == "study_params" and names[-2:] == ["study_aggregates", "study_aar"]
    assert names.index("study_results") > names.index("study_flags") > names.index("study_ar")
    files = [path.name for _, path in run.steps()]
    assert len({f.split("_", 1)[0] for f in files}) == len(files), "two steps share a number"
    con = _two_event_study()
    stored = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'study_%' AND NOT temporary").fetchall()}
    assert stored == set(RESULT_TABLES) | {"study_events"}
    con.close()


def test_a_file_database_keeps_the_results_after_reopening(tmp_path):
    path = tmp_path / "t.duckdb"
    rng = np.random.default_rng(4)
    dates = business_days("2020-01-01", 300)
    market = rng.normal(0, 0.01, 299)
    con = connect(path)
    insert_prices(con, pd.concat([prices_from_returns("M", market, dates),
                                  prices_from_returns("A", market + rng.normal(0, 0.01, 299), dates)]))
    load_study_events(con, pd.DataFrame({"event_id": ["e1"], "symbol": "A", "benchmark": "M",
                                         "study_date": [dates[280].date()], "event_type": "earnings",
                                         "company": "acme"}))
    first = run_study(con, StudyParams())
    con.close()
    again = connect(path)
    pd.testing.assert_frame_equal(again.execute("SELECT * EXCLUDE (ev) FROM study_results").df(), first.results)
    assert again.execute("SELECT count(*) FROM study_car").fetchone()[0] == 6
    again.close()
