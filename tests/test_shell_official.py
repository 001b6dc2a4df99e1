"""The official duckdb CLI (PyPI duckdb-cli) must open the file tracker writes, views included.

Nothing is installed at test time: the CLI tests skip when the executable is absent.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import duckdb
import pytest

from tracker.db import connect
from tracker.errors import TrackerError
from tracker.shell import official_argv, official_cli

CLI = official_cli()
needs_cli = pytest.mark.skipif(CLI is None, reason="official duckdb CLI not installed (pip install duckdb-cli==1.5.6)")

# A view in the style of the study views: a window function and regr_slope over a series.
VIEW = """
CREATE VIEW slopes AS
SELECT symbol, day,
       ret - lag(ret) OVER (PARTITION BY symbol ORDER BY day) AS change,
       regr_slope(ret, bench) OVER (PARTITION BY symbol) AS beta
FROM series
"""


def _write_db(path):
    con = connect(path)
    con.execute("CREATE TABLE series (symbol VARCHAR, day INTEGER, ret DOUBLE, bench DOUBLE)")
    # ret = 2 * bench + 0.5 exactly, so beta is 2 for BABA; 9988.HK has beta -1.
    con.execute("INSERT INTO series VALUES ('BABA', 1, 0.5, 0), ('BABA', 2, 2.5, 1), ('BABA', 3, 4.5, 2),"
                " ('9988.HK', 1, 1, 1), ('9988.HK', 2, 0, 2)")
    con.execute(VIEW)
    con.close()


def _cli_csv(path, query):
    argv = official_argv(path, query, read_only=True, fmt="csv")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return list(csv.reader(io.StringIO(done.stdout)))


@needs_cli
def test_official_cli_reads_our_view(tmp_path):
    db = tmp_path / "t.duckdb"
    _write_db(db)
    rows = _cli_csv(db, "SELECT symbol, day, change, beta FROM slopes ORDER BY symbol, day")
    assert rows[0] == ["symbol", "day", "change", "beta"]
    parsed = [(s, int(d), None if c == "NULL" else float(c), float(b)) for s, d, c, b in rows[1:]]
    assert parsed == [
        ("9988.HK", 1, None, -1.0), ("9988.HK", 2, -1.0, -1.0),
        ("BABA", 1, None, 2.0), ("BABA", 2, 2.0, 2.0), ("BABA", 3, 2.0, 2.0),
    ]


@needs_cli
def test_official_cli_reads_schema_migrations(tmp_path):
    db = tmp_path / "t.duckdb"
    _write_db(db)
    expected = {row[0] for row in duckdb.connect(str(db), read_only=True).execute(
        "SELECT name FROM schema_migrations").fetchall()}
    rows = _cli_csv(db, "SELECT name FROM schema_migrations")
    assert rows[0] == ["name"] and {r[0] for r in rows[1:]} == expected
    # The CLI's catalog sees every table and view tracker created.
    names = {r[0] for r in _cli_csv(db, "SELECT table_name FROM information_schema.tables")[1:]}
    assert {"series", "slopes", "schema_migrations"} <= names


@needs_cli
@pytest.mark.skipif(int(duckdb.__version__.split(".")[0]) < 2, reason="older duckdb writes a format every CLI reads")
def test_without_the_compatibility_setting_the_cli_refuses_the_file(tmp_path):
    """Control: proves the tests above would notice if db.connect stopped pinning the version."""
    db = tmp_path / "new.duckdb"
    duckdb.connect(str(db)).execute("CREATE TABLE t (a INTEGER)").close()
    done = subprocess.run(official_argv(db, "SELECT 1", read_only=True), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "version" in (done.stdout + done.stderr)


@needs_cli
def test_hand_off_replaces_the_process_with_the_cli(tmp_path):
    db = tmp_path / "t.duckdb"
    _write_db(db)
    code = (
        "import sys; from tracker.shell import exec_official, official_argv;"
        "exec_official(official_argv(sys.argv[1], 'SELECT count(*) AS n FROM slopes', read_only=True, fmt='csv'))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "5"]


def test_official_argv_shapes():
    assert official_argv("x.duckdb", executable="/bin/duckdb") == ["/bin/duckdb", "x.duckdb"]
    assert official_argv("x.duckdb", "SELECT 1", read_only=True, fmt="json", executable="/bin/duckdb") == [
        "/bin/duckdb", "-readonly", "-json", "x.duckdb", "-c", "SELECT 1"]
    assert official_argv("x.duckdb", fmt="table", executable="d")[1] == "-box"
    with pytest.raises(TrackerError, match="unknown format"):
        official_argv("x.duckdb", fmt="xml", executable="d")


def test_official_argv_without_cli_says_how_to_install(monkeypatch):
    monkeypatch.setattr("tracker.shell.official_cli", lambda: None)
    with pytest.raises(TrackerError, match="pip install duckdb-cli"):
        official_argv("x.duckdb")
