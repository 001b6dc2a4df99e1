"""A study run replaces its tables in one transaction: a failure half-way keeps the previous run whole."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import tracker.study.estimation_pass as estimation_pass
import tracker.study.run as run
from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import business_days, insert_prices, prices_from_returns

STUDY_TABLES = ("study_anchor", "study_fit", "study_ar_rows", "study_results", "study_event_groups",
                "study_car_rows", "study_aar", "study_est_events", "study_rank_days", "study_kp_sums",
                "study_aggregates")


def _snapshot(con):
    tables = {t: con.execute(f"SELECT * FROM {t}").df().sort_values(list(con.execute(
        f"SELECT * FROM {t} LIMIT 0").df().columns)[:3]).reset_index(drop=True) for t in STUDY_TABLES}
    ddl = dict(con.execute(
        "SELECT table_name, sql FROM duckdb_tables() WHERE table_name LIKE 'study_%'").fetchall())
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
    (run, "start_estimation_pass"),              # before the pass starts
    (run, "_write_car"),                          # while the pass runs on its threads
    (estimation_pass, "_block_pass"),            # inside a block on a worker thread
])
def test_a_failing_run_keeps_the_previous_study(monkeypatch, where):
    con = _two_event_study()
    before_tables, before_ddl = _snapshot(con)
    assert len(before_tables["study_ar_rows"]) == 42 and len(before_tables["study_aggregates"]) > 0
    threads = threading.active_count()
    monkeypatch.setattr(*where, _broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run_study(con, StudyParams(window=(-5, 5), car_windows=((0, 0),)))
    assert threading.active_count() == threads                # no worker left behind
    after_tables, after_ddl = _snapshot(con)
    assert after_ddl == before_ddl
    for table in STUDY_TABLES:
        pd.testing.assert_frame_equal(after_tables[table], before_tables[table], obj=table)
    monkeypatch.undo()
    again = run_study(con, StudyParams())                 # and the connection still runs studies
    assert len(again.ar) == 42
    con.close()


def test_a_run_keeps_every_table_definition():
    """Each run replaces its tables by empty ones made from their own CREATE statement: the definitions the
    migrations wrote (types, NOT NULL) must come out unchanged."""
    rng = np.random.default_rng(4)
    dates = business_days("2020-01-01", 300)
    market = rng.normal(0, 0.01, 299)
    con = connect(":memory:")
    ddl = dict(con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())
    insert_prices(con, pd.concat([prices_from_returns("M", market, dates),
                                  prices_from_returns("A", market + rng.normal(0, 0.01, 299), dates)]))
    load_study_events(con, pd.DataFrame({"event_id": ["e1"], "symbol": "A", "benchmark": "M",
                                         "study_date": [dates[280].date()], "event_type": "earnings",
                                         "company": "acme"}))
    run_study(con, StudyParams())
    after = dict(con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())
    assert after.keys() == ddl.keys()
    for table in STUDY_TABLES + ("study_pairs",):
        assert after[table] == ddl[table], table
    con.close()
