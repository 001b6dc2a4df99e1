"""News clusters: the (company, day 0) groups the report gives one section each (DESIGN §5, §6).

The listings of one company and the event types read from the same news share a day 0, so their
abnormal returns are one observation; the report shows them together and counts them once.
"""

from __future__ import annotations

import pandas as pd

from tracker.report.data import ReportData
from tracker.report.format import as_list, is_missing

UNCERTAIN = "date_uncertain"


def is_uncertain(flags) -> bool:
    return UNCERTAIN in as_list(flags)


def studied_pairs(data: ReportData) -> pd.DataFrame:
    """study_results rows that have an abnormal-return path to chart (at least one CAR value: a pair
    whose window holds no usable returns, e.g. before a listing, is reported as skipped instead),
    with `uncertain` (flagged date_uncertain)."""
    res = data.study_results
    ar = data.study_ar
    with_ar = ar[pd.to_numeric(ar["car"], errors="coerce").notna()][["event_id", "symbol"]].drop_duplicates()
    pairs = res.merge(with_ar, on=["event_id", "symbol"], how="inner")
    pairs["uncertain"] = pairs["flags"].map(is_uncertain).astype(bool)
    return pairs


def precise_pairs(pairs: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """Pairs whose day 0 is a known day: not flagged date_uncertain, and (for databases written
    before that flag existed) an event date known to the day."""
    precision = dict(zip(events["id"], events["date_precision"])) if "date_precision" in events else {}
    coarse = pairs["event_id"].map(lambda e: not is_missing(precision.get(e)) and precision.get(e) != "day")
    return ~pairs["uncertain"] & ~coarse.astype(bool)


def _ordered_symbols(rows: pd.DataFrame) -> list[str]:
    """Primary listing first (BABA before 9988.HK), then by symbol."""
    primary = dict(zip(rows["symbol"], rows["is_primary"].astype(bool)))
    return sorted(primary, key=lambda s: (not primary[s], s))


def cluster_table(data: ReportData, events: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster with studied pairs: cluster_id, company, company_name, day0, symbols
    (primary first), event_ids, event_types, precise (some pair has a known day 0), in_aggregates
    (some pair counts), headline; ordered by day 0, then company."""
    pairs = studied_pairs(data)
    columns = ["cluster_id", "company", "company_name", "day0", "symbols", "event_ids", "event_types", "precise",
               "in_aggregates", "headline"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    pairs["precise"] = precise_pairs(pairs, events)
    # Order within a cluster: day-precise news first, price-move reports last.
    pairs["_rank"] = (~pairs["precise"]).astype(int) * 2 + (pairs["event_type"] == "stock_move").astype(int)
    pairs = pairs.sort_values(["cluster_id", "_rank", "event_type", "event_id"], kind="stable")
    names = dict(zip(events["id"], events["company_name"])) if not events.empty else {}
    headlines = dict(zip(events["id"], events["headline"])) if not events.empty else {}
    rows = []
    for cluster_id, part in pairs.groupby("cluster_id", sort=False):
        ids = list(dict.fromkeys(part["event_id"]))
        types = dict(zip(part["event_id"], part["event_type"]))
        first = part.iloc[0]
        name = names.get(ids[0])
        found = [headlines[e] for e in ids if not is_missing(headlines.get(e)) and types.get(e) != "stock_move"] or \
            [headlines[e] for e in ids if not is_missing(headlines.get(e))] or \
            [label for label in part["label"] if not is_missing(label)]
        day = first["day0"] if not is_missing(first["day0"]) else first["study_date"]
        rows.append({
            "cluster_id": cluster_id, "company": first["company"],
            "company_name": name if not is_missing(name) else first["company"], "day0": day,
            "symbols": _ordered_symbols(part), "event_ids": ids,
            "event_types": list(dict.fromkeys(part["event_type"].dropna())),
            "precise": bool(part["precise"].any()),
            "in_aggregates": bool(part["in_aggregates"].fillna(False).astype(bool).any()),
            "headline": found[0] if found else "",
        })
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["day0", "company_name"], na_position="last", kind="stable").reset_index(drop=True)


def cluster_anchor(cluster_id: str) -> str:
    return "cluster-" + "".join(ch if ch.isalnum() else "-" for ch in str(cluster_id)).lower()


def representatives(pairs: pd.DataFrame, events: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """The study row whose abnormal returns stand for a listing in a cluster: every event of one
    cluster shares day 0, so one row per (cluster, listing) suffices; a day-precise row counted in
    the aggregates is preferred, then any day-precise one."""
    if pairs.empty:
        return {}
    ranked = pairs.assign(
        _precise=~precise_pairs(pairs, events),
        _agg=~pairs["in_aggregates"].fillna(False).astype(bool),
    ).sort_values(["cluster_id", "symbol", "_precise", "_agg", "event_id"])
    out = {}
    for r in ranked.drop_duplicates(["cluster_id", "symbol"]).to_dict("records"):
        out[(r["cluster_id"], r["symbol"])] = r
    return out
