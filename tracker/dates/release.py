"""When results came out: the release day, the reporting period, and the bound between them.

An earnings or guidance event happens when the market learns of it, on the release day; the
quarter or half it covers is its fiscal period, kept apart (DESIGN.md §3). When the text names
only the period ("meldete im ersten Halbjahr Rekordgewinne"), the results came out after the
period ended and no later than the article: the event is that span, at the precision its length
supports, never the period's first day.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from tracker.dates.model import Timex, fiscal_span

# "am Tag der Zahlen", "am Tag der Zahlenvorlage", "on results day", "on the day of the results":
# the day the results in the same article came out.
RELEASE_DAY = re.compile(
    r"\b(?:am\s+Tag\s+der\s+(?:Zahlen\w*|Bilanz\w*|Quartalszahlen|Ergebnisvorlage|Ergebnisse)|"
    r"am\s+(?:Zahlen|Bilanz)tag|on\s+(?:the\s+)?(?:results|earnings)\s+day|"
    r"on\s+the\s+day\s+(?:of\s+the|it\s+reported|the\s+company\s+reported)\s*(?:results|earnings)?)\b",
    re.IGNORECASE)

_PERIOD_PRECISIONS = ("quarter", "half", "year")

# "the quarter ended June 30", "three months to June 30", "zum 30. Juni": the day a period ends,
# not the day its results came out.
_PERIOD_END_BEFORE = re.compile(r"(?:\bended|\bending|\bthrough|\bto|\bbis(?:\s+zum)?|\bzum|\bper|\bStichtag)\s+$",
                                re.IGNORECASE)


def ends_a_period(text: str, start: int) -> bool:
    """The date starting at text[start] closes a reporting period."""
    return _PERIOD_END_BEFORE.search(text, max(0, start - 16), start) is not None


def period_ending(timex: Timex) -> Timex | None:
    """The calendar quarter that ends on a day-precise timex's day, as a quarter timex; else None."""
    d = timex.first_day
    if timex.precision != "day" or d.month % 3 or (d + timedelta(days=1)).month == d.month:
        return None
    q = d.month // 3
    first = date(d.year, d.month - 2, 1)
    return replace(timex, value=f"{d.year}-Q{q}", precision="quarter", first_day=first, last_day=d, interval=None,
                   mod=None)


def fiscal_period(timex: Timex) -> str | None:
    """'2025-Q2', '2025-H1' or '2025-FY' for a quarter, half or year; fiscal labels keep the
    company's own year ('FY2026' stays '2026-FY'); None for anything else."""
    if timex.precision not in _PERIOD_PRECISIONS or timex.interval is not None or timex.mod is not None:
        return None
    if "/" in timex.value:   # a season: three months, not a reporting period
        return None
    year = timex.value[:4]
    if timex.precision == "year":
        return f"{year}-FY"
    return timex.value


def period_end(timex: Timex, fiscal_year_end_month: int | None) -> date:
    """Last day of the reported period in calendar terms (fiscal labels mapped with the company's
    year end when it is known)."""
    if timex.fiscal and fiscal_year_end_month:
        return fiscal_span(timex, fiscal_year_end_month)[1]
    return timex.last_day


def precision_of_span(first: date, last: date) -> str:
    """The coarsest unit a span of these days fits in: what a bound can claim."""
    days = (last - first).days + 1
    for unit, limit in (("day", 1), ("week", 7), ("month", 31), ("quarter", 92), ("half", 184)):
        if days <= limit:
            return unit
    return "year"


def release_window(period_last: date, published: date) -> tuple[date, date] | None:
    """Days results for a period ending period_last can have come out by publication: from the day
    after the period ended to the publication day. None when the period is not over."""
    first = period_last + timedelta(days=1)
    return (first, published) if first <= published else None
