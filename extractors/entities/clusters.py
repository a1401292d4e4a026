"""Word clusters learnt from unlabelled Arabic news, as CRF features.

`extractors/data/ner_clusters.json.gz` (scripts/build_clusters.py: word2vec over the 9.6 M
words of the ANT 2018 corpus, then k-means at two granularities) gives each word seen there a
coarse and a fine cluster. A name the training data never saw still shares a cluster with the
names written in the same contexts (قال + name, في + place), which the CRF learns to trust.
Words are looked up by their matching key, then without proclitics (وبموسكو → موسكو).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

from marsad.extractors.entities.clitics import splits

FILE = "ner_clusters.json.gz"


@lru_cache(maxsize=1)
def default_clusters() -> dict[str, tuple[int, int]]:
    """Word → (coarse, fine) cluster, loaded once per process (empty if not shipped)."""
    path = resources.files("marsad.extractors").joinpath("data", FILE)
    if not path.is_file():
        return {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return {word: (pair[0], pair[1]) for word, pair in json.load(fh)["clusters"].items()}


def cluster_features(norm: str) -> list[str]:
    """The clusters of a word's key, or of its first clitic reading the corpus knows."""
    clusters = default_clusters()
    for _prefix, rest in splits(norm):
        found = clusters.get(rest)
        if found is not None:
            return [f"cc={found[0]}", f"cf={found[1]}"]
    return ["cc=none"]
