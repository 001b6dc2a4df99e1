"""Calendar arithmetic, fiscal mapping, the direction rule and publication-date inference."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import Timex, fiscal_span, latest_full_date, tag
from tracker.dates import model
from tracker.dates.direction import FUTURE, PAST, choose


def test_period_constructors():
    assert model.month(2024, 2) == ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29))
    assert model.quarter(2025, 4) == ("2025-Q4", "quarter", date(2025, 10, 1), date(2025, 12, 31))
    assert model.half(2025, 2) == ("2025-H2", "half", date(2025, 7, 1), date(2025, 12, 31))
    assert model.year(2022) == ("2022", "year", date(2022, 1, 1), date(2022, 12, 31))
    assert model.week_of(date(2025, 9, 20)) == ("2025-W38", "week", date(2025, 9, 15), date(2025, 9, 21))
    assert model.season(2024, "winter") == ("2024-12/2025-02", "quarter", date(2024, 12, 1), date(2025, 2, 28))


def _fiscal(value: str, precision: str) -> Timex:
    p = {"year": model.year, "quarter": model.quarter, "half": model.half}[precision]
    args = (int(value[:4]),) if precision == "year" else (int(value[:4]), int(value[-1]))
    period = p(*args)
    return Timex(0, 1, value, period.value, precision, period.first, period.last, "explicit", fiscal=True)


@pytest.mark.parametrize("value, precision, fye, span", [
    # Alibaba: fiscal year ends in March, FY2026 = April 2025 .. March 2026
    ("2026", "year", 3, (date(2025, 4, 1), date(2026, 3, 31))),
    ("2026-Q1", "quarter", 3, (date(2025, 4, 1), date(2025, 6, 30))),
    ("2026-Q4", "quarter", 3, (date(2026, 1, 1), date(2026, 3, 31))),
    ("2026-H2", "half", 3, (date(2025, 10, 1), date(2026, 3, 31))),
    # December year end: the calendar reading
    ("2025-Q3", "quarter", 12, (date(2025, 7, 1), date(2025, 9, 30))),
    # Nvidia-like January year end: FY2026 = February 2025 .. January 2026
    ("2026-Q2", "quarter", 1, (date(2025, 5, 1), date(2025, 7, 31))),
])
def test_fiscal_span(value, precision, fye, span):
    assert fiscal_span(_fiscal(value, precision), fye) == span


def test_fiscal_span_leaves_calendar_periods_alone():
    t = tag("im dritten Quartal 2025", date(2025, 9, 20))[0]
    assert fiscal_span(t, 3) == (date(2025, 7, 1), date(2025, 9, 30))


def test_choose_directions():
    months = [model.month(y, 7) for y in (2024, 2025, 2026)]
    dct = date(2025, 9, 20)
    assert choose(months, dct, PAST).value == "2025-07"
    assert choose(months, dct, FUTURE).value == "2026-07"
    assert choose(months, dct, None).value == "2025-07"
    decembers = [model.month(y, 12) for y in (2024, 2025, 2026)]
    assert choose(decembers, dct, None).value == "2025-12"  # 72 days ahead vs 263 back
    assert choose(decembers, dct, PAST).value == "2024-12"
    current = [model.month(y, 9) for y in (2024, 2025, 2026)]
    assert {choose(current, dct, d).value for d in (PAST, FUTURE, None)} == {"2025-09"}


def test_english_tense_cues():
    dct = date(2025, 9, 20)
    assert tag("The company will launch the chip on October 3.", dct, "en")[0].value == "2025-10-03"
    assert tag("The company launched the chip on October 3.", dct, "en")[0].value == "2024-10-03"
    assert tag("It is expected to report on Tuesday.", dct, "en")[0].value == "2025-09-23"


def test_nearest_cue_wins_within_the_sentence():
    dct = date(2025, 9, 20)
    text = "Nachdem Huawei den Plan vorgestellt hatte, wird Alibaba am 3. Oktober nachziehen."
    assert tag(text, dct)[0].value == "2025-10-03"
    # a cue in the previous sentence does not count
    text = "Die Firma wird wachsen. Am 3. Oktober meldete sie Zahlen."
    assert tag(text, dct)[0].value == "2024-10-03"


def test_ordinal_period_does_not_end_the_sentence_for_tense():
    text = "Am 5. Oktober wird das Modell vorgestellt."
    assert tag(text, date(2025, 9, 20))[0].value == "2025-10-05"


@pytest.mark.parametrize("text, expected", [
    ("Veröffentlicht am 18.09.2025, aktualisiert 2025-09-19", date(2025, 9, 19)),
    ("Published September 18, 2025. Updated 18 September 2025", date(2025, 9, 18)),
    ("Am 3. Mai 2024 und am 1. Juni 2023", date(2024, 5, 3)),
    ("im Juli 2025 und 2026 und Q3 2025", None),  # no day-precise date
    ("Am 18. September gab Huawei bekannt", None),  # no year written
    ("09/10/2025", None),  # September 10th or 9th October: ambiguous without a language
])
def test_latest_full_date(text, expected):
    assert latest_full_date(text) == expected


def test_latest_full_date_with_language():
    assert latest_full_date("09/10/2025", "en") == date(2025, 9, 10)
    assert latest_full_date("09/10/2025", "de") == date(2025, 10, 9)


def test_numeric_day_month_without_year_needs_a_day_word():
    dct = date(2025, 9, 20)
    assert [t.value for t in tag("am 18.09. gab Huawei bekannt", dct)] == ["2025-09-18"]
    assert tag("Abschnitt 3.4. regelt das", dct) == []
    assert tag("um 18.30 Uhr", dct) == []


_TOKENS = ("am im seit bis ab Anfang Mitte Ende vor letzten nächsten diese vergangene des dieses Jahres Jahr "
           "Woche Monat Quartal Halbjahr Hälfte ersten dritten 2. 18. 31. 29. 18.09. 2025 1999 2024/25 Q3 H1 3Q25 "
           "KW 53 Juli September Februar Mai Montag Sonntag heute morgen gestern Sommer Winter zwei drei Tagen "
           "Wochen Jahren Geschäftsjahr FY25 fiscal quarter half first the end of by since last next this week "
           "year May July Tuesday ago two 5:50 7-9 1,5 % , . - / wird meldete will said").split()


def test_random_token_soup_keeps_the_invariants():
    import random
    import re

    rng = random.Random(20250920)
    shapes = {"day": r"\d{4}-\d\d-\d\d", "week": r"\d{4}-W\d\d", "month": r"\d{4}-\d\d",
              "quarter": r"\d{4}-(Q[1-4]|\d\d/\d{4}-\d\d)", "half": r"\d{4}-H[12]", "year": r"\d{4}"}
    for _ in range(400):
        text = " ".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 14)))
        dct = date(rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28))
        for lang in ("de", "en"):
            found = tag(text, dct, lang)
            for t in found:
                assert text[t.start:t.end] == t.text
                assert t.first_day <= t.last_day
                assert re.fullmatch(shapes[t.precision], t.value), (text, t)
                assert t.kind in ("explicit", "relative") and t.mod in (None, "START", "MID", "END")
                assert t.interval in (None, "since", "until")
            assert all(a.end <= b.start for a, b in zip(found, found[1:])), "overlapping expressions"


def test_neutral_penalty_switches_to_the_strict_news_prior(monkeypatch):
    from tracker.dates import direction

    text = "Am 3. Oktober beginnt die Messe."
    assert tag(text, date(2025, 9, 20))[0].value == "2025-10-03"
    monkeypatch.setattr(direction, "NEUTRAL_FUTURE_PENALTY", float("inf"))
    assert tag(text, date(2025, 9, 20))[0].value == "2024-10-03"
