"""Rows for the events table, the biggest moves and the skipped/flagged list."""

from __future__ import annotations

import pandas as pd

from tracker.report.clusters import cluster_anchor, precise_pairs, studied_pairs
from tracker.report.data import ReportData
from tracker.report.format import as_list, iso, is_missing, num, pct, period_date, pvalue, sign_class, stars

KEY_WINDOWS = ((-1, 1), (0, 5))


def car_cell(row) -> dict:
    if row is None or is_missing(row.get("car")):
        return {"text": "\u2013", "sort": "", "cls": "", "t": "", "stars": "", "p": ""}
    return {"text": pct(row["car"]), "sort": f"{row['car']:.6f}", "cls": sign_class(row["car"]),
            "t": num(row.get("t")), "stars": stars(row.get("p")), "p": pvalue(row.get("p"))}


class CarIndex:
    """study_car rows by (event_id, symbol, win_start, win_end), read once: the report looks up
    thousands of cells at hundreds of clusters."""

    def __init__(self, car: pd.DataFrame):
        self.rows: dict[tuple, dict] = {}
        for r in car.to_dict("records"):
            a, b = r.get("win_start"), r.get("win_end")
            if (is_missing(a) or is_missing(b)) and isinstance(r.get("window"), str) and ":" in r["window"]:
                a, b = (int(x) for x in r["window"].split(":", 1))
            if is_missing(a) or is_missing(b):
                continue
            self.rows[(r["event_id"], r["symbol"], int(a), int(b))] = r

    def get(self, event_id, symbol, a: int, b: int) -> dict | None:
        return self.rows.get((event_id, symbol, a, b))

    def windows(self, event_id, symbol) -> list[dict]:
        found = [r | {"win_start": k[2], "win_end": k[3]} for k, r in self.rows.items() if k[:2] == (event_id, symbol)]
        return sorted(found, key=lambda r: (r["win_start"], r["win_end"]))


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


def records_by(frame: pd.DataFrame, key: str) -> dict[str, list[dict]]:
    """A frame's rows as dicts grouped by one column, in the frame's order (one pass: per-group
    DataFrame slicing is what made the report slow at hundreds of clusters)."""
    out: dict[str, list[dict]] = {}
    for r in frame.to_dict("records"):
        out.setdefault(r[key], []).append(r)
    return out


def event_rows(data: ReportData, events: pd.DataFrame, article_urls: dict, cars: CarIndex) -> list[dict]:
    res = data.study_results.assign(_p=~data.study_results["is_primary"].astype(bool)).sort_values(["_p", "symbol"])
    by_event = records_by(res, "event_id")
    studied = set(map(tuple, studied_pairs(data)[["event_id", "symbol"]].values))
    sources = data.event_sources.groupby("event_id")["article"].agg(lambda s: list(dict.fromkeys(s.dropna())))
    rows = []
    for ev in events.to_dict("records"):
        listings = []
        for r in by_event.get(ev["id"], []):
            cells = {f"{a}:{b}": car_cell(cars.get(ev["id"], r["symbol"], a, b)) for a, b in KEY_WINDOWS}
            listings.append({"symbol": r["symbol"], "cells": cells, "flags": as_list(r.get("flags")),
                             "anchor": cluster_anchor(r["cluster_id"]) if (ev["id"], r["symbol"]) in studied else None})
        article = ev.get("article")
        others = [a for a in sources.get(ev["id"], []) if a != article]
        flags = sorted({f for item in listings for f in item["flags"]})
        if not listings and ev.get("background") is True:
            flags.append("background")
        status = ev.get("status")
        if isinstance(status, str) and status not in ("", "reported", "occurred"):
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
    """Everything not in the aggregates or carrying a flag, each with a reason a reader can check."""
    by_event = records_by(data.study_results, "event_id")
    listed = {c for c in data.listings["company"].dropna()}
    unlisted = set(data.companies[data.companies["listed"] == False]["id"])  # noqa: E712 - nullable column
    rows = []
    for ev in events.to_dict("records"):
        base = {"date": period_date(ev.get("date"), ev.get("date_precision")), "date_sort": iso(ev.get("date")),
                "company": ev.get("company_name"), "type": ev.get("event_type"), "headline": ev.get("headline")}
        mine = by_event.get(ev["id"])
        if not mine:
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
        for r in mine:
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


def top_moves(data: ReportData, events: pd.DataFrame, clusters: pd.DataFrame, cars: CarIndex,
              limit: int = 10) -> list[dict]:
    """The largest day-precise moves, one row per cluster with each listing's CAR[−1,+1]: only news
    with a known day 0 that counts in the aggregates (so not stock_move-only news by default), shown
    on every listing it was studied on."""
    pairs = studied_pairs(data)
    if pairs.empty:
        return []
    pairs = pairs[precise_pairs(pairs, events)]
    # the news that counts picks the clusters and events; every listing of those events is shown,
    # counted or not (the aggregates take one listing per cluster, the reader wants each one's move)
    counted = pairs[pairs["in_aggregates"].fillna(False).astype(bool)]
    pairs = pairs[pairs["cluster_id"].isin(set(counted["cluster_id"])) & pairs["event_id"].isin(set(counted["event_id"]))]
    rows = []
    info = {c["cluster_id"]: c for c in clusters.to_dict("records")}
    for cluster_id, part in records_by(pairs, "cluster_id").items():
        if cluster_id not in info:
            continue
        c = info[cluster_id]
        listings, biggest = [], None
        for symbol in c["symbols"]:
            mine = [r for r in part if r["symbol"] == symbol]
            if not mine:
                continue
            row = cars.get(mine[0]["event_id"], symbol, -1, 1)
            listings.append({"symbol": symbol, "cell": car_cell(row)})
            if row is not None and not is_missing(row.get("car")):
                biggest = abs(row["car"]) if biggest is None else max(biggest, abs(row["car"]))
        if biggest is None:
            continue
        types = sorted({r["event_type"] for r in part if not is_missing(r["event_type"])})
        rows.append({"company": c["company_name"], "date": period_date(c["day0"], "day"), "types": types,
                     "headline": c["headline"], "listings": listings, "anchor": cluster_anchor(cluster_id),
                     "cluster_id": cluster_id, "_abs": biggest})
    rows.sort(key=lambda r: (-r["_abs"], r["cluster_id"]))
    return [{k: v for k, v in r.items() if k != "_abs"} for r in rows[:limit]]
