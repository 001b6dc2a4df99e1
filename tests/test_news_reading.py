"""Reading news as it is written: referring phrases, side clauses, both parties of a deal, phrasings
of common events, modality, weekdays and datelines, release days and fiscal periods.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker.articles.docmeta import parse_datetime
from tracker.articles.ingest import Article, read_articles
from tracker.articles.sentences import split_sentences
from tracker.companies.registry import load_registry
from tracker.dates.dateline import read_dateline
from tracker.dates.release import precision_of_span
from tracker.events.extract import extract_events
from tracker.events.store import store_events
from tracker.events.focus import focal_company


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def art(text: str, published: date | None = date(2025, 9, 12), language: str = "de",
        published_at: datetime | None = None, file: str = "n.txt") -> Article:
    return Article(file=file, path=Path(file), text=text, language=language, published=published,
                   published_source="manifest", published_basis=None, source=None, url=None, title=None, sha1="x",
                   published_at=published_at)


def events_of(registry, text, published=date(2025, 9, 12), language="de", **kw):
    return extract_events([art(text, published, language, **kw)], registry)


def find(events, company, event_type):
    found = [e for e in events if e.company == company and e.event_type == event_type]
    assert len(found) == 1, f"expected one {company}/{event_type}, got {[(e.company, e.event_type) for e in events]}"
    return found[0]


def pairs(events):
    return {(e.company, e.event_type) for e in events}


# --- the focal company and referring phrases ------------------------------------------------------

def test_focal_company_is_most_named_in_headline_and_lead(registry):
    text = ("Xiaomi zieht an\nXiaomi hat ein neues Auto gezeigt, und Xiaomi will mehr davon bauen. "
            "Tencent und Alibaba schauen zu. Tencent, Tencent, Tencent.")
    mentions = registry.match(text)
    assert focal_company(text, mentions, lead_chars=90) == "xiaomi"
    assert focal_company("", []) is None


def test_a_company_neither_in_the_headline_nor_subject_of_the_lead_is_not_focal(registry):
    # The headline's company is one no registry knows; Tencent is only a customer in the lead.
    text = ("Zulieferer Quendor Robotics springt an der Börse\n"
            "Der Roboterbauer Quendor Robotics, der unter anderem Tencent beliefert, hat ein Rekordquartal gemeldet. "
            "Die Nachfrage aus Asien zog deutlich an. Viele Händler blieben dennoch vorsichtig. "
            "Die Aktie kletterte am Donnerstag um neun Prozent.")
    sentences = split_sentences(text)
    assert focal_company(text, registry.match(text), sentences) is None
    assert ("tencent", "stock_move") not in pairs(events_of(registry, text))
    # Named in the headline, the same company is what "die Aktie" means.
    text = "Tencent springt an der Börse\n" + text.split("\n", 1)[1]
    sentences = split_sentences(text)
    assert focal_company(text, registry.match(text), sentences) == "tencent"
    assert find(events_of(registry, text), "tencent", "stock_move").company_resolved_by == "focal"


def test_stock_sentence_far_from_the_name_belongs_to_the_focal_company(registry):
    text = ("Xiaomi im Aufwind\n"
            "Der Smartphonehersteller Xiaomi hat ein starkes Quartal hinter sich. "
            "Analysten hatten wenig erwartet. Die Nachfrage in China war schwach. Viele Händler blieben vorsichtig. "
            "Das Papier verlor am Donnerstag dennoch acht Prozent.")
    e = find(events_of(registry, text), "xiaomi", "stock_move")
    assert e.company_mention == "Das Papier"
    assert e.company_resolved_by == "focal"
    assert e.event_date == date(2025, 9, 11)
    assert e.evidence.startswith("Das Papier verlor")   # the evidence stays the sentence


def test_referring_phrase_takes_the_last_subject_not_the_focal_company(registry):
    text = ("Xiaomi legt zu\nXiaomi hat am Montag neue Modelle gezeigt. "
            "Tencent meldete derweil Zahlen. Der Konzern steigerte den Umsatz im zweiten Quartal um 15 Prozent.")
    events = events_of(registry, text)
    e = find(events, "tencent", "earnings")
    assert {s.evidence[:10] for s in e.sources} >= {"Der Konzer"}
    assert ("xiaomi", "earnings") not in pairs(events)


def test_english_the_company_and_its_shares(registry):
    text = ("Baidu beats estimates\nBaidu is China's largest search engine. "
            "The company posted record quarterly revenue on Tuesday. Its shares ended 4% higher on Wednesday.")
    events = events_of(registry, text, language="en")
    assert find(events, "baidu", "earnings").event_date == date(2025, 9, 9)
    move = find(events, "baidu", "stock_move")
    assert move.event_date == date(2025, 9, 10)
    assert move.company_resolved_by == "previous_subject"


def test_die_gesellschaft_and_der_hersteller_refer_back(registry):
    text = "BYD expandiert\nBYD baut ein Werk in Ungarn. Die Gesellschaft kündigte einen Aktienrückkauf an."
    assert find(events_of(registry, text), "byd", "other").company_mention == "Die Gesellschaft"


# --- side clauses, both parties, modality ---------------------------------------------------------

def test_relative_clause_about_owners_gives_them_no_event(registry):
    text = "Zhipu an der Börse\nZhipu, in das unter anderem Qualcomm und Softbank investiert haben, ging an die Börse."
    events = events_of(registry, text)
    assert ("zhipu", "listing") in pairs(events)
    assert not {c for c, _ in pairs(events)} & {"qualcomm", "softbank"}


def test_subject_relative_clause_is_the_antecedents_event(registry):
    text = "Baidu, which reported results on Tuesday, said it would hire more engineers."
    e = find(events_of(registry, text, language="en"), "baidu", "earnings")
    assert e.company_resolved_by == "relative"
    assert e.event_date == date(2025, 9, 9)


def test_main_clause_after_comma_is_not_a_relative_clause(registry):
    text = "Tencent legte Zahlen vor, die Aktie stieg um fünf Prozent."
    assert {("tencent", "earnings"), ("tencent", "stock_move")} <= pairs(events_of(registry, text))


@pytest.mark.parametrize("text, language", [
    ("BYD unterzeichnete einen Liefervertrag mit Xiaomi.", "de"),
    ("BYD hat mit Xiaomi einen Liefervertrag unterzeichnet.", "de"),
    ("BYD signed a deal with Xiaomi to supply batteries.", "en"),
])
def test_both_parties_of_a_supply_deal_get_the_event(registry, text, language):
    assert {("byd", "contract"), ("xiaomi", "contract")} <= pairs(events_of(registry, text, language=language))


def test_capital_spending_is_not_a_capital_raise(registry):
    events = events_of(registry, "Alibaba said it would raise capital spending on data centres.", language="en")
    assert ("alibaba", "capital_raise") not in pairs(events)


@pytest.mark.parametrize("text, language, status", [
    ("Cambricon plant, fast 4 Milliarden CNY aufzubringen, um Chips zu entwickeln.", "de", "planned"),
    ("Xiaomi erwägt eine Kapitalerhöhung.", "de", "considered"),
    ("Xiaomi is weighing a share sale, the company said.", "en", "considered"),
    ("Insidern zufolge erwägt Xiaomi eine Kapitalerhöhung.", "de", "rumoured"),
    ("Xiaomi said it would sell 1 billion new shares.", "en", "planned"),
    ("Xiaomi will raise $2 billion by selling new shares, it said.", "en", "planned"),
    ("Xiaomi hat 2 Milliarden Dollar eingesammelt.", "de", "reported"),
])
def test_modality_of_a_capital_raise(registry, text, language, status):
    events = events_of(registry, text, language=language)
    company = "cambricon" if "Cambricon" in text else "xiaomi"
    assert find(events, company, "capital_raise").status == status


# --- phrasings of common events -------------------------------------------------------------------

@pytest.mark.parametrize("text, language, company, event_type", [
    ("Meituan feierte am Dienstag ein fulminantes Börsendebüt in Hongkong.", "de", "meituan", "listing"),
    ("Am ersten Handelstag schloss die Meituan-Aktie 20 Prozent über dem Ausgabepreis.", "de", "meituan", "listing"),
    ("Shares of Meituan debuted on the Hong Kong exchange on Tuesday.", "en", "meituan", "listing"),
    ("Xiaomi bietet neue Aktien mit einem Abschlag von sechs Prozent an.", "de", "xiaomi", "capital_raise"),
    ("Die Aktienplatzierung von Xiaomi war mehrfach überzeichnet.", "de", "xiaomi", "capital_raise"),
    ("Xiaomi launched a top-up placement of 500 million shares.", "en", "xiaomi", "capital_raise"),
    ("Tencent kündigte einen Aktienrückkauf über zehn Milliarden Hongkong-Dollar an.", "de", "tencent", "other"),
    ("Tencent announced a HK$10 billion share buyback on Wednesday.", "en", "tencent", "other"),
    ("Tencent will buy back its own shares worth up to $1 billion.", "en", "tencent", "other"),
    ("Tencent will eigene Aktien im Wert von bis zu 1 Mrd. Euro zurückkaufen.", "de", "tencent", "other"),
    ("Xiaomi peilt für 2025 rund 350.000 Fahrzeuge an.", "de", "xiaomi", "guidance"),
    ("BYD will ab 2028 in Europa verkaufen.", "de", "byd", "product_launch"),
    ("Meituan plans to enter the Brazilian market next year.", "en", "meituan", "product_launch"),
    ("Baidu reported results on Wednesday.", "en", "baidu", "earnings"),
    ("Der Überschuss stieg im dritten Quartal um ein Drittel, wie Tencent am Dienstag mitteilte.", "de", "tencent",
     "earnings"),
    ("Am Mittwoch fiel die Xiaomi-Aktie um zwölf Prozent.", "de", "xiaomi", "stock_move"),
    ("Baidu shares were trading 7.5% lower on Thursday.", "en", "baidu", "stock_move"),
    ("Tencent senkte am Montag die Jahresziele.", "de", "tencent", "guidance"),
])
def test_phrasings(registry, text, language, company, event_type):
    assert (company, event_type) in pairs(events_of(registry, text, language=language))


def test_buyback_is_not_a_capital_raise(registry):
    events = events_of(registry, "Tencent kündigte einen Aktienrückkauf an.")
    assert ("tencent", "capital_raise") not in pairs(events)


def test_product_shown_on_named_future_days_is_planned_and_dated_then(registry):
    e = find(events_of(registry, "Xiaomi will das neue Auto auf einer Messe am 3. und 4. Oktober vorstellen.",
                       published=date(2025, 9, 20)), "xiaomi", "product_launch")
    assert (e.status, e.event_date, e.date_precision) == ("planned", date(2025, 10, 3), "day")


def test_product_presented_next_week_is_a_planned_week(registry):
    e = find(events_of(registry, "Das neue Modell von Xiaomi soll nächste Woche präsentiert werden."),
             "xiaomi", "product_launch")
    assert (e.status, e.event_date, e.date_precision) == ("planned", date(2025, 9, 15), "week")


# --- weekdays, apposition, datelines, the market's day --------------------------------------------

def test_weekday_in_past_tense_is_the_latest_such_day(registry):
    # published Friday 12 September 2025
    e = find(events_of(registry, "Baidu reported results on Wednesday.", language="en"), "baidu", "earnings")
    assert (e.event_date, e.date_precision, e.date_source) == (date(2025, 9, 10), "day", "relative")


def test_set_to_unveil_on_a_weekday_is_planned_then(registry):
    e = find(events_of(registry, "Xiaomi is set to unveil a new chip on Thursday.", published=date(2025, 9, 24),
                       language="en"), "xiaomi", "product_launch")
    assert (e.status, e.event_date) == ("planned", date(2025, 9, 25))


def test_weekday_in_future_tense_looks_forward(registry):
    e = find(events_of(registry, "Baidu will report results on Thursday.", language="en"), "baidu", "earnings")
    assert e.event_date == date(2025, 9, 18)
    assert e.status == "planned"


def test_full_date_in_apposition(registry):
    e = find(events_of(registry, "Xiaomi legte am Donnerstag, dem 26. Juni 2025, seine Quartalszahlen vor.",
                       published=date(2025, 6, 30)), "xiaomi", "earnings")
    assert (e.event_date, e.date_source) == (date(2025, 6, 26), "explicit")


def test_full_date_in_apposition_does_not_split_the_clause(registry):
    # the cue sits after the apposition's closing comma: the commas around the date are not clause breaks
    e = find(events_of(registry, "Xiaomi hat am Donnerstag, dem 26. Juni 2025, ein neues Elektroauto vorgestellt.",
                       published=date(2025, 6, 27)), "xiaomi", "product_launch")
    assert (e.event_date, e.date_source) == (date(2025, 6, 26), "explicit")
    e = find(events_of(registry, "On Thursday, June 26, Xiaomi unveiled a new electric SUV.", language="en",
                       published=date(2025, 6, 27)), "xiaomi", "product_launch")
    assert e.event_date == date(2025, 6, 26)
    # an ordinary comma after a weekday still separates clauses
    e = find(events_of(registry, "Am Montag fiel der Markt, Xiaomi stellte dann am Donnerstag ein Auto vor.",
                       published=date(2025, 6, 27)), "xiaomi", "product_launch")
    assert e.event_date == date(2025, 6, 26)


def test_english_explicit_results_day(registry):
    e = find(events_of(registry, "Baidu reported results on August 29, 2025.", language="en"), "baidu", "earnings")
    assert (e.event_date, e.date_source) == (date(2025, 8, 29), "explicit")


@pytest.mark.parametrize("text, published, day, year_given", [
    ("Frankfurt, 12. Mär (dpa) - Xiaomi", date(2025, 3, 13), date(2025, 3, 12), False),
    ("TAIPEI, March 3 (Reuters) - TSMC", date(2025, 3, 3), date(2025, 3, 3), False),
    ("Hongkong, 07. Sep: Xiaomi", date(2025, 9, 8), date(2025, 9, 7), False),
    ("HONG KONG, Dec 30 (Reuters) - Xiaomi", date(2026, 1, 2), date(2025, 12, 30), False),
    ("Peking, 5. Mai 2024 (dpa) - Baidu", date(2025, 1, 1), date(2024, 5, 5), True),
    ("Überschrift\nSHANGHAI, Oct. 9 - Baidu", date(2025, 10, 9), date(2025, 10, 9), False),
])
def test_datelines_take_the_publication_year(text, published, day, year_given):
    d = read_dateline(text, published)
    assert d is not None and (d.day, d.year_given) == (day, year_given)


def test_no_dateline_in_ordinary_sentences():
    assert read_dateline("Xiaomi, das am 12. März Zahlen vorlegte, wächst.", date(2025, 3, 13)) is None
    assert read_dateline("Frankfurt, 12. Mär (dpa) - Xiaomi", None) is None


def test_dateline_day_anchors_weekdays(registry):
    # filed Wednesday 12 March, published Friday 14 March: "am Dienstag" is 11 March
    text = "Frankfurt, 12. Mär (dpa) - Xiaomi hat am Dienstag einen Rekordumsatz gemeldet."
    e = find(events_of(registry, text, published=date(2025, 3, 14)), "xiaomi", "earnings")
    assert e.event_date == date(2025, 3, 11)


def test_us_evening_stamp_about_an_asian_thursday(registry):
    # Wednesday 10 September 2025, 21:30 in New York = Thursday 09:30 in Hong Kong
    at = datetime(2025, 9, 10, 21, 30, tzinfo=timezone(timedelta(hours=-4)))
    text = "Xiaomi shares jumped 6% on Thursday after the company unveiled a new phone."
    events = events_of(registry, text, published=date(2025, 9, 10), language="en", published_at=at)
    assert find(events, "xiaomi", "stock_move").event_date == date(2025, 9, 11)
    # without the clock time the same words mean the Thursday before
    events = events_of(registry, text, published=date(2025, 9, 10), language="en")
    assert find(events, "xiaomi", "stock_move").event_date == date(2025, 9, 4)


def test_parse_datetime_forms():
    assert parse_datetime("2025-09-10T21:30:00-04:00").utcoffset() == timedelta(hours=-4)
    assert parse_datetime("2025-09-10 21:30 America/New_York").utcoffset() == timedelta(hours=-4)
    assert parse_datetime("2025-09-10T13:30Z").utcoffset() == timedelta(0)
    assert parse_datetime("2025-09-10") is None
    assert parse_datetime("2025-09-10 21:30") is None   # no zone: the market's day is unknown


def test_manifest_time_reaches_the_article(tmp_path):
    (tmp_path / "a.txt").write_text("Xiaomi shares rose on Thursday.", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[article]]\nfile = "a.txt"\npublished = 2025-09-10T21:30:00-04:00\n', encoding="utf-8")
    articles, _ = read_articles([tmp_path])
    assert articles[0].published == date(2025, 9, 10)
    assert articles[0].published_at.utcoffset() == timedelta(hours=-4)


# --- release days and fiscal periods --------------------------------------------------------------

def test_results_day_phrase_takes_the_release_day(registry):
    text = "Xiaomi legte am Dienstag Quartalszahlen vor. Am Tag der Zahlen fiel die Aktie um fünf Prozent."
    e = find(events_of(registry, text), "xiaomi", "stock_move")
    assert (e.event_date, e.date_source) == (date(2025, 9, 9), "relative")


def test_release_day_and_fiscal_period_are_kept_apart(registry):
    text = "Tencent steigerte im zweiten Quartal den Umsatz um 15 Prozent, wie der Konzern am Mittwoch mitteilte."
    e = find(events_of(registry, text, published=date(2025, 8, 14)), "tencent", "earnings")
    assert (e.event_date, e.date_precision, e.fiscal_period) == (date(2025, 8, 13), "day", "2025-Q2")


def test_period_without_release_day_is_bounded_by_period_end_and_publication(registry):
    e = find(events_of(registry, "Cambricon meldete im ersten Halbjahr Rekordgewinne.", published=date(2025, 9, 19)),
             "cambricon", "earnings")
    assert (e.event_date, e.date_precision, e.date_source) == (date(2025, 7, 1), "quarter", "relative")
    assert e.date_value == "2025-07-01/2025-09-19"
    assert e.fiscal_period == "2025-H1"
    assert e.study_date == date(2025, 9, 19)   # not day-precise: the study takes the publication day


def test_fiscal_year_follows_the_company_year_end(registry):
    # Alibaba's year ends in March: its fiscal 2025 ended on 31 March 2025
    e = find(events_of(registry, "Alibaba steigerte im Geschäftsjahr 2025 den Gewinn deutlich.",
                       published=date(2025, 5, 20)), "alibaba", "earnings")
    assert e.fiscal_period == "2025-FY"
    assert e.event_date == date(2025, 4, 1)


def test_guidance_names_the_period_it_is_about(registry):
    text = "Xiaomi hob am Dienstag die Prognose für das Gesamtjahr 2025 an."
    e = find(events_of(registry, text), "xiaomi", "guidance")
    assert (e.event_date, e.fiscal_period) == (date(2025, 9, 9), "2025-FY")


def test_precision_of_a_bound():
    d = date(2025, 7, 1)
    assert [precision_of_span(d, d + timedelta(days=n)) for n in (0, 6, 30, 80, 150, 300)] == [
        "day", "week", "month", "quarter", "half", "year"]


def test_stored_events_carry_period_and_resolution(registry, tmp_path):
    from tracker.db import connect

    con = connect(tmp_path / "t.duckdb")
    text = "Xiaomi im Plus\nXiaomi legte Zahlen vor. Der Konzern steigerte im ersten Halbjahr den Gewinn."
    store_events(con, events_of(registry, text))
    rows = con.execute("SELECT fiscal_period, company_mention, company_resolved_by FROM events "
                       "WHERE company = 'xiaomi' AND event_type = 'earnings'").fetchall()
    assert rows == [("2025-H1", "Xiaomi", "name")] or rows == [("2025-H1", "Der Konzern", "same_sentence")] \
        or rows == [("2025-H1", "Der Konzern", "previous_subject")]


def test_a_pool_of_processes_gives_the_same_events(registry):
    from tracker.events.extract import extract_events as extract

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    articles, _ = read_articles([seeds])
    one = [e.to_dict() for e in extract(articles, registry, workers=1)]
    two = [e.to_dict() for e in extract(articles, registry, workers=2)]
    assert one == two and len(one) > 20


def test_modality_prefilter_never_hides_a_cue():
    from tracker.events import triggers as T
    from tracker.events.sentence_events import modality

    def slow(text):
        for status, pattern in (("negated", T.NEGATION), ("rumoured", T.RUMOUR), ("considered", T.CONSIDER),
                                ("planned", T.PLAN)):
            if pattern.search(text):
                return status
        return "reported"

    clauses = ["No deal was reached", "Es gibt keine Pläne", "Sie wollen expandieren", "It aims to grow",
               "Geplant ist ein IPO", "Insidern zufolge prüft Xiaomi", "the company might list", "BYD soll wachsen",
               "Xiaomi meldete Zahlen", "It is preparing to list", "Baidu never commented", "to be launched in May",
               "Die Übernahme scheiterte", "Reportedly, it weighs a sale", "Tencent expects to grow",
               "Xiaomi denkt über einen Börsengang nach", "Baidu may sell its stake", "It would list in May",
               "Meituan is mulling a buyback", "Tencent könnte Aktien zurückkaufen"]
    assert [modality(c) for c in clauses] == [slow(c) for c in clauses]


def test_wire_story_results_day_is_not_the_reaction_day(registry):
    text = ("Alibaba shares jump after cloud revenue beats forecasts\n"
            "HONG KONG, Aug 29 (Reuters) - Alibaba Group's Hong Kong-listed shares surged 18% on Friday after the "
            "e-commerce giant reported stronger-than-expected growth in its cloud unit.\n"
            "The Hangzhou-based company said late on Thursday that revenue at its cloud unit rose 26%.")
    events = events_of(registry, text, published=date(2025, 8, 29), language="en")
    assert find(events, "alibaba", "earnings").event_date == date(2025, 8, 28)
    assert find(events, "alibaba", "stock_move").event_date == date(2025, 8, 29)
    assert ("alibaba", "guidance") not in pairs(events)   # "beats forecasts" measures results


def test_dpa_style_results_story(registry):
    text = ("Xiaomi verdient deutlich mehr\n"
            "HONGKONG (dpa-AFX) - Der chinesische Smartphone-Hersteller Xiaomi hat im zweiten Quartal deutlich mehr "
            "verdient. Der bereinigte Nettogewinn stieg um 75 Prozent, wie das Unternehmen am Dienstag mitteilte. "
            "Für das Gesamtjahr peilt der Konzern nun 350.000 ausgelieferte Fahrzeuge an.\n"
            "Die Aktie legte am Mittwoch im Hongkonger Handel um sechs Prozent zu.")
    events = events_of(registry, text, published=date(2025, 8, 20))
    results = find(events, "xiaomi", "earnings")
    assert (results.event_date, results.fiscal_period) == (date(2025, 8, 19), "2025-Q2")
    assert find(events, "xiaomi", "stock_move").event_date == date(2025, 8, 20)
    assert find(events, "xiaomi", "guidance").company_mention == "der Konzern"


@pytest.mark.parametrize("text, published, language, company, event_type, day, precision, fiscal", [
    ("Baidu reported results on Wednesday.", date(2025, 9, 12), "en", "baidu", "earnings", date(2025, 9, 10), "day",
     None),
    ("Die Xiaomi-Aktie kletterte am Mittwoch um vier Prozent.", date(2025, 9, 10), "de", "xiaomi", "stock_move",
     date(2025, 9, 10), "day", None),
    ("Der Überschuss stieg im zweiten Quartal um 15 Prozent, wie Tencent am Mittwoch mitteilte.", date(2025, 8, 14),
     "de", "tencent", "earnings", date(2025, 8, 13), "day", "2025-Q2"),
    ("Alibaba steigerte im Geschäftsjahr 2025 den Gewinn.", date(2025, 5, 20), "de", "alibaba", "earnings",
     date(2025, 4, 1), "quarter", "2025-FY"),
])
def test_readme_date_examples(registry, text, published, language, company, event_type, day, precision, fiscal):
    """The examples README.md gives under "Reading the news" hold."""
    e = find(events_of(registry, text, published=published, language=language), company, event_type)
    assert (e.event_date, e.date_precision, e.fiscal_period) == (day, precision, fiscal)


@pytest.mark.parametrize("text, language", [
    ("Tencent agreed on Tuesday to acquire the rest of Meituan it does not own.", "en"),
    ("Tencent kündigte die Übernahme von Meituan an.", "de"),
])
def test_the_target_of_a_takeover_gets_the_event_too(registry, text, language):
    assert {("tencent", "merger_acquisition"), ("meituan", "merger_acquisition")} <= pairs(
        events_of(registry, text, language=language))


def test_results_the_evening_before_and_an_outlook_from_management(registry):
    text = ("Meituan-Aktie bricht ein\n"
            "Die Meituan-Aktie ist am Donnerstag in Hongkong um mehr als zehn Prozent eingebrochen. "
            "Der Essenslieferdienst hatte am Vorabend Zahlen für das zweite Quartal vorgelegt. "
            "Für das laufende Quartal rechnet das Management mit einem operativen Verlust.")
    events = events_of(registry, text, published=date(2025, 8, 28))
    results = find(events, "meituan", "earnings")
    assert (results.event_date, results.fiscal_period) == (date(2025, 8, 27), "2025-Q2")
    assert find(events, "meituan", "stock_move").event_date == date(2025, 8, 28)
    assert find(events, "meituan", "guidance").company_mention == "das Management"


@pytest.mark.parametrize("text, language, day", [
    ("Baidu reported results the previous evening.", "en", date(2025, 8, 27)),
    ("Baidu hatte am Vortag Zahlen vorgelegt.", "de", date(2025, 8, 27)),
    ("Die Papiere von Baidu gaben am Mittwoch um 6 Prozent nach.", "de", date(2025, 8, 27)),
])
def test_day_before_and_giving_way(registry, text, language, day):
    events = events_of(registry, text, published=date(2025, 8, 28), language=language)
    assert [e.event_date for e in events] == [day]


@pytest.mark.parametrize("text, day, precision", [
    ("Baidu reported revenue of $4.4 billion for the quarter ended June 30.", date(2025, 7, 1), "quarter"),
    ("Baidu said on Thursday revenue rose 5% in the three months to June 30.", date(2025, 8, 21), "day"),
])
def test_period_end_day_is_not_the_release_day(registry, text, day, precision):
    e = find(events_of(registry, text, published=date(2025, 8, 22), language="en"), "baidu", "earnings")
    assert (e.event_date, e.date_precision, e.fiscal_period) == (day, precision, "2025-Q2")


def test_storing_in_one_batch_with_a_result_still_open(registry, tmp_path):
    from tracker.articles.ingest import store_articles
    from tracker.db import connect

    con = connect(tmp_path / "t.duckdb")
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    articles, _ = read_articles([seeds])
    events = extract_events(articles, registry, workers=1)
    con.execute("SELECT 1 UNION ALL SELECT 2").fetchone()   # a caller's unfinished result
    assert store_articles(con, articles) == 5
    assert store_events(con, events) == len(events)
    stored = con.execute("SELECT count(*), count(DISTINCT id) FROM events").fetchone()
    sources = con.execute("SELECT count(*) FROM event_sources").fetchone()[0]
    assert stored == (len(events), len(events))
    assert sources == sum(len(e.sources) for e in events)
    tickers = con.execute("SELECT tickers FROM events WHERE company = 'alibaba' LIMIT 1").fetchone()[0]
    assert "BABA" in tickers


def test_reporting_clause_names_who_reported_and_a_role_compound_is_someone_else(registry):
    text = ("TSMC-Aktie: Umsatz im August kräftig gestiegen\n"
            "Der taiwanische Chipfertiger TSMC hat im August deutlich mehr umgesetzt. Der Umsatz kletterte im "
            "Jahresvergleich um 34 Prozent, wie der Apple-Zulieferer am Mittwoch in Hsinchu mitteilte. "
            "Die Aktie notierte in Taipeh zuletzt 1,2 Prozent fester.")
    events = events_of(registry, text, published=date(2025, 9, 10))
    assert find(events, "tsmc", "earnings").event_date == date(2025, 9, 10)
    assert find(events, "tsmc", "stock_move").evidence.startswith("Die Aktie notierte")
    assert {c for c, _ in pairs(events)} == {"tsmc"}   # not Apple, whose supplier TSMC is


def test_dateline_date_does_not_date_the_event_after_it(registry):
    text = "Hongkong, 07. September: Xiaomi hat am Freitag einen Rekordumsatz gemeldet."
    e = find(events_of(registry, text, published=date(2025, 9, 8)), "xiaomi", "earnings")
    assert (e.event_date, e.date_text) == (date(2025, 9, 5), "Freitag")


def test_announced_plans_and_offerings(registry):
    text = ("BYD-Aktie im Fokus\nDie Papiere von BYD verloren am Montag bis zu fünf Prozent. "
            "Zuvor hatte BYD angekündigt, ab 2026 auch in Japan Kleinwagen anzubieten. "
            "Zudem prüft der Konzern den Bau eines Werks in Europa.")
    events = events_of(registry, text, published=date(2025, 11, 3))
    entry = find(events, "byd", "product_launch")
    assert (entry.status, entry.event_date, entry.date_precision) == ("planned", date(2026, 1, 1), "year")
    assert find(events, "byd", "investment").status == "considered"
    text = ("Nio Inc. said on Wednesday it raised about $1.16 billion through an equity offering, sending its "
            "Hong Kong-listed shares down 8%. The electric carmaker sold 181.8 million class A shares at $6.35 each.")
    events = events_of(registry, text, published=date(2025, 9, 10), language="en")
    assert find(events, "nio", "capital_raise").event_date == date(2025, 9, 10)
    assert find(events, "nio", "stock_move").event_date == date(2025, 9, 10)
