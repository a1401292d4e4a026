from pathlib import Path

from marsad.extractors.language import detect_language

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_seed_is_arabic():
    text = (FIXTURES / "seed" / "000_26f213205dacc3d1.txt").read_text(encoding="utf-8")
    assert detect_language(text) == "ar"


def test_other_languages():
    assert detect_language("The quick brown fox jumps over the lazy dog near the bank") == "en"
    assert detect_language("Le gouvernement a annoncé une nouvelle réforme des retraites") == "fr"


def test_too_little_text_is_unknown():
    assert detect_language("") is None
    assert detect_language("CNN 2024") is None
    assert detect_language("ماسك") is None
