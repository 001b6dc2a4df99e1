"""Exchange (ISO 10383 MIC) and currency of a Yahoo symbol, from its suffix.

The listings table (companies area) is the authority for symbols it knows; this is the fallback for
any symbol a user types, and the source of the calendar used for gaps and day 0. US symbols map to
XNYS even when the stock trades on NASDAQ: exchange_calendars' XNAS and XNYS share one calendar
(same sessions, same holidays), so day 0 and gaps come out the same.
"""

from __future__ import annotations

# Longest suffixes first is not needed: Yahoo suffixes are a single ".XX" after the code.
_SUFFIXES: dict[str, tuple[str, str]] = {
    ".HK": ("XHKG", "HKD"),
    ".SS": ("XSHG", "CNY"),
    ".SZ": ("XSHE", "CNY"),
    ".T": ("XTKS", "JPY"),
    ".KS": ("XKRX", "KRW"),
    ".TW": ("XTAI", "TWD"),
    ".AS": ("XAMS", "EUR"),
}

# Index symbols carry no suffix (^HSI) or a suffix Yahoo gives them (HSTECH.HK, 000001.SS).
_INDEXES: dict[str, tuple[str, str]] = {
    "^HSI": ("XHKG", "HKD"),
    "^HSCE": ("XHKG", "HKD"),
    "^GSPC": ("XNYS", "USD"),
    "^IXIC": ("XNYS", "USD"),
    "^DJI": ("XNYS", "USD"),
    "^N225": ("XTKS", "JPY"),
    "^KS11": ("XKRX", "KRW"),
    "^TWII": ("XTAI", "TWD"),
    "^AEX": ("XAMS", "EUR"),
}

# Symbols that are indexes although they look like listings; they have no meaningful volume.
_INDEX_LOOKALIKES = {"HSTECH.HK", "000001.SS", "000300.SS", "000688.SS", "399001.SZ"}


def _lookup(symbol: str) -> tuple[str, str]:
    sym = symbol.strip().upper()
    if sym in _INDEXES:
        return _INDEXES[sym]
    for suffix, pair in _SUFFIXES.items():
        if sym.endswith(suffix):
            return pair
    return ("XNYS", "USD")


def exchange_for(symbol: str) -> str:
    """'9988.HK' → 'XHKG', '688256.SS' → 'XSHG', '^HSI' → 'XHKG', anything unknown → 'XNYS'."""
    return _lookup(symbol)[0]


def currency_for(symbol: str) -> str:
    """'9988.HK' → 'HKD', '688256.SS' → 'CNY', 'BABA' → 'USD'."""
    return _lookup(symbol)[1]


def is_index(symbol: str) -> bool:
    """Indexes have no share volume, so zero/blank volume is not a data problem for them."""
    sym = symbol.strip().upper()
    return sym.startswith("^") or sym in _INDEX_LOOKALIKES


def _suffix_lookup(symbols, position: int):
    """Column ``position`` of (exchange, currency) for many symbols at once, as a Series aligned with the input:
    the rules run once per distinct symbol and are spread to the rows by index (a study has ~500 symbols in 100k
    rows)."""
    import numpy as np
    import pandas as pd

    values = np.asarray(symbols, dtype=object).astype(str)
    distinct, inverse = np.unique(values, return_inverse=True)
    found = np.array([_lookup(s)[position] for s in distinct], dtype=object)
    index = symbols.index if isinstance(symbols, pd.Series) else None
    return pd.Series(found[inverse.reshape(-1)] if len(values) else [], index=index, dtype=object)


def exchanges_for_symbols(symbols):
    """``exchange_for`` of every symbol (a Series aligned with the input), without a loop per row."""
    return _suffix_lookup(symbols, 0)


def currencies_for_symbols(symbols):
    """``currency_for`` of every symbol (a Series aligned with the input)."""
    return _suffix_lookup(symbols, 1)
