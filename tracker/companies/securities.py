"""The securities reference (DESIGN.md §3b): reading the SEC and FinanceDatabase lists, grouping
the lines of one company, and storing them in the ``securities`` table.

Grouping (union of lines that are the same company):
- the same SEC CIK (share classes, the company's OTC lines);
- the same ISIN;
- the same website domain, when the names agree in their short form (listed subsidiaries often
  share the parent's site: POSCO Holdings and POSCO International stay apart);
- the same normalised name, only when it is long enough to be distinctive (two words, or one of at
  least eight letters), or, for a short one, when the SEC ticker is the FinanceDatabase symbol's
  root (ASML and ASML.AS).
OTC lines (the SEC's ``OTC`` board, e.g. TCEHY) and foreign shares quoted on Xetra or London's
international order book, and foreign lines of a company listed at home, are kept for grouping and
naming but are not listings a study uses.
Delisted FinanceDatabase lines are left out.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tracker.companies.exchanges import EXCHANGES
from tracker.companies.names import name_variants, normalise_name, website_domain
from tracker.errors import TrackerError

SEC_FILE = "sec_company_tickers_exchange.json"
FD_DIR = "financedatabase"
SEC_LICENCE = "public domain (US government work)"
FD_LICENCE = "MIT, Copyright (c) 2023 Jeroen Bouma"
FD_NOTICE_SHORT = ("Listings outside the US: data derived from FinanceDatabase, MIT License, Copyright (c) 2023 "
                   "Jeroen Bouma (full notice: `tracker companies status`)")


def fd_notice() -> str:
    """The MIT copyright and permission notice that data derived from FinanceDatabase carries."""
    from tracker.resources import data_dir

    return (data_dir() / "FinanceDatabase-LICENSE.txt").read_text(encoding="utf-8").strip()


_CAP_SCORE = {"Mega Cap": 5, "Large Cap": 4, "Mid Cap": 3, "Small Cap": 2, "Micro Cap": 1, "Nano Cap": 0}


@dataclass
class Security:
    symbol: str
    name: str
    exchange: str | None
    exchange_code: str
    currency: str | None
    source: str
    kind: str = "listing"
    country: str | None = None
    isin: str | None = None
    website: str | None = None
    market_cap: str | None = None
    sec_rank: int | None = None
    cik: int | None = None
    norm_name: str = ""
    group_id: str = ""
    is_primary: bool = False

    def __post_init__(self):
        if not self.norm_name:
            self.norm_name = normalise_name(self.name)


@dataclass
class Loaded:
    source: str
    location: str
    rows: int
    securities: list[Security] = field(default_factory=list)


def prominence(market_cap: str | None, sec_rank: int | None) -> int:
    """0..5 from the market-cap class or the SEC rank (rows are ordered by market value)."""
    score = _CAP_SCORE.get(market_cap or "", -1)
    if sec_rank:
        rank_score = 5 if sec_rank <= 100 else 4 if sec_rank <= 700 else 3 if sec_rank <= 2000 else 2 if sec_rank <= 4000 else 1
        score = max(score, rank_score)
    return max(score, 0)


# -- loaders --------------------------------------------------------------------------------------
def parse_sec(data: object, location: str) -> Loaded:
    """The SEC's ``company_tickers_exchange.json`` (``{"fields": [...], "data": [[cik, name, ticker,
    exchange], ...]}``) as securities; the row number is the rank."""
    try:
        fields = list(data["fields"])
        rows = data["data"]
        at = {name: fields.index(name) for name in ("cik", "name", "ticker", "exchange")}
    except (TypeError, KeyError, ValueError):
        raise TrackerError(f"{location} is not the SEC's company_tickers_exchange.json (needs fields cik, name, "
                           "ticker, exchange and data rows); download it again") from None
    out: list[Security] = []
    seen: set[str] = set()
    for rank, row in enumerate(rows, start=1):
        try:
            cik, name, ticker, board = (row[at[k]] for k in ("cik", "name", "ticker", "exchange"))
        except (IndexError, TypeError):
            continue
        if not ticker or not name or ticker in seen:
            continue
        seen.add(ticker)
        exchange = EXCHANGES.get(board or "")
        out.append(Security(
            symbol=str(ticker).upper(), name=str(name).strip(), exchange=exchange.mic if exchange else None,
            exchange_code=board or "", currency="USD", source="sec", kind="listing" if exchange else "otc",
            sec_rank=rank, cik=int(cik) if cik else None,
        ))
    return Loaded("sec", location, len(rows), out)


def load_sec(path: Path) -> Loaded:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrackerError(f"{path} not found; pass the folder holding {SEC_FILE} with --companies-dir") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TrackerError(f"cannot read {path} ({exc}); download it again") from None
    return parse_sec(data, str(path))


def parse_financedatabase(rows: list[dict], code: str, location: str) -> Loaded:
    """One FinanceDatabase equity file (its rows as dicts). Symbols that do not carry the exchange's
    Yahoo suffix are left out (they would be fetched from the wrong market), as are delisted lines."""
    exchange = EXCHANGES.get(code)
    if exchange is None:
        raise TrackerError(f"{location}: unknown FinanceDatabase exchange {code!r}; known: {', '.join(sorted(EXCHANGES))}")
    missing = {"symbol", "name", "currency", "country", "website", "market_cap", "isin", "delisted"} - set(rows[0] if rows else ())
    if rows and missing:
        raise TrackerError(f"{location} lacks the columns {', '.join(sorted(missing))}; is it a FinanceDatabase equities file?")
    out = []
    for row in rows:
        symbol = (row.get("symbol") or "").strip()
        name = (row.get("name") or "").strip()
        if not symbol or not name or (row.get("delisted") or "").strip().lower() == "true":
            continue
        if exchange.suffix and not symbol.endswith(exchange.suffix):
            continue
        if not exchange.suffix and "." in symbol or "^" in symbol:
            continue   # preferred shares and notes (BC^A) are not the company's equity
        country = (row.get("country") or "").strip() or None
        secondary = exchange.quote_board and (country not in exchange.home or symbol[:1].isdigit() and code == "LSE")
        out.append(Security(
            symbol=symbol, name=name, exchange=exchange.mic, exchange_code=code,
            currency=(row.get("currency") or "").strip() or exchange.currency, source="financedatabase",
            kind="secondary" if secondary else "listing", country=country,
            isin=(row.get("isin") or "").strip() or None, website=(row.get("website") or "").strip() or None,
            market_cap=(row.get("market_cap") or "").strip() or None,
        ))
    return Loaded("financedatabase", location, len(rows), out)


def load_financedatabase(folder: Path) -> Loaded:
    files = sorted(Path(folder).glob("*.csv"))
    if not files:
        raise TrackerError(f"no FinanceDatabase equity files (*.csv) in {folder}; pass the folder with --companies-dir")
    total, out = 0, []
    for path in files:
        code = path.stem.upper()
        if code not in EXCHANGES:
            continue
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise TrackerError(f"cannot read {path} ({exc}); download it again") from None
        loaded = parse_financedatabase(rows, code, str(path))
        total += loaded.rows
        out.extend(loaded.securities)
    return Loaded("financedatabase", str(folder), total, out)


# -- grouping -------------------------------------------------------------------------------------
class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_sources(sec: list[Security], fd: list[Security]) -> list[Security]:
    """One row per symbol: a US line in both lists keeps the SEC's name and rank and gains
    FinanceDatabase's ISIN, website, country and market-cap class."""
    by_symbol = {s.symbol: s for s in sec}
    out = list(sec)
    for s in fd:
        known = by_symbol.get(s.symbol)
        if known is None:
            by_symbol[s.symbol] = s
            out.append(s)
        elif not EXCHANGES[s.exchange_code].suffix:   # a US board line the SEC file lists too
            known.isin, known.website = known.isin or s.isin, known.website or s.website
            known.country, known.market_cap = known.country or s.country, known.market_cap or s.market_cap
            known.source = "sec+financedatabase"
    return out


def _distinctive(norm: str) -> bool:
    return len(norm.split()) >= 2 or len(norm) >= 8


def group_securities(rows: list[Security]) -> list[Security]:
    """Set ``group_id`` and ``is_primary`` on every row (in place) and return the rows."""
    uf = _Union(len(rows))
    first: dict[tuple[str, object], int] = {}

    def link(kind: str, value: object, i: int) -> None:
        j = first.setdefault((kind, value), i)
        if j != i:
            uf.union(i, j)

    for i, s in enumerate(rows):
        if s.cik:
            link("cik", s.cik, i)
        if s.isin:
            link("isin", s.isin, i)
        domain = website_domain(s.website)
        if domain:
            link("web", (domain, name_variants(s.norm_name)[-1] if s.norm_name else ""), i)
        if _distinctive(s.norm_name):
            link("name", s.norm_name, i)
    # A short name links an SEC line to a foreign line only through the same ticker root (ASML, ASML.AS).
    sec_by_key = {(s.norm_name, s.symbol): i for i, s in enumerate(rows) if s.source.startswith("sec")}
    for i, s in enumerate(rows):
        if not s.source.startswith("sec") and "." in s.symbol and not _distinctive(s.norm_name):
            j = sec_by_key.get((s.norm_name, s.symbol.rsplit(".", 1)[0]))
            if j is not None:
                uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(uf.find(i), []).append(i)
    # A foreign line on a quote board (Xetra, London, Milan) is a secondary quote when its company
    # trades elsewhere: in its group, or under the same short name among the SEC's US listings
    # (Snap Inc. on Xetra). Otherwise the board's country data is more likely wrong than the line
    # (Rheinmetall on Xetra is filed as a US company) and it stays a listing.
    us_names = {name_variants(s.norm_name)[-1] for s in rows if s.source.startswith("sec") and s.kind == "listing"}
    for members in groups.values():
        elsewhere = any(rows[i].kind == "listing" for i in members)
        for i in members:
            s = rows[i]
            if s.kind == "secondary" and not elsewhere and name_variants(s.norm_name)[-1] not in us_names:
                s.kind = "listing"
    for members in groups.values():
        if any(rows[i].kind == "listing" and _at_home(rows[i]) for i in members):
            for i in members:   # a foreign line of a company listed at home is a secondary quote
                if rows[i].kind == "listing" and rows[i].source == "financedatabase" and not _at_home(rows[i]):
                    rows[i].kind = "secondary"
        primary = min(members, key=lambda i: _primary_rank(rows[i]))
        gid = "sec:" + rows[primary].symbol
        for i in members:
            rows[i].group_id = gid
            rows[i].is_primary = i == primary
    return rows


def _at_home(s: Security) -> bool:
    exchange = EXCHANGES.get(s.exchange_code)
    return bool(exchange and s.country and s.country in exchange.home)


def _primary_rank(s: Security) -> tuple:
    """Sort key: exchange listings first, the company's home exchange first among them, then prominence."""
    return (s.kind != "listing", not _at_home(s), -prominence(s.market_cap, s.sec_rank), s.sec_rank or 10**6, s.symbol)


# -- storage --------------------------------------------------------------------------------------
def store_securities(con, loads: list[Loaded]) -> dict[str, int]:
    """Replace the securities table with the given loads (grouped together), record each load;
    one transaction, so a failure keeps what was stored before. Returns rows kept per source."""
    import pyarrow as pa

    sec = [s for l in loads if l.source == "sec" for s in l.securities]
    fd = [s for l in loads if l.source == "financedatabase" for s in l.securities]
    keep_sources = {l.source for l in loads}
    if keep_sources != {"sec", "financedatabase"}:
        # Loading one source regroups it with the other one already stored.
        stored = read_securities(con)
        sec += [s for s in stored if s.source.startswith("sec") and "sec" not in keep_sources]
        fd += [s for s in stored if s.source == "financedatabase" and "financedatabase" not in keep_sources]
    rows = group_securities(merge_sources(sec, fd))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    cols = ("symbol", "name", "norm_name", "exchange", "exchange_code", "currency", "country", "isin", "website",
            "market_cap", "sec_rank", "cik", "kind", "group_id", "is_primary", "source")
    table = pa.table({c: [getattr(s, c) for s in rows] for c in cols})
    kept = {l.source: sum(1 for s in l.securities) for l in loads}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM securities")
        con.register("_securities_rows", table)
        con.execute(f"INSERT INTO securities ({', '.join(cols)}, loaded_at) SELECT {', '.join(cols)}, ? FROM _securities_rows", [now])
        for l in loads:
            con.execute("DELETE FROM securities_loads WHERE source = ?", [l.source])
            con.execute("INSERT INTO securities_loads VALUES (?, ?, ?, ?, ?, ?)",
                        [l.source, l.location, l.rows, kept[l.source], SEC_LICENCE if l.source == "sec" else FD_LICENCE, now])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_securities_rows")
    return kept


def read_securities(con) -> list[Security]:
    cols = ("symbol", "name", "norm_name", "exchange", "exchange_code", "currency", "country", "isin", "website",
            "market_cap", "sec_rank", "cik", "kind", "group_id", "is_primary", "source")
    return [Security(**dict(zip(cols, row))) for row in con.execute(f"SELECT {', '.join(cols)} FROM securities").fetchall()]


def securities_count(con) -> int:
    return con.execute("SELECT count(*) FROM securities").fetchone()[0]


def load_status(con) -> list[dict]:
    """Per source: where it came from, rows read and kept, licence, when; plus the groups stored."""
    rows = con.execute("SELECT source, location, rows, kept, licence, loaded_at FROM securities_loads ORDER BY source").fetchall()
    out = [dict(zip(("source", "location", "rows", "kept", "licence", "loaded_at"), r)) for r in rows]
    counts = dict(con.execute("SELECT kind, count(*) FROM securities GROUP BY kind").fetchall())
    groups = con.execute("SELECT count(DISTINCT group_id) FROM securities WHERE kind = 'listing'").fetchone()[0]
    for row in out:
        row["listings"] = counts.get("listing", 0)
        row["companies"] = groups
    return out
