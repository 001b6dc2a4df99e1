"""write_report on a fixture database: the HTML is complete, self-contained and escaped; exports round-trip."""

from __future__ import annotations

import base64
import json
import re
import struct
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from report_fixture import PROVENANCE, build_report_db
from tracker.errors import TrackerError
from tracker.report import write_report

SECTIONS = {"summary", "aggregates", "events", "clusters", "uncertain", "skipped", "companies", "method", "provenance"}
N_CLUSTERS = 8  # (company, day 0) groups with abnormal returns in the fixture
N_IMAGES = 2 + 3 + N_CLUSTERS  # timeline, CAAR, three company charts, one figure per cluster
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
    for heading in ("Summary", "Events", "News clusters", "Aggregate results", "Skipped and flagged events",
                    "Events whose day is uncertain", "Method", "Data provenance"):
        assert heading in text


def test_images_are_distinct_png_files_beside_the_page(report):
    images = report["page"].images
    assert len(images) == N_IMAGES
    assert len(set(images)) == len(images)  # every chart appears once
    folder = report["output"].index_html.parent
    for src in images:
        path = folder / src
        assert src == path.name and path.is_file(), src  # a file beside index.html, not inlined
        width, height = png_size(path.read_bytes())
        assert 600 <= width <= 2000 and 300 <= height <= 2000
    assert {p.name for p in report["output"].images} == set(images)


def test_one_section_per_news_cluster(report):
    html, page = report["html"], report["page"]
    sections = [i for i in page.ids if i.startswith("cluster-")]
    assert len(sections) == N_CLUSTERS == report["output"].counts["clusters"]
    # Alibaba's 24 Sep news (a launch and an investment, on BABA and 9988.HK) is one section, one figure.
    part = html.split('id="cluster-alibaba-2025-09-24"')[1].split("</details>")[0]
    assert part.count("<img") == 1 and "cluster_alibaba_2025-09-24.png" in part
    assert "BABA" in part and "9988.HK" in part
    assert "Alibaba unveils Qwen3-Max" in part and "Alibaba raises its AI infrastructure budget" in part
    assert "002_alibaba.txt" in part and "Zugleich erh\u00f6hte Alibaba" in part  # each sentence with its article
    assert part.count('<tr><td class="sym">') == 2  # the CAR table: one row per listing
    # A CAR cell of that table is the stored number.
    car = report["con"].execute("SELECT car FROM study_car WHERE event_id = 'ev-baba-qwen' AND symbol = '9988.HK' "
                                "AND win_start = 0 AND win_end = 5").fetchone()[0]
    assert f"{car * 100:+.1f}%".replace("-", "\u2212") in part


def test_chart_names_never_collide():
    from tracker.report.figures import _Names

    names = _Names()
    first, second = names("cluster_a-b_2025-09-01", "a.b|2025-09-01"), names("cluster_a-b_2025-09-01", "a-b|2025-09-01")
    assert first != second and first == "cluster_a-b_2025-09-01.png"


def test_uncertain_events_show_window_cars_and_stay_out_of_moves(report):
    html, con = report["html"], report["con"]
    section = html.split('id="uncertain"')[1].split("</section>")[0]
    assert "dated to the week of 1 Sep 2025" in section and "exploratory" in section
    car, peak = con.execute("SELECT window_car, peak_date FROM study_results WHERE event_id = 'ev-bidu-outlook' "
                            "AND symbol = 'BIDU'").fetchone()
    assert f"{car * 100:+.1f}%".replace("-", "\u2212") in section
    assert f"{peak.day} {peak:%b %Y}" in section
    moves = report["output"].top_moves
    assert all("outlook" not in m["headline"] for m in moves)


def test_nothing_is_loaded_from_the_network(report):
    for tag, attr, url in report["page"].urls:
        if url.startswith(("data:", "#")):
            continue
        if tag == "img" and attr == "src" and "/" not in url and ":" not in url:
            continue  # a chart file beside index.html
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
    assert len(report["page"].scripts) == 1  # only our sorting and filtering script


def test_events_table_shows_cars_with_t_and_stars(report):
    con, html = report["con"], report["html"]
    car, t, p = con.execute("SELECT car, t, p FROM study_car WHERE event_id = 'ev-baba-qwen' AND symbol = 'BABA' "
                            "AND win_start = -1 AND win_end = 1").fetchone()
    stars = "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""
    expected = f"{car * 100:+.1f}%".replace("-", "\u2212")
    assert f'<span class="pos">{expected}</span><span class="stars">{stars}</span> <span class="t">t {t:.2f}</span>' in html
    assert 'data-sort="2025-09-24"' in html and "Alibaba unveils Qwen3-Max" in html
    assert "002_alibaba.txt" in html


def test_biggest_moves_are_one_row_per_cluster_in_order(report):
    moves = report["output"].top_moves
    con = report["con"]
    top = con.execute("""
        SELECT r.cluster_id, max(abs(c.car)) AS m FROM study_car c JOIN study_results r USING (event_id, symbol)
        WHERE c.win_start = -1 AND c.win_end = 1 AND r.in_aggregates AND NOT list_contains(r.flags, 'date_uncertain')
        GROUP BY r.cluster_id ORDER BY m DESC""").fetchall()
    assert [m["cluster_id"] for m in moves] == [r[0] for r in top]
    qwen = next(m for m in moves if m["cluster_id"] == "alibaba|2025-09-24")
    assert [item["symbol"] for item in qwen["listings"]] == ["BABA", "9988.HK"]  # primary first, one row


def test_skipped_section_gives_reasons(report):
    text = " ".join(report["page"].text)
    assert "precedes the listing of 0020.HK" in text  # SenseTime 2021, flagged not_listed
    assert "Huawei has no stock listing to study" in text
    assert "another Alibaba event on 2025-09-24" in text
    assert "dated to the week of 1 Sep 2025" in text


def test_aggregates_show_every_test_and_convention(report):
    con, page = report["con"], report["page"]
    text = " ".join(page.text)
    for test, convention in con.execute("SELECT DISTINCT test, convention FROM study_aggregates").fetchall():
        assert test in text and convention in text and convention in page.titles
    n_groups = con.execute("SELECT count(*) FROM (SELECT DISTINCT group_kind, group_value, \"window\" FROM study_aggregates)").fetchone()[0]
    table = report["html"].split('id="aggregates-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == n_groups + 1  # header + one row per (group, window)
    assert "<th class=\"num\">listings</th>" in table  # N (clusters) with the listings' count beside it
    n, n_listings = con.execute("SELECT n, n_listings FROM study_aggregates WHERE group_kind = 'all' LIMIT 1").fetchone()
    assert f'<td class="num">{n}</td><td class="num">{n_listings}</td>' in table
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
    assert charts[0] == f"charts 1/{N_IMAGES}" and charts[-1] == f"charts {N_IMAGES}/{N_IMAGES}"


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
    assert len(ar) == con.execute("SELECT count(*) FROM study_ar").fetchone()[0]
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
    assert SECTIONS - {"uncertain"} <= page.ids  # no study columns, no uncertain section
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
    # A study written before issue 13: no cluster_id, is_primary or uncertainty-window columns.
    for table, column in (("study_results", "flag_reasons"), ("study_ar", "bench_price"), ("study_car", "win_start"),
                          ("study_results", "cluster_id"), ("study_results", "is_primary"),
                          ("study_results", "window_car"), ("study_aggregates", "n_listings")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    out = write_report(con, tmp_path, PROVENANCE)
    page = Page(out.index_html.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "overlap" in text and "Alibaba unveils Qwen3-Max" in text
    # clusters derived as company|day 0; no company names without events, so ids are the companies'
    assert "cluster-alibaba-2025-09-24" in page.ids and not any("sense" in i for i in page.ids)
    assert "uncertain" not in page.ids  # the section needs the study's window columns; none are made up
    assert "N counts (event, listing) pairs" in text  # an older study's N is not called a count of clusters
    assert len(page.images) == len(set(page.images)) == N_IMAGES
    assert "Alibaba unveils Qwen3-Max and lifts AI spending plan" in text


def test_counts_are_one_set_shown_the_same_everywhere(report):
    from types import SimpleNamespace

    from tracker.cli import _summary_text
    from tracker.report import COUNT_LABELS

    out, html = report["output"], report["html"]
    counts = out.counts
    assert set(counts) == set(COUNT_LABELS)
    shown = dict(re.findall(r'data-count="(\w+)"><b>(\d+)</b>', html))
    assert {k: int(v) for k, v in shown.items()} == counts
    stored = json.loads(out.report_json.read_text(encoding="utf-8"), parse_constant=_reject)["counts"]
    assert stored == counts
    cli = _summary_text(SimpleNamespace(summary=out.summary, index_html=out.index_html)).splitlines()[0]
    assert {k: int(n) for n, k in ((re.search(rf"(\d+) {re.escape(label)}", cli).group(1), k)
                                   for k, label in COUNT_LABELS.items())} == counts
    con = report["con"]
    assert counts["clusters"] == N_CLUSTERS
    assert counts["studied_pairs"] == con.execute("SELECT count(*) FROM (SELECT DISTINCT event_id, symbol FROM study_ar "
                                                  "WHERE car IS NOT NULL)").fetchone()[0]
    n_all = con.execute("SELECT DISTINCT n FROM study_aggregates WHERE group_kind = 'all'").fetchall()
    assert n_all == [(counts["in_aggregates"],)]  # N of "all" = the clusters in the aggregates


def _reject(token):
    raise ValueError(f"not strict JSON: {token}")


def test_report_json_is_strict(tmp_path):
    """NaN and infinities become null, numpy numbers stay numbers."""
    import numpy as np

    from tracker.report.exports import write_report_json

    path = write_report_json(tmp_path / "report.json", provenance={"x": float("nan"), "when": pd.Timestamp("2025-09-12")},
                             params={"n": np.int64(3), "beta": np.float64(1.5), "inf": np.inf, "ok": np.bool_(True)},
                             params_origin="test", counts={"events": np.int64(4)}, files={})
    data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject)
    assert data["provenance"] == {"x": None, "when": "2025-09-12T00:00:00"}
    assert data["study_params"] == {"n": 3, "beta": 1.5, "inf": None, "ok": True}
    assert data["counts"] == {"events": 4}


def test_tables_export_when_a_listing_has_no_prices(tmp_path):
    """A study with rows but no abnormal returns at all (every listing without prices) still exports."""
    con = build_report_db()
    con.execute("DELETE FROM study_ar")
    con.execute("DELETE FROM study_car")
    out = write_report(con, tmp_path, PROVENANCE)
    assert (tmp_path / "ar.csv").is_file() and (tmp_path / "ar.parquet").is_file()
    assert out.counts["studied_pairs"] == 0 and out.counts["clusters"] == 0


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
