"""Overlap resolution is deterministic: longest span, then recogniser priority, then start."""

import itertools

from extractors.entities.mention import Mention
from extractors.entities.merge import resolve


def test_longer_span_wins_over_a_nested_one():
    university = Mention(0, 11, "ORG", "crf")
    city = Mention(6, 11, "LOC", "gazetteer")
    assert resolve([city, university]) == [university]


def test_same_span_goes_to_the_higher_priority_recognizer():
    crf = Mention(0, 5, "MISC", "crf")
    gazetteer = Mention(0, 5, "ORG", "gazetteer", "البيت الأبيض")
    assert resolve([crf, gazetteer]) == [gazetteer]


def test_result_does_not_depend_on_input_order():
    mentions = [Mention(0, 5, "PER", "crf"), Mention(3, 9, "LOC", "camel"),
                Mention(3, 9, "ORG", "crf"), Mention(10, 12, "MISC", "gazetteer")]  # fmt: skip
    results = {tuple(resolve(list(p))) for p in itertools.permutations(mentions)}
    assert len(results) == 1
    assert [m.start for m in results.pop()] == [3, 10]


def test_a_statistical_span_over_two_known_entities_gives_way_to_them():
    merged = Mention(0, 11, "PER", "crf")  # "ماسك ببوتين"
    musk = Mention(0, 4, "PER", "gazetteer", "إيلون ماسك")
    putin = Mention(6, 11, "PER", "gazetteer", "فلاديمير بوتين")
    assert resolve([merged, musk, putin]) == [musk, putin]
