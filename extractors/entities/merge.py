"""Deterministic overlap resolution between recognisers.

Rules, in order: a statistical span that covers two or more gazetteer entities is dropped
(the CRF's "ماسك ببوتين" is two people); a gazetteer organisation or place that contains a
statistical span of its own type is narrowed to that span and keeps its canonical name (the
recogniser learned where the name proper starts: حماس in "حركة حماس", غزة in "قطاع غزة",
الكونغرس in "الكونغرس الأميركي"; people are never narrowed, ماسك alone is not the name); then
the longer span wins (جامعة موسكو ORG over موسكو LOC); for the same length, the recogniser
with the higher priority wins (gazetteer, then camel, then crf); then the earlier start. The
same input always gives the same output, whatever order it came in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from marsad.extractors.entities.mention import PRIORITY, Mention

STATISTICAL = ("crf", "camel")
NARROWED_TYPES = ("ORG",)  # people and places are never narrowed (قطاع غزة is the place)


def resolve(mentions: Iterable[Mention]) -> list[Mention]:
    """Non-overlapping mentions, sorted by start."""
    mentions = _narrowed(set(mentions))
    known = sorted((m.start, m.end) for m in mentions if m.recognizer == "gazetteer")
    kept: list[Mention] = []
    taken: set[int] = set()
    for mention in sorted(mentions, key=_rank):
        if mention.recognizer != "gazetteer" and _covers_two(mention, known):
            continue
        span = range(mention.start, mention.end)
        if taken.isdisjoint(span):
            kept.append(mention)
            taken.update(span)
    return sorted(kept, key=lambda m: m.start)


def _narrowed(mentions: set[Mention]) -> set[Mention]:
    """Gazetteer ORG/LOC matches cut down to the longest statistical span of the same type
    strictly inside them (ties: the earliest)."""
    statistical = [m for m in mentions if m.recognizer in STATISTICAL]
    result = set()
    for m in mentions:
        if m.recognizer == "gazetteer" and m.type in NARROWED_TYPES and statistical:
            inside = [
                s for s in statistical
                if s.type == m.type and m.start <= s.start and s.end <= m.end
                and s.length < m.length
            ]  # fmt: skip
            if inside:
                best = min(inside, key=lambda s: (-s.length, s.start))
                m = m._replace(start=best.start, end=best.end)
        result.add(m)
    return result


def _rank(m: Mention) -> tuple:
    same_span_tiebreak = (m.type, m.canonical or "")
    return (-m.length, PRIORITY.get(m.recognizer, 99), m.start, *same_span_tiebreak)


def _covers_two(mention: Mention, known: list[tuple[int, int]]) -> bool:
    """Two or more of the `known` (start, end) spans, sorted, lie within the mention."""
    first = bisect_left(known, (mention.start,))
    last = bisect_right(known, (mention.end, mention.end))
    return sum(end <= mention.end for _start, end in known[first:last]) >= 2
