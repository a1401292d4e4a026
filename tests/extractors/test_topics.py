"""Topics: terms with clitics, required groups, exclusions, entity conditions, shipped file."""

from pathlib import Path

import pytest

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.topics import load_topics, match_topics
from marsad.models import Entity
from tests.conftest import SEED

YAML = """
topics:
  - id: kremlin
    title: Kremlin
    terms_ar: [الكرملين]
  - id: talks
    title: Secret talks with Moscow
    terms_ar: [محادثات سرية]
    required: [[موسكو, الكرملين]]
    excluded: [مسلسل]
  - id: putin-musk
    title: Putin and Musk
    entities_all: ["PER:بوتين", "PER:ماسك"]
  - id: year
    title: needs 2024
    terms_ar: [الانتخابات]
    required: [2024]
"""


@pytest.fixture
def topics(tmp_path: Path):
    path = tmp_path / "topics.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_topics(path)


def test_terms_match_with_proclitics_and_spelling_variants(topics):
    assert match_topics("", "وبالكِرملين قالوا", topics) == {"kremlin": ["الكرملين"]}


def test_required_group_and_exclusion(topics):
    assert "talks" not in match_topics("", "محادثات سرية بين شركتين", topics)
    found = match_topics("محادثات سرية", "مع موسكو", topics)
    assert found["talks"] == ["محادثات سرية", "موسكو"]
    assert "talks" not in match_topics("", "محادثات سرية مع موسكو في مسلسل جديد", topics)


def test_a_term_may_run_from_the_title_into_the_text_and_the_text_index_is_reused(topics):
    text = "سرية مع «موسكو»"
    index = TextIndex.of(text)
    assert "talks" in match_topics("محادثات", text, topics, index=index)
    assert match_topics("محادثات", text, topics, index=index) == match_topics(
        "محادثات", text, topics
    )
    assert "talks" not in match_topics("", text, topics, index=index)


def test_numbers_in_yaml_are_terms(topics):
    assert match_topics("", "الانتخابات المقبلة في ٢٠٢٤", topics)["year"] == ["2024", "الانتخابات"]


def test_entity_conditions_use_canonical_names(topics):
    putin = Entity(text="بوتين", type="PER", canonical="فلاديمير بوتين", start=0, end=5)
    musk = Entity(text="ماسك", type="PER", canonical="إيلون ماسك", start=6, end=10)
    assert "putin-musk" in match_topics("", "بوتين ماسك", topics, [putin, musk])
    assert "putin-musk" not in match_topics("", "بوتين ماسك", topics, [putin])


def test_sample_article_is_tagged_starlink_and_kremlin_contacts():
    found = match_topics("", SEED.read_text("utf-8"), load_topics())
    assert {"starlink", "kremlin-contacts"} <= set(found)
    assert found["starlink"] == ["ستارلينك"]
    assert {"محادثات سرية", "الكرملين"} <= set(found["kremlin-contacts"])


def test_shipped_topics_include_the_analysts_examples():
    ids = {t.id for t in load_topics()}
    assert {"starlink", "kremlin-contacts", "us-election-2024", "ukraine-war", "taiwan"} <= ids


def test_a_passing_mention_of_taiwan_is_not_the_taiwan_topic():
    text = "وتشمل أكبر أسواق الشركة المملكة المتحدة وألمانيا وإيطاليا وتايوان."
    assert "taiwan" not in match_topics("", text, load_topics())
