"""Rules that start with a digit or read the same in German and English.

Everything that starts with a digit is one pattern per language (18.09.2025, 2025-09-18,
09/18/2025, "18. September", "18 September", "3Q25"): a digit-led pattern cannot use re's
fast literal scan, so we pay for that scan once rather than once per rule.
"""

from __future__ import annotations

import re

from tracker.dates import model, resolve
from tracker.dates.lexicon import MONTH_DE_RE, MONTH_EN_RE, MONTHS_DE, MONTHS_EN, WEEKDAY_DE_RE, WEEKDAY_EN_RE, \
    WEEKDAYS_DE, WEEKDAYS_EN, YEAR_RE, rel_offset
from tracker.dates.tagger import Ctx, Hit, Rule

_IN_NUMBER = ".,:/-"  # a digit anchor right after these is the tail of a longer number

# "2025", "des Jahres 2025", "dieses Jahres", "des vergangenen Jahres", "des Vorjahres"
YEAR_SUFFIX_DE = (rf"(?:\s+(?:des\s+Jahres\s+)?(?P<y>{YEAR_RE})"
                  rf"|\s+(?P<yrel>(?:des\s+)?(?:laufenden|vergangenen|letzten|vorigen|nächsten|kommenden)\s+Jahres"
                  rf"|dieses\s+Jahres|diesen\s+Jahres|des\s+Vorjahres|des\s+Jahres(?!\s+\d)))?")
_CODE_YEAR = (r"(?:(?:\s*[/-]\s*|\s+)(?:(?P<fy>FY|GJ|fiscal\s+)?(?P<cy>(?:19|20)\d\d)(?![\d,.]\d|\w))"
              r"|\s*[/']\s*(?P<yy>\d\d)(?!\w)|(?P<y2>\d\d)(?!\w))")


def relative_word(ctx: Ctx, lang: str) -> tuple[int | None, str | None]:
    """Offset and direction of a relative word left of the anchor ("letzten Juli", "last July")."""
    word = ctx.left["rel"] if ctx.left is not None and ctx.left.groupdict().get("rel") else None
    offset = rel_offset(word, lang) if word else None
    return offset, resolve.direction_of(offset)


def month_in_context(m: re.Match, ctx: Ctx, mon: int, lang: str, time_context: re.Pattern) -> Hit | None:
    """A month named without a year: only after a time word or a relative word, resolved against
    the publication date in the direction the sentence points."""
    offset, own = relative_word(ctx, lang)
    if offset is None and not ctx.preceded_by(time_context, m.start()):
        return None
    if offset == 0:
        return Hit(model.month(ctx.dct.year, mon), "relative")
    return Hit(resolve.month(ctx.dct, mon, ctx.direction(m, own), strict=own is not None), "relative")


def suffix_year_de(m: re.Match, ctx: Ctx) -> tuple[int | None, bool]:
    """(year, stated explicitly) from YEAR_SUFFIX_DE; (None, False) when there is none."""
    if m["y"]:
        return int(m["y"]), True
    if m["yrel"]:
        words = m["yrel"].lower().split()
        if "vorjahres" in words:
            return ctx.dct.year - 1, False
        offset = rel_offset(words[-2], "de") if len(words) >= 2 and words[-2] != "des" else 0
        return ctx.dct.year + (offset or 0), False
    return None, False


def _digits(lang: str) -> re.Pattern:
    # "vom 1. bis 3. Oktober 2025": the first day borrows month and year from the second
    day_range = (rf"|\.\s*(?=(?:bis|und|–|-)\s*\d\d?\.\s?(?P<rmon>{MONTH_DE_RE})(?:\s+(?P<ry>{YEAR_RE}))?)"
                 if lang == "de" else "")
    named = (rf"\.\s?(?P<mon>{MONTH_DE_RE}){YEAR_SUFFIX_DE}" if lang == "de" else
             rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_EN_RE})(?:,?\s+(?P<y>{YEAR_RE}))?(?P<yrel>)")
    # One leading digit group for all branches: a branch starting differently (ISO's century)
    # would make re test every position of the text against it (5x slower).
    return re.compile(
        rf"(?P<d>\d\d?)(?:(?<=19|20)(?P<iyy>\d\d)(?P<sep>[-/])(?P<im>[01]\d)(?P=sep)(?P<id>[0-3]\d)(?!\d)"
        rf"|\.(?P<m>[01]?\d)\.(?P<ny>(?:19|20)\d\d)(?!\d|\.\d)"
        rf"|\.(?P<m2>[01]?\d)\.(?![\d.])"
        rf"|/(?P<b>[0-3]?\d)/(?P<sy>(?:19|20)\d\d)(?![\d/])"
        rf"|(?P<qh>[QH]){_CODE_YEAR}(?!\w)"
        rf"{day_range}|{named})")


_DIGIT_LEFT = re.compile(
    rf"(?:\b(?P<wd>{WEEKDAY_DE_RE}|{WEEKDAY_EN_RE})(?:,\s*|\s+)(?:(?:den|dem|the)\s+)?"
    rf"|\b(?P<fisc>fiscal|FY|GJ|Geschäftsjahr|Fiskal)[\s-]*)$")


# Page stamps: "Stand: 08.12.2025" is when the page was last updated, "Veröffentlicht am" when it
# appeared. Their rule names let publication-date inference tell them from dates in the story.
_STAMP_LEFT = re.compile(
    r"\b(?:(?P<upd>Stand|Aktualisiert|Zuletzt\s+aktualisiert|Updated|Last\s+updated)"
    r"|(?P<pub>Veröffentlicht|Erschienen|Published|Posted))\s*:?\s*(?:am\s+|on\s+)?$", re.I)


def build_digits(m: re.Match, ctx: Ctx) -> Hit | None:
    hit = _digit_date(m, ctx)
    if hit is not None and hit.period.precision == "day" and hit.kind == "explicit":
        stamp = ctx.preceded_by(_STAMP_LEFT, m.start(), 32)
        if stamp:
            return hit._replace(rule="stamp_updated" if stamp["upd"] else "stamp_published")
    return hit


def _digit_date(m: re.Match, ctx: Ctx) -> Hit | None:
    if m["iyy"]:
        found = model.safe_date(int(m["d"] + m["iyy"]), int(m["im"]), int(m["id"]))
        return Hit(model.day(found), "explicit", rule="date_iso") if found else None
    if m["ny"] or m["sy"]:
        a, b = int(m["d"]), int(m["m"] or m["b"])
        # 18.09.2025 is day first everywhere; with slashes English writes the month first.
        mo, d = (a, b) if m["sy"] and ctx.lang == "en" else (b, a)
        found = model.safe_date(int(m["ny"] or m["sy"]), mo, d)
        return Hit(model.day(found), "explicit", rule="date_numeric") if found else None
    if m["m2"]:
        return _numeric_day_month(m, ctx)
    if m.groupdict().get("rmon"):
        return _range_start(m, ctx)
    if m["qh"]:
        return _glued_code(m, ctx)
    return _day_month(m, ctx)


# "am 18.09." names a day without a year; only after a word that makes it one, since "3.4."
# may just as well number a section.
_DAY_CONTEXT = re.compile(r"\b(?:am|vom|zum|bis|seit|ab|den|dem|Stand:?)\s+$", re.I)


def _numeric_day_month(m: re.Match, ctx: Ctx) -> Hit | None:
    if ctx.left is None and not ctx.preceded_by(_DAY_CONTEXT, m.start(), 12):
        return None
    d, mo = int(m["d"]), int(m["m2"])
    if not (1 <= mo <= 12):
        return None
    weekday = _weekday(ctx)
    p = resolve.day_month(ctx.dct, mo, d, ctx.direction(m), weekday)
    return Hit(p, "relative", rule="date_numeric") if p else None


def _range_start(m: re.Match, ctx: Ctx) -> Hit | None:
    mon, d = MONTHS_DE[m["rmon"].lower()], int(m["d"])
    span = (m.start(), m.start() + len(m["d"]) + 1)  # "1." only: the rest belongs to the range end
    if m["ry"]:
        found = model.safe_date(int(m["ry"]), mon, d)
        return Hit(model.day(found), "explicit", rule="date_day_month_de", span=span) if found else None
    p = resolve.day_month(ctx.dct, mon, d, ctx.direction(m), _weekday(ctx))
    return Hit(p, "relative", rule="date_day_month_de", span=span) if p else None


def _weekday(ctx: Ctx) -> int | None:
    wd = ctx.left["wd"] if ctx.left is not None else None
    if not wd:
        return None
    return WEEKDAYS_DE.get(wd.lower()) if ctx.lang == "de" else WEEKDAYS_EN.get(wd.lower())


def _day_month(m: re.Match, ctx: Ctx) -> Hit | None:
    """"18. September (2025)", "18 September (2025)", "Freitag, 12. September"."""
    months = MONTHS_DE if ctx.lang == "de" else MONTHS_EN
    mon, d = months[m["mon"].lower()], int(m["d"])
    rule = f"date_day_month_{ctx.lang}"
    y, explicit = suffix_year_de(m, ctx)
    if y is not None:
        found = model.safe_date(y, mon, d)
        return Hit(model.day(found), "explicit" if explicit else "relative", rule=rule) if found else None
    p = resolve.day_month(ctx.dct, mon, d, ctx.direction(m), _weekday(ctx))
    return Hit(p, "relative", rule=rule) if p else None


def _glued_code(m: re.Match, ctx: Ctx) -> Hit | None:
    """"3Q25", "1H 2025", "3Q 2025": quarter/half code written digit first (a year is required)."""
    n = int(m["d"])
    y = int(m["cy"]) if m["cy"] else 2000 + int(m["yy"] or m["y2"]) if (m["yy"] or m["y2"]) else None
    if y is None or not (1 <= n <= (4 if m["qh"] == "Q" else 2)):
        return None
    fiscal = bool(m["fy"] or (ctx.left is not None and ctx.left["fisc"]))
    if m["qh"] == "Q":
        return Hit(model.quarter(y, n), "explicit", fiscal=fiscal, rule="quarter_code")
    return Hit(model.half(y, n), "explicit", fiscal=fiscal, rule="half_code")


_FISCAL_LEFT = re.compile(r"\b(?P<fisc>fiscal|FY|GJ|Geschäftsjahr|Fiskal)[\s-]*$", re.I)
# "Q3 2025", "Q3/2025", "Q3/25", "Q3 '25", bare "Q3"; "fiscal Q3", "FY Q3". "H1 2025", "H2/25";
# a bare "H1" is not taken (H1-Visum), and "H20"/"H100" never match.
CODE = re.compile(rf"(?P<qh>Q|H)(?P<n>[1-4]){_CODE_YEAR}?(?!\w)(?!,\d|\.\d)")


def build_code(m: re.Match, ctx: Ctx) -> Hit | None:
    n, is_q = int(m["n"]), m["qh"] == "Q"
    if m["y2"] or (not is_q and n > 2):
        return None  # "Q325", "H100", "H3": not a period
    y = int(m["cy"]) if m["cy"] else 2000 + int(m["yy"]) if m["yy"] else None
    fiscal = bool(ctx.left or m["fy"])
    if not is_q:
        return Hit(model.half(y, n), "explicit", fiscal=fiscal, rule="half_code") if y else None
    if y is not None:
        return Hit(model.quarter(y, n), "explicit", fiscal=fiscal, rule="quarter_code")
    return Hit(resolve.quarter(ctx.dct, n, ctx.direction(m)), "relative", fiscal=fiscal, rule="quarter_code")


# Calendar week: "KW 38", "KW38/2025", "Kalenderwoche 38", "calendar week 38 of 2025"
WEEK_NUMBER = re.compile(
    r"(?:KW|Kalenderwoche|calendar\s+week|Calendar\s+week)\s*(?P<w>[1-5]?\d)(?!\d)"
    r"(?:\s*/\s*(?P<y>(?:19|20)\d\d)|\s+(?:of\s+)?(?P<y2>(?:19|20)\d\d))?(?![\d,.]\d)")


def build_week_number(m: re.Match, ctx: Ctx) -> Hit | None:
    w = int(m["w"])
    y = m["y"] or m["y2"]
    if y:
        p = model.iso_week(int(y), w)
        return Hit(p, "explicit") if p else None
    candidates = [p for yy in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1) if (p := model.iso_week(yy, w))]
    if not candidates:
        return None
    return Hit(resolve.choose(candidates, ctx.dct, ctx.direction(m)), "relative")


# Bare years. What makes "2025" a year rather than an amount is what stands around it: an amount
# has a unit or a currency after it, a quantifier ("rund", "über") or a currency before it.
YEAR = re.compile(r"(?P<y>" + YEAR_RE + r")(?:/(?P<y_end>\d\d|(?:19|20)\d\d)(?!\d))?")
_YEAR_LEFT = re.compile(
    r"(?:\b(?P<fy>Geschäftsjahr(?:es|s)?|Fiskaljahr(?:es|s)?|GJ|FY|fiscal(?:\s+year)?)\s*"
    r"|\b(?P<jahr>Jahr(?:es)?|year)\s+)$", re.I)
_UNIT_AFTER = re.compile(
    r"\s*(?:%|‰|\+|prozent|percent|euro|eur\b|dollar|us-dollar|usd|yuan|renminbi|cny|rmb|hkd|hk\$|"
    r"yen|won\b|pfund|franken|mio|mrd|million|milliard|billion|tausend|thousand|mitarbeiter|"
    r"beschäftigte|angestellte|employees|staff|people|menschen|personen|aktien|shares|stück|"
    r"einheiten|units|punkte|points|zähler|meter|km|kg|tonnen|tons|mw\b|gw\b|kwh|tb\b|gb\b|mb\b|chips|"
    r"exemplare|fahrzeuge|autos|vehicles|cars|filialen|stores|kunden|customers|nutzer|users|"
    r"patente|patents|server|gpus|seiten|pages|x\b|×)", re.I)
_QUANTIFIERS = frozenset("""
rund etwa ca. circa über knapp fast insgesamt about around nearly almost over some nr. no. nummer
number platz rang minute seite page kapitel chapter version v modell model pro rtx
""".split())
_QUANTIFIERS_2 = frozenset({"mehr als", "weniger als", "bis zu", "more than", "less than", "up to"})


_TICKER_SUFFIX = re.compile(r"\.[A-Z]{1,2}\b")  # "2020.HK" is Anta Sports, not a year


def _quantified(text: str, pos: int) -> bool:
    """An amount word right before pos: "rund 2000", "mehr als 2025", "Minute 2020"."""
    words = text[max(0, pos - 24):pos].lower().split()
    return bool(words) and (words[-1] in _QUANTIFIERS or " ".join(words[-2:]) in _QUANTIFIERS_2)


def build_year(m: re.Match, ctx: Ctx) -> Hit | None:
    fiscal = bool(ctx.left and ctx.left["fy"])
    y = int(m["y"])
    if m["y_end"]:
        if not fiscal:  # "Saison 2024/25": the span starts in the first year
            return Hit(model.year(y), "explicit", span=(m.start(), m.start() + 4))
        end = m["y_end"]
        y = int(end) if len(end) == 4 else (y // 100) * 100 + int(end)
    if not ctx.left:
        if _UNIT_AFTER.match(ctx.text, m.end()) or _quantified(ctx.text, m.start()) \
                or _TICKER_SUFFIX.match(ctx.text, m.end()):
            return None
    return Hit(model.year(y), "explicit", fiscal=fiscal)


# "FY2025", "FY25", "FY 2025/26", "GJ 2024/25": fiscal years are named by the year they end in
FY_CODE = re.compile(
    r"(?:FY|GJ)\s?'?(?:(?P<yyyy>(?:19|20)\d\d)|(?P<yy>\d\d))(?:/(?P<y_end>\d\d))?(?![\w.,]\d|\w)")


def build_fy_code(m: re.Match, ctx: Ctx) -> Hit | None:
    if m["y_end"]:
        return Hit(model.year(2000 + int(m["y_end"])), "explicit", fiscal=True)
    return Hit(model.year(int(m["yyyy"]) if m["yyyy"] else 2000 + int(m["yy"])), "explicit", fiscal=True)


def rules(lang: str) -> list[Rule]:
    return [
        Rule("digits", _digits(lang), build_digits, left=_DIGIT_LEFT, not_after=_IN_NUMBER, full_date=True),
        Rule("code", CODE, build_code, left=_FISCAL_LEFT, not_after="-"),
        Rule("week_number", WEEK_NUMBER, build_week_number, needles=("KW", "alenderwoche", "alendar")),
        Rule("year", YEAR, build_year, left=_YEAR_LEFT, not_after="$€£¥.,/'’+-"),
        Rule("fiscal_year_code", FY_CODE, build_fy_code, not_after="-", needles=("FY", "GJ")),
    ]
