"""Build the NER word clusters from unlabelled Arabic news (the ANT 2018 corpus).

Word2vec (gensim) is trained on every token of the corpus, as the recogniser sees it (the
CRF's matching key: normalize_arabic of the word, clitics attached); the vectors of words seen
at least --min-count times are then grouped by k-means (scipy) into coarse and fine clusters.
A word's clusters become CRF features (`extractors/entities/clusters.py`), so a name the
training data never saw still looks like the names used the same way in 9.6 M words of news.
Writes extractors/data/ner_clusters.json.gz with its provenance. Needs `pip install
'.[ner-build]'` (gensim). Corpus: A. Chouigui, O. Ben Khiroun, B. Elayeb, An Arabic
Multi-source News Corpus, AJSE 46(8), 2021, DOI 10.1007/s13369-020-05258-z. Usage:

    .venv/bin/python scripts/build_clusters.py [--min-count 5] [--coarse 256] [--fine 1024]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
OUT = ROOT / "extractors" / "data" / "ner_clusters.json.gz"


def sentences() -> list[list[str]]:
    from marsad.extractors.entities.features import _norm
    from marsad.extractors.entities.tokens import tokenize

    out = []
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for record in map(json.loads, lines):
                for paragraph in (record["title"] + "\n" + record["text"]).split("\n"):
                    words = [_norm(t.text) for t in tokenize(paragraph)]
                    if len(words) > 2:
                        out.append(words)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--coarse", type=int, default=256)
    parser.add_argument("--fine", type=int, default=1024)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    import gensim
    import scipy
    from gensim.models import Word2Vec
    from scipy.cluster.vq import kmeans2

    began = time.perf_counter()
    corpus = sentences()
    words = sum(map(len, corpus))
    print(f"{len(corpus)} paragraphs, {words} tokens read", file=sys.stderr)
    model = Word2Vec(corpus, vector_size=args.dim, window=5, min_count=args.min_count, sg=0,
                     epochs=args.epochs, workers=2, seed=args.seed)  # fmt: skip
    vocab = model.wv.index_to_key
    vectors = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    print(f"word2vec: {len(vocab)} words, {time.perf_counter() - began:.0f} s", file=sys.stderr)
    rng = np.random.default_rng(args.seed)
    labels = []
    for k in (args.coarse, args.fine):
        _centroids, label = kmeans2(vectors, k, iter=30, minit="points", seed=rng)
        labels.append(label)
        print(f"k-means {k}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    clusters = {w: [int(a), int(b)] for w, a, b in zip(vocab, *labels, strict=True)}
    provenance = {
        "corpus": "ANT multisource v2.1 (31,340 articles, 2018), ../shared/corpora/"
        "ant-multisource-2018; cite Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021",
        "tokens": words, "library": f"gensim {gensim.__version__} Word2Vec (CBOW), "
        f"scipy {scipy.__version__} kmeans2 (random points, 30 iterations)",
        "parameters": {"dim": args.dim, "window": 5, "min_count": args.min_count,
                       "epochs": args.epochs, "seed": args.seed,
                       "k": [args.coarse, args.fine]},
    }  # fmt: skip
    data = json.dumps({"provenance": provenance, "clusters": clusters}, ensure_ascii=False)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(data)
    print(f"{len(clusters)} words → {OUT.relative_to(ROOT)} "
          f"({OUT.stat().st_size // 1024} KiB), {time.perf_counter() - began:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
