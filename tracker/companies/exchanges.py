"""Exchanges of the reference lists: FinanceDatabase's exchange codes and the SEC's board names,
mapped to the MIC tracker stores, the Yahoo symbol suffix, the home country and the default benchmark.

FinanceDatabase's ``mic`` column gives the operating MIC for Tokyo (XJPX); tracker stores the
segment MIC XTKS, the one exchange_calendars and the curated registry use. Xetra and the London
international order book also quote shares of foreign companies (Target on Xetra as DYH.DE, Tencent
in London as 0LEA.L, ASML in Milan): ``home`` lets the loader tell such secondary quotes from real listings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Exchange:
    code: str          # FinanceDatabase file/exchange code (HKG) or the SEC board (NYSE)
    mic: str           # MIC stored in securities.exchange and listings.exchange
    suffix: str        # Yahoo symbol suffix with its dot, '' for US boards
    currency: str
    home: tuple[str, ...]   # countries whose companies are at home on this exchange
    benchmark: str     # Yahoo symbol of the default benchmark index or ETF
    quote_board: bool = False   # also quotes foreign shares (secondary lines, not listings)

    @property
    def calendar(self) -> str:
        """The MIC whose trading calendar the study uses: exchange_calendars has none for the Taipei
        Exchange (ROCO) or the NSE, whose sessions are those of XTAI and XBOM."""
        return _CALENDAR_MIC.get(self.mic, self.mic)


_US = ("United States",)
EXCHANGES: dict[str, Exchange] = {e.code: e for e in (
    # FinanceDatabase per-exchange equity files
    Exchange("HKG", "XHKG", ".HK", "HKD", ("Hong Kong", "China"), "^HSI"),
    Exchange("SHH", "XSHG", ".SS", "CNY", ("China",), "000001.SS"),
    Exchange("SHZ", "XSHE", ".SZ", "CNY", ("China",), "000001.SS"),
    Exchange("TAI", "XTAI", ".TW", "TWD", ("Taiwan",), "^TWII"),
    Exchange("TWO", "ROCO", ".TWO", "TWD", ("Taiwan",), "^TWII"),
    Exchange("KSC", "XKRX", ".KS", "KRW", ("South Korea",), "^KS11"),
    Exchange("KOE", "XKRX", ".KQ", "KRW", ("South Korea",), "^KS11"),
    Exchange("JPX", "XTKS", ".T", "JPY", ("Japan",), "^N225"),
    Exchange("GER", "XETR", ".DE", "EUR", ("Germany",), "^GDAXI", quote_board=True),
    Exchange("AMS", "XAMS", ".AS", "EUR", ("Netherlands",), "^AEX"),
    Exchange("PAR", "XPAR", ".PA", "EUR", ("France",), "^FCHI"),
    Exchange("LSE", "XLON", ".L", "GBP", ("United Kingdom", "Jersey", "Guernsey", "Isle of Man"), "^FTSE",
             quote_board=True),
    Exchange("MIL", "XMIL", ".MI", "EUR", ("Italy",), "FTSEMIB.MI", quote_board=True),
    Exchange("MCE", "XMAD", ".MC", "EUR", ("Spain",), "^IBEX"),
    Exchange("STO", "XSTO", ".ST", "SEK", ("Sweden",), "^OMX"),
    Exchange("SES", "XSES", ".SI", "SGD", ("Singapore",), "^STI"),
    Exchange("NSE", "XNSE", ".NS", "INR", ("India",), "^NSEI"),
    Exchange("ASX", "XASX", ".AX", "AUD", ("Australia",), "^AXJO"),
    Exchange("TOR", "XTSE", ".TO", "CAD", ("Canada",), "^GSPTSE"),
    Exchange("ASE", "XASE", "", "USD", _US, "SPY"),
    Exchange("NCM", "XNAS", "", "USD", _US, "SPY"),
    Exchange("NGM", "XNAS", "", "USD", _US, "SPY"),
    # the SEC file's boards (OTC and unnamed rows are not exchange listings)
    Exchange("Nasdaq", "XNAS", "", "USD", _US, "SPY"),
    Exchange("NYSE", "XNYS", "", "USD", _US, "SPY"),
    Exchange("CBOE", "BATS", "", "USD", _US, "SPY"),
)}

_CALENDAR_MIC = {"ROCO": "XTAI", "XNSE": "XBOM"}
CALENDAR_BY_MIC = _CALENDAR_MIC

# Yahoo's exchange codes in search results, for symbols without a suffix (US boards).
YAHOO_US_EXCHANGES = {"NMS": "XNAS", "NGM": "XNAS", "NCM": "XNAS", "NAS": "XNAS", "NYQ": "XNYS", "ASE": "XASE",
                      "PCX": "ARCX", "BTS": "BATS"}
_BY_SUFFIX = {e.suffix: e for e in EXCHANGES.values() if e.suffix}
BENCHMARK_BY_MIC = {e.mic: e.benchmark for e in EXCHANGES.values()}
BENCHMARK_BY_MIC.update({"XNYS": "SPY", "XNAS": "SPY", "ARCX": "SPY"})


def exchange_for_yahoo_symbol(symbol: str, yahoo_exchange: str | None = None) -> Exchange | None:
    """The exchange a Yahoo symbol trades on: by suffix (9988.HK), else by Yahoo's exchange code."""
    if "." in symbol:
        return _BY_SUFFIX.get("." + symbol.rsplit(".", 1)[1])
    mic = YAHOO_US_EXCHANGES.get(yahoo_exchange or "")
    if mic is None:
        return None
    return next(e for e in EXCHANGES.values() if e.mic == mic) if mic != "ARCX" else Exchange(
        "PCX", "ARCX", "", "USD", _US, "SPY")
