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


def _camel_key(text: str) -> str:
    """The key as camel-tools' own functions compute it (the definition normalize_arabic keeps)."""
    import re

    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    from marsad.extractors.normalize import _TABLE

    digits_and_controls = {k: v for k, v in _TABLE.items() if v is None or v.isdigit()}
    text = normalize_unicode(text).translate(digits_and_controls)
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(text))))
    return re.sub(r"\s+", " ", text).strip()


def test_diacritic_set_is_camels():
    from camel_tools.utils.charsets import AR_DIAC_CHARSET

    from marsad.extractors.normalize import DIACRITICS

    assert frozenset(AR_DIAC_CHARSET) == DIACRITICS


def test_one_pass_equals_camel_tools_on_real_articles():
    """Every paragraph of the real fixture articles, plus the characters each step handles."""
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted((fixtures / "ant").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((fixtures / "seed").glob("*.txt"))]
    texts.append("﷼ ﷽ ﻻ مـــاسك أُحَمَّدٌ إٱآ ى ة ٠١٢ ۳۴ \u200f\u202b\u2066x\ufeff")
    paragraphs = [line for text in texts for line in text.splitlines()]
    assert len(paragraphs) > 100
    for paragraph in paragraphs:
        assert normalize_arabic(paragraph) == _camel_key(paragraph), paragraph
