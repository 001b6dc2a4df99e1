"""The event study's arithmetic: pure numpy over every event at once (no database, no loop over events).

DuckDB hands over (sql/study/, in run order) the joined stock/benchmark return series of every (symbol, benchmark)
pair, concatenated pair after pair, and for each (event, listing) row the series row of its day 0 and the relative
days its pair's data spans. Relative day d of a row is series row ``row0 + d``; it has data when
``first_day <= d <= last_day``. Everything below is arrays indexed by row (event, listing) and relative day.

Conventions (each formula is written once, here; every aggregate row names its own in ``convention``):

- Fit (``fit``): OLS over the estimation window [e0, e1] of joined sessions; the window's sums come from prefix sums
  of the series, so each row costs O(1). sigma^2: market model SSR/(M-2); constant mean and market-adjusted the
  sample variance (M-1); df the same denominator. c1 = 1 when a mean is estimated (market, constant mean), c2 = 1
  when a slope is (market): they switch the estimation-error terms of ``prediction_variance``.
- ``prediction_variance``: the variance of a sum of L abnormal returns with the estimation error of the fit
  (MacKinlay 1997): sigma^2 (L + c1 L^2/M + c2 dev^2/Smm), dev = the sum over the L days of (Rm - mean Rm of the
  estimation window). L = 1 gives the prediction-error (FEC) variance of one AR. Never sqrt(L) sigma.
- Per row: AR = R - alpha - beta Rm on the event-window days, AR t = AR / FEC sd, the CAR path cumulated from the
  first event-window day with data, window CARs with the full variance, t with df, two-sided p.
- Uncertainty window (``span_window``): for an event known only to a week, month, ... the CAR over the window's
  sessions with the same full variance, and the day with the largest |AR|.
- Across rows (``aggregate``): each row carries an observation key and an include mask; in every group (all, each
  event type, each company) N counts distinct observations, each taken once (its first included row, or with
  ``Groups.average`` the mean CAR, CSAR and SCAR over its included rows). The runner makes the observation a news
  cluster (company, study date) or, with listing = all, the (event, listing) row.
  Cross-sectional t (Brown-Warner 1985, t(N-1)); Patell 1976 Z (N(0,1)); BMP 1991 on SCAR = CAR / full-variance sd
  (t(N-1)); Kolari-Pynnonen 2010 adjusted BMP (r = mean off-diagonal correlation of the estimation residuals by
  calendar date); Corrado 1989 rank over each observation's pooled estimation+event ARs (average ranks for ties) in
  Cowan's 1992 window form (N(0,1)); Cowan 1992 generalized sign (zero counts as non-positive, p = per-observation
  share of positive estimation ARs averaged, N(0,1)).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sparse
from numpy.lib.stride_tricks import sliding_window_view

from tracker.study.stats import two_sided_p

MODELS = ("market", "market_adjusted", "constant_mean")
TESTS = ("csect_t", "patell_z", "bmp_t", "kp_bmp_t", "corrado_rank_z", "gen_sign_z")
ESTIMATION_TESTS = ("kp_bmp_t", "corrado_rank_z", "gen_sign_z")
NOT_COMPUTED_OFF = "not computed: estimation_tests is off (it needs every estimation-window residual)"


@dataclass
class Series:
    """The joined return series of every pair, concatenated; index = series row."""
    ret: np.ndarray          # stock simple return
    bench: np.ndarray        # benchmark simple return
    date: np.ndarray         # calendar day number (days since 1970-01-01)


@dataclass
class Rows:
    """One entry per (event, listing) row, in the order of its integer id ev."""
    row0: np.ndarray         # series row of day 0; -1 when there is none
    first_day: np.ndarray    # relative day of the pair's first series row
    last_day: np.ndarray     # relative day of its last

    @property
    def located(self) -> np.ndarray:
        return self.row0 >= 0


@dataclass
class Fit:
    m: np.ndarray            # estimation returns (M); 0 where no fit
    mean_m: np.ndarray       # mean benchmark return over the estimation window
    smm: np.ndarray          # sum of squared benchmark deviations
    alpha: np.ndarray
    beta: np.ndarray
    sigma2: np.ndarray
    df: np.ndarray           # float; NaN where no fit
    c1: float
    c2: float

    @property
    def exists(self) -> np.ndarray:
        return self.m > 0


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def _div(a, b):
    """a / b with NULL (NaN) where b is 0, as SQL's a / nullif(b, 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))


def fit(series: Series, rows: Rows, model: str, estimation: tuple[int, int]) -> Fit:
    """The normal-return model of every row, by OLS over its estimation window (see the module's conventions)."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}")
    e0, e1 = estimation
    n = len(rows.row0)
    start = np.maximum(e0, rows.first_day)
    ok = rows.located & (e1 >= rows.first_day)
    m = np.where(ok, e1 - start + 1, 0)
    ok &= m > 0
    lo = np.where(ok, rows.row0 + start, 0)
    hi = np.where(ok, rows.row0 + e1 + 1, 0)
    x, y = series.bench, series.ret
    sums = {name: _range_sums(values, lo, hi)
            for name, values in (("x", x), ("y", y), ("xx", x * x), ("xy", x * y), ("yy", y * y))}
    mf = np.where(ok, m, 1).astype(float)
    mean_m, mean_r = sums["x"] / mf, sums["y"] / mf
    smm = sums["xx"] - sums["x"] * sums["x"] / mf
    cxy = sums["xy"] - sums["x"] * sums["y"] / mf
    cyy = sums["yy"] - sums["y"] * sums["y"] / mf
    with np.errstate(invalid="ignore", divide="ignore"):
        if model == "market":
            beta = _div(cxy, smm)
            alpha = mean_r - beta * mean_m
            enough = (m > 2) & (smm > 0)
            sigma2 = np.where(enough, np.maximum(cyy - cxy * _div(cxy, smm), 0.0) / np.where(enough, m - 2, 1), np.nan)
            df, c1, c2 = m - 2.0, 1.0, 1.0
        elif model == "constant_mean":
            alpha, beta = mean_r, np.zeros(n)
            sigma2 = np.where(m > 1, np.maximum(cyy, 0.0) / np.maximum(m - 1, 1), np.nan)
            df, c1, c2 = m - 1.0, 1.0, 0.0
        else:
            alpha, beta = np.zeros(n), np.ones(n)
            sigma2 = np.where(m > 1, np.maximum(cyy - 2 * cxy + smm, 0.0) / np.maximum(m - 1, 1), np.nan)
            df, c1, c2 = m - 1.0, 0.0, 0.0
    gone = ~ok
    for arr in (mean_m, smm, alpha, beta, sigma2):
        arr[gone] = np.nan
    df = np.where(ok, df, np.nan)
    return Fit(m=np.where(ok, m, 0), mean_m=mean_m, smm=smm, alpha=alpha, beta=beta, sigma2=sigma2, df=df,
               c1=c1, c2=c2)


def _range_sums(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """values[lo:hi].sum() for every (lo, hi), from prefix sums. In extended precision: the prefix sums run over every
    pair's rows, so in float64 their rounding would grow with the whole series' length rather than the range's."""
    prefix = np.concatenate([[0.0], np.cumsum(values, dtype=np.longdouble)])
    return (prefix[hi] - prefix[lo]).astype(float)


def prediction_variance(f: Fit, length, dev, index=slice(None)):
    """Variance of a sum of ``length`` ARs including the fit's estimation error: sigma^2 (L + c1 L^2/M + c2 dev^2/Smm)
    (MacKinlay 1997; L = 1 is the FEC variance of one AR). ``index`` picks the rows (or broadcasts a column)."""
    sigma2, m, smm = f.sigma2[index], f.m[index], f.smm[index]
    with np.errstate(invalid="ignore", divide="ignore"):
        slope_term = 0.0 if f.c2 == 0 else f.c2 * dev * dev / np.where(smm == 0, np.nan, smm)
        return sigma2 * (length + f.c1 * length * length / np.where(m > 0, m, np.nan) + slope_term)


def _gather(values: np.ndarray, rows: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """values[rows] where valid, NaN elsewhere (rows may point outside the array there)."""
    if len(values) == 0:
        return np.full(rows.shape, np.nan)
    out = values[np.clip(rows, 0, len(values) - 1)]
    out[~valid] = np.nan
    return out


@dataclass
class Path:
    """The event-window path of every row: arrays rows x days (window[0]..window[1]); cells without data are NaN
    and ``has`` is False."""
    days: np.ndarray
    has: np.ndarray
    series_row: np.ndarray
    ar: np.ndarray
    dev: np.ndarray          # Rm - mean Rm of the estimation window
    ar_se: np.ndarray
    ar_t: np.ndarray
    car: np.ndarray          # cumulated from the first event-window day with data
    car_se: np.ndarray


def event_window(series: Series, rows: Rows, f: Fit, window: tuple[int, int]) -> Path:
    """ARs with their FEC t and the CAR path with the full variance, on every event-window day with data."""
    days = np.arange(window[0], window[1] + 1)
    located = rows.located[:, None]
    has = located & (days[None, :] >= rows.first_day[:, None]) & (days[None, :] <= rows.last_day[:, None])
    series_row = np.where(located, rows.row0[:, None] + days[None, :], -1)
    y = _gather(series.ret, series_row, has)
    x = _gather(series.bench, series_row, has)
    ar = y - f.alpha[:, None] - f.beta[:, None] * x
    dev = x - f.mean_m[:, None]
    col = (slice(None), None)
    ar_se = np.broadcast_to(np.sqrt(prediction_variance(f, 1.0, dev, col)), ar.shape)
    # days with data are one run from the first, so a running sum over the filled cells is the CAR path
    n_so_far = np.cumsum(has, axis=1)
    car = np.where(has, np.cumsum(np.where(has, ar, 0.0), axis=1), np.nan)
    cum_dev = np.cumsum(np.where(has, dev, 0.0), axis=1)
    car_se = np.where(has, np.sqrt(prediction_variance(f, n_so_far.astype(float), cum_dev, col)), np.nan)
    return Path(days=days, has=has, series_row=series_row, ar=ar, dev=dev, ar_se=ar_se, ar_t=_div(ar, ar_se),
                car=car, car_se=car_se)


@dataclass
class Span:
    """The abnormal return over each row's uncertainty window (an event known only to a week, month, ...): its CAR with
    the full variance, t, and the day inside with the largest |AR|; NaN where a row has no such window."""
    car: np.ndarray
    se: np.ndarray
    t: np.ndarray
    peak_day: np.ndarray     # relative day (NaN where none)
    peak_ar: np.ndarray


def span_window(series: Series, rows: Rows, f: Fit, first_day: np.ndarray, last_day: np.ndarray) -> Span:
    """CAR from relative day ``first_day`` to ``last_day`` (float arrays, NaN = no window) under each row's fit."""
    n = len(rows.row0)
    out = Span(car=_nan(n), se=_nan(n), t=_nan(n), peak_day=_nan(n), peak_ar=_nan(n))
    ok = np.flatnonzero(rows.located & ~np.isnan(first_day) & ~np.isnan(last_day) & ~np.isnan(f.alpha)
                        & ~np.isnan(f.beta) & (np.nan_to_num(last_day, nan=-1) >= np.nan_to_num(first_day, nan=0)))
    if ok.size == 0:
        return out
    first, last = first_day[ok].astype(np.int64), last_day[ok].astype(np.int64)
    lo, hi = rows.row0[ok] + first, rows.row0[ok] + last + 1
    length = (last - first + 1).astype(float)
    sx, sy = _range_sums(series.bench, lo, hi), _range_sums(series.ret, lo, hi)
    car = sy - length * f.alpha[ok] - f.beta[ok] * sx
    se = np.sqrt(prediction_variance(f, length, sx - length * f.mean_m[ok], ok))
    offsets = np.arange(int((last - first).max()) + 1)
    inside = offsets[None, :] <= (last - first)[:, None]
    cells = np.where(inside, lo[:, None] + offsets[None, :], lo[:, None])
    ar = series.ret[cells] - f.alpha[ok][:, None] - f.beta[ok][:, None] * series.bench[cells]
    peak = np.argmax(np.where(inside, np.abs(ar), -1.0), axis=1)
    out.car[ok], out.se[ok], out.t[ok] = car, se, _div(car, se)
    out.peak_day[ok] = first + peak
    out.peak_ar[ok] = ar[np.arange(len(ok)), peak]
    return out


@dataclass
class Cars:
    """CAR per row and window: arrays rows x windows."""
    windows: tuple
    car: np.ndarray
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    covered: np.ndarray
    n_days: np.ndarray
    df: np.ndarray
    csar: np.ndarray          # sum of the window's FEC-standardised ARs (Patell input)


def car_windows(path: Path, f: Fit, windows) -> Cars:
    """CAR of each window with the full variance; covered = all L sessions of the window have an AR."""
    windows = tuple(tuple(w) for w in windows)
    n = path.ar.shape[0]
    out = {k: np.full((n, len(windows)), np.nan) for k in ("car", "se", "t", "df", "csar")}
    covered = np.zeros((n, len(windows)), dtype=bool)
    n_days = np.zeros((n, len(windows)), dtype=np.int64)
    has_ar = ~np.isnan(path.ar)
    for k, (a, b) in enumerate(windows):
        cols = (path.days >= a) & (path.days <= b)
        length = b - a + 1
        count = has_ar[:, cols].sum(axis=1)
        full = count == length
        car = np.nansum(path.ar[:, cols], axis=1)
        dev = np.sum(path.dev[:, cols], axis=1)
        se = np.sqrt(prediction_variance(f, float(length), dev))
        t_stat = _div(car, se)
        t_present = ~np.isnan(path.ar_t[:, cols])
        csar = np.where(t_present.any(axis=1), np.nansum(path.ar_t[:, cols], axis=1), np.nan)
        out["car"][:, k] = np.where(full, car, np.nan)
        out["se"][:, k] = np.where(full, se, np.nan)
        out["t"][:, k] = np.where(full, t_stat, np.nan)
        out["csar"][:, k] = np.where(full, csar, np.nan)
        out["df"][:, k] = np.where(path.has[:, cols].any(axis=1), f.df, np.nan)
        covered[:, k] = full
        n_days[:, k] = count
    p = two_sided_p(out["t"].ravel(), out["df"].ravel()).reshape(out["t"].shape)
    return Cars(windows=windows, car=out["car"], se=out["se"], t=out["t"], p=p, covered=covered, n_days=n_days,
                df=out["df"], csar=out["csar"])


# ---------------------------------------------------------------------------------------------------------------
# Across rows


@dataclass
class Groups:
    """What the aggregates group by: per group kind ('all', 'event_type', 'company') a label per row; plus each row's
    observation key and include mask (N in a test = distinct observations among the included rows of the group)."""
    labels: dict[str, np.ndarray]
    observation: np.ndarray
    include: np.ndarray
    listing: np.ndarray | None = None   # a code per row's listing (symbol), for n_listings; None = every row its own
    average: bool = False               # an observation's CAR-based values are the mean over its rows, not its first


@dataclass
class Members:
    """One (group, observation) member per entry: its representative row, its group's index in ``names`` and the
    index of its group kind."""
    names: list = field(default_factory=list)    # (group_kind, group_value) per group index
    row: np.ndarray = None
    group: np.ndarray = None
    kind: np.ndarray = None
    row_group: np.ndarray = None                 # rows x kinds: each included row's group index per kind, else -1

    def indicator(self, n_rows: int) -> sparse.csr_matrix:
        """groups x rows matrix with a 1 for each member's row."""
        return sparse.csr_matrix((np.ones(len(self.row)), (self.group, self.row)), shape=(len(self.names), n_rows))


def members(groups: Groups) -> Members:
    """Each group's distinct observations among the included rows, each with its first row."""
    names, rows, group_ix, kind_ix = [], [], [], []
    included = np.flatnonzero(groups.include)
    span = int(groups.observation.max(initial=0)) + 1
    row_group = np.full((len(groups.include), len(groups.labels)), -1, dtype=np.int64)
    for k, (kind, labels) in enumerate(groups.labels.items()):
        codes, values = pd.factorize(np.asarray(labels, dtype=object)[included], sort=True)
        row_group[included, k] = codes + len(names)
        key = codes.astype(np.int64) * span + groups.observation[included]
        _, first = np.unique(key, return_index=True)
        rows.append(included[first])
        group_ix.append(codes[first] + len(names))
        kind_ix.append(np.full(len(first), k))
        names += [(kind, str(v)) for v in values]
    cat = (lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype))
    return Members(names=names, row=cat(rows, np.int64), group=cat(group_ix, np.int64), kind=cat(kind_ix, np.int64),
                   row_group=row_group)


@dataclass
class Estimation:
    """Per-row summaries of the pooled estimation+event ARs that the rank, sign and KP tests use."""
    rows: np.ndarray         # the rows summarised (members with a fitted model)
    n_est: np.ndarray
    p_pos: np.ndarray        # share of positive estimation ARs (zero counts as non-positive)
    norm: np.ndarray         # sqrt of the sum of squared deviations of the estimation ARs from their mean
    rank_sum: np.ndarray     # combos x pooled days: sum of the rows' average ranks (Corrado), see estimation_pass
    count: np.ndarray        # combos x pooled days: rows with an AR there
    mid_sum: np.ndarray      # combos x pooled days: sum of (T_i + 1) / 2 over those rows
    kp_parts: tuple          # (first series row, end row, scale, scale*beta, scale*(alpha+mean)) for the KP sums


_CHUNK_ROWS = 4096


def estimation_pass(series: Series, rows: Rows, f: Fit, which: np.ndarray, combo: np.ndarray, n_combos: int,
                    estimation, window) -> Estimation:
    """For the rows ``which`` (with a fitted model): every pooled estimation+event AR, the sums per combo (the rows'
    combination of groups) and pooled day of their average ranks within the row (Corrado), and the estimation ARs'
    positive share, mean and spread. Days with data are one run of columns per row.

    The rows go through in chunks of a few thousand, on two threads: every step is per row, and the rank sums add
    integers and halves (exact in any order), so the result is the one of a single piece, without materialising
    several (rows x pooled days) arrays: at 100k events each is ~27M values, and touching that much fresh memory costs
    more than the arithmetic."""
    days = np.concatenate([np.arange(estimation[0], estimation[1] + 1), np.arange(window[0], window[1] + 1)])
    n_cols, n_est_cols = len(days), estimation[1] - estimation[0] + 1
    first_col = np.searchsorted(days, rows.first_day[which])
    end_col = np.searchsorted(days, rows.last_day[which], side="right")
    t_i = np.maximum(end_col - first_col, 0)
    pad = int(np.abs(days).max()) + 1
    pos0 = rows.row0[which] + pad
    padded_ret = np.concatenate([np.full(pad, np.nan), series.ret, np.full(pad, np.nan)])
    padded_bench = np.concatenate([np.full(pad, np.nan), series.bench, np.full(pad, np.nan)])
    alpha, beta = f.alpha[which], f.beta[which]
    n_est = np.maximum(np.minimum(end_col, n_est_cols) - first_col, 0)
    n = len(which)
    n_pos, total, norm_sq = np.empty(n), np.empty(n), np.empty(n)
    rank_sum = np.zeros((n_combos, n_cols))

    def chunk(start: int):
        part = slice(start, min(start + _CHUNK_ROWS, n))
        lo, hi = first_col[part], end_col[part]
        ragged = bool((lo != 0).any() or (hi != n_cols).any())
        cols = np.arange(n_cols)
        valid = (cols >= lo[:, None]) & (cols < hi[:, None]) if ragged else None
        # same operation order as event_window: R - alpha - beta Rm
        ar = _window_rows(padded_ret, pos0[part], days)
        ar -= alpha[part][:, None]
        slope = _window_rows(padded_bench, pos0[part], days)
        slope *= beta[part][:, None]
        ar -= slope
        del slope
        if ragged:
            ar[~valid] = 0.0                        # other pairs' rows and padding
        est = ar[:, :n_est_cols]
        n_pos[part] = np.count_nonzero(est > 0, axis=1)
        total[part] = est.sum(axis=1)
        norm_sq[part] = np.einsum("ij,ij->i", est, est)
        return _rank_sums(ar, valid, t_i[part], combo[part], n_combos, local=True)

    with ThreadPoolExecutor(2) as pool:
        for used, sums in pool.map(chunk, range(0, n, _CHUNK_ROWS)):
            rank_sum[used] += sums
    with np.errstate(invalid="ignore", divide="ignore"):
        p_pos = n_pos / n_est
        mean = total / n_est
        # sum of squares - n mean^2: the residual mean is small next to the spread (0 for an OLS fit)
        norm = np.sqrt(np.maximum(norm_sq - total * mean, 0.0))
        scale = np.where(norm > 0, 1.0 / norm, 0.0)
    # rows with an AR per (combo, column), and their (T_i + 1) / 2: +x at a row's first column, -x after its last
    steps = np.zeros((2, n_combos, n_cols + 1))
    last = np.maximum(end_col, first_col)
    for layer, value in ((0, 1.0), (1, (t_i + 1) / 2.0)):
        np.add.at(steps[layer], (combo, first_col), value)
        np.add.at(steps[layer], (combo, last), -value)
    count, mid_sum = np.cumsum(steps, axis=2)[:, :, :n_cols]
    first_row = rows.row0[which] + days[np.minimum(first_col, n_cols - 1)]
    kp_parts = (first_row, first_row + n_est, scale, scale * f.beta[which], scale * (f.alpha[which] + mean))
    return Estimation(rows=which, n_est=n_est, p_pos=p_pos, norm=norm, rank_sum=rank_sum, count=np.rint(count),
                      mid_sum=mid_sum, kp_parts=kp_parts)


def _window_rows(values: np.ndarray, pos0: np.ndarray, days: np.ndarray) -> np.ndarray:
    """values[pos0 + day] as a rows x days matrix: whole rows of a sliding-window view are copied at once, several
    times faster than an element-wise gather (the pooled days are one run unless the windows leave a gap)."""
    span = int(days[-1] - days[0]) + 1
    out = sliding_window_view(values, span)[pos0 + days[0]]
    return out if span == len(days) else out[:, days - days[0]]


_SIGN = np.uint64(1 << 63)


def _order_keys(values: np.ndarray) -> np.ndarray:
    """Order-preserving unsigned 64-bit keys of finite floats (-0.0 and 0.0 equal)."""
    v = values + 0.0
    keys = (v.view(np.int64) >> 63).view(np.uint64)      # all ones for negatives: flip every bit, else the sign bit
    keys |= _SIGN
    keys ^= v.view(np.uint64)
    return keys


def _rank_sums(ar, valid, t_i, combo, n_combos, local: bool = False):
    """Per (combo, column): the sum over the combo's rows of the average rank of the AR within its row's valid ARs
    (ranks from 1; columns without an AR add nothing; valid None = every column has an AR).

    Each AR becomes an order-preserving 64-bit key whose low bits are replaced by its column, so one plain integer
    sort per row gives every rank and the column it belongs to. Rows where two valid keys agree once those low bits
    are dropped (a tie, or values within about 1e-13 of each other) are ranked again exactly.
    With ``local`` the sums cover only the combos present, returned as (those combos, sums), so that a chunk of rows
    does not add up a table of every combo."""
    n_rows, n_cols = ar.shape
    width = n_cols + 1
    used = None
    if local:
        used, combo = np.unique(combo, return_inverse=True)
        combo, n_combos = combo.ravel(), len(used)
    if n_rows == 0:
        return (used, np.zeros((n_combos, n_cols))) if local else np.zeros((n_combos, n_cols))
    cols = np.arange(n_cols)
    low = np.uint64((1 << n_cols.bit_length()) - 1)     # room for one more column index: the discard column
    keys = _order_keys(ar)
    keys &= ~low
    keys |= cols.astype(np.uint64)
    if valid is not None:
        np.copyto(keys, ~low | np.uint64(n_cols), where=~valid)   # no AR: sorts last, into the discard column
    keys.sort(axis=1)
    flat = keys.ravel()
    near = np.flatnonzero((flat[1:] ^ flat[:-1]) <= low)
    near = near[(near + 1) % n_cols != 0]               # a pair straddling two rows is not a neighbour
    near_per_row = np.bincount(near // n_cols, minlength=n_rows)
    slow = np.flatnonzero(near_per_row > np.maximum(n_cols - t_i - 1, 0))   # more than the no-AR keys among themselves
    keys &= low                                         # the column; small, so the same bits read as intp
    bins = keys.view(np.intp)
    bins += (combo * width)[:, None]
    if slow.size:
        bins[slow] = (combo[slow] * width + n_cols)[:, None]        # ranked exactly below instead
    ranks = np.tile(np.arange(1.0, n_cols + 1.0), n_rows)           # sorted position k holds rank k + 1
    sums = np.bincount(bins.ravel(), weights=ranks, minlength=n_combos * width).reshape(n_combos, width)
    if slow.size:
        from scipy.stats import rankdata   # only ties need it (scipy.stats is slow to import)

        has_ar = np.ones((slow.size, n_cols), dtype=bool) if valid is None else valid[slow]
        exact = np.where(has_ar, rankdata(np.where(has_ar, ar[slow], np.nan), method="average", axis=1,
                                          nan_policy="omit"), 0.0)
        np.add.at(sums, combo[slow], np.pad(exact, ((0, 0), (0, 1))))
    return (used, sums[:, :n_cols]) if local else sums[:, :n_cols]


def _kp_date_sums(series: Series, est: Estimation, local: np.ndarray, member_group: np.ndarray, n_groups: int,
                  pair_of_row: np.ndarray) -> np.ndarray:
    """Per group: s2 = sum over calendar dates of (sum over its members of u_it)^2, u_it = (AR_it - mean_i) / norm_i
    on estimation days (members with norm 0 add nothing).

    Not summed cell by cell: sum_i u_it = ret_t sum_i s_i - bench_t sum_i s_i beta_i - sum_i s_i (alpha_i + mean_i),
    s_i = 1 / norm_i, over the members covering series row t, so per (group, pair) the three sums are step functions
    along the pair's rows (a difference array, cumulated): one pass over the rows a group covers."""
    s2 = np.zeros(n_groups)
    first_row, end_row, s, sb, sc = (part[local] for part in est.kp_parts)
    keep = end_row > first_row
    if not keep.any():
        return s2
    first_row, end_row, s, sb, sc = first_row[keep], end_row[keep], s[keep], sb[keep], sc[keep]
    group = member_group[keep]
    pair = pair_of_row[first_row]
    n_pairs = int(pair.max()) + 1
    segment_keys, segment = np.unique(group * n_pairs + pair, return_inverse=True)
    lo = np.full(len(segment_keys), np.iinfo(np.int64).max)
    hi = np.zeros(len(segment_keys), dtype=np.int64)
    np.minimum.at(lo, segment, first_row)
    np.maximum.at(hi, segment, end_row)
    offset = np.r_[0, np.cumsum(hi - lo)]
    n_cells = int(offset[-1])
    marks = np.concatenate([offset[segment] + first_row - lo[segment], offset[segment] + end_row - lo[segment]])
    step = [np.cumsum(np.bincount(marks, weights=np.concatenate([w, -w]), minlength=n_cells + 1)[:n_cells])
            for w in (s, sb, sc)]
    cells = np.repeat(lo - offset[:-1], hi - lo) + np.arange(n_cells)
    u_sum = series.ret[cells] * step[0] - series.bench[cells] * step[1] - step[2]
    dates = series.date[cells]
    lo_date = int(dates.min())
    width = int(dates.max()) - lo_date + 1
    segment_group = segment_keys // n_pairs
    bins = np.repeat(segment_group * width - lo_date, hi - lo) + dates
    by_group = np.bincount(bins, weights=u_sum, minlength=n_groups * width).reshape(n_groups, width)
    return np.square(by_group).sum(axis=1)


def aggregate(series: Series, rows: Rows, f: Fit, path: Path, cars: Cars, groups: Groups, *,
              estimation: tuple[int, int], window: tuple[int, int], estimation_tests: bool = True,
              pair_of_row: np.ndarray | None = None) -> tuple[dict, dict]:
    """The cross-event tests per group and CAR window (long format: one entry per test) and the AAR/CAAR path per
    group and day. Returns two dicts of columns."""
    mem = members(groups)
    n_groups = len(mem.names)
    n_rows = len(rows.row0)
    kinds = np.array([k for k, _ in mem.names], dtype=object)
    values_of = np.array([v for _, v in mem.names], dtype=object)
    ind = mem.indicator(n_rows)

    # AAR / CAAR path: members' ARs per relative day
    has_ar = ~np.isnan(path.ar)
    count = ind @ has_ar.astype(float)
    ar0, car0 = np.where(has_ar, path.ar, 0.0), np.where(has_ar, path.car, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        aar = (ind @ ar0) / count
        caar = (ind @ car0) / count
        # two-pass: each member's deviation from its group's mean CAR
        dev = np.where(has_ar[mem.row], path.car[mem.row] - caar[mem.group], 0.0)
        by_member = sparse.csr_matrix((np.ones(len(mem.row)), (mem.group, np.arange(len(mem.row)))),
                                      shape=(n_groups, len(mem.row)))
        caar_se = np.sqrt((by_member @ (dev * dev)) / (count - 1)) / np.sqrt(count)
    present = (ind @ path.has.astype(float)) > 0
    g_ix, d_ix = np.nonzero(present)
    aar_out = {"group_kind": kinds[g_ix], "group_value": values_of[g_ix], "day": path.days[d_ix].astype(np.int32),
               "n": count[g_ix, d_ix].astype(np.int32), "aar": aar[g_ix, d_ix], "caar": caar[g_ix, d_ix],
               "caar_se": np.where(count[g_ix, d_ix] > 1, caar_se[g_ix, d_ix], np.nan)}

    # estimation-window summaries of the members with a fit
    rank_z = np.full((n_groups, len(cars.windows)), np.nan)
    r_bar = np.full(n_groups, np.nan)
    p_pos = np.full(n_rows, np.nan)
    if estimation_tests and len(mem.row):
        fitted = ~np.isnan(f.alpha[mem.row]) & ~np.isnan(f.beta[mem.row])
        is_est = np.zeros(n_rows, dtype=bool)
        is_est[mem.row[fitted]] = True
        est_rows = np.flatnonzero(is_est)             # sorted distinct rows, without a sort
        local_of = np.full(n_rows, -1)
        local_of[est_rows] = np.arange(len(est_rows))
        local, m_group, m_kind = local_of[mem.row[fitted]], mem.group[fitted], mem.kind[fitted]
        # each row's combination of groups (one per kind at most): the rank sums are per combination, then rolled up
        n_kinds = len(groups.labels)
        table = np.full((len(est_rows), n_kinds), -1, dtype=np.int64)
        table[local, m_kind] = m_group
        combos, combo = _unique_rows(table, n_groups)
        est = estimation_pass(series, rows, f, est_rows, combo, len(combos), estimation, window)
        p_pos[est.rows] = est.p_pos
        c_ix, k_ix = np.nonzero(combos >= 0)
        rollup = sparse.csr_matrix((np.ones(len(c_ix)), (combos[c_ix, k_ix], c_ix)), shape=(n_groups, len(combos)))
        # Corrado: mean rank deviation per pooled day over the members with an AR that day
        sum_d = rollup @ (est.rank_sum - est.mid_sum)
        n_d = rollup @ est.count
        with np.errstate(invalid="ignore", divide="ignore"):
            dbar = np.where(n_d > 0, sum_d / np.where(n_d > 0, n_d, 1), 0.0)
            s_d = np.sqrt((dbar * dbar).sum(axis=1) / (n_d > 0).sum(axis=1))
        pooled = np.concatenate([np.arange(estimation[0], estimation[1] + 1), np.arange(window[0], window[1] + 1)])
        for k, (a, b) in enumerate(cars.windows):
            cols = (pooled >= a) & (pooled <= b)
            rank_z[:, k] = _div(dbar[:, cols].sum(axis=1), np.sqrt(b - a + 1) * s_d)
        # Kolari-Pynnonen: r from the date sums of the standardised estimation residuals
        spread = est.norm[local] > 0
        n_kp = np.bincount(m_group[spread], minlength=n_groups)
        if pair_of_row is None:
            pair_of_row = np.zeros(len(series.ret), dtype=np.int64)
        s2 = _kp_date_sums(series, est, local[spread], m_group[spread], n_groups, pair_of_row)
        with np.errstate(invalid="ignore", divide="ignore"):
            r_bar = np.where(n_kp >= 2, (s2 - n_kp) / (n_kp * (n_kp - 1.0)), np.nan)

    out = {k: [] for k in ("group_kind", "group_value", "window", "n", "n_listings", "caar", "test", "statistic",
                           "df", "convention")}
    labels = [f"{a}:{b}" for a, b in cars.windows]
    listing = np.arange(n_rows) if groups.listing is None else np.asarray(groups.listing, dtype=np.int64)
    listing_keys = _listing_keys(mem, groups, listing)
    for k, (a, b) in enumerate(cars.windows):
        values = _observation_values(cars, k, groups) if groups.average else (cars.car[:, k], cars.se[:, k],
                                                                              cars.csar[:, k])
        cov = cars.covered[mem.row, k]
        r, g = mem.row[cov], mem.group[cov]
        length = b - a + 1
        car, se, df, csar = values[0][r], values[1][r], cars.df[r, k], values[2][r]
        n = np.bincount(g, minlength=n_groups)
        n_listings = _listings_behind(listing_keys, cars.covered[:, k], n_groups)
        has_group = n > 0
        mean = _group_mean(car, g, n_groups)
        sd = _group_sd(car, g, n_groups, mean)
        csect = _div(np.sqrt(n) * mean, sd)
        patell_ok = df > 2
        with np.errstate(invalid="ignore", divide="ignore"):
            patell_terms = np.where(patell_ok, csar / np.sqrt(length * df / (df - 2.0)), 0.0)
        n_patell = np.bincount(g[patell_ok], minlength=n_groups)
        patell = np.where(n_patell > 0, _div(np.bincount(g, weights=patell_terms, minlength=n_groups),
                                             np.sqrt(n_patell)), np.nan)
        scar = _div(car, se)
        scar_ok = ~np.isnan(scar)
        n_bmp = np.bincount(g[scar_ok], minlength=n_groups)
        scar_mean = _group_mean(scar[scar_ok], g[scar_ok], n_groups)
        bmp = _div(np.sqrt(n_bmp) * scar_mean, _group_sd(scar[scar_ok], g[scar_ok], n_groups, scar_mean))
        with np.errstate(invalid="ignore", divide="ignore"):
            kp_denominator = 1 + (n_bmp - 1) * r_bar
            kp = bmp * np.sqrt((1 - r_bar) / np.where(kp_denominator == 0, np.nan, kp_denominator))
        n_pos = np.bincount(g[car > 0], minlength=n_groups)
        pp = p_pos[r]
        pp_ok = ~np.isnan(pp)
        p_hat = _div(np.bincount(g[pp_ok], weights=pp[pp_ok], minlength=n_groups),
                     np.bincount(g[pp_ok], minlength=n_groups).astype(float))
        with np.errstate(invalid="ignore", divide="ignore"):
            sign_ok = (p_hat > 0) & (p_hat < 1)
            gsign = np.where(sign_ok, (n_pos - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat)), np.nan)
        for gi in np.flatnonzero(has_group):
            base = (kinds[gi], values_of[gi], labels[k], int(n[gi]), int(n_listings[gi]), mean[gi])
            for test, stat, dof, convention in _conventions(
                    n[gi], csect[gi], patell[gi], n_patell[gi], bmp[gi], n_bmp[gi], kp[gi], r_bar[gi],
                    rank_z[gi, k], gsign[gi], p_hat[gi]):
                if not estimation_tests and test in ESTIMATION_TESTS:
                    stat, convention = np.nan, NOT_COMPUTED_OFF
                for name, value in zip(("group_kind", "group_value", "window", "n", "n_listings", "caar"), base):
                    out[name].append(value)
                out["test"].append(test)
                out["statistic"].append(stat if np.isfinite(stat) else np.nan)
                out["df"].append(dof)
                out["convention"].append(convention)
    agg = {k: np.array(v, dtype=object if k in ("group_kind", "group_value", "window", "test", "convention")
                       else float) for k, v in out.items()}
    agg["n"] = agg["n"].astype(np.int32)
    agg["n_listings"] = agg["n_listings"].astype(np.int32)
    agg["p"] = two_sided_p(agg["statistic"], agg["df"])
    return agg, aar_out


def _observation_values(cars: Cars, k: int, groups: Groups):
    """(car, se, csar) per row where each row carries the mean over its observation's included covered rows: mean CAR,
    mean CSAR, and se such that CAR / se is the mean SCAR (the BMP input)."""
    car, se, csar = cars.car[:, k].copy(), cars.se[:, k].copy(), cars.csar[:, k].copy()
    use = groups.include & cars.covered[:, k]
    if not use.any():
        return car, se, csar
    obs = groups.observation[use]
    codes, inverse = np.unique(obs, return_inverse=True)
    count = np.bincount(inverse).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = {name: np.bincount(inverse, weights=v[use], minlength=len(codes)) / count
                for name, v in (("car", car), ("csar", csar), ("scar", car / se))}
    where = np.flatnonzero(use)
    car[where], csar[where] = mean["car"][inverse], mean["csar"][inverse]
    se[where] = _div(mean["car"][inverse], mean["scar"][inverse])
    return car, se, csar


def _listing_keys(mem: Members, groups: Groups, listing: np.ndarray) -> list:
    """Per group kind: the included rows with a group, the code of each one's (group, observation, listing) key and
    each code's group. Built once per run; ``_listings_behind`` then counts per window without another hash."""
    rows = np.flatnonzero(groups.include)
    span_obs = int(groups.observation.max(initial=0)) + 1
    span_listing = int(listing.max(initial=0)) + 1
    parts = []
    for k in range(mem.row_group.shape[1]):
        g = mem.row_group[rows, k]
        kept = rows[g >= 0]
        key = (g[g >= 0] * span_obs + groups.observation[kept]) * span_listing + listing[kept]
        codes, unique = pd.factorize(key)
        parts.append((kept, codes, unique // (span_obs * span_listing)))
    return parts


def _listings_behind(listing_keys: list, covered: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: the distinct (observation, listing) pairs among its included rows with a covered CAR."""
    counts = np.zeros(n_groups, dtype=np.int64)
    for rows, codes, key_group in listing_keys:
        seen = np.bincount(codes[covered[rows]], minlength=len(key_group)) > 0
        counts += np.bincount(key_group[seen], minlength=n_groups)
    return counts


def _unique_rows(table: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(table, axis=0, return_inverse=True) for a table of group indexes in [-1, n_groups): each row packed
    into one integer (first column most significant, so the order is the same), when that fits in 62 bits."""
    base = n_groups + 1
    if table.shape[1] == 0 or base ** table.shape[1] >= 2 ** 62:
        combos, combo = np.unique(table, axis=0, return_inverse=True)
        return combos, combo.ravel()
    key = np.zeros(len(table), dtype=np.int64)
    for k in range(table.shape[1]):
        key = key * base + (table[:, k] + 1)
    packed, combo = np.unique(key, return_inverse=True)
    combos = np.empty((len(packed), table.shape[1]), dtype=table.dtype)
    for k in reversed(range(table.shape[1])):
        combos[:, k] = packed % base - 1
        packed = packed // base
    return combos, combo.ravel()


def _group_mean(values, group, n_groups):
    count = np.bincount(group, minlength=n_groups)
    return _div(np.bincount(group, weights=values, minlength=n_groups), count.astype(float))


def _group_sd(values, group, n_groups, mean):
    """Sample sd (N-1) per group, two-pass; NaN for fewer than two values."""
    count = np.bincount(group, minlength=n_groups)
    dev = values - mean[group]
    ss = np.bincount(group, weights=dev * dev, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 1, np.sqrt(ss / np.maximum(count - 1, 1)), np.nan)


def _conventions(n, csect, patell, n_patell, bmp, n_bmp, kp, r_bar, rank_z, gsign, p_hat):
    """(test, statistic, df, convention) of one group and window, each test's convention named."""
    nan = float("nan")
    kp_range = np.isfinite(r_bar) and np.isfinite(bmp) and 1 + (n_bmp - 1) * r_bar <= 0
    return [
        ("csect_t", csect, n - 1.0,
         "Brown-Warner 1985 cross-sectional t: sqrt(N) mean(CAR) / sd(CAR), sd with N-1; t(N-1)"
         + ("; not computed: needs N >= 2" if n < 2 else
            "; not computed: the CARs do not vary" if not np.isfinite(csect) else "")),
        ("patell_z", patell, nan,
         "Patell 1976: SAR = AR / prediction-error sd (spec 4.2); Z = sum_i CSAR_i / sqrt(L df_i/(df_i-2)) / sqrt(N); "
         "N(0,1)"
         + ("; not computed: needs events with df > 2" if not np.isfinite(patell) else
            f"; {n_patell} of {n} events with df > 2" if n_patell < n else "")),
        ("bmp_t", bmp, n_bmp - 1.0,
         "BMP 1991 on SCAR = CAR / sd with estimation error (spec 4.3; on one day the prediction-error SAR, as "
         "ARC/estudy2): sqrt(N) mean(SCAR)/sd(SCAR); t(N-1)"
         + ("; not computed: needs N >= 2" if n_bmp < 2 else
            "; not computed: the SCARs do not vary" if not np.isfinite(bmp) else "")),
        ("kp_bmp_t", kp, n_bmp - 1.0,
         "Kolari-Pynnonen 2010 adjusted BMP: BMP sqrt((1-r)/(1+(N-1)r)), r = mean off-diagonal correlation of "
         "estimation residuals by calendar date"
         + ("; not computed: needs N >= 2 and a BMP t" if not (np.isfinite(r_bar) and np.isfinite(bmp)) else
            "; not computed: r out of range" if kp_range else f" (r = {r_bar:.4f}); t(N-1)")),
        ("corrado_rank_z", rank_z, nan,
         "Corrado 1989 rank of ARs over estimation+event days per event (average ranks for ties), Cowan 1992 window "
         "form sum D_t/(sqrt(L) S_D); N(0,1)"
         + ("; not computed: the ranks do not vary" if not np.isfinite(rank_z) else "")),
        ("gen_sign_z", gsign, nan,
         "Cowan 1992 generalized sign: w = #(CAR > 0), zero counts as non-positive; p = per-event share of positive "
         "estimation ARs averaged over events"
         + ("; not computed: p is 0 or 1" if not np.isfinite(gsign) else f" (p = {p_hat:.4f}); N(0,1)")),
    ]
