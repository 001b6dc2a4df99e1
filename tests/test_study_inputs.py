"""User event CSVs and the study_events loader."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tracker.errors import TrackerError
from tracker.study import load_study_events, read_events_csv, user_events_to_study_events


def _write(tmp_path, text):
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_minimal_and_full_rows(tmp_path):
    path = _write(tmp_path, "symbol,event_date,event_type,label,benchmark\n"
                            "BABA,2025-09-24,earnings,\"Q2, beat\",\n"
                            "\n"
                            "9988.HK,2025-09-25,,,^HSI\n")
    events = read_events_csv(path)
    assert list(events.symbol) == ["BABA", "9988.HK"]
    assert list(events.event_date.dt.date) == [date(2025, 9, 24), date(2025, 9, 25)]
    assert events.label[0] == "Q2, beat" and pd.isna(events.benchmark[0]) and events.benchmark[1] == "^HSI"
    assert list(events.line) == [2, 4]


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("ticker,date\nBABA,2025-09-24\n", ":1: header must be symbol,event_date"),
    ("symbol,event_date\nBABA,24.09.2025\n", ":2: event_date '24.09.2025' is not a date"),
    ("symbol,event_date\nBABA,2025-09-24\n,2025-09-25\n", ":3: the symbol is empty"),
    ("symbol,event_date\nBABA,2025-09-24,extra\n", ":2: 3 fields but the header has 2"),
    ("symbol,event_date\n", "has no event rows"),
    ("symbol\nBABA\n", ":1: header must be symbol,event_date"),                       # a required column missing
    ("symbol,event_date,window\nBABA,2025-09-24,-5:5\n", ":1: header must be"),      # a column the study has no use for
    ("symbol,event_date,symbol\nBABA,2025-09-24,X\n", ":1: header must be"),          # a column twice
    ("symbol,event_date\nBABA,2025-09-24\n\n\nNVDA,2025-02-30\n", ":5: event_date '2025-02-30' is not a date"),
    ("symbol,event_date\nBABA,\n", ":2: event_date '' is not a date"),
    ("symbol,event_date\nBABA,2025-09-24\nNVDA,2025-09-25\nAMD,2025-09-26,x,y\n", ":4: 4 fields but the header has 2"),
    ("symbol,event_date,label\nBABA,2025-09-24,ok\n   ,2025-09-25,no symbol\n", ":3: the symbol is empty"),
])
def test_bad_files_name_file_and_line(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(TrackerError) as err:
        read_events_csv(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(TrackerError, match="not found"):
        read_events_csv(tmp_path / "nope.csv")


def test_user_events_use_listings_then_exchange(con, tmp_path):
    con.execute("INSERT INTO listings (symbol, company, exchange, currency, listed_since, benchmark, is_primary, kind) "
                "VALUES ('BABA', 'alibaba', 'XNYS', 'USD', DATE '2014-09-19', 'SPY', true, 'ADR')")
    path = _write(tmp_path, "symbol,event_date,benchmark\nBABA,2025-09-24,\n0700.HK,2025-09-24,\n"
                            "688256.SS,2025-09-24,\nNVDA,2025-09-24,QQQ\nBABA,2025-09-24,\n")
    rows = user_events_to_study_events(con, read_events_csv(path))
    assert list(rows.benchmark) == ["SPY", "^HSI", "000001.SS", "QQQ", "SPY"]
    assert list(rows.company) == ["alibaba", "0700.HK", "688256.SS", "NVDA", "alibaba"]
    assert rows.listed_since[0].date() == date(2014, 9, 19) and rows.day0.isna().all()
    assert list(rows.event_id) == ["BABA@2025-09-24", "0700.HK@2025-09-24", "688256.SS@2025-09-24",
                                   "NVDA@2025-09-24", "BABA@2025-09-24#2"]
    load_study_events(con, rows)
    assert con.execute("SELECT count(*), count(day0) FROM study_events").fetchall() == [(5, 0)]


def test_loader_rejects_bad_rows(con):
    good = {"event_id": "e", "symbol": "A", "benchmark": "SPY", "study_date": date(2025, 1, 2)}
    with pytest.raises(TrackerError, match="lack the column"):
        load_study_events(con, pd.DataFrame([{"event_id": "e", "symbol": "A"}]))
    with pytest.raises(TrackerError, match="appears twice"):
        load_study_events(con, pd.DataFrame([good, good]))
    with pytest.raises(TrackerError, match="has no benchmark"):
        load_study_events(con, pd.DataFrame([{**good, "benchmark": None}]))
    load_study_events(con, pd.DataFrame([good]))
    load_study_events(con, pd.DataFrame([{**good, "event_id": "f"}]))     # replaces, not appends
    assert con.execute("SELECT event_id FROM study_events").fetchall() == [("f",)]


def test_a_file_that_is_not_utf8_is_one_clear_error(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes("symbol,event_date,label\nBABA,2025-09-24,M\xfcnchen\n".encode("latin-1"))
    with pytest.raises(TrackerError, match="not UTF-8"):
        read_events_csv(path)


def test_many_rows_keep_their_lines_and_cells(tmp_path):
    lines = ["symbol,event_date,event_type,label,benchmark"]
    for i in range(3000):
        lines.append(f"S{i % 7},2020-01-{1 + i % 28:02d},{'t' if i % 2 else ''},\"l, {i}\",{'B' if i % 3 else ''}")
        if i % 500 == 0:
            lines.append("")
    events = read_events_csv(_write(tmp_path, "\n".join(lines) + "\n"))
    assert len(events) == 3000
    assert events.line.iloc[0] == 2 and events.line.iloc[1] == 4 and events.line.iloc[-1] == 3000 + 1 + 6
    assert events.label.iloc[2] == "l, 2" and pd.isna(events.event_type.iloc[2]) and events.event_type.iloc[1] == "t"
    assert pd.isna(events.benchmark.iloc[0]) and events.benchmark.iloc[1] == "B"
    rows = user_events_to_study_events(con=_empty_con(), events=events)
    assert rows.event_id.is_unique and rows.event_id.iloc[28] == "S0@2020-01-01#2"
    assert rows.event_id.iloc[56] == "S0@2020-01-01#3" and rows.benchmark.iloc[0] == "SPY"


def test_cli_bad_events_file_is_one_error_line_naming_file_and_line(tmp_path):
    from typer.testing import CliRunner

    from tracker.cli import app

    path = _write(tmp_path, "symbol,event_date\nBABA,2025-09-24\nBABA,next friday\n")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "t.duckdb"), "study", "--events", str(path), "--offline"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {path}:3: event_date 'next friday' is not a date like 2025-09-24"]
    bad_window = CliRunner().invoke(app, ["--db", str(tmp_path / "t.duckdb"), "study", "--events", str(path),
                                          "--window=-5:x"])
    assert bad_window.exit_code == 1 and len(bad_window.stderr.strip().splitlines()) == 1
    assert bad_window.stderr.startswith("Error: --window")


def _empty_con():
    from tracker.db import connect

    return connect(":memory:")
