"""Exchange trading sessions, and THE mapping from a calendar date to day 0.

Every stage that needs "the first trading day on or after D" calls ``first_session_on_or_after``;
nothing else in tracker may compute it, so events, gaps and studies agree on one calendar.

Calendar objects are slow to build (hundreds of ms each), so each is built lazily, once per process.
exchange_calendars has no Shenzhen calendar: XSHE uses XSHG, whose holidays are the same mainland
closures. Beyond a calendar's horizon (XSHG ends with the current year because holidays are
announced yearly) sessions fall back to Monday-Friday: there are no prices there yet anyway.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from functools import lru_cache

import exchange_calendars as xcals
import pandas as pd

from tracker.errors import TrackerError

CALENDAR_START = date(2015, 1, 1)
_ALIASES = {"XSHE": "XSHG", "XNAS": "XNYS"}


def calendar_name(exchange: str) -> str:
    name = exchange.strip().upper()
    return _ALIASES.get(name, name)


@lru_cache(maxsize=None)
def _calendar(name: str, start_year: int) -> xcals.ExchangeCalendar:
    try:
        with warnings.catch_warnings():
            # exchange_calendars uses pandas APIs that pandas 3 deprecates; the noise is theirs.
            warnings.simplefilter("ignore")
            return xcals.get_calendar(name, start=f"{start_year}-01-01")
    except xcals.errors.InvalidCalendarName as exc:
        raise TrackerError(f"unknown exchange {name!r}; use a MIC such as XNYS, XHKG or XSHG") from exc


def get_calendar(exchange: str, earliest: date | None = None) -> xcals.ExchangeCalendar:
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


def sessions(exchange: str, start: date, end: date) -> list[date]:
    """Trading sessions of ``exchange`` with start <= session <= end, ascending."""
    if end < start:
        return []
    cal = get_calendar(exchange, start)
    first, last = cal.first_session.date(), cal.last_session.date()
    out: list[date] = []
    lo, hi = max(start, first), min(end, last)
    if lo <= hi:
        out = [d.date() for d in cal.sessions_in_range(pd.Timestamp(lo), pd.Timestamp(hi))]
    if end > last:
        out += _weekdays(max(start, last + timedelta(days=1)), end)
    return out


def first_session_on_or_after(exchange: str, day: date) -> date:
    """Day 0 for news known on ``day``: that day if the exchange trades, else the next session."""
    cal = get_calendar(exchange, day)
    if day > cal.last_session.date():
        return _weekdays(day, day + timedelta(days=7))[0]
    return cal.date_to_session(pd.Timestamp(day), direction="next").date()
