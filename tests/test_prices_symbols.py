"""Symbol → exchange/currency, and the calendar mapping from a date to day 0."""

from datetime import date

import pytest

from tracker.errors import TrackerError
from tracker.prices import currency_for, exchange_for, first_session_on_or_after, is_index, sessions


@pytest.mark.parametrize(
    ("symbol", "exchange", "currency"),
    [
        ("9988.HK", "XHKG", "HKD"), ("0020.HK", "XHKG", "HKD"), ("HSTECH.HK", "XHKG", "HKD"),
        ("^HSI", "XHKG", "HKD"), ("688256.SS", "XSHG", "CNY"), ("000001.SS", "XSHG", "CNY"),
        ("300750.SZ", "XSHE", "CNY"), ("7203.T", "XTKS", "JPY"), ("005930.KS", "XKRX", "KRW"),
        ("2330.TW", "XTAI", "TWD"), ("ASML.AS", "XAMS", "EUR"), ("BABA", "XNYS", "USD"),
        ("NVDA", "XNYS", "USD"), ("^GSPC", "XNYS", "USD"), ("9988.hk", "XHKG", "HKD"),
    ],
)
def test_exchange_and_currency_from_suffix(symbol, exchange, currency):
    assert exchange_for(symbol) == exchange
    assert currency_for(symbol) == currency


def test_indexes_are_recognised_for_volume_checks():
    assert is_index("^HSI") and is_index("HSTECH.HK") and is_index("000001.SS")
    assert not is_index("9988.HK") and not is_index("BABA")


def test_day0_is_the_same_day_on_a_session():
    assert first_session_on_or_after("XNYS", date(2025, 9, 24)) == date(2025, 9, 24)


def test_day0_skips_weekend_and_holidays():
    # Saturday → Monday
    assert first_session_on_or_after("XNYS", date(2025, 9, 20)) == date(2025, 9, 22)
    # Hong Kong: 2024-10-01 National Day; news that day trades on the 2nd
    assert first_session_on_or_after("XHKG", date(2024, 10, 1)) == date(2024, 10, 2)
    # Shanghai: National Day Golden Week 2024-10-01..07 closed
    assert first_session_on_or_after("XSHG", date(2024, 10, 1)) == date(2024, 10, 8)
    # US Thanksgiving
    assert first_session_on_or_after("XNYS", date(2024, 11, 28)) == date(2024, 11, 29)


def test_shenzhen_and_nasdaq_use_the_same_sessions_as_shanghai_and_nyse():
    assert sessions("XSHE", date(2024, 9, 28), date(2024, 10, 10)) == sessions("XSHG", date(2024, 9, 28), date(2024, 10, 10))
    assert sessions("XNAS", date(2024, 11, 25), date(2024, 11, 29)) == sessions("XNYS", date(2024, 11, 25), date(2024, 11, 29))


def test_sessions_exclude_holidays_and_weekends():
    days = sessions("XHKG", date(2024, 2, 8), date(2024, 2, 16))
    # Lunar New Year: 10-13 Feb shut (12, 13 are weekdays)
    assert days == [date(2024, 2, 8), date(2024, 2, 9), date(2024, 2, 14), date(2024, 2, 15), date(2024, 2, 16)]


def test_dates_before_2015_still_map():
    assert first_session_on_or_after("XNYS", date(2010, 1, 1)) == date(2010, 1, 4)


def test_beyond_the_calendar_horizon_falls_back_to_weekdays():
    far = date(2031, 1, 4)  # a Saturday, past every bundled calendar
    assert first_session_on_or_after("XSHG", far) == date(2031, 1, 6)


def test_unknown_exchange_is_a_user_error():
    with pytest.raises(TrackerError, match="unknown exchange"):
        first_session_on_or_after("XXXX", date(2024, 1, 2))


def test_many_symbols_at_once_follow_the_same_rules_as_one():
    import pandas as pd

    from tracker.prices.symbols import currencies_for_symbols, exchanges_for_symbols

    symbols = pd.Series(["9988.HK", "688256.ss", "^HSI", "BABA", "HSTECH.HK", "7203.T", "FOO.BAR", " 0700.hk ",
                         "^N225", "ASML.AS", "BABA"] * 50, index=range(100, 650))
    exchanges, currencies = exchanges_for_symbols(symbols), currencies_for_symbols(symbols)
    assert list(exchanges.index) == list(symbols.index)
    assert list(exchanges) == [exchange_for(s) for s in symbols]
    assert list(currencies) == [currency_for(s) for s in symbols]
    assert exchanges_for_symbols([]).empty
