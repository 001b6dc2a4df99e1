"""Extraction throughput: articles per second through clean + split + companies + dates + events.

The five seeds are replicated with varied text (company names swapped, numbers and weekdays
changed, sentences shuffled within paragraphs) into ~5 KB articles, so caches cannot make the
numbers look better than real input would. Prints articles/s for intake (from files on disk) and
for event extraction separately, and the two together.

With ../shared/companies beside the repository it also loads the securities table (SEC and
FinanceDatabase lists) into an in-memory database, times reading it back and compiling the
securities index (what each `tracker events` run pays once), and runs the extraction again with
the securities-backed matcher, so both figures stand side by side.

    .venv/bin/python benchmarks/extract_bench.py [N_ARTICLES]
    .venv/bin/python benchmarks/extract_bench.py --pool [N_ARTICLES]

With --pool it times extraction in one process and in a pool of every usable CPU for growing
slices of the articles (wall time: a pool is for the clock), which is how
``tracker.events.extract.PARALLEL_MIN_ARTICLES`` was chosen.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tracker.companies.registry import load_registry
from tracker.events.extract import extract_events
from tracker.articles.ingest import read_articles
from tracker.resources import seeds_dir

SHARED_COMPANIES = Path(__file__).resolve().parent.parent.parent / "shared" / "companies"

SWAPS = [("Alibaba", "Tencent"), ("Baidu", "JD.com"), ("Huawei", "Xiaomi"), ("Cambricon", "SMIC"),
         ("Nvidia", "AMD"), ("SenseTime", "Megvii"), ("Oracle", "Microsoft"), ("DeepSeek", "Zhipu")]


def variants(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    bodies = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    out = []
    for i in range(n):
        text = bodies[i % len(bodies)]
        for a, b in rng.sample(SWAPS, 3):
            text = text.replace(a, b)
        text = text.replace("3,2", f"{rng.randint(1, 9)},{rng.randint(0, 9)}").replace("13 %", f"{rng.randint(2, 30)} %")
        paragraphs = text.split("\n")
        rng.shuffle(paragraphs)
        text = "\n".join(paragraphs)
        while len(text) < 4500:
            text += "\n" + rng.choice(paragraphs)
        out.append(text[:5500])
    return out


def main(n: int = 1000) -> None:
    texts = variants(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = []
        start = date(2025, 1, 1)
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
            lines.append(f'[[article]]\nfile = "{i:05d}.txt"\npublished = {start + timedelta(days=i % 300)}\n')
        (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
        registry = load_registry()
        t0, c0 = time.perf_counter(), time.process_time()
        articles, problems = read_articles([folder])
        t1, c1 = time.perf_counter(), time.process_time()
        events = extract_events(articles, registry, workers=1)
        t2, c2 = time.perf_counter(), time.process_time()
        linked = securities_run(articles, registry)
    size = sum(len(a.text.encode()) for a in articles) / max(1, len(articles))
    print(f"articles: {len(articles)} (mean cleaned size {size / 1024:.1f} KB), problems: {len(problems)}, events: {len(events)}")
    # CPU time too: the machine is shared, and wall time then measures the neighbours.
    n = len(articles)
    print(f"intake:     {n / (t1 - t0):8.0f} articles/s wall, {n / (c1 - c0):8.0f} articles/s CPU")
    print(f"extraction: {n / (t2 - t1):8.0f} articles/s wall, {n / (c2 - c1):8.0f} articles/s CPU")
    print(f"together:   {n / (t2 - t0):8.0f} articles/s wall, {n / (c2 - c0):8.0f} articles/s CPU")
    if linked:
        for line in linked:
            print(line)


def securities_run(articles: list, registry) -> list[str]:
    """Extraction with the securities table loaded; [] when ../shared/companies is absent."""
    if not (SHARED_COMPANIES / "sec_company_tickers_exchange.json").exists():
        return []
    from tracker.companies import linking
    from tracker.companies.evidence import ordinary_words
    from tracker.companies.securities import load_financedatabase, load_sec, store_securities
    from tracker.db import connect

    con = connect(":memory:")
    t0 = time.perf_counter()
    store_securities(con, [load_sec(SHARED_COMPANIES / "sec_company_tickers_exchange.json"),
                           load_financedatabase(SHARED_COMPANIES / "financedatabase")])
    t1 = time.perf_counter()
    rows = con.execute("SELECT count(*) FROM securities").fetchone()[0]
    ordinary_words.cache_clear()
    linking._INDEX_CACHE.clear()
    c1 = time.process_time()
    companies = linking.linked_companies(con, registry)   # reads the table back and compiles the automaton
    t2, c2 = time.perf_counter(), time.process_time()
    events = extract_events(articles, companies)
    t3, c3 = time.perf_counter(), time.process_time()
    n = len(articles)
    return [
        f"securities: {rows} rows loaded from files and grouped in {t1 - t0:.2f} s; read back and compiled "
        f"({len(companies.index)} names) in {t2 - t1:.2f} s wall, {c2 - c1:.2f} s CPU",
        f"extraction with securities: {n / (t3 - t2):8.0f} articles/s wall, {n / (c3 - c2):8.0f} articles/s CPU "
        f"(events: {len(events)})",
    ]


def pool(n: int = 1000) -> None:
    from tracker.events.extract import _usable_cpus

    texts = variants(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = []
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
            lines.append(f'[[article]]\nfile = "{i:05d}.txt"\npublished = {date(2025, 1, 1) + timedelta(days=i % 300)}\n')
        (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
        articles, _ = read_articles([folder])
    registry = load_registry()
    workers = _usable_cpus()
    print(f"usable CPUs: {workers}")
    extract_events(articles[:20], registry, workers=1)   # warm the regex caches
    size = 25
    while size <= len(articles):
        part = articles[:size]
        t0 = time.perf_counter()
        extract_events(part, registry, workers=1)
        t1 = time.perf_counter()
        extract_events(part, registry, workers=workers)
        t2 = time.perf_counter()
        print(f"{size:6d} articles: one process {size / (t1 - t0):6.0f}/s, pool of {workers} {size / (t2 - t1):6.0f}/s")
        size *= 2


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--pool"]
    count = int(args[0]) if args else 1000
    pool(count) if "--pool" in sys.argv[1:] else main(count)
