"""A candidate entity span, before recognisers' overlaps are resolved and names are linked."""

from __future__ import annotations

from typing import NamedTuple

from marsad.models import EntityType

# Who wins when two recognisers propose exactly the same span (lower wins).
PRIORITY = {"gazetteer": 0, "camel": 1, "crf": 2, "surname": 3, "propagated": 4}


class Mention(NamedTuple):
    """A span and who proposed it (a tuple: an article makes hundreds, hashed and compared
    by value)."""

    start: int
    end: int
    type: EntityType
    recognizer: str
    canonical: str | None = None

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start
