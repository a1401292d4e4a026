"""The one table of entity types: the code, the index facet that lists an article's names of
that type, and the words a report or a chart uses for it.

The model's `EntityType`, the index template's facet fields, Kibana's charts, the run reports,
the NER evaluation and the recognisers' label sets all derive from this table, or are checked
against it by a test (tests/test_entity_types.py). Adding a type starts here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

EntityType = Literal["PER", "ORG", "LOC", "MISC"]


@dataclass(frozen=True)
class EntityKind:
    code: EntityType
    facet: str  # keyword field of the index: the article's canonical names of this type
    label: str  # plural, in reports and charts
    label_ar: str


ENTITY_KINDS: tuple[EntityKind, ...] = (
    EntityKind("PER", "entity_people", "people", "أشخاص"),
    EntityKind("ORG", "entity_organizations", "organisations", "منظمات"),
    EntityKind("LOC", "entity_places", "places", "أماكن"),
    EntityKind("MISC", "entity_misc", "other names", "أسماء أخرى"),
)
# Facets across types: an entity's stable id and its Latin-script name (one bar per entity
# whatever its spelling), beside the per-type facets of canonical names above.
ID_FACET = "entity_ids"
LATIN_FACET = "entity_names_latin"
CODES: tuple[EntityType, ...] = tuple(kind.code for kind in ENTITY_KINDS)
FACETS: dict[str, str] = {kind.code: kind.facet for kind in ENTITY_KINDS}
LABELS: dict[str, str] = {kind.code: kind.label for kind in ENTITY_KINDS}

assert get_args(EntityType) == CODES, "ENTITY_KINDS and EntityType must list the same codes"
