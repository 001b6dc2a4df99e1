"""DESIGN §7 JSON, and a run on the real shared prices."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tracker.study import StudyParams, load_study_events, run_study, to_json
from tracker.study.synthetic import insert_prices, market_panel

KEYS = ["event_id", "symbol", "company", "event_type", "label", "benchmark", "day0", "model", "alpha", "beta", "sigma", "n_estimation", "ar", "car",
        "flags", "flag_reasons"]


def test_json_shape(con):
    frame = market_panel(2, 320, seed=9)
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    load_study_events(con, pd.DataFrame({
        "event_id": ["e1", "e2", "e3"], "symbol": ["S0000", "S0001", "NOPE"], "benchmark": "MKT",
        "study_date": [dates[300], dates[315], dates[300]], "company": ["acme", "acme", None],
        "event_type": ["earnings", "contract", None], "label": ["Q3 results", None, None],
    }))
    result = run_study(con, StudyParams())
    objects = to_json(result)
    text = json.dumps(objects, allow_nan=False)          # NaN must have become null
    assert len(objects) == 3 and all(list(o) == KEYS for o in objects)
    by_id = {o["event_id"]: o for o in objects}
    first = by_id["e1"]
    assert first["day0"] == dates[300].isoformat() and first["model"] == "market"
    assert (first["company"], first["event_type"], first["label"]) == ("acme", "earnings", "Q3 results")
    assert by_id["e2"]["label"] is None and by_id["e3"]["company"] is None
    assert len(first["ar"]) == 21 and list(first["ar"][0]) == ["day", "date", "ret", "bench_ret", "ar"]
    assert [a["day"] for a in first["ar"]] == list(range(-10, 11))
    assert list(first["car"]) == ["0:0", "-1:1", "0:1", "0:5", "-5:5", "0:10"]
    assert set(first["car"]["0:0"]) == {"car", "se", "t", "p"}
    assert first["car"]["0:0"]["car"] == pytest.approx(first["ar"][10]["ar"], abs=1e-15)
    truncated = by_id["e2"]
    assert truncated["flags"] == ["window_truncated"] and truncated["car"]["0:10"]["car"] is None
    missing = by_id["e3"]
    assert missing["flags"] == ["missing_prices"] and missing["ar"] == [] and missing["alpha"] is None
    assert missing["flag_reasons"] == ["no prices for NOPE"]
    assert {o["event_id"]: o["n_estimation"] for o in json.loads(text)} == {"e1": 240, "e2": 240, "e3": 0}


def test_real_prices_alibaba_september_2025(con, shared_prices):
    from tracker.prices import import_csv_dir

    import_csv_dir(con, shared_prices, ["BABA", "SPY", "9988.HK", "^HSI"])
    load_study_events(con, pd.DataFrame({
        "event_id": ["cloud", "cloud", "later"], "symbol": ["BABA", "9988.HK", "BABA"],
        "benchmark": ["SPY", "^HSI", "SPY"], "company": "alibaba", "event_type": "earnings",
        "study_date": [date(2025, 9, 24), date(2025, 9, 24), date(2025, 9, 27)],  # a Saturday
    }))
    result = run_study(con, StudyParams())
    res = result.results.set_index(["event_id", "symbol"])
    assert pd.Timestamp(res.loc[("later", "BABA"), "day0"]).date() == date(2025, 9, 29)   # next joined session
    assert (res.n_estimation == 240).all()
    assert 0.3 < res.loc[("cloud", "BABA"), "beta"] < 3
    assert list(res.loc[("cloud", "BABA"), "flags"]) == ["overlap"]
    car = result.car.set_index(["event_id", "symbol", "window"])
    assert np.isfinite(car.loc[("cloud", "BABA", "0:0"), "t"])
