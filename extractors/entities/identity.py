"""One identity per entity: a stable id and a Latin-script name.

- `entity_id`: the Wikidata QID when the gazetteer knows the entity (Q7747 for بوتين, بوتن and
  فلاديمير بوتين alike), else the type and the canonical name's matching key
  ("PER:جواد ظريف"): spellings that differ only in hamza, alef maksura, ta marbuta, diacritics,
  tatweel, Persian letters or clitics meet in one key, within and across articles.
- `name_latin`: the gazetteer's English name, else a plain romanisation of the canonical name
  (unvocalised Arabic gives no vowels it does not write; the result is a reading aid for
  analysts who do not read Arabic, not a transliteration standard).
"""

from __future__ import annotations

from marsad.extractors.entities.keys import key

_LATIN = str.maketrans({
    "ا": "a", "أ": "a", "إ": "i", "آ": "aa", "ٱ": "a", "ء": "'", "ؤ": "'", "ئ": "'",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ڤ": "v", "ک": "k", "ی": "y",
})  # fmt: skip


def entity_id(kind: str, canonical: str, wikidata: str | None = None) -> str:
    """The QID if known, else "TYPE:matching key" of the canonical name."""
    return wikidata or f"{kind}:{key(canonical)}"


def romanize(name: str) -> str:
    """A readable Latin rendering of an Arabic name: بوتين → Bwtyn, جواد ظريف → Jwad Zryf.

    و and ي between consonants are read as the long vowels u and i (بوتين → Butin); the
    article ال is written al- (الكرملين → al-Krmlyn)."""
    words = []
    for word in name.split():
        article = word.startswith("ال") and len(word) > 3
        body = word[2:] if article else word
        latin = "".join(_letter(body, i) for i in range(len(body)))
        latin = latin[:1].upper() + latin[1:]
        words.append(f"al-{latin}" if article else latin)
    return " ".join(words)


def _letter(word: str, i: int) -> str:
    ch = word[i]
    inner = 0 < i < len(word) - 1
    if ch == "و" and inner and word[i - 1] not in "اوي":
        return "u"
    if ch == "ي" and inner and word[i - 1] not in "اوي":
        return "i"
    return ch.translate(_LATIN)  # a character with no Latin form stays as it is
