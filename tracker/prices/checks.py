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
from tracker.prices.calendars import sessions

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
    """symbol, date: every session inside a covered span without a stored bar."""
    spans = covered_spans(con)
    if spans.empty:
        return pd.DataFrame(columns=["symbol", "date"])
    exchanges = cache.exchanges_for(con, spans["symbol"].unique())
    expected = []
    for symbol, group in spans.groupby("symbol"):
        days = set()
        for r in group.itertuples():
            days.update(sessions(exchanges[symbol][0], pd.Timestamp(r.lo).date(), pd.Timestamp(r.hi).date()))
        expected.append(pd.DataFrame({"symbol": symbol, "date": sorted(days)}))
    frame = pd.concat(expected, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    stored = con.execute("SELECT symbol, CAST(date AS TIMESTAMP) AS date FROM prices").df()
    merged = frame.merge(stored, on=["symbol", "date"], how="left", indicator=True)
    gaps = merged[merged["_merge"] == "left_only"][["symbol", "date"]]
    gaps["date"] = gaps["date"].dt.date
    return gaps.reset_index(drop=True)


def gap_flags(con) -> pd.DataFrame:
    """One 'gap' flag per run of consecutive missing sessions."""
    gaps = missing_bars(con)
    if gaps.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    exchanges = cache.exchanges_for(con, gaps["symbol"].unique())
    rows = []
    for symbol, group in gaps.groupby("symbol"):
        days = list(group["date"])
        for lo, hi in cache.session_runs(exchanges[symbol][0], days):
            n = int(np.sum([(lo <= d <= hi) for d in days]))
            rows.append({"symbol": symbol, "flag": "gap", "date": lo, "end_date": hi, "n": n,
                         "detail": f"{n} session(s) of {exchanges[symbol][0]} without a bar"})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


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
