"""The shipped CRF model: loads, tags Arabic news, BIO spans and the token TAG format."""

import numpy as np

from marsad.extractors.entities.bio import parse_conll, spans
from marsad.extractors.entities.crf import default_tagger
from marsad.extractors.entities.document import document_features
from marsad.extractors.entities.fastcrf import Bigrams
from marsad.extractors.entities.features import quote_features, sentence_features
from marsad.extractors.entities.tokens import sentences as split_sentences
from tests.conftest import SEED


def test_bio_spans_read_like_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-MISC"]
    assert spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG"),
                           (6, 7, "MISC")]  # fmt: skip


def test_bio_spans_end_at_the_first_o_and_at_the_end():
    assert spans(["O", "B-LOC", "I-LOC", "O", "O", "I-PER"]) == [(1, 3, "LOC"), (5, 6, "PER")]
    assert spans(["O", "O"]) == spans([]) == []


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
    text += "\nوبث برنامج « حوار من القلب » على قناة ( الجزيرة ) ."
    sentences = [[t.text for t in s] for s in split_sentences(text)] + [[]]
    expected = [tagger.first.tag(sentence_features(w, tagger.lexicon)) for w in sentences]
    quotes = [quote_features(w) for w in sentences]
    assert tagger.fast_first.tag(sentences, quotes) == expected
    if tagger.second is not None:
        extra = document_features(sentences, expected)
        with_doc = [
            [a + b for a, b in zip(f, e, strict=True)]
            for f, e in zip(
                [sentence_features(w, tagger.lexicon) for w in sentences], extra, strict=True
            )
        ]
        assert tagger.tag_sentences(sentences) == [tagger.second.tag(f) for f in with_doc]


def test_document_features_count_other_sentences_in_the_window_only():
    sentences = [["قال", "خالد", "."], ["وخالد", "هنا"], ["خالد"]]
    first = [["O", "B-PER", "O"], ["O", "O"], ["O"]]
    plain = [[["s1=O"], ["s1=B-PER"], ["s1=O"]], [["s1=O", "doc=PER"], ["s1=O"]]]
    assert document_features(sentences, first, window=1) == [*plain, [["s1=O"]]]
    assert document_features(sentences, first) == [*plain, [["s1=O", "doc=PER"]]]


def test_document_features_break_ties_in_kind_order():
    sentences = [["خالد"], ["خالد"], ["خالد"]]
    first = [["B-LOC"], ["B-PER"], ["O"]]
    assert document_features(sentences, first)[2] == [["s1=O", "doc=PER"]]


def test_word_pairs_are_found_by_code_within_sentences_even_for_a_pipe():
    bigrams = Bigrams({"bi-1=||x": 0, "bi+1=a|b": 1, "w=a": 2})
    words = ["|", "x", "a", "b", "a", "b"]
    ids = np.array([bigrams.vocab.get(w, -1) for w in words])
    same = np.array([True, True, True, True, False])  # a sentence ends after word 4
    (left, left_features), (right, right_features) = bigrams.find(ids, same)
    assert left.tolist() == [1] and left_features.tolist() == [0]  # "|" then "x"
    assert right.tolist() == [2] and right_features.tolist() == [1]  # not across sentences


def test_bilou_round_trip_keeps_conlleval_spans():
    from marsad.extractors.entities.crf import to_bilou, to_bio

    bio = ["B-PER", "I-PER", "O", "B-LOC", "I-ORG", "B-ORG", "I-ORG", "I-ORG", "O", "B-MISC"]
    bilou = to_bilou(bio)
    assert bilou == ["B-PER", "L-PER", "O", "U-LOC", "U-ORG", "B-ORG", "I-ORG", "L-ORG", "O",
                     "U-MISC"]  # fmt: skip
    assert spans(to_bio(bilou)) == spans(bio)
    assert to_bio(bio) == bio  # BIO models pass through unchanged


def test_fast_decoder_cache_grows_without_changing_tags():
    tagger = default_tagger()
    text = SEED.read_text("utf-8")
    sentences = [[t.text for t in s] for s in split_sentences(text)]
    expected = [tagger.first.tag(sentence_features(w, tagger.lexicon)) for w in sentences]
    quotes = [quote_features(w) for w in sentences]
    tagger.fast_first.reset(capacity=2)  # every new document forces the arrays to grow
    for n in (len(sentences) // 2, len(sentences)):
        assert tagger.fast_first.tag(sentences[:n], quotes[:n]) == expected[:n]


def test_words_inside_quotes_and_brackets_are_marked():
    sentence = "برنامج « حوار من القلب » و ( حماس ) و « غير مغلق"
    words = sentence.split()
    feats = quote_features(words)
    assert feats[2] == ["inq", "inq=3", "inq=first"]
    assert feats[3] == ["inq", "inq=3"]
    assert feats[4] == ["inq", "inq=3", "inq=last"]
    assert feats[8] == ["inp", "inp=1", "inp=first", "inp=last"]
    assert feats[0] == feats[1] == feats[5] == feats[7] == feats[12] == feats[13] == []
    assert quote_features(["«", "»"]) == [[], []]  # nothing between them
