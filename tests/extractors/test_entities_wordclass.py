"""What the shipped outside word lists say about single words (extractors/entities/wordclass)."""

from marsad.extractors.entities.wordclass import wordclass_features
from marsad.extractors.entities.wordlists import default_wordlists


def features(word: str) -> list[str]:
    return wordclass_features(word, default_wordlists())


def test_wikipedia_names_of_places_clubs_and_people_read_through_proclitics() -> None:
    lists = default_wordlists()
    assert lists.wplace["بوخارست"] == 1  # a whole one-word place name
    assert lists.worg["ستيوا"] == 2  # part of ستيوا بوخارست
    assert "بيونسيه" in lists.wperson
    assert "wp=1" in features("بوخارست")
    assert "cwp=1" in features("وبوخارست") and "wp=1" not in features("وبوخارست")
    assert "wo=2" in features("ستيوا")
    assert not any(f.startswith(("wp=", "wo=", "wn=")) for f in features("مدينه"))


def test_inflections_tell_common_words_and_verbs_from_names() -> None:
    verb = features("يذكر")  # يذكر، تذكر، نذكر are all common
    assert "mvb=3" in verb and "mprod=4" in verb
    big = features("كبير")
    assert "mprod=4" in big and "mal=5" in big  # كبيرة، كبار… and الكبير
    name = features("تروتنيف")
    assert "mprod=0" in name and "mal=0" in name and "mbare=0" in name


def test_nationality_adjectives_from_the_list_and_from_place_names() -> None:
    assert "gen" in features("والفرنسيين")
    assert "gen" in features("الروماني")
    assert "gen" in features("البوليفي")
    assert "gen" not in features("الرئيس")
    assert "gen" not in features("علي")


def test_wikidata_given_names_and_surnames_read_through_proclitics() -> None:
    lists = default_wordlists()
    assert lists.surname["البدري"] == 1  # many people in Wikidata carry it
    assert "us=1" in features("البدري")
    assert "cus=2" in features("والقرضاوي") and "us=2" not in features("والقرضاوي")
    assert "ug=3" in features("راوول")  # a foreign given name as Arabic writes it
    assert not any(f.startswith(("ug=", "us=", "uu=")) for f in features("قال"))


def test_ayaspell_word_classes_of_the_word_and_of_its_clitic_readings() -> None:
    assert "hs=n60" in features("فرنسا")  # the dictionary's class of place names
    said = features("وقال")
    assert "chs=v" in said and not any(f.startswith("hs=") for f in said)  # و + قال, a verb
    assert "hs=none" in features("تروتنيف")  # a name the dictionary lacks
