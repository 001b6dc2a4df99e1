"""The investor report: charts, index.html, CSV/Parquet tables and report.json.

    write_report(con, out_dir, provenance, progress=None, workers=None) -> ReportOutput
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tracker.errors import TrackerError
from tracker.report.clusters import cluster_table
from tracker.report.context import build_context
from tracker.report.counts import COUNT_LABELS, report_counts
from tracker.report.data import load_report_data
from tracker.report.events_view import event_list
from tracker.report.exports import write_report_json, write_tables
from tracker.report.figures import draw_charts
from tracker.report.params import study_params
from tracker.report.render import render_html

__all__ = ["COUNT_LABELS", "ReportOutput", "write_report"]


def _previous_images(report_json: Path) -> set[str]:
    try:
        files = json.loads(report_json.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return set()
    return {name for name in files.get("images", []) if isinstance(name, str) and name == Path(name).name
            and name.endswith(".png")}


@dataclass
class ReportOutput:
    index_html: Path
    images: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    report_json: Path | None = None
    counts: dict = field(default_factory=dict)     # report_counts(): the one set of counts every surface shows
    top_moves: list = field(default_factory=list)  # biggest day-precise moves, one row per cluster

    @property
    def summary(self) -> dict:
        return {"counts": self.counts, "top_moves": self.top_moves}


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path, provenance: dict,
                 progress: Callable[[str], None] | None = None, workers: int | None = None) -> ReportOutput:
    """Write index.html, the PNG charts (referenced by index.html as files beside it),
    events/car/ar/aggregates (.csv and .parquet) and report.json into out_dir, reading the tables the
    earlier stages filled. Charts are drawn in `workers` processes (default: the usable CPUs)."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrackerError(f"cannot create report folder {out_dir}: {exc.strerror}; pass another --out") from exc
    say = progress or (lambda _msg: None)
    say("report: reading tables")
    data = load_report_data(con)
    events = event_list(data)
    if events.empty and data.study_results.empty and data.missing:
        raise TrackerError("nothing to report: the database has no events or study tables; "
                           "run `tracker report` (or `tracker events` and `tracker study`) first")
    params, origin = study_params(con, provenance)
    counts = report_counts(data, events, provenance)
    clusters = cluster_table(data, events)
    previous = _previous_images(out_dir / "report.json")
    images = draw_charts(con, data, events, clusters, params, out_dir, progress=say, workers=workers)
    # A re-run into the same folder must not leave charts of events that are gone; only files the
    # previous report.json listed are removed, never anything else in the folder.
    for name in previous - {p.name for p in images.values()}:
        (out_dir / name).unlink(missing_ok=True)
    say("report: tables")
    tables = write_tables(con, data, events, out_dir)
    say("report: html")
    context = build_context(con, data, events, clusters, images, provenance, params, origin, counts)
    index = out_dir / "index.html"
    index.write_text(render_html(context), encoding="utf-8")
    report_json = write_report_json(
        out_dir / "report.json", provenance=provenance, params=params, params_origin=origin, counts=counts,
        files={"index_html": index.name, "images": [p.name for p in images.values()], "tables": [p.name for p in tables]},
        missing_tables=data.missing)
    return ReportOutput(index_html=index, images=list(images.values()), tables=tables, report_json=report_json,
                        counts=counts, top_moves=context["summary"]["top_moves"])
