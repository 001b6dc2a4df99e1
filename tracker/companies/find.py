"""`tracker companies find NAME`: how a name resolves (registry, securities, online), the listings it
links and the evidence, the same rules the extraction applies to a name in an article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tracker.companies.linking import SecuritiesIndex


@dataclass
class Resolution:
    query: str
    resolved_by: str                  # registry | securities | online | unresolved
    company: str | None = None
    name: str | None = None
    evidence: list[str] = field(default_factory=list)
    reason: str = ""
    listings: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)   # every securities line of the company (OTC, secondary too)

    def to_dict(self) -> dict:
        return asdict(self)


def find_company(registry, index: SecuritiesIndex | None, name: str, lookup=None) -> Resolution:
    query = name.strip()
    for mention in registry.match(query):
        company = registry.get(mention.company)
        return _with_lines(Resolution(query, "registry", company.id, company.name,
                                      [f"registry alias '{mention.alias}'"], "", _listings(company.listings)), index)
    refused = None
    if index is not None:
        for link in index.scan(query):
            if link.accepted:
                group = index.groups.get(link.company)
                company = registry.get(link.company) if link.company in registry else None
                listings = company.listings if company else group.listings
                label = "securities (grouped with the registry company)" if company else "securities"
                res = Resolution(query, label, link.company, company.name if company else group.name,
                                 [f"name '{link.key}'", *link.evidence], "", _listings(listings))
                return _with_lines(res, index)
            if link.start == 0 and link.end >= len(query.rstrip(" .")) - 1:
                refused = refused or link   # the whole name was found and held back; a part of it is no answer
    if refused is not None:
        return Resolution(query, "unresolved", refused.company or None, None, [f"name '{refused.key}'", *refused.evidence],
                          f"'{refused.surface}' is {refused.reason}" if refused.reason.startswith(("an ", "a ")) else refused.reason)
    if lookup is not None:
        found = lookup.resolve(query)
        if found is not None:
            return Resolution(query, "online", "yf:" + found.symbol, found.name, ["Yahoo search (cached)"], "",
                              [{"symbol": found.symbol, "exchange": found.exchange, "currency": found.currency,
                                "kind": "ordinary", "benchmark": None, "primary": True}])
        if lookup.offline_reason and lookup.search is not None:
            return Resolution(query, "unresolved", reason=lookup.offline_reason)
    hint = "" if index is not None else "; the securities table is empty: run `tracker companies update`"
    return Resolution(query, "unresolved", reason=f"no company of that name{hint}")


def _listings(listings) -> list[dict]:
    return [{"symbol": l.symbol, "exchange": l.exchange, "currency": l.currency, "kind": l.kind,
             "benchmark": l.benchmark, "primary": l.is_primary} for l in listings]


def _with_lines(res: Resolution, index: SecuritiesIndex | None) -> Resolution:
    if index is None:
        return res
    group = index.groups.get(res.company or "")
    if group is not None:
        res.lines = [{"symbol": s.symbol, "name": s.name, "exchange": s.exchange or s.exchange_code, "kind": s.kind,
                      "isin": s.isin, "source": s.source} for s in sorted(group.securities, key=lambda s: s.symbol)]
    return res
