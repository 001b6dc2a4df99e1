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

What is missing is worked out as sets: the needed ranges minus the covered intervals (SQL), and only the uncovered
pieces that hold a weekday are expanded to exchange sessions (calendars.expand_sessions). A fully covered run
builds no calendar at all.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pandas as pd

from tracker.prices.symbols import currencies_for_symbols, exchanges_for_symbols, is_index

PRICE_COLUMNS = ["open", "high", "low", "close", "adj_close", "volume"]
YAHOO = "yfinance"


def has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])


def exchange_table(con, symbols) -> pd.DataFrame:
    """symbol, exchange, currency (one row per distinct symbol, in first-seen order): the listings table wins, the
    Yahoo suffix is the fallback. One query for the listed ones, the suffix rules once per symbol."""
    distinct = list(dict.fromkeys(str(s) for s in symbols))
    known = {}
    if distinct and has_table(con, "listings"):
        known = {s: (e, c) for s, e, c in con.execute(
            "SELECT symbol, any_value(exchange), any_value(currency) FROM listings "
            "WHERE exchange IS NOT NULL AND list_contains(?, symbol) GROUP BY symbol", [distinct]).fetchall()}
    frame = pd.DataFrame({"symbol": distinct, "exchange": exchanges_for_symbols(distinct).to_numpy(),
                          "currency": currencies_for_symbols(distinct).to_numpy()},
                         columns=["symbol", "exchange", "currency"])
    if known:
        listed = frame["symbol"].isin(known.keys())
        frame.loc[listed, "exchange"] = [known[s][0] for s in frame.loc[listed, "symbol"]]
        frame.loc[listed, "currency"] = [known[s][1] for s in frame.loc[listed, "symbol"]]
    return frame


def exchanges_for(con, symbols) -> dict[str, tuple[str, str]]:
    """(exchange, currency) per symbol: the listings table wins, the Yahoo suffix is the fallback."""
    table = exchange_table(con, symbols)
    return dict(zip(table["symbol"], zip(table["exchange"], table["currency"])))


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
    """Where each symbol's prices came from (its latest successful load), with its exchange and currency."""
    table = exchange_table(con, symbols)
    con.executemany(
        "INSERT OR REPLACE INTO price_symbols (symbol, exchange, currency, is_index, source, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [[s, e, c, is_index(s), source, fetched_at] for s, e, c in zip(table["symbol"], table["exchange"], table["currency"])],
    )


def imported_symbols(con, symbols) -> set[str]:
    """The symbols whose latest successful load was a CSV import (``price_symbols.source`` 'csv')."""
    wanted = sorted(set(symbols))
    if not wanted:
        return set()
    rows = con.execute(
        "SELECT symbol FROM price_symbols WHERE list_contains(?, symbol) AND (source = 'csv' OR source LIKE 'csv:%')", [wanted]
    ).fetchall()
    return {r[0] for r in rows}


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


_COVERED_SQL = """
    SELECT symbol, start_date,
           CASE WHEN source <> $yahoo OR CAST(fetched_at AS DATE) >= $today THEN end_date
                ELSE least(end_date, CAST(fetched_at AS DATE) - 1) END AS end_date
    FROM price_fetches
    WHERE covers AND (source <> $yahoo OR outcome = 'ok' OR CAST(fetched_at AS DATE) >= $today)
"""

# The needed ranges minus the covered intervals: covered intervals merged per symbol (overlapping or touching
# ones become one), then for each need the stretches before, between and after the merged intervals it overlaps.
_UNCOVERED_SQL = f"""
WITH cover AS (SELECT * FROM ({_COVERED_SQL}) WHERE start_date <= end_date),
ordered AS (
    SELECT symbol, start_date AS lo, end_date AS hi,
           max(end_date) OVER (PARTITION BY symbol ORDER BY start_date, end_date
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM cover
),
islands AS (
    SELECT symbol, lo, hi,
           sum(CASE WHEN reach IS NULL OR lo > reach + 1 THEN 1 ELSE 0 END)
               OVER (PARTITION BY symbol ORDER BY lo, hi ROWS UNBOUNDED PRECEDING) AS island
    FROM ordered
),
merged AS (SELECT symbol, min(lo) AS lo, max(hi) AS hi FROM islands GROUP BY symbol, island),
need AS (SELECT row_number() OVER () AS need, symbol, CAST(start AS DATE) AS start, CAST("end" AS DATE) AS stop
         FROM _price_needs),
overlap AS (
    SELECT n.need, n.symbol, n.start, n.stop, m.lo, m.hi
    FROM need n JOIN merged m ON m.symbol = n.symbol AND m.lo <= n.stop AND m.hi >= n.start
),
pieces AS (
    SELECT symbol, start, stop,
           coalesce(lag(hi) OVER (PARTITION BY need ORDER BY lo) + 1, start) AS lo, lo - 1 AS hi
    FROM overlap
    UNION ALL
    SELECT symbol, start, stop, max(hi) + 1, stop FROM overlap GROUP BY need, symbol, start, stop
    UNION ALL
    SELECT symbol, start, stop, start, stop FROM need WHERE need NOT IN (SELECT need FROM overlap)
)
SELECT symbol, greatest(lo, start) AS lo, least(hi, stop) AS hi
FROM pieces
WHERE greatest(lo, start) <= least(hi, stop)
"""


def covered_intervals(con, today: date) -> pd.DataFrame:
    """symbol, start_date, end_date of every interval that counts as covered on ``today``."""
    frame = con.execute(_COVERED_SQL, {"yahoo": YAHOO, "today": today}).df()
    return frame[frame["start_date"] <= frame["end_date"]]


def uncovered_pieces(con, needs: pd.DataFrame, today: date) -> pd.DataFrame:
    """symbol, lo, hi: the stretches of the needed ranges (symbol, start, end) that no interval covers."""
    con.register("_price_needs", needs[["symbol", "start", "end"]])
    try:
        return con.execute(_UNCOVERED_SQL, {"yahoo": YAHOO, "today": today}).df()
    finally:
        con.unregister("_price_needs")


def missing_frame(con, needs: pd.DataFrame, today: date, refresh: bool = False) -> pd.DataFrame:
    """symbol, date (datetime64): every exchange session inside the needed ranges that no interval covers
    (with ``refresh``, every session of the needed ranges)."""
    if refresh:
        pieces = needs[["symbol", "start", "end"]].rename(columns={"start": "lo", "end": "hi"})
    else:
        pieces = uncovered_pieces(con, needs, today)
    if not pieces.empty:
        # a stretch of weekend days holds no session on any exchange: no calendar needed to know that
        lo = pd.to_datetime(pieces["lo"]).values.astype("datetime64[D]")
        hi = pd.to_datetime(pieces["hi"]).values.astype("datetime64[D]")
        pieces = pieces[np.busday_count(lo, hi + 1) > 0]
    if pieces.empty:
        return pd.DataFrame({"symbol": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")})
    from tracker.prices.calendars import expand_sessions

    pieces = pieces.merge(exchange_table(con, pieces["symbol"])[["symbol", "exchange"]], on="symbol")
    days = expand_sessions(pieces)
    return days.drop_duplicates().sort_values(["symbol", "date"]).reset_index(drop=True)


def missing_sessions(con, needs: pd.DataFrame, today: date, refresh: bool = False) -> dict[str, list[date]]:
    """Per symbol, the exchange sessions inside its needed ranges that no interval covers."""
    out: dict[str, list[date]] = {s: [] for s in sorted(needs["symbol"].unique())}
    frame = missing_frame(con, needs, today, refresh)
    if not frame.empty:
        days = frame["date"].values.astype("datetime64[D]").astype(object)
        bounds = np.flatnonzero(frame["symbol"].values[1:] != frame["symbol"].values[:-1]) + 1
        for symbol, chunk in zip(frame["symbol"].values[np.r_[0, bounds]], np.split(days, bounds)):
            out[symbol] = chunk.tolist()
    return out


def session_runs(exchange: str, days: list[date]) -> list[tuple[date, date]]:
    """Group sessions into runs of consecutive sessions: [(first, last), ...]."""
    if not days:
        return []
    from tracker.prices.calendars import session_array

    wanted = np.array(days, dtype="datetime64[D]")
    all_sessions = session_array(exchange, days[0], days[-1])
    position = np.searchsorted(all_sessions, wanted)
    known = (position < len(all_sessions)) & (all_sessions[np.minimum(position, len(all_sessions) - 1)] == wanted)
    # a day that is not a session never continues a run
    position = np.where(known, position, -2 - 2 * np.arange(len(wanted)))
    breaks = np.flatnonzero(np.diff(position) != 1) + 1
    starts, ends = np.r_[0, breaks], np.r_[breaks - 1, len(wanted) - 1]
    return [(days[a], days[b]) for a, b in zip(starts, ends)]


def format_runs(runs: list[tuple[date, date]], limit: int = 3) -> str:
    text = ", ".join(str(a) if a == b else f"{a}..{b}" for a, b in runs[:limit])
    return text + (f" (+{len(runs) - limit} more)" if len(runs) > limit else "")


def stored_summaries(con, spans: pd.DataFrame) -> pd.DataFrame:
    """symbol, rows, first, last of the stored bars inside each row's start..end (columns symbol, start, end), in
    one query."""
    con.register("_summary_spans", spans[["symbol", "start", "end"]])
    try:
        return con.execute(
            """
            SELECT s.symbol, count(p.date) AS rows, min(p.date) AS first, max(p.date) AS last
            FROM _summary_spans s
            LEFT JOIN prices p ON p.symbol = s.symbol AND p.date BETWEEN CAST(s.start AS DATE) AND CAST(s."end" AS DATE)
            GROUP BY s.symbol
            """
        ).df()
    finally:
        con.unregister("_summary_spans")


def stored_summary(con, symbol: str, start: date, end: date) -> tuple[int, date | None, date | None]:
    n, first, last = con.execute(
        "SELECT count(*), min(date), max(date) FROM prices WHERE symbol = ? AND date BETWEEN ? AND ?",
        [symbol, start, end],
    ).fetchall()[0]  # fetchall: duckdb 2 refuses new work while a result is half-read
    return int(n), first, last


def utc_now() -> datetime:
    """Naive UTC, the form stored in fetched_at."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
