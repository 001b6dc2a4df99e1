"""Study parameters (the first study step binds them into the one-row ``study_params`` table)."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.errors import TrackerError

MODELS = ("market", "market_adjusted", "constant_mean")
LISTING_MODES = ("primary", "all", "average")


@dataclass
class StudyParams:
    model: str = "market"                       # market | market_adjusted | constant_mean
    estimation: tuple[int, int] = (-250, -11)   # joined sessions relative to day 0, inclusive
    window: tuple[int, int] = (-10, 10)         # event window, inclusive
    car_windows: tuple[tuple[int, int], ...] = ((0, 0), (-1, 1), (0, 1), (0, 5), (-5, 5), (0, 10))
    min_estimation: int = 120
    include_stock_moves: bool = False
    # The rank, generalized-sign and Kolari-Pynnonen tests read every estimation-window residual (about 12x the
    # event-window cells); off skips them.
    estimation_tests: bool = True
    # Events dated coarser than a day (or by the publication standing in for a date) are shown with their uncertainty
    # window's CAR and left out of the aggregates unless this is on.
    include_uncertain: bool = False
    # What one news cluster (company, study date) contributes to the aggregates: its primary listing's CAR
    # (primary), each listing as its own observation (all), or the mean over its listings (average).
    listing: str = "primary"

    def __post_init__(self) -> None:
        # Config files and the CLI hand lists; normalise so the dataclass stays hashable-looking and comparable.
        self.estimation = _pair(self.estimation, "estimation")
        self.window = _pair(self.window, "window")
        self.car_windows = tuple(_pair(w, "car window") for w in self.car_windows)

    def validate(self) -> None:
        if self.model not in MODELS:
            raise TrackerError(f"unknown study model {self.model!r}; use one of {', '.join(MODELS)}")
        (e0, e1), (w0, w1) = self.estimation, self.window
        if e0 > e1 or w0 > w1:
            raise TrackerError(f"windows must be start:end with start <= end (estimation {e0}:{e1}, event {w0}:{w1})")
        if e1 >= w0:
            shift = e1 - (w0 - 1)   # the suggestion keeps the estimation window's length
            raise TrackerError(
                f"the estimation window {e0}:{e1} overlaps the event window {w0}:{w1}: it must end before day {w0}; "
                f"pass --estimation={e0 - shift}:{w0 - 1}, or an event window starting after day {e1}"
            )
        if self.listing not in LISTING_MODES:
            raise TrackerError(f"unknown listing mode {self.listing!r}; use one of {', '.join(LISTING_MODES)}")
        if self.min_estimation < 3:
            raise TrackerError(f"min_estimation must be at least 3 (got {self.min_estimation})")

    def effective_car_windows(self) -> tuple[tuple[int, int], ...]:
        """CAR windows inside the event window (others could never be covered); the whole window if none is."""
        w0, w1 = self.window
        inside = tuple(w for w in self.car_windows if w0 <= w[0] and w[1] <= w1)
        return inside or (self.window,)


def window_label(window: tuple[int, int]) -> str:
    return f"{window[0]}:{window[1]}"


def _pair(value, what: str) -> tuple[int, int]:
    try:
        start, end = value
        return int(start), int(end)
    except (TypeError, ValueError) as exc:
        raise TrackerError(f"the {what} must be two whole numbers start:end (got {value!r})") from exc
