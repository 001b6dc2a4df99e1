"""The event study in DuckDB SQL: models, prediction-error variances, CARs with estimation error, flags and
cross-sectional tests. See docs/architecture.md ("study") for the contract.

Conventions (research note §3/§4; each aggregate row also names its own in ``study_aggregates.convention``):

- Returns: simple, from adj_close over consecutive stored rows; a return across a data hole of more than 20
  calendar days is dropped. Stock and benchmark are joined on date; relative days count joined sessions; day 0
  is the first joined session on or after ``coalesce(day0, study_date)``.
- sigma: market model SSR/(M-2); constant mean and market-adjusted the sample variance (M-1). The t tests use
  df = the same denominator (M-2 or M-1).
- Per-event AR t uses the prediction-error (FEC) sd of §4.2; CAR t uses the full variance with estimation error of
  §4.3 (never sqrt(L)*sigma). p-values are two-sided.
- CSect t: Brown-Warner 1985 on CARs, t(N-1). Patell Z: FEC-standardised ARs, window CSAR scaled by
  sqrt(L (M-k)/(M-k-2)), N(0,1). BMP: SCAR = CAR / full-variance sd (= FEC SAR on one day, the ARC/estudy2
  convention), t(N-1). KP: BMP * sqrt((1-r)/(1+(N-1)r)), r the mean off-diagonal correlation of the estimation
  residuals aligned by calendar date. Corrado rank: pooled estimation+event ARs per event, average ranks for ties,
  Cowan's window form. Generalized sign: zero counts as non-positive, p-hat averaged over events (Cowan).
- Aggregates use events with in_aggregates (not flagged not_listed / insufficient_estimation / missing_prices /
  background, and not stock_move unless include_stock_moves) whose window is covered; an event listed on two
  symbols counts once per symbol.
"""

from tracker.study.inputs import load_study_events, read_events_csv, user_events_to_study_events
from tracker.study.jsonout import to_json
from tracker.study.params import MODELS, StudyParams
from tracker.study.run import StudyResult, read_result, run_study

__all__ = [
    "MODELS",
    "StudyParams",
    "StudyResult",
    "load_study_events",
    "read_events_csv",
    "read_result",
    "run_study",
    "to_json",
    "user_events_to_study_events",
]
