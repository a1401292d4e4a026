"""What an extractor found in one input, before ids and source are assigned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleFields:
    """Format-independent article fields; `extractors.article` turns them into an `Article`.

    `key` is the item's own id (a record id, an ANT DOCNO) when it has one; `position` says
    where it sits in a file that holds several ("line 3"), the fallback for ids without a URL.
    `source` is a source id the input itself declares (e.g. a record's `source_id`).
    """

    title: str
    text: str
    url: str | None = None
    published_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    description: str | None = None
    language: str | None = None
    source: str | None = None
    source_name: str | None = None
    key: str | None = None
    position: str | None = None
