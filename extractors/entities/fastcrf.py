"""Fast decoding of a trained CRFsuite model with numpy: same tags, a fraction of the time.

CRFsuite's tagger spends its time converting and looking up ~30 feature strings per token.
Here the model's weights are read once; each word's summed weights (as itself, and as context
at every offset) are cached; and Viterbi runs over all sentences of a document at once, one
numpy step per word position instead of per word. tests/extractors/test_entities_crf.py checks
that the tags equal CRFsuite's own.
"""

from __future__ import annotations

import numpy as np
import pycrfsuite

from extractors.entities.features import WINDOW, word_block
from extractors.entities.lexicon import Lexicon

OFFSETS = [o for o in range(-WINDOW, WINDOW + 1) if o]
CACHE_SIZE = 200_000


class FastChain:
    """A linear-chain CRF's weights as arrays, with per-word caches."""

    def __init__(self, tagger: pycrfsuite.Tagger, lexicon: Lexicon) -> None:
        info = tagger.info()
        self.labels = list(tagger.labels())
        index = {label: i for i, label in enumerate(self.labels)}
        size = len(self.labels)
        self.index: dict[str, int] = {}
        for attr, _label in info.state_features:
            self.index.setdefault(attr, len(self.index))
        self.matrix = np.zeros((len(self.index) + 1, size))  # last row: unknown feature
        for (attr, label), weight in info.state_features.items():
            self.matrix[self.index[attr], index[label]] = weight
        self.transitions = np.zeros((size, size))
        for (source, target), weight in info.transitions.items():
            self.transitions[index[source], index[target]] = weight
        self.lexicon = lexicon
        self._reset()

    def _reset(self, capacity: int = 4096) -> None:
        """Per-word cache: a row per word in `own` and `context` (one plane per offset)."""
        self.rows: dict[str, int] = {}
        self.norms: list[str] = []
        self.own = np.zeros((capacity, len(self.labels)))
        self.context = np.zeros((len(OFFSETS), capacity, len(self.labels)))

    def tag(
        self, sentences: list[list[str]], extra: list[list[list[str]]] | None = None
    ) -> list[list[str]]:
        """Tags per sentence; `extra` = additional features per sentence per word."""
        lengths = np.array([len(s) for s in sentences], dtype=np.intp)
        words = [w for s in sentences for w in s]
        if not words:
            return [[] for _ in sentences]
        if len(self.rows) >= CACHE_SIZE:
            self._reset()
        flat_extra = [f for per_sentence in extra for f in per_sentence] if extra else None
        scores = self._emissions(words, lengths, flat_extra)
        paths = self._viterbi(scores, lengths[lengths > 0])
        found = iter(paths)
        return [[self.labels[i] for i in next(found)] if n else [] for n in lengths]

    def _emissions(
        self, words: list[str], lengths: np.ndarray, extra: list[list[str]] | None
    ) -> np.ndarray:
        """Scores (words × labels) of a whole document, sentence boundaries respected."""
        ids = np.array([self._row(w) for w in words], dtype=np.intp)
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        n = len(words)
        scores = self.own[ids] + self._sum(["bias"])
        for plane, o in enumerate(OFFSETS):
            j = np.arange(n) + o
            inside = (j >= 0) & (j < n)
            inside[inside] &= sentence[j[inside]] == sentence[inside]
            scores[inside] += self.context[plane][ids[j[inside]]]
        ends = np.cumsum(lengths)[lengths > 0]
        starts = ends - lengths[lengths > 0]
        scores[starts] += self._sum(["BOS"])
        scores[ends - 1] += self._sum(["EOS"])
        norms = [self.norms[i] for i in ids.tolist()]
        same = (sentence[1:] == sentence[:-1]).tolist()
        rows, features, get = [], [], self.index.get
        for i in range(1, n):
            if not same[i - 1]:
                continue
            pair = f"{norms[i - 1]}|{norms[i]}"
            for row, feature in ((i, get("bi-1=" + pair)), (i - 1, get("bi+1=" + pair))):
                if feature is not None:
                    rows.append(row)
                    features.append(feature)
        for row, feats in enumerate(extra or ()):
            for feature in feats:
                if (found := get(feature)) is not None:
                    rows.append(row)
                    features.append(found)
        if rows:
            np.add.at(scores, np.array(rows), self.matrix[np.array(features)])
        return scores

    def _viterbi(self, scores: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
        """Best label paths of all sentences together, one step per word position.

        Sentences are processed longest first, so at step t the ones still going are a prefix
        of the batch and every step works on plain slices.
        """
        order = np.argsort(-lengths, kind="stable")
        sorted_lengths = lengths[order]
        count, longest = len(lengths), int(sorted_lengths[0])
        padded = np.zeros((count, longest, len(self.labels)))
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        for row, i in enumerate(order):
            padded[row, : lengths[i]] = scores[offsets[i] : offsets[i] + lengths[i]]
        going = [int((sorted_lengths > t).sum()) for t in range(longest)]
        score = padded[:, 0].copy()
        back = np.zeros((count, longest, len(self.labels)), dtype=np.intp)
        for t in range(1, longest):
            k = going[t]
            candidates = score[:k, :, None] + self.transitions  # (sentences, from, to)
            back[:k, t] = candidates.argmax(axis=1)
            score[:k] = candidates.max(axis=1) + padded[:k, t]
        path = np.zeros((count, longest), dtype=np.intp)
        path[np.arange(count), sorted_lengths - 1] = score.argmax(axis=1)
        for t in range(longest - 1, 0, -1):
            k = going[t]
            path[:k, t - 1] = back[np.arange(k), t, path[:k, t]]
        result: list[list[int]] = [[] for _ in range(count)]
        for row, i in enumerate(order):
            result[i] = path[row, : lengths[i]].tolist()
        return result

    def _row(self, word: str) -> int:
        """The cache row of a word, computing its summed weights the first time."""
        row = self.rows.get(word)
        if row is None:
            row = self.rows[word] = len(self.norms)
            if row == len(self.own):
                self.own = np.concatenate([self.own, np.zeros_like(self.own)])
                self.context = np.concatenate([self.context, np.zeros_like(self.context)], axis=1)
            norm, own, context = word_block(word, self.lexicon)
            self.norms.append(norm)
            self.own[row] = self._sum(own)
            for plane, o in enumerate(OFFSETS):
                self.context[plane, row] = self._sum(context[o])
        return row

    def _sum(self, features: list[str]) -> np.ndarray:
        rows = [self.index[f] for f in features if f in self.index]
        return self.matrix[rows].sum(axis=0)
