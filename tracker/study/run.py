"""Running the event study: the SQL steps of ``sql/study/`` in file order, the numpy kernel between them.

Each file ``sql/study/NN_name.sql`` is one SELECT; the runner makes it the table ``name`` with
``CREATE OR REPLACE TABLE name AS`` (a TEMP table for the work tables nobody reads after the run), all inside one
transaction, so a failure half-way keeps the previous study whole. The parameters are bound once, into
``study_params`` (the first step); every later step reads them from there.

DuckDB does the joins (returns, pairs, day-0 anchors, flags); ``tracker/study/kernel.py`` computes from the arrays
that DuckDB hands over through Arrow, and its outputs come back as Arrow tables named ``kernel_*`` that the later
steps select from: ``kernel_rows``/``kernel_ar``/``kernel_car`` (per row, before the first step that reads them) and
``kernel_aggregates``/``kernel_aar`` (across rows, which needs ``study_results.in_aggregates``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from tracker.errors import TrackerError
from tracker.resources import sql_dir
from tracker.study import kernel
from tracker.study.params import StudyParams, window_label

# The tables a study leaves for users, the report and `tracker sql`; the other steps' tables are per-run work tables.
RESULT_TABLES = ("study_params", "study_ar", "study_car", "study_results", "study_aggregates", "study_aar")
_GROUP_ORDER = "CASE group_kind WHEN 'all' THEN 0 WHEN 'event_type' THEN 1 ELSE 2 END"


@dataclass
class StudyResult:
    params: StudyParams
    results: pd.DataFrame     # study_results
    ar: pd.DataFrame          # study_ar
    car: pd.DataFrame         # study_car
    aggregates: pd.DataFrame  # study_aggregates
    aar: pd.DataFrame         # study_aar


def steps() -> list[tuple[str, Path]]:
    """(table name, file) of every study step in run order."""
    return [(path.stem.split("_", 1)[1], path) for path in sorted((sql_dir() / "study").glob("*.sql"))]


def run_study(con: duckdb.DuckDBPyConnection, params: StudyParams | None = None, *, fetch: bool = True,
              timings: dict[str, float] | None = None, keep_work_tables: bool = False) -> StudyResult | None:
    """Run the study over every row of study_events against the prices table.

    ``fetch=False`` skips reading the outputs back into DataFrames (the tables are written either way) and returns
    None; the benchmark uses it to time the study alone. ``timings``, if given, receives seconds per step.
    ``keep_work_tables`` leaves the per-run work tables as TEMP tables of the connection (for inspection and the
    README's table reference); otherwise they are dropped when the run ends.
    """
    params = params or StudyParams()
    params.validate()
    if not _table_exists(con, "prices"):
        raise TrackerError("there is no prices table yet; run `tracker prices import DIR` or `tracker prices fetch` first")
    clock = _Clock(timings)
    # Every study table is read back with ORDER BY, so the big CREATE ... AS need not keep scan order (which would
    # serialise them); the connection's own setting is restored afterwards.
    keep_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = false")
    try:
        _run(con, params, clock, keep_work_tables)
    finally:
        con.execute(f"SET preserve_insertion_order = {bool(keep_order)}")
    return read_result(con, params) if fetch else None


class _Kernel:
    """The kernel's inputs and outputs for one run, computed when a step first needs them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, params: StudyParams) -> None:
        self.con, self.params = con, params
        self.per_row: dict[str, pa.Table] | None = None
        self.across: dict[str, pa.Table] | None = None

    def tables_for(self, text: str, clock: _Clock) -> dict[str, pa.Table]:
        wanted = {}
        if any(name in text for name in ("kernel_rows", "kernel_ar", "kernel_car")):
            if self.per_row is None:
                self.per_row = self._per_row()
                clock("kernel per row")
            wanted.update(self.per_row)
        if any(name in text for name in ("kernel_aggregates", "kernel_aar")):
            if self.across is None:
                self.across = self._across()
                clock("kernel across rows")
            wanted.update(self.across)
        return wanted

    def _per_row(self) -> dict[str, pa.Table]:
        p = self.params
        pairs = self.con.sql(
            "SELECT row, pair, day_number, ret, bench_ret, price, bench_price FROM study_pairs").to_arrow_table()
        n = pairs.num_rows
        at = pairs.column("row").to_numpy()

        def column(name, dtype=float):
            out = np.empty(n, dtype=dtype)
            out[at] = pairs.column(name).to_numpy()
            return out

        self.series = kernel.Series(ret=column("ret"), bench=column("bench_ret"), date=column("day_number", np.int64))
        self.prices = (column("price"), column("bench_price"))
        self.pair_of_row = column("pair", np.int64)
        anchor = self.con.sql(
            "SELECT ev, coalesce(row0, -1) AS row0, coalesce(first_day, 0) AS first_day, coalesce(last_day, -1) "
            "AS last_day, coalesce(event_type, 'unknown') AS event_type, coalesce(company, symbol) AS company, "
            "symbol, span_first_day::DOUBLE AS span_first_day, span_last_day::DOUBLE AS span_last_day "
            "FROM study_anchor ORDER BY ev").to_arrow_table()
        self.rows = kernel.Rows(row0=anchor.column("row0").to_numpy().astype(np.int64),
                                first_day=anchor.column("first_day").to_numpy().astype(np.int64),
                                last_day=anchor.column("last_day").to_numpy().astype(np.int64))
        self.labels = {"event_type": anchor.column("event_type").to_numpy(zero_copy_only=False).astype(object),
                       "company": anchor.column("company").to_numpy(zero_copy_only=False).astype(object)}
        self.listing = pd.factorize(anchor.column("symbol").to_numpy(zero_copy_only=False))[0]
        self.fit = kernel.fit(self.series, self.rows, p.model, p.estimation)
        span = kernel.span_window(self.series, self.rows, self.fit,
                                  anchor.column("span_first_day").to_numpy(zero_copy_only=False).astype(float),
                                  anchor.column("span_last_day").to_numpy(zero_copy_only=False).astype(float))
        self.path = kernel.event_window(self.series, self.rows, self.fit, p.window)
        windows = p.effective_car_windows()
        self.cars = kernel.car_windows(self.path, self.fit, windows)
        return {"kernel_rows": self._rows_table(span), "kernel_ar": self._ar_table(),
                "kernel_car": _car_table(self.cars)}

    def _rows_table(self, span: kernel.Span) -> pa.Table:
        f = self.fit
        fitted = f.exists
        with np.errstate(invalid="ignore"):
            sigma = np.sqrt(f.sigma2)
        peak = span.peak_day[fitted]
        has_peak = ~np.isnan(peak)
        peak_rows = np.where(has_peak, self.rows.row0[fitted] + np.nan_to_num(peak).astype(np.int64), 0)
        peak_date = np.where(has_peak, self.series.date[np.clip(peak_rows, 0, max(len(self.series.date) - 1, 0))]
                             if len(self.series.date) else 0, 0)
        return pa.table({
            "ev": pa.array(np.flatnonzero(fitted).astype(np.int64)),
            "m": pa.array(f.m[fitted].astype(np.int64)),
            "alpha": _floats(f.alpha[fitted]), "beta": _floats(f.beta[fitted]), "sigma": _floats(sigma[fitted]),
            "df": pa.array(f.df[fitted].astype(np.int64)),
            "window_car": _floats(span.car[fitted]), "window_car_se": _floats(span.se[fitted]),
            "window_car_t": _floats(span.t[fitted]),
            "peak_date": pa.array(peak_date.astype(np.int32), mask=~has_peak).cast(pa.date32()),
            "peak_ar": _floats(span.peak_ar[fitted]),
        })

    def _ar_table(self) -> pa.Table:
        path = self.path
        ev, col = np.nonzero(path.has)
        rows = path.series_row[ev, col]
        price, bench_price = self.prices
        return pa.table({
            "ev": pa.array(ev.astype(np.int64)),
            "day": pa.array(path.days[col].astype(np.int32)),
            "date": pa.array(self.series.date[rows].astype(np.int32)).cast(pa.date32()),
            "ret": _floats(self.series.ret[rows]), "bench_ret": _floats(self.series.bench[rows]),
            "ar": _floats(path.ar[ev, col]), "ar_se": _floats(path.ar_se[ev, col]), "ar_t": _floats(path.ar_t[ev, col]),
            "car": _floats(path.car[ev, col]), "car_se": _floats(path.car_se[ev, col]),
            "price": _floats(price[rows]), "bench_price": _floats(bench_price[rows]),
            "bench_dev": _floats(path.dev[ev, col]),
        })

    def _across(self) -> dict[str, pa.Table]:
        p = self.params
        chosen = self.con.sql("SELECT in_aggregates, cluster_id FROM study_results ORDER BY ev").fetchnumpy()
        n = len(self.rows.row0)
        # listing = all: every (event, listing) row is an observation; otherwise one per news cluster
        observation = (np.arange(n) if p.listing == "all"
                       else pd.factorize(np.asarray(chosen["cluster_id"], dtype=object))[0].astype(np.int64))
        groups = kernel.Groups(labels={"all": np.full(n, "all", dtype=object), **self.labels},
                               observation=observation, include=np.asarray(chosen["in_aggregates"], dtype=bool),
                               listing=self.listing, average=p.listing == "average")
        agg, aar = kernel.aggregate(self.series, self.rows, self.fit, self.path, self.cars, groups,
                                    estimation=p.estimation, window=p.window, estimation_tests=p.estimation_tests,
                                    pair_of_row=self.pair_of_row)
        return {
            "kernel_aggregates": pa.table({
                "group_kind": pa.array(agg["group_kind"], pa.string()),
                "group_value": pa.array(agg["group_value"], pa.string()),
                "window": pa.array(agg["window"], pa.string()), "n": pa.array(agg["n"], pa.int32()),
                "caar": _floats(agg["caar"]), "test": pa.array(agg["test"], pa.string()),
                "statistic": _floats(agg["statistic"]), "p": _floats(agg["p"]),
                "convention": pa.array(agg["convention"], pa.string()),
                "n_listings": pa.array(agg["n_listings"], pa.int32()),
            }),
            "kernel_aar": pa.table({
                "group_kind": pa.array(aar["group_kind"], pa.string()),
                "group_value": pa.array(aar["group_value"], pa.string()),
                "day": pa.array(aar["day"], pa.int32()), "n": pa.array(aar["n"], pa.int32()),
                "aar": _floats(aar["aar"]), "caar": _floats(aar["caar"]), "caar_se": _floats(aar["caar_se"]),
            }),
        }


def _floats(values) -> pa.Array:
    """A float column with NaN as NULL (SQL's 'not computed')."""
    values = np.asarray(values, dtype=float)
    return pa.array(values, mask=np.isnan(values))


def _car_table(cars: kernel.Cars) -> pa.Table:
    n, w = cars.car.shape
    windows = np.array([window_label(x) for x in cars.windows], dtype=object)
    df = cars.df.ravel()
    return pa.table({
        "ev": pa.array(np.repeat(np.arange(n, dtype=np.int64), w)),
        "window": pa.array(np.tile(windows, n), pa.string()),
        "win_start": pa.array(np.tile([a for a, _ in cars.windows], n).astype(np.int32)),
        "win_end": pa.array(np.tile([b for _, b in cars.windows], n).astype(np.int32)),
        "car": _floats(cars.car.ravel()), "se": _floats(cars.se.ravel()), "t": _floats(cars.t.ravel()),
        "p": _floats(cars.p.ravel()), "covered": pa.array(cars.covered.ravel()),
        "n_days": pa.array(cars.n_days.ravel().astype(np.int32)),
        "df": pa.array(np.nan_to_num(df, nan=0).astype(np.int32), mask=np.isnan(df)),
        "csar": _floats(cars.csar.ravel()),
    })


def _run(con: duckdb.DuckDBPyConnection, params: StudyParams, clock: _Clock, keep_work_tables: bool) -> None:
    engine = _Kernel(con, params)
    registered: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        for name, path in steps():
            text = path.read_text(encoding="utf-8")
            for table_name, table in engine.tables_for(text, clock).items():
                if table_name not in registered:
                    con.register(table_name, table)
                    registered.append(table_name)
            kind = "TABLE" if name in RESULT_TABLES else "TEMP TABLE"
            if name == "study_params":
                con.execute(f"CREATE OR REPLACE {kind} {name} AS {text}", _bound(params))
            else:
                con.execute(f"CREATE OR REPLACE {kind} {name} AS {text}")
            clock(name)
        if not keep_work_tables:
            for name, _ in steps():
                if name not in RESULT_TABLES:
                    con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        con.execute("COMMIT")
        clock("commit")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a fatal error already ended the transaction; the original error is the one to show
        raise
    finally:
        for table_name in registered:
            con.unregister(table_name)


def _bound(params: StudyParams) -> dict:
    return {"model": params.model, "est_start": params.estimation[0], "est_end": params.estimation[1],
            "win_start": params.window[0], "win_end": params.window[1], "min_estimation": params.min_estimation,
            "include_stock_moves": params.include_stock_moves,
            "car_windows": [window_label(w) for w in params.effective_car_windows()],
            "estimation_tests": params.estimation_tests, "include_uncertain": params.include_uncertain,
            "listing": params.listing}


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
    return StudyResult(
        params=params,
        results=con.execute("SELECT * EXCLUDE (ev) FROM study_results ORDER BY study_date, event_id, symbol").df(),
        ar=con.execute("SELECT * EXCLUDE (ev, bench_dev) FROM study_ar ORDER BY event_id, symbol, day").df(),
        car=con.execute(
            'SELECT * FROM study_car ORDER BY event_id, symbol, list_position(?, "window")', [labels]
        ).df(),
        aggregates=con.execute(
            f'SELECT * FROM study_aggregates ORDER BY {_GROUP_ORDER}, group_value, '
            'list_position(?, "window"), list_position(?, test)', [labels, list(kernel.TESTS)]
        ).df(),
        aar=con.execute(f"SELECT * FROM study_aar ORDER BY {_GROUP_ORDER}, group_value, day").df(),
    )


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()[0][0])
