"""The look-ahead in front of a cue pattern must never change what the pattern finds."""

from __future__ import annotations

import re

from tracker.events import triggers as T
from tracker.regex_prefilter import prefiltered

SENTENCES = [
    "Der Chipkonzern kündigte am Dienstag seinen Börsengang in Shanghai an.",
    "DIE AKTIE STIEG UM 12 PROZENT, NACHDEM DER UMSATZ IM DRITTEN QUARTAL KLETTERTE.",
    "shares of the lender jumped 7% after it raised its outlook for the year",
    "Die Behörde ordnete eine Überprüfung an; der Konzern verklagt nun die Regierung.",
    "Ein Kelvin-Zeichen \u212a und ein langes \u017f stehen hier: \u017fales, \u212aapitalerhöhung.",
]


def _found(pattern: re.Pattern, text: str):
    return [(m.span(), m.group(0), m.groups()) for m in pattern.finditer(text)]


def test_every_cue_finds_the_same_matches_with_the_lookahead():
    led = 0
    for cue in T.CUES:
        fast = prefiltered(cue.pattern)
        led += fast is not cue.pattern
        for text in SENTENCES + [s.swapcase() for s in SENTENCES]:
            assert _found(fast, text) == _found(cue.pattern, text), cue.name
            assert _found(fast, text[5:]) == _found(cue.pattern, text[5:]), cue.name
    assert led >= len(T.CUES) // 2   # most cues begin with known letters


def test_lookahead_lists_the_first_letters_of_every_branch():
    fast = prefiltered(re.compile(r"\bIPO\b|(?:ab)?cd|x+y", re.IGNORECASE))
    assert fast.pattern.startswith("(?=[Iacx])")
    assert [m.group(0) for m in fast.finditer("ipo abcd cd xxy")] == ["ipo", "abcd", "cd", "xxy"]


def test_patterns_without_a_known_first_letter_are_kept():
    for source in (r"\w+Aktie", r"a?", r"[^,]+x", r"(?-i:ab)c", r".x"):
        pattern = re.compile(source, re.IGNORECASE)
        assert prefiltered(pattern) is pattern, source


def test_case_sensitive_patterns_keep_the_engines_own_scan():
    pattern = re.compile(r"Quartal|Woche")
    assert prefiltered(pattern) is pattern
