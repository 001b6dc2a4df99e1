"""Public entry points: tag() and latest_full_date()."""

from __future__ import annotations

from datetime import date

from tracker.dates import rules_common, rules_de, rules_en
from tracker.dates.model import Timex
from tracker.dates.tagger import run

_RULES = {
    "de": rules_de.RULES + rules_common.rules("de"),
    "en": rules_en.RULES + rules_common.rules("en"),
}
_FULL_DATE_RULES = {lang: [r for r in rules if r.full_date] for lang, rules in _RULES.items()}


def tag(text: str, dct: date, lang: str = "de") -> list[Timex]:
    """All temporal expressions in text (a sentence or paragraph), normalised against the
    document creation time dct, in order of appearance. Direction (past/future) from tense cues
    in the same sentence and the news prior. Never a video timestamp, product number or decimal.
    English ('en', 'en-US', ...) has its own rules; every other language gets the German ones
    (the numeric and code rules are shared)."""
    key = "en" if lang.lower().startswith("en") else "de"
    return run(text, dct, key, _RULES[key])


def latest_full_date(text: str, lang: str | None = None) -> date | None:
    """The latest day-precise date written with its year (18.09.2025, 18. September 2025,
    2025-09-18, September 18, 2025, 18 September 2025); None if there is none. A lower bound for
    the publication date when no manifest gives one. Without lang both languages' forms count,
    except slash dates such as 09/10/2025 that read differently in each."""
    anchor = date(2000, 1, 1)  # only explicit dates are kept, so the anchor never shows
    langs = (lang,) if lang in ("de", "en") else ("de", "en")
    readings: dict[tuple[int, int], set[date]] = {}
    for each in langs:
        for t in run(text, anchor, each, _FULL_DATE_RULES[each]):
            if t.kind == "explicit" and t.precision == "day":
                readings.setdefault((t.start, t.end), set()).add(t.first_day)
    unambiguous = [d for days in readings.values() if len(days) == 1 for d in days]
    return max(unambiguous, default=None)
