"""Articles → dated company events (DESIGN.md §3), merged across articles, and their storage.

Per sentence, ``sentence_events.find_in_sentence`` says which companies a cue governs and with
what modality; this module dates each find, flags background facts, merges reports of the same
event into one ``Event`` with all its ``sources``, and scores a confidence.

Dates: the temporal expression in the cue's clause nearest the cue, else one that opens the
sentence ("Diese Woche ordnete ..."), else the publication date. "seit ..." measures a move rather
than dating it, so it only dates listings ("seit 2020 am STAR-Board notiert"). The study date is
the event date when it is day-precise and not after publication, else the publication date
(DESIGN.md §3); background facts and negated events get none.

Reference: sentences that say "das Unternehmen", "die Aktie", "the company" are resolved by
``focus.Resolver`` (same sentence, the previous subjects, the focal company); each event records
the words that named or referred to its company and how they were resolved.

Reference day: relative dates ("am Mittwoch") resolve against the publication date, seen from the
company's main exchange when the article gives a time (``dates.market``), and against a yearless
wire dateline's day ("Frankfurt, 12. Mär (dpa)") when that is the earlier of the two.

Earnings and guidance: the event date is the release day; the period the results cover is the
``fiscal_period`` ('2025-Q2', '2025-H1', '2025-FY'). Without a release day the event spans the days
after the period ended up to publication (``dates.release``), and "am Tag der Zahlen" takes the
release day the same article gives.

Merging key: (company, event_type, date bucket) where the bucket is the ISO week for day- and
week-precise dates and for publication-dated events, else the period value ('2025-08',
'2025-H1', '2014'). The event id is the sha1 of that key, so re-runs give the same ids.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.articles.sentences import split_sentences
from tracker.dates.dateline import read_dateline
from tracker.dates.market import market_day
from tracker.dates.release import (RELEASE_DAY, ends_a_period, fiscal_period, period_end, period_ending,
                                   precision_of_span, release_window)
from tracker.events.focus import Resolver, focal_company
from tracker.events.headlines import headline
from tracker.events.sentence_events import Found, find_in_sentence, may_refer_to_company

# A wire dateline ("BEIJING, Sept 1 - ") stamps the story, it does not date the event after it.
_DATELINE = re.compile(r"[A-ZÄÖÜ][A-ZÄÖÜ.' ]{2,}(?:\s*\([^)]{1,40}\))?,\s*[^-–—\n]{1,30}?\s+[-–—]\s")
# "Frankfurt, 12. Mär (dpa) -": a place in any case, a short date, an agency, a dash
_WIRE_DATELINE = re.compile(r"[A-ZÄÖÜ][\wÄÖÜäöüß.' ]{1,30},\s*[^-–—\n]{1,20}?\(\w[\w./ -]{1,20}\)\s*[-–—:]\s")
BACKGROUND_AFTER = timedelta(days=365)   # explicit dates this far before publication are history
_STATUS_RANK = {"reported": 0, "planned": 1, "considered": 2, "rumoured": 3, "negated": 4}
_SOURCE_RANK = {"explicit": 0, "relative": 1, "publication": 2}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 5}
_MODALITY_WEIGHT = {"reported": 1.0, "planned": 0.85, "considered": 0.7, "rumoured": 0.6, "negated": 0.5}
_PERIOD_TYPES = ("earnings", "guidance")   # dated by the period they cover as well as by their release
_DATE_WEIGHT = {"explicit": 1.0, "relative": 0.95, "publication": 0.85}


@dataclass
class Source:
    article: str
    published: date | None
    evidence: str
    evidence_start: int
    evidence_end: int


@dataclass
class Event:
    id: str
    company: str
    company_name: str
    tickers: list[str]
    event_type: str
    event_date: date | None
    date_precision: str | None
    date_source: str
    date_text: str
    date_value: str | None
    published: date | None
    article: str
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    headline: str
    status: str
    background: bool
    study_date: date | None
    trigger_text: str = ""
    fiscal_period: str | None = None    # earnings/guidance: the period reported ('2025-H1'), never the event date
    company_mention: str = ""           # the words in the evidence that name or refer to the company
    company_resolved_by: str = "name"   # name | product | relative | same_sentence | previous_subject | focal
    sources: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "sources"}
        for k in ("event_date", "published", "study_date"):
            d[k] = d[k].isoformat() if d[k] else None
        d["sources"] = sorted({s.article for s in self.sources})
        d["evidence_all"] = [
            {"article": s.article, "published": s.published.isoformat() if s.published else None,
             "evidence": s.evidence, "start": s.evidence_start, "end": s.evidence_end}
            for s in self.sources
        ]
        return d


@dataclass
class _Report:
    """One sentence's report of one event, before merging."""
    found: Found
    article: object
    sentence: tuple[int, int]
    event_date: date | None
    last_day: date | None
    precision: str | None
    date_source: str
    date_text: str
    date_value: str | None
    background: bool
    confidence: float
    fiscal_period: str | None = None


# Below this many articles one process is faster than starting a pool and shipping the articles
# to it (benchmarks/extract_bench.py --pool measures the crossing point).
PARALLEL_MIN_ARTICLES = 500


def extract_events(articles: list, registry, workers: int | None = None) -> list:
    """All events the articles report, merged, in order of (study date, company, type).

    Articles are read independently, so a large folder is spread over ``workers`` processes (default:
    the CPUs this process may use that the machine's load leaves idle) when it has at least
    PARALLEL_MIN_ARTICLES articles; merging runs here. ``workers=1`` never starts a pool; the environment
    variable TRACKER_WORKERS sets the number for every call that does not pass one."""
    if workers is None:
        import os

        forced = os.environ.get("TRACKER_WORKERS", "")
        if forced.isdigit() and int(forced) > 0:
            workers = int(forced)
        else:
            workers = _idle_cpus() if len(articles) >= PARALLEL_MIN_ARTICLES else 1
    if workers > 1 and len(articles) > 1:
        reports = _reports_in_pool(articles, registry, workers)
    else:
        reports = [r for article in articles for r in _article_reports(article, registry)]
    return _merge(reports, registry)


def _idle_cpus() -> int:
    """CPUs a pool could have to itself: the usable ones less the load already running. On a busy
    machine a second process only queues behind the others (measured: slower than one process)."""
    import os

    cpus = _usable_cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cpus
    return max(1, min(cpus, int(cpus - load + 1)))


def _usable_cpus() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


_POOL_REGISTRY = None


def _pool_init(registry) -> None:
    global _POOL_REGISTRY
    _POOL_REGISTRY = registry


def _pool_chunk(chunk: list) -> list[list]:
    """Reports of each article of the chunk, with the article left out (the caller has it)."""
    out = []
    for article in chunk:
        reports = _article_reports(article, _POOL_REGISTRY)
        for r in reports:
            r.article = None
        out.append(reports)
    return out


def _reports_in_pool(articles: list, registry, workers: int) -> list[_Report]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # several chunks per worker keep both busy when articles differ in length
    size = max(1, -(-len(articles) // (workers * 4)))
    chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
    # fork where there is one: a spawned worker first imports the package and compiles every pattern
    # (about a second on a busy machine), a forked one starts with them; workers run only this
    # module's pure-Python code, never the caller's DuckDB connection
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_pool_init, initargs=(registry,)) as pool:
        results = list(pool.map(_pool_chunk, chunks))
    reports = []
    for chunk, per_article in zip(chunks, results):
        for article, found in zip(chunk, per_article):
            for r in found:
                r.article = article
            reports.extend(found)
    return reports


def _article_reports(article, registry) -> list[_Report]:
    text = article.text
    mentions = registry.match(text)
    sentences = split_sentences(text)
    by_sentence: list[list] = [[] for _ in sentences]
    i = 0
    for m in mentions:
        while i < len(sentences) and sentences[i][1] <= m.start:
            i += 1
        if i < len(sentences) and sentences[i][0] <= m.start:
            by_sentence[i].append(m)
    resolver = Resolver(text, sentences, by_sentence, focal_company(text, mentions, sentences))
    ref = _Reference(article, registry)
    reports = []
    timex_cache: dict = {"dateline": ref.dateline}
    for si, (start, end) in enumerate(sentences):
        if not by_sentence[si] and not may_refer_to_company(text[start:end]):
            continue   # no company named, referred to or implied by a product: no event possible
        for found in find_in_sentence(text, start, end, by_sentence[si], lambda pos, si=si: resolver.resolve(si, pos)):
            reports.append(_dated(article, found, (start, end), timex_cache, ref))
    _bind_release_days(article, reports)
    return reports


class _Reference:
    """The day relative dates of one article resolve against, per company: the publication day (at
    the company's exchange when the article has a clock time), or an earlier wire dateline day."""

    def __init__(self, article, registry) -> None:
        self.article = article
        self.registry = registry
        self.dateline = read_dateline(article.text, article.published)
        self._days: dict[str, date | None] = {}

    def day(self, company: str) -> date | None:
        if company not in self._days:
            published = self.article.published
            at = getattr(self.article, "published_at", None)
            listing = None
            if at is not None:
                try:
                    listing = self.registry.get(company).primary_listing
                except Exception:   # a company the registry does not hold (a securities match): no exchange
                    listing = None
            day = market_day(at, listing.exchange if listing else None, published)
            if self.dateline and not self.dateline.year_given and day and \
                    day - timedelta(days=3) <= self.dateline.day < day:
                day = self.dateline.day   # filed that day, published later: "Mittwoch" counts from the filing
            self._days[company] = day
        return self._days[company]


def _dated(article, found: Found, sentence: tuple[int, int], cache: dict, ref: _Reference | None = None) -> _Report:
    dct = ref.day(found.company) if ref is not None else article.published
    timex = _governing_timex(article, found, sentence, cache, dct)
    published = article.published
    fiscal = period = None
    if found.event_type in _PERIOD_TYPES:
        period = _reported_period(article, found, sentence, cache, dct)
        if period is not None:
            fiscal = fiscal_period(period)
    if timex is None and found.event_type in _PERIOD_TYPES and period is not None:
        timex = period   # "for the quarter ended June 30": the period, and no release day
    if timex is not None and found.event_type in _PERIOD_TYPES and fiscal_period(timex) is not None \
            and published is not None:
        # The text names the period, not the release day: the results came out after the period ended
        # and by publication (a forecast names the period it is about and was given by publication).
        fye = _fiscal_year_end(found.company, ref)
        window = release_window(period_end(timex, fye), published) if found.event_type == "earnings" else None
        if window is not None:
            first, last_day = window
            event_date, last, precision = first, last_day, precision_of_span(first, last_day)
            source, text, value = "relative", timex.text, f"{first.isoformat()}/{last_day.isoformat()}"
        else:
            event_date, last, precision = published, published, "day"
            source, text, value = "publication", "", published.isoformat()
    elif timex is not None:
        event_date, last, precision = timex.first_day, timex.last_day, timex.precision
        source, text, value = timex.kind, timex.text, timex.value
    else:
        event_date, last, precision = published, published, "day" if published else None
        source, text, value = "publication", "", published.isoformat() if published else None
    background = found.cue == "founding" or bool(
        timex is not None and published and timex.kind == "explicit" and timex.last_day < published - BACKGROUND_AFTER)
    how_weight = 1.0 if found.how in ("span", "clause") else 0.85
    if found.how.endswith(":product") or found.how.endswith(":anaphor"):
        how_weight *= 0.9
    # The product of the evidence weights, mapped onto 0.1..0.91 (a cue fired at all: never 0);
    # every further report of the same event adds a little in _merge.
    score = found.strength * how_weight * _MODALITY_WEIGHT[found.status] * _DATE_WEIGHT[source]
    return _Report(found, article, sentence, event_date, last, precision, source, text, value, background,
                   round(0.1 + 0.9 * score, 3), fiscal)


def _fiscal_year_end(company: str, ref: _Reference | None) -> int | None:
    if ref is None:
        return None
    try:
        return ref.registry.get(company).fiscal_year_end_month
    except Exception:   # not a registry company: calendar year
        return None


def _sentence_timexes(article, sentence: tuple[int, int], cache: dict, dct: date | None) -> tuple[list, date]:
    from tracker.dates import tag

    if dct is None:
        dct, explicit_only = date.today(), True
    else:
        explicit_only = False
    s0, s1 = sentence
    lang = article.language if article.language in ("de", "en") else "de"
    key = (sentence, dct)
    if key not in cache:   # several cues in one sentence share its dates
        cache[key] = tag(article.text[s0:s1], dct, lang)
    dateline = _DATELINE.match(article.text, s0, s1) or _WIRE_DATELINE.match(article.text, s0, s1)
    skip_to = dateline.end() - s0 if dateline else 0
    read = cache.get("dateline")
    if read is not None and s0 <= read.start < s1:   # "Hongkong, 07. September: ..." stamps the story
        skip_to = max(skip_to, read.end - s0)
    return [t for t in cache[key] if (not explicit_only or t.kind == "explicit") and t.start >= skip_to], dct


def _reported_period(article, found: Found, sentence: tuple[int, int], cache: dict, dct: date | None):
    """The quarter, half or year the results or forecast in this sentence are about."""
    timexes, _ = _sentence_timexes(article, sentence, cache, dct)
    s0 = sentence[0]
    periods = [t for t in timexes if fiscal_period(t) is not None]
    periods += [p for t in timexes if ends_a_period(article.text, s0 + t.start) and (p := period_ending(t)) is not None]
    if not periods:
        return None
    return min(periods, key=lambda t: abs(s0 + t.start - found.trigger_start))


def _bind_release_days(article, reports: list[_Report]) -> None:
    """ "Am Tag der Zahlen fiel die Aktie": the day the same article's results came out."""
    released = {}
    for r in reports:
        if r.found.event_type == "earnings" and r.precision == "day" and r.date_source != "publication":
            released.setdefault(r.found.company, r)
    if not released:
        return
    any_release = next(iter(released.values()))
    text = article.text
    for r in reports:
        if r.date_source != "publication":
            continue
        m = RELEASE_DAY.search(text, *r.sentence)
        if m is None:
            continue
        src = released.get(r.found.company, any_release)
        r.event_date, r.last_day, r.precision = src.event_date, src.last_day, "day"
        r.date_source, r.date_text, r.date_value = "relative", m.group(0), src.date_value


def _governing_timex(article, found: Found, sentence: tuple[int, int], cache: dict, dct: date | None = None):
    if dct is None:
        dct = article.published
    timexes, dct = _sentence_timexes(article, sentence, cache, dct)
    s0, s1 = sentence
    usable = [t for t in timexes
              if (t.interval is None or (t.interval == "since" and (found.event_type in ("listing", "other")
                                                                   # "will ab 2028 in Europa verkaufen": from then on
                                                                   or found.status == "planned")))
              # what has happened cannot be dated after publication: "expects third-quarter revenue"
              # names the period a forecast is about, not the day it was given
              and not (found.status in ("reported", "negated") and t.first_day > dct)]
    if found.event_type in ("earnings", "guidance"):
        usable = [t for t in usable if not ends_a_period(article.text, s0 + t.start)]
        # Results name a period ("im dritten Quartal") and, often, the day they came out
        # ("teilte der Konzern am Mittwoch mit"): the market learnt of them on that day.
        announced = [t for t in usable if t.precision in ("day", "week")]
        c0, c1 = found.clause
        own = [t for t in announced if c0 <= s0 + t.start and s0 + t.end <= c1]
        if own:
            return own[0]
        # "Shares surged on Friday after the company reported ...": the day of the price reaction
        # is not the day of the results
        announced = [t for t in announced if not _in_stock_move_clause(article.text, s0, s1, s0 + t.start)]
        if announced:
            return announced[0]
    c0, c1 = found.clause
    in_clause = [t for t in usable if c0 <= s0 + t.start and s0 + t.end <= c1]
    if in_clause:
        return _range_start(min(in_clause, key=lambda t: abs(s0 + t.start - found.trigger_start)), usable, article.text, s0)
    opening = [t for t in usable if t.start <= 4]   # "Diese Woche ...", "Am 18. September ..."
    if opening:
        return opening[0]
    # The clause that names the company carries the date for an appositive cue:
    # "SenseTime war schon 2019 ... auf die "Entity List", eine schwarze Liste ..., gesetzt worden".
    k0, k1 = found.company_clause
    in_company_clause = [t for t in usable if k0 <= s0 + t.start and s0 + t.end <= k1]
    if in_company_clause:
        return in_company_clause[0]
    # "Baidu und Geely vertiefen ihre Zusammenarbeit, teilten beide Konzerne am Dienstag mit": the
    # day of the announcement, from the clause that reports it.
    from tracker.events.sentence_events import clauses
    from tracker.events.triggers import REPORTING_CLAUSE

    for r0, r1 in clauses(article.text, s0, s1):
        if REPORTING_CLAUSE.search(article.text, r0, r1):
            said = [t for t in usable if t.precision == "day" and r0 <= s0 + t.start and s0 + t.end <= r1]
            if said:
                return said[0]
    return None


def _in_stock_move_clause(text: str, s0: int, s1: int, pos: int) -> bool:
    from tracker.events.sentence_events import clauses
    from tracker.events.triggers import CUES

    for c0, c1 in clauses(text, s0, s1):
        if c0 <= pos < c1:
            return any(cue.event_type == "stock_move" and cue.pattern.search(text, c0, c1) for cue in CUES)
    return False


_RANGE_JOIN = re.compile(r"\s*(?:und|bis|and|to|through|-|–)\s*")


def _range_start(chosen, timexes: list, text: str, s0: int):
    """ "am 3. und 4. März", "from March 3 to 5": an event over several days starts on the first."""
    before = [t for t in timexes if t.end <= chosen.start and _RANGE_JOIN.fullmatch(text, s0 + t.end, s0 + chosen.start)]
    if before and chosen.precision == before[-1].precision == "day" and chosen.interval is None:
        return before[-1]
    return chosen


def _bucket(r: _Report) -> str:
    if r.date_source == "publication" or r.precision in ("day", "week"):
        if r.event_date is None:
            return "undated"
        y, w, _ = r.event_date.isocalendar()
        return f"{y}-W{w:02d}"
    return r.date_value or "undated"


def _buckets(reports: list[_Report]) -> list[str]:
    """Each report's date bucket. An undated mention (publication date standing in) joins a dated
    report of the same company and type in the same article when that date is recent: "Tencent
    steigerte im dritten Quartal den Umsatz ... Der Internetkonzern meldete einen Nettogewinn" is
    one earnings report, not two."""
    out = [_bucket(r) for r in reports]
    dated: dict[tuple[str, str, str], list[tuple[_Report, str]]] = {}
    for r, b in zip(reports, out):
        if r.date_source != "publication":
            dated.setdefault((r.article.file, r.found.company, r.found.event_type), []).append((r, b))
    for i, r in enumerate(reports):
        if r.article.published is None:
            continue
        if r.date_source == "publication":
            near = [(d, b) for d, b in dated.get((r.article.file, r.found.company, r.found.event_type), [])
                    if d.last_day and r.article.published - timedelta(days=31) <= d.last_day]
        elif r.found.event_type in _PERIOD_TYPES and r.precision not in ("day", "week"):
            # "Tencent verdient im zweiten Quartal mehr" names the period the results cover; the
            # same article's "teilte am Mittwoch mit" says when they came out: one event.
            near = [(d, b) for d, b in dated.get((r.article.file, r.found.company, r.found.event_type), [])
                    if d.precision in ("day", "week") and d.date_source != "publication"]
        else:
            continue
        if near:
            out[i] = min(near, key=lambda db: (_PRECISION_RANK.get(db[0].precision or "year", 9)))[1]
    return out


def _merge(reports: list[_Report], registry) -> list[Event]:
    buckets = _buckets(reports)
    groups: dict[tuple[str, str, str], list[_Report]] = {}
    for r, bucket in zip(reports, buckets):
        groups.setdefault((r.found.company, r.found.event_type, bucket), []).append(r)
    events = []
    for key, group in groups.items():
        # The best-dated report speaks for the event: explicit before relative before publication,
        # finer before coarser, then the earliest article and sentence.
        group.sort(key=lambda r: (_SOURCE_RANK[r.date_source], _PRECISION_RANK.get(r.precision or "year", 9),
                                  r.article.published or date.max, r.article.file, r.sentence[0]))
        best = group[0]
        first_published = min((r.article.published for r in group if r.article.published), default=None)
        company = registry.get(key[0])
        status = min((r.found.status for r in group), key=_STATUS_RANK.__getitem__)
        background = all(r.background for r in group)
        sources, seen = [], set()
        for r in sorted(group, key=lambda r: (r.article.published or date.max, r.article.file, r.sentence[0])):
            s0, s1 = r.sentence
            if (r.article.file, s0) in seen:
                continue
            seen.add((r.article.file, s0))
            sources.append(Source(r.article.file, r.article.published, r.article.text[s0:s1], s0, s1))
        confidence = min(0.99, max(r.confidence for r in group) + 0.03 * (len(sources) - 1))
        primary = next(r for r in group if r.article.file == sources[0].article and r.sentence[0] == sources[0].evidence_start)
        study_date = _study_date(best, first_published, background, status)
        ev = Event(
            id=hashlib.sha1("|".join(key).encode()).hexdigest()[:16], company=key[0], company_name=company.name,
            tickers=[l.symbol for l in company.listings], event_type=key[1], event_date=best.event_date,
            date_precision=best.precision, date_source=best.date_source, date_text=best.date_text,
            date_value=best.date_value, published=first_published, article=sources[0].article,
            evidence=sources[0].evidence, evidence_start=sources[0].evidence_start, evidence_end=sources[0].evidence_end,
            confidence=round(confidence, 3), headline="", status=status, background=background,
            study_date=study_date, trigger_text=primary.found.trigger_text,
            fiscal_period=next((r.fiscal_period for r in group if r.fiscal_period), None),
            company_mention=primary.found.mention, company_resolved_by=primary.found.resolved_by, sources=sources,
        )
        ev.headline = headline(ev, company.name, [s.evidence for s in sources])
        events.append(ev)
    events.sort(key=lambda e: (e.study_date or e.event_date or date.max, e.company, e.event_type))
    return events


def _study_date(best: _Report, published: date | None, background: bool, status: str) -> date | None:
    if background or status == "negated" or published is None:
        return None
    if best.precision == "day" and best.event_date and best.event_date <= published:
        return best.event_date
    return published
