"""What a fetch run did, per source: feed status, new items, indexed, skipped, failed."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from marsad.models import Failure


class SourceReport(BaseModel):
    source: str
    feeds: list[str] = Field(default_factory=list, description="one status per feed/sitemap")
    new: int = 0
    indexed: int = 0
    changed: int = 0
    skipped: int = 0
    failed: list[Failure] = Field(default_factory=list)

    @property
    def feed_status(self) -> str:
        """ "200", "304 ×2", "200, failed" …: what the source's feeds answered this run."""
        if not self.feeds:
            return "-"
        counts = Counter(self.feeds)
        return ", ".join(s if n == 1 else f"{s} ×{n}" for s, n in counts.items())

    def merge(self, other: SourceReport) -> None:
        self.feeds += other.feeds
        self.new += other.new
        self.indexed += other.indexed
        self.changed += other.changed
        self.skipped += other.skipped
        self.failed += other.failed

    def counts(self) -> tuple[int, int, int, int]:
        return self.new, self.indexed, self.skipped, len(self.failed)

    @property
    def broken(self) -> bool:
        """Something failed and nothing came through: its feeds or every item it tried."""
        return bool(self.failed) and not (self.indexed or self.skipped or self.changed)


class FetchSummary(BaseModel):
    sources: dict[str, SourceReport] = Field(default_factory=dict)

    def of(self, source: str) -> SourceReport:
        return self.sources.setdefault(source, SourceReport(source=source))

    def merge(self, other: FetchSummary) -> None:
        for source, report in other.sources.items():
            self.of(source).merge(report)

    @property
    def failed(self) -> list[Failure]:
        return [f for r in self.sources.values() for f in r.failed]

    def broken(self) -> list[SourceReport]:
        return [r for r in self.sources.values() if r.broken]

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.sources.values())

    def one_line(self) -> str:
        return (
            f"{len(self.sources)} sources: {self.total('new')} new items, "
            f"{self.total('indexed')} indexed ({self.total('changed')} changed), "
            f"{self.total('skipped')} skipped, {len(self.failed)} failed"
        )
