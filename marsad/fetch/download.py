"""Queued items → pages: one concurrent download pass (extraction is `marsad.pipeline`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from marsad.fetch.client import Fetcher, FetchError, Page, unexpected
from marsad.fetch.state import WorkItem


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
    """Every outcome is this item's, even a bug: one item must not sink the batch."""
    try:
        return Fetched(item, page=await fetcher.get(item.url))
    except FetchError as exc:
        return Fetched(item, error=exc.reason, refused=not exc.retryable)
    except Exception as exc:
        return Fetched(item, error=unexpected(exc))
