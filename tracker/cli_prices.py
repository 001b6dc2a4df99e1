"""`tracker prices fetch|import|status`: price history into the database and what it covers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from tracker.cli_support import Command, Format, FormatOption, Group, emit, get_state, say
from tracker.errors import TrackerError
from tracker.progress import ProgressLine

prices_app = typer.Typer(cls=Group, no_args_is_help=True, help="Price history: fetch from Yahoo, import CSVs, check coverage.")


@prices_app.command("fetch", cls=Command)
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

    state = get_state(ctx)
    if symbols:
        first = _parse_date(start, "--start") or date(date.today().year - 2, 1, 1)
        last = _parse_date(end, "--end") or date.today()
        needs = pd.DataFrame({"symbol": symbols, "start": first, "end": last})
    else:
        if not state.con.execute("SELECT count(*) FROM events").fetchone()[0]:
            pipeline.extract(state.con, None, state.config.registry_files)
        needs = pipeline.price_needs(pipeline.study_events_from_extracted(state.con))
    outcomes = fetch(state.con, needs, refresh=refresh, offline=offline, progress=ProgressLine())
    emit(outcomes, fmt)
    if not outcomes.empty and outcomes["status"].isin(["missing", "error"]).all():
        raise TrackerError("no prices were fetched; check the network, or use `tracker prices import DIR`")


@prices_app.command("import", cls=Command)
def prices_import(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder of SYMBOL.csv files in Yahoo's export format."),
    fmt: Format = FormatOption,
) -> None:
    """Import a folder of Yahoo-format CSV files (validated; bad files reported, others kept)."""
    from tracker.prices import import_csv_dir

    outcomes = import_csv_dir(get_state(ctx).con, folder)
    emit(outcomes, fmt)
    failed = outcomes[outcomes["status"] == "error"]
    for row in failed.itertuples():
        say(f"Error: {row.message}")
    if len(failed):
        names = ", ".join(Path(f).name for f in failed["file"])
        say(f"imported {len(outcomes) - len(failed)} of {len(outcomes)} files; not imported: {names}")
        raise typer.Exit(1)


@prices_app.command("status", cls=Command)
def prices_status(ctx: typer.Context, fmt: Format = FormatOption) -> None:
    """Per symbol: rows, first/last date, gaps, data flags, source, fetched at."""
    from tracker.prices import status

    emit(status(get_state(ctx).con), fmt)


def _parse_date(text: Optional[str], option: str) -> Optional[date]:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TrackerError(f"{option} takes a date as YYYY-MM-DD (got {text!r})") from None
