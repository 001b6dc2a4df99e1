"""The Timex record and the calendar arithmetic behind every normalised value.

A value is ISO at the granularity the text gives; we never invent a finer one. Every period
also carries its first and last calendar day so that later stages can compare periods without
parsing value strings.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    value: str
    precision: str  # 'day' | 'week' | 'month' | 'quarter' | 'half' | 'year'
    first_day: date
    last_day: date
    kind: str  # 'explicit' | 'relative'
    mod: str | None = None  # 'START' | 'MID' | 'END'
    interval: str | None = None  # 'since' | 'until'
    rule: str = ""
    # The text labels a fiscal period (Geschäftsjahr, FY, fiscal ...): value and first/last day
    # are the *label read as calendar*; map with fiscal_span() once the company is known.
    fiscal: bool = False


class Period(NamedTuple):
    value: str
    precision: str
    first: date
    last: date


def day(d: date) -> Period:
    return Period(d.isoformat(), "day", d, d)


def week_of(d: date) -> Period:
    """The ISO week (Monday to Sunday) containing d; the value uses the ISO year."""
    iso_year, iso_week, _ = d.isocalendar()
    monday = d - timedelta(days=d.weekday())
    return Period(f"{iso_year}-W{iso_week:02d}", "week", monday, monday + timedelta(days=6))


def iso_week(year: int, week: int) -> Period | None:
    try:
        return week_of(date.fromisocalendar(year, week, 1))
    except ValueError:
        return None


def month(year: int, m: int) -> Period:
    last = calendar.monthrange(year, m)[1]
    return Period(f"{year:04d}-{m:02d}", "month", date(year, m, 1), date(year, m, last))


def quarter(year: int, q: int) -> Period:
    first_month = 3 * (q - 1) + 1
    last = month(year, first_month + 2).last
    return Period(f"{year:04d}-Q{q}", "quarter", date(year, first_month, 1), last)


def half(year: int, h: int) -> Period:
    if h == 1:
        return Period(f"{year:04d}-H1", "half", date(year, 1, 1), date(year, 6, 30))
    return Period(f"{year:04d}-H2", "half", date(year, 7, 1), date(year, 12, 31))


def year(y: int) -> Period:
    return Period(f"{y:04d}", "year", date(y, 1, 1), date(y, 12, 31))


# Meteorological seasons as three-month spans. TimeML writes '2025-SU', which no date tool
# reads; an ISO 8601 interval of months says the same thing in a standard form. Precision is
# 'quarter' because the span is three months long (not a calendar quarter: see the value).
SEASON_FIRST_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}


def season(y: int, name: str) -> Period:
    """Season starting in year y (winter y runs from December y to February y+1)."""
    first_m = SEASON_FIRST_MONTH[name]
    first = date(y, first_m, 1)
    end_y, end_m = (y + 1, 2) if name == "winter" else (y, first_m + 2)
    last = month(end_y, end_m).last
    return Period(f"{y:04d}-{first_m:02d}/{end_y:04d}-{end_m:02d}", "quarter", first, last)


def add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def fiscal_span(timex: Timex, fiscal_year_end_month: int) -> tuple[date, date]:
    """Calendar span of a fiscal label, fiscal years named by the calendar year they end in.

    Alibaba (year ends in March): FY2026 is 2025-04-01..2026-03-31 and its Q1 is April-June
    2025. A company with a December year end gets the calendar reading back unchanged.
    """
    if not timex.fiscal or timex.precision not in ("year", "quarter", "half"):
        return timex.first_day, timex.last_day
    label_year = int(timex.value[:4])
    start_y, start_m = add_months(label_year, fiscal_year_end_month, -11)
    if timex.precision == "year":
        offset, length = 0, 12
    elif timex.precision == "quarter":
        offset, length = 3 * (int(timex.value[-1]) - 1), 3
    else:
        offset, length = 6 * (int(timex.value[-1]) - 1), 6
    first_y, first_m = add_months(start_y, start_m, offset)
    last_y, last_m = add_months(first_y, first_m, length - 1)
    return date(first_y, first_m, 1), month(last_y, last_m).last
