"""The `tracker` command line. Parses options, calls one library function, formats the result.

Everything but the requested data goes to stderr, so `--format json` output can be piped.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from typer.core import TyperGroup

from tracker.config import load_config, parse_window
from tracker.errors import TrackerError
from tracker.progress import ProgressLine

if TYPE_CHECKING:
    import pandas as pd

# pandas, duckdb, the pipeline and everything behind them are imported inside the commands that use them:
# `tracker --help` and `tracker sql` must start fast (tests/test_startup.py checks what importing this module loads).


class _Group(TyperGroup):
    """Turns a TrackerError anywhere below into one `Error: ...` line and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from exc


app = typer.Typer(
    cls=_Group,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    help="News events linked to stock prices: articles → dated company events → DuckDB event study → report.",
)
prices_app = typer.Typer(no_args_is_help=True, help="Price history: fetch from Yahoo, import CSVs, check coverage.")
app.add_typer(prices_app, name="prices")


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = typer.Option(Format.table, "--format", "-f", help="Output format; json prints only JSON on stdout.")


class State:
    def __init__(self, db: Optional[Path], config: Optional[Path]):
        from tracker.db import resolve_db_path

        self.db_path = str(resolve_db_path(db))
        self.config = load_config(config)
        self._con = None

    @property
    def con(self):
        if self._con is None:
            from tracker.db import connect

            self._con = connect(self.db_path)
        return self._con


def _state(ctx: typer.Context) -> State:
    return ctx.obj


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _emit(data, fmt: Format) -> None:
    from tracker.formatting import render

    typer.echo(render(data, fmt.value))


def _warn_problems(problems) -> None:
    for problem in problems:
        _say(f"{getattr(problem, 'severity', 'warning')}: {problem.file}: {problem.message}")


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


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Optional[list[Path]] = typer.Argument(None, help="Article files or folders (default: seeds/)."),
    fmt: Format = FormatOption,
) -> None:
    """Read articles into the database (text cleaned, language and publication date found)."""
    import pandas as pd

    from tracker import pipeline

    state = _state(ctx)
    result = pipeline.ingest(state.con, paths)
    _warn_problems(result.problems)
    rows = [
        {"file": a.file, "language": a.language, "published": a.published, "published_source": a.published_source,
         "chars": len(a.text), "title": a.title}
        for a in result.articles
    ]
    _emit(pd.DataFrame(rows), fmt)


@app.command()
def events(
    ctx: typer.Context,
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    company: Optional[str] = typer.Option(None, "--company", help="Only this company (id or name)."),
    event_type: Optional[str] = typer.Option(None, "--type", help="Only this event type, e.g. capital_raise."),
    fmt: Format = FormatOption,
) -> None:
    """Extract dated company events from the articles and list them."""
    from tracker import pipeline

    state = _state(ctx)
    extracted = pipeline.extract(state.con, articles, state.config.registry_files)
    _warn_problems(extracted.problems)
    frame = pipeline.list_events(state.con, company, event_type)
    if fmt is Format.json:
        _emit(pipeline.with_sources(state.con, frame), fmt)
        return
    columns = ["event_date", "date_precision", "company_name", "event_type", "status", "headline", "confidence", "article"]
    _emit(frame[[c for c in columns if c in frame.columns]], fmt)


@app.command()
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
    fmt: Format = FormatOption,
) -> None:
    """Run the event study (market model by default) and print one row per (event, listing)."""
    from tracker import pipeline
    from tracker.study import to_json

    state = _state(ctx)
    params = _study_params(state, model, window, estimation, include_stock_moves)
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
    _emit(_study_table(run.result), fmt)


def _user_study_events(state: State, path: Path) -> pd.DataFrame:
    from tracker.study import read_events_csv, user_events_to_study_events

    return user_events_to_study_events(state.con, read_events_csv(path))


def _study_params(state: State, model, window, estimation, include_stock_moves):
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
    return StudyParams(**settings)


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
    if outcomes is None or outcomes.empty:
        return
    for row in outcomes.itertuples():
        if row.status in ("missing", "error", "partial"):
            _say(f"warning: {row.symbol}: {row.message}")


@app.command()
def report(
    ctx: typer.Context,
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    prices_dir: Optional[Path] = typer.Option(None, "--prices-dir", help="Folder of Yahoo-format SYMBOL.csv files instead of Yahoo."),
    offline: bool = typer.Option(False, "--offline", help="Use only prices already in the database."),
    refresh: bool = typer.Option(False, "--refresh", help="Download prices again even if cached."),
    out: Optional[Path] = typer.Option(None, "--out", help="Report folder (default: reports/<today>)."),
    model: Optional[str] = typer.Option(None, "--model", help="market (default), market_adjusted or constant_mean."),
    open_browser: bool = typer.Option(False, "--open", help="Open index.html in the browser when done."),
) -> None:
    """Everything: articles → events → prices → event study → reports/<name>/index.html."""
    from tracker import pipeline

    state = _state(ctx)
    params = _study_params(state, model, None, None, False)
    out_dir = out or state.config.reports_dir / date.today().isoformat()
    run = pipeline.report(state.con, state.db_path, params, articles=articles, prices_dir=prices_dir, offline=offline,
                          refresh=refresh, out_dir=out_dir, registry_files=state.config.registry_files,
                          progress=ProgressLine())
    _warn_problems(run.extracted.problems)
    _report_price_outcomes(run.study.price_outcomes)
    _say(_summary_text(run))
    typer.echo(str(run.index_html))
    if open_browser:
        import webbrowser

        webbrowser.open(run.index_html.resolve().as_uri())


def _summary_text(run) -> str:
    studied = run.study.result.results
    flagged = studied[studied["flags"].map(lambda f: f is not None and len(f) > 0)]
    lines = [
        f"{len(run.extracted.articles)} articles, {len(run.extracted.events)} events, "
        f"{len(studied)} (event, listing) pairs studied, {len(flagged)} flagged",
    ]
    moves = run.summary.get("top_moves") or []
    if moves:
        lines.append("largest CAR[-1,+1]:")
        for move in moves:
            cell = move["cell"]
            lines.append(f"  {move['symbol']:<10} {cell['text']:>8} {cell['stars']:<3} t={cell['t']:>6}  "
                         f"{move['date']:<22} {move['headline']}")
    lines.append(f"report: {run.index_html}")
    return "\n".join(lines)


@prices_app.command("fetch")
def prices_fetch(
    ctx: typer.Context,
    symbols: Optional[list[str]] = typer.Argument(None, help="Yahoo symbols (default: every listing and benchmark the events need)."),
    start: Optional[str] = typer.Option(None, "--start", help="First date, YYYY-MM-DD."),
    end: Optional[str] = typer.Option(None, "--end", help="Last date, YYYY-MM-DD (default: today)."),
    refresh: bool = typer.Option(False, "--refresh", help="Download again even if cached."),
    offline: bool = typer.Option(False, "--offline", help="Only report what the cache lacks."),
    fmt: Format = FormatOption,
) -> None:
    """Download daily prices from Yahoo into the database (only what the cache lacks)."""
    import pandas as pd

    from tracker import pipeline
    from tracker.prices import fetch

    state = _state(ctx)
    if symbols:
        first = _parse_date(start, "--start") or date(date.today().year - 2, 1, 1)
        last = _parse_date(end, "--end") or date.today()
        needs = pd.DataFrame({"symbol": symbols, "start": first, "end": last})
    else:
        if not state.con.execute("SELECT count(*) FROM events").fetchone()[0]:
            pipeline.extract(state.con, None, state.config.registry_files)
        needs = pipeline.price_needs(pipeline.study_events_from_extracted(state.con))
    outcomes = fetch(state.con, needs, refresh=refresh, offline=offline, progress=ProgressLine())
    _emit(outcomes, fmt)
    if not outcomes.empty and outcomes["status"].isin(["missing", "error"]).all():
        raise TrackerError("no prices were fetched; check the network, or use `tracker prices import DIR`")


@prices_app.command("import")
def prices_import(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder of SYMBOL.csv files in Yahoo's export format."),
    fmt: Format = FormatOption,
) -> None:
    """Import a folder of Yahoo-format CSV files (validated; bad files reported, others kept)."""
    from tracker.prices import import_csv_dir

    outcomes = import_csv_dir(_state(ctx).con, folder)
    _emit(outcomes, fmt)


@prices_app.command("status")
def prices_status(ctx: typer.Context, fmt: Format = FormatOption) -> None:
    """Per symbol: rows, first/last date, gaps, data flags, source, fetched at."""
    from tracker.prices import status

    _emit(status(_state(ctx).con), fmt)


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    gold: Path = typer.Argument(..., help="Labelled events (JSON; format in the README)."),
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    fmt: Format = FormatOption,
) -> None:
    """Score extracted events against a labelled file: precision, key-event recall, date accuracy."""
    state = _state(ctx)
    if not gold.is_file():
        raise TrackerError(f"gold file {gold} not found")
    from tracker import pipeline
    from tracker.events.evaluate import evaluate as score

    extracted = pipeline.extract(state.con, articles, state.config.registry_files)
    report = score(gold, extracted.events)
    if fmt is Format.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(report.to_text())


@app.command()
def sql(
    ctx: typer.Context,
    query: Optional[str] = typer.Argument(None, help="SQL to run; without it, an interactive shell."),
    fmt: Format = FormatOption,
    official: bool = typer.Option(False, "--official", help="Open the official duckdb CLI on the database instead."),
) -> None:
    """Query the database: one statement, or an interactive shell (.tables, .schema, .mode, .quit)."""
    from tracker import shell

    state = _state(ctx)
    if official:
        argv = shell.official_argv(state.db_path, query, fmt=fmt.value)
        if state._con is not None:
            state._con.close()
        shell.exec_official(argv)
        return
    if query:
        _emit(shell.run_query(state.con, query), fmt)
        return
    session = shell.Shell(state.con, sys.stdin, sys.stdout, history_file=shell.default_history_file(),
                          stderr=sys.stderr, mode=fmt.value)
    raise typer.Exit(session.run())


def _parse_date(text: Optional[str], option: str) -> Optional[date]:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TrackerError(f"{option} takes a date as YYYY-MM-DD (got {text!r})") from None


def main() -> None:
    """Console entry point (`tracker`, `python -m tracker`)."""
    app(prog_name="tracker")
