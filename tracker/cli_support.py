"""What every `tracker` command shares: the Typer command and group classes (flags shown as bare
switches, a TrackerError as one `Error:` line), the output format option, the per-run state with
its lazily opened database, and writing to stdout (data) and stderr (everything else)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperCommand, TyperGroup

from tracker.config import load_config
from tracker.errors import TrackerError


def untyped_flags(params: list) -> list:
    """Typer's help prints a type after every option, so flags read `--open <bool>` as if they took a
    value; an empty metavar shows them as the bare switches they are."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    def get_params(self, ctx):
        return untyped_flags(super().get_params(ctx))


class Group(TyperGroup):
    """Turns a TrackerError anywhere below into one `Error: ...` line and exit code 1."""

    def get_params(self, ctx):
        return untyped_flags(super().get_params(ctx))

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


def get_state(ctx: typer.Context) -> State:
    return ctx.obj


def say(message: str) -> None:
    typer.echo(message, err=True)


def emit(data, fmt: Format) -> None:
    from tracker.formatting import render

    typer.echo(render(data, fmt.value))


def warn_problems(problems) -> None:
    for problem in problems:
        say(f"{getattr(problem, 'severity', 'warning')}: {problem.file}: {problem.message}")
