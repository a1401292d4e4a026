"""Entities + topics per article, side by side with trafilatura's own extraction of it.

For every real article page in tests/fixtures/pages/, time `trafilatura.extract(html)` and
then marsad's enrichment of the text it extracted (entities with the shipped CRF, gazetteer and
linking, then topics: exactly `marsad.pipeline.enrich`). Each figure is the best of
--repeat runs after one warm-up, so other load on the machine inflates neither side much.
Enrichment is timed twice: warm (the CRF's per-word caches hold the article's words, as in a
long ingest of similar news) and cold (every word computed for the first time).
The seed article is a .txt (no HTML), so only its enrichment time is shown. Usage:

    .venv/bin/python benchmarks/enrich_bench.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
SEED = ROOT / "seeds" / "000_26f213205dacc3d1.txt"


def best_ms(run: Callable[[], object], repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times) * 1000


def cold_ms(run: Callable[[], object], repeat: int) -> float:
    """Best time with every per-word cache emptied first: each word is seen for the first time."""
    from marsad.extractors.entities.crf import default_tagger

    times = []
    for _ in range(max(repeat // 3, 1)):
        default_tagger().forget_words()
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times) * 1000


def read_page(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")


def article(text: str):
    from marsad.models import Article

    return Article(id="bench", title="", text=text, source="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    import trafilatura

    from marsad.pipeline import enrich as enrich_article

    print(f"machine: {describe()}, load average {os.getloadavg()[0]:.2f}")
    print("warm: the model's per-word caches already hold the article's words (a long ingest);")
    print("cold: every word is new to them (the first article of a process).")
    print(f"{'article':<28}{'chars':>7}{'trafilatura ms':>16}{'warm ms':>9}{'ratio':>7}"
          f"{'cold ms':>9}{'ratio':>7}")  # fmt: skip
    warm, cold, totals = [], [], [0.0, 0.0, 0.0]
    for path in sorted([*PAGES.glob("*.html"), *PAGES.glob("*.html.gz")]):
        html = read_page(path)
        text = trafilatura.extract(html) or ""
        extract_ms = best_ms(lambda html=html: trafilatura.extract(html), args.repeat)
        cold_run = cold_ms(lambda text=text: enrich_article(article(text)), args.repeat)
        warm_run = best_ms(lambda text=text: enrich_article(article(text)), args.repeat)
        warm.append(warm_run / extract_ms)
        cold.append(cold_run / extract_ms)
        for i, value in enumerate((extract_ms, warm_run, cold_run)):
            totals[i] += value
        print(f"{path.name:<28}{len(text):>7}{extract_ms:>16.1f}{warm_run:>9.1f}{warm[-1]:>7.2f}"
              f"{cold_run:>9.1f}{cold[-1]:>7.2f}")  # fmt: skip
    seed = SEED.read_text("utf-8")
    seed_ms = best_ms(lambda: enrich_article(article(seed)), args.repeat)
    print(f"{SEED.name:<28}{len(seed):>7}{'(no HTML)':>16}{seed_ms:>9.1f}")
    for name, ratios, total in (("warm", warm, totals[1]), ("cold", cold, totals[2])):
        print(f"{name} enrich / trafilatura per article: median {statistics.median(ratios):.2f}, "
              f"max {max(ratios):.2f}; all pages together {total / totals[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
