from marsad.extractors.normalize import normalize_arabic


def test_alef_variants_fold_to_bare_alef():
    assert normalize_arabic("إيلون") == normalize_arabic("ايلون") == "ايلون"
    assert normalize_arabic("أآإٱ") == "اااا"


def test_digits_become_ascii():
    assert normalize_arabic("٢٠٢٤") == "2024"
    assert normalize_arabic("۱۴۰۳") == "1403"  # Persian digits


def test_diacritics_are_removed():
    assert normalize_arabic("يُعد") == "يعد"
    assert normalize_arabic("مُحَمَّدٌ") == "محمد"
    assert normalize_arabic("رئيسًا") == "رئيسا"


def test_orthographic_variants():
    assert normalize_arabic("مستشفى") == "مستشفي"  # alef maksura
    assert normalize_arabic("مدرسة") == "مدرسه"  # teh marbuta
    assert normalize_arabic("مـــاسك") == "ماسك"  # tatweel


def test_invisible_controls_and_whitespace():
    assert normalize_arabic(" \u202bبوتين\u202c \n\t ماسك\u200f ") == "بوتين ماسك"


def test_presentation_forms_become_letters():
    assert normalize_arabic("ﻻ") == "لا"


def test_spellings_of_the_seed_headline_meet():
    typed = "محادثات سريه بين ايلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"
    seed = "محادثات سرية بين إيلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"
    assert normalize_arabic(seed) == normalize_arabic(typed)


def test_latin_text_is_left_alone():
    assert normalize_arabic("Wall Street Journal") == "Wall Street Journal"
