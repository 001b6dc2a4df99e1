"""Network adapters of `tracker companies`, driven by recorded responses of the real shape: Yahoo's
search (online look-up of unmatched names), the SEC's ticker file, FinanceDatabase's equity files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.companies import download
from tracker.companies.lookup import OnlineLookup, best_quote
from tracker.errors import TrackerError

from test_companies_securities import FD, FD_COLUMNS, SEC, SHARED_COMPANIES, write_lists

FIXTURES = Path(__file__).parent / "fixtures" / "companies"
HIT = json.loads((FIXTURES / "yahoo_search_hit.json").read_text(encoding="utf-8"))
MISS = json.loads((FIXTURES / "yahoo_search_miss.json").read_text(encoding="utf-8"))


class Recorded:
    """A search that answers from recorded responses and counts the calls."""

    def __init__(self, responses: dict):
        self.responses = responses
        self.calls: list[str] = []

    def __call__(self, name: str) -> dict:
        self.calls.append(name)
        return self.responses[name]


def test_best_quote_takes_the_equity_on_a_known_exchange_named_like_the_query():
    found = best_quote("Tessaract Dynamics", HIT)
    assert (found.symbol, found.exchange, found.currency, found.name) == \
        ("2599.HK", "XHKG", "HKD", "Tessaract Dynamics Limited")
    assert best_quote("Northwind Traders", MISS) is None          # an ETF is not the company
    assert best_quote("Someone Else", HIT) is None                 # names must agree


def test_hits_and_misses_are_cached_with_their_date(con):
    search = Recorded({"Tessaract Dynamics": HIT, "Northwind Traders": MISS})
    lookup = OnlineLookup(con, search)
    assert lookup.resolve("Tessaract Dynamics").symbol == "2599.HK"
    assert lookup.resolve("Northwind Traders") is None
    assert lookup.resolve("Tessaract Dynamics").symbol == "2599.HK"
    assert search.calls == ["Tessaract Dynamics", "Northwind Traders"]
    rows = con.execute("SELECT name_key, found, symbol, looked_up_at IS NOT NULL FROM security_lookups ORDER BY 1").fetchall()
    assert rows == [("northwind traders", False, None, True), ("tessaract dynamics", True, "2599.HK", True)]
    # A later run answers from the database without asking.
    again = OnlineLookup(con, Recorded({}))
    assert again.resolve("Tessaract Dynamics").symbol == "2599.HK" and again.resolve("Northwind Traders") is None


def test_offline_is_skipped_once_with_one_reason_and_nothing_cached(con):
    calls = []

    def unreachable(name):
        calls.append(name)
        raise ConnectionError("no route to host")

    lookup = OnlineLookup(con, unreachable)
    assert lookup.resolve("Tessaract Dynamics") is None
    assert lookup.resolve("Acme Robotics") is None
    assert calls == ["Tessaract Dynamics"]                                   # switched off after the first failure
    assert "unreachable" in lookup.offline_reason
    assert con.execute("SELECT count(*) FROM security_lookups").fetchone()[0] == 0


def test_extraction_resolves_an_unmatched_name_online_and_warns_once_offline(con, tmp_path, monkeypatch):
    from tracker import pipeline
    from tracker.companies import lookup as lookup_module
    from tracker.companies.securities import load_financedatabase, load_sec, store_securities

    lists = write_lists(tmp_path / "lists")
    store_securities(con, [load_sec(lists / "sec_company_tickers_exchange.json"),
                           load_financedatabase(lists / "financedatabase")])
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Die Tessaract Dynamics-Aktie stieg, nachdem Tessaract Dynamics am Dienstag einen Börsengang "
                                  "angekündigt hatte.\n", encoding="utf-8")
    (folder / "manifest.toml").write_text('[[article]]\nfile = "a.txt"\npublished = 2025-10-29\n', encoding="utf-8")

    def offline(name):
        raise ConnectionError("unreachable")

    monkeypatch.setattr(lookup_module, "yahoo_search", offline)
    result = pipeline.extract(con, [folder], online_lookup=True)
    assert len(result.notes) == 1 and "skipped" in result.notes[0]
    assert "Tessaract Dynamics" in list(result.unresolved["name"])

    monkeypatch.setattr(lookup_module, "yahoo_search", Recorded({"Tessaract Dynamics": HIT}))
    result = pipeline.extract(con, [folder], online_lookup=True)
    assert result.notes == []
    assert any(e.company == "yf:2599.HK" and e.tickers == ["2599.HK"] for e in result.events)
    assert con.execute("SELECT exchange, benchmark FROM listings WHERE symbol = '2599.HK'").fetchall() == [("XHKG", "^HSI")]


# -- downloads -----------------------------------------------------------------------------------
def test_sec_download_sends_a_user_agent_naming_the_requester():
    seen = {}

    def get(url, headers):
        seen.update(url=url, headers=headers)
        return json.dumps(SEC).encode()

    loaded = download.download_sec("Jane Doe jane@example.org", get)
    assert seen["url"] == download.SEC_URL
    assert seen["headers"]["User-Agent"] == "Jane Doe jane@example.org"
    assert loaded.rows == len(SEC["data"]) and loaded.location == download.SEC_URL


def test_sec_download_of_the_real_file_shape():
    path = SHARED_COMPANIES / "sec_company_tickers_exchange.json"
    if not path.exists():
        pytest.skip("../shared/companies is not beside the repository")
    loaded = download.download_sec("Jane Doe jane@example.org", lambda url, headers: path.read_bytes())
    assert loaded.rows == 10069 and loaded.securities[0].symbol == "NVDA" and loaded.securities[0].sec_rank == 1


def test_sec_refusal_page_is_a_clear_error():
    with pytest.raises(TrackerError, match="User-Agent"):
        download.download_sec("Jane Doe jane@example.org", lambda url, headers: b"<html>Request Rate Threshold</html>")


def test_financedatabase_download_reads_each_exchange_file(tmp_path):
    folder = write_lists(tmp_path / "lists") / "financedatabase"
    asked = []

    def get(url, headers):
        asked.append(url)
        return (folder / (url.rsplit("/", 1)[1])).read_bytes()

    loaded = download.download_financedatabase(get, codes=tuple(FD))
    assert asked == [download.FD_URL.format(code=c) for c in FD]
    assert loaded.rows == sum(len(rows) for rows in FD.values())
    assert {s.symbol for s in loaded.securities} >= {"NWS.AS", "9999.HK", "1234.T"}
    assert FD_COLUMNS[0] == "symbol"


def test_unreachable_source_says_to_use_a_folder():
    def get(url, headers):
        raise OSError("Network is unreachable")

    with pytest.raises(TrackerError, match="--companies-dir"):
        download.download_financedatabase(get, codes=("HKG",))


def test_user_agent_must_name_someone(monkeypatch):
    monkeypatch.delenv(download.USER_AGENT_ENV, raising=False)
    with pytest.raises(TrackerError, match="User-Agent"):
        download.sec_user_agent(None)
    monkeypatch.setenv(download.USER_AGENT_ENV, "Jane Doe jane@example.org")
    assert download.sec_user_agent(None) == "Jane Doe jane@example.org"


def test_find_goes_online_only_when_nothing_else_matches(con, tmp_path):
    from tracker.companies.find import find_company
    from tracker.companies.linking import securities_index
    from tracker.companies.registry import load_registry
    from tracker.companies.securities import load_financedatabase, load_sec, store_securities

    lists = write_lists(tmp_path / "lists")
    store_securities(con, [load_sec(lists / "sec_company_tickers_exchange.json"),
                           load_financedatabase(lists / "financedatabase")])
    registry = load_registry()
    index = securities_index(con, registry)
    search = Recorded({"Tessaract Dynamics": HIT})
    online = find_company(registry, index, "Tessaract Dynamics", OnlineLookup(con, search))
    assert (online.resolved_by, online.company, online.listings[0]["exchange"]) == ("online", "yf:2599.HK", "XHKG")
    local = find_company(registry, index, "Northwind Semiconductor Holding", OnlineLookup(con, search))
    assert local.resolved_by == "securities" and search.calls == ["Tessaract Dynamics"]

    def unreachable(name):
        raise ConnectionError("unreachable")

    offline = find_company(registry, index, "Acme Robotics", OnlineLookup(con, unreachable))
    assert offline.resolved_by == "unresolved" and "unreachable" in offline.reason
