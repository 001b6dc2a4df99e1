"""Throughput of tracker.dates.tag() on the seed articles (prints figures; not a test).

    .venv/bin/python benchmarks/dates_bench.py [repeats]
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from tracker.dates import tag

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main(repeats: int = 200) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    dct = date(2025, 9, 20)
    print(f"{len(texts)} seed articles, {chars / len(texts):,.0f} characters on average; "
          f"CPU time of this process (best of 5 rounds of {repeats}), so other load on the machine counts less")
    for lang in ("de", "en"):
        tag(texts[0], dct, lang)  # warm up
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(repeats):
                for text in texts:
                    tag(text, dct, lang)
            rounds.append(time.process_time() - start)
        best = min(rounds)
        print(f"lang={lang}: {len(texts) * repeats / best:,.0f} articles/s on one core, "
              f"{best / repeats / chars * 5000 * 1000:.3f} ms per 5 KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
