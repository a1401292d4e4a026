"""Prefect flow: re-tag the indexed articles in place after the topics file changed.

Nothing is fetched or extracted again: each stored article's title, text, date and entities are
read back, its topics re-scored, and only the articles whose topic fields changed get a partial
update (tags, mentions, scores and evidence). The summary counts the tags added and removed per
topic, so an analyst sees what a rule change did. With `entities=True` the entities are
recomputed too (after a gazetteer edit), with their keyword facets.
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
    added: dict[str, int] = field(default_factory=dict)  # per topic: articles newly tagged
    removed: dict[str, int] = field(default_factory=dict)  # per topic: tags taken away

    def count_change(self, before: list[str], after: list[str]) -> None:
        for topic in set(after) - set(before):
            self.added[topic] = self.added.get(topic, 0) + 1
        for topic in set(before) - set(after):
            self.removed[topic] = self.removed.get(topic, 0) + 1

    def by_topic(self) -> list[dict]:
        """One row per topic whose tags changed: added, removed."""
        topics = sorted(set(self.added) | set(self.removed))
        return [{"topic": t, "added": self.added.get(t, 0), "removed": self.removed.get(t, 0)}
                for t in topics]  # fmt: skip

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
    summary, pending = RetagSummary(), []  # pending: (index, id, update, topics before)
    for index, doc_id, stored in pipeline.stored_articles(batch_size):
        summary.scanned += 1
        update = pipeline.retag_update(doc_id, stored, path, entities)
        if update is not None:
            pending.append((index, doc_id, update, stored.get("topics") or []))
        if len(pending) >= batch_size:
            _flush(pending, summary)
    _flush(pending, summary)
    pipeline.refresh_index()
    logger = get_run_logger()
    logger.info(summary.one_line())
    for row in summary.by_topic():
        logger.info("%s: +%d tagged, -%d untagged", row["topic"], row["added"], row["removed"])
    return summary


def _flush(pending: list[tuple[str, str, dict, list[str]]], summary: RetagSummary) -> None:
    by_index: dict[str, list[tuple[str, dict]]] = {}
    for index, doc_id, update, _before in pending:
        by_index.setdefault(index, []).append((doc_id, update))
    failed_ids = set()
    for index, updates in by_index.items():
        failed = write_updates(index, updates)
        summary.failed += failed
        summary.updated += len(updates) - len(failed)
        failed_ids |= {line.partition(":")[0] for line in failed}
    for _index, doc_id, update, before in pending:
        if doc_id not in failed_ids:  # only what the index now holds
            summary.count_change(before, update["topics"])
    pending.clear()
