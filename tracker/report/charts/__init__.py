"""Matplotlib charts for reports. Every function returns a Figure; ``save_png`` writes it."""

from tracker.report.charts.caar import caar_chart
from tracker.report.charts.cluster import cluster_chart
from tracker.report.charts.company import company_price_chart
from tracker.report.charts.style import EVENT_COLORS, EVENT_TYPES, color_for, save_png
from tracker.report.charts.timeline import timeline_chart

__all__ = [
    "EVENT_COLORS", "EVENT_TYPES", "caar_chart", "cluster_chart", "color_for", "company_price_chart",
    "save_png", "timeline_chart",
]
