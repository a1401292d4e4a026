"""Prefect flow: re-tag the indexed articles in place after the topics file changed.

Nothing is fetched or extracted again: each stored article's title, text and entities are read
back, its topics recomputed, and only the articles whose topics changed get a partial update
(`topics`, `topic_terms`). With `entities=True` the entities are recomputed too (after a
gazetteer edit), with their keyword facets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch.helpers import scan, streaming_bulk
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from marsad.config import get_settings
from marsad.elastic.articles import ENTITY_FACETS, ArticleIndex, to_document
from marsad.elastic.client import connect
from marsad.extractors.enrich import entities_of, tag_topics
from marsad.models import Article, Entity

READ_FIELDS = ["title", "text", "entities", "topics", "topic_terms"]


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


def retag_update(
    doc_id: str, source: dict, topics_file: Path | None, entities: bool
) -> dict | None:
    """The partial document that brings one stored article up to date, or None if it is."""
    article = Article(
        id=doc_id,
        title=source.get("title") or "",
        text=source.get("text") or "",
        source="retag",
        entities=[Entity(**e) for e in source.get("entities") or []],
    )
    if entities:
        article = article.model_copy(update={"entities": entities_of(article.text)})
    article = tag_topics(article, topics_file)
    fresh = to_document(article, datetime.now(UTC))
    fields = ["topics", "topic_terms"]
    if entities:
        fields += ["entities", *ENTITY_FACETS.values()]
    update = {f: fresh[f] for f in fields}
    current = {f: source.get(f) or [] for f in fields}
    return None if update == current else update


@task(name="retag-batch", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def write_updates(index: str, updates: list[tuple[str, dict]]) -> list[str]:
    """Apply partial updates; the ids that failed, with reasons."""
    es = connect(get_settings())
    actions = ({"_op_type": "update", "_index": index, "_id": i, "doc": d} for i, d in updates)
    failed = []
    for ok, result in streaming_bulk(es, actions, raise_on_error=False, raise_on_exception=False):
        if not ok:
            item = result.get("update", {})
            failed.append(f"{item.get('_id')}: {item.get('error')}")
    return failed


@flow(name="retag", log_prints=True)
def retag(
    topics_file: str | None = None, entities: bool = False, batch_size: int = 500
) -> RetagSummary:
    """Recompute topics (and optionally entities) of every indexed article, in place."""
    settings = get_settings()
    index = ArticleIndex(connect(settings), settings.index_prefix)
    path = Path(topics_file) if topics_file else settings.topics_file
    summary, pending = RetagSummary(), []
    for hit in scan(index.es, index=index.alias, _source=READ_FIELDS, size=batch_size):
        summary.scanned += 1
        update = retag_update(hit["_id"], hit["_source"], path, entities)
        if update is not None:
            pending.append((hit["_index"], hit["_id"], update))
        if len(pending) >= batch_size:
            _flush(pending, summary)
    _flush(pending, summary)
    index.refresh()
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
