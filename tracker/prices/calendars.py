"""Exchange trading sessions, and THE mapping from a calendar date to day 0.

Every stage that needs "the first trading day on or after D" calls ``first_session_on_or_after``;
nothing else in tracker may compute it, so events, gaps and studies agree on one calendar.

Calendar objects are slow to build (hundreds of ms each), so each is built lazily, once per process, and its
sessions are kept as one sorted datetime64 array per exchange (also once per process): every range query is then
two binary searches into that array, so many symbols or ranges cost no more calendar work than one.
exchange_calendars has no Shenzhen calendar: XSHE uses XSHG, whose holidays are the same mainland
closures. Beyond a calendar's horizon (XSHG ends with the current year because holidays are
announced yearly) sessions fall back to Monday-Friday: there are no prices there yet anyway.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from tracker.errors import TrackerError

# Weekdays stand in for sessions this far past a calendar's last session; a range reaching further is padded on
# the fly (nothing there has prices yet, so it is rare and small).
_WEEKDAY_HORIZON = timedelta(days=3 * 366)

CALENDAR_START = date(2015, 1, 1)
_ALIASES = {"XSHE": "XSHG", "XNAS": "XNYS"}


def calendar_name(exchange: str) -> str:
    name = exchange.strip().upper()
    return _ALIASES.get(name, name)


@lru_cache(maxsize=None)
def _calendar(name: str, start_year: int):
    """The exchange_calendars calendar (imported here: a run whose prices are covered never needs one)."""
    import exchange_calendars as xcals

    try:
        with warnings.catch_warnings():
            # exchange_calendars uses pandas APIs that pandas 3 deprecates; the noise is theirs.
            warnings.simplefilter("ignore")
            return xcals.get_calendar(name, start=f"{start_year}-01-01")
    except xcals.errors.InvalidCalendarName as exc:
        raise TrackerError(f"unknown exchange {name!r}; use a MIC such as XNYS, XHKG or XSHG") from exc


def get_calendar(exchange: str, earliest: date | None = None):
    """The cached calendar for an exchange, starting early enough for ``earliest``."""
    start_year = CALENDAR_START.year
    if earliest is not None and earliest < CALENDAR_START:
        # A rare request before 2015 gets its own calendar rather than slowing down every build.
        start_year = earliest.year - 1   # a year's margin so the date is never before the first session
    return _calendar(calendar_name(exchange), start_year)


def exchange_timezone(exchange: str) -> str:
    return str(get_calendar(exchange).tz)


def _weekdays(start: date, end: date) -> list[date]:
    return [d.date() for d in pd.bdate_range(start, end)]


def _weekday_array(start, end) -> np.ndarray:
    start, end = np.datetime64(start, "D"), np.datetime64(end, "D")
    if end < start:
        return np.array([], dtype="datetime64[D]")
    days = np.arange(start, end + 1, dtype="datetime64[D]")
    return days[np.is_busday(days)]


@lru_cache(maxsize=None)
def _session_array(name: str, start_year: int) -> np.ndarray:
    """Every session of the calendar, then weekdays up to _WEEKDAY_HORIZON past its last session (read-only)."""
    cal = _calendar(name, start_year)
    days = cal.sessions.values.astype("datetime64[D]")
    last = cal.last_session.date()
    tail = _weekday_array(last + timedelta(days=1), last + _WEEKDAY_HORIZON)
    out = np.concatenate([days, tail])
    out.setflags(write=False)
    return out


def session_array(exchange: str, start, end) -> np.ndarray:
    """Sessions of ``exchange`` with start <= session <= end as a sorted datetime64[D] array (a view: do not write)."""
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if end < start:
        return np.array([], dtype="datetime64[D]")
    name = calendar_name(exchange)
    get_calendar(name, start)  # unknown exchange: one clear error
    start_year = CALENDAR_START.year if start >= CALENDAR_START else start.year - 1
    days = _session_array(name, start_year)
    lo = np.searchsorted(days, np.datetime64(start, "D"), side="left")
    hi = np.searchsorted(days, np.datetime64(end, "D"), side="right")
    found = days[lo:hi]
    if len(days) and np.datetime64(end, "D") > days[-1]:
        found = np.concatenate([found, _weekday_array(max(np.datetime64(start, "D"), days[-1] + 1), end)])
    return found


def sessions(exchange: str, start: date, end: date) -> list[date]:
    """Trading sessions of ``exchange`` with start <= session <= end, ascending."""
    return session_array(exchange, start, end).astype(object).tolist()


def expand_sessions(pieces: pd.DataFrame) -> pd.DataFrame:
    """Every session inside each row's [lo, hi] (columns symbol, exchange, lo, hi) as rows symbol, date
    (datetime64): one session array per exchange and binary searches, no loop per row."""
    parts = []
    for exchange, group in pieces.groupby("exchange", sort=False):
        lo = pd.to_datetime(group["lo"]).values.astype("datetime64[D]")
        hi = pd.to_datetime(group["hi"]).values.astype("datetime64[D]")
        days = session_array(exchange, lo.min(), hi.max())
        first = np.searchsorted(days, lo, side="left")
        counts = np.searchsorted(days, hi, side="right") - first
        counts = np.maximum(counts, 0)
        total = int(counts.sum())
        if not total:
            continue
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        parts.append(pd.DataFrame({"symbol": np.repeat(group["symbol"].to_numpy(), counts),
                                   "date": days[np.repeat(first, counts) + offsets].astype("datetime64[ns]")}))
    if not parts:
        return pd.DataFrame({"symbol": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")})
    return pd.concat(parts, ignore_index=True)


def first_session_on_or_after(exchange: str, day: date) -> date:
    """Day 0 for news known on ``day``: that day if the exchange trades, else the next session."""
    cal = get_calendar(exchange, day)
    if day > cal.last_session.date():
        return _weekdays(day, day + timedelta(days=7))[0]
    return cal.date_to_session(pd.Timestamp(day), direction="next").date()
