"""Data checks on stored prices: flag, never fix.

The row-pattern checks (bad ticks, split-like jumps, stale closes, zero-volume streaks) are the SQL
view ``price_flags`` (sql/views/041_price_flags.sql). Two checks need more than the prices table and
live here: gaps (an exchange session inside a symbol's covered range with no bar; holidays are not
sessions, so never gaps) and bars before the listing date (from the companies area's ``listings``,
which may be empty or absent).

Covered range for gaps: the union of the symbol's logged loads (``price_fetches.covers``), clipped to
its first and last stored bar, so days before a listing or after the last close are not gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.prices import cache
from tracker.prices.calendars import expand_sessions, session_array

FLAG_COLUMNS = ["symbol", "flag", "date", "end_date", "n", "detail"]   # n: bars or sessions involved


def covered_spans(con) -> pd.DataFrame:
    """symbol, lo, hi: each logged covered range clipped to the symbol's first and last bar."""
    return con.execute(
        """
        WITH spans AS (
            SELECT f.symbol, greatest(f.start_date, b.first) AS lo, least(f.end_date, b.last) AS hi
            FROM price_fetches f
            JOIN (SELECT symbol, min(date) AS first, max(date) AS last FROM prices GROUP BY symbol) b USING (symbol)
            WHERE f.covers
        )
        SELECT DISTINCT symbol, lo, hi FROM spans WHERE lo <= hi ORDER BY symbol, lo
        """
    ).df()


def missing_bars(con) -> pd.DataFrame:
    """symbol, date: every session inside a covered span without a stored bar (set operations: the spans expanded to
    sessions through one cached session array per exchange, then an anti-join with the stored bars)."""
    spans = covered_spans(con)
    if spans.empty:
        return pd.DataFrame(columns=["symbol", "date"])
    pieces = spans.merge(cache.exchange_table(con, spans["symbol"])[["symbol", "exchange"]], on="symbol")
    expected = expand_sessions(pieces).drop_duplicates()
    con.register("_expected_sessions", expected)
    try:
        gaps = con.execute(
            "SELECT e.symbol, CAST(e.date AS DATE) AS date FROM _expected_sessions e "
            "ANTI JOIN prices p ON p.symbol = e.symbol AND p.date = CAST(e.date AS DATE) ORDER BY 1, 2"
        ).df()
    finally:
        con.unregister("_expected_sessions")
    gaps["date"] = pd.to_datetime(gaps["date"]).dt.date
    return gaps.reset_index(drop=True)


def gap_flags(con) -> pd.DataFrame:
    """One 'gap' flag per run of consecutive missing sessions (runs found by session position, per exchange)."""
    gaps = missing_bars(con)
    if gaps.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    gaps = gaps.merge(cache.exchange_table(con, gaps["symbol"])[["symbol", "exchange"]], on="symbol")
    parts = []
    for exchange, group in gaps.groupby("exchange", sort=False):
        days = group["date"].to_numpy(dtype="datetime64[D]")
        calendar = session_array(exchange, group["date"].min(), group["date"].max())
        position = np.searchsorted(calendar, days)
        group = group.assign(position=position).sort_values(["symbol", "position"])
        same_symbol = group["symbol"].eq(group["symbol"].shift())
        group["run"] = (~(same_symbol & group["position"].diff().eq(1))).cumsum()
        runs = group.groupby("run").agg(symbol=("symbol", "first"), date=("date", "min"), end_date=("date", "max"),
                                        n=("date", "size"))
        runs["detail"] = runs["n"].astype(str) + f" session(s) of {exchange} without a bar"
        parts.append(runs.assign(flag="gap"))
    return pd.concat(parts, ignore_index=True)[FLAG_COLUMNS].sort_values(["symbol", "date"]).reset_index(drop=True)


def before_listing_flags(con) -> pd.DataFrame:
    """Bars dated before the listing's first trading day: wrong symbol or a predecessor's history."""
    if not cache.has_table(con, "listings"):
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return con.execute(
        """
        SELECT p.symbol, 'before_listing' AS flag, min(p.date) AS date, max(p.date) AS end_date, count(*) AS n,
               printf('%d bars before the listing date %s', count(*), any_value(l.listed_since)) AS detail
        FROM prices p JOIN listings l ON l.symbol = p.symbol
        WHERE l.listed_since IS NOT NULL AND p.date < l.listed_since
        GROUP BY p.symbol
        """
    ).df()[FLAG_COLUMNS]


def price_flags(con) -> pd.DataFrame:
    """Every flagged stretch: symbol, flag, date, end_date, n, detail (sorted by symbol, date).

    Flags: bad_tick, split_like, stale_run, zero_volume (the SQL view), gap, before_listing."""
    parts = [con.execute(f"SELECT {', '.join(FLAG_COLUMNS)} FROM price_flags").df(),
             gap_flags(con), before_listing_flags(con)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    frame["n"] = frame["n"].astype(int)
    for col in ("date", "end_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame.sort_values(["symbol", "date", "flag"]).reset_index(drop=True)
