"""Reading what the report needs from DuckDB, by column name, tolerating absent tables/columns.

The report is the last stage: it must still render (saying "not available") when an earlier
stage has not run or an older database lacks a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "articles": ["file", "path", "language", "published", "published_source", "source", "url", "title"],
    "events": ["id", "company", "company_name", "tickers", "event_type", "event_date", "date_precision",
               "date_source", "date_text", "published", "article", "evidence", "confidence", "headline",
               "status", "background", "study_date"],
    "event_sources": ["event_id", "article", "published", "evidence"],
    "companies": ["id", "name", "listed"],
    "listings": ["symbol", "company", "exchange", "currency", "listed_since", "benchmark", "is_primary", "kind"],
    "price_symbols": ["symbol", "exchange", "currency", "source", "fetched_at"],
    "study_results": ["event_id", "symbol", "benchmark", "company", "event_type", "label", "model", "study_date",
                      "day0", "alpha", "beta", "sigma", "n_estimation", "df", "flags", "flag_reasons",
                      "in_aggregates",
                      # written by the study engine of issue 13; older databases lack them (see OPTIONAL)
                      "cluster_id", "is_primary", "window_start", "window_end", "window_car", "peak_date", "peak_ar"],
    "study_ar": ["event_id", "symbol", "day", "date", "ret", "bench_ret", "ar", "ar_se", "ar_t", "car", "car_se",
                 "price", "bench_price"],
    "study_car": ["event_id", "symbol", "window", "win_start", "win_end", "car", "se", "t", "p", "covered"],
    "study_aggregates": ["group_kind", "group_value", "window", "n", "n_listings", "caar", "test", "statistic", "p",
                         "convention"],
    "study_aar": ["group_kind", "group_value", "day", "n", "aar", "caar", "caar_se"],
}


# Columns the report uses only when the study wrote them: it never makes their values up.
UNCERTAIN_WINDOW_COLUMNS = ("window_start", "window_end", "window_car", "peak_date", "peak_ar")


@dataclass
class ReportData:
    tables: dict[str, pd.DataFrame]
    missing: list[str] = field(default_factory=list)
    present: dict[str, set[str]] = field(default_factory=dict)  # columns each table really has

    def has(self, table: str, column: str) -> bool:
        return column in self.present.get(table, set())

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["tables"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position", [table]
    ).fetchall()
    return [r[0] for r in rows]


def read_table(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> pd.DataFrame | None:
    """The wanted columns of a table (absent ones filled with None), or None if the table is absent."""
    present = table_columns(con, table)
    if not present:
        return None
    wanted = [c for c in columns if c in present]
    frame = con.execute(f"SELECT {', '.join(_quote(c) for c in wanted)} FROM {_quote(table)}").df() if wanted else pd.DataFrame()
    for col in columns:
        if col not in frame.columns:
            frame[col] = None
    return frame[columns]


def read_all_columns(con: duckdb.DuckDBPyConnection, table: str, fallback: pd.DataFrame) -> pd.DataFrame:
    """Every column of a table (exports keep what the study wrote beyond the documented ones)."""
    return con.execute(f"SELECT * FROM {_quote(table)}").df() if table_columns(con, table) else fallback


def _as_date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce").dt.date


def cluster_ids(results: pd.DataFrame) -> pd.Series:
    """The news cluster of each study row: the study's cluster_id where it wrote one, else
    '<company>|<day 0 ISO date>' (the study date when there is no day 0), as the study defines it."""
    day = results["day0"].where(results["day0"].notna(), results["study_date"])
    derived = [f"{c}|{str(d)[:10]}" if not pd.isna(d) else f"{c}|undated"
               for c, d in zip(results["company"].fillna("").astype(str), day)]
    given = results["cluster_id"] if "cluster_id" in results else pd.Series(None, index=results.index)
    return pd.Series([g if isinstance(g, str) and g else d for g, d in zip(given, derived)], index=results.index,
                     dtype=object)


def _primary_flags(results: pd.DataFrame, listings: pd.DataFrame, given: bool) -> pd.Series:
    """is_primary per study row: the study's value when it wrote one, else the registry's; a company
    without a primary listing in the registry (a user's CSV) takes its first symbol."""
    if given:
        return results["is_primary"].fillna(False).astype(bool)
    registry = dict(zip(listings["symbol"], listings["is_primary"]))
    flags = results["symbol"].map(lambda s: registry.get(s) is True or registry.get(s) == 1)
    for _cluster, rows in results.groupby("cluster_id", sort=False):
        if not flags[rows.index].any():
            flags[rows.sort_values("symbol").index[0]] = True
    return flags.astype(bool)


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    tables, missing, present = {}, [], {}
    for name, cols in COLUMNS.items():
        present[name] = set(table_columns(con, name))
        frame = read_table(con, name, cols)
        if frame is None:
            missing.append(name)
            frame = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        tables[name] = frame
    for name, cols in (("events", ["event_date", "published", "study_date"]), ("study_results", ["study_date", "day0"]),
                       ("study_ar", ["date"]), ("articles", ["published"]), ("listings", ["listed_since"]),
                       ("event_sources", ["published"])):
        for col in cols:
            tables[name][col] = _as_date(tables[name][col])
    for col in ("window_start", "window_end", "peak_date"):
        tables["study_results"][col] = _as_date(tables["study_results"][col])
    res = tables["study_results"]
    res["cluster_id"] = cluster_ids(res)
    res["is_primary"] = _primary_flags(res, tables["listings"], "is_primary" in present["study_results"])
    return ReportData(tables=tables, missing=missing, present=present)


def load_prices(con: duckdb.DuckDBPyConnection, symbols: list[str], start: date, end: date) -> pd.DataFrame:
    """symbol, date, close, adj_close for the given symbols and range (empty when no prices table)."""
    empty = pd.DataFrame(columns=["symbol", "date", "close", "adj_close"])
    present = table_columns(con, "prices")
    if not present or not symbols:
        return empty
    cols = [c for c in ("symbol", "date", "close", "adj_close") if c in present]
    frame = con.execute(
        f"SELECT {', '.join(cols)} FROM prices WHERE symbol IN (SELECT unnest(?)) AND date BETWEEN ? AND ? "
        "ORDER BY symbol, date", [symbols, start, end]
    ).df()
    for col in ("close", "adj_close"):
        if col not in frame:
            frame[col] = None
    return frame


def price_coverage(con: duckdb.DuckDBPyConnection, symbols: list[str]) -> pd.DataFrame:
    """symbol, first, last, rows of the stored prices, for the summary and provenance."""
    if not table_columns(con, "prices") or not symbols:
        return pd.DataFrame(columns=["symbol", "first", "last", "rows"])
    return con.execute(
        "SELECT symbol, min(date) AS first, max(date) AS last, count(*) AS rows FROM prices "
        "WHERE symbol IN (SELECT unnest(?)) GROUP BY symbol ORDER BY symbol", [symbols]
    ).df()


def estimation_end_date(con: duckdb.DuckDBPyConnection, symbol: str, benchmark: str | None, day0: date | None,
                        end_offset: int) -> date | None:
    """Calendar date of relative day end_offset (< 0): counted over sessions where the stock and
    its benchmark both have a close, as the study joins them (DESIGN §5)."""
    if day0 is None or end_offset >= 0 or not table_columns(con, "prices"):
        return None
    bench = benchmark or symbol
    row = con.execute(
        "SELECT s.date FROM prices s JOIN prices b ON b.symbol = ? AND b.date = s.date "
        "WHERE s.symbol = ? AND s.date < ? ORDER BY s.date DESC LIMIT 1 OFFSET ?",
        [bench, symbol, day0, -end_offset - 1],
    ).fetchone()
    return row[0] if row else None
