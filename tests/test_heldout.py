"""The held-out check: six articles written for testing (tests/heldout/articles), labelled by hand
before the extractor ran on them. The floors below are what the extractor reached after the fixes
the check revealed (tests/heldout/README.md has the before/after record); a change that loses
events, dates or modality on unseen-style text fails here even when the seed score stays at 1.00.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.companies.registry import load_registry
from tracker.events.evaluate import evaluate, load_gold
from tracker.events.extract import extract_events
from tracker.articles.ingest import read_articles

HELDOUT = Path(__file__).resolve().parent / "heldout"
GOLD = HELDOUT / "gold.json"
ARTICLES = HELDOUT / "articles"
TAXONOMY = {"ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance", "product_launch",
            "contract", "partnership", "regulatory_action", "export_control", "stock_move",
            "management_commentary", "merger_acquisition", "investment", "legal", "other"}


@pytest.fixture(scope="module")
def heldout():
    articles, problems = read_articles([ARTICLES])
    return articles, problems, extract_events(articles, load_registry())


def test_heldout_gold_is_well_formed_and_quotes_the_texts(heldout):
    articles, problems, _ = heldout
    assert problems == []
    gold = load_gold(GOLD)
    texts = {a.file: a for a in articles}
    assert {a["file"] for a in gold["articles"]} == set(texts)
    assert {Path(f).suffix for f in texts} == {".txt", ".md", ".html"}
    assert sorted(a.language for a in articles) == ["de", "de", "de", "en", "en", "en"]
    for a in gold["articles"]:
        assert texts[a["file"]].published == date.fromisoformat(a["published"])
    registry = load_registry()
    ids = [e["id"] for e in gold["events"]]
    assert len(ids) == len(set(ids))
    for e in gold["events"]:
        assert e["event_type"] in TAXONOMY and registry.get(e["company"]) is not None, e["id"]
        assert e["status"] in ("reported", "planned", "rumoured", "negated")
        assert e["evidence"] in texts[e["article"]].text, e["id"]
        first, last = e["_window"]
        assert first <= last, e["id"]
        if e["status"] == "reported":
            assert last <= texts[e["article"]].published, e["id"]


def test_heldout_intake_drops_page_furniture(heldout):
    articles, _, _ = heldout
    html = next(a for a in articles if a.file.endswith(".html"))
    md = next(a for a in articles if a.file.endswith(".md"))
    assert html.text.startswith("US adds Chinese chip designers to Entity List")
    for furniture in ("cookies", "Sign in", "Related stories", "Nvidia reports record revenue", "newsletter"):
        assert furniture not in html.text
    assert "**" not in md.text and "](" not in md.text and "\n# " not in md.text


def test_heldout_score_stays_at_its_floor(heldout):
    _, _, events = heldout
    report = evaluate(GOLD, events)
    text = report.to_text()
    assert report.precision >= 0.95, text
    assert report.precision_by_article >= 0.95, text
    assert report.key_recall >= 0.96, text            # 29 of 30: "Pony AI" is not a registry alias yet
    assert report.key_recall_dated >= 0.96, text
    assert report.date_accuracy >= 0.95, text
    assert report.status_accuracy >= 0.95, text


@pytest.mark.parametrize("company, event_type, event_date, status", [
    ("tencent", "earnings", date(2025, 8, 13), "reported"),        # "am Mittwoch ... mitteilte", Q2 in the title
    ("hua_hong", "merger_acquisition", date(2025, 9, 1), "planned"),
    ("smic", "legal", date(2025, 9, 2), "reported"),               # "am Dienstag ... Klage eingereicht"
    ("horizon_robotics", "ipo_filing", date(2025, 9, 5), "negated"),
    ("xiaomi", "capital_raise", date(2025, 9, 5), "rumoured"),     # "Insidern zufolge"
    ("baidu", "partnership", date(2025, 10, 21), "reported"),      # "teilten ... am Dienstag mit"
    ("nvidia", "regulatory_action", date(2025, 9, 15), "reported"),
    ("amd", "capital_raise", date(2025, 9, 17), "negated"),        # "denied ... plans to raise capital"
    ("unitree", "ipo_filing", None, "rumoured"),                   # "people familiar with the matter said"
    ("byd", "earnings", date(2025, 8, 29), "reported"),            # not the dateline "BEIJING, Sept 1"
    ("geely", "merger_acquisition", date(2025, 8, 26), "reported"),  # "that it does not already own"
])
def test_heldout_hard_cases(heldout, company, event_type, event_date, status):
    _, _, events = heldout
    found = [e for e in events if e.company == company and e.event_type == event_type and not e.background]
    assert len(found) == 1, [(e.event_date, e.evidence) for e in found]
    assert found[0].status == status
    if event_date is not None:
        assert found[0].event_date == event_date
