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
