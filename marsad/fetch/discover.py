"""A source's feeds and sitemaps → items queued in the state store.

Each feed is a conditional GET with the validators of the last run; its items are stored in the
same transaction as its new validators (see `state`). A sitemap index is followed one level
down, to at most `max_sitemaps` child sitemaps. Whatever goes wrong with one feed is that
feed's failure with a reason; the other feeds and the run go on.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from marsad.extractors.errors import ExtractionError
from marsad.extractors.feeds import FeedItem, parse_feed, parse_sitemap
from marsad.fetch.client import Fetcher, FetchError, Page, unexpected
from marsad.fetch.state import StateStore
from marsad.sources import Source


@dataclass
class FeedOutcome:
    source: str
    url: str
    status: str  # "200", "304" or "failed"
    new: int = 0
    error: str | None = None


async def poll_sources(
    fetcher: Fetcher, store: StateStore, sources: list[Source], *, refresh: bool, max_sitemaps: int
) -> list[FeedOutcome]:
    """Poll every feed and sitemap of `sources` concurrently (politeness is per host)."""
    jobs = [_poll(fetcher, store, s, url, "feed", refresh, max_sitemaps) for s in sources
            for url in s.feeds]  # fmt: skip
    jobs += [_poll(fetcher, store, s, url, "sitemap", refresh, max_sitemaps) for s in sources
             for url in s.sitemaps]  # fmt: skip
    results = await asyncio.gather(*jobs)
    return [outcome for outcomes in results for outcome in outcomes]


async def _poll(fetcher, store, source, url, kind, refresh, max_sitemaps) -> list[FeedOutcome]:
    headers = {} if refresh else store.validators(url)
    try:
        page = await fetcher.get(url, headers)
    except FetchError as exc:
        store.record_feed(url, source.id, "failed", error=exc.reason)
        return [FeedOutcome(source.id, url, "failed", error=exc.reason)]
    if page.not_modified:
        store.record_feed(url, source.id, "304")
        return [FeedOutcome(source.id, url, "304")]
    try:
        items, children = _parse(page, kind, fetcher.options.max_bytes)
    except Exception as exc:  # ExtractionError, or a parser's own bug: this feed failed
        reason = exc.reason if isinstance(exc, ExtractionError) else unexpected(exc)
        store.record_feed(url, source.id, "failed", error=reason)
        return [FeedOutcome(source.id, url, "failed", error=reason)]
    new = store.record_feed(
        url, source.id, str(page.status), etag=page.headers.get("etag"),
        last_modified=page.headers.get("last-modified"), items=items,
    )  # fmt: skip
    outcomes = [FeedOutcome(source.id, url, str(page.status), new=new)]
    if children and max_sitemaps > 0:  # an index: its children are sitemaps, not indexes
        chosen = children[:max_sitemaps]
        jobs = [_poll(fetcher, store, source, c, "sitemap", refresh, 0) for c in chosen]
        outcomes += [o for found in await asyncio.gather(*jobs) for o in found]
    return outcomes


def _parse(page: Page, kind: str, max_bytes: int) -> tuple[list[FeedItem], list[str]]:
    if kind == "feed":
        return parse_feed(page.body, page.final_url), []
    sitemap = parse_sitemap(page.body, page.final_url, max_bytes=max_bytes)
    return sitemap.items, sitemap.sitemaps
