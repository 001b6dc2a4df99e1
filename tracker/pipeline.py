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
    unresolved: object = None      # DataFrame of names no company was found for (securities loaded)
    notes: list = field(default_factory=list)   # e.g. the online look-up was skipped


def extract(con: duckdb.DuckDBPyConnection, paths: list[Path] | None = None, registry_files: list[Path] = (),
            online_lookup: bool = False) -> ExtractResult:
    """Ingest the articles and store the events they report. With the securities table loaded
    (`tracker companies update`), companies beyond the registry are linked too, and with
    ``online_lookup`` unmatched organisation names are looked up on Yahoo (cached)."""
    from tracker.events.extract import extract_events
    from tracker.events.store import store_events

    registry = registry_for(con, list(registry_files))
    ingested = ingest(con, paths)
    if not ingested.articles:
        raise TrackerError("no readable articles; pass files or folders of .txt/.md/.html articles")
    companies, lookup = _companies(con, registry, online_lookup)
    events = extract_events(ingested.articles, companies)
    store_events(con, events)
    result = ExtractResult(ingested.articles, ingested.problems, events)
    if companies is not registry:
        from tracker.companies.linking import store_linked, unresolved_names

        store_linked(con, companies, events, ingested.articles)
        result.unresolved = unresolved_names(con)
        if online_lookup and lookup.offline_reason:
            result.notes.append(lookup.offline_reason)
    return result


def _companies(con: duckdb.DuckDBPyConnection, registry, online_lookup: bool):
    from tracker.companies.linking import linked_companies
    from tracker.companies.lookup import OnlineLookup

    # Without online look-ups the cache of earlier ones still answers.
    lookup = OnlineLookup(con) if online_lookup else OnlineLookup(con, search=None)
    return linked_companies(con, registry, lookup), lookup


def check_event_filters(con: duckdb.DuckDBPyConnection, company: str | None, event_type: str | None) -> None:
    """An unknown --type or --company is an error that lists the valid values (not an empty table)."""
    from tracker.events.taxonomy import EVENT_TYPES

    if event_type and event_type not in EVENT_TYPES:
        raise TrackerError(f"unknown event type {event_type!r}; use one of: {', '.join(EVENT_TYPES)}")
    if company:
        known = con.execute(
            "SELECT id, name FROM companies UNION SELECT company, company_name FROM events ORDER BY 1"
        ).fetchall()
        if not any(company.lower() in (str(i).lower(), str(n).lower()) for i, n in known):
            found = con.execute("SELECT DISTINCT company, company_name FROM events ORDER BY 1").fetchall()
            listed = ", ".join(f"{i} ({n})" for i, n in found) or "none yet"
            raise TrackerError(f"unknown company {company!r}; companies with events (id or name): {listed}")


def list_events(con: duckdb.DuckDBPyConnection, company: str | None = None, event_type: str | None = None) -> pd.DataFrame:
    check_event_filters(con, company, event_type)
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
    allow_empty: bool = False,
    read_back: bool = True,
) -> StudyRun:
    """Load the study inputs, make sure prices cover them, run the event study in DuckDB.
    Without events: an error, or (``allow_empty``, for the report) an empty study.

    ``read_back=False`` leaves the results in the study_* tables only (``StudyRun.result`` is None): for a caller
    that queries them itself, such as `tracker study --format csv`."""
    from tracker.prices import ensure_prices
    from tracker.study import load_study_events, run_study
    from tracker.study.inputs import STUDY_EVENT_COLUMNS

    events = user_events if user_events is not None else study_events_from_extracted(con)
    if events is None or events.empty:
        if not allow_empty:
            raise TrackerError("no events to study: run `tracker events` first or pass --events FILE")
        events = pd.DataFrame(columns=STUDY_EVENT_COLUMNS)
    load_study_events(con, events)
    needs = price_needs(con.execute("SELECT * FROM study_events").df())
    if progress:
        progress(f"prices for {needs['symbol'].nunique()} symbols")
    outcomes = ensure_prices(
        con, needs, prices_dir=prices_dir, offline=offline, refresh=refresh, downloader=downloader, progress=progress,
        **(price_options or {}),
    )
    _note_snapshot_symbols(con, outcomes)
    if progress:
        progress("event study")
    result = run_study(con, params) if read_back else run_study(con, params, fetch=False)
    if user_events is not None and result is not None:
        flag_unregistered(con, result.results)
    return StudyRun(events, outcomes, result, params)


NOT_IN_REGISTRY = "not_in_registry"


def flag_unregistered(con: duckdb.DuckDBPyConnection, results: pd.DataFrame) -> None:
    """Add the flag ``not_in_registry`` (with its reason) to rows whose symbol no registry listing has:
    a user's events file may name any ticker, and a typo should read as one, not just as missing prices.
    Done on the returned rows (CLI table and JSON), beside the study's own flags."""
    if results.empty:
        return
    known = {s for (s,) in con.execute("SELECT symbol FROM listings").fetchall()}
    flags, reasons = [], []
    for symbol, f, r in zip(results["symbol"], results["flags"], results["flag_reasons"]):
        f = [] if f is None else list(f)
        r = [] if r is None else list(r)
        if symbol not in known:
            f.append(NOT_IN_REGISTRY)
            r.append(f"{symbol} is not a listing in the company registry: check the symbol, or add the "
                     "company with --registry FILE")
        flags.append(f)
        reasons.append(r)
    results["flags"] = flags
    results["flag_reasons"] = reasons


def provenance(
    db_path: str, articles: list[Path], prices_dir: Path | None, offline: bool, params, outcomes: pd.DataFrame
) -> dict:
    versions = {}
    for name in ("tracker", "duckdb", "pandas", "yfinance", "matplotlib", "exchange_calendars", "scipy"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    source = price_source(prices_dir, offline, outcomes)
    return {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "db": str(db_path),
        "articles": [str(p) for p in articles],
        "price_source": source,
        "price_outcomes": outcomes.astype(str).to_dict("records") if outcomes is not None else [],
        "symbols_without_prices": symbols_without_prices(outcomes),
        "study": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(params).items()},
        "versions": versions,
    }


def _note_snapshot_symbols(con: duckdb.DuckDBPyConnection, outcomes: pd.DataFrame) -> None:
    """attrs['snapshot'] = every symbol of this run whose stored prices include bundled snapshot rows,
    whether loaded now or by an earlier offline run (a re-run finds them cached)."""
    from tracker.prices import snapshot

    if outcomes is None or outcomes.empty:
        return
    found = {s for (s,) in con.execute("SELECT DISTINCT symbol FROM prices WHERE source = ? AND list_contains(?, symbol)",
                                       [snapshot.SOURCE, list(outcomes["symbol"])]).fetchall()}
    if found:
        outcomes.attrs["snapshot"] = sorted(found | set(outcomes.attrs.get("snapshot") or []))


def price_source(prices_dir: Path | None, offline: bool, outcomes: pd.DataFrame | None) -> str:
    """One line saying where this run's prices came from (the report's provenance shows it)."""
    from tracker.prices import snapshot

    attrs = outcomes.attrs if outcomes is not None else {}
    if prices_dir:
        base = f"csv:{prices_dir}"
    elif offline:
        base = "cache"
    elif attrs.get("yahoo_unreachable"):
        base = "cache (Yahoo was unreachable)"
    else:
        base = "yfinance"
    if attrs.get("snapshot"):
        line = snapshot.describe(outcomes[outcomes["symbol"].isin(attrs["snapshot"])])
        if attrs.get("yahoo_unreachable"):
            return f"{line}; Yahoo was unreachable"
        others = set(outcomes["symbol"]) - set(attrs["snapshot"]) - set(symbols_without_prices(outcomes))
        return f"{base}; {line}" if others or prices_dir else line
    return base


def symbols_without_prices(outcomes: pd.DataFrame | None) -> list[str]:
    if outcomes is None or outcomes.empty:
        return []
    return sorted(outcomes.loc[outcomes["status"].isin(["missing", "error"]), "symbol"])


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
                progress=progress, price_options=price_options, allow_empty=True)
    if progress:
        progress("charts and HTML")
    info = provenance(db_path, paths, prices_dir, offline, params, run.price_outcomes)
    output = write_report(con, out_dir, info, progress=progress)
    return ReportRun(output.index_html, out_dir, extracted, run, list(output.images), list(output.tables),
                     dict(getattr(output, "summary", {}) or {}))
