"""Evaluation: exact-match entity scoring, the CLI commands on real files."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.evaluation import evaluate_topics, score_tags

from .conftest import FIXTURES

runner = CliRunner()


def test_entity_scores_are_exact_match_per_type_and_micro():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    predicted = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "B-MISC"]]
    report = score_tags(gold, predicted)
    assert (report.by_label["PER"].tp, report.by_label["PER"].fp, report.by_label["PER"].fn) == (
        0, 1, 1,
    )  # fmt: skip
    assert report.by_label["LOC"].f1 == 1.0
    assert report.by_label["MISC"].precision == 0.0
    micro = report.micro
    assert (micro.tp, micro.fp, micro.fn) == (2, 2, 1)
    assert round(micro.f1, 4) == round(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 4)


def test_evaluate_ner_command_prints_every_type(tmp_path: Path):
    gold = tmp_path / "gold.txt"
    gold.write_text("قال O\nفلاديمير B-PERS\nبوتين I-PERS\nفي O\nموسكو B-LOC\n. O\n\n",
                    encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["evaluate-ner", str(gold)])
    assert result.exit_code == 0, result.output
    for label in ("LOC", "MISC", "ORG", "PER", "micro"):
        assert label in result.output
    assert "1.000" in result.output


def test_topic_evaluation_on_the_labelled_fixture():
    report = evaluate_topics(FIXTURES / "topics" / "labelled.jsonl")
    assert report.micro.support == 12
    # no false tag on the 25 real fixture articles; the one-sentence hand-made items whose
    # headline does not name their topic stay below the threshold (a lead sentence alone is
    # 2.5 of 3: see docs/decisions.md), hence the low recall on this set
    assert report.micro.precision == 1.0 and report.micro.recall >= 0.5
    result = runner.invoke(app, ["evaluate-topics", str(FIXTURES / "topics" / "labelled.jsonl")])
    assert result.exit_code == 0 and "kremlin-contacts" in result.output


def test_evaluate_ner_command_names_an_unknown_recognizer(tmp_path: Path):
    gold = tmp_path / "gold.txt"
    gold.write_text("قال O\n\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate-ner", str(gold), "--recognizer", "nope"])
    assert result.exit_code == 2
    assert "unknown recognizer" in result.output


ANT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant-multisource-2018"
NER_LABELS = FIXTURES / "ner_ant" / "labels.jsonl"


def test_entities_on_the_labelled_real_articles_dev_split():
    """The recogniser on real 2018 news it was not trained on (tests/fixtures/ner_ant): a floor
    under the dev split's figure, so a regression in the rules or the CRF shows here."""
    from marsad.evaluation import evaluate_entities

    report = evaluate_entities(NER_LABELS, ANT, "dev")
    assert sum(s.support for s in report.by_label.values()) > 300
    assert report.micro.f1 >= 0.78
    assert all(report.by_label[t].f1 >= 0.7 for t in ("PER", "ORG", "LOC"))


def test_evaluate_entities_command_speaks_json():
    import json

    result = CliRunner().invoke(
        app, ["evaluate-entities", "--split", "test", "--labels", str(NER_LABELS),
              "--corpus", str(ANT), "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"PER", "ORG", "LOC", "micro"}
    assert scores["micro"]["support"] > 300


def test_evaluate_entities_names_a_missing_corpus(tmp_path: Path):
    result = CliRunner().invoke(
        app, ["evaluate-entities", "--labels", str(NER_LABELS), "--corpus", str(tmp_path)]
    )
    assert result.exit_code == 2  # the CLI's exit code for a command that cannot run
    assert "labelled articles not in" in result.output


TOPIC_LABELS = FIXTURES / "topic_labels" / "labels.jsonl"


def test_topic_judgments_are_scored_per_topic_from_the_shared_texts():
    """Every judged pair counts once; the support is the relevant judgments of the split."""
    import json

    from marsad.evaluation import evaluate_topic_judgments

    judged = [json.loads(line) for line in TOPIC_LABELS.read_text("utf-8").splitlines()]
    mistakes: list[str] = []
    report = evaluate_topic_judgments(TOPIC_LABELS, ANT.parent, "dev", mistakes=mistakes)
    for topic, score in report.by_label.items():
        relevant = sum(j["relevant"] for j in judged if j["topic"] == topic and j["split"] == "dev")
        assert score.support == relevant, topic
    errors = sum(s.fp + s.fn for s in report.by_label.values())
    assert len(mistakes) == errors and all("(label: " in m for m in mistakes)  # with the note
    # the shipped rules were tuned on this split: a regression guard, not a benchmark
    assert report.micro.precision >= 0.75 and report.micro.recall >= 0.75


def test_evaluate_topics_command_reads_judgments_and_speaks_json():
    import json

    result = CliRunner().invoke(
        app, ["evaluate-topics", str(TOPIC_LABELS), "--corpora", str(ANT.parent),
              "--split", "test", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert {"kremlin-contacts", "us-election-2024", "micro"} <= set(scores)


STORY_LABELS = FIXTURES / "story_pairs" / "labels.jsonl"


def test_story_pairs_are_scored_on_the_whole_corpus_placed_in_stories():
    """Every judged pair counts once per label; the dev figures guard against regressions
    (the thresholds were tuned on dev, so this is not the benchmark: see the README)."""
    import json

    from marsad.evaluation import evaluate_story_pairs

    judged = [json.loads(line) for line in STORY_LABELS.read_text("utf-8").splitlines()]
    report = evaluate_story_pairs(STORY_LABELS, ANT, "dev")
    for label in ("near_copy", "same_story"):
        assert report.by_label[label].support == sum(
            j[label] for j in judged if j["split"] == "dev"
        )
    near, same = report.by_label["near_copy"], report.by_label["same_story"]
    assert near.precision >= 0.85 and near.recall >= 0.75
    assert same.precision >= 0.85 and same.recall >= 0.8
