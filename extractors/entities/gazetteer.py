"""The editable gazetteer: canonical entities with Arabic and English aliases.

Each entry of gazetteer.yaml names a canonical entity, its type, optional Wikidata id and its
aliases. Aliases match on matching keys, with proclitics allowed on the first word
(وبوتين، بالكرملين، للولايات المتحدة) and quotation marks inside ignored. An alias may carry
required context in brackets: "منصة [إكس]" matches إكس only after منصة, and only إكس is the
entity. A person's surname alone (ماسك) is linked to the entry once the full name
(إيلون ماسك) has appeared earlier in the text. Matching looks up the text's `TextIndex`, so
only tokens that can start an alias are tried.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import cast

import yaml

from marsad.entity_types import CODES
from marsad.extractors.entities.clitics import ARTICLE, splits
from marsad.extractors.entities.keys import key, key_and_readings, letters_span
from marsad.extractors.entities.mention import Mention
from marsad.extractors.entities.tokens import Token, tokenize
from marsad.models import EntityType

NAME = "gazetteer"
TYPES: tuple[EntityType, ...] = CODES
QUOTES = {'"', "'", "«", "»", "“", "”", "‘", "’", "„"}
_BRACKETED = re.compile(r"^(.*?)\[(.+?)\](.*)$")


@dataclass(frozen=True)
class Entry:
    canonical: str
    type: EntityType
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    latin: str | None = None  # the name in Latin script (the first English alias)


@dataclass(frozen=True)
class Pattern:
    """Alias keys: context before, the entity itself, context after."""

    before: tuple[str, ...]
    name: tuple[str, ...]
    after: tuple[str, ...]
    entry: Entry

    @cached_property
    def words(self) -> tuple[str, ...]:
        return self.before + self.name + self.after


@dataclass(frozen=True)
class TextIndex:
    """A text's tokens, the ones without quotation marks (`kept`) with their matching keys,
    and where each clitic reading of a key occurs (bare and without proclitics).

    Built once per text: the gazetteers, the article's further mentions and the topics then
    only visit the tokens that have a reading they look for.
    """

    tokens: list[Token]
    kept: list[Token]
    keys: list[str]  # of `kept`
    positions: dict[str, list[int]]  # reading -> ascending numbers in `kept`

    @classmethod
    def of(cls, text: str) -> TextIndex:
        tokens = tokenize(text)
        kept = [t for t in tokens if t.text not in QUOTES]
        looked_up = list(map(key_and_readings, [t.text for t in kept]))
        positions: dict[str, list[int]] = {}
        for i, (_key, found) in enumerate(looked_up):
            for rest in found:
                positions.setdefault(rest, []).append(i)
        return cls(tokens, kept, list(map(itemgetter(0), looked_up)), positions)

    def starts(self, words: Collection[str]) -> list[int]:
        """Ascending numbers of the kept tokens with a reading among `words`."""
        positions = self.positions
        small, large = (words, positions) if len(words) < len(positions) else (positions, words)
        found = [reading for reading in small if reading in large]
        return sorted({i for reading in found for i in positions[reading]})


@dataclass(eq=False)  # hashed by identity: the topic rules expanded with it are cached
class Gazetteer:
    entries: list[Entry]
    name: str = NAME  # the recognizer named on its mentions
    surname_name: str = NAME
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)  # by first word key
    surnames: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for alias in entry.aliases:
                pattern = _pattern(alias, entry)
                if pattern.words:
                    self.patterns.setdefault(pattern.words[0], []).append(pattern)
            for surname in entry.surnames:
                self.surnames.setdefault(key(surname), entry)
        for found in self.patterns.values():
            found.sort(key=lambda p: -len(p.words))

    def find(self, text: str, index: TextIndex | None = None) -> list[Mention]:
        """Every alias occurrence (longest first, left to right), then linked surnames.

        `index` is the text's index if the caller has it already.
        """
        index = TextIndex.of(text) if index is None else index
        mentions: list[Mention] = []
        covered: set[int] = set()
        free = 0  # tokens before `free` are inside a match
        for i in index.starts(self.patterns):
            hit = self._match_at(index.kept, index.keys, i) if i >= free else None
            if hit is None:
                continue
            mention, first, last = hit
            mentions.append(mention)
            covered.update(range(first, last))
            free = max(i + 1, last)
        return mentions + self._surnames(index, mentions, covered)

    def _match_at(self, tokens: list[Token], keys: list[str], i: int):
        for prefix, rest in splits(keys[i]):
            if prefix.endswith(ARTICLE):
                continue  # an alias without ال is not met by stripping it: السورية ≠ سورية
            for pattern in self.patterns.get(rest, ()):
                n = len(pattern.words)
                if tuple(keys[i + 1 : i + n]) == pattern.words[1:]:
                    # the proclitics' letters: للأمم = ل + الأمم starts after one letter
                    return _mention(tokens, i, len(prefix), pattern, self.name)
        return None

    def _surnames(self, index: TextIndex, mentions, covered) -> list[Mention]:
        """Surname-alone mentions after the entity's full name was seen."""
        first_seen: dict[str, int] = {}
        for m in mentions:
            first_seen.setdefault(m.canonical, m.start)
        wanted = {k: e for k, e in self.surnames.items() if e.canonical in first_seen}
        found = []
        for i in index.starts(wanted) if wanted else ():
            if i in covered:
                continue
            token, word = index.kept[i], index.keys[i]
            for _prefix, rest in splits(word):
                entry = wanted.get(rest)
                if entry is not None and first_seen[entry.canonical] < token.start:
                    start = token.start + letters_span(token.text, len(word) - len(rest))
                    found.append(
                        Mention(start, token.end, entry.type, self.surname_name,
                                entry.canonical, entry.wikidata, entry.latin)
                    )  # fmt: skip
                    break
        return found


def _pattern(alias: str, entry: Entry) -> Pattern:
    match = _BRACKETED.match(alias)
    before, name, after = match.groups() if match else ("", alias, "")
    return Pattern(phrase_keys(before), phrase_keys(name), phrase_keys(after), entry)


@lru_cache(maxsize=16384)
def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The keys of a phrase's words, quotation marks left out (aliases and topic terms)."""
    return tuple(key(t.text) for t in tokenize(phrase) if t.text not in QUOTES)


def _mention(tokens: list[Token], i: int, skip: int, pattern: Pattern, recognizer: str):
    """The entity part of a pattern matched at token i; `skip` proclitic letters dropped."""
    first = i + len(pattern.before)
    last = first + len(pattern.name)
    start = tokens[first].start
    if first == i:
        start += letters_span(tokens[i].text, skip)
    entry = pattern.entry
    mention = Mention(start, tokens[last - 1].end, entry.type, recognizer, entry.canonical,
                      entry.wikidata, entry.latin)  # fmt: skip
    return mention, i, i + len(pattern.words)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer at `path`, or the one shipped in extractors/data/gazetteer.yaml."""
    return _load(str(path) if path else None)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Gazetteer:
    if path is None:
        text = (resources.files("marsad.extractors") / "data" / "gazetteer.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return Gazetteer([_entry(raw) for raw in yaml.safe_load(text)["entities"]])


def _entry(raw: dict) -> Entry:
    canonical = str(raw["canonical"])
    if raw.get("type") not in TYPES:
        raise ValueError(f"gazetteer entry {canonical!r}: type must be one of {', '.join(TYPES)}")
    aliases = [*raw.get("ar", []), *raw.get("en", [])]
    if not any(f"[{canonical}]" in alias for alias in aliases):
        aliases.insert(0, canonical)
    surnames = raw.get("surnames")
    if surnames is None and raw["type"] == "PER":
        surnames = sorted({a.split()[-1] for a in aliases if len(a.split()) > 1 and "[" not in a})
    return Entry(
        canonical=canonical,
        type=cast(EntityType, raw["type"]),  # checked against TYPES above
        wikidata=raw.get("wikidata"),
        aliases=tuple(dict.fromkeys(aliases)),
        surnames=tuple(surnames or ()),
        latin=raw.get("latin") or next(iter(raw.get("en", [])), None),
    )
