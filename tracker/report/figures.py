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
    companies = list(dict.fromkeys(clusters["company"]))
    symbols_of = _company_symbols(data, companies)
    dated_events = events.dropna(subset=["plot_date"])
    events_of = {c: g for c, g in dated_events.groupby("company", sort=False)}
    spans = {c: (min(g["plot_date"]) - timedelta(days=PAD_BEFORE), max(g["plot_date"]) + timedelta(days=PAD_AFTER))
             for c, g in events_of.items()}
    wanted = sorted({s for c in companies if c in spans for s in symbols_of[c]})
    if wanted:  # one query for every company's prices, cut per company below
        first, last = min(a for a, _b in spans.values()), max(b for _a, b in spans.values())
        every = load_prices(con, wanted, first, last)
        every["date"] = pd.to_datetime(every["date"])
        by_symbol = {s: g for s, g in every.groupby("symbol", sort=False)}
    for company in companies:
        if company not in events_of:
            continue
        start, end = spans[company]
        parts = [by_symbol[s][(by_symbol[s]["date"] >= pd.Timestamp(start)) & (by_symbol[s]["date"] <= pd.Timestamp(end))]
                 for s in symbols_of[company] if s in by_symbol]
        prices = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        job = _company_job(events_of[company], company, symbols_of[company], prices, listing, out_dir, names)
        if job is not None:
            jobs.append(job)
    jobs += _cluster_jobs(data, events, clusters, pairs, listing, out_dir, names)
    return jobs


def _company_symbols(data: ReportData, companies: list[str]) -> dict[str, list[str]]:
    """Each company's listings, the primary first, then any other symbol its study rows used."""
    registry = data.listings.sort_values(["is_primary", "symbol"], ascending=[False, True])
    out = {c: [] for c in companies}
    for c, s in list(zip(registry["company"], registry["symbol"])) + \
            list(zip(data.study_results["company"], data.study_results["symbol"])):
        if c in out and s not in out[c]:
            out[c].append(s)
    return out


def _company_job(mine: pd.DataFrame, company: str, symbols: list[str], prices: pd.DataFrame, listing: dict,
                 out_dir: Path, names: _Names) -> ChartJob | None:
    if prices.empty:
        return None  # nothing to draw: the events are on the timeline, the price gaps in provenance
    mine = mine.copy()
    mine["when"] = [period_date(d, p) for d, p in zip(mine["event_date"], mine.get("date_precision", [None] * len(mine)))]
    mine["date"] = mine["plot_date"]
    with_prices = [s for s in symbols if s in set(prices["symbol"])]
    name = mine["company_name"].dropna().iloc[0] if mine["company_name"].notna().any() else company
    return ChartJob(f"company:{company}", "company", out_dir / names(f"company_{_slug(company)}", company),
                    (name, prices, [{"symbol": s, "currency": listing.get(s, {}).get("currency")} for s in with_prices],
                     mine[["date", "event_type", "headline", "when"]].reset_index(drop=True)))


def _cluster_jobs(data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame, pairs: pd.DataFrame,
                  listing: dict, out_dir: Path, names: _Names) -> list[ChartJob]:
    ar_cols = [c for c in ("day", "date", "price", "bench_price", "car", "car_se") if c in data.study_ar.columns]
    chosen = representatives(pairs, events)
    needed = {(r["event_id"], s) for (_c, s), r in chosen.items()}
    keep = pd.Series([e_s in needed for e_s in zip(data.study_ar["event_id"], data.study_ar["symbol"])],
                     index=data.study_ar.index, dtype=bool)
    ar = data.study_ar[keep]
    ar_by_pair = {k: g.drop(columns=["event_id", "symbol"]) for k, g in
                  ar[["event_id", "symbol", *ar_cols]].groupby(["event_id", "symbol"], sort=False)}
    flags_of: dict[str, list[str]] = {}
    for e, f in zip(pairs["event_id"], pairs["flags"]):
        flags_of.setdefault(e, []).extend(as_list(f))
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
        flags = sorted({f for e in c["event_ids"] for f in flags_of.get(e, [])} - {"overlap"})
        note = "; ".join(notes) + (f"; flags: {', '.join(flags)}" if flags else "")
        jobs.append(ChartJob(f"cluster:{c['cluster_id']}", "cluster", out_dir / names(stem, c["cluster_id"]),
                             (items,), {"company": c["company_name"], "day0": c["day0"],
                                        "event_types": c["event_types"], "headline": c["headline"], "note": note}))
    return jobs


def draw_charts(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame,
                params: dict, out_dir: Path, progress: Callable[[str], None] | None = None,
                workers: int | None = None) -> dict[str, Path]:
    jobs = chart_jobs(con, data, events, clusters, params, out_dir)
    return render_all(jobs, workers=workers, progress=progress)

