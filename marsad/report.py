"""Run summaries: what was indexed, what was unchanged, and every failure with its reason."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from marsad.elastic.articles import IndexReport
from marsad.models import Article, Failure
from marsad.run_report import FileCounts, RunTally


class IngestSummary(BaseModel):
    files: int = 0
    extracted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = Field(default_factory=list)
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

    def one_line(self) -> str:
        return (
            f"{self.files} files, {self.extracted} articles: {self.indexed} indexed "
            f"({self.created} new, {self.updated} updated), {self.unchanged} unchanged, "
            f"{len(self.failed)} failed"
        )
