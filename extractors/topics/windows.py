"""An article cut into the windows topic rules look in: the headline, then the text's
sentences and paragraphs, each numbered in reading order.

Window 0 is the headline (as a sentence and as a paragraph). A sentence ends at . ! ? ؟ …
or a line break; a paragraph at a line break. Terms are found on the text's token keys
(clitics allowed on a term's first word), with the index the entities were found with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from marsad.extractors.entities.gazetteer import TextIndex, phrase_keys

SENTENCE_ENDS = frozenset(".!?؟…")


@dataclass(frozen=True)
class Windows:
    title: str
    text: str
    head: TextIndex
    body: TextIndex

    @classmethod
    def of(cls, title: str, text: str, index: TextIndex | None = None) -> Windows:
        body = TextIndex.of(text) if index is None else index
        return cls(title, text, TextIndex.of(title), body)

    @cached_property
    def _layout(self) -> tuple[list[int], list[int], list[tuple[int, int]]]:
        """Per body token: its sentence and paragraph numbers; per sentence: its span."""
        sentence_of, paragraph_of, spans = [], [], [(0, len(self.title))]
        sentence = paragraph = 0
        previous = None
        for token in self.body.kept:
            gap = self.text[previous.end : token.start] if previous else "\n"
            if "\n" in gap:
                paragraph += 1
            if "\n" in gap or (previous is not None and previous.text in SENTENCE_ENDS):
                sentence += 1
                spans.append((token.start, token.end))
            spans[-1] = (spans[-1][0], token.end)
            sentence_of.append(sentence)
            paragraph_of.append(paragraph)
            previous = token
        return sentence_of, paragraph_of, spans

    @property
    def sentences(self) -> int:
        """How many sentences, the headline included."""
        return len(self._layout[2])

    def paragraph_of_sentence(self, sentence: int) -> int:
        sentence_of, paragraph_of, _spans = self._layout
        if sentence == 0:
            return 0
        # the first body token of that sentence; sentences are numbered in token order
        return paragraph_of[_first(sentence_of, sentence)]

    def sentence_text(self, sentence: int) -> str:
        if sentence == 0:
            return self.title
        start, end = self._layout[2][sentence]
        return self.text[start:end]

    def find(self, term: str) -> list[int]:
        """The sentence numbers where `term` occurs (repeats kept, in order)."""
        words = phrase_keys(term)
        if not words:
            return []
        found = [0] * len(_starts(self.head, words))
        sentence_of = self._layout[0]
        found += [sentence_of[i] for i in _starts(self.body, words)]
        return found


def _starts(index: TextIndex, words: tuple[str, ...]) -> list[int]:
    keys, n = index.keys, len(words)
    return [i for i in index.positions.get(words[0], ()) if tuple(keys[i + 1 : i + n]) == words[1:]]


def _first(sorted_values: list[int], value: int) -> int:
    from bisect import bisect_left

    return bisect_left(sorted_values, value)
