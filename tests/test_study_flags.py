"""Flags with reasons, aggregate membership, truncated windows and small-N aggregates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tracker.db import connect
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import business_days, insert_prices, prices_from_returns

N_DAYS = 400


@pytest.fixture(scope="module")
def world():
    rng = np.random.default_rng(2)
    dates = business_days("2020-01-01", N_DAYS + 1)
    market = rng.normal(0, 0.01, N_DAYS)
    frames = [prices_from_returns("M", market, dates)]
    for name in ("A", "B", "C"):
        frames.append(prices_from_returns(name, 0.9 * market + rng.normal(0, 0.01, N_DAYS), dates))
    late = prices_from_returns("NEW", rng.normal(0, 0.01, N_DAYS), dates)
    frames.append(late[late.date >= dates[250].date()])          # first price on day 250
    gap = prices_from_returns("M2", market, dates)
    frames.append(gap[gap.date != dates[321].date()])           # benchmark without a price on one session
    con = connect(":memory:")
    insert_prices(con, pd.concat(frames, ignore_index=True))
    d = lambda i: dates[i].date()  # noqa: E731
    rows = [
        # event_id, symbol, benchmark, study_date, day0, event_type, company, listed_since, background
        ("a1", "A", "M", d(300), None, "earnings", "acme", None, False),
        ("a2", "A", "M", d(304), None, "earnings", "acme", None, False),
        ("b1", "B", "M", d(300), None, "guidance", "beta", d(100), False),
        ("c1", "C", "M", d(310), None, "stock_move", "gamma", None, False),
        ("n1", "NEW", "M", d(300), None, "guidance", "newco", None, False),
        ("l1", "B", "M", d(200), None, "ipo", "beta2", d(250), False),
        ("g1", "GHOST", "M", d(300), None, "earnings", "ghost", None, False),
        ("x1", "C", "NOIDX", d(300), None, "earnings", "gamma2", None, False),
        ("z1", "C", "M", date(2030, 1, 1), None, "earnings", "gamma3", None, False),
        ("m1", "C", "M2", d(321), d(321), "earnings", "gamma4", None, False),
        ("t1", "B", "M", d(N_DAYS - 3), None, "guidance", "beta3", None, False),
        ("k1", "C", "M", d(150), None, "founding", "gamma5", None, True),
    ]
    columns = ["event_id", "symbol", "benchmark", "study_date", "day0", "event_type", "company",
               "listed_since", "background"]
    load_study_events(con, pd.DataFrame(rows, columns=columns))
    yield con, dates
    con.close()


@pytest.fixture(scope="module")
def result(world):
    con, _ = world
    return run_study(con, StudyParams())


def _row(result, event_id):
    row = result.results.set_index("event_id").loc[event_id].to_dict()
    assert len(row["flags"]) == len(row["flag_reasons"])
    return pd.Series(row).rename({"flags": "flag_list"})


def test_clean_event_has_no_flags(result):
    row = _row(result, "b1")
    assert list(row.flag_list) == [] and row.in_aggregates and row.n_estimation == 240


def test_overlap_names_the_other_event(result, world):
    _, dates = world
    for me, other in (("a1", 304), ("a2", 300)):
        row = _row(result, me)
        assert list(row.flag_list) == ["overlap"]
        assert row.flag_reasons[0] == f"another acme event on {dates[other].date()} (earnings) inside [-10,+10]"
        assert row.in_aggregates                      # overlap is reported, not excluded


def test_not_listed(result, world):
    _, dates = world
    row = _row(result, "l1")
    assert "not_listed" in list(row.flag_list) and not row.in_aggregates
    assert row.flag_reasons[list(row.flag_list).index("not_listed")] == (
        f"study date {dates[200].date()} is before B was listed on {dates[250].date()}")


def test_insufficient_estimation_counts_returns(result):
    row = _row(result, "n1")
    assert list(row.flag_list) == ["insufficient_estimation"] and not row.in_aggregates
    # NEW's first return is on day 251, day 0 is day 300: returns on 251..289 are in [-250,-11]
    assert row.n_estimation == 39
    assert row.flag_reasons[0] == "only 39 valid returns in the estimation window [-250,-11] (need 120)"
    assert result.car[result.car.event_id == "n1"].car.notna().all()   # still computed and shown


def test_missing_prices_reasons(result, world):
    _, dates = world
    reasons = {e: _row(result, e) for e in ("g1", "x1", "z1", "m1")}
    for row in reasons.values():
        assert "missing_prices" in list(row.flag_list) and not row.in_aggregates
    assert reasons["g1"].flag_reasons[0] == "no prices for GHOST"
    assert reasons["x1"].flag_reasons[0] == "no prices for the benchmark NOIDX"
    assert reasons["z1"].flag_reasons[0].startswith("no joined session of C and M on or after 2030-01-01")
    assert reasons["m1"].flag_reasons[0] == (
        f"day 0 moved from {dates[321].date()} to {dates[322].date()}: C or M2 has no price on {dates[321].date()}")
    assert pd.Timestamp(reasons["m1"].day0).date() == dates[322].date()
    for e in ("g1", "x1", "z1"):
        car = result.car[result.car.event_id == e]
        assert len(car) == 6 and not car.covered.any() and car.car.isna().all()


def test_window_truncated_keeps_covered_windows(result, world):
    _, dates = world
    row = _row(result, "t1")
    assert list(row.flag_list) == ["window_truncated"] and row.in_aggregates
    assert row.flag_reasons[0] == f"prices end on {dates[N_DAYS].date()} at day +3, inside the event window [-10,+10]"
    car = result.car[result.car.event_id == "t1"].set_index("window")
    assert car.loc[["0:0", "-1:1", "0:1"], "covered"].all() and car.loc[["0:0", "-1:1", "0:1"], "car"].notna().all()
    assert not car.loc[["0:5", "-5:5", "0:10"], "covered"].any()
    assert car.loc[["0:5", "-5:5", "0:10"], "car"].isna().all()
    assert result.ar[result.ar.event_id == "t1"].day.max() == 3


def test_background_and_stock_moves_are_shown_not_aggregated(result, world):
    row = _row(result, "k1")
    assert list(row.flag_list) == ["background"] and not row.in_aggregates
    stock_move = _row(result, "c1")
    assert list(stock_move.flag_list) == [] and not stock_move.in_aggregates
    assert len(result.results) == 12                    # nothing silently dropped
    con, _ = world
    with_moves = run_study(con, StudyParams(include_stock_moves=True))
    assert with_moves.results.set_index("event_id").loc["c1", "in_aggregates"]


def test_aggregate_counts_and_small_groups(result):
    agg = result.aggregates
    in_agg = set(result.results[result.results.in_aggregates].event_id)
    assert in_agg == {"a1", "a2", "b1", "t1"}
    all_00 = agg[(agg.group_kind == "all") & (agg.window == "0:0")]
    assert set(all_00.test) == {"csect_t", "patell_z", "bmp_t", "kp_bmp_t", "corrado_rank_z", "gen_sign_z"}
    assert (all_00.n == 4).all()
    assert (agg[(agg.group_kind == "all") & (agg.window == "0:10")].n == 3).all()   # t1 not covered there
    # N = 1 (company beta): no cross-sectional t, with the reason; Patell still works
    one = agg[(agg.group_kind == "company") & (agg.group_value == "beta") & (agg.window == "0:0")].set_index("test")
    assert (one.n == 1).all()
    for test in ("csect_t", "bmp_t", "kp_bmp_t"):
        assert pd.isna(one.loc[test, "statistic"]) and pd.isna(one.loc[test, "p"])
        assert "not computed" in one.loc[test, "convention"]
    assert np.isfinite(one.loc["patell_z", "statistic"]) and 0 <= one.loc["patell_z", "p"] <= 1
    # N = 2 (company acme): everything computes
    two = agg[(agg.group_kind == "company") & (agg.group_value == "acme") & (agg.window == "-1:1")].set_index("test")
    assert (two.n == 2).all() and two.loc[["csect_t", "bmp_t", "kp_bmp_t"], "statistic"].notna().all()
    assert set(agg.group_kind) == {"all", "event_type", "company"}


def test_aar_path_has_caar_band(result):
    aar = result.aar[result.aar.group_kind == "all"].set_index("day")
    assert list(aar.index) == list(range(-10, 11))
    assert aar.loc[0, "n"] == 4 and aar.loc[10, "n"] == 3
    assert (aar.caar_se > 0).all()
    ar = result.ar[result.ar.event_id.isin(["a1", "a2", "b1", "t1"])]
    assert aar.loc[0, "aar"] == pytest.approx(ar[ar.day == 0].ar.mean(), abs=1e-15)


@pytest.mark.parametrize("window", [(-10, 10), (-40, 30)])
def test_overlap_matches_a_brute_force_search(window):
    """Many events of few companies over two listings each (some on both listings, some on dates without a session,
    some on a symbol with no prices): every overlap reason lists exactly the other events of the company whose date lies between the
    first and last dates of the event window, whatever calendar buckets the windows cross."""
    rng = np.random.default_rng(7)
    dates = business_days("2019-01-01", 700)
    market = rng.normal(0, 0.01, 699)
    symbols = ["A1", "A2", "B1", "B2", "C1"]
    frames = [prices_from_returns("M", market, dates)]
    frames += [prices_from_returns(s, market + rng.normal(0, 0.01, 699), dates) for s in symbols]
    con = connect(":memory:")
    insert_prices(con, pd.concat(frames, ignore_index=True))
    listing = {"A1": "a", "A2": "a", "B1": "b", "B2": "b", "C1": "c", "GONE": "c"}
    rows = []
    for i in range(160):
        symbol = rng.choice(list(listing))
        day = dates[int(rng.integers(260, 690))].date() + pd.Timedelta(days=int(rng.integers(0, 2)))
        event_type = rng.choice(["earnings", "guidance"])
        rows.append((f"e{i:03d}", symbol, "M", day, event_type, listing[symbol]))
        twin = {"A1": "A2", "A2": "A1", "B1": "B2", "B2": "B1"}.get(symbol)
        if twin and i % 3 == 0:                      # the same event on the company's other listing
            rows.append((f"e{i:03d}", twin, "M", day, event_type, listing[symbol]))
    load_study_events(con, pd.DataFrame(rows, columns=["event_id", "symbol", "benchmark", "study_date",
                                                       "event_type", "company"]))
    result = run_study(con, StudyParams(estimation=(-250, window[0] - 1), window=window, car_windows=((0, 0),)))
    res = result.results
    when = {r.event_id: pd.Timestamp(r.day0 if pd.notna(r.day0) else r.study_date).date() for r in res.itertuples()}
    ar = result.ar.assign(date=lambda f: pd.to_datetime(f.date).dt.date)
    checked = 0
    for r in res.itertuples():
        mine = ar[(ar.event_id == r.event_id) & (ar.symbol == r.symbol)]
        first = mine[mine.day == window[0]].date
        day0 = pd.Timestamp(r.day0).date() if pd.notna(r.day0) else None
        lo = first.iloc[0] if len(first) else day0
        hi = mine.date.max() if len(mine) else day0
        others = sorted({f"{when[o.event_id]} ({o.event_type})" for o in res.itertuples()
                         if o.company == r.company and o.event_id != r.event_id and lo is not None
                         and lo <= when[o.event_id] <= hi})
        flags = list(r.flags)
        if others:
            reason = r.flag_reasons[flags.index("overlap")]
            assert reason == (f"another {r.company} event on {', '.join(others)} "
                              f"inside [{window[0]:+d},{window[1]:+d}]"), r.event_id
            checked += 1
        else:
            assert "overlap" not in flags, r.event_id
    assert checked > 40                                 # the case is not vacuous
    con.close()
