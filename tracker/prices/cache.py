"""The DuckDB price cache: storing bars, logging loads, and working out what is not yet covered.

Coverage rule (why a second run makes no network call, and a known-empty tail is not re-asked all
day long): every load is logged in ``price_fetches``. A row with ``covers = true`` says the source
answered for start..end. For CSV imports that is permanent. For Yahoo, past days are permanent but
days on or after the fetch's UTC date count as covered only during that same UTC day: the last
bar may have been intraday and Yahoo adds new bars daily, so the next day the tail is asked again
(and the possibly-intraday bar overwritten). A Yahoo answer of "no rows for this symbol" while
other symbols in the same call did get rows counts for that day only, too. Failed downloads
(exception, or nothing for anyone: network down) cover nothing and never delete stored rows.
Coverage is measured in exchange sessions, so weekends and holidays are never "missing".
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd

from tracker.prices.calendars import sessions
from tracker.prices.symbols import currency_for, exchange_for, is_index

PRICE_COLUMNS = ["open", "high", "low", "close", "adj_close", "volume"]
YAHOO = "yfinance"


def has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])


def listing_info(con) -> pd.DataFrame:
    """symbol, exchange, currency, listed_since from the companies area's ``listings`` (may be empty)."""
    cols = ["symbol", "exchange", "currency", "listed_since"]
    if not has_table(con, "listings"):
        return pd.DataFrame(columns=cols)
    return con.execute("SELECT symbol, exchange, currency, listed_since FROM listings").df()[cols]


def exchanges_for(con, symbols) -> dict[str, tuple[str, str]]:
    """(exchange, currency) per symbol: the listings table wins, the Yahoo suffix is the fallback."""
    known = {r.symbol: (r.exchange, r.currency) for r in listing_info(con).itertuples() if r.exchange}
    return {s: known.get(s, (exchange_for(s), currency_for(s))) for s in symbols}


def store_bars(con, bars: pd.DataFrame, source: str) -> int:
    """Insert or replace bars (columns symbol, date, open..volume). Returns the row count."""
    if bars.empty:
        return 0
    frame = bars[["symbol", "date", *PRICE_COLUMNS]].copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["source"] = source
    con.register("_incoming_bars", frame)
    try:
        con.execute(
            "INSERT OR REPLACE INTO prices (symbol, date, open, high, low, close, adj_close, volume, source) "
            "SELECT symbol, CAST(date AS DATE), open, high, low, close, adj_close, volume, source FROM _incoming_bars"
        )
    finally:
        con.unregister("_incoming_bars")
    return len(frame)


def record_symbols(con, symbols: list[str], source: str, fetched_at: datetime) -> None:
    for symbol, (exchange, currency) in exchanges_for(con, symbols).items():
        con.execute(
            "INSERT OR REPLACE INTO price_symbols (symbol, exchange, currency, is_index, source, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [symbol, exchange, currency, is_index(symbol), source, fetched_at],
        )


def log_fetches(con, records: list[dict]) -> None:
    """records: symbol, start_date, end_date, source, fetched_at, n_rows, outcome, message, covers."""
    if not records:
        return
    con.executemany(
        "INSERT INTO price_fetches (symbol, start_date, end_date, source, fetched_at, n_rows, outcome, message, covers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[r["symbol"], r["start_date"], r["end_date"], r["source"], r["fetched_at"], int(r["n_rows"]),
          r["outcome"], r.get("message"), bool(r["covers"])] for r in records],
    )


def covered_intervals(con, today: date) -> pd.DataFrame:
    """symbol, start_date, end_date of every interval that counts as covered on ``today``."""
    frame = con.execute(
        """
        SELECT symbol, start_date,
               CASE WHEN source <> ? OR CAST(fetched_at AS DATE) >= ? THEN end_date
                    ELSE least(end_date, CAST(fetched_at AS DATE) - 1) END AS end_date
        FROM price_fetches
        WHERE covers AND (source <> ? OR outcome = 'ok' OR CAST(fetched_at AS DATE) >= ?)
        """,
        [YAHOO, today, YAHOO, today],
    ).df()
    return frame[frame["start_date"] <= frame["end_date"]]


def _date(value) -> date:
    return pd.Timestamp(value).date()


def missing_sessions(con, needs: pd.DataFrame, today: date, refresh: bool = False) -> dict[str, list[date]]:
    """Per symbol, the exchange sessions inside its needed ranges that no interval covers."""
    cover = covered_intervals(con, today)
    exchanges = exchanges_for(con, needs["symbol"].unique())
    out: dict[str, list[date]] = {}
    for symbol, rows in needs.groupby("symbol", sort=True):
        wanted: set[date] = set()
        for r in rows.itertuples():
            wanted.update(sessions(exchanges[symbol][0], _date(r.start), _date(r.end)))
        if not refresh:
            for c in cover[cover["symbol"] == symbol].itertuples():
                lo, hi = _date(c.start_date), _date(c.end_date)
                wanted = {d for d in wanted if not lo <= d <= hi}
        out[symbol] = sorted(wanted)
    return out


def session_runs(exchange: str, days: list[date]) -> list[tuple[date, date]]:
    """Group sessions into runs of consecutive sessions: [(first, last), ...]."""
    if not days:
        return []
    all_sessions = sessions(exchange, days[0], days[-1])
    position = {d: i for i, d in enumerate(all_sessions)}
    runs: list[tuple[date, date]] = []
    start = prev = days[0]
    for d in days[1:]:
        if position.get(d, -2) != position.get(prev, -10) + 1:
            runs.append((start, prev))
            start = d
        prev = d
    runs.append((start, prev))
    return runs


def format_runs(runs: list[tuple[date, date]], limit: int = 3) -> str:
    text = ", ".join(str(a) if a == b else f"{a}..{b}" for a, b in runs[:limit])
    return text + (f" (+{len(runs) - limit} more)" if len(runs) > limit else "")


def stored_summary(con, symbol: str, start: date, end: date) -> tuple[int, date | None, date | None]:
    n, first, last = con.execute(
        "SELECT count(*), min(date), max(date) FROM prices WHERE symbol = ? AND date BETWEEN ? AND ?",
        [symbol, start, end],
    ).fetchall()[0]  # fetchall: duckdb 2 refuses new work while a result is half-read
    return int(n), first, last


def utc_now() -> datetime:
    """Naive UTC, the form stored in fetched_at."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
