"""Across events: CAAR by event type over the event window, with 95% bands and N."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from tracker.report.charts.cluster import Z95, signed_pct
from tracker.report.charts.style import color_for, new_figure, styled, type_label


@styled
def caar_chart(aar: pd.DataFrame, *, include_all: bool = True, title: str | None = None) -> Figure:
    """aar: group_kind, group_value, day, n, caar, caar_se (the study_aar table).

    One line per event type (its palette colour) plus the pooled 'all' line in black."""
    fig = new_figure(9.0, 5.2)
    ax = fig.add_axes([0.09, 0.13, 0.63, 0.74])
    groups = aar[aar["group_kind"] == "event_type"]
    series = [(value, frame) for value, frame in groups.groupby("group_value", sort=True)]
    if include_all:
        pooled = aar[aar["group_kind"] == "all"]
        if not pooled.empty:
            series.append((None, pooled))
    if not series:
        ax.text(0.5, 0.5, "no aggregate results", transform=ax.transAxes, ha="center", color="#777777")
    for value, frame in series:
        frame = frame.sort_values("day")
        days = frame["day"].astype(int)
        caar = frame["caar"].astype(float) * 100
        n = int(frame["n"].max()) if "n" in frame and frame["n"].notna().any() else 0
        color = "#111111" if value is None else color_for(value)
        label = f"{'all events' if value is None else type_label(value)} (N={n})"
        ax.plot(days, caar, color=color, linewidth=2.4 if value is None else 1.8,
                linestyle="--" if value is None else "-", label=label)
        if "caar_se" in frame and frame["caar_se"].notna().any():
            half = frame["caar_se"].astype(float) * 100 * Z95
            ax.fill_between(days, caar - half, caar + half, color=color, alpha=0.10, linewidth=0)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#555555", linewidth=1.0)
    ax.text(0.2, 1.0, "day 0", transform=ax.get_xaxis_transform(), fontsize=8.5, va="top", color="#555555")
    ax.xaxis.set_major_locator(MultipleLocator(2))
    ax.yaxis.set_major_formatter(FuncFormatter(signed_pct))
    ax.set_xlabel("Trading day relative to day 0")
    ax.set_ylabel("Cumulative average abnormal return")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), title="Event type (N = clusters)", title_fontsize=9)
    fig.text(0.09, 0.95, title or "CAAR by event type, with 95% confidence bands", fontsize=12,
             fontweight="bold", va="top")
    fig.text(0.09, 0.03, "Bands: CAAR \u00b1 1.96 \u00b7 cross-sectional standard error. "
             "Only events counted in the aggregates (see the report's skipped/flagged list).", fontsize=8, color="#555555")
    return fig
