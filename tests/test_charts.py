"""Chart functions: each returns a Figure that saves as a sane PNG; palette and layout rules hold."""

from __future__ import annotations

import struct
from datetime import date
from itertools import combinations

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from report_fixture import build_report_db
from tracker.report.charts import (
    EVENT_COLORS, EVENT_TYPES, caar_chart, cluster_chart, color_for, company_price_chart, save_png, timeline_chart,
)
from tracker.report.charts.style import split_periods
from tracker.report.data import load_prices, load_report_data

DESIGN_TYPES = {"ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance", "product_launch",
                "contract", "partnership", "regulatory_action", "export_control", "stock_move",
                "management_commentary", "merger_acquisition", "investment", "legal", "other"}


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def data():
    con = build_report_db()
    yield con, load_report_data(con)
    con.close()


def test_palette_covers_every_design_type_with_distinct_colours():
    assert set(EVENT_TYPES) == DESIGN_TYPES == set(EVENT_COLORS)
    assert len(set(EVENT_COLORS.values())) == len(EVENT_COLORS)
    assert color_for("export_control") == EVENT_COLORS["export_control"]
    assert color_for("no_such_type") not in EVENT_COLORS.values()


def test_backend_is_headless():
    assert matplotlib.get_backend().lower() == "agg"


def test_split_periods_separates_years_apart():
    days = [date(2021, 11, 22), date(2025, 9, 11), date(2025, 9, 24), date(2025, 8, 20)]
    assert split_periods(days) == [(date(2021, 11, 22), date(2021, 11, 22)), (date(2025, 8, 20), date(2025, 9, 24))]
    assert split_periods([]) == []


def _listing(d, event_id, symbol, benchmark, currency, cols=None):
    ar = d.study_ar[(d.study_ar.event_id == event_id) & (d.study_ar.symbol == symbol)]
    return {"symbol": symbol, "benchmark": benchmark, "currency": currency,
            "frame": (ar if cols is None else ar[cols]).reset_index(drop=True)}


def _inside(fig) -> None:
    """No text runs outside the figure: titles, notes, panel texts, axis labels, legends, tick labels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += list(ax.texts)
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
        if ax.axison:
            texts += [ax.xaxis.label, ax.yaxis.label]
            lo, hi = sorted(ax.get_xlim())
            texts += [t for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]
    for text in texts:
        if not text.get_visible() or not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, \
            text.get_text()


def test_cluster_chart_has_every_listing_in_one_figure(data, tmp_path):
    _con, d = data
    listings = [_listing(d, "ev-baba-qwen", "BABA", "SPY", "USD"), _listing(d, "ev-baba-qwen", "9988.HK", "^HSI", "HKD")]
    fig = cluster_chart(listings, company="Alibaba", day0=date(2025, 9, 24), event_types=["product_launch", "investment"],
                        headline="Alibaba unveils Qwen3-Max", note="BABA: market model vs SPY")
    assert isinstance(fig, Figure)
    top, bottom = fig.axes[:2]
    labels = [line.get_label() for line in top.get_lines() if not line.get_label().startswith("_")]
    assert labels == ["BABA (USD)", "SPY (benchmark of BABA)", "9988.HK (HKD)", "^HSI (benchmark of 9988.HK)"]
    stock = top.get_lines()[0]
    assert stock.get_ydata()[list(stock.get_xdata()).index(-1)] == pytest.approx(100.0)  # indexed on day -1
    assert len(bottom.collections) == 2  # one 95% band per listing
    final = d.study_ar[(d.study_ar.event_id == "ev-baba-qwen") & (d.study_ar.symbol == "9988.HK")].sort_values("day")["car"].iloc[-1]
    legend = [t.get_text() for t in bottom.get_legend().get_texts()]
    assert f"9988.HK: CAR to day +10 = {final * 100:+.1f}%".replace("-", "\u2212") in legend
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "Alibaba \u00b7 day 0 24 Sep 2025" in texts and "product launch, investment" in texts
    width, height = png_size(save_png(fig, tmp_path / "cluster.png"))
    assert 900 <= width <= 1600 and 500 <= height <= 1200
    _inside(fig)


def test_cluster_chart_without_prices_says_so(data):
    _con, d = data
    fig = cluster_chart([_listing(d, "ev-bidu-q2", "BIDU", "SPY", "USD", ["day", "car", "car_se"])],
                        company="Baidu", day0=date(2025, 8, 20), event_types=["earnings"])
    assert any("prices not available" in t.get_text() for t in fig.axes[0].texts)


def test_company_chart_skips_listings_and_stretches_without_prices(data):
    con, d = data
    events = pd.DataFrame({"date": [date(2019, 3, 1), date(2025, 9, 24)], "event_type": ["other", "product_launch"],
                           "headline": ["An old fact with no prices around it", "Qwen3-Max unveiled"]})
    prices = load_prices(con, ["BABA"], date(2018, 1, 1), date(2025, 11, 1))
    fig = company_price_chart("Alibaba", prices, [{"symbol": "BABA", "currency": "USD"},
                                                  {"symbol": "NOPRICES", "currency": "USD"}], events)
    price_axes = [ax for ax in fig.axes if ax.get_lines() and ax.axison]
    assert len(price_axes) == 1  # one listing with prices, one stretch with prices: one panel, no empty ones
    assert not any("no prices" in t.get_text() for ax in fig.axes for t in ax.texts)
    _inside(fig)


def test_company_chart_labels_do_not_overlap(data, tmp_path):
    con, d = data
    events = pd.DataFrame({
        "date": [date(2025, 9, 11), date(2025, 9, 12), date(2025, 9, 24), date(2025, 9, 25), date(2025, 9, 26)],
        "event_type": ["capital_raise", "legal", "product_launch", "stock_move", "partnership"],
        "headline": ["Alibaba sells US$3.2bn exchangeable bonds", "Court hears claim", "Qwen3-Max unveiled",
                     "Shares jump 9%", "Partnership with Nvidia on physical AI"]})
    prices = load_prices(con, ["BABA", "9988.HK"], date(2025, 6, 1), date(2025, 11, 1))
    fig = company_price_chart("Alibaba", prices, [{"symbol": "BABA", "currency": "USD"},
                                                  {"symbol": "9988.HK", "currency": "HKD"}], events)
    path = save_png(fig, tmp_path / "co.png")
    renderer = fig.canvas.get_renderer()
    strip = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in strip.texts]
    assert len(boxes) == 5
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    labels = [ax.get_ylabel() for ax in fig.axes[1:]]
    assert "BABA\n(USD)" in labels and "9988.HK\n(HKD)" in labels
    assert png_size(path)[0] >= 1000
    _inside(fig)


def test_caar_chart_has_n_in_legend(data, tmp_path):
    _con, d = data
    fig = caar_chart(d.study_aar)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "product launch (N=2)" in legend and "all events (N=5)" in legend  # N = clusters
    assert png_size(save_png(fig, tmp_path / "caar.png"))[1] >= 400


def test_timeline_breaks_axis_for_events_years_apart(data, tmp_path):
    _con, d = data
    events = d.events.rename(columns={"event_date": "date"}).assign(studied=lambda f: f["id"] != "ev-sense-ipo")
    fig = timeline_chart(events)
    assert len(fig.axes) == 2  # 2021 and 2025 panels
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][-1] == "Alibaba"
    years = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"2021", "2025"} <= years
    _inside(fig)
    assert png_size(save_png(fig, tmp_path / "tl.png"))[0] >= 1000


def test_charts_are_drawn_here_when_worker_processes_cannot_start(tmp_path, monkeypatch):
    """A spawned worker re-imports __main__; where that fails (a program read from stdin) every
    worker dies at start. The report then draws its charts in this process instead of failing."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        from pathlib import Path
        import matplotlib.pyplot as plt
        from tracker.report.charts import jobs

        def tiny():
            fig, ax = plt.subplots(figsize=(1, 1))
            ax.plot([0, 1], [0, 1])
            return fig

        jobs.CHARTS["tiny"] = tiny
        out = Path({str(tmp_path)!r})
        todo = [jobs.ChartJob(key=f"t{{i}}", kind="tiny", path=out / f"t{{i}}.png") for i in range(jobs.PARALLEL_FROM)]
        done = jobs.render_all(todo, workers=2)
        print(sorted(p.name for p in done.values()))
    """)
    result = subprocess.run([sys.executable, "-"], input=script, text=True, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list(tmp_path.glob("t*.png"))) == 12
