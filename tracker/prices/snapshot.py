"""The bundled seed price snapshot (``seeds/prices/``): what a first run uses when Yahoo is unreachable.

The snapshot holds Yahoo-format ``SYMBOL.csv`` files cut from ``../shared/prices`` to the symbols and
date ranges the seed study asks for (listings and benchmarks, estimation and event windows, plus a
margin), so ``make report`` on a machine without network still studies the seeds. Its rows are
stored with source ``snapshot`` and the report says they are not live data.

Rebuild it (after the seed articles or the study windows change) with::

    python -m tracker.prices.snapshot ../shared/prices seeds/prices
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from tracker.resources import seeds_dir

SOURCE = "snapshot"
# Calendar days kept beyond each needed range, so a small change in how the seed events are dated
# (a day 0 a week later) still finds its prices in the snapshot.
MARGIN = timedelta(days=30)


def snapshot_dir() -> Path:
    return seeds_dir() / "prices"


def available() -> dict[str, Path]:
    """Symbol → file of every CSV in the bundled snapshot (empty when it is not shipped)."""
    folder = snapshot_dir()
    if not folder.is_dir():
        return {}
    return {p.stem.upper(): p for p in sorted(folder.glob("*.csv"))}


def load(con, symbol: str, path: Path, now: datetime) -> int:
    """Store the snapshot's bars of symbol on dates that have no stored bar (a download or import
    already there wins) and log the file's stretches as covered. Returns the rows added."""
    from tracker.prices import cache
    from tracker.prices.csvdir import coverage_segments, read_price_csv

    already = con.execute("SELECT count(*) FROM price_fetches WHERE symbol = ? AND source = ?",
                          [symbol, SOURCE]).fetchall()[0][0]
    if already:   # loaded by an earlier run: its stretches are logged as covered
        return 0
    bars, errors, _notes = read_price_csv(path)
    if errors or bars.empty:
        return 0
    stored = {d for (d,) in con.execute("SELECT date FROM prices WHERE symbol = ?", [symbol]).fetchall()}
    new = bars[~bars["date"].isin(stored)]
    cache.store_bars(con, new.assign(symbol=symbol), SOURCE)
    cache.record_symbols(con, [symbol], SOURCE, now)
    dates = list(bars["date"])
    exchange = cache.exchanges_for(con, [symbol])[symbol][0]
    cache.log_fetches(con, [
        {"symbol": symbol, "start_date": lo, "end_date": hi, "source": SOURCE, "fetched_at": now,
         "n_rows": sum(lo <= d <= hi for d in dates), "outcome": "ok",
         "message": f"bundled snapshot {path.name}, not live data", "covers": True}
        for lo, hi in coverage_segments(exchange, dates)])
    return len(new)


def describe(frame: pd.DataFrame) -> str:
    """'bundled snapshot of 11 symbols, 2020-06-05..2025-11-28, not live data' for the given outcomes rows."""
    symbols = sorted(set(frame["symbol"]))
    firsts = [d for d in frame["first"] if d is not None and not pd.isna(d)]
    lasts = [d for d in frame["last"] if d is not None and not pd.isna(d)]
    span = f", {min(firsts)}..{max(lasts)}" if firsts and lasts else ""
    return f"bundled snapshot of {len(symbols)} symbols' daily prices{span} (seeds/prices), not live data"


def seed_needs() -> pd.DataFrame:
    """symbol, start, end the seed study needs, worked out on a throw-away in-memory database."""
    from tracker import pipeline
    from tracker.db import connect
    from tracker.study import load_study_events

    con = connect(":memory:")
    pipeline.extract(con, [seeds_dir()])
    load_study_events(con, pipeline.study_events_from_extracted(con))
    return pipeline.price_needs(con.execute("SELECT * FROM study_events").df())


def trim(source: Path, target: Path, needs: pd.DataFrame, margin: timedelta = MARGIN) -> list[str]:
    """Copy each needed symbol's rows inside its needed ranges (± margin) from source to target.
    Returns the symbols written; symbols without a source file or without rows are skipped."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for symbol, ranges in needs.groupby("symbol"):
        path = Path(source) / f"{symbol}.csv"
        if not path.is_file():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        days = pd.to_datetime(frame["date"]).dt.date
        keep = pd.Series(False, index=frame.index)
        for r in ranges.itertuples():
            keep |= (days >= r.start - margin) & (days <= r.end + margin)
        if keep.any():
            frame[keep].to_csv(target / path.name, index=False)
            written.append(symbol)
    return written


if __name__ == "__main__":  # python -m tracker.prices.snapshot SOURCE_DIR TARGET_DIR
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    done = trim(src, dst, seed_needs())
    print(f"wrote {len(done)} files to {dst}: {', '.join(done)}")
