"""Online look-up of organisation names that match nothing: yfinance's search, cached in DuckDB.

Hits and misses are both stored (``security_lookups``, with the date), so a name is asked once.
When the network is unreachable the first failure switches look-ups off for the rest of the run
and leaves one warning; nothing is cached then, so a later run with network asks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from tracker.companies.exchanges import exchange_for_yahoo_symbol
from tracker.companies.names import name_variants, normalise_name

Search = Callable[[str], dict]   # name -> Yahoo's search response ({"quotes": [...], ...})


@dataclass(frozen=True)
class Found:
    symbol: str
    name: str
    exchange: str
    currency: str | None


def yahoo_search(name: str) -> dict:
    """Yahoo's search response for a name, through yfinance (raises when Yahoo is unreachable)."""
    import logging

    import yfinance as yf

    logger = logging.getLogger("yfinance")
    level = logger.level
    logger.setLevel(logging.CRITICAL)   # its own log lines about failed requests; the caller warns once
    try:
        search = yf.Search(name, max_results=6, news_count=0, lists_count=0, recommended=0, timeout=5, raise_errors=True)
    finally:
        logger.setLevel(level)
    return getattr(search, "response", None) or {"quotes": search.quotes}


def best_quote(name: str, response: dict) -> Found | None:
    """The equity quote in a search response that names the company: an equity on an exchange
    tracker knows, whose normalised name starts with the name's short form."""
    wanted = name_variants(normalise_name(name))[-1]
    for quote in response.get("quotes") or []:
        if quote.get("quoteType") != "EQUITY" or not quote.get("symbol"):
            continue
        exchange = exchange_for_yahoo_symbol(quote["symbol"], quote.get("exchange"))
        if exchange is None:
            continue
        quoted = normalise_name(quote.get("longname") or quote.get("shortname") or "")
        if not (quoted == wanted or quoted.startswith(wanted + " ")):
            continue
        return Found(quote["symbol"], quote.get("longname") or quote.get("shortname") or quote["symbol"],
                     exchange.mic, exchange.currency)
    return None


class OnlineLookup:
    """Resolves names through ``search`` (default: Yahoo), remembering every answer in the database."""

    def __init__(self, con, search: Search | None | str = "yahoo"):
        self.con = con
        self.search = yahoo_search if search == "yahoo" else search
        self.offline_reason: str | None = None if search is not None else "online look-up is off"
        self.asked = 0
        rows = con.execute("SELECT name_key, found, symbol, name, exchange, currency FROM security_lookups").fetchall()
        self._cache = {k: (Found(s, n, e, c) if f else None) for k, f, s, n, e, c in rows}

    def cached(self, name: str) -> tuple[bool, Found | None]:
        key = normalise_name(name)
        return key in self._cache, self._cache.get(key)

    def resolve(self, name: str) -> Found | None:
        key = normalise_name(name)
        if key in self._cache:
            return self._cache[key]
        if self.offline_reason is not None or not key:
            return None
        try:
            response = self.search(name)
        except Exception as exc:   # any failure to reach Yahoo: network, DNS, HTTP, Yahoo down
            self.offline_reason = f"online company look-up skipped: Yahoo search unreachable ({type(exc).__name__})"
            return None
        self.asked += 1
        found = best_quote(name, response if isinstance(response, dict) else {})
        self._cache[key] = found
        self.con.execute(
            "INSERT OR REPLACE INTO security_lookups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [key, name, found is not None, found and found.symbol, found and found.name, found and found.exchange,
             found and found.currency, datetime.now(timezone.utc).replace(tzinfo=None)])
        return found
