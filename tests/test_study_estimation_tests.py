"""The estimation-window tests (Kolari-Pynnonen r, Corrado rank, generalized sign) on a panel where several events
share a symbol with staggered, overlapping estimation windows, per group, against a direct numpy computation from
the per-(event, day) ARs of study_abnormal. The SQL takes shortcuts (per-group-number sums, running sums of window
steps for KP); these tests pin that it still equals the textbook per-event computation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel, prices_for

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
    abnormal = con.execute(
        "SELECT a.ev, a.day, a.date, a.ar, a.in_est, g.event_type, g.company "
        "FROM study_abnormal a JOIN study_event_groups g USING (ev) ORDER BY a.ev, a.day").df()
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


def test_estimation_pass_tables_match_study_abnormal(study):
    con, _, abnormal = study
    per_event = con.execute("SELECT ev, n_est, p_pos, mean_est, norm_est FROM study_est_events ORDER BY ev").df()
    est = abnormal[abnormal.in_est].groupby("ev").ar
    assert per_event.ev.tolist() == sorted(abnormal.ev.unique())
    np.testing.assert_array_equal(per_event.n_est, est.count().to_numpy())
    np.testing.assert_allclose(per_event.p_pos, est.apply(lambda a: (a > 0).mean()).to_numpy(), rtol=1e-15)
    np.testing.assert_allclose(per_event.mean_est, est.mean().to_numpy(), atol=1e-17)
    np.testing.assert_allclose(per_event.norm_est, est.apply(lambda a: np.sqrt(((a - a.mean()) ** 2).sum())), rtol=1e-12)
    # rank deviations per (g, day): exact sums of multiples of 1/2, one row per day some event of the group has
    groups = con.execute("SELECT ev, g FROM study_event_groups").df()
    d = abnormal.merge(groups, on="ev")
    d = d.assign(d=d.groupby("ev").ar.transform(lambda a: rankdata(a) - (len(a) + 1) / 2))
    expected = d.groupby(["g", "day"]).agg(sum_d=("d", "sum"), n=("d", "size")).reset_index()
    stored = con.execute("SELECT g, day, sum_d, n FROM study_rank_days ORDER BY g, day").df()
    assert stored.sum_d.tolist() == expected.sum_d.tolist()
    assert stored[["g", "day", "n"]].astype("int64").values.tolist() == expected[["g", "day", "n"]].astype("int64").values.tolist()


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
    abnormal = con.execute(
        "SELECT a.ev, a.day, a.ar, g.g FROM study_abnormal a JOIN study_event_groups g USING (ev)").df()
    assert abnormal.groupby("ev").ar.apply(lambda a: a.duplicated().any()).all()
    assert abnormal.groupby("ev").day.min().max() > PARAMS.estimation[0]           # a ragged estimation window
    d = abnormal.assign(d=abnormal.groupby("ev").ar.transform(lambda a: rankdata(a) - (len(a) + 1) / 2))
    expected = d.groupby(["g", "day"]).d.sum()
    stored = con.execute("SELECT g, day, sum_d FROM study_rank_days").df().set_index(["g", "day"]).sum_d
    assert stored.sort_index().to_dict() == expected.to_dict()
    dbar = d.groupby("day").d.mean()
    s_d = np.sqrt(np.mean(dbar.to_numpy() ** 2))
    z = dbar.loc[-1:1].sum() / (np.sqrt(3) * s_d)
    assert _stat(result, "all", "all", "-1:1", "corrado_rank_z") == pytest.approx(z, rel=1e-12)
    con.close()


def test_small_blocks_give_the_same_statistics(study, monkeypatch):
    # a block takes at least _BLOCK events and ends where a company ends, so no company is split
    con, result, _ = study
    import tracker.study.estimation_pass as estimation_pass
    monkeypatch.setattr(estimation_pass, "_BLOCK", 2)
    assert estimation_pass._blocks(np.array([0, 0, 0, 1, 2, 2, 3])) == [(0, 3), (3, 6), (6, 7)]
    again = run_study(con, result.params).aggregates
    merged = result.aggregates.merge(again, on=["group_kind", "group_value", "window", "test"])
    assert len(merged) == len(result.aggregates)
    np.testing.assert_allclose(merged.statistic_x, merged.statistic_y, rtol=1e-12, equal_nan=True)
