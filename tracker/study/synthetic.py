"""Synthetic prices with known returns, for tests, the calibration and the benchmark (never for real studies).

Prices are built from returns by compounding, so the study's simple returns give the same returns back.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from tracker.db import insert_frame


def business_days(start: date | str, n: int) -> pd.DatetimeIndex:
    return pd.bdate_range(pd.Timestamp(start), periods=n)


def prices_from_returns(symbol: str, returns, dates, start_price: float = 100.0) -> pd.DataFrame:
    """prices rows for one symbol: the first date carries start_price, then each date compounds one return,
    so len(dates) == len(returns) + 1."""
    returns = np.asarray(returns, dtype=float)
    if len(dates) != len(returns) + 1:
        raise ValueError("need one more date than returns")
    level = start_price * np.concatenate([[1.0], np.cumprod(1.0 + returns)])
    return pd.DataFrame({
        "symbol": symbol, "date": pd.DatetimeIndex(dates).date, "open": level, "high": level, "low": level,
        "close": level, "adj_close": level, "volume": 1000.0, "source": "synthetic",
    })


def insert_prices(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    insert_frame(con, "prices", frame)


def market_panel(n_symbols: int, n_days: int, *, seed: int = 0, start: str = "2015-01-01",
                 benchmark: str = "MKT", sigma_m: float = 0.01, sigma_e: float = 0.02) -> pd.DataFrame:
    """prices rows for a benchmark and n_symbols stocks following a market model with normal errors
    (alpha ~ N(0, 5e-4), beta ~ U(0.5, 1.5)) over n_days business days: the null of no abnormal return."""
    rng = np.random.default_rng(seed)
    dates = business_days(start, n_days + 1)
    market = rng.normal(0.0003, sigma_m, n_days)
    alphas = rng.normal(0.0, 5e-4, n_symbols)
    betas = rng.uniform(0.5, 1.5, n_symbols)
    noise = rng.normal(0.0, sigma_e, (n_symbols, n_days))
    stock = alphas[:, None] + betas[:, None] * market[None, :] + noise
    level = 100.0 * np.concatenate([np.ones((n_symbols + 1, 1)), np.cumprod(1.0 + np.vstack([market, stock]), axis=1)], axis=1)
    symbols = [benchmark] + [f"S{i:04d}" for i in range(n_symbols)]
    frame = pd.DataFrame({
        "symbol": np.repeat(symbols, n_days + 1),
        "date": np.tile(dates.date, n_symbols + 1),
        "adj_close": level.ravel(),
    })
    frame["open"] = frame["high"] = frame["low"] = frame["close"] = frame["adj_close"]
    frame["volume"] = 1000.0
    frame["source"] = "synthetic"
    return frame


def prices_for(series: dict[str, "np.ndarray | list[float]"], start: str = "2024-01-01") -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """prices rows for several symbols whose returns share the same business days (all series equally long).
    Returns the rows and the dates of the returns (return i is realised on dates[i])."""
    lengths = {len(v) for v in series.values()}
    if len(lengths) != 1:
        raise ValueError("all return series must have the same length")
    n = lengths.pop()
    dates = business_days(start, n + 1)
    frame = pd.concat([prices_from_returns(s, r, dates) for s, r in series.items()], ignore_index=True)
    return frame, dates[1:]
