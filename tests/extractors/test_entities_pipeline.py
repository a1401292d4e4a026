"""The sample article: every person, organisation and place, with canonical names."""

from collections import defaultdict

import pytest

from marsad.extractors.entities.crf import default_tagger
from marsad.extractors.entities.link import further_mentions
from marsad.extractors.entities.mention import Mention
from marsad.extractors.entities.pipeline import (
    Recognizers,
    default_recognizers,
    document_tagger,
    find_entities,
)
from tests.conftest import SEED

PEOPLE = {"إيلون ماسك", "فلاديمير بوتين", "دونالد ترامب", "جو بايدن", "دميتري بيسكوف",
          "سيرغي كيريينكو", "إيان بريمر", "فيونا هيل"}  # fmt: skip
ORGANISATIONS = {"وول ستريت جورنال", "سبيس إكس", "تسلا", "الكرملين", "البيت الأبيض",
                 "مجموعة أوراسيا", "إدارة الكفاءة الحكومية"}  # fmt: skip
PLACES = {"موسكو", "تايوان", "الصين", "الولايات المتحدة", "أوكرانيا", "روسيا", "واشنطن",
          "أسبن", "كولورادو"}  # fmt: skip


@pytest.fixture(scope="module")
def entities():
    text = SEED.read_text("utf-8")
    return text, find_entities(text, default_recognizers(use_camel=False))


def by_type(entities):
    found = defaultdict(set)
    for e in entities:
        found[e.type].add(e.canonical)
    return found


def test_every_person_organisation_and_place_is_found_with_its_canonical(entities):
    _text, found = entities
    canonicals = by_type(found)
    assert canonicals["PER"] >= PEOPLE
    assert canonicals["ORG"] >= ORGANISATIONS
    assert canonicals["LOC"] >= PLACES
    assert "ستارلينك" in canonicals["MISC"]


def test_offsets_point_into_the_original_text(entities):
    text, found = entities
    assert all(text[e.start : e.end] == e.text for e in found)
    assert all(
        e.recognizer in {"gazetteer", "crf", "structure", "surname", "propagated"} for e in found
    )


def test_surname_mentions_link_to_the_full_name(entities):
    _text, found = entities
    musk = [e for e in found if e.canonical == "إيلون ماسك"]
    assert {e.text for e in musk} == {"إيلون ماسك", "ماسك"}
    assert len(musk) >= 10
    assert all(e.canonical == "فلاديمير بوتين" for e in found if e.text == "بوتين")


def test_statistical_names_outside_the_gazetteer_are_kept_and_linked():
    text = "قال المدرب سامي الطرابلسي إن الفريق جاهز. وأضاف الطرابلسي أن المباراة صعبة."
    found = find_entities(text, default_recognizers(use_camel=False))
    people = [e for e in found if e.type == "PER"]
    assert [e.text for e in people] == ["سامي الطرابلسي", "الطرابلسي"]
    assert {e.canonical for e in people} == {"سامي الطرابلسي"}


def test_offline_document_tagger_returns_one_tag_per_word():
    sentences = [["زار", "ماكرون", "بغداد", "أمس", "."], [], ["وقال", "ماكرون"]]
    tags = document_tagger("offline")(sentences)
    assert tags == [["O", "B-PER", "B-LOC", "O", "O"], [], ["O", "B-PER"]]


def test_statistical_names_lose_their_proclitics_in_the_canonical():
    text = "وجهت الصين رسالة شديدة اللهجة للولايات المتحدة أمس."
    found = find_entities(text, Recognizers(crf=default_tagger()))
    usa = [e for e in found if "ولايات" in e.text]
    assert usa and usa[0].canonical == "الولايات المتحدة"


def test_everyday_words_and_inner_name_parts_are_not_spread_across_an_article():
    rec = Recognizers(crf=default_tagger())
    assert rec.is_everyday_word("دين")  # religion: common, a noun in Ayaspell
    assert not rec.is_everyday_word("محمد")  # common too, but mostly a name in ANERcorp
    assert not rec.is_everyday_word("بوتين")
    assert rec.is_no_name_alone("الدين")  # only ever the second half of نور الدين and the like
    assert not rec.is_no_name_alone("الطرابلسي")


def test_a_surname_that_never_stands_alone_is_not_linked():
    text = "قال اياد جمال الدين إن الدين لله. وأضاف أن الدين يسر."
    name = Mention(4, 19, "PER", "crf", "اياد جمال الدين")
    rec = Recognizers(crf=default_tagger())
    linked = further_mentions([name], text, lambda w: False)
    assert [text[m.start : m.end] for m in linked] == ["الدين", "الدين"]
    guarded = further_mentions([name], text, rec.is_no_name_alone)
    assert guarded == []
