"""The editable gazetteer: canonical entities with Arabic and English aliases.

Each entry of gazetteer.yaml names a canonical entity, its type, optional Wikidata id and its
aliases. Aliases match on matching keys, with proclitics allowed on the first word
(وبوتين، بالكرملين، للولايات المتحدة) and quotation marks inside ignored. An alias may carry
required context in brackets: "منصة [إكس]" matches إكس only after منصة, and only إكس is the
entity. A person's surname alone (ماسك) is linked to the entry once the full name
(إيلون ماسك) has appeared earlier in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from extractors.entities.clitics import splits
from extractors.entities.keys import key, letters_span
from extractors.entities.mention import Mention
from extractors.entities.tokens import Token, tokenize

NAME = "gazetteer"
TYPES = ("PER", "ORG", "LOC", "MISC")
QUOTES = {'"', "'", "«", "»", "“", "”", "‘", "’", "„"}
_BRACKETED = re.compile(r"^(.*?)\[(.+?)\](.*)$")


@dataclass(frozen=True)
class Entry:
    canonical: str
    type: str
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """Alias keys: context before, the entity itself, context after."""

    before: tuple[str, ...]
    name: tuple[str, ...]
    after: tuple[str, ...]
    entry: Entry

    @property
    def words(self) -> tuple[str, ...]:
        return self.before + self.name + self.after


@dataclass
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

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every alias occurrence (longest first, left to right), then linked surnames.

        `tokens` are the text's tokens if the caller has them already.
        """
        tokens = [t for t in tokens or tokenize(text) if t.text not in QUOTES]
        keys = [key(t.text) for t in tokens]
        mentions, covered, i = [], set(), 0
        while i < len(tokens):
            hit = self._match_at(tokens, keys, i)
            if hit is None:
                i += 1
                continue
            mention, first, last = hit
            mentions.append(replace(mention, recognizer=self.name))
            covered.update(range(first, last))
            i = max(i + 1, last)
        return mentions + self._surnames(tokens, keys, mentions, covered)

    def _match_at(self, tokens: list[Token], keys: list[str], i: int):
        for _prefix, rest in splits(keys[i]):
            for pattern in self.patterns.get(rest, ()):
                n = len(pattern.words)
                if tuple(keys[i + 1 : i + n]) == pattern.words[1:]:
                    return _mention(tokens, i, len(keys[i]) - len(rest), pattern)
        return None

    def _surnames(self, tokens, keys, mentions, covered) -> list[Mention]:
        """Surname-alone mentions after the entity's full name was seen."""
        first_seen: dict[str, int] = {}
        for m in mentions:
            first_seen.setdefault(m.canonical, m.start)
        wanted = {k: e for k, e in self.surnames.items() if e.canonical in first_seen}
        found = []
        for i, token in enumerate(tokens if wanted else ()):
            if i in covered:
                continue
            for _prefix, rest in splits(keys[i]):
                entry = wanted.get(rest)
                if entry is not None and first_seen[entry.canonical] < token.start:
                    start = token.start + letters_span(token.text, len(keys[i]) - len(rest))
                    found.append(
                        Mention(start, token.end, entry.type, self.surname_name, entry.canonical)
                    )
                    break
        return found


def _pattern(alias: str, entry: Entry) -> Pattern:
    match = _BRACKETED.match(alias)
    before, name, after = match.groups() if match else ("", alias, "")
    words = lambda s: tuple(key(t.text) for t in tokenize(s) if t.text not in QUOTES)  # noqa: E731
    return Pattern(words(before), words(name), words(after), entry)


def _mention(tokens: list[Token], i: int, skip: int, pattern: Pattern):
    """The entity part of a pattern matched at token i; `skip` proclitic letters dropped."""
    first = i + len(pattern.before)
    last = first + len(pattern.name)
    start = tokens[first].start
    if first == i:
        start += letters_span(tokens[i].text, skip)
    entry = pattern.entry
    mention = Mention(start, tokens[last - 1].end, entry.type, NAME, entry.canonical)
    return mention, i, i + len(pattern.words)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer at `path`, or the one shipped in extractors/data/gazetteer.yaml."""
    return _load(str(path) if path else None)


@lru_cache(maxsize=4)
def _load(path: str | None) -> Gazetteer:
    if path is None:
        text = (resources.files("extractors") / "data" / "gazetteer.yaml").read_text("utf-8")
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
        type=raw["type"],
        wikidata=raw.get("wikidata"),
        aliases=tuple(dict.fromkeys(aliases)),
        surnames=tuple(surnames or ()),
    )
