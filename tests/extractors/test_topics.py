"""Topics: signals in windows, place weights, exclusions, dates, entity expansion, evidence."""

from datetime import date
from pathlib import Path

import pytest

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.topics import load_topics, score_topics
from tests.conftest import SEED

YAML = """
defaults:
  threshold: 3
  lead: 1
  weights: {headline: 3, lead: 2, body: 1}
  exclude:
    - terms: [يذكر أن]
topics:
  - id: contacts
    title: Putin meets someone
    signals:
      - entities: [فلاديمير بوتين]
        with: [يلتقي, التقى, محادثات]
      - terms: [قناة خلفية]
        weight: 2
    exclude:
      - terms: [مسلسل]
        in: article
      - terms: [كابلات]
  - id: race
    title: the 2024 race
    from: 2023-01-01
    signals:
      - entities: [دونالد ترامب]
        with: [[الانتخابات, حملة], [2024]]
        window: paragraph
  - id: leaders
    title: Putin with another leader in the headline
    signals:
      - entities: [فلاديمير بوتين]
        with: ["@PER"]
        where: headline
"""


@pytest.fixture
def topics(tmp_path: Path):
    path = tmp_path / "topics.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_topics(path)


def hits(title, text, topics, published=None):
    return {h.topic: h for h in score_topics(title, text, topics, published)}


def test_a_headline_signal_tags_and_its_sentence_is_the_evidence(topics):
    found = hits("بوتن يلتقي نظيره", "نص عادي.", topics)["contacts"]
    assert (found.tagged, found.score, found.note) == (True, 3.0, None)
    assert found.evidence == ["بوتن يلتقي نظيره"]
    assert found.terms == ["بوتن", "يلتقي"]  # the alias as written in the gazetteer


def test_every_gazetteer_spelling_and_clitic_form_counts(topics):
    for name in ("بوتين", "بوتن", "لبوتين", "وبوتين", "Putin"):
        assert hits(f"محادثات {name}", "", topics)["contacts"].tagged, name


def test_a_name_without_its_context_is_not_even_a_mention(topics):
    assert "contacts" not in hits("", "قال بوتين إن الطقس بارد.", topics)


def test_a_signal_below_the_threshold_is_a_mention(topics):
    found = hits("", "كلام.\nالتقى بوتين ضيفه.", topics)["contacts"]
    assert (found.tagged, found.score, found.note) == (False, 1.0, "score 1 below 3")
    assert found.evidence == ["التقى بوتين ضيفه."]


def test_place_weights_lead_and_body(topics):
    text = "التقى بوتين ضيفه.\nكلام آخر.\nوالتقى بوتين الوفد."
    found = hits("عنوان", text, topics)["contacts"]
    assert found.score == 3.0  # lead 2 + body 1
    assert found.tagged
    assert not hits("عنوان", "كلام.\nالتقى بوتين ضيفه.\nوالتقى بوتين الوفد.", topics)[
        "contacts"
    ].tagged  # two body sentences: 2


def test_one_sentence_counts_once_whatever_it_satisfies(topics):
    found = hits("", "التقى بوتين عبر قناة خلفية.", topics)["contacts"]
    assert found.score == 4.0  # lead 2 × the larger weight 2, not 2 + 4


def test_sentence_exclusions_silence_and_article_exclusions_stop(topics):
    silenced = "التقى بوتين بشأن كابلات. يذكر أن بوتين التقى ضيفه."
    assert "contacts" not in hits("", silenced, topics)
    stopped = hits("بوتين يلتقي نظيره", "في مسلسل جديد.", topics)["contacts"]
    assert not stopped.tagged
    assert stopped.note == "excluded: «مسلسل» in the article"


def test_context_groups_and_paragraph_windows(topics):
    text = "قال ترامب إن حملة الانتخابات بدأت.\nوستجري في 2024 كما قال."
    assert "race" not in hits("", text, topics, date(2024, 3, 1))  # 2024: next paragraph
    text = "قال ترامب إن حملة الانتخابات بدأت وستجري في 2024. وقال ترامب كلاما آخر."
    assert hits("", text, topics, date(2024, 3, 1))["race"].score == 2.0


def test_topic_dates_keep_older_articles_out(topics):
    title = "ترامب: حملة الانتخابات 2024"
    assert hits(title, "", topics, date(2024, 3, 1))["race"].tagged
    old = hits(title, "", topics, date(2018, 3, 1))["race"]
    assert not old.tagged
    assert old.note == "outside the topic's dates (from 2023-01-01)"
    assert hits(title, "", topics, None)["race"].tagged  # undated: judged on the text


def test_at_per_means_another_person_in_the_gazetteer(topics):
    assert hits("بوتين وأردوغان في سوتشي", "", topics)["leaders"].tagged
    assert "leaders" not in hits("بوتين في سوتشي", "", topics)
    assert "leaders" not in hits("", "بوتين وأردوغان في سوتشي", topics)  # headline only


def test_the_text_index_is_reused(topics):
    text = "التقى بوتين ضيفه."
    assert score_topics("", text, topics, index=TextIndex.of(text)) == score_topics(
        "", text, topics
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("signals: [{entities: [شخص مجهول]}]", "entity 'شخص مجهول' is not in the gazetteer"),
        ("signals: [{terms: [x], window: article}]", "window must be one of"),
        ("signals: [{terms: [x]}]\n    exclude: [{terms: [y], in: body}]", "exclude 'in'"),
        ("terms_ar: [x]", "terms_ar belong to the old format"),
        ("signals: []", "no signals"),
        ("from: yesterday\n    signals: [{terms: [x]}]", "is not a date"),
    ],
)
def test_rule_errors_name_the_file_topic_and_reason(tmp_path: Path, body: str, error: str):
    path = tmp_path / "bad.yaml"
    path.write_text(f"topics:\n  - id: t\n    {body}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=error) as raised:
        load_topics(path)
    assert str(raised.value).startswith(f"{path}: topic t: ")


def test_sample_article_is_tagged_with_its_subjects():
    found = {h.topic: h for h in score_topics("", SEED.read_text("utf-8"), load_topics())}
    assert found["starlink"].tagged and found["kremlin-contacts"].tagged
    assert any("ستارلينك" in s for s in found["starlink"].evidence)


def test_shipped_topics_include_the_analysts_examples():
    ids = {t.id for t in load_topics()}
    assert {"starlink", "kremlin-contacts", "us-election-2024", "ukraine-war", "taiwan"} <= ids


def test_a_passing_mention_of_taiwan_is_not_the_taiwan_topic():
    text = "وتشمل أكبر أسواق الشركة المملكة المتحدة وألمانيا وإيطاليا وتايوان."
    found = {h.topic: h for h in score_topics("", text, load_topics())}
    assert "taiwan" not in found  # not even a mention: no word of Taiwan's context
