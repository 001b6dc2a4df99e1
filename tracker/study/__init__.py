"""The event study: DuckDB joins (sql/study/, in run order), a numpy kernel computes (kernel.py), the results go back
as the tables study_results, study_ar, study_car, study_aggregates and study_aar. The conventions are in kernel.py's
docstring; each aggregate row also names its own in ``study_aggregates.convention``.
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
