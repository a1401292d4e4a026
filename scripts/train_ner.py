"""Train the shipped two-pass CRF recogniser on ANERcorp's train split, reproducibly.

    .venv/bin/python scripts/train_ner.py dev     # fit on train minus dev, score on dev
    .venv/bin/python scripts/train_ner.py final   # fit on all of train.txt, write the models

Only train.txt is read. The development part is the last DEV_FRACTION of its sentences (the
corpus is in document order, as the official test split is its tail).

- First pass: lexicon features of every training sentence come from the other folds
  (jackknifing), so the model learns how far to trust the lexicon on unseen words.
- Second pass: trained on the first pass's out-of-fold tags (each fold tagged by a first-pass
  model that never saw it), plus the same word features.
The shipped lexicon is built from all the training sentences. Runs on two processes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.evaluation import evaluate_ner  # noqa: E402
from marsad.extractors.entities.bio import Sentence, read_conll  # noqa: E402
from marsad.extractors.entities.crf import (  # noqa: E402
    DOC_MODEL_FILE,
    LEXICON_FILE,
    MODEL_FILE,
    CrfTagger,
    open_tagger,
    to_bilou,
    train,
)
from marsad.extractors.entities.document import document_features  # noqa: E402
from marsad.extractors.entities.features import sentence_features  # noqa: E402
from marsad.extractors.entities.lexicon import Lexicon  # noqa: E402

TRAIN = ROOT.parent / "shared" / "corpora" / "anercorp" / "train.txt"
DATA = ROOT / "extractors" / "data"
DEV_FRACTION = 0.15
FOLDS = 5
WORKERS = 2
PARAMS = {"c1": 0.05, "c2": 0.01, "iterations": 300, "scheme": "bio"}


def folds(sentences: list, k: int = FOLDS) -> list[tuple[int, int]]:
    size = -(-len(sentences) // k)
    return [(i * size, min((i + 1) * size, len(sentences))) for i in range(k)]


def word_features(sentences: list[Sentence]) -> list[list[list[str]]]:
    """First-pass features of every sentence, each with a lexicon from the other folds."""
    feats = []
    for a, b in folds(sentences):
        lexicon = Lexicon.build(sentences[:a] + sentences[b:])
        feats += [sentence_features(words, lexicon) for words, _tags in sentences[a:b]]
    return feats


def targets(sentences: list[Sentence], params: dict) -> list[list[str]]:
    """The tags a model learns: the corpus' BIO, or BILOU."""
    tags = [tags for _w, tags in sentences]
    return [to_bilou(t) for t in tags] if params["scheme"] == "bilou" else tags


def fit_first(sentences: list[Sentence], model: Path, params: dict) -> None:
    feats = word_features(sentences)
    train(zip(feats, targets(sentences, params), strict=True), model, **params)


def tag_fold(sentences: list[Sentence], a: int, b: int, folder: Path, params: dict):
    """First-pass tags of sentences[a:b] from a model trained on all the others."""
    rest = sentences[:a] + sentences[b:]
    model = folder / f"fold{a}.crfsuite"
    fit_first(rest, model, params)
    tagger = CrfTagger(open_tagger(model), Lexicon.build(rest))
    return tagger.tag_sentences([words for words, _tags in sentences[a:b]])


def fit(sentences: list[Sentence], out: Path, params: dict) -> CrfTagger:
    """Write both passes and the lexicon to `out`; return the loaded tagger."""
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(WORKERS) as pool:
        first = pool.submit(fit_first, sentences, out / MODEL_FILE, params)
        parts = [
            pool.submit(tag_fold, sentences, a, b, Path(tmp), params) for a, b in folds(sentences)
        ]
        oof = [tags for part in parts for tags in part.result()]
        first.result()
    words = [w for w, _t in sentences]
    extra = document_features(words, oof)
    feats = [[a + b for a, b in zip(f, e, strict=True)]
             for f, e in zip(word_features(sentences), extra, strict=True)]  # fmt: skip
    train(zip(feats, targets(sentences, params), strict=True), out / DOC_MODEL_FILE, **params)
    Lexicon.build(sentences).save(out / LEXICON_FILE)
    return CrfTagger.load(out)


def split(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    cut = int(len(sentences) * (1 - DEV_FRACTION))
    return sentences[:cut], sentences[cut:]


def run_dev(path: Path, params: dict, keep: Path | None = None) -> dict:
    """Fit on train minus dev and score on dev; `keep` = folder to keep the dev models in."""
    train_part, dev = split(read_conll(path))
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        tagger = fit(train_part, out, params)
        first = CrfTagger(tagger.first, tagger.lexicon)
        return {
            "first pass": evaluate_ner(dev, first.tag_sentences).as_dict(),
            "two passes": evaluate_ner(dev, tagger.tag_sentences).as_dict(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["dev", "final"])
    parser.add_argument("--train", type=Path, default=TRAIN)
    parser.add_argument("--out", type=Path, default=None, help="model folder (final: shipped)")
    for name, value in PARAMS.items():
        parser.add_argument(f"--{name}", type=type(value), default=value)
    args = parser.parse_args()
    params = {name: getattr(args, name) for name in PARAMS}
    began = time.perf_counter()
    if args.mode == "dev":
        report = run_dev(args.train, params, args.out)
        print(json.dumps({"params": params, "dev": report}, indent=1))
    else:
        out = args.out or DATA
        out.mkdir(parents=True, exist_ok=True)
        fit(read_conll(args.train), out, params)
        print(f"wrote {MODEL_FILE}, {DOC_MODEL_FILE} and {LEXICON_FILE} to {out}")
    print(f"{time.perf_counter() - began:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
