"""Number and date formatting for the HTML and the terminal summary."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from tracker.report.charts.style import human_date as day_text


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def stars(p) -> str:
    """Conventional significance marks: *** p<0.01, ** p<0.05, * p<0.10."""
    if is_missing(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""


def pct(value, digits: int = 1) -> str:
    if is_missing(value):
        return "\u2013"
    return f"{value * 100:+.{digits}f}%".replace("-", "\u2212")


def num(value, digits: int = 2) -> str:
    if is_missing(value):
        return "\u2013"
    if isinstance(value, float) and math.isinf(value):
        return "\u221e"
    return f"{value:.{digits}f}".replace("-", "\u2212")


def pvalue(p) -> str:
    if is_missing(p):
        return "\u2013"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def sign_class(value) -> str:
    if is_missing(value) or value == 0:
        return ""
    return "pos" if value > 0 else "neg"


def _as_day(day):
    """A date or datetime from what the tables hold (date, datetime, Timestamp, ISO text); text
    that is not a date comes back unchanged."""
    if isinstance(day, str):
        try:
            return datetime.fromisoformat(day) if len(day) > 10 else date.fromisoformat(day)
        except ValueError:
            return day
    if hasattr(day, "to_pydatetime"):
        return day.to_pydatetime()
    return day


def _day_or_text(day):
    """The cell as a date/datetime, or the text to show as it is (a dash when missing, text that is not a date)."""
    return "\u2013" if is_missing(day) else _as_day(day)


def human_date(day) -> str:
    day = _day_or_text(day)
    if isinstance(day, str):
        return day
    if isinstance(day, datetime):
        if (day.hour, day.minute, day.second) == (0, 0, 0):
            day = day.date()
        else:
            zone = " UTC" if day.tzinfo is None or day.utcoffset().total_seconds() == 0 else day.strftime(" %z")
            return f"{day_text(day.date())}, {day.strftime('%H:%M')}{zone}"
    return day_text(day)


def iso(day) -> str:
    """Sort key for date cells."""
    return "" if is_missing(day) else str(day)[:10]


def as_list(value) -> list:
    """DuckDB lists arrive as numpy arrays or lists; NULL as None/NaN."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [v for v in list(value) if not is_missing(v)]
    except TypeError:
        return [] if is_missing(value) else [value]


def period_date(day, precision) -> str:
    """An event date at the precision the text gave it: '12 Sep 2025', 'week of 8 Sep 2025', 'Aug 2025', 'Q3 2025'."""
    day = _day_or_text(day)
    if isinstance(day, str):
        return day
    if isinstance(day, datetime):
        day = day.date()
    precision = None if is_missing(precision) else str(precision)
    if precision == "week":
        return f"week of {day_text(day)}"
    if precision == "month":
        return day.strftime("%b %Y")
    if precision == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == "half":
        return f"H{1 if day.month <= 6 else 2} {day.year}"
    if precision == "year":
        return str(day.year)
    return human_date(day)
