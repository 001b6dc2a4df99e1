"""What SQL cannot sensibly do: p-values from the t and normal distributions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy import special


def two_sided_p(statistic, df=None) -> np.ndarray:
    """Two-sided p of each statistic: Student t with df where df is given and positive, standard normal where df is
    missing (None/NaN). NaN statistics (not computed) give NaN."""
    x = np.atleast_1d(_as_float(statistic))
    if df is None:
        dof = np.full_like(x, np.nan)
    else:
        dof = np.atleast_1d(_as_float(df))
        if dof.shape != x.shape:
            dof = np.broadcast_to(dof, x.shape).astype(float)
    p = np.full_like(x, np.nan)
    finite = np.isfinite(x)
    use_t = finite & np.isfinite(dof) & (dof > 0)
    use_normal = finite & ~np.isfinite(dof)
    p[use_t] = _t_two_sided(np.abs(x[use_t]), dof[use_t])
    p[use_normal] = 2 * special.ndtr(-np.abs(x[use_normal]))   # = 2 norm.sf(|x|); scipy.stats costs 0.5 s to import
    return p


def _as_float(values) -> np.ndarray:
    """Numbers as a float array; None / NA / text that is not a number become NaN (numeric arrays skip pandas)."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)


def _t_two_sided(abs_t: np.ndarray, dof: np.ndarray) -> np.ndarray:
    """2 P(T_dof > |t|). A big study's CAR windows (hundreds of thousands) are split over two threads: the special
    function is the cost and scipy runs it without the GIL."""
    if len(abs_t) < 200_000:
        return 2 * special.stdtr(dof, -abs_t)
    half = len(abs_t) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        low, high = pool.map(lambda part: 2 * special.stdtr(dof[part], -abs_t[part]), (slice(0, half), slice(half, None)))
    return np.concatenate([low, high])
