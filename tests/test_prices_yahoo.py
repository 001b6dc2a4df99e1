"""The yfinance adapter on frames recorded in the shapes yfinance 1.x really returns
(tests/fixtures/yfinance/record_frames.py made them with the installed yfinance's download())."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tracker.prices.yahoo import NO_ADJ_CLOSE, download_batch, network_message, split_download

FIXTURES = Path(__file__).parent / "fixtures" / "yfinance"
EXCHANGES = {"BABA": "XNYS", "9988.HK": "XHKG", "^HSI": "XHKG", "NOPE": "XNYS"}
START, END = date(2024, 2, 8), date(2024, 2, 16)
US_DAYS = [date(2024, 2, d) for d in (8, 9, 12, 13, 14, 15, 16)]
HK_DAYS = [date(2024, 2, d) for d in (8, 9, 14, 15, 16)]   # Lunar New Year: 12-13 Feb shut


def recorded(name: str) -> pd.DataFrame:
    return pd.read_pickle(FIXTURES / f"{name}.pkl")


def split(name, symbols):
    return split_download(recorded(name), symbols, EXCHANGES, START, END)


@pytest.mark.parametrize("name", ["multi_column", "multi_ticker_first", "tz_aware"])
def test_two_symbols_on_different_calendars(name):
    bars, notes = split(name, ["BABA", "9988.HK"])
    assert list(bars["BABA"].index) == US_DAYS
    # yfinance pads 9988.HK with NaN rows on US-only days; they must not become bars
    assert list(bars["9988.HK"].index) == HK_DAYS
    assert bars["9988.HK"].loc[date(2024, 2, 14), "close"] == pytest.approx(71.4)
    assert bars["BABA"].loc[date(2024, 2, 8), "close"] == pytest.approx(74.0)
    assert bars["BABA"].loc[date(2024, 2, 8), "adj_close"] == pytest.approx(72.52)
    assert bars["BABA"].loc[date(2024, 2, 8), "volume"] == 1_000_000
    assert list(bars["BABA"].columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    assert notes == {}


def test_tz_aware_index_is_read_in_each_exchange_timezone():
    # The recorded frame shows 9988.HK's 2024-02-08 bar as 2024-02-07 11:00 New York time.
    frame = recorded("tz_aware")
    assert str(frame.index.tz) == "America/New_York"
    bars, _ = split_download(frame, ["9988.HK"], EXCHANGES, START, END)
    assert bars["9988.HK"].index[0] == date(2024, 2, 8)
    assert bars["9988.HK"].iloc[0]["close"] == pytest.approx(70.0)


@pytest.mark.parametrize("name", ["single", "single_flat"])
def test_single_symbol_with_and_without_multiindex(name):
    bars, _ = split(name, ["BABA"])
    assert list(bars) == ["BABA"]
    assert list(bars["BABA"].index) == US_DAYS
    assert bars["BABA"]["close"].iloc[-1] == pytest.approx(78.44)


def test_without_adj_close_falls_back_to_close_and_says_so():
    bars, notes = split("no_adj_close", ["BABA", "^HSI"])
    assert (bars["BABA"]["adj_close"] == bars["BABA"]["close"]).all()
    assert notes == {"BABA": NO_ADJ_CLOSE, "^HSI": NO_ADJ_CLOSE}


def test_one_failed_symbol_is_all_nan_and_left_out():
    frame = recorded("one_failed")
    assert frame.xs("NOPE", level="Ticker", axis=1).isna().all().all()
    bars, _ = split_download(frame, ["BABA", "NOPE"], EXCHANGES, START, END)
    assert list(bars) == ["BABA"]


def test_the_empty_frame_gives_no_bars_without_raising():
    frame = recorded("empty")
    assert frame.empty and isinstance(frame.columns, pd.MultiIndex)
    assert split_download(frame, ["BABA", "9988.HK"], EXCHANGES, START, END) == ({}, {})
    assert split_download(pd.DataFrame(), ["BABA"], EXCHANGES, START, END) == ({}, {})


def test_rows_outside_the_requested_range_are_dropped():
    bars, _ = split_download(recorded("multi_column"), ["BABA"], EXCHANGES, date(2024, 2, 12), date(2024, 2, 13))
    assert list(bars["BABA"].index) == [date(2024, 2, 12), date(2024, 2, 13)]


class Replay:
    """A downloader with yf.download's signature that replays recorded frames and logs each call."""

    def __init__(self, *frames_or_errors):
        self.queue = list(frames_or_errors)
        self.calls = []

    def __call__(self, tickers, start=None, end=None, **kwargs):
        self.calls.append({"tickers": list(tickers), "start": start, "end": end, **kwargs})
        item = self.queue.pop(0) if len(self.queue) > 1 else self.queue[0]
        if isinstance(item, Exception):
            raise item
        return item


def test_download_passes_yfinance_options_and_exclusive_end():
    replay = Replay(recorded("multi_column"))
    result = download_batch(["BABA", "9988.HK"], START, END, EXCHANGES, downloader=replay, sleep=lambda s: None)
    call = replay.calls[0]
    assert call["start"] == "2024-02-08" and call["end"] == "2024-02-17"   # yfinance's end is exclusive
    assert call["auto_adjust"] is False and call["actions"] is False
    assert call["group_by"] == "column" and call["progress"] is False
    assert result.calls == 1 and set(result.bars) == {"BABA", "9988.HK"} and result.failures == {}


def test_empty_frame_is_retried_with_backoff_then_reported_as_network_problem():
    sleeps = []
    replay = Replay(recorded("empty"))
    result = download_batch(["BABA", "9988.HK"], START, END, EXCHANGES, downloader=replay, retries=2,
                            sleep=sleeps.append)
    assert result.calls == 3 and sleeps == [1.0, 2.0]
    assert result.bars == {}
    assert result.failures["BABA"] == network_message("BABA")
    assert "network unreachable? use --prices-dir DIR or --offline" in result.failures["9988.HK"]
    assert result.authoritative_empty == set()


def test_transient_exception_is_retried_and_only_for_symbols_still_missing():
    replay = Replay(ConnectionError("reset by peer"), recorded("one_failed"), recorded("empty"))
    result = download_batch(["BABA", "NOPE"], START, END, EXCHANGES, downloader=replay, retries=2,
                            sleep=lambda s: None)
    assert [c["tickers"] for c in replay.calls] == [["BABA", "NOPE"], ["BABA", "NOPE"], ["NOPE"]]
    assert list(result.bars) == ["BABA"]
    assert "Yahoo returned no rows for NOPE" in result.failures["NOPE"]
    assert result.authoritative_empty == {"NOPE"}


def test_persistent_exception_is_reported_with_its_text():
    replay = Replay(TimeoutError("read timed out"))
    result = download_batch(["BABA"], START, END, EXCHANGES, downloader=replay, retries=1, sleep=lambda s: None)
    assert result.calls == 2
    assert "failed after 2 attempts: TimeoutError: read timed out" in result.failures["BABA"]


def test_programming_errors_are_not_swallowed():
    replay = Replay(TypeError("download() got an unexpected keyword argument"))
    with pytest.raises(TypeError):
        download_batch(["BABA"], START, END, EXCHANGES, downloader=replay, sleep=lambda s: None)


def test_installed_yfinance_end_to_end_without_network(monkeypatch):
    """The real yf.download (through our quietened wrapper) with Ticker.history failing as it does
    offline: yfinance swallows the errors and hands back the empty frame; we report per symbol."""
    import yfinance as yf

    from tracker.prices.yahoo import default_downloader

    def offline_history(self, *args, **kwargs):
        raise ConnectionError("Could not resolve host: query2.finance.yahoo.com")

    monkeypatch.setattr(yf.Ticker, "history", offline_history)
    result = download_batch(["BABA", "9988.HK"], START, END, EXCHANGES, downloader=default_downloader(),
                            retries=0, sleep=lambda s: None, threads=False)
    assert result.bars == {}
    assert result.failures == {"BABA": network_message("BABA"), "9988.HK": network_message("9988.HK")}
