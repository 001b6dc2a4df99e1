"""A catalogue of bad inputs driven through the command line: each gives one `Error:` line (or a
flagged result), the right exit code, no traceback, and leaves the data already stored unchanged.

Prices come from the bundled seed snapshot (seeds/prices), so these tests need neither the network
nor ../shared.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tracker.cli import app

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "seeds" / "prices"
GOOD_CSV = "date,open,high,low,close,adj_close,volume\n2024-03-01,10,11,9,10.5,10.5,1000\n2024-03-04,10.5,11.5,10,11,11,1200\n"
STORED_TABLES = ("articles", "events", "prices", "price_fetches", "price_symbols")

runner = CliRunner()


def run(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def contents(db: Path) -> dict:
    """Every stored row of the tables that hold user data, for before/after comparisons."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * EXCLUDE ({_skip(t)}) FROM {t} ORDER BY ALL").fetchall()
                if _skip(t) else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in STORED_TABLES}
    finally:
        con.close()


def _skip(table: str) -> str:
    return "ingested_at" if table == "articles" else ""


def assert_one_error(result, *needles: str, code: int = 1) -> str:
    """Exit code, no traceback, exactly one `Error:` line containing every needle; other stderr lines
    are the flagged problems ('error: FILE: ...' / 'warning: ...') or the import summary."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """A database with the seed articles, their events and two symbols' prices stored."""
    folder = tmp_path_factory.mktemp("template")
    prices = folder / "prices"
    prices.mkdir()
    for name in ("BABA.csv", "SPY.csv"):
        shutil.copy(SNAPSHOT / name, prices / name)
    db = folder / "t.duckdb"
    assert run(db, "prices", "import", str(prices)).exit_code == 0
    assert run(db, "events").exit_code == 0
    return db


@pytest.fixture
def db(template_db, tmp_path) -> Path:
    copy = tmp_path / "t.duckdb"
    shutil.copy(template_db, copy)
    return copy


# --- articles ----------------------------------------------------------------------------------------------

def _article_folder(tmp_path: Path, name: str, payload: bytes) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / name).write_bytes(payload)
    return folder


@pytest.mark.parametrize("name, payload, flagged", [
    ("empty.txt", b"", "is empty"),
    ("binary.txt", bytes(range(256)) * 20, "binary"),
    ("huge.txt", b"Alibaba hat ein neues Modell vorgestellt. " * 270_000, "over the 10 MB limit"),
    ("blank.txt", b"   \n\n\t  \n", "no article text"),
])
def test_unreadable_article_is_flagged_and_nothing_changes(db, tmp_path, name, payload, flagged):
    before = contents(db)
    result = run(db, "ingest", str(_article_folder(tmp_path, name, payload)))
    assert_one_error(result, "no readable articles")
    assert any(line.startswith(f"error: {name}") and flagged in line for line in result.stderr.splitlines()), result.stderr
    assert contents(db) == before


def test_empty_folder_is_an_error(db, tmp_path):
    (tmp_path / "nothing").mkdir()
    before = contents(db)
    assert_one_error(run(db, "ingest", str(tmp_path / "nothing")), "no readable articles", "nothing")
    assert contents(db) == before


def test_missing_folder_is_an_error(db, tmp_path):
    before = contents(db)
    result = run(db, "ingest", str(tmp_path / "nowhere"))
    assert_one_error(result)
    assert "no such file or folder" in result.stderr
    assert contents(db) == before


def test_unsupported_file_type_is_flagged(db, tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    before = contents(db)
    result = run(db, "ingest", str(tmp_path / "report.pdf"))
    assert_one_error(result, "no readable articles")
    assert "unsupported file type .pdf" in result.stderr
    assert contents(db) == before


def test_wrongly_encoded_article_is_read_and_flagged(db, tmp_path):
    text = "Übernahme: Die Börse feierte am 12. September 2025 den Plan von Alibaba.".encode("cp1252")
    result = run(db, "ingest", str(_article_folder(tmp_path, "latin.txt", text)))
    assert result.exit_code == 0
    assert "not UTF-8, read as cp1252" in result.stderr
    stored = duckdb.connect(str(db), read_only=True).execute("SELECT text FROM articles WHERE file = 'latin.txt'").fetchone()
    assert "Übernahme" in stored[0] and "Börse" in stored[0]


@pytest.mark.parametrize("manifest, flagged", [
    ("[[article]\nfile = 'a.txt'\n", "not valid TOML"),
    ("[[article]]\nfile = 'a.txt'\npublished = 'next tuesday'\n", "is not a date"),
    ("[[article]]\nfile = 'gone.txt'\npublished = 2025-09-12\n", "listed in"),
    ("[[article]]\npublished = 2025-09-12\n", "has no file"),
])
def test_malformed_manifest_is_flagged_and_articles_still_read(db, tmp_path, manifest, flagged):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Alibaba stellte am 12. September 2025 neue Qwen-Modelle vor.", encoding="utf-8")
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    result = run(db, "ingest", str(folder))
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert flagged in result.stderr
    assert "a.txt" in result.stdout


# --- price CSVs --------------------------------------------------------------------------------------------

BAD_CSVS = {
    "no close column": ("date,open,high,low,volume\n2024-03-01,1,2,1,10\n", "line 1", "no close"),
    "duplicate dates": (GOOD_CSV + "2024-03-04,10.5,11.5,10,11,11,1200\n", "lines 3, 4", "duplicate date 2024-03-04"),
    "negative price": (GOOD_CSV + "2024-03-05,10,11,9,-10.5,10.5,100\n", "line 4", "close must be positive"),
    "zero price": (GOOD_CSV + "2024-03-05,0,11,9,10.5,10.5,100\n", "line 4", "open must be positive"),
    "unparseable date": (GOOD_CSV + "March 5th,10,11,9,10.5,10.5,100\n", "line 4", "unparseable date"),
    "high below low": (GOOD_CSV + "2024-03-05,10,9,11,10.5,10.5,100\n", "line 4", "high 9 is below low 11"),
    "negative volume": (GOOD_CSV + "2024-03-05,10,11,9,10.5,10.5,-5\n", "line 4", "volume must not be negative"),
    "text in close": (GOOD_CSV + "2024-03-05,10,11,9,n/a?,10.5,100\n", "line 4", "close is not a number"),
    "empty file": ("", "", "empty"),
    "no date column": ("day,close\n2024-03-01,10\n", "line 1", "no date column"),
}


@pytest.mark.parametrize("case", sorted(BAD_CSVS))
def test_bad_price_file_is_rejected_whole_with_file_and_line(db, tmp_path, case):
    text, line, what = BAD_CSVS[case]
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "BABA.csv").write_text(text, encoding="utf-8")
    before = contents(db)
    result = run(db, "prices", "import", str(folder))
    error = assert_one_error(result, "BABA.csv", line, what, "fix")
    assert error.startswith("Error: BABA.csv")
    assert "not imported: BABA.csv" in result.stderr
    assert contents(db) == before     # nothing of the file, and the stored BABA rows are untouched


def test_binary_price_file_is_rejected(db, tmp_path):
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "BABA.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    before = contents(db)
    assert_one_error(run(db, "prices", "import", str(folder)), "BABA.csv")
    assert contents(db) == before


def test_other_files_still_load_and_the_summary_names_the_bad_one(db, tmp_path):
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "GOOD.csv").write_text(GOOD_CSV, encoding="utf-8")
    (folder / "BAD.csv").write_text(GOOD_CSV + "2024-03-04,1,1,1,1,1,1\n", encoding="utf-8")
    result = run(db, "prices", "import", str(folder))
    assert_one_error(result, "BAD.csv", "duplicate date")
    assert "imported 1 of 2 files; not imported: BAD.csv" in result.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), min(source) FROM prices WHERE symbol = 'GOOD'").fetchone() == (2, "csv")
    assert con.execute("SELECT count(*) FROM prices WHERE symbol = 'BAD'").fetchone()[0] == 0


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "nowhere", "does not exist"),
    (lambda p: p, "no SYMBOL.csv files"),
])
def test_price_folder_missing_or_without_csvs(db, tmp_path, make, message):
    before = contents(db)
    assert_one_error(run(db, "prices", "import", str(make(tmp_path))), message)
    assert contents(db) == before


# --- events files ------------------------------------------------------------------------------------------

BAD_EVENT_FILES = {
    "no event_date column": ("symbol,date\nBABA,2025-09-12\n", ":1: header must be symbol,event_date"),
    "bad date": ("symbol,event_date\nBABA,12.09.2025\n", ":2: event_date '12.09.2025' is not a date"),
    "empty symbol": ("symbol,event_date\n,2025-09-12\n", ":2: the symbol is empty"),
    "too many fields": ("symbol,event_date,label\nBABA,2025-09-12,Qwen, new models\n", ":2: 4 fields"),
    "empty file": ("", "is empty"),
    "header only": ("symbol,event_date\n", "has no event rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_EVENT_FILES))
def test_bad_events_file_is_one_error_and_nothing_changes(db, tmp_path, case):
    text, message = BAD_EVENT_FILES[case]
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    before = contents(db)
    assert_one_error(run(db, "study", "--events", str(path), "--offline"), message)
    assert contents(db) == before


def test_missing_events_file(db, tmp_path):
    assert_one_error(run(db, "study", "--events", str(tmp_path / "none.csv")), "not found")


def test_unknown_symbol_is_flagged_not_in_registry_beside_missing_prices(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("symbol,event_date,event_type,label\nBABA,2025-09-12,product_launch,Qwen\nXQZW,2025-09-12,,\n",
                    encoding="utf-8")
    result = run(db, "study", "--events", str(path), "--offline", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    rows = {r["symbol"]: r for r in json.loads(result.stdout)}
    assert rows["XQZW"]["flags"] == ["missing_prices", "not_in_registry"]
    assert "not_in_registry" not in rows["BABA"]["flags"]
    assert (rows["BABA"]["company"], rows["BABA"]["event_type"], rows["BABA"]["label"]) == \
        ("alibaba", "product_launch", "Qwen")
    assert "XQZW" in result.stderr     # named as a symbol without prices


# --- databases ---------------------------------------------------------------------------------------------

def test_corrupt_database(tmp_path):
    path = tmp_path / "t.duckdb"
    path.write_bytes(os.urandom(64 * 1024))
    before = path.read_bytes()
    assert_one_error(run(path, "events"), "cannot open database", "another --db")
    assert path.read_bytes() == before


def test_text_file_as_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("my notes\n", encoding="utf-8")
    assert_one_error(run(path, "sql", "select 1"), "not a valid DuckDB database")
    assert path.read_text(encoding="utf-8") == "my notes\n"


def test_database_with_damaged_header_is_an_error_not_a_traceback(db):
    data = bytearray(db.read_bytes())
    data[12:20] = (100_000).to_bytes(8, "little")
    db.write_bytes(bytes(data))
    assert_one_error(run(db, "sql", "select 1"), "cannot open database")


def test_database_from_a_newer_tracker(db):
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_migrations (name, checksum) VALUES ('schema/999_future_table.sql', 'x')")
    con.close()
    before = contents(db)
    assert_one_error(run(db, "events"), "newer version of tracker", "999_future_table.sql")
    assert contents(db) == before


def test_locked_database(db):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert_one_error(run(db, "events"), "cannot open database", "close it")
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_file(db):
    before = contents(db)
    db.chmod(0o444)
    try:
        assert_one_error(run(db, "events"), "cannot open database")
    finally:
        db.chmod(0o644)
    assert contents(db) == before


def test_sql_is_read_only_without_write(db):
    before = contents(db)
    result = run(db, "sql", "delete from events")
    assert_one_error(result, "read-only", "--write")
    assert contents(db) == before
    assert run(db, "sql", "--write", "delete from events").exit_code == 0
    assert contents(db)["events"] == []


def test_killed_run_then_rerun_gives_the_same_events(tmp_path, template_db):
    db = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "tracker", "--db", str(db), "report", "--prices-dir", str(SNAPSHOT),
           "--out", str(tmp_path / "r1")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    for line in proc.stderr:     # kill it mid-run, once the prices are being loaded
        if "prices" in line or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = run(db, "report", "--prices-dir", str(SNAPSHOT), "--out", str(tmp_path / "r2"))
    assert result.exit_code == 0, result.output
    again = contents(db)
    expected = contents(template_db)
    assert sorted(r[0] for r in again["events"]) == sorted(r[0] for r in expected["events"])
    assert len({(r[0], r[1]) for r in again["prices"]}) == len(again["prices"])
    assert (tmp_path / "r2" / "index.html").is_file()


# --- options -----------------------------------------------------------------------------------------------

def test_out_is_an_existing_file(db, tmp_path):
    (tmp_path / "report.html").write_text("keep me", encoding="utf-8")
    before = contents(db)
    assert_one_error(run(db, "report", "--out", str(tmp_path / "report.html")), "is a file, not a folder")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "keep me"
    assert contents(db) == before


def test_out_below_a_file(db, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert_one_error(run(db, "report", "--out", str(tmp_path / "afile" / "sub")), "cannot create the report folder")


@pytest.mark.parametrize("args, message", [
    (["study", "--window=-20:10"], "overlaps the event window -20:10: it must end before day -20; "
                                   "pass --estimation=-260:-21"),
    (["study", "--window=-10"], "--window takes START:END"),
    (["study", "--model", "garch"], "--model must be"),
    (["events", "--company", "nosuchco"], "unknown company 'nosuchco'; companies with events"),
    (["events", "--type", "merger"], "unknown event type 'merger'; use one of: ipo_filing"),
    (["report", "--articles", "/nonexistent/folder"], "no readable articles"),
])
def test_bad_options_are_one_error_line(db, args, message):
    before = contents(db)
    result = run(db, *args)
    assert_one_error(result, message)
    assert contents(db) == before


def test_script_in_an_article_is_escaped_and_a_hostile_report_json_cannot_delete_outside(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Alibaba stellt neue KI-Modelle vor <script>alert('owned')</script>\n\n"
        "Hangzhou, 12. September 2025 – Alibaba hat am Freitag neue Qwen-Modelle vorgestellt "
        "<script>alert('owned')</script>. Die Aktie von Alibaba stieg um 7 Prozent.\n", encoding="utf-8")
    (folder / "manifest.toml").write_text("[[article]]\nfile = 'a.txt'\npublished = 2025-09-12\nlanguage = 'de'\n",
                                          encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"not yours")
    (out / "report.json").write_text('{"files": {"images": ["../victim.png", "/etc/hostname"]}}', encoding="utf-8")
    result = run(tmp_path / "t.duckdb", "report", "--articles", str(folder), "--prices-dir", str(SNAPSHOT),
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert('owned')" not in page and "alert(&#39;owned&#39;)" in page
    assert victim.read_bytes() == b"not yours"
