"""Tokens keep exact offsets; clitic readings; matching keys map back to the original."""

from marsad.extractors.entities.clitics import core, splits
from marsad.extractors.entities.keys import display, key, letters_span
from marsad.extractors.entities.tokens import sentences, tokenize


def test_tokens_point_into_the_original_text():
    text = "قال بوتين، «وبالكرملين» يُعَدّ ماسك."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["قال", "بوتين", "،", "«", "وبالكرملين", "»", "يُعَدّ",
                                        "ماسك", "."]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_sentences_split_after_full_stops_and_lines():
    text = "جملة أولى. جملة ثانية؟\nسطر ثالث"
    assert [[t.text for t in s] for s in sentences(text)] == [
        ["جملة", "أولى", "."], ["جملة", "ثانية", "؟"], ["سطر", "ثالث"],
    ]  # fmt: skip


def test_clitic_readings_cover_conjunction_preposition_and_article():
    assert ("وب", "الكرملين") in splits("وبالكرملين")
    assert ("ل", "الولايات") in splits("للولايات")  # ل + ال written لل
    assert ("و", "بوتين") in splits("وبوتين")
    assert splits("بوتين")[0] == ("", "بوتين")
    assert ("ف", "الصين") in splits("فالصين")
    assert core("والكرملين") == "كرملين"


def test_keys_fold_spelling_variants():
    assert key("إيلون ماسك") == key("ايلون ماسك") == key("إِيلُون مـاسك")
    assert key("Starlink") == key("STARLINK")


def test_letters_span_skips_diacritics_of_the_prefix():
    word = "وَبِالكرملين"
    assert word[letters_span(word, 2) :] == "الكرملين"


def test_display_keeps_ta_marbuta_but_folds_hamza_on_alef():
    assert display("إِدارة") == "ادارة"
