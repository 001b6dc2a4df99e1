"""The tagger over the five seed articles, with plausible publication dates.

For each seed: the key expressions with their normalised values, and a hand-made list of every
temporal expression the article contains, so that anything else the tagger reports (a video
timestamp, a product number, an address) fails the test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.dates import latest_full_date, tag

DCT = {"000": date(2021, 8, 30), "001": date(2025, 6, 2), "002": date(2025, 9, 20),
       "003": date(2025, 8, 29), "004": date(2025, 9, 12)}

# (surface text, value, precision, mod, interval) — in order of appearance
EXPECTED = {
    "000": [
        ("2014", "2014", "year", None, None),
        ("08.12.2025", "2025-12-08", "day", None, None),
        ("Jahr 2018", "2018", "year", None, None),
        ("ersten Hälfte dieses Jahres", "2021-H1", "half", None, None),
        ("2019", "2019", "year", None, None),
    ],
    "001": [
        ("2025", "2025", "year", None, None),  # "China Conference 2025"
        ("Jahr 2014", "2014", "year", None, None),
        ("Bis 2035", "2035", "year", None, "until"),
        ("November 2023", "2023-11", "month", None, None),
        ("2024", "2024", "year", None, None),
        ("2025", "2025", "year", None, None),
        ("bis Ende 2022", "2022", "year", "END", "until"),
    ],
    "002": [
        ("18. September", "2025-09-18", "day", None, None),
        ("2025", "2025", "year", None, None),
        ("seit 2021", "2021", "year", None, "since"),
        ("seit Ende August 2025", "2025-08", "month", "END", "since"),
        ("August 2025", "2025-08", "month", None, None),
        ("ersten Halbjahr", "2025-H1", "half", None, None),
        ("Sommer", "2025-06/2025-08", "quarter", None, None),
        ("Diese Woche", "2025-W38", "week", None, None),
    ],
    "003": [
        ("2016", "2016", "year", None, None),
        ("seit 2020", "2020", "year", None, "since"),
        ("2025", "2025", "year", None, None),
        ("2021", "2021", "year", None, None),
        ("Juli 2025", "2025-07", "month", None, None),
        ("Juli 2025", "2025-07", "month", None, None),
        ("2025", "2025", "year", None, None),
    ],
    "004": [
        ("seit etwa zwei Wochen", "2025-W35", "week", None, "since"),
        ("diesem Jahr", "2025", "year", None, None),
        ("diese Woche", "2025-W37", "week", None, None),
        ("seit Oktober 2024", "2024-10", "month", None, "since"),
        ("diesem Jahr", "2025", "year", None, None),
        ("Diese Woche", "2025-W37", "week", None, None),
        ("Diese Woche", "2025-W37", "week", None, None),
        ("bis Juni 2025", "2025-06", "month", None, "until"),
    ],
}

NOT_DATES = {
    "000": ["Max-Planckstr. 7-9", "§§ 15 ff.", "30%", "97082", "28%", "47%"],
    "001": ["41 %", "HK$3 Milliarden", "HK$10 Milliarden", "Über 200"],
    "002": ["RTX Pro 6000D", "H2O", "1,86 Milliarden", "240 Milliarden", "post1063251"],
    "003": ["H20", "V3-Modell", "(40)", "29 %", "560 Millionen"],
    "004": ["Minute 5:50", "3,2 Milliarden", "Qwen3-Next", "Qwen-3-Max", "86 Millionen", "13 %"],
}


def _seed(seeds_dir: Path, key: str) -> str:
    (path,) = seeds_dir.glob(f"{key}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_expressions_and_nothing_else(seeds_dir, key):
    text = _seed(seeds_dir, key)
    found = tag(text, DCT[key])
    got = [(t.text, t.value, t.precision, t.mod, t.interval) for t in found]
    assert got == EXPECTED[key]
    assert all(text[t.start:t.end] == t.text for t in found)


@pytest.mark.parametrize("key", sorted(NOT_DATES))
def test_seed_false_positive_traps_stay_untagged(seeds_dir, key):
    text = _seed(seeds_dir, key)
    found = tag(text, DCT[key])
    for trap in NOT_DATES[key]:
        at = text.index(trap)
        span = range(at, at + len(trap))
        assert not [t for t in found if t.start in span or (t.end - 1) in span], trap


def test_seed_002_key_dates_for_the_event_layer(seeds_dir):
    found = {t.text: t for t in tag(_seed(seeds_dir, "002"), DCT["002"])}
    huawei = found["18. September"]
    assert (huawei.first_day, huawei.kind) == (date(2025, 9, 18), "relative")
    week = found["Diese Woche"]
    assert (week.first_day, week.last_day) == (date(2025, 9, 15), date(2025, 9, 21))
    summer = found["Sommer"]
    assert (summer.first_day, summer.last_day) == (date(2025, 6, 1), date(2025, 8, 31))


def test_seed_000_stand_stamp_is_the_latest_full_date(seeds_dir):
    text = _seed(seeds_dir, "000")
    assert latest_full_date(text) == date(2025, 12, 8)
    stamp = [t for t in tag(text, DCT["000"]) if t.rule == "stamp_updated"]
    assert [t.value for t in stamp] == ["2025-12-08"]


@pytest.mark.parametrize("key", ["001", "002", "003", "004"])
def test_seeds_without_a_full_date_have_no_latest_full_date(seeds_dir, key):
    assert latest_full_date(_seed(seeds_dir, key)) is None
