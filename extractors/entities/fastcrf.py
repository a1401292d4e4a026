"""Fast decoding of a trained CRFsuite model with numpy: same tags, a fraction of the time.

CRFsuite's tagger spends its time converting and looking up ~30 feature strings per token.
Here the model's weights are read once; each word's summed weights (as itself, and as context
at every offset) are cached; word-pair features are looked up as integer codes for a whole
document at once; and Viterbi runs over all sentences of a document together, one numpy step
per word position instead of per word. Every score is the same float sum, its terms added in
the same order, as with one feature at a time, so the tags never change.
tests/extractors/test_entities_crf.py checks that the tags equal CRFsuite's own.
"""

from __future__ import annotations

from itertools import chain, repeat

import numpy as np
import pycrfsuite

from marsad.extractors.entities.features import WINDOW, word_block
from marsad.extractors.entities.lexicon import Lexicon

OFFSETS = [o for o in range(-WINDOW, WINDOW + 1) if o]
CACHE_SIZE = 200_000
PAIR_SIDES = ("bi-1=", "bi+1=")  # the pair's feature on its second word, on its first word


class Bigrams:
    """The model's word-pair features ("bi-1=a|b", "bi+1=a|b") as sorted integer codes.

    Every word of a pair gets an id in the vocabulary of words that occur in some pair, so a
    document's pairs are looked up with one `searchsorted` instead of a string each.
    """

    def __init__(self, index: dict[str, int]) -> None:
        self.vocab: dict[str, int] = {}
        pairs: dict[str, dict[tuple[int, int], int]] = {side: {} for side in PAIR_SIDES}
        for attr, feature in index.items():
            if attr[:5] in pairs:
                for a, b in _pipe_splits(attr[5:]):
                    pairs[attr[:5]][self._id(a), self._id(b)] = feature
        self.size = len(self.vocab)
        self.tables = [self._table(pairs[side]) for side in PAIR_SIDES]

    def _id(self, word: str) -> int:
        return self.vocab.setdefault(word, len(self.vocab))

    def _table(self, pairs: dict[tuple[int, int], int]) -> tuple[np.ndarray, np.ndarray]:
        codes = np.array([a * self.size + b for a, b in pairs], dtype=np.int64)
        order = np.argsort(codes)
        return codes[order], np.array(list(pairs.values()), dtype=np.intp)[order]

    def find(self, vocab_ids: np.ndarray, same: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per side, (words, features) of the document's pairs the model knows: "bi-1=" on
        the pair's second word, then "bi+1=" on its first (CRFsuite's order).

        `same[p]`: words p and p + 1 are in one sentence.
        """
        a, b = vocab_ids[:-1], vocab_ids[1:]
        codes = np.where(same & (a >= 0) & (b >= 0), a * self.size + b, -1)
        found = []
        for shift, (known, features) in zip((1, 0), self.tables, strict=True):
            at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
            hit = np.flatnonzero(known[at] == codes) if len(known) else np.zeros(0, np.intp)
            found.append((hit + shift, features[at[hit]]))
        return found


def _pipe_splits(pair: str) -> list[tuple[str, str]]:
    """Every (first, second) with f"{first}|{second}" == pair: a word may itself be "|"."""
    return [(pair[:i], pair[i + 1 :]) for i, ch in enumerate(pair) if ch == "|"]


class FastChain:
    """A linear-chain CRF's weights as arrays, with per-word caches."""

    def __init__(self, tagger: pycrfsuite.Tagger, lexicon: Lexicon) -> None:
        info = tagger.info()
        self.labels = list(tagger.labels())
        self.label_names = np.array(self.labels, dtype=object)
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
        self.bias, self.bos, self.eos = (self._sum([f]) for f in ("bias", "BOS", "EOS"))
        self.bigrams = Bigrams(self.index)
        self.lexicon = lexicon
        self.blocks: dict = {}  # word → word_block, may be shared with another chain
        self.reset()

    def reset(self, capacity: int = 4096) -> None:
        """Per-word cache: a row per word in `own` and `context` (one plane per offset), and
        its id in the bigram vocabulary (-1: in no pair the model knows). Row 0 stays zero:
        the context a word gets from beyond its sentence's edges."""
        self.rows: dict[str, int] = {}
        self.own = np.zeros((capacity, len(self.labels)))
        self.context = np.zeros((len(OFFSETS), capacity, len(self.labels)))
        self.vocab_ids = np.full(capacity, -1, dtype=np.int64)

    def tag(
        self, sentences: list[list[str]], extra: list[list[list[str]]] | None = None
    ) -> list[list[str]]:
        """Tags per sentence; `extra` = additional features per sentence per word."""
        lengths = np.fromiter(map(len, sentences), dtype=np.intp, count=len(sentences))
        words = list(chain.from_iterable(sentences))
        if not words:
            return [[] for _ in sentences]
        if len(self.rows) >= CACHE_SIZE:
            self.reset()
        flat_extra = list(chain.from_iterable(extra)) if extra else None
        scores = self._emissions(self._ids(words), lengths, flat_extra)
        found = iter(self._viterbi(scores, lengths[lengths > 0]))
        return [next(found) if n else [] for n in lengths]

    def _ids(self, words: list[str]) -> np.ndarray:
        """Cache rows of the words, computing the weights of words not seen before."""
        ids = list(map(self.rows.get, words, repeat(0)))
        if 0 in ids:
            self._add_rows([w for i, w in zip(ids, words, strict=True) if not i])
            ids = list(map(self.rows.__getitem__, words))
        return np.array(ids, dtype=np.intp)

    def _add_rows(self, words: list[str]) -> None:
        """Cache the summed weights of new words, all in one gather and one `reduceat`.

        Every segment (a word's own features, then its context at each offset) starts with
        the all-zero unknown-feature row, so no segment is empty and 0.0 + x keeps each sum
        exactly as `_sum` would add it.
        """
        new = list(dict.fromkeys(words))
        first = len(self.rows) + 1
        self._grow(first + len(new))
        get, zero = self.index.get, len(self.index)
        rows: list[int] = []
        starts: list[int] = []
        for row, word in enumerate(new, first):
            self.rows[word] = row
            block = self.blocks.get(word)
            if block is None:
                block = self.blocks[word] = word_block(word, self.lexicon)
            norm, own, context = block
            self.vocab_ids[row] = self.bigrams.vocab.get(norm, -1)
            for feats in (own, *(context[o] for o in OFFSETS)):
                starts.append(len(rows))
                rows.append(zero)
                rows.extend(r for f in feats if (r := get(f)) is not None)
        sums = np.add.reduceat(self.matrix[rows], starts, axis=0).reshape(
            len(new), -1, len(self.labels)
        )
        span = slice(first, first + len(new))
        self.own[span] = sums[:, 0]
        self.context[:, span] = sums[:, 1:].transpose(1, 0, 2)

    def _grow(self, needed: int) -> None:
        """Double the per-word arrays until `needed` rows fit."""
        while needed > len(self.own):
            self.own = np.concatenate([self.own, np.zeros_like(self.own)])
            self.context = np.concatenate([self.context, np.zeros_like(self.context)], axis=1)
            self.vocab_ids = np.concatenate([self.vocab_ids, np.full_like(self.vocab_ids, -1)])

    def _emissions(
        self, ids: np.ndarray, lengths: np.ndarray, extra: list[list[str]] | None
    ) -> np.ndarray:
        """Scores (words × labels) of a whole document, sentence boundaries respected.

        Each score adds its features in CRFsuite's feature order (own, context, BOS/EOS,
        pairs, extra): the same float sums as adding them one by one (a context from beyond
        the sentence adds zeros).
        """
        ends = np.cumsum(lengths)
        first = np.repeat(ends - lengths, lengths)  # per word: its sentence's first word
        position = np.arange(len(ids))
        before, after = position - first, np.repeat(ends, lengths) - position - 1
        around = np.concatenate([np.zeros(WINDOW, np.intp), ids, np.zeros(WINDOW, np.intp)])
        scores = self.own[ids] + self.bias
        for plane, o in enumerate(OFFSETS):
            inside = before >= -o if o < 0 else after >= o
            scores += self.context[plane][np.where(inside, around[WINDOW + o :][: len(ids)], 0)]
        ends = ends[lengths > 0]
        scores[ends - lengths[lengths > 0]] += self.bos
        scores[ends - 1] += self.eos
        layers = self.bigrams.find(self.vocab_ids[ids], first[1:] == first[:-1])
        for rows, features in layers + self._extra_layers(extra or []):
            scores[rows] += self.matrix[features]  # rows are unique within a layer
        return scores

    def _extra_layers(self, extra: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(words, features) of the extra features: layer r holds each word's r-th one."""
        names = list(chain.from_iterable(extra))
        if not names:
            return []
        counts = np.fromiter(map(len, extra), dtype=np.intp, count=len(extra))
        words = np.repeat(np.arange(len(extra)), counts)
        rank = np.arange(len(names)) - np.repeat(np.cumsum(counts) - counts, counts)
        found = map(self.index.get, names, repeat(-1))
        features = np.fromiter(found, dtype=np.intp, count=len(names))
        layers = []
        for r in range(counts.max()):
            chosen = (rank == r) & (features >= 0)
            layers.append((words[chosen], features[chosen]))
        return layers

    def _viterbi(self, scores: np.ndarray, lengths: np.ndarray) -> list[list[str]]:
        """Best label paths of all sentences together, one step per word position.

        Sentences are processed longest first, so at step t the ones still going are a prefix
        of the batch and every step works on plain slices.
        """
        order = np.argsort(-lengths, kind="stable")
        sorted_lengths = lengths[order]
        count, longest = len(lengths), int(sorted_lengths[0])
        steps = np.arange(longest)[:, None]
        starts = (np.cumsum(lengths) - lengths)[order]
        step, sentence = np.nonzero(steps < sorted_lengths)
        emissions = np.zeros((longest, len(self.labels), count))  # (steps, labels, sentences)
        emissions[step, :, sentence] = scores[starts[sentence] + step]
        going = (sorted_lengths > steps).sum(axis=1).tolist()  # sentences still going per step
        path = self._backtrack(self._forward(emissions, going), sorted_lengths, going)
        tags = self.label_names[path].tolist()
        result: list[list[str]] = [[] for _ in range(count)]
        for row, (i, n) in enumerate(zip(order.tolist(), sorted_lengths.tolist(), strict=True)):
            result[i] = tags[row][:n]
        return result

    def _forward(self, emissions: np.ndarray, going: list[int]) -> np.ndarray:
        """best[t, j, s]: the score of sentence s's best path that is at label j at step t.

        Laid out (steps, labels, sentences) so the max over the previous label runs over
        whole contiguous rows.
        """
        best = np.empty_like(emissions)
        best[0] = emissions[0]
        size = len(self.labels)
        transitions = self.transitions[:, :, None]  # (from, to, 1)
        buffer = np.empty(size * size * emissions.shape[2])
        candidates: dict[int, np.ndarray] = {}  # (from, to, k) views of the buffer, per k
        for t in range(1, len(emissions)):
            k = going[t]
            if k not in candidates:
                candidates[k] = buffer[: size * size * k].reshape(size, size, k)
            np.add(best[t - 1, :, None, :k], transitions, out=candidates[k])
            np.add(np.maximum.reduce(candidates[k], 0), emissions[t, :, :k], out=best[t, :, :k])
        return best

    def _backtrack(self, best: np.ndarray, lengths: np.ndarray, going: list[int]) -> np.ndarray:
        """Label numbers (sentences × steps) back from each sentence's best last label.

        The label before j is the argmax of the same sums the forward step maximised, so
        ties resolve to the lowest label, as an argmax kept during the forward pass would.
        """
        count, ends = len(lengths), lengths - 1
        path = np.zeros((best.shape[0], count), dtype=np.intp)
        by_sentence = best.transpose(0, 2, 1).copy()  # (steps, sentences, labels)
        path[ends, np.arange(count)] = by_sentence[ends, np.arange(count)].argmax(axis=1)
        into = self.transitions.T.copy()  # into[j]: the transition from every label to j
        for t in range(len(best) - 1, 0, -1):
            k = going[t]
            path[t - 1, :k] = (by_sentence[t - 1, :k] + into[path[t, :k]]).argmax(axis=1)
        return path.T

    def _sum(self, features: list[str]) -> np.ndarray:
        get = self.index.get
        rows = [row for f in features if (row := get(f)) is not None]
        return self.matrix[rows].sum(axis=0)
