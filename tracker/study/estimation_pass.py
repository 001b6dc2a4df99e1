"""The one per-event pass over every estimation-window residual: Corrado ranks, sign shares, residual spread and
the Kolari–Pynnönen cross-event sums.

The rank, generalized-sign and Kolari–Pynnönen tests need each event's pooled estimation+event ARs (about 260 per
event, 26M at 100k events), and the rank test must sort them within each event. Everything around this pass is SQL:
the joined series and fitted parameters come from study_pairs / study_fit, the AR is the same expression as the
study_abnormal view, and the roll-ups into test statistics are the views study_rank_tests, study_kp and
study_car_tests. The pass exists because DuckDB can only express the per-event sort as a window rank over a
materialised 26M-row table (5-6 s at 100k events on two cores), while a vectorised row-wise sort over a dense
events x days matrix takes a fraction of a second; the sign shares and spreads read the same matrix, and the KP sums
are step functions along the series (see _kp_sums). The numpy work runs on worker threads while run_study keeps
DuckDB busy with other tables. tests/test_study_estimation_tests.py pins every output to the textbook computation on
study_abnormal.

Inputs (queries/study_est_inputs.sql, queries/study_est_series.sql); outputs:
- study_est_events: per event n_est, p_pos, mean_est, norm_est (estimation-window ARs only);
- study_rank_days: per (group number g, relative day) the sum of the rank deviations D and how many events had a day;
- study_kp_sums: per group (all / event_type / company) the sum over calendar dates of (sum over its events of
  u_it)^2, u_it = (AR_it - mean_i) / norm_i on estimation days.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from tracker.db import fetch_columns, insert_frame, read_sql

# Events per block (blocks end where a company ends): bounds memory and gives the threads work to share.
_BLOCK = 2048


@dataclass
class _Inputs:
    ret: np.ndarray          # joined series in pair_key order, NaN-padded at both ends
    bench: np.ndarray
    date_ix: np.ndarray      # calendar-day index of each series row (int32; same padding, 0 there)
    n_dates: int
    days: np.ndarray         # pooled relative days: the estimation window, then the event window
    n_est_cols: int
    events: dict             # study_est_inputs columns, sorted by company, event type, ev
    pos0: np.ndarray         # series row of each event's day 0
    type_code: np.ndarray
    company_code: np.ndarray
    types: np.ndarray        # names of the codes
    companies: np.ndarray


def start_estimation_pass(con: duckdb.DuckDBPyConnection, *, threads: int | None = None) -> PendingPass | None:
    """Read the pass's inputs and start its numpy work on worker threads; ``finish`` then fills study_est_events,
    study_rank_days and study_kp_sums (empty on entry). None when no event is in the aggregates. The connection stays
    free meanwhile (numpy releases the GIL), so run_study writes other tables before it calls ``finish``."""
    inputs = _read_inputs(con)
    if inputs is None:
        return None
    workers = threads or int(con.execute("SELECT current_setting('threads')").fetchall()[0][0]) or os.cpu_count() or 1
    return PendingPass(inputs, max(1, workers))


class PendingPass:
    """An estimation pass whose blocks run on a thread pool; ``finish`` waits and writes the three tables."""

    def __init__(self, inputs: _Inputs, workers: int) -> None:
        self._inputs = inputs
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._parts = [self._pool.submit(_block_pass, inputs, *bounds) for bounds in _blocks(inputs.company_code)]

    def finish(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            parts = [part.result() for part in self._parts]
        finally:
            self.cancel()
        _store(con, self._inputs, parts)

    def cancel(self) -> None:
        """Drop the blocks not started and wait for the running ones (safe to call more than once)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _read_inputs(con: duckdb.DuckDBPyConnection) -> _Inputs | None:
    est_start, est_end, win_start, win_end = con.execute(
        "SELECT est_start, est_end, win_start, win_end FROM study_params").fetchall()[0]
    events = fetch_columns(con, read_sql("queries/study_est_inputs.sql"))
    if len(events["ev"]) == 0:
        return None
    series = fetch_columns(con, read_sql("queries/study_est_series.sql"))
    days = np.concatenate([np.arange(est_start, est_end + 1), np.arange(win_start, win_end + 1)])
    # pair_key is dense within a pair (seq 1..n), so day d of an event sits d rows after its day-0 row; padding
    # keeps every (day-0 row + d) inside the arrays, and rows of a neighbouring pair are masked as not valid
    pad = int(np.abs(days).max()) + 1
    order = np.argsort(series["pair_key"], kind="stable")   # the rows come nearly in order: timsort is fastest
    dates = series["day_number"][order]
    date_ix = dates - dates.min()
    type_code, types = pd.factorize(np.asarray(events["event_type"], dtype=object), sort=True)
    company_code, companies = pd.factorize(np.asarray(events["company"], dtype=object), sort=True)
    return _Inputs(
        ret=np.concatenate([np.full(pad, np.nan), series["ret"][order], np.full(pad, np.nan)]),
        bench=np.concatenate([np.full(pad, np.nan), series["bench_ret"][order], np.full(pad, np.nan)]),
        # int32 halves what the per-cell gather moves; padding gets date 0 (those cells weigh nothing)
        date_ix=np.concatenate([np.zeros(pad, np.int32), date_ix.astype(np.int32), np.zeros(pad, np.int32)]),
        n_dates=int(date_ix.max()) + 1,
        days=days, n_est_cols=est_end - est_start + 1, events=events,
        pos0=np.searchsorted(series["pair_key"][order], events["key0"]) + pad,
        type_code=type_code, company_code=company_code, types=np.asarray(types), companies=np.asarray(companies),
    )


def _blocks(company_code: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of blocks of about _BLOCK events that never split a company (its KP sum needs all its events)."""
    changes = np.flatnonzero(company_code[1:] != company_code[:-1]) + 1
    cuts = [0]
    while cuts[-1] < len(company_code):
        at = np.searchsorted(changes, cuts[-1] + _BLOCK)
        cuts.append(int(changes[at]) if at < len(changes) else len(company_code))
    return list(zip(cuts[:-1], cuts[1:]))


def _store(con: duckdb.DuckDBPyConnection, inputs: _Inputs, parts: list[dict]) -> None:
    events = inputs.events
    per_event = pd.DataFrame({"ev": events["ev"], "g": events["g"],
                              **{c: np.concatenate([p[c] for p in parts]) for c in ("n_est", "p_pos", "mean_est", "norm_est")}})
    # blocks never split a company, so each (g, day) row comes from exactly one block
    rank_days = pd.DataFrame({c: np.concatenate([p["rank_days"][c] for p in parts]) for c in ("g", "day", "sum_d", "n")})
    by_type = sum(p["type_sums"] for p in parts)            # types x calendar days
    kp = pd.concat([
        pd.DataFrame({"group_kind": ["all"], "group_value": ["all"], "s2": [float(np.square(by_type.sum(axis=0)).sum())]}),
        pd.DataFrame({"group_kind": "event_type", "group_value": inputs.types,
                      "s2": np.square(by_type).sum(axis=1)}),
        pd.DataFrame({"group_kind": "company", "group_value": inputs.companies[np.concatenate([p["companies"] for p in parts])],
                      "s2": np.concatenate([p["company_s2"] for p in parts])}),
    ], ignore_index=True)
    insert_frame(con, "study_est_events", per_event)
    insert_frame(con, "study_rank_days", rank_days)
    insert_frame(con, "study_kp_sums", kp)


def _block_pass(inputs: _Inputs, start: int, stop: int) -> dict:
    """One block of events: per-event estimation summaries, (g, day) rank-deviation sums and the KP date sums."""
    ev = {name: column[start:stop] for name, column in inputs.events.items()}
    days, n_est_cols = inputs.days, inputs.n_est_cols
    groups = ev["g"].astype(np.int64)
    n_cols = len(days)
    cols = np.arange(n_cols)
    first_col = np.searchsorted(days, ev["first_day"])          # days ascend, so valid columns are one run
    end_col = np.searchsorted(days, ev["last_day"], side="right")
    t_i = np.maximum(end_col - first_col, 0)
    # nearly always every pooled day of every event has data; only blocks with an event at the edge of its data
    # need the masks (None below means "all valid")
    ragged = bool((first_col != 0).any() or (end_col != n_cols).any())
    valid = (cols >= first_col[:, None]) & (cols < end_col[:, None]) if ragged else None
    pos0 = inputs.pos0[start:stop]
    # same operation order as the SQL expression ret - alpha - beta * bench_ret, so the values are identical
    ar = _gather(inputs.ret, pos0, days)
    ar -= ev["alpha"][:, None]
    slope = _gather(inputs.bench, pos0, days)
    slope *= ev["beta"][:, None]
    ar -= slope
    if ragged:
        ar[~valid] = 0.0                                        # neighbouring pairs' rows and padding

    est = ar[:, :n_est_cols]
    n_est = np.maximum(np.minimum(end_col, n_est_cols) - first_col, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_pos = np.count_nonzero(est > 0, axis=1) / n_est
        total = est.sum(axis=1)
        mean_est = total / n_est
        # sum of squared deviations = sum of squares - n mean^2: the residual mean is small next to the spread
        # (0 for an OLS fit), so little cancels
        norm_est = np.sqrt(np.maximum(np.einsum("ij,ij->i", est, est) - total * mean_est, 0.0))
    run_start = np.r_[True, groups[1:] != groups[:-1]]
    local_g = np.cumsum(run_start) - 1
    n_groups = int(local_g[-1]) + 1
    rank_sum = _rank_sums(ar, valid, t_i, local_g, n_groups)
    type_sums, companies, company_s2 = _kp_sums(inputs, start, ev, pos0, first_col, n_est, mean_est, norm_est, local_g,
                                                 n_groups)
    # per group and column, the events with an AR there and the sum of their (T_i + 1) / 2: +x at each event's
    # first valid column, -x after its last, cumulated along the columns
    last = np.maximum(end_col, first_col)
    steps = np.zeros((2, n_groups, n_cols + 1))
    for layer, value in ((0, 1.0), (1, (t_i + 1) / 2.0)):
        np.add.at(steps[layer], (local_g, first_col), value)
        np.add.at(steps[layer], (local_g, last), -value)
    count_and_mid = np.cumsum(steps, axis=2)[:, :, :n_cols]
    count = np.rint(count_and_mid[0]).astype(np.int64).ravel()
    sum_d = (rank_sum - count_and_mid[1]).ravel()
    keep = count > 0
    rank_days = {"g": np.repeat(groups[run_start], n_cols)[keep], "day": np.tile(days, n_groups)[keep],
                 "sum_d": sum_d[keep], "n": count[keep]}
    return {"n_est": n_est, "p_pos": p_pos, "mean_est": mean_est, "norm_est": norm_est, "rank_days": rank_days,
            "type_sums": type_sums, "companies": companies, "company_s2": company_s2}


def _gather(values: np.ndarray, pos0: np.ndarray, days: np.ndarray) -> np.ndarray:
    """values[pos0 + day] as an events x days matrix: whole rows of a sliding-window view are copied at once, which
    is several times faster than an element-wise gather (the pooled days are one run unless the windows leave a gap)."""
    span = int(days[-1] - days[0]) + 1
    rows = sliding_window_view(values, span)[pos0 + days[0]]
    return rows if span == len(days) else rows[:, days - days[0]]


def _kp_sums(inputs: _Inputs, start: int, ev: dict, pos0, first_col, n_est, mean_est, norm_est, local_g, n_groups):
    """Kolari–Pynnönen date sums: u_it = (AR_it - mean_i) / norm_i on estimation days (events with norm 0 add
    nothing, as they are not counted in N), summed per calendar date for each g of the block; a company's g rows add
    up to its date sums (returned as their sum of squares), and each g row is added to its event type's row of a
    types x dates matrix ('all' is the sum of those rows).

    Not summed cell by cell: an event's estimation days are one run of rows of its pair's series, and
    sum_i u_it = ret_t sum_i s_i - bench_t sum_i s_i beta_i - sum_i s_i (alpha_i + mean_i), s_i = 1 / norm_i, over
    the events covering row t. So for each (g, pair) the three sums are step functions along the pair's rows (a
    difference array, cumulated), and the work is one pass over the rows the group covers instead of over every
    (event, day) cell: about a tenth when a company has many events on one listing.
    """
    has = np.flatnonzero(n_est)
    if has.size == 0:
        return np.zeros((len(inputs.types), inputs.n_dates)), np.empty(0, dtype=np.int64), np.empty(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(norm_est[has] > 0, 1.0 / norm_est[has], 0.0)
    first_row = pos0[has] + inputs.days[first_col[has]]          # the run of estimation rows: [first_row, end_row)
    end_row = first_row + n_est[has]
    # one segment of rows per (g, pair): the rows between its events' first and last estimation row
    pair = ev["key0"][has] >> 24
    segment_keys, segment = np.unique(local_g[has] * (int(pair.max()) + 1) + pair, return_inverse=True)
    n_segments = len(segment_keys)
    lo = np.full(n_segments, np.iinfo(np.int64).max)
    hi = np.zeros(n_segments, dtype=np.int64)
    np.minimum.at(lo, segment, first_row)
    np.maximum.at(hi, segment, end_row)
    offset = np.r_[0, np.cumsum(hi - lo)]
    n_rows = int(offset[-1])
    marks = np.concatenate([offset[segment] + first_row - lo[segment], offset[segment] + end_row - lo[segment]])
    alpha, beta, mean = ev["alpha"][has], ev["beta"][has], mean_est[has]
    step = {name: np.cumsum(np.bincount(marks, weights=np.concatenate([w, -w]), minlength=n_rows + 1)[:n_rows])
            for name, w in (("s", scale), ("sb", scale * beta), ("sc", scale * (alpha + mean)))}
    rows = np.repeat(lo - offset[:-1], hi - lo) + np.arange(n_rows)           # series row of each segment row
    u_sum = inputs.ret[rows] * step["s"] - inputs.bench[rows] * step["sb"] - step["sc"]
    dates = inputs.date_ix[rows]
    lo_date, hi_date = int(dates.min()), int(dates.max())
    width = hi_date - lo_date + 1
    segment_g = segment_keys // (int(pair.max()) + 1)
    bins = np.repeat(segment_g * width - lo_date, hi - lo) + dates
    by_g = np.bincount(bins, weights=u_sum, minlength=n_groups * width).reshape(n_groups, width)

    first_of_g = np.flatnonzero(np.r_[True, local_g[1:] != local_g[:-1]]) + start   # rows in the whole input
    company = inputs.company_code[first_of_g]
    company_starts = np.flatnonzero(np.r_[True, company[1:] != company[:-1]])
    by_company = np.add.reduceat(by_g, company_starts, axis=0)
    type_sums = np.zeros((len(inputs.types), inputs.n_dates))
    type_of_g = inputs.type_code[first_of_g]
    for code in np.unique(type_of_g):
        type_sums[code, lo_date:hi_date + 1] = by_g[type_of_g == code].sum(axis=0)
    return type_sums, company[company_starts], np.square(by_company).sum(axis=1)


_SIGN = np.uint64(1 << 63)


def _rank_sums(ar, valid, t_i, local_g, n_groups) -> np.ndarray:
    """Per (local group, column): the sum over the group's events of the average rank of the AR within its event's
    valid ARs (ranks from 1; columns without an AR add nothing; valid None = every column has an AR).

    Fast path: each AR becomes an order-preserving 64-bit key whose low bits are replaced by its column, so one
    plain sort of the keys gives every rank and the column it belongs to. Rows where two valid keys agree once those
    low bits are dropped (a tie, or values within about 1e-13 of each other) are ranked again exactly.
    """
    n_rows, n_cols = ar.shape
    cols = np.arange(n_cols)
    col_bits = n_cols.bit_length()                      # room for one more column index: the discard column
    low = np.uint64((1 << col_bits) - 1)
    ar += 0.0                                           # -0.0 becomes 0.0: equal values, equal keys
    keys = (ar.view(np.int64) >> 63).view(np.uint64)    # all ones for negatives: flip every bit, else the sign bit
    keys |= _SIGN
    keys ^= ar.view(np.uint64)
    keys &= ~low
    keys |= cols.astype(np.uint64)
    if valid is not None:
        # no AR: above every finite value (sorts last) and sent to the discard column n_cols
        np.copyto(keys, ~low | np.uint64(n_cols), where=~valid)
    keys.sort(axis=1)
    # neighbours that agree above the low bits, found on the flat array (faster than per row); a pair that straddles
    # two rows is not a neighbour
    flat = keys.ravel()
    near = np.flatnonzero((flat[1:] ^ flat[:-1]) <= low)
    near = near[(near + 1) % n_cols != 0]
    near_per_row = np.bincount(near // n_cols, minlength=n_rows)
    slow = np.flatnonzero(near_per_row > np.maximum(n_cols - t_i - 1, 0))   # more than the no-AR keys among themselves

    width = n_cols + 1
    keys &= low                                         # the column; small, so the same bits read as intp
    bins = keys.view(np.intp)
    bins += (local_g * width)[:, None]
    if slow.size:
        bins[slow] = (local_g[slow] * width + n_cols)[:, None]      # ranked exactly below instead
    # sorted position k holds rank k + 1
    ranks = np.tile(np.arange(1.0, n_cols + 1.0), n_rows)
    sums = np.bincount(bins.ravel(), weights=ranks, minlength=n_groups * width).reshape(n_groups, width)
    if slow.size:
        from scipy.stats import rankdata   # here, not at import: scipy.stats takes half a second to load, and only ties need it

        has_ar = np.ones((slow.size, n_cols), dtype=bool) if valid is None else valid[slow]
        tied = np.where(has_ar, ar[slow], np.nan)
        exact = np.where(has_ar, rankdata(tied, method="average", axis=1, nan_policy="omit"), 0.0)
        np.add.at(sums, local_g[slow], np.pad(exact, ((0, 0), (0, 1))))
    return sums[:, :n_cols]
