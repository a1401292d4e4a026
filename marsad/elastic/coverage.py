"""Coverage counts from Elasticsearch aggregations: per day or week, per outlet, affiliation
and country, the top entities and the first outlet, for a topic, an entity or a story."""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.elastic.articles import ArticleIndex
from marsad.entity_types import FACETS as ENTITY_FACETS

DIMENSIONS = {"outlet": "source", "affiliation": "source_affiliation",
              "country": "source_country"}  # fmt: skip
ENTITY_FIELDS = ("entity_ids", "entity_people", "entity_organizations", "entity_places",
                 "entity_misc", "entity_names_latin")  # fmt: skip


@dataclass
class Coverage:
    subject: str
    interval: str  # day | week
    total: int = 0
    periods: list[str] = field(default_factory=list)  # ISO dates, oldest first
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # dim→name→period
    first: dict | None = None  # the earliest article: outlet, at, title, url
    top_entities: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def subject_filter(topic: str | None, entity: str | None, story: str | None) -> tuple[dict, str]:
    """The query for what is covered, and how to name it."""
    if sum(x is not None for x in (topic, entity, story)) != 1:
        raise ValueError("name exactly one of a topic, an entity or a story")
    if topic:
        return {"term": {"topics": topic}}, f"topic {topic}"
    if story:
        return {"term": {"story_id": story}}, f"story {story}"
    should = [{"term": {f: entity}} for f in ENTITY_FIELDS]
    return {"bool": {"should": should, "minimum_should_match": 1}}, f"entity {entity}"


def coverage(
    index: ArticleIndex,
    *,
    topic: str | None = None,
    entity: str | None = None,
    story: str | None = None,
    since: str | None = None,
    until: str | None = None,
    interval: str = "day",
    top: int = 10,
) -> Coverage:
    """Counts of the articles about the subject on the time axis (`event_at`)."""
    what, subject = subject_filter(topic, entity, story)
    filters = [what]
    if since or until:
        span = {k: v for k, v in (("gte", since), ("lte", until)) if v}
        filters.append({"range": {"event_at": span}})
    per_period = {"date_histogram": {"field": "event_at", "calendar_interval": interval,
                                     "format": "yyyy-MM-dd", "min_doc_count": 0}}  # fmt: skip
    aggs: dict = {
        dim: {"terms": {"field": f, "size": 50, "missing": "unknown"},
              "aggs": {"periods": per_period}}
        for dim, f in DIMENSIONS.items()
    }  # fmt: skip
    aggs["periods"] = per_period
    aggs["first"] = {"top_hits": {"size": 1, "sort": [{"event_at": "asc"}],
                                  "_source": ["source_name", "source", "event_at", "title",
                                              "url"]}}  # fmt: skip
    for facet in ENTITY_FACETS.values():
        aggs[facet] = {"terms": {"field": facet, "size": top}}
    response = index.es.search(index=index.alias, size=0, track_total_hits=True,
                               query={"bool": {"filter": filters}}, aggs=aggs)  # fmt: skip
    found = response["aggregations"]
    result = Coverage(subject=subject, interval=interval,
                      total=response["hits"]["total"]["value"])  # fmt: skip
    result.periods = [b["key_as_string"] for b in found["periods"]["buckets"]]
    for dim in DIMENSIONS:
        result.counts[dim] = {
            b["key"]: {p["key_as_string"]: p["doc_count"] for p in b["periods"]["buckets"]}
            for b in found[dim]["buckets"]
        }
    hits = found["first"]["hits"]["hits"]
    if hits:
        src = hits[0]["_source"]
        result.first = {"outlet": src.get("source_name") or src.get("source"),
                        "at": src.get("event_at"), "title": src.get("title"),
                        "url": src.get("url")}  # fmt: skip
    for kind, facet in ENTITY_FACETS.items():
        result.top_entities[kind] = [(b["key"], b["doc_count"]) for b in found[facet]["buckets"]]
    return result
