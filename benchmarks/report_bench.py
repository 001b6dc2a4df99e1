"""Report speed and size at scale: `write_report` for 300 news clusters from synthetic events and prices.

Synthetic prices (tracker.study.synthetic.market_panel: a market model under the null) for 100 companies, half of
them with a second listing; 300 (company, day 0) clusters of one to three event types each, every event with an
evidence sentence and its article; the real study (run_study) fills the study tables, then write_report draws the
charts in worker processes and writes index.html. Prints the study time, the report time, the number of charts and
the size of index.html (and of the folder), then compares with the issue's limits: <= 90 s, index.html <= 25 MB.

    .venv/bin/python benchmarks/report_bench.py [--clusters 300] [--workers N] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from tracker.db import connect, insert_frame
from tracker.report import write_report
from tracker.study import StudyParams, load_study_events, run_study
from tracker.study.synthetic import insert_prices, market_panel

TYPES = ["earnings", "guidance", "product_launch", "contract", "capital_raise", "regulatory_action", "partnership",
         "stock_move"]
N_DAYS = 900


def build(con, n_clusters: int, seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    n_companies = max(1, n_clusters // 3)
    second = n_companies // 2  # the first half of the companies also trade a second line
    n_symbols = n_companies + second
    panel = market_panel(n_symbols, N_DAYS, seed=seed, start="2022-01-03")
    insert_prices(con, panel)
    dates = sorted(panel["date"].unique())
    companies = [f"co{i:03d}" for i in range(n_companies)]
    listings = [{"symbol": f"S{i:04d}", "company": companies[i], "exchange": "XNYS", "currency": "USD",
                 "benchmark": "MKT", "is_primary": True, "kind": "ordinary"} for i in range(n_companies)]
    listings += [{"symbol": f"S{n_companies + i:04d}", "company": companies[i], "exchange": "XHKG", "currency": "HKD",
                  "benchmark": "MKT", "is_primary": False, "kind": "ordinary"} for i in range(second)]
    insert_frame(con, "companies", pd.DataFrame({"id": companies, "name": [f"Company {c[2:]}" for c in companies],
                                                 "listed": True, "aliases": [[c] for c in companies]}))
    insert_frame(con, "listings", pd.DataFrame(listings))
    by_company = {c: [x["symbol"] for x in listings if x["company"] == c] for c in companies}
    events, sources, study, articles = [], [], [], []
    for k in range(n_clusters):
        company = companies[k % n_companies]
        # the same company's clusters lie 180 sessions apart, so each (company, day 0) is a cluster of its own
        day = dates[300 + ((k // n_companies) * 180 + (k % n_companies) * 3) % (N_DAYS - 330)]
        article = f"a{k:04d}.txt"
        articles.append({"file": article, "path": f"synthetic/{article}", "language": "en", "published": day,
                         "published_source": "manifest", "title": f"News {k}", "text": "…",
                         "sha1": f"{k:040x}", "ingested_at": datetime(2025, 1, 1)})
        for t in rng.choice(TYPES, size=int(rng.integers(1, 4)), replace=False):
            event_id = f"e{k:04d}-{t}"
            sentence = f"Company {company[2:]} reported {t.replace('_', ' ')} news <{k}> on {day}."
            events.append({"id": event_id, "company": company, "company_name": f"Company {company[2:]}",
                           "tickers": by_company[company], "event_type": t, "event_date": day,
                           "date_precision": "day", "date_source": "explicit", "published": day, "article": article,
                           "evidence": sentence, "evidence_start": 0, "evidence_end": len(sentence), "confidence": 0.8, "headline": f"Company {company[2:]}: {t} {k}",
                           "status": "reported", "background": False, "study_date": day})
            sources.append({"event_id": event_id, "article": article, "published": day, "evidence": sentence,
                            "evidence_start": 0, "evidence_end": len(sentence)})
            for symbol in by_company[company]:
                study.append({"event_id": event_id, "symbol": symbol, "benchmark": "MKT", "study_date": day,
                              "event_type": t, "company": company, "label": f"{t} {k}"})
    insert_frame(con, "articles", pd.DataFrame(articles))
    insert_frame(con, "events", pd.DataFrame(events).drop_duplicates("id"))
    insert_frame(con, "event_sources", pd.DataFrame(sources).drop_duplicates(["event_id"]))
    load_study_events(con, pd.DataFrame(study).drop_duplicates(["event_id", "symbol"]))


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (the chart workers): on a shared
    machine the wall time says how busy the others were, this says what the report costs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--workers", type=int, default=None, help="chart processes (default: the usable CPUs)")
    parser.add_argument("--out", type=Path, default=None, help="keep the report in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "report"
        con = connect(str(Path(tmp) / "bench.duckdb"))
        build(con, args.clusters)
        t0 = time.perf_counter()
        run_study(con, StudyParams(), fetch=False)
        study_s = time.perf_counter() - t0
        provenance = {"run_at": datetime.now().isoformat(timespec="seconds"), "price_source": "synthetic"}
        phases: list[tuple[str, float]] = []
        t0 = time.perf_counter()

        def progress(message: str) -> None:
            if not message.startswith("charts ") or message.split()[1].split("/")[0] in ("1", message.split("/")[1]):
                phases.append((message, time.perf_counter() - t0))

        cpu0 = _cpu_seconds()
        output = write_report(con, out, provenance, progress=progress, workers=args.workers)
        report_s = time.perf_counter() - t0
        report_cpu = _cpu_seconds() - cpu0
        html_mb = output.index_html.stat().st_size / 1e6
        folder_mb = sum(p.stat().st_size for p in out.iterdir() if p.is_file()) / 1e6
        counts = output.counts
        print(f"clusters in report : {counts['clusters']} ({counts['studied_pairs']} (event, listing) pairs, "
              f"{counts['events']} events)")
        print(f"study              : {study_s:6.1f} s")
        print(f"report             : {report_s:6.1f} s  ({len(output.images)} charts; {report_cpu:.1f} CPU s in this "
              f"process and its chart workers; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"index.html         : {html_mb:6.2f} MB  (folder {folder_mb:.1f} MB)")
        print("report steps (s)   : " + "; ".join(f"{m} @ {t:.1f}" for m, t in phases))
        ok_time, ok_size = report_s <= 90, html_mb <= 25
        print(f"limits             : report <= 90 s {'met' if ok_time else 'NOT met'}; "
              f"index.html <= 25 MB {'met' if ok_size else 'NOT met'}")
        if args.out:
            print(f"report kept in {out / 'index.html'}")
    return 0 if ok_time and ok_size else 1


if __name__ == "__main__":
    sys.exit(main())
