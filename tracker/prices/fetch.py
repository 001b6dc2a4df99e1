"""Getting the prices a run needs: from the cache, from Yahoo for what is missing, or from a CSV folder.

``fetch`` asks Yahoo only for sessions the cache does not cover (cache.py states the rule), one
batched download per distinct missing range: each symbol's missing sessions are collapsed to one
envelope (a gap in the middle costs one request either way, since yfinance asks per ticker), and
symbols with the same envelope share a call. Outcomes are per symbol and never raise for a symbol
without data: the run goes on and the message says what to do.

An unreachable Yahoo costs one short wait per run, not one per symbol: before the first download a
probe (yahoo.reachable, at most a few seconds) checks the network, and a download call that nobody
answered stops further calls in the same run. A failed probe is remembered for RECHECK_AFTER, so a
re-run right after an offline run makes no network attempt at all. When Yahoo is unreachable,
``ensure_prices`` falls back to the bundled seed snapshot (tracker/prices/snapshot.py) for the
symbols it holds.

A symbol whose prices came from a CSV import (``price_symbols.source``) is not asked from Yahoo by a study or
report run: the user chose that source, and Yahoo may be unreachable. ``tracker prices fetch`` and ``--refresh``
ask for it all the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from tracker.errors import TrackerError
from tracker.prices import cache, snapshot, yahoo
from tracker.prices.csvdir import SOURCE as CSV_SOURCE
from tracker.prices.csvdir import import_csv_dir

OUTCOME_COLUMNS = ["symbol", "source", "rows", "first", "last", "status", "message"]
# The project's progress type (tracker.pipeline.Progress): one line of text, called after each download
# call as "prices [done/total] downloaded START..END: SYM, SYM..." so the CLI can show it or draw a bar.
Progress = Callable[[str], None]
Probe = Callable[[], bool]
UNREACHABLE = "unreachable"          # price_fetches.outcome of a load skipped because Yahoo could not be reached
RECHECK_AFTER = timedelta(minutes=10)


def _normalise_needs(needs: pd.DataFrame) -> pd.DataFrame:
    missing = {"symbol", "start", "end"} - set(needs.columns)
    if missing:
        raise TrackerError(f"price needs lack columns {sorted(missing)}; give symbol, start, end")
    frame = needs[["symbol", "start", "end"]].dropna().copy()
    frame["symbol"] = frame["symbol"].astype(str).str.strip().str.upper()   # Yahoo symbols are upper case
    frame["start"] = pd.to_datetime(frame["start"]).dt.date
    frame["end"] = pd.to_datetime(frame["end"]).dt.date
    bad = frame[frame["start"] > frame["end"]]
    if len(bad):
        r = bad.iloc[0]
        raise TrackerError(f"price range for {r.symbol} starts after it ends ({r.start} > {r.end}); swap --start/--end")
    return frame[frame["symbol"] != ""]


def _envelopes(needs: pd.DataFrame) -> dict[str, tuple[date, date]]:
    days = pd.DataFrame({"symbol": needs["symbol"], "start": pd.to_datetime(needs["start"]),
                         "end": pd.to_datetime(needs["end"])})
    grouped = days.groupby("symbol").agg(start=("start", "min"), end=("end", "max"))
    return dict(zip(grouped.index, zip(grouped["start"].dt.date, grouped["end"].dt.date)))


def _outcomes(con, spans: dict[str, tuple[date, date]], symbols: list[str], source: str,
              status: str | Callable[[int], str],
              messages: dict[str, str] | None = None) -> dict[str, dict]:
    """``_outcome`` for many symbols with one query for their stored rows."""
    if not symbols:
        return {}
    frame = pd.DataFrame({"symbol": symbols, "start": [spans[s][0] for s in symbols],
                          "end": [spans[s][1] for s in symbols]})
    stored = cache.stored_summaries(con, frame)
    firsts = stored["first"].astype(object).where(stored["rows"] > 0, None)
    lasts = stored["last"].astype(object).where(stored["rows"] > 0, None)
    out = {}
    for symbol, rows, first, last in zip(stored["symbol"], stored["rows"].astype(int), firsts, lasts):
        out[symbol] = {"symbol": symbol, "source": source, "rows": int(rows),
                       "first": _day(first) if rows else None, "last": _day(last) if rows else None,
                       "status": status(rows) if callable(status) else status,
                       "message": (messages or {}).get(symbol, "")}
    return out


def _day(value) -> date:
    return pd.Timestamp(value).date()


def _outcome(con, symbol: str, span: tuple[date, date], source: str, status: str, message: str) -> dict:
    rows, first, last = cache.stored_summary(con, symbol, *span)
    return {"symbol": symbol, "source": source, "rows": rows, "first": first, "last": last,
            "status": status, "message": message}


def _uncovered_message(con, symbol: str, days: list[date], exchanges) -> str:
    runs = cache.session_runs(exchanges[symbol][0], days)
    return f"no cached prices for {symbol} {cache.format_runs(runs)} ({len(days)} sessions)"


def fetch(con, needs: pd.DataFrame, *, refresh: bool = False, offline: bool = False,
          downloader: yahoo.Downloader | None = None, progress: Progress | None = None,
          now: datetime | None = None, sleep: Callable[[float], None] = time.sleep, retries: int = 2,
          batch_size: int = 50, threads: bool | int = True, probe: Probe | None = None,
          ask_imported: bool = True) -> pd.DataFrame:
    """Make sure ``prices`` covers needs (symbol, start, end); returns one outcome row per symbol.

    ``probe`` tells whether Yahoo can be reached; by default the real network probe is used with the
    real downloader, and none with an injected one (tests). ``attrs['yahoo_unreachable']`` on the
    result says whether this run found Yahoo unreachable. ``ask_imported=False`` leaves symbols
    imported from CSV to the cache (what they lack is reported, not asked)."""
    now = now or cache.utc_now()
    today = now.date()
    needs = _normalise_needs(needs)
    if needs.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    spans = _envelopes(needs)
    exchanges = cache.exchanges_for(con, list(spans))
    # offline wins over refresh: nothing can be re-downloaded, so report against the cache
    missing = cache.missing_sessions(con, needs, today, refresh=refresh and not offline)
    imported = set() if ask_imported or offline else cache.imported_symbols(con, [s for s, d in missing.items() if d])
    outcomes = _outcomes(con, spans, [s for s, days in missing.items() if not days], "cache", "cached")
    kept = {s: d for s, d in missing.items() if d and (offline or s in imported)}
    hint = {s: " (offline); run without --offline or use --prices-dir DIR" if offline else
            f"; {s} was imported from CSV, so Yahoo was not asked: run `tracker prices fetch {s}` "
            "or pass --refresh to download it" for s in kept}
    outcomes.update(_outcomes(con, spans, list(kept), "cache", lambda rows: "partial" if rows else "missing",
                              {s: _uncovered_message(con, s, d, exchanges) + hint[s] for s, d in kept.items()}))
    to_get: dict[tuple[date, date], list[str]] = {}
    for symbol, days in missing.items():
        if days and symbol not in kept:
            to_get.setdefault((days[0], days[-1]), []).append(symbol)
    unreachable = False
    if to_get:
        if probe is None and downloader is None:
            probe = yahoo.reachable
        downloader = downloader or yahoo.default_downloader()
        total = sum(len(v) for v in to_get.values())
        done = 0
        down_since = _recently_unreachable(con, now) if probe is not None and not refresh else None
        if down_since is not None:
            unreachable = True
            reason = (f"Yahoo was unreachable at {down_since:%H:%M} UTC, not asked again before "
                      f"{down_since + RECHECK_AFTER:%H:%M}; pass --refresh to try now")
        elif probe is not None and not probe():
            unreachable = True
            reason = None
        for (start, end), symbols in sorted(to_get.items()):
            for i in range(0, len(symbols), batch_size):
                batch = symbols[i:i + batch_size]
                if unreachable:
                    result = yahoo.BatchResult(failures={s: yahoo.unreachable_message(s) for s in batch})
                    if reason is None:   # only a real failed attempt is logged (and remembered)
                        _store_batch(con, batch, start, end, result, now, today, failed=UNREACHABLE)
                    else:
                        result.failures = {s: f"{yahoo.unreachable_message(s)} ({reason})" for s in batch}
                else:
                    result = yahoo.download_batch(batch, start, end, {s: exchanges[s][0] for s in batch},
                                                  downloader=downloader, retries=retries, sleep=sleep,
                                                  threads=threads)
                    _store_batch(con, batch, start, end, result, now, today)
                    # Nobody answered: the network is down (or Yahoo blocks us); the rest of the run asks no more.
                    unreachable = not result.bars and not result.authoritative_empty
                    reason = None
                for symbol in batch:
                    outcomes[symbol] = _download_outcome(con, needs[needs["symbol"] == symbol], spans[symbol],
                                                         start, end, result, today, exchanges)
                done += len(batch)
                if progress:
                    names = ", ".join(batch[:3]) + ("..." if len(batch) > 3 else "")
                    verb = "Yahoo unreachable, skipped" if unreachable else "asked Yahoo for"
                    progress(f"prices [{done}/{total}] {verb} {start}..{end}: {names}")
    frame = pd.DataFrame([outcomes[s] for s in sorted(outcomes)], columns=OUTCOME_COLUMNS)
    frame.attrs["yahoo_unreachable"] = unreachable
    return frame


def _recently_unreachable(con, now: datetime) -> datetime | None:
    """When the latest Yahoo load failed for want of a network less than RECHECK_AFTER ago: its time."""
    row = con.execute(
        "SELECT fetched_at, outcome FROM price_fetches WHERE source = ? ORDER BY fetched_at DESC LIMIT 1",
        [cache.YAHOO],
    ).fetchall()
    if row and row[0][1] == UNREACHABLE and now - RECHECK_AFTER <= row[0][0] <= now:
        return row[0][0]
    return None


def _store_batch(con, batch, start, end, result: yahoo.BatchResult, now: datetime, today: date,
                 failed: str = "error") -> None:
    """Store the bars that came and log one load per symbol; ``failed`` is the outcome of symbols
    without an answer ('error', or UNREACHABLE when no call was made)."""
    records = []
    for symbol in batch:
        bars = result.bars.get(symbol)
        if bars is not None:
            frame = bars.reset_index().assign(symbol=symbol)
            cache.store_bars(con, frame, cache.YAHOO)
            cache.record_symbols(con, [symbol], cache.YAHOO, now)
            outcome, covers, message = "ok", True, result.notes.get(symbol)
        elif symbol in result.authoritative_empty:
            outcome, covers, message = "empty", True, result.failures[symbol]
        else:
            outcome, covers, message = failed, False, result.failures[symbol]
        records.append({"symbol": symbol, "start_date": start, "end_date": end, "source": cache.YAHOO,
                        "fetched_at": now, "n_rows": 0 if bars is None else len(bars), "outcome": outcome,
                        "message": message, "covers": covers})
    cache.log_fetches(con, records)


def _download_outcome(con, symbol_needs: pd.DataFrame, span, start, end, result: yahoo.BatchResult, today,
                      exchanges) -> dict:
    symbol = symbol_needs["symbol"].iloc[0]
    if symbol in result.bars:
        still = cache.missing_sessions(con, symbol_needs, today)[symbol]
        note = result.notes.get(symbol, "")
        got = f"downloaded {len(result.bars[symbol])} rows {start}..{end}"
        message = "; ".join(m for m in (got, note) if m)
        return _outcome(con, symbol, span, cache.YAHOO, "partial" if still else "ok",
                        message if not still else message + "; " + _uncovered_message(con, symbol, still, exchanges))
    rows = cache.stored_summary(con, symbol, *span)[0]
    failure = result.failures[symbol]
    if rows:
        return _outcome(con, symbol, span, "cache", "partial", failure + f"; kept {rows} stored rows")
    is_error = symbol not in result.authoritative_empty and "failed after" in failure
    return _outcome(con, symbol, span, cache.YAHOO, "error" if is_error else "missing", failure)


def ensure_prices(con, needs: pd.DataFrame, prices_dir: Path | None = None, offline: bool = False,
                  refresh: bool = False, downloader: yahoo.Downloader | None = None,
                  progress: Progress | None = None, **kwargs) -> pd.DataFrame:
    """Pipeline entry: prices for needs from ``prices_dir`` CSVs if given, else the cache + Yahoo."""
    if prices_dir is None:
        kwargs.setdefault("ask_imported", refresh)
        outcomes = fetch(con, needs, refresh=refresh, offline=offline, downloader=downloader,
                         progress=progress, **kwargs)
        if outcomes.attrs.get("yahoo_unreachable"):
            outcomes = _fill_from_snapshot(con, _normalise_needs(needs), outcomes, kwargs.get("now"))
        return outcomes
    needs = _normalise_needs(needs)
    symbols = sorted(needs["symbol"].unique())
    imported = import_csv_dir(con, Path(prices_dir), symbols=symbols)
    spans = _envelopes(needs)
    exchanges = cache.exchanges_for(con, symbols)
    stored = _outcomes(con, spans, list(imported["symbol"]), "cache", "")
    ok = needs[needs["symbol"].isin(imported.loc[imported["status"] == "ok", "symbol"])]
    missing = cache.missing_sessions(con, ok, cache.utc_now().date()) if len(ok) else {}
    rows = []
    for r in imported.itertuples():
        out = stored[r.symbol] | {"source": CSV_SOURCE, "status": r.status, "message": r.message}
        if r.status == "ok":
            span = spans[r.symbol]
            still = missing.get(r.symbol, [])
            if out["rows"] == 0:
                out.update(status="missing", message=f"{r.symbol}.csv has no rows in {span[0]}..{span[1]}")
            elif still:
                out.update(status="partial",
                           message=f"{r.message}; " + _uncovered_message(con, r.symbol, still, exchanges).replace(
                               "no cached prices", "no rows"))
        rows.append(out)
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def _fill_from_snapshot(con, needs: pd.DataFrame, outcomes: pd.DataFrame, now: datetime | None) -> pd.DataFrame:
    """Yahoo is unreachable: symbols still short of prices take what the bundled snapshot holds.
    ``attrs['snapshot']`` lists the symbols that did."""
    files = snapshot.available()
    spans = _envelopes(needs)
    exchanges = cache.exchanges_for(con, list(spans))
    today = (now or cache.utc_now()).date()
    rows, used = [], []
    for row in outcomes.to_dict("records"):
        symbol = row["symbol"]
        if row["status"] in ("missing", "partial", "error") and symbol in files:
            snapshot.load(con, symbol, files[symbol], now or cache.utc_now())
            still = cache.missing_sessions(con, needs[needs["symbol"] == symbol], today)[symbol]
            n, first, last = cache.stored_summary(con, symbol, *spans[symbol])
            if n:
                used.append(symbol)
                message = f"bundled snapshot, not live data: {n} rows {first}..{last}"
                if still:
                    message += "; " + _uncovered_message(con, symbol, still, exchanges).replace(
                        "no cached prices", "no rows") + " (Yahoo unreachable)"
                row = _outcome(con, symbol, spans[symbol], snapshot.SOURCE, "partial" if still else "ok", message)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    frame.attrs.update(outcomes.attrs)
    frame.attrs["snapshot"] = used
    return frame
