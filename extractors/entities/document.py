"""Second-pass features: what the first pass found in the rest of the document.

A name is usually introduced with context ("the Brazilian striker Claudio") and then repeated
bare ("Claudio"). The second CRF sees, for every word, its own first-pass tag and the type the
first pass most often gave the same word (with any proclitics) in the neighbouring sentences,
so later bare mentions inherit the evidence of the first. Trained by scripts/train_ner.py on
out-of-fold first-pass tags, so the second pass learns how far to trust the first.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from operator import add

from marsad.entity_types import CODES
from marsad.extractors.entities.bio import spans
from marsad.extractors.entities.keys import key_and_readings

WINDOW = 10  # sentences on each side that count as "the document"
KINDS = CODES
_KIND_NUMBER: dict[str, int] = {kind: n for n, kind in enumerate(KINDS)}

# reading -> (sentence, names of each KIND the first pass put a word with that reading in),
# one entry per sentence with any, sentences ascending
Votes = dict[str, list[tuple[int, list[int]]]]


def document_features(
    sentences: list[list[str]], first: list[list[str]], window: int = WINDOW
) -> list[list[list[str]]]:
    """Extra features per sentence, per word, from first-pass tags `first`.

    Only words with a reading that got votes somewhere can get a doc feature; only their
    readings' votes in the window are added up (the rest of the document is never walked).
    """
    votes = _votes(sentences, first)
    voted = _words_with(set(votes), sentences)
    own_tag = {tag: f"s1={tag}" for tag in set().union(*first)}
    return [
        [
            _word(w, own_tag[t], votes, j, window) if w in voted else [own_tag[t]]
            for w, t in zip(words, tags, strict=True)
        ]
        for j, (words, tags) in enumerate(zip(sentences, first, strict=True))
    ]


def _votes(sentences: list[list[str]], first: list[list[str]]) -> Votes:
    """Every reading of every word the first pass put inside a name, by sentence and type."""
    found: Votes = {}
    for j, (words, tags) in enumerate(zip(sentences, first, strict=True)):
        here: dict[str, list[int]] = {}
        for a, b, kind in spans(tags):
            n = _KIND_NUMBER.get(kind)
            if n is None:
                continue
            for word in words[a:b]:
                for reading in _readings(word):
                    here.setdefault(reading, [0] * len(KINDS))[n] += 1
        for reading, counts in here.items():
            found.setdefault(reading, []).append((j, counts))
    return found


def _words_with(readings: set[str], sentences: list[list[str]]) -> set[str]:
    """The document's words with any of these readings (each distinct word looked at once)."""
    if not readings:
        return set()
    distinct = set().union(*sentences)
    return {w for w in distinct if not readings.isdisjoint(_readings(w))}


def _word(word: str, own_tag: str, votes: Votes, j: int, window: int) -> list[str]:
    """s1 = this word's first-pass tag; doc = the type its readings got in the other
    sentences at most `window` away."""
    tally = [0] * len(KINDS)
    for reading in _readings(word) & votes.keys():
        found = votes[reading]
        for other, counts in found[bisect_left(found, (j - window,)) :]:
            if other > j + window:
                break
            if other != j:
                tally = list(map(add, tally, counts))
    most = max(tally)
    return [own_tag, f"doc={KINDS[tally.index(most)]}"] if most > 0 else [own_tag]


@lru_cache(maxsize=65536)
def _readings(word: str) -> frozenset[str]:
    return frozenset(key_and_readings(word)[1])
