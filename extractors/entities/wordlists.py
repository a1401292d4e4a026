"""Outside evidence about Arabic words: names, places, how common a word is, its word class.

The CRF's lexicon only knows the words of ANERcorp's train split; most names in new text are
not among them. These lists (built by scripts/build_wordlists.py and scripts/build_ayaspell.py,
sources in extractors/data/NOTICE.md) tell the recogniser that an unseen word is a popular
first name, a given name or surname of someone in Wikidata, a place or currency in CLDR's
Arabic names, so common in general Arabic that it is unlikely to be a name, or a noun, verb or
particle of the Ayaspell dictionary.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

FILE = "ner_wordlists.json.gz"
STEMS_FILE = "ner_ayaspell.json.gz"


@dataclass(frozen=True)
class WordLists:
    """Matching keys (normalize_arabic) → rank bucket (first, last), Zipf bucket (zipf),
    whole name 1 / part of a name 2 (place; Wikipedia's wplace, worg, wperson, wevent),
    1 (currency, nation: a form of a nationality adjective), people bucket (given, surname,
    nameword: Wikidata's people), and Ayaspell's word-class tags per stem (stems)."""

    first: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    zipf: dict[str, int] = field(default_factory=dict)
    place: dict[str, int] = field(default_factory=dict)
    currency: dict[str, int] = field(default_factory=dict)
    wplace: dict[str, int] = field(default_factory=dict)
    worg: dict[str, int] = field(default_factory=dict)
    wperson: dict[str, int] = field(default_factory=dict)
    nation: dict[str, int] = field(default_factory=dict)
    wevent: dict[str, int] = field(default_factory=dict)
    given: dict[str, int] = field(default_factory=dict)
    surname: dict[str, int] = field(default_factory=dict)
    nameword: dict[str, int] = field(default_factory=dict)
    stems: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def default_wordlists() -> WordLists:
    """The shipped lists, loaded once per process."""
    # tuples of strings, not lists: the garbage collector stops tracking them, so 99k values
    # do not slow down every full collection of a long ingest
    stems = {stem: tuple(tags) for stem, tags in _load(STEMS_FILE).items()}
    return WordLists(**_load(FILE), stems=stems)


def _load(name: str) -> dict:
    path = resources.files("marsad.extractors").joinpath("data", name)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return json.load(fh)
