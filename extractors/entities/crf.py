"""The offline statistical recogniser: two CRFs (CRFsuite) over Arabic-aware features.

The first pass tags each sentence from its own words; the second adds what the first pass
found in the neighbouring sentences (extractors/entities/document.py). Models trained on BILOU
tags (`scripts/train_ner.py --scheme bilou`; no better than BIO on our development split, so
BIO ships) are read too: everything outside this module sees BIO. Models and lexicon are
trained by scripts/train_ner.py on ANERcorp's train split and shipped in extractors/data/
(CC BY-SA 4.0, see NOTICE.md there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import add
from pathlib import Path

import pycrfsuite

from marsad.extractors.entities.bio import spans
from marsad.extractors.entities.document import document_features
from marsad.extractors.entities.fastcrf import FastChain
from marsad.extractors.entities.features import forget_feature_caches, quote_features
from marsad.extractors.entities.lexicon import Lexicon
from marsad.extractors.entities.tokens import Token

MODEL_FILE = "ner_crf.crfsuite"
DOC_MODEL_FILE = "ner_crf_doc.crfsuite"
LEXICON_FILE = "ner_lexicon.json.gz"
NAME = "crf"


def open_tagger(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@dataclass
class CrfTagger:
    first: pycrfsuite.Tagger
    lexicon: Lexicon
    second: pycrfsuite.Tagger | None = None

    def __post_init__(self) -> None:
        self.fast_first = FastChain(self.first, self.lexicon)
        self.fast_second = FastChain(self.second, self.lexicon) if self.second else None
        if self.fast_second:  # both passes see the same words: build their features once
            self.fast_second.blocks = self.fast_first.blocks

    @classmethod
    def load(cls, folder: Path) -> CrfTagger:
        """Models and lexicon from a folder written by scripts/train_ner.py."""
        second = folder / DOC_MODEL_FILE
        return cls(
            open_tagger(folder / MODEL_FILE),
            Lexicon.load(folder / LEXICON_FILE),
            open_tagger(second) if second.exists() else None,
        )

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags (B-PER, I-LOC, O, ...) for the sentences of one document, in order."""
        quotes = [quote_features(words) for words in sentences]
        first = [to_bio(tags) for tags in self.fast_first.tag(sentences, quotes)]
        if self.fast_second is not None:
            doc = document_features(sentences, first)
            both = [list(map(add, q, d)) for q, d in zip(quotes, doc, strict=True)]
            second = self.fast_second.tag(sentences, both)
            first = [to_bio(tags) for tags in second]
        self.fast_first.blocks.clear()  # each pass has cached its own rows by now
        return first

    def forget_words(self) -> None:
        """Drop every per-word cache (benchmarks: the cost of words seen for the first time)."""
        for fast in (self.fast_first, self.fast_second):
            if fast is not None:
                fast.reset()
        self.lexicon.cache.clear()
        forget_feature_caches()

    def tag(self, words: list[str]) -> list[str]:
        """Tags for one sentence on its own (the document is that sentence)."""
        return self.tag_sentences([words])[0]

    def find(self, sentences: list[list[Token]]) -> list[tuple[int, int, str]]:
        """(start, end, type) character spans of the entities in a tokenised document."""
        tagged = self.tag_sentences([[t.text for t in s] for s in sentences])
        return [
            (sentence[a].start, sentence[b - 1].end, kind)
            for sentence, tags in zip(sentences, tagged, strict=True)
            for a, b, kind in spans(tags)
        ]


def to_bilou(tags: list[str]) -> list[str]:
    """BIO → BILOU: a one-word name is U-, a longer one's last word L-."""
    out = ["O"] * len(tags)
    for a, b, kind in spans(tags):
        if b - a == 1:
            out[a] = "U-" + kind
        else:
            out[a : b - 1] = ["B-" + kind] + ["I-" + kind] * (b - a - 2)
            out[b - 1] = "L-" + kind
    return out


def to_bio(tags: list[str]) -> list[str]:
    """BILOU (or BIO, unchanged) → BIO."""
    return [_BIO.get(t[:2], t[:2]) + t[2:] if t != "O" else t for t in tags]


_BIO = {"U-": "B-", "L-": "I-"}


@lru_cache(maxsize=1)
def default_tagger() -> CrfTagger:
    """The shipped models, loaded once per process."""
    with resources.as_file(resources.files("marsad.extractors") / "data") as folder:
        return CrfTagger.load(folder)


def train(items: Iterable[tuple[list[list[str]], list[str]]], model: Path, **params) -> None:
    """Fit a CRF on (features, tags) sequences and write it to `model`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, tags in items:
        trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": params["c1"],
            "c2": params["c2"],
            "max_iterations": params["iterations"],
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(model))
