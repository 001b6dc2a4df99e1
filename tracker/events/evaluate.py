"""Scoring extracted events against a hand-labelled gold file (format: tests/gold/README.md).

Precision is over distinct (company, event_type) pairs: a pair is right when the gold file lists
it as an event or as ``allowed``. Recall is over key events: found when an extracted event has the
same company and type; found *and dated* when its event_date also falls inside the gold window.
Date accuracy is over every gold event that was found.

Two stricter checks, because pairs are pooled over all articles (a wrong "Xiaomi capital_raise" in
one article hides behind a right one in another): ``precision_by_article`` is over distinct
(article, company, type) triples, an extracted event counting for every article among its sources;
``status_accuracy`` is the share of found gold events whose extracted status (reported, planned,
rumoured, negated) equals the gold ``status``.

``date_accuracy_by_precision`` splits date accuracy by the precision of the matched extracted event
(a day-precise date in window is worth more than a quarter that contains it); ``articles`` is the
same scoring per article (``tracker eval --by-article``): its key events found with the date in
window, and its extracted (company, type) triples that its labels do not list.
``fiscal_period_accuracy`` is over found gold events that carry a ``fiscal_period``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from tracker.errors import TrackerError


@dataclass
class EvalReport:
    precision: float
    precision_events: float          # per extracted event rather than per distinct pair
    key_recall: float
    key_recall_dated: float
    date_accuracy: float
    precision_by_article: float      # over distinct (article, company, type) triples
    status_accuracy: float           # found gold events whose extracted status equals the gold status
    n_predicted_pairs: int
    n_predicted_events: int
    n_key: int
    n_gold: int
    misses: list[dict] = field(default_factory=list)            # key events not found or misdated
    false_positives: list[dict] = field(default_factory=list)   # pairs neither in events nor allowed
    date_errors: list[dict] = field(default_factory=list)       # any gold event found with a date outside its window
    matches: list[dict] = field(default_factory=list)
    article_false_positives: list[dict] = field(default_factory=list)   # triples not labelled for their article
    status_errors: list[dict] = field(default_factory=list)
    date_accuracy_by_precision: dict = field(default_factory=dict)   # precision -> {right, found, accuracy}
    fiscal_period_accuracy: float | None = None
    fiscal_period_errors: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)               # per-article scores

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def meets_targets(self, precision: float = 0.90, recall: float = 1.0) -> bool:
        return self.precision >= precision and self.key_recall_dated >= recall

    def to_text(self) -> str:
        """Plain-text summary for the terminal."""
        lines = [
            f"precision (company, type pairs)  {self.precision:6.2f}  ({self.n_predicted_pairs} pairs)",
            f"precision (events)               {self.precision_events:6.2f}  ({self.n_predicted_events} events)",
            f"key-event recall                 {self.key_recall:6.2f}  ({self.n_key} key events)",
            f"key-event recall, date in window {self.key_recall_dated:6.2f}",
            f"date accuracy (found gold events){self.date_accuracy:6.2f}  ({self.n_gold} gold events)",
            f"precision (article, company, type){self.precision_by_article:5.2f}",
            f"status accuracy (found gold)     {self.status_accuracy:6.2f}",
        ]
        if self.fiscal_period_accuracy is not None:
            lines.append(f"fiscal period accuracy           {self.fiscal_period_accuracy:6.2f}")
        if self.date_accuracy_by_precision:
            lines.append("date accuracy by precision of the extracted date:")
            lines += [f"  {p:8s} {v['accuracy']:5.2f}  ({v['right']} of {v['found']})"
                      for p, v in self.date_accuracy_by_precision.items()]
        if self.misses:
            lines.append("misses:")
            lines += [f"  {m['id']:40s} {m['reason']}" for m in self.misses]
        if self.date_errors:
            lines.append("dates outside the window:")
            lines += [f"  {d['id']:40s} got {d['got']} want {d['window'][0]}..{d['window'][1]}" for d in self.date_errors]
        if self.false_positives:
            lines.append("false positives:")
            lines += [f"  {f['company']:14s} {f['event_type']:22s} {f['evidence'][:70]}" for f in self.false_positives]
        if self.article_false_positives:
            lines.append("not labelled for that article:")
            lines += [f"  {str(f['article'])[:24]:24s} {f['company']:14s} {f['event_type']}" for f in self.article_false_positives]
        if self.status_errors:
            lines.append("status differs:")
            lines += [f"  {e['id']:40s} got {e['got']} want {e['want']}" for e in self.status_errors]
        if self.fiscal_period_errors:
            lines.append("fiscal period differs:")
            lines += [f"  {e['id']:40s} got {e['got']} want {e['want']}" for e in self.fiscal_period_errors]
        return "\n".join(lines)

    def article_rows(self) -> list[dict]:
        """One row per article for ``--by-article``: key recall (dated) and precision of its triples."""
        return [{k: v for k, v in a.items() if k not in ("missed", "wrong")} |
                {"missed": ", ".join(a["missed"]), "wrong": ", ".join(a["wrong"])} for a in self.articles]


def load_gold(path: Path) -> dict:
    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrackerError(f"gold file {path} not found; pass the path of a JSON gold file") from None
    except json.JSONDecodeError as exc:
        raise TrackerError(f"gold file {path} is not valid JSON (line {exc.lineno}: {exc.msg}); fix it") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("events"), list):
        raise TrackerError(f"gold file {path} has no \"events\" list; see tests/gold/README.md for the format")
    for i, e in enumerate(gold["events"], 1):
        missing = [k for k in ("company", "event_type", "date_window") if k not in e]
        if missing:
            raise TrackerError(f"gold file {path}: event {i} lacks {', '.join(missing)}; see tests/gold/README.md")
        try:
            e["_window"] = (date.fromisoformat(e["date_window"][0]), date.fromisoformat(e["date_window"][1]))
        except (ValueError, TypeError, IndexError):
            raise TrackerError(f"gold file {path}: event {i} date_window must be [\"YYYY-MM-DD\", \"YYYY-MM-DD\"]") from None
        e.setdefault("id", f"event-{i}")
        e.setdefault("key", False)
    return gold


def _get(event, name):
    return event[name] if isinstance(event, dict) else getattr(event, name)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _articles_of(event) -> list[str]:
    """The articles an extracted event cites: its sources when it has them, else its article."""
    sources = event.get("sources") if isinstance(event, dict) else getattr(event, "sources", None)
    names = [s if isinstance(s, str) else s.article for s in (sources or [])]
    article = event.get("article") if isinstance(event, dict) else getattr(event, "article", None)
    return sorted(set(names)) or [article]


def _by_article(gold: dict, events: list) -> tuple[float, list[dict]]:
    labelled = {(e.get("article"), e["company"], e["event_type"]) for e in gold["events"]}
    # events that name no article can only be checked as pairs
    labelled |= {(None, e["company"], e["event_type"]) for e in gold["events"]}
    allowed = gold.get("allowed", [])
    triples = {(a, _get(e, "company"), _get(e, "event_type")) for e in events for a in _articles_of(e)}
    wrong = sorted(
        ((a, c, t) for a, c, t in triples
        if (a, c, t) not in labelled
        and not any(x["company"] == c and x["event_type"] == t and x.get("article") in (None, a) for x in allowed)),
        key=lambda x: (str(x[0]), x[1], x[2]))
    precision = round(1 - len(wrong) / len(triples), 4) if triples else 0.0
    return precision, [{"article": a, "company": c, "event_type": t} for a, c, t in wrong]


def evaluate(gold_path: Path, events: list) -> EvalReport:
    """Score ``events`` (Event objects or dicts with company, event_type, event_date) against the gold file."""
    gold = load_gold(gold_path)
    gold_events = gold["events"]
    events = _as_gold_companies(events, gold)
    gold_pairs = {(e["company"], e["event_type"]) for e in gold_events}
    allowed = {(a["company"], a["event_type"]) for a in gold.get("allowed", [])}
    predicted = [(_get(e, "company"), _get(e, "event_type"), _as_date(_get(e, "event_date")), e) for e in events]
    pairs = {(c, t) for c, t, _, _ in predicted}
    ok_pairs = pairs & (gold_pairs | allowed)
    false_positives = []
    for c, t, _, e in predicted:
        if (c, t) not in gold_pairs | allowed:
            false_positives.append({"company": c, "event_type": t, "event_date": str(_get(e, "event_date")),
                                    "evidence": _get(e, "evidence") or ""})
    misses, date_errors, matches, status_errors, period_errors = [], [], [], [], []
    found = dated = key_found = key_dated = status_checked = status_right = period_checked = period_right = 0
    by_precision: dict[str, list[int]] = {}
    for g in gold_events:
        same = [(d, e) for c, t, d, e in predicted if c == g["company"] and t == g["event_type"]]
        first, last = g["_window"]
        in_window = [(d, e) for d, e in same if d is not None and first <= d <= last]
        if same:
            found += 1
            chosen = in_window[0] if in_window else same[0]
            if g.get("status"):
                got = _get(chosen[1], "status") if isinstance(chosen[1], dict) and "status" in chosen[1] \
                    else getattr(chosen[1], "status", None)
                if got is not None:
                    status_checked += 1
                    status_right += got == g["status"]
                    if got != g["status"]:
                        status_errors.append({"id": g["id"], "got": got, "want": g["status"]})
            matches.append({"id": g["id"], "got": str(chosen[0]), "in_window": bool(in_window)})
            precision = _field(chosen[1], "date_precision") or "none"
            tally = by_precision.setdefault(precision, [0, 0])
            tally[0] += bool(in_window)
            tally[1] += 1
            if g.get("fiscal_period"):
                got_period = _field(chosen[1], "fiscal_period")
                period_checked += 1
                period_right += got_period == g["fiscal_period"]
                if got_period != g["fiscal_period"]:
                    period_errors.append({"id": g["id"], "got": got_period, "want": g["fiscal_period"]})
            if in_window:
                dated += 1
            else:
                date_errors.append({"id": g["id"], "got": [str(d) for d, _ in same], "window": g["date_window"]})
        if g["key"]:
            key_found += bool(same)
            key_dated += bool(in_window)
            if not same:
                misses.append({"id": g["id"], "reason": "not found"})
            elif not in_window:
                misses.append({"id": g["id"], "reason": f"date {', '.join(str(d) for d, _ in same)} outside "
                                                        f"{g['date_window'][0]}..{g['date_window'][1]}"})
    n_key = sum(1 for g in gold_events if g["key"])
    by_article, article_fps = _by_article(gold, [e for _, _, _, e in predicted])
    ok_events = sum(1 for c, t, _, _ in predicted if (c, t) in gold_pairs | allowed)
    return EvalReport(
        precision=round(len(ok_pairs) / len(pairs), 4) if pairs else 0.0,
        precision_events=round(ok_events / len(predicted), 4) if predicted else 0.0,
        key_recall=round(key_found / n_key, 4) if n_key else 1.0,
        key_recall_dated=round(key_dated / n_key, 4) if n_key else 1.0,
        date_accuracy=round(dated / found, 4) if found else 0.0,
        precision_by_article=by_article,
        status_accuracy=round(status_right / status_checked, 4) if status_checked else 1.0,
        n_predicted_pairs=len(pairs), n_predicted_events=len(predicted), n_key=n_key, n_gold=len(gold_events),
        misses=misses, false_positives=false_positives, date_errors=date_errors, matches=matches,
        article_false_positives=article_fps, status_errors=status_errors,
        date_accuracy_by_precision={
            p: {"right": r, "found": n, "accuracy": round(r / n, 4)}
            for p, (r, n) in sorted(by_precision.items(), key=lambda kv: _PRECISION_ORDER.get(kv[0], 9))},
        fiscal_period_accuracy=round(period_right / period_checked, 4) if period_checked else None,
        fiscal_period_errors=period_errors,
        articles=_per_article(gold, predicted, article_fps),
    )


_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 5}


def _as_gold_companies(events: list, gold: dict) -> list:
    """Events of a company the gold file names by its listing rather than by a registry id (a company
    outside the registry: the gold gives `listing`, the extractor an id such as 'sec:600519.SS') are
    scored as that gold company when one of their tickers is the gold listing."""
    labelled = gold["events"] + [a for a in gold.get("allowed", []) if isinstance(a, dict)]
    by_symbol = {}
    for g in labelled:
        listing = g.get("listing")
        for symbol in ([listing] if isinstance(listing, str) else listing or []):
            by_symbol[str(symbol).upper()] = g["company"]
    if not by_symbol:
        return events
    companies = {g["company"] for g in labelled}
    out = []
    for e in events:
        company = _field(e, "company")
        mapped = next((by_symbol[t.upper()] for t in (_field(e, "tickers") or []) if t and t.upper() in by_symbol), None)
        if company in companies or mapped is None or mapped == company:
            out.append(e)
        elif isinstance(e, dict):
            out.append({**e, "company": mapped})
        else:
            out.append(replace(e, company=mapped))
    return out


def _field(event, name):
    return event.get(name) if isinstance(event, dict) else getattr(event, name, None)


def _per_article(gold: dict, predicted: list, article_fps: list[dict]) -> list[dict]:
    """Key events found (date in window) among each article's own extracted events, and the share of
    its extracted triples its labels allow."""
    names = [a["file"] for a in gold.get("articles", []) if isinstance(a, dict) and a.get("file")]
    names += [e["article"] for e in gold["events"] if e.get("article")]
    names = list(dict.fromkeys(names))
    wrong_by_article: dict = {}
    for f in article_fps:
        wrong_by_article.setdefault(f["article"], []).append(f"{f['company']}/{f['event_type']}")
    rows = []
    for name in names:
        own = [(c, t, d) for c, t, d, e in predicted if name in _articles_of(e)]
        keys = [g for g in gold["events"] if g.get("article") == name and g["key"]]
        found_dated, missed = 0, []
        for g in keys:
            first, last = g["_window"]
            if any(c == g["company"] and t == g["event_type"] and d is not None and first <= d <= last for c, t, d in own):
                found_dated += 1
            else:
                missed.append(g["id"])
        triples = {(c, t) for c, t, _ in own}
        wrong = wrong_by_article.get(name, [])
        rows.append({
            "article": name, "key_events": len(keys), "key_found_dated": found_dated,
            "key_recall_dated": round(found_dated / len(keys), 4) if keys else None,
            "extracted_pairs": len(triples),
            "precision": round(1 - len(wrong) / len(triples), 4) if triples else None,
            "missed": missed, "wrong": wrong,
        })
    return rows
