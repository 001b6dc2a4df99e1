"""CSV import: Yahoo export and its variants, validation errors with file and line, real data."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tracker.errors import TrackerError
from tracker.prices import ensure_prices, fetch, import_csv_dir
from tracker.prices.csvdir import read_price_csv

YAHOO_EXPORT = """Date,Open,High,Low,Close,Adj Close,Volume
2024-03-01,100.0,101.0,99.0,100.5,99.5,1000
2024-03-04,100.5,102.0,100.0,101.5,100.5,1100
2024-03-05,101.5,103.0,101.0,102.5,101.5,1200
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(con, symbol):
    return con.execute("SELECT date, open, close, adj_close, volume, source FROM prices WHERE symbol = ? ORDER BY date",
                       [symbol]).df()


def test_yahoo_export_imports_with_symbol_from_file_name(con, tmp_path):
    write(tmp_path, "BABA.csv", YAHOO_EXPORT)
    write(tmp_path, "^HSI.csv", YAHOO_EXPORT)
    out = import_csv_dir(con, tmp_path).set_index("symbol")
    assert list(out.index) == ["BABA", "^HSI"]
    assert list(out["status"]) == ["ok", "ok"] and list(out["rows"]) == [3, 3]
    rows = stored(con, "BABA")
    assert list(rows["adj_close"]) == [99.5, 100.5, 101.5]
    assert rows["source"].iloc[0] == "csv"  # the label; price_fetches.message names the file
    assert con.execute("SELECT exchange, currency, is_index FROM price_symbols WHERE symbol = '^HSI'").fetchall() == [
        ("XHKG", "HKD", True)]


def test_variants_lowercase_extra_columns_descending_blank_volume(con, tmp_path):
    write(tmp_path, "BIDU.csv", "date,open,high,low,close,adj_close,volume,dividends,note\n"
                                "2024-03-05,1,2,1,2.5,2.4,,0,x\n"
                                "2024-03-04,1,2,1,2.0,1.9,500,0,y\n"
                                "2024-03-01 00:00:00-05:00,1,2,1,1.5,1.4,400,0,z\n")
    write(tmp_path, "TSM.csv", "Date,Open,High,Low,Close,AdjClose,Volume\n20240301,1,2,1,1.5,1.5,10\n")
    write(tmp_path, "nvda.csv", "Date,Close\n2024-03-01,9\n\n2024-03-04,10\n")
    write(tmp_path, "AMD.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n"
                               "2024-03-01,null,null,null,null,null,null\n2024-03-04,1,2,1,3,3,7\n")
    out = import_csv_dir(con, tmp_path).set_index("symbol")
    assert (out["status"] == "ok").all(), out["message"].to_dict()
    bidu = stored(con, "BIDU")
    assert list(bidu["date"].dt.date) == [date(2024, 3, 1), date(2024, 3, 4), date(2024, 3, 5)]
    assert pd.isna(bidu["volume"].iloc[2]) and bidu["volume"].iloc[1] == 500
    assert stored(con, "TSM")["date"].dt.date.tolist() == [date(2024, 3, 1)]
    nvda = stored(con, "NVDA")
    assert list(nvda["adj_close"]) == [9, 10] and nvda["open"].isna().all()
    assert "no adj_close column" in out.loc["NVDA", "message"]
    assert out.loc["AMD", "rows"] == 1 and "skipped 1 rows without prices (e.g. line 2)" in out.loc["AMD", "message"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("2024-03-01,1,2,1,1.5,1.5,10\n2024-03-01,1,2,1,1.6,1.6,10\n", "X.csv lines 2, 3: duplicate date 2024-03-01"),
        ("2024-03-01,1,2,1,1.5,1.5,10\n2024-03-04,1,2,1,0,0,10\n", "X.csv line 3: close must be positive, got 0"),
        ("2024-03-01,1,2,1,-1.5,1.5,10\n", "X.csv line 2: close must be positive, got -1.5"),
        ("2024-03-01,1,2,1,1.5,1.5,10\n03/04/2024,1,2,1,1.5,1.5,10\n",
         "X.csv line 3: unparseable date '03/04/2024' (use YYYY-MM-DD)"),
        ("2024-02-30,1,2,1,1.5,1.5,10\n", "X.csv line 2: unparseable date '2024-02-30'"),
        ("2024-03-01,1,2,1,abc,1.5,10\n", "X.csv line 2: close is not a number: 'abc'"),
        ("2024-03-01,1,2,1,,1.5,10\n", "X.csv line 2: close is blank"),
        ("2024-03-01,1,2,1,1.5,1.5,-3\n", "X.csv line 2: volume must not be negative, got -3"),
    ],
)
def test_each_validation_error_names_file_and_line(tmp_path, body, expected):
    path = write(tmp_path, "X.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n" + body)
    bars, errors, _ = read_price_csv(path)
    assert bars.empty
    assert any(e.startswith(expected) for e in errors), errors


def test_missing_column_and_empty_file(tmp_path):
    assert read_price_csv(write(tmp_path, "A.csv", "Day,Price\n2024-03-01,1\n"))[1] == [
        "A.csv line 1: no date column (found: day, price); the header must be date,open,high,low,close,adj_close,volume"]
    assert "no close (or adj_close) column" in read_price_csv(write(tmp_path, "C.csv", "date,open\n2024-03-01,1\n"))[1][0]
    only_adjusted, errors, _ = read_price_csv(write(tmp_path, "D.csv", "date,adj_close\n2024-03-01,2.5\n"))
    assert not errors and list(only_adjusted["close"]) == [2.5] == list(only_adjusted["adj_close"])
    assert read_price_csv(write(tmp_path, "B.csv", ""))[1] == ["B.csv: the file is empty"]


def test_bad_file_is_reported_others_import_and_stored_rows_survive(con, tmp_path):
    write(tmp_path, "BABA.csv", YAHOO_EXPORT)
    import_csv_dir(con, tmp_path)
    write(tmp_path, "BABA.csv", YAHOO_EXPORT + "2024-03-05,1,1,1,1,1,1\n")   # now has a duplicate
    write(tmp_path, "BIDU.csv", YAHOO_EXPORT)
    out = import_csv_dir(con, tmp_path).set_index("symbol")
    assert out.loc["BABA", "status"] == "error"
    assert out.loc["BABA", "message"].startswith("BABA.csv lines 4, 5: duplicate date 2024-03-05")
    assert out.loc["BIDU", "status"] == "ok"
    assert len(stored(con, "BABA")) == 3


def test_symbols_filter_and_missing_file(con, tmp_path):
    write(tmp_path, "BABA.csv", YAHOO_EXPORT)
    write(tmp_path, "BIDU.csv", YAHOO_EXPORT)
    out = import_csv_dir(con, tmp_path, symbols=["BABA", "TSM"]).set_index("symbol")
    assert list(out.index) == ["BABA", "TSM"]
    assert out.loc["TSM", "status"] == "missing" and out.loc["TSM", "message"] == f"no TSM.csv in {tmp_path}"
    assert stored(con, "BIDU").empty


def test_folder_errors_are_user_errors(con, tmp_path):
    with pytest.raises(TrackerError, match="does not exist"):
        import_csv_dir(con, tmp_path / "nope")
    with pytest.raises(TrackerError, match="no SYMBOL.csv files"):
        import_csv_dir(con, tmp_path)


def test_ensure_prices_with_a_folder(con, tmp_path):
    write(tmp_path, "BABA.csv", YAHOO_EXPORT)
    needs = pd.DataFrame({"symbol": ["BABA", "TSM", "BABA"], "start": ["2024-03-01", "2024-03-01", "2024-02-26"],
                          "end": ["2024-03-05", "2024-03-05", "2024-03-01"]})
    out = ensure_prices(con, needs, tmp_path, offline=False, refresh=False).set_index("symbol")
    assert out.loc["TSM", "status"] == "missing" and out.loc["TSM", "message"] == f"no TSM.csv in {tmp_path}"
    assert out.loc["BABA", "status"] == "partial"    # the file starts 2024-03-01, needs go back to 02-26
    assert "no rows for BABA 2024-02-26..2024-02-29 (4 sessions)" in out.loc["BABA", "message"]
    assert out.loc["BABA", "source"] == "csv" and out.loc["BABA", "rows"] == 3


def test_imported_csv_counts_as_cache_coverage(con, tmp_path):
    write(tmp_path, "BABA.csv", YAHOO_EXPORT)
    import_csv_dir(con, tmp_path)

    def never(*a, **k):
        raise AssertionError("covered by the CSV; no download expected")

    out = fetch(con, pd.DataFrame({"symbol": ["BABA"], "start": ["2024-03-01"], "end": ["2024-03-05"]}),
                downloader=never)
    assert out.loc[0, "status"] == "cached"


def test_import_all_of_shared_prices(con, shared_prices):
    out = import_csv_dir(con, shared_prices)
    assert len(out) == 20 and (out["status"] == "ok").all(), out[out["status"] != "ok"]["message"].tolist()
    baba = out.set_index("symbol").loc["BABA"]
    assert baba["rows"] == 856 and baba["first"] == date(2020, 6, 1) and baba["last"] == date(2026, 3, 25)
    # SOURCES.md spot checks survive the import
    close = dict(con.execute("SELECT symbol || ' ' || date, close FROM prices WHERE (symbol, date) IN "
                             "(('BABA', DATE '2025-09-24'), ('SPY', DATE '2020-06-01'), ('^HSI', DATE '2024-10-08'))").fetchall())
    assert close == {"BABA 2025-09-24": 176.44, "SPY 2020-06-01": 305.55, "^HSI 2024-10-08": 20926.7891}
    # two stretches per file: the years between are not claimed as covered
    spans = con.execute("SELECT start_date, end_date FROM price_fetches WHERE symbol = 'BABA' ORDER BY 1").fetchall()
    assert spans == [(date(2020, 6, 1), date(2021, 12, 31)), (date(2024, 6, 3), date(2026, 3, 25))]
    hstech_blank = con.execute("SELECT count(*) FROM prices WHERE symbol = 'HSTECH.HK' AND volume IS NULL").fetchall()
    assert hstech_blank == [(138,)]
