"""Language identification with py3langid (langid.py's model, numpy-accelerated)."""

from __future__ import annotations

import py3langid

# Below this many letters the guess is noise (a name, a date, "CNN"); say "unknown" instead.
MIN_LETTERS = 20


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text` ("ar", "en", ...), or None when there is too little text."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    language, _score = py3langid.classify(text)
    return language
