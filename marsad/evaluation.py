"""Evaluation: entity-level P/R/F1 on `token TAG` files, topic P/R on labelled articles.

Entity scoring is exact-match, CoNLL style: an entity counts only if its tokens and its type
both match the gold one. Micro scores pool all four types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from marsad.entity_types import CODES
from marsad.extractors.entities.bio import Sentence, read_conll, spans

if TYPE_CHECKING:
    from marsad.extractors.topics import Topic
    from marsad.models import TopicHit

TYPES = CODES


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Report:
    """Scores per label plus the pooled micro score."""

    by_label: dict[str, Score] = field(default_factory=dict)

    @property
    def micro(self) -> Score:
        total = Score()
        for s in self.by_label.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    def rows(self) -> list[tuple[str, Score]]:
        return [*sorted(self.by_label.items()), ("micro", self.micro)]

    def as_dict(self) -> dict:
        return {
            label: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4), "support": s.support}
            for label, s in self.rows()
        }  # fmt: skip


def score_tags(gold: Iterable[list[str]], predicted: Iterable[list[str]]) -> Report:
    """Exact-match entity scores of predicted BIO sequences against gold ones."""
    report = Report({t: Score() for t in TYPES})
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g, p = set(spans(g_tags)), set(spans(p_tags))
        for _a, _b, kind in g & p:
            report.by_label.setdefault(kind, Score()).tp += 1
        for _a, _b, kind in p - g:
            report.by_label.setdefault(kind, Score()).fp += 1
        for _a, _b, kind in g - p:
            report.by_label.setdefault(kind, Score()).fn += 1
    return report


def evaluate_ner(
    sentences: list[Sentence], tag_sentences: Callable[[list[list[str]]], list[list[str]]]
) -> Report:
    """Tag the sentences' words (in order, as running text) and score against gold tags."""
    predicted = tag_sentences([words for words, _tags in sentences])
    return score_tags((tags for _w, tags in sentences), predicted)


def evaluate_ner_file(path: Path, recognizer: str = "crf") -> Report:
    """Scores of a shipped recogniser ("crf", "offline" = crf+gazetteer, "camel") on a file."""
    from marsad.extractors.entities.pipeline import document_tagger

    return evaluate_ner(read_conll(path), document_tagger(recognizer))


NEWS_TYPES = ("PER", "ORG", "LOC")


def corpus_records(paths: Iterable[Path], ids: set[str]) -> dict[str, dict]:
    """The records of `ids` in gzip JSON Lines corpus files (the labelled sets' texts stay in
    ../shared and are read here, one pass over each file)."""
    import gzip

    found: dict[str, dict] = {}
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for record in map(json.loads, lines):
                if record["id"] in ids:
                    found[record["id"]] = record
    return found


def evaluate_entities(
    labels: Path, corpus: Path, split: str = "dev", mistakes: list[str] | None = None
) -> Report:
    """PER/ORG/LOC scores of the pipeline's entities on labelled real articles.

    `labels` holds {"id", "split", "entities": [[start, end, type]]} per article (offsets
    only); the texts are read from the ANT corpus folder `corpus` (its *.jsonl.gz records).
    Exact match: same start, end and type. `mistakes`, if given, collects one line per miss
    and false name (for the dev split; the test split is scored, not studied).
    """
    from marsad.pipeline import entities_of

    wanted = {}
    for line in labels.read_text("utf-8").splitlines():
        row = json.loads(line)
        if split in ("all", row["split"]):
            wanted[row["id"]] = {tuple(e) for e in row["entities"]}
    records = corpus_records(sorted(corpus.glob("*.jsonl.gz")), set(wanted))
    texts = {article_id: record["text"] for article_id, record in records.items()}
    missing = sorted(set(wanted) - set(texts))
    if missing:
        raise ValueError(f"{len(missing)} labelled articles not in {corpus}: {missing[:3]}")
    report = Report({t: Score() for t in NEWS_TYPES})
    for article_id, gold in wanted.items():
        text = texts[article_id]
        found = {(e.start, e.end, e.type) for e in entities_of(text) if e.type in NEWS_TYPES}
        for start, end, kind in gold | found:
            score = report.by_label[kind]
            hit = (start, end, kind) in gold and (start, end, kind) in found
            score.tp += hit
            score.fp += not hit and (start, end, kind) in found
            score.fn += not hit and (start, end, kind) in gold
            if mistakes is not None and not hit:
                what = "missed" if (start, end, kind) in gold else "false"
                context = text[max(start - 25, 0) : start] + "[" + text[start:end] + "]"
                mistakes.append(f"{article_id} {what} {kind}: {context}{text[end : end + 25]}")
    return report


CORPUS_FOLDERS = {"ant": "ant-multisource-2018", "aljazeera": "aljazeera-2024-2025-excerpts"}


def evaluate_topic_judgments(
    labels: Path,
    corpora: Path,
    split: str = "dev",
    topics_file: Path | None = None,
    mistakes: list[str] | None = None,
) -> Report:
    """Per-topic P/R/F1 of the tagger on judged (topic, article) pairs.

    `labels` holds {"topic", "corpus", "file", "id", "date", "split", "relevant", "note"} per
    line (tests/fixtures/topic_labels); the texts are read from the corpora under `corpora`
    (../shared/corpora). Each judged pair counts once: tagged and relevant is a hit, tagged and
    not relevant a false tag, relevant and not tagged a miss. `mistakes` collects one line per
    error: the labeller's note, and the tagger's score with its evidence or reason.
    """
    judged = [json.loads(line) for line in labels.read_text("utf-8").splitlines() if line]
    judged = [j for j in judged if split in ("all", j["split"])]
    wanted = {(j["corpus"], j["file"]) for j in judged}
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for corpus, file in sorted(wanted):
        path = corpora / CORPUS_FOLDERS[corpus] / file
        if not path.is_file():
            raise ValueError(f"{path}: corpus file not found")
        ids = {j["id"] for j in judged if (j["corpus"], j["file"]) == (corpus, file)}
        for article_id, record in corpus_records([path], ids).items():
            body = record.get("text") or record.get("description") or ""
            texts[(corpus, article_id)] = (record["title"], body)
    topics = _topics(topics_file)
    report = Report({t.id: Score() for t in topics})
    scored: dict[tuple[str, str], dict[str, TopicHit]] = {}
    for j in judged:
        key = (j["corpus"], j["id"])
        if key not in texts:
            raise ValueError(f"{j['corpus']} {j['id']}: judged article not in {corpora}")
        if key not in scored:
            scored[key] = _score(*texts[key], j.get("date"), topics)
        hit = scored[key].get(j["topic"])
        tagged = hit is not None and hit.tagged
        score = report.by_label.setdefault(j["topic"], Score())
        score.tp += tagged and j["relevant"]
        score.fp += tagged and not j["relevant"]
        score.fn += not tagged and j["relevant"]
        if mistakes is not None and tagged != j["relevant"]:
            what = "false tag" if tagged else "missed"
            title = texts[key][0]
            why = "no signal fired" if hit is None else hit.note or f"score {hit.score:g}"
            if tagged and hit is not None:
                why += " · " + " | ".join(hit.evidence)
            mistakes.append(f"{j['topic']} {what}: {j['corpus']} {j['id']} «{title[:70]}» "
                            f"(label: {j['note']}) [tagger: {why[:400]}]")  # fmt: skip
    return report


def evaluate_topics(path: Path, topics_file: Path | None = None) -> Report:
    """Per-topic P/R/F1 of the topic tagger on a JSONL of {"title", "text", "topics": [...],
    "published_at" (optional)}."""
    topics = _topics(topics_file)
    report = Report({t.id: Score() for t in topics})
    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        gold = set(record.get("topics", []))
        hits = _score(record.get("title", ""), record.get("text", ""),
                      record.get("published_at"), topics)  # fmt: skip
        _count(report, gold, {t for t, h in hits.items() if h.tagged})
    return report


def _topics(topics_file: Path | None) -> list[Topic]:
    from marsad.pipeline import topics

    return topics(topics_file)


def _score(title: str, text: str, published: str | None, topics: list[Topic]) -> dict:
    """Per topic id, the article's hit (the tagger as ingestion runs it)."""
    from marsad.extractors.topics import score_topics

    day = date.fromisoformat(published[:10]) if published else None
    return {h.topic: h for h in score_topics(title, text, topics, day)}


def _count(report: Report, gold: set[str], found: set[str]) -> None:
    for label in gold | found:
        score = report.by_label.setdefault(label, Score())
        if label in gold and label in found:
            score.tp += 1
        elif label in found:
            score.fp += 1
        else:
            score.fn += 1


def print_report(console, report: Report, title: str) -> None:
    """A rich table: precision, recall, F1 and support per label, then micro."""
    from rich.table import Table

    table = Table(title=title)
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, s in report.rows():
        table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      str(s.support))  # fmt: skip
    console.print(table)


def evaluate_story_pairs(labels: Path, corpus: Path, split: str = "dev") -> Report:
    """Near-copy and same-story P/R/F1 on judged article pairs of the ANT corpus.

    Every article of the corpus (one per URL) is placed, in time order, exactly as the index
    does it; a judged pair is then predicted a near-copy when both have the same earliest
    copy (`duplicate_of`, or the article itself) and the same story when both have the same
    `story_id`. `labels` holds {"a": {"id"}, "b": {"id"}, "split", "near_copy",
    "same_story"} per line (tests/fixtures/story_pairs).
    """
    from marsad.extractors.stories import cluster

    judged = [json.loads(line) for line in labels.read_text("utf-8").splitlines() if line]
    judged = [j for j in judged if split in ("all", j["split"])]
    members = corpus_members(corpus)
    missing = {j[side]["id"] for j in judged for side in "ab"} - set(members)
    if missing:
        raise ValueError(f"{len(missing)} judged articles not in {corpus}: {sorted(missing)[:3]}")
    placed = cluster(members.values())

    def root(article_id: str) -> str:
        return placed[article_id].duplicate_of or article_id

    report = Report({"near_copy": Score(), "same_story": Score()})
    for j in judged:
        a, b = j["a"]["id"], j["b"]["id"]
        found = {"near_copy": root(a) == root(b),
                 "same_story": placed[a].story_id == placed[b].story_id}  # fmt: skip
        for label, hit in found.items():
            score = report.by_label[label]
            score.tp += hit and j[label]
            score.fp += hit and not j[label]
            score.fn += not hit and j[label]
    return report


def distinct_records(corpus: Path) -> Iterator[dict]:
    """The records of a corpus folder's *.jsonl.gz, one per URL (the ANT corpus lists 1,182
    articles under two categories) and only those with a text, in file order."""
    import gzip

    seen: set[str] = set()
    for path in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for r in map(json.loads, lines):
                if r["url"] not in seen and r.get("text"):
                    seen.add(r["url"])
                    yield r | {"file": path.name}


def corpus_members(corpus: Path) -> dict:
    """The story features of every distinct article of a corpus folder, computed on the
    worker processes."""
    from concurrent.futures import ProcessPoolExecutor

    records = [(r["id"], r["published_at"], r["title"], r["text"])
               for r in distinct_records(corpus)]  # fmt: skip
    with ProcessPoolExecutor() as pool:
        members = list(pool.map(_member, records, chunksize=200))
    return {m.id: m for m in members}


def _member(record: tuple[str, str, str, str]):
    from datetime import datetime

    from marsad.extractors.stories import Member, signature, story_vector

    article_id, published, title, text = record
    sig, size = signature(title + "\n" + text)
    return Member(article_id, datetime.fromisoformat(published), article_id, None, tuple(sig),
                  size, story_vector(title, text))  # fmt: skip
