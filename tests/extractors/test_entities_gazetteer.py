"""Gazetteer matching: clitics, context brackets, surnames after the full name, offsets."""

from pathlib import Path

import pytest

from marsad.extractors.entities.gazetteer import TextIndex, load_gazetteer

YAML = """
entities:
  - {canonical: إيلون ماسك, type: PER, ar: [ايلون ماسك], en: [Elon Musk]}
  - {canonical: الكرملين, type: ORG}
  - {canonical: الولايات المتحدة, type: LOC}
  - {canonical: إكس, type: MISC, ar: ["منصة [إكس]"]}
"""


@pytest.fixture
def gazetteer(tmp_path: Path):
    path = tmp_path / "gazetteer.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_gazetteer(path)


def found(gazetteer, text):
    return [(text[m.start : m.end], m.canonical) for m in sorted(gazetteer.find(text),
                                                                key=lambda m: m.start)]  # fmt: skip


def test_clitics_are_matched_and_left_out_of_the_span(gazetteer):
    text = "وبالكرملين قالوا، وللولايات المتحدة رأي، والكرملين."
    assert found(gazetteer, text) == [
        ("الكرملين", "الكرملين"),
        # ل + ال written لل: the preposition is left out, the article's lam stays
        ("لولايات المتحدة", "الولايات المتحدة"),
        ("الكرملين", "الكرملين"),
    ]


def test_spelling_variants_fold_onto_the_canonical(gazetteer):
    text = "قال إِيلون ماسك ثم ايلون ماسك ثم Elon Musk"
    assert [c for _t, c in found(gazetteer, text)] == ["إيلون ماسك"] * 3


def test_surname_alone_links_only_after_the_full_name(gazetteer):
    text = "ماسك يتحدث. ثم قال إيلون ماسك إن ماسك ولماسك رأيا."
    assert found(gazetteer, text) == [
        ("إيلون ماسك", "إيلون ماسك"), ("ماسك", "إيلون ماسك"), ("ماسك", "إيلون ماسك"),
    ]  # fmt: skip


def test_bracketed_context_is_required_and_not_part_of_the_entity(gazetteer):
    assert found(gazetteer, 'نشر على منصة "إكس" تدوينة') == [("إكس", "إكس")]
    assert found(gazetteer, "سبيس إكس شركة") == []


def test_text_index_finds_readings_with_proclitics_and_skips_quotes():
    index = TextIndex.of("قال «وبالكرملين» إن الكرملين")
    assert [t.text for t in index.kept] == ["قال", "وبالكرملين", "إن", "الكرملين"]
    assert index.keys[2] == "ان"
    assert index.positions["الكرملين"] == [1, 3]  # وب + الكرملين, and the bare word
    assert index.positions["كرملين"] == [1, 3]  # without the article too
    assert index.starts({"الكرملين", "قال", "موسكو"}) == [0, 1, 3]
    assert index.starts(set()) == []


def test_shipped_gazetteer_loads_with_unique_canonicals():
    gazetteer = load_gazetteer()
    canonicals = [e.canonical for e in gazetteer.entries]
    assert len(canonicals) == len(set(canonicals)) > 100
    assert {e.type for e in gazetteer.entries} == {"PER", "ORG", "LOC", "MISC"}


def test_an_unknown_type_is_refused_with_the_entry_named(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("entities:\n  - {canonical: تسلا, type: COMPANY}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="تسلا"):
        load_gazetteer(path)
