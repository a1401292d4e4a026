"""Score an article against each topic: where its signals fire, and what that weighs.

A signal fires in a window (sentence or paragraph) holding one of its names and a word of
each context group. A sentence where signals fire is worth the largest of their weights times
the weight of where it stands (the headline, the lead: the text's first sentences, or the
body); the article's score is the sum over its sentences, so one sentence is one piece of
evidence however many signals it satisfies. The article is
tagged when the sum reaches the topic's threshold, it was published within the topic's dates
and no exclusion stops it; otherwise a topic whose signals fired is kept as a mention. The
sentences that scored most are the evidence an analyst reads to see why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.topics.rules import Signal, Topic
from marsad.extractors.topics.windows import Windows
from marsad.models import TopicHit

Occurrences = Callable[[str], list[int]]  # a term -> the sentences it occurs in
EVIDENCE = 3  # sentences kept per topic
EVIDENCE_CHARS = 300


def score_topics(
    title: str,
    text: str,
    topics: Sequence[Topic],
    published: date | None = None,
    index: TextIndex | None = None,
) -> list[TopicHit]:
    """One hit per topic whose signals fire somewhere in the article, tagged or not (a name
    without its context words is not even a mention: every article naming Moscow would be a
    kremlin-contacts mention).

    `index` is the text's index if the caller has it already.
    """
    windows = Windows.of(title, text, index)
    found: dict[str, list[int]] = {}

    def occurrences(term: str) -> list[int]:
        if term not in found:
            found[term] = windows.find(term)
        return found[term]

    hits = []
    for topic in topics:
        if not any(occurrences(name) for signal in topic.signals for name in signal.names):
            continue
        hit = _score(topic, windows, occurrences, published)
        if hit.evidence:
            hits.append(hit)
    return hits


def _score(
    topic: Topic, windows: Windows, occurrences: Occurrences, published: date | None
) -> TopicHit:
    note = None if topic.applies_on(published) else _dates_note(topic)
    silenced_sentences: set[int] = set()
    silenced_paragraphs: set[int] = set()
    for exclusion in topic.exclusions:
        at = {s for name in exclusion.names for s in occurrences(name)}
        if not at:
            continue
        first = next(n for n in exclusion.names if occurrences(n))
        if exclusion.scope == "article" or (exclusion.scope == "headline" and 0 in at):
            note = note or f"excluded: «{first}» in the {exclusion.scope}"
        elif exclusion.scope == "sentence":
            silenced_sentences |= at
        elif exclusion.scope == "paragraph":
            silenced_paragraphs |= {windows.paragraph_of_sentence(s) for s in at}
    by_sentence: dict[int, float] = defaultdict(float)
    terms: set[str] = set()
    for signal in topic.signals:
        for sentence, used in _firings(signal, windows, occurrences):
            if not _in_place(signal, topic, sentence) or sentence in silenced_sentences:
                continue
            if windows.paragraph_of_sentence(sentence) in silenced_paragraphs:
                continue
            worth = signal.weight * _place_weight(topic, sentence)
            by_sentence[sentence] = max(by_sentence[sentence], worth)
            terms.update(used)
    score = round(sum(by_sentence.values()), 2)
    best = sorted(by_sentence, key=lambda s: (-by_sentence[s], s))[:EVIDENCE]
    evidence = [_clip(windows.sentence_text(s)) for s in sorted(best)]
    tagged = note is None and score >= topic.threshold
    if note is None and not tagged:
        note = f"score {score:g} below {topic.threshold:g}"
    return TopicHit(topic=topic.id, score=score, tagged=tagged, evidence=evidence,
                    terms=sorted(terms), note=note)  # fmt: skip


def _firings(
    signal: Signal, windows: Windows, occurrences: Occurrences
) -> list[tuple[int, list[str]]]:
    """(sentence of the name, the terms that made it fire) per window where `signal` fires."""
    names: dict[int, tuple[int, str]] = {}  # window -> (sentence of its first name, the name)
    for name in signal.names:
        for sentence in occurrences(name):
            window = _window(signal, windows, sentence)
            if window not in names or sentence < names[window][0]:
                names[window] = (sentence, name)
    fired = []
    for window, (sentence, name) in names.items():
        used = [name]
        for group in signal.context:
            word = next(
                (w for w in group if window in _windows(signal, windows, occurrences(w))), None
            )
            if word is None:
                break
            used.append(word)
        else:
            fired.append((sentence, used))
    return fired


def _window(signal: Signal, windows: Windows, sentence: int) -> int:
    return sentence if signal.window == "sentence" else windows.paragraph_of_sentence(sentence)


def _windows(signal: Signal, windows: Windows, sentences: list[int]) -> set[int]:
    return {_window(signal, windows, s) for s in sentences}


def _in_place(signal: Signal, topic: Topic, sentence: int) -> bool:
    if signal.where == "headline":
        return sentence == 0
    return signal.where == "anywhere" or sentence <= topic.lead


def _place_weight(topic: Topic, sentence: int) -> float:
    if sentence == 0:
        return topic.headline_weight
    return topic.lead_weight if sentence <= topic.lead else topic.body_weight


def _dates_note(topic: Topic) -> str:
    since = f"from {topic.start}" if topic.start else ""
    until = f"until {topic.end}" if topic.end else ""
    return "outside the topic's dates (" + " ".join(p for p in (since, until) if p) + ")"


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= EVIDENCE_CHARS else sentence[: EVIDENCE_CHARS - 1] + "…"
