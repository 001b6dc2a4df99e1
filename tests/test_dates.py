"""Hard cases of the temporal tagger (research notes §2.2/§2.4, issue 3 item 4).

Each case asserts the normalised value, the precision and the kind (and mod/interval where the
text carries them). DCT 2025-09-20 is a Saturday in ISO week 38 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import Timex, tag

DCT = date(2025, 9, 20)


def one(text: str, dct: date = DCT, lang: str = "de") -> Timex:
    found = tag(text, dct, lang)
    assert len(found) == 1, f"{text!r}: expected one expression, got {[(t.text, t.value) for t in found]}"
    t = found[0]
    assert text[t.start:t.end] == t.text, "offsets must point at the surface text"
    return t


def check(t: Timex, value: str, precision: str, kind: str, mod: str | None = None, interval: str | None = None):
    assert (t.value, t.precision, t.kind, t.mod, t.interval) == (value, precision, kind, mod, interval), t


# --- explicit dates ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("18.09.2025", "de"),
    ("am 18. September 2025", "de"),
    ("on September 18, 2025", "en"),
    ("on Sept. 18, 2025", "en"),
    ("on 18 September 2025", "en"),
    ("2025-09-18", "de"),
    ("2025-09-18", "en"),
])
def test_explicit_full_dates(text, lang):
    t = one(text, lang=lang)
    check(t, "2025-09-18", "day", "explicit")
    assert t.first_day == t.last_day == date(2025, 9, 18)


def test_us_slash_dates_are_month_first_in_english_only():
    check(one("on 09/18/2025", lang="en"), "2025-09-18", "day", "explicit")
    check(one("am 18/09/2025"), "2025-09-18", "day", "explicit")


def test_stand_stamp_is_a_date_marked_as_last_updated():
    t = one("Stand: 08.12.2025", dct=date(2021, 8, 30))
    check(t, "2025-12-08", "day", "explicit")
    assert t.text == "08.12.2025" and t.rule == "stamp_updated"


def test_impossible_dates_are_dropped():
    assert tag("am 31.02.2025", DCT) == []
    # an impossible day never becomes a date; the month it names still stands
    check(one("am 30. Februar 2025"), "2025-02", "month", "explicit")


# --- day and month without a year: direction from tense ----------------------------------------

def test_day_month_past_tense_is_this_years_recent_date():
    t = one("Am 18. September gab Huawei erstmals seinen Dreijahresplan bekannt.")
    check(t, "2025-09-18", "day", "relative")
    assert t.text == "18. September"


def test_day_month_future_tense_points_forward():
    check(one("Die Messe wird am 3. Oktober eröffnet."), "2025-10-03", "day", "relative")
    # future tense about a day already past this year: the next one
    check(one("Die Messe wird am 5. September eröffnet."), "2026-09-05", "day", "relative")


def test_day_month_past_tense_after_dct_goes_back_a_year():
    check(one("Am 3. Oktober meldete das Unternehmen Rekordzahlen."), "2024-10-03", "day", "relative")


def test_day_month_without_cue_takes_the_near_future_over_a_year_back():
    check(one("Am 3. Oktober beginnt die Messe."), "2025-10-03", "day", "relative")
    # without a cue, a date two months back beats one ten months ahead (news prior)
    check(one("Am 20. Juli beginnt die Messe."), "2025-07-20", "day", "relative")


def test_weekday_with_date_decides_the_year():
    check(one("am Freitag, 12. September"), "2025-09-12", "day", "relative")


# --- months ------------------------------------------------------------------------------------

def test_month_with_year_is_a_month_never_a_day():
    t = one("Im Juli 2025 warnte Präsident Xi Jinping öffentlich vor Überinvestitionen.")
    check(t, "2025-07", "month", "explicit")
    assert (t.first_day, t.last_day) == (date(2025, 7, 1), date(2025, 7, 31))


def test_month_without_year_follows_tense():
    check(one("Im Juli meldete das Unternehmen Rekordzahlen."), "2025-07", "month", "relative")
    check(one("Im Dezember soll das Modell erscheinen."), "2025-12", "month", "relative")
    check(one("Im Dezember meldete das Unternehmen Verluste."), "2024-12", "month", "relative")


def test_month_year_and_english_months():
    check(one("seit Oktober 2024"), "2024-10", "month", "explicit", interval="since")
    check(one("in July 2025", lang="en"), "2025-07", "month", "explicit")
    check(one("in July the company reported", lang="en"), "2025-07", "month", "relative")


def test_bare_month_names_need_a_time_word():
    assert tag("August Horch gründete die Firma.", DCT) == []
    assert tag("Shares may fall further.", DCT, "en") == []
    assert tag("Julius und Mais", DCT) == []


# --- quarters and halves -----------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, value", [
    ("im dritten Quartal", "de", "2025-Q3"),
    ("im 2. Quartal", "de", "2025-Q2"),
    ("Q3 2025", "de", "2025-Q3"),
    ("im dritten Quartal 2024", "de", "2024-Q3"),
    ("in the second quarter", "en", "2025-Q2"),
    ("third-quarter results", "en", "2025-Q3"),
    ("in the fourth quarter of 2024", "en", "2024-Q4"),
])
def test_quarters(text, lang, value):
    t = one(text, lang=lang)
    assert (t.value, t.precision) == (value, "quarter")
    assert t.kind == ("explicit" if "202" in text else "relative")


def test_quarter_first_and_last_day():
    t = one("Q3 2025")
    assert (t.first_day, t.last_day) == (date(2025, 7, 1), date(2025, 9, 30))


def test_relative_quarters():
    check(one("im laufenden Quartal"), "2025-Q3", "quarter", "relative")
    check(one("im vergangenen Quartal"), "2025-Q2", "quarter", "relative")
    check(one("im Juni-Quartal"), "2025-Q2", "quarter", "relative")


def test_comparison_baselines_are_not_periods():
    assert tag("im Vergleich zum Vorjahresquartal", DCT) == []
    assert tag("die Hälfte der großen Unternehmen", DCT) == []


@pytest.mark.parametrize("text, lang, value", [
    ("Cambricon meldete im ersten Halbjahr Rekordgewinne", "de", "2025-H1"),
    ("in der ersten Hälfte dieses Jahres", "de", "2025-H1"),
    ("im zweiten Halbjahr 2024", "de", "2024-H2"),
    ("H1 2025", "de", "2025-H1"),
    ("in the first half", "en", "2025-H1"),
    ("in the second half of 2024", "en", "2024-H2"),
])
def test_halves(text, lang, value):
    t = one(text, lang=lang)
    assert (t.value, t.precision) == (value, "half")


def test_half_first_and_last_day():
    t = one("im ersten Halbjahr")
    assert (t.first_day, t.last_day) == (date(2025, 1, 1), date(2025, 6, 30))


def test_first_half_of_something_else_is_not_a_period():
    assert tag("in the first half of the match", DCT, "en") == []


def test_fiscal_periods_are_flagged():
    t = one("im zweiten Quartal des Geschäftsjahres 2026")
    check(t, "2026-Q2", "quarter", "explicit")
    assert t.fiscal
    assert one("fiscal Q1 2026", lang="en").fiscal
    fy = one("im Geschäftsjahr 2024/25")
    assert (fy.value, fy.precision, fy.fiscal) == ("2025", "year", True)
    assert one("FY2025", lang="en").fiscal
    assert not one("im dritten Quartal").fiscal


# --- weeks and weekdays ------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, value", [
    ("Diese Woche ordnete die Behörde einen Stopp an", "de", "2025-W38"),
    ("Vergangene Woche", "de", "2025-W37"),
    ("letzte Woche", "de", "2025-W37"),
    ("nächste Woche", "de", "2025-W39"),
    ("this week", "en", "2025-W38"),
    ("last week", "en", "2025-W37"),
])
def test_weeks(text, lang, value):
    check(one(text, lang=lang), value, "week", "relative")


def test_week_spans_monday_to_sunday():
    t = one("diese Woche")
    assert (t.first_day, t.last_day) == (date(2025, 9, 15), date(2025, 9, 21))


def test_iso_week_year_differs_from_calendar_year():
    check(one("diese Woche", dct=date(2024, 12, 30)), "2025-W01", "week", "relative")


@pytest.mark.parametrize("text, lang, value", [
    ("Am Dienstag stellte das Unternehmen das Modell vor.", "de", "2025-09-16"),
    ("Letzten Donnerstag", "de", "2025-09-18"),
    ("Am Montag folgte die Genehmigung.", "de", "2025-09-15"),
    ("On Tuesday, the company said", "en", "2025-09-16"),
    ("Am Dienstag wird das Unternehmen das Modell vorstellen.", "de", "2025-09-23"),
    ("nächsten Montag", "de", "2025-09-22"),
    ("am Dienstag vergangener Woche", "de", "2025-09-09"),
])
def test_weekdays(text, lang, value):
    check(one(text, lang=lang), value, "day", "relative")


def test_weekday_on_the_dct_itself_in_past_tense_is_that_day():
    check(one("Am Samstag meldete die Firma", dct=DCT), "2025-09-20", "day", "relative")
    check(one("letzten Samstag", dct=DCT), "2025-09-13", "day", "relative")


def test_function_words_are_never_weekdays():
    # dateparser reads "Die" as Dienstag; we never match weekday abbreviations
    assert tag("Die Aktie stieg. Mit einem Plus. So bleibt es. Do it. Mi casa. Fr. Sa.", DCT) == []


# --- relative expressions ----------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, value, precision", [
    ("gestern", "de", "2025-09-19", "day"),
    ("vorgestern", "de", "2025-09-18", "day"),
    ("heute", "de", "2025-09-20", "day"),
    ("morgen", "de", "2025-09-21", "day"),
    ("vor drei Tagen", "de", "2025-09-17", "day"),
    ("vor zwei Wochen", "de", "2025-W36", "week"),
    ("vor zwei Monaten", "de", "2025-07", "month"),
    ("vor einem Jahr", "de", "2024", "year"),
    ("im vergangenen Jahr", "de", "2024", "year"),
    ("letztes Jahr", "de", "2024", "year"),
    ("in diesem Jahr", "de", "2025", "year"),
    ("die Gewinne dieses Jahres", "de", "2025", "year"),
    ("Ende dieses Jahres", "de", "2025", "year"),
    ("nächstes Jahr", "de", "2026", "year"),
    ("im vergangenen Monat", "de", "2025-08", "month"),
    ("yesterday", "en", "2025-09-19", "day"),
    ("two weeks ago", "en", "2025-W36", "week"),
    ("three days ago", "en", "2025-09-17", "day"),
    ("last year", "en", "2024", "year"),
    ("this year", "en", "2025", "year"),
])
def test_relative_expressions(text, lang, value, precision):
    check(one(text, lang=lang), value, precision, "relative", mod="END" if text.startswith("Ende") else None)


def test_ago_in_weeks_is_the_week_fourteen_days_back_not_a_made_up_day():
    t = one("vor zwei Wochen")
    assert t.first_day <= date(2025, 9, 6) <= t.last_day


def test_morning_is_not_tomorrow():
    assert tag("Am Morgen stieg die Aktie.", DCT) == []
    check(one("heute Morgen"), "2025-09-20", "day", "relative")


def test_seasons_are_three_month_spans():
    t = one("Im Sommer forderten chinesische Regulierungsbehörden Unternehmen auf")
    check(t, "2025-06/2025-08", "quarter", "relative")
    assert (t.first_day, t.last_day) == (date(2025, 6, 1), date(2025, 8, 31))
    w = one("im Winter 2024/25")
    assert (w.first_day, w.last_day) == (date(2024, 12, 1), date(2025, 2, 28))
    check(one("last summer", lang="en"), "2025-06/2025-08", "quarter", "relative")
    check(one("im kommenden Frühjahr"), "2026-03/2026-05", "quarter", "relative")


def test_fall_the_verb_or_the_decline_is_not_autumn():
    assert tag("Shares fall. The fall in prices continued.", DCT, "en") == []
    check(one("in the fall", lang="en"), "2025-09/2025-11", "quarter", "relative")


# --- modifiers and intervals -------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, value, precision, kind, mod", [
    ("Anfang Oktober", "de", "2025-10", "month", "relative", "START"),
    ("Mitte Juli", "de", "2025-07", "month", "relative", "MID"),
    ("Ende 2022", "de", "2022", "year", "explicit", "END"),
    ("Ende August 2025", "de", "2025-08", "month", "explicit", "END"),
    ("early October", "en", "2025-10", "month", "relative", "START"),
    ("mid-July", "en", "2025-07", "month", "relative", "MID"),
    ("late 2022", "en", "2022", "year", "explicit", "END"),
    ("zum Jahresende", "de", "2025", "year", "relative", "END"),
])
def test_modifiers_keep_the_period(text, lang, value, precision, kind, mod):
    check(one(text, lang=lang), value, precision, kind, mod=mod)


def test_since_end_of_august_is_an_open_interval():
    t = one("ein Kursanstieg um mehr als 37 % seit Ende August 2025.")
    check(t, "2025-08", "month", "explicit", mod="END", interval="since")
    assert t.text == "seit Ende August 2025"


@pytest.mark.parametrize("text, lang, value, interval", [
    ("Bis 2035 strebt sie an", "de", "2035", "until"),
    ("seit 2020 am STAR-Board notiert", "de", "2020", "since"),
    ("bis Ende 2022", "de", "2022", "until"),
    ("in den zwölf Monaten bis Juni 2025", "de", "2025-06", "until"),
    ("since July 2025", "en", "2025-07", "since"),
    ("by the end of 2025", "en", "2025", "until"),
])
def test_intervals(text, lang, value, interval):
    t = one(text, lang=lang)
    assert (t.value, t.interval) == (value, interval)


def test_since_two_weeks_is_a_since_interval_of_week_precision():
    t = one("den größten Kursanstieg seit etwa zwei Wochen", dct=date(2025, 9, 12))
    check(t, "2025-W35", "week", "relative", interval="since")


# --- bare years --------------------------------------------------------------------------------

def test_years_in_date_context():
    check(one("im Jahr 2014"), "2014", "year", "explicit")
    check(one("Die Aktie hat sich 2025 verdoppelt."), "2025", "year", "explicit")
    both = tag("das 2024 oder 2025 in Betrieb gehen soll", DCT)
    assert [(t.value, t.precision) for t in both] == [("2024", "year"), ("2025", "year")]


def test_numbers_that_are_amounts_are_not_years():
    assert tag("über 2000 Mitarbeiter, rund 2025 Stück, 2024 Prozent, 2021 Euro", DCT) == []


@pytest.mark.parametrize("text", [
    "In der Show berichtet Bloomberg ab Minute 5:50 über den Höhenflug.",
    "Vogel Communications Group GmbH & Co. KG, Max-Planckstr. 7-9, 97082 Würzburg",
    "einen Stopp der Tests der Workstation-Grafikkarte RTX Pro 6000D",
    "stellte Nvidia die Produktion seines H20-Chips ein",
    "Nvidias H2O-Chips",
    "um 1,5 Prozent auf 2,88 Euro",
    "im Sinne der §§ 15 ff. AktG verbundenen Unternehmen",
    "das Qwen-3-Max-Preview mit einer Billion Parametern",
    "für rund 30% des Umsatzes",
    "3,2 Milliarden US-Dollar an Wandelanleihen",
    "41 % der Unternehmen",
    "https://www.vietnamplus.vn/lan-song-chip-ai-post1063251.vnp",
    "Chen Tianshi (40) hält einen Anteil von 29 %",
])
def test_false_positives_produce_nothing(text):
    assert tag(text, DCT) == []


@pytest.mark.parametrize("text", [
    "Und bald, so hofft man in Peking, auch für KI-Chips.",
    "Nvidia dominiert derzeit den Markt.",
    "DeepSeek hat kürzlich sein V3-Modell aktualisiert.",
    "Die USA versuchen seit Jahren, Chinas Zugang einzuschränken.",
    "in den kommenden Jahren",
    "in den letzten Jahren",
])
def test_vague_words_produce_no_timex(text):
    assert tag(text, DCT) == []


def test_offsets_and_order_over_a_paragraph():
    text = ("Am 18. September gab Huawei den Plan bekannt. Diese Woche folgte Alibaba, "
            "seit Ende August 2025 stieg die Aktie.")
    found = tag(text, DCT)
    assert [t.value for t in found] == ["2025-09-18", "2025-W38", "2025-08"]
    assert all(text[t.start:t.end] == t.text for t in found)
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_english_news_paragraph():
    text = ("Alibaba shares jumped 8% in Hong Kong on Tuesday after the company said it would raise $3.2 billion "
            "through convertible bonds. In the June quarter, revenue rose 2%, the company reported on Aug. 29. "
            "Nvidia halted production of its H20 chip last month. Cambricon posted a record profit for the first "
            "half of 2025 and plans to list early next year. Baidu's shares hit the highest level since October "
            "2024. About 2,000 employees work there. Mid-2026 the chip should ship; see the 5:50 mark.")
    got = [(t.text, t.value, t.precision, t.mod, t.interval) for t in tag(text, DCT, "en")]
    assert got == [
        ("Tuesday", "2025-09-16", "day", None, None),
        ("June quarter", "2025-Q2", "quarter", None, None),
        ("Aug. 29", "2025-08-29", "day", None, None),
        ("last month", "2025-08", "month", None, None),
        ("first half of 2025", "2025-H1", "half", None, None),
        ("early next year", "2026", "year", "START", None),
        ("since October 2024", "2024-10", "month", None, "since"),
        ("Mid-2026", "2026", "year", "MID", None),
    ]


def test_day_ranges_give_both_days():
    found = tag("Die Messe fand vom 1. bis 3. Oktober 2024 statt.", DCT)
    assert [(t.text, t.value, t.kind, t.interval) for t in found] == [
        ("1.", "2024-10-01", "explicit", None),
        ("bis 3. Oktober 2024", "2024-10-03", "explicit", "until"),
    ]
    assert tag("Platz 1. bis 3. im Ranking", DCT) == []


@pytest.mark.parametrize("text, lang, value, mod, interval", [
    ("bis Ende des Jahres", "de", "2025", "END", "until"),
    ("Anfang der Woche", "de", "2025-W38", "START", None),
    ("Ende des dritten Quartals", "de", "2025-Q3", "END", None),
    ("seit Jahresbeginn", "de", "2025", "START", "since"),
    ("by the end of the year", "en", "2025", "END", "until"),
    ("at the start of the quarter", "en", "2025-Q3", "START", None),
    ("end-August 2025", "en", "2025-08", "END", None),
])
def test_edges_of_the_current_period(text, lang, value, mod, interval):
    t = one(text, lang=lang)
    assert (t.value, t.mod, t.interval) == (value, mod, interval)


def test_generic_period_words_without_a_modifier_are_not_dates():
    assert tag("in der Woche arbeitet er, am Ende des Tages", DCT) == []
    assert tag("the year was good", DCT, "en") == []


def test_year_ranges_give_both_years_but_identifiers_none():
    assert [t.value for t in tag("im Zeitraum 2020-2025", DCT)] == ["2020", "2025"]
    assert [t.value for t in tag("im Zeitraum 2020–2025", DCT)] == ["2020", "2025"]
    assert tag("das Modell Qwen-2025 und die RTX 2080", DCT) == []
    season = one("in der Saison 2024/25")
    assert (season.text, season.value, season.fiscal) == ("2024", "2024", False)


def test_tickers_thousands_and_clock_times_are_not_dates():
    text = ("Anta (2020.HK) und Alibaba (9988.HK) stiegen; 20.000 Mitarbeiter, 2.025 Aktien, "
            "um 20.15 Uhr schloss der Index bei 42.000 Punkten.")
    assert tag(text, DCT) == []


@pytest.mark.parametrize("text, value, interval", [
    ("Die Frist läuft bis Freitag.", "2025-09-26", "until"),
    ("Ab Montag gelten neue Regeln.", "2025-09-22", "since"),
    ("seit Montag", "2025-09-15", "since"),
    ("Bis Freitag hatte er gewartet.", "2025-09-19", "until"),
])
def test_weekday_intervals_look_ahead_unless_the_tense_says_otherwise(text, value, interval):
    t = one(text)
    assert (t.value, t.interval) == (value, interval)
