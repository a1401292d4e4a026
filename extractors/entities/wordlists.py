"""Outside evidence about Arabic words: popular first names, surnames, and how common a word is.

The CRF's lexicon only knows the words of ANERcorp's train split; most names in new text are
not among them. These lists (built by scripts/build_wordlists.py from the names-dataset and
wordfreq packages, see extractors/data/NOTICE.md) tell the recogniser that an unseen word is a
popular first name, a place or currency in CLDR's Arabic names, or so common in general Arabic
that it is unlikely to be a name.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

FILE = "ner_wordlists.json.gz"


@dataclass(frozen=True)
class WordLists:
    """Matching keys (normalize_arabic) → rank bucket (first, last), Zipf bucket (zipf),
    whole name 1 / part of a name 2 (place; Wikipedia's wplace, worg, wperson, wevent),
    1 (currency, nation: a form of a nationality adjective)."""

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


@lru_cache(maxsize=1)
def default_wordlists() -> WordLists:
    """The shipped lists, loaded once per process."""
    path = resources.files("extractors").joinpath("data", FILE)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return WordLists(**data)
