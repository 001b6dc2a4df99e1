"""A regex that finds exactly what another finds, but skips quickly over places no match can start.

Python's regex engine skips ahead to the possible first letters of a case-sensitive pattern, but
tries a case-insensitive alternation ("Börsengang|IPO|debut|...") branch by branch at every
position of the text. When every match must begin with one of a known set of characters, a
look-ahead for that set in front of the pattern rejects most positions with one character-class
test. The look-ahead is compiled with the pattern's own flags, so case folding treats the set
exactly as it treats the pattern's letters; matches, spans and groups are unchanged.
"""

from __future__ import annotations

import re

try:
    from re import _constants as C, _parser as P
except ImportError:   # an interpreter without these internals: patterns are used as they are
    C = P = None

_MAX_RANGE = 256   # a wider class ("[^,]", "[\u4e00-\u9fff]") gives no useful filter


def _first_of_sequence(items) -> tuple[set[str] | None, bool]:
    """(characters a match of the sequence can begin with or None for "any", whether it can be empty)."""
    chars: set[str] = set()
    for op, av in items:
        first, nullable = _first_of_item(op, av)
        if first is None:
            return None, False
        chars |= first
        if not nullable:
            return chars, False
    return chars, True


def _first_of_item(op, av) -> tuple[set[str] | None, bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < _MAX_RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None, False
        return chars, False
    if op is C.BRANCH:
        chars, nullable = set(), False
        for branch in av[1]:
            first, empty = _first_of_sequence(branch)
            if first is None:
                return None, False
            chars |= first
            nullable = nullable or empty
        return chars, nullable
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None, False
        return _first_of_sequence(sub)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        first, empty = _first_of_sequence(sub)
        if first is None:
            return None, False
        return first, low == 0 or empty
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True   # zero-width: the match begins with what follows
    return None, False


def prefiltered(pattern: re.Pattern) -> re.Pattern:
    """``pattern``, or an equivalent one led by a look-ahead for the characters a match can begin with."""
    if P is None or not isinstance(pattern.pattern, str) or pattern.flags & re.VERBOSE \
            or not pattern.flags & re.IGNORECASE:
        # a case-sensitive pattern starting with literals already has the engine's own fast scan
        # for its first letters, which a look-ahead in front would disable (2-3x slower)
        return pattern
    try:
        first, nullable = _first_of_sequence(P.parse(pattern.pattern, pattern.flags))
    except Exception:   # an unexpected parse tree: keep the pattern as it is
        return pattern
    if first is None or nullable or not first:
        return pattern
    lead = "".join(re.escape(c) for c in sorted(first))
    try:
        return re.compile(f"(?=[{lead}])(?:{pattern.pattern})", pattern.flags)
    except re.error:
        return pattern
