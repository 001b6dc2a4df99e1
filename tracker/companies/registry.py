"""The company registry: who the companies are, how texts name them, and where they trade.

Companies and listings are kept apart because one company can trade in several places (Alibaba:
the BABA ADR in New York and 9988.HK in Hong Kong) and some trade nowhere at all (Huawei,
DeepSeek): an unlisted company is still an entity events can be about, it just has no prices.

The registry is data (``tracker/data/companies.toml``); users add or override companies with their
own files in the same format (``load_registry(extra=[...])``, later files win per company id).
The format is documented at the top of the bundled file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from tracker.companies.aliases import AliasMatcher, AliasSpec, Mention, alias_key, is_cjk
from tracker.errors import TrackerError
from tracker.companies.registry_format import BUNDLED_REGISTRY, DEFAULT_BENCHMARKS, default_benchmark, parse_registry_file

__all__ = [
    "BUNDLED_REGISTRY", "DEFAULT_BENCHMARKS", "Company", "Listing", "Mention", "Registry",
    "default_benchmark", "load_registry", "store_registry",
]


@dataclass(frozen=True, slots=True)
class Listing:
    symbol: str                 # Yahoo symbol: BABA, 9988.HK, 688256.SS
    exchange: str               # MIC: XNYS, XNAS, XHKG, XSHG, XSHE, ...
    currency: str
    listed_since: date | None   # first trading day; None when not known for sure
    benchmark: str              # Yahoo symbol of the index or ETF abnormal returns are measured against
    is_primary: bool            # the listing a study uses by default for this company
    kind: str                   # 'ordinary' | 'ADR'
    company: str = ""           # the owning company's id


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    aliases: tuple[str, ...]            # every name a text may use, as written in the registry
    listings: tuple[Listing, ...]
    parent: str | None
    fiscal_year_end_month: int | None
    exact_aliases: tuple[str, ...] = ()  # the subset matched case-sensitively (AMD, Meta, Intel)
    reject: tuple[str, ...] = ()         # phrases that contain an alias but do not name the company

    @property
    def listed(self) -> bool:
        return bool(self.listings)

    @property
    def primary_listing(self) -> Listing | None:
        return next((l for l in self.listings if l.is_primary), self.listings[0] if self.listings else None)


class Registry:
    """All known companies, with the alias matcher compiled once."""

    def __init__(self, companies: dict[str, Company] | Iterable[Company], sources: dict[str, Path] | None = None):
        """``companies`` by id (or as a list, handy in tests); ``sources`` names the file each came from,
        for error messages. Raises TrackerError on unknown parents, cycles, a symbol under two
        companies, or an alias claimed by two companies."""
        items = companies.values() if isinstance(companies, dict) else companies
        self.companies = {c.id: _owning_listings(c) for c in items}
        self._sources = sources or {}
        self._check_parents()
        self._by_symbol = self._index_symbols()
        self._matcher = AliasMatcher(self._alias_specs(), {c.id: c.reject for c in self.companies.values()})

    # -- lookups -----------------------------------------------------------------------------
    def get(self, company_id: str) -> Company:
        try:
            return self.companies[company_id]
        except KeyError:
            close = difflib.get_close_matches(company_id, list(self.companies), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise TrackerError(
                f"unknown company '{company_id}'{hint}; add it to a registry file passed with --registry"
            ) from None

    def listing(self, symbol: str) -> Listing | None:
        return self._by_symbol.get(symbol)

    def listings_for(self, company_id: str) -> tuple[Listing, ...]:
        """The company's own listings, else those of its nearest listed parent (T-Head → Alibaba)."""
        company = self.companies.get(company_id)
        while company is not None and not company.listings and company.parent:
            company = self.companies.get(company.parent)
        return company.listings if company is not None else ()

    def match(self, text: str) -> list[Mention]:
        """Company mentions in text: non-overlapping, in order, the longest alias at each place."""
        return self._matcher.find(text)

    def __iter__(self) -> Iterator[Company]:
        return iter(self.companies.values())

    def __len__(self) -> int:
        return len(self.companies)

    def __contains__(self, company_id: object) -> bool:
        return company_id in self.companies

    # -- building ----------------------------------------------------------------------------
    def _where(self, company_id: str) -> str:
        source = self._sources.get(company_id)
        return f"{source}: " if source else ""

    def _check_parents(self) -> None:
        for company in self.companies.values():
            seen = {company.id}
            parent = company.parent
            while parent:
                if parent not in self.companies:
                    raise TrackerError(
                        f"{self._where(company.id)}company '{company.id}' names unknown parent '{parent}'; "
                        "add that company or fix the parent"
                    )
                if parent in seen:
                    raise TrackerError(f"{self._where(company.id)}company '{company.id}' is its own ancestor; fix the parent chain")
                seen.add(parent)
                parent = self.companies[parent].parent

    def _index_symbols(self) -> dict[str, Listing]:
        by_symbol: dict[str, Listing] = {}
        for company in self.companies.values():
            for listing in company.listings:
                other = by_symbol.get(listing.symbol)
                if other is not None:
                    raise TrackerError(
                        f"{self._where(company.id)}symbol {listing.symbol} is listed under both "
                        f"'{other.company}' and '{company.id}'; keep it under one company"
                    )
                by_symbol[listing.symbol] = listing
        return by_symbol

    def _alias_specs(self) -> list[AliasSpec]:
        specs: list[AliasSpec] = []
        generated: list[AliasSpec] = []
        owners: dict[tuple[bool, str], str] = {}
        for company in self.companies.values():
            exact = set(company.exact_aliases)
            for alias in company.aliases:
                case_sensitive = alias in exact or is_cjk(alias)
                key = (case_sensitive, alias_key(alias, case_sensitive))
                owner = owners.setdefault(key, company.id)
                if owner != company.id:
                    raise TrackerError(
                        f"{self._where(company.id)}alias '{alias}' of '{company.id}' is already an alias of "
                        f"'{owner}'; remove it from one of them"
                    )
                specs.append(AliasSpec(alias, company.id, case_sensitive))
            # Headlines write names in capitals (INTEL, APPLE); short ones are left out because
            # capitalised two- and three-letter words are usually abbreviations of something else.
            generated.extend(
                AliasSpec(a.upper(), company.id, True) for a in company.exact_aliases if len(a) >= 4 and a != a.upper()
            )
            generated.extend(AliasSpec(t, company.id, True) for t in _ticker_aliases(company) if t not in exact)
        # Declared aliases come first so that, on a clash, they beat generated capitals and tickers.
        return specs + generated


def _owning_listings(company: Company) -> Company:
    """The company with each listing's ``company`` field set, for Company objects built in code."""
    if all(l.company == company.id for l in company.listings):
        return company
    return replace(company, listings=tuple(replace(l, company=company.id) for l in company.listings))


def _ticker_aliases(company: Company) -> list[str]:
    """Ways a text writes the company's symbols: 9988.HK and NVDA as they are; one- and two-letter
    US tickers (LI, MU, ZK) only behind an exchange name, because alone they are ordinary words."""
    out = []
    for listing in company.listings:
        symbol = listing.symbol
        if "." in symbol or len(symbol) >= 3:
            out.append(symbol)
        if listing.exchange in ("XNYS", "XNAS"):
            venue = "NYSE" if listing.exchange == "XNYS" else "Nasdaq"
            out += [f"{venue}: {symbol}", f"{venue.upper()}: {symbol}", f"{venue}:{symbol}", f"{venue.upper()}:{symbol}"]
    return list(dict.fromkeys(out))


def load_registry(extra: Iterable[Path | str] = ()) -> Registry:
    """The bundled registry, then each user file in order; a later file replaces a company with the
    same id entirely. A malformed file raises TrackerError naming the file and the problem."""
    companies: dict[str, Company] = {}
    sources: dict[str, Path] = {}
    for path in (BUNDLED_REGISTRY, *map(Path, extra)):
        for raw in parse_registry_file(path):
            companies[raw["id"]] = _build_company(raw)
            sources[raw["id"]] = path
    return Registry(companies, sources)


def _build_company(raw: dict) -> Company:
    listings = tuple(Listing(company=raw["id"], **listing) for listing in raw["listings"])
    return Company(
        id=raw["id"], name=raw["name"], aliases=tuple(raw["aliases"]), listings=listings,
        parent=raw["parent"], fiscal_year_end_month=raw["fiscal_year_end_month"],
        exact_aliases=tuple(raw["exact_aliases"]), reject=tuple(raw["reject"]),
    )


def store_registry(con, registry: Registry) -> None:
    """Replace the rows of ``companies`` and ``listings`` with the registry's, in one transaction."""
    import pyarrow as pa

    companies = list(registry)
    company_rows = pa.table({
        "id": pa.array([c.id for c in companies], pa.string()),
        "name": pa.array([c.name for c in companies], pa.string()),
        "listed": pa.array([c.listed for c in companies], pa.bool_()),
        "aliases": pa.array([list(c.aliases) for c in companies], pa.list_(pa.string())),
        "parent": pa.array([c.parent for c in companies], pa.string()),
        "fiscal_year_end_month": pa.array([c.fiscal_year_end_month for c in companies], pa.int32()),
    })
    listings = [l for c in companies for l in c.listings]
    listing_rows = pa.table({
        "symbol": pa.array([l.symbol for l in listings], pa.string()),
        "company": pa.array([l.company for l in listings], pa.string()),
        "exchange": pa.array([l.exchange for l in listings], pa.string()),
        "currency": pa.array([l.currency for l in listings], pa.string()),
        "listed_since": pa.array([l.listed_since for l in listings], pa.date32()),
        "benchmark": pa.array([l.benchmark for l in listings], pa.string()),
        "is_primary": pa.array([l.is_primary for l in listings], pa.bool_()),
        "kind": pa.array([l.kind for l in listings], pa.string()),
    })
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM listings")
        con.execute("DELETE FROM companies")
        con.register("_registry_companies", company_rows)
        con.register("_registry_listings", listing_rows)
        con.execute(
            "INSERT INTO companies (id, name, listed, aliases, parent, fiscal_year_end_month) "
            "SELECT id, name, listed, aliases, parent, fiscal_year_end_month FROM _registry_companies"
        )
        con.execute(
            "INSERT INTO listings (symbol, company, exchange, currency, listed_since, benchmark, is_primary, kind) "
            "SELECT symbol, company, exchange, currency, listed_since, benchmark, is_primary, kind FROM _registry_listings"
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_registry_companies")
        con.unregister("_registry_listings")
