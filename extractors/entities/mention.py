"""A candidate entity span, before recognisers' overlaps are resolved and names are linked."""

from __future__ import annotations

from typing import NamedTuple

from marsad.models import EntityType

# Who wins when two recognisers propose exactly the same span (lower wins).
PRIORITY = {"gazetteer": 0, "structure": 1, "camel": 2, "crf": 3, "surname": 4, "propagated": 5}


class Mention(NamedTuple):
    """A span and who proposed it (a tuple: an article makes hundreds, hashed and compared
    by value)."""

    start: int
    end: int
    type: EntityType
    recognizer: str
    canonical: str | None = None
    entity_id: str | None = None  # a Wikidata QID from the gazetteer
    latin: str | None = None  # the gazetteer's English name

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start
