"""Titles and roles before a name: «السفيرة الأميركية لدى كييف بريدغيت برينك» is a person.

The CRF sometimes takes a role and its context into the name (one ORG from السفيرة to برينك).
A statistical mention that starts with a role word is cut where the name proper starts: after
the role, its definite qualifiers and nationality (الأميركية), and a preposition with its object
(لدى كييف). What is left is a person (roles are held by people); if nothing is left, the
mention is dropped. Places inside the cut context are then free for the gazetteer (كييف).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from marsad.extractors.entities.clitics import ARTICLE, splits
from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.mention import Mention

STATISTICAL = ("crf", "camel")
# Matching keys (ة → ه, أ → ا, ى → ي), with and without the article.
ROLES = frozenset(
    "رئيس رئيسه سفير سفيره وزير وزيره متحدث متحدثه ناطق ناطقه امين مدير مديره ملك "
    "امير اميره شيخ نائب نائبه جنرال عقيد لواء عميد مستشار مستشاره قائد مبعوث مبعوثه "
    "مندوب مندوبه زعيم مرشد محافظ سيناتور نجم لاعب مدرب".split()
)
PREPOSITIONS = frozenset("لدي في عن باسم من".split())


def is_role(word: str) -> bool:
    """A role or title word (any clitic form, with or without ال)."""
    for _prefix, rest in splits(word):
        bare = rest[len(ARTICLE) :] if rest.startswith(ARTICLE) else rest
        if bare in ROLES:
            return True
    return False


def split_roles(
    mentions: list[Mention],
    index: TextIndex,
    is_nationality: Callable[[str], bool],
    is_place: Callable[[str], bool] = lambda _word: False,
) -> list[Mention]:
    """Statistical mentions without a leading role and its context (see the module doc)."""
    # tokens are in order: a mention's tokens are found by bisection, not a scan per mention
    starts, ends = [t.start for t in index.kept], [t.end for t in index.kept]
    result = []
    for m in mentions:
        if m.recognizer not in STATISTICAL:
            result.append(m)
            continue
        inside = list(range(bisect_left(starts, m.start), bisect_right(ends, m.end)))
        if inside and _after_preposition(index, inside) and is_place(index.keys[inside[0]]):
            inside = inside[1:]  # «لدى كييف بريدجيت برينك»: the place is the role's context
            if inside:
                result.append(m._replace(start=index.kept[inside[0]].start, type="PER"))
            continue
        if not inside or not is_role(index.keys[inside[0]]):
            result.append(m)
            continue
        j = _name_start(index, inside, is_nationality)
        if j is not None:
            result.append(m._replace(start=index.kept[j].start, type="PER"))
    return result


def _after_preposition(index: TextIndex, inside: list[int]) -> bool:
    """Does the mention start right after a preposition of a role's context (لدى, في …)?"""
    return len(inside) > 1 and inside[0] > 0 and index.keys[inside[0] - 1] in PREPOSITIONS


def _name_start(
    index: TextIndex, inside: list[int], is_nationality: Callable[[str], bool]
) -> int | None:
    """The first token of the name proper after the role, or None if there is none."""
    n = 1
    while n < len(inside):
        word = index.keys[inside[n]]
        if word in PREPOSITIONS:
            n += 2  # the preposition and its object (لدى كييف)
        elif is_role(word) or word.startswith(ARTICLE) or is_nationality(word):
            n += 1
        else:
            return inside[n]
    return None
