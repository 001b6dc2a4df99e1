"""Linking names in text to the securities table: evidence rules, registry guards, the seam with the
extraction (events, listings, unresolved names) and `tracker companies` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import pipeline
from tracker.cli import app
from tracker.companies.linking import LinkedCompanies, SecuritiesIndex, linked_companies, organisation_names
from tracker.companies.registry import load_registry
from tracker.companies.securities import group_securities, merge_sources, parse_financedatabase, parse_sec, store_securities

from test_companies_securities import SHARED_COMPANIES, fd_row, write_lists

SEC = {"fields": ["cik", "name", "ticker", "exchange"], "data": (
    [[9000 + i, f"Filler Company {i} Inc", f"FIL{i}", "NYSE"] for i in range(150)] + [
        [2001, "Block, Inc.", "XYZ", "NYSE"],
        [2002, "TARGET CORP", "TGT", "NYSE"],
        [2003, "Sea Ltd", "SE", "NYSE"],
        [2004, "NIO Inc.", "NIO", "NYSE"],
        [2005, "ARM HOLDINGS PLC /UK", "ARM", "Nasdaq"],
        [2006, "Intel Corp", "INTC", "Nasdaq"],
        [2007, "Nasdaq, Inc.", "NDAQ", "Nasdaq"],
    ])}
FD_GER = [
    fd_row(symbol="ZFX.DE", name="Zentrofax AG", currency="EUR", country="Germany", market_cap="Large Cap",
           isin="DE000ZFX0001", website="https://zentrofax.example"),
    fd_row(symbol="QZW.DE", name="Quarzwerk Holding AG", currency="EUR", country="Germany", market_cap="Small Cap"),
]
FD_SHH = [fd_row(symbol="600999.SS", name="Kweilin Brewery Co., Ltd.", currency="CNY", country="China",
                 market_cap="Mega Cap")]


def _securities():
    sec = parse_sec(SEC, "sec.json")
    fd = parse_financedatabase(FD_GER, "GER", "GER.csv")
    fd.securities += parse_financedatabase(FD_SHH, "SHH", "SHH.csv").securities
    return sec, fd


@pytest.fixture(scope="module")
def index():
    sec, fd = _securities()
    return SecuritiesIndex(group_securities(merge_sources(sec.securities, fd.securities)), load_registry())


def accepted(index, text):
    return [(l.company, l.surface) for l in index.scan(text) if l.accepted]


@pytest.mark.parametrize("text, expected", [
    # distinctive and prominent: the capitalised name is enough
    ("Kweilin Brewery steigerte den Absatz.", [("sec:600999.SS", "Kweilin Brewery")]),
    ("Zentrofax meldete am Montag Zahlen.", [("sec:ZFX.DE", "Zentrofax")]),
    ("Zentrofax' Umsatz und Zentrofaxs Gewinn", [("sec:ZFX.DE", "Zentrofax"), ("sec:ZFX.DE", "Zentrofaxs")]),
    # ordinary words need a cue
    ("Block said it would hire.", []),
    ("Ein Block von Aktien wurde verkauft.", []),
    ("Block shares fell 5%.", [("sec:XYZ", "Block")]),
    ("Die Block-Aktie fiel.", [("sec:XYZ", "Block")]),
    ("Block, Inc. reported results.", [("sec:XYZ", "Block")]),
    ("Block (NYSE: XYZ) reported results.", [("sec:XYZ", "Block")]),
    ("Die Aktie von Block stieg.", [("sec:XYZ", "Block")]),
    ("Target hit its target.", []),
    ("shares of Target rose", [("sec:TGT", "Target")]),
    ("Sea Limited raised its outlook.", [("sec:SE", "Sea")]),
    ("the sea was calm", []),
    # a market's name names the place unless a cue says otherwise
    ("Die Aktie wird an der Nasdaq gehandelt.", []),
    ("Nasdaq, Inc. meldete Zahlen.", [("sec:NDAQ", "Nasdaq")]),
    # a smaller company needs a cue even with a distinctive name
    ("Quarzwerk plant ein Werk.", []),
    ("Die Quarzwerk-Aktie stieg.", [("sec:QZW.DE", "Quarzwerk")]),
    ("Quarzwerk Holding AG plant ein Werk.", [("sec:QZW.DE", "Quarzwerk Holding")]),
    # lower case, compound tails and category plurals are not names
    ("die zentrofax-technik", []),
    ("das neue Modell Qwen3-Zentrofax", []),
])
def test_evidence_rules(index, text, expected):
    assert accepted(index, text) == expected


def test_refusal_says_why(index):
    [link] = index.scan("Target")
    assert not link.accepted and "ordinary word" in link.reason
    [link] = index.scan("Quarzwerk")
    assert not link.accepted and "smaller company" in link.reason


@pytest.mark.parametrize("text, expected", [
    ("Die Nio-Aktie legte zu.", [("nio", "Nio")]),
    ("Der Chipdesigner Arm legte zu.", [("arm", "Arm")]),
    ("Arm Holdings reported results.", [("arm", "Arm Holdings")]),
    ("Viele arme Kommunen sparen.", []),
    ("Arme Kommunen sparen.", []),
    ("Ihr Anteil stieg.", []),
    ("Künstliche Intelligenz", []),
    ("Nio baut ein Werk.", []),     # bare "Nio": neither distinctive enough nor prominent
])
def test_registry_guards_relaxed_by_finance_context(index, text, expected):
    registry = load_registry()
    linked = LinkedCompanies(registry, index)
    found = [(m.company, m.surface) for m in linked.match(text) if m.company in ("nio", "arm", "intel")]
    assert found == expected


def test_registry_mentions_win_and_are_unchanged(index):
    registry = load_registry()
    linked = LinkedCompanies(registry, index)
    text = "Alibaba und Zentrofax unterzeichneten einen Vertrag; Nvidia ebenfalls."
    plain = registry.match(text)
    mentions = linked.match(text)
    assert [m for m in mentions if m.company in {p.company for p in plain}] == plain
    assert ("sec:ZFX.DE", "Zentrofax") in [(m.company, m.surface) for m in mentions]


def test_company_of_a_securities_group_has_listings_and_benchmark(index):
    linked = LinkedCompanies(load_registry(), index)
    company = linked.get("sec:ZFX.DE")
    assert company.name == "Zentrofax AG"
    [listing] = company.listings
    assert (listing.symbol, listing.exchange, listing.currency, listing.benchmark, listing.is_primary) == \
        ("ZFX.DE", "XETR", "EUR", "^GDAXI", True)


def test_organisation_names():
    text = ("Die Northwind Traders AG und die Tessaract Dynamics-Aktie; shares of Acme Robotics rose. "
            "Tech-Aktien fielen. Die Aktie des E-Commerce-Marktführers stieg.")
    assert [n for _, _, n in organisation_names(text)] == ["Northwind Traders", "Tessaract Dynamics", "Acme Robotics"]


# -- the seam with the extraction ----------------------------------------------------------------
ARTICLE = ("Zentrofax steigerte im dritten Quartal den Umsatz um zwölf Prozent, teilte der Konzern am "
           "Dienstag in München mit. Die Northwind Traders AG kündigte einen Börsengang an.\n")


def _articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "z.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "manifest.toml").write_text('[[article]]\nfile = "z.txt"\npublished = 2025-10-29\nlanguage = "de"\n',
                                          encoding="utf-8")
    return folder


def test_empty_securities_table_means_the_registry_alone(con):
    registry = load_registry()
    assert linked_companies(con, registry) is registry


def test_securities_only_company_gets_events_listings_and_unresolved_names(con, tmp_path):
    folder = _articles(tmp_path / "articles")
    before = pipeline.extract(con, [folder])
    assert not any(e.company.startswith("sec:") for e in before.events)
    store_securities(con, list(_securities()))
    after = pipeline.extract(con, [folder])
    events = [e for e in after.events if e.company == "sec:ZFX.DE"]
    assert events and all(e.tickers == ["ZFX.DE"] and e.company_name == "Zentrofax AG" for e in events)
    assert con.execute("SELECT exchange, benchmark FROM listings WHERE company = 'sec:ZFX.DE'").fetchall() == \
        [("XETR", "^GDAXI")]
    assert con.execute("SELECT count(*) FROM event_listings WHERE symbol = 'ZFX.DE'").fetchone()[0] == len(events)
    assert list(after.unresolved["name"]) == ["Northwind Traders"]
    # A later run with the registry alone (a fresh registry store) still finds the stored listing rows
    # replaced consistently: re-running is idempotent.
    again = pipeline.extract(con, [folder])
    assert [e.id for e in again.events] == [e.id for e in after.events]


# -- command line ------------------------------------------------------------------------------
runner = CliRunner()


def test_cli_update_status_find(tmp_path):
    db = str(tmp_path / "t.duckdb")
    lists = write_lists(tmp_path / "lists")
    result = runner.invoke(app, ["--db", db, "companies", "update", "--companies-dir", str(lists)])
    assert result.exit_code == 0, result.output
    assert "sec" in result.stdout and "financedatabase" in result.stdout and "MIT" in result.stderr
    status = runner.invoke(app, ["--db", db, "companies", "status", "--format", "json"])
    assert {r["source"] for r in json.loads(status.stdout)} == {"sec", "financedatabase"}
    assert "Copyright (c) 2023 Jeroen Bouma" in status.stderr and "Permission is hereby granted" in status.stderr
    found = runner.invoke(app, ["--db", db, "companies", "find", "Northwind Semiconductor Holding", "--no-online",
                                "--format", "json"])
    data = json.loads(found.stdout)
    assert data["resolved_by"] == "securities" and data["company"] == "sec:NWS.AS"
    assert [l["symbol"] for l in data["listings"]] == ["NWS.AS", "NWS"]
    assert "legal-form" in data["evidence"]
    refused = runner.invoke(app, ["--db", db, "companies", "find", "Pillar", "--no-online"])
    assert refused.exit_code == 1 and "ordinary word" in refused.stdout


def test_cli_update_offline_is_one_error_line(tmp_path, monkeypatch):
    import urllib.error

    from tracker.companies import download

    def unreachable(url, headers):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(download, "http_get", unreachable)
    result = runner.invoke(app, ["--db", str(tmp_path / "t.duckdb"), "companies", "update", "--user-agent", "A B a@b.example"])
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("Error:")]
    assert len(lines) == 1 and "--companies-dir" in lines[0] and "Traceback" not in result.output


def test_cli_update_without_user_agent_says_what_the_sec_needs(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_SEC_USER_AGENT", raising=False)
    result = runner.invoke(app, ["--db", str(tmp_path / "t.duckdb"), "companies", "update"])
    assert result.exit_code == 1 and "User-Agent" in result.stderr


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    if not (SHARED_COMPANIES / "sec_company_tickers_exchange.json").exists():
        pytest.skip("../shared/companies is not beside the repository")
    db = str(tmp_path_factory.mktemp("real") / "t.duckdb")
    result = runner.invoke(app, ["--db", db, "companies", "update", "--companies-dir", str(SHARED_COMPANIES)])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("name, company, symbols", [
    ("Kweichow Moutai", "sec:600519.SS", {"600519.SS"}),
    ("Sony Group", "sec:6758.T", {"6758.T", "SONY"}),
    ("Infineon Technologies AG", "infineon", {"IFX.DE"}),
    ("MediaTek", "mediatek", {"2454.TW"}),
    ("ASML Holding", "asml", {"ASML", "ASML.AS"}),
])
def test_find_resolves_real_names(real_db, name, company, symbols):
    result = runner.invoke(app, ["--db", real_db, "companies", "find", name, "--no-online", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["company"] == company
    assert {l["symbol"] for l in data["listings"]} == symbols


@pytest.mark.parametrize("name", ["Block", "Target"])
def test_find_refuses_ordinary_words_without_a_cue(real_db, name):
    result = runner.invoke(app, ["--db", real_db, "companies", "find", name, "--no-online"])
    assert result.exit_code == 1 and "ordinary word" in result.stdout
    cued = runner.invoke(app, ["--db", real_db, "companies", "find", f"{name} shares", "--no-online", "--format", "json"])
    assert json.loads(cued.stdout)["resolved_by"] == "securities"


def test_cli_events_lists_unresolved_names_on_stderr(tmp_path):
    db = str(tmp_path / "t.duckdb")
    folder = _articles(tmp_path / "articles")
    plain = runner.invoke(app, ["--db", db, "events", "--articles", str(folder), "--no-online"])
    assert plain.exit_code == 0 and "unresolved" not in plain.stderr      # no securities table: as before
    lists = write_lists(tmp_path / "lists")
    assert runner.invoke(app, ["--db", db, "companies", "update", "--companies-dir", str(lists)]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "events", "--articles", str(folder), "--no-online", "--format", "json"])
    assert result.exit_code == 0
    assert "unresolved company names: Northwind Traders (1)" in result.stderr
    assert all(isinstance(e, dict) for e in json.loads(result.stdout))   # stdout stays pure JSON
