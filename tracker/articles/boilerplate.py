"""Turning a raw article body into the cleaned text that evidence offsets refer to.

Two steps, both line based because news pages put every paragraph on its own line:
``normalise`` (NFC, plain quotes and dashes, one kind of line break) and ``clean`` (drop
newsletter/consent paragraphs, comment/share/cookie lines, bare URLs, source tables, bylines and
agency tags; drop a title repeated verbatim). The cleaned text is what gets stored, so the offsets of
every sentence and event point into exactly the text a reader sees in the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Typographic characters that make regexes and quotes in evidence needlessly fiddly.
_CHAR_MAP = str.maketrans({
    "\u201e": '"', "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u201a": "'", "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2039": "'",
    "\u203a": "'", "\u2032": "'", "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-",
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\u2007": " ", "\u200b": "", "\u00ad": "", "\ufeff": "", "\u2026": "...",
})


def normalise(text: str) -> str:
    """NFC, plain quotes/dashes/spaces, ``\\n`` line ends, no trailing spaces on lines."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        # str.replace per character beats str.translate with a mapping (a dict lookup per character).
        for char, plain in _CHAR_MAP.items():
            if chr(char) in text:
                text = text.replace(chr(char), plain)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


# Words that, several to a paragraph, mark consent/newsletter/privacy text. One alone is not enough:
# an article may well be *about* data protection.
_CONSENT_WORDS = re.compile(
    r"einwilligung|datenschutz|newsletter|widerruf|personenbezogen|werbezweck|werbepartner|"
    r"marketingzweck|abmeldelink|kontaktformular|einverstanden|retargeting|lookalike|"
    r"privacy policy|cookie|consent|unsubscribe|opt[- ]out|terms of use|nutzungsbedingungen|"
    r"datenabgleich|zusendung|gebührenlos|marktforschung|gewinnspiel",
)  # applied to lower-cased lines: IGNORECASE makes this alternation several times slower

# A whole line that is navigation, comments, sharing, sources or an agency tag.
# Each alternative must cover the whole line, and the free-text tails are short or need a colon,
# so an article sentence that merely starts with "Teilen", "Werbung" or "Reuters" is kept.
_JUNK_LINE = re.compile(
    r"""^(?:
        kommentar(?:e)?\s*\(\d+\)
      | kommentare?\s+(?:lesen|schreiben|anzeigen|öffnen)\b.{0,60}
      | (?:jetzt\s+|artikel\s+|beitrag\s+)*teilen(?:\s+(?:auf|via|per|mit)\b.{0,30})?
      | share(?:\s+(?:this|on)\b.{0,40})?
      | (?:auf\s+)?(?:facebook|twitter|x|linkedin|whatsapp|xing|e-?mail)(?:\s*[|,/]\s*\w+)*
      | (?:quelle|quellen|source|sources|foto|fotos|bild|bilder|image|photo)\s*(?::\s*[^.]{0,60}(?:\.\S+)*)?
      | (?:quelle|source)\s*:\s*https?://\S+
      | https?://\S+
      | www\.\S+
      | \(\s*[A-Z][\w./+ -]{1,30}\)                   # (TTXVN/Vietnam+), (dpa), (Reuters)
      | [A-Z]{2,6}(?:/[A-Z][\w-]{1,20})+              # FMW/Bloomberg, DPA/rtr
      | (?:dpa|afp|rtr|reuters|ap|sda|apa)(?:[-/][\w-]+){0,3}
      | stand\s*:?\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}.{0,20}  # 'Stand: 08.12.2025' (last-updated stamp)
      | (?:zuletzt\s+)?aktualisiert\s*(?:am)?\s*:?\s*\d{1,2}\.\d{1,2}\.\d{2,4}.{0,20}
      | (?:mehr\s+zum\s+thema|weitere\s+artikel|lesen\s+sie\s+auch|auch\s+interessant|related|read\s+more
         |anzeige|werbung|advertisement)(?:\s*:.{0,80})?
      | (?:wir\s+verwenden|diese\s+(?:website|seite)\s+verwendet|we\s+use)\s+cookies\b.{0,160}
      | (?:alle\s+)?cookies?(?:\s+(?:akzeptieren|ablehnen|einstellungen|settings)|\s*:).{0,80}
      | hier\s+klicken.{0,40}
      | (?:zum\s+)?newsletter(?:\s+(?:abonnieren|bestellen|anmelden)\b.{0,40}|\s*:.{0,60})?
      | \W{1,3}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A table row ("Details | |", "---|---|", "Ort | Hongkong, China |") carries no sentence.
_TABLE_ROW = re.compile(r"^\s*\|?[^|\n]{0,80}(?:\|[^|\n]{0,80}){1,}\|?\s*$")
# "* Henrik Bork ist Analyst bei ..." — an author note in italics or behind an asterisk.
_BYLINE = re.compile(
    r"^\s*(?:\*\s*)?(?:von|by|autor(?:in)?:?|text:)?\s*[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w.-]+){1,3}\s+"
    r"(?:ist|is|arbeitet|schreibt|writes|war)\b.{0,200}$"
)
_STAR_NOTE = re.compile(r"^\s*\*\s+\S")


@dataclass(frozen=True)
class Dropped:
    line: str
    reason: str


def classify_line(line: str) -> str | None:
    """Why this line is boilerplate, or None if it is article text."""
    stripped = line.strip()
    if not stripped:
        return None
    if _JUNK_LINE.match(stripped):
        return "junk"
    if "|" in stripped and _TABLE_ROW.match(stripped):
        return "table"
    if _STAR_NOTE.match(stripped) and _BYLINE.match(stripped):
        return "byline"
    hits = len(_CONSENT_WORDS.findall(stripped.lower()))
    words = max(1, len(stripped.split()))
    if hits >= 3 or (hits >= 2 and words <= 60) or (hits >= 1 and words <= 4):
        return "consent"
    return None


def clean(text: str) -> tuple[str, list[Dropped]]:
    """Drop boilerplate lines from normalised text. Returns the cleaned text and what was dropped.

    A short heading squeezed between two dropped paragraphs ("Recht auf Widerruf") belongs to the
    block around it and goes too; a line repeated verbatim (a title printed three times) is kept once.
    """
    lines = text.split("\n")
    reasons = [classify_line(line) for line in lines]
    # Inside a consent block: short headings, and paragraphs that mention consent words at all.
    for i, line in enumerate(lines):
        if reasons[i] or not line.strip():
            continue
        if len(line.split()) > 8 and not _CONSENT_WORDS.search(line.lower()):
            continue
        before = next((reasons[j] for j in range(i - 1, -1, -1) if lines[j].strip()), None)
        after = next((reasons[j] for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        if before == "consent" and after == "consent":
            reasons[i] = "consent"
    kept: list[str] = []
    dropped: list[Dropped] = []
    seen: set[str] = set()
    for line, reason in zip(lines, reasons):
        key = line.strip()
        if reason is None and key and key in seen and len(key) < 300:
            reason = "repeat"
        if reason:
            dropped.append(Dropped(line, reason))
            continue
        if key:
            seen.add(key)
        kept.append(line)
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return out, dropped
