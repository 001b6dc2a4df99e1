"""Underspecified periods (no year, a bare weekday) resolved against the publication date.

Each helper builds the candidate periods around dct (previous, current and next year, or the
weekday in the surrounding fortnight) and lets direction.choose() pick one.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.dates import model
from tracker.dates.direction import FUTURE, PAST, choose
from tracker.dates.model import Period


def direction_of(offset: int | None) -> str | None:
    """'letzten' (-1) points back, 'nächsten' (+1) forward, 'diesen' (0) nowhere."""
    if offset is None or offset == 0:
        return None
    return PAST if offset < 0 else FUTURE


def day_month(dct: date, m: int, d: int, direction: str | None, weekday: int | None = None) -> Period | None:
    candidates = [p for y in (dct.year - 1, dct.year, dct.year + 1)
                  if (p := _day(y, m, d)) is not None]
    if weekday is not None:
        # "Freitag, 12. September": the weekday tells the year when the tense does not.
        matching = [p for p in candidates if p.first.weekday() == weekday]
        if matching:
            candidates = matching
    return choose(candidates, dct, direction) if candidates else None


def _day(y: int, m: int, d: int) -> Period | None:
    found = model.safe_date(y, m, d)
    return model.day(found) if found else None


def month(dct: date, m: int, direction: str | None, strict: bool = False) -> Period:
    return choose([model.month(y, m) for y in (dct.year - 1, dct.year, dct.year + 1)], dct, direction, strict)


def quarter(dct: date, q: int, direction: str | None, strict: bool = False) -> Period:
    return choose([model.quarter(y, q) for y in (dct.year - 1, dct.year, dct.year + 1)], dct, direction, strict)


def half(dct: date, h: int, direction: str | None, strict: bool = False) -> Period:
    return choose([model.half(y, h) for y in (dct.year - 1, dct.year, dct.year + 1)], dct, direction, strict)


def season(dct: date, name: str, direction: str | None, strict: bool = False) -> Period:
    years = (dct.year - 2, dct.year - 1, dct.year, dct.year + 1)
    return choose([model.season(y, name) for y in years], dct, direction, strict)


def this_season(dct: date, name: str) -> Period:
    """'diesen Sommer': the season of dct's year (a winter in January/February began last year)."""
    y = dct.year - 1 if name == "winter" and dct.month <= 2 else dct.year
    return model.season(y, name)


def weekday(dct: date, wd: int, direction: str | None, strict: bool = False) -> Period:
    monday_before = dct - timedelta(days=dct.weekday() + 7)
    candidates = [model.day(monday_before + timedelta(days=wd + 7 * k)) for k in range(3)]
    if direction is None and not strict:
        # A bare weekday in news is, by convention, the last one up to and including dct.
        direction = PAST
    return choose(candidates, dct, direction, strict)


def shifted_month(dct: date, delta: int) -> Period:
    y, m = model.add_months(dct.year, dct.month, delta)
    return model.month(y, m)


def shifted_quarter(dct: date, delta: int) -> Period:
    index = dct.year * 4 + model.quarter_of(dct) - 1 + delta
    return model.quarter(index // 4, index % 4 + 1)


def shifted_half(dct: date, delta: int) -> Period:
    index = dct.year * 2 + (0 if dct.month <= 6 else 1) + delta
    return model.half(index // 2, index % 2 + 1)


def ago(dct: date, n: int, unit: str) -> Period:
    """'vor zwei Wochen': the period of the unit's size n units back (never a made-up day)."""
    if unit == "day":
        return model.day(dct - timedelta(days=n))
    if unit == "week":
        return model.week_of(dct - timedelta(weeks=n))
    if unit == "month":
        return shifted_month(dct, -n)
    return model.year(dct.year - n)
