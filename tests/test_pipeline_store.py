"""Re-running a stage on part of the input never loses what the rest of the input stored."""

import shutil

from tracker import pipeline


def _sources(con):
    return con.execute("SELECT event_id, article FROM event_sources ORDER BY ALL").fetchall()


def test_rerun_on_one_article_keeps_other_articles_sources(con, seeds_dir, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("000_439ff119099e6294.txt", "001_7c60c039cfebe8b9.txt", "manifest.toml"):
        shutil.copy(seeds_dir / name, folder / name)
    pipeline.extract(con, [folder])
    before = _sources(con)
    shared = {e for e, a in before if a.startswith("000")} & {e for e, a in before if a.startswith("001")}
    assert shared, "the seeds should share at least one event (SenseTime founded in 2014)"

    pipeline.extract(con, [folder / "001_7c60c039cfebe8b9.txt"])
    assert _sources(con) == before

    pipeline.extract(con, [folder])
    assert _sources(con) == before


def test_broken_manifest_on_rerun_keeps_the_stored_publication_dates(con, seeds_dir, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(seeds_dir / "004_e364ef39556d80bb.txt", folder / "a.txt")
    (folder / "manifest.toml").write_text('[[article]]\nfile = "a.txt"\npublished = "2025-09-12"\nlanguage = "de"\n')
    first = pipeline.extract(con, [folder])
    studied = con.execute("SELECT count(*) FROM events WHERE study_date IS NOT NULL").fetchone()[0]
    assert studied > 0 and first.articles[0].published.isoformat() == "2025-09-12"

    (folder / "manifest.toml").write_text("[[article]\nfile=")
    again = pipeline.extract(con, [folder])
    assert any("manifest.toml" in p.file for p in again.problems)
    assert any("kept 2025-09-12" in p.message for p in again.problems)
    assert con.execute("SELECT published FROM articles WHERE file = 'a.txt'").fetchone()[0].isoformat() == "2025-09-12"
    assert con.execute("SELECT count(*) FROM events WHERE study_date IS NOT NULL").fetchone()[0] == studied


def test_price_needs_merge_close_events_and_skip_the_years_between():
    import pandas as pd

    events = pd.DataFrame({
        "symbol": ["BABA", "BABA", "BABA"], "benchmark": ["SPY", "SPY", "SPY"],
        "study_date": pd.to_datetime(["2021-08-30", "2025-09-12", "2025-09-19"]).date,
        "day0": pd.to_datetime(["2021-08-30", "2025-09-12", "2025-09-19"]).date,
    })
    needs = pipeline.price_needs(events)
    baba = needs[needs["symbol"] == "BABA"]
    assert len(baba) == 2 and len(needs[needs["symbol"] == "SPY"]) == 2
    assert str(baba["end"].iloc[0]) < "2022-01-01" and str(baba["start"].iloc[1]) > "2024-01-01"


def test_event_listings_view_leaves_out_what_did_not_happen(con):
    con.execute("INSERT INTO listings (symbol, company, exchange, currency, benchmark, is_primary, kind) VALUES "
                "('BABA', 'alibaba', 'XNYS', 'USD', 'SPY', true, 'ADR'), "
                "('9988.HK', 'alibaba', 'XHKG', 'HKD', '^HSI', false, 'ordinary')")
    for event_id, status, study_date in [("a", "reported", "2025-09-12"), ("b", "planned", "2025-09-12"),
                                         ("c", "rumoured", "2025-09-12"), ("d", "negated", "2025-09-12"),
                                         ("e", "reported", None)]:
        con.execute("INSERT INTO events (id, company, event_type, status, study_date) VALUES (?, 'alibaba', 'other', ?, ?)",
                    [event_id, status, study_date])
    rows = con.execute("SELECT event_id, symbol, benchmark FROM event_listings ORDER BY ALL").fetchall()
    assert rows == [("a", "9988.HK", "^HSI"), ("a", "BABA", "SPY"), ("b", "9988.HK", "^HSI"), ("b", "BABA", "SPY")]
