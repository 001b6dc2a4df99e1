"""Rows for the events table, the per-event sections and the skipped/flagged list."""

from __future__ import annotations

import pandas as pd

from tracker.report.data import ReportData
from tracker.report.format import as_list, human_date, iso, is_missing, pct, period_date, pvalue, num, sign_class, stars

KEY_WINDOWS = ((-1, 1), (0, 5))


def _window_of(car: pd.DataFrame, a: int, b: int) -> pd.DataFrame:
    """Rows of one CAR window, matched by bounds when present, else by the 'a:b' label."""
    by_bounds = car[(car["win_start"] == a) & (car["win_end"] == b)]
    return by_bounds if not by_bounds.empty else car[car["window"].astype(str) == f"{a}:{b}"]


def car_cell(row) -> dict:
    if row is None or is_missing(row.get("car")):
        return {"text": "\u2013", "sort": "", "cls": "", "t": "", "stars": "", "p": ""}
    return {"text": pct(row["car"]), "sort": f"{row['car']:.6f}", "cls": sign_class(row["car"]),
            "t": num(row.get("t")), "stars": stars(row.get("p")), "p": pvalue(row.get("p"))}


def event_list(data: ReportData) -> pd.DataFrame:
    """Extracted events plus any studied event absent from them (a user's --events CSV)."""
    ev = data.events.copy()
    ev["date"] = ev["event_date"].where(ev["event_date"].notna(), ev["study_date"])
    # Charts put a marker where the market could first react; a week- or month-precise event has
    # no day of its own, so its first day would mislead.
    ev["plot_date"] = [e if is_missing(s) else s for s, e in zip(ev["study_date"], ev["event_date"])]
    res = data.study_results
    extra = res[~res["event_id"].isin(ev["id"])].drop_duplicates("event_id")
    if not extra.empty:
        extra = pd.DataFrame({
            "id": extra["event_id"], "company": extra["company"], "company_name": None,
            "event_type": extra["event_type"], "headline": extra["label"], "date": extra["study_date"],
            "plot_date": extra["study_date"],
            "study_date": extra["study_date"], "event_date": extra["study_date"]})
        ev = pd.concat([ev, extra], ignore_index=True)
    names = dict(zip(data.companies["id"], data.companies["name"]))
    ev["company_name"] = [n if not is_missing(n) else names.get(c) or c or "" for c, n in zip(ev["company"], ev["company_name"])]
    ev["headline"] = [h if not is_missing(h) else f"{t} ({n})" for h, t, n in
                      zip(ev["headline"], ev["event_type"], ev["company_name"])]
    return ev.sort_values(["date", "company_name"], na_position="last").reset_index(drop=True)


def studied_pairs(data: ReportData) -> pd.DataFrame:
    """study_results rows that have an abnormal-return path to chart (at least one CAR value: a pair
    whose window holds no usable returns, e.g. before a listing, is reported as skipped instead)."""
    res = data.study_results
    ar = data.study_ar
    with_ar = ar[pd.to_numeric(ar["car"], errors="coerce").notna()][["event_id", "symbol"]].drop_duplicates()
    return res.merge(with_ar, on=["event_id", "symbol"], how="inner")


def study_anchor(event_id: str, symbol: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in f"{event_id}-{symbol}")
    return f"study-{safe}"


def _primary_first(data: ReportData, rows: pd.DataFrame) -> pd.DataFrame:
    """The listing a study uses by default first (BABA before 9988.HK), then by symbol."""
    primary = set(data.listings[data.listings["is_primary"] == True]["symbol"])  # noqa: E712 - nullable column
    return rows.assign(_p=~rows["symbol"].isin(primary)).sort_values(["_p", "symbol"]).drop(columns="_p")


def event_rows(data: ReportData, events: pd.DataFrame, article_urls: dict) -> list[dict]:
    res, car = data.study_results, data.study_car
    studied = set(map(tuple, studied_pairs(data)[["event_id", "symbol"]].values))
    sources = data.event_sources
    rows = []
    for ev in events.to_dict("records"):
        listings = []
        for r in _primary_first(data, res[res["event_id"] == ev["id"]]).to_dict("records"):
            pair = car[(car["event_id"] == ev["id"]) & (car["symbol"] == r["symbol"])]
            cells = {}
            for a, b in KEY_WINDOWS:
                w = _window_of(pair, a, b)
                cells[f"{a}:{b}"] = car_cell(w.iloc[0].to_dict() if not w.empty else None)
            listings.append({"symbol": r["symbol"], "cells": cells, "flags": as_list(r.get("flags")),
                             "anchor": study_anchor(ev["id"], r["symbol"]) if (ev["id"], r["symbol"]) in studied else None})
        article = ev.get("article")
        others = [a for a in sources[sources["event_id"] == ev["id"]]["article"].dropna().unique() if a != article]
        flags = sorted({f for item in listings for f in item["flags"]})
        if not listings and ev.get("background") is True:
            flags.append("background")
        status = ev.get("status")
        if isinstance(status, str) and status not in ("", "reported"):
            flags.append(status)  # planned / rumoured / negated: the reader must see it is not a fact
        first = listings[0]["cells"] if listings else {}
        rows.append({
            "id": ev["id"], "date": period_date(ev.get("date"), ev.get("date_precision")), "date_sort": iso(ev.get("date")),
            "precision": "" if is_missing(ev.get("date_precision")) else ev.get("date_precision"),
            "company": ev.get("company_name"), "type": ev.get("event_type"), "headline": ev.get("headline"),
            "evidence": "" if is_missing(ev.get("evidence")) else ev.get("evidence"),
            "article": None if is_missing(article) else article, "article_url": article_urls.get(article),
            "other_sources": [{"file": a, "url": article_urls.get(a)} for a in others],
            "listings": listings, "flags": flags,
            "sort_car11": first.get("-1:1", {}).get("sort", ""), "sort_car05": first.get("0:5", {}).get("sort", ""),
        })
    return rows


def skipped_rows(data: ReportData, events: pd.DataFrame) -> list[dict]:
    """Everything not in the aggregates, each with a reason a reader can check."""
    res = data.study_results
    listed = {c for c in data.listings["company"].dropna()}
    unlisted = set(data.companies[data.companies["listed"] == False]["id"])  # noqa: E712 - nullable column
    rows = []
    for ev in events.to_dict("records"):
        base = {"date": period_date(ev.get("date"), ev.get("date_precision")), "date_sort": iso(ev.get("date")), "company": ev.get("company_name"),
                "type": ev.get("event_type"), "headline": ev.get("headline")}
        mine = res[res["event_id"] == ev["id"]]
        if mine.empty:
            if ev.get("background") is True:
                reason = ("background", "background fact: shown for context, not studied")
            elif ev.get("company") in unlisted or (not data.listings.empty and ev.get("company") not in listed):
                reason = ("not_listed", f"{ev.get('company_name')} has no stock listing to study")
            elif is_missing(ev.get("study_date")):
                reason = ("no_study_date", f"date only known to the {ev.get('date_precision') or 'coarse'} level; "
                          "no day the market could first know")
            else:
                reason = ("not_studied", "no study results for this event (study not run or no price data)")
            rows.append(base | {"symbol": "\u2013", "flag": reason[0], "reason": reason[1], "in_aggregates": False})
            continue
        for r in mine.to_dict("records"):
            flags, reasons = as_list(r.get("flags")), as_list(r.get("flag_reasons"))
            for i, flag in enumerate(flags):
                rows.append(base | {"symbol": r["symbol"], "flag": flag,
                                    "reason": reasons[i] if i < len(reasons) else flag.replace("_", " "),
                                    "in_aggregates": bool(r.get("in_aggregates"))})
            if not flags and r.get("in_aggregates") is False:
                why = ("stock_move: reports a price reaction rather than a cause; excluded from aggregates"
                       if r.get("event_type") == "stock_move" else "excluded from aggregates by the study settings")
                rows.append(base | {"symbol": r["symbol"], "flag": "excluded", "reason": why, "in_aggregates": False})
    return rows


def top_moves(data: ReportData, events: pd.DataFrame, limit: int = 5) -> list[dict]:
    """Largest |CAR[-1,+1]| among studied pairs, for the summary."""
    car = _window_of(data.study_car, -1, 1).dropna(subset=["car"]).copy()
    if car.empty:
        return []
    car["abs"] = car["car"].abs()
    meta = events.set_index("id")
    rows, seen = [], {}
    for r in car.sort_values(["abs", "event_id"], ascending=[False, True]).to_dict("records"):
        # Several events of one company on the same day share one price move: list the move once.
        key = (r["symbol"], round(float(r["car"]), 10))
        if key in seen:
            seen[key]["others"] += 1
            continue
        if len(rows) == limit:
            continue
        ev = meta.loc[r["event_id"]] if r["event_id"] in meta.index else {}
        row = {"company": ev.get("company_name", ""), "symbol": r["symbol"], "headline": ev.get("headline", ""),
               "date": period_date(ev.get("date"), ev.get("date_precision")), "type": ev.get("event_type"),
               "cell": car_cell(r), "anchor": study_anchor(r["event_id"], r["symbol"]), "others": 0}
        seen[key] = row
        rows.append(row)
    return rows
