"""write_report on a fixture database: the HTML is complete, self-contained and escaped; exports round-trip."""

from __future__ import annotations

import base64
import json
import struct
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from report_fixture import PROVENANCE, build_report_db
from tracker.errors import TrackerError
from tracker.report import write_report

SECTIONS = {"summary", "events", "studies", "companies", "aggregates", "skipped", "method", "provenance"}
EVIL = "<script>alert(1)</script>"


class Page(HTMLParser):
    """What a test needs from the HTML: ids, images, every URL-bearing attribute, scripts, text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids, self.images, self.urls, self.scripts, self.text, self.titles = set(), [], [], [], [], []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "title" in attrs:
            self.titles.append(attrs["title"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        for name in ("src", "href", "srcset", "poster", "data", "action"):
            if name in attrs:
                self.urls.append((tag, name, attrs[name]))
        if tag == "script":
            self._in_script = True
            self.scripts.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("report")
    con = build_report_db()
    con.execute("UPDATE events SET evidence = ? WHERE id = 'ev-camb-h1'", [f"Umsatz {EVIL} stieg"])
    con.execute("UPDATE articles SET url = 'javascript:alert(2)' WHERE file = '000_sensetime.txt'")
    messages = []
    output = write_report(con, out_dir, PROVENANCE, progress=messages.append)
    html = output.index_html.read_text(encoding="utf-8")
    yield {"con": con, "output": output, "html": html, "page": Page(html), "messages": messages}
    con.close()


def test_every_section_present(report):
    assert SECTIONS <= report["page"].ids
    text = " ".join(report["page"].text)
    for heading in ("Summary", "Events", "Event studies", "Aggregate results", "Skipped and flagged events",
                    "Method", "Data provenance"):
        assert heading in text


def test_images_are_inline_pngs_of_sane_size(report):
    images = report["page"].images
    # timeline + CAAR + 3 companies + 12 (event, listing) studies
    assert len(images) == 17
    for src in images:
        assert src.startswith("data:image/png;base64,")
        width, height = png_size(base64.b64decode(src.split(",", 1)[1]))
        assert 600 <= width <= 2000 and 300 <= height <= 2000
    assert all(p.exists() and p.suffix == ".png" for p in report["output"].images)


def test_nothing_is_loaded_from_the_network(report):
    for tag, attr, url in report["page"].urls:
        if url.startswith(("data:", "#")):
            continue
        # Only plain hyperlinks to article sources may point outside; nothing auto-loads.
        assert tag == "a" and attr == "href", (tag, attr, url)
    assert all("src" not in attrs for attrs in report["page"].scripts)
    assert "@import" not in report["html"] and "url(http" not in report["html"]
    assert "https://www.example.com/news/004_cambricon" in {u for _t, _a, u in report["page"].urls}
    assert not any(u.lower().startswith("javascript:") for _t, _a, u in report["page"].urls)


def test_article_text_is_escaped(report):
    html = report["html"]
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any(EVIL in chunk for chunk in report["page"].text)  # shown to the reader as text
    assert len(report["page"].scripts) == 1  # only our sorting script


def test_events_table_shows_cars_with_t_and_stars(report):
    con, html = report["con"], report["html"]
    car, t, p = con.execute("SELECT car, t, p FROM study_car WHERE event_id = 'ev-baba-qwen' AND symbol = 'BABA' "
                            "AND win_start = -1 AND win_end = 1").fetchone()
    stars = "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""
    expected = f"{car * 100:+.1f}%".replace("-", "\u2212")
    assert f'<span class="pos">{expected}</span><span class="stars">{stars}</span> <span class="t">t {t:.2f}</span>' in html
    assert 'data-sort="2025-09-24"' in html and "Alibaba unveils Qwen3-Max" in html
    assert "002_alibaba.txt" in html


def test_summary_lists_biggest_moves_in_order(report):
    moves = report["output"].summary["top_moves"]
    con = report["con"]
    top = con.execute("SELECT symbol, abs(car) FROM study_car WHERE \"window\" = '-1:1' ORDER BY abs(car) DESC LIMIT 5").fetchall()
    assert [m["symbol"] for m in moves] == [r[0] for r in top]


def test_skipped_section_gives_reasons(report):
    text = " ".join(report["page"].text)
    assert "precedes the listing of 0020.HK" in text  # SenseTime 2021, flagged not_listed
    assert "Huawei has no stock listing to study" in text
    assert "another Alibaba event on 2025-09-24" in text
    assert report["output"].summary["skipped_or_flagged"] == 6


def test_aggregates_show_every_test_and_convention(report):
    con, page = report["con"], report["page"]
    text = " ".join(page.text)
    for test, convention in con.execute("SELECT DISTINCT test, convention FROM study_aggregates").fetchall():
        assert test in text and convention in text and convention in page.titles
    n_groups = con.execute("SELECT count(*) FROM (SELECT DISTINCT group_kind, group_value, \"window\" FROM study_aggregates)").fetchone()[0]
    table = report["html"].split('id="aggregates-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == n_groups + 1  # header + one row per (group, window)
    caar, stat, p = con.execute("SELECT caar, statistic, p FROM study_aggregates WHERE group_kind = 'all' "
                                "AND \"window\" = '-1:1' AND test = 'patell_z'").fetchone()
    assert f"{caar * 100:+.2f}%".replace("-", "\u2212") in table and f"{stat:.2f}" in table


def test_method_and_provenance(report):
    text = " ".join(report["page"].text)
    assert "trading days \u2212250 to \u221211 relative to day 0" in text
    assert "CSV files (csv:/fixture/prices)" in text
    assert "duckdb 2.0.0" in text and "1 Oct 2025, 09:31 UTC" in text


def test_progress_reports_chart_counts(report):
    charts = [m for m in report["messages"] if m.startswith("charts ")]
    assert charts[0] == "charts 1/17" and charts[-1] == "charts 17/17"


def test_exports_round_trip(report):
    out = report["output"]
    con = report["con"]
    names = {p.name for p in out.tables}
    assert {"events.csv", "events.parquet", "car.csv", "car.parquet", "ar.csv", "ar.parquet"} <= names
    folder = out.index_html.parent
    for name in ("events", "car", "ar"):
        csv, parquet = pd.read_csv(folder / f"{name}.csv"), pd.read_parquet(folder / f"{name}.parquet")
        assert len(csv) == len(parquet) and list(csv.columns) == list(parquet.columns)
    car = pd.read_parquet(folder / "car.parquet")
    assert len(car) == con.execute("SELECT count(*) FROM study_car").fetchone()[0]
    stored = con.execute("SELECT car FROM study_car WHERE event_id = 'ev-camb-h1' AND \"window\" = '0:5'").fetchone()[0]
    row = pd.read_csv(folder / "car.csv").query("event_id == 'ev-camb-h1' and window == '0:5'")
    assert row["car"].iloc[0] == pytest.approx(stored)
    events = pd.read_csv(folder / "events.csv")
    assert set(events["id"]) == {r[0] for r in con.execute("SELECT id FROM events").fetchall()}
    assert list(pd.read_parquet(folder / "events.parquet").set_index("id").loc["ev-baba-qwen", "tickers"]) == ["BABA", "9988.HK"]
    ar = pd.read_parquet(folder / "ar.parquet")
    assert len(ar) == 12 * 21
    meta = json.loads(out.report_json.read_text())
    assert meta["study_params"]["estimation"] == [-250, -11]
    assert meta["provenance"]["price_source"] == "csv:/fixture/prices"
    assert meta["files"]["index_html"] == "index.html" and "car.parquet" in meta["files"]["tables"]


def test_missing_study_tables_render_as_not_available(tmp_path):
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE events (id VARCHAR, company VARCHAR, company_name VARCHAR, event_type VARCHAR, "
                "event_date DATE, headline VARCHAR, evidence VARCHAR, article VARCHAR)")
    con.execute("INSERT INTO events VALUES ('e1', 'alibaba', 'Alibaba', 'earnings', '2025-09-01', 'Results', 'x', 'a.txt')")
    out = write_report(con, tmp_path, {})
    page = Page(out.index_html.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert SECTIONS <= page.ids
    assert "No event studies available (the study has not been run)" in text
    assert "Aggregate results not available (no study_aggregates table)" in text
    assert len(page.images) == 1  # the timeline still draws


def test_missing_optional_columns_and_events_table_are_tolerated(tmp_path):
    """As after `tracker study --events my.csv`: no extracted events, only study rows; older columns missing."""
    con = build_report_db()
    con.execute("DROP TABLE event_sources")
    con.execute("DROP TABLE events")
    # A pair whose window has no usable returns (the study writes NULL CARs before a listing): no chart.
    con.execute("INSERT INTO study_ar (event_id, symbol, day, car) SELECT 'ev-sense-ipo', '0020.HK', d, NULL "
                "FROM range(0, 11) t(d)")
    for table, column in (("study_results", "flag_reasons"), ("study_ar", "bench_price"), ("study_car", "win_start")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    out = write_report(con, tmp_path, PROVENANCE)
    page = Page(out.index_html.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "overlap" in text and "Alibaba unveils Qwen3-Max" in text
    assert "study-ev-baba-qwen-BABA" in page.ids and not any("sense" in i for i in page.ids)
    assert len(page.images) == 17
    assert "Alibaba \u00b7 BABA \u2014 Alibaba unveils Qwen3-Max and lifts AI spending plan" in text


def test_empty_database_is_a_user_error(tmp_path):
    with pytest.raises(TrackerError, match="nothing to report"):
        write_report(duckdb.connect(":memory:"), tmp_path, {})


def test_rerun_removes_charts_of_events_that_are_gone(tmp_path):
    con = build_report_db()
    for table in ("study_results", "study_ar", "study_car"):  # fewer charts: a faster test
        con.execute(f"DELETE FROM {table} WHERE event_id NOT IN ('ev-camb-h1', 'ev-camb-csrc', 'ev-bidu-q2')")
    first = write_report(con, tmp_path, PROVENANCE)
    (tmp_path / "notes.png").write_bytes(b"not ours")
    gone = [p for p in first.images if "camb" in p.name]
    assert len(gone) == 3  # company chart + two event charts
    for table in ("study_results", "study_ar", "study_car"):
        con.execute(f"DELETE FROM {table} WHERE symbol = '688256.SS'")
    second = write_report(con, tmp_path, PROVENANCE)
    assert not any(p.exists() for p in gone)
    assert all(p.exists() for p in second.images) and (tmp_path / "notes.png").exists()


def test_event_dates_keep_their_precision():
    from tracker.report.format import period_date

    assert period_date("2025-09-08", "week") == "week of 8 Sep 2025"
    assert period_date("2025-08-01", "month") == "Aug 2025"
    assert period_date("2025-07-01", "quarter") == "Q3 2025"
    assert period_date("2025-01-01", "half") == "H1 2025"
    assert period_date("2014-01-01", "year") == "2014"
    assert period_date("2025-09-18", "day") == "18 Sep 2025"
