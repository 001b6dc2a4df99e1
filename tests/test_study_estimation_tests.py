"""The estimation-window tests (Kolari-Pynnonen r, Corrado rank, generalized sign) on a panel where several events
share a symbol with staggered, overlapping estimation windows, per group, against a direct pandas/numpy computation
from per-(event, day) ARs built from the prices (tests/study_reference.py). The kernel takes shortcuts (integer rank
keys, step functions along the series for KP); these tests pin that it still equals the textbook computation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study import kernel
from tracker.study.synthetic import insert_prices, market_panel, prices_for

from study_reference import abnormal_returns

PARAMS = StudyParams(estimation=(-60, -6), window=(-3, 3), car_windows=((0, 0), (-1, 1), (0, 3)), min_estimation=30)


@pytest.fixture(scope="module", params=["market", "market_adjusted", "constant_mean"])
def study(request):
    # market-adjusted residuals have a non-zero mean: the KP u and the sign shares must still match
    params = replace(PARAMS, model=request.param)
    con = connect(":memory:")
    frame = market_panel(4, 260, seed=11)
    insert_prices(con, frame)
    dates = sorted(frame.date.unique())
    anchors = [70, 75, 90, 120, 121, 150, 180, 200, 230, 240, 95, 160]
    events = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(anchors))],
        "symbol": [f"S{i % 4:04d}" if i < 10 else "S0001" for i in range(len(anchors))],
        "benchmark": "MKT",
        "study_date": [dates[a] for a in anchors],
        "event_type": ["earnings", "guidance", "earnings"] * 4,
    })
    events["company"] = events.symbol.map({"S0000": "A", "S0001": "B", "S0002": "C", "S0003": "C"})
    load_study_events(con, events)
    result = run_study(con, params)
    abnormal = abnormal_returns(con, result)
    abnormal = abnormal[abnormal.in_aggregates]
    yield con, result, abnormal
    con.close()


def _groups(abnormal: pd.DataFrame):
    yield "all", "all", abnormal
    for kind in ("event_type", "company"):
        for value, rows in abnormal.groupby(kind):
            yield kind, value, rows


def _stat(result, kind, value, window, test):
    agg = result.aggregates
    row = agg[(agg.group_kind == kind) & (agg.group_value == value) & (agg.window == window) & (agg.test == test)]
    assert len(row) == 1
    return float(row.statistic.iloc[0])


def test_rank_sums_equal_rankdata_with_ties_and_gaps():
    rng = np.random.default_rng(8)
    values = np.round(rng.normal(0, 1, (300, 40)), 1)          # many ties
    values[::7] = rng.normal(0, 1, (len(values[::7]), 40))     # and rows without any
    has = np.ones(values.shape, dtype=bool)
    has[::5, :6] = False                                        # data starting late
    has[::3, -4:] = False                                       # and ending early
    # each row its own combination: the per-(combination, column) rank sums are the ranks themselves
    ranks = kernel._rank_sums(values.copy(), has, has.sum(axis=1), np.arange(len(values)), len(values))
    expected = np.where(has, rankdata(np.where(has, values, np.nan), method="average", axis=1, nan_policy="omit"), 0)
    np.testing.assert_array_equal(ranks, expected)


def test_kp_correlation_per_group_matches_pairwise_definition(study):
    _, result, abnormal = study
    checked = 0
    for kind, value, rows in _groups(abnormal):
        est = rows[rows.in_est]
        u = est.assign(u=est.groupby("ev").ar.transform(lambda a: (a - a.mean()) / np.sqrt(((a - a.mean()) ** 2).sum())))
        wide = u.pivot(index="date", columns="ev", values="u").fillna(0.0).to_numpy()
        n = wide.shape[1]
        if n < 2:
            continue
        corr = wide.T @ wide                     # sum over shared dates of u_i u_j
        r = (corr.sum() - np.trace(corr)) / (n * (n - 1))
        factor = np.sqrt((1 - r) / (1 + (n - 1) * r))
        for window in ("0:0", "-1:1"):
            ratio = _stat(result, kind, value, window, "kp_bmp_t") / _stat(result, kind, value, window, "bmp_t")
            assert ratio == pytest.approx(factor, rel=1e-9), (kind, value, window)
        checked += 1
    assert checked >= 4


def test_rank_test_per_group_matches_rankdata(study):
    _, result, abnormal = study
    for kind, value, rows in _groups(abnormal):
        d = rows.assign(d=rows.groupby("ev").ar.transform(lambda a: rankdata(a) - (len(a) + 1) / 2))
        dbar = d.groupby("day").d.mean()
        s_d = np.sqrt(np.mean(dbar.to_numpy() ** 2))
        for window, (a, b) in {"0:0": (0, 0), "-1:1": (-1, 1), "0:3": (0, 3)}.items():
            expected = dbar.loc[a:b].sum() / (np.sqrt(b - a + 1) * s_d)
            assert _stat(result, kind, value, window, "corrado_rank_z") == pytest.approx(expected, rel=1e-12)


def test_generalized_sign_per_group_uses_event_shares(study):
    _, result, abnormal = study
    shares = abnormal[abnormal.in_est].groupby("ev").ar.apply(lambda a: (a > 0).mean())
    car = result.car[result.car.window == "-1:1"].merge(
        result.results[["event_id", "symbol", "event_type"]], on=["event_id", "symbol"])
    evs = abnormal.groupby(["event_type"]).ev.unique()
    for event_type, rows in car.groupby("event_type"):
        p_hat = shares.loc[evs[event_type]].mean()
        w, n = (rows.car > 0).sum(), len(rows)
        expected = (w - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat))
        assert _stat(result, "event_type", event_type, "-1:1", "gen_sign_z") == pytest.approx(expected, rel=1e-12)


def test_ranks_average_ties_and_follow_ragged_windows():
    # returns on a 1% grid repeat (return, benchmark return) pairs, so ARs tie; the first event has only 39 of its
    # 55 estimation days and the last one's data ends inside the event window
    rng = np.random.default_rng(5)
    market = np.round(rng.normal(0.0, 0.01, 160), 2)
    stocks = {f"S{i}": np.round(0.8 * market + rng.normal(0.0, 0.01, 160), 2) for i in range(3)}
    frame, dates = prices_for({"MKT": market, **stocks})
    con = connect(":memory:")
    insert_prices(con, frame)
    anchors = {"S0": [45, 120], "S1": [80], "S2": [100, 158]}
    rows = [(s, a) for s, days in anchors.items() for a in days]
    load_study_events(con, pd.DataFrame({
        "event_id": [f"e{i}" for i in range(len(rows))], "symbol": [s for s, _ in rows], "benchmark": "MKT",
        "study_date": [dates[a] for _, a in rows], "event_type": "earnings", "company": [s for s, _ in rows],
    }))
    result = run_study(con, PARAMS)
    abnormal = abnormal_returns(con, result)
    assert abnormal.groupby("ev").ar.apply(lambda a: a.duplicated().any()).all()
    assert abnormal.groupby("ev").day.min().max() > PARAMS.estimation[0]           # a ragged estimation window
    d = abnormal.assign(d=abnormal.groupby("ev").ar.transform(lambda a: rankdata(a) - (len(a) + 1) / 2))
    dbar = d.groupby("day").d.mean()
    s_d = np.sqrt(np.mean(dbar.to_numpy() ** 2))
    z = dbar.loc[-1:1].sum() / (np.sqrt(3) * s_d)
    assert _stat(result, "all", "all", "-1:1", "corrado_rank_z") == pytest.approx(z, rel=1e-12)
    con.close()
