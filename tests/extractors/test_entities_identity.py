"""One identity per entity: ids across spellings, roles cut off, names that need evidence."""

from __future__ import annotations

from marsad.extractors.entities.identity import entity_id, romanize
from marsad.pipeline import entities_of


def found(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.text, e.type, e.entity_id, e.name_latin) for e in entities_of(text)]


def test_spellings_of_one_person_share_the_gazetteer_id_and_english_name():
    text = "قال فلاديمير بوتين إن بوتن لن يتراجع. وقالت موسكو إن بوتين سيزور بكين."
    putin = [e for e in found(text) if e[1] == "PER"]
    assert len(putin) == 3
    assert {(e[2], e[3]) for e in putin} == {("Q7747", "Vladimir Putin")}


def test_a_surname_alone_takes_the_full_names_identity():
    entities = found("وقال وزير الخارجية جواد ظريف في طهران إن ظريف سيلتقي نظيره")
    ids = {e[2] for e in entities if e[0] in ("جواد ظريف", "ظريف")}
    assert len(ids) == 1 and ids != {None}


def test_unlisted_names_get_a_key_of_their_canonical_and_a_romanisation():
    assert entity_id("PER", "أحمد ظريف") == entity_id("PER", "احمد ظريف") == "PER:احمد ظريف"
    assert entity_id("LOC", "الحديدة") == entity_id("LOC", "الحديده")
    assert entity_id("PER", "پوتین") == entity_id("PER", "بوتين")  # Persian pe and ya
    assert entity_id("ORG", "x", "Q1065") == "Q1065"
    assert romanize("الكرملين") == "al-Krmlin"
    assert romanize("جواد ظريف") == "Juad Zrif"


def test_a_role_before_a_name_is_cut_and_the_place_in_it_is_free():
    entities = found("وقالت السفيرة الأميركية لدى كييف بريدجيت برينك إن الوضع صعب")
    assert ("كييف", "LOC", "Q1899", "Kyiv") in entities
    assert not any(e[0].startswith("السفيرة") for e in entities)


def test_a_clitic_is_never_cut_inside_a_listed_name():
    assert [e[0] for e in found("وقالت بكين إن المحادثات مستمرة")] == ["بكين"]


def test_how_is_not_kyiv_and_the_island_is_not_the_channel():
    assert found("كيف يمكن وقف الحرب؟") == []
    assert not [e for e in found("وصلت القوات إلى الجزيرة صباحا") if e[1] == "ORG"]
    channel = [e[0] for e in found("وقالت قناة الجزيرة إن") if e[1] == "ORG"]
    assert channel == ["قناة الجزيرة"]


def test_a_nationality_adjective_is_no_place():
    assert found("بدخول الأراضي السعودية إلى") == []
