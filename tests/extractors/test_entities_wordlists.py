"""The shipped outside word lists and the CRF features they give."""

from marsad.extractors.entities.features import sentence_features
from marsad.extractors.entities.lexicon import Lexicon
from marsad.extractors.entities.wordlists import default_wordlists


def test_lists_hold_names_places_currencies_and_frequencies() -> None:
    lists = default_wordlists()
    assert lists.first["محمد"] == 1  # keys are normalised: أحمد → احمد
    assert lists.first["احمد"] == 1
    assert lists.place["بغداد"] == 1
    assert lists.place["المتحده"] == 2  # part of الولايات المتحدة
    assert "دولار" in lists.currency
    assert lists.zipf["في"] >= 7
    assert "ستارلينك" not in lists.first


def test_features_read_through_proclitics_and_mark_neighbours() -> None:
    feats = sentence_features(["قال", "وأحمد", "لبغداد"], Lexicon())
    said, ahmad, baghdad = feats
    assert "zf=6" in said or "zf=7" in said
    assert "1:fn=1" in said or "1:cfn=1" in said  # the next word is a popular first name
    assert "cpl=1" in baghdad  # ل + بغداد
    assert not any(f.startswith(("fn=", "cfn=")) for f in baghdad)
    assert any(f.startswith("zf=") for f in ahmad)
