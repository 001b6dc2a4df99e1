"""The study's input: the ``study_events`` table, from extracted events or from a user's CSV."""

from __future__ import annotations

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
    frame = df.reindex(columns=STUDY_EVENT_COLUMNS)
    for column in _REQUIRED:
        values = frame[column]
        blank = values.isna()
        if not pd.api.types.is_datetime64_any_dtype(values):
            blank |= values.astype(str).str.strip() == ""
        if blank.any():
            row = frame[blank].iloc[0]
            raise TrackerError(f"study event {row['event_id']!r} has no {column}; fill it in or drop the row")
    dupes = frame.duplicated(["event_id", "symbol"], keep=False)
    if dupes.any():
        row = frame[dupes].iloc[0]
        raise TrackerError(f"study event {row['event_id']!r} appears twice for {row['symbol']}; keep one row per (event, symbol)")
    for column in ("study_date", "day0", "listed_since"):
        if not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    frame["background"] = frame["background"].eq(True)
    # Rebuilt whole, not emptied and refilled: deleting 100k rows of the old run one by one from the key index
    # cost seconds on a database file. The checks above hold the grain (one row per event and symbol).
    con.register("_study_events_in", frame)
    try:
        con.execute(
            "CREATE OR REPLACE TABLE study_events AS SELECT event_id::VARCHAR AS event_id, symbol::VARCHAR AS symbol, "
            "benchmark::VARCHAR AS benchmark, study_date::DATE AS study_date, day0::DATE AS day0, "
            "event_type::VARCHAR AS event_type, company::VARCHAR AS company, label::VARCHAR AS label, "
            "listed_since::DATE AS listed_since, background::BOOLEAN AS background FROM _study_events_in"
        )
    finally:
        con.unregister("_study_events_in")


_HEADER_HINT = "symbol,event_date[,event_type,label,benchmark]"


def read_events_csv(path: Path) -> pd.DataFrame:
    """A user's events file: ``symbol,event_date[,event_type,label,benchmark]``, ISO dates, header row required.

    Returns one row per event with columns symbol, event_date (datetime64, midnight), event_type, label, benchmark
    (missing where not given) and line (the row's line in the file). The file is parsed and checked column-wise;
    the first bad row raises TrackerError naming the file, the line and what to fix.
    """
    path = Path(path)
    if not path.is_file():
        raise TrackerError(f"events file {path} not found; give a CSV with {_HEADER_HINT}")
    raw = _parse_events_csv(path)
    names = [str(c).strip().lower() for c in raw.columns]
    unknown = [n for n in names if n not in CSV_COLUMNS]
    if "symbol" not in names or "event_date" not in names or unknown or len(set(names)) != len(names):
        raise TrackerError(f"{path}:1: header must be {_HEADER_HINT} (got {','.join(map(str, raw.columns))})")
    raw.columns = names
    cells = raw.fillna("").apply(lambda column: column.astype(str).str.strip())
    cells.index = raw.index + 2            # file line numbers: the header is line 1
    cells = cells[(cells != "").any(axis=1)]
    if cells.empty:
        raise TrackerError(f"{path} has no event rows below its header")
    no_symbol = cells["symbol"] == ""
    if no_symbol.any():
        raise TrackerError(f"{path}:{no_symbol.idxmax()}: the symbol is empty; fill it in or delete the line")
    dates = pd.to_datetime(cells["event_date"], format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        line = bad.idxmax()
        raise TrackerError(
            f"{path}:{line}: event_date {cells.at[line, 'event_date']!r} is not a date like 2025-09-24"
        )
    out = pd.DataFrame({"symbol": cells["symbol"], "event_date": dates})
    for column in ("event_type", "label", "benchmark"):
        out[column] = cells[column].replace("", None) if column in cells else None
    out["line"] = cells.index
    return out.reset_index(drop=True)[[*CSV_COLUMNS, "line"]]


def _parse_events_csv(path: Path) -> pd.DataFrame:
    """Every cell as text (blank lines kept, so the row index maps to the file's line)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, index_col=False,
                               encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise TrackerError(f"{path} is empty; give a header line {_HEADER_HINT}") from None
    except UnicodeDecodeError:
        raise TrackerError(f"{path} is not UTF-8 text; save it as UTF-8 CSV") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        line, fields, expected = _first_overlong_row(path)
        if line is None:
            raise TrackerError(f"{path} is not a readable CSV; give {_HEADER_HINT} with one event per line") from None
        raise TrackerError(
            f"{path}:{line}: {fields} fields but the header has {expected}; quote commas in labels") from None


def _first_overlong_row(path: Path) -> tuple[int | None, int, int]:
    """(line, fields, header fields) of the first row with more fields than the header; only read on the error path."""
    import csv

    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        for cells in reader:
            if len(cells) > len(header):
                return reader.line_num, len(cells), len(header)
    return None, 0, len(header)


def user_events_to_study_events(con: duckdb.DuckDBPyConnection, events: pd.DataFrame) -> pd.DataFrame:
    """study_events rows for a user's events: benchmark, company and listed_since from the listings table when the
    symbol is registered, else the benchmark of the symbol's exchange; day0 left NULL (first joined session).

    A join and column operations: no loop per event."""
    from tracker.companies.registry_format import DEFAULT_BENCHMARKS
    from tracker.prices.symbols import exchanges_for_symbols

    symbols = events["symbol"].astype(str).reset_index(drop=True)
    dates = pd.to_datetime(events["event_date"]).reset_index(drop=True)
    listing = pd.DataFrame({"symbol": symbols}).merge(_listings(con), on="symbol", how="left")
    base = symbols + "@" + pd.Series(dates.values.astype("datetime64[D]").astype(str), dtype=object)
    repeat = base.groupby(base).cumcount() + 1
    event_id = base.where(repeat == 1, base + "#" + repeat.astype(str))
    by_exchange = exchanges_for_symbols(symbols).map(DEFAULT_BENCHMARKS).fillna("SPY")
    benchmark = _texts(events["benchmark"]).fillna(_texts(listing["benchmark"])).fillna(by_exchange)
    return pd.DataFrame({
        "event_id": event_id,
        "symbol": symbols,
        "benchmark": benchmark,
        "study_date": dates.dt.normalize(),
        "day0": pd.NaT,
        "event_type": _texts(events["event_type"]).fillna("user"),
        "company": _texts(listing["company"]).fillna(symbols),
        "label": _texts(events["label"]),
        "listed_since": pd.to_datetime(listing["listed_since"]),
        "background": False,
    }, columns=STUDY_EVENT_COLUMNS)


def _texts(values) -> pd.Series:
    """Text cells with every kind of missing (None, NaN, empty) as None."""
    column = pd.Series(values).reset_index(drop=True)
    present = column.notna() & (column.astype("string").fillna("") != "")
    return column.astype(object).where(present, None)


def default_benchmark(symbol: str) -> str:
    """The registry's benchmark for the symbol's exchange (SPY where none is set)."""
    from tracker.prices import exchange_for
    from tracker.companies.registry_format import DEFAULT_BENCHMARKS

    return DEFAULT_BENCHMARKS.get(exchange_for(symbol), "SPY")


def _listings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """symbol, company, benchmark, listed_since of every registered listing (one row per symbol)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'listings'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["symbol", "company", "benchmark", "listed_since"])
    return con.execute(
        "SELECT symbol, any_value(company) AS company, any_value(benchmark) AS benchmark, "
        "any_value(listed_since) AS listed_since FROM listings GROUP BY symbol"
    ).df()
