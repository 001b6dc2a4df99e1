"""The gold-file scorer, the seed gold file's integrity, and the seed score itself."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.events.evaluate import evaluate, load_gold
from tracker.articles.ingest import read_articles

GOLD = Path(__file__).resolve().parent / "gold" / "seeds.json"
TAXONOMY = {"ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance", "product_launch",
            "contract", "partnership", "regulatory_action", "export_control", "stock_move",
            "management_commentary", "merger_acquisition", "investment", "legal", "other"}


def _gold(tmp_path, events, allowed=()):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"format": "tracker-gold/1", "events": events, "allowed": list(allowed)}))
    return path


def _g(company, event_type, window, key=True, id=None):
    return {"id": id or f"{company}-{event_type}", "company": company, "event_type": event_type,
            "date_window": window, "key": key}


def _p(company, event_type, day, evidence="..."):
    return {"company": company, "event_type": event_type, "event_date": day, "evidence": evidence}


def test_scores(tmp_path):
    gold = _gold(tmp_path, [
        _g("alibaba", "capital_raise", ["2025-09-08", "2025-09-12"]),
        _g("baidu", "stock_move", ["2025-09-08", "2025-09-12"]),
        _g("oracle", "guidance", ["2025-09-08", "2025-09-12"]),
        _g("huawei", "product_launch", ["2025-09-18", "2025-09-18"], key=False),
    ], allowed=[{"company": "alibaba", "event_type": "investment"}])
    predicted = [
        _p("alibaba", "capital_raise", date(2025, 9, 8)),
        _p("alibaba", "investment", date(2025, 9, 8)),          # allowed
        _p("baidu", "stock_move", "2025-09-19"),                 # right pair, date outside
        _p("nvidia", "earnings", date(2025, 9, 1), "Nvidia dominiert den Markt"),   # false positive
        _p("nvidia", "earnings", date(2025, 9, 2), "Nvidia dominiert den Markt"),   # ... counted once as a pair
        _p("huawei", "product_launch", date(2025, 9, 18)),
    ]
    report = evaluate(gold, predicted)
    assert report.precision == 0.8                  # 4 of 5 distinct pairs
    assert report.precision_events == pytest.approx(4 / 6, abs=1e-4)
    assert report.key_recall == pytest.approx(2 / 3, abs=1e-4)
    assert report.key_recall_dated == pytest.approx(1 / 3, abs=1e-4)
    assert report.date_accuracy == pytest.approx(2 / 3, abs=1e-4)   # 3 found gold events, 2 in window
    assert {m["id"] for m in report.misses} == {"oracle-guidance", "baidu-stock_move"}
    assert "outside" in next(m["reason"] for m in report.misses if m["id"] == "baidu-stock_move")
    assert [f["company"] for f in report.false_positives] == ["nvidia", "nvidia"]
    assert not report.meets_targets()
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["precision"] == 0.8 and as_json["false_positives"][0]["event_type"] == "earnings"
    table = report.to_text()
    assert "precision (company, type pairs)    0.80" in table and "oracle-guidance" in table and "nvidia" in table


def test_several_gold_events_of_one_pair_match_by_window(tmp_path):
    gold = _gold(tmp_path, [
        _g("nvidia", "regulatory_action", ["2025-09-15", "2025-09-19"], id="cac"),
        _g("nvidia", "regulatory_action", ["2025-06-01", "2025-08-31"], id="summer"),
    ])
    report = evaluate(gold, [_p("nvidia", "regulatory_action", date(2025, 6, 1)),
                             _p("nvidia", "regulatory_action", date(2025, 9, 15))])
    assert report.key_recall_dated == 1.0 and report.misses == []


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"events": 3}', "no \"events\" list"),
    ('{"events": [{"company": "x", "event_type": "earnings"}]}', "lacks date_window"),
    ('{"events": [{"company": "x", "event_type": "earnings", "date_window": ["soon", "later"]}]}', "YYYY-MM-DD"),
])
def test_bad_gold_files(tmp_path, content, message):
    path = tmp_path / "g.json"
    path.write_text(content)
    with pytest.raises(TrackerError, match=message):
        load_gold(path)


def test_missing_gold_file(tmp_path):
    with pytest.raises(TrackerError, match="not found"):
        evaluate(tmp_path / "nope.json", [])


# --- the shipped seed gold file ----------------------------------------------------------------

def test_seed_gold_is_well_formed_and_quotes_the_texts(seeds_dir):
    gold = load_gold(GOLD)
    articles, _ = read_articles([seeds_dir])
    texts = {a.file: a for a in articles}
    assert {a["file"] for a in gold["articles"]} == set(texts)
    for a in gold["articles"]:
        assert texts[a["file"]].published == date.fromisoformat(a["published"])   # same dates as the manifest
    ids = [e["id"] for e in gold["events"]]
    assert len(ids) == len(set(ids))
    for e in gold["events"]:
        assert e["event_type"] in TAXONOMY
        assert e["status"] in ("reported", "planned", "rumoured", "negated")
        assert e["evidence"] in texts[e["article"]].text, e["id"]
        first, last = e["_window"]
        assert first <= last, e["id"]
        if e["status"] == "reported":   # only plans and rumours may point past publication
            assert last <= texts[e["article"]].published, e["id"]
    assert all(a["event_type"] in TAXONOMY for a in gold["allowed"])
    assert sum(e["key"] for e in gold["events"]) == 15


def test_seed_score_meets_targets(seeds_dir):
    from tracker.companies.registry import load_registry
    from tracker.events.extract import extract_events

    articles, _ = read_articles([seeds_dir])
    report = evaluate(GOLD, extract_events(articles, load_registry()))
    assert report.key_recall_dated == 1.0, report.to_text()
    assert report.precision >= 0.9, report.to_text()


def test_per_article_precision_and_status(tmp_path):
    # A right pair in one article must not hide the same pair wrongly found in another, and a
    # rumour extracted as a reported fact is a status error.
    gold = _gold(tmp_path, [
        dict(_g("xiaomi", "capital_raise", ["2025-09-01", "2025-09-05"]), article="a.txt", status="rumoured"),
        dict(_g("byd", "contract", ["2025-09-01", "2025-09-05"]), article="a.txt", status="reported"),
    ], allowed=[{"company": "byd", "event_type": "partnership", "article": "a.txt"}])
    predicted = [
        dict(_p("xiaomi", "capital_raise", date(2025, 9, 5)), sources=["a.txt", "b.txt"], status="reported"),
        dict(_p("byd", "contract", date(2025, 9, 2)), sources=["a.txt"], status="reported"),
        dict(_p("byd", "partnership", date(2025, 9, 2)), sources=["b.txt"], status="reported"),
    ]
    report = evaluate(gold, predicted)
    assert report.precision == 1.0                              # every pair is labelled somewhere
    assert report.precision_by_article == pytest.approx(0.5)    # 2 of 4 (article, company, type) triples
    assert {(f["article"], f["company"], f["event_type"]) for f in report.article_false_positives} == {
        ("b.txt", "xiaomi", "capital_raise"), ("b.txt", "byd", "partnership")}
    assert report.status_accuracy == 0.5
    assert report.status_errors == [{"id": "xiaomi-capital_raise", "got": "reported", "want": "rumoured"}]
    assert "status differs" in report.to_text() and "not labelled for that article" in report.to_text()


def test_date_accuracy_by_precision_fiscal_period_and_per_article(tmp_path):
    events = [
        dict(_g("tencent", "earnings", ["2025-08-13", "2025-08-13"]), article="a.txt", fiscal_period="2025-Q2"),
        dict(_g("xiaomi", "stock_move", ["2025-08-13", "2025-08-13"]), article="a.txt"),
        dict(_g("baidu", "earnings", ["2025-07-01", "2025-08-31"]), article="b.txt", fiscal_period="2025-H1"),
    ]
    gold = _gold(tmp_path, events)
    predicted = [
        dict(_p("tencent", "earnings", "2025-08-13"), date_precision="day", fiscal_period="2025-Q2", article="a.txt"),
        dict(_p("xiaomi", "stock_move", "2025-08-12"), date_precision="day", article="a.txt"),
        dict(_p("baidu", "earnings", "2025-07-01"), date_precision="quarter", fiscal_period="2025-Q2", article="b.txt"),
        dict(_p("meituan", "legal", "2025-08-01"), date_precision="day", article="b.txt"),
    ]
    report = evaluate(gold, predicted)
    assert report.date_accuracy_by_precision == {
        "day": {"right": 1, "found": 2, "accuracy": 0.5}, "quarter": {"right": 1, "found": 1, "accuracy": 1.0}}
    assert report.fiscal_period_accuracy == 0.5
    assert report.fiscal_period_errors == [{"id": "baidu-earnings", "got": "2025-Q2", "want": "2025-H1"}]
    rows = {r["article"]: r for r in report.article_rows()}
    assert (rows["a.txt"]["key_found_dated"], rows["a.txt"]["key_events"], rows["a.txt"]["precision"]) == (1, 2, 1.0)
    assert rows["a.txt"]["missed"] == "xiaomi-stock_move"
    assert (rows["b.txt"]["key_recall_dated"], rows["b.txt"]["precision"], rows["b.txt"]["wrong"]) == (
        1.0, 0.5, "meituan/legal")


def test_a_company_outside_the_registry_is_matched_by_its_gold_listing(tmp_path):
    moutai = {**_g("kweichow_moutai", "earnings", ["2025-08-12", "2025-08-13"]), "listing": "600519.SS"}
    gold = _gold(tmp_path, [moutai], allowed=[{"company": "lenovo", "event_type": "other", "listing": ["0992.HK"],
                                              "why": "side remark"}])
    found = {**_p("sec:600519.SS", "earnings", "2025-08-12"), "tickers": ["600519.SS"]}
    side = {**_p("sec:0992.HK", "other", "2025-08-12"), "tickers": ["0992.HK"]}
    stranger = {**_p("sec:0700.HK", "earnings", "2025-08-12"), "tickers": ["0700.HK"]}
    report = evaluate(gold, [found, side])
    assert report.key_recall_dated == 1.0 and report.precision == 1.0
    report = evaluate(gold, [found, stranger])
    assert report.precision == 0.5 and report.false_positives[0]["company"] == "sec:0700.HK"
