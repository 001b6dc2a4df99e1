"""The database layer: sql/ applied once, recorded, safe to re-run; the path rules."""

from pathlib import Path

import duckdb
import pytest

from tracker import db
from tracker.errors import TrackerError
from tracker.resources import sql_dir


def test_every_schema_file_is_recorded_once(tmp_path):
    path = tmp_path / "t.duckdb"
    con = db.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    expected = sorted(f"schema/{p.name}" for p in (sql_dir() / "schema").glob("*.sql"))
    assert names == expected
    con.close()
    again = db.connect(path)
    assert db.apply_migrations(again) == []
    assert again.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(expected)
    again.close()


def test_every_sql_file_has_a_header_naming_its_grain():
    for path in sorted(sql_dir().rglob("*.sql")):
        head = path.read_text(encoding="utf-8").lstrip().splitlines()[:6]
        assert head and head[0].startswith("--"), f"{path} has no header comment"
        assert any("grain" in line.lower() for line in head), f"{path} header does not state its grain"


def test_views_are_recreated_on_every_open(tmp_path):
    path = tmp_path / "t.duckdb"
    db.connect(path).close()
    con = duckdb.connect(str(path))
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    for (name,) in views:
        con.execute(f'DROP VIEW "{name}" CASCADE')
    con.close()
    reopened = db.connect(path)
    again = reopened.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0]
    assert again == len(views)


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    assert db.resolve_db_path(None) == Path("tracker.duckdb")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.duckdb"))
    assert db.resolve_db_path(None) == tmp_path / "env.duckdb"
    assert db.resolve_db_path(tmp_path / "flag.duckdb") == tmp_path / "flag.duckdb"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(TrackerError, match="does not exist"):
        db.connect(tmp_path / "nope" / "t.duckdb")


def test_database_from_an_older_schema_is_a_clear_error(tmp_path, monkeypatch):
    import shutil

    import tracker.db as dbmod

    fake = tmp_path / "sql"
    shutil.copytree(sql_dir(), fake)
    monkeypatch.setattr(dbmod, "sql_dir", lambda: fake)
    path = tmp_path / "old.duckdb"
    (fake / "schema" / "900_thing.sql").write_text("-- thing: test table\n-- Grain: one row per x.\nCREATE TABLE thing (x INTEGER);\n")
    (fake / "views" / "900_thing_v.sql").write_text("-- thing_v: test view\n-- Grain: one row per x.\nCREATE OR REPLACE VIEW thing_v AS SELECT x FROM thing;\n")
    db.connect(path).close()
    # A newer tracker renames the column: the recorded table no longer fits the view.
    (fake / "schema" / "900_thing.sql").write_text("-- thing: test table\n-- Grain: one row per y.\nCREATE TABLE thing (y INTEGER);\n")
    (fake / "views" / "900_thing_v.sql").write_text("-- thing_v: test view\n-- Grain: one row per y.\nCREATE OR REPLACE VIEW thing_v AS SELECT y FROM thing;\n")
    with pytest.raises(TrackerError, match="900_thing.sql.*start a new database"):
        db.connect(path)


RELEASE1 = Path(__file__).parent / "fixtures" / "release1_sql.txt"


def _release1_files() -> dict[str, str]:
    """sql/ file path -> text, as the release before the squashed baseline shipped them."""
    files, name = {}, None
    for line in RELEASE1.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("-- file: "):
            name = line[len("-- file: "):].strip()
            files[name] = ""
        elif name:
            files[name] += line
    return files


def _release1_database(path: Path) -> None:
    """A database file as the release before the baseline wrote it: its schema files applied and recorded, its views,
    stored rows and a study's leftovers."""
    import hashlib

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, checksum VARCHAR NOT NULL,"
                " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    files = _release1_files()
    for name in sorted(n for n in files if n.startswith("schema/")):
        con.execute(files[name])
        con.execute("INSERT INTO schema_migrations (name, checksum) VALUES (?, ?)",
                    [name, hashlib.sha1(files[name].encode()).hexdigest()])
    for name in sorted(n for n in files if n.startswith("views/")):
        con.execute(files[name])
    con.execute("INSERT INTO articles (file, path, sha1, text, ingested_at) VALUES ('a.txt', 'x/a.txt', 'f00', 'Text.', now())")
    con.execute("INSERT INTO prices VALUES ('BABA', DATE '2025-09-01', 1, 1, 1, 100, 99, 1000, 'csv:x'),"
                " ('BABA', DATE '2025-09-02', 1, 1, 1, 101, 100, 1000, 'csv:x')")
    con.execute("INSERT INTO events (id, company, event_type) VALUES ('ev1', 'alibaba', 'earnings')")
    con.execute("INSERT INTO study_events (event_id, symbol, benchmark, study_date) VALUES ('ev1', 'BABA', 'SPY', DATE '2025-09-02')")
    con.execute("INSERT INTO study_car_rows (ev, \"window\", car) VALUES (1, '0:0', 0.01)")
    con.close()


def test_a_release1_database_keeps_its_rows_and_loses_its_study_tables(tmp_path):
    path = tmp_path / "release1.duckdb"
    _release1_database(path)
    con = db.connect(path)
    assert con.execute("SELECT file FROM articles").fetchall() == [("a.txt",)]
    assert con.execute("SELECT count(*), sum(adj_close) FROM prices").fetchall() == [(2, 199.0)]
    assert con.execute("SELECT id FROM events").fetchall() == [("ev1",)]
    assert con.execute("SELECT event_id FROM study_events").fetchall() == [("ev1",)]
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"articles", "companies", "listings", "events", "event_sources", "prices", "price_symbols",
                      "price_fetches", "study_events", "schema_migrations",
                      # stored tables of later migrations (the listed world)
                      "securities", "securities_loads", "security_lookups", "unresolved_names"}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert not any(v.startswith("study_") for v in views) and "price_returns" in views
    recorded = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    assert recorded == sorted(f"schema/{p.name}" for p in (sql_dir() / "schema").glob("*.sql"))
    con.close()
    # and it studies like a new one
    from tracker.study import StudyParams, run_study

    again = db.connect(path)
    result = run_study(again, StudyParams())
    assert list(result.results["flags"].iloc[0]) == ["missing_prices"]
    again.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "newer.duckdb"
    db.connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('schema/900_future.sql', 'x')")
    con.execute("INSERT INTO prices VALUES ('X', DATE '2025-01-02', 1, 1, 1, 1, 1, 1, 'csv:x')")
    con.close()
    with pytest.raises(TrackerError, match="newer version of tracker .*schema/900_future.sql"):
        db.connect(path)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM prices").fetchone()[0] == 1       # nothing lost
    con.close()
