"""Words with offsets into the original text, and sentences to tag them in.

Tokens follow ANERcorp's convention (the recogniser was trained on it): whitespace-separated
words with clitics still attached (وبوتين), punctuation split off as its own token. Every
token keeps its character offsets, so entities can always be highlighted in the original.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Word characters plus Arabic combining marks and tatweel, which `\w` alone would split on.
_WORD = r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]"
_TOKEN = re.compile(rf"{_WORD}+(?:[-'’.]{_WORD}+)*|[^\s\w]", re.UNICODE)
_SENTENCE_END = {".", "!", "?", "؟", "؛"}


class Token(NamedTuple):
    """A word or punctuation mark and its [start, end) offsets (a tuple: cheap to make)."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of `text` in order."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """Tokens grouped into sentences: split after . ! ? ؟ ؛ and at line breaks."""
    result: list[list[Token]] = []
    current: list[Token] = []
    previous_end = 0
    for token in tokenize(text) if tokens is None else tokens:
        if current and "\n" in text[previous_end : token.start]:
            result.append(current)
            current = []
        current.append(token)
        previous_end = token.end
        if token.text in _SENTENCE_END:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result
