"""Entities of a text: run the recognisers, resolve overlaps, link names, build Entities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import cast

from marsad.extractors.entities.camel import CamelRecognizer, load_camel
from marsad.extractors.entities.clitics import splits
from marsad.extractors.entities.crf import CrfTagger, default_tagger
from marsad.extractors.entities.evidence import (
    adjectives_dropped,
    consistent_types,
    places_not_people,
    with_evidence,
)
from marsad.extractors.entities.gazetteer import Gazetteer, TextIndex, load_gazetteer
from marsad.extractors.entities.identity import entity_id, romanize
from marsad.extractors.entities.keys import key
from marsad.extractors.entities.lexicon import LABELS
from marsad.extractors.entities.link import canonicalize, further_mentions, trim
from marsad.extractors.entities.mention import Mention
from marsad.extractors.entities.merge import resolve
from marsad.extractors.entities.roles import split_roles
from marsad.extractors.entities.structure import WordTests, find_organisations, find_places
from marsad.extractors.entities.tokens import Token, sentences
from marsad.extractors.entities.wordclass import is_nationality
from marsad.extractors.entities.wordlists import default_wordlists
from marsad.models import Entity, EntityType

ARTICLE_SENTENCES = 20  # evaluation: sentences per pseudo-article
COMMON_MIN_USES = 5  # a word seen this often, mostly outside names, is not propagated
EVERYDAY_ZIPF = 4  # wordfreq's Zipf: about once in 100,000 words of general Arabic
COMMON_ZIPF = 3  # about once in a million words


@dataclass
class Recognizers:
    crf: CrfTagger | None = None
    gazetteer: Gazetteer | None = None
    camel: CamelRecognizer | None = None

    @cached_property
    def gazetteer_names(self) -> frozenset[str]:
        if self.gazetteer is None:
            return frozenset()
        patterns = (p for found in self.gazetteer.patterns.values() for p in found)
        return frozenset(" ".join(p.name) for p in patterns)

    def known(self, phrase: str) -> bool:
        """Is this matching key a name the gazetteer or the training data knows?"""
        if phrase in self.gazetteer_names:
            return True
        counts = self.crf.lexicon.get(phrase) if self.crf and " " not in phrase else {}
        return any(counts.get(t) for t in LABELS)

    def is_no_name_alone(self, word: str) -> bool:
        """Should this word, alone, not be taken for a name found earlier in the article?

        Yes if the training data has it often and mostly outside names (الأوروبية), or only
        ever inside longer names and never first (الدين of نور الدين, الله of عبد الله)."""
        counts, named = self._uses(word)
        common = counts.get("O", 0) >= COMMON_MIN_USES and counts.get("O", 0) >= named
        return common or (counts.get("I", 0) > 0 and not counts.get("B", 0))

    def is_everyday_word(self, word: str) -> bool:
        """Frequent in general Arabic (Zipf ≥ 4) and in Ayaspell's dictionary, and not mostly
        a name in the training data (دين، الدين; not محمد)."""
        counts, named = self._uses(word)
        if named > counts.get("O", 0):
            return False
        lists = default_wordlists()
        in_dictionary = any(rest in lists.stems for _prefix, rest in splits(word))
        return in_dictionary and lists.zipf.get(word, 0) >= EVERYDAY_ZIPF

    def is_person_word(self, word: str) -> bool:
        """A popular first name or surname, or a name part of people in Wikidata."""
        lists = default_wordlists()
        return any(word in found for found in (lists.first, lists.last, lists.given,
                                                lists.surname))  # fmt: skip

    def is_common_word(self, word: str) -> bool:
        """In Ayaspell's dictionary or frequent in general Arabic (Zipf ≥ 3): رئيسية, أشعلت;
        names mostly are neither."""
        lists = default_wordlists()
        if lists.zipf.get(word, 0) >= COMMON_ZIPF:
            return True
        return any(rest in lists.stems for _prefix, rest in splits(word))

    def is_no_lone_name(self, word: str) -> bool:
        """A one-word name a recogniser found that is not looked for again across the
        article: one that should not stand alone, or an everyday word (a likely slip)."""
        return self.is_no_name_alone(word) or self.is_everyday_word(word)

    @cached_property
    def word_tests(self) -> WordTests:
        """The structure recogniser's questions, answered from the word lists."""
        lists = default_wordlists()
        return WordTests(
            is_nationality=lambda w: is_nationality(w, lists),
            is_place=lambda w: (
                len(w) > 2
                and any(r in lists.place for _p, r in splits(w))
                and not self.is_everyday_word(w)
            ),
            is_common=lambda w: self.is_common_word(w) and not self.known(w),
            is_currency=lambda w: any(r in lists.currency for _p, r in splits(w)),
        )

    def _uses(self, word: str) -> tuple[dict[str, int], int]:
        """The training data's counts for a word, and how often it was inside a name."""
        counts = self.crf.lexicon.get(word) if self.crf else {}
        return counts, sum(counts.get(t, 0) for t in LABELS)


def default_recognizers(
    gazetteer_file: Path | None = None, camel_model: Path | None = None, use_camel: bool = True
) -> Recognizers:
    """The shipped CRF and gazetteer, plus camel-tools' NER when it is installed."""
    return Recognizers(
        crf=default_tagger(),
        gazetteer=load_gazetteer(gazetteer_file),
        camel=load_camel(camel_model) if use_camel else None,
    )


def find_mentions(text: str, rec: Recognizers, index: TextIndex | None = None) -> list[Mention]:
    """Resolved, linked mentions of `text`, sorted by start.

    `index` is the text's index if the caller has it already (it is shared with topics).
    """
    index = TextIndex.of(text) if index is None else index
    sents = sentences(text, index.tokens)
    candidates: list[Mention] = []
    if rec.crf:
        # the CRF's tags are B-/I- of the four entity types (its training data was folded)
        found_crf = rec.crf.find(sents)
        candidates += [Mention(a, b, cast(EntityType, t), "crf") for a, b, t in found_crf]
    if rec.camel:
        candidates += rec.camel.find(sents)
    candidates = [trim(m, text, rec.known, rec.gazetteer_names.__contains__) for m in candidates]
    tests = rec.word_tests
    candidates = split_roles(candidates, index, tests.is_nationality, tests.is_place)
    candidates += find_organisations(index, rec.word_tests, text)
    candidates += find_places(index, rec.word_tests, text)
    if rec.gazetteer:
        candidates += rec.gazetteer.find(text, index)
    candidates = places_not_people(
        with_evidence(candidates, text), text, rec.word_tests.is_place, rec.is_person_word
    )
    resolved = adjectives_dropped(resolve(candidates), index, rec.word_tests.is_nationality)
    found = canonicalize(resolved, text)
    extra = further_mentions(found, text, rec.is_no_lone_name, index, rec.is_no_name_alone)
    return sorted(consistent_types(found + extra, text), key=lambda m: m.start)


def find_entities(text: str, rec: Recognizers, index: TextIndex | None = None) -> list[Entity]:
    """Entities with canonical names and offsets into `text` (`index`: see find_mentions)."""
    entities = []
    for m in find_mentions(text, rec, index):
        canonical = m.canonical or ""
        entities.append(Entity(
            text=text[m.start : m.end], type=m.type, canonical=canonical, start=m.start,
            end=m.end, recognizer=m.recognizer, entity_id=entity_id(m.type, canonical, m.entity_id),
            name_latin=m.latin or romanize(canonical),
        ))  # fmt: skip
    return entities


def to_bio(tokens: list[Token], mentions: list[Mention]) -> list[str]:
    """Token tags for character mentions: every token a mention touches is inside it."""
    tags = ["O"] * len(tokens)
    for m in mentions:
        inside = [i for i, t in enumerate(tokens) if t.start < m.end and m.start < t.end]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + m.type
    return tags


def document_tagger(
    name: str, rec: Recognizers | None = None
) -> Callable[[list[list[str]]], list[list[str]]]:
    """Sentences (word lists, in running order) → BIO tags, for evaluation on `token TAG` files.

    "crf": the two-pass CRF alone over the whole stream (its second pass looks WINDOW sentences
    either way). "offline": the full offline pipeline (CRF, gazetteer, linking) on successive
    pseudo-articles of ARTICLE_SENTENCES sentences. "camel": camel-tools alone. "all": offline
    plus camel.
    """
    if name == "crf":
        return default_tagger().tag_sentences
    if name == "camel":
        camel = load_camel()
        if camel is None:
            raise RuntimeError("camel-tools NER is not available here")
        return camel.tag
    if name not in ("offline", "all"):
        raise ValueError(f"unknown recognizer {name!r}: use crf, offline, camel or all")
    rec = rec or default_recognizers(use_camel=name == "all")
    return lambda sentences: [
        tags
        for start in range(0, len(sentences), ARTICLE_SENTENCES)
        for tags in _tag_article(sentences[start : start + ARTICLE_SENTENCES], rec)
    ]


def _tag_article(sentences: list[list[str]], rec: Recognizers) -> list[list[str]]:
    """Lay the sentences out as one text (a line each), find mentions, map back to words."""
    tokens, position = [], 0
    for words in sentences:
        line = []
        for word in words:
            line.append(Token(word, position, position + len(word)))
            position += len(word) + 1
        tokens.append(line)
    text = "\n".join(" ".join(words) for words in sentences)
    mentions = find_mentions(text, rec) if key(text) else []
    return [to_bio(line, mentions) for line in tokens]
