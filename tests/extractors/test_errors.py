from marsad.extractors.errors import ExtractionError


def test_reason_is_always_one_line():
    err = ExtractionError("invalid JSON:\n  Expecting ',' delimiter\n")
    assert err.reason == "invalid JSON: Expecting ',' delimiter"
    assert str(err) == err.reason


def test_empty_reason_still_says_something():
    assert ExtractionError("  ").reason == "unknown extraction problem"
