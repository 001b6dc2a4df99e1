"""Shared look of every chart: one colour per event type, fonts, date formats, saving.

Colours are fixed per DESIGN §3 event type so a reader who learns "red = export control" in the
timeline sees the same red in every company and CAAR chart.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are written to files, never shown; must work headless in CI

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

EVENT_TYPES: tuple[str, ...] = (
    "ipo_filing", "ipo_approval", "listing", "capital_raise", "earnings", "guidance",
    "product_launch", "contract", "partnership", "regulatory_action", "export_control",
    "stock_move", "management_commentary", "merger_acquisition", "investment", "legal", "other",
)

# Hand-picked so neighbours in meaning differ in hue; greys are kept for the two "soft" types.
EVENT_COLORS: dict[str, str] = {
    "ipo_filing": "#6a3d9a",
    "ipo_approval": "#9e7cc1",
    "listing": "#cab2d6",
    "capital_raise": "#b15928",
    "earnings": "#1f78b4",
    "guidance": "#6baed6",
    "product_launch": "#33a02c",
    "contract": "#b2df8a",
    "partnership": "#17becf",
    "regulatory_action": "#ff7f00",
    "export_control": "#e31a1c",
    "stock_move": "#7f7f7f",
    "management_commentary": "#fdbf6f",
    "merger_acquisition": "#8c564b",
    "investment": "#e377c2",
    "legal": "#a50f15",
    "other": "#bdbdbd",
}
UNKNOWN_COLOR = "#404040"
POSITIVE = "#1a7f37"
NEGATIVE = "#c62828"
STOCK_COLOR = "#1f3b73"
BENCH_COLOR = "#9aa5b1"
DPI = 130

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.7,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "figure.facecolor": "white",
}


def color_for(event_type: str | None) -> str:
    return EVENT_COLORS.get(event_type or "", UNKNOWN_COLOR)


def type_label(event_type: str | None) -> str:
    """'export_control' -> 'export control' for legends."""
    return (event_type or "unknown").replace("_", " ")


def human_date(day: date | None) -> str:
    """24 Sep 2025 — unambiguous for readers on both sides of the Atlantic."""
    if day is None:
        return "n/a"
    return f"{day.day} {day.strftime('%b %Y')}"


def styled(func):
    """Apply RC while a chart is built: rcParams are read when artists are created."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with plt.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A figure not registered with pyplot (no leaked managers) but with an Agg canvas,
    so text extents can be measured for label placement."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def split_periods(days: list[date], gap_days: int = 240) -> list[tuple[date, date]]:
    """Group dates into periods separated by more than gap_days, so events years apart
    (SenseTime 2021 vs 2025) get their own axis panel instead of a squashed one."""
    ordered = sorted(set(days))
    if not ordered:
        return []
    periods = [[ordered[0], ordered[0]]]
    for day in ordered[1:]:
        if (day - periods[-1][1]).days > gap_days:
            periods.append([day, day])
        else:
            periods[-1][1] = day
    return [(a, b) for a, b in periods]


def pad_period(period: tuple[date, date], before: int, after: int) -> tuple[date, date]:
    return period[0] - timedelta(days=before), period[1] + timedelta(days=after)


def draw_break_marks_right(ax, d: float = 0.012) -> None:
    """The usual '//' mark at the right end of an x axis that jumps over unrelated time."""
    ax.plot((1 - d, 1 + d), (-d * 2, d * 2), transform=ax.transAxes, color="#666666", clip_on=False, linewidth=1)


def draw_break_marks_left(ax, d: float = 0.012) -> None:
    ax.plot((-d, d), (-d * 2, d * 2), transform=ax.transAxes, color="#666666", clip_on=False, linewidth=1)


def draw_break_marks(left_ax, right_ax) -> None:
    """'//' marks on both sides of a break between two panels of a broken x axis."""
    draw_break_marks_right(left_ax)
    draw_break_marks_left(right_ax)


def day_month(x, _pos=None) -> str:
    """'1 Dec' rather than '01 Dec'."""
    d = mdates.num2date(x)
    return f"{d.day} {d:%b}"


def style_date_axis(ax, span_days: float) -> None:
    """Ticks a human reads at a glance: days within a quarter, months within two years, else years."""
    if span_days <= 100:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(day_month)
    elif span_days <= 800:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, int(span_days // 240))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    else:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def save_png(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Fast zlib level: encoding at the default level was a fifth of a chart's drawing time, for ~7% smaller files.
    fig.savefig(path, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    return path
