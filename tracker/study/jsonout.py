"""The study as DESIGN §7 JSON: one object per (event, symbol)."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd


def to_json(result) -> list[dict]:
    """One object per (event, symbol): event_id, symbol, company, event_type, label, benchmark, day0, model, alpha, beta, sigma, n_estimation,
    ar [{day, date, ret, bench_ret, ar}], car {"a:b": {car, se, t, p}}, flags, flag_reasons."""
    ar_by_event = {key: frame for key, frame in result.ar.groupby(["event_id", "symbol"], sort=False)}
    car_by_event = {key: frame for key, frame in result.car.groupby(["event_id", "symbol"], sort=False)}
    objects = []
    for row in result.results.itertuples(index=False):
        key = (row.event_id, row.symbol)
        ar = ar_by_event.get(key)
        car = car_by_event.get(key)
        objects.append({
            "event_id": row.event_id,
            "symbol": row.symbol,
            "company": _value(getattr(row, "company", None)),
            "event_type": _value(getattr(row, "event_type", None)),
            "label": _value(getattr(row, "label", None)),
            "benchmark": row.benchmark,
            "day0": _value(row.day0),
            "model": row.model,
            "alpha": _value(row.alpha),
            "beta": _value(row.beta),
            "sigma": _value(row.sigma),
            "n_estimation": _value(row.n_estimation),
            "ar": [] if ar is None else [
                {"day": _value(r.day), "date": _value(r.date), "ret": _value(r.ret),
                 "bench_ret": _value(r.bench_ret), "ar": _value(r.ar)}
                for r in ar.itertuples(index=False)
            ],
            "car": {} if car is None else {
                r.window: {"car": _value(r.car), "se": _value(r.se), "t": _value(r.t), "p": _value(r.p)}
                for r in car.itertuples(index=False)
            },
            "flags": list(row.flags) if row.flags is not None else [],
            "flag_reasons": list(row.flag_reasons) if row.flag_reasons is not None else [],
        })
    return objects


def _value(x):
    """JSON-ready scalar: NaN/NaT → None, dates → ISO text, numpy numbers → Python numbers."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, (pd.Timestamp, datetime)):
        return x.date().isoformat()
    if isinstance(x, date):
        return x.isoformat()
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x
