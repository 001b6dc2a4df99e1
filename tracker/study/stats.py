"""What SQL cannot sensibly do: p-values from the t and normal distributions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def two_sided_p(statistic, df=None) -> np.ndarray:
    """Two-sided p of each statistic: Student t with df where df is given and positive, standard normal where df is
    missing (None/NaN). NaN statistics (not computed) give NaN."""
    x = np.asarray(pd.to_numeric(pd.Series(statistic), errors="coerce"), dtype=float)
    if df is None:
        dof = np.full_like(x, np.nan)
    else:
        dof = np.asarray(pd.to_numeric(pd.Series(df), errors="coerce"), dtype=float)
        if dof.shape != x.shape:
            dof = np.broadcast_to(dof, x.shape).astype(float)
    p = np.full_like(x, np.nan)
    finite = np.isfinite(x)
    use_t = finite & np.isfinite(dof) & (dof > 0)
    use_normal = finite & ~np.isfinite(dof)
    p[use_t] = 2 * stats.t.sf(np.abs(x[use_t]), dof[use_t])
    p[use_normal] = 2 * stats.norm.sf(np.abs(x[use_normal]))
    return p
