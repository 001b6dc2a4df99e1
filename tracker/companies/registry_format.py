"""Reading and checking registry TOML files (the bundled one and users' own).

Every check here exists so that a typo in a user's file fails loudly with the file and the
company named, instead of silently producing an unmatched alias or a listing without prices.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from tracker.errors import TrackerError
from tracker.resources import data_dir

BUNDLED_REGISTRY = data_dir() / "companies.toml"

# Yahoo symbols of the benchmark used when a listing names none. The US, Hong Kong and Shanghai
# ones are covered by ../shared/prices; the others must be downloaded (yfinance) before a study.
DEFAULT_BENCHMARKS = {
    "XNYS": "SPY", "XNAS": "SPY",
    "XHKG": "^HSI",
    "XSHG": "000001.SS", "XSHE": "000001.SS",
    "XTKS": "^N225", "XKRX": "^KS11", "XAMS": "^AEX", "XTAI": "^TWII", "XETR": "^GDAXI",
}
DEFAULT_CURRENCIES = {
    "XNYS": "USD", "XNAS": "USD", "XHKG": "HKD", "XSHG": "CNY", "XSHE": "CNY",
    "XTKS": "JPY", "XKRX": "KRW", "XAMS": "EUR", "XTAI": "TWD", "XETR": "EUR",
}
# The Yahoo suffix each exchange's symbols carry; US symbols carry none.
_SUFFIXES = {
    "XHKG": ".HK", "XSHG": ".SS", "XSHE": ".SZ", "XTKS": ".T", "XKRX": ".KS",
    "XAMS": ".AS", "XTAI": ".TW", "XETR": ".DE",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_MIC = re.compile(r"^[A-Z0-9]{4}$")
_COMPANY_KEYS = {"name", "aliases", "exact", "parent", "fiscal_year_end_month", "listings", "reject"}
_LISTING_KEYS = {"symbol", "exchange", "currency", "listed_since", "benchmark", "is_primary", "kind"}
_KINDS = ("ordinary", "ADR")


def default_benchmark(exchange: str) -> str | None:
    return DEFAULT_BENCHMARKS.get(exchange)


def parse_registry_file(path: Path) -> list[dict]:
    """The companies of one registry file as checked, normalised dicts (fields of Company, with
    listings as dicts of Listing fields)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise TrackerError(f"registry file {path} not found; check the path given with --registry") from None
    except OSError as exc:
        raise TrackerError(f"cannot read registry file {path}: {exc.strerror}; check the file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TrackerError(f"registry file {path} is not valid TOML ({exc}); fix the syntax") from None
    return [_company(path, cid, table) for cid, table in data.items()]


class _Problem(Exception):
    pass


def _company(path: Path, cid: str, table: object) -> dict:
    try:
        return _check_company(cid, table)
    except _Problem as exc:
        raise TrackerError(f"registry file {path}: company '{cid}': {exc}; fix that entry") from None


def _strings(table: dict, key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Problem(f"'{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _check_company(cid: str, table: object) -> dict:
    if not isinstance(table, dict):
        raise _Problem("expected a table [id] with name, aliases and listings")
    if not _ID.match(cid):
        raise _Problem("the id must be a lowercase slug (letters, digits, underscores)")
    unknown = set(table) - _COMPANY_KEYS
    if unknown:
        raise _Problem(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(_COMPANY_KEYS))})")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _Problem("'name' is missing")
    name = name.strip()
    aliases, exact = _strings(table, "aliases"), _strings(table, "exact")
    # The display name is a name too; it is matched case-insensitively unless listed under exact.
    all_aliases = list(dict.fromkeys([*aliases, *exact] + ([] if name in exact else [name])))
    parent = table.get("parent")
    if parent is not None and (not isinstance(parent, str) or not _ID.match(parent)):
        raise _Problem("'parent' must be a company id")
    fyem = table.get("fiscal_year_end_month")
    if fyem is not None and (isinstance(fyem, bool) or not isinstance(fyem, int) or not 1 <= fyem <= 12):
        raise _Problem("'fiscal_year_end_month' must be a month number 1-12")
    raw_listings = table.get("listings", [])
    if not isinstance(raw_listings, list):
        raise _Problem("'listings' must be a list of tables")
    listings = [_check_listing(item) for item in raw_listings]
    primaries = [l for l in listings if l["is_primary"]]
    if len(primaries) > 1:
        raise _Problem(f"more than one primary listing ({', '.join(l['symbol'] for l in primaries)})")
    if listings and not primaries:
        listings[0]["is_primary"] = True
    return {
        "id": cid, "name": name, "aliases": all_aliases, "exact_aliases": exact, "parent": parent,
        "fiscal_year_end_month": fyem, "listings": listings, "reject": _strings(table, "reject"),
    }


def _check_listing(item: object) -> dict:
    if not isinstance(item, dict):
        raise _Problem("each listing must be a table {symbol = ..., exchange = ...}")
    unknown = set(item) - _LISTING_KEYS
    if unknown:
        raise _Problem(f"listing has unknown key(s) {', '.join(sorted(unknown))}")
    symbol, exchange = item.get("symbol"), item.get("exchange")
    if not isinstance(symbol, str) or not symbol.strip():
        raise _Problem("a listing has no 'symbol'")
    symbol = symbol.strip()
    if not isinstance(exchange, str) or not _MIC.match(exchange):
        raise _Problem(f"listing {symbol}: 'exchange' must be a 4-letter MIC such as XNYS, XHKG, XSHG")
    suffix = _SUFFIXES.get(exchange)
    has_suffix = "." in symbol and not symbol.startswith("^")
    if suffix and not symbol.endswith(suffix) or (exchange in ("XNYS", "XNAS") and has_suffix):
        expected = f"end in {suffix}" if suffix else "carry no exchange suffix"
        raise _Problem(f"listing {symbol}: a Yahoo symbol on {exchange} should {expected}")
    currency = item.get("currency", DEFAULT_CURRENCIES.get(exchange))
    if currency is None:
        raise _Problem(f"listing {symbol}: exchange {exchange} has no default currency; give 'currency'")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise _Problem(f"listing {symbol}: 'currency' must be a 3-letter code such as USD")
    benchmark = item.get("benchmark", default_benchmark(exchange))
    if not isinstance(benchmark, str) or not benchmark.strip():
        raise _Problem(f"listing {symbol}: exchange {exchange} has no default benchmark; give 'benchmark'")
    since = item.get("listed_since")
    if isinstance(since, str):
        try:
            since = date.fromisoformat(since) if since.strip() else None
        except ValueError:
            raise _Problem(f"listing {symbol}: 'listed_since' must be a date YYYY-MM-DD") from None
    elif since is not None and (not isinstance(since, date) or hasattr(since, "hour")):
        raise _Problem(f"listing {symbol}: 'listed_since' must be a date YYYY-MM-DD")
    primary = item.get("is_primary", False)
    if not isinstance(primary, bool):
        raise _Problem(f"listing {symbol}: 'is_primary' must be true or false")
    kind = item.get("kind", "ordinary")
    if kind not in _KINDS:
        raise _Problem(f"listing {symbol}: 'kind' must be one of {', '.join(_KINDS)}")
    return {
        "symbol": symbol, "exchange": exchange, "currency": currency, "listed_since": since,
        "benchmark": benchmark.strip(), "is_primary": primary, "kind": kind,
    }
