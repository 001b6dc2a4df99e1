"""What an article says about itself: its language and, failing a manifest, its publication date.

Publication-date inference follows the research note (§2.4 item 11): a dateline at the top is the
best evidence, then a "Stand:"/"Aktualisiert:" stamp (a last-updated date: an upper bound, often
later than the first publication), then the latest full date the text mentions (a lower bound).
Every inferred date carries its basis so a reader can judge it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.dates import latest_full_date

_DE = frozenset("der die das und ist nicht mit von den dem sich auf für des ein eine einer im zu auch "
                "als wird werden hat haben bei nach über wie oder aber noch sind war vor seine ihre".split())
_EN = frozenset("the and is of to in that for on with as was by are from at it be has have this "
                "an which its their or not will said after were but than".split())
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def detect_language(text: str, sample: int = 6000) -> str:
    """'de' or 'en' by stop-word share; 'unknown' when neither language's stop words show up."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if not words:
        return "unknown"
    de = sum(map(_DE.__contains__, words))
    en = sum(map(_EN.__contains__, words))
    if max(de, en) < max(3, 0.05 * len(words)):
        return "unknown"
    return "de" if de >= en else "en"


_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "december": 12,
}
_NUMERIC = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b|\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
_WORDY = re.compile(r"\b(\d{1,2})\.?\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_STAMP = re.compile(r"^\s*(?:stand|aktualisiert(?:\s+am)?|zuletzt\s+aktualisiert|updated|last\s+updated)\s*:?\s*(.{6,40})$",
                    re.IGNORECASE | re.MULTILINE)


# "Hongkong, 12.09.2025 -", "BERLIN (dpa), 12. September 2025:", "12.09.2025 |": a place, then the
# date, then a separator - and nothing sentence-like before it.
_DATELINE = re.compile(
    r"^(?:[A-ZÄÖÜ][\wÄÖÜäöüß./ ()-]{0,40}?[,/]\s*)?(?:den\s+)?"
    r"(\d{1,2}\.\s?(?:\d{1,2}\.\s?|[A-Za-zäÄ]+\s+)(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})"
    r"\s*(?:[-|:(/]|$)"
)


def _first_date(text: str) -> tuple[date, str] | None:
    found: list[tuple[int, date, str]] = []
    for m in _NUMERIC.finditer(text):
        try:
            if m.group(1):
                d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            else:
                d = date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
        found.append((m.start(), d, m.group(0)))
    for m in _WORDY.finditer(text):
        try:
            found.append((m.start(), date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), m.group(0)))
        except ValueError:
            continue
    if not found:
        return None
    _, d, surface = min(found)
    return d, surface


def infer_published(raw_text: str, today: date | None = None) -> tuple[date | None, str | None]:
    """(date, basis) from the raw text (boilerplate still in: stamps live there), or (None, None).

    Dates after ``today`` are ignored: a page cannot be published in the future.
    """
    today = today or date.today()
    first_line = raw_text.lstrip()[:200].split("\n", 1)[0]
    m = _DATELINE.match(first_line)
    dateline = _first_date(m.group(1)) if m else None
    if dateline and dateline[0] <= today:
        return dateline[0], f'dateline "{dateline[1]}"'
    for m in _STAMP.finditer(raw_text):
        stamp = _first_date(m.group(1))
        if stamp and stamp[0] <= today:
            return stamp[0], f'last-updated stamp "{m.group(0).strip()}" (may be later than first publication)'
    latest = latest_full_date(raw_text)
    if latest and latest <= today:
        return latest, f"latest full date in the text ({latest.isoformat()}; a lower bound)"
    return None, None


def parse_date(value: object) -> date | None:
    """A manifest or meta value: a TOML date, 'YYYY-MM-DD', an ISO datetime, or 'dd.mm.yyyy'."""
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # datetime -> date
    if not isinstance(value, str):
        return None
    value = value.strip()
    m = re.match(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})", value)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.match(r"^(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})$", value)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


# "2025-09-11T21:30:00-04:00", "2025-09-11 21:30 -0400", "2025-09-11 21:30 America/New_York",
# "2025-09-11T13:30Z", "2025-09-11 21:30 UTC"
_DATETIME = re.compile(
    r"^((?:19|20)\d{2})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
    r"(?:(?P<z>Z|UTC|GMT)|(?P<off>[+-]\d{2}:?\d{2})|(?P<tz>[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?))?$")


def parse_datetime(value: object) -> datetime | None:
    """The publication instant when a manifest or meta value gives a time with a zone; None for a
    plain date or a time without zone (a clock time in an unknown zone says nothing about the
    market's day)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str):
        return None
    m = _DATETIME.match(value.strip())
    if m is None:
        return None
    try:
        naive = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return None
    if m["z"]:
        return naive.replace(tzinfo=timezone.utc)
    if m["off"]:
        off = m["off"].replace(":", "")
        sign = -1 if off[0] == "-" else 1
        return naive.replace(tzinfo=timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5]))))
    if m["tz"]:
        try:
            return naive.replace(tzinfo=ZoneInfo(m["tz"]))
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None
