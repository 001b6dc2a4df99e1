"""A German-aware sentence splitter that returns character offsets.

Off-the-shelf splitters cut "am 18. September", "im 2. Quartal", "Mrd." and "z. B." in two, which
separates a date from its event. This one is rule based and small: line breaks always end a
sentence (news pages put every paragraph and bullet on its own line, and a heading has no final
punctuation), and inside a line a ``.``/``!``/``?`` ends a sentence only when followed by space and
something that can start one, and the word before it is not an abbreviation or a German ordinal.
"""

from __future__ import annotations

import re

# Lower-cased, without the final period. Multi-part abbreviations ("z. B.", "u. a.") are covered by
# the single-letter rule below.
ABBREVIATIONS = frozenset(
    """
    mrd mio mill tsd bio ca bzw usw vgl ggf inkl zzgl evtl etc dr prof nr nrn str jh jhd chr abs art
    bd hrsg sog bspw insb ua zb dh od allg jan feb mär apr jun jul aug sep sept okt nov dez mo di mi
    do fr sa so corp inc ltd co plc bros mr mrs ms jr sr vs no st mt gmbh e.v e.g i.e u.s u.k p.m a.m
    approx est dept gen gov rev tel fig kap tab max min
    """.split()
)
# A number followed by one of these is an ordinal, not the end of a sentence ("im 2. Quartal").
ORDINAL_NOUNS = frozenset(
    """
    januar jänner februar märz april mai juni juli august september oktober november dezember
    jan feb mär apr jun jul aug sep sept okt nov dez
    quartal halbjahr jahrhundert jahrtausend jahrestag geburtstag mal platz rang stelle runde
    stock etage klasse liga woche wochenende tag tages monat lauf sitzung auflage ausgabe kapitel
    """.split()
)
_BULLET = re.compile(r"^[ \t]*(?:[-*•·–▪►✔✅📌👉🔹🔸]+|\d{1,2}[.)])[ \t]+")
_TERMINAL = re.compile(r"[.!?]+[\"')\]]*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``; ``text[start:end]`` has no outer spaces."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        bullet = _BULLET.match(line)
        offset = bullet.end() if bullet else 0
        # "1. Quartal" at line start is not a numbered bullet.
        if bullet and bullet.group(0).strip()[0].isdigit() and _starts_ordinal_noun(line[offset:]):
            offset = 0
        for start, end in _split_line(line, offset):
            spans.append((line_start + start, line_start + end))
    return spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _split_line(line: str, start: int) -> list[tuple[int, int]]:
    out = []
    cursor = start
    for m in _TERMINAL.finditer(line, start):
        end = m.end()
        if end < len(line) and not line[end].isspace():
            continue  # 9988.HK, JD.com, 2.5, "!"-in-a-name
        if end < len(line) and not _can_start_sentence(line, end):
            continue
        if m.group(0)[0] == "." and len(m.group(0).rstrip("\"')]")) == 1 and _period_is_not_final(line, m.start(), end):
            continue
        out.append((cursor, end))
        cursor = end
    out.append((cursor, len(line)))
    return [_trim(line, s, e) for s, e in out if line[s:e].strip()]


def _trim(line: str, s: int, e: int) -> tuple[int, int]:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    return s, e


_NEXT_WORD = re.compile(r"\s*[\"'(\[]?([\w-]+)")
_NEXT_CHARS = re.compile(r"\s*([\"'(\[]?)(\S?)")


def _next_word(line: str, end: int) -> str:
    m = _NEXT_WORD.match(line, end)   # match at a position: slicing the rest of the line is quadratic
    return m.group(1) if m else ""


def _can_start_sentence(line: str, end: int) -> bool:
    m = _NEXT_CHARS.match(line, end)
    quote, first = m.group(1), m.group(2)
    if not first:
        return True   # end of line, or a closing quote at the end
    return first.isupper() or first.isdigit()


_FIRST_WORD = re.compile(r"\s*([\wäöüÄÖÜß]+)")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def _starts_ordinal_noun(rest: str) -> bool:
    word = _FIRST_WORD.match(rest)
    return bool(word) and word.group(1).lower() in ORDINAL_NOUNS


def _period_is_not_final(line: str, dot: int, end: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation, initial or ordinal number."""
    word = line[max(line.rfind(" ", 0, dot), line.rfind("(", 0, dot)) + 1:dot]
    bare = word.strip(".-").lower()
    if not bare:
        return False
    if bare in ABBREVIATIONS or bare.rsplit(".", 1)[-1] in ABBREVIATIONS:
        return True
    if len(bare) == 1 and bare.isalpha():
        return True  # initials and the parts of z. B., u. a., d. h.
    if bare.endswith("str") and _next_word(line, end)[:1].isdigit():
        return True  # Max-Planckstr. 7-9
    if bare.isdigit() and len(bare) <= 2:
        nxt = _next_word(line, end)
        return nxt.lower() in ORDINAL_NOUNS or nxt.isdigit()
    if _DOTTED.fullmatch(bare):
        return True  # U.S., e.g, i.e
    return False
