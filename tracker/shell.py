"""The SQL shell behind ``tracker sql``: one-shot queries, an interactive loop, and the hand-off to
the official ``duckdb`` CLI.

The shell reads from any text stream, so ``echo "select 1;" | tracker sql`` and tests driving it
with ``io.StringIO`` take the same path as a terminal; only a terminal gets prompts, readline
editing and a persisted history.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import NamedTuple, TextIO

import duckdb

from tracker.errors import TrackerError
from tracker.formatting import FORMATS, render

PROMPT = "tracker> "
CONTINUATION = "   ...> "
TABLE_MAX_ROWS = 200  # the shell's table mode stops here; .mode csv/json print everything
HISTORY_LENGTH = 2000

HELP = """\
.tables               list tables and views
.schema [NAME]        CREATE statements of all tables and views, or of NAME
.mode [table|csv|json]  show or set the output format
.help                 this text
.quit / .exit         leave (Ctrl-D works too)
SQL statements end with ';' and may span lines."""


class ResultSet(NamedTuple):
    columns: list[str]
    rows: list[tuple]


def error_line(exc: BaseException) -> str:
    """A DuckDB error as one line: the message and its hint ("Did you mean ..."), without the
    multi-line caret picture of the offending SQL."""
    kept = []
    for line in str(exc).splitlines():
        if not line.strip() or line.startswith("LINE "):
            break
        kept.append(line.strip())
    text = " ".join(kept) or type(exc).__name__
    if "read-only mode" in text:
        text += " (tracker sql opens the database read-only; pass --write to change data)"
    return text


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> ResultSet:
    """Run sql (one or more statements) and return the result of the last one."""
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as exc:
        raise TrackerError(error_line(exc)) from exc
    return ResultSet(columns, rows)


def split_statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """The statements in sql, each as text, by DuckDB's own parser."""
    try:
        return [statement.query for statement in con.extract_statements(sql)]
    except duckdb.Error as exc:
        raise TrackerError(error_line(exc)) from exc


def is_complete(sql: str) -> bool:
    """True when sql ends with a ';' that is not inside a string, identifier or comment."""
    try:
        tokens = [(pos, kind) for pos, kind in duckdb.tokenize(sql) if kind != duckdb.token_type.comment]
    except Exception:  # the tokenizer is a convenience; a plain check is good enough as fallback
        return sql.rstrip().endswith(";")
    # Token positions are byte offsets into the UTF-8 text.
    return bool(tokens) and tokens[-1][1] == duckdb.token_type.operator and sql.encode()[tokens[-1][0]:][:1] == b";"


def list_tables(con: duckdb.DuckDBPyConnection) -> ResultSet:
    return run_query(
        con,
        "SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE NOT internal"
        " UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal ORDER BY name",
    )


def schema_text(con: duckdb.DuckDBPyConnection, name: str | None = None) -> str:
    """CREATE statements of all user tables and views, or of the one called name."""
    rows = run_query(
        con,
        "SELECT table_name, sql FROM duckdb_tables() WHERE NOT internal"
        " UNION ALL SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1",
    ).rows
    if name is not None:
        rows = [row for row in rows if row[0].lower() == name.lower()]
        if not rows:
            raise TrackerError(f"no table or view named {name}; .tables lists them")
    return "\n".join(sql.strip() for _, sql in rows)


def default_history_file() -> Path:
    """TRACKER_HISTORY if set, else ~/.tracker_history."""
    return Path(os.environ.get("TRACKER_HISTORY") or Path.home() / ".tracker_history")


def load_history(path: Path) -> None:
    import readline  # only where a terminal is used; absent on some platforms

    readline.set_history_length(HISTORY_LENGTH)
    if path.exists():
        try:
            readline.read_history_file(str(path))
        except OSError:
            pass  # an unreadable history must not stop the shell


def save_history(path: Path) -> None:
    import readline

    try:
        readline.write_history_file(str(path))
    except OSError:
        pass


def _collapse_history(lines: int, statement: str) -> None:
    """Replace the last lines history entries by the whole statement, so Up recalls it at once."""
    import readline

    end = readline.get_current_history_length()
    for position in range(end - 1, end - 1 - lines, -1):
        readline.remove_history_item(position)
    readline.add_history(statement)


class Shell:
    """An interactive SQL session on con. ``run()`` returns an exit status: 1 if a statement failed
    while reading piped input (so scripts notice), else 0."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stdin: TextIO | None = None, stdout: TextIO | None = None,
                 history_file: Path | None = None, *, stderr: TextIO | None = None, mode: str = "table",
                 banner: str | None = None):
        self.con = con
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        # Errors go with the output by default so a transcript reads in order.
        self.stderr = stderr if stderr is not None else self.stdout
        self.history_file = history_file
        if mode not in FORMATS:
            raise TrackerError(f"unknown format {mode!r}; use one of: {', '.join(FORMATS)}")
        self.mode = mode
        self.interactive = _isatty(self.stdin)
        self.failed = False
        self.banner = banner   # shown when a person is typing: which database, and read-only or not

    def describe_access(self) -> None:
        if self.banner and self.interactive:
            self.stderr.write(self.banner + "\n")

    def run(self) -> int:
        use_readline = self.interactive and self.stdin is sys.stdin
        if use_readline and self.history_file is not None:
            load_history(self.history_file)
        self.describe_access()
        try:
            self._loop(use_readline)
        finally:
            if use_readline and self.history_file is not None:
                save_history(self.history_file)
        return 1 if self.failed and not self.interactive else 0

    def _read(self, prompt: str, use_readline: bool) -> str | None:
        """One line without its newline, or None at end of input."""
        if use_readline:
            try:
                return input(prompt)
            except EOFError:
                self.stdout.write("\n")
                return None
        if self.interactive:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def _loop(self, use_readline: bool) -> None:
        buffer: list[str] = []
        while True:
            try:
                line = self._read(CONTINUATION if buffer else PROMPT, use_readline)
            except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, not the session
                self.stdout.write("\n")
                buffer = []
                continue
            if line is None:
                if buffer:  # piped input may omit the final ';'
                    self.execute("\n".join(buffer))
                return
            if not buffer:
                if not line.strip():
                    continue
                if line.lstrip().startswith("."):
                    if not self.dot_command(line.strip()):
                        return
                    continue
            buffer.append(line)
            text = "\n".join(buffer)
            if is_complete(text):
                if use_readline and len(buffer) > 1:
                    # readline records every non-empty line it read.
                    _collapse_history(sum(1 for part in buffer if part), " ".join(p.strip() for p in buffer if p.strip()))
                buffer = []
                self.execute(text)

    def execute(self, sql: str) -> None:
        """Run each statement in sql and print its result; an error ends this input, not the session."""
        try:
            for statement in split_statements(self.con, sql):
                result = run_query(self.con, statement)
                if result.columns == ["Count"] and not result.rows:
                    continue  # DDL: nothing to show
                if result.columns:
                    self._print(render(result, self.mode, max_rows=TABLE_MAX_ROWS if self.mode == "table" else None))
        except TrackerError as exc:
            self._error(str(exc))
        except KeyboardInterrupt:
            self._error("interrupted")

    def dot_command(self, line: str) -> bool:
        """Handle a dot command; False means leave the shell."""
        command, *args = line.split()
        try:
            if command in (".quit", ".exit"):
                return False
            if command == ".help":
                self._print(HELP)
            elif command == ".tables":
                self._print(render(list_tables(self.con), self.mode))
            elif command == ".schema":
                text = schema_text(self.con, args[0] if args else None)
                if text:
                    self._print(text)
            elif command == ".mode":
                if not args:
                    self._print(self.mode)
                elif args[0] in FORMATS:
                    self.mode = args[0]
                else:
                    raise TrackerError(f"unknown mode {args[0]!r}; use one of: {', '.join(FORMATS)}")
            else:
                raise TrackerError(f"unknown command {command}; .help lists the commands")
        except TrackerError as exc:
            self._error(str(exc))
        return True

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _error(self, message: str) -> None:
        self.failed = True
        self.stderr.write(f"Error: {message}\n")
        self.stderr.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --- the official duckdb CLI -----------------------------------------------------------------------

def official_cli() -> str | None:
    """Path of the official ``duckdb`` executable (PyPI ``duckdb-cli``), if installed.

    Looks beside the running Python first, because a virtualenv's bin folder is often not on PATH
    when tracker is started by its full path.
    """
    beside = Path(sys.executable).parent / "duckdb"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("duckdb")


def official_argv(db_path: str | os.PathLike, query: str | None = None, *, read_only: bool = False,
                  fmt: str | None = None, executable: str | None = None) -> list[str]:
    """The command line that opens db_path in the official CLI (interactive unless query is given)."""
    exe = executable or official_cli()
    if exe is None:
        raise TrackerError("the official duckdb CLI is not installed; pip install duckdb-cli, or drop --official")
    argv = [exe]
    if read_only:
        argv.append("-readonly")
    if fmt is not None:
        if fmt not in FORMATS:
            raise TrackerError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
        argv.append("-" + {"table": "box", "csv": "csv", "json": "json"}[fmt])
    argv.append(str(db_path))
    if query is not None:
        argv += ["-c", query]
    return argv


def exec_official(argv: list[str]) -> None:
    """Replace this process with the official CLI; the caller must have closed its connection,
    because DuckDB lets only one process write a file."""
    os.execv(argv[0], argv)
