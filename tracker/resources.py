"""Where the files that ship with tracker live, in a source checkout and in an installed wheel.

The wheel carries ``sql/`` and ``seeds/`` inside the package (see pyproject's force-include);
a source checkout or editable install keeps them at the top level of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def sql_dir() -> Path:
    return _bundled("sql")


def seeds_dir() -> Path:
    return _bundled("seeds")


def data_dir() -> Path:
    return _PACKAGE / "data"
