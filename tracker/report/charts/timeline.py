"""All events on one picture: companies down the side, time across, markers coloured by type."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullLocator

from tracker.report.charts.style import (
    color_for, day_month, draw_break_marks, new_figure, pad_period, split_periods, styled, type_label,
)


@styled
def timeline_chart(events: pd.DataFrame) -> Figure:
    """events: company_name, date, event_type, and optionally studied (bool).

    Studied events are filled markers, events shown but not studied are hollow. Periods years
    apart get their own panel on a broken axis, each panel width proportional to its span."""
    ev = events.dropna(subset=["date"]).copy()
    ev["date"] = pd.to_datetime(ev["date"]).dt.date
    if "studied" not in ev:
        ev["studied"] = True
    periods = [pad_period(p, 12, 12) for p in split_periods(list(ev["date"]))]
    if not periods:
        raise ValueError("timeline_chart needs at least one dated event")
    companies = sorted(ev["company_name"].fillna("?").unique(), reverse=True)
    row_of = {c: i for i, c in enumerate(companies)}
    widths = [max(30, (b - a).days) for a, b in periods]
    # A lone old event should still get a readable panel next to a busy recent month.
    total = sum(widths)
    widths = [max(w, total * 0.07) for w in widths]
    fig = new_figure(10.0, 2.2 + 0.42 * len(companies))
    gs = fig.add_gridspec(1, len(periods), width_ratios=widths, wspace=0.05, left=0.16, right=0.985,
                          top=1 - 0.75 / fig.get_figheight(), bottom=1.1 / fig.get_figheight())
    axes = []
    for col, (start, end) in enumerate(periods):
        ax = fig.add_subplot(gs[0, col], sharey=axes[0] if axes else None)
        axes.append(ax)
        part = ev[(ev["date"] >= start) & (ev["date"] <= end)].sort_values("date")
        # Same company, same day: spread vertically so no marker hides another.
        nth = part.groupby(["company_name", "date"]).cumcount()
        count = part.groupby(["company_name", "date"])["date"].transform("size")
        y = part["company_name"].fillna("?").map(row_of) + (nth - (count - 1) / 2) * 0.18
        for studied, marker_fill in ((True, True), (False, False)):
            sel = part["studied"].fillna(False).astype(bool) == studied
            colors = [color_for(t) for t in part.loc[sel, "event_type"]]
            ax.scatter([mdates.date2num(d) for d in part.loc[sel, "date"]], y[sel], s=70, zorder=3,
                       c=colors if marker_fill else "white", edgecolors=colors, linewidths=1.6)
        ax.set_xlim(mdates.date2num(start), mdates.date2num(end))
        # Tick count follows the panel's width so a narrow panel never crowds its labels;
        # the year sits once above each panel instead of on every tick.
        panel_inches = ax.get_position().width * fig.get_figwidth()
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=max(2, int(panel_inches / 0.9))))
        ax.xaxis.set_major_formatter(day_month if (end - start).days <= 200 else mdates.DateFormatter("%b %Y"))
        years = sorted({start.year, end.year} & set(part["date"].map(lambda d: d.year)))
        label = "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0])
        # offset in points, not a fraction of the axes: a tall timeline must not push it into the title
        ax.annotate(label, xy=(0.01, 1.0), xycoords="axes fraction", xytext=(0, 4), textcoords="offset points",
                    fontsize=9.5, fontweight="bold", color="#555555", va="bottom")
        ax.grid(axis="y", visible=False)
        for i in range(len(companies)):
            ax.axhline(i, color="#eeeeee", linewidth=0.8, zorder=0)
        if col > 0:
            ax.spines["left"].set_visible(False)
            ax.tick_params(left=False, labelleft=False)
            draw_break_marks(axes[col - 1], ax)
        if (end - start).days <= 60 and len(periods) > 1:
            # A narrow panel around one date: its label above says when; ticks would only collide.
            ax.xaxis.set_major_locator(NullLocator())
    axes[0].set_yticks(range(len(companies)))
    axes[0].set_yticklabels(companies)
    axes[0].set_ylim(-0.7, len(companies) - 0.3)
    fig.text(0.16, 1 - 0.1 / fig.get_figheight(), "Timeline of events", fontsize=12, fontweight="bold", va="top")
    types = [t for t in dict.fromkeys(ev.sort_values("event_type")["event_type"])]
    handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=color_for(t), markersize=8, label=type_label(t))
               for t in types]
    handles.append(Line2D([0], [0], marker="o", color="w", markerfacecolor="white", markeredgecolor="#555555",
                          markersize=8, label="not studied"))
    fig.legend(handles=handles, loc="lower center", ncol=min(6, len(handles)), bbox_to_anchor=(0.55, 0.0),
               frameon=False, fontsize=8.5)
    return fig
