"""News clusters and uncertain dates (issue 13, study side): a cluster (company, study date) is one observation in
the aggregates, its primary listing's CAR by default; an event dated coarser than a day is flagged date_uncertain,
left out of the aggregates and shown with the CAR over its uncertainty window."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tracker.db import connect, insert_frame
from tracker.errors import TrackerError
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import business_days, insert_prices, prices_from_returns

from study_reference import abnormal_returns


@pytest.fixture(scope="module")
def world():
    """Company a listed twice (A1 primary, A2), companies b and c once; a's news on one day gives two event types on
    both listings; c has an event known only to the week of Mon 8 Sep 2025 (published Fri 12 Sep)."""
    rng = np.random.default_rng(13)
    dates = business_days("2024-07-01", 330)
    market = rng.normal(0, 0.01, 329)
    con = connect(":memory:")
    frames = [prices_from_returns("M", market, dates)]
    for name in ("A1", "A2", "B", "C"):
        frames.append(prices_from_returns(name, 0.9 * market + rng.normal(0, 0.01, 329), dates))
    insert_prices(con, pd.concat(frames, ignore_index=True))
    insert_frame(con, "listings", pd.DataFrame({
        "symbol": ["A1", "A2", "B", "C"], "company": ["a", "a", "b", "c"], "exchange": "XNYS", "currency": "USD",
        "benchmark": "M", "is_primary": [True, False, True, True], "kind": "ordinary"}))
    d = lambda i: dates[i].date()  # noqa: E731
    week = date(2025, 9, 8)
    assert d(0) < week < d(328)
    published = date(2025, 9, 12)
    insert_frame(con, "events", pd.DataFrame({
        "id": ["a-earn", "a-guid", "b-earn", "b-late", "c-week"],
        "company": ["a", "a", "b", "b", "c"],
        "event_type": ["earnings", "guidance", "earnings", "earnings", "earnings"],
        "event_date": [d(280), d(280), d(280), d(300), week],
        "date_precision": ["day", "day", "day", "day", "week"],
        "date_source": ["explicit", "explicit", "explicit", "explicit", "relative"],
        "published": [d(280), d(280), d(280), d(300), published],
    }))
    rows = [("a-earn", "A1", d(280), "earnings", "a"), ("a-earn", "A2", d(280), "earnings", "a"),
            ("a-guid", "A1", d(280), "guidance", "a"), ("a-guid", "A2", d(280), "guidance", "a"),
            ("b-earn", "B", d(280), "earnings", "b"), ("b-late", "B", d(300), "earnings", "b"),
            ("c-week", "C", published, "earnings", "c")]
    load_study_events(con, pd.DataFrame(rows, columns=["event_id", "symbol", "study_date", "event_type", "company"])
                      .assign(benchmark="M"))
    yield con
    con.close()


def _agg(result, kind, value, window="-1:1", test="csect_t"):
    agg = result.aggregates
    row = agg[(agg.group_kind == kind) & (agg.group_value == value) & (agg.window == window) & (agg.test == test)]
    assert len(row) == 1, (kind, value)
    return row.iloc[0]


def test_clusters_and_primary_listings(world):
    res = run_study(world, StudyParams()).results.set_index(["event_id", "symbol"])
    assert res.loc[("a-earn", "A1"), "cluster_id"] == res.loc[("a-guid", "A2"), "cluster_id"]
    assert res.loc[("a-earn", "A1"), "cluster_id"].startswith("a|")
    assert res.is_primary.to_dict() == {k: k[1] != "A2" for k in res.index}
    assert not res.loc[("a-earn", "A2"), "in_aggregates"] and res.loc[("a-earn", "A1"), "in_aggregates"]


def test_a_cluster_counts_once_in_all_and_once_per_type(world):
    result = run_study(world, StudyParams())
    # clusters in aggregates: a (earnings + guidance, two listings), b on day 280, b on day 300; c is uncertain
    assert _agg(result, "all", "all").n == 3
    assert _agg(result, "event_type", "earnings").n == 3 and _agg(result, "event_type", "guidance").n == 1
    assert _agg(result, "company", "a").n == 1 and _agg(result, "company", "a").n_listings == 1
    car = result.car[result.car.window == "-1:1"].set_index(["event_id", "symbol"]).car
    expected = np.mean([car[("a-earn", "A1")], car[("b-earn", "B")], car[("b-late", "B")]])
    assert _agg(result, "all", "all").caar == pytest.approx(expected, rel=1e-12)


def test_listing_modes(world):
    car = run_study(world, StudyParams()).car
    car = car[car.window == "-1:1"].set_index(["event_id", "symbol"]).car
    every = run_study(world, StudyParams(listing="all"))
    assert _agg(every, "all", "all").n == 6            # every (event, listing) row of a and b
    assert _agg(every, "company", "a").n == 4 and _agg(every, "company", "a").n_listings == 4
    average = run_study(world, StudyParams(listing="average"))
    assert _agg(average, "company", "a").n == 1 and _agg(average, "company", "a").n_listings == 2
    assert _agg(average, "company", "a").caar == pytest.approx((car[("a-earn", "A1")] + car[("a-earn", "A2")]) / 2,
                                                               rel=1e-12)
    with pytest.raises(TrackerError, match="listing mode"):
        run_study(world, StudyParams(listing="some"))


def test_uncertain_dates_are_flagged_and_shown_with_their_window(world):
    result = run_study(world, StudyParams())
    row = result.results.set_index("event_id").loc["c-week"]
    assert list(row["flags"]) == ["date_uncertain"] and not row.in_aggregates and row.date_uncertain
    assert row.flag_reasons[0] == "dated to the week of 8 Sep 2025; window 2025-09-08 to 2025-09-12"
    assert pd.Timestamp(row.window_start).date() == date(2025, 9, 8)
    assert pd.Timestamp(row.window_end).date() == date(2025, 9, 12)
    ar = abnormal_returns(world, result)
    ar = ar[(ar.event_id == "c-week") & ar.date.between(pd.Timestamp("2025-09-08"), pd.Timestamp("2025-09-12"))]
    assert len(ar) == 5
    assert row.window_car == pytest.approx(ar.ar.sum(), rel=1e-10)
    peak = ar.loc[ar.ar.abs().idxmax()]
    assert pd.Timestamp(row.peak_date) == peak.date and row.peak_ar == pytest.approx(peak.ar, rel=1e-12)
    assert row.window_car_t == pytest.approx(row.window_car / row.window_car_se, rel=1e-12)
    assert not any(c == "c" for c in result.aggregates.group_value)
    with_uncertain = run_study(world, StudyParams(include_uncertain=True))
    assert with_uncertain.results.set_index("event_id").loc["c-week", "in_aggregates"]
    assert _agg(with_uncertain, "company", "c").n == 1
    day_precise = result.results[result.results.event_id != "c-week"]
    assert not day_precise.date_uncertain.any() and day_precise.window_car.isna().all()


def test_a_publication_date_standing_in_for_a_missing_one_is_a_known_day(world):
    """News with no date of its own reached the market the day it was published: that day is day 0, not an
    uncertain date. Only a text that places the event earlier makes it uncertain, and extraction gives such
    an event the coarser precision of its phrase ("diese Woche" → week), as c-week has."""
    world.execute("UPDATE events SET date_source = 'publication' WHERE id = 'b-late'")
    try:
        res = run_study(world, StudyParams()).results.set_index("event_id")
        assert not res.loc["b-late", "date_uncertain"] and res.loc["b-late", "in_aggregates"]
        assert "date_uncertain" not in list(res.loc["b-late", "flags"])
        assert res.loc["c-week", "date_uncertain"]
    finally:
        world.execute("UPDATE events SET date_source = 'explicit' WHERE id = 'b-late'")
