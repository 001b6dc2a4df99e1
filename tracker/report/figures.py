"""Every chart of a report as a job (inputs read here, from DuckDB), rendered in worker processes;
returns image paths keyed by what they show. File names come from what a chart shows (the cluster
id, the company), made unique so no chart overwrites another."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd

from tracker.report.charts.company import PAD_AFTER, PAD_BEFORE
from tracker.report.charts.jobs import ChartJob, render_all
from tracker.report.clusters import representatives, studied_pairs
from tracker.report.data import ReportData, load_prices
from tracker.report.format import as_list, is_missing, period_date


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()[:60] or "x"


class _Names:
    """File names from a readable stem; a stem seen before gets a short hash of its full key."""

    def __init__(self):
        self.taken: set[str] = set()

    def __call__(self, stem: str, key: str) -> str:
        name = f"{stem}.png"
        if name in self.taken:
            name = f"{stem}-{hashlib.sha1(key.encode()).hexdigest()[:8]}.png"
        self.taken.add(name)
        return name


def _listing_info(data: ReportData) -> dict[str, dict]:
    info = {r["symbol"]: r for r in data.listings.to_dict("records")}
    for r in data.price_symbols.to_dict("records"):
        entry = info.setdefault(r["symbol"], {"symbol": r["symbol"]})
        if is_missing(entry.get("currency")):
            entry["currency"] = r.get("currency")
    return info


def chart_jobs(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame,
               params: dict, out_dir: Path) -> list[ChartJob]:
    names = _Names()
    jobs = []
    pairs = studied_pairs(data)
    dated = events.dropna(subset=["plot_date"])
    if not dated.empty:
        frame = dated.assign(studied=dated["id"].isin(set(pairs["event_id"])), date=dated["plot_date"])
        jobs.append(ChartJob("timeline", "timeline", out_dir / names("timeline", "timeline"),
                             (frame[["company_name", "date", "event_type", "studied"]].reset_index(drop=True),)))
    if not data.study_aar.empty:
        jobs.append(ChartJob("caar", "caar", out_dir / names("caar_by_event_type", "caar"), (data.study_aar.copy(),)))
    listing = _listing_info(data)
    for company in list(dict.fromkeys(clusters["company"])):
        job = _company_job(con, data, events, company, listing, out_dir, names)
        if job is not None:
            jobs.append(job)
    jobs += _cluster_jobs(data, events, clusters, pairs, listing, out_dir, names)
    return jobs


def _company_job(con, data: ReportData, events: pd.DataFrame, company: str, listing: dict, out_dir: Path,
                 names: _Names) -> ChartJob | None:
    mine = events[events["company"] == company].dropna(subset=["plot_date"]).copy()
    if mine.empty:
        return None
    mine["when"] = [period_date(d, p) for d, p in zip(mine["event_date"], mine.get("date_precision", [None] * len(mine)))]
    mine["date"] = mine["plot_date"]
    registry = data.listings[data.listings["company"] == company].sort_values("is_primary", ascending=False)
    symbols = list(dict.fromkeys(list(registry["symbol"]) +
                                 list(data.study_results[data.study_results["company"] == company]["symbol"])))
    start = min(mine["date"]) - timedelta(days=PAD_BEFORE)
    end = max(mine["date"]) + timedelta(days=PAD_AFTER)
    prices = load_prices(con, symbols, start, end)
    if prices.empty:
        return None  # nothing to draw: the events are on the timeline, the price gaps in provenance
    with_prices = [s for s in symbols if s in set(prices["symbol"])]
    name = mine["company_name"].dropna().iloc[0] if mine["company_name"].notna().any() else company
    return ChartJob(f"company:{company}", "company", out_dir / names(f"company_{_slug(company)}", company),
                    (name, prices, [{"symbol": s, "currency": listing.get(s, {}).get("currency")} for s in with_prices],
                     mine[["date", "event_type", "headline", "when"]].reset_index(drop=True)))


def _cluster_jobs(data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame, pairs: pd.DataFrame,
                  listing: dict, out_dir: Path, names: _Names) -> list[ChartJob]:
    ar_cols = [c for c in ("day", "date", "price", "bench_price", "car", "car_se") if c in data.study_ar.columns]
    ar_by_pair = {k: g[ar_cols] for k, g in data.study_ar.groupby(["event_id", "symbol"], sort=False)}
    chosen = representatives(pairs, events)
    jobs = []
    for c in clusters.to_dict("records"):
        items, notes = [], []
        for symbol in c["symbols"]:
            r = chosen.get((c["cluster_id"], symbol))
            frame = ar_by_pair.get((r["event_id"], symbol)) if r else None
            if frame is None:
                continue
            items.append({"symbol": symbol, "benchmark": r.get("benchmark"),
                          "currency": listing.get(symbol, {}).get("currency"), "frame": frame.reset_index(drop=True)})
            model = r.get("model")
            n = "" if is_missing(r.get("n_estimation")) else f", n = {int(r['n_estimation'])}"
            notes.append(f"{symbol}: {str(model or 'market').replace('_', '-')} model vs {r.get('benchmark')}{n}")
        if not items:
            continue
        stem = f"cluster_{_slug(c['company'])}_{str(c['day0'])[:10]}"
        flags = sorted({f for e in c["event_ids"] for f in as_list(_flags_of(pairs, e))} - {"overlap"})
        note = "; ".join(notes) + (f"; flags: {', '.join(flags)}" if flags else "")
        jobs.append(ChartJob(f"cluster:{c['cluster_id']}", "cluster", out_dir / names(stem, c["cluster_id"]),
                             (items,), {"company": c["company_name"], "day0": c["day0"],
                                        "event_types": c["event_types"], "headline": c["headline"], "note": note}))
    return jobs


def _flags_of(pairs: pd.DataFrame, event_id: str) -> list[str]:
    out: list[str] = []
    for flags in pairs.loc[pairs["event_id"] == event_id, "flags"]:
        out += as_list(flags)
    return out


def draw_charts(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame,
                params: dict, out_dir: Path, progress: Callable[[str], None] | None = None,
                workers: int | None = None) -> dict[str, Path]:
    jobs = chart_jobs(con, data, events, clusters, params, out_dir)
    return render_all(jobs, workers=workers, progress=progress)

