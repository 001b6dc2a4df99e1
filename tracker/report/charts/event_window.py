"""Per (event, listing): the stock against its benchmark, and the CAR path with its 95% band."""

from __future__ import annotations

import textwrap
from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from tracker.report.charts.style import (
    BENCH_COLOR, NEGATIVE, POSITIVE, STOCK_COLOR, color_for, human_date, new_figure, styled, type_label,
)

Z95 = 1.96


def signed_pct(value, _pos=None) -> str:
    """'+10%', '−5%' (a real minus sign), '0%'."""
    if abs(value) < 1e-9:
        return "0%"
    digits = 0 if abs(value - round(value)) < 1e-9 else 1
    return f"{value:+.{digits}f}%".replace("-", "\u2212")


def _indexed(values: pd.Series, days: pd.Series) -> pd.Series | None:
    """Index a price series to 100 on day -1 (the last close before the news), or the last
    available day before 0 when day -1 is missing."""
    base_rows = values[(days <= -1) & values.notna()]
    if base_rows.empty:
        return None
    base_day = days[(days <= -1) & values.notna()].max()
    base = values[days == base_day].iloc[0]
    if not base or np.isnan(base):
        return None
    return values / base * 100.0


def _day_labels(ar: pd.DataFrame):
    """Tick labels '−5\\n15 Sep': relative session plus its calendar date."""
    dates = {}
    if "date" in ar.columns:
        for d, dt in zip(ar["day"], ar["date"]):
            if pd.notna(dt):
                stamp = pd.Timestamp(dt)
                dates[int(d)] = f"{stamp.day} {stamp:%b}"

    def fmt(x, _pos):
        day = int(round(x))
        sign = "\u2212" if day < 0 else ("+" if day > 0 else "")
        label = f"{sign}{abs(day)}"
        return f"{label}\n{dates[day]}" if day in dates else label

    return FuncFormatter(fmt)


@styled
def event_window_chart(
    ar: pd.DataFrame,
    *,
    company: str,
    symbol: str,
    headline: str,
    benchmark: str | None = None,
    currency: str | None = None,
    event_date: date | None = None,
    day0: date | None = None,
    event_type: str | None = None,
    model: str | None = None,
    estimation: tuple[int, int] | None = (-250, -11),
    estimation_end_date: date | None = None,
    n_estimation: int | None = None,
    flags: list[str] | tuple[str, ...] = (),
) -> Figure:
    """Two panels over the event window.

    ar needs ``day`` and ``car``/``car_se``; ``price``/``bench_price`` draw the top panel,
    ``date`` labels the ticks. Missing columns leave a note instead of failing.
    """
    ar = ar.sort_values("day").reset_index(drop=True)
    days = ar["day"].astype(int)
    fig = new_figure(9.0, 6.2)
    gs = fig.add_gridspec(2, 1, height_ratios=[1.15, 1], hspace=0.12, left=0.085, right=0.975, top=0.86, bottom=0.15)
    top = fig.add_subplot(gs[0])
    bottom = fig.add_subplot(gs[1], sharex=top)

    shown_date = day0 or event_date
    title = f"{company} \u00b7 {symbol}" + (f" ({currency})" if currency else "") + f" \u00b7 {human_date(shown_date)}"
    fig.text(0.085, 0.955, title, fontsize=12.5, fontweight="bold", va="top")
    wrapped = textwrap.shorten(headline or "", width=110, placeholder="\u2026")
    fig.text(0.085, 0.912, wrapped, fontsize=10, va="top", color="#333333")
    fig.text(0.975, 0.955, type_label(event_type), fontsize=9.5, va="top", ha="right",
             color="white", fontweight="bold",
             bbox=dict(boxstyle="round,pad=0.3", facecolor=color_for(event_type), edgecolor="none"))

    stock = _indexed(ar["price"], days) if "price" in ar.columns else None
    bench = _indexed(ar["bench_price"], days) if "bench_price" in ar.columns else None
    if stock is not None:
        top.plot(days, stock, color=STOCK_COLOR, linewidth=2, marker="o", markersize=3, label=symbol)
    if bench is not None:
        top.plot(days, bench, color=BENCH_COLOR, linewidth=1.6, linestyle="--", label=benchmark or "benchmark")
    if stock is None and bench is None:
        top.text(0.5, 0.5, "prices not available for this window", transform=top.transAxes,
                 ha="center", va="center", color="#777777")
    else:
        top.axhline(100, color="#999999", linewidth=0.8)
        top.legend(loc="upper left", ncol=2)
    top.set_ylabel("Indexed close (day \u22121 = 100)")

    car = ar["car"].astype(float) * 100.0 if "car" in ar.columns else None
    if car is not None and car.notna().any():
        start = int(days[car.notna()].iloc[0])
        bottom.plot(days, car, color="#222222", linewidth=2,
                    label=f"CAR cumulated from day {start}".replace("-", "\u2212"))
        if "car_se" in ar.columns and ar["car_se"].notna().any():
            half = ar["car_se"].astype(float) * 100.0 * Z95
            bottom.fill_between(days, car - half, car + half, color="#8fa8c8", alpha=0.35, linewidth=0,
                                label="95% band (\u00b11.96\u00b7SE)")
        final = car.dropna().iloc[-1]
        bottom.annotate(f"{final:+.1f}%", xy=(days[car.notna()].iloc[-1], final), xytext=(6, 0),
                        textcoords="offset points", va="center", fontweight="bold",
                        color=POSITIVE if final >= 0 else NEGATIVE)
        bottom.legend(loc="upper left", ncol=2)
    else:
        bottom.text(0.5, 0.5, "abnormal returns not available", transform=bottom.transAxes,
                    ha="center", va="center", color="#777777")
    bottom.axhline(0, color="#999999", linewidth=0.8)
    bottom.set_ylabel("Cumulative abnormal return")
    bottom.yaxis.set_major_formatter(FuncFormatter(signed_pct))
    bottom.set_xlabel("Trading day relative to day 0 (first session on or after the news)")

    for ax in (top, bottom):
        ax.axvline(0, color=color_for(event_type), linewidth=1.4, alpha=0.9)
        ax.xaxis.set_major_locator(MultipleLocator(5 if days.max() - days.min() > 12 else 1))
    top.tick_params(labelbottom=False)
    bottom.xaxis.set_major_formatter(_day_labels(ar))
    top.text(0.0, 1.0, " day 0", transform=top.get_xaxis_transform(), color=color_for(event_type),
             fontsize=8.5, va="top")
    top.set_xlim(days.min() - 0.5, days.max() + 1.5)

    fig.text(0.085, 0.025, _method_note(model, estimation, estimation_end_date, n_estimation, flags),
             fontsize=8, color="#555555")
    return fig


def _method_note(model, estimation, end_date, n, flags) -> str:
    parts = []
    if model:
        parts.append(f"{model.replace('_', '-')} model")
    if estimation:
        a, b = estimation
        text = f"estimated on days {a} to {b}".replace("-", "\u2212")
        if end_date:
            text += f" (estimation window ends {human_date(end_date)})"
        parts.append(text)
    if n:
        parts.append(f"n = {n}")
    if flags:
        parts.append("flags: " + ", ".join(flags))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
