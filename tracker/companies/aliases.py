"""Finding company aliases in text: compiled once, then one regex scan per case mode.

Why a trie-shaped regex and not one alternation per alias: Python's ``re`` tries alternatives one by
one at every position, so 1,000 plain alternatives cost 1,000 attempts per word start. Folding the
aliases into a trie (``Ali(?:baba(?:[ ]Group)?)``) makes each attempt a walk down one path, and
greedy optional tails give the longest alias at a position first, falling back to shorter ones
only when the word boundary after the longer one fails.

German morphology handled here: genitive ``-s`` / ``'s`` (Alibabas, Nvidias, Alibaba's), hyphen
compounds (Baidu-Aktie: the hyphen is a word boundary), quotes around names, and spaces or hyphens
inside multi-word aliases ("Li Auto", "Li-Auto").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# Chinese, Japanese and Korean scripts have no spaces between words, so aliases written in them
# are found as plain substrings, without word boundaries or genitive endings.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Inside an alias a space or hyphen matches any run of whitespace and hyphens in the text.
_SEPARATOR_RUN = re.compile(r"[\s\-\u2010\u2011]+")
_SEPARATOR_PATTERN = r"[\s\-\u2010\u2011]+"
_SEP = " "
# German and English possessive endings a name may carry: Nvidias, Alibaba's, Baidu’s.
_GENITIVE = r"(?:['’]s|s)?"


@dataclass(frozen=True, slots=True)
class Mention:
    """One company name found in a text. ``surface`` is ``text[start:end]`` (genitive included);
    ``alias`` is the registry alias it matched, as written in the registry."""

    company: str
    start: int
    end: int
    surface: str
    alias: str


@dataclass(frozen=True, slots=True)
class AliasSpec:
    alias: str
    company: str
    case_sensitive: bool


def is_cjk(alias: str) -> bool:
    return bool(_CJK.search(alias))


def alias_key(alias: str, case_sensitive: bool) -> str:
    """The lookup key of an alias or of a matched core: separators unified, case folded if needed."""
    key = _SEPARATOR_RUN.sub(_SEP, alias.strip())
    return key if case_sensitive else key.lower()


def _trie_pattern(keys: Iterable[str]) -> str:
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            atom = _SEPARATOR_PATTERN if ch == _SEP else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        terminal = "" in node
        if len(branches) == 1 and not terminal:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        # Greedy '?' tries the longer alias first, so the longest one that fits wins.
        return group + "?" if terminal else group

    return emit(trie)


class _Scanner:
    """One compiled pattern plus the table from matched core to alias.

    Speed notes (measured on the seeds, see benchmarks): a case-sensitive pattern that starts with
    the trie lets ``re`` skip ahead to the possible first letters, which is 4x faster than testing
    a look-behind at every position, so the left word boundary is checked here in Python instead.
    Case-insensitive matching runs on ``text.lower()`` (same offsets) because IGNORECASE doubles the
    cost; texts whose lower-casing changes their length fall back to IGNORECASE.
    """

    def __init__(self, table: dict[str, AliasSpec], *, case_sensitive: bool, bounded: bool, priority: int):
        self.table = table
        self.case_sensitive = case_sensitive
        self.bounded = bounded
        self.priority = priority
        self.regex = self.regex_ignorecase = None
        if not table:
            return
        core = "(" + _trie_pattern(table) + ")"
        if not bounded:
            self.regex = re.compile(core)
        elif case_sensitive:
            self.regex = re.compile(core + _GENITIVE + r"(?!\w)")
        else:
            # Lower-case first letters are common inside words; the look-behind pays off here.
            pattern = r"(?<!\w)" + core + _GENITIVE + r"(?!\w)"
            self.regex = re.compile(pattern)
            self.regex_ignorecase = re.compile(pattern, re.IGNORECASE)

    def scan(self, text: str, out: list) -> None:
        if self.regex is None:
            return
        regex, subject = self.regex, text
        if not self.case_sensitive:
            subject = text.lower()
            if len(subject) != len(text):
                regex, subject = self.regex_ignorecase, text
        check_left = self.bounded and self.case_sensitive
        table, case_sensitive, priority = self.table, self.case_sensitive, self.priority
        for m in regex.finditer(subject):
            start = m.start()
            if check_left and start and _is_word_char(text[start - 1]):
                continue
            spec = table.get(alias_key(m.group(1), case_sensitive))
            if spec is not None:
                out.append((start, m.end(), priority, spec))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class AliasMatcher:
    """Finds non-overlapping alias mentions, leftmost first, longest at each position.

    ``rejects`` maps a company to phrases that contain one of its aliases but do not name it
    (e.g. "Meta-Analyse"): a match lying inside such a phrase in the text is dropped.
    """

    def __init__(self, specs: Iterable[AliasSpec], rejects: dict[str, tuple[str, ...]] | None = None):
        folded: dict[str, AliasSpec] = {}
        exact: dict[str, AliasSpec] = {}
        cjk: dict[str, AliasSpec] = {}
        for spec in specs:
            if is_cjk(spec.alias):
                table, case_sensitive = cjk, True
            elif spec.case_sensitive:
                table, case_sensitive = exact, True
            else:
                table, case_sensitive = folded, False
            key = alias_key(spec.alias, case_sensitive)
            if key:
                table.setdefault(key, spec)
        # On an identical span a case-sensitive alias is the more specific claim.
        self._scanners = (
            _Scanner(exact, case_sensitive=True, bounded=True, priority=0),
            _Scanner(folded, case_sensitive=False, bounded=True, priority=1),
            _Scanner(cjk, case_sensitive=True, bounded=False, priority=2),
        )
        self._rejects = {k: v for k, v in (rejects or {}).items() if v}

    def find(self, text: str) -> list[Mention]:
        candidates: list = []
        for scanner in self._scanners:
            scanner.scan(text, candidates)
        candidates.sort(key=lambda c: (c[0], c[0] - c[1], c[2]))
        mentions = []
        last_end = -1
        rejects = self._rejects
        for start, end, _priority, spec in candidates:
            if start < last_end:
                continue
            phrases = rejects.get(spec.company)
            if phrases and _inside_any(text, start, end, phrases):
                continue
            mentions.append(Mention(spec.company, start, end, text[start:end], spec.alias))
            last_end = end
        return mentions


def _inside_any(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    """True if an occurrence of one of the phrases covers text[start:end]."""
    for phrase in phrases:
        n = len(phrase)
        i = text.find(phrase, max(0, end - n), start + n)
        while i != -1 and i <= start:
            if i + n >= end:
                return True
            i = text.find(phrase, i + 1, start + n)
    return False
