"""Wire datelines without a year: "Frankfurt, 12. Mär (dpa) -", "TAIPEI, March 3 (Reuters) -",
"Hongkong, 07. Sep:".

A dateline opens the story (its first line or paragraph) and names the day the story was filed,
in the place it names. Agencies leave the year out; it is the year of publication, or the year
before when the day would otherwise fall more than a few days after publication (a story filed
on 30 December and published on 2 January).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.dates.model import safe_date

# Month names and the abbreviations agencies write, with or without a period.
_MONTHS = {
    "jan": 1, "januar": 1, "jänner": 1, "january": 1, "feb": 2, "febr": 2, "februar": 2, "february": 2,
    "mär": 3, "mrz": 3, "märz": 3, "mar": 3, "march": 3, "apr": 4, "april": 4, "mai": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dez": 12, "dezember": 12, "dec": 12, "december": 12,
}
_MONTH = r"(?P<mon>[A-ZÄÖÜ][a-zäöü]{2,8})\.?"
_PLACE = r"(?P<place>[A-ZÄÖÜ][\wÄÖÜäöüß.' /-]{1,30}?)"
_AGENCY = r"(?:\s*\((?:[\w./ -]{2,20})\))?"
_END = r"\s*(?:[-–—:|/]|\(|$)"
_YEAR = r"(?:\s+(?P<y>(?:19|20)\d\d))?"
# "Frankfurt, 12. Mär (dpa) -", "Hongkong, 07. Sep:", "Peking (Reuters), 3. März -"
_DAY_FIRST = re.compile(rf"{_PLACE}{_AGENCY},\s*(?P<d>[0-3]?\d)\.?\s*{_MONTH}{_YEAR}{_AGENCY}{_END}")
# "TAIPEI, March 3 (Reuters) -", "HONG KONG, Sept 12 -"
_MONTH_FIRST = re.compile(rf"{_PLACE}{_AGENCY},\s*{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:,?{_YEAR}){_AGENCY}{_END}")

LOOKAHEAD = timedelta(days=3)   # a dateline this far after publication belongs to the year before


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int          # the dateline's text is text[start:end]
    place: str
    day: date
    year_given: bool


def read_dateline(text: str, published: date | None, reach: int = 400) -> Dateline | None:
    """The dateline at the start of the text or of one of its first lines, or None. Without a year
    in the dateline and without a publication date the day cannot be known: None."""
    pos = 0
    while pos < min(len(text), reach):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
        for pattern in (_DAY_FIRST, _MONTH_FIRST):
            m = pattern.match(text, pos, min(line_end, pos + 90))
            if m:
                found = _day(m, published)
                if found is not None:
                    return Dateline(m.start(), m.end(), m["place"].strip(), found, bool(m["y"]))
        pos = line_end + 1
    return None


def _day(m: re.Match, published: date | None) -> date | None:
    mon = _MONTHS.get(m["mon"].lower())
    if mon is None:
        return None
    d = int(m["d"])
    if m["y"]:
        return safe_date(int(m["y"]), mon, d)
    if published is None:
        return None
    found = safe_date(published.year, mon, d)
    if found is not None and found > published + LOOKAHEAD:
        found = safe_date(published.year - 1, mon, d)
    return found
