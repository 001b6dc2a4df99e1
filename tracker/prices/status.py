"""``tracker prices status``: one row per symbol with what an analyst checks first.

Symbols appear once they have bars or a logged load attempt, so a symbol whose download failed
shows up with rows = 0 and the reason in ``problem``. ``source`` names where the stored bars came
from, per stretch of dates ("csv 2024-06-03..2025-03-31; yfinance 2025-04-01..2025-10-30"): a later
load of the same dates replaces the bars, so this is the latest source of every date.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from tracker.prices import cache
from tracker.prices.calendars import sessions
from tracker.prices.checks import covered_spans, price_flags

STATUS_COLUMNS = ["symbol", "exchange", "currency", "rows", "first", "last", "covered", "gaps", "gap_examples",
                  "flags", "flag_examples", "source", "fetched_at", "problem"]
EXAMPLES = 3


def status(con) -> pd.DataFrame:
    """Per symbol: rows, first/last date, covered stretches, gaps (missing sessions) and flags with a few
    examples, source and time of the latest load, and the latest failed load's message (``problem``)."""
    base = con.execute(
        """
        WITH symbols AS (SELECT symbol FROM prices UNION SELECT symbol FROM price_fetches),
        bars AS (SELECT symbol, count(*) AS n, min(date) AS first, max(date) AS last, any_value(source) AS source
                 FROM prices GROUP BY symbol),
        latest AS (SELECT symbol, source, outcome, message, fetched_at FROM price_fetches
                   QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY fetched_at DESC, outcome = 'ok' DESC) = 1)
        SELECT y.symbol, s.exchange, s.currency, coalesce(b.n, 0) AS rows, b.first, b.last,
               coalesce(s.source, b.source, l.source) AS source, coalesce(s.fetched_at, l.fetched_at) AS fetched_at,
               CASE WHEN l.outcome <> 'ok' THEN l.message END AS problem
        FROM symbols y
        LEFT JOIN bars b USING (symbol)
        LEFT JOIN price_symbols s USING (symbol)
        LEFT JOIN latest l USING (symbol)
        ORDER BY y.symbol
        """
    ).df()
    if base.empty:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    fallback = cache.exchanges_for(con, base["symbol"])
    base["exchange"] = [e if isinstance(e, str) else fallback[s][0] for s, e in zip(base["symbol"], base["exchange"])]
    base["currency"] = [c if isinstance(c, str) else fallback[s][1] for s, c in zip(base["symbol"], base["currency"])]
    runs = source_runs(con)
    base["source"] = [runs.get(sym) or src for sym, src in zip(base["symbol"], base["source"])]
    flags = price_flags(con)
    spans = covered_spans(con)
    is_gap = flags["flag"] == "gap"
    base["covered"] = [_stretches(ex, spans[spans["symbol"] == s]) for s, ex in zip(base["symbol"], base["exchange"])]
    base[["gaps", "gap_examples"]] = [_summary(flags[is_gap & (flags["symbol"] == s)], by_sessions=True)
                                      for s in base["symbol"]]
    base[["flags", "flag_examples"]] = [_summary(flags[~is_gap & (flags["symbol"] == s)], by_sessions=False)
                                        for s in base["symbol"]]
    base["rows"] = base["rows"].astype(int)
    for col in ("first", "last"):
        base[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in base[col]]
    base["problem"] = base["problem"].where(base["problem"].notna(), "")
    return base[STATUS_COLUMNS]


def _summary(mine: pd.DataFrame, by_sessions: bool) -> tuple[int, str]:
    """(count, examples): gaps count missing sessions, other flags count flagged stretches."""
    count = int(mine["n"].sum()) if by_sessions else len(mine)
    if by_sessions:
        shown = [str(r.date) if r.date == r.end_date else f"{r.date}..{r.end_date}" for r in mine.head(EXAMPLES).itertuples()]
    else:
        shown = [f"{r.flag} {r.date}" for r in mine.head(EXAMPLES).itertuples()]
    return count, ", ".join(shown) + (" ..." if len(mine) > EXAMPLES else "")


def _stretches(exchange: str, spans: pd.DataFrame) -> str:
    """Covered stretches, merged where no session lies between them: '2020-06-01..2021-12-31, ...'."""
    merged: list[list] = []
    for r in spans.sort_values("lo").itertuples():
        lo, hi = pd.Timestamp(r.lo).date(), pd.Timestamp(r.hi).date()
        if merged and not sessions(exchange, merged[-1][1] + timedelta(days=1), lo - timedelta(days=1)):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return ", ".join(f"{a}..{b}" for a, b in merged)


def source_runs(con) -> dict[str, str]:
    """symbol → 'source first..last; ...' over the stored bars, one entry per run of dates with one source."""
    frame = con.execute(
        """
        WITH tagged AS (
            SELECT symbol, date, source,
                   row_number() OVER (PARTITION BY symbol ORDER BY date)
                 - row_number() OVER (PARTITION BY symbol, source ORDER BY date) AS run
            FROM prices
        )
        SELECT symbol, source, min(date) AS lo, max(date) AS hi
        FROM tagged GROUP BY symbol, source, run ORDER BY symbol, lo
        """
    ).fetchall()
    out: dict[str, list[str]] = {}
    for symbol, source, lo, hi in frame:
        out.setdefault(symbol, []).append(f"{source} {lo}..{hi}")
    return {symbol: "; ".join(parts) for symbol, parts in out.items()}
