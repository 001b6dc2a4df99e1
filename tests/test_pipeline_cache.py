"""Issue 4's promise at pipeline level: the second `tracker report` on the same articles asks Yahoo
for nothing, and an offline run names exactly the symbols it lacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tracker import pipeline
from tracker.db import connect
from tracker.study import StudyParams

pytestmark = pytest.mark.slow


class FakeYahoo:
    """yf.download's shape (columns: Price × Ticker MultiIndex), served from ../shared/prices; a
    symbol without a CSV there gets a made-up random walk, as Yahoo knows every listed symbol."""

    def __init__(self, folder):
        self.folder = folder
        self.calls: list[tuple[tuple[str, ...], str, str]] = []

    def __call__(self, tickers, start=None, end=None, **_):
        names = [tickers] if isinstance(tickers, str) else list(tickers)
        self.calls.append((tuple(names), start, end))
        frames = {}
        for name in names:
            path = self.folder / f"{name}.csv"
            if path.exists():
                raw = pd.read_csv(path, parse_dates=["date"]).set_index("date")
            else:
                raw = _random_walk(name)
            raw = raw[(raw.index >= start) & (raw.index < end)]
            frames[name] = raw.rename(columns={"open": "Open", "high": "High", "low": "Low", "close": "Close",
                                               "adj_close": "Adj Close", "volume": "Volume"})
        if not frames:
            return pd.DataFrame()
        wide = pd.concat(frames, axis=1, sort=True).swaplevel(0, 1, axis=1).sort_index(axis=1)
        wide.columns.names = ["Price", "Ticker"]
        wide.index.name = "Date"
        return wide


def _random_walk(name: str) -> pd.DataFrame:
    days = pd.bdate_range("2019-01-01", "2026-08-31", name="date")
    steps = np.random.default_rng(sum(map(ord, name))).normal(0, 0.01, len(days))
    close = 50 * np.exp(np.cumsum(steps))
    return pd.DataFrame({"open": close, "high": close, "low": close, "close": close, "adj_close": close,
                         "volume": 1_000_000}, index=days)


def _report(con, db, out, **kwargs):
    return pipeline.report(con, str(db), StudyParams(), out_dir=out, **kwargs)


def test_second_report_makes_no_download_and_offline_names_what_is_missing(tmp_path, shared_prices, seeds_dir):
    db = tmp_path / "t.duckdb"
    yahoo = FakeYahoo(shared_prices)
    con = connect(db)
    first = _report(con, db, tmp_path / "r1", articles=[seeds_dir], downloader=yahoo)
    assert yahoo.calls, "the first run must download"
    assert first.index_html.is_file()
    asked = {name for names, *_ in yahoo.calls for name in names}
    assert {"BABA", "9988.HK", "BIDU", "SPY", "^HSI"} <= asked

    yahoo.calls.clear()
    second = _report(con, db, tmp_path / "r2", articles=[seeds_dir], downloader=yahoo)
    assert yahoo.calls == [], f"second run asked Yahoo for {yahoo.calls}"
    assert second.index_html.is_file()

    con.close()


def test_offline_run_names_exactly_the_symbols_without_prices(tmp_path, shared_prices, seeds_dir):
    from tracker.prices import import_csv_dir

    db = tmp_path / "t.duckdb"
    con = connect(db)
    import_csv_dir(con, shared_prices)
    run = _report(con, db, tmp_path / "r", articles=[seeds_dir], offline=True,
                  downloader=lambda *a, **k: pytest.fail("an offline run touched the downloader"))
    outcomes = run.study.price_outcomes
    needed = set(outcomes["symbol"])
    missing = set(outcomes[outcomes["status"] == "missing"]["symbol"])
    assert missing == {s for s in needed if not (shared_prices / f"{s}.csv").exists()}
    for row in outcomes[outcomes["status"] == "missing"].itertuples():
        assert row.symbol in row.message
    con.close()


def test_no_network_uses_the_bundled_snapshot_and_names_what_it_lacks(tmp_path, seeds_dir):
    db = tmp_path / "t.duckdb"
    con = connect(db)
    calls = []

    def nobody_answers(*args, **kwargs):
        calls.append(args)
        return pd.DataFrame()

    run = _report(con, db, tmp_path / "r", articles=[seeds_dir], downloader=nobody_answers,
                  price_options={"sleep": lambda seconds: None})
    outcomes = run.study.price_outcomes.set_index("symbol")
    # One download call found nobody answering; no further call in the same run (retries aside).
    assert len(calls) == 3
    assert outcomes.attrs["yahoo_unreachable"] and outcomes.loc["BABA", "source"] == "snapshot"
    assert set(outcomes.attrs["snapshot"]) >= {"BABA", "9988.HK", "SPY", "^HSI"}
    assert outcomes.loc["688327.SS", "status"] == "missing"     # not in the snapshot: named, not hidden
    sources = dict(con.execute("SELECT symbol, any_value(source) FROM prices GROUP BY symbol").fetchall())
    assert sources["BABA"] == "snapshot"
    page = run.index_html.read_text(encoding="utf-8")
    assert "bundled snapshot of" in page and "not live data" in page and "688327.SS" in page
    # What the run already stored is kept.
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    con.close()
