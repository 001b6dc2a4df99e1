"""Everything the template shows, as plain dicts and strings (formatting done here, not in Jinja)."""

from __future__ import annotations

import base64
from pathlib import Path

import duckdb
import pandas as pd

from tracker.report.data import ReportData, price_coverage
from tracker.report.events_view import (
    car_cell, event_rows, skipped_rows, studied_pairs, study_anchor, top_moves,
)
from tracker.report.format import as_list, human_date, is_missing, num, pct, period_date, pvalue, sign_class, stars

MODEL_TEXT = {
    "market": "For each listing, daily returns are regressed on its benchmark's returns by OLS over "
              "the estimation window (AR = R \u2212 \u03b1 \u2212 \u03b2\u00b7Rm). Standard errors include the "
              "prediction-error adjustment for the estimated \u03b1 and \u03b2.",
    "market_adjusted": "The abnormal return is the stock's return minus its benchmark's "
                       "(AR = R \u2212 Rm); the estimation window only gives the residual standard deviation.",
    "constant_mean": "The abnormal return is the return minus its mean over the estimation "
                     "window (AR = R \u2212 mean R).",
}


def data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _article_urls(data: ReportData) -> dict:
    """Source links for articles; only http(s), since a manifest could carry a javascript: URL."""
    return {f: u for f, u in zip(data.articles["file"], data.articles["url"])
            if isinstance(u, str) and u.lower().startswith(("http://", "https://"))}


def studies(data: ReportData, events: pd.DataFrame, images: dict) -> list[dict]:
    meta = events.set_index("id")
    out = []
    pairs = studied_pairs(data)
    pairs = pairs.assign(_d=pairs["day0"].where(pairs["day0"].notna(), pairs["study_date"])).sort_values(["_d", "symbol"])
    for r in pairs.to_dict("records"):
        ev = meta.loc[r["event_id"]] if r["event_id"] in meta.index else pd.Series(dtype=object)
        car = data.study_car[(data.study_car["event_id"] == r["event_id"]) & (data.study_car["symbol"] == r["symbol"])]
        windows = []
        for w in car.sort_values(["win_start", "win_end"]).to_dict("records"):
            label = f"[{w['win_start']:+d}, {w['win_end']:+d}]" if not is_missing(w.get("win_start")) else w["window"]
            windows.append({"label": label.replace("+0", "0"), "cell": car_cell(w), "se": pct(w.get("se"), 2).lstrip("+"),
                            "covered": w.get("covered") is not False})
        key = f"study:{r['event_id']}|{r['symbol']}"
        flags, reasons = as_list(r.get("flags")), as_list(r.get("flag_reasons"))
        out.append({
            "anchor": study_anchor(r["event_id"], r["symbol"]), "company": ev.get("company_name") or r.get("company"),
            "symbol": r["symbol"], "benchmark": r.get("benchmark"), "headline": ev.get("headline") or r.get("label"),
            "type": r.get("event_type"), "date": period_date(ev.get("date"), ev.get("date_precision")), "day0": human_date(r.get("day0")),
            "image": data_uri(images[key]) if key in images else None, "image_file": images[key].name if key in images else None,
            "windows": windows, "alpha": num(r.get("alpha"), 4), "beta": num(r.get("beta")),
            "sigma": pct(r.get("sigma"), 2).lstrip("+"), "n": "\u2013" if is_missing(r.get("n_estimation")) else int(r["n_estimation"]),
            "flags": [{"flag": f, "reason": reasons[i] if i < len(reasons) else ""} for i, f in enumerate(flags)],
            "in_aggregates": bool(r.get("in_aggregates")), "evidence": ev.get("evidence") if not is_missing(ev.get("evidence")) else "",
        })
    return out


TEST_ORDER = ("csect_t", "patell_z", "bmp_t", "kp_bmp_t", "corrado_rank_z", "gen_sign_z")


def aggregate_table(data: ReportData, params: dict) -> dict:
    """One row per (group, window) with a column per test: compact enough to read, while each cell's
    own convention (which may carry run-specific figures) goes into its tooltip and the CSV export."""
    agg = data.study_aggregates.copy()
    if agg.empty:
        return {"tests": [], "rows": [], "conventions": []}
    tests = sorted(agg["test"].dropna().unique(), key=lambda t: (TEST_ORDER.index(t) if t in TEST_ORDER else 99, t))
    window_rank = {f"{a}:{b}": i for i, (a, b) in enumerate(params.get("car_windows") or [])}
    kind_rank = {"all": 0, "event_type": 1, "company": 2}
    agg["_k"] = agg["group_kind"].map(kind_rank).fillna(9)
    agg["_w"] = agg["window"].map(window_rank).fillna(99)
    rows = []
    for (_k, kind, value, _w, window), part in agg.groupby(["_k", "group_kind", "group_value", "_w", "window"], sort=True):
        first = part.iloc[0]
        cells = {}
        for r in part.to_dict("records"):
            cells[r["test"]] = {"stat": num(r["statistic"]), "p": pvalue(r["p"]), "stars": stars(r["p"]),
                                "sort": "" if is_missing(r["p"]) else f"{r['p']:.6f}", "title": r.get("convention") or ""}
        rows.append({"kind": str(kind).replace("_", " "), "group": value, "window": window,
                     "window_sort": f"{_w:03.0f}", "n": "" if is_missing(first["n"]) else int(first["n"]),
                     "caar": pct(first["caar"], 2), "caar_sort": "" if is_missing(first["caar"]) else f"{first['caar']:.6f}",
                     "cls": sign_class(first["caar"]), "cells": cells})
    conventions = []
    for test in tests:
        texts = agg[(agg["test"] == test) & agg["statistic"].notna()]["convention"].dropna()
        texts = texts if not texts.empty else agg[agg["test"] == test]["convention"].dropna()
        conventions.append({"test": test, "convention": texts.iloc[0] if not texts.empty else ""})
    return {"tests": tests, "rows": rows, "conventions": conventions}


def summary(con: duckdb.DuckDBPyConnection, data: ReportData, events: pd.DataFrame, provenance: dict) -> dict:
    res = data.study_results
    pairs = studied_pairs(data)
    symbols = sorted(set(pairs["symbol"]) | set(pairs["benchmark"].dropna()))
    cov = price_coverage(con, symbols)
    n_articles = len(data.articles) if not data.articles.empty else len(provenance.get("articles") or [])
    return {
        "articles": n_articles, "companies": events["company"].nunique(), "events": len(events),
        "studied_events": pairs["event_id"].nunique(), "studied_pairs": len(pairs),
        "listings": sorted(set(pairs["symbol"])), "benchmarks": sorted(set(pairs["benchmark"].dropna())),
        "in_aggregates": int(res["in_aggregates"].fillna(False).astype(bool).sum()) if not res.empty else 0,
        "price_source": provenance.get("price_source") or _sources(data) or "not recorded",
        "price_range": (f"{human_date(cov['first'].min())} \u2013 {human_date(cov['last'].max())}"
                        if not cov.empty else "no prices stored"),
        "event_range": (f"{human_date(events['date'].min())} \u2013 {human_date(events['date'].max())}"
                        if events["date"].notna().any() else "\u2013"),
        "top_moves": top_moves(data, events),
    }


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


def build_context(con, data: ReportData, events: pd.DataFrame, images: dict, provenance: dict,
                  params: dict, params_origin: str) -> dict:
    urls = _article_urls(data)
    names = dict(zip(events["company"], events["company_name"]))
    return {
        "title": "Market events report",
        "summary": summary(con, data, events, provenance),
        "events": event_rows(data, events, urls),
        "studies": studies(data, events, images),
        "companies": [{"name": names.get(k.split(":", 1)[1], k.split(":", 1)[1]), "image": data_uri(p), "file": p.name}
                      for k, p in images.items() if k.startswith("company:")],
        "timeline": data_uri(images["timeline"]) if "timeline" in images else None,
        "caar": data_uri(images["caar"]) if "caar" in images else None,
        "aggregates": aggregate_table(data, params),
        "skipped": skipped_rows(data, events),
        "method": method(data, params, params_origin),
        "provenance": provenance_rows(data, provenance, con),
        "missing": data.missing,
    }
