"""The one per-event pass over every estimation-window residual: Corrado ranks, sign shares and residual spread.

The rank, generalized-sign and Kolari–Pynnönen tests need each event's pooled estimation+event ARs (about 270 per
event, 27M at 100k events), and the rank test must sort them within each event. Everything around this pass is SQL:
the joined series and fitted parameters come from study_pairs / study_fit, the AR is the same expression as the
study_abnormal view, and the roll-ups into test statistics are the views study_rank_tests, study_kp and
study_car_tests. Only the per-event sort lives here because DuckDB can only express it as a window rank over a
materialised 27M-row table (5-6 s at 100k events on two cores), while a vectorised row-wise sort over a dense
events x days matrix takes a fraction of a second. tests/test_study_estimation_tests.py pins the outputs to the
textbook computation on study_abnormal.

Inputs (queries/study_est_inputs.sql, queries/study_est_series.sql); outputs:
- study_est_events: per event n_est, p_pos, mean_est, norm_est (estimation-window ARs only);
- study_rank_days: per (group number g, relative day) the sum of the rank deviations D and how many events had a day.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import duckdb
import numpy as np
import pandas as pd

from tracker.db import read_sql

# Events per block: bounds memory (a block's matrices are a few tens of MB) and gives the threads work to share.
_BLOCK = 2048


def run_estimation_pass(con: duckdb.DuckDBPyConnection, *, threads: int | None = None) -> None:
    """Fill study_est_events and study_rank_days for the events in aggregates; both must be empty on entry."""
    est_start, est_end, win_start, win_end = con.execute(
        "SELECT est_start, est_end, win_start, win_end FROM study_params").fetchall()[0]
    events = con.execute(read_sql("queries/study_est_inputs.sql")).fetchnumpy()
    if len(events["ev"]) == 0:
        return
    series = con.execute(read_sql("queries/study_est_series.sql")).fetchnumpy()
    # the estimation days first, then the event window (a gap between them is not pooled)
    days = np.concatenate([np.arange(est_start, est_end + 1), np.arange(win_start, win_end + 1)])
    n_est_cols = est_end - est_start + 1
    # pair_key is dense within a pair (seq 1..n), so day d of an event sits d rows after its day-0 row; NaN padding
    # keeps every (day-0 row + d) inside the arrays, and rows of a neighbouring pair are masked as not valid
    pad = int(np.abs(days).max()) + 1
    order = np.argsort(series["pair_key"])
    keys = series["pair_key"][order]
    ret = np.concatenate([np.full(pad, np.nan), series["ret"][order], np.full(pad, np.nan)])
    bench = np.concatenate([np.full(pad, np.nan), series["bench_ret"][order], np.full(pad, np.nan)])
    pos0 = np.searchsorted(keys, events["key0"]) + pad
    groups = events["g"].astype(np.int64)

    def block(start: int):
        sl = slice(start, start + _BLOCK)
        return _block_pass(ret, bench, pos0[sl], events["first_day"][sl], events["last_day"][sl],
                           events["alpha"][sl], events["beta"][sl], groups[sl], days, n_est_cols)

    workers = threads or int(con.execute("SELECT current_setting('threads')").fetchall()[0][0]) or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        parts = list(pool.map(block, range(0, len(pos0), _BLOCK)))

    per_event = pd.DataFrame({
        "ev": events["ev"],
        "g": events["g"],
        "n_est": np.concatenate([p[0] for p in parts]),
        "p_pos": np.concatenate([p[1] for p in parts]),
        "mean_est": np.concatenate([p[2] for p in parts]),
        "norm_est": np.concatenate([p[3] for p in parts]),
    })
    rank_days = pd.DataFrame({name: np.concatenate([p[4][i] for p in parts])
                              for i, name in enumerate(("g", "day", "sum_d", "n"))})
    # a group cut by a block boundary has rows from both blocks
    rank_days = rank_days.groupby(["g", "day"], as_index=False, sort=False).sum()
    _insert(con, "study_est_events", per_event)
    _insert(con, "study_rank_days", rank_days)


def _block_pass(ret, bench, pos0, first_day, last_day, alpha, beta, groups, days, n_est_cols):
    """One block of events (sorted by g): per-event estimation summaries and the (g, day) rank-deviation sums."""
    n_rows, n_cols = len(pos0), len(days)
    cols = np.arange(n_cols)
    first_col = np.searchsorted(days, first_day)                # days ascend, so valid columns are one run
    end_col = np.searchsorted(days, last_day, side="right")
    t_i = np.maximum(end_col - first_col, 0)
    valid = (cols >= first_col[:, None]) & (cols < end_col[:, None])
    idx = pos0[:, None] + days
    # same operation order as the SQL expression ret - alpha - beta * bench_ret, so the values are identical
    ar = ret[idx]
    ar -= alpha[:, None]
    slope = bench[idx]
    slope *= beta[:, None]
    ar -= slope
    ar[~valid] = 0.0                                            # neighbouring pairs' rows and padding

    est = ar[:, :n_est_cols]
    n_est = np.maximum(np.minimum(end_col, n_est_cols) - first_col, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_pos = np.count_nonzero(est > 0, axis=1) / n_est
        total = est.sum(axis=1)
        mean_est = total / n_est
        # sum of squared deviations = sum of squares - n mean^2; residual means are ~0, so nothing cancels
        norm_est = np.sqrt(np.maximum(np.einsum("ij,ij->i", est, est) - total * mean_est, 0.0))

    run_start = np.r_[True, groups[1:] != groups[:-1]]
    local_g = np.cumsum(run_start) - 1
    n_groups = int(local_g[-1]) + 1
    rank_sum = _rank_sums(ar, valid, t_i, local_g, n_groups)
    # per group and column, the events with an AR there and the sum of their (T_i + 1) / 2: +x at each event's
    # first valid column, -x after its last, cumulated along the columns
    last = np.maximum(end_col, first_col)
    steps = np.zeros((2, n_groups, n_cols + 1))
    for layer, value in ((0, 1.0), (1, (t_i + 1) / 2.0)):
        np.add.at(steps[layer], (local_g, first_col), value)
        np.add.at(steps[layer], (local_g, last), -value)
    count_and_mid = np.cumsum(steps, axis=2)[:, :, :n_cols]
    count = np.rint(count_and_mid[0]).astype(np.int64)
    sum_d = rank_sum - count_and_mid[1]
    count = count.ravel()
    keep = count > 0
    rank_days = (np.repeat(groups[run_start], n_cols)[keep], np.tile(days, n_groups)[keep], sum_d.ravel()[keep],
                 count[keep])
    return n_est, p_pos, mean_est, norm_est, rank_days


_SIGN = np.uint64(1 << 63)


def _rank_sums(ar, valid, t_i, local_g, n_groups) -> np.ndarray:
    """Per (local group, column): the sum over the group's events of the average rank of the AR within its event's
    valid ARs (ranks from 1; columns without an AR add nothing).

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
    # no AR: above every finite value (sorts last) and sent to the discard column n_cols
    np.copyto(keys, ~low | np.uint64(n_cols), where=~valid)
    keys.sort(axis=1)
    near = np.count_nonzero((keys[:, 1:] ^ keys[:, :-1]) <= low, axis=1)
    slow = np.flatnonzero(near > np.maximum(n_cols - t_i - 1, 0))   # more than the no-AR keys among themselves

    width = n_cols + 1
    bins = (keys & low).astype(np.intp)
    bins += (local_g * width)[:, None]
    if slow.size:
        bins[slow] = (local_g[slow] * width + n_cols)[:, None]      # ranked exactly below instead
    # sorted position k holds rank k + 1
    ranks = np.tile(np.arange(1.0, n_cols + 1.0), n_rows)
    sums = np.bincount(bins.ravel(), weights=ranks, minlength=n_groups * width).reshape(n_groups, width)
    if slow.size:
        tied = np.where(valid[slow], ar[slow], np.nan)
        exact = np.where(valid[slow], _exact_ranks(tied), 0.0)
        np.add.at(sums, local_g[slow], np.pad(exact, ((0, 0), (0, 1))))
    return sums[:, :n_cols]


def _exact_ranks(ar: np.ndarray) -> np.ndarray:
    """Average ranks (1-based) of each row's values by exact comparison; NaN sorts last."""
    order = np.argsort(ar, axis=1)
    ranked = np.take_along_axis(ar, order, axis=1)
    n_rows, n_cols = ar.shape
    col = np.arange(n_cols)
    tied = ranked[:, 1:] == ranked[:, :-1]             # NaN never equals, so padding never ties
    starts_run = np.ones((n_rows, n_cols), dtype=bool)
    starts_run[:, 1:] = ~tied
    first = np.maximum.accumulate(np.where(starts_run, col, 0), axis=1)
    ends_run = np.ones((n_rows, n_cols), dtype=bool)
    ends_run[:, :-1] = ~tied
    last = np.minimum.accumulate(np.where(ends_run, col, n_cols - 1)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty_like(ar)
    np.put_along_axis(ranks, order, (first + last) / 2.0 + 1.0, axis=1)
    return ranks


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("_est_frame", frame)
    try:
        names = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _est_frame")
    finally:
        con.unregister("_est_frame")
