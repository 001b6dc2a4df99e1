"""The market's own calendar day for an article stamped in another time zone.

A page stamped 21:30 in New York on a Wednesday is read in Hong Kong on Thursday morning, and a
story there about "Thursday" means that Thursday, not the one a week before. Relative dates of a
company's events therefore resolve against the publication instant seen from the company's main
exchange, when the article gives a time; a date alone stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

EXCHANGE_ZONES = {
    "XNYS": "America/New_York", "XNAS": "America/New_York", "XASE": "America/New_York", "ARCX": "America/New_York",
    "XHKG": "Asia/Hong_Kong", "XSHG": "Asia/Shanghai", "XSHE": "Asia/Shanghai", "XTKS": "Asia/Tokyo",
    "XKRX": "Asia/Seoul", "XKOS": "Asia/Seoul", "XTAI": "Asia/Taipei", "XSES": "Asia/Singapore",
    "XETR": "Europe/Berlin", "XFRA": "Europe/Berlin", "XLON": "Europe/London", "XPAR": "Europe/Paris",
    "XAMS": "Europe/Amsterdam", "XSWX": "Europe/Zurich", "XBOM": "Asia/Kolkata", "XNSE": "Asia/Kolkata",
    "XASX": "Australia/Sydney",
}


def market_day(published_at: datetime | None, exchange: str | None, fallback: date | None) -> date | None:
    """The calendar day at the exchange when the article appeared; fallback without a time or zone.
    Only a later day replaces the fallback: an article dated in its own zone was not written
    before that day anywhere that matters for its relative dates."""
    if published_at is None or published_at.tzinfo is None or exchange not in EXCHANGE_ZONES:
        return fallback
    local = published_at.astimezone(ZoneInfo(EXCHANGE_ZONES[exchange])).date()
    return local if fallback is None or local > fallback else fallback
