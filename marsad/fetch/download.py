"""Queued items → pages → articles: one concurrent download pass, then pure extraction."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from marsad.extractors.errors import ExtractionError
from marsad.fetch.client import Fetcher, FetchError, Page
from marsad.fetch.page import decode_html, page_article
from marsad.fetch.state import WorkItem
from marsad.models import Article, Failure
from marsad.sources import Source

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


@dataclass
class Fetched:
    """One item's download: the page, or the reason it failed (and whether it was refused)."""

    item: WorkItem
    page: Page | None = None
    error: str | None = None
    refused: bool = False


async def download(fetcher: Fetcher, items: list[WorkItem]) -> list[Fetched]:
    """Fetch all items at once; the fetcher's per-host gates keep it polite."""
    return list(await asyncio.gather(*(_one(fetcher, item) for item in items)))


async def _one(fetcher: Fetcher, item: WorkItem) -> Fetched:
    try:
        return Fetched(item, page=await fetcher.get(item.url))
    except FetchError as exc:
        return Fetched(item, error=exc.reason, refused=not exc.retryable)


def to_articles(
    results: list[Fetched], sources: dict[str, Source]
) -> tuple[list[Article], list[Failure]]:
    """Articles from downloaded pages; a Failure (origin = the item URL) for everything else."""
    articles: list[Article] = []
    failures: list[Failure] = []
    for result in results:
        origin = result.item.url
        if result.page is None:
            failures.append(Failure(origin=origin, reason=result.error or "?", stage="load"))
            continue
        try:
            articles.append(_article(result.item, result.page, sources.get(result.item.source)))
        except ExtractionError as err:
            failures.append(Failure(origin=origin, reason=err.reason, stage="extract"))
        except Exception as err:  # an extractor bug must not sink the batch: report it
            reason = " ".join(f"unexpected {type(err).__name__}: {err}".split())
            failures.append(Failure(origin=origin, reason=reason, stage="extract"))
    return articles, failures


def _article(item: WorkItem, page: Page, source: Source | None) -> Article:
    content_type = page.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media not in HTML_TYPES:
        raise ExtractionError(f"not an HTML page ({media})")
    html, _encoding = decode_html(page.body, content_type)
    article = page_article(
        html, page.final_url, source,
        title=item.title, published_at=item.published_at, summary=item.summary,
    )  # fmt: skip
    return article.model_copy(update={"origin": item.url})
