"""Entities + topics per article, side by side with trafilatura's own extraction of it.

For every real article page in tests/fixtures/pages/, time `trafilatura.extract(html)` and
then marsad's enrichment of the text it extracted (entities with the shipped CRF, gazetteer and
linking, then topics: exactly `extractors.enrich.enrich_article`). Each figure is the best of
--repeat runs after one warm-up, so other load on the machine inflates neither side much.
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

    from extractors.enrich import enrich_article

    print(f"machine: {describe()}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'article':<28}{'chars':>7}{'trafilatura ms':>16}{'enrich ms':>11}{'ratio':>7}")
    ratios, totals = [], [0.0, 0.0]
    for path in sorted([*PAGES.glob("*.html"), *PAGES.glob("*.html.gz")]):
        html = read_page(path)
        text = trafilatura.extract(html) or ""
        extract_ms = best_ms(lambda html=html: trafilatura.extract(html), args.repeat)
        enrich_ms = best_ms(lambda text=text: enrich_article(article(text)), args.repeat)
        ratios.append(enrich_ms / extract_ms)
        totals[0], totals[1] = totals[0] + extract_ms, totals[1] + enrich_ms
        print(f"{path.name:<28}{len(text):>7}{extract_ms:>16.1f}{enrich_ms:>11.1f}"
              f"{ratios[-1]:>7.2f}")  # fmt: skip
    seed = SEED.read_text("utf-8")
    seed_ms = best_ms(lambda: enrich_article(article(seed)), args.repeat)
    print(f"{SEED.name:<28}{len(seed):>7}{'(no HTML)':>16}{seed_ms:>11.1f}{'':>7}")
    print(f"enrich / trafilatura per article: median {statistics.median(ratios):.2f}, "
          f"max {max(ratios):.2f}; all pages together {totals[1] / totals[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
