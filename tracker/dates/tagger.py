"""tag(): find temporal expressions, then normalise them against the publication date.

Each rule is one compiled regex plus a builder that turns a match into a Period (or rejects
it). All rules run over the text; builders run on every candidate (so a rejected long match
cannot hide a valid shorter one), then the longest non-overlapping candidates win. A shared
prefix step attaches "seit"/"bis"/"ab" (interval) and "Anfang"/"Mitte"/"Ende" (modifier) to
whatever core expression follows them, so every rule gets them for free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, NamedTuple

import ahocorasick

from tracker.dates.direction import FUTURE, PAST, TenseContext
from tracker.dates.model import Period, Timex


class Hit(NamedTuple):
    period: Period
    kind: str  # 'explicit' | 'relative'
    mod: str | None = None
    interval: str | None = None
    fiscal: bool = False
    span: tuple[int, int] | None = None  # when not (left words + match): e.g. a context word left out
    rule: str | None = None  # when one pattern serves several rules


@dataclass(frozen=True)
class Rule:
    """pattern starts with a literal anchor (a month name, "Woche", digits): Python's re skips
    ahead to such anchors quickly, while a leading \\b, lookbehind or optional group makes it try
    every position (5-20 times slower). Words left of the anchor ("letzten", "dritten",
    "Freitag,") are read by `left`, a small regex anchored at the match start with $."""

    name: str
    pattern: re.Pattern
    build: Callable[[re.Match, "Ctx"], Hit | None]
    left: re.Pattern | None = None
    not_after: str = ""  # characters (besides letters and digits) that may not precede the anchor
    inside_words: bool = False  # the anchor may end a compound ("Geschäftsquartal")
    full_date: bool = False  # a day-precise date with its year: used by latest_full_date()
    # Substrings one of which every match contains: a rule whose needles are all absent is
    # skipped (a substring test is ~10x cheaper than a regex scan of the same text).
    needles: tuple[str, ...] = ()


class Ctx:
    """What a builder may ask about: the dct, the text and the direction at a span."""

    def __init__(self, text: str, dct: date, lang: str) -> None:
        self.text = text
        self.dct = dct
        self.lang = lang
        self.looks_back = False  # "seit"/"since" before the expression (set before each build)
        self.interval: str | None = None  # 'since'/'until' from the prefix (set before each build)
        self.left: re.Match | None = None  # what rule.left found before the anchor
        self._tense = TenseContext(text, lang)

    def direction(self, m: re.Match, own: str | None = None) -> str | None:
        """Own word ('letzten') > 'seit' (looks back) > tense of the sentence."""
        if own is not None:
            return own
        if self.looks_back:
            return PAST
        return self._tense.direction(m.start(), m.end())

    def weekday_direction(self, m: re.Match, own: str | None) -> str | None:
        """As direction(), but "bis Freitag"/"ab Montag" without a tense cue look ahead."""
        found = self.direction(m, own)
        if found is None and self.interval is not None and not self.looks_back:
            return FUTURE
        return found

    def preceded_by(self, pattern: re.Pattern, pos: int, width: int = 30) -> re.Match | None:
        """pattern (ending in $) matched against the text just before pos."""
        return pattern.search(self.text, max(0, pos - width), pos)


_MODS = {"anfang": "START", "anfangs": "START", "beginn": "START", "mitte": "MID", "ende": "END",
         "early": "START", "beginning of": "START", "start of": "START", "mid": "MID",
         "middle of": "MID", "late": "END", "end of": "END", "end": "END"}
_INTERVALS = {"seit": "since", "ab": "since", "bis": "until", "since": "since", "from": "since",
              "until": "until", "till": "until", "through": "until", "by": "until"}

_PREFIX = {
    "de": re.compile(
        r"(?:\b(?P<iv>seit|ab|bis)\s+(?:(?:zum|zur|dem|den|in\s+den|in\s+die|spätestens|etwa|rund|"
        r"gut|knapp|mindestens)\s+)?)?(?:\b(?P<mod>Anfang|Anfangs|Beginn|Mitte|Ende)\s+(?:(?:des|der)\s+)?)?$",
        re.I),
    "en": re.compile(
        r"(?:\b(?P<iv>since|until|till|through|by|from)\s+)?(?:(?:the|at\s+the)\s+)?"
        r"(?:\b(?P<mod>early|mid|late|beginning\s+of|start\s+of|middle\s+of|end\s+of|end(?=-))(?:\s+|-)(?:the\s+)?)?$",
        re.I),
}


# Every prefix ends in one of these words; checking the last word first spares the regex
# search for the great majority of candidates.
_PREFIX_LAST_WORDS = frozenset("""
seit ab bis zum zur dem den der des die spätestens etwa rund gut knapp mindestens anfang anfangs
beginn mitte ende since until till through by from the of early mid late end
""".split())


def _last_word(text: str, pos: int) -> str:
    window = text[max(0, pos - 16):pos].rstrip(" -\n\t")
    cut = max(window.rfind(" "), window.rfind("\n"), window.rfind("-"), window.rfind("("))
    return window[cut + 1:].lower()


def _prefix(text: str, start: int, lang: str) -> tuple[int, str | None, str | None, bool]:
    """(start including the prefix, interval, modifier, whether the interval looks back)."""
    if _last_word(text, start) not in _PREFIX_LAST_WORDS:
        return start, None, None, False
    m = _PREFIX[lang].search(text, max(0, start - 40), start)
    if m is None or not (m.group("iv") or m.group("mod")):
        return start, None, None, False
    word = m.group("iv").lower() if m.group("iv") else None
    iv = _INTERVALS[word] if word else None
    mod = _MODS[" ".join(m.group("mod").lower().split())] if m.group("mod") else None
    # "seit Juli" looks back; "ab Oktober" starts a period that is usually still ahead.
    return m.start(), iv, mod, word in ("seit", "since")


_YEAR_BEFORE_HYPHEN = re.compile(r"(?<![\w.,])(?:19|20)\d\d-$")


def _blocked(text: str, anchor: int, not_after: str) -> bool:
    """The anchor continues a word or number ("Qwen-2025", "1,2025"), unless a hyphen joins a
    modifier ("mid-2025", "end-August") or a range ("2020-2025") to it."""
    before = text[anchor - 1]
    if before.isalnum():
        return True
    if before in not_after:
        if before != "-":
            return True
        joined = _last_word(text, anchor) in ("mid", "end", "early", "late")
        return not (joined or _YEAR_BEFORE_HYPHEN.search(text, max(0, anchor - 6), anchor))
    return False


# Per rule list: an automaton over every rule's needles, each needle carrying the rules it belongs
# to, so one pass over the text says which rules can match instead of a substring test per needle.
_NEEDLE_INDEX: dict[int, tuple[list, ahocorasick.Automaton | None]] = {}


def _needle_automaton(rules: list[Rule]) -> ahocorasick.Automaton | None:
    cached = _NEEDLE_INDEX.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    owners: dict[str, set[int]] = {}
    for i, rule in enumerate(rules):
        for needle in rule.needles:
            owners.setdefault(needle, set()).add(i)
    automaton = None
    if owners:
        automaton = ahocorasick.Automaton()
        for needle, ids in owners.items():
            automaton.add_word(needle, frozenset(ids))
        automaton.make_automaton()
    _NEEDLE_INDEX[id(rules)] = (rules, automaton)
    return automaton


def _rules_present(text: str, rules: list[Rule]) -> set[int]:
    """Indexes of the rules one of whose needles occurs in the text."""
    automaton = _needle_automaton(rules)
    present: set[int] = set()
    if automaton is not None:
        for _end, ids in automaton.iter(text):
            present |= ids
    return present


def _candidates(text: str, dct: date, lang: str, rules: list[Rule]) -> list[Timex]:
    ctx = Ctx(text, dct, lang)
    found: list[Timex] = []
    present = _rules_present(text, rules)
    for i, rule in enumerate(rules):
        if rule.needles and i not in present:
            continue
        for m in rule.pattern.finditer(text):
            anchor = m.start()
            if anchor and not rule.inside_words and _blocked(text, anchor, rule.not_after):
                continue
            left = rule.left.search(text, max(0, anchor - 40), anchor) if rule.left is not None else None
            ctx.left = left if left is not None and left.start() < anchor else None
            left_start = ctx.left.start() if ctx.left else anchor
            start, iv, mod, looks_back = _prefix(text, left_start, lang)
            ctx.looks_back, ctx.interval = looks_back, iv
            hit = rule.build(m, ctx)
            if hit is None:
                continue
            core_start, core_end = hit.span or (left_start, m.end())
            if core_start != left_start:
                start, iv, mod, _ = _prefix(text, core_start, lang)
            p = hit.period
            found.append(Timex(
                start=start, end=core_end, text=text[start:core_end], value=p.value,
                precision=p.precision, first_day=p.first, last_day=p.last, kind=hit.kind,
                mod=hit.mod or mod, interval=hit.interval or iv, rule=hit.rule or rule.name, fiscal=hit.fiscal,
            ))
    return found


def _select(found: list[Timex]) -> list[Timex]:
    """Longest first; a candidate overlapping an accepted one is dropped."""
    taken: list[Timex] = []
    for t in sorted(found, key=lambda t: (-(t.end - t.start), t.start)):
        if all(t.end <= o.start or t.start >= o.end for o in taken):
            taken.append(t)
    return sorted(taken, key=lambda t: t.start)


def run(text: str, dct: date, lang: str, rules: list[Rule]) -> list[Timex]:
    return _select(_candidates(text, dct, lang, rules))
