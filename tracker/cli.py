"""The `tracker` command line. Parses options, calls one library function, formats the result.

Everything but the requested data goes to stderr, so `--format json` output can be piped.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from tracker.cli_companies import companies_app
from tracker.cli_prices import prices_app
from tracker.cli_support import Command, Format, FormatOption, Group, State, emit, get_state, say, warn_problems
from tracker.config import parse_window
from tracker.errors import TrackerError
from tracker.progress import ProgressLine

if TYPE_CHECKING:
    import pandas as pd

# pandas, duckdb, the pipeline and everything behind them are imported inside the commands that use them:
# `tracker --help` and `tracker sql` must start fast (tests/test_startup.py checks what importing this module loads).


app = typer.Typer(
    cls=Group,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    help="News events linked to stock prices: articles → dated company events → DuckDB event study → report.",
)
app.add_typer(prices_app, name="prices")
app.add_typer(companies_app, name="companies")


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", help="DuckDB file (default: $TRACKER_DB or ./tracker.duckdb)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML config: study parameters, extra registry files."),
    registry: Optional[list[Path]] = typer.Option(None, "--registry", help="Extra companies/listings TOML (repeatable)."),
) -> None:
    ctx.obj = State(db, config)
    for path in registry or []:
        if not path.is_file():
            raise TrackerError(f"registry file {path} not found")
        ctx.obj.config.registry_files.append(path)


@app.command(cls=Command)
def ingest(
    ctx: typer.Context,
    paths: Optional[list[Path]] = typer.Argument(None, help="Article files or folders (default: seeds/)."),
    fmt: Format = FormatOption,
) -> None:
    """Read articles into the database (text cleaned, language and publication date found)."""
    import pandas as pd

    from tracker import pipeline

    state = get_state(ctx)
    result = pipeline.ingest(state.con, paths)
    warn_problems(result.problems)
    if not result.articles:
        where = ", ".join(map(str, paths)) if paths else "seeds/"
        raise TrackerError(f"no readable articles in {where}; pass files or folders of .txt, .md or .html articles")
    rows = [
        {"file": a.file, "language": a.language, "published": a.published, "published_source": a.published_source,
         "chars": len(a.text), "title": a.title}
        for a in result.articles
    ]
    emit(pd.DataFrame(rows), fmt)


@app.command(cls=Command)
def events(
    ctx: typer.Context,
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    company: Optional[str] = typer.Option(None, "--company", help="Only this company (id or name)."),
    event_type: Optional[str] = typer.Option(None, "--type", help="Only this event type, e.g. capital_raise."),
    online: bool = typer.Option(True, "--online/--no-online",
                                help="Look unmatched company names up on Yahoo (needs `companies update`; cached)."),
    fmt: Format = FormatOption,
) -> None:
    """Extract dated company events from the articles and list them."""
    from tracker import pipeline

    state = get_state(ctx)
    extracted = pipeline.extract(state.con, articles, state.config.registry_files, online_lookup=online)
    warn_problems(extracted.problems)
    _report_unresolved(extracted)
    frame = pipeline.list_events(state.con, company, event_type)
    if frame.empty and (company or event_type):
        say(f"note: no events match {' and '.join(f for f in (company, event_type) if f)}")
    if fmt is Format.json:
        emit(pipeline.with_sources(state.con, frame), fmt)
        return
    columns = ["event_date", "date_precision", "company_name", "event_type", "status", "headline", "confidence", "article"]
    emit(frame[[c for c in columns if c in frame.columns]], fmt)


def _report_unresolved(extracted) -> None:
    for note in extracted.notes:
        say(f"warning: {note}")
    unresolved = extracted.unresolved
    if unresolved is None or unresolved.empty:
        return
    shown = ", ".join(f"{n} ({m})" for n, m in zip(unresolved["name"][:15], unresolved["mentions"][:15]))
    more = f" and {len(unresolved) - 15} more" if len(unresolved) > 15 else ""
    say(f"unresolved company names: {shown}{more}")


@app.command(cls=Command)
def study(
    ctx: typer.Context,
    events_file: Optional[Path] = typer.Option(None, "--events", help="Your own events CSV: symbol,event_date[,event_type,label,benchmark]."),
    model: Optional[str] = typer.Option(None, "--model", help="market (default), market_adjusted or constant_mean."),
    window: Optional[str] = typer.Option(None, "--window", help="Event window in trading days, e.g. --window=-10:10."),
    estimation: Optional[str] = typer.Option(None, "--estimation", help="Estimation window, e.g. --estimation=-250:-11."),
    prices_dir: Optional[Path] = typer.Option(None, "--prices-dir", help="Folder of Yahoo-format SYMBOL.csv files instead of Yahoo."),
    offline: bool = typer.Option(False, "--offline", help="Use only prices already in the database."),
    refresh: bool = typer.Option(False, "--refresh", help="Download prices again even if cached."),
    include_stock_moves: bool = typer.Option(False, "--include-stock-moves", help="Count stock_move events in the aggregates."),
    include_uncertain: bool = typer.Option(False, "--include-uncertain", help="Count events dated coarser than a day in the aggregates."),
    listing: Optional[str] = typer.Option(None, "--listing", help="What a news cluster counts in aggregates: primary (default), all or average."),
    fmt: Format = FormatOption,
) -> None:
    """Run the event study (market model by default) and print one row per (event, listing)."""
    from tracker import pipeline
    from tracker.study import to_json

    state = get_state(ctx)
    params = _study_params(state, model, window, estimation, include_stock_moves, include_uncertain, listing)
    user_events = None
    if events_file:
        user_events = _user_study_events(state, events_file)
    elif not state.con.execute("SELECT count(*) FROM events").fetchone()[0]:
        pipeline.extract(state.con, None, state.config.registry_files)
    run = pipeline.study(state.con, params, user_events=user_events, prices_dir=prices_dir, offline=offline,
                         refresh=refresh, progress=ProgressLine(), read_back=fmt is not Format.csv)
    _report_price_outcomes(run.price_outcomes)
    if fmt is Format.csv:
        # straight from the result tables: a 100k-event study never reads every AR back into Python
        from tracker.formatting import render_relation_csv
        from tracker.study.table import study_table

        typer.echo(render_relation_csv(study_table(state.con, params)))
        return
    if fmt is Format.json:
        typer.echo(json.dumps(to_json(run.result), ensure_ascii=False, indent=2, default=str))
        return
    emit(_study_table(run.result), fmt)


def _user_study_events(state: State, path: Path) -> pd.DataFrame:
    from tracker.study import read_events_csv, user_events_to_study_events

    return user_events_to_study_events(state.con, read_events_csv(path))


def _study_params(state: State, model, window, estimation, include_stock_moves, include_uncertain=False, listing=None):
    from tracker.study import StudyParams

    settings = dict(state.config.study)
    if model:
        if model not in ("market", "market_adjusted", "constant_mean"):
            raise TrackerError(f"--model must be market, market_adjusted or constant_mean (got {model!r})")
        settings["model"] = model
    if window:
        settings["window"] = parse_window(window, "--window")
    if estimation:
        settings["estimation"] = parse_window(estimation, "--estimation")
    if include_stock_moves:
        settings["include_stock_moves"] = True
    if include_uncertain:
        settings["include_uncertain"] = True
    if listing:
        if listing not in ("primary", "all", "average"):
            raise TrackerError(f"--listing must be primary, all or average (got {listing!r})")
        settings["listing"] = listing
    params = StudyParams(**settings)
    params.validate()   # before any article is read or price fetched
    return params


def _study_table(result) -> pd.DataFrame:
    """One row per (event, listing): the results with each CAR window's CAR and t beside them (column-wise: a
    100k-event study is 600k CAR rows)."""
    results = result.results
    car = result.car
    wide = car.set_index(["event_id", "symbol", "window"])[["car", "t"]].unstack("window")
    wide.columns = [f"{'CAR' if v == 'car' else 't'}[{w}]" for v, w in wide.columns]
    table = results.merge(wide.reset_index(), on=["event_id", "symbol"], how="left")
    table["flags"] = table["flags"].astype(object).str.join(",").fillna("")
    first = ["event_id", "symbol", "company", "event_type", "day0", "beta"]
    # Windows in the order the study configured them, each CAR followed by its t.
    configured = [f"{a}:{b}" for a, b in result.params.car_windows]
    order = [f"{kind}[{w}]" for w in configured for kind in ("CAR", "t") if f"{kind}[{w}]" in table.columns]
    return table[[c for c in first if c in table.columns] + order + ["flags"]]


def _report_price_outcomes(outcomes: pd.DataFrame) -> None:
    """One line when the bundled snapshot stood in for Yahoo, one warning naming every symbol left
    without prices, and one line per symbol with only part of its range."""
    if outcomes is None or outcomes.empty:
        return
    if outcomes.attrs.get("snapshot"):
        from tracker.prices import snapshot

        line = snapshot.describe(outcomes[outcomes["symbol"].isin(outcomes.attrs["snapshot"])])
        if outcomes.attrs.get("yahoo_unreachable"):
            say(f"note: Yahoo is unreachable; using the {line}")
        else:
            say(f"note: prices include the {line}")
    without = outcomes[outcomes["status"].isin(["missing", "error"])]
    if len(without):
        names = ", ".join(without["symbol"])
        if outcomes.attrs.get("yahoo_unreachable"):
            say(f"warning: no prices for {len(without)} symbol(s): {names} (Yahoo is unreachable and they are not "
                 "in the cache or the bundled snapshot); use --prices-dir DIR or run again with network")
        else:
            reasons = "; ".join(f"{r.symbol}: {r.message}" for r in without.itertuples())
            say(f"warning: no prices for {len(without)} symbol(s): {names} ({reasons})")
    for row in outcomes[outcomes["status"] == "partial"].itertuples():
        say(f"warning: {row.symbol}: {row.message}")


@app.command(cls=Command)
def report(
    ctx: typer.Context,
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    prices_dir: Optional[Path] = typer.Option(None, "--prices-dir", help="Folder of Yahoo-format SYMBOL.csv files instead of Yahoo."),
    offline: bool = typer.Option(False, "--offline", help="Use only prices already in the database."),
    refresh: bool = typer.Option(False, "--refresh", help="Download prices again even if cached."),
    out: Optional[Path] = typer.Option(None, "--out", help="Report folder (default: reports/<today>)."),
    model: Optional[str] = typer.Option(None, "--model", help="market (default), market_adjusted or constant_mean."),
    open_browser: bool = typer.Option(False, "--open", help="Open index.html in the browser when done."),
    include_uncertain: bool = typer.Option(False, "--include-uncertain", help="Count events dated coarser than a day in the aggregates."),
    listing: Optional[str] = typer.Option(None, "--listing", help="What a news cluster counts in aggregates: primary (default), all or average."),
) -> None:
    """Everything: articles → events → prices → event study → reports/<name>/index.html."""
    from tracker import pipeline

    state = get_state(ctx)
    params = _study_params(state, model, None, None, False, include_uncertain, listing)
    out_dir = out or state.config.reports_dir / date.today().isoformat()
    _check_out_dir(out_dir)
    run = pipeline.report(state.con, state.db_path, params, articles=articles, prices_dir=prices_dir, offline=offline,
                          refresh=refresh, out_dir=out_dir, registry_files=state.config.registry_files,
                          progress=ProgressLine())
    warn_problems(run.extracted.problems)
    _report_price_outcomes(run.study.price_outcomes)
    say(_summary_text(run))
    typer.echo(str(run.index_html))
    if open_browser:
        import webbrowser

        webbrowser.open(run.index_html.resolve().as_uri())


def _check_out_dir(out_dir: Path) -> None:
    """A report folder that cannot be created fails before the work, not after it."""
    if out_dir.exists() and not out_dir.is_dir():
        raise TrackerError(f"--out {out_dir} is a file, not a folder; pass a folder for the report")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrackerError(f"cannot create the report folder {out_dir}: {exc.strerror}; pass another --out") from exc


def _summary_text(run) -> str:
    from tracker.report import COUNT_LABELS

    counts = (run.summary or {}).get("counts") or {}
    lines = [", ".join(f"{counts[key]} {label}" for key, label in COUNT_LABELS.items() if key in counts)]
    moves = run.summary.get("top_moves") or []
    if moves:
        lines.append("biggest day-precise moves, CAR[-1,+1] per listing:")
        for move in moves[:5]:
            cars = "  ".join(f"{item['symbol']} {item['cell']['text']}{item['cell']['stars']}" for item in move["listings"])
            lines.append(f"  {move['date']:<12} {move['company']:<14} {cars:<40} {move['headline']}")
    lines.append(f"report: {run.index_html}")
    return "\n".join(lines)


@app.command("eval", cls=Command)
def evaluate(
    ctx: typer.Context,
    gold: Path = typer.Argument(..., help="Labelled events (JSON; format in the README)."),
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    by_article: bool = typer.Option(False, "--by-article", help="One row per article: key recall (dated) and precision."),
    fmt: Format = FormatOption,
) -> None:
    """Score extracted events against a labelled file: precision, key-event recall, date accuracy."""
    state = get_state(ctx)
    if not gold.is_file():
        raise TrackerError(f"gold file {gold} not found")
    from tracker import pipeline
    from tracker.events.evaluate import evaluate as score

    extracted = pipeline.extract(state.con, articles, state.config.registry_files)
    report = score(gold, extracted.events)
    if by_article:
        rows = report.article_rows()
        columns = list(rows[0]) if rows else ["article"]
        emit((columns, [tuple(r[c] for c in columns) for r in rows]), fmt)
    elif fmt is Format.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(report.to_text())


@app.command(cls=Command)
def sql(
    ctx: typer.Context,
    query: Optional[str] = typer.Argument(None, help="SQL to run; without it, an interactive shell."),
    fmt: Format = FormatOption,
    official: bool = typer.Option(False, "--official", help="Open the official duckdb CLI on the database instead."),
    write: bool = typer.Option(False, "--write", help="Allow statements that change data (read-only without it)."),
) -> None:
    """Query the database: one statement, or an interactive shell (.tables, .schema, .mode, .quit).
    Read-only unless --write is given."""
    from tracker import shell
    from tracker.db import connect

    state = get_state(ctx)
    # Bring the file's schema and views up to date (creating it if new), then reopen it read-only.
    state.con.close()
    state._con = None
    if official:
        shell.exec_official(shell.official_argv(state.db_path, query, fmt=fmt.value, read_only=not write))
        return
    con = connect(state.db_path, read_only=not write)
    state._con = con
    if query:
        emit(shell.run_query(con, query), fmt)
        return
    access = "read-write" if write else "read-only; pass --write to change data"
    session = shell.Shell(con, sys.stdin, sys.stdout, history_file=shell.default_history_file(),
                          stderr=sys.stderr, mode=fmt.value, banner=f"{state.db_path} ({access})")
    raise typer.Exit(session.run())


def main() -> None:
    """Console entry point (`tracker`, `python -m tracker`)."""
    app(prog_name="tracker")
