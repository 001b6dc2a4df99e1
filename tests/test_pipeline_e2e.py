"""The whole job through the CLI on the seeds and the real prices in ../shared/prices."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from tracker.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    shared = __import__("tests.conftest", fromlist=["SHARED_PRICES"]).SHARED_PRICES
    if not (shared / "BABA.csv").exists():
        pytest.skip("../shared/prices is not beside the repository")
    work = tmp_path_factory.mktemp("e2e")
    db = work / "t.duckdb"
    out = work / "report"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "report", "--prices-dir", str(shared), "--out", str(out)])
    return runner, db, out, shared, result


def _invoke(runner, db, *args):
    return runner.invoke(app, ["--db", str(db), *args])


def test_report_is_written(ran):
    _, _, out, _, result = ran
    assert result.exit_code == 0, result.output + repr(result.exception)
    index = out / "index.html"
    assert index.is_file() and index.stat().st_size > 10_000
    assert result.stdout.strip().endswith("index.html")
    assert (out / "events.csv").is_file() and (out / "car.csv").is_file()
    pngs = list(out.glob("**/*.png"))
    assert pngs, "the report folder has no charts"


def test_alibaba_and_baidu_september_2025_events_are_studied(ran):
    runner, db, *_ = ran
    result = _invoke(runner, db, "study", "--offline", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    symbols = {r["symbol"] for r in rows if str(r["day0"]).startswith("2025-09")}
    assert {"BABA", "9988.HK"} <= symbols
    assert {"BIDU", "9888.HK"} & symbols
    for row in rows:
        assert set(row) >= {"event_id", "symbol", "benchmark", "day0", "model", "alpha", "beta", "sigma",
                            "n_estimation", "ar", "car", "flags"}
        clean = not row["flags"] or set(row["flags"]) <= {"overlap", "window_truncated"}
        if clean and row["car"]:
            for stats in row["car"].values():
                if stats["car"] is not None:
                    assert math.isfinite(stats["car"]) and math.isfinite(stats["t"])


def test_sql_counts_events(ran):
    runner, db, *_ = ran
    result = _invoke(runner, db, "sql", "select count(*) as n from events", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["n"] > 5


def test_rerun_is_idempotent(ran):
    runner, db, out, shared, _ = ran
    before = json.loads(_invoke(runner, db, "sql", "select (select count(*) from events) e, (select count(*) from event_sources) s, (select count(*) from prices) p", "--format", "json").stdout)
    again = _invoke(runner, db, "report", "--prices-dir", str(shared), "--out", str(out))
    assert again.exit_code == 0, again.output
    after = json.loads(_invoke(runner, db, "sql", "select (select count(*) from events) e, (select count(*) from event_sources) s, (select count(*) from prices) p", "--format", "json").stdout)
    assert before == after


def test_window_option_with_negative_start_parses(ran):
    runner, db, *_ = ran
    result = _invoke(runner, db, "study", "--offline", "--window=-5:5", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    days = {a["day"] for r in rows for a in r["ar"]}
    assert days and min(days) >= -5 and max(days) <= 5


def test_report_data_section_shows_price_problems(ran):
    _, _, out, _, _ = ran
    html = (out / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="provenance"'):]
    assert 'id="prices-table"' in section and ">BABA<" in section
    # Cloudwalk (688327.SS) has no CSV in ../shared/prices: the run says so in the data section.
    assert 'id="price-outcomes-table"' in section
    assert "no 688327.SS.csv" in section


def test_users_own_events_file(ran, tmp_path):
    runner, _, _, shared, _ = ran
    events = tmp_path / "mine.csv"
    events.write_text("symbol,event_date,event_type,label\nBABA,2025-09-11,capital_raise,Convertible bond\n"
                      "9988.HK,2025-09-13,,\nNOPE,2025-09-11,,\n")
    db = tmp_path / "mine.duckdb"
    result = _invoke(runner, db, "study", "--events", str(events), "--prices-dir", str(shared), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["symbol"]: r for r in json.loads(result.stdout)}
    assert rows["BABA"]["benchmark"] == "SPY" and rows["BABA"]["day0"] == "2025-09-11"
    assert rows["9988.HK"]["benchmark"] == "^HSI" and rows["9988.HK"]["day0"] == "2025-09-15"  # Saturday → Monday
    assert math.isfinite(rows["BABA"]["car"]["-1:1"]["car"])
    assert "missing_prices" in rows["NOPE"]["flags"]


def test_readme_sql_examples_run(ran):
    """Every one-line `tracker sql "..."` example in the README runs on a database `tracker report` wrote."""
    import re
    from pathlib import Path

    runner, db, *_ = ran
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r'^tracker sql "([^"]+)"', readme, flags=re.M)
    assert len(queries) >= 2
    for query in queries:
        result = _invoke(runner, db, "sql", query, "--format", "json")
        assert result.exit_code == 0, (query, result.output)
        assert json.loads(result.stdout), query
