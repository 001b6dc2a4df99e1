"""Everything the template shows, as plain dicts and strings (formatting done here, not in Jinja)."""

from __future__ import annotations

import duckdb
import pandas as pd

from tracker.report.clusters import UNCERTAIN, cluster_anchor, is_uncertain, representatives, studied_pairs
from tracker.report.counts import COUNT_LABELS
from tracker.report.data import UNCERTAIN_WINDOW_COLUMNS, ReportData, price_coverage
from tracker.report.events_view import CarIndex, car_cell, event_rows, records_by, skipped_rows, top_moves
from tracker.report.format import (
    as_list, human_date, iso, is_missing, num, pct, period_date, pvalue, sign_class, stars,
)

MODEL_TEXT = {
    "market": "For each listing, daily returns are regressed on its benchmark's returns by OLS over "
              "the estimation window (AR = R \u2212 \u03b1 \u2212 \u03b2\u00b7Rm). Standard errors include the "
              "prediction-error adjustment for the estimated \u03b1 and \u03b2.",
    "market_adjusted": "The abnormal return is the stock's return minus its benchmark's "
                       "(AR = R \u2212 Rm); the estimation window only gives the residual standard deviation.",
    "constant_mean": "The abnormal return is the return minus its mean over the estimation "
                     "window (AR = R \u2212 mean R).",
}


def _article_urls(data: ReportData) -> dict:
    """Source links for articles; only http(s), since a manifest could carry a javascript: URL."""
    return {f: u for f, u in zip(data.articles["file"], data.articles["url"])
            if isinstance(u, str) and u.lower().startswith(("http://", "https://"))}


def _window_label(a: int, b: int) -> str:
    return f"[{a:+d}, {b:+d}]".replace("+0,", "0,").replace(" +0]", " 0]").replace("-", "\u2212")


def _evidence(data: ReportData, events: pd.DataFrame, urls: dict) -> dict[str, list[dict]]:
    """Every sentence that reports each event, with its article (one event may come from several)."""
    out: dict[str, list[dict]] = {}
    for r in data.event_sources.to_dict("records"):
        if is_missing(r.get("evidence")):
            continue
        item = {"text": r["evidence"], "article": r.get("article"), "url": urls.get(r.get("article")),
                "published": human_date(r.get("published")) if not is_missing(r.get("published")) else ""}
        if item not in out.setdefault(r["event_id"], []):
            out[r["event_id"]].append(item)
    for ev in events.to_dict("records"):
        if ev["id"] not in out and not is_missing(ev.get("evidence")):
            out[ev["id"]] = [{"text": ev["evidence"], "article": ev.get("article") if not is_missing(ev.get("article")) else "",
                              "url": urls.get(ev.get("article")), "published": ""}]
    return out


def _flag_items(rows: list[dict], skip: set[str] = frozenset()) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        flags, reasons = as_list(r.get("flags")), as_list(r.get("flag_reasons"))
        for i, f in enumerate(flags):
            reason = reasons[i] if i < len(reasons) else f.replace("_", " ")
            if f in skip or (f, reason) in seen:
                continue
            seen.add((f, reason))
            out.append({"flag": f, "reason": reason})
    return out


TIMELINE_OPEN_COMPANIES = 20  # a taller timeline is collapsed: it would push the rest off the first screens
OPEN_SECTIONS = 3  # clusters shown open; the rest are collapsed so the page stays usable at hundreds


def cluster_sections(data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame, images: dict,
                     cars: CarIndex, urls: dict, params: dict) -> list[dict]:
    pairs = studied_pairs(data)
    chosen = representatives(pairs, events)
    meta = {e["id"]: e for e in events.to_dict("records")}
    evidence = _evidence(data, events, urls)
    windows = [tuple(w) for w in params.get("car_windows") or []]
    by_cluster = records_by(pairs, "cluster_id")
    out = []
    for i, c in enumerate(clusters.to_dict("records")):
        part = by_cluster.get(c["cluster_id"], [])
        items = []
        for event_id in c["event_ids"]:
            ev = meta.get(event_id, {})
            rows = [r for r in part if r["event_id"] == event_id]
            status = ev.get("status")
            items.append({
                "type": ev.get("event_type") if not is_missing(ev.get("event_type")) else rows[0].get("event_type"),
                "headline": ev.get("headline") if not is_missing(ev.get("headline")) else rows[0].get("label") or "",
                "date": period_date(ev.get("date"), ev.get("date_precision")),
                "status": status if isinstance(status, str) and status not in ("", "reported", "occurred") else "",
                "uncertain": any(is_uncertain(r.get("flags")) for r in rows)
                or ev.get("date_precision") not in (None, "day") and not is_missing(ev.get("date_precision")),
                "flags": _flag_items(rows, skip={"overlap"}),
                "evidence": evidence.get(event_id, []),
            })
        listings = []
        for symbol in c["symbols"]:
            r = chosen.get((c["cluster_id"], symbol))
            if r is None:
                continue
            mine = [m for m in part if m["symbol"] == symbol]
            cells = [car_cell(cars.get(r["event_id"], symbol, a, b)) | {"label": _window_label(a, b)} for a, b in windows]
            listings.append({
                "symbol": symbol, "benchmark": r.get("benchmark") or "\u2013", "primary": bool(r.get("is_primary")),
                "in_aggregates": any(bool(m.get("in_aggregates")) for m in mine), "cells": cells,
                "alpha": num(r.get("alpha"), 4), "beta": num(r.get("beta")), "sigma": pct(r.get("sigma"), 2).lstrip("+"),
                "n": "\u2013" if is_missing(r.get("n_estimation")) else int(r["n_estimation"]),
                "day0": human_date(r.get("day0")),
                "flags": _flag_items(mine, skip={UNCERTAIN}),
            })
        image = images.get(f"cluster:{c['cluster_id']}")
        out.append({
            "anchor": cluster_anchor(c["cluster_id"]), "cluster_id": c["cluster_id"], "company": c["company_name"],
            "day0": human_date(c["day0"]), "types": c["event_types"], "headline": c["headline"],
            "precise": c["precise"], "in_aggregates": c["in_aggregates"], "open": i < OPEN_SECTIONS,
            "image": image.name if image is not None else None, "events": items, "listings": listings,
            "windows": [_window_label(a, b) for a, b in windows],
        })
    return out


def uncertain_rows(data: ReportData, events: pd.DataFrame) -> list[dict] | None:
    """Pairs flagged date_uncertain with the CAR over their whole uncertainty window and the day of
    the largest |AR| in it; None when the study did not write those columns."""
    if not all(data.has("study_results", c) for c in UNCERTAIN_WINDOW_COLUMNS):
        return None
    res = data.study_results[data.study_results["flags"].map(is_uncertain).astype(bool)]
    meta = events.set_index("id")
    rows = []
    for r in res.sort_values(["window_start", "company", "symbol"], na_position="last").to_dict("records"):
        ev = meta.loc[r["event_id"]] if r["event_id"] in meta.index else pd.Series(dtype=object)
        reasons = dict(zip(as_list(r.get("flags")), as_list(r.get("flag_reasons"))))
        window = ("\u2013" if is_missing(r.get("window_start")) else
                  f"{human_date(r['window_start'])} \u2013 {human_date(r['window_end'])}")
        rows.append({
            "company": ev.get("company_name") if not is_missing(ev.get("company_name")) else r.get("company"),
            "type": r.get("event_type"), "headline": ev.get("headline") if not is_missing(ev.get("headline")) else r.get("label"),
            "dated": reasons.get(UNCERTAIN, ""), "symbol": r["symbol"], "window": window,
            "window_sort": iso(r.get("window_start")),
            "car": car_cell({"car": r.get("window_car")}), "peak_date": human_date(r.get("peak_date")),
            "peak_ar": pct(r.get("peak_ar")), "peak_cls": sign_class(r.get("peak_ar")),
            "in_aggregates": bool(r.get("in_aggregates")),
        })
    return rows


TEST_ORDER = ("csect_t", "patell_z", "bmp_t", "kp_bmp_t", "corrado_rank_z", "gen_sign_z")


def aggregate_table(data: ReportData, params: dict) -> dict:
    """One row per (group, window) with a column per test: compact enough to read, while each cell's
    own convention (which may carry run-specific figures) goes into its tooltip and the CSV export."""
    agg = data.study_aggregates.copy()
    if agg.empty:
        return {"tests": [], "rows": [], "conventions": [], "has_listings": False}
    tests = sorted(agg["test"].dropna().unique(), key=lambda t: (TEST_ORDER.index(t) if t in TEST_ORDER else 99, t))
    window_rank = {f"{a}:{b}": i for i, (a, b) in enumerate(params.get("car_windows") or [])}
    kind_rank = {"all": 0, "event_type": 1, "company": 2}
    agg["_k"] = agg["group_kind"].map(kind_rank).fillna(9)
    agg["_w"] = agg["window"].map(window_rank).fillna(99)
    rows = []
    groups: dict[tuple, list[dict]] = {}
    for r in agg.sort_values(["_k", "group_kind", "group_value", "_w", "window"], kind="stable").to_dict("records"):
        groups.setdefault((r["group_kind"], r["group_value"], r["_w"], r["window"]), []).append(r)
    for (kind, value, _w, window), part in groups.items():
        first = part[0]
        cells = {}
        for r in part:
            cells[r["test"]] = {"stat": num(r["statistic"]), "p": pvalue(r["p"]), "stars": stars(r["p"]),
                                "sort": "" if is_missing(r["p"]) else f"{r['p']:.6f}", "title": r.get("convention") or ""}
        rows.append({"kind": str(kind).replace("_", " "), "group": value, "window": window,
                     "window_sort": f"{_w:03.0f}", "n": "" if is_missing(first["n"]) else int(first["n"]),
                     "n_listings": "" if is_missing(first.get("n_listings")) else int(first["n_listings"]),
                     "caar": pct(first["caar"], 2), "caar_sort": "" if is_missing(first["caar"]) else f"{first['caar']:.6f}",
                     "cls": sign_class(first["caar"]), "cells": cells})
    conventions = []
    for test in tests:
        texts = agg[(agg["test"] == test) & agg["statistic"].notna()]["convention"].dropna()
        texts = texts if not texts.empty else agg[agg["test"] == test]["convention"].dropna()
        conventions.append({"test": test, "convention": texts.iloc[0] if not texts.empty else ""})
    return {"tests": tests, "rows": rows, "conventions": conventions,
            "has_listings": data.has("study_aggregates", "n_listings")}


def summary(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, provenance: dict,
            counts: dict, moves: list[dict]) -> dict:
    pairs = studied_pairs(data)
    symbols = sorted(set(pairs["symbol"]) | set(pairs["benchmark"].dropna()))
    cov = price_coverage(con, symbols)
    return {
        "counts": [{"key": k, "value": counts[k], "label": COUNT_LABELS[k]} for k in COUNT_LABELS],
        "companies": events["company"].nunique(),
        "listings": _few(sorted(set(pairs["symbol"]))), "benchmarks": _few(sorted(set(pairs["benchmark"].dropna()))),
        "price_source": provenance.get("price_source") or _sources(data) or "not recorded",
        "price_range": (f"{human_date(cov['first'].min())} \u2013 {human_date(cov['last'].max())}"
                        if not cov.empty else "no prices stored"),
        "event_range": _event_range(events),
        "top_moves": moves,
    }


def _event_range(events: pd.DataFrame) -> str:
    """First and last event date, each at its own precision ('2014', not '1 Jan 2014', for a year)."""
    dated = events.dropna(subset=["date"]).sort_values("date")
    if dated.empty:
        return "\u2013"
    precision = dated["date_precision"] if "date_precision" in dated else pd.Series(None, index=dated.index)
    first, last = dated.index[0], dated.index[-1]
    return f"{period_date(dated.loc[first, 'date'], precision[first])} \u2013 {period_date(dated.loc[last, 'date'], precision[last])}"


def _few(names: list[str], limit: int = 12) -> str:
    """'A, B, C' — or the first `limit` and how many more, so a long list does not fill the first screen."""
    if not names:
        return "none"
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more ({len(names)} in all)" if more > 0 else "")


def _sources(data: ReportData) -> str:
    return ", ".join(sorted(set(data.price_symbols["source"].dropna().astype(str))))


def method(data: ReportData, params: dict, params_origin: str) -> dict:
    models = sorted(set(data.study_results["model"].dropna())) or [params.get("model", "market")]
    bench = data.study_results.dropna(subset=["benchmark"]).drop_duplicates("symbol")
    windows = sorted({(int(a), int(b)) for a, b in zip(data.study_car["win_start"], data.study_car["win_end"])
                      if not is_missing(a) and not is_missing(b)}) or [tuple(w) for w in params.get("car_windows", [])]
    est, win = params.get("estimation", [-250, -11]), params.get("window", [-10, 10])
    return {
        "models": [{"name": m.replace("_", "-").capitalize(), "text": MODEL_TEXT.get(m, m)} for m in models],
        "estimation": f"trading days {est[0]} to {est[1]} relative to day 0".replace("-", "\u2212"),
        "min_estimation": params.get("min_estimation"), "window": f"[{win[0]}, +{win[1]}]".replace("-", "\u2212"),
        "car_windows": ", ".join(f"[{a:+d}, {b:+d}]".replace("+0", "0").replace("-", "\u2212") for a, b in windows),
        "benchmarks": [{"symbol": s, "benchmark": b} for s, b in zip(bench["symbol"], bench["benchmark"])],
        "include_stock_moves": bool(params.get("include_stock_moves")), "origin": params_origin,
        "include_uncertain": bool(params.get("include_uncertain")), "listing": params.get("listing") or "primary",
        "uncertain_columns": data.has("study_results", "window_car"),
    }


def _price_status(con) -> list[dict]:
    """Per symbol coverage, gaps, data flags and problems (tracker prices status), for the data section."""
    try:
        from tracker.prices import status

        frame = status(con)
    except Exception:  # an older or partial database: the section says "not available" instead
        return []
    rows = []
    for r in frame.sort_values("symbol").to_dict("records"):
        rows.append({
            "symbol": r["symbol"], "currency": r.get("currency") or "", "rows": int(r.get("rows") or 0),
            "covered": r.get("covered") or "\u2013", "gaps": int(r.get("gaps") or 0),
            "gap_examples": r.get("gap_examples") or "", "flags": int(r.get("flags") or 0),
            "flag_examples": r.get("flag_examples") or "", "problem": r.get("problem") or "",
            "source": r.get("source") or "\u2013", "fetched_at": human_date(r.get("fetched_at")),
        })
    return rows


def _run_outcomes(provenance: dict) -> list[dict]:
    """This run's per-symbol price outcomes that were not clean (missing files, partial coverage, errors)."""
    keep = []
    for row in provenance.get("price_outcomes") or []:
        if str(row.get("status")) not in ("ok", "cached"):
            keep.append({"symbol": row.get("symbol"), "status": row.get("status"), "message": row.get("message")})
    return keep


def provenance_rows(data: ReportData, provenance: dict, con=None) -> dict:
    ps = data.price_symbols.copy()
    symbols = _price_status(con) if con is not None else []
    fetched = ps["fetched_at"].dropna()
    source = str(provenance.get("price_source") or _sources(data) or "not recorded")
    kind = "CSV files" if source.startswith("csv") else "Bundled snapshot" if source.startswith("bundled snapshot") \
        else "yfinance download" if "yfinance" in source else \
        "DuckDB cache" if "cache" in source else source
    versions = provenance.get("versions") or {}
    return {
        "run_at": human_date(provenance.get("run_at")) if provenance.get("run_at") else "not recorded", "db": provenance.get("db") or "not recorded",
        "price_source": source, "price_kind": kind,
        "fetched_at": ("not recorded" if not len(fetched) else human_date(fetched.min()) if fetched.min() == fetched.max()
                       else f"{human_date(fetched.min())} \u2013 {human_date(fetched.max())}"),
        "symbols": symbols, "versions": sorted((str(k), str(v)) for k, v in versions.items()),
        "articles": [str(a) for a in provenance.get("articles") or []], "missing": data.missing,
        "outcomes": _run_outcomes(provenance),
    }


def build_context(con, data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame, images: dict,
                  provenance: dict, params: dict, params_origin: str, counts: dict) -> dict:
    urls = _article_urls(data)
    names = dict(zip(events["company"], events["company_name"]))
    cars = CarIndex(data.study_car)
    moves = top_moves(data, events, clusters, cars)
    return {
        "title": "Market events report",
        "summary": summary(con, data, events, provenance, counts, moves),
        "events": event_rows(data, events, urls, cars),
        "clusters": cluster_sections(data, events, clusters, images, cars, urls, params),
        "uncertain": uncertain_rows(data, events),
        "companies": [{"name": names.get(k.split(":", 1)[1], k.split(":", 1)[1]), "file": p.name}
                      for k, p in images.items() if k.startswith("company:")],
        "timeline": images["timeline"].name if "timeline" in images else None,
        "timeline_open": events["company"].nunique() <= TIMELINE_OPEN_COMPANIES,
        "caar": images["caar"].name if "caar" in images else None,
        "aggregates": aggregate_table(data, params),
        "skipped": skipped_rows(data, events),
        "method": method(data, params, params_origin),
        "provenance": provenance_rows(data, provenance, con),
        "missing": data.missing,
    }
