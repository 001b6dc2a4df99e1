"""Words of the temporal vocabulary (German and English) and the regex fragments built from them.

Month and weekday names are matched case-sensitively: "Mai"/"May" the month is capitalised,
"may" the verb is not; and we never accept
two-letter weekday abbreviations ("Di", "Mi", "So"), which is where dateparser reads "Die" as
Tuesday.
"""

from __future__ import annotations

MONTHS_DE = {
    "januar": 1, "jänner": 1, "jan.": 1, "februar": 2, "feber": 2, "feb.": 2, "febr.": 2,
    "märz": 3, "maerz": 3, "mär.": 3, "april": 4, "apr.": 4, "mai": 5, "juni": 6, "jun.": 6,
    "juli": 7, "jul.": 7, "august": 8, "aug.": 8, "september": 9, "sep.": 9, "sept.": 9,
    "oktober": 10, "okt.": 10, "november": 11, "nov.": 11, "dezember": 12, "dez.": 12,
}
MONTHS_EN = {
    "january": 1, "jan.": 1, "jan": 1, "february": 2, "feb.": 2, "feb": 2, "march": 3, "mar.": 3,
    "april": 4, "apr.": 4, "apr": 4, "may": 5, "june": 6, "jun.": 6, "july": 7, "jul.": 7,
    "august": 8, "aug.": 8, "aug": 8, "september": 9, "sept.": 9, "sep.": 9, "sept": 9,
    "october": 10, "oct.": 10, "oct": 10, "november": 11, "nov.": 11, "nov": 11,
    "december": 12, "dec.": 12, "dec": 12,
}
WEEKDAYS_DE = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
}
WEEKDAYS_EN = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
SEASONS_DE = {"frühjahr": "spring", "frühling": "spring", "sommer": "summer", "herbst": "autumn",
              "winter": "winter"}
SEASONS_EN = {"spring": "spring", "summer": "summer", "fall": "autumn", "autumn": "autumn",
              "winter": "winter"}

NUMBERS_DE = {
    "einem": 1, "einer": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "fünfzehn": 15, "zwanzig": 20, "dreißig": 30,
}
NUMBERS_EN = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30,
}
ORDINALS_DE = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "1.": 1, "2.": 2, "3.": 3, "4.": 4}
ORDINALS_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
               "4th": 4}

# Relative words: the offset they give (0 this period, -1 the previous, +1 the next).
REL_DE = {
    "dies": 0, "laufend": 0, "aktuell": 0, "vergangen": -1, "letzt": -1, "vorig": -1,
    "abgelaufen": -1, "nächst": 1, "kommend": 1,
}
REL_EN = {"this": 0, "current": 0, "last": -1, "previous": -1, "prior": -1, "next": 1, "coming": 1}


def rel_offset(word: str, lang: str) -> int | None:
    """-1/0/+1 for an inflected relative word ("vergangenen" -> -1, "diesem" -> 0)."""
    w = word.lower().removeprefix("des ").strip()
    table = REL_EN if lang == "en" else REL_DE
    if w in table:
        return table[w]
    for stem, offset in table.items():
        if w.startswith(stem) and len(w) - len(stem) <= 2:
            return offset
    return None


def ordinal(word: str, lang: str) -> int | None:
    w = word.lower()
    if lang == "en":
        return ORDINALS_EN.get(w)
    if w in ORDINALS_DE:
        return ORDINALS_DE[w]
    for stem, n in ORDINALS_DE.items():
        if w.startswith(stem) and len(w) - len(stem) <= 2:
            return n
    return None


def both_cases(*words: str) -> str:
    """Flat alternation of words in lower case and capitalised (sentence start)."""
    forms = {w for word in words for w in (word, word[0].upper() + word[1:])}
    return _alternation(forms)


def _alternation(words) -> str:
    # Longest first so "Sept." is tried before "Sep." and "September" before "Sept".
    return "|".join(sorted((w.replace(".", r"\.") for w in words), key=len, reverse=True))


def _capitalised(words) -> str:
    return _alternation({w[0].upper() + w[1:] for w in words})


# Flat alternations of literal words: Python's re jumps between candidate first letters only
# when a pattern starts like this (nested groups or character classes make it try every
# position). A month name may not run on into a lower-case letter ("Julius", "Mais").
MONTH_DE_RE = rf"(?:{_capitalised(MONTHS_DE)})(?![a-zäöüß])"
MONTH_EN_RE = rf"(?:{_capitalised(MONTHS_EN)})(?![a-z])"
WEEKDAY_DE_RE = rf"(?:{_capitalised(WEEKDAYS_DE)})"
WEEKDAY_EN_RE = rf"(?:{_capitalised(WEEKDAYS_EN)})"
NUMBER_DE_RE = rf"\d{{1,3}}|{_alternation(NUMBERS_DE)}"
NUMBER_EN_RE = rf"\d{{1,3}}|{_alternation(NUMBERS_EN)}"

# A four-digit year that is not part of a longer number, a decimal or an identifier.
YEAR_RE = r"(?:19|20)\d\d(?![\d,.]\d|\w)"
