"""German rules: months, quarters, halves, seasons, weeks, weekdays, relative words.

Dates written with digits ("18. September", "18.09.2025") are in rules_common.

Bare month and season names only count after a word that makes them a time ("im Juli",
"seit Juli", "Mitte Juli"): "August" is also a first name, "Winter" a surname.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Callable

from tracker.dates import model, resolve
from tracker.dates.lexicon import (MONTH_DE_RE, MONTHS_DE, NUMBER_DE_RE, NUMBERS_DE, SEASONS_DE, WEEKDAY_DE_RE,
                                   WEEKDAYS_DE, YEAR_RE, both_cases, ordinal, rel_offset)
from tracker.dates.rules_common import YEAR_SUFFIX_DE, month_in_context, relative_word, suffix_year_de
from tracker.dates.tagger import Ctx, Hit, Rule

I = re.I
_DAY = timedelta(days=1)
_REL = r"(?:vergangen|letzt|vorig|nächst|kommend|dies|laufend|aktuell|abgelaufen)(?:e|en|er|es|em)?"
_REL_LEFT = re.compile(rf"\b(?P<rel>{_REL})\s+$", I)
_TIME_CONTEXT = re.compile(
    r"\b(?:im|in|seit|bis|ab|anfang|anfangs|beginn|mitte|ende|zum|vom|von|für|des|den|dem|"
    r"monat|vor|nach|während)\s+$", I)


def _rel(ctx: Ctx) -> tuple[int | None, str | None]:
    return relative_word(ctx, "de")


# --- months ------------------------------------------------------------------------------------

MONTH = re.compile(rf"(?P<mon>{MONTH_DE_RE}){YEAR_SUFFIX_DE}")


def build_month(m: re.Match, ctx: Ctx) -> Hit | None:
    mon = MONTHS_DE[m["mon"].lower()]
    y, explicit = suffix_year_de(m, ctx)
    if y is not None:
        return Hit(model.month(y, mon), "explicit" if explicit else "relative", span=m.span())
    return month_in_context(m, ctx, mon, "de", _TIME_CONTEXT)


# --- quarters, halves, seasons -----------------------------------------------------------------

QUARTER = re.compile(
    rf"(?:Quartal|quartal)(?:s|es)?(?!\w)"
    rf"(?:\s+(?:des\s+|im\s+)?(?P<fy>Geschäftsjahr(?:es|s)?|Fiskaljahr(?:es|s)?|GJ)"
    rf"(?:\s*(?P<fyy>{YEAR_RE})(?:/(?P<fyend>\d\d)(?!\d))?)?|{YEAR_SUFFIX_DE})")
_QUARTER_LEFT = re.compile(
    rf"(?:\b(?P<fisc0>fiskalisch(?:e|en|es|er))\s+)?"
    rf"(?:\b(?P<ord>(?:erst|zweit|dritt|viert)(?:e|en|es|er)|(?<![\d.,])[1-4]\.)\s*"
    rf"|\b(?P<rel>{_REL})\s+|\b(?P<mon>{MONTH_DE_RE})-)(?P<fisc>Geschäfts|Fiskal|Finanz)?-?$", I)
_MOD_OF_LEFT = re.compile(r"\b(?:Anfang|Anfangs|Beginn|Mitte|Ende)\s+(?:des|der)\s+$", I)


def build_quarter(m: re.Match, ctx: Ctx) -> Hit | None:
    """"im dritten Quartal (2025)", "im laufenden Quartal", "Juni-Quartal", "Ende des Quartals"."""
    left = ctx.left
    if left is None:
        if m.group().startswith("Quartal") and ctx.preceded_by(_MOD_OF_LEFT, m.start()):
            return Hit(model.quarter(ctx.dct.year, model.quarter_of(ctx.dct)), "relative")
        return None
    if m.start() > 0 and ctx.text[m.start() - 1].isalpha() and not left["fisc"]:
        return None  # "Vorjahresquartal": a comparison baseline, not a period
    fiscal = bool(left["fisc0"] or left["fisc"] or m["fy"])
    if left["rel"]:
        return Hit(resolve.shifted_quarter(ctx.dct, rel_offset(left["rel"], "de")), "relative", fiscal=fiscal)
    q = ordinal(left["ord"], "de") if left["ord"] else (MONTHS_DE[left["mon"].lower()] - 1) // 3 + 1
    if m["fyy"]:
        fy = int(m["fyy"]) if not m["fyend"] else (int(m["fyy"]) // 100) * 100 + int(m["fyend"])
        return Hit(model.quarter(fy, q), "explicit", fiscal=True)
    y, explicit = suffix_year_de(m, ctx)
    if y is not None:
        return Hit(model.quarter(y, q), "explicit" if explicit else "relative", fiscal=fiscal)
    return Hit(resolve.quarter(ctx.dct, q, ctx.direction(m)), "relative", fiscal=fiscal)


HALF = re.compile(
    rf"(?P<h>Halbjahres|Halbjahrs|Halbjahr|halbjahres|halbjahrs|halbjahr|Jahreshälfte|Hälfte)(?!\w){YEAR_SUFFIX_DE}")
_ORD_LEFT = re.compile(
    r"\b(?P<ord>(?:erst|zweit)(?:e|en|es|er)|(?<![\d.,])[12]\.)\s*(?P<fisc>Geschäfts)?$", I)


def build_half(m: re.Match, ctx: Ctx) -> Hit | None:
    if ctx.left is None:
        return None
    if m.start() > 0 and ctx.text[m.start() - 1].isalpha() and not ctx.left["fisc"]:
        return None
    h = ordinal(ctx.left["ord"], "de")
    fiscal = bool(ctx.left["fisc"])
    share_word = m["h"] == "Hälfte"
    y, explicit = suffix_year_de(m, ctx)
    if y is not None:
        return Hit(model.half(y, h), "explicit" if explicit else "relative", fiscal=fiscal)
    if share_word:
        return None  # "die Hälfte der Unternehmen": a share, not a period
    return Hit(resolve.half(ctx.dct, h, ctx.direction(m)), "relative", fiscal=fiscal)


SEASON = re.compile(
    rf"(?P<s>Frühjahr|Frühling|Sommer|Herbst|Winter)(?:s|es)?(?!\w)"
    rf"(?:\s+(?P<y>{YEAR_RE})(?:/(?P<yend>\d\d)(?!\d))?|\s+(?P<yrel>dieses\s+Jahres|des\s+vergangenen\s+Jahres|"
    rf"vergangenen\s+Jahres|letzten\s+Jahres))?")


def build_season(m: re.Match, ctx: Ctx) -> Hit | None:
    name = SEASONS_DE[m["s"].lower()]
    if m["y"]:
        return Hit(model.season(int(m["y"]), name), "explicit")
    if m["yrel"]:
        y = ctx.dct.year + (0 if m["yrel"].lower().startswith("dieses") else -1)
        return Hit(model.season(y, name), "relative")
    offset, own = _rel(ctx)
    if offset is None and not ctx.preceded_by(_TIME_CONTEXT, m.start()):
        return None
    if offset == 0:
        return Hit(resolve.this_season(ctx.dct, name), "relative")
    return Hit(resolve.season(ctx.dct, name, ctx.direction(m, own), strict=own is not None), "relative")


# --- weeks, months, years named relatively ("diese Woche", "im vergangenen Jahr") ---------------

WEEK = re.compile(r"Woche(?!\w)")
REL_MONTH = re.compile(r"Monat(?:s|es)?(?!\w)")
REL_YEAR = re.compile(r"Jahr(?:es|s)?(?!\w)")


def _current(unit: str, ctx: Ctx) -> model.Period:
    if unit == "year":
        return model.year(ctx.dct.year)
    if unit == "month":
        return model.month(ctx.dct.year, ctx.dct.month)
    if unit == "quarter":
        return model.quarter(ctx.dct.year, model.quarter_of(ctx.dct))
    return model.week_of(ctx.dct)


def _relative_unit(unit: str) -> Callable[[re.Match, Ctx], Hit | None]:
    def build(m: re.Match, ctx: Ctx) -> Hit | None:
        offset, _ = _rel(ctx)
        if offset is None:
            # "Ende des Jahres", "Anfang der Woche": the current one, only with a modifier
            return Hit(_current(unit, ctx), "relative") if ctx.preceded_by(_MOD_OF_LEFT, m.start()) else None
        if unit == "week":
            return Hit(model.week_of(ctx.dct + 7 * offset * _DAY), "relative")
        if unit == "month":
            return Hit(resolve.shifted_month(ctx.dct, offset), "relative")
        return Hit(model.year(ctx.dct.year + offset), "relative")
    return build


# "zum Jahresende", "Jahresende 2025", "Monatsende", "Quartalsende"
PERIOD_EDGE = re.compile(
    rf"(?P<u>Jahres|Monats|Quartals)(?P<edge>ende|anfang|beginn|mitte)(?!\w)(?:\s+(?P<y>{YEAR_RE}))?")
_EDGE_MOD = {"ende": "END", "anfang": "START", "beginn": "START", "mitte": "MID"}
_EDGE_UNIT = {"Jahres": "year", "Monats": "month", "Quartals": "quarter"}


def build_period_edge(m: re.Match, ctx: Ctx) -> Hit | None:
    mod = _EDGE_MOD[m["edge"]]
    if m["y"]:
        return Hit(model.year(int(m["y"])), "explicit", mod=mod) if m["u"] == "Jahres" else None
    return Hit(_current(_EDGE_UNIT[m["u"]], ctx), "relative", mod=mod)


# --- weekdays and days -------------------------------------------------------------------------

WEEKDAY = re.compile(
    rf"(?P<wd>{WEEKDAY_DE_RE})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?(?!\w)"
    rf"(?:\s+(?P<wrel>vergangener|letzter|voriger|nächster|kommender|dieser)\s+Woche(?!\w))?")


def build_weekday(m: re.Match, ctx: Ctx) -> Hit | None:
    wd = WEEKDAYS_DE[m["wd"].lower()]
    if m["wrel"]:
        week = model.week_of(ctx.dct + 7 * rel_offset(m["wrel"], "de") * _DAY)
        return Hit(model.day(week.first + wd * _DAY), "relative")
    offset, own = _rel(ctx)
    if offset == 0:
        return Hit(model.day(model.week_of(ctx.dct).first + wd * _DAY), "relative")
    direction = ctx.weekday_direction(m, own)
    return Hit(resolve.weekday(ctx.dct, wd, direction, strict=own is not None), "relative")


# "morgen" lower-case only: "Morgen" is the morning ("am Morgen", "Guten Morgen").
RELATIVE_DAY = re.compile(
    rf"(?P<w>{both_cases('vorgestern', 'gestern', 'heute', 'übermorgen')}|morgen)(?!\w)"
    r"(?:\s+(?:früh|[Mm]orgen|[Vv]ormittag|[Mm]ittag|[Nn]achmittag|[Aa]bend|[Nn]acht)(?!\w))?")
_DAY_OFFSET = {"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2}


def build_relative_day(m: re.Match, ctx: Ctx) -> Hit | None:
    return Hit(model.day(ctx.dct + _DAY_OFFSET[m["w"].lower()] * _DAY), "relative")


# "am Vorabend", "am Vortag": the day before the day the story tells of, which in news is the
# publication day ("Die Aktie brach am Donnerstag ein. Der Konzern hatte am Vorabend Zahlen
# vorgelegt" - published that Thursday). A weekday in the same sentence wins over it.
DAY_BEFORE = re.compile(r"(?:am|vom)\s+(?:Vorabend|Vortag|Tag\s+zuvor|Abend\s+zuvor)(?!\w)")


def build_day_before(m: re.Match, ctx: Ctx) -> Hit | None:
    return Hit(model.day(ctx.dct - _DAY), "relative")


_UNIT = r"(?P<u>Tag(?:e|en)?|Woche(?:n)?|Monat(?:e|en)?|Jahr(?:e|en)?)(?!\w)"
_APPROX = r"(?:(?:etwa|rund|gut|knapp|fast|mehr\s+als|über|weniger\s+als|genau|mindestens|nunmehr)\s+)?"
AGO = re.compile(rf"(?P<w>vor|Vor|seit|Seit)\s+{_APPROX}(?P<n>{NUMBER_DE_RE})\s+{_UNIT}")


def build_ago(m: re.Match, ctx: Ctx) -> Hit | None:
    """"vor zwei Wochen" (a period back from dct); "seit etwa zwei Wochen" (the same, 'since')."""
    n_text = m["n"].lower()
    n = int(n_text) if n_text.isdigit() else NUMBERS_DE.get(n_text)
    if not n:
        return None
    unit = {"t": "day", "w": "week", "m": "month", "j": "year"}[m["u"][0].lower()]
    since = m["w"].lower() == "seit"
    return Hit(resolve.ago(ctx.dct, n, unit), "relative", interval="since" if since else None)


RULES = [
    Rule("month_de", MONTH, build_month, left=_REL_LEFT),
    Rule("quarter_de", QUARTER, build_quarter, left=_QUARTER_LEFT, inside_words=True, needles=("uartal",)),
    Rule("half_de", HALF, build_half, left=_ORD_LEFT, inside_words=True, needles=("albjahr", "Hälfte")),
    Rule("season_de", SEASON, build_season, left=_REL_LEFT,
         needles=("Frühjahr", "Frühling", "Sommer", "Herbst", "Winter")),
    Rule("week_de", WEEK, _relative_unit("week"), left=_REL_LEFT),
    Rule("month_relative_de", REL_MONTH, _relative_unit("month"), left=_REL_LEFT),
    Rule("year_relative_de", REL_YEAR, _relative_unit("year"), left=_REL_LEFT),
    Rule("period_edge_de", PERIOD_EDGE, build_period_edge, needles=("ende", "anfang", "beginn", "mitte")),
    Rule("weekday_de", WEEKDAY, build_weekday, left=_REL_LEFT, needles=("tag", "Sonnabend", "Mittwoch")),
    Rule("day_relative_de", RELATIVE_DAY, build_relative_day, needles=("estern", "eute", "morgen")),
    Rule("day_before_de", DAY_BEFORE, build_day_before, needles=("Vorabend", "Vortag", "zuvor")),
    Rule("ago_de", AGO, build_ago, needles=("or ", "eit ")),
]
