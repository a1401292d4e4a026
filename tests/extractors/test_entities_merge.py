"""Overlap resolution is deterministic: longest span, then recogniser priority, then start."""

import itertools

from marsad.extractors.entities.mention import Mention
from marsad.extractors.entities.merge import resolve


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


def test_a_gazetteer_organisation_takes_the_statistical_boundaries_inside_it_a_place_not():
    """حماس in حركة حماس (ANERcorp's convention); قطاع غزة stays the place (the Gaza Strip)."""
    text = "حركة حماس في قطاع غزة"
    hamas_movement = Mention(0, 9, "ORG", "gazetteer", "حماس")
    hamas = Mention(5, 9, "ORG", "crf")
    strip = Mention(13, 21, "LOC", "gazetteer", "قطاع غزة")
    gaza = Mention(18, 21, "LOC", "crf")
    merged = resolve([hamas_movement, hamas, strip, gaza])
    assert [text[m.start : m.end] for m in merged] == ["حماس", "قطاع غزة"]
    assert [(m.recognizer, m.canonical) for m in merged] == [
        ("gazetteer", "حماس"),
        ("gazetteer", "قطاع غزة"),
    ]


def test_a_gazetteer_person_keeps_the_full_name_over_a_surname_inside_it():
    musk = Mention(0, 10, "PER", "gazetteer", "إيلون ماسك")
    surname = Mention(6, 10, "PER", "crf")
    assert resolve([musk, surname]) == [musk]


def test_a_statistical_span_of_another_type_does_not_narrow_a_gazetteer_match():
    university = Mention(0, 11, "ORG", "gazetteer", "جامعة موسكو")
    city = Mention(6, 11, "LOC", "crf")
    assert resolve([city, university]) == [university]
