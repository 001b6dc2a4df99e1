"""The study as one table, one row per (event, listing): the identifying columns, beta, each CAR window's CAR and
t side by side (in the configured window order), and the flags. What `tracker study` prints.

Built by DuckDB from the public result tables (study_results, study_car), so a CSV of 100k events never passes
through DataFrames of every AR.
"""

from __future__ import annotations

import duckdb

from tracker.study.params import StudyParams, window_label

FIRST_COLUMNS = ["event_id", "symbol", "company", "event_type", "day0", "beta"]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def study_table(con: duckdb.DuckDBPyConnection, params: StudyParams) -> duckdb.DuckDBPyRelation:
    """The table as a DuckDB relation over the last run's study_results and study_car."""
    computed = {row[0] for row in con.execute('SELECT DISTINCT "window" FROM study_car').fetchall()}
    windows = [label for label in (window_label(w) for w in params.car_windows) if label in computed]
    cars = []
    for label in windows:
        for kind, column in (("CAR", "car"), ("t", "t")):
            cars.append(f"any_value(c.{column}) FILTER (WHERE c.\"window\" = {_literal(label)}) "
                        f"AS {_identifier(f'{kind}[{label}]')}")
    selected = ", ".join([*(f"r.{c}" for c in FIRST_COLUMNS), *cars,
                          "coalesce(array_to_string(any_value(r.flags), ','), '') AS flags"])
    return con.sql(
        f"SELECT {selected} FROM study_results r "
        "LEFT JOIN study_car c ON c.event_id = r.event_id AND c.symbol = r.symbol "
        f"GROUP BY r.study_date, {', '.join(f'r.{c}' for c in FIRST_COLUMNS)} "
        "ORDER BY r.study_date, r.event_id, r.symbol"
    )
