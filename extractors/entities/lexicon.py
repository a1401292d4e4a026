"""What the training data says about a word: how often it was a PER, ORG, LOC, MISC or O.

Built from the training sentences only and shipped beside the CRF model. Keys are matching
keys (normalize_arabic) of the word and of its clitic-stripped forms, so "وبغداد" profits
from having seen "بغداد" as a place.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from marsad.entity_types import CODES
from marsad.extractors.entities.bio import Sentence
from marsad.extractors.entities.clitics import splits
from marsad.extractors.normalize import normalize_arabic

LABELS = CODES


@dataclass
class Lexicon:
    """Per matching key: label counts (O and the four types), B-/I- position counts, and how
    often a name of each type follows ("nPER") or precedes ("pLOC") the word."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # features per word

    @classmethod
    def build(cls, sentences: Iterable[Sentence]) -> Lexicon:
        counts: defaultdict[str, Counter] = defaultdict(Counter)
        for words, tags in sentences:
            keys = [normalize_arabic(w) for w in words]
            for i, (word, tag) in enumerate(zip(keys, tags, strict=True)):
                label = tag[2:] if tag != "O" else "O"
                counts[word][label] += 1
                if tag != "O":
                    counts[word][tag[0]] += 1
                if i + 1 < len(tags) and tags[i + 1].startswith("B-"):
                    counts[word]["n" + tags[i + 1][2:]] += 1  # a name follows this word
                if i > 0 and tags[i - 1] != "O" and not tag.startswith("I-"):
                    counts[word]["p" + tags[i - 1][2:]] += 1  # a name ends before this word
        return cls({key: dict(c) for key, c in counts.items() if _useful(c)})

    def get(self, key: str) -> dict[str, int]:
        return self.counts.get(key, {})

    def best(self, key: str) -> tuple[str, float, int]:
        """(most frequent entity label or "O", its share of all uses, total uses)."""
        c = self.counts.get(key)
        if not c:
            return "O", 0.0, 0
        total = sum(c.get(k, 0) for k in ("O", *LABELS))
        label = max(LABELS, key=lambda k: c.get(k, 0))
        if not c.get(label):
            return "O", 1.0, total
        return label, c[label] / total, total

    def follows(self, key: str, side: str) -> tuple[str, float]:
        """(label, share of uses) of names that follow ("n") or precede ("p") this word."""
        c = self.counts.get(key)
        if not c:
            return "O", 0.0
        total = sum(c.get(k, 0) for k in ("O", *LABELS))
        label = max(LABELS, key=lambda k: c.get(side + k, 0))
        share = c.get(side + label, 0) / total if total else 0.0
        return (label, share) if share else ("O", 0.0)

    def stripped(self, word: str) -> list[tuple[str, str]]:
        """(prefix, key) readings of a normalised word whose key the lexicon knows as a name."""
        return [(p, rest) for p, rest in splits(word)[1:] if _named(self.counts.get(rest))]

    def save(self, path: Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(self.counts, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))


def _useful(c: Counter) -> bool:
    """Keep words seen as names, and frequent words (their O-ness is evidence too)."""
    return any(c.get(k) for k in LABELS) or c.get("O", 0) >= 3


def _named(c: dict[str, int] | None) -> bool:
    return c is not None and any(c.get(k) for k in LABELS)
