"""Draw and save every chart of a report; returns image paths keyed by what they show."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd

from tracker.report.charts import caar_chart, company_price_chart, event_window_chart, save_png, timeline_chart
from tracker.report.charts.company import PAD_AFTER, PAD_BEFORE
from tracker.report.data import ReportData, estimation_end_date, load_prices
from tracker.report.events_view import studied_pairs
from tracker.report.format import as_list, is_missing, period_date


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()[:60]


def _listing_info(data: ReportData) -> dict[str, dict]:
    info = {r["symbol"]: r for r in data.listings.to_dict("records")}
    for r in data.price_symbols.to_dict("records"):
        entry = info.setdefault(r["symbol"], {"symbol": r["symbol"]})
        if is_missing(entry.get("currency")):
            entry["currency"] = r.get("currency")
    return info


def chart_jobs(data: ReportData, events: pd.DataFrame) -> list[tuple[str, str]]:
    """(key, file name) of every chart the report will hold, in drawing order."""
    jobs = []
    if not events.dropna(subset=["date"]).empty:
        jobs.append(("timeline", "timeline.png"))
    if not data.study_aar.empty:
        jobs.append(("caar", "caar_by_event_type.png"))
    for company in _companies_with_studies(data, events):
        jobs.append((f"company:{company}", f"company_{_slug(company)}.png"))
    meta = events.set_index("id")
    for r in studied_pairs(data).to_dict("records"):
        day = r.get("day0") if not is_missing(r.get("day0")) else r.get("study_date")
        company = meta.loc[r["event_id"], "company"] if r["event_id"] in meta.index else r.get("company")
        name = f"event_{day}_{_slug(company)}_{_slug(r['symbol'])}_{_slug(r.get('event_type') or 'event')}.png"
        jobs.append((f"study:{r['event_id']}|{r['symbol']}", name))
    return jobs


def _companies_with_studies(data: ReportData, events: pd.DataFrame) -> list[str]:
    studied = set(studied_pairs(data)["symbol"])
    companies = []
    for company in events.dropna(subset=["date"])["company"].dropna().unique():
        symbols = set(data.listings[data.listings["company"] == company]["symbol"]) | \
            set(data.study_results[data.study_results["company"] == company]["symbol"])
        if symbols & studied:
            companies.append(company)
    return companies


def draw_charts(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, params: dict,
                out_dir: Path, progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    jobs = chart_jobs(data, events)
    listing = _listing_info(data)
    pairs_frame = studied_pairs(data)
    pairs = {f"study:{r['event_id']}|{r['symbol']}": r for r in pairs_frame.to_dict("records")}
    meta = events.set_index("id")
    images: dict[str, Path] = {}
    for i, (key, name) in enumerate(jobs, start=1):
        if progress:
            progress(f"charts {i}/{len(jobs)}")
        if key == "timeline":
            # Same placement as the company charts: where the market could first react.
            frame = events.assign(studied=events["id"].isin(set(pairs_frame["event_id"])), date=events["plot_date"])
            fig = timeline_chart(frame)
        elif key == "caar":
            fig = caar_chart(data.study_aar)
        elif key.startswith("company:"):
            fig = _company_figure(con, data, events, key.split(":", 1)[1], listing)
        else:
            fig = _study_figure(con, data, pairs[key], meta, listing, params)
        images[key] = save_png(fig, out_dir / name)
    return images


def _company_figure(con, data: ReportData, events: pd.DataFrame, company: str, listing: dict):
    mine = events[events["company"] == company].dropna(subset=["plot_date"]).copy()
    mine["when"] = [period_date(d, p) for d, p in zip(mine["event_date"], mine.get("date_precision", [None] * len(mine)))]
    mine["date"] = mine["plot_date"]
    symbols = list(data.listings[data.listings["company"] == company].sort_values(
        "is_primary", ascending=False)["symbol"])
    for s in data.study_results[data.study_results["company"] == company]["symbol"]:
        if s not in symbols:
            symbols.append(s)
    start = min(mine["date"]) - timedelta(days=PAD_BEFORE)
    end = max(mine["date"]) + timedelta(days=PAD_AFTER)
    prices = load_prices(con, symbols, start, end)
    with_prices = [s for s in symbols if s in set(prices["symbol"])] or symbols[:1]
    name = mine["company_name"].dropna().iloc[0] if mine["company_name"].notna().any() else company
    return company_price_chart(
        name, prices, [{"symbol": s, "currency": listing.get(s, {}).get("currency")} for s in with_prices],
        mine[["date", "event_type", "headline", "when"]])


def _study_figure(con, data: ReportData, r: dict, meta: pd.DataFrame, listing: dict, params: dict):
    ar = data.study_ar[(data.study_ar["event_id"] == r["event_id"]) & (data.study_ar["symbol"] == r["symbol"])]
    ev = meta.loc[r["event_id"]] if r["event_id"] in meta.index else pd.Series(dtype=object)
    estimation = tuple(params.get("estimation") or (-250, -11))
    day0 = None if is_missing(r.get("day0")) else r["day0"]
    return event_window_chart(
        ar, company=ev.get("company_name") or r.get("company") or "", symbol=r["symbol"],
        headline=ev.get("headline") or r.get("label") or "", benchmark=r.get("benchmark"),
        currency=listing.get(r["symbol"], {}).get("currency"), event_date=ev.get("date"), day0=day0,
        event_type=r.get("event_type") or ev.get("event_type"), model=r.get("model"), estimation=estimation,
        estimation_end_date=estimation_end_date(con, r["symbol"], r.get("benchmark"), day0, estimation[1]),
        n_estimation=None if is_missing(r.get("n_estimation")) else int(r["n_estimation"]),
        flags=as_list(r.get("flags")))
