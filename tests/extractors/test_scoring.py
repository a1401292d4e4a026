import pytest

from marsad.extractors.scoring import check_snippets, token_scores, tokens


def test_tokens_are_words_of_the_matching_key():
    assert tokens("أكدت جهات سورية، معارضة (CNN) -- ٢٠١٣") == [
        "اكدت",
        "جهات",
        "سوريه",
        "معارضه",
        "cnn",
        "2013",
    ]


def test_identical_text_scores_one():
    scores = token_scores("قال المرصد السوري", "قال المرصد السوري")
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_extra_text_costs_precision_missing_text_costs_recall():
    truth = "قال المرصد السوري لحقوق الإنسان"
    extra = token_scores(truth + " ترحب شبكة CNN بالنقاش", truth)
    assert extra.recall == 1.0
    assert extra.precision == pytest.approx(5 / 9)
    assert extra.f1 == pytest.approx(10 / 14)
    missing = token_scores("قال المرصد", truth)
    assert (missing.precision, missing.recall) == (1.0, pytest.approx(2 / 5))


def test_overlap_counts_repeated_words_once_per_occurrence():
    scores = token_scores("في في في", "في حين")
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 2)


def test_spelling_variants_are_not_misses():
    assert token_scores("إيلون ماسك رئيسًا", "ايلون ماسك رئيسا").f1 == 1.0


def test_empty_sides():
    assert token_scores("", "نص").f1 == 0.0
    assert token_scores("نص", "").f1 == 0.0


def test_snippets():
    check = check_snippets(
        "منذ بدء الحراك في كل المجالات", ["منذ بدء", "وماذا عن"], ["كل المجالات"]
    )
    assert check.missing == ["وماذا عن"]
    assert check.unwanted == ["كل المجالات"]
    assert not check.passed
    assert check_snippets("نص", ["نص"], ["تعليق"]).passed
