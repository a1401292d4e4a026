"""Arabic matching keys: one spelling for the many ways the same word is typed.

`normalize_arabic` is for search and comparison only (Article.title_normalized and
text_normalized, quality scoring, boilerplate lists); display always keeps the original text.
The output can be shorter than the input, so offsets into it do not map back to the original.

Steps, in order (the same as camel-tools' normalize_unicode, dediac_ar and normalize_*_ar):
1. ﷼ and ﷽ spelled out (camel-tools' fix), then NFKC: presentation forms become plain letters.
2. Invisible controls removed: bidi marks/overrides/isolates, ZWNJ/ZWJ, zero-width space, BOM.
3. Diacritics removed: harakat, tanween, shadda, sukun and dagger alef (camel's AR_DIAC_CHARSET).
4. Tatweel (kashida) removed: مـــاسك → ماسك.
5. Orthographic folds: أ إ آ ٱ → ا, ى → ي, ة → ه.
6. Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII 0-9.
7. Whitespace runs → one space, trimmed.

Steps 2-6 map or drop single characters whose results no other step touches, so they run as
one `str.translate` (C speed; camel's CharMapper and four regex passes cost 5× as much per
paragraph). tests/extractors/test_normalize.py checks the result equals camel-tools' own
functions on real articles, and that the diacritic set below is camel's.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_INDIC, _PERSIAN = 0x0660, 0x06F0
# camel_tools.utils.charsets.AR_DIAC_CHARSET (importing camel's charsets takes 0.3 s).
DIACRITICS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
_SPELLED_OUT = str.maketrans({"\ufdfc": "ريال", "\ufdfd": "بسم الله الرحمن الرحيم"})
_TABLE: dict[int, str | None] = {
    **{base + i: str(i) for base in (_ARABIC_INDIC, _PERSIAN) for i in range(10)},
    **dict.fromkeys(map(ord, DIACRITICS)),
    **dict.fromkeys(
        [
            0x0640,  # tatweel
            *range(0x200B, 0x2010),  # zero-width space, ZWNJ, ZWJ, LRM, RLM
            *range(0x202A, 0x202F),  # bidi embeddings and overrides
            *range(0x2066, 0x206A),  # bidi isolates
            0x061C,  # Arabic letter mark
            0xFEFF,  # BOM / zero-width no-break space
        ]
    ),
    **dict.fromkeys(map(ord, "\u0625\u0623\u0671\u0622"), "\u0627"),  # alef variants → ا
    0x0649: "\u064a",  # ى → ي
    0x0629: "\u0647",  # ة → ه
}
_SPACES = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Return the matching key of `text` (see the module docstring for the exact steps)."""
    text = unicodedata.normalize("NFKC", text.translate(_SPELLED_OUT)).translate(_TABLE)
    return _SPACES.sub(" ", text).strip()
