"""Words with offsets into the original text, and sentences to tag them in.

Tokens follow ANERcorp's convention (the recogniser was trained on it): whitespace-separated
words with clitics still attached (وبوتين), punctuation split off as its own token. Every
token keeps its character offsets, so entities can always be highlighted in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress, count, pairwise, repeat
from operator import itemgetter
from typing import NamedTuple

# Word characters plus Arabic combining marks and tatweel, which `\w` alone would split on.
_WORD = r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]"
# Possessive: a word never gives back letters (it could not end differently), a bit faster.
_TOKEN = re.compile(rf"{_WORD}++(?:[-'’.]{_WORD}++)*+|[^\s\w]", re.UNICODE)
_SPLIT = re.compile(f"({_TOKEN.pattern})", re.UNICODE)  # gap, token, gap, ..., token, gap
_SENTENCE_END = {".", "!", "?", "؟", "؛"}


class Token(NamedTuple):
    """A word or punctuation mark and its [start, end) offsets (a tuple: cheap to make)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of `text` in order.

    Splitting keeps the text between tokens, so the offsets are running sums of the pieces'
    lengths: no Python code runs per token (an article has thousands).
    """
    pieces = _SPLIT.split(text)
    ends = list(accumulate(map(len, pieces)))
    spans = zip(pieces[1::2], ends[::2], ends[1::2], strict=False)
    return list(map(tuple.__new__, repeat(Token), spans))  # Token(*span), made in C


def sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """Tokens grouped into sentences: split after . ! ? ؟ ؛ and at line breaks."""
    tokens = tokenize(text) if tokens is None else tokens
    if not tokens:
        return []
    stops = map(_SENTENCE_END.__contains__, map(itemgetter(0), tokens))
    cuts = set(compress(count(1), stops))  # after a full stop, then before a line break
    starts = list(map(itemgetter(1), tokens))
    cuts.update(bisect_right(starts, m.start()) for m in re.finditer("\n", text))
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(tokens)), len(tokens)]
    return [tokens[a:b] for a, b in pairwise(bounds)]
