"""Run summaries: what was indexed, what was unchanged, and every failure with its reason."""

from __future__ import annotations

from pydantic import BaseModel, Field

from marsad.elastic.articles import IndexReport
from marsad.models import Failure


class IngestSummary(BaseModel):
    files: int = 0
    extracted: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = Field(default_factory=list)

    @property
    def indexed(self) -> int:
        return self.created + self.updated

    def add_index_report(self, report: IndexReport) -> None:
        self.created += len(report.created)
        self.updated += len(report.updated)
        self.unchanged += len(report.unchanged)
        self.failed += report.failed

    def one_line(self) -> str:
        return (
            f"{self.files} files, {self.extracted} articles: {self.indexed} indexed "
            f"({self.created} new, {self.updated} updated), {self.unchanged} unchanged, "
            f"{len(self.failed)} failed"
        )
