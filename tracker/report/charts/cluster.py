"""Per news cluster (company, day 0): every listing of the company in one figure — indexed prices
against their benchmarks on top, the CAR paths with their 95% bands below."""

from __future__ import annotations

import textwrap
from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from tracker.report.charts.style import human_date, new_figure, styled, type_label

Z95 = 1.96
# One hue per listing (the primary first); its benchmark is drawn dashed in a lighter shade of it.
LISTING_COLORS = ("#1f3b73", "#c2571a", "#2a7f62", "#7b3294", "#8c6d1f", "#3b7ea1")


def signed_pct(value, _pos=None) -> str:
    """'+10%', '−5%' (a real minus sign), '0%'."""
    if abs(value) < 1e-9:
        return "0%"
    digits = 0 if abs(value - round(value)) < 1e-9 else 1
    return f"{value:+.{digits}f}%".replace("-", "\u2212")


def indexed(values: pd.Series, days: pd.Series) -> pd.Series | None:
    """A price series indexed to 100 on the last close before day 0 (day −1, or the last day
    before 0 with a price); None when there is no such close."""
    values = pd.to_numeric(values, errors="coerce")
    before = (days <= -1) & values.notna()
    if not before.any():
        return None
    base = values[days == days[before].max()].iloc[0]
    if not base or np.isnan(base):
        return None
    return values / base * 100.0


def day_formatter(frame: pd.DataFrame) -> FuncFormatter:
    """Tick labels '−5\\n15 Sep': relative session plus its calendar date (of the first listing)."""
    dates = {}
    if "date" in frame.columns:
        for d, dt in zip(frame["day"], frame["date"]):
            if pd.notna(dt):
                stamp = pd.Timestamp(dt)
                dates[int(d)] = f"{stamp.day} {stamp:%b}"

    def fmt(x, _pos):
        day = int(round(x))
        sign = "\u2212" if day < 0 else ("+" if day > 0 else "")
        label = f"{sign}{abs(day)}"
        return f"{label}\n{dates[day]}" if day in dates else label

    return FuncFormatter(fmt)


def _lighter(hex_color: str, amount: float = 0.45) -> tuple[float, float, float]:
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c + (1 - c) * amount for c in rgb)


@styled
def cluster_chart(listings: list[dict], *, company: str, day0: date | None, event_types: list[str],
                  headline: str = "", note: str = "") -> Figure:
    """listings: dicts with symbol, benchmark, currency and frame (day, date, price, bench_price,
    car, car_se), the primary listing first. Missing columns or rows leave a note inside the panel."""
    fig = new_figure(9.0, 6.4)
    gs = fig.add_gridspec(2, 1, height_ratios=[1.1, 1], hspace=0.1, left=0.095, right=0.975, top=0.86, bottom=0.15)
    top = fig.add_subplot(gs[0])
    bottom = fig.add_subplot(gs[1], sharex=top)
    fig.text(0.095, 0.965, f"{company} \u00b7 day 0 {human_date(day0)}", fontsize=12.5, fontweight="bold", va="top")
    kinds = ", ".join(type_label(t) for t in dict.fromkeys(event_types)) or "event"
    fig.text(0.095, 0.925, textwrap.shorten(f"{kinds} \u2014 {headline}" if headline else kinds, width=120,
                                            placeholder="\u2026"), fontsize=9.5, va="top", color="#333333")

    drew_price = drew_car = False
    all_days: list[int] = []
    for i, item in enumerate(listings):
        frame = item["frame"].sort_values("day")
        days = frame["day"].astype(int).reset_index(drop=True)
        frame = frame.reset_index(drop=True)
        all_days += list(days)
        color = LISTING_COLORS[i % len(LISTING_COLORS)]
        currency = f" ({item['currency']})" if item.get("currency") else ""
        stock = indexed(frame["price"], days) if "price" in frame else None
        bench = indexed(frame["bench_price"], days) if "bench_price" in frame else None
        if stock is not None:
            top.plot(days, stock, color=color, linewidth=1.9, marker="o", markersize=2.6, label=f"{item['symbol']}{currency}")
            drew_price = True
        if bench is not None:
            top.plot(days, bench, color=_lighter(color), linewidth=1.4, linestyle="--",
                     label=f"{item.get('benchmark') or 'benchmark'} (benchmark of {item['symbol']})")
            drew_price = True
        car = pd.to_numeric(frame["car"], errors="coerce") * 100.0 if "car" in frame else None
        if car is not None and car.notna().any():
            final = car.dropna().iloc[-1]
            last_day = int(days[car.notna()].iloc[-1])
            bottom.plot(days, car, color=color, linewidth=2,
                        label=f"{item['symbol']}: CAR to day {last_day:+d} = {final:+.1f}%".replace("-", "\u2212"))
            if "car_se" in frame and pd.to_numeric(frame["car_se"], errors="coerce").notna().any():
                half = pd.to_numeric(frame["car_se"], errors="coerce") * 100.0 * Z95
                bottom.fill_between(days, car - half, car + half, color=color, alpha=0.13, linewidth=0)
            drew_car = True
    if drew_price:
        top.axhline(100, color="#999999", linewidth=0.8)
        top.legend(loc="best", ncol=2, fontsize=8, framealpha=0.85, frameon=True, edgecolor="none")
    else:
        top.text(0.5, 0.5, "prices not available for this window", transform=top.transAxes,
                 ha="center", va="center", color="#777777")
    top.set_ylabel("Indexed close (day \u22121 = 100)")
    if drew_car:
        bottom.legend(loc="best", ncol=1, fontsize=8, framealpha=0.85, frameon=True, edgecolor="none")
    else:
        bottom.text(0.5, 0.5, "abnormal returns not available", transform=bottom.transAxes,
                    ha="center", va="center", color="#777777")
    bottom.axhline(0, color="#999999", linewidth=0.8)
    bottom.set_ylabel("CAR (shaded: 95% band)")
    bottom.yaxis.set_major_formatter(FuncFormatter(signed_pct))
    bottom.yaxis.set_major_locator(MaxNLocator(6))
    bottom.set_xlabel("Trading day relative to day 0 (first session on or after the news)")
    span = (max(all_days) - min(all_days)) if all_days else 0
    for ax in (top, bottom):
        ax.axvline(0, color="#555555", linewidth=1.2, alpha=0.9)
        ax.xaxis.set_major_locator(MultipleLocator(5 if span > 12 else 1))
    top.tick_params(labelbottom=False)
    if listings:
        bottom.xaxis.set_major_formatter(day_formatter(listings[0]["frame"]))
    if all_days:
        top.set_xlim(min(all_days) - 0.5, max(all_days) + 0.5)
    if note:
        fig.text(0.095, 0.02, textwrap.shorten(note, width=150, placeholder="\u2026"), fontsize=8, color="#555555")
    return fig
