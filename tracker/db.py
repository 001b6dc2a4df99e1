"""The DuckDB database: opening it and applying ``sql/``.

``sql/schema/*.sql`` creates the tables that store data: a baseline, then migrations; each file is applied once, in
file-name order, and recorded in ``schema_migrations``. A database written by the release before the baseline records
that release's files instead; the migration that drops its study tables lists them and replaces their records. A
database that records a file this version does not have comes from a newer version and is refused.

``sql/views/*.sql`` holds views; they are (re)created on every open, in file-name order, because a view has no data
to lose and must match the code that reads it. ``sql/study/`` is not applied here: each study run rebuilds its tables
(tracker/study/run.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import duckdb

from tracker.errors import TrackerError
from tracker.resources import sql_dir

DEFAULT_DB = "tracker.duckdb"
# The migration that brings a database of the release before the baseline up to date; it names that release's files.
RELEASE1_MIGRATION = "100_drop_release1_study.sql"
# Files written with the newest storage format cannot be opened by the official duckdb CLI 1.x
# that analysts use; this version keeps the file readable by both.
STORAGE_COMPATIBILITY = "v1.2.0"


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """--db wins, then TRACKER_DB, then tracker.duckdb in the working directory."""
    if db:
        return Path(db)
    env = os.environ.get("TRACKER_DB")
    if env:
        return Path(env)
    return Path(DEFAULT_DB)


def connect(db: str | os.PathLike | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema and views up to date.

    ``db=":memory:"`` gives an in-memory database, handy in tests.
    """
    target = ":memory:" if str(db) == ":memory:" else str(resolve_db_path(db))
    if target != ":memory:":
        parent = Path(target).parent
        if not parent.exists():
            raise TrackerError(f"the folder {parent} for the database does not exist; create it or pass another --db")
    try:
        if target == ":memory:":
            con = duckdb.connect(target)
        else:
            config = {} if read_only else {"storage_compatibility_version": STORAGE_COMPATIBILITY}
            con = duckdb.connect(target, read_only=read_only, config=config)
    except duckdb.Error as exc:   # locked, not a DuckDB file, corrupt, unreadable, newer storage format
        raise TrackerError(f"cannot open database {target}: {str(exc).splitlines()[0]}; {_open_hint(exc)}") from exc
    if not read_only:
        try:
            apply_migrations(con)
        except BaseException:
            con.close()   # a refused database stays closed, so another connection may open it
            raise
    return con


def _open_hint(exc: Exception) -> str:
    text = str(exc).lower()
    if "set lock" in text or "conflicting lock" in text:
        return "another program has it open for writing: close it (or wait for it) and run again, or pass another --db"
    if "permission" in text or "read-only" in text:
        return "the file is not writable: fix its permissions, or pass another --db"
    return "the file is damaged or not a tracker database: move it away or pass another --db"


def _sql_files(sub: str) -> list[Path]:
    folder = sql_dir() / sub
    return sorted(folder.glob("*.sql")) if folder.is_dir() else []


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply schema files not yet recorded, then recreate every view. Returns the files applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name VARCHAR PRIMARY KEY, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    files = _sql_files("schema")
    known = {f"schema/{path.name}" for path in files} | release1_migrations()
    newer = sorted(done - known)
    if newer:
        raise TrackerError(
            f"this database was written by a newer version of tracker (it records {', '.join(newer)}); "
            "open it with that version, or start a new database with --db")
    applied = []
    for path in files:
        name = f"schema/{path.name}"
        if name in done:
            continue
        text = path.read_text(encoding="utf-8")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(text)
            con.execute(
                "INSERT INTO schema_migrations (name, checksum) VALUES (?, ?)",
                [name, hashlib.sha1(text.encode()).hexdigest()],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    create_views(con)
    return applied


def release1_migrations() -> set[str]:
    """The schema files recorded by a database of the release before the baseline (named in its migration)."""
    path = sql_dir() / "schema" / RELEASE1_MIGRATION
    if not path.is_file():
        return set()
    return set(re.findall(r"'(schema/[^']+)'", path.read_text(encoding="utf-8")))


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the views of sql/views/ in file-name order."""
    for path in _sql_files("views"):
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            drift = _drifted(con)
            hint = (f"schema files changed since this database was created ({', '.join(drift)}); "
                    "start a new database with --db" if drift else "the sql/ files may be damaged")
            raise TrackerError(f"cannot create view from {path.name}: {str(exc).splitlines()[0]} — {hint}") from exc


def _drifted(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Applied schema files whose text has changed since (a database from an older tracker)."""
    recorded = dict(con.execute("SELECT name, checksum FROM schema_migrations").fetchall())
    changed = []
    for path in _sql_files("schema"):
        name = f"schema/{path.name}"
        if name in recorded and recorded[name] != hashlib.sha1(path.read_bytes()).hexdigest():
            changed.append(path.name)
    return changed


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame) -> None:
    """Append a DataFrame's rows to a table, matching columns by name (the frame may hold fewer columns)."""
    con.register("_insert_frame", frame)
    try:
        names = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM _insert_frame')
    finally:
        con.unregister("_insert_frame")


def fetch_columns(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    """A query's columns as numpy arrays, through Arrow (about a quarter of the time of fetchnumpy on a million rows);
    integer columns with NULLs come back as floats with NaN."""
    table = con.sql(sql).to_arrow_table()
    return {name: table.column(name).to_numpy() for name in table.column_names}


def read_sql(relative: str) -> str:
    """Text of a query file under sql/, e.g. ``read_sql('queries/study_json.sql')``."""
    path = sql_dir() / relative
    return path.read_text(encoding="utf-8")
