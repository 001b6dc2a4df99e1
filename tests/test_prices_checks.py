"""Data checks flag suspicious prices without changing them; status summarises per symbol."""

from datetime import date

import pandas as pd
import pytest

from tracker.prices import import_csv_dir, price_flags, sessions, status


def load(con, folder, symbol, exchange, start, closes, volume=1000, skip=()):
    """Write SYMBOL.csv with one bar per session of exchange from start (minus skip) and import it."""
    days = [d for d in sessions(exchange, start, date(start.year + 1, 12, 31)) if d not in skip][: len(closes)]
    frame = pd.DataFrame({"date": days, "open": closes, "high": closes, "low": closes, "close": closes,
                          "adj_close": closes, "volume": volume})
    frame.to_csv(folder / f"{symbol}.csv", index=False)
    out = import_csv_dir(con, folder, symbols=[symbol])
    assert out.loc[0, "status"] == "ok", out.loc[0, "message"]
    return days


def flags_of(con, symbol, kind):
    f = price_flags(con)
    return f[(f["symbol"] == symbol) & (f["flag"] == kind)].reset_index(drop=True)


def wiggle(n, base=100.0):
    return [base * (1 + 0.01 * ((i % 3) - 1)) for i in range(n)]


def test_split_check_on_a_synthetic_series(con, tmp_path):
    closes = wiggle(10, 400.0) + wiggle(10, 100.0)   # unadjusted 4:1 split after bar 10
    days = load(con, tmp_path, "AAA", "XNYS", date(2024, 3, 1), closes)
    split = flags_of(con, "AAA", "split_like")
    assert list(split["date"]) == [days[10]]
    assert "matches a 4:1 split" in split.loc[0, "detail"]
    assert flags_of(con, "AAA", "bad_tick").empty


def test_reverse_split_and_ordinary_big_moves(con, tmp_path):
    load(con, tmp_path, "BBB", "XNYS", date(2024, 3, 1), wiggle(5, 10.0) + wiggle(5, 100.0))   # 1:10
    assert "1:10" in flags_of(con, "BBB", "split_like").loc[0, "detail"]
    # +36% (ORCL 2025-09-10) and -25% are news, not data problems
    load(con, tmp_path, "CCC", "XNYS", date(2024, 3, 1), wiggle(5) + wiggle(5, 136.0) + wiggle(5, 102.0))
    assert price_flags(con).query("symbol == 'CCC'").empty


def test_bad_tick_reversed_next_day(con, tmp_path):
    closes = wiggle(5) + [180.0] + wiggle(5)
    days = load(con, tmp_path, "DDD", "XNYS", date(2024, 3, 1), closes)
    tick = flags_of(con, "DDD", "bad_tick")
    assert list(tick["date"]) == [days[5]]
    assert flags_of(con, "DDD", "split_like").empty   # reversed, so not a split


def test_stale_run_of_identical_closes(con, tmp_path):
    closes = wiggle(4) + [50.0] * 6 + wiggle(3) + [60.0] * 4   # 6 identical: flagged; 4: not
    days = load(con, tmp_path, "EEE", "XNYS", date(2024, 3, 1), closes)
    stale = flags_of(con, "EEE", "stale_run")
    assert list(zip(stale["date"], stale["end_date"])) == [(days[4], days[9])]
    assert stale.loc[0, "detail"].startswith("6 bars with the same close")


def test_zero_volume_streak_but_not_for_indexes(con, tmp_path):
    volume = [1000] * 3 + [0] * 5 + [1000] * 2
    days = load(con, tmp_path, "FFF", "XNYS", date(2024, 3, 1), wiggle(10), volume=volume)
    zero = flags_of(con, "FFF", "zero_volume")
    assert list(zip(zero["date"], zero["end_date"])) == [(days[3], days[7])]
    load(con, tmp_path, "^HSI", "XHKG", date(2024, 3, 1), wiggle(10), volume=0)
    assert flags_of(con, "^HSI", "zero_volume").empty


def test_gap_versus_holiday_on_xhkg(con, tmp_path):
    # 2024-02-05..02-21 in Hong Kong: 12-13 Feb are Lunar New Year holidays (no session), and
    # 15 Feb is a session this file lacks.
    days = load(con, tmp_path, "9988.HK", "XHKG", date(2024, 2, 5), wiggle(10), skip={date(2024, 2, 15)})
    assert date(2024, 2, 12) not in days and date(2024, 2, 15) not in days and days[-1] == date(2024, 2, 21)
    gaps = flags_of(con, "9988.HK", "gap")
    assert list(gaps["date"]) == [date(2024, 2, 15)]
    row = status(con).set_index("symbol").loc["9988.HK"]
    assert row["gaps"] == 1 and row["gap_examples"] == "2024-02-15"


def test_prices_before_listing_date(con, tmp_path):
    from test_prices_cache import add_listing

    days = load(con, tmp_path, "0020.HK", "XHKG", date(2021, 12, 20), wiggle(10))
    add_listing(con, "0020.HK", "XHKG", "HKD", date(2021, 12, 30))
    before = flags_of(con, "0020.HK", "before_listing")
    assert list(zip(before["date"], before["end_date"])) == [(days[0], date(2021, 12, 29))]
    assert before.loc[0, "detail"] == "7 bars before the listing date 2021-12-30"


def test_status_on_an_empty_database(con):
    assert status(con).empty and price_flags(con).empty


@pytest.mark.slow
def test_status_of_shared_prices(con, shared_prices):
    import_csv_dir(con, shared_prices)
    st = status(con).set_index("symbol")
    assert len(st) == 20
    assert st.loc["BABA", "rows"] == 856 and st.loc["BABA", "exchange"] == "XNYS"
    assert st.loc["688256.SS", "first"] == date(2020, 7, 20) and st.loc["688256.SS", "currency"] == "CNY"
    # SOURCES.md: "Gaps within a range are exchange holidays only", and the calendars agree
    assert (st["gaps"] == 0).all(), st[st["gaps"] > 0]["gap_examples"].to_dict()
    assert st["source"].str.startswith("csv").all() and st["fetched_at"].notna().all()
    # no jump is compared across the 2022-2024 hole in the files
    flags = price_flags(con)
    assert not ((flags["date"] >= date(2024, 6, 1)) & (flags["date"] <= date(2024, 6, 3))).any()


def test_gap_runs_span_holidays_and_stay_per_symbol(con, tmp_path):
    # Hong Kong 2024: 8, 9 Feb and 14 Feb are consecutive sessions (10-13 Feb closed for Lunar New Year): one run.
    load(con, tmp_path, "9988.HK", "XHKG", date(2024, 2, 1), wiggle(20),
         skip={date(2024, 2, 8), date(2024, 2, 9), date(2024, 2, 14), date(2024, 2, 20)})
    load(con, tmp_path, "BABA", "XNYS", date(2024, 2, 1), wiggle(20), skip={date(2024, 2, 8)})
    gaps = price_flags(con)
    gaps = gaps[gaps["flag"] == "gap"]
    assert [(r.symbol, r.date, r.end_date, r.n) for r in gaps.itertuples()] == [
        ("9988.HK", date(2024, 2, 8), date(2024, 2, 14), 3),
        ("9988.HK", date(2024, 2, 20), date(2024, 2, 20), 1),
        ("BABA", date(2024, 2, 8), date(2024, 2, 8), 1),
    ]
    assert gaps["detail"].iloc[0] == "3 session(s) of XHKG without a bar"
