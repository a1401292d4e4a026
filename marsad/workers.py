"""Extraction and enrichment on every core: a pool of worker processes.

Threads hold the pipeline to one core (the extractors and the CRF are Python) and share the
recognisers' caches, which gave different entities under load. Each worker process loads the
models once, on its first file, and works alone on its caches. Workers start with `spawn`, so
no lock held by a Prefect or HTTP thread of the parent is copied into them.

Every file gets a CPU-time budget in its worker (`item_cpu_seconds`): when it runs out, the
file fails with that reason and the worker goes on with the next one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TypeVar

from marsad.config import Settings, get_settings
from marsad.models import Article, Failure

if TYPE_CHECKING:
    from marsad.fetch.download import Fetched
    from marsad.sources import Source

Item = TypeVar("Item")

_lock = threading.Lock()
_pool: tuple[int, ProcessPoolExecutor] | None = None


class OverBudget(BaseException):  # not Exception: no "never raise" handler may swallow it
    """Raised inside a worker when a file used up its CPU time."""


def worker_count(settings: Settings | None = None) -> int:
    s = settings or get_settings()
    return s.workers or os.cpu_count() or 1


def pool(settings: Settings | None = None) -> ProcessPoolExecutor:
    """The process's pool of workers, started on first use and reused by every later run."""
    global _pool
    size = worker_count(settings)
    with _lock:
        if _pool is None or _pool[0] != size:
            context = multiprocessing.get_context("spawn")
            _pool = (size, ProcessPoolExecutor(size, mp_context=context, initializer=_start))
        return _pool[1]


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool[1].shutdown(cancel_futures=True)
            _pool = None


def extract_files(
    paths: list[Path], source: str | None, settings: Settings | None = None
) -> tuple[list[Article], list[Failure]]:
    """A batch of files extracted and enriched by one worker (the caller waits for it)."""
    s = settings or get_settings()
    if multiprocessing.current_process().daemon:  # a Dask or pool worker: no children allowed
        return extract_batch(paths, source, s, budget=False)
    return pool(s).submit(extract_batch, paths, source, s).result()


def extract_pages(
    results: list[Fetched], sources: dict[str, Source], settings: Settings | None = None
) -> tuple[list[Article], list[Failure]]:
    """Downloaded pages extracted and enriched on every worker, in their order.

    The pages are cut into one run of neighbours per worker; the results come back in the
    order the pages went in, so the output is the same as one process's.
    """
    s = settings or get_settings()
    if multiprocessing.current_process().daemon or not results:
        return extract_page_batch(results, sources, s, budget=False)
    size = min(worker_count(s), len(results))
    step = -(-len(results) // size)
    futures = [
        pool(s).submit(extract_page_batch, results[start : start + step], sources, s)
        for start in range(0, len(results), step)
    ]
    articles: list[Article] = []
    failures: list[Failure] = []
    for future in futures:
        found, failed = future.result()
        articles += found
        failures += failed
    return articles, failures


def _start() -> None:
    signal.signal(signal.SIGPROF, _over_budget)


def _over_budget(_signum: int, _frame: FrameType | None) -> None:
    raise OverBudget


def extract_batch(
    paths: list[Path], source: str | None, settings: Settings, budget: bool = True
) -> tuple[list[Article], list[Failure]]:
    """Runs in a worker (or in-process, `budget=False`): each file within its CPU budget.

    The caller's settings travel with the batch: a worker started earlier may not share them.
    """
    from marsad.files import display
    from marsad.pipeline import extract_path

    def one(path: Path) -> tuple[list[Article], list[Failure]]:
        return extract_path(
            path, source=source, max_bytes=settings.max_file_bytes, settings=settings
        )

    return _each_within_budget(paths, one, display, settings.item_cpu_seconds if budget else None)


def extract_page_batch(
    results: Sequence[Fetched], sources: dict[str, Source], settings: Settings, budget: bool = True
) -> tuple[list[Article], list[Failure]]:
    """Runs in a worker (or in-process, `budget=False`): each page within its CPU budget."""
    from marsad.pipeline import extract_pages

    def one(result: Fetched) -> tuple[list[Article], list[Failure]]:
        return extract_pages([result], sources, settings)

    def origin(result: Fetched) -> str:
        return result.item.url

    return _each_within_budget(results, one, origin, settings.item_cpu_seconds if budget else None)


def _each_within_budget(
    items: Sequence[Item],
    extract: Callable[[Item], tuple[list[Article], list[Failure]]],
    origin: Callable[[Item], str],
    cpu_seconds: float | None,
) -> tuple[list[Article], list[Failure]]:
    """`extract` of each item in turn; one that uses up its CPU seconds fails with that reason."""
    articles: list[Article] = []
    failures: list[Failure] = []
    for item in items:
        try:
            if cpu_seconds:
                signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
            found, failed = extract(item)
        except OverBudget:
            reason = f"took more than {cpu_seconds:g} s of CPU time: stopped"
            found, failed = [], [Failure(origin=origin(item), reason=reason, stage="extract")]
        finally:
            if cpu_seconds:
                signal.setitimer(signal.ITIMER_PROF, 0)
        articles += found
        failures += failed
    return articles, failures
