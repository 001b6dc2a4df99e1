"""Evidence that a name found in text names a listed company, and the dictionary of ordinary words.

A registry alias is trusted as written; a name from the securities table is not, because short
names are common words (Arm, Snap, Block, Target, Sea). What counts, in the order it is checked:
- ``ticker``: the text gives one of the company's symbols next to the name ("(NYSE: XYZ)", "(HK:0700)");
- ``legal-form``: a legal form or descriptor follows ("Block, Inc.", "Target Corp", "ASML Holding");
- ``finance-cue``: "-Aktie", "Aktie von", "Papiere von", "shares of", "Block shares";
- ``sector-noun``: an industry noun stands before the name ("Chipdesigner Arm", "der Autobauer Nio");
- ``prominent``: without any of these, only a capitalised name that is not an ordinary word and
  belongs to a large company (market-cap class Large/Mega, or among the SEC file's first 700).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

STRONG = ("ticker", "legal-form", "finance-cue", "sector-noun")

_LEGAL_AFTER = re.compile(
    r"(?:['’]?s)?,?[ \t]+(?:Inc|Corp|Corporation|Co|Company|Ltd|Limited|plc|PLC|AG|SE|N\.[ ]?V|NV|S\.[ ]?A|SA|"
    r"S\.p\.A|SpA|AB|ASA|Oyj|KGaA|GmbH|LLC|Holdings?|Group|Gruppe|Aktiengesellschaft)(?![\w-])")
# Singular cues are safe for any name; plurals also name categories ("China-Aktien", "Tech-Aktien"),
# so they count only for names that are not ordinary words.
_CUE_AFTER_SINGULAR = re.compile(r"(?:['’]?s)?[-‐‑](?:Aktie|Papier|Titel|Anteilsschein|Konzern|Chef|Chefin|Gruppe)(?!\w)")
_CUE_AFTER_ANY = re.compile(
    r"(?:(?:['’]?s)?[-‐‑](?:Aktien|Papiere|Anteilsscheine|Aktionäre|Konzerns|Chefs)|(?:['’]s)?[ \t]+(?:shares|stock)|"
    r"[ \t]+(?:Aktie|Aktien))(?!\w)")
_CUE_BEFORE = re.compile(
    r"(?:\b(?:Aktien?|Papiere?|Anteile|Titel|Anteilsscheine?|Aktionäre)[ \t]+(?:von|der|des)|\bshares[ \t]+(?:of|in)|"
    r"\bstake[ \t]+in|\bBeteiligung[ \t]+an)[ \t]+$")
_SECTOR_BEFORE = re.compile(
    r"(?:\b[A-ZÄÖÜ][\w-]*(?:konzern|hersteller|bauer|designer|entwickler|händler|riese|gigant|anbieter|betreiber|"
    r"zulieferer|ausrüster|versicherer|spezialist|konkurrent|rivale|dienstleister|plattform)|"
    r"\b(?:chip ?designer|chipmaker|carmaker|automaker|EV maker|retailer|conglomerate|lender|insurer|"
    r"e-commerce (?:giant|group|company)|tech (?:giant|group|company))"
    r")[ \t]+$")
_TICKER_AFTER = re.compile(
    r"[ \t]*\([ \t]*(?:[A-Za-z][A-Za-z. ]{0,14}:[ \t]*)?([A-Z0-9][A-Za-z0-9.\-]{0,11})[ \t]*[),;]")


_PLAIN_AFTER = frozenset(" \t\n.;:!?\"“”„)")
# Quick necessary conditions for any cue: a legal form, shares/stock/Aktie or "(" after the name;
# a preposition or an industry noun before it.
_MAYBE_AFTER = re.compile(r"(?:['’]s)?,?[ \t]*(?:\(|[A-Z]|shares|stock)")
_PREPOSITIONS = frozenset(("von", "der", "des", "of", "in", "an"))
_NOUN_ENDINGS = ("er", "ern", "zern", "gigant", "riese", "ant", "ist", "form", "maker", "lender", "giant", "group",
                 "company", "erate")


def _maybe_before(before: str) -> bool:
    if not before or before[-1] not in " \t":
        return False
    word = before.rstrip(" \t").rsplit(None, 1)[-1] if before.strip() else ""
    return word in _PREPOSITIONS or word.endswith(_NOUN_ENDINGS)


def evidence_at(text: str, start: int, end: int, symbols: frozenset[str] | set[str], ordinary: bool,
                formal: bool) -> list[str]:
    """What around text[start:end] says it names a listed company. ``formal``: the matched name
    already carries a descriptor ("ASML Holding"); ``ordinary``: the name is an ordinary word."""
    out = []
    after = text[end:end + 40]
    before = text[max(0, start - 40):start]
    if not formal and after[:1] in _PLAIN_AFTER and not _MAYBE_AFTER.match(after) and not _maybe_before(before):
        return out   # the common case, a name in running text: nothing to look at more closely
    m = _TICKER_AFTER.match(after)
    if m and symbols and _ticker_matches(m.group(1), symbols):
        out.append("ticker")
    if formal or _LEGAL_AFTER.match(after):
        out.append("legal-form")
    if _CUE_AFTER_SINGULAR.match(after) or _CUE_BEFORE.search(before) or (not ordinary and _CUE_AFTER_ANY.match(after)):
        out.append("finance-cue")
    elif ordinary and re.match(r"(?:['’]s)?[ \t]+(?:shares|stock)(?!\w)", after):
        out.append("finance-cue")   # "Block shares fell": an English noun phrase, not a category
    if _SECTOR_BEFORE.search(before):
        out.append("sector-noun")
    return out


def _ticker_matches(found: str, symbols) -> bool:
    found = found.upper()
    for symbol in symbols:
        root = symbol.rsplit(".", 1)[0] if "." in symbol else symbol
        if found in (symbol.upper(), root.upper()):
            return True
        if found.isdigit() and root.isdigit() and found.lstrip("0") == root.lstrip("0"):
            return True
    return False


def capitalised(surface: str) -> bool:
    """A name as a name is written: first word capitalised (or a digit), and every longer word too
    ("Bank of China" passes, "arme Kommunen" and "block" do not)."""
    if not surface or not (surface[0].isupper() or surface[0].isdigit()):
        return False
    if " " not in surface and "-" not in surface:
        return True
    words = re.findall(r"\w+", surface)
    return all(w[0].isupper() or w[0].isdigit() or len(w) < 4 for w in words[1:])


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Common German and English words (lower case), from pyspellchecker's word-frequency lists:
    English words seen at least 500 times, German ones at least 100 times (the German list gives
    rarer words, and many names, a floor count of 50, so below that it cannot tell them apart)."""
    import spellchecker

    folder = Path(spellchecker.__file__).parent / "resources"
    words: set[str] = set()
    for lang, floor in (("en", 500), ("de", 100)):
        with gzip.open(folder / f"{lang}.json.gz", "rt", encoding="utf-8") as fh:
            counts = json.load(fh)
        words.update(w for w, n in counts.items() if n >= floor)
    return frozenset(words)


# Markets and index providers that are also listed companies: "listed on Nasdaq", "an der Euronext",
# "der MSCI World" name a place or an index.
MARKET_NAMES = frozenset(("nasdaq", "nyse", "euronext", "xetra", "cboe", "hkex", "sgx", "asx", "jpx", "lse",
                          "deutsche borse", "deutsche börse", "london stock exchange", "hong kong exchanges",
                          "msci", "s p global", "ftse", "stoxx", "nikkei", "dow jones"))


def is_ordinary(key: str) -> bool:
    """A name that is also an ordinary word (block, target, arm, snap, sea) or a market's name
    (Nasdaq): either needs a cue to name the company."""
    return key in MARKET_NAMES or (" " not in key and key in ordinary_words())
