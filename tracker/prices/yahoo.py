"""yfinance adapter: one batched ``yf.download`` per range, normalised to plain bars per symbol.

yfinance 1.x returns, for ``group_by='column'``, columns as a MultiIndex (Price, Ticker); with
``group_by='ticker'`` the levels are swapped; ``multi_level_index=False`` on one symbol gives flat
columns. The index is tz-naive local dates for daily bars by default, but tz-aware (converted to the
most common exchange timezone of the batch) with ``ignore_tz=False``, so a Hong Kong bar can show up
as 11:00 of the previous New York day: dates are taken in the symbol's own exchange timezone. A
failed symbol is an all-NaN column set; when every symbol fails (no internet, rate limit) yfinance
returns an EMPTY frame without raising. All of these are handled here; see
tests/fixtures/yfinance/ for recorded examples.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from tracker.prices.cache import PRICE_COLUMNS
from tracker.prices.calendars import exchange_timezone

Downloader = Callable[..., pd.DataFrame]
_FIELDS = {"open", "high", "low", "close", "adj close", "adj_close", "volume", "dividends", "stock splits",
           "capital gains", "repaired?"}
# Programming errors are not worth retrying; anything else (HTTP, timeouts, rate limits) may pass.
_PERMANENT = (TypeError, AttributeError, NameError, KeyError, ImportError, AssertionError)

NO_ADJ_CLOSE = "no Adj Close from Yahoo, adj_close = close (returns ignore dividends)"


# The host yfinance asks for daily bars; reaching its HTTPS port is what a download needs first.
YAHOO_HOST = "query2.finance.yahoo.com"
PROBE_TIMEOUT = 4.0   # seconds: DNS and TCP together, so an unreachable Yahoo costs one short wait per run


def network_message(symbol: str) -> str:
    return f"no price data for {symbol} from Yahoo: network unreachable? use --prices-dir DIR or --offline"


def unreachable_message(symbol: str) -> str:
    return (f"no price data for {symbol}: Yahoo is unreachable (no network?); "
            "use --prices-dir DIR with Yahoo-format CSVs, or run again with network")


def reachable(host: str = YAHOO_HOST, port: int = 443, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether a TCP connection to Yahoo opens within ``timeout`` seconds (name lookup included).

    The lookup runs in a daemon thread because ``getaddrinfo`` has no timeout of its own and can
    hang for half a minute on a machine without network; the caller waits at most ``timeout``."""
    answer: list[bool] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except Exception:  # noqa: BLE001 - whatever stops the connection, Yahoo is not reachable
            answer.append(False)

    worker = threading.Thread(target=attempt, name="yahoo-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(answer and answer[0])


def default_downloader() -> Downloader:
    """yf.download, quietened: yfinance logs each failure to stderr and pandas warns about its
    internals; our outcomes already say what failed, and only the CLI may print."""
    import yfinance as yf

    def download(tickers, **kwargs):
        log = logging.getLogger("yfinance")
        level = log.level
        log.setLevel(logging.CRITICAL)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return yf.download(tickers, **kwargs)
        finally:
            log.setLevel(level)

    return download


@dataclass
class BatchResult:
    bars: dict[str, pd.DataFrame] = field(default_factory=dict)   # symbol → date-indexed bars
    notes: dict[str, str] = field(default_factory=dict)           # symbol → remark on usable data
    failures: dict[str, str] = field(default_factory=dict)        # symbol → why there is no data
    authoritative_empty: set[str] = field(default_factory=set)    # Yahoo answered, just no rows
    calls: int = 0


def _normalise_name(name) -> str:
    return str(name).strip().lower().replace("adj close", "adj_close").replace(" ", "_")


def _per_symbol_columns(frame: pd.DataFrame, symbols: list[str]) -> dict[str, pd.DataFrame]:
    """Split a download into one frame per requested symbol (missing symbols are left out)."""
    cols = frame.columns
    if isinstance(cols, pd.MultiIndex):
        field_level = max(range(cols.nlevels),
                          key=lambda lvl: sum(str(v).lower() in _FIELDS for v in cols.get_level_values(lvl)))
        ticker_level = 1 - field_level if cols.nlevels == 2 else None
        if ticker_level is None:
            raise ValueError(f"unexpected yfinance column levels: {cols.names}")
        by_upper = {str(t).upper(): t for t in cols.get_level_values(ticker_level).unique()}
        out = {}
        for symbol in symbols:
            key = by_upper.get(symbol.upper())
            if key is not None:
                out[symbol] = frame.xs(key, level=ticker_level, axis=1)
        return out
    if len(symbols) == 1:
        return {symbols[0]: frame}
    raise ValueError("yfinance returned flat columns for several symbols; cannot tell them apart")


def normalise_bars(raw: pd.DataFrame, exchange: str) -> tuple[pd.DataFrame, str | None]:
    """Date-indexed bars with PRICE_COLUMNS; rows without a close dropped. Returns (bars, note)."""
    frame = raw.copy()
    frame.columns = [_normalise_name(c) for c in frame.columns]
    frame = frame.loc[:, ~pd.Index(frame.columns).duplicated()]
    note = None
    if "close" not in frame.columns:
        return pd.DataFrame(columns=PRICE_COLUMNS), "no Close column in Yahoo's answer"
    if "adj_close" not in frame.columns or frame["adj_close"].isna().all():
        frame["adj_close"] = frame["close"]
        note = NO_ADJ_CLOSE
    for col in PRICE_COLUMNS:
        if col not in frame.columns:
            frame[col] = float("nan")
    index = pd.DatetimeIndex(pd.to_datetime(frame.index))
    if index.tz is not None:
        index = index.tz_convert(exchange_timezone(exchange)).tz_localize(None)
    frame.index = index.normalize().date
    frame.index.name = "date"
    frame = frame[PRICE_COLUMNS].apply(pd.to_numeric, errors="coerce")
    frame = frame[frame["close"].notna()]
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    return frame, note


def split_download(frame: pd.DataFrame | None, symbols: list[str], exchanges: dict[str, str],
                   start: date, end: date) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Bars per symbol that actually has rows in start..end, and notes. Empty frame → {}."""
    if frame is None or frame.empty or len(frame.columns) == 0:
        return {}, {}
    bars, notes = {}, {}
    for symbol, raw in _per_symbol_columns(frame, symbols).items():
        got, note = normalise_bars(raw, exchanges[symbol])
        got = got[(got.index >= start) & (got.index <= end)]
        if len(got):
            bars[symbol] = got
            if note:
                notes[symbol] = note
    return bars, notes


def download_batch(symbols: list[str], start: date, end: date, exchanges: dict[str, str], *,
                   downloader: Downloader, retries: int = 2, backoff: float = 1.0,
                   sleep: Callable[[float], None] = time.sleep, threads: bool | int = True) -> BatchResult:
    """Download start..end (inclusive) for symbols, retrying symbols without data with backoff.

    Retried: exceptions other than programming errors, and symbols that came back empty (yfinance
    turns rate limits and timeouts into empty columns). After the last attempt each symbol still
    without rows gets a failure message; if some symbols did get rows in the same call, Yahoo was
    reachable and the empty answer is recorded as authoritative for the day.
    """
    result = BatchResult()
    pending = list(symbols)
    last_error: Exception | None = None
    anyone_answered = False
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        result.calls += 1
        try:
            frame = downloader(pending, start=start.isoformat(), end=(end + timedelta(days=1)).isoformat(),
                               auto_adjust=False, actions=False, group_by="column", progress=False,
                               threads=threads)
        except _PERMANENT:
            raise
        except Exception as exc:  # noqa: BLE001 - any transport failure is retried, then reported
            last_error = exc
            continue
        last_error = None
        got, notes = split_download(frame, pending, exchanges, start, end)
        anyone_answered = anyone_answered or bool(got)
        result.bars.update(got)
        result.notes.update(notes)
        pending = [s for s in pending if s not in got]
        if not pending:
            break
    span = f"{start}..{end}"
    for symbol in pending:
        if last_error is not None:
            result.failures[symbol] = (f"download of {symbol} {span} failed after {retries + 1} attempts: "
                                       f"{type(last_error).__name__}: {last_error}; use --prices-dir DIR or --offline")
        elif anyone_answered:
            result.failures[symbol] = (f"Yahoo returned no rows for {symbol} in {span}: unknown, delisted or "
                                       f"not yet listed? check the symbol or use --prices-dir DIR")
            result.authoritative_empty.add(symbol)
        else:
            result.failures[symbol] = network_message(symbol)
    return result
