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


def _header(path: Path) -> tuple[str, str]:
    """(purpose, grain) from the leading comment: `-- name: purpose ... Grain: ...`."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.lstrip("-").strip())
    text = " ".join(lines)
    match = re.search(r"\bgrain:", text, re.I)
    purpose, grain = (text[: match.start()].strip(), text[match.end():].strip()) if match else (text, "")
    first, _, rest = purpose.partition(":")
    if rest and " " not in first.strip():
        purpose = rest.strip()
    return purpose, grain


def objects() -> list[dict]:
    """One dict per table or view defined in sql/schema and sql/views, in file order; a later migration that
    recreates an object documents it, one that only drops it removes it."""
    con = connect(":memory:")
    found: dict[str, dict] = {}
    for kind, folder in (("table", "schema"), ("view", "views")):
        for path in sorted((sql_dir() / folder).glob("*.sql")):
            match = _OBJECT.search(path.read_text(encoding="utf-8"))
            if not match:
                continue
            name = match.group(1)
            purpose, grain = _header(path)
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [name]).fetchall()]
            if not columns:
                found.pop(name, None)  # created by an early migration and dropped by a later one
                continue
            found[name] = {"name": name, "kind": kind, "file": f"sql/{folder}/{path.name}", "purpose": purpose,
                           "grain": grain, "columns": columns}
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
