"""Render a result set as an aligned text table, CSV or JSON.

One renderer for every listing (`--format table|csv|json`) and for the SQL shell, so the three
formats look the same wherever they appear. Input is a DataFrame or ``(columns, rows)`` as returned
by a DuckDB cursor; cells are first reduced to plain Python values so that pandas/numpy types
(NaT, NaN, numpy arrays, Timestamps) and DuckDB types (date, Decimal, lists) render alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tracker.errors import TrackerError

if TYPE_CHECKING:
    import pandas as pd

# pandas and numpy are not imported here: `tracker sql` renders plain DuckDB rows and must start fast. A pandas or
# numpy value can only exist once its module is loaded, so the checks below look the modules up in sys.modules.

FORMATS = ("table", "csv", "json")
MAX_CELL_WIDTH = 40  # wider text (evidence sentences, article text) is cut with an ellipsis
ELLIPSIS = "…"


def render(data: pd.DataFrame | tuple[Sequence[str], Sequence[Sequence[Any]]], fmt: str = "table",
           *, max_width: int = MAX_CELL_WIDTH, max_rows: int | None = None) -> str:
    """The result set as text in ``fmt``, without a trailing newline.

    ``max_width`` and ``max_rows`` only shape the table format; CSV and JSON are always complete.
    """
    if fmt == "csv":
        fast = _render_csv_frame(data)
        if fast is not None:
            return fast
    columns, rows = to_columns_rows(data)
    if fmt == "table":
        return _render_table(columns, rows, max_width, max_rows)
    if fmt == "csv":
        return _render_csv(columns, rows)
    if fmt == "json":
        return _render_json(columns, rows)
    raise TrackerError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def to_columns_rows(data) -> tuple[list[str], list[tuple]]:
    """Column names and rows of plain Python values (None for every kind of missing)."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        return _from_dataframe(data)
    columns, rows = data
    return [str(c) for c in columns], [tuple(_plain(v) for v in row) for row in rows]


def _from_dataframe(df: pd.DataFrame) -> tuple[list[str], list[tuple]]:
    import pandas as pd

    # DuckDB DATE columns arrive in pandas as datetime64 at midnight; show them as dates again.
    date_columns = set()
    for i, (_, series) in enumerate(df.items()):
        if pd.api.types.is_datetime64_any_dtype(series) and getattr(series.dt, "tz", None) is None:
            present = series.dropna()
            if (present == present.dt.normalize()).all():
                date_columns.add(i)
    rows = []
    for raw in df.itertuples(index=False, name=None):
        row = tuple(_plain(v) for v in raw)
        if date_columns:
            row = tuple(v.date() if i in date_columns and isinstance(v, dt.datetime) else v for i, v in enumerate(row))
        rows.append(row)
    return [str(c) for c in df.columns], rows


def _plain(value: Any) -> Any:
    """A pandas/numpy cell as the plain Python value it stands for."""
    if value is None:
        return None
    pd = sys.modules.get("pandas")
    if pd is not None:
        if value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.ndarray):
            return [_plain(v) for v in value.tolist()]
        if isinstance(value, np.generic):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


# --- table -------------------------------------------------------------------------------------

def format_float(x: float) -> str:
    """Up to 6 decimals for ordinary numbers, 6 significant digits for small ones."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0"
    if abs(x) >= 1e15 or abs(x) < 1e-6:
        return f"{x:.6g}"
    if abs(x) >= 1:
        text = f"{x:.6f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    return f"{x:.6g}"


def _cell_text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_cell_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_cell_text(v)}" for k, v in value.items()) + "}"
    # Newlines and tabs would break the grid.
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def display_width(text: str) -> int:
    """Terminal columns taken by text: CJK company names take two per character."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _truncate(text: str, max_width: int) -> str:
    if display_width(text) <= max_width:
        return text
    out, width = [], 0
    for ch in text:
        w = display_width(ch)
        if width + w > max_width - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + ELLIPSIS


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _render_table(columns: list[str], rows: list[tuple], max_width: int, max_rows: int | None) -> str:
    shown = rows if max_rows is None else rows[:max_rows]
    cells = [[_truncate(_cell_text(v), max_width) for v in row] for row in shown]
    numeric = [
        any(row[i] is not None for row in shown) and all(row[i] is None or _is_number(row[i]) for row in shown)
        for i in range(len(columns))
    ]
    widths = [
        max([display_width(name)] + [display_width(row[i]) for row in cells])
        for i, name in enumerate(columns)
    ]

    def line(texts: list[str]) -> str:
        parts = []
        for text, width, right in zip(texts, widths, numeric):
            pad = " " * (width - display_width(text))
            parts.append(pad + text if right else text + pad)
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    if len(shown) < len(rows):
        out.append(f"({len(rows)} rows, first {len(shown)} shown)")
    return "\n".join(out)


# --- csv and json ------------------------------------------------------------------------------

def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(_json_value(value), ensure_ascii=False)
    return value


def _render_csv(columns: list[str], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def _render_csv_frame(data) -> str | None:
    """A DataFrame's CSV, cell for cell what ``_render_csv`` writes, built column-wise by DuckDB (its double-to-text
    is the shortest round-trip form, as Python's repr). None when the input is not a DataFrame or a column holds a
    type this path does not handle (lists, timestamps with a time of day, mixed objects): the general path does."""
    pd = sys.modules.get("pandas")
    if pd is None or not isinstance(data, pd.DataFrame) or len(data.columns) < 2 or not data.columns.is_unique:
        return None
    frame = data.reset_index(drop=True)
    frame.columns = [f"c{i}" for i in range(len(frame.columns))]
    cells = []
    for name, (_, series) in zip(frame.columns, frame.items()):
        cell = _csv_cell_sql(pd, name, series)
        if cell is None:
            return None
        cells.append(f"coalesce({cell}, '')")
    import duckdb

    con = duckdb.connect()
    try:
        con.register("_csv_frame", frame)
        lines = con.sql(f"SELECT concat_ws(',', {', '.join(cells)}) AS line FROM _csv_frame").fetchnumpy()["line"]
    finally:
        con.close()
    header = _render_csv([str(c) for c in data.columns], [])
    return "\n".join([header, *lines.tolist()]) if len(lines) else header


def render_relation_csv(relation) -> str:
    """A DuckDB relation's CSV with the cell rules of ``render(..., "csv")``, built by DuckDB itself (an integer
    column with NULLs stays integer here, where a DataFrame would have made it float)."""
    cells = []
    for name, kind in zip(relation.columns, relation.types):
        column = '"' + name.replace('"', '""') + '"'
        cell = _csv_cell_of_type(str(kind).upper(), column)
        if cell is None:
            return render(relation.df(), "csv")
        cells.append(f"coalesce({cell}, '')")
    lines = relation.query("_csv_relation", f"SELECT concat_ws(',', {', '.join(cells)}) AS line FROM _csv_relation")
    header = _render_csv([str(c) for c in relation.columns], [])
    body = lines.fetchnumpy()["line"].tolist()
    return "\n".join([header, *body]) if body else header


def _csv_cell_of_type(kind: str, column: str) -> str | None:
    """SQL text of a column's cells by its DuckDB type, or None for a type left to the general path."""
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        return f"CASE WHEN NOT isnan(CAST({column} AS DOUBLE)) THEN CAST(CAST({column} AS DOUBLE) AS VARCHAR) END"
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"):
        return f"CAST({column} AS VARCHAR)"
    if kind == "BOOLEAN":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if kind == "DATE":
        return f"strftime({column}, '%Y-%m-%d')"
    if kind == "VARCHAR":
        return _quoted_sql(column)
    return None


def _quoted_sql(text: str) -> str:
    """SQL for the csv module's QUOTE_MINIMAL: quoted (inner quotes doubled) when it holds a comma, a quote or a
    character the csv module quotes as a line break (a lone carriage return only in newer Pythons)."""
    probe = io.StringIO()
    csv.writer(probe, lineterminator="\n").writerow(["\r", ""])
    breaks = "\\n\\r" if probe.getvalue().startswith('"') else "\\n"
    return (f"CASE WHEN regexp_matches({text}, '[,\"{breaks}]') THEN '\"' || replace({text}, '\"', '\"\"') || '\"' "
            f"ELSE {text} END")


def _csv_cell_sql(pd, name: str, series) -> str | None:
    """SQL text of one column's cells as ``_csv_cell`` writes them, or None for a column left to the general path."""
    column = f'"{name}"'
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if pd.api.types.is_float_dtype(dtype):
        return f"CASE WHEN NOT isnan(CAST({column} AS DOUBLE)) THEN CAST(CAST({column} AS DOUBLE) AS VARCHAR) END"
    if pd.api.types.is_integer_dtype(dtype):
        return f"CAST({column} AS VARCHAR)"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        present = series.dropna()
        if getattr(series.dt, "tz", None) is not None or not (present == present.dt.normalize()).all():
            return None
        return f"strftime(CAST({column} AS DATE), '%Y-%m-%d')"
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind in ("string", "empty"):
        return _quoted_sql(f"CAST({column} AS VARCHAR)")
    if kind == "date":
        return f"strftime(CAST({column} AS DATE), '%Y-%m-%d')"
    return None


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN/inf; a missing number is the honest reading
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # UUID, interval, blob: their text form


def _render_json(columns: list[str], rows: list[tuple]) -> str:
    records = [{name: _json_value(v) for name, v in zip(columns, row)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)
