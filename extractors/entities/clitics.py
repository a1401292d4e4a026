"""Arabic proclitics: و ف ب ل ك and the article ال, alone or combined (وال، بال، لل، فبال).

Names are written with these attached (وبوتين، بالكرملين، للولايات), so matching and features
look at the word both with and without them. Works on normalize_arabic'd words.
"""

from __future__ import annotations

from functools import lru_cache

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
MIN_STEM = 2


@lru_cache(maxsize=65536)
def splits(word: str) -> tuple[tuple[str, str], ...]:
    """Every (proclitics, rest) reading of `word`, the bare word first.

    "وبالكرملين" → ("", "وبالكرملين"), ("و", "بالكرملين"), ("وب", "الكرملين"),
    ("وبال", "كرملين"). The rest is always at least two letters long.
    """
    found = [("", word)]
    for conj in ("", *CONJUNCTIONS):
        if conj and not word.startswith(conj):
            continue
        after_conj = word[len(conj) :]
        for prep in ("", *PREPOSITIONS):
            if prep and not after_conj.startswith(prep):
                continue
            _add_article_readings(found, conj + prep, after_conj[len(prep) :])
    return tuple(dict.fromkeys(found))


def _add_article_readings(found: list[tuple[str, str]], prefix: str, rest: str) -> None:
    if prefix and len(rest) >= MIN_STEM:
        found.append((prefix, rest))
    # ل + ال is written لل (للولايات = ل + الولايات)
    if prefix.endswith("ل") and rest.startswith("ل") and len(rest) > MIN_STEM:
        found.append((prefix, "ا" + rest))
        found.append((prefix + "ل", rest[1:]))
    if rest.startswith(ARTICLE) and len(rest) - 2 >= MIN_STEM:
        found.append((prefix + ARTICLE, rest[2:]))


def core(word: str) -> str:
    """The word without any proclitic or article (the shortest reading): a feature, not a name."""
    return min((rest for _prefix, rest in splits(word)), key=len)
