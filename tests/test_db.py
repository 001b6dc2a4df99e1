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
