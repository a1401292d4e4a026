"""Scoring an extracted body against ground truth, the way extraction benchmarks do.

Token-level precision/recall/F1 with multiset overlap (as in trafilatura's and Fundus'
evaluations), on Arabic matching keys so that a hamza or a diacritic is not a miss, plus the
must-contain / must-not-contain snippet checks of trafilatura's evaluation data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from marsad.extractors.normalize import normalize_arabic

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class SnippetCheck:
    missing: list[str]  # must-contain snippets not found
    unwanted: list[str]  # must-not-contain snippets found

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unwanted


def tokens(text: str) -> list[str]:
    """Unicode word tokens of the matching key (punctuation and spacing do not count)."""
    return _WORD.findall(normalize_arabic(text).casefold())


def token_scores(predicted: str, truth: str) -> Scores:
    """Precision/recall/F1 of the predicted body's tokens against the true body's."""
    got, want = Counter(tokens(predicted)), Counter(tokens(truth))
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    total = precision + recall
    return Scores(precision, recall, 2 * precision * recall / total if total else 0.0)


def check_snippets(text: str, must: list[str], must_not: list[str]) -> SnippetCheck:
    """Which required snippets are missing and which forbidden ones are present."""
    key = normalize_arabic(text)
    return SnippetCheck(
        missing=[s for s in must if normalize_arabic(s) not in key],
        unwanted=[s for s in must_not if normalize_arabic(s) in key],
    )
