"""Matplotlib charts for reports. Every function returns a Figure; ``save_png`` writes it."""

from tracker.report.charts.caar import caar_chart
from tracker.report.charts.company import company_price_chart
from tracker.report.charts.event_window import event_window_chart
from tracker.report.charts.style import EVENT_COLORS, EVENT_TYPES, color_for, save_png
from tracker.report.charts.timeline import timeline_chart

__all__ = [
    "EVENT_COLORS", "EVENT_TYPES", "caar_chart", "color_for", "company_price_chart", "event_window_chart",
    "save_png", "timeline_chart",
]
