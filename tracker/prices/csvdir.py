"""Importing a folder of ``SYMBOL.csv`` price files (Yahoo export format and common variants).

The symbol is the file name without ``.csv``, upper-cased as Yahoo writes symbols (``^HSI.csv`` →
``^HSI``, ``9988.hk.csv`` → ``9988.HK``). A later load of the same dates replaces the stored bars.

Accepted: header names in any case, ``Adj Close``/``adj_close``/``adjclose``, ``Date``/``date``,
extra columns (ignored), any row order, blank volume, dates as ISO (a time/zone suffix, as pandas
writes a yfinance index, is ignored) or YYYYMMDD, and Yahoo's all-"null" rows (skipped). Rejected
with file and line: unparseable dates, duplicate dates, non-numeric or non-positive prices, negative
volume. A rejected file imports nothing and leaves stored rows alone; the other files still import.

A file's coverage (what later runs treat as known) is its rows split wherever more than
SEGMENT_BREAK consecutive sessions are missing: a file holding 2020-21 and 2024-26 covers those two
stretches, not the years between; a shorter hole stays inside and is reported as a gap.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.errors import TrackerError
from tracker.prices import cache
from tracker.prices.calendars import sessions

SEGMENT_BREAK = 10
SOURCE = "csv"   # prices.source of imported rows; price_fetches.message names the file
MAX_ERRORS_SHOWN = 3
IMPORT_COLUMNS = ["symbol", "file", "rows", "first", "last", "status", "message"]
_ALIASES = {"adjclose": "adj_close", "adj_close": "adj_close", "adjusted_close": "adj_close",
            "datetime": "date", "timestamp": "date", "vol": "volume"}
_NULLS = {"", "null", "nan", "none", "-"}


def _column_name(raw: str) -> str:
    name = re.sub(r"[\s\-.]+", "_", str(raw).strip().lower()).strip("_")
    return _ALIASES.get(name, name)


def _parse_dates(text: pd.Series) -> pd.Series:
    iso = pd.to_datetime(text.str.strip().str[:10], format="%Y-%m-%d", errors="coerce")
    compact = pd.to_datetime(text.str.strip(), format="%Y%m%d", errors="coerce")
    return iso.fillna(compact)


def read_price_csv(path: Path) -> tuple[pd.DataFrame, list[str], list[str]]:
    """(bars with date + PRICE_COLUMNS, errors, notes). Errors name the file and the line."""
    name = path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(), [f"{name}: the file is empty"], []
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return pd.DataFrame(), [f"{name}: not a readable CSV ({str(exc).strip().splitlines()[-1]})"], []
    raw.columns = [_column_name(c) for c in raw.columns]
    raw = raw.loc[:, ~raw.columns.duplicated()]
    if "date" not in raw.columns or not {"close", "adj_close"} & set(raw.columns):
        needed = "date" if "date" not in raw.columns else "close (or adj_close)"
        return pd.DataFrame(), [f"{name} line 1: no {needed} column (found: {', '.join(raw.columns) or 'nothing'}); "
                                "the header must be date,open,high,low,close,adj_close,volume"], []
    if "close" not in raw.columns:   # only an adjusted close: it is the close we study
        raw["close"] = raw["adj_close"]
    raw.index = raw.index + 2  # line numbers: the header is line 1
    raw = raw[~(raw.apply(lambda c: c.str.strip()).eq("").all(axis=1))]
    errors: list[str] = []
    notes: list[str] = []
    fields = [c for c in cache.PRICE_COLUMNS if c in raw.columns]
    text = raw[fields].apply(lambda c: c.str.strip())
    is_null = text.apply(lambda c: c.str.lower().isin(_NULLS))
    null_rows = is_null[[c for c in ("open", "high", "low", "close") if c in fields]].all(axis=1)
    if null_rows.any():
        notes.append(f"skipped {int(null_rows.sum())} rows without prices (e.g. line {null_rows[null_rows].index[0]})")
    raw, text, is_null = raw[~null_rows], text[~null_rows], is_null[~null_rows]
    numbers = text.apply(lambda c: pd.to_numeric(c.str.replace(",", "", regex=False), errors="coerce"))
    for col in fields:
        bad = numbers[col].isna() & ~is_null[col]
        errors += [f"{name} line {ln}: {col} is not a number: {text.at[ln, col]!r}" for ln in bad[bad].index]
    blank_close = is_null["close"]
    errors += [f"{name} line {ln}: close is blank" for ln in blank_close[blank_close].index]
    for col in (c for c in fields if c != "volume"):
        bad = numbers[col] <= 0
        errors += [f"{name} line {ln}: {col} must be positive, got {text.at[ln, col]}" for ln in bad[bad].index]
    if {"high", "low"} <= set(fields):
        bad = numbers["high"] < numbers["low"]
        errors += [f"{name} line {ln}: high {text.at[ln, 'high']} is below low {text.at[ln, 'low']}"
                   for ln in bad[bad].index]
    if "volume" in fields:
        bad = numbers["volume"] < 0
        errors += [f"{name} line {ln}: volume must not be negative, got {text.at[ln, 'volume']}" for ln in bad[bad].index]
    dates = _parse_dates(raw["date"])
    bad = dates.isna()
    errors += [f"{name} line {ln}: unparseable date {raw.at[ln, 'date']!r} (use YYYY-MM-DD)" for ln in bad[bad].index]
    dupes = dates[dates.notna() & dates.duplicated(keep=False)]
    for day, lines in dupes.groupby(dupes).groups.items():
        errors.append(f"{name} lines {', '.join(map(str, lines))}: duplicate date {day.date()}")
    if errors:
        return pd.DataFrame(), errors, notes
    bars = numbers.reindex(columns=cache.PRICE_COLUMNS)
    if "adj_close" not in fields:
        notes.append("no adj_close column, adj_close = close")
    bars["adj_close"] = bars["adj_close"].fillna(bars["close"])
    bars.insert(0, "date", dates.dt.date)
    return bars.sort_values("date").reset_index(drop=True), [], notes


def coverage_segments(exchange: str, dates: list) -> list[tuple]:
    """Split sorted dates into stretches with at most SEGMENT_BREAK missing sessions inside."""
    if not dates:
        return []
    days = np.array(sessions(exchange, dates[0], dates[-1]), dtype="datetime64[D]")
    pos = np.searchsorted(days, np.array(dates, dtype="datetime64[D]"))
    breaks = np.flatnonzero(np.diff(pos) > SEGMENT_BREAK + 1)
    starts = [0, *(breaks + 1)]
    ends = [*breaks, len(dates) - 1]
    return [(dates[a], dates[b]) for a, b in zip(starts, ends)]


def _summarise(errors: list[str]) -> str:
    shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
    more = f" (+{len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
    return f"{shown}{more}; fix the file and import again"


def import_csv_file(con, path: Path, symbol: str, source: str) -> dict:
    """Validate and store one file; returns its outcome row."""
    bars, errors, notes = read_price_csv(path)
    base = {"symbol": symbol, "file": str(path), "rows": 0, "first": None, "last": None}
    if errors:
        return base | {"status": "error", "message": _summarise(errors)}
    if bars.empty:
        return base | {"status": "missing", "message": f"{path.name} has no price rows"}
    now = cache.utc_now()
    cache.store_bars(con, bars.assign(symbol=symbol), source)
    cache.record_symbols(con, [symbol], source, now)
    exchange = cache.exchanges_for(con, [symbol])[symbol][0]
    dates = list(bars["date"])
    records = []
    for lo, hi in coverage_segments(exchange, dates):
        n = sum(lo <= d <= hi for d in dates)
        records.append({"symbol": symbol, "start_date": lo, "end_date": hi, "source": source, "fetched_at": now,
                        "n_rows": n, "outcome": "ok", "message": f"imported from {path}", "covers": True})
    cache.log_fetches(con, records)
    message = "; ".join([f"imported {len(bars)} rows in {len(records)} stretch(es)", *notes])
    return base | {"rows": len(bars), "first": dates[0], "last": dates[-1], "status": "ok", "message": message}


def import_csv_dir(con, folder: Path, symbols: list[str] | None = None) -> pd.DataFrame:
    """Import SYMBOL.csv files from folder (all, or just ``symbols``). One outcome row per symbol."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TrackerError(f"price folder {folder} does not exist; pass a folder of SYMBOL.csv files")
    files = {p.stem.upper(): p for p in sorted(folder.iterdir()) if p.suffix.lower() == ".csv" and p.is_file()}
    source = SOURCE
    if symbols is None:
        if not files:
            raise TrackerError(f"no SYMBOL.csv files in {folder}; export prices from Yahoo as e.g. BABA.csv")
        wanted = list(files.items())
    else:
        wanted = [(s, files.get(s.upper())) for s in symbols]
    rows = []
    for symbol, path in wanted:
        if path is None:
            rows.append({"symbol": symbol, "file": None, "rows": 0, "first": None, "last": None,
                         "status": "missing", "message": f"no {symbol}.csv in {folder}"})
        else:
            rows.append(import_csv_file(con, path, symbol, source))
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)
