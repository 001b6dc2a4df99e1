"""CLI behaviour that does not need prices: help, option parsing, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tracker.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


def test_python_dash_m_tracker_works():
    done = subprocess.run([sys.executable, "-m", "tracker", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("ingest", "events", "prices", "study", "report", "eval", "sql"):
        assert command in done.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["study", "--window=5:-5"], "Error: --window: start 5 is after end -5"),
        (["study", "--estimation=abc"], "Error: --estimation takes START:END"),
        (["study", "--model", "garch"], "Error: --model must be market, market_adjusted or constant_mean"),
        (["eval", "no-such-gold.json"], "Error: gold file no-such-gold.json not found"),
        (["prices", "fetch", "BABA", "--start", "yesterday"], "Error: --start takes a date as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_error_line(tmp_path, args, message):
    result = _run("--db", str(tmp_path / "t.duckdb"), *args)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_database_in_missing_folder(tmp_path):
    result = _run("--db", str(tmp_path / "missing" / "t.duckdb"), "sql", "select 1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the folder")


def test_bad_config_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[study\n")
    result = _run("--config", str(cfg), "--db", str(tmp_path / "t.duckdb"), "sql", "select 1")
    assert result.exit_code == 1
    assert "not valid TOML" in result.stderr


def test_sql_query_prints_result_and_bad_sql_is_an_error(tmp_path):
    db = str(tmp_path / "t.duckdb")
    ok = _run("--db", db, "sql", "select 41 + 1 as answer", "--format", "csv")
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines() == ["answer", "42"]
    bad = _run("--db", db, "sql", "select * from no_such_table")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error:") and len(bad.stderr.strip().splitlines()) == 1


def test_missing_articles_folder_is_reported(tmp_path):
    result = _run("--db", str(tmp_path / "t.duckdb"), "ingest", str(tmp_path / "nowhere"))
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.output


class _Tty:
    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_progress_is_a_redrawn_bar_on_a_terminal_and_lines_elsewhere():
    import io

    from tracker.progress import ProgressLine

    tty = _Tty()
    bar = ProgressLine(tty, width=10)
    bar("prices [1/2] asked Yahoo for 2024-01-01..2025-01-01: BABA")
    bar("prices [2/2] asked Yahoo for 2024-01-01..2025-01-01: BIDU")
    bar("event study")
    assert tty.text.count("\r") == 2 and "█████░░░░░ 1/2" in tty.text and "██████████ 2/2" in tty.text
    assert tty.text.endswith("· event study\n")

    plain = io.StringIO()
    lines = ProgressLine(plain)
    lines("charts 1/3")
    lines("event study")
    assert plain.getvalue() == "· charts 1/3\n· event study\n"


def test_eval_by_article_lists_each_seed_article(tmp_path):
    import csv
    import io
    from pathlib import Path

    gold = Path(__file__).resolve().parent / "gold" / "seeds.json"
    result = _run("--db", str(tmp_path / "t.duckdb"), "eval", str(gold), "--by-article", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["article"][:3] for r in rows] == ["000", "001", "002", "003", "004"]
    assert all(r["precision"] == "1.0" for r in rows)
    assert {r["key_recall_dated"] for r in rows if r["key_events"] != "0"} == {"1.0"}
