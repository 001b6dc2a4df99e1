"""Rendering charts in worker processes: a job names a chart function and its (picklable) inputs.

A report at hundreds of clusters draws hundreds of figures; matplotlib holds the GIL while it
renders, so they are spread over processes. Workers start with "spawn": the parent holds DuckDB's
threads, and a forked child could inherit one of their locks held.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tracker.report.charts.caar import caar_chart
from tracker.report.charts.cluster import cluster_chart
from tracker.report.charts.company import company_price_chart
from tracker.report.charts.style import save_png
from tracker.report.charts.timeline import timeline_chart

CHARTS: dict[str, Callable] = {"timeline": timeline_chart, "caar": caar_chart, "company": company_price_chart,
                               "cluster": cluster_chart}
# Below this many charts, starting worker processes costs more than it saves.
PARALLEL_FROM = 12


@dataclass
class ChartJob:
    key: str            # what the chart shows: "timeline", "caar", "company:<id>", "cluster:<cluster id>"
    kind: str           # a key of CHARTS
    path: Path
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def render(job: ChartJob) -> Path:
    fig = CHARTS[job.kind](*job.args, **job.kwargs)
    return save_png(fig, job.path)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def render_all(jobs: list[ChartJob], workers: int | None = None,
               progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Every job's PNG, keyed by job.key; in worker processes when there are enough jobs."""
    say = progress or (lambda _msg: None)
    workers = default_workers() if workers is None else max(1, workers)
    done: dict[str, Path] = {}
    if workers == 1 or len(jobs) < PARALLEL_FROM:
        for i, job in enumerate(jobs, start=1):
            say(f"charts {i}/{len(jobs)}")
            done[job.key] = render(job)
        return done
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(render, job): job for job in jobs}
            for i, future in enumerate(as_completed(futures), start=1):
                done[futures[future].key] = future.result()
                say(f"charts {i}/{len(jobs)}")
    except BrokenProcessPool:
        # A spawned worker re-imports the caller's __main__; a program read from stdin or a frozen one
        # cannot be, so its workers die at start. The charts are then drawn here, one after another.
        for i, job in enumerate(jobs, start=1):
            if job.key not in done:
                done[job.key] = render(job)
            say(f"charts {i}/{len(jobs)}")
    return {job.key: done[job.key] for job in jobs}
