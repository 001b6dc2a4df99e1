"""The DuckDB cache in front of Yahoo: only missing ranges are asked for, a covered run makes no
download call, offline runs name what is missing, failures never lose stored rows."""

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from tracker.prices import ensure_prices, exchange_for, fetch, sessions


def yahoo_like(per_ticker: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Assemble per-ticker frames the way yfinance 1.x multi.download does (group_by='column')."""
    index = None
    for df in per_ticker.values():
        if not df.empty:
            index = df.index if index is None else index.union(df.index)
    index = pd.DatetimeIndex([]) if index is None else index
    data = pd.concat([df.reindex(index) for df in per_ticker.values()], axis=1, sort=True,
                     keys=list(per_ticker), names=["Ticker", "Price"])
    data.columns = data.columns.swaplevel(0, 1)
    return data.sort_index(level=0, axis=1)


class FakeYahoo:
    """yf.download stand-in: bars on every session of the symbol's exchange up to ``today``."""

    def __init__(self, today=date(2026, 11, 20), unknown=(), empty=False, holes=()):
        self.today, self.unknown, self.empty, self.holes = today, set(unknown), empty, set(holes)
        self.calls: list[tuple[tuple[str, ...], str, str]] = []

    def __call__(self, tickers, start=None, end=None, **kwargs):
        self.calls.append((tuple(sorted(tickers)), start, end))
        frames = {}
        for t in tickers:
            last = min(date.fromisoformat(end) - timedelta(days=1), self.today)
            days = [] if (self.empty or t in self.unknown) else sessions(exchange_for(t), date.fromisoformat(start), last)
            days = [d for d in days if d not in self.holes]
            idx = pd.DatetimeIndex(pd.to_datetime(days), name="Date")
            close = 100 + np.arange(len(idx), dtype=float)
            frames[t] = pd.DataFrame({"Open": close, "High": close + 1, "Low": close - 1, "Close": close,
                                      "Adj Close": close * 0.99, "Volume": 1e6}, index=idx)
        return yahoo_like(frames)

    def ranges(self):
        return [(tickers, start, end) for tickers, start, end in self.calls]


def never(*args, **kwargs):
    raise AssertionError("the downloader must not be called")


def needs(*rows):
    return pd.DataFrame(rows, columns=["symbol", "start", "end"])


def add_listing(con, symbol, exchange, currency, listed_since=None):
    """A listings row as the companies area stores it (its table, created here if absent)."""
    con.execute("CREATE TABLE IF NOT EXISTS listings (symbol VARCHAR PRIMARY KEY, company VARCHAR, exchange VARCHAR,"
                " currency VARCHAR, listed_since DATE, benchmark VARCHAR, is_primary BOOLEAN, kind VARCHAR)")
    con.execute("INSERT INTO listings VALUES (?, 'x', ?, ?, ?, 'SPY', true, 'ordinary')",
                [symbol, exchange, currency, listed_since])


NOW = datetime(2026, 11, 20, 12, 0)
NO_SLEEP = {"sleep": lambda s: None}


def by_symbol(outcomes):
    return outcomes.set_index("symbol")


def test_first_run_downloads_all_symbols_in_one_call(con):
    yahoo = FakeYahoo()
    progress = []
    out = fetch(con, needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-02-01", "2024-02-29")),
                downloader=yahoo, now=NOW, progress=progress.append, **NO_SLEEP)
    assert yahoo.ranges() == [(("9988.HK", "BABA"), "2024-02-01", "2024-03-01")]
    o = by_symbol(out)
    assert list(o["status"]) == ["ok", "ok"]
    assert o.loc["BABA", "rows"] == len(sessions("XNYS", date(2024, 2, 1), date(2024, 2, 29))) == 20
    assert o.loc["9988.HK", "rows"] == 19  # 21 weekdays less the Lunar New Year closure (12-13 Feb)
    assert o.loc["BABA", "first"] == date(2024, 2, 1) and o.loc["BABA", "last"] == date(2024, 2, 29)
    assert progress == ["prices [2/2] asked Yahoo for 2024-02-01..2024-02-29: 9988.HK, BABA"]
    sym = con.execute("SELECT symbol, exchange, currency, source FROM price_symbols ORDER BY symbol").fetchall()
    assert sym == [("9988.HK", "XHKG", "HKD", "yfinance"), ("BABA", "XNYS", "USD", "yfinance")]


def test_second_run_fully_covered_makes_no_download_call(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"), ("^HSI", "2024-01-15", "2024-02-29"))
    fetch(con, want, downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    again = fetch(con, want, downloader=never, now=NOW + timedelta(days=30), **NO_SLEEP)
    assert list(again["status"]) == ["cached", "cached"]
    assert list(again["rows"]) == [20, 32]
    # a sub-range, or one only extended over a weekend/holiday, is covered too
    inner = needs(("BABA", "2024-02-05", "2024-02-20"), ("^HSI", "2024-01-13", "2024-02-29"))
    assert list(fetch(con, inner, downloader=never, now=NOW, **NO_SLEEP)["status"]) == ["cached", "cached"]


def test_later_run_asks_only_for_the_missing_range(con):
    fetch(con, needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-02-01", "2024-02-29")),
          downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    yahoo = FakeYahoo()
    out = fetch(con, needs(("BABA", "2024-02-01", "2024-03-15"), ("9988.HK", "2024-02-01", "2024-02-29"),
                           ("TSM", "2024-02-01", "2024-03-15")), downloader=yahoo, now=NOW, **NO_SLEEP)
    # BABA lacks March only; TSM everything; 9988.HK nothing. Different ranges → separate calls.
    assert sorted(yahoo.ranges()) == [(("BABA",), "2024-03-01", "2024-03-16"), (("TSM",), "2024-02-01", "2024-03-16")]
    o = by_symbol(out)
    assert o.loc["9988.HK", "status"] == "cached" and o.loc["BABA", "status"] == "ok"
    assert o.loc["BABA", "rows"] == 20 + 11


def test_symbols_missing_the_same_range_share_one_call(con):
    yahoo = FakeYahoo()
    fetch(con, needs(("BABA", "2024-03-01", "2024-03-08"), ("BIDU", "2024-03-01", "2024-03-08")),
          downloader=yahoo, now=NOW, **NO_SLEEP)
    assert yahoo.ranges() == [(("BABA", "BIDU"), "2024-03-01", "2024-03-09")]


def test_recent_tail_is_not_reasked_the_same_day_but_is_the_next_day(con):
    want = needs(("BABA", "2026-11-02", "2026-11-30"))
    today = datetime(2026, 11, 18, 15, 0)
    first = fetch(con, want, downloader=FakeYahoo(today=today.date()), now=today, **NO_SLEEP)
    assert first.loc[0, "last"] == date(2026, 11, 18) and first.loc[0, "status"] == "ok"
    # same day: the empty tail 19..30 Nov is known, no call
    assert fetch(con, want, downloader=never, now=today + timedelta(hours=5), **NO_SLEEP).loc[0, "status"] == "cached"
    # next day: ask again from the fetch day on (its bar may have been intraday)
    yahoo = FakeYahoo(today=date(2026, 11, 19))
    fetch(con, want, downloader=yahoo, now=datetime(2026, 11, 19, 9, 0), **NO_SLEEP)
    assert yahoo.ranges() == [(("BABA",), "2026-11-18", "2026-12-01")]


def test_offline_names_exactly_the_uncovered_symbols(con):
    fetch(con, needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-02-01", "2024-02-29")),
          downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    out = by_symbol(fetch(con, needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-02-01", "2024-03-08"),
                                     ("TSM", "2024-02-01", "2024-02-29")), offline=True, downloader=never, now=NOW))
    assert out.loc["BABA", "status"] == "cached"
    assert out.loc["9988.HK", "status"] == "partial"
    assert out.loc["9988.HK", "message"].startswith("no cached prices for 9988.HK 2024-03-01..2024-03-08 (6 sessions)")
    assert out.loc["TSM", "status"] == "missing" and out.loc["TSM", "rows"] == 0
    assert "no cached prices for TSM 2024-02-01..2024-02-29 (20 sessions) (offline)" in out.loc["TSM", "message"]
    assert "--prices-dir" in out.loc["TSM", "message"]


def test_offline_wins_over_refresh(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"))
    fetch(con, want, downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    out = fetch(con, want, offline=True, refresh=True, downloader=never, now=NOW)
    assert out.loc[0, "status"] == "cached" and out.loc[0, "rows"] == 20


def test_batches_report_progress(con):
    yahoo, progress = FakeYahoo(), []
    fetch(con, needs(("BABA", "2024-03-01", "2024-03-08"), ("BIDU", "2024-03-01", "2024-03-08")), batch_size=1,
          downloader=yahoo, now=NOW, progress=progress.append, **NO_SLEEP)
    assert [c[0] for c in yahoo.calls] == [("BABA",), ("BIDU",)]
    assert progress == ["prices [1/2] asked Yahoo for 2024-03-01..2024-03-08: BABA",
                        "prices [2/2] asked Yahoo for 2024-03-01..2024-03-08: BIDU"]


def test_refresh_downloads_again(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"))
    fetch(con, want, downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    yahoo = FakeYahoo()
    out = fetch(con, want, refresh=True, downloader=yahoo, now=NOW, **NO_SLEEP)
    assert yahoo.ranges() == [(("BABA",), "2024-02-01", "2024-03-01")] and out.loc[0, "status"] == "ok"


def test_failed_refresh_keeps_stored_rows(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"))
    fetch(con, want, downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    out = fetch(con, want, refresh=True, downloader=FakeYahoo(empty=True), now=NOW, **NO_SLEEP)
    assert out.loc[0, "status"] == "partial" and out.loc[0, "rows"] == 20
    assert "network unreachable?" in out.loc[0, "message"] and "kept 20 stored rows" in out.loc[0, "message"]
    assert con.execute("SELECT count(*) FROM prices WHERE symbol = 'BABA'").fetchall()[0][0] == 20
    log = con.execute("SELECT outcome, covers FROM price_fetches ORDER BY fetched_at, outcome").fetchall()
    assert ("error", False) in log


def test_network_down_reports_each_symbol_and_covers_nothing(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-02-01", "2024-02-29"))
    out = by_symbol(fetch(con, want, downloader=FakeYahoo(empty=True), now=NOW, **NO_SLEEP))
    assert list(out["status"]) == ["missing", "missing"]
    assert out.loc["BABA", "message"] == ("no price data for BABA from Yahoo: network unreachable? "
                                          "use --prices-dir DIR or --offline")
    from tracker.prices import status

    st = status(con).set_index("symbol")   # the failure shows in status, with nothing stored
    assert st.loc["BABA", "rows"] == 0 and st.loc["BABA", "exchange"] == "XNYS"
    assert st.loc["BABA", "problem"].startswith("no price data for BABA from Yahoo: network unreachable?")
    yahoo = FakeYahoo()
    fetch(con, want, downloader=yahoo, now=NOW, **NO_SLEEP)
    assert len(yahoo.calls) == 1   # asked again: the failure covered nothing
    assert status(con).set_index("symbol").loc["BABA", "problem"] == ""


def test_unknown_symbol_is_missing_and_not_reasked_the_same_day(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"), ("NOPE", "2024-02-01", "2024-02-29"))
    out = by_symbol(fetch(con, want, downloader=FakeYahoo(unknown={"NOPE"}), now=NOW, **NO_SLEEP))
    assert out.loc["BABA", "status"] == "ok" and out.loc["NOPE", "status"] == "missing"
    assert "Yahoo returned no rows for NOPE" in out.loc["NOPE", "message"]
    assert fetch(con, want, downloader=never, now=NOW + timedelta(hours=1), **NO_SLEEP).loc[1, "status"] == "cached"
    yahoo = FakeYahoo(unknown={"NOPE"})
    fetch(con, want, downloader=yahoo, now=NOW + timedelta(days=1), **NO_SLEEP)
    assert yahoo.ranges()[0][0] == ("NOPE",)


def test_listings_table_overrides_the_suffix_rule(con):
    add_listing(con, "BIDU", "XNAS", "USD")
    fetch(con, needs(("BIDU", "2024-03-01", "2024-03-08")), downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    assert con.execute("SELECT exchange FROM price_symbols WHERE symbol = 'BIDU'").fetchall()[0][0] == "XNAS"


def test_ensure_prices_without_a_folder_uses_the_cache(con):
    want = needs(("BABA", "2024-02-01", "2024-02-29"))
    ensure_prices(con, want, None, downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    out = ensure_prices(con, want, None, offline=False, refresh=False, downloader=never)
    assert out.loc[0, "status"] == "cached"


def test_bad_needs_are_user_errors(con):
    from tracker.errors import TrackerError

    with pytest.raises(TrackerError, match="starts after it ends"):
        fetch(con, needs(("BABA", "2024-03-01", "2024-02-01")), downloader=never)
    with pytest.raises(TrackerError, match="lack columns"):
        fetch(con, pd.DataFrame({"symbol": ["BABA"]}), downloader=never)


def test_a_session_yahoo_skipped_is_a_gap_in_status(con):
    from tracker.prices import status

    fetch(con, needs(("BABA", "2024-02-01", "2024-02-29")), downloader=FakeYahoo(holes={date(2024, 2, 14)}),
          now=NOW, **NO_SLEEP)
    row = status(con).set_index("symbol").loc["BABA"]
    assert row["rows"] == 19 and row["gaps"] == 1 and row["gap_examples"] == "2024-02-14"
    assert row["covered"] == "2024-02-01..2024-02-29" and row["source"] == "yfinance 2024-02-01..2024-02-29"


def _import_csv(con, tmp_path, symbol, start, end):
    from tracker.prices import import_csv_dir

    folder = tmp_path / "csv"
    folder.mkdir(exist_ok=True)
    days = sessions(exchange_for(symbol), date.fromisoformat(start), date.fromisoformat(end))
    close = 50 + np.arange(len(days), dtype=float)
    pd.DataFrame({"Date": [d.isoformat() for d in days], "Open": close, "High": close, "Low": close, "Close": close,
                  "Adj Close": close, "Volume": 1000}).to_csv(folder / f"{symbol}.csv", index=False)
    assert import_csv_dir(con, folder, symbols=[symbol]).loc[0, "status"] == "ok"


def test_a_symbol_imported_from_csv_is_not_asked_from_yahoo_by_a_study_run(con, tmp_path):
    _import_csv(con, tmp_path, "BABA", "2024-01-02", "2024-02-29")
    fetch(con, needs(("BIDU", "2024-01-02", "2024-02-29")), downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    want = needs(("BABA", "2024-01-02", "2024-03-15"), ("BIDU", "2024-01-02", "2024-03-15"))
    yahoo = FakeYahoo()
    out = by_symbol(ensure_prices(con, want, None, downloader=yahoo, now=NOW, **NO_SLEEP))
    # BIDU came from Yahoo and lacks March: asked. BABA came from a CSV and lacks March too: not asked, but said.
    assert yahoo.ranges() == [(("BIDU",), "2024-03-01", "2024-03-16")]
    assert out.loc["BABA", "status"] == "partial" and out.loc["BABA", "rows"] == 41
    assert "imported from CSV" in out.loc["BABA", "message"] and "2024-03-01..2024-03-15" in out.loc["BABA", "message"]
    assert con.execute("SELECT count(*) FROM price_fetches WHERE symbol = 'BABA' AND source = 'yfinance'"
                       ).fetchall() == [(0,)]


def test_refresh_or_prices_fetch_ask_yahoo_for_an_imported_symbol(con, tmp_path):
    _import_csv(con, tmp_path, "BABA", "2024-01-02", "2024-02-29")
    want = needs(("BABA", "2024-01-02", "2024-03-15"))
    refreshed = FakeYahoo()
    ensure_prices(con, want, None, refresh=True, downloader=refreshed, now=NOW, **NO_SLEEP)
    assert refreshed.ranges() == [(("BABA",), "2024-01-02", "2024-03-16")]
    _import_csv(con, tmp_path, "AMD", "2024-01-02", "2024-02-29")
    fetched = FakeYahoo()        # `tracker prices fetch` calls fetch() as it is: the user asked for Yahoo
    out = by_symbol(fetch(con, needs(("AMD", "2024-01-02", "2024-03-15")), downloader=fetched, now=NOW, **NO_SLEEP))
    assert fetched.ranges() == [(("AMD",), "2024-03-01", "2024-03-16")] and out.loc["AMD", "status"] == "ok"
    # once Yahoo has answered for it, the symbol's latest source is Yahoo and its tail is asked like any other
    assert con.execute("SELECT source FROM price_symbols WHERE symbol = 'AMD'").fetchall() == [("yfinance",)]


def test_missing_sessions_as_sets_match_a_session_by_session_count(con):
    from tracker.prices import cache

    fetch(con, needs(("BABA", "2024-02-01", "2024-02-29"), ("9988.HK", "2024-01-10", "2024-01-31")),
          downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    want = needs(("BABA", "2024-01-20", "2024-03-10"), ("BABA", "2024-02-10", "2024-02-12"),
                 ("9988.HK", "2024-01-01", "2024-02-20"), ("TSM", "2024-02-03", "2024-02-04"))
    got = cache.missing_sessions(con, want, NOW.date())
    expected = {
        "BABA": [d for d in sessions("XNYS", date(2024, 1, 20), date(2024, 3, 10)) if not date(2024, 2, 1) <= d <= date(2024, 2, 29)],
        "9988.HK": [d for d in sessions("XHKG", date(2024, 1, 1), date(2024, 2, 20)) if not date(2024, 1, 10) <= d <= date(2024, 1, 31)],
        "TSM": [],   # a weekend only
    }
    assert got == expected


def test_calendars_are_built_once_per_exchange_and_not_at_all_when_covered(con, monkeypatch):
    import exchange_calendars as xcals

    from tracker.prices import cache, calendars

    fetch(con, needs(("BABA", "2024-02-01", "2024-03-01"), ("9988.HK", "2024-02-01", "2024-02-29")),
          downloader=FakeYahoo(), now=NOW, **NO_SLEEP)
    calendars._calendar.cache_clear()
    calendars._session_array.cache_clear()
    built = []
    real = xcals.get_calendar
    monkeypatch.setattr(xcals, "get_calendar", lambda name, **kw: built.append(name) or real(name, **kw))
    # covered (a weekend beyond the data included): sets alone answer, no calendar is built
    covered = needs(("BABA", "2024-02-05", "2024-03-03"), ("9988.HK", "2024-02-01", "2024-02-29"))
    assert cache.missing_sessions(con, covered, NOW.date()) == {"9988.HK": [], "BABA": []}
    assert built == []
    many = pd.DataFrame({"symbol": [f"S{i}" for i in range(300)], "start": "2021-01-01", "end": "2021-03-01"})
    assert sum(map(len, cache.missing_sessions(con, many, NOW.date()).values())) == 300 * 39   # MLK, Presidents Day
    for day in range(1, 20):
        calendars.sessions("XNAS", date(2021, 1, day), date(2021, 3, day))
    calendars.first_session_on_or_after("XNYS", date(2024, 3, 2))
    assert built == ["XNYS"]
