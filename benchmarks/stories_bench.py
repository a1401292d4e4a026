"""Placing the whole ANT corpus in stories through the index: wall time against the 5-minute
target, and against the same placing done in memory (the baseline, same run, same articles).

The corpus (31,340 records of Al Arabiya, BBC Arabic, CNN Arabic, France 24 and Sky News
Arabia, Feb–Oct 2018; cite A. Chouigui, O. Ben Khiroun, B. Elayeb, AJSE 46(8), 2021, DOI
10.1007/s13369-020-05258-z) is written to its own index prefix without enrichment (stories need
only title, text and date), then `marsad.stories.place_articles` places every article, oldest
first, exactly as after an ingest. The baseline computes the same features and decisions in
one process with nothing written (`extractors.stories.cluster`). Both must agree.

    .venv/bin/python benchmarks/stories_bench.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"


def corpus(limit: int | None):
    from itertools import islice

    from marsad.evaluation import distinct_records
    from marsad.models import Article, article_id

    for r in islice(distinct_records(CORPUS), limit):
        yield Article(id=article_id(url=r["url"], source=r["source"], key=r["id"]),
                      url=r["url"], title=r["title"], text=r["text"],
                      published_at=r["published_at"], source=r["source"])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    os.environ["MARSAD_INDEX_PREFIX"] = f"bench-stories-{os.getpid()}"
    from marsad.config import get_settings

    get_settings.cache_clear()
    from marsad.elastic.articles import write_articles
    from marsad.extractors.stories import Member, cluster, signature, story_vector
    from marsad.pipeline import article_index
    from marsad.stories import place_articles

    articles = list(corpus(args.limit))
    index = article_index()
    index.ensure()
    try:
        print(f"writing {len(articles)} articles …", file=sys.stderr, flush=True)
        for start in range(0, len(articles), 2000):
            write_articles(index, articles[start : start + 2000])
        index.refresh()
        load_before = os.getloadavg()[0]

        began = time.perf_counter()  # the baseline: the same decisions in memory
        members = []
        for a in articles:
            sig, size = signature(a.title + "\n" + a.text)
            when = a.published_at or datetime.now(UTC)
            members.append(Member(a.id, when, a.id, None, tuple(sig), size,
                                  story_vector(a.title, a.text)))  # fmt: skip
        expected = cluster(members)
        memory_wall = time.perf_counter() - began

        print("placing through the index …", file=sys.stderr, flush=True)
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        began = time.perf_counter()
        summary = place_articles(batch_size=1000)
        wall = time.perf_counter() - began
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        index.refresh()
        stored = {}
        from elasticsearch.helpers import scan

        for hit in scan(index.es, index=index.alias, _source=["story_id", "duplicate_of"]):
            stored[hit["_id"]] = (hit["_source"].get("story_id"),
                                  hit["_source"].get("duplicate_of"))  # fmt: skip
        same = sum(stored.get(i) == (p.story_id, p.duplicate_of) for i, p in expected.items())
    finally:
        index.es.indices.delete(index=f"{index.prefix}-*", ignore_unavailable=True)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    print(f"machine: {describe()}; load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")  # fmt: skip
    print(f"{summary.one_line()}")
    print(f"through the index: {wall:.0f} s ({len(articles) / wall:.0f} articles/s, "
          f"{cpu:.0f} s CPU in this process; target < 300 s); in memory: {memory_wall:.0f} s; "
          f"ratio {wall / memory_wall:.2f}")  # fmt: skip
    print(
        f"same placement as in memory: {same} of {len(expected)} articles; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
