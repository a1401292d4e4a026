"""The article's way in one place: load or fetch → extract → enrich → index.

Extractors are pure and read no settings; the edges (files, fetching, the index) do I/O. This
module composes them with the settings: which recognisers, gazetteer and topics enrich an
article (loaded once per process), and which index an article is written to. Flows call these
functions from their tasks and do no Elasticsearch calls of their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from marsad.config import Settings, get_settings
from marsad.elastic.articles import (
    ENTITY_FACETS,
    ArticleIndex,
    IndexReport,
    apply_updates,
    existing_ids,
    scan_articles,
    to_document,
    write_articles,
)
from marsad.elastic.client import connect
from marsad.extractors.article import extract_file
from marsad.extractors.errors import ExtractionError, unexpected
from marsad.extractors.web_page import extract_page
from marsad.fetch.download import Fetched
from marsad.files import display, identity, read_file
from marsad.models import Article, Entity, Failure
from marsad.sources import Source
from marsad.spool import Spool

if TYPE_CHECKING:  # the recognisers are imported when first used: `extract --no-enrich` is light
    from marsad.extractors.entities.pipeline import Recognizers
    from marsad.extractors.topics import Topic

# -- enrich ---------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _recognizers(gazetteer: Path | None, camel_model: Path | None, use_camel: bool) -> Recognizers:
    from marsad.extractors.entities.pipeline import default_recognizers

    return default_recognizers(gazetteer, camel_model, use_camel)


def recognizers(settings: Settings | None = None) -> Recognizers:
    """The configured recognisers (gazetteer file, CAMeLBERT on/off), loaded once per process."""
    s = settings or get_settings()
    return _recognizers(s.gazetteer_file, s.camel_ner_model, s.camel_ner)


def topics(topics_file: Path | None = None) -> list[Topic]:
    """The analysts' topics: `topics_file`, else the configured file, else the shipped one;
    their entities expanded by the configured gazetteer."""
    from marsad.extractors.entities.gazetteer import load_gazetteer
    from marsad.extractors.topics import load_topics

    s = get_settings()
    return load_topics(topics_file or s.topics_file, load_gazetteer(s.gazetteer_file))


def enrich(article: Article, settings: Settings | None = None) -> Article:
    """Entities and topics with the configured recognisers and topics file."""
    from marsad.extractors.enrich import enrich_article

    s = settings or get_settings()
    return enrich_article(article, recognizers(s), topics(s.topics_file))


def entities_of(text: str) -> list[Entity]:
    """Entities of a text with the configured recognisers (evaluation, retagging)."""
    from marsad.extractors.entities.pipeline import find_entities

    return find_entities(text, recognizers())


def _enriched(
    articles: list[Article], failures: list[Failure], settings: Settings | None = None
) -> tuple[list[Article], list[Failure]]:
    """Enrich each article; one that fails is a Failure (stage "enrich"), the rest go on."""
    done: list[Article] = []
    for article in articles:
        try:
            done.append(enrich(article, settings))
        except Exception as err:  # a recogniser bug must not sink the batch: report it
            failures.append(Failure.from_error(article.origin or article.id, err, "enrich"))
    return done, failures


# -- load / fetch → extract → enrich ----------------------------------------------------------


def extract_path(
    path: Path,
    *,
    source: str | None,
    max_bytes: int,
    enriched: bool = True,
    settings: Settings | None = None,
) -> tuple[list[Article], list[Failure]]:
    """One file's articles (enriched unless told not to); what cannot be read is a failure.

    Ids are keyed on the file's resolved path, so any spelling of its folder gives the same.
    """
    name = display(path)
    try:
        data = read_file(path, max_bytes)
        key = identity(path)
    except (OSError, ValueError) as exc:
        return [], [Failure.from_error(name, exc, "load")]
    articles, failures = extract_file(
        data, name, source=source, max_bytes=max_bytes, key=key,
        max_chars=(settings or get_settings()).max_text_chars,
    )  # fmt: skip
    return _enriched(articles, failures, settings) if enriched else (articles, failures)


def extract_pages(
    results: list[Fetched], sources: dict[str, Source], settings: Settings | None = None
) -> tuple[list[Article], list[Failure]]:
    """Articles from downloaded pages; a Failure (origin = the item URL) for everything else."""
    max_chars = (settings or get_settings()).max_text_chars
    articles: list[Article] = []
    failures: list[Failure] = []
    for result in results:
        origin = result.item.url
        if result.page is None:
            failures.append(Failure(origin=origin, reason=result.error or "?", stage="load"))
            continue
        source = sources.get(result.item.source)
        try:
            article = extract_page(
                result.page.body, result.page.headers.get("content-type", ""),
                result.page.final_url, source.outlet() if source else None,
                title=result.item.title, published_at=result.item.published_at,
                summary=result.item.summary, max_chars=max_chars,
            )  # fmt: skip
        except ExtractionError as err:
            failures.append(Failure(origin=origin, reason=err.reason, stage="extract"))
            continue
        except Exception as err:  # an extractor bug must not sink the batch: report it
            failures.append(Failure(origin=origin, reason=unexpected(err), stage="extract"))
            continue
        articles.append(article.model_copy(update={"origin": origin}))
    return _enriched(articles, failures, settings)


# -- index ------------------------------------------------------------------------------------


def article_index(settings: Settings | None = None) -> ArticleIndex:
    s = settings or get_settings()
    return ArticleIndex(connect(s), s.index_prefix)


def prepare_index(settings: Settings | None = None) -> str:
    """Template and first versioned index behind the alias, if missing; the alias."""
    return article_index(settings).ensure()


def _unreachable() -> tuple[type[BaseException], ...]:
    """Errors that mean the cluster is out of reach (elasticsearch imported on first write:
    `marsad extract` never needs it)."""
    from elasticsearch import TransportError

    return (TransportError, ConnectionError, OSError)


def index_articles(
    articles: list[Article],
    refresh: bool,
    *,
    attempts: int = 3,
    backoff: float = 1.0,
    keep: bool = True,
) -> IndexReport:
    """Bulk-write articles; what cannot be written now is spooled, never lost.

    Unchanged articles (same content hash) are not written again. When the cluster cannot be
    reached, or keeps refusing writes (429), the articles are retried `attempts` times with
    doubling pauses and then kept in the spool with the reason (`IndexReport.spooled`; with
    `keep=False` only reported, for a caller that already holds them on disk); errors that
    retrying cannot fix (a document the mapping refuses) are failures.
    """
    report, pending = IndexReport(), list(articles)
    reason = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            done = write_articles(article_index(), pending, refresh=refresh)
        except _unreachable() as exc:
            reason = f"Elasticsearch unreachable: {_one_line(exc)}"
            continue
        pending, done.rejected = done.rejected, []
        report.merge(done)
        reason = "Elasticsearch kept refusing writes (429 Too Many Requests)"
        if not pending:
            return report
    return _spool(report, pending, reason, keep)


def _spool(report: IndexReport, articles: list[Article], reason: str, keep: bool) -> IndexReport:
    if keep:
        Spool(get_settings().spool_path).put(articles, reason)
    report.spooled += [Failure(origin=a.origin or a.url or a.id, reason=reason, stage="index")
                       for a in articles]  # fmt: skip
    return report


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def cluster_problem(settings: Settings | None = None) -> str | None:
    """Why the cluster cannot be used right now (one line), or None when it answers."""
    from elasticsearch import ApiError

    try:
        article_index(settings).es.cluster.health(timeout="5s")
    except _unreachable() as exc:
        s = settings or get_settings()
        return f"cannot reach Elasticsearch at {s.es_url or 'the embedded node'}: {_one_line(exc)}"
    except ApiError as exc:
        return f"Elasticsearch refused: {_one_line(exc)}"
    return None


def replay(refresh: bool = True) -> tuple[int, IndexReport]:
    """Write every spooled batch (oldest first); (batches replayed, what happened).

    A batch leaves the spool only once it is written; while the cluster still cannot take it,
    it stays (and the replay stops there), so a crash mid-replay loses nothing.
    """
    spool, total, batches = Spool(get_settings().spool_path), IndexReport(), 0
    for path, articles in spool.batches():
        report = index_articles(articles, refresh=False, keep=False)
        total.merge(report)
        batches += 1
        if report.spooled:
            break
        spool.done(path)
    if batches and refresh and not total.spooled:
        refresh_index()
    return batches, total


def spooled_count() -> int:
    return Spool(get_settings().spool_path).count()


def refresh_index() -> None:
    article_index().refresh()


def indexed_ids(ids: Iterable[str]) -> set[str]:
    """Which of these article ids are in the index already."""
    return existing_ids(article_index(), list(ids))


# -- re-tag what is indexed -------------------------------------------------------------------

TOPIC_FIELDS = ["topics", "topic_mentions", "topic_terms", "topic_hits", "topic_evidence"]
RETAG_FIELDS = ["title", "text", "published_at", "entities", *TOPIC_FIELDS]


def retag_update(
    doc_id: str, stored: dict, topics_file: Path | None, entities: bool
) -> dict | None:
    """The partial document that brings one stored article up to date, or None if it is."""
    article = Article(
        id=doc_id,
        title=stored.get("title") or "",
        text=stored.get("text") or "",
        published_at=stored.get("published_at"),
        source="retag",
        entities=[Entity(**e) for e in stored.get("entities") or []],
    )
    if entities:
        article = article.model_copy(update={"entities": entities_of(article.text)})
    from marsad.extractors.enrich import tag_topics

    article = tag_topics(article, topics(topics_file))
    fresh = to_document(article, datetime.now(UTC))
    fields = list(TOPIC_FIELDS)
    if entities:
        fields += ["entities", *ENTITY_FACETS.values()]
    update = {f: fresh[f] for f in fields}
    current = {f: stored.get(f) or [] for f in fields}
    return None if update == current else update


def stored_articles(batch_size: int) -> Iterable[tuple[str, str, dict]]:
    """(index, id, fields) of every indexed article, for re-tagging."""
    return scan_articles(article_index(), RETAG_FIELDS, batch_size)


def write_updates(index: str, updates: list[tuple[str, dict]]) -> list[str]:
    """Apply partial updates to one index; the ids that failed, with reasons."""
    return apply_updates(article_index(), index, updates)
