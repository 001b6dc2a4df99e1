"""Per company: adjusted close of each listing around its events, events marked by type."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tracker.report.charts.labels import stack_labels
from tracker.report.charts.style import (
    STOCK_COLOR, color_for, draw_break_marks_left, draw_break_marks_right, new_figure, pad_period, split_periods, style_date_axis,
    styled, type_label,
)

PAD_BEFORE, PAD_AFTER = 75, 40
# Events closer than this share one continuous panel; a price line over a year or so stays readable, and
# each extra stretch multiplies the panels (one per listing) a reader must compare.
PERIOD_GAP_DAYS = 400
LEVEL_INCH = 0.24


def short_headline(headline: str | None, width: int = 34) -> str:
    return textwrap.shorten(headline or "event", width=width, placeholder="\u2026")


def _when(day, text) -> str:
    """The label's date: the event's own precision when given ('week of 8 Sep 2025'), else the day."""
    if isinstance(text, str) and text:
        return text
    return f"{day.day} {day.strftime('%b')}"


@styled
def company_price_chart(
    company: str,
    prices: pd.DataFrame,
    listings: list[dict],
    events: pd.DataFrame,
) -> Figure:
    """prices: symbol, date, adj_close (or close). listings: dicts with symbol, currency and
    optionally exchange. events: date, event_type, headline (and optionally `when`, the label's
    date text at the event's precision; `date` is where the marker goes). One row of panels per listing,
    one column per period when events lie years apart."""
    ev = events.dropna(subset=["date"]).copy()
    ev["date"] = pd.to_datetime(ev["date"]).dt.date
    px = prices.copy()
    px["date"] = pd.to_datetime(px["date"])
    value_col = "adj_close" if "adj_close" in px.columns and px["adj_close"].notna().any() else "close"
    px = px[px[value_col].notna()]
    candidates = [pad_period(p, PAD_BEFORE, PAD_AFTER) for p in split_periods(list(ev["date"]), PERIOD_GAP_DAYS)]
    if not candidates:
        raise ValueError("company_price_chart needs at least one dated event")

    def priced(listing, period) -> bool:
        a, b = period
        return bool(((px["symbol"] == listing.get("symbol")) & (px["date"] >= pd.Timestamp(a))
                     & (px["date"] <= pd.Timestamp(b))).any())

    # Stretches where no listing has a price are left out (their events stay on the timeline), and
    # so are listings without a price anywhere: an empty panel tells the reader nothing.
    periods = [p for p in candidates if any(priced(x, p) for x in listings)] or candidates[-1:]
    listings = [x for x in listings if any(priced(x, p) for p in periods)] or listings[:1]

    n_rows = max(1, len(listings))
    widths = [max(60, (b - a).days) for a, b in periods]
    fig = new_figure(10.0, 2.0 + 2.3 * n_rows)
    gs = fig.add_gridspec(1 + n_rows, len(periods), width_ratios=widths, height_ratios=[1] + [2.4] * n_rows,
                          hspace=0.08, wspace=0.06, left=0.09, right=0.975, top=0.9, bottom=0.08)
    level_counts = []
    for col, (start, end) in enumerate(periods):
        strip = fig.add_subplot(gs[0, col])
        in_period = ev[(ev["date"] >= start) & (ev["date"] <= end)].sort_values("date")
        strip.set_xlim(mdates.date2num(start), mdates.date2num(end))
        strip.axis("off")
        level_counts.append(stack_labels(
            strip,
            [mdates.date2num(d) for d in in_period["date"]],
            [f"{_when(d, w)} \u00b7 {short_headline(h)}"
             for d, h, w in zip(in_period["date"], in_period["headline"], in_period.get("when", [None] * len(in_period)))],
            [color_for(t) for t in in_period["event_type"]],
        ))
        rows_here = [row for row, listing in enumerate(listings) if priced(listing, (start, end))]
        for row, listing in enumerate(listings or [{"symbol": "?"}]):
            if row not in rows_here:
                continue  # no prices for this listing in this stretch: no panel
            ax = fig.add_subplot(gs[1 + row, col], sharex=strip)
            series = px[(px["symbol"] == listing.get("symbol")) & (px["date"] >= pd.Timestamp(start))
                        & (px["date"] <= pd.Timestamp(end))].sort_values("date")
            ax.plot(series["date"], series[value_col], color=STOCK_COLOR, linewidth=1.5)
            for d, t in zip(in_period["date"], in_period["event_type"]):
                ax.axvline(mdates.date2num(d), color=color_for(t), linewidth=1.1, alpha=0.75, linestyle=":")
                # Mark the first close on or after the event: where the market could react.
                after = series[series["date"] >= pd.Timestamp(d)]
                if not after.empty:
                    ax.plot([after["date"].iloc[0]], [after[value_col].iloc[0]], marker="o", markersize=6,
                            color=color_for(t), markeredgecolor="white", zorder=4)
            currency = listing.get("currency") or ""
            name = f"{listing.get('symbol')}\n({currency})" if currency else str(listing.get("symbol"))
            if col == 0 or not any(priced(listing, p) for p in periods[:col]):
                ax.set_ylabel(name)
            style_date_axis(ax, (end - start).days)
            if row != rows_here[-1]:
                ax.tick_params(labelbottom=False)
            if col > 0:
                draw_break_marks_left(ax)
            if col < len(periods) - 1:
                draw_break_marks_right(ax)
    # Grow the label strip to the number of levels actually used (widths are unaffected).
    levels = max(level_counts)
    strip_h = LEVEL_INCH * levels + 0.15
    price_h = 1.9 * n_rows
    gs.set_height_ratios([strip_h] + [price_h / n_rows] * n_rows)
    height = strip_h + price_h + 1.3
    fig.set_figheight(height)
    gs.update(top=1 - 0.4 / height, bottom=0.8 / height)
    for ax in fig.axes:  # GridSpec.update does not move axes that already exist
        ax.set_position(ax.get_subplotspec().get_position(fig))
    fig.text(0.09, 1 - 0.12 / height, f"{company}: adjusted close around the events", fontsize=12,
             fontweight="bold", va="top")
    shown = ev[[any(a <= d <= b for a, b in periods) for d in ev["date"]]]
    types = list(dict.fromkeys(shown["event_type"]))
    handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=color_for(t), markersize=7, label=type_label(t))
               for t in types]
    fig.legend(handles=handles, loc="lower center", ncol=min(6, len(handles)), bbox_to_anchor=(0.53, 0.02 / height),
               fontsize=8.5, frameon=False)
    return fig
