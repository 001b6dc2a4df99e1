"""`tracker companies update|status|find`: the listed world beyond the registry (DESIGN.md §3b)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from tracker.cli_support import Command, Format, FormatOption, Group, emit, get_state, say
from tracker.errors import TrackerError

companies_app = typer.Typer(cls=Group, no_args_is_help=True,
                            help="Listed companies beyond the registry: load the SEC and FinanceDatabase lists, check, find.")


@companies_app.command("update", cls=Command)
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

    state = get_state(ctx)
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
        say("downloading the SEC's company tickers and FinanceDatabase's equity lists ...")
        loads = [download.download_sec(agent), download.download_financedatabase()]
    kept = securities.store_securities(state.con, loads)
    rows = [{"source": l.source, "location": l.location, "rows": l.rows, "stored": kept[l.source]} for l in loads]
    emit(pd.DataFrame(rows), fmt)
    say(_fd_notice())


def _fd_notice(full: bool = False) -> str:
    from tracker.companies.securities import FD_NOTICE_SHORT, fd_notice

    return fd_notice() if full else f"note: {FD_NOTICE_SHORT}"


@companies_app.command("status", cls=Command)
def companies_status(ctx: typer.Context, fmt: Format = FormatOption) -> None:
    """What the securities table holds: per source where it came from, rows, licence, when."""
    import pandas as pd

    from tracker.companies.securities import load_status

    rows = load_status(get_state(ctx).con)
    if not rows:
        say("the securities table is empty: run `tracker companies update` (or with --companies-dir DIR)")
    emit(pd.DataFrame(rows, columns=["source", "location", "rows", "kept", "listings", "companies", "licence", "loaded_at"]), fmt)
    if any(r["source"] == "financedatabase" for r in rows):
        say(_fd_notice(full=True))


@companies_app.command("find", cls=Command)
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

    state = get_state(ctx)
    # Not stored: storing the registry would drop the listings of securities-only companies events use.
    registry = load_registry(state.config.registry_files)
    index = securities_index(state.con, registry)
    lookup = OnlineLookup(state.con, search=yahoo_search if online else None) if index else None
    res = find_company(registry, index, name, lookup)
    if fmt is Format.json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=2, default=str))
    elif fmt is Format.csv:
        emit(pd.DataFrame(res.listings), fmt)
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
        say(_fd_notice())
    if res.resolved_by == "unresolved":
        raise typer.Exit(1)
