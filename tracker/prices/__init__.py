"""Prices: Yahoo (yfinance) downloads cached in DuckDB, CSV import, exchange calendars, data checks.

The public API; see docs/architecture.md ("prices") for the contract with other stages.
"""

from tracker.prices.calendars import first_session_on_or_after, sessions
from tracker.prices.checks import price_flags
from tracker.prices.csvdir import import_csv_dir
from tracker.prices.fetch import ensure_prices, fetch
from tracker.prices.status import status
from tracker.prices.symbols import currency_for, exchange_for, is_index

__all__ = [
    "currency_for",
    "ensure_prices",
    "exchange_for",
    "fetch",
    "first_session_on_or_after",
    "import_csv_dir",
    "is_index",
    "price_flags",
    "sessions",
    "status",
]
