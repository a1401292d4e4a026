"""Run summaries: what was indexed, what was unchanged, and every failure with its reason."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from marsad.elastic.articles import IndexReport
from marsad.models import Article, Failure

TOP = 10


class FileCounts(BaseModel):
    """What one input file gave: articles extracted, and how each fared in the index."""

    articles: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def kept(self) -> int:
        """Articles of the file that are in the index now (written or already there)."""
        return self.created + self.updated + self.unchanged


class RunTally(BaseModel):
    """Topics and entities of the articles a run wrote, counted once per article."""

    articles: int = 0
    topics: dict[str, int] = Field(default_factory=dict)
    entities: dict[str, dict[str, int]] = Field(default_factory=dict, description="type → name")

    def add(self, articles: Iterable[Article]) -> None:
        for article in articles:
            self.articles += 1
            for topic in set(article.topics):
                self.topics[topic] = self.topics.get(topic, 0) + 1
            for kind, name in {(e.type, e.canonical) for e in article.entities}:
                names = self.entities.setdefault(kind, {})
                names[name] = names.get(name, 0) + 1

    def merge(self, other: RunTally) -> None:
        self.articles += other.articles
        for topic, n in other.topics.items():
            self.topics[topic] = self.topics.get(topic, 0) + n
        for kind, names in other.entities.items():
            mine = self.entities.setdefault(kind, {})
            for name, n in names.items():
                mine[name] = mine.get(name, 0) + n

    def top_topics(self, n: int = TOP) -> list[tuple[str, int]]:
        return _top(self.topics, n)

    def top_entities(self, kind: str, n: int = TOP) -> list[tuple[str, int]]:
        return _top(self.entities.get(kind, {}), n)


def _top(counts: dict[str, int], n: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


class IngestSummary(BaseModel):
    files: int = 0
    extracted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = Field(default_factory=list)
    spooled: list[Failure] = Field(default_factory=list, description="kept on disk for later")
    replayed: int = 0
    per_file: dict[str, FileCounts] = Field(default_factory=dict, description="by origin")
    tally: RunTally = Field(default_factory=RunTally, description="topics/entities written")

    @property
    def indexed(self) -> int:
        return self.created + self.updated

    def add_index_report(self, report: IndexReport, articles: Sequence[Article] = ()) -> None:
        self.created += len(report.created)
        self.updated += len(report.updated)
        self.unchanged += len(report.unchanged)
        self.failed += report.failed
        self.spooled += report.spooled
        self._count_files(report, articles)

    def _count_files(self, report: IndexReport, articles: Sequence[Article]) -> None:
        """Per-file counts and the run's topic/entity tally (of the articles written)."""
        created, updated = set(report.created), set(report.updated)
        unchanged = set(report.unchanged)
        written: dict[str, Article] = {}
        for article in articles:
            counts = self.per_file.setdefault(article.origin or article.id, FileCounts())
            counts.articles += 1
            counts.created += article.id in created
            counts.updated += article.id in updated
            counts.unchanged += article.id in unchanged
            if article.id in created or article.id in updated:
                written[article.id] = article
        self.tally.add(written.values())

    def add_replay(self, report: IndexReport) -> None:
        """Articles an earlier run spooled, written (or spooled again) before this run's."""
        self.replayed += len(report.created) + len(report.updated) + len(report.unchanged)
        self.failed += report.failed

    def one_line(self) -> str:
        spooled = (
            f", {len(self.spooled)} spooled for later ({self.spooled[0].reason})"
            if self.spooled
            else ""
        )
        replayed = f"; {self.replayed} spooled articles of earlier runs written" * bool(
            self.replayed
        )
        return (
            f"{self.files} files, {self.extracted} articles: {self.indexed} indexed "
            f"({self.created} new, {self.updated} updated), {self.unchanged} unchanged, "
            f"{len(self.failed)} failed" + spooled + replayed
        )


def run_verdict(broken: list[str], reasons: list[str], total: int, share: float, kind: str):
    """(failed, message) of a run whose `broken` sources or files (of `total`) got nothing
    through: failed when all of them broke, or more than `share` of them; a message either
    way when any broke, naming them with their first reason."""
    if not broken:
        return False, None
    named = "; ".join(f"{b}: {r}" for b, r in zip(broken[:5], reasons[:5], strict=False))
    more = f"; and {len(broken) - 5} more" if len(broken) > 5 else ""
    message = f"{len(broken)} of {total} {kind} failed ({named}{more})"
    return (len(broken) == total or len(broken) / total > share), message[:1000]
