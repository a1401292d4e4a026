"""The `token TAG` format (ANERcorp, CoNLL) and BIO tags ↔ entity spans.

ANERcorp says PERS where marsad says PER; `TYPE_NAMES` folds that, so gold files and the
model speak the same four types: PER, ORG, LOC, MISC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.entity_types import CODES

TYPE_NAMES: dict[str, str] = {"PERS": "PER", **{code: code for code in CODES}}  # ANERcorp: PERS
Sentence = tuple[list[str], list[str]]  # words, tags
Span = tuple[int, int, str]  # first token, token after the last, type


def read_conll(path: Path | str) -> list[Sentence]:
    """Sentences of a `token TAG` file; blank lines separate sentences. Tags are folded."""
    return list(parse_conll(Path(path).read_text("utf-8").splitlines()))


def parse_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    words: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            if words:
                yield words, tags
            words, tags = [], []
            continue
        if len(parts) < 2:
            raise ValueError(f"line {number}: expected 'token TAG', got {line!r}")
        words.append(parts[0])
        tags.append(fold_tag(parts[-1]))
    if words:
        yield words, tags


def fold_tag(tag: str) -> str:
    """B-PERS → B-PER; anything that is not B-/I- of a known type is O."""
    if tag[:2] in ("B-", "I-") and tag[2:] in TYPE_NAMES:
        return tag[:2] + TYPE_NAMES[tag[2:]]
    return "O"


def spans(tags: list[str]) -> list[Span]:
    """Entity spans of a BIO sequence; a stray I- starts an entity (conlleval's reading).

    Only the tags other than O are visited: a gap between two of them is an O, ending any
    entity that was open.
    """
    found: list[Span] = []
    start: int | None = None
    kind: str | None = None  # set whenever `start` is
    previous = -2
    for i in [i for i, tag in enumerate(tags) if tag != "O"]:
        if start is not None and i > previous + 1:
            assert kind is not None
            found.append((start, previous + 1, kind))
            start, kind = None, None
        prefix, _, label = tags[i].partition("-")
        continues = prefix == "I" and label == kind
        if start is not None and not continues:
            assert kind is not None
            found.append((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and not continues:
            start, kind = i, label
        previous = i
    if start is not None:
        assert kind is not None
        found.append((start, previous + 1, kind))
    return found
