"""The general rules added after the held-out check, each on sentences that are NOT in the held-out
articles (so these tests check the rule, not the texts it was found on)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from tracker.events import sentence_events as SE
from tracker.events import triggers as T
from tracker.companies.registry import load_registry
from tracker.events.extract import extract_events
from tracker.articles.ingest import Article

PUBLISHED = date(2025, 6, 13)   # a Friday


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def events_of(registry, text: str, lang: str):
    article = Article(file="x.txt", path=Path("x.txt"), text=text, language=lang, published=PUBLISHED,
                      published_source="manifest", published_basis=None, source=None, url=None, title=None, sha1="x")
    return {(e.company, e.event_type): e for e in extract_events([article], registry)}


@pytest.mark.parametrize("lang, text, expected", [
    # partnership, with both partners of a coordinated subject and the day from the sentence
    ("de", "Alibaba und Nvidia haben am Mittwoch eine Kooperation bei KI-Rechenzentren vereinbart.",
     {("alibaba", "partnership", date(2025, 6, 11), "reported"), ("nvidia", "partnership", date(2025, 6, 11), "reported")}),
    # the other side of "eine Partnerschaft mit ..." is a partner too
    ("de", "Geely ging am Montag eine Partnerschaft mit dem Chipentwickler Horizon Robotics ein.",
     {("geely", "partnership", date(2025, 6, 9), "reported"),
      ("horizon_robotics", "partnership", date(2025, 6, 9), "reported")}),
    # a title without a company name quotes the company in focus
    ("de", "Lenovo hat neue Server vorgestellt. Konzernchef Yang Yuanqing sagte, die Nachfrage sei hoch.",
     {("lenovo", "product_launch", PUBLISHED, "reported"), ("lenovo", "management_commentary", PUBLISHED, "reported")}),
    ("en", "Baidu teamed up with Uber on Tuesday to deploy robotaxis in Asia.",
     {("baidu", "partnership", date(2025, 6, 10), "reported")}),
    # merger: German verb with an object noun, the day from the reporting clause
    ("de", "Baidu übernimmt den Rivalen iQiyi vollständig, teilte der Konzern am Dienstag mit.",
     {("baidu", "merger_acquisition", date(2025, 6, 10), "reported"),
      ("iqiyi", "merger_acquisition", date(2025, 6, 10), "reported")}),   # the target is a party too
    ("de", "Kuaishou hat keine Übernahme von Bilibili geplant, sagte ein Sprecher.",
     {("kuaishou", "merger_acquisition", PUBLISHED, "negated"), ("bilibili", "merger_acquisition", PUBLISHED, "negated")}),
    # legal
    ("de", "Xiaomi verklagt einen Zulieferer wegen Patentverletzung.", {("xiaomi", "legal", PUBLISHED, "reported")}),
    ("en", "Apple was sued by app developers on Wednesday over its App Store fees.",
     {("apple", "legal", date(2025, 6, 11), "reported")}),
    # earnings named by their period; dated by the day they were announced
    ("de", "Meituan hat im ersten Quartal einen Nettogewinn von 10 Milliarden Yuan erzielt, wie das Unternehmen "
           "am Montag mitteilte.", {("meituan", "earnings", date(2025, 6, 9), "reported")}),
    ("en", "SK Hynix's third-quarter operating profit tripled, the chipmaker said on Thursday.",
     {("sk_hynix", "earnings", date(2025, 6, 12), "reported")}),
    # raising an outlook is guidance, raising money is a capital raise
    ("en", "Samsung raised its annual dividend forecast on Tuesday.", {("samsung", "guidance", date(2025, 6, 10), "reported")}),
    ("en", "Tencent raised HK$10 billion from a bond sale on Friday.",
     {("tencent", "capital_raise", PUBLISHED, "reported")}),
    # a rumour source at the end of the sentence covers the whole sentence
    ("en", "Xpeng is weighing a share sale in Hong Kong, according to people familiar with the matter.",
     {("xpeng", "capital_raise", PUBLISHED, "rumoured")}),
    ("de", "BYD will Insidern zufolge in Europa an die Börse gehen.", {("byd", "listing", PUBLISHED, "rumoured")}),
    # a negation inside an English relative clause is about the object, not the event
    ("en", "Lenovo signed a contract with the government that does not include any chips.",
     {("lenovo", "contract", PUBLISHED, "reported")}),
    ("en", "The Commerce Department added Inspur to the Entity List on Wednesday.",
     {("inspur", "export_control", date(2025, 6, 11), "reported")}),
    # an abbreviation's period inside the regulator ... action span ("Mrd.") does not cut it
    ("de", "Bereits 2021 hatte die SAMR gegen Tencent eine Strafe von 1,5 Mrd. Yuan verhängt.",
     {("tencent", "regulatory_action", date(2021, 1, 1), "reported")}),
    ("de", "Die Aktie von NIO brach am Donnerstag um 8 Prozent ein.", {("nio", "stock_move", date(2025, 6, 12), "reported")}),
])
def test_rule(registry, lang, text, expected):
    got = {(c, t, e.event_date, e.status) for (c, t), e in events_of(registry, text, lang).items()}
    assert got == expected


@pytest.mark.parametrize("lang, text, absent", [
    ("de", "Der Konzern Tencent reichte seine Pflichtmitteilung an die Börse in Hongkong ein.", ("tencent", "listing")),
    ("en", "Xiaomi raises full-year outlook", ("xiaomi", "capital_raise")),
    ("en", "JD.com and Tencent announced a strategic partnership to sell JD's products in WeChat.", ("jd", "product_launch")),
    ("de", "Tencent hob die Prognose für die Investitionsausgaben an.", ("tencent", "investment")),
    ("de", "Die Behörde warf Meituan vor, Händler zur exklusiven Zusammenarbeit gezwungen zu haben.",
     ("meituan", "partnership")),
])
def test_rule_does_not_fire(registry, lang, text, absent):
    assert absent not in events_of(registry, text, lang)


def test_dateline_does_not_date_the_event(registry):
    e = events_of(registry, "SHANGHAI, June 13 - NIO's first-quarter results, released late on Tuesday, showed a "
                            "smaller loss.", "en")[("nio", "earnings")]
    assert (e.event_date, e.date_precision) == (date(2025, 6, 10), "day")


def test_period_and_release_day_of_results_merge(registry):
    events = events_of(registry, "Xiaomi verdient im ersten Quartal mehr als erwartet\n"
                                 "Wie Xiaomi am Mittwoch mitteilte, stieg der Umsatz im ersten Quartal um 20 Prozent.", "de")
    e = events[("xiaomi", "earnings")]
    assert (e.event_date, e.date_precision) == (date(2025, 6, 11), "day")
    assert len(e.sources) == 2 and "Mittwoch" in e.sources[1].evidence   # one event, both sentences cited


def test_stem_index_finds_exactly_the_cues_a_substring_test_finds():
    # The trie scan must select the same cues as testing every stem with `in`, including stems
    # inside other stems ("ipo" in "ipo-antrag") and overlapping ones.
    stems = sorted({s for cue in T.CUES for s in cue.stems})
    rng = random.Random(3)
    filler = ["der", "Konzern", "the", "x", " ", "-", "Aktie", "2025"]
    for _ in range(400):
        parts = [rng.choice(stems + filler) for _ in range(rng.randint(1, 8))]
        sentence = "".join(p if rng.random() < 0.5 else p + " " for p in parts)
        naive = sorted({n for n, cue in enumerate(T.CUES) if any(s in sentence.lower() for s in cue.stems)}
                       | {n for n, cue in enumerate(T.CUES) if not cue.stems})
        assert SE._cues_for(sentence) == naive, sentence
