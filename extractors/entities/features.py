"""CRF features of a sentence: Arabic-aware word forms, lexicon evidence and context.

Each token gets binary features (strings). The lexicon's counts come from the training data;
when training, each sentence's lexicon is built without that sentence's part of the data
(jackknifing), so the model learns how far to trust the lexicon on words it has not seen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.extractors.entities.clitics import ARTICLE, core, splits
from marsad.extractors.entities.clusters import cluster_features
from marsad.extractors.entities.lexicon import Lexicon
from marsad.extractors.entities.wordclass import CONTEXT_KEPT as WORDCLASS_KEPT
from marsad.extractors.entities.wordclass import wordclass_features
from marsad.extractors.entities.wordlists import default_wordlists
from marsad.extractors.normalize import normalize_arabic

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
WINDOW = 2
CONTEXT_KEPT = ("lex=", "clex=", "shape=", "cc=", *WORDCLASS_KEPT)
CACHE_SIZE = 200_000


def sentence_features(words: list[str], lexicon: Lexicon) -> list[list[str]]:
    """Features for every word of one sentence (training; tagging uses fastcrf's cache)."""
    blocks = [_block(w, lexicon) for w in words]
    result = []
    for i, (norm, own, _ctx) in enumerate(blocks):
        feats = ["bias", *own]
        for offset in range(-WINDOW, WINDOW + 1):
            if offset and 0 <= i + offset < len(words):
                feats += blocks[i + offset][2][offset]
        feats += _edges(i, len(words))
        if i > 0:
            feats.append(f"bi-1={blocks[i - 1][0]}|{norm}")
        if i + 1 < len(words):
            feats.append(f"bi+1={norm}|{blocks[i + 1][0]}")
        result.append(feats)
    for feats, more in zip(result, quote_features(words), strict=True):
        feats += more
    return result


_PAIRS = {"«": "»", '"': '"', "'": "'", "“": "”", "(": ")"}
QUOTE_SPAN = 8


def quote_features(words: list[str]) -> list[list[str]]:
    """Words between quotes or brackets: titles of programmes and papers, acronyms.

    Sentence-level, so the fast tagger gets them as extra features (crf.CrfTagger)."""
    feats: list[list[str]] = [[] for _ in words]
    i = 0
    while i < len(words):
        close = _PAIRS.get(words[i])
        end = next((j for j in range(i + 1, min(len(words), i + QUOTE_SPAN + 1))
                    if words[j] == close), None) if close else None  # fmt: skip
        if end is None or end == i + 1:
            i += 1
            continue
        kind = "inp" if words[i] == "(" else "inq"
        for k in range(i + 1, end):
            feats[k] += [kind, f"{kind}={min(end - i - 1, 4)}"]
        feats[i + 1].append(kind + "=first")
        feats[end - 1].append(kind + "=last")
        i = end + 1
    return feats


def word_block(word: str, lexicon: Lexicon) -> tuple[str, list[str], dict[int, list[str]]]:
    """A word's matching key, its own features, and its features as context at each offset."""
    norm = _norm(word)
    own = _word_features(word, norm, lexicon)
    base = [f"w={norm}", f"stem={core(norm)}", *(f for f in own if f.startswith(CONTEXT_KEPT))]
    trig = {side: [f for f in own if f.startswith("trig" + side)] for side in ("n", "p")}
    return norm, own, {o: _context(base, trig, o) for o in range(-WINDOW, WINDOW + 1) if o}


def _block(word: str, lexicon: Lexicon) -> tuple[str, list[str], dict[int, list[str]]]:
    cached = lexicon.cache.get(word)
    if cached is None:
        if len(lexicon.cache) > CACHE_SIZE:
            lexicon.cache.clear()
        cached = lexicon.cache[word] = word_block(word, lexicon)
    return cached


def _word_features(word: str, norm: str, lexicon: Lexicon) -> list[str]:
    stem = core(norm)
    feats = [f"w={norm}", f"stem={stem}", f"shape={_shape(word)}", f"len={min(len(norm), 8)}"]
    feats += [f"p{k}={norm[:k]}" for k in (1, 2, 3) if len(norm) > k]
    feats += [f"s{k}={norm[-k:]}" for k in (1, 2, 3) if len(norm) > k]
    feats += [f"ss{k}={stem[-k:]}" for k in (2, 3) if len(stem) > k]
    feats += [f"sp{k}={stem[:k]}" for k in (2, 3) if len(stem) > k]
    if norm.startswith(ARTICLE) or any(rest.startswith(ARTICLE) for _p, rest in splits(norm)):
        feats.append("has_al")
    feats += _lexicon_features(norm, lexicon)
    feats += wordclass_features(norm, default_wordlists())
    feats += cluster_features(norm)
    return feats


def _lexicon_features(norm: str, lexicon: Lexicon) -> list[str]:
    label, share, total = lexicon.best(norm)
    if not total:
        feats = ["lex=unseen"]
    else:
        feats = [f"lex={label}", f"lex={label}:{_bucket(share)}", f"freq={_freq(total)}"]
        counts = lexicon.get(norm)
        if counts.get("B") or counts.get("I"):
            feats.append("pos=" + ("B" if counts.get("B", 0) >= counts.get("I", 0) else "I"))
    for side in ("n", "p"):
        label, share = lexicon.follows(norm, side)
        if share:
            feats.append(f"trig{side}={label}:{_bucket(share)}")
    for prefix, rest in lexicon.stripped(norm):
        rest_label, rest_share, _ = lexicon.best(rest)
        feats += [f"clex={rest_label}", f"clex={rest_label}:{_bucket(rest_share)}"]
        feats.append(f"cpre={prefix}")
    return feats


def _context(base: list[str], trig: dict[str, list[str]], offset: int) -> list[str]:
    """A word's features as seen from `offset` words away; triggers only from next door."""
    feats = base + trig["n" if offset == -1 else "p"] if offset in (-1, 1) else base
    return [f"{offset}:{f}" for f in feats]


def forget_feature_caches() -> None:
    """Empty the per-word normalisation and clitic caches the features rely on."""
    _norm.cache_clear()
    splits.cache_clear()


def _edges(i: int, n: int) -> list[str]:
    feats = []
    if i == 0:
        feats.append("BOS")
    if i == n - 1:
        feats.append("EOS")
    return feats


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    return normalize_arabic(word) or word


def _shape(word: str) -> str:
    if _DIGIT.search(word):
        return "digit"
    if _LATIN.search(word):
        return "latin"
    if _ARABIC.search(word):
        return "arabic"
    return "punct" if not word.isalnum() else "other"


def _bucket(share: float) -> str:
    return "hi" if share >= 0.7 else "mid" if share >= 0.3 else "lo"


def _freq(total: int) -> str:
    return "1" if total == 1 else "few" if total < 5 else "many"
