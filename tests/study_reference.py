"""Textbook abnormal returns for the study tests, computed from the prices table with pandas and independently of
tracker/study/kernel.py: every estimation- and event-window day of each studied (event, listing) row."""

from __future__ import annotations

import pandas as pd


def abnormal_returns(con, result) -> pd.DataFrame:
    """One row per (event_id, symbol, day) in the estimation or event window with a joined session and a fitted model:
    event_id, symbol, event_type, company, day, date, ar, in_est, and ev (a number per (event_id, symbol))."""
    params = result.params
    prices = con.execute("SELECT symbol, date, adj_close FROM prices ORDER BY symbol, date").df()
    prices["ret"] = prices.groupby("symbol").adj_close.pct_change()
    returns = prices.dropna(subset=["ret"])
    rows = []
    studied = result.results.dropna(subset=["alpha", "beta", "day0"]).reset_index(drop=True)
    for ev, r in studied.iterrows():
        stock = returns[returns.symbol == r.symbol][["date", "ret"]]
        bench = returns[returns.symbol == r.benchmark][["date", "ret"]].rename(columns={"ret": "bench_ret"})
        joined = stock.merge(bench, on="date").sort_values("date").reset_index(drop=True)
        pos0 = joined.index[joined.date == pd.Timestamp(r.day0)][0]
        joined["day"] = joined.index - pos0
        e0, e1 = params.estimation
        w0, w1 = params.window
        joined = joined[joined.day.between(e0, e1) | joined.day.between(w0, w1)]
        rows.append(pd.DataFrame({
            "ev": ev, "event_id": r.event_id, "symbol": r.symbol,
            "event_type": r.event_type if isinstance(r.event_type, str) else "unknown",
            "company": r.company if isinstance(r.company, str) else r.symbol,
            "in_aggregates": r.in_aggregates, "day": joined.day.to_numpy(), "date": joined.date.to_numpy(),
            "ar": (joined.ret - r.alpha - r.beta * joined.bench_ret).to_numpy(),
            "in_est": joined.day.between(e0, e1).to_numpy(),
        }))
    return pd.concat(rows, ignore_index=True)
