"""The study parameters the report describes: from provenance first, else the study_params table."""

from __future__ import annotations

import duckdb

from tracker.report.data import table_columns

DEFAULTS = {"model": "market", "estimation": [-250, -11], "window": [-10, 10],
            "car_windows": [[0, 0], [-1, 1], [0, 1], [0, 5], [-5, 5], [0, 10]], "min_estimation": 120,
            "include_stock_moves": False, "include_uncertain": False, "listing": "primary"}


def study_params(con: duckdb.DuckDBPyConnection, provenance: dict) -> tuple[dict, str]:
    """(params, where they came from). Provenance wins because it records the run being reported."""
    given = provenance.get("study") or provenance.get("study_params") or provenance.get("params")
    if isinstance(given, dict) and given:
        merged = DEFAULTS | {k: v for k, v in given.items() if v is not None}
        return _listify(merged), "run provenance"
    if table_columns(con, "study_params"):
        row = con.execute("SELECT * FROM study_params LIMIT 1").df()
        if not row.empty:
            r = row.iloc[0]
            merged = dict(DEFAULTS)
            for key, cols in (("estimation", ("est_start", "est_end")), ("window", ("win_start", "win_end"))):
                if all(c in row for c in cols):
                    merged[key] = [int(r[cols[0]]), int(r[cols[1]])]
            for key in ("model", "min_estimation", "include_stock_moves", "include_uncertain", "listing"):
                if key in row:
                    merged[key] = r[key].item() if hasattr(r[key], "item") else r[key]
            return _listify(merged), "study_params table"
    return dict(DEFAULTS), "defaults (no parameters recorded)"


def _listify(params: dict) -> dict:
    """Tuples become lists so report.json round-trips."""
    out = {}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out[key] = value
    return out
