"""Prefect flow: re-tag the indexed articles in place after the topics file changed.

Nothing is fetched or extracted again: each stored article's title, text and entities are read
back, its topics recomputed, and only the articles whose topics changed get a partial update
(`topics`, `topic_terms`). With `entities=True` the entities are recomputed too (after a
gazetteer edit), with their keyword facets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from marsad import pipeline
from marsad.config import get_settings


@dataclass
class RetagSummary:
    scanned: int = 0
    updated: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.scanned - self.updated - len(self.failed)

    def one_line(self) -> str:
        return (f"{self.scanned} articles: {self.updated} re-tagged, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed")  # fmt: skip


@task(name="retag-batch", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def write_updates(index: str, updates: list[tuple[str, dict]]) -> list[str]:
    """Apply partial updates; the ids that failed, with reasons."""
    return pipeline.write_updates(index, updates)


@flow(name="retag", log_prints=True)
def retag(
    topics_file: str | None = None, entities: bool = False, batch_size: int = 500
) -> RetagSummary:
    """Recompute topics (and optionally entities) of every indexed article, in place."""
    path = Path(topics_file) if topics_file else get_settings().topics_file
    summary, pending = RetagSummary(), []
    for index, doc_id, stored in pipeline.stored_articles(batch_size):
        summary.scanned += 1
        update = pipeline.retag_update(doc_id, stored, path, entities)
        if update is not None:
            pending.append((index, doc_id, update))
        if len(pending) >= batch_size:
            _flush(pending, summary)
    _flush(pending, summary)
    pipeline.refresh_index()
    get_run_logger().info(summary.one_line())
    return summary


def _flush(pending: list[tuple[str, str, dict]], summary: RetagSummary) -> None:
    by_index: dict[str, list[tuple[str, dict]]] = {}
    for index, doc_id, update in pending:
        by_index.setdefault(index, []).append((doc_id, update))
    for index, updates in by_index.items():
        failed = write_updates(index, updates)
        summary.failed += failed
        summary.updated += len(updates) - len(failed)
    pending.clear()
