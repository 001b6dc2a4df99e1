"""The whole job, stage by stage: articles → events → study inputs → prices → study → report.

Each function does one stage on the open database and returns what it produced, so the CLI
commands (``ingest``, ``events``, ``study``, ``report``) are thin wrappers and every stage can be
re-run alone.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from tracker.errors import TrackerError
from tracker.resources import seeds_dir

Progress = Callable[[str], None]

# Calendar-day margin that surely covers 250 sessions of estimation window before day 0
# (Chinese exchanges close for up to two weeks twice a year) and the event window after it.
_BEFORE_DAY0 = timedelta(days=420)
_AFTER_DAY0 = timedelta(days=40)


def default_articles() -> list[Path]:
    """``seeds/`` in the working directory if present, else the articles bundled with tracker."""
    local = Path("seeds")
    return [local if local.is_dir() else seeds_dir()]


@dataclass
class IngestResult:
    articles: list
    problems: list


def ingest(con: duckdb.DuckDBPyConnection, paths: list[Path] | None = None) -> IngestResult:
    from tracker.articles.ingest import read_articles, store_articles

    articles, problems = read_articles(list(paths) if paths else default_articles())
    problems = _keep_stored_dates(con, articles, problems)
    if articles:
        store_articles(con, articles)
    return IngestResult(articles, problems)


def _keep_stored_dates(con: duckdb.DuckDBPyConnection, articles: list, problems: list) -> list:
    """An unchanged article that lost its publication date this time (a broken or missing manifest)
    keeps the date stored earlier, so a bad re-run never erases what was known."""
    from dataclasses import replace

    from tracker.articles.ingest import Problem

    undated = sorted(a.file for a in articles if a.published is None)
    if not undated:
        return problems
    stored = {
        row[0]: row
        for row in con.execute(
            "SELECT file, sha1, published, published_source, published_basis FROM articles "
            "WHERE published IS NOT NULL AND list_contains(?, file)",
            [undated],
        ).fetchall()
    }
    kept = {}
    for i, article in enumerate(articles):
        row = stored.get(article.file)
        if article.published is None and row and row[1] == article.sha1:
            articles[i] = replace(article, published=row[2], published_source=row[3], published_basis=row[4])
            kept[article.file] = row
    notes = [p for p in problems if not (p.file in kept and "no publication date" in p.message)]
    notes += [Problem(file, f"no publication date this time; kept {row[2]} ({row[3]}) stored earlier", "warning")
              for file, row in sorted(kept.items())]
    return notes


def registry_for(con: duckdb.DuckDBPyConnection, extra: list[Path] = ()):
    from tracker.companies.registry import load_registry, store_registry

    registry = load_registry(list(extra))
    store_registry(con, registry)
    return registry


@dataclass
class ExtractResult:
    articles: list
    problems: list
    events: list


def extract(con: duckdb.DuckDBPyConnection, paths: list[Path] | None = None, registry_files: list[Path] = ()) -> ExtractResult:
    """Ingest the articles and store the events they report."""
    from tracker.events.extract import extract_events, store_events

    registry = registry_for(con, list(registry_files))
    ingested = ingest(con, paths)
    if not ingested.articles:
        raise TrackerError("no readable articles; pass files or folders of .txt/.md/.html articles")
    events = extract_events(ingested.articles, registry)
    store_events(con, events)
    return ExtractResult(ingested.articles, ingested.problems, events)


def list_events(con: duckdb.DuckDBPyConnection, company: str | None = None, event_type: str | None = None) -> pd.DataFrame:
    query = "SELECT * FROM events WHERE 1=1"
    params: list = []
    if company:
        query += " AND (lower(company) = lower(?) OR lower(company_name) = lower(?))"
        params += [company, company]
    if event_type:
        query += " AND event_type = ?"
        params.append(event_type)
    query += " ORDER BY event_date NULLS LAST, company, event_type"
    return con.execute(query, params).df()


def with_sources(con: duckdb.DuckDBPyConnection, events: pd.DataFrame) -> pd.DataFrame:
    """The events with `sources`: every article file that reports each event."""
    sources = con.execute("SELECT event_id AS id, sources FROM event_source_files").df()
    merged = events.merge(sources, on="id", how="left")
    merged["sources"] = [
        list(found) if isinstance(found, (list, tuple)) or hasattr(found, "tolist") else [article]
        for found, article in zip(merged["sources"], merged["article"])
    ]
    return merged


def study_events_from_extracted(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One study row per (event, listing) of every event the study can use."""
    from tracker.prices import exchange_for, first_session_on_or_after

    rows = con.execute(
        "SELECT * EXCLUDE (status) FROM event_listings ORDER BY study_date, event_id, symbol"
    ).df()
    if rows.empty:
        return rows
    rows["day0"] = [
        first_session_on_or_after(exchange or exchange_for(symbol), pd.Timestamp(d).date())
        for exchange, symbol, d in zip(rows["exchange"], rows["symbol"], rows["study_date"])
    ]
    return rows.drop(columns=["exchange"])


def price_needs(study_events: pd.DataFrame) -> pd.DataFrame:
    """Symbols (listings and their benchmarks) and the calendar ranges they need: one row per
    stretch, overlapping event ranges merged, so years between far-apart events are not asked for."""
    if study_events.empty:
        return pd.DataFrame(columns=["symbol", "start", "end"])
    anchor = pd.to_datetime(study_events["day0"].fillna(study_events["study_date"]))
    frame = pd.DataFrame({"start": (anchor - _BEFORE_DAY0).values, "end": (anchor + _AFTER_DAY0).values})
    both = pd.concat(
        [frame.assign(symbol=study_events["symbol"].values), frame.assign(symbol=study_events["benchmark"].values)]
    ).dropna(subset=["symbol"])
    # Stretches per symbol: sorted by start, a range opens a new stretch when it starts after every earlier
    # range of the symbol has ended (a running maximum of the ends), so the merge is column arithmetic.
    both = both.sort_values(["symbol", "start"], kind="stable").reset_index(drop=True)
    reach = both["end"].groupby(both["symbol"]).cummax().groupby(both["symbol"]).shift()
    opens = reach.isna() | (both["start"] > reach)
    merged = both.groupby([both["symbol"], opens.cumsum()], sort=True).agg(start=("start", "min"), end=("end", "max"))
    merged = merged.reset_index(level=0).reset_index(drop=True)
    merged["start"] = merged["start"].dt.date
    merged["end"] = merged["end"].clip(upper=pd.Timestamp(date.today())).dt.date
    return merged[["symbol", "start", "end"]]


@dataclass
class StudyRun:
    study_events: pd.DataFrame
    price_outcomes: pd.DataFrame
    result: object  # tracker.study.StudyResult
    params: object  # tracker.study.StudyParams


def study(
    con: duckdb.DuckDBPyConnection,
    params,
    *,
    user_events: pd.DataFrame | None = None,
    prices_dir: Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    downloader=None,
    progress: Progress | None = None,
    price_options: dict | None = None,
    read_back: bool = True,
) -> StudyRun:
    """Load the study inputs, make sure prices cover them, run the event study in DuckDB.

    ``read_back=False`` leaves the results in the study_* tables only (``StudyRun.result`` is None): for a caller
    that queries them itself, such as `tracker study --format csv`."""
    from tracker.prices import ensure_prices
    from tracker.study import load_study_events, run_study

    events = user_events if user_events is not None else study_events_from_extracted(con)
    if events is None or events.empty:
        raise TrackerError("no events to study: run `tracker events` first or pass --events FILE")
    load_study_events(con, events)
    needs = price_needs(con.execute("SELECT * FROM study_events").df())
    if progress:
        progress(f"prices for {needs['symbol'].nunique()} symbols")
    outcomes = ensure_prices(
        con, needs, prices_dir=prices_dir, offline=offline, refresh=refresh, downloader=downloader, progress=progress,
        **(price_options or {}),
    )
    if progress:
        progress("event study")
    result = run_study(con, params) if read_back else run_study(con, params, fetch=False)
    return StudyRun(events, outcomes, result, params)


def provenance(
    db_path: str, articles: list[Path], prices_dir: Path | None, offline: bool, params, outcomes: pd.DataFrame
) -> dict:
    versions = {}
    for name in ("tracker", "duckdb", "pandas", "yfinance", "matplotlib", "exchange_calendars", "scipy"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    if prices_dir:
        source = f"csv:{prices_dir}"
    elif offline:
        source = "cache"
    else:
        source = "yfinance"
    return {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "db": str(db_path),
        "articles": [str(p) for p in articles],
        "price_source": source,
        "price_outcomes": outcomes.astype(str).to_dict("records") if outcomes is not None else [],
        "study": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(params).items()},
        "versions": versions,
    }


@dataclass
class ReportRun:
    index_html: Path
    out_dir: Path
    extracted: ExtractResult
    study: StudyRun
    images: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def report(
    con: duckdb.DuckDBPyConnection,
    db_path: str,
    params,
    *,
    articles: list[Path] | None = None,
    prices_dir: Path | None = None,
    offline: bool = False,
    refresh: bool = False,
    out_dir: Path,
    registry_files: list[Path] = (),
    downloader=None,
    progress: Progress | None = None,
    price_options: dict | None = None,
) -> ReportRun:
    """`tracker report`: every stage, then the report folder."""
    from tracker.report import write_report

    paths = list(articles) if articles else default_articles()
    if progress:
        progress("ingest and extract events")
    extracted = extract(con, paths, registry_files)
    run = study(con, params, prices_dir=prices_dir, offline=offline, refresh=refresh, downloader=downloader,
                progress=progress, price_options=price_options)
    _require_some_prices(run)
    if progress:
        progress("charts and HTML")
    info = provenance(db_path, paths, prices_dir, offline, params, run.price_outcomes)
    output = write_report(con, out_dir, info, progress=progress)
    return ReportRun(output.index_html, out_dir, extracted, run, list(output.images), list(output.tables),
                     dict(getattr(output, "summary", {}) or {}))


def _require_some_prices(run: StudyRun) -> None:
    """An event study without a single price is a failure, not an empty success."""
    outcomes = run.price_outcomes
    if outcomes is None or outcomes.empty:
        return
    if (outcomes["status"].isin(["missing", "error"])).all():
        messages = outcomes["message"].dropna().astype(str)
        yahoo = messages.str.contains("from Yahoo").all() and len(messages) > 0
        reason = "Yahoo returned no data (network unreachable?)" if yahoo else messages.iloc[0] if len(messages) else "no source"
        raise TrackerError(
            f"no prices for any of the {len(outcomes)} symbols: {reason}; "
            "use --prices-dir DIR with Yahoo-format CSVs, or --offline with a filled cache"
        )
