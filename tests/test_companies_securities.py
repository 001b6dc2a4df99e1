"""The securities reference: loaders, name normalisation, grouping, storage (synthetic lists of the
real files' shape; one test reads the real lists in ../shared/companies)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tracker.companies.names import name_variants, normalise_name, website_domain
from tracker.companies.securities import (
    Security, group_securities, load_financedatabase, load_sec, load_status, merge_sources, parse_financedatabase,
    parse_sec, read_securities, store_securities,
)
from tracker.errors import TrackerError

SHARED_COMPANIES = Path(__file__).resolve().parent.parent.parent / "shared" / "companies"
FD_COLUMNS = ["symbol", "name", "currency", "sector", "industry_group", "industry", "exchange", "mic", "market",
              "country", "state", "city", "zipcode", "website", "market_cap", "isin", "cusip", "figi",
              "composite_figi", "shareclass_figi", "delisted"]

SEC = {"fields": ["cik", "name", "ticker", "exchange"], "data": [
    [1001, "NORTHWIND SEMICONDUCTOR HOLDING NV", "NWS", "Nasdaq"],
    [1002, "Blue Lantern Group Holding Ltd", "BLU", "NYSE"],
    [1003, "Pillar, Inc.", "PLR", "NYSE"],
    [1004, "Tallow Holdings Ltd", "TLWHY", "OTC"],
    [1002, "Blue Lantern Group Holding Ltd", "BLUAF", "OTC"],
    [1005, "Kite Inc", "KITE", "NYSE"],
    [1006, "Nameless Trust", "NLT", None],
]}


def fd_row(**values) -> dict:
    row = {c: "" for c in FD_COLUMNS}
    row["delisted"] = "False"
    row.update(values)
    return row


FD = {
    "AMS": [fd_row(symbol="NWS.AS", name="Northwind Semiconductor Holding N.V.", currency="EUR", country="Netherlands",
                   website="http://www.northwind-semi.example", market_cap="Mega Cap", isin="NL0000000001")],
    "GER": [fd_row(symbol="NWS1.DE", name="Northwind Semiconductor Holding N.V.", currency="EUR", country="Netherlands",
                   market_cap="Mega Cap", isin="NL0000000001"),
            fd_row(symbol="KIT.DE", name="Kite Inc.", currency="EUR", country="United States", market_cap="Large Cap"),
            fd_row(symbol="OLD.DE", name="Gone AG", currency="EUR", country="Germany", delisted="True")],
    "HKG": [fd_row(symbol="9999.HK", name="Blue Lantern Group Holding Limited", currency="HKD", country="China",
                   website="https://www.bluelantern.example/en", market_cap="Mega Cap", isin="KYG000000001"),
            fd_row(symbol="0123.HK", name="Tallow Holdings Limited", currency="HKD", country="China",
                   market_cap="Large Cap"),
            fd_row(symbol="ABC", name="Wrong Suffix Ltd", currency="HKD", country="Hong Kong")],
    "JPX": [fd_row(symbol="1234.T", name="Pillar Corporation", currency="JPY", country="Japan", market_cap="Small Cap")],
}


def write_lists(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sec_company_tickers_exchange.json").write_text(json.dumps(SEC), encoding="utf-8")
    fd = folder / "financedatabase"
    fd.mkdir(exist_ok=True)
    for code, rows in FD.items():
        with open(fd / f"{code}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, FD_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.mark.parametrize("name, norm, variants", [
    ("ASML HOLDING NV", "asml holding", ["asml holding", "asml"]),
    ("ASML Holding N.V.", "asml holding", ["asml holding", "asml"]),
    ("Tencent Holdings Ltd", "tencent holding", ["tencent holding", "tencent"]),
    ("Kweichow Moutai Co., Ltd.", "kweichow moutai", ["kweichow moutai"]),
    ("Sony Group Corporation", "sony group", ["sony group", "sony"]),
    ("ARM HOLDINGS PLC /UK", "arm holding", ["arm holding", "arm"]),
    ("Block, Inc.", "block", ["block"]),
    ("Infineon Technologies AG", "infineon technologies", ["infineon technologies", "infineon"]),
    ("Bayerische Motoren Werke Aktiengesellschaft", "bayerische motoren werke", ["bayerische motoren werke"]),
    ("The Walt Disney Company", "walt disney", ["walt disney"]),
    ("Wharf (Holdings) Limited", "wharf holding", ["wharf holding", "wharf"]),
    ("Holdings Ltd", "holding", ["holding"]),   # never reduced to nothing
])
def test_normalise_name(name, norm, variants):
    assert normalise_name(name) == norm
    assert name_variants(norm) == variants


def test_website_domain():
    assert website_domain("http://www.asml.com/en/") == "asml.com"
    assert website_domain("HTTPS://Corporate.Target.com") == "corporate.target.com"
    assert website_domain("") is None


def test_sec_loader_ranks_rows_and_tells_otc_from_exchanges():
    loaded = parse_sec(SEC, "sec.json")
    by_symbol = {s.symbol: s for s in loaded.securities}
    assert loaded.rows == 7
    assert by_symbol["NWS"].exchange == "XNAS" and by_symbol["BLU"].exchange == "XNYS"
    assert by_symbol["NWS"].sec_rank == 1 and by_symbol["KITE"].sec_rank == 6
    assert by_symbol["TLWHY"].kind == "otc" and by_symbol["TLWHY"].exchange is None
    assert by_symbol["NLT"].kind == "otc"          # no board at all: not an exchange listing
    assert by_symbol["BLU"].cik == 1002


def test_sec_loader_rejects_another_shape():
    with pytest.raises(TrackerError, match="company_tickers_exchange"):
        parse_sec({"0": {"cik_str": 1, "ticker": "X", "title": "X"}}, "other.json")


def test_financedatabase_loader_maps_exchange_and_drops_delisted_and_foreign_symbols(tmp_path):
    loaded = load_financedatabase(write_lists(tmp_path / "lists") / "financedatabase")
    by_symbol = {s.symbol: s for s in loaded.securities}
    assert loaded.rows == 8
    assert "OLD.DE" not in by_symbol                 # delisted
    assert "ABC" not in by_symbol                    # not a Hong Kong symbol
    assert by_symbol["1234.T"].exchange == "XTKS"    # JPX's operating MIC XJPX is stored as the segment XTKS
    assert by_symbol["9999.HK"].exchange == "XHKG" and by_symbol["9999.HK"].isin == "KYG000000001"
    assert by_symbol["KIT.DE"].kind == "secondary"   # a US company quoted on Xetra
    assert by_symbol["NWS.AS"].market_cap == "Mega Cap"


def test_financedatabase_loader_names_missing_columns():
    with pytest.raises(TrackerError, match="lacks the columns"):
        parse_financedatabase([{"symbol": "1.HK", "name": "X"}], "HKG", "HKG.csv")


def _grouped(tmp_path):
    folder = write_lists(tmp_path / "lists")
    sec = load_sec(folder / "sec_company_tickers_exchange.json").securities
    fd = load_financedatabase(folder / "financedatabase").securities
    return {s.symbol: s for s in group_securities(merge_sources(sec, fd))}


def test_grouping_links_one_company_across_sources(tmp_path):
    rows = _grouped(tmp_path)
    # Short name: linked only because the SEC ticker is the Amsterdam symbol's root.
    assert rows["NWS"].group_id == rows["NWS.AS"].group_id == rows["NWS1.DE"].group_id == "sec:NWS.AS"
    assert rows["NWS.AS"].is_primary                        # home exchange first
    assert rows["NWS1.DE"].kind == "secondary"              # a foreign line of a company listed at home
    # Long name plus CIK: the OTC line joins the group, the home listing leads it.
    assert rows["BLU"].group_id == rows["BLUAF"].group_id == rows["9999.HK"].group_id == "sec:9999.HK"
    assert rows["BLUAF"].kind == "otc"


def test_grouping_never_links_short_names_alone(tmp_path):
    rows = _grouped(tmp_path)
    assert rows["KITE"].group_id != rows["KIT.DE"].group_id     # "kite": short, and tickers differ
    assert rows["PLR"].group_id != rows["1234.T"].group_id      # "pillar": short


def test_grouping_by_distinctive_name_keeps_otc_lines_out_of_study_listings(tmp_path):
    from tracker.companies.linking import study_listings

    rows = _grouped(tmp_path)
    assert rows["TLWHY"].group_id == rows["0123.HK"].group_id   # "tallow holding": two words
    members = [s for s in rows.values() if s.group_id == rows["0123.HK"].group_id]
    assert [l.symbol for l in study_listings(rows["0123.HK"].group_id, members)] == ["0123.HK"]


def test_store_and_status_and_one_source_regroups_with_the_other(con, tmp_path):
    folder = write_lists(tmp_path / "lists")
    sec = load_sec(folder / "sec_company_tickers_exchange.json")
    fd = load_financedatabase(folder / "financedatabase")
    kept = store_securities(con, [sec, fd])
    assert kept == {"sec": 7, "financedatabase": 6}
    status = {r["source"]: r for r in load_status(con)}
    assert status["financedatabase"]["licence"].startswith("MIT")
    assert status["sec"]["rows"] == 7
    # Reloading only the SEC list keeps FinanceDatabase's rows and the grouping.
    store_securities(con, [load_sec(folder / "sec_company_tickers_exchange.json")])
    stored = {s.symbol: s for s in read_securities(con)}
    assert stored["NWS"].group_id == stored["NWS.AS"].group_id
    assert len(stored) == 13


def test_store_failure_keeps_what_was_stored(con, tmp_path):
    folder = write_lists(tmp_path / "lists")
    store_securities(con, [load_sec(folder / "sec_company_tickers_exchange.json")])
    broken = load_sec(folder / "sec_company_tickers_exchange.json")
    broken.securities.append(Security("BAD", "Bad", "XNYS", "NYSE", "USD", "sec"))
    broken.securities[-1].norm_name = None   # violates NOT NULL inside the transaction
    with pytest.raises(Exception):
        store_securities(con, [broken])
    assert con.execute("SELECT count(*) FROM securities").fetchone()[0] == 7


@pytest.fixture(scope="module")
def shared_lists():
    if not (SHARED_COMPANIES / "sec_company_tickers_exchange.json").exists():
        pytest.skip("../shared/companies is not beside the repository")
    return load_sec(SHARED_COMPANIES / "sec_company_tickers_exchange.json"), load_financedatabase(SHARED_COMPANIES / "financedatabase")


def test_real_lists_load_and_group(shared_lists):
    sec, fd = shared_lists
    assert sec.rows == 10069 and fd.rows == 28063
    rows = {s.symbol: s for s in group_securities(merge_sources(list(sec.securities), list(fd.securities)))}
    assert rows["ASML"].group_id == rows["ASML.AS"].group_id
    assert rows["BABA"].group_id == rows["9988.HK"].group_id
    assert rows["SONY"].group_id == rows["6758.T"].group_id
    assert rows["ASME.DE"].kind == "secondary"
    assert rows["BABAF"].kind == "otc" and rows["BABAF"].group_id == rows["9988.HK"].group_id
    assert rows["XYZ"].group_id != rows["3527.TWO"].group_id   # Block and Macroblock stay apart
    assert rows["1SI.DE"].kind == "secondary"                   # Snap Inc. quoted on Xetra: SNAP is the listing
    assert rows["RHM.DE"].kind == "listing"                     # filed as a US company, but no US namesake
