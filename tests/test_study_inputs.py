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
    assert list(events.event_date) == [date(2025, 9, 24), date(2025, 9, 25)]
    assert events.label[0] == "Q2, beat" and pd.isna(events.benchmark[0]) and events.benchmark[1] == "^HSI"
    assert list(events.line) == [2, 4]


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("ticker,date\nBABA,2025-09-24\n", ":1: header must be symbol,event_date"),
    ("symbol,event_date\nBABA,24.09.2025\n", ":2: event_date '24.09.2025' is not a date"),
    ("symbol,event_date\nBABA,2025-09-24\n,2025-09-25\n", ":3: the symbol is empty"),
    ("symbol,event_date\nBABA,2025-09-24,extra\n", ":2: 3 fields but the header has 2"),
    ("symbol,event_date\n", "has no event rows"),
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
    assert rows.listed_since[0] == date(2014, 9, 19) and rows.day0.isna().all()
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
