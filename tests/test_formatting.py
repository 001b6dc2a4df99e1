"""Rendering result sets as table, CSV and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from tracker.errors import TrackerError
from tracker.formatting import display_width, format_float, render

COLUMNS = ["company", "event_date", "car", "n", "flags"]
ROWS = [
    ("Alibaba", dt.date(2025, 9, 18), 0.0123456789, 12, ["overlap"]),
    ("Börsengang GmbH", None, -1.5, 7, []),
    ("阿里巴巴", dt.date(2025, 1, 2), None, None, None),
]


def _spans(rule: str) -> list[tuple[int, int]]:
    """(start, end) of each column, read off the dashed rule under the header."""
    spans, pos = [], 0
    for dashes in rule.split("  "):
        spans.append((pos, pos + len(dashes)))
        pos += len(dashes) + 2
    return spans


def test_table_aligns_columns_and_right_aligns_numbers():
    header, rule, first, second, _ = render((COLUMNS, ROWS), "table").splitlines()
    spans = _spans(rule)
    cells = [[line[a:b] for a, b in spans] for line in (header, first, second)]
    assert [c.strip() for c in cells[0]] == COLUMNS
    assert cells[1][0] == "Alibaba".ljust(spans[0][1] - spans[0][0])  # text left-aligned
    assert cells[1][1] == "2025-09-18"
    assert cells[1][2] == "0.0123457" and cells[2][2] == "     -1.5"  # numbers right-aligned
    assert cells[1][3] == "  12" and cells[2][3] == "   7"  # width of "NULL"
    assert cells[2][1].strip() == "NULL" and cells[1][4].strip() == "[overlap]"


def test_table_counts_wide_characters_twice():
    lines = render((COLUMNS, ROWS), "table").splitlines()
    # "阿里巴巴" is 4 characters but 8 terminal columns; the date column must still line up.
    date_start = _spans(lines[1])[1][0]
    assert display_width(lines[4][: lines[4].index("2025-01-02")]) == date_start


def test_table_truncates_long_text_with_ellipsis():
    text = "Die Aktie legte nach dem Börsengang am Freitag deutlich zu, berichtet die Agentur."
    out = render((["evidence"], [(text,)]), "table", max_width=20)
    cell = out.splitlines()[2]
    assert cell.endswith("…") and display_width(cell) == 20 and cell.startswith("Die Aktie")


def test_table_max_rows_says_how_many_were_left_out():
    out = render((["i"], [(i,) for i in range(10)]), "table", max_rows=3)
    assert out.splitlines()[-1] == "(10 rows, first 3 shown)"
    assert len(out.splitlines()) == 2 + 3 + 1


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.0, "2.0"), (1234.5678912, "1234.567891"), (0.000123456789, "0.000123457"), (-0.5, "-0.5"),
     (12345678.0, "12345678.0"), (float("nan"), "NaN"), (1e-9, "1e-09")],
)
def test_float_format(value, text):
    assert format_float(value) == text


def test_csv_round_trips_with_iso_dates_and_empty_nulls():
    out = render((COLUMNS, ROWS), "csv")
    parsed = list(csv.reader(io.StringIO(out)))
    assert parsed[0] == COLUMNS
    assert parsed[1] == ["Alibaba", "2025-09-18", "0.0123456789", "12", '["overlap"]']
    assert parsed[2] == ["Börsengang GmbH", "", "-1.5", "7", "[]"]
    assert parsed[3] == ["阿里巴巴", "2025-01-02", "", "", ""]


def test_csv_quotes_commas_and_newlines():
    out = render((["t"], [("a, b\nc",)]), "csv")
    assert list(csv.reader(io.StringIO(out))) == [["t"], ["a, b\nc"]]


def test_json_parses_back_as_array_of_objects():
    out = render((COLUMNS, ROWS), "json")
    data = json.loads(out)
    assert data[0] == {"company": "Alibaba", "event_date": "2025-09-18", "car": 0.0123456789, "n": 12, "flags": ["overlap"]}
    assert data[1]["event_date"] is None and data[1]["flags"] == []
    assert data[2] == {"company": "阿里巴巴", "event_date": "2025-01-02", "car": None, "n": None, "flags": None}
    assert "Börsengang" in out  # readable, not \u-escaped


def test_json_of_dataframe_maps_nan_nat_arrays_and_dates():
    df = pd.DataFrame({
        "day0": pd.to_datetime(["2025-09-18", None]),
        "at": pd.to_datetime(["2025-09-18 10:30", "2025-09-19 00:00"]),
        "car": [np.float64(0.5), np.nan],
        "n": pd.array([3, None], dtype="Int64"),
        "flags": [np.array(["overlap", "background"]), np.array([], dtype=object)],
        "price": [Decimal("1.25"), Decimal("2")],
    })
    data = json.loads(render(df, "json"))
    assert data == [
        {"day0": "2025-09-18", "at": "2025-09-18T10:30:00", "car": 0.5, "n": 3, "flags": ["overlap", "background"], "price": 1.25},
        {"day0": None, "at": "2025-09-19T00:00:00", "car": None, "n": None, "flags": [], "price": 2.0},
    ]


def test_empty_result_keeps_header():
    assert render((["a", "b"], []), "csv") == "a,b"
    assert render((["a", "b"], []), "json") == "[]"
    assert render((["a", "b"], []), "table").splitlines()[0].split() == ["a", "b"]


def test_unknown_format_is_a_tracker_error():
    with pytest.raises(TrackerError, match="table, csv, json"):
        render((["a"], [(1,)]), "xml")


def test_a_dataframe_csv_is_written_column_wise_and_cell_for_cell_as_the_general_path():
    import datetime as dt

    import numpy as np

    from tracker.formatting import _render_csv, _render_csv_frame, to_columns_rows

    rng = np.random.default_rng(1)
    n = 2000
    f = rng.normal(size=n) * 10.0 ** rng.integers(-9, 19, n)
    f[::7], f[3], f[4], f[5], f[6] = np.nan, np.inf, -np.inf, 0.0, -0.0
    texts = ["a,b", 'q"uote', "line\nbreak", "cr\rx", "", " sp ", "plain", "ünï"]
    frame = pd.DataFrame({
        "event id": [f"e{i}" for i in range(n)], "f": f, "f32": f.astype(np.float32), "i": np.arange(n),
        "I": pd.array([None if i % 5 == 0 else i for i in range(n)], dtype="Int64"),
        "b": [bool(i % 2) for i in range(n)],
        "d": pd.to_datetime("2020-01-01") + pd.to_timedelta(np.arange(n), "D"),
        "dobj": [dt.date(2020, 1, 1) + dt.timedelta(days=i) if i % 3 else None for i in range(n)],
        "s": [None if i % 4 == 0 else texts[i % 8] for i in range(n)],
        "CAR[0:1]": pd.Series(["x" if i % 2 else "" for i in range(n)], dtype="str"),
    })
    fast = _render_csv_frame(frame)
    assert fast is not None
    assert fast == _render_csv(*to_columns_rows(frame))
    assert render(frame, "csv") == fast
    # a column of lists is left to the general path
    assert _render_csv_frame(frame.assign(l=[[1, 2]] * n)) is None
