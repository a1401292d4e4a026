"""Matching keys for words, and the way back from a key's prefix to original offsets.

Every comparison (gazetteer, topics, linking) uses `key`: normalize_arabic, then casefold for
Latin. Keys drop diacritics and tatweel, so `letters_span` walks the original word to find
where the first n letters of its key end, keeping offsets into the original text exact.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from marsad.extractors.entities.clitics import splits
from marsad.extractors.normalize import normalize_arabic

_INVISIBLE = {"Mn", "Cf"}
_TATWEEL = "\u0640"


# Persian letters in Arabic text: the Persian keyboard's ya and kaf (ی ک), and the letters
# Arabic writes with its own (پوتین = بوتين).
_PERSIAN = str.maketrans({
    "ی": "ي", "ک": "ك", "ې": "ي", "ۍ": "ي", "ھ": "ه", "ە": "ه", "ہ": "ه",
    "پ": "ب", "چ": "ج", "ژ": "ز", "گ": "ك", "ڤ": "ف",  # as Arabic spells foreign names
})  # fmt: skip


@lru_cache(maxsize=131072)
def key(text: str) -> str:
    """The matching key of a word or phrase (Persian ya, kaf and ha folded as well)."""
    return normalize_arabic(text.translate(_PERSIAN)).casefold()


@lru_cache(maxsize=65536)
def key_and_readings(token: str) -> tuple[str, tuple[str, ...]]:
    """A token's key and its clitic readings (the key itself, then without each possible run
    of proclitics), in one cache lookup: the gazetteer index and the CRF's document pass
    both ask it of every token."""
    word = key(token)
    return word, tuple(rest for _prefix, rest in splits(word))


def letters_span(word: str, letters: int) -> int:
    """Characters of `word` that hold its first `letters` visible letters (and their marks)."""
    seen = 0
    for i, ch in enumerate(word):
        if _invisible(ch):
            continue
        if seen == letters:
            return i
        seen += 1
    return len(word)


@lru_cache(maxsize=65536)
def display(text: str) -> str:
    """A readable canonical form for names no gazetteer knows.

    Diacritics, tatweel and hamza-on-alef variants are folded (إيران، ايران → ايران) so
    spellings meet in one facet; ة and ى are kept so the name still reads naturally.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not _invisible(ch))
    text = text.translate(_ALEFS)
    return " ".join(text.split())


_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def _invisible(ch: str) -> bool:
    return ch == _TATWEEL or unicodedata.category(ch) in _INVISIBLE
