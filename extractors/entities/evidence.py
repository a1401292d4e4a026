"""Names that need evidence before they count, and tags that are not names in the text.

- Ambiguous names: «الجزيرة» is the island before it is the channel, «العربية» the language
  before Al Arabiya, «الحياة» life before the newspaper. A statistical ORG on one of these
  words alone counts only with evidence: a media word before it (قناة الجزيرة, لصحيفة الحياة),
  a media suffix after it (الجزيرة نت), or quotation marks around it.
- Dateline tags: the outlet's own «(CNN)» or «(رويترز) -» at the head of the article is where
  the story came from, not a mention: a name in brackets followed by a dash, in the first
  DATELINE_CHARS characters, is dropped.
- Places taken for people: a one-word PER that the word lists know as a place and not as a
  given name or surname is a LOC; and every mention of a name takes the type a rule or the
  gazetteer gave it in the same article.
- Adjectives taken for places: «الأراضي السعودية» is Saudi land, not the place السعودية.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from marsad.extractors.entities.clitics import ARTICLE
from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.keys import key
from marsad.extractors.entities.mention import Mention
from marsad.models import EntityType

AMBIGUOUS = frozenset(
    key(w) for w in ("الجزيرة", "العربية", "الحياة", "الشرق", "النهار", "المستقبل", "الوطن",
                     "الأخبار", "الثورة", "البيان", "الشروق", "الخليج", "الرأي", "الصباح")
)  # fmt: skip
MEDIA = frozenset(
    key(w) for w in ("قناة", "شبكة", "صحيفة", "جريدة", "موقع", "تلفزيون", "مجلة", "إذاعة",
                     "قناه", "لقناة", "لصحيفة", "بصحيفة", "بقناة", "وقناة", "وصحيفة", "لموقع")
)  # fmt: skip
MEDIA_AFTER = frozenset(key(w) for w in ("نت", "مباشر", "الإخبارية", "الفضائية"))
QUOTES = "\"'«»“”"
DATELINE_CHARS = 200
_DATELINE = re.compile(r"^\s*\)\s*[-–—]")
STATISTICAL = ("crf", "camel", "propagated")
RULED = ("gazetteer", "structure")
NOT_NOUNS = frozenset(key(w) for w in ("الذي", "التي", "الذين", "الى", "إلى", "الآن"))


def with_evidence(mentions: list[Mention], text: str) -> list[Mention]:
    """The mentions without ambiguous names lacking evidence and without dateline tags."""
    return [m for m in mentions if not _unproven(m, text) and not _dateline(m, text)]


def _unproven(m: Mention, text: str) -> bool:
    if m.type != "ORG" or m.recognizer not in STATISTICAL:
        return False
    surface = key(text[m.start : m.end])
    if surface not in AMBIGUOUS:
        return False
    before = text[max(m.start - 30, 0) : m.start].split()
    after = text[m.end : m.end + 30].split()
    quoted = text[m.start - 1 : m.start] in QUOTES if m.start else False
    media = bool(before) and key(before[-1].strip(QUOTES)) in MEDIA
    suffix = bool(after) and key(after[0].strip(QUOTES + ".,،")) in MEDIA_AFTER
    return not (quoted or media or suffix)


def _dateline(m: Mention, text: str) -> bool:
    opened = text[m.start - 1 : m.start] == "(" if m.start else False
    return m.start < DATELINE_CHARS and opened and bool(_DATELINE.match(text[m.end :]))


def places_not_people(
    mentions: list[Mention], text: str, is_place: Callable[[str], bool],
    is_person_word: Callable[[str], bool],
) -> list[Mention]:  # fmt: skip
    """One-word PER mentions that are listed places and no listed name part become LOC."""
    result = []
    for m in mentions:
        word = key(text[m.start : m.end])
        if m.type == "PER" and " " not in word and is_place(word) and not is_person_word(word):
            m = m._replace(type="LOC")
        result.append(m)
    return result


def adjectives_dropped(
    mentions: list[Mention], index: TextIndex, is_nationality: Callable[[str], bool]
) -> list[Mention]:
    """A one-word definite LOC right after a definite noun is its adjective, not a place:
    «الأراضي السعودية», «الحكومة السورية» (a coordinated «والسعودية» is still a place)."""
    starts = {t.start: n for n, t in enumerate(index.kept)}
    result = []
    for m in mentions:
        n = starts.get(m.start)
        if m.type == "LOC" and n and index.kept[n].end == m.end:
            word, before = index.keys[n], index.keys[n - 1]
            definite_pair = word.startswith(ARTICLE) and before.startswith(ARTICLE)
            if definite_pair and is_nationality(word) and before not in NOT_NOUNS:
                continue
        result.append(m)
    return result


def consistent_types(mentions: list[Mention], text: str) -> list[Mention]:
    """Every mention of a name takes the type a rule or the gazetteer gave it in the article
    (عفرين after «منطقة عفرين» is a place wherever the CRF read a person)."""
    listed: dict[str, EntityType] = {}  # the gazetteer settles any type
    ruled: dict[str, EntityType] = {}  # a structure rule settles a name the CRF took for a person
    for m in mentions:
        found = listed if m.recognizer == "gazetteer" else ruled if m.recognizer in RULED else None
        if found is not None:
            found.setdefault(key(text[m.start : m.end]), m.type)
    result = []
    for m in mentions:
        name = key(text[m.start : m.end])
        kind = listed.get(name) or (ruled.get(name) if m.type == "PER" else None) or m.type
        result.append(m._replace(type=kind) if m.recognizer not in RULED else m)
    return result
