"""The registry as data: bundled contents, user files, errors, listings, and storing into DuckDB."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.companies.registry import DEFAULT_BENCHMARKS, Listing, load_registry, store_registry
from tracker.errors import TrackerError


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def write(tmp_path, text: str, name: str = "mine.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- bundled contents ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "symbol, company, exchange, currency, since, kind",
    [
        ("BABA", "alibaba", "XNYS", "USD", date(2014, 9, 19), "ADR"),
        ("9988.HK", "alibaba", "XHKG", "HKD", date(2019, 11, 26), "ordinary"),
        ("BIDU", "baidu", "XNAS", "USD", date(2005, 8, 5), "ADR"),
        ("9888.HK", "baidu", "XHKG", "HKD", date(2021, 3, 23), "ordinary"),
        ("688256.SS", "cambricon", "XSHG", "CNY", date(2020, 7, 20), "ordinary"),
        ("0020.HK", "sensetime", "XHKG", "HKD", date(2021, 12, 30), "ordinary"),
        ("688981.SS", "smic", "XSHG", "CNY", date(2020, 7, 16), "ordinary"),
        ("688327.SS", "cloudwalk", "XSHG", "CNY", date(2022, 5, 27), "ordinary"),
        ("0981.HK", "smic", "XHKG", "HKD", None, "ordinary"),
        ("ORCL", "oracle", "XNYS", "USD", None, "ordinary"),
        ("NVDA", "nvidia", "XNAS", "USD", date(1999, 1, 22), "ordinary"),
    ],
)
def test_listing_lookup(registry, symbol, company, exchange, currency, since, kind):
    listing = registry.listing(symbol)
    assert listing is not None
    assert (listing.company, listing.exchange, listing.currency, listing.listed_since, listing.kind) == (
        company, exchange, currency, since, kind,
    )


def test_unknown_symbol_has_no_listing(registry):
    assert registry.listing("NOPE") is None


@pytest.mark.parametrize("company", ["huawei", "deepseek", "yitu", "megvii", "openai"])
def test_unlisted_companies_are_entities_without_listings(registry, company):
    assert registry.get(company).listed is False
    assert registry.get(company).listings == ()


def test_alibaba_entry(registry):
    alibaba = registry.get("alibaba")
    assert alibaba.name == "Alibaba" and alibaba.fiscal_year_end_month == 3 and alibaba.listed
    assert {"Alibaba", "Alibaba Group Holding", "阿里巴巴"} <= set(alibaba.aliases)
    assert alibaba.primary_listing.symbol == "BABA"
    assert sum(l.is_primary for l in alibaba.listings) == 1


def test_parents_and_their_listings(registry):
    assert registry.get("t_head").parent == "alibaba"
    assert registry.get("alibaba_cloud").parent == "alibaba"
    assert registry.get("kunlunxin").parent == "baidu"
    assert [l.symbol for l in registry.listings_for("t_head")] == ["BABA", "9988.HK"]
    assert registry.listings_for("huawei") == ()
    assert registry.listings_for("hisilicon") == ()  # parent Huawei is unlisted too


@pytest.mark.parametrize(
    "symbol, benchmark",
    [
        ("BABA", "SPY"), ("BIDU", "SPY"), ("9988.HK", "^HSI"), ("0700.HK", "^HSI"),
        ("688256.SS", "000001.SS"), ("002230.SZ", "000001.SS"), ("9984.T", "^N225"),
        ("005930.KS", "^KS11"), ("ASML.AS", "^AEX"), ("2330.TW", "^TWII"),
    ],
)
def test_benchmark_defaults_by_exchange(registry, symbol, benchmark):
    assert registry.listing(symbol).benchmark == benchmark


def test_every_listing_has_a_benchmark_and_one_primary(registry):
    for company in registry:
        if company.listed:
            assert sum(l.is_primary for l in company.listings) == 1, company.id
        for listing in company.listings:
            assert listing.benchmark == DEFAULT_BENCHMARKS[listing.exchange]


def test_coverage_of_the_issue_list(registry):
    needed = [
        "tencent", "meituan", "xiaomi", "jd", "netease", "kuaishou", "trip_com", "lenovo", "byd", "li_auto",
        "xpeng", "nio", "bilibili", "kingdee", "kingsoft", "sunny_optical", "smic", "hua_hong",
        "moore_threads", "horizon_robotics", "hygon", "naura", "iflytek", "leapmotor", "geely", "zeekr",
        "amd", "intel", "qualcomm", "broadcom", "tsmc", "asml", "samsung", "sk_hynix", "arm", "apple",
        "microsoft", "alphabet", "amazon", "meta", "oracle", "tesla", "micron", "softbank",
    ]
    missing = [c for c in needed if c not in registry or not registry.get(c).listed]
    assert missing == []
    assert {"9618.HK", "JD", "1347.HK", "688347.SS", "688795.SS", "9660.HK", "TSM", "2330.TW", "GOOGL"} <= {
        l.symbol for c in registry for l in c.listings
    }


def test_get_unknown_company_suggests_close_ids(registry):
    with pytest.raises(TrackerError, match=r"unknown company 'alibab'.*alibaba"):
        registry.get("alibab")


# -- user registry files -----------------------------------------------------------------------------

def test_user_file_adds_a_company(tmp_path):
    path = write(tmp_path, """
[acme_robotics]
name = "Acme Robotics"
aliases = ["Acme"]
listings = [{ symbol = "1234.HK", exchange = "XHKG", listed_since = 2024-01-02 }]
""")
    registry = load_registry([path])
    assert [(m.surface, m.company) for m in registry.match("Die Acme-Aktie und Acmes Umsatz")] == [
        ("Acme", "acme_robotics"), ("Acmes", "acme_robotics"),
    ]
    assert registry.listing("1234.HK") == Listing(
        "1234.HK", "XHKG", "HKD", date(2024, 1, 2), "^HSI", True, "ordinary", "acme_robotics"
    )
    assert "alibaba" in registry  # the bundled companies stay


def test_later_file_replaces_a_company_entirely(tmp_path):
    first = write(tmp_path, """
[megvii]
name = "Megvii"
aliases = ["Face++"]
listings = [{ symbol = "1111.HK", exchange = "XHKG" }]
""", "first.toml")
    second = write(tmp_path, """
[megvii]
name = "Megvii Technology"
aliases = ["Kuangshi"]
listings = [{ symbol = "2222.HK", exchange = "XHKG", benchmark = "HSTECH.HK" }]
""", "second.toml")
    registry = load_registry([first, second])
    megvii = registry.get("megvii")
    assert megvii.name == "Megvii Technology"
    assert registry.listing("1111.HK") is None
    assert registry.listing("2222.HK").benchmark == "HSTECH.HK"  # a listing may override the default
    assert registry.match("Face++") == []
    assert [m.company for m in registry.match("Kuangshi und Megvii Technology")] == ["megvii", "megvii"]


def test_user_file_can_take_over_a_bundled_symbol_by_replacing_its_company(tmp_path):
    path = write(tmp_path, '[cambricon]\nname = "Cambricon"\n')
    registry = load_registry([path])
    assert registry.listing("688256.SS") is None and not registry.get("cambricon").listed


@pytest.mark.parametrize(
    "content, message",
    [
        ("[acme\nname = 'x'", r"mine\.toml is not valid TOML"),
        ("acme = 3", r"mine\.toml: company 'acme': expected a table"),
        ("[Acme]\nname = 'x'", r"lowercase slug"),
        ("[acme]\naliases = ['x']", r"'name' is missing"),
        ("[acme]\nname = 'x'\nalias = ['y']", r"unknown key\(s\) alias"),
        ("[acme]\nname = 'x'\naliases = 'y'", r"'aliases' must be a list"),
        ("[acme]\nname = 'x'\nfiscal_year_end_month = 13", r"month number"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME', exchange = 'NYSE!' }]", r"4-letter MIC"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME', exchange = 'XHKG' }]", r"should end in \.HK"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = '1.HK', exchange = 'XNYS' }]", r"no exchange suffix"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME.L', exchange = 'XLON' }]", r"XLON has no default currency"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME.L', exchange = 'XLON', currency = 'GBP' }]", r"no default benchmark"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME', exchange = 'XNAS', currency = 'usd' }]", r"3-letter code"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME', exchange = 'XNAS', listed_since = '2024-13-01' }]", r"YYYY-MM-DD"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'ACME', exchange = 'XNAS', kind = 'GDR' }]", r"'kind' must be"),
        ("[acme]\nname = 'x'\nlistings = [{ symbol = 'A1', exchange = 'XNAS', is_primary = true },"
         " { symbol = 'A2', exchange = 'XNAS', is_primary = true }]", r"more than one primary"),
    ],
)
def test_malformed_user_file_names_file_and_reason(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(TrackerError, match=message) as info:
        load_registry([path])
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_user_file(tmp_path):
    with pytest.raises(TrackerError, match=r"not found"):
        load_registry([tmp_path / "absent.toml"])


def test_cross_company_conflicts_name_the_file(tmp_path):
    parent = write(tmp_path, "[acme]\nname = 'Acme'\nparent = 'nobody'\n", "p.toml")
    with pytest.raises(TrackerError, match=r"p\.toml: company 'acme' names unknown parent 'nobody'"):
        load_registry([parent])
    symbol = write(tmp_path, "[acme]\nname = 'Acme'\nlistings = [{ symbol = 'BABA', exchange = 'XNYS' }]\n", "s.toml")
    with pytest.raises(TrackerError, match=r"s\.toml: symbol BABA is listed under both 'alibaba' and 'acme'"):
        load_registry([symbol])
    alias = write(tmp_path, "[acme]\nname = 'Acme'\naliases = ['ALIBABA group']\n", "a.toml")
    with pytest.raises(TrackerError, match=r"a\.toml: alias 'ALIBABA group' of 'acme' is already an alias of 'alibaba'"):
        load_registry([alias])
    cycle = write(tmp_path, "[aa]\nname = 'A'\nparent = 'bb'\n[bb]\nname = 'B'\nparent = 'aa'\n", "c.toml")
    with pytest.raises(TrackerError, match=r"own ancestor"):
        load_registry([cycle])


# -- storing into DuckDB -----------------------------------------------------------------------------

def test_store_registry_replaces_rows(con, registry, tmp_path):
    store_registry(con, registry)
    n_companies = con.execute("SELECT count(*) FROM companies").fetchone()[0]
    assert n_companies == len(registry)
    row = con.execute(
        "SELECT name, listed, list_contains(aliases, 'Alibaba Group Holding'), parent, fiscal_year_end_month "
        "FROM companies WHERE id = 'alibaba'"
    ).fetchone()
    assert row == ("Alibaba", True, True, None, 3)
    assert con.execute("SELECT listed FROM companies WHERE id = 'huawei'").fetchone() == (False,)
    assert con.execute("SELECT parent FROM companies WHERE id = 't_head'").fetchone() == ("alibaba",)
    listings = con.execute(
        "SELECT symbol, company, exchange, currency, listed_since, benchmark, is_primary, kind "
        "FROM listings WHERE company = 'alibaba' ORDER BY symbol"
    ).fetchall()
    assert listings == [
        ("9988.HK", "alibaba", "XHKG", "HKD", date(2019, 11, 26), "^HSI", False, "ordinary"),
        ("BABA", "alibaba", "XNYS", "USD", date(2014, 9, 19), "SPY", True, "ADR"),
    ]
    n_listings = sum(len(c.listings) for c in registry)
    assert con.execute("SELECT count(*) FROM listings").fetchone()[0] == n_listings

    # A second store with a smaller registry leaves exactly its rows (no duplicates, no leftovers).
    smaller = load_registry([write(tmp_path, '[alibaba]\nname = "Alibaba"\n')])
    store_registry(con, smaller)
    store_registry(con, smaller)
    assert con.execute("SELECT count(*) FROM companies").fetchone()[0] == n_companies
    assert con.execute("SELECT count(*) FROM listings WHERE company = 'alibaba'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM listings").fetchone()[0] == n_listings - 2


def test_registry_built_in_code(con):
    from tracker.companies.registry import Company, Registry

    listing = Listing("ACME", "XNAS", "USD", None, "SPY", True, "ordinary")
    acme = Company("acme", "Acme", ("Acme", "ACM"), (listing,), None, None, exact_aliases=("ACM",))
    registry = Registry([acme])
    assert registry.listing("ACME").company == "acme"
    assert [m.company for m in registry.match("Acme, acme, ACM")] == ["acme", "acme", "acme"]
    assert registry.match("acm") == []
    store_registry(con, registry)
    assert con.execute("SELECT symbol, company FROM listings").fetchall() == [("ACME", "acme")]
