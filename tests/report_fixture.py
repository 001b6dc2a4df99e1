"""A small, realistic database for report tests: the documented tables, synthetic numbers.

Tables are created only when absent (the real schema files from other stages win), and rows are
inserted by column name, so the fixture keeps working as those schemas grow columns.
Alibaba (BABA + 9988.HK), Baidu (BIDU + 9888.HK), Cambricon (688256.SS), SenseTime (0020.HK,
a 2021 IPO filing before its listing -> not_listed) and Huawei (unlisted) in 2025 and 2021.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from tracker.db import connect

DDL = {
    "companies": "id VARCHAR PRIMARY KEY, name VARCHAR, listed BOOLEAN, aliases VARCHAR[], parent VARCHAR, fiscal_year_end_month INTEGER",
    "listings": "symbol VARCHAR PRIMARY KEY, company VARCHAR, exchange VARCHAR, currency VARCHAR, listed_since DATE, benchmark VARCHAR, is_primary BOOLEAN, kind VARCHAR",
    "articles": "file VARCHAR PRIMARY KEY, path VARCHAR, sha1 VARCHAR, language VARCHAR, published DATE, published_source VARCHAR, published_basis VARCHAR, source VARCHAR, url VARCHAR, title VARCHAR, text VARCHAR, ingested_at TIMESTAMP",
    "events": "id VARCHAR PRIMARY KEY, company VARCHAR, company_name VARCHAR, tickers VARCHAR[], event_type VARCHAR, event_date DATE, date_precision VARCHAR, date_source VARCHAR, date_text VARCHAR, published DATE, article VARCHAR, evidence VARCHAR, evidence_start INTEGER, evidence_end INTEGER, confidence DOUBLE, headline VARCHAR, status VARCHAR, background BOOLEAN, study_date DATE",
    "event_sources": "event_id VARCHAR, article VARCHAR, published DATE, evidence VARCHAR, evidence_start INTEGER, evidence_end INTEGER",
    "prices": "symbol VARCHAR, date DATE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, adj_close DOUBLE, volume DOUBLE, source VARCHAR, PRIMARY KEY (symbol, date)",
    "price_symbols": "symbol VARCHAR PRIMARY KEY, exchange VARCHAR, currency VARCHAR, source VARCHAR, fetched_at TIMESTAMP",
    "study_results": "event_id VARCHAR, symbol VARCHAR, benchmark VARCHAR, company VARCHAR, event_type VARCHAR, label VARCHAR, model VARCHAR, study_date DATE, day0 DATE, alpha DOUBLE, beta DOUBLE, sigma DOUBLE, n_estimation INTEGER, df INTEGER, flags VARCHAR[], flag_reasons VARCHAR[], in_aggregates BOOLEAN, cluster_id VARCHAR, is_primary BOOLEAN, window_start DATE, window_end DATE, window_car DOUBLE, peak_date DATE, peak_ar DOUBLE",
    "study_ar": "event_id VARCHAR, symbol VARCHAR, day INTEGER, date DATE, ret DOUBLE, bench_ret DOUBLE, ar DOUBLE, ar_se DOUBLE, ar_t DOUBLE, car DOUBLE, car_se DOUBLE, price DOUBLE, bench_price DOUBLE",
    "study_car": "event_id VARCHAR, symbol VARCHAR, \"window\" VARCHAR, win_start INTEGER, win_end INTEGER, car DOUBLE, se DOUBLE, t DOUBLE, p DOUBLE, covered BOOLEAN",
    "study_aggregates": "group_kind VARCHAR, group_value VARCHAR, \"window\" VARCHAR, n INTEGER, n_listings INTEGER, caar DOUBLE, test VARCHAR, statistic DOUBLE, p DOUBLE, convention VARCHAR",
    "study_aar": "group_kind VARCHAR, group_value VARCHAR, day INTEGER, n INTEGER, aar DOUBLE, caar DOUBLE, caar_se DOUBLE",
}

LISTINGS = [  # symbol, company, exchange, currency, listed_since, benchmark, primary, kind, start price
    ("BABA", "alibaba", "XNYS", "USD", date(2014, 9, 19), "SPY", True, "ADR", 120.0),
    ("9988.HK", "alibaba", "XHKG", "HKD", date(2019, 11, 26), "^HSI", False, "ordinary", 118.0),
    ("BIDU", "baidu", "XNAS", "USD", date(2005, 8, 5), "SPY", True, "ADR", 88.0),
    ("9888.HK", "baidu", "XHKG", "HKD", date(2021, 3, 23), "^HSI", False, "ordinary", 86.0),
    ("688256.SS", "cambricon", "XSHG", "CNY", date(2020, 7, 20), "000001.SS", True, "ordinary", 600.0),
    ("0020.HK", "sensetime", "XHKG", "HKD", date(2021, 12, 30), "^HSI", True, "ordinary", 1.6),
]
BENCHMARKS = [("SPY", "XNYS", "USD", 560.0), ("^HSI", "XHKG", "HKD", 24000.0), ("000001.SS", "XSHG", "CNY", 3300.0)]
COMPANIES = [("alibaba", "Alibaba", True), ("baidu", "Baidu", True), ("cambricon", "Cambricon", True),
             ("sensetime", "SenseTime", True), ("huawei", "Huawei", False)]

# id, company, type, event date, article, headline, evidence, background, (day-0 jump by symbol)
EVENTS = [
    ("ev-baba-qwen", "alibaba", "product_launch", date(2025, 9, 24), "002_alibaba.txt",
     "Alibaba unveils Qwen3-Max and lifts AI spending plan",
     "Alibaba stellte am 24. September 2025 sein bisher größtes Sprachmodell Qwen3-Max vor.", False,
     {"BABA": 0.082, "9988.HK": 0.091}),
    ("ev-baba-capex", "alibaba", "investment", date(2025, 9, 24), "002_alibaba.txt",
     "Alibaba raises its AI infrastructure budget",
     "Zugleich erhöhte Alibaba am 24. September sein Budget für KI-Infrastruktur.", False,
     {"BABA": 0.0, "9988.HK": 0.0}),
    ("ev-bidu-outlook", "baidu", "guidance", date(2025, 9, 1), "003_baidu.txt",
     "Baidu expects AI cloud growth to speed up",
     "Baidu stellte in dieser Woche ein schnelleres Wachstum der KI-Cloud in Aussicht.", False,
     {"BIDU": 0.03, "9888.HK": 0.02}),
    ("ev-baba-bond", "alibaba", "capital_raise", date(2025, 9, 11), "001_alibaba.txt",
     "Alibaba sells US$3.2bn exchangeable bonds",
     "Alibaba platzierte am 11. September Wandelanleihen über 3,2 Mrd. US-Dollar.", False,
     {"BABA": -0.031, "9988.HK": -0.027}),
    ("ev-baba-move", "alibaba", "stock_move", date(2025, 9, 25), "002_alibaba.txt",
     "Alibaba shares jump about 9%",
     "Die Aktie legte um rund 9 Prozent zu.", False, {"BABA": 0.01, "9988.HK": 0.012}),
    ("ev-bidu-ernie", "baidu", "product_launch", date(2025, 9, 9), "003_baidu.txt",
     "Baidu releases ERNIE X1.1 reasoning model",
     "Baidu hat am 9. September das Modell ERNIE X1.1 veröffentlicht.", False, {"BIDU": 0.047, "9888.HK": 0.052}),
    ("ev-bidu-q2", "baidu", "earnings", date(2025, 8, 20), "003_baidu.txt",
     "Baidu Q2 revenue falls 4% as ad sales weaken",
     "Baidu meldete am 20. August einen Umsatzrückgang von 4 Prozent.", False, {"BIDU": -0.036, "9888.HK": -0.041}),
    ("ev-camb-h1", "cambricon", "earnings", date(2025, 8, 26), "004_cambricon.txt",
     "Cambricon H1 revenue up more than 40-fold",
     "Cambricon steigerte den Umsatz im ersten Halbjahr um mehr als 4000 Prozent.", False, {"688256.SS": 0.11}),
    ("ev-camb-csrc", "cambricon", "regulatory_action", date(2025, 9, 15), "004_cambricon.txt",
     "CSRC approves Cambricon private placement",
     "Die Wertpapieraufsicht CSRC genehmigte am 15. September die Privatplatzierung.", False, {"688256.SS": 0.024}),
    ("ev-sense-ipo", "sensetime", "ipo_filing", date(2021, 11, 22), "000_sensetime.txt",
     "SenseTime files for Hong Kong IPO",
     "SenseTime reichte im November 2021 den Börsenprospekt in Hongkong ein.", True, {}),
    ("ev-huawei-export", "huawei", "export_control", date(2025, 9, 16), "003_baidu.txt",
     "US tightens export rules on Huawei Ascend chips",
     "Die USA verschärften die Exportregeln für Huaweis Ascend-Chips.", False, {}),
]
CAR_WINDOWS = ((0, 0), (-1, 1), (0, 1), (0, 5), (-5, 5), (0, 10))
TESTS = [("csect_t", "mean CAR / (sd/sqrt N), t with N-1 df"), ("patell_z", "sum of standardised CARs / sqrt N, N(0,1)"),
         ("bmp_t", "Boehmer et al. 1991, cross-sectional sd of standardised CARs"),
         ("corrado_rank_z", "Corrado 1989 rank test, N(0,1)"),
         ("gen_sign_z", "Cowan 1992 generalized sign test, N(0,1)")]


def _has_column(con, table: str, column: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                            [table, column]).fetchone()[0])


def _exists(con, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchone()[0])


# Other stages' schemas may add required columns this fixture does not know; give them a neutral value.
_NEUTRAL = {"VARCHAR": "", "BOOLEAN": False, "INTEGER": 0, "BIGINT": 0, "DOUBLE": 0.0, "DATE": date(2025, 1, 1),
            "TIMESTAMP": datetime(2025, 1, 1), "VARCHAR[]": []}


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [table]).fetchall()
    if kind and kind[0][0] == "VIEW":
        # study_ar / study_car are views over the study's integer-keyed tables; this fixture writes the documented
        # columns directly, so it puts a plain table of that shape in their place
        con.execute(f"DROP VIEW {table}")
    info = con.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                       "WHERE table_name = ?", [table]).fetchall()
    if not info:
        con.execute(f"CREATE TABLE {table} ({DDL[table]})")
    frame = frame.copy()
    for name, dtype, nullable in info:
        if nullable == "NO" and name not in frame.columns and dtype in _NEUTRAL:
            frame[name] = [_NEUTRAL[dtype]] * len(frame)
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("fixture_frame", frame)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM fixture_frame")
    con.unregister("fixture_frame")


def _price_paths(rng) -> dict[str, pd.DataFrame]:
    paths = {}
    for symbol, exchange, _cur, start_price, *_ in [(b[0], b[1], b[2], b[3]) for b in BENCHMARKS] + \
            [(x[0], x[2], x[3], x[8]) for x in LISTINGS]:
        days = pd.bdate_range("2024-09-02", "2025-10-31")
        rets = rng.normal(0.0004, 0.018 if symbol[0].isalpha() and symbol[0] != "^" else 0.01, len(days))
        paths[symbol] = pd.DataFrame({"date": days.date, "ret": rets, "close": start_price * np.cumprod(1 + rets)})
    return paths


def build_report_db(path: Path | str = ":memory:", seed: int = 7):
    """Open (via tracker.db.connect) and fill a database; returns the connection."""
    rng = np.random.default_rng(seed)
    con = connect(path)
    companies = pd.DataFrame(COMPANIES, columns=["id", "name", "listed"])
    companies["aliases"] = [[n] for n in companies["name"]]
    _insert(con, "companies", companies)
    _insert(con, "listings", pd.DataFrame([x[:8] for x in LISTINGS], columns=[
        "symbol", "company", "exchange", "currency", "listed_since", "benchmark", "is_primary", "kind"]))
    articles = sorted({e[4] for e in EVENTS})
    _insert(con, "articles", pd.DataFrame({
        "file": articles, "path": [f"seeds/{a}" for a in articles], "language": "de",
        "published": [date(2021, 11, 23) if a.startswith("000") else date(2025, 9, 26) for a in articles],
        "published_source": "manifest", "source": "example.com",
        "url": [f"https://www.example.com/news/{a[:-4]}" for a in articles],
        "title": [f"Article {a}" for a in articles], "text": "…", "sha1": [f"{i:040x}" for i in range(len(articles))], "ingested_at": datetime(2025, 9, 27, 8, 0)}))
    name = dict((c[0], c[1]) for c in COMPANIES)
    tickers = {c: [x[0] for x in LISTINGS if x[1] == c] for c in name}
    _insert(con, "events", pd.DataFrame([{
        "id": e[0], "company": e[1], "company_name": name[e[1]], "tickers": tickers[e[1]], "event_type": e[2],
        "event_date": e[3], "date_precision": "month" if e[7] else "day", "date_source": "explicit",
        "date_text": e[3].isoformat(), "published": e[3], "article": e[4], "evidence": e[6],
        "evidence_start": 0, "evidence_end": len(e[6]), "confidence": 0.85, "headline": e[5], "status": "reported",
        "background": False, "study_date": e[3]} for e in EVENTS]))
    _insert(con, "event_sources", pd.DataFrame([{"event_id": e[0], "article": e[4], "published": e[3],
                                                 "evidence": e[6], "evidence_start": 0,
                                                 "evidence_end": len(e[6])} for e in EVENTS]))
    paths = _price_paths(rng)
    jumps = {(e[0], s): j for e in EVENTS for s, j in e[8].items()}
    day0_of = {}
    for (event_id, symbol), jump in jumps.items():
        frame = paths[symbol]
        idx = int(np.searchsorted(pd.to_datetime(frame["date"]).values, np.datetime64(
            next(e[3] for e in EVENTS if e[0] == event_id))))
        day0_of[(event_id, symbol)] = idx
        frame.loc[idx, "ret"] += jump
        frame["close"] = frame["close"].iloc[0] / (1 + frame["ret"].iloc[0]) * np.cumprod(1 + frame["ret"])
    price_rows = []
    for symbol, frame in paths.items():
        price_rows.append(pd.DataFrame({"symbol": symbol, "date": frame["date"], "close": frame["close"].round(4),
                                        "adj_close": frame["close"].round(4), "volume": 1e6, "source": "fixture"}))
    _insert(con, "prices", pd.concat(price_rows, ignore_index=True))
    venue = {b[0]: (b[1], b[2]) for b in BENCHMARKS} | {x[0]: (x[2], x[3]) for x in LISTINGS}
    symbols = pd.DataFrame({"symbol": list(paths), "exchange": [venue[s][0] for s in paths],
                            "currency": [venue[s][1] for s in paths], "source": "csv:/fixture",
                            "fetched_at": datetime(2025, 10, 1, 9, 30)})
    if _has_column(con, "price_symbols", "is_index"):
        symbols["is_index"] = symbols["symbol"].isin([b[0] for b in BENCHMARKS])
    _insert(con, "price_symbols", symbols)
    if _exists(con, "study_params"):
        con.execute("DELETE FROM study_params")
        con.execute("INSERT INTO study_params (model, est_start, est_end, win_start, win_end, min_estimation, "
                    "include_stock_moves) VALUES ('market', -250, -11, -10, 10, 120, false)")
    _fill_study(con, paths, day0_of, rng)
    return con


# What the rebuilt study engine (issue 13) writes beside the older columns; added here when the schema
# in this checkout does not have them yet, so the report is tested against the agreed shape.
STUDY_COLUMNS_13 = {
    "study_results": [("cluster_id", "VARCHAR"), ("is_primary", "BOOLEAN"), ("window_start", "DATE"),
                      ("window_end", "DATE"), ("window_car", "DOUBLE"), ("peak_date", "DATE"), ("peak_ar", "DOUBLE")],
    "study_aggregates": [("n_listings", "INTEGER")],
}
UNCERTAIN = {"ev-bidu-outlook": ("week", "dated to the week of 1 Sep 2025", 5)}  # precision, reason, sessions


def _add_study_columns(con) -> None:
    for table, columns in STUDY_COLUMNS_13.items():
        if not _exists(con, table):
            continue
        for name, kind in columns:
            if not _has_column(con, table, name):
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}')


def _fill_study(con, paths, day0_of, rng) -> None:
    _add_study_columns(con)
    for event_id, (precision, _reason, _n) in UNCERTAIN.items():
        con.execute("UPDATE events SET date_precision = ?, date_source = 'relative' WHERE id = ?", [precision, event_id])
    bench_of = {x[0]: x[5] for x in LISTINGS}
    primary_of = {x[0]: x[6] for x in LISTINGS}
    meta = {e[0]: e for e in EVENTS}
    results, ars, cars = [], [], []
    for (event_id, symbol), idx in day0_of.items():
        e = meta[event_id]
        stock, bench = paths[symbol], paths[bench_of[symbol]]
        sigma, beta, alpha = 0.017, 1.1, 0.0002
        flags, reasons = [], []
        if e[2] == "stock_move" or event_id in ("ev-baba-bond",):
            flags, reasons = ["overlap"], ["another Alibaba event on 2025-09-24 inside [-10,+10]"]
        uncertain = UNCERTAIN.get(event_id)
        if uncertain:
            flags, reasons = flags + ["date_uncertain"], reasons + [uncertain[1]]
        in_agg = not flags and e[2] != "stock_move"
        window = {}
        if uncertain:  # CAR over the uncertainty window's sessions and the day of the largest |AR| in it
            ars_w = [(stock["date"].iloc[idx + k], stock["ret"].iloc[idx + k] - alpha - beta * bench["ret"].iloc[idx + k])
                     for k in range(uncertain[2])]
            peak = max(ars_w, key=lambda x: abs(x[1]))
            window = {"window_start": ars_w[0][0], "window_end": ars_w[-1][0], "window_car": sum(a for _d, a in ars_w),
                      "peak_date": peak[0], "peak_ar": peak[1]}
        results.append({"event_id": event_id, "symbol": symbol, "benchmark": bench_of[symbol], "company": e[1],
                        "event_type": e[2], "label": e[5], "model": "market", "study_date": e[3],
                        "day0": stock["date"].iloc[idx], "alpha": alpha, "beta": beta, "sigma": sigma,
                        "n_estimation": 240, "df": 238, "flags": flags, "flag_reasons": reasons, "in_aggregates": in_agg,
                        "cluster_id": f"{e[1]}|{stock['date'].iloc[idx].isoformat()}", "is_primary": primary_of[symbol],
                        **window})
        car, car_var = 0.0, 0.0
        rows = []
        for day in range(-10, 11):
            r, rb = stock["ret"].iloc[idx + day], bench["ret"].iloc[idx + day]
            ar = r - alpha - beta * rb
            car += ar
            car_var += sigma ** 2
            rows.append({"event_id": event_id, "symbol": symbol, "day": day, "date": stock["date"].iloc[idx + day],
                         "ret": r, "bench_ret": rb, "ar": ar, "ar_se": sigma, "ar_t": ar / sigma, "car": car,
                         "car_se": car_var ** 0.5, "price": stock["close"].iloc[idx + day],
                         "bench_price": bench["close"].iloc[idx + day]})
        ars.extend(rows)
        frame = pd.DataFrame(rows)
        for a, b in CAR_WINDOWS:
            value = frame[(frame.day >= a) & (frame.day <= b)]["ar"].sum()
            se = sigma * (b - a + 1) ** 0.5
            t = value / se
            cars.append({"event_id": event_id, "symbol": symbol, "window": f"{a}:{b}", "win_start": a, "win_end": b,
                         "car": value, "se": se, "t": t, "p": 2 * stats.t.sf(abs(t), 238), "covered": True})
    sense = meta["ev-sense-ipo"]
    results.append({"event_id": sense[0], "symbol": "0020.HK", "benchmark": "^HSI", "company": "sensetime",
                    "event_type": sense[2], "label": sense[5], "model": "market", "study_date": sense[3],
                    "day0": None, "flags": ["not_listed"], "in_aggregates": False, "is_primary": True,
                    "cluster_id": "sensetime|2021-11-22",
                    "flag_reasons": ["event on 2021-11-22 precedes the listing of 0020.HK on 2021-12-30"]})
    _insert(con, "study_results", pd.DataFrame(results))
    _insert(con, "study_ar", pd.DataFrame(ars))
    car_df = pd.DataFrame(cars)
    _insert(con, "study_car", car_df)
    res = pd.DataFrame(results)
    # One observation per cluster (its primary listing): N = clusters; n_listings = the pairs behind them.
    ok = res[res["in_aggregates"]][["event_id", "symbol", "event_type", "cluster_id", "is_primary"]]
    groups = [("all", "all", ok, ["cluster_id"])] + [("event_type", t, g, ["cluster_id"]) for t, g in ok.groupby("event_type")]
    aggs, aars = [], []
    ar_df = pd.DataFrame(ars)
    for kind, value, members, key in groups:
        n_listings = len(members.drop_duplicates(["cluster_id", "symbol"]))
        keys = members[members["is_primary"]].drop_duplicates(key)[["event_id", "symbol"]]
        sel = car_df.merge(keys)
        for window, w in sel.groupby("window"):
            n, caar = len(w), w["car"].mean()
            sd = w["car"].std(ddof=1) if n > 1 else np.nan
            t = caar / (sd / n ** 0.5) if n > 1 and sd > 0 else np.nan
            for test, convention in TESTS:
                stat = t if test == "csect_t" else (w["t"].sum() / n ** 0.5)
                p = 2 * stats.norm.sf(abs(stat)) if np.isfinite(stat) else np.nan
                aggs.append({"group_kind": kind, "group_value": value, "window": window, "n": n,
                             "n_listings": n_listings, "caar": caar,
                             "test": test, "statistic": stat, "p": p, "convention": convention})
        path = ar_df.merge(keys).groupby("day")["ar"].agg(["mean", "std", "size"]).reset_index()
        path["caar"] = path["mean"].cumsum()
        path["caar_se"] = 0.017 * np.sqrt(np.arange(1, len(path) + 1)) / np.sqrt(path["size"])
        aars.append(pd.DataFrame({"group_kind": kind, "group_value": value, "day": path["day"], "n": path["size"],
                                  "aar": path["mean"], "caar": path["caar"], "caar_se": path["caar_se"]}))
    _insert(con, "study_aggregates", pd.DataFrame(aggs))
    _insert(con, "study_aar", pd.concat(aars, ignore_index=True))


PROVENANCE = {
    "run_at": "2025-10-01T09:31:00+00:00", "price_source": "csv:/fixture/prices",
    "articles": ["seeds/000_sensetime.txt", "seeds/001_alibaba.txt"],
    "study": {"model": "market", "estimation": [-250, -11], "window": [-10, 10],
              "car_windows": [list(w) for w in CAR_WINDOWS], "min_estimation": 120, "include_stock_moves": False},
    "versions": {"tracker": "0.1.0", "duckdb": "2.0.0"}, "db": "tracker.duckdb",
}
