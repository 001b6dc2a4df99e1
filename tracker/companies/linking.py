"""Linking names in text to listed companies beyond the registry: the securities index and the
matcher the extraction uses when the ``securities`` table is loaded.

``LinkedCompanies`` has the registry's interface (``match``, ``get``, ``listings_for``): registry
mentions come first and are kept as they are; names from the securities table (and short registry
names its guards hold back, "Nio-Aktie", "Chipdesigner Arm") are added where they do not overlap a
registry mention and the text gives the evidence ``tracker.companies.evidence`` asks for. A
company known only from the securities table gets the id of its group ('sec:ASML.AS') and its
exchange listings, one per exchange, with the exchange's default benchmark.

The names are found with one Aho–Corasick automaton (pyahocorasick) over ``names.text_key`` of the
text (lower case, every non-word character a space, offsets unchanged): every key is framed by
spaces, so a hit is always whole words; the index is built once per process and database load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from tracker.companies.aliases import Mention, _inside_any
from tracker.companies.evidence import STRONG, capitalised, evidence_at, is_ordinary
from tracker.companies.exchanges import BENCHMARK_BY_MIC, CALENDAR_BY_MIC
from tracker.companies.names import DESCRIPTORS, name_variants, normalise_name, text_key
from tracker.companies.registry import Company, Listing
from tracker.companies.securities import Security, prominence

PROMINENT = 4          # Large Cap, or among the SEC file's first 700 rows
_MIN_BARE_LENGTH = 4   # a bare name shorter than this is an abbreviation more often than a company


@dataclass
class Group:
    id: str                  # company id: the registry's where it has the company, else 'sec:<primary symbol>'
    name: str
    prominence: int
    symbols: frozenset[str]
    listings: tuple[Listing, ...]
    registry: bool = False
    securities: tuple[Security, ...] = ()


@dataclass(frozen=True)
class Link:
    """One name found in text and why it was accepted (or, from ``explain``, refused)."""
    company: str
    start: int
    end: int
    surface: str
    key: str
    evidence: tuple[str, ...]
    accepted: bool
    reason: str = ""


@dataclass
class _Entry:
    key: str
    groups: list[Group] = field(default_factory=list)
    guard_only: bool = False      # a registry name that needs strong evidence
    formal: bool = False          # the key carries a descriptor (holding, group)
    ordinary: bool = False        # a one-word name that is an ordinary word
    bare_ok: bool = False         # one company, distinctive and prominent: its capitalised name is enough
    symbols: frozenset = frozenset()
    ticker_words: frozenset = frozenset()   # the symbols as words of the folded text (xyz, 0700, 700)


class SecuritiesIndex:
    def __init__(self, securities: list[Security], registry):
        self.registry = registry
        self.groups: dict[str, Group] = {}
        self._entries: dict[str, _Entry] = {}
        by_group: dict[str, list[Security]] = {}
        for s in securities:
            by_group.setdefault(s.group_id, []).append(s)
        for gid, members in by_group.items():
            group = self._group(gid, members)
            if group is None:
                continue
            self.groups[group.id] = group if group.id not in self.groups else self.groups[group.id]
            for s in members:
                for key in name_variants(s.norm_name):
                    self._add(key, self.groups[group.id])
                if " & " in s.name:   # "Procter & Gamble" reads "procter   gamble" in folded text
                    for key in name_variants(normalise_name(s.name.replace(" & ", " ampersandx "))):
                        self._add(key.replace(" ampersandx ", "   "), self.groups[group.id])
        self._add_registry_guards()
        for entry in self._entries.values():
            entry.ordinary = is_ordinary(entry.key)
            entry.symbols = frozenset(s for g in entry.groups for s in g.symbols)
            roots = {s.rsplit(".", 1)[0].lower() for s in entry.symbols}
            entry.ticker_words = frozenset(roots | {r.lstrip("0") for r in roots if r.isdigit()})
            entry.bare_ok = (len(entry.groups) == 1 and not entry.guard_only and not entry.ordinary
                             and len(entry.key) >= _MIN_BARE_LENGTH and entry.groups[0].prominence >= PROMINENT)
        # Keys are framed by spaces, so every hit is whole words; the genitive or plural -s form
        # ("Infineons", "Arm Holdings") is a key of its own.
        self._automaton = ahocorasick.Automaton()
        for key, entry in self._entries.items():
            self._automaton.add_word(" " + key + " ", (entry, 0))
            if not key.endswith("s") and key + "s" not in self._entries:
                self._automaton.add_word(" " + key + "s ", (entry, 1))
        if self._entries:
            self._automaton.make_automaton()

    def _group(self, gid: str, members: list[Security]) -> Group | None:
        owner = next((self.registry.listing(s.symbol).company for s in members if self.registry.listing(s.symbol)), None)
        prom = max(prominence(s.market_cap, s.sec_rank) for s in members)
        symbols = frozenset(s.symbol for s in members)
        if owner is not None:
            company = self.registry.get(owner)
            return Group(owner, company.name, prom, symbols | {l.symbol for l in company.listings}, company.listings,
                         registry=True, securities=tuple(members))
        listings = study_listings(gid, members)
        if not listings:
            return None   # only OTC lines and foreign quotes: nothing to study, nothing to link
        primary = next((s for s in members if s.is_primary), members[0])
        return Group(gid, _display_name(primary, members), prom, symbols, listings, securities=tuple(members))

    def _add(self, key: str, group: Group, guard_only: bool = False) -> None:
        if len(key) < 2:
            return
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(key, formal=key.split()[-1] in DESCRIPTORS and " " in key)
        if all(g.id != group.id for g in entry.groups):
            entry.groups.append(group)
        entry.guard_only = entry.guard_only or guard_only

    def _add_registry_guards(self) -> None:
        """Registry names its case rules hold back ("NIO" only in capitals, "Arm" only with its
        legal form): found again here in any capitalisation, but only with strong evidence."""
        for company in self.registry:
            names = {company.name, *company.exact_aliases}
            group = Group(company.id, company.name, PROMINENT, frozenset(l.symbol for l in company.listings),
                          company.listings, registry=True)
            for name in names:
                for key in name_variants(normalise_name(name)):
                    if key in self._entries and any(g.id == company.id for g in self._entries[key].groups):
                        continue
                    if key in self._entries:
                        continue   # a securities name: its own rules apply
                    self._add(key, group, guard_only=True)

    def __len__(self) -> int:
        return len(self._entries)

    # -- finding --------------------------------------------------------------------------------
    def scan(self, text: str, accepted_only: bool = False, taken: list[tuple[int, int]] = ()) -> list[Link]:
        """Every candidate name in text with its evidence, accepted or not (``accepted_only``: only
        those accepted, faster), the longest at each place. Names starting inside a ``taken`` span
        (registry mentions) are skipped."""
        if not self._entries:
            return []
        folded = " " + text_key(text) + " "   # one character for one: offset in text = offset here - 1
        candidates: dict[int, tuple[int, _Entry]] = {}
        for last, (entry, genitive) in self._automaton.iter(folded):
            first = last - len(entry.key) - genitive   # the key's first letter
            known = candidates.get(first)
            if known is None or known[0] < last:
                candidates[first] = (last, entry)      # ``last`` is the space after the name
        covered = set()
        for a, b in taken:
            covered.update(range(a + 1, b + 1))   # in folded offsets
        links = []
        for first in sorted(candidates):
            if first in covered:
                continue
            after, entry = candidates[first]
            if accepted_only and not (entry.bare_ok or entry.formal) and not _cue_words_near(folded, first, after, entry):
                continue
            start, end = first - 1, after - 1
            if start > 1 and text[start - 1] in "-‐‑" and text[start - 2].isalnum():
                continue   # the tail of a compound ("Qwen3-Next", "E-Commerce-Marktführer") names no company
            if accepted_only:
                if not capitalised(text[start:end]):
                    continue
                if entry.bare_ok and not entry.formal:
                    links.append(Link(entry.groups[0].id, start, end, text[start:end], entry.key, ("prominent",), True))
                    continue
            link = self._judge(text, start, end, entry)
            if link.accepted or not accepted_only:
                links.append(link)
        return links

    def _judge(self, text: str, start: int, end: int, entry: _Entry) -> Link:
        surface = text[start:end]
        ordinary = entry.ordinary
        ev = evidence_at(text, start, end, entry.symbols, ordinary, entry.formal)
        group, why = self._choose(entry, text, end, ev)
        cid = group.id if group else ""
        if group is None:
            return Link(cid, start, end, surface, entry.key, tuple(ev), False, why)
        if not capitalised(surface):
            return Link(cid, start, end, surface, entry.key, tuple(ev), False, "not written as a name")
        if any(e in STRONG for e in ev):
            return Link(cid, start, end, surface, entry.key, tuple(ev), True)
        if entry.guard_only:
            return Link(cid, start, end, surface, entry.key, tuple(ev), False,
                        "a registry name its case rules hold back; needs a cue such as '-Aktie' or a legal form")
        if ordinary:
            return Link(cid, start, end, surface, entry.key, tuple(ev), False,
                        "an ordinary word; needs a cue such as '-Aktie', 'shares of' or a legal form")
        if len(entry.key) < _MIN_BARE_LENGTH:
            return Link(cid, start, end, surface, entry.key, tuple(ev), False, "too short to trust without a cue")
        if group.prominence < PROMINENT:
            return Link(cid, start, end, surface, entry.key, tuple(ev), False,
                        "a smaller company; needs a cue such as '-Aktie' or a legal form")
        return Link(cid, start, end, surface, entry.key, tuple(ev) + ("prominent",), True)

    def _choose(self, entry: _Entry, text: str, end: int, ev: list[str]) -> tuple[Group | None, str]:
        """The group a name means: the only one, the one whose ticker the text gives, else the most
        prominent when it stands out (two classes above the next)."""
        groups = entry.groups
        if len(groups) == 1:
            return groups[0], ""
        if "ticker" in ev:
            from tracker.companies.evidence import _TICKER_AFTER, _ticker_matches

            m = _TICKER_AFTER.match(text[end:end + 40])
            hit = [g for g in groups if m and _ticker_matches(m.group(1), g.symbols)]
            if len(hit) == 1:
                return hit[0], ""
        ranked = sorted(groups, key=lambda g: -g.prominence)
        registry = [g for g in groups if g.registry and not entry.guard_only]
        if len(registry) == 1:
            return registry[0], ""
        if ranked[0].prominence >= ranked[1].prominence + 2:
            return ranked[0], ""
        return None, f"ambiguous: {len(groups)} companies share this name"


# Words of the folded text next to a name that may carry evidence (evidence.py decides on the
# original text): legal forms, finance nouns, exchange prefixes of tickers; before it, prepositions
# and industry nouns. Checked first because most names in running text have none of them.
_WORDS_AFTER = frozenset((
    "inc", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "ag", "se", "n", "nv", "s", "sa", "spa",
    "ab", "asa", "oyj", "kgaa", "gmbh", "llc", "holding", "holdings", "group", "gruppe", "aktiengesellschaft",
    "aktie", "aktien", "papier", "papiere", "titel", "anteilsschein", "anteilsscheine", "konzern", "konzerns", "chef",
    "chefin", "chefs", "aktionäre", "shares", "stock", "nyse", "nasdaq", "hkex", "hk", "sehk", "sse", "szse", "tse",
    "tyo", "xetra", "etr", "fra", "lse", "ams", "euronext", "krx", "kospi", "twse", "tpe", "asx", "tsx", "sgx", "nse",
    "bse", "otc"))
_WORDS_BEFORE = frozenset(("von", "der", "des", "of", "in", "an"))
_ENDINGS_BEFORE = ("er", "ern", "zern", "gigant", "riese", "ant", "ist", "form", "maker", "lender", "giant", "group",
                   "company", "erate")


def _cue_words_near(folded: str, first: int, after: int, entry: _Entry) -> bool:
    following = folded[after:after + 30].split(None, 1)
    word_after = following[0] if following else ""
    if word_after in _WORDS_AFTER or word_after in entry.ticker_words:
        return True
    preceding = folded[max(0, first - 40):first].rsplit(None, 1)
    word_before = preceding[-1] if preceding else ""
    return word_before in _WORDS_BEFORE or word_before.endswith(_ENDINGS_BEFORE)


def study_listings(gid: str, members: list[Security]) -> tuple[Listing, ...]:
    """The group's exchange listings a study uses: one per exchange (the most prominent line, so
    share classes and notes filed under the same company stay out), primary first."""
    best: dict[str, Security] = {}
    for s in members:
        if s.kind != "listing" or not s.exchange:
            continue
        known = best.get(s.exchange)
        if known is None or _line_rank(s) < _line_rank(known):
            best[s.exchange] = s
    ordered = sorted(best.values(), key=lambda s: (not s.is_primary, _line_rank(s)))
    out = []
    for i, s in enumerate(ordered):
        kind = "ordinary" if i == 0 or s.source == "financedatabase" or s.country in (None, "United States") else "ADR"
        if i > 0 and s.source.startswith("sec") and ordered[0].source == "financedatabase" and ordered[0].country not in (None, "United States"):
            kind = "ADR"
        # listings.exchange names the trading calendar day 0 is found on
        out.append(Listing(s.symbol, CALENDAR_BY_MIC.get(s.exchange, s.exchange), s.currency or "USD", None,
                           BENCHMARK_BY_MIC.get(s.exchange, "SPY"), i == 0, kind, company=gid))
    return tuple(out)


def _line_rank(s: Security) -> tuple:
    return (s.is_primary is False, -prominence(s.market_cap, s.sec_rank), s.sec_rank or 10**6, len(s.symbol), s.symbol)


def _display_name(primary: Security, members: list[Security]) -> str:
    """A name as people write it: FinanceDatabase's mixed case where there is one, else the SEC's."""
    mixed = [s.name for s in members if s.name != s.name.upper()]
    if primary.name != primary.name.upper():
        return primary.name
    return mixed[0] if mixed else primary.name.title()


class LinkedCompanies:
    """The registry plus the securities index, with the registry's interface for the extraction."""

    def __init__(self, registry, index: SecuritiesIndex, lookup=None):
        self.registry = registry
        self.index = index
        self.lookup = lookup            # tracker.companies.lookup.OnlineLookup or None
        self.companies_used: dict[str, Company] = {}
        self.unresolved: dict[int, dict[str, int]] = {}   # id(text) -> name -> mentions

    def match(self, text: str) -> list[Mention]:
        mentions = self.registry.match(text)
        taken = [(m.start, m.end) for m in mentions]
        extra = []
        for link in self.index.scan(text, accepted_only=True, taken=taken):
            if _overlaps(link.start, link.end, taken):
                continue
            if link.company in self.registry:
                rejects = self.registry.get(link.company).reject
                if rejects and _inside_any(text, link.start, link.end, rejects):
                    continue
            extra.append(Mention(link.company, link.start, link.end, link.surface, link.key))
            taken.append((link.start, link.end))
        for start, end, name in organisation_names(text):
            if _overlaps(start, end, taken):
                continue
            found = self.lookup.resolve(name) if self.lookup is not None else None
            if found is None:
                names = self.unresolved.setdefault(id(text), {})
                names[name] = names.get(name, 0) + 1
                continue
            company = self._online_company(found)
            extra.append(Mention(company.id, start, end, text[start:end], name))
            taken.append((start, end))
        if not extra:
            return mentions
        return sorted(mentions + extra, key=lambda m: m.start)

    def _online_company(self, found) -> Company:
        known = self.registry.listing(found.symbol)
        if known is not None:
            return self.registry.get(known.company)
        for group in self.index.groups.values():
            if found.symbol in group.symbols:
                return self.get(group.id)
        cid = "yf:" + found.symbol
        if cid not in self.companies_used:
            listing = Listing(found.symbol, CALENDAR_BY_MIC.get(found.exchange, found.exchange), found.currency or "USD", None,
                              BENCHMARK_BY_MIC.get(found.exchange, "SPY"), True, "ordinary", company=cid)
            self.companies_used[cid] = Company(cid, found.name or found.symbol, (), (listing,), None, None)
        return self.companies_used[cid]

    def get(self, company_id: str) -> Company:
        if company_id in self.registry:
            return self.registry.get(company_id)
        known = self.companies_used.get(company_id)
        if known is not None:
            return known
        group = self.index.groups.get(company_id)
        if group is None:
            return self.registry.get(company_id)   # raises the registry's error
        company = Company(group.id, group.name, (), group.listings, None, None)
        self.companies_used[company_id] = company
        return company

    def listings_for(self, company_id: str):
        if company_id in self.registry:
            return self.registry.listings_for(company_id)
        return self.get(company_id).listings

    def __iter__(self):
        return iter(self.registry)

    def __contains__(self, company_id: object) -> bool:
        return company_id in self.registry or company_id in self.index.groups or company_id in self.companies_used


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < b and a < end for a, b in spans)


# Organisation-like names that matched nothing: a capitalised name closed by a legal form or
# "-Aktie", or one "shares of" / "Aktie von" points at. They are looked up online, and listed when
# they stay unresolved. Each is found from its anchor (the legal form, the cue), then the name is
# read backwards or forwards from there: far cheaper than trying a name at every capital letter.
_WORD = r"[A-Z][\w&’'\-]*(?:\.[\w&]+)*"   # dots only inside a word (J.P), never ending one
_NAME = _WORD + r"(?:[ \t]+(?:" + _WORD + r"|&|of|de|and))*"
_NAME_BEFORE = re.compile(r"(?<![\w-])(" + _WORD + r"(?:[ \t]+(?:(?:&|of|de|and)[ \t]+)?" + _WORD + r"){0,3}),?[ \t]*$")
# "-Aktien" after one word is mostly a category ("Tech-Aktien"), and "Aktien des ..." is followed
# by a description ("des E-Commerce-Marktführers") more often than by a name: neither is used.
_ANCHORS_AFTER = re.compile(
    r"(?:,?[ \t]+(?:Inc|Corp|Corporation|Ltd|Limited|plc|PLC|AG|SE|N\.V|KGaA|Co\.,? Ltd)\b|[-‐‑]Aktie\b)")
_NAME_AFTER_CUE = re.compile(r"(?:\bshares of|\bAktien? von|\bPapiere von)[ \t]+(" + _NAME + r")")
# Every match of the pattern above it contains one of these: most texts contain none, and a
# substring test is far cheaper than a regex scan trying every position.
_ANCHOR_PIECES = ("Inc", "Corp", "Ltd", "Limited", "plc", "PLC", "AG", "SE", "N.V", "KGaA", "Aktie")
_CUE_PIECES = ("shares of", "Aktie von", "Aktien von", "Papiere von")
_NOT_A_NAME = re.compile(r"^(?:Die|Der|Das|Den|Dem|Des|The|A|An|Eine?|Einer|Diese[rsmn]?|Jede[rsmn]?|Alle|Auch|Und|And)(?:[ \t]|$)")


def _common_noun(name: str) -> bool:
    """A one-word name whose (last) part is an ordinary word: "Tech", "Unternehmens",
    "E-Commerce-Marktführers" describe a company, they do not name one."""
    if " " in name:
        return False
    last = re.split(r"[-‐‑]", name.lower())[-1]
    return any(is_ordinary(w) for w in (last, last[:-1] if last.endswith("s") else last,
                                           last[:-2] if last.endswith("es") else last))


def organisation_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of organisation-like names in text, in order."""
    found: list[tuple[int, str]] = []
    anchors = _ANCHORS_AFTER.finditer(text) if any(p in text for p in _ANCHOR_PIECES) else ()
    for anchor in anchors:
        a = anchor.start()
        window_start = max(0, a - 90)
        m = _NAME_BEFORE.search(text, window_start, a)
        if m:
            found.append((m.start(1), m.group(1)))
    cued = _NAME_AFTER_CUE.finditer(text) if any(p in text for p in _CUE_PIECES) else ()
    for m in cued:
        found.append((m.start(1), m.group(1)))
    out: dict[int, tuple[int, int, str]] = {}
    for start, name in found:
        lead = _NOT_A_NAME.match(name)
        if lead:
            start += lead.end()
            name = name[lead.end():]
        stripped = name.lstrip(" \t")
        start += len(name) - len(stripped)
        name = stripped.rstrip(" .,'’-")
        if len(name) < 2 or not name[0].isupper() or _common_noun(name):
            continue
        out.setdefault(start, (start, start + len(name), name))
    return [out[k] for k in sorted(out)]


# -- the seam with the pipeline -------------------------------------------------------------------
_INDEX_CACHE: dict[tuple, SecuritiesIndex] = {}


def securities_index(con, registry) -> SecuritiesIndex | None:
    """The index of the stored securities (None when the table is empty), built once per process
    for the same load and registry."""
    stamp = con.execute("SELECT count(*), max(loaded_at) FROM securities").fetchone()
    if not stamp[0]:
        return None
    key = (stamp, tuple(sorted((l.symbol, l.company) for c in registry for l in c.listings)),
           tuple(sorted((c.id, c.name, c.exact_aliases) for c in registry)))
    index = _INDEX_CACHE.get(key)
    if index is None:
        from tracker.companies.securities import read_securities

        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[key] = SecuritiesIndex(read_securities(con), registry)
    return index


def linked_companies(con, registry, lookup=None):
    """What the extraction matches companies with: the registry alone while the securities table is
    empty (behaviour exactly as without this module), else registry plus securities (plus ``lookup``)."""
    index = securities_index(con, registry)
    if index is None:
        return registry
    return LinkedCompanies(registry, index, lookup)


def store_linked(con, companies, events: list, articles: list) -> None:
    """After ``store_registry``: the companies and listings of securities-only companies that events
    are about (so prices and the study find their tickers), and the articles' unresolved names."""
    if not isinstance(companies, LinkedCompanies):
        return
    used = sorted({e.company for e in events} - set(companies.registry.companies))
    con.execute("BEGIN TRANSACTION")
    try:
        for cid in used:
            company = companies.get(cid)
            con.execute("INSERT OR REPLACE INTO companies (id, name, listed, aliases, parent, fiscal_year_end_month) "
                        "VALUES (?, ?, ?, [], NULL, NULL)", [cid, company.name, bool(company.listings)])
            for l in company.listings:
                con.execute("INSERT OR REPLACE INTO listings (symbol, company, exchange, currency, listed_since, benchmark, "
                            "is_primary, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [l.symbol, cid, l.exchange, l.currency, l.listed_since, l.benchmark, l.is_primary, l.kind])
        files = [a.file for a in articles]
        con.execute("DELETE FROM unresolved_names WHERE list_contains(?, article)", [files])
        for a in articles:
            for name, n in sorted(companies.unresolved.get(id(a.text), {}).items()):
                con.execute("INSERT INTO unresolved_names VALUES (?, ?, ?)", [a.file, name, n])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def unresolved_names(con):
    """Organisation-like names no company was found for: one row per name with the articles that
    write it, most frequent first (for `tracker events` and the report's data section); empty when
    the database has no such table (one made by an older tracker)."""
    import pandas as pd

    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'unresolved_names'").fetchone()[0]:
        return pd.DataFrame(columns=["name", "mentions", "articles"])
    return con.execute(
        "SELECT name, sum(mentions)::INTEGER AS mentions, list(DISTINCT article ORDER BY article) AS articles "
        "FROM unresolved_names GROUP BY name ORDER BY mentions DESC, name").df()
