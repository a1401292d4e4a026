"""The shipped CRF model: loads, tags Arabic news, BIO spans and the token TAG format."""

from extractors.entities.bio import parse_conll, spans
from extractors.entities.crf import default_tagger
from extractors.entities.document import document_features
from extractors.entities.features import sentence_features
from extractors.entities.tokens import sentences as split_sentences
from tests.conftest import SEED


def test_bio_spans_read_like_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-MISC"]
    assert spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG"),
                           (6, 7, "MISC")]  # fmt: skip


def test_conll_reader_folds_anercorp_tags():
    lines = ["برند B-PERS", "جوتشولك I-PERS", "قال O", "", "ألمانيا B-LOC", "x B-FOO"]
    assert list(parse_conll(lines)) == [
        (["برند", "جوتشولك", "قال"], ["B-PER", "I-PER", "O"]),
        (["ألمانيا", "x"], ["B-LOC", "O"]),
    ]


def test_shipped_model_finds_people_places_and_organisations():
    tagger = default_tagger()
    text = "وقال الرئيس الروسي فلاديمير بوتين في موسكو إن الأمم المتحدة فشلت ."
    found = {text[a:b]: kind for a, b, kind in tagger.find(split_sentences(text))}
    assert found["فلاديمير بوتين"] == "PER"
    assert found["موسكو"] == "LOC"
    assert found["الأمم المتحدة"] == "ORG"


def test_fast_decoder_gives_crfsuites_own_tags():
    tagger = default_tagger()
    text = SEED.read_text("utf-8") + "\nزار الوزير العراقي هوشيار زيباري بغداد أمس .\n.\nكلمة"
    sentences = [[t.text for t in s] for s in split_sentences(text)] + [[]]
    expected = [tagger.first.tag(sentence_features(w, tagger.lexicon)) for w in sentences]
    assert tagger.fast_first.tag(sentences) == expected
    if tagger.second is not None:
        extra = document_features(sentences, expected)
        with_doc = [
            [a + b for a, b in zip(f, e, strict=True)]
            for f, e in zip(
                [sentence_features(w, tagger.lexicon) for w in sentences], extra, strict=True
            )
        ]
        assert tagger.tag_sentences(sentences) == [tagger.second.tag(f) for f in with_doc]
