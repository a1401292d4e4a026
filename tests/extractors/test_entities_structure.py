"""Organisations and places recognised by their structure (extractors/entities/structure.py)."""

from __future__ import annotations

import pytest

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.structure import find_organisations, find_places
from marsad.pipeline import recognizers


@pytest.fixture(scope="module")
def tests():
    return recognizers().word_tests


def orgs(text: str, tests) -> list[str]:
    return [text[m.start : m.end] for m in find_organisations(TextIndex.of(text), tests, text)]


def places(text: str, tests) -> list[str]:
    return [text[m.start : m.end] for m in find_places(TextIndex.of(text), tests, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قالت وزارة الدفاع الأوكرانية يوم الأحد", ["وزارة الدفاع الأوكرانية"]),
        ("وقال جهاز الأمن الفيدرالي الروسي في بيان", ["جهاز الأمن الفيدرالي الروسي"]),
        ("أعلنت وزارة الخزانة الأمريكية ووزارة العدل", ["وزارة الخزانة الأمريكية", "وزارة العدل"]),
        ("وصد الجيش الأوكراني الهجوم", ["الجيش الأوكراني"]),
        ("وقالت الجمعية الوطنية للبنادق", ["الجمعية الوطنية للبنادق"]),
        ("ونقلت صحيفة واشنطن بوست عن مسؤولين", ["صحيفة واشنطن بوست"]),
        ("ووزراء من حزب العدالة والتنمية الحاكم", ["حزب العدالة والتنمية"]),
        ("وقالت هيئة الإذاعة البريطانية إن", ["هيئة الإذاعة البريطانية"]),
        ("وكالة الأنباء السعودية الرسمية", ["وكالة الأنباء السعودية"]),  # stops after the nation
        ("الموقف للاتحاد الأوروبي اليوم", ["لاتحاد الأوروبي"]),  # ل + ال: the preposition is out
    ],
)
def test_organisations_with_their_qualifiers(text, expected, tests):
    assert orgs(text, tests) == expected


@pytest.mark.parametrize(
    "text",
    [
        "قال الجيش إن",  # an army without its country is not named
        "وقالت القوات الحكومية",  # forces named by their role, not their country
        "وقالت لجنة التحقيق",  # a generic body with one qualifier
        "ونفت صحيفة «التايمز» ذلك",  # the name is only the quoted part
        "أشعلت مجموعة إرهابية النار",  # an adjective is not a name
        "وتقدم التحالف بقيادة السعودية",  # "led by" is no body
    ],
)
def test_descriptions_are_not_organisations(text, tests):
    assert orgs(text, tests) == []


def test_places_after_a_cue_word_and_with_a_head_word(tests):
    text = "من محافظات صعدة وعمران والمحويت إلى مطار صنعاء الدولي في دولة قطر"
    assert places(text, tests) == ["صعدة", "عمران", "المحويت", "مطار صنعاء الدولي", "دولة قطر"]


def test_an_adjective_after_a_cue_is_no_place(tests):
    assert places("في منطقة عسكرية مغلقة", tests) == []
