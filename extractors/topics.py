"""Analysts' topics from a YAML file, matched on every article with the terms that matched.

A topic matches when, in the title and text:
- at least `min_terms` (default 1) of its Arabic or English terms occur, or it has no terms;
- every group in `required` has one of its terms (a plain string is a group of one);
- no term in `excluded` occurs;
- every `entities_all` condition and, if given, one `entities_any` condition holds
  ("PER:بوتين": a PER entity whose canonical name or text is, or ends with, بوتين).
Terms match on matching keys (diacritics, hamza, ya/ta marbuta folded; Latin case-folded)
with proclitics allowed on the first word (والكرملين matches الكرملين).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from marsad.extractors.entities.gazetteer import TextIndex, phrase_keys
from marsad.extractors.entities.keys import key
from marsad.models import Entity


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    terms: tuple[str, ...] = ()
    required: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    entities_all: tuple[str, ...] = ()
    entities_any: tuple[str, ...] = ()
    min_terms: int = 1


@dataclass(frozen=True)
class TitledText:
    """An article's title and text as one run of token keys, the title's first (a term may
    start in the title and end in the text), searched through their two indexes: the text's
    is the one its entities were found with, only the title's is new."""

    keys: list[str]
    parts: tuple[tuple[int, TextIndex], ...]  # an index, and where its keys start in `keys`

    @classmethod
    def of(cls, title: str, text: str, index: TextIndex | None = None) -> TitledText:
        head = TextIndex.of(title)
        body = TextIndex.of(text) if index is None else index
        return cls(head.keys + body.keys, ((0, head), (len(head.keys), body)))

    def has(self, term: str) -> bool:
        words = phrase_keys(term)
        if not words:
            return False
        keys, n = self.keys, len(words)
        return any(
            tuple(keys[start + i + 1 : start + i + n]) == words[1:]
            for start, part in self.parts
            for i in part.positions.get(words[0], ())
        )


def match_topics(
    title: str,
    text: str,
    topics: list[Topic],
    entities: list[Entity] | None = None,
    index: TextIndex | None = None,
) -> dict[str, list[str]]:
    """Per matching topic id, the terms that matched (in the topic file's spelling).

    `index` is the text's index if the caller has it already.
    """
    titled = TitledText.of(title, text, index)
    found = {}
    for topic in topics:
        terms = _match(topic, titled, entities or [])
        if terms is not None:
            found[topic.id] = terms
    return found


def _match(topic: Topic, index: TitledText, entities: list[Entity]) -> list[str] | None:
    if any(index.has(t) for t in topic.excluded):
        return None
    hits = [t for t in topic.terms if index.has(t)]
    if topic.terms and len(hits) < topic.min_terms:
        return None
    for group in topic.required:
        group_hits = [t for t in group if index.has(t)]
        if not group_hits:
            return None
        hits += group_hits
    if not all(_has_entity(c, entities) for c in topic.entities_all):
        return None
    if topic.entities_any and not any(_has_entity(c, entities) for c in topic.entities_any):
        return None
    return sorted(set(hits))


def _has_entity(condition: str, entities: list[Entity]) -> bool:
    kind, _, name = condition.partition(":")
    wanted = key(name)
    for e in entities:
        if e.type != kind:
            continue
        names = (key(e.canonical), key(e.text))
        if any(n == wanted or n.endswith(" " + wanted) for n in names):
            return True
    return False


def load_topics(path: Path | None = None) -> list[Topic]:
    """Topics from `path`, or the shipped extractors/data/topics.yaml."""
    return list(_load(str(path) if path else None))


@lru_cache(maxsize=4)
def _load(path: str | None) -> tuple[Topic, ...]:
    if path is None:
        text = (resources.files("marsad.extractors") / "data" / "topics.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    topics = tuple(_topic(raw) for raw in yaml.safe_load(text)["topics"])
    ids = [t.id for t in topics]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate topic ids in {path or 'topics.yaml'}")
    return topics


def _topic(raw: dict) -> Topic:
    groups = tuple(_strs(g if isinstance(g, list) else [g]) for g in raw.get("required", []))
    return Topic(
        id=str(raw["id"]),
        title=str(raw.get("title", raw["id"])),
        terms=_strs(raw.get("terms_ar", []) + raw.get("terms_en", [])),
        required=groups,
        excluded=_strs(raw.get("excluded", [])),
        entities_all=_strs(raw.get("entities_all", [])),
        entities_any=_strs(raw.get("entities_any", [])),
        min_terms=int(raw.get("min_terms", 1)),
    )


def _strs(items: list) -> tuple[str, ...]:
    """YAML reads 2024 as a number; every term is text."""
    return tuple(str(item) for item in items)
