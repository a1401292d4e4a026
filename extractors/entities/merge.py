"""Deterministic overlap resolution between recognisers.

Rules, in order: a statistical span that covers two or more gazetteer entities is dropped
(the CRF's "ماسك ببوتين" is two people); then the longer span wins (جامعة موسكو ORG over موسكو
LOC); for the same length, the recogniser with the higher priority wins (gazetteer, then camel,
then crf); then the earlier start. The same input always gives the same output, whatever order
it came in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from extractors.entities.mention import PRIORITY, Mention


def resolve(mentions: Iterable[Mention]) -> list[Mention]:
    """Non-overlapping mentions, sorted by start."""
    mentions = set(mentions)
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


def _rank(m: Mention) -> tuple:
    same_span_tiebreak = (m.type, m.canonical or "")
    return (-m.length, PRIORITY.get(m.recognizer, 99), m.start, *same_span_tiebreak)


def _covers_two(mention: Mention, known: list[tuple[int, int]]) -> bool:
    """Two or more of the `known` (start, end) spans, sorted, lie within the mention."""
    first = bisect_left(known, (mention.start,))
    last = bisect_right(known, (mention.end, mention.end))
    return sum(end <= mention.end for _start, end in known[first:last]) >= 2
