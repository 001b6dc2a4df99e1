"""The report's tables as CSV and Parquet, and report.json to reproduce the run."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

import duckdb

from tracker.report.data import ReportData, read_all_columns
from tracker.report.format import as_list


def _events_frame(data: ReportData, events: pd.DataFrame) -> pd.DataFrame:
    cols = ["id", "date", "company", "company_name", "tickers", "event_type", "event_date", "date_precision",
            "date_source", "study_date", "published", "article", "headline", "evidence", "confidence", "status",
            "background"]
    frame = events.reindex(columns=cols).copy()
    frame["tickers"] = frame["tickers"].map(as_list)
    sources = data.event_sources.groupby("event_id")["article"].agg(lambda s: sorted(set(s.dropna())))
    frame["sources"] = frame["id"].map(sources).map(lambda v: v if isinstance(v, list) else [])
    return frame


def _car_frame(con: duckdb.DuckDBPyConnection, data: ReportData) -> pd.DataFrame:
    meta = data.study_results.reindex(columns=["event_id", "symbol", "benchmark", "company", "event_type", "label",
                                               "model", "day0", "flags", "in_aggregates"])
    car = read_all_columns(con, "study_car", data.study_car).merge(meta, on=["event_id", "symbol"], how="left")
    car["flags"] = car["flags"].map(as_list)
    return car


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists become '; '-joined text in CSV (Parquet keeps them as lists)."""
    out = frame.copy()
    for col in out.columns:
        # a plain loop: Series.map on an empty datetime64 column stays datetime64, and .any() on that raises
        if any(isinstance(v, (list, np.ndarray)) for v in out[col]):
            out[col] = out[col].map(lambda v: "; ".join(map(str, as_list(v))))
    return out


def _parquet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed None/date are fine for pyarrow; all-None columns need a type."""
    out = frame.copy()
    for col in out.columns:
        if out[col].isna().all():
            out[col] = out[col].astype("string")
    return out


def write_tables(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, out_dir: Path) -> list[Path]:
    frames = {
        "events": _events_frame(data, events),
        "car": _car_frame(con, data),
        "ar": read_all_columns(con, "study_ar", data.study_ar),
        "aggregates": read_all_columns(con, "study_aggregates", data.study_aggregates),
    }
    # Company-like names no company was found for (securities table loaded): listed, not dropped.
    from tracker.companies.linking import unresolved_names

    unresolved = unresolved_names(con)
    if not unresolved.empty:
        frames["unresolved_names"] = unresolved
    paths = []
    for name, frame in frames.items():
        csv_path, parquet_path = out_dir / f"{name}.csv", out_dir / f"{name}.parquet"
        _csv_ready(frame).to_csv(csv_path, index=False)
        _parquet_ready(frame).to_parquet(parquet_path, index=False)
        paths += [csv_path, parquet_path]
    return paths


def strict_json_value(value):
    """A value JSON can hold without extensions: NaN, infinities and NaT become null, numpy numbers
    become numbers (never strings), dates ISO text."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, dict):
        return {str(k): strict_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return [strict_json_value(v) for v in (sorted(value, key=str) if isinstance(value, set) else list(value))]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def write_report_json(path: Path, *, provenance: dict, params: dict, params_origin: str, counts: dict,
                      files: dict, missing_tables: list[str] = ()) -> Path:
    payload = {"format": "tracker-report/2", "provenance": provenance, "study_params": params,
               "study_params_origin": params_origin, "counts": counts, "missing_tables": list(missing_tables),
               "files": files}
    text = json.dumps(strict_json_value(payload), indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
