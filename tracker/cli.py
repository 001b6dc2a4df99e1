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
from typer.core import TyperCommand, TyperGroup

from tracker.config import load_config, parse_window
from tracker.errors import TrackerError
from tracker.progress import ProgressLine

if TYPE_CHECKING:
    import pandas as pd

# pandas, duckdb, the pipeline and everything behind them are imported inside the commands that use them:
# `tracker --help` and `tracker sql` must start fast (tests/test_startup.py checks what importing this module loads).


def _untyped_flags(params: list) -> list:
    """Typer's help prints a type after every option, so flags read `--open <bool>` as if they took a
    value; an empty metavar shows them as the bare switches they are."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class _Command(TyperCommand):
    def get_params(self, ctx):
        return _untyped_flags(super().get_params(ctx))


class _Group(TyperGroup):
    """Turns a TrackerError anywhere below into one `Error: ...` line and exit code 1."""

    def get_params(self, ctx):
        return _untyped_flags(super().get_params(ctx))

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TrackerError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from exc
        finally:
            # Close the database at the end of every command: a second command in the same process
            # (tests, notebooks) may open it with another mode (`tracker sql` is read-only).
            state = ctx.obj
            if isinstance(state, State) and state._con is not None:
                state._con.close()
                state._con = None


app = typer.Typer(
    cls=_Group,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    help="News events linked to stock prices: articles → dated company events → DuckDB event study → report.",
)
prices_app = typer.Typer(cls=_Group, no_args_is_help=True, help="Price history: fetch from Yahoo, import CSVs, check coverage.")
app.add_typer(prices_app, name="prices")
companies_app = typer.Typer(cls=_Group, no_args_is_help=True,
                            help="Listed companies beyond the registry: load the SEC and FinanceDatabase lists, check, find.")
app.add_typer(companies_app, name="companies")


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


@app.command(cls=_Command)
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
    if not result.articles:
        where = ", ".join(map(str, paths)) if paths else "seeds/"
        raise TrackerError(f"no readable articles in {where}; pass files or folders of .txt, .md or .html articles")
    rows = [
        {"file": a.file, "language": a.language, "published": a.published, "published_source": a.published_source,
         "chars": len(a.text), "title": a.title}
        for a in result.articles
    ]
    _emit(pd.DataFrame(rows), fmt)


@app.command(cls=_Command)
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

    state = _state(ctx)
    extracted = pipeline.extract(state.con, articles, state.config.registry_files, online_lookup=online)
    _warn_problems(extracted.problems)
    _report_unresolved(extracted)
    frame = pipeline.list_events(state.con, company, event_type)
    if frame.empty and (company or event_type):
        _say(f"note: no events match {' and '.join(f for f in (company, event_type) if f)}")
    if fmt is Format.json:
        _emit(pipeline.with_sources(state.con, frame), fmt)
        return
    columns = ["event_date", "date_precision", "company_name", "event_type", "status", "headline", "confidence", "article"]
    _emit(frame[[c for c in columns if c in frame.columns]], fmt)


def _report_unresolved(extracted) -> None:
    for note in extracted.notes:
        _say(f"warning: {note}")
    unresolved = extracted.unresolved
    if unresolved is None or unresolved.empty:
        return
    shown = ", ".join(f"{n} ({m})" for n, m in zip(unresolved["name"][:15], unresolved["mentions"][:15]))
    more = f" and {len(unresolved) - 15} more" if len(unresolved) > 15 else ""
    _say(f"unresolved company names: {shown}{more}")


@companies_app.command("update", cls=_Command)
def companies_update(
    ctx: typer.Context,
    companies_dir: Optional[Path] = typer.Option(
        None, "--companies-dir", help="Folder with sec_company_tickers_exchange.json and financedatabase/*.csv instead of downloading."),
    user_agent: Optional[str] = typer.Option(
        None, "--user-agent", help="Who asks the SEC, e.g. \"Jane Doe jane@example.org\" (or $TRACKER_SEC_USER_AGENT)."),
    fmt: Format = FormatOption,
) -> None:
    """Load the listed world into the database: SEC (US) and FinanceDatabase (other exchanges) lists."""
    import pandas as pd

    from tracker.companies import download, securities

    state = _state(ctx)
    if companies_dir is not None:
        if not companies_dir.is_dir():
            raise TrackerError(f"--companies-dir {companies_dir} is not a folder")
        sec_path = companies_dir / securities.SEC_FILE
        fd_dir = companies_dir / securities.FD_DIR
        if not sec_path.is_file() and not fd_dir.is_dir():
            raise TrackerError(f"{companies_dir} holds neither {securities.SEC_FILE} nor {securities.FD_DIR}/; "
                               "point --companies-dir at a folder with both")
        loads = []
        if sec_path.is_file():
            loads.append(securities.load_sec(sec_path))
        if fd_dir.is_dir():
            loads.append(securities.load_financedatabase(fd_dir))
    else:
        agent = download.sec_user_agent(user_agent)
        _say("downloading the SEC's company tickers and FinanceDatabase's equity lists ...")
        loads = [download.download_sec(agent), download.download_financedatabase()]
    kept = securities.store_securities(state.con, loads)
    rows = [{"source": l.source, "location": l.location, "rows": l.rows, "stored": kept[l.source]} for l in loads]
    _emit(pd.DataFrame(rows), fmt)
    _say(_fd_notice())


def _fd_notice(full: bool = False) -> str:
    from tracker.companies.securities import FD_NOTICE_SHORT, fd_notice

    return fd_notice() if full else f"note: {FD_NOTICE_SHORT}"


@companies_app.command("status", cls=_Command)
def companies_status(ctx: typer.Context, fmt: Format = FormatOption) -> None:
    """What the securities table holds: per source where it came from, rows, licence, when."""
    import pandas as pd

    from tracker.companies.securities import load_status

    rows = load_status(_state(ctx).con)
    if not rows:
        _say("the securities table is empty: run `tracker companies update` (or with --companies-dir DIR)")
    _emit(pd.DataFrame(rows, columns=["source", "location", "rows", "kept", "listings", "companies", "licence", "loaded_at"]), fmt)
    if any(r["source"] == "financedatabase" for r in rows):
        _say(_fd_notice(full=True))


@companies_app.command("find", cls=_Command)
def companies_find(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A company name as a text writes it, e.g. \"ASML Holding\" or \"Block-Aktie\"."),
    online: bool = typer.Option(True, "--online/--no-online", help="Ask Yahoo's search when nothing else matches (cached)."),
    fmt: Format = FormatOption,
) -> None:
    """How a name resolves (registry / securities / online), the listings it links and why."""
    import pandas as pd

    from tracker.companies.find import find_company
    from tracker.companies.linking import securities_index
    from tracker.companies.lookup import OnlineLookup, yahoo_search

    from tracker.companies.registry import load_registry

    state = _state(ctx)
    # Not stored: storing the registry would drop the listings of securities-only companies events use.
    registry = load_registry(state.config.registry_files)
    index = securities_index(state.con, registry)
    lookup = OnlineLookup(state.con, search=yahoo_search if online else None) if index else None
    res = find_company(registry, index, name, lookup)
    if fmt is Format.json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=2, default=str))
    elif fmt is Format.csv:
        _emit(pd.DataFrame(res.listings), fmt)
    else:
        typer.echo(f"{res.query}: {res.resolved_by}" + (f" -> {res.company} ({res.name})" if res.company and res.name else ""))
        if res.evidence:
            typer.echo(f"  evidence: {', '.join(res.evidence)}")
        if res.reason:
            typer.echo(f"  {res.reason}")
        if res.listings:
            typer.echo("  listings:")
            for l in res.listings:
                typer.echo(f"    {l['symbol']:<12} {l['exchange'] or '':<5} {l['currency'] or '':<4} {l['kind']:<8} "
                           f"benchmark {l['benchmark'] or '-'}{'  primary' if l['primary'] else ''}")
        other = [l for l in res.lines if l["symbol"] not in {x["symbol"] for x in res.listings}]
        if other:
            typer.echo("  other lines (not studied): " + ", ".join(f"{l['symbol']} ({l['kind']})" for l in other))
    if res.resolved_by != "unresolved" and index is not None and any(
            s.source != "sec" for g in [index.groups.get(res.company or "")] if g for s in g.securities):
        _say(_fd_notice())
    if res.resolved_by == "unresolved":
        raise typer.Exit(1)


@app.command(cls=_Command)
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

    state = _state(ctx)
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
    _emit(_study_table(run.result), fmt)


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
            _say(f"note: Yahoo is unreachable; using the {line}")
        else:
            _say(f"note: prices include the {line}")
    without = outcomes[outcomes["status"].isin(["missing", "error"])]
    if len(without):
        names = ", ".join(without["symbol"])
        if outcomes.attrs.get("yahoo_unreachable"):
            _say(f"warning: no prices for {len(without)} symbol(s): {names} (Yahoo is unreachable and they are not "
                 "in the cache or the bundled snapshot); use --prices-dir DIR or run again with network")
        else:
            reasons = "; ".join(f"{r.symbol}: {r.message}" for r in without.itertuples())
            _say(f"warning: no prices for {len(without)} symbol(s): {names} ({reasons})")
    for row in outcomes[outcomes["status"] == "partial"].itertuples():
        _say(f"warning: {row.symbol}: {row.message}")


@app.command(cls=_Command)
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

    state = _state(ctx)
    params = _study_params(state, model, None, None, False, include_uncertain, listing)
    out_dir = out or state.config.reports_dir / date.today().isoformat()
    _check_out_dir(out_dir)
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


@prices_app.command("fetch", cls=_Command)
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


@prices_app.command("import", cls=_Command)
def prices_import(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder of SYMBOL.csv files in Yahoo's export format."),
    fmt: Format = FormatOption,
) -> None:
    """Import a folder of Yahoo-format CSV files (validated; bad files reported, others kept)."""
    from tracker.prices import import_csv_dir

    outcomes = import_csv_dir(_state(ctx).con, folder)
    _emit(outcomes, fmt)
    failed = outcomes[outcomes["status"] == "error"]
    for row in failed.itertuples():
        _say(f"Error: {row.message}")
    if len(failed):
        names = ", ".join(Path(f).name for f in failed["file"])
        _say(f"imported {len(outcomes) - len(failed)} of {len(outcomes)} files; not imported: {names}")
        raise typer.Exit(1)


@prices_app.command("status", cls=_Command)
def prices_status(ctx: typer.Context, fmt: Format = FormatOption) -> None:
    """Per symbol: rows, first/last date, gaps, data flags, source, fetched at."""
    from tracker.prices import status

    _emit(status(_state(ctx).con), fmt)


@app.command("eval", cls=_Command)
def evaluate(
    ctx: typer.Context,
    gold: Path = typer.Argument(..., help="Labelled events (JSON; format in the README)."),
    articles: Optional[list[Path]] = typer.Option(None, "--articles", help="Article files or folders (default: seeds/)."),
    by_article: bool = typer.Option(False, "--by-article", help="One row per article: key recall (dated) and precision."),
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
    if by_article:
        rows = report.article_rows()
        columns = list(rows[0]) if rows else ["article"]
        _emit((columns, [tuple(r[c] for c in columns) for r in rows]), fmt)
    elif fmt is Format.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(report.to_text())


@app.command(cls=_Command)
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

    state = _state(ctx)
    # Bring the file's schema and views up to date (creating it if new), then reopen it read-only.
    state.con.close()
    state._con = None
    if official:
        shell.exec_official(shell.official_argv(state.db_path, query, fmt=fmt.value, read_only=not write))
        return
    con = connect(state.db_path, read_only=not write)
    state._con = con
    if query:
        _emit(shell.run_query(con, query), fmt)
        return
    access = "read-write" if write else "read-only; pass --write to change data"
    session = shell.Shell(con, sys.stdin, sys.stdout, history_file=shell.default_history_file(),
                          stderr=sys.stderr, mode=fmt.value, banner=f"{state.db_path} ({access})")
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
