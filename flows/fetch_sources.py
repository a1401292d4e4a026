"""Prefect flow: sources → feeds and sitemaps → new items → pages → articles → index.

Orchestration only. Polling and downloading are `marsad.fetch`, extraction, enrichment and
indexing are `marsad.pipeline` (through the shared tasks of `marsad.flows.tasks`), and every
item's fate goes to the state store, so the next run retries what failed and a killed run
resumes where it stopped. Each network task runs its own event loop; per-host timing and
robots.txt rules live in one `HostMemory` shared by all of them. No single item can stop a run:
whatever goes wrong with one (a malformed link, a server that never answers, a bug) is that
item's failure with a reason, retried after a backoff or parked (see `marsad.fetch.state`).
"""

from __future__ import annotations

import asyncio

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.futures import PrefectFuture

from marsad import pipeline, workers
from marsad.config import get_settings
from marsad.elastic.articles import IndexReport
from marsad.extractors.urls import canonical_url, host_of
from marsad.fetch.client import Fetcher
from marsad.fetch.discover import FeedOutcome, poll_sources
from marsad.fetch.download import Fetched, download
from marsad.fetch.options import FetchOptions
from marsad.fetch.politeness import HostMemory
from marsad.fetch.report import FetchSummary
from marsad.fetch.state import StateStore, WorkItem
from marsad.fetch.urlcheck import url_problem
from marsad.flows.reports import publish_fetch_report
from marsad.flows.tasks import (
    final_state,
    index_or_fail,
    place_new_stories,
    prepare_index,
    refresh_index,
)
from marsad.models import Article, Failure, article_id
from marsad.progress import progress_bar
from marsad.report import RunTally, run_verdict
from marsad.sources import Source, load_sources, select, source_for_url


@task(name="poll-feeds", cache_policy=NONE)
def poll_feeds(
    sources: list[Source], options: FetchOptions, memory: HostMemory, store: StateStore,
    refresh: bool, max_sitemaps: int,
) -> list[FeedOutcome]:  # fmt: skip
    """Conditional GET of every feed and sitemap; new items are queued in the state store."""

    async def run() -> list[FeedOutcome]:
        async with Fetcher(options, memory) as fetcher:
            return await poll_sources(
                fetcher, store, sources, refresh=refresh, max_sitemaps=max_sitemaps
            )

    return asyncio.run(run())


@task(name="skip-indexed", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def skip_indexed(items: list[WorkItem], store: StateStore) -> list[WorkItem]:
    """Items whose article is already in the index (by id) are not downloaded again."""
    ids = {article_id(url=i.url, source=i.source, key=i.url): i for i in items}
    if not ids:
        return []
    indexed = pipeline.indexed_ids(ids)
    known = [doc_id for doc_id in ids if doc_id in indexed]
    for doc_id in known:
        store.mark_known(ids[doc_id].url, doc_id)
    return [ids[doc_id] for doc_id in known]


@task(name="fetch-pages", cache_policy=NONE)
def fetch_pages(items: list[WorkItem], options: FetchOptions, memory: HostMemory) -> list[Fetched]:
    """Download one batch of items concurrently, politely per host."""

    async def run() -> list[Fetched]:
        async with Fetcher(options, memory) as fetcher:
            return await download(fetcher, items)

    return asyncio.run(run())


@task(name="extract-pages", cache_policy=NONE)
def extract_pages(
    results: list[Fetched], sources: dict[str, Source]
) -> tuple[list[Article], list[Failure]]:
    return workers.extract_pages(results, sources)


@task(name="record-results", cache_policy=NONE)
def record_results(
    store: StateStore, batch: list[Fetched], articles: list[Article], failures: list[Failure],
    report: IndexReport, max_attempts: int, backoff: float = 0.0,
) -> FetchSummary:  # fmt: skip
    """Mark each item indexed or failed (with its reason); count it for its source."""
    summary = FetchSummary()
    source_of = {f.item.url: f.item.source for f in batch}
    refused = {f.item.url for f in batch if f.refused}
    written, seen = set(report.created) | set(report.updated), set()
    for article in articles:
        url = article.origin  # the item URL: `pipeline.extract_pages` sets it on every article
        if url is None or url not in source_of:
            continue
        counts = summary.of(source_of[url])
        if article.id in written or article.id in report.unchanged:
            counts.changed += store.mark_indexed(url, article.id, article.text_hash())
            first = article.id in written and article.id not in seen
            counts.indexed += first
            counts.skipped += not first
            seen.add(article.id)
    for failure in [*failures, *report.failed]:
        status = store.mark_failed(failure.origin, failure.reason, max_attempts=max_attempts,
                                   refused=failure.origin in refused, backoff=backoff)  # fmt: skip
        reported = failure
        if status == "dropped":  # parked: say so, it will not be tried again
            parked = f"{failure.reason} (dropped after {max_attempts} attempts)"
            reported = failure.model_copy(update={"reason": parked})
        summary.of(source_of.get(failure.origin, "?")).failed.append(reported)
    return summary


@flow(name="fetch-sources", log_prints=True)
def fetch_sources(
    sources: list[str] | None = None,
    urls: list[str] | None = None,
    refresh: bool = False,
    batch_size: int = 100,
    show_progress: bool = False,
) -> FetchSummary:
    """Poll all sources (or the chosen ones), fetch their new items and index them.

    `urls` are single article URLs to fetch as well; with `urls` and no `sources`, only they
    are fetched. `refresh` re-fetches already indexed items and records which texts changed.
    """
    settings = get_settings()
    registry = load_sources(settings.sources_file)
    chosen = select(registry, sources) if sources or not urls else []
    store = StateStore(settings.fetch_state_path)
    options, memory = FetchOptions.from_settings(settings), HostMemory()
    summary = FetchSummary()
    for source in chosen:
        summary.of(source.id)
    prepare_index()
    outcomes = poll_feeds(chosen, options, memory, store, refresh, settings.fetch_max_sitemaps)
    _count_feeds(summary, outcomes)
    queued = [s.id for s in chosen] + _queue_urls(store, registry, urls or [], summary)
    work = store.work(
        list(dict.fromkeys(queued)), refresh=refresh,
        max_attempts=settings.fetch_max_attempts, per_source=settings.fetch_max_items_per_source,
    )  # fmt: skip
    if not refresh:
        known = {item.url for item in skip_indexed(work, store)}
        for item in work:
            summary.of(item.source).skipped += item.url in known
        work = [item for item in work if item.url not in known]
    work = interleave_hosts(work)
    tally = RunTally()
    batches = [work[start : start + batch_size] for start in range(0, len(work), batch_size)]
    with progress_bar("fetching", total=len(work), enabled=show_progress) as advance:
        ahead = _download(batches[0], options, memory, store) if batches else None
        for number, batch in enumerate(batches):
            assert ahead is not None
            fetched = ahead.result()
            # the next batch downloads while this one is extracted and indexed
            more = number + 1 < len(batches)
            ahead = _download(batches[number + 1], options, memory, store) if more else None
            summary.merge(_finish_batch(fetched, registry, store, tally))
            advance(len(batch))
    if summary.total("indexed"):
        refresh_index()
        place_new_stories()
    for report in summary.sources.values():
        store.save_run(report.source, report.feed_status, report.counts())
    get_run_logger().info(summary.one_line())
    publish_fetch_report(summary, tally)
    broken = summary.broken()
    failed, message = run_verdict(
        [r.source for r in broken], [r.failed[0].reason for r in broken],
        len(summary.sources), settings.fail_share, "sources",
    )  # fmt: skip
    return final_state(summary, failed, message)


def _download(
    batch: list[WorkItem], options: FetchOptions, memory: HostMemory, store: StateStore
) -> PrefectFuture[list[Fetched]]:
    """Start downloading a batch on the task runner; one download runs at a time, so the
    per-host timing in `memory` is never raced."""
    store.claim([item.url for item in batch])  # counted before it can go wrong
    return fetch_pages.submit(batch, options, memory)


def _finish_batch(
    fetched: list[Fetched], registry: dict[str, Source], store: StateStore, tally: RunTally
) -> FetchSummary:
    """Extract (on the worker processes), index and record one downloaded batch."""
    settings = get_settings()
    articles, failures = extract_pages(fetched, registry)
    report = index_or_fail(articles, refresh=False)
    written = set(report.created) | set(report.updated)
    tally.add({a.id: a for a in articles if a.id in written}.values())
    return record_results(store, fetched, articles, failures, report,
                          settings.fetch_max_attempts, settings.fetch_item_backoff)  # fmt: skip


def interleave_hosts(items: list[WorkItem]) -> list[WorkItem]:
    """Items round-robin over their hosts, each host's own order kept.

    The queue comes source by source, so a batch used to hold one or two hosts, and their
    per-host delay left the machine idle; spread out, every batch keeps many hosts busy
    while each host still gets its delay.
    """
    by_host: dict[str, list[WorkItem]] = {}
    for item in items:
        by_host.setdefault(host_of(item.url), []).append(item)
    queues = list(by_host.values())
    return [queue[i] for i in range(max(map(len, queues), default=0))
            for queue in queues if i < len(queue)]  # fmt: skip


def _count_feeds(summary: FetchSummary, outcomes: list[FeedOutcome]) -> None:
    for outcome in outcomes:
        report = summary.of(outcome.source)
        report.feeds.append(outcome.status)
        report.new += outcome.new
        if outcome.error:
            report.failed.append(Failure(origin=outcome.url, reason=outcome.error, stage="load"))


def _queue_urls(store: StateStore, registry, urls: list[str], summary: FetchSummary) -> list[str]:
    """Single article URLs join the queue under their site's source (or their host name); one
    the fetcher would refuse is reported at once and not queued."""
    queued = []
    for raw in urls:
        url, problem = _checked(raw)
        if url is None:
            failure = Failure(origin=raw, reason=problem, stage="load")
            summary.of("urls").failed.append(failure)
            continue
        source = source_for_url(registry, url)
        source_id = source.id if source else host_of(url)
        summary.of(source_id).new += store.add_urls(source_id, [url])
        queued.append(source_id)
    return queued


def _checked(raw: str) -> tuple[str | None, str]:
    """The canonical URL, or None and why it cannot be fetched."""
    try:
        url = canonical_url(raw)
    except ValueError:  # urllib's own parse errors, e.g. an unclosed "[" in the host
        url = None
    problem = url_problem(url or raw) or ("" if url else "not an http(s) URL")
    return (None, problem) if problem else (url, "")
