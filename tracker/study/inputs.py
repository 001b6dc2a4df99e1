"""The study's input: the ``study_events`` table, from extracted events or from a user's CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from tracker.errors import TrackerError

STUDY_EVENT_COLUMNS = [
    "event_id", "symbol", "benchmark", "study_date", "day0",
    "event_type", "company", "label", "listed_since", "background",
]
_REQUIRED = ("event_id", "symbol", "benchmark", "study_date")
CSV_COLUMNS = ("symbol", "event_date", "event_type", "label", "benchmark")


def load_study_events(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> None:
    """Validate the rows and replace study_events with them. Extra columns are ignored."""
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise TrackerError(f"study events lack the column(s) {', '.join(missing)}; give event_id, symbol, benchmark, study_date")
    frame = df.copy()
    for column in STUDY_EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[STUDY_EVENT_COLUMNS]
    for column in _REQUIRED:
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if blank.any():
            row = frame[blank].iloc[0]
            raise TrackerError(f"study event {row['event_id']!r} has no {column}; fill it in or drop the row")
    dupes = frame.duplicated(["event_id", "symbol"], keep=False)
    if dupes.any():
        row = frame[dupes].iloc[0]
        raise TrackerError(f"study event {row['event_id']!r} appears twice for {row['symbol']}; keep one row per (event, symbol)")
    for column in ("study_date", "day0", "listed_since"):
        frame[column] = pd.to_datetime(frame[column], errors="coerce").dt.date
    frame["background"] = frame["background"].fillna(False).astype(bool)
    con.execute("DELETE FROM study_events")
    con.register("_study_events_in", frame)
    try:
        con.execute(
            "INSERT INTO study_events SELECT event_id::VARCHAR, symbol::VARCHAR, benchmark::VARCHAR, "
            "study_date::DATE, day0::DATE, event_type::VARCHAR, company::VARCHAR, label::VARCHAR, "
            "listed_since::DATE, background::BOOLEAN FROM _study_events_in"
        )
    finally:
        con.unregister("_study_events_in")


def read_events_csv(path: Path) -> pd.DataFrame:
    """A user's events file: ``symbol,event_date[,event_type,label,benchmark]``, ISO dates, header row required.

    Returns one row per event with columns symbol, event_date (date), event_type, label, benchmark
    (None where not given). Any bad row raises TrackerError naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise TrackerError(f"events file {path} not found; give a CSV with symbol,event_date[,event_type,label,benchmark]")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise TrackerError(f"{path} is empty; give a header line symbol,event_date[,event_type,label,benchmark]")
        names = [h.strip().lower() for h in header]
        unknown = [n for n in names if n not in CSV_COLUMNS]
        if "symbol" not in names or "event_date" not in names or unknown:
            raise TrackerError(
                f"{path}:1: header must be symbol,event_date[,event_type,label,benchmark] (got {','.join(header)})"
            )
        rows = []
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                raise TrackerError(f"{path}:{line_no}: {len(cells)} fields but the header has {len(names)}; quote commas in labels")
            record = {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)}
            if not record["symbol"]:
                raise TrackerError(f"{path}:{line_no}: the symbol is empty")
            try:
                event_date = date.fromisoformat(record["event_date"])
            except ValueError:
                raise TrackerError(
                    f"{path}:{line_no}: event_date {record['event_date']!r} is not a date like 2025-09-24"
                ) from None
            rows.append({
                "symbol": record["symbol"],
                "event_date": event_date,
                "event_type": record.get("event_type") or None,
                "label": record.get("label") or None,
                "benchmark": record.get("benchmark") or None,
                "line": line_no,
            })
    if not rows:
        raise TrackerError(f"{path} has no event rows below its header")
    return pd.DataFrame(rows, columns=[*CSV_COLUMNS, "line"])


def user_events_to_study_events(con: duckdb.DuckDBPyConnection, events: pd.DataFrame) -> pd.DataFrame:
    """study_events rows for a user's events: benchmark, company and listed_since from the listings table when the
    symbol is registered, else the benchmark of the symbol's exchange; day0 left NULL (first joined session)."""
    listings = _listings(con)
    out = []
    seen: dict[str, int] = {}
    for row in events.itertuples(index=False):
        listing = listings.get(row.symbol, {})
        base = f"{row.symbol}@{row.event_date.isoformat()}"
        seen[base] = seen.get(base, 0) + 1
        out.append({
            "event_id": base if seen[base] == 1 else f"{base}#{seen[base]}",
            "symbol": row.symbol,
            "benchmark": _text(row.benchmark) or listing.get("benchmark") or default_benchmark(row.symbol),
            "study_date": row.event_date,
            "day0": None,
            "event_type": _text(row.event_type) or "user",
            "company": listing.get("company") or row.symbol,
            "label": _text(row.label),
            "listed_since": listing.get("listed_since"),
            "background": False,
        })
    return pd.DataFrame(out, columns=STUDY_EVENT_COLUMNS)


def _text(value) -> str | None:
    """pandas turns missing text into NaN; the study wants None."""
    return value if isinstance(value, str) and value else None


def default_benchmark(symbol: str) -> str:
    """The registry's benchmark for the symbol's exchange (SPY where none is set)."""
    from tracker.prices import exchange_for
    from tracker.companies.registry_format import DEFAULT_BENCHMARKS

    return DEFAULT_BENCHMARKS.get(exchange_for(symbol), "SPY")


def _listings(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'listings'"
    ).fetchall()[0][0]
    if not exists:
        return {}
    rows = con.execute("SELECT symbol, company, benchmark, listed_since FROM listings").fetchall()
    return {s: {"company": c, "benchmark": b, "listed_since": ls} for s, c, b, ls in rows}
