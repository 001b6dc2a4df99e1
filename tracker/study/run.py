"""Running the event study: fill the per-run tables, materialise the study_* output tables from the views in
``sql/views/1xx_*``, add p-values, and hand the outputs back as DataFrames.

The statistics are set-based SQL over every event at once; Python orders the steps, adds p-values, runs the
estimation pass (tracker/study/estimation_pass.py: the per-event sort and sums over estimation-window residuals that
the rank, generalized-sign and Kolari-Pynnonen views roll up) and keeps the connection's tables and the returned
frames identical.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from tracker.db import fetch_columns, insert_frame, read_sql
from tracker.errors import TrackerError
from tracker.study.estimation_pass import start_estimation_pass
from tracker.study.params import StudyParams, window_label, write_params
from tracker.study.stats import two_sided_p

ESTIMATION_TESTS = ("kp_bmp_t", "corrado_rank_z", "gen_sign_z")
_GROUP_ORDER = "CASE group_kind WHEN 'all' THEN 0 WHEN 'event_type' THEN 1 ELSE 2 END"


@dataclass
class StudyResult:
    params: StudyParams
    results: pd.DataFrame     # study_results
    ar: pd.DataFrame          # study_ar
    car: pd.DataFrame         # study_car
    aggregates: pd.DataFrame  # study_aggregates
    aar: pd.DataFrame         # study_aar


def run_study(con: duckdb.DuckDBPyConnection, params: StudyParams | None = None, *, fetch: bool = True,
              timings: dict[str, float] | None = None) -> StudyResult | None:
    """Run the study over every row of study_events against the prices table.

    ``fetch=False`` skips reading the outputs back into DataFrames (the tables are written either way) and returns
    None; the benchmark uses it to time the study alone. ``timings``, if given, receives seconds per step.
    """
    params = params or StudyParams()
    params.validate()
    if not _table_exists(con, "prices"):
        raise TrackerError("there is no prices table yet; run `tracker prices import DIR` or `tracker prices fetch` first")
    clock = _Clock(timings)
    # Every study table is read back with ORDER BY, so the big INSERT ... SELECTs need not keep scan order (which
    # would serialise them); the connection's own setting is restored afterwards.
    keep_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = false")
    try:
        _run(con, params, clock)
    finally:
        con.execute(f"SET preserve_insertion_order = {bool(keep_order)}")
    return read_result(con, params) if fetch else None


def _run(con: duckdb.DuckDBPyConnection, params: StudyParams, clock: _Clock) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        write_params(con, params)
        clock("params")
        _refresh_pairs(con)
        clock("pairs")
        for table, sql in (
            ("study_anchor", read_sql("queries/study_anchor.sql")),
            ("study_fit", "INSERT INTO study_fit SELECT * FROM study_fit_v"),
            ("study_ar_rows", "INSERT INTO study_ar_rows SELECT * FROM study_ar_v"),
            # after study_ar_rows: the overlap flag reads the event window's dates from it
            ("study_results", "INSERT INTO study_results SELECT * FROM study_results_v"),
            ("study_event_groups", "INSERT INTO study_event_groups SELECT * FROM study_event_groups_v"),
        ):
            _refill(con, table, sql)
            clock(table)
        # Only the rank, generalized-sign and Kolari-Pynnonen tests need every estimation-window AR. The estimation
        # pass reads its inputs now and sorts on worker threads while DuckDB writes study_car_rows and study_aar:
        # their serial stretches leave a core free for it.
        for table in ("study_est_events", "study_rank_days", "study_kp_sums"):
            _empty(con, table)
        pending = start_estimation_pass(con) if params.estimation_tests else None
        clock("study_est_inputs")
        try:
            _write_car(con)
            clock("study_car_rows")
            _refill(con, "study_aar", "INSERT INTO study_aar SELECT * FROM study_aar_v")
            clock("study_aar")
            if pending is not None:
                pending.finish(con)
        finally:
            if pending is not None:
                pending.cancel()
        clock("study_est")
        _write_aggregates(con, params)
        clock("study_aggregates")
        con.execute("COMMIT")
        clock("commit")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a fatal error already ended the transaction; the original error is the one to show
        raise


class _Clock:
    """Records the seconds since the previous call under a step name (no-op without a dict)."""

    def __init__(self, sink: dict[str, float] | None) -> None:
        self.sink = sink
        self.last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        if self.sink is not None:
            self.sink[step] = self.sink.get(step, 0.0) + now - self.last
        self.last = now


def read_result(con: duckdb.DuckDBPyConnection, params: StudyParams) -> StudyResult:
    """The study_* output tables of the last run, in a stable order (CAR windows in the configured order)."""
    labels = [window_label(w) for w in params.effective_car_windows()]
    tests = ["csect_t", "patell_z", "bmp_t", "kp_bmp_t", "corrado_rank_z", "gen_sign_z"]
    return StudyResult(
        params=params,
        results=con.execute("SELECT * EXCLUDE (ev) FROM study_results ORDER BY study_date, event_id, symbol").df(),
        ar=con.execute("SELECT * EXCLUDE (ev, bench_dev) FROM study_ar ORDER BY event_id, symbol, day").df(),
        car=con.execute(
            'SELECT * FROM study_car ORDER BY event_id, symbol, list_position(?, "window")', [labels]
        ).df(),
        aggregates=con.execute(
            f'SELECT * FROM study_aggregates ORDER BY {_GROUP_ORDER}, group_value, '
            'list_position(?, "window"), list_position(?, test)', [labels, tests]
        ).df(),
        aar=con.execute(f"SELECT * FROM study_aar ORDER BY {_GROUP_ORDER}, group_value, day").df(),
    )


def _refresh_pairs(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild study_pairs (returns, joins, numbering, running sums over every needed price row: the one step whose
    cost does not depend on the number of events) only when the prices or the needed pairs changed."""
    fingerprint = con.execute(read_sql("queries/study_pairs_fingerprint.sql")).fetchall()[0][0]
    stored = con.execute("SELECT fingerprint FROM study_pairs_state").fetchall()
    if stored and stored[0][0] == fingerprint:
        return
    _refill(con, "study_pairs", read_sql("queries/study_pairs.sql"))
    con.execute("DELETE FROM study_pairs_state")
    con.execute("INSERT INTO study_pairs_state VALUES (?)", [fingerprint])


def _refill(con: duckdb.DuckDBPyConnection, table: str, insert_sql: str) -> None:
    _empty(con, table)
    con.execute(insert_sql)


def _empty(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Replace a per-run table by an empty one of the same definition (its own CREATE statement, as DuckDB keeps
    it). Inside the run's transaction this is what DELETE would be, but an INSERT into a table whose old rows are
    only marked deleted runs markedly slower (0.45-0.75 s instead of 0.32-0.37 s for study_ar_rows at 100k events)."""
    ddl = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' AND database_name = current_database()",
        [table]).fetchall()[0][0]
    con.execute(f"DROP TABLE {table}")
    con.execute(ddl)


def _write_car(con: duckdb.DuckDBPyConnection) -> None:
    """study_car from its view with p-values: the view is computed once into a temporary table, only its numeric t and
    df travel to numpy, and the p-values come back by row id in the one INSERT (no UPDATE of the stored rows)."""
    _empty(con, "study_car_rows")
    con.execute("CREATE OR REPLACE TEMP TABLE _study_car_w AS SELECT * FROM study_car_windows")
    try:
        numbers = fetch_columns(con, "SELECT rowid AS rid, t, df FROM _study_car_w WHERE t IS NOT NULL")
        p_values = pd.DataFrame({"rid": numbers["rid"], "p": two_sided_p(numbers["t"], numbers["df"])})
        con.register("_study_car_p", p_values)
        try:
            con.execute(
                "INSERT INTO study_car_rows SELECT w.ev, w.\"window\", w.win_start, w.win_end, w.car, w.se, w.t, x.p, "
                "w.covered, w.n_days, w.df, w.csar FROM _study_car_w w LEFT JOIN _study_car_p x ON x.rid = w.rowid")
        finally:
            con.unregister("_study_car_p")
    finally:
        con.execute("DROP TABLE IF EXISTS _study_car_w")


def _write_aggregates(con: duckdb.DuckDBPyConnection, params: StudyParams) -> None:
    agg = con.execute(
        'SELECT group_kind, group_value, "window", n, caar, test, statistic, df, convention FROM study_aggregates_v'
    ).df()
    if not params.estimation_tests:
        skipped = agg["test"].isin(ESTIMATION_TESTS)
        agg.loc[skipped, "statistic"] = float("nan")
        agg.loc[skipped, "convention"] = agg.loc[skipped, "test"].map(
            lambda _: "not computed: estimation_tests is off (it needs every estimation-window residual)")
    agg["p"] = two_sided_p(agg["statistic"], agg["df"])
    columns = ["group_kind", "group_value", "window", "n", "caar", "test", "statistic", "p", "convention"]
    _replace_from_frame(con, "study_aggregates", agg[columns])


def _replace_from_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    _empty(con, table)
    insert_frame(con, table, frame)


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()[0][0])
