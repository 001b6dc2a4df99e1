"""Per-event statistics of each model against independent numpy computations of spec §4.1–4.3."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel, prices_for

EST = (-6, -1)
WINDOW = (0, 2)


def _one_event(stock, bench, model):
    """Run the study on one event whose estimation returns are the first 6 and event returns the last 3."""
    con = connect(":memory:")
    frame, dates = prices_for({"S": stock, "M": bench})
    insert_prices(con, frame)
    load_study_events(con, pd.DataFrame({"event_id": ["e"], "symbol": ["S"], "benchmark": ["M"],
                                         "study_date": [dates[6].date()]}))
    params = StudyParams(model=model, estimation=EST, window=WINDOW,
                         car_windows=((0, 0), (0, 2), (1, 2)), min_estimation=6)
    result = run_study(con, params)
    con.close()
    return result


def test_market_adjusted_hand_case():
    # sipemu's market-adjusted fixture: the index is constant over the estimation window
    stock = [0.012, 0.008, 0.015, 0.006, 0.011, 0.009, 0.030, -0.010, 0.020]
    bench = [0.010] * 6 + [0.012, -0.004, 0.008]
    result = _one_event(stock, bench, "market_adjusted")
    excess = np.array(stock) - np.array(bench)
    sigma = np.std(excess[:6], ddof=1)
    res = result.results.iloc[0]
    assert res.sigma == pytest.approx(sigma, rel=1e-12)
    assert (res.alpha, res.beta, res.df) == (0.0, 1.0, 5)
    np.testing.assert_allclose(result.ar.ar, excess[6:], atol=1e-15)
    np.testing.assert_allclose(result.ar.ar_se, sigma, rtol=1e-12)      # no estimation error: sigma^2
    car = result.car.set_index("window")
    assert car.loc["0:2", "car"] == pytest.approx(excess[6:].sum(), abs=1e-15)
    assert car.loc["0:2", "se"] == pytest.approx(sigma * np.sqrt(3), rel=1e-12)   # sigma^2 L
    assert car.loc["1:2", "t"] == pytest.approx(excess[7:].sum() / (sigma * np.sqrt(2)), rel=1e-12)


def test_constant_mean_hand_case():
    # sipemu's comparison-period-mean fixture: estimation mean exactly 0.01
    stock = [0.010, 0.014, 0.008, 0.012, 0.006, 0.010, 0.030, -0.005, 0.018]
    bench = [0.008, 0.012, 0.006, 0.010, 0.004, 0.008, 0.011, -0.002, 0.009]
    result = _one_event(stock, bench, "constant_mean")
    sigma = np.std(stock[:6], ddof=1)
    res = result.results.iloc[0]
    assert res.alpha == pytest.approx(0.01, abs=1e-15) and res.df == 5
    np.testing.assert_allclose(result.ar.ar, np.array(stock[6:]) - 0.01, atol=1e-15)
    np.testing.assert_allclose(result.ar.ar_se, sigma * np.sqrt(1 + 1 / 6), rtol=1e-12)
    car = result.car.set_index("window")
    # sigma^2 (L + L^2/M) with L = 3, M = 6
    assert car.loc["0:2", "se"] == pytest.approx(sigma * np.sqrt(3 + 9 / 6), rel=1e-12)
    assert car.loc["0:2", "t"] == pytest.approx((np.sum(stock[6:]) - 0.03) / (sigma * np.sqrt(4.5)), rel=1e-12)


def test_market_model_hand_case_full_variance_matrix_form():
    rng = np.random.default_rng(7)
    bench = rng.normal(0, 0.01, 9)
    stock = 0.001 + 0.8 * bench + rng.normal(0, 0.005, 9)
    result = _one_event(stock, bench, "market")
    x, y = bench[:6], stock[:6]
    X = np.column_stack([np.ones(6), x])
    theta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ theta
    s2 = resid @ resid / 4
    Xs = np.column_stack([np.ones(3), bench[6:]])
    V = s2 * (np.eye(3) + Xs @ np.linalg.inv(X.T @ X) @ Xs.T)      # spec §4.3 matrix form
    ar = stock[6:] - Xs @ theta
    np.testing.assert_allclose(result.ar.ar, ar, atol=1e-14)
    np.testing.assert_allclose(result.ar.ar_se, np.sqrt(np.diag(V)), rtol=1e-10)
    car = result.car.set_index("window")
    assert car.loc["0:2", "se"] == pytest.approx(np.sqrt(V.sum()), rel=1e-10)
    assert car.loc["1:2", "se"] == pytest.approx(np.sqrt(V[1:, 1:].sum()), rel=1e-10)
    np.testing.assert_allclose(result.ar.car_se, [np.sqrt(V[:k, :k].sum()) for k in (1, 2, 3)], rtol=1e-10)
    assert car.loc["0:2", "df"] == 4


def test_ols_parameters_equal_numpy_lstsq():
    con = connect(":memory:")
    frame = market_panel(8, 400, seed=3)
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    events = pd.DataFrame({"event_id": [f"e{i}" for i in range(8)], "symbol": [f"S{i:04d}" for i in range(8)],
                           "benchmark": "MKT", "study_date": [dates[300 + 7 * i] for i in range(8)]})
    load_study_events(con, events)
    result = run_study(con, StudyParams())
    wide = frame.pivot(index="date", columns="symbol", values="adj_close").sort_index()
    rets = wide.pct_change().iloc[1:]
    rets.index = pd.to_datetime(rets.index)
    for row in result.results.itertuples():
        pos = rets.index.get_loc(pd.Timestamp(row.day0))
        window = rets.iloc[pos - 250: pos - 10]
        X = np.column_stack([np.ones(len(window)), window["MKT"].to_numpy()])
        theta, ssr, *_ = np.linalg.lstsq(X, window[row.symbol].to_numpy(), rcond=None)
        assert row.n_estimation == 240
        assert row.alpha == pytest.approx(theta[0], abs=1e-10)
        assert row.beta == pytest.approx(theta[1], abs=1e-10)
        assert row.sigma == pytest.approx(np.sqrt(ssr[0] / 238), rel=1e-9)
    con.close()


def test_injected_abnormal_return_comes_back_exactly():
    rng = np.random.default_rng(11)
    bench = rng.normal(0, 0.01, 300)
    stock = 0.001 + 1.2 * bench
    day0 = 280
    stock[day0] += 0.05
    con = connect(":memory:")
    frame, dates = prices_for({"S": stock, "M": bench})
    insert_prices(con, frame)
    load_study_events(con, pd.DataFrame({"event_id": ["x"], "symbol": ["S"], "benchmark": ["M"],
                                         "study_date": [dates[day0].date()]}))
    result = run_study(con, StudyParams())
    res = result.results.iloc[0]
    assert res.alpha == pytest.approx(0.001, abs=1e-12) and res.beta == pytest.approx(1.2, abs=1e-10)
    car = result.car.set_index("window").car
    for window in ("0:0", "-1:1", "0:1", "0:5", "-5:5", "0:10"):
        assert car[window] == pytest.approx(0.05, abs=1e-9)
    ar = result.ar.set_index("day").ar
    assert ar[0] == pytest.approx(0.05, abs=1e-9)
    assert ar.drop(0).abs().max() < 1e-9
    con.close()


def test_models_differ_on_the_same_event():
    rng = np.random.default_rng(5)
    bench = rng.normal(0, 0.01, 300)
    stock = 0.0005 + 1.5 * bench + rng.normal(0, 0.01, 300)
    con = connect(":memory:")
    frame, dates = prices_for({"S": stock, "M": bench})
    insert_prices(con, frame)
    load_study_events(con, pd.DataFrame({"event_id": ["x"], "symbol": ["S"], "benchmark": ["M"],
                                         "study_date": [dates[280].date()]}))
    ar0 = {}
    for model in ("market", "market_adjusted", "constant_mean"):
        result = run_study(con, StudyParams(model=model))
        assert (result.results.model == model).all()
        ar0[model] = result.ar.set_index("day").ar[0]
    assert ar0["market_adjusted"] == pytest.approx(stock[280] - bench[280], abs=1e-12)
    assert ar0["constant_mean"] == pytest.approx(stock[280] - stock[30:270].mean(), abs=1e-12)
    assert len({round(v, 12) for v in ar0.values()}) == 3
    con.close()


def test_pairs_are_rebuilt_when_prices_or_pairs_change():
    rng = np.random.default_rng(21)
    bench = rng.normal(0, 0.01, 300)
    stock = 0.8 * bench + rng.normal(0, 0.01, 300)
    con = connect(":memory:")
    frame, dates = prices_for({"S": stock, "M": bench, "M2": bench * 0.5})
    insert_prices(con, frame)
    events = pd.DataFrame({"event_id": ["x"], "symbol": ["S"], "benchmark": ["M"], "study_date": [dates[280].date()]})
    load_study_events(con, events)
    first = run_study(con, StudyParams()).ar.set_index("day").ar
    again = run_study(con, StudyParams()).ar.set_index("day").ar          # reuses study_pairs
    pd.testing.assert_series_equal(first, again)
    # a corrected price on day 0 must show up: the return of day 0 rises by 10%
    con.execute("UPDATE prices SET adj_close = adj_close * 1.1 WHERE symbol = 'S' AND date >= ?", [dates[280].date()])
    changed = run_study(con, StudyParams()).ar.set_index("day").ar
    assert changed[0] - first[0] == pytest.approx(0.1 * (1 + stock[280]), abs=1e-9)
    assert changed[1] == pytest.approx(first[1], abs=1e-12)
    load_study_events(con, events.assign(benchmark="M2"))
    other = run_study(con, StudyParams()).results.iloc[0]
    # against M2 = M / 2 the slope doubles (estimation returns 30..269 are before the corrected prices)
    expected_beta = np.polyfit(bench[30:270] * 0.5, stock[30:270], 1)[0]
    assert other.benchmark == "M2" and other.beta == pytest.approx(expected_beta, rel=1e-9)
    con.close()
