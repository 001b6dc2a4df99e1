"""English rules: named dates, months, quarters, halves, seasons, weeks, weekdays, relative words."""

from __future__ import annotations

import re
from datetime import timedelta

from tracker.dates import model, resolve
from tracker.dates.lexicon import (MONTH_EN_RE, MONTHS_EN, NUMBER_EN_RE, NUMBERS_EN, SEASONS_EN, WEEKDAY_EN_RE,
                                   WEEKDAYS_EN, YEAR_RE, both_cases, ordinal, rel_offset)
from tracker.dates.rules_common import month_in_context, relative_word
from tracker.dates.tagger import Ctx, Hit, Rule

I = re.I
_DAY = timedelta(days=1)
_REL = r"(?:this|current|last|previous|prior|next|coming)"
_REL_LEFT = re.compile(rf"\b(?P<rel>{_REL})\s+$", I)
_TIME_CONTEXT = re.compile(
    r"\b(?:in|since|until|till|by|from|through|during|early|mid|late|of|for|before|after)[\s-]+$", I)
_YEAR_SUFFIX = rf"(?:,?\s+(?:of\s+)?(?P<y>{YEAR_RE})|\s+(?P<yrel>this|last|next)\s+year(?!\w))?"
_MOD_OF_LEFT = re.compile(r"\b(?:beginning|start|middle|end)\s+of\s+the\s+$", I)


def _rel(ctx: Ctx) -> tuple[int | None, str | None]:
    return relative_word(ctx, "en")


def _current(unit: str, ctx: Ctx) -> model.Period:
    if unit == "year":
        return model.year(ctx.dct.year)
    if unit == "month":
        return model.month(ctx.dct.year, ctx.dct.month)
    if unit == "quarter":
        return model.quarter(ctx.dct.year, model.quarter_of(ctx.dct))
    return model.week_of(ctx.dct)


# --- dates and months --------------------------------------------------------------------------

MONTH_DAY = re.compile(
    rf"(?P<mon>{MONTH_EN_RE})\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.,]\d|\w)(?:,?\s+(?P<y>{YEAR_RE}))?")
_WEEKDAY_LEFT = re.compile(rf"\b(?P<wd>{WEEKDAY_EN_RE}),?\s+(?:the\s+)?$")


def build_date(m: re.Match, ctx: Ctx) -> Hit | None:
    mon, d = MONTHS_EN[m["mon"].lower()], int(m["d"])
    if m["y"]:
        found = model.safe_date(int(m["y"]), mon, d)
        return Hit(model.day(found), "explicit") if found else None
    weekday = WEEKDAYS_EN[ctx.left["wd"].lower()] if ctx.left else None
    p = resolve.day_month(ctx.dct, mon, d, ctx.direction(m), weekday)
    return Hit(p, "relative") if p else None


MONTH = re.compile(rf"(?P<mon>{MONTH_EN_RE}){_YEAR_SUFFIX}")


def build_month(m: re.Match, ctx: Ctx) -> Hit | None:
    mon = MONTHS_EN[m["mon"].lower()]
    if m["y"]:
        return Hit(model.month(int(m["y"]), mon), "explicit", span=m.span())
    if m["yrel"]:
        return Hit(model.month(ctx.dct.year + rel_offset(m["yrel"], "en"), mon), "relative", span=m.span())
    return month_in_context(m, ctx, mon, "en", _TIME_CONTEXT)


# --- quarters, halves, seasons -----------------------------------------------------------------

QUARTER = re.compile(
    rf"quarter(?!\w)(?:\s+of\s+(?:(?P<fisc2>fiscal)\s+(?:year\s+)?)?(?P<y>{YEAR_RE})"
    rf"|\s+of\s+(?P<yrel>this|last|next)\s+year|\s+of\s+the\s+year"
    rf"|,?\s+(?P<fisc3>fiscal\s+(?:year\s+)?)?(?P<y2>{YEAR_RE}))?")
_QUARTER_LEFT = re.compile(
    rf"(?:\b(?P<fisc0>fiscal)\s+)?(?:\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)|\b(?P<rel>{_REL})"
    rf"|\b(?P<mon>{MONTH_EN_RE}))[\s-]+(?:(?P<fisc>fiscal)[\s-]+)?$", I)


def build_quarter(m: re.Match, ctx: Ctx) -> Hit | None:
    """"third quarter (of 2025)", "fiscal Q", "this quarter", "the June quarter", "end of the quarter"."""
    left = ctx.left
    if left is None:
        if ctx.preceded_by(_MOD_OF_LEFT, m.start()):
            return Hit(_current("quarter", ctx), "relative")
        return None
    fiscal = bool(left["fisc0"] or left["fisc"] or m["fisc2"] or m["fisc3"])
    if left["rel"]:
        return Hit(resolve.shifted_quarter(ctx.dct, rel_offset(left["rel"], "en")), "relative", fiscal=fiscal)
    q = ordinal(left["ord"], "en") if left["ord"] else (MONTHS_EN[left["mon"].lower()] - 1) // 3 + 1
    y = m["y"] or m["y2"]
    if y:
        return Hit(model.quarter(int(y), q), "explicit", fiscal=fiscal)
    if m["yrel"]:
        return Hit(model.quarter(ctx.dct.year + rel_offset(m["yrel"], "en"), q), "relative", fiscal=fiscal)
    return Hit(resolve.quarter(ctx.dct, q, ctx.direction(m)), "relative", fiscal=fiscal)


HALF = re.compile(
    rf"half(?!\w)(?:\s+of\s+(?:(?P<fisc>fiscal)\s+(?:year\s+)?)?(?P<y>{YEAR_RE})"
    rf"|\s+of\s+(?P<yrel>this|last|next)\s+year|(?P<the_year>\s+of\s+the\s+year)|,?\s+(?P<y2>{YEAR_RE}))?")
_ORD_LEFT = re.compile(r"\b(?P<ord>first|second|1st|2nd)[\s-]+$", I)
_OF_SOMETHING = re.compile(r"\s+of\s", I)


def build_half(m: re.Match, ctx: Ctx) -> Hit | None:
    if ctx.left is None:
        return None
    h = ordinal(ctx.left["ord"], "en")
    y = m["y"] or m["y2"]
    if y:
        return Hit(model.half(int(y), h), "explicit", fiscal=bool(m["fisc"]))
    if m["yrel"]:
        return Hit(model.half(ctx.dct.year + rel_offset(m["yrel"], "en"), h), "relative")
    if not m["the_year"] and _OF_SOMETHING.match(ctx.text, m.end()):
        return None  # "the first half of the match"
    return Hit(resolve.half(ctx.dct, h, ctx.direction(m)), "relative")


SEASON = re.compile(
    rf"(?P<s>{both_cases('spring', 'summer', 'fall', 'autumn', 'winter')})(?!\w)(?:\s+(?:of\s+)?(?P<y>{YEAR_RE}))?")
# "fall" is also a verb and a noun ("the fall in prices"): only after "in/during/since the".
_FALL_CONTEXT = re.compile(r"\b(?:(?:in|during|since|until|by)\s+the|early|late|mid)[\s-]+$", I)
_THE = re.compile(r"\b(?:in|during|since|until|by|over)\s+the\s+$", I)


def build_season(m: re.Match, ctx: Ctx) -> Hit | None:
    name = SEASONS_EN[m["s"].lower()]
    if m["y"]:
        return Hit(model.season(int(m["y"]), name), "explicit")
    offset, own = _rel(ctx)
    if offset is None:
        if m["s"].lower() == "fall":
            if not ctx.preceded_by(_FALL_CONTEXT, m.start()):
                return None
        elif not (ctx.preceded_by(_TIME_CONTEXT, m.start()) or ctx.preceded_by(_THE, m.start())):
            return None
    if offset == 0:
        return Hit(resolve.this_season(ctx.dct, name), "relative")
    return Hit(resolve.season(ctx.dct, name, ctx.direction(m, own), strict=own is not None), "relative")


# --- "this week", "last month", "next year", "the end of the year", "year-end" ------------------

UNIT = re.compile(r"(?P<u>week|month|year)(?!\w)")


def build_unit(m: re.Match, ctx: Ctx) -> Hit | None:
    unit = m["u"]
    offset, _ = _rel(ctx)
    if offset is None:
        return Hit(_current(unit, ctx), "relative") if ctx.preceded_by(_MOD_OF_LEFT, m.start()) else None
    if unit == "week":
        return Hit(model.week_of(ctx.dct + 7 * offset * _DAY), "relative")
    if unit == "month":
        return Hit(resolve.shifted_month(ctx.dct, offset), "relative")
    return Hit(model.year(ctx.dct.year + offset), "relative")


PERIOD_EDGE = re.compile(rf"(?P<u>year|quarter|month)[\s-]end(?!\w)(?:\s+(?P<y>{YEAR_RE}))?")


def build_period_edge(m: re.Match, ctx: Ctx) -> Hit | None:
    if m["y"]:
        return Hit(model.year(int(m["y"])), "explicit", mod="END") if m["u"] == "year" else None
    return Hit(_current(m["u"], ctx), "relative", mod="END")


# --- weekdays and days -------------------------------------------------------------------------

WEEKDAY = re.compile(rf"(?P<wd>{WEEKDAY_EN_RE})(?:\s+(?:morning|afternoon|evening|night))?(?!\w)")


def build_weekday(m: re.Match, ctx: Ctx) -> Hit | None:
    wd = WEEKDAYS_EN[m["wd"].lower()]
    offset, own = _rel(ctx)
    if offset == 0:
        return Hit(model.day(model.week_of(ctx.dct).first + wd * _DAY), "relative")
    direction = ctx.weekday_direction(m, own)
    return Hit(resolve.weekday(ctx.dct, wd, direction, strict=own is not None), "relative")


RELATIVE_DAY = re.compile(rf"(?P<w>{both_cases('today', 'tonight', 'yesterday', 'tomorrow')})(?!\w)")
_DAY_BEFORE_AFTER = re.compile(r"\bthe\s+day\s+(?P<ba>before|after)\s+$", I)
_DAY_OFFSET = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def build_relative_day(m: re.Match, ctx: Ctx) -> Hit | None:
    offset = _DAY_OFFSET[m["w"].lower()]
    if ctx.left is not None:  # "the day before yesterday", "the day after tomorrow"
        offset += -1 if ctx.left["ba"].lower() == "before" else 1
    return Hit(model.day(ctx.dct + offset * _DAY), "relative")


AGO = re.compile(r"ago(?!\w)")
_AGO_LEFT = re.compile(rf"\b(?P<n>{NUMBER_EN_RE})\s+(?P<u>days?|weeks?|months?|years?)\s+$", I)


def build_ago(m: re.Match, ctx: Ctx) -> Hit | None:
    if ctx.left is None:
        return None
    n_text = ctx.left["n"].lower()
    n = int(n_text) if n_text.isdigit() else NUMBERS_EN.get(n_text)
    if not n:
        return None
    return Hit(resolve.ago(ctx.dct, n, ctx.left["u"].lower().rstrip("s")), "relative")


# "the previous evening", "the day before": the day before the day the story tells of, in news the
# publication day (rules_de.DAY_BEFORE has the German forms).
DAY_BEFORE = re.compile(r"(?:previous|prior)\s+(?:day|evening|night)(?!\w)|(?:day|evening|night)\s+before"
                        r"(?!\s+(?:yesterday|that|the|last|\w+day|[A-Z]))")


def build_day_before(m: re.Match, ctx: Ctx) -> Hit | None:
    return Hit(model.day(ctx.dct - _DAY), "relative")


RULES = [
    Rule("date_month_day_en", MONTH_DAY, build_date, left=_WEEKDAY_LEFT, full_date=True),
    Rule("month_en", MONTH, build_month, left=_REL_LEFT),
    Rule("quarter_en", QUARTER, build_quarter, left=_QUARTER_LEFT, needles=("quarter",)),
    Rule("half_en", HALF, build_half, left=_ORD_LEFT, needles=("half",)),
    Rule("season_en", SEASON, build_season, left=_REL_LEFT,
         needles=("pring", "ummer", "all", "utumn", "inter")),
    Rule("relative_unit_en", UNIT, build_unit, left=_REL_LEFT),
    Rule("period_edge_en", PERIOD_EDGE, build_period_edge, needles=("end",)),
    Rule("weekday_en", WEEKDAY, build_weekday, left=_REL_LEFT, needles=("day",)),
    Rule("day_relative_en", RELATIVE_DAY, build_relative_day, left=_DAY_BEFORE_AFTER,
         needles=("oday", "onight", "esterday", "omorrow")),
    Rule("ago_en", AGO, build_ago, left=_AGO_LEFT, needles=("ago",)),
    Rule("day_before_en", DAY_BEFORE, build_day_before, needles=("previous", "prior", "before")),
]
