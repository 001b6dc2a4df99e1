"""The reference of every table and view in sql/, as Markdown for the README.

It is built from the files themselves (header comment: purpose and grain) and from the columns
DuckDB reports, so the README cannot drift: tests/test_readme.py regenerates it and compares.
Regenerate with ``python -m tracker.sqldoc --write README.md``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tracker.db import connect
from tracker.resources import sql_dir

START = "<!-- sql-reference:start -->"
END = "<!-- sql-reference:end -->"
_OBJECT = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][\w]*)", re.I)


def _purpose_and_grain(comment_lines: list[str]) -> tuple[str, str]:
    """(purpose, grain) from a header comment: `-- name: purpose ... Grain: ...`."""
    text = " ".join(line.lstrip("-").strip() for line in comment_lines)
    match = re.search(r"\bgrain:", text, re.I)
    purpose, grain = (text[: match.start()].strip(), text[match.end():].strip()) if match else (text, "")
    first, _, rest = purpose.partition(":")
    if rest and " " not in first.strip():
        purpose = rest.strip()
    return purpose, grain


def _leading_comment(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return lines


def _comment_before(text: str, at: int) -> list[str]:
    """The comment lines directly above position ``at`` (one table's header inside a file of several)."""
    lines = text[:at].rstrip("\n").splitlines()
    block = []
    for line in reversed(lines):
        if not line.startswith("--"):
            break
        block.insert(0, line)
    return block


def _columns(con, name: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [name]).fetchall()]


def objects() -> list[dict]:
    """One dict per table or view: the stored tables of sql/schema (every CREATE TABLE of each file, with the comment
    above it), the views of sql/views, and the tables each study run builds from sql/study (columns from a run on an
    empty database; kind says which are kept and which are per-run work tables)."""
    from tracker.study import StudyParams, run_study
    from tracker.study.run import RESULT_TABLES, steps

    con = connect(":memory:")
    found: dict[str, dict] = {}
    for path in sorted((sql_dir() / "schema").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        for match in _OBJECT.finditer(text):
            name = match.group(1)
            columns = _columns(con, name)
            if columns:
                purpose, grain = _purpose_and_grain(_comment_before(text, match.start()))
                found[name] = {"name": name, "kind": "table", "file": f"sql/schema/{path.name}", "purpose": purpose,
                               "grain": grain, "columns": columns}
    for path in sorted((sql_dir() / "views").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        match = _OBJECT.search(text)
        if match:
            purpose, grain = _purpose_and_grain(_leading_comment(text))
            found[match.group(1)] = {"name": match.group(1), "kind": "view", "file": f"sql/views/{path.name}",
                                     "purpose": purpose, "grain": grain, "columns": _columns(con, match.group(1))}
    run_study(con, StudyParams(), fetch=False, keep_work_tables=True)
    for name, path in steps():
        purpose, grain = _purpose_and_grain(_leading_comment(path.read_text(encoding="utf-8")))
        found[name] = {"name": name, "kind": "study table" if name in RESULT_TABLES else "study work table (per run)",
                       "file": f"sql/study/{path.name}", "purpose": purpose, "grain": grain,
                       "columns": _columns(con, name)}
    con.close()
    return list(found.values())


def markdown() -> str:
    lines = [START, "", "| object | kind | grain | purpose | columns |", "|---|---|---|---|---|"]
    for obj in objects():
        cols = ", ".join(f"`{c}`" for c in obj["columns"])
        purpose = obj["purpose"].replace("|", "\\|")
        grain = obj["grain"].replace("|", "\\|")
        lines.append(f"| `{obj['name']}` | {obj['kind']} | {grain} | {purpose} | {cols} |")
    lines += ["", END]
    return "\n".join(lines)


def replace_block(text: str) -> str:
    """The README text with its SQL reference block regenerated."""
    if START not in text or END not in text:
        raise ValueError("README has no sql-reference block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + markdown() + tail


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        target = Path(sys.argv[2])
        target.write_text(replace_block(target.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(markdown())
