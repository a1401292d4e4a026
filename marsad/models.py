"""The one document model every stage shares: load → extract → enrich → index.

Pure data, no I/O. Stages add fields; none invents its own shape.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from marsad.entity_types import EntityType

__all__ = ["Article", "Entity", "EntityType", "Failure", "Outlet", "TopicHit", "article_id"]


class Entity(BaseModel):
    """A person, organisation, place or other name found in an article's text."""

    text: str
    type: EntityType
    canonical: str
    start: int = Field(description="offset into Article.text (characters)")
    end: int
    recognizer: str | None = None
    entity_id: str | None = Field(
        default=None,
        description="stable identity: the Wikidata QID where known, else TYPE:matching key",
    )
    name_latin: str | None = Field(default=None, description="the name in Latin script")


class TopicHit(BaseModel):
    """How an article relates to one topic whose signals fire in it: the score, whether that tags
    it, and why (the sentences that scored; or the note on what kept it a mere mention)."""

    topic: str
    score: float
    tagged: bool
    evidence: list[str] = Field(default_factory=list, description="the sentences that scored")
    terms: list[str] = Field(default_factory=list, description="the rule's words that fired")
    note: str | None = Field(default=None, description="why it is not tagged")


class Outlet(BaseModel):
    """Who published an article, as the source registry labels it (plain data for extractors)."""

    model_config = {"frozen": True}

    id: str
    name: str | None = None
    country: str | None = None
    affiliation: str | None = None


class Article(BaseModel):
    """One news article as analysts see it. `id` is stable across re-ingestion."""

    id: str
    url: str | None = None
    title: str
    text: str
    language: str | None = None
    published_at: datetime | None = None
    source: str = Field(description="source id: the registry id, or the site's host name")
    source_name: str | None = None
    source_country: str | None = None
    source_affiliation: str | None = Field(
        default=None, description="e.g. state-affiliated, independent, unknown"
    )
    authors: list[str] = Field(default_factory=list)
    site_name: str | None = None
    description: str | None = None
    entities: list[Entity] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list, description="the topics it is about")
    topic_mentions: list[str] = Field(
        default_factory=list, description="topics whose signals fire below the threshold"
    )
    topic_hits: list[TopicHit] = Field(default_factory=list, description="score and evidence")
    topic_terms: dict[str, list[str]] = Field(
        default_factory=dict, description="per tagged topic, the rule's words that fired"
    )
    title_normalized: str | None = None
    text_normalized: str | None = None
    origin: str | None = Field(default=None, description="the file or URL it was loaded from")
    content_hash: str | None = None
    ingested_at: datetime | None = None

    def fingerprint(self) -> str:
        """Hash of what an analyst reads; a change means the stored copy must be updated."""
        payload = "\x1f".join([self.title, self.text, self.url or "", str(self.published_at)])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def text_hash(self) -> str:
        """Hash of the text alone: a re-fetch records "the text changed" only when it did."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class Failure(BaseModel):
    """An item that was not indexed, and the one-line reason why."""

    origin: str
    reason: str
    stage: Literal["load", "extract", "enrich", "index"] = "extract"

    def line(self) -> str:
        return f"{self.origin}: {self.reason}"

    @classmethod
    def from_error(cls, origin: str, error: BaseException, stage: str) -> Failure:
        """A failure whose reason is the error's message folded onto one line."""
        text = getattr(error, "strerror", None) or str(error)
        reason = " ".join(text.split())[:300] or type(error).__name__
        return cls(origin=origin, reason=reason, stage=stage)


def article_id(*, url: str | None, source: str, key: str) -> str:
    """Deterministic id: the same article ingested twice maps to the same document.

    The URL identifies a web article; without one, `key` (a record id or file name) does,
    scoped by source. The text is deliberately not part of it, so an edited article
    updates in place instead of becoming a second document.
    """
    basis = f"url:{url}" if url else f"key:{source}:{key}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:20]
