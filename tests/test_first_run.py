"""Issue 14: the first run works without network (bundled snapshot, one short reachability check per
run, no network attempt on a re-run), provenance says where prices came from, and the small things."""

from __future__ import annotations

import io
import json
import socket
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.prices import ensure_prices, fetch, snapshot, status, yahoo
from tracker.prices.csvdir import import_csv_dir, read_price_csv

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "seeds" / "prices"
NOW = datetime(2026, 11, 20, 12, 0)
runner = CliRunner()
REAL_REACHABLE = yahoo.reachable   # taken before the test fixtures replace it


def needs(*rows):
    return pd.DataFrame(rows, columns=["symbol", "start", "end"])


def never(*args, **kwargs):
    raise AssertionError("the downloader must not be called")


class Probe:
    def __init__(self, answer: bool):
        self.answer, self.calls = answer, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.answer


# --- the bundled snapshot ----------------------------------------------------------------------------------

def test_snapshot_ships_valid_files_with_their_sources():
    files = snapshot.available()
    assert {"BABA", "9988.HK", "SPY", "^HSI", "000001.SS", "688256.SS"} <= set(files)
    for path in files.values():
        bars, errors, _ = read_price_csv(path)
        assert not errors and len(bars) > 250, path
    sources = (SNAPSHOT / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"{symbol}.csv" in sources for symbol in files)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"seeds" = "tracker/seeds"' in pyproject      # the wheel carries seeds/, prices included


def test_snapshot_covers_what_the_seed_study_needs():
    """Every needed range of a symbol the snapshot holds lies inside the snapshot's data (up to the
    days before the data begin, which the estimation window does not reach)."""
    wanted = snapshot.seed_needs()
    files = snapshot.available()
    for r in wanted[wanted["symbol"].isin(files)].itertuples():
        bars = read_price_csv(files[r.symbol])[0]
        days = [d for d in bars["date"] if r.start <= d <= r.end]
        if not days:   # only a range before the stock's listing (SenseTime in 2021) may be empty
            assert r.symbol == "0020.HK" and r.end < date(2021, 12, 30), r
            continue
        # the event window after day 0 (40 calendar days before `end`) is inside the data
        assert max(days) >= min(r.end - timedelta(days=40), bars["date"].max()), r


# --- unreachable Yahoo ---------------------------------------------------------------------------------------

def test_unreachable_yahoo_is_checked_once_and_no_download_follows(con):
    probe = Probe(False)
    want = needs(("BABA", "2024-03-01", "2024-03-29"), ("9988.HK", "2024-03-01", "2024-03-29"),
                 ("SPY", "2023-01-02", "2023-02-28"))
    out = fetch(con, want, downloader=never, probe=probe, now=NOW)
    assert probe.calls == 1 and out.attrs["yahoo_unreachable"]
    assert set(out["status"]) == {"missing"} and out["message"].str.contains("Yahoo is unreachable").all()
    logged = con.execute("SELECT DISTINCT outcome, covers FROM price_fetches").fetchall()
    assert logged == [("unreachable", False)]


def test_rerun_soon_after_makes_no_network_attempt_and_later_one_checks_again(con):
    want = needs(("BABA", "2024-03-01", "2024-03-29"))
    fetch(con, want, downloader=never, probe=Probe(False), now=NOW)
    soon = Probe(False)
    out = fetch(con, want, downloader=never, probe=soon, now=NOW + timedelta(minutes=5))
    assert soon.calls == 0 and "not asked again before" in out.loc[0, "message"]
    later = Probe(False)
    fetch(con, want, downloader=never, probe=later, now=NOW + timedelta(minutes=11))
    assert later.calls == 1


def test_a_download_nobody_answers_stops_further_calls_in_the_run(con):
    calls = []

    def silent(tickers, **kwargs):
        calls.append(tuple(tickers))
        return pd.DataFrame()

    want = needs(("BABA", "2024-03-01", "2024-03-29"), ("SPY", "2023-01-02", "2023-02-28"))
    out = fetch(con, want, downloader=silent, now=NOW, sleep=lambda s: None, retries=0)
    assert len(calls) == 1 and out.attrs["yahoo_unreachable"]


def test_real_probe_gives_up_within_its_timeout(monkeypatch):
    def hang(*args, **kwargs):
        time.sleep(30)

    monkeypatch.setattr(socket, "create_connection", hang)
    started = time.monotonic()
    assert REAL_REACHABLE(timeout=0.5) is False
    assert time.monotonic() - started < 2


def test_snapshot_fills_what_yahoo_could_not_and_says_so(con):
    want = needs(("BABA", "2025-06-01", "2025-10-15"), ("QCOM", "2025-06-01", "2025-10-15"))
    out = ensure_prices(con, want, downloader=never, probe=Probe(False), now=NOW).set_index("symbol")
    assert out.attrs["snapshot"] == ["BABA"]
    assert out.loc["BABA", "status"] == "ok" and out.loc["BABA", "source"] == "snapshot"
    assert "not live data" in out.loc["BABA", "message"]
    assert out.loc["QCOM", "status"] == "missing"
    assert con.execute("SELECT DISTINCT source FROM prices").fetchall() == [("snapshot",)]
    # covered now: a later run asks nobody, not even the probe
    again = ensure_prices(con, needs(("BABA", "2025-06-01", "2025-10-15")), downloader=never,
                          probe=Probe(True), now=NOW + timedelta(days=3))
    assert list(again["status"]) == ["cached"]


def test_snapshot_never_overwrites_stored_bars(con):
    import_csv_dir(con, SNAPSHOT, symbols=["BABA"])
    con.execute("UPDATE prices SET close = 1.0, source = 'yfinance' WHERE symbol = 'BABA' AND date = '2025-09-12'")
    con.execute("DELETE FROM price_fetches")
    ensure_prices(con, needs(("BABA", "2025-06-01", "2025-10-15")), downloader=never, probe=Probe(False), now=NOW)
    assert con.execute("SELECT close, source FROM prices WHERE symbol = 'BABA' AND date = '2025-09-12'").fetchone() \
        == (1.0, "yfinance")


def test_with_network_yahoo_comes_first(con):
    from tests.test_prices_cache import FakeYahoo

    out = ensure_prices(con, needs(("BABA", "2025-06-02", "2025-06-30")), downloader=FakeYahoo(),
                        probe=Probe(True), now=NOW, sleep=lambda s: None)
    assert list(out["source"]) == ["yfinance"] and not out.attrs.get("snapshot")


# --- provenance and status ------------------------------------------------------------------------------------

def test_provenance_line_names_the_snapshot():
    from tracker.pipeline import price_source

    outcomes = pd.DataFrame({"symbol": ["BABA", "SPY"], "first": [date(2024, 7, 1)] * 2,
                             "last": [date(2025, 10, 1)] * 2, "status": ["ok", "ok"]})
    outcomes.attrs.update(snapshot=["BABA", "SPY"], yahoo_unreachable=True)
    line = price_source(None, False, outcomes)
    assert line.startswith("bundled snapshot of 2 symbols") and "not live data" in line
    assert "2024-07-01..2025-10-01" in line
    outcomes.attrs.update(yahoo_unreachable=False)
    assert price_source(None, False, outcomes).startswith("bundled snapshot of 2 symbols")   # a re-run, all cached
    assert price_source(Path("p"), False, outcomes).startswith("csv:p; bundled snapshot of 2 symbols")
    outcomes.attrs.clear()
    assert price_source(Path("p"), False, outcomes) == "csv:p" and price_source(None, False, outcomes) == "yfinance"


def test_status_shows_the_latest_source_per_stretch_and_a_csv_import_supersedes_a_failed_download(con, tmp_path):
    from tests.test_prices_cache import FakeYahoo

    fetch(con, needs(("BABA", "2024-03-01", "2024-03-29")), downloader=lambda *a, **k: pd.DataFrame(),
          now=NOW, sleep=lambda s: None, retries=0)
    assert "Yahoo" in status(con).set_index("symbol").loc["BABA", "problem"]
    (tmp_path / "BABA.csv").write_text("date,close\n2024-03-01,10\n2024-03-04,11\n2024-03-05,12\n", encoding="utf-8")
    import_csv_dir(con, tmp_path)
    fetch(con, needs(("BABA", "2024-03-06", "2024-03-08")), downloader=FakeYahoo(), now=NOW + timedelta(seconds=5),
          sleep=lambda s: None)
    row = status(con).set_index("symbol").loc["BABA"]
    assert row["problem"] == ""
    assert row["source"] == "csv 2024-03-01..2024-03-05; yfinance 2024-03-06..2024-03-08"


# --- reports that have little to show -----------------------------------------------------------------------

def test_listing_without_prices_gives_a_report_not_a_traceback(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "Xiaomi stellt Elektroauto vor\n\nPeking, 26. Juni 2025 – Xiaomi hat am Donnerstag sein zweites "
        "Elektroauto vorgestellt. Die Aktie von Xiaomi stieg in Hongkong um 8 Prozent.\n", encoding="utf-8")
    out = tmp_path / "r"
    result = runner.invoke(app, ["--db", str(tmp_path / "t.duckdb"), "report", "--articles", str(folder),
                                 "--prices-dir", str(SNAPSHOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "car.csv").is_file()
    assert "1810.HK" in result.stderr and "warning: no prices for 1 symbol(s): 1810.HK" in result.stderr


def test_articles_without_events_give_a_report_that_says_so(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "w.txt").write_text("Das Wetter\n\nAm Montag regnete es in Berlin, am Dienstag schien die Sonne.\n",
                                  encoding="utf-8")
    out = tmp_path / "r"
    result = runner.invoke(app, ["--db", str(tmp_path / "t.duckdb"), "report", "--articles", str(folder),
                                 "--offline", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "No events available" in (out / "index.html").read_text(encoding="utf-8")


def test_empty_datetime_columns_export_without_error(tmp_path):
    from tracker.report.exports import _csv_ready

    frame = pd.DataFrame({"day0": pd.Series([], dtype="datetime64[ns]"), "flags": pd.Series([], dtype=object)})
    assert _csv_ready(frame).empty


# --- the small things ------------------------------------------------------------------------------------------

def test_help_shows_flags_as_flags():
    for command in (["report"], ["study"], ["prices", "fetch"], ["sql"]):
        text = runner.invoke(app, [*command, "--help"], terminal_width=200).stdout
        assert "<bool>" not in text, command
    assert "--open " in runner.invoke(app, ["report", "--help"]).stdout


def test_interactive_shell_says_read_only_or_read_write(tmp_path):
    from tracker.db import connect
    from tracker.shell import Shell

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    con = connect(tmp_path / "t.duckdb")
    err = io.StringIO()
    Shell(con, Terminal(".quit\n"), io.StringIO(), stderr=err, banner="t.duckdb (read-only; pass --write to change data)").run()
    assert "read-only; pass --write" in err.getvalue()
    con.close()


def test_prices_progress_counts_symbols_not_ranges():
    from tracker import pipeline
    from tracker.db import connect
    from tracker.study import StudyParams
    from tracker.study.inputs import STUDY_EVENT_COLUMNS

    # two events years apart: SPY and BABA are needed over two ranges each, still two symbols
    events = pd.DataFrame([{"event_id": "a", "symbol": "BABA", "benchmark": "SPY", "study_date": date(2025, 9, 12)},
                           {"event_id": "b", "symbol": "BABA", "benchmark": "SPY", "study_date": date(2021, 3, 1)}])
    seen: list[str] = []
    pipeline.study(connect(":memory:"), StudyParams(), user_events=events.reindex(columns=STUDY_EVENT_COLUMNS),
                   offline=True, progress=seen.append)
    assert "prices for 2 symbols" in seen
