"""Stories across outlets: place new articles in stories, and list the stories.

Placing is incremental: only articles without a `story_id` are read, oldest first; each is
compared with the articles placed before it (in this run, kept in memory, and in earlier runs,
found in the index by LSH band and shared story terms) and joins the story of its earliest
near-copy or of its most similar neighbour, or starts its own. The state lives in the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from marsad.extractors.stories import (
    COPY_WINDOW,
    STORY_WINDOW,
    Member,
    StoryIndex,
    bands,
    place,
    signature,
    story_vector,
)

CANDIDATES = 30


@dataclass
class PlaceSummary:
    placed: int = 0
    stories: int = 0  # new stories started
    copies: int = 0  # articles found to be a near-copy of an earlier one
    joined: int = 0  # articles that joined an earlier article's story
    failed: list[str] = field(default_factory=list)

    def one_line(self) -> str:
        return (f"{self.placed} articles placed: {self.stories} new stories, "
                f"{self.joined} joined a story, {self.copies} near-copies; "
                f"{len(self.failed)} failed")  # fmt: skip


def place_articles(
    batch_size: int = 500, progress: Callable[[int], None] | None = None
) -> PlaceSummary:
    """Place every article that has no story yet; returns what happened."""
    from marsad.elastic.stories import candidates, placed_span, unplaced
    from marsad.pipeline import article_index, refresh_index, write_updates

    index = article_index()
    index.refresh()
    span = placed_span(index)  # articles placed by earlier runs: looked up in the index
    memory = StoryIndex()
    summary = PlaceSummary()
    for batch in unplaced(index, batch_size):
        members = [_member(a) for a in batch]
        lookups = [m for m in members if span and _overlaps(m.when, span)]
        found = candidates(
            index, [(m.when, bands(list(m.signature)), m.vector) for m in lookups], CANDIDATES
        )
        earlier = {m.id: f for m, f in zip(lookups, found, strict=True)}
        updates = []
        for member in members:
            copies, neighbours = earlier.get(member.id, ([], []))
            where = place(
                member,
                [*copies, *memory.copies(member.signature)],
                [*neighbours, *memory.neighbours(member.vector, member.when)],
            )
            memory.add(_as_placed(member, where.story_id, where.duplicate_of))
            updates.append((member.id, _fields(member, where)))
            summary.placed += 1
            summary.copies += where.duplicate_of is not None
            summary.stories += where.story_id == member.id
            summary.joined += where.story_id != member.id and where.duplicate_of is None
        summary.failed += write_updates(index.alias, updates)
        refresh_index()
        memory.forget_before(members[-1].when - max(STORY_WINDOW, COPY_WINDOW))
        if progress:
            progress(len(batch))
    return summary


def _member(article: dict) -> Member:
    sig, size = signature(article["title"] + "\n" + article["text"])
    return Member(
        id=article["id"],
        when=datetime.fromisoformat(article["event_at"]),
        story_id=article["id"],
        duplicate_of=None,
        signature=tuple(sig),
        size=size,
        vector=story_vector(article["title"], article["text"]),
    )


def _as_placed(member: Member, story_id: str, duplicate_of: str | None) -> Member:
    return Member(member.id, member.when, story_id, duplicate_of, member.signature,
                  member.size, member.vector)  # fmt: skip


def _fields(member: Member, where) -> dict:
    return {
        "story_id": where.story_id,
        "duplicate_of": where.duplicate_of,
        "copy_overlap": where.overlap,
        "story_similarity": where.similarity,
        "minhash": list(member.signature),
        "minhash_size": member.size,
        "minhash_bands": bands(list(member.signature)),
        "story_terms": list(member.vector),
        "story_weights": list(member.vector.values()),
    }


def _overlaps(when: datetime, span: tuple[datetime, datetime]) -> bool:
    reach = max(STORY_WINDOW, COPY_WINDOW)
    return span[0] - reach <= when <= span[1] + reach
