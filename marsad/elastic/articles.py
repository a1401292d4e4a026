"""The articles index: template, versioned index behind a stable alias, bulk writes, search.

Analysts and Kibana only ever name the alias (`<prefix>-articles`); a mapping change becomes
a new `-vN` index and an alias swap, never a broken dashboard.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING

from marsad.entity_types import FACETS as ENTITY_FACETS
from marsad.entity_types import ID_FACET, LATIN_FACET
from marsad.models import Article, Failure

if TYPE_CHECKING:  # the client library is imported on first use: `marsad extract` needs none
    from elasticsearch import Elasticsearch

TEMPLATE_FILE = "articles_template.json"
NOT_INDEXED = {"title_normalized", "text_normalized"}  # matching keys, not analyst reading


def load_template() -> dict:
    """The production template, exactly as shipped (minus its comment)."""
    text = resources.files("marsad.elastic").joinpath(TEMPLATE_FILE).read_text("utf-8")
    body = json.loads(text)
    body.pop("_comment", None)
    return body


@dataclass
class ArticleIndex:
    """The alias, its template and current versioned index for one index prefix."""

    es: Elasticsearch
    prefix: str

    @property
    def alias(self) -> str:
        return f"{self.prefix}-articles"

    def versioned_name(self, version: int) -> str:
        return f"{self.alias}-v{version}"

    def ensure(self) -> str:
        """Put the template and create the first versioned index with the alias if missing."""
        body = load_template()
        self.es.indices.put_index_template(
            name=self.alias,
            index_patterns=[f"{self.alias}-v*"],
            template=body["template"],
            priority=body["priority"],
            version=body["version"],
            meta={"managed_by": "marsad"},
        )
        if not self.es.indices.exists_alias(name=self.alias):
            name = self.versioned_name(body["version"])
            self.es.indices.create(index=name, aliases={self.alias: {"is_write_index": True}})
        else:  # fields added to the template since the index was made (adding is allowed)
            self.es.indices.put_mapping(
                index=self.alias, properties=body["template"]["mappings"]["properties"]
            )
        return self.alias

    def drop(self) -> None:
        """Delete the indices behind the alias and the template (tests)."""
        self.es.indices.delete(index=f"{self.alias}-v*", ignore_unavailable=True)
        from elasticsearch import NotFoundError

        with contextlib.suppress(NotFoundError):
            self.es.indices.delete_index_template(name=self.alias)

    def count(self) -> int:
        return self.es.count(index=self.alias)["count"]

    def refresh(self) -> None:
        self.es.indices.refresh(index=self.alias)


@dataclass
class IndexReport:
    """What one bulk write did: new, updated, unchanged ids and failures with reasons."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    rejected: list[Article] = field(default_factory=list)  # refused for now (429): retry later
    spooled: list[Failure] = field(default_factory=list)  # not written yet, kept in the spool

    def merge(self, other: IndexReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.rejected += other.rejected
        self.spooled += other.spooled


def to_document(article: Article, now: datetime, first_seen: str | None = None) -> dict:
    """The indexed form: the article plus flat keyword facets Kibana can aggregate on.

    `topic_terms` becomes `topic:term` keywords, one facet for "which words made it match";
    `topic_evidence` puts each tagged topic's score and sentences in one readable column
    ("why is this tagged?" in Kibana's Discover).
    """
    doc = article.model_dump(mode="json", exclude=NOT_INDEXED)
    doc["ingested_at"] = now.isoformat()
    # the time axis: the publication date when known, else when marsad first saw the article
    doc["first_seen_at"] = first_seen or doc["ingested_at"]
    doc["event_at"] = doc["published_at"] or doc["first_seen_at"]
    doc["topic_terms"] = sorted(
        f"{t}:{term}" for t, terms in article.topic_terms.items() for term in terms
    )
    doc["topic_evidence"] = [
        f"{hit.topic} ({hit.score:g}): {sentence}"
        for hit in article.topic_hits
        if hit.tagged
        for sentence in hit.evidence
    ]
    for entity_type, facet in ENTITY_FACETS.items():
        names = {e.canonical for e in article.entities if e.type == entity_type}
        doc[facet] = sorted(names)
    # one identity across spellings and scripts: pivot on the id, read the Latin name
    doc[ID_FACET] = sorted({e.entity_id for e in article.entities if e.entity_id})
    doc[LATIN_FACET] = sorted({e.name_latin for e in article.entities if e.name_latin})
    return doc


def existing_ids(index: ArticleIndex, ids: list[str]) -> set[str]:
    """The ids among `ids` that are indexed (no source fetched)."""
    if not ids:
        return set()
    docs = index.es.mget(index=index.alias, ids=ids, source=False)["docs"]
    return {d["_id"] for d in docs if d.get("found")}


def scan_articles(
    index: ArticleIndex, fields: list[str], batch_size: int
) -> Iterator[tuple[str, str, dict]]:
    """(concrete index, id, chosen fields) of every article behind the alias."""
    from elasticsearch.helpers import scan

    for hit in scan(index.es, index=index.alias, _source=fields, size=batch_size):
        yield hit["_index"], hit["_id"], hit["_source"]


def apply_updates(index: ArticleIndex, name: str, updates: list[tuple[str, dict]]) -> list[str]:
    """Partial updates of articles in the concrete index `name`; "id: reason" of each failure."""
    actions = ({"_op_type": "update", "_index": name, "_id": i, "doc": d} for i, d in updates)
    failed = []
    from elasticsearch.helpers import streaming_bulk

    results = streaming_bulk(index.es, actions, raise_on_error=False, raise_on_exception=False)
    for ok, result in results:
        if not ok:
            item = result.get("update", {})
            failed.append(f"{item.get('_id')}: {item.get('error')}")
    return failed


def _stored_hashes(es: Elasticsearch, alias: str, ids: list[str]) -> dict[str, dict]:
    """Per stored id: its `content_hash` and `first_seen_at` (kept when it is rewritten)."""
    if not ids:
        return {}
    found = es.mget(index=alias, ids=ids, source_includes=["content_hash", "first_seen_at"])
    return {d["_id"]: d["_source"] for d in found["docs"] if d.get("found")}


def write_articles(
    index: ArticleIndex, articles: list[Article], *, refresh: bool = False
) -> IndexReport:
    """Bulk-index new and changed articles; an unchanged article is left as it is.

    New articles cost one round trip: each is sent as a `create`, which Elasticsearch refuses
    (409) for an id it holds. Only those are then compared with the stored `content_hash` and
    written again if they changed, so a fresh ingest never waits for an mget per batch, and
    a concurrent writer cannot slip between the check and the write of a new article.
    """
    report = IndexReport()
    pending = {  # the same article twice in a batch is one write
        a.id: a.model_copy(update={"content_hash": a.content_hash or a.fingerprint()})
        for a in articles
    }
    held = _bulk_write(index, pending, "create", report, refresh)
    superseded = _older_copies(index, {i: pending[i] for i in report.created})
    moved = [i for i in report.created if i in superseded]
    report.created = [i for i in report.created if i not in superseded]
    report.updated += moved
    stored = _stored_hashes(index.es, index.alias, held)
    changed = {}
    for art_id in held:
        if stored.get(art_id, {}).get("content_hash") == pending[art_id].content_hash:
            report.unchanged.append(art_id)
        else:
            changed[art_id] = pending[art_id]
    again = IndexReport()
    first_seen = {i: stored.get(i, {}).get("first_seen_at") for i in changed}
    _bulk_write(index, changed, "index", again, refresh, first_seen)
    report.updated += again.created
    report.rejected += again.rejected
    report.failed += again.failed
    _delete(index, [old for new in moved for old in superseded[new]])
    return report


def _bulk_write(
    index: ArticleIndex,
    pending: dict[str, Article],
    op: str,
    report: IndexReport,
    refresh: bool,
    first_seen: dict[str, str | None] | None = None,
) -> list[str]:
    """One streaming bulk of `op` ("create" or "index"); written ids go to `report.created`.

    Returns the ids a `create` found already indexed. 429s are retried with backoff by the
    helper; a transport error (cluster gone) raises, so the caller can keep the batch for later
    instead of reporting every article as failed.
    """
    if not pending:
        return []
    from elasticsearch.helpers import streaming_bulk

    now = datetime.now(UTC)
    actions = (
        {
            "_op_type": op,
            "_index": index.alias,
            "_id": i,
            "_source": to_document(a, now, (first_seen or {}).get(i)),
        }
        for i, a in pending.items()
    )
    results = streaming_bulk(
        index.es, actions, chunk_size=500, raise_on_error=False, raise_on_exception=True,
        max_retries=3, initial_backoff=1, max_backoff=8, refresh="wait_for" if refresh else False,
    )  # fmt: skip
    held = []
    for ok, result in results:
        item = result.get(op, {})
        art_id = item.get("_id", "?")
        if ok:
            report.created.append(art_id)
        elif op == "create" and item.get("status") == 409:
            held.append(art_id)
        elif item.get("status") == 429:  # still refused after streaming_bulk's own retries
            report.rejected.append(pending[art_id])
        else:
            origin = pending[art_id].origin or pending[art_id].url or art_id
            report.failed.append(Failure(origin=origin, reason=_bulk_reason(item), stage="index"))
    return held


def _older_copies(
    index: ArticleIndex, pending: dict[str, Article]
) -> dict[str, list[tuple[str, str]]]:
    """Documents an article without a URL replaces: same source, content and file name, another id.

    Ids of files used to be keyed on the path as typed (`idem/a.txt` and `/tmp/…/idem/a.txt`
    were two documents); they are now keyed on the resolved path. An unchanged file ingested
    again finds its old document here, and the old id is removed once the new one is written.
    """
    by_hash: dict[str, list[str]] = {}
    for art_id, article in pending.items():
        if not article.url and article.content_hash:
            by_hash.setdefault(article.content_hash, []).append(art_id)
    if not by_hash:
        return {}
    response = index.es.search(
        index=index.alias, size=len(pending) * 4,
        source_includes=["content_hash", "source", "origin"],
        query={"bool": {"filter": [{"terms": {"content_hash": list(by_hash)}}],
                        "must_not": [{"exists": {"field": "url"}}]}},
    )  # fmt: skip
    older: dict[str, list[tuple[str, str]]] = {}
    for hit in response["hits"]["hits"]:
        stored = hit["_source"]
        for new_id in by_hash.get(stored.get("content_hash"), []):
            article = pending[new_id]
            same_file = _file_name(stored.get("origin")) == _file_name(article.origin)
            if hit["_id"] not in pending and stored.get("source") == article.source and same_file:
                older.setdefault(new_id, []).append((hit["_index"], hit["_id"]))
    return older


def _file_name(origin: str | None) -> str:
    return (origin or "").replace("\\", "/").rsplit("/", 1)[-1]


def _delete(index: ArticleIndex, docs: list[tuple[str, str]]) -> None:
    if docs:
        from elasticsearch.helpers import streaming_bulk

        actions = ({"_op_type": "delete", "_index": name, "_id": i} for name, i in docs)
        for _ok, _result in streaming_bulk(index.es, actions, raise_on_error=False):
            pass


def _bulk_reason(item: dict) -> str:
    error = item.get("error") or {}
    if isinstance(error, dict):
        return f"Elasticsearch refused it: {error.get('type')}: {error.get('reason')}"
    return f"Elasticsearch refused it: {error}"


@dataclass
class SearchHit:
    id: str
    score: float
    title: str
    source: str
    url: str | None
    origin: str | None
    published_at: str | None
    snippets: list[str]


def latest_articles(index: ArticleIndex, size: int = 10) -> list[dict]:
    """The most recently ingested articles (without their text), newest first."""
    response = index.es.search(
        index=index.alias, size=size, sort=[{"ingested_at": "desc"}],
        source_includes=["id", "title", "source", "language", "published_at", "url"],
    )  # fmt: skip
    return [hit["_source"] for hit in response["hits"]["hits"]]


SEARCH_FIELDS = ["title^3", "title.exact^4", "text", "text.exact^2", "description"]


def search_articles(
    index: ArticleIndex, query: str, *, size: int = 10, mark: tuple[str, str] = ("«", "»")
) -> tuple[int, list[SearchHit]]:
    """Ranked hits with highlighted Arabic snippets; all words must match (AND)."""
    response = index.es.search(
        index=index.alias,
        query={
            "simple_query_string": {
                "query": query, "fields": SEARCH_FIELDS, "default_operator": "and",
            }
        },
        highlight={
            "pre_tags": [mark[0]], "post_tags": [mark[1]],
            "fields": {"text": {"fragment_size": 160, "number_of_fragments": 2},
                       "title": {"number_of_fragments": 0}},
        },
        size=size,
        source_excludes=["text", "entities"],
    )  # fmt: skip
    hits = [_to_hit(h) for h in response["hits"]["hits"]]
    return response["hits"]["total"]["value"], hits


def _to_hit(hit: dict) -> SearchHit:
    src = hit["_source"]
    highlight = hit.get("highlight", {})
    return SearchHit(
        id=hit["_id"],
        score=hit["_score"] or 0.0,
        title=(highlight.get("title") or [src.get("title", "")])[0],
        source=src.get("source", ""),
        url=src.get("url"),
        origin=src.get("origin"),
        published_at=src.get("published_at"),
        snippets=highlight.get("text", []),
    )
