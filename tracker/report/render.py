"""Render the context into index.html (Jinja2, autoescape on): CSS and script inline, charts as PNG files beside it."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from tracker.report.charts.style import EVENT_COLORS, UNKNOWN_COLOR

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    # autoescape=True for every template: article text is untrusted input.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["type_label"] = lambda t: (t or "unknown").replace("_", " ")
    return env


def render_html(context: dict) -> str:
    env = environment()
    # Our own static CSS/JS are trusted and inlined so the file opens from disk with no network.
    assets = {"css": Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
              "js": Markup((TEMPLATES / "sort.js").read_text(encoding="utf-8"))}
    return env.get_template("index.html.j2").render(**context, assets=assets, colors=EVENT_COLORS,
                                                    unknown_color=UNKNOWN_COLOR)
