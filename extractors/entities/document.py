"""Second-pass features: what the first pass found in the rest of the document.

A name is usually introduced with context ("the Brazilian striker Claudio") and then repeated
bare ("Claudio"). The second CRF sees, for every word, its own first-pass tag and the type the
first pass most often gave the same word (with any proclitics) in the neighbouring sentences,
so later bare mentions inherit the evidence of the first. Trained by scripts/train_ner.py on
out-of-fold first-pass tags, so the second pass learns how far to trust the first.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from extractors.entities.bio import spans
from extractors.entities.clitics import splits
from extractors.entities.keys import key

WINDOW = 10  # sentences on each side that count as "the document"
KINDS = ("PER", "ORG", "LOC", "MISC")


def document_features(
    sentences: list[list[str]], first: list[list[str]], window: int = WINDOW
) -> list[list[list[str]]]:
    """Extra features per sentence, per word, from first-pass tags `first`."""
    votes = [_votes(words, tags) for words, tags in zip(sentences, first, strict=True)]
    present = {reading for v in votes for reading, _kind in v}  # readings with any vote
    near: Counter = Counter()  # votes of the sentences in the window, kept while sliding
    for other in votes[: window + 1]:
        near.update(other)
    result = []
    for j, words in enumerate(sentences):
        if j - window - 1 >= 0:
            near.subtract(votes[j - window - 1])
        if j + window < len(votes) and j > 0:
            near.update(votes[j + window])
        own = votes[j]
        result.append(
            [
                _word(w, t, near, own) if not present.isdisjoint(_readings(w)) else [f"s1={t}"]
                for w, t in zip(words, first[j], strict=True)
            ]
        )
    return result


def _votes(words: list[str], tags: list[str]) -> Counter:
    """(reading, type) counts for every word the first pass put inside a name."""
    found: Counter = Counter()
    for a, b, kind in spans(tags):
        for word in words[a:b]:
            found.update((rest, kind) for rest in _readings(word))
    return found


def _word(word: str, tag: str, near: Counter, own: Counter) -> list[str]:
    """s1 = this word's first-pass tag; doc = the type its readings got in other sentences."""
    feats = [f"s1={tag}"]
    tally = dict.fromkeys(KINDS, 0)
    for reading in _readings(word):
        for kind in KINDS:
            tally[kind] += near.get((reading, kind), 0) - own.get((reading, kind), 0)
    best = max(KINDS, key=tally.__getitem__)
    if tally[best] > 0:
        feats.append(f"doc={best}")
    return feats


@lru_cache(maxsize=65536)
def _readings(word: str) -> frozenset[str]:
    return frozenset(rest for _prefix, rest in splits(key(word)))
