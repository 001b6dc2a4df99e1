"""The second held-out check: twelve articles written for testing (tests/heldout2/articles), labelled
by hand before the extractor ran on them, while the rules were changed without looking at them.
The floors below are the scores recorded in tests/heldout2/README.md (first run, then after issues 15
and 16 landed); they only stop a regression. The target is issue 16's bar for real articles:
precision >= 0.85, main-event recall >= 0.80.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tracker.articles.ingest import read_articles
from tracker.companies.registry import load_registry
from tracker.events.evaluate import evaluate, load_gold
from tracker.events.extract import extract_events

HELDOUT = Path(__file__).resolve().parent / "heldout2"
GOLD = HELDOUT / "gold.json"
ARTICLES = HELDOUT / "articles"
TAXONOMY = {"ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance", "product_launch",
            "contract", "partnership", "regulatory_action", "export_control", "stock_move",
            "management_commentary", "merger_acquisition", "investment", "legal", "other"}
# the easternmost market these articles describe (Tokyo/Seoul): a page stamped in New York on Monday
# evening may report what happened on Tuesday there
ASIA_EAST = timezone(timedelta(hours=9))


@pytest.fixture(scope="module")
def heldout2():
    articles, problems = read_articles([ARTICLES])
    return articles, problems, extract_events(articles, load_registry())


def _latest_market_day(published) -> date:
    """The last calendar day an article stamped ``published`` can report on, in the eastern market's clock."""
    if isinstance(published, datetime):
        return published.astimezone(ASIA_EAST).date()
    return published


def test_heldout2_articles_ingest_cleanly(heldout2):
    articles, problems, _ = heldout2
    assert problems == []
    assert len(articles) == 12
    assert sorted(a.language for a in articles) == ["de"] * 8 + ["en"] * 4
    assert {Path(a.file).suffix for a in articles} == {".txt", ".md", ".html"}
    assert all(a.published_source == "manifest" for a in articles)
    for html in (a for a in articles if a.file.endswith(".html")):
        for furniture in ("Cookies", "cookies", "Anmelden", "Sign in", "Related stories", "Das könnte Sie",
                          "Newsletter", "newsletter", "Impressum", "Copyright"):
            assert furniture not in html.text, (html.file, furniture)
    md = next(a for a in articles if a.file.endswith(".md"))
    assert "**" not in md.text and "\n# " not in md.text and "\n## " not in md.text


def test_heldout2_gold_is_well_formed_and_quotes_the_texts(heldout2):
    articles, _, _ = heldout2
    gold = load_gold(GOLD)
    texts = {a.file: a for a in articles}
    manifest = {e["file"]: e for e in tomllib.loads((ARTICLES / "manifest.toml").read_text("utf-8"))["article"]}
    assert {a["file"] for a in gold["articles"]} == set(texts) == set(manifest)
    for a in gold["articles"]:
        assert texts[a["file"]].published == date.fromisoformat(a["published"])
    registry = load_registry()
    ids = [e["id"] for e in gold["events"]]
    assert len(ids) == len(set(ids))
    outside = set()
    for e in gold["events"]:
        assert e["event_type"] in TAXONOMY, e["id"]
        # a company outside the registry carries the Yahoo symbol of a listing the registry does not have
        if e["company"] in registry.companies:
            assert "listing" not in e, e["id"]
        else:
            listings = [e["listing"]] if isinstance(e.get("listing"), str) else e.get("listing") or []
            assert listings and all(registry.listing(s) is None for s in listings), e["id"]
            outside.add(e["company"])
        assert e["status"] in ("reported", "planned", "rumoured", "negated")
        assert e["evidence"] in texts[e["article"]].text, e["id"]
        first, last = e["_window"]
        assert first <= last, e["id"]
        if e["status"] == "reported":
            assert last <= _latest_market_day(manifest[e["article"]]["published"]), e["id"]
    for a in gold["allowed"]:
        assert a["event_type"] in TAXONOMY and a.get("why")
        assert a["company"] in registry.companies or a.get("listing"), a
        assert a.get("article") in (None, *texts), a
    # at least a third of the key events belong to companies the registry does not know
    key = [e for e in gold["events"] if e["key"]]
    assert len(key) >= 30 and 3 * sum(e["company"] in outside for e in key) >= len(key)


def test_heldout2_score_stays_at_its_floor(heldout2):
    _, _, events = heldout2
    report = evaluate(GOLD, events)
    text = report.to_text()
    # the registry alone (no securities table): companies outside it cannot be found
    assert report.precision >= 0.89, text
    assert report.precision_by_article >= 0.89, text
    assert report.key_recall >= 0.43, text          # 14 of 32
    assert report.key_recall_dated >= 0.43, text
    assert report.date_accuracy >= 0.75, text
    assert report.status_accuracy >= 0.90, text


SHARED_COMPANIES = Path(__file__).resolve().parent.parent.parent / "shared" / "companies"


def test_heldout2_score_with_the_listed_world_loaded(tmp_path):
    """With the SEC and FinanceDatabase lists loaded (`tracker companies update --companies-dir`), the
    companies outside the registry are found and scored through the gold's `listing`."""
    if not SHARED_COMPANIES.is_dir():
        pytest.skip("../shared/companies is not beside the repository")
    from tracker import pipeline
    from tracker.companies.securities import load_financedatabase, load_sec, store_securities
    from tracker.db import connect

    con = connect(tmp_path / "h2.duckdb")
    store_securities(con, [load_sec(SHARED_COMPANIES / "sec_company_tickers_exchange.json"),
                           load_financedatabase(SHARED_COMPANIES / "financedatabase")])
    extracted = pipeline.extract(con, [ARTICLES], online_lookup=False)
    report = evaluate(GOLD, extracted.events)
    text = report.to_text()
    assert report.precision >= 0.79, text
    assert report.key_recall >= 0.74, text          # 24 of 32
    assert report.key_recall_dated >= 0.68, text
    assert report.status_accuracy >= 0.90, text
