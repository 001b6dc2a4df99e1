"""Event extraction: governing company, modality, background, dates, merging, ids, storage."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from tracker.companies.registry import load_registry
from tracker.events.extract import extract_events
from tracker.events.store import store_events
from tracker.articles.ingest import Article, read_articles


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def seed_events(registry):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    articles, _ = read_articles([seeds])
    return articles, extract_events(articles, registry)


def art(text: str, published: date | None = date(2025, 9, 12), file: str = "a.txt", language: str = "de") -> Article:
    return Article(file=file, path=Path(file), text=text, language=language, published=published,
                   published_source="manifest", published_basis=None, source=None, url=None, title=None, sha1="x")


def pairs(events) -> set[tuple[str, str]]:
    return {(e.company, e.event_type) for e in events}


def one(events, company, event_type):
    found = [e for e in events if e.company == company and e.event_type == event_type]
    assert len(found) == 1, f"expected one {company}/{event_type}, got {[(e.event_date, e.evidence) for e in found]}"
    return found[0]


# --- the seeds: key events with their dates ----------------------------------------------------

@pytest.mark.parametrize("company, event_type, event_date, precision, date_source", [
    ("huawei", "product_launch", date(2025, 9, 18), "day", "relative"),         # "Am 18. September"
    ("alibaba", "capital_raise", date(2025, 9, 8), "week", "relative"),         # "diese Woche" = 2025-W37
    ("oracle", "guidance", date(2025, 9, 8), "week", "relative"),
    # "meldete im ersten Halbjahr": released after 30 June and by publication (2025-09-19)
    ("cambricon", "earnings", date(2025, 7, 1), "quarter", "relative"),
    ("alibaba", "earnings", date(2025, 8, 1), "month", "explicit"),             # "für August 2025"
    ("baidu", "contract", date(2025, 9, 19), "day", "publication"),
    ("sensetime", "ipo_filing", date(2021, 8, 30), "day", "publication"),
    ("cloudwalk", "ipo_approval", date(2021, 8, 30), "day", "publication"),
    ("deepseek", "product_launch", date(2025, 8, 29), "day", "publication"),    # "kürzlich" is vague
    ("nvidia", "export_control", date(2025, 8, 29), "day", "publication"),
])
def test_seed_key_events(seed_events, company, event_type, event_date, precision, date_source):
    _, events = seed_events
    e = one(events, company, event_type)
    assert (e.event_date, e.date_precision, e.date_source) == (event_date, precision, date_source)
    assert e.status in ("reported", "planned") and not e.background


def test_seed_nvidia_regulatory_actions_this_week_and_summer(seed_events):
    _, events = seed_events
    actions = sorted((e for e in events if e.company == "nvidia" and e.event_type == "regulatory_action"),
                     key=lambda e: e.event_date)
    assert [(e.date_value, e.article[:3]) for e in actions] == [("2025-06/2025-08", "002"), ("2025-08-29", "003"),
                                                                  ("2025-W38", "002")]
    # The CAC sentence never names Nvidia: the RTX Pro 6000D does.
    assert "RTX Pro 6000D" in actions[-1].evidence and "Nvidia" not in actions[-1].evidence
    assert actions[-1].study_date == date(2025, 9, 19)   # week precision: the publication date


def test_seed_cambricon_raise_via_anaphor_is_planned_capital_raise(seed_events):
    articles, events = seed_events
    e = one(events, "cambricon", "capital_raise")
    assert e.evidence.startswith("Trotz starken Umsatzwachstums hat das Unternehmen")
    assert e.headline == "Cambricon raises CNY 4bn"
    assert len(e.sources) == 3   # the plan, the "Methode ... Kapital ... zu beschaffen" and the summary


def test_seed_headlines(seed_events):
    _, events = seed_events
    assert one(events, "alibaba", "capital_raise").headline == "Alibaba raises $3.2bn in convertible bonds"
    assert one(events, "baidu", "contract").headline == "Baidu signs CNY 1bn contract"
    assert one(events, "huawei", "product_launch").headline == "Huawei unveils chip roadmap"
    assert one(events, "alibaba", "product_launch").headline == "Alibaba updates Qwen models"


def test_seed_background_facts(seed_events):
    _, events = seed_events
    background = {(e.company, e.event_type, e.date_value) for e in events if e.background}
    assert background == {("sensetime", "other", "2014"), ("cambricon", "other", "2016"),
                          ("cambricon", "listing", "2020"), ("sensetime", "export_control", "2019")}
    assert all(e.study_date is None for e in events if e.background)
    # The founding is reported by 000 and 001: one event, two sources.
    founding = one(events, "sensetime", "other")
    assert sorted(s.article[:3] for s in founding.sources) == ["000", "001"]


def test_seed_passing_mentions_are_not_events(seed_events):
    _, events = seed_events
    found = pairs(events)
    for company in ("amd", "intel", "asml", "tsmc", "smic", "jd", "meituan", "tencent", "openai", "meta", "alphabet"):
        assert not [p for p in found if p[0] == company], company


def test_seed_evidence_offsets_exact(seed_events):
    articles, events = seed_events
    texts = {a.file: a.text for a in articles}
    for e in events:
        assert texts[e.article][e.evidence_start:e.evidence_end] == e.evidence
        for s in e.sources:
            assert texts[s.article][s.evidence_start:s.evidence_end] == s.evidence


def test_seed_tickers_are_all_listings(seed_events, registry):
    _, events = seed_events
    alibaba = one(events, "alibaba", "capital_raise")
    assert set(alibaba.tickers) == {l.symbol for l in registry.get("alibaba").listings} >= {"BABA", "9988.HK"}
    assert one(events, "huawei", "product_launch").tickers == []


# --- governing company -------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Nvidia dominiert derzeit den Markt für KI-Chips; selbst Advanced Micro Devices (AMD) und Intel sind überholt.",
    "ASML verfügt über die Technologie für High-End-Chipfertigungsanlagen, während TSMC den Großteil der Chips "
    "herstellt, aber aufgrund von US-Sanktionen mit vielen chinesischen Unternehmen nicht zusammenarbeiten darf.",
    "\"China wird noch viele weitere DeepSeek-Momente erleben, in denen das Land ein starkes Wachstum verzeichnet\", "
    "sagte Francis Tan, Chief Strategy Officer bei CA Indosuez.",
    "Cloudwalk Technologies könnte es noch vor SenseTime schaffen",
])
def test_no_event(registry, sentence):
    assert extract_events([art(sentence)], registry) == []


def test_two_clauses_two_companies(registry):
    events = extract_events([art("Die Aktie von Alibaba schießt in die Höhe, Baidu legt zweistellig zu.")], registry)
    assert pairs(events) == {("alibaba", "stock_move"), ("baidu", "stock_move")}


def test_list_of_companies_shares_the_cue(registry):
    events = extract_events([art("Auch Yitu, Megvii und Cloudwalk bereiten sich gerade auf Börsengänge vor.")], registry)
    assert pairs(events) == {("yitu", "listing"), ("megvii", "listing"), ("cloudwalk", "listing")}
    assert {e.status for e in events} == {"planned"}


def test_compared_company_is_not_the_actor(registry):
    text = ("Die Börse habe den IPO-Antrag von Cloudwalk bewilligt.\n"
            "Das Unternehmen, das genau wie SenseTime Gesichtserkennung entwickelt, bereite sich auf seine Roadshow vor.")
    events = extract_events([art(text)], registry)
    assert pairs(events) == {("cloudwalk", "ipo_approval"), ("cloudwalk", "listing")}


def test_anaphor_refers_to_previous_subject(registry):
    text = ("Alibaba hat diese Woche 3,2 Milliarden US-Dollar an Wandelanleihen aufgenommen. "
            "Zudem stellte das Unternehmen neue Qwen-Modelle vor, die mit DeepSeek konkurrieren sollen.")
    events = extract_events([art(text)], registry)
    launch = one(events, "alibaba", "product_launch")
    assert launch.status == "reported"   # "sollen" belongs to the relative clause
    assert ("deepseek", "product_launch") not in pairs(events)


def test_executive_speech_versus_analyst(registry):
    exec_text = "Wang Zheng, CFO von SenseTime, betonte, wie wichtig Kapital ist."
    analyst = "\"Alibaba ist gut aufgestellt\", sagte Paul Pong, Geschäftsführer von Pegasus Fund Managers."
    assert pairs(extract_events([art(exec_text)], registry)) == {("sensetime", "management_commentary")}
    assert extract_events([art(analyst)], registry) == []


def test_english_sentence(registry):
    text = "Alibaba raised $3.2 billion in convertible bonds this week, the company said."
    (e,) = extract_events([art(text, language="en")], registry)
    assert (e.event_type, e.date_precision, e.date_value) == ("capital_raise", "week", "2025-W37")
    assert e.headline == "Alibaba raises $3.2bn in convertible bonds"


# --- modality ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, status", [
    ("SenseTime habe seinen IPO-Antrag in Hongkong abgegeben, berichtete das Wirtschaftsmagazin Caixin.", "reported"),
    ("Yitu bereitet sich Medienberichten zufolge auf einen Börsengang in Hongkong vor.", "rumoured"),
    ("Cloudwalk könnte es als erstes Unternehmen an die Börse schaffen.", "considered"),
    ("Cambricon plant, fast 4 Milliarden CNY aufzubringen.", "planned"),
    ("Alibaba will eine Wandelanleihe platzieren.", "planned"),
    ("Baidu hat keine Kapitalerhöhung beschlossen.", "negated"),
    ("Xiaomi hat den Börsenprospekt nicht eingereicht.", "negated"),
])
def test_modality(registry, sentence, status):
    (e,) = extract_events([art(sentence)], registry)
    assert e.status == status


def test_negated_event_is_not_studied(registry):
    (e,) = extract_events([art("Baidu hat keine Kapitalerhöhung beschlossen.")], registry)
    assert e.study_date is None


# --- dates -------------------------------------------------------------------------------------

def test_since_interval_does_not_date_a_move(registry):
    (e,) = extract_events([art("Die Baidu-Aktie stieg um fast 13 % und erreichte den höchsten Stand seit Oktober 2024.")], registry)
    assert (e.event_date, e.date_source, e.study_date) == (date(2025, 9, 12), "publication", date(2025, 9, 12))


@pytest.mark.parametrize("sentence, event_date, study_date, background", [
    ("Am 10. September hat Alibaba eine Wandelanleihe platziert.", date(2025, 9, 10), date(2025, 9, 10), False),
    ("Alibaba hat im Juli 2025 eine Wandelanleihe platziert.", date(2025, 7, 1), date(2025, 9, 12), False),
    ("Alibaba hat 2019 eine Wandelanleihe platziert.", date(2019, 1, 1), None, True),
    ("Cambricon Technologies, gegründet 2016 und seit 2020 am STAR-Board notiert, ist gefragt.", date(2016, 1, 1), None, True),
])
def test_study_date_rule(registry, sentence, event_date, study_date, background):
    e = next(e for e in extract_events([art(sentence)], registry) if e.event_type in ("capital_raise", "other"))
    assert (e.event_date, e.study_date, e.background) == (event_date, study_date, background)


def test_listing_dated_by_since(registry):
    events = extract_events([art("Cambricon Technologies, gegründet 2016 und seit 2020 am STAR-Board notiert, ist gefragt.")], registry)
    listing = one(events, "cambricon", "listing")
    assert (listing.date_value, listing.background) == ("2020", True)


def test_article_without_date_keeps_explicit_dates_only(registry):
    events = extract_events([art("Am 10.09.2025 hat Alibaba eine Wandelanleihe platziert. Diese Woche investierte Baidu in Chips.",
                                 published=None)], registry)
    alibaba = one(events, "alibaba", "capital_raise")
    assert (alibaba.event_date, alibaba.study_date) == (date(2025, 9, 10), None)
    baidu = one(events, "baidu", "investment")
    assert (baidu.event_date, baidu.date_source) == (None, "publication")


# --- merging, ids, storage ---------------------------------------------------------------------

TWO = [
    art("Alibaba hat diese Woche 3,2 Milliarden US-Dollar an Wandelanleihen aufgenommen.", date(2025, 9, 12), "b.txt"),
    art("Der Konzern Alibaba platzierte am Donnerstag eine Wandelanleihe über 3,2 Milliarden Dollar.", date(2025, 9, 11), "a.txt"),
]


def test_same_event_in_two_articles_is_merged(registry):
    (e,) = extract_events(TWO, registry)
    assert sorted(s.article for s in e.sources) == ["a.txt", "b.txt"]
    assert e.published == date(2025, 9, 11)                          # the first report
    assert (e.event_date, e.date_precision) == (date(2025, 9, 11), "day")   # the finest date wins
    assert e.study_date == date(2025, 9, 11)
    assert e.id == hashlib.sha1(b"alibaba|capital_raise|2025-W37").hexdigest()[:16]
    assert e.to_dict()["sources"] == ["a.txt", "b.txt"]


def test_ids_stable_across_runs_and_order(registry, seed_events):
    articles, events = seed_events
    again = extract_events(list(reversed(articles)), load_registry())
    assert sorted(e.id for e in again) == sorted(e.id for e in events)
    assert len({e.id for e in events}) == len(events)


def test_store_events_idempotent(con, registry, seed_events):
    _, events = seed_events
    assert store_events(con, events) == len(events)
    first = con.execute("SELECT * FROM events ORDER BY id").fetchall()
    sources = con.execute("SELECT * FROM event_sources ORDER BY ALL").fetchall()
    store_events(con, events)
    assert con.execute("SELECT * FROM events ORDER BY id").fetchall() == first
    assert con.execute("SELECT * FROM event_sources ORDER BY ALL").fetchall() == sources
    assert len(sources) == sum(len(e.sources) for e in events)
    row = con.execute("SELECT tickers, study_date, background FROM events WHERE company = 'alibaba' "
                      "AND event_type = 'capital_raise'").fetchone()
    assert "BABA" in row[0] and row[1] == date(2025, 9, 12) and row[2] is False


def test_store_events_replaces_an_articles_old_events(con, registry):
    store_events(con, extract_events([TWO[0]], registry))
    changed = art("Baidu hat einen Vertrag mit China Mobile unterzeichnet.", date(2025, 9, 12), "b.txt")
    store_events(con, extract_events([changed], registry))
    # both parties of a contract get the event
    assert sorted(con.execute("SELECT company, event_type FROM events").fetchall()) == [
        ("baidu", "contract"), ("china_mobile", "contract")]


# --- more general cases (not from the seeds) ---------------------------------------------------

def test_results_are_dated_by_their_announcement_and_merged_with_the_follow_up(registry):
    text = ("Tencent hat im dritten Quartal den Umsatz um 15 Prozent gesteigert, teilte der Konzern am Dienstag mit. "
            "Der Internetkonzern meldete einen Nettogewinn von 63 Milliarden Yuan.")
    (e,) = extract_events([art(text, date(2025, 11, 13))], registry)
    assert (e.company, e.event_type, e.event_date, e.date_precision) == ("tencent", "earnings", date(2025, 11, 11), "day")
    assert len(e.sources) == 2 and e.study_date == date(2025, 11, 11)


def test_reported_event_is_not_dated_after_publication(registry):
    text = "Nvidia said on Wednesday it expects third-quarter revenue of $54 billion."
    (e,) = extract_events([art(text, date(2025, 8, 28), language="en")], registry)
    assert (e.event_type, e.event_date, e.date_precision) == ("guidance", date(2025, 8, 27), "day")


def test_regulator_acts_against_the_named_company(registry):
    events = extract_events([art("Die EU-Kommission verhängte gegen Meta eine Strafe von 800 Millionen Euro.")], registry)
    assert pairs(events) == {("meta", "regulatory_action")}


def test_negated_headline_says_so(registry):
    (e,) = extract_events([art("Baidu did not announce a new model.", language="en")], registry)
    assert (e.status, e.headline) == ("negated", "Baidu: no product launch (denied or not done)")


@pytest.mark.parametrize("sentence, headline", [
    ("Samsung investiert 10 Milliarden Dollar in eine neue Fabrik in Texas.", "Samsung Electronics invests $10bn"),
    ("Tesla plans to raise $5 billion through a share sale, people familiar with the matter said.", "Tesla plans to raise $5bn"),
    ("Die Tencent-Aktie legte in Hongkong um 4 % zu.", "Tencent shares +4%"),
    ("Die Alibaba-Aktie fiel um 6,5 %.", "Alibaba shares -6.5%"),
])
def test_headline_templates(registry, sentence, headline):
    events = extract_events([art(sentence, language="en" if "Tesla" in sentence else "de")], registry)
    assert [e.headline for e in events] == [headline]


def test_plan_governs_a_chain_of_infinitive_clauses(registry):
    text = "Cambricon plant, fast 4 Milliarden CNY aufzubringen, um in KI-Chips und -Software zu investieren."
    events = extract_events([art(text)], registry)
    assert {(e.event_type, e.status) for e in events} == {("capital_raise", "planned"), ("investment", "planned")}
