"""User configuration: an optional TOML file given with ``--config`` (or ``TRACKER_CONFIG``).

Example::

    [study]
    model = "market"            # market | market_adjusted | constant_mean
    estimation = [-250, -11]
    window = [-10, 10]
    car_windows = [[0, 0], [-1, 1], [0, 1], [0, 5], [-5, 5], [0, 10]]
    min_estimation = 120
    include_stock_moves = false

    [registry]
    files = ["my_companies.toml"]   # extra companies/listings, relative to this file

    [report]
    out = "reports"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import TrackerError

MODELS = ("market", "market_adjusted", "constant_mean")


@dataclass
class Config:
    study: dict = field(default_factory=dict)
    registry_files: list[Path] = field(default_factory=list)
    reports_dir: Path = Path("reports")
    source: Path | None = None


def load_config(path: str | os.PathLike | None = None) -> Config:
    chosen = path or os.environ.get("TRACKER_CONFIG")
    if not chosen:
        return Config()
    file = Path(chosen)
    if not file.is_file():
        raise TrackerError(f"config file {file} not found; pass an existing TOML file to --config")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TrackerError(f"config file {file} is not valid TOML ({exc}); fix it or drop --config") from exc
    study = dict(data.get("study", {}))
    if "model" in study and study["model"] not in MODELS:
        raise TrackerError(f"config {file}: study.model must be one of {', '.join(MODELS)}")
    for key in ("estimation", "window"):
        if key in study:
            study[key] = _pair(study[key], f"config {file}: study.{key}")
    if "car_windows" in study:
        study["car_windows"] = tuple(_pair(w, f"config {file}: study.car_windows") for w in study["car_windows"])
    base = file.parent
    files = [base / p for p in data.get("registry", {}).get("files", [])]
    out = Path(data.get("report", {}).get("out", "reports"))
    return Config(study=study, registry_files=files, reports_dir=out if out.is_absolute() else base / out, source=file)


def _pair(value, where: str) -> tuple[int, int]:
    if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise TrackerError(f"{where} must be two integers like [-1, 1]")
    start, end = value
    if start > end:
        raise TrackerError(f"{where}: start {start} is after end {end}")
    return (start, end)


def parse_window(text: str, option: str) -> tuple[int, int]:
    """'-10:10' → (-10, 10). Used by the CLI for --window and --estimation."""
    try:
        start_text, end_text = text.split(":")
        start, end = int(start_text), int(end_text)
    except ValueError:
        raise TrackerError(f"{option} takes START:END in trading days, e.g. {option}=-10:10 (got {text!r})") from None
    if start > end:
        raise TrackerError(f"{option}: start {start} is after end {end}")
    return (start, end)
