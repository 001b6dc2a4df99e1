"""The report's counts, computed once and shown the same in the CLI summary, the HTML and report.json."""

from __future__ import annotations

import pandas as pd

from tracker.report.clusters import studied_pairs
from tracker.report.data import ReportData
from tracker.report.format import as_list

# key -> what the number counts; every place that shows the counts uses these words.
COUNT_LABELS: dict[str, str] = {
    "articles": "articles read",
    "events": "events found",
    "clusters": "news clusters studied (company, day 0)",
    "studied_pairs": "(event, listing) pairs studied",
    "flagged": "studied pairs flagged",
    "in_aggregates": "clusters in the aggregates",
}


def report_counts(data: ReportData, events: pd.DataFrame, provenance: dict) -> dict[str, int]:
    pairs = studied_pairs(data)
    articles = len(data.articles) if not data.articles.empty else len(provenance.get("articles") or [])
    in_agg = pairs[pairs["in_aggregates"].fillna(False).astype(bool)]
    return {
        "articles": int(articles),
        "events": int(len(events)),
        "clusters": int(pairs["cluster_id"].nunique()),
        "studied_pairs": int(len(pairs)),
        "flagged": int(pairs["flags"].map(lambda f: len(as_list(f)) > 0).sum()) if len(pairs) else 0,
        "in_aggregates": int(in_agg["cluster_id"].nunique()),
    }
