"""Stories in the index: the articles still to place, their candidates, and stories listed.

The story state is the index itself (`story_id`, `duplicate_of`, `minhash`, `minhash_bands`,
`story_terms`, `story_weights` on each article), so it survives restarts and every process
sees the same stories.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from marsad.elastic.articles import ArticleIndex
from marsad.extractors.stories import COPY_WINDOW, STORY_WINDOW, Member

MEMBER_FIELDS = ["event_at", "story_id", "duplicate_of", "minhash", "minhash_size",
                 "story_terms", "story_weights"]  # fmt: skip
PLACE_FIELDS = ["title", "text", "event_at", "published_at", "ingested_at"]
SHARED_TERMS = 3  # a story candidate shares at least this many of an article's terms


def unplaced(index: ArticleIndex, batch_size: int) -> Iterator[list[dict]]:
    """Batches of articles without a story, oldest first ({"id", "title", "text",
    "event_at"}); each batch is asked for once the previous one is written and refreshed."""
    seen: set[str] = set()
    while True:
        hits = index.es.search(
            index=index.alias,
            query={"bool": {"must_not": {"exists": {"field": "story_id"}}}},
            sort=[{"event_at": "asc"}, {"id": "asc"}],
            size=batch_size,
            source_includes=PLACE_FIELDS,
        )["hits"]["hits"]
        fresh = [h for h in hits if h["_id"] not in seen]
        if not fresh:  # nothing left, or only articles whose update failed
            return
        seen.update(h["_id"] for h in fresh)
        yield [_placeable(h) for h in fresh]


def _placeable(hit: dict) -> dict:
    """An article to place; indexed before `event_at` existed, its time is the older fields'."""
    src = hit["_source"]
    when = src.get("event_at") or src.get("published_at") or src.get("ingested_at")
    return {"id": hit["_id"], "title": src.get("title") or "", "text": src.get("text") or "",
            "event_at": when}  # fmt: skip


def placed_span(index: ArticleIndex) -> tuple[datetime, datetime] | None:
    """The first and last event time of the articles already placed, if any."""
    aggs = index.es.search(
        index=index.alias,
        size=0,
        query={"exists": {"field": "story_id"}},
        aggs={"first": {"min": {"field": "event_at"}}, "last": {"max": {"field": "event_at"}}},
    )["aggregations"]
    if aggs["first"]["value"] is None:
        return None
    return (_ms(aggs["first"]["value"]), _ms(aggs["last"]["value"]))


def candidates(
    index: ArticleIndex, items: list[tuple[datetime, list[str], dict[str, float]]], size: int
) -> list[tuple[list[Member], list[Member]]]:
    """Per (when, bands, vector): placed articles sharing an LSH band (near-copy candidates)
    and placed articles sharing the most story terms nearby in time (story candidates)."""
    if not items:
        return []
    searches: list[dict] = []
    for when, bands, vector in items:
        near = _around(when, COPY_WINDOW)
        searches += [{"index": index.alias}, {
            "size": 20, "_source": MEMBER_FIELDS,
            "query": {"bool": {"filter": [near, {"terms": {"minhash_bands": bands}},
                                          {"exists": {"field": "story_id"}}]}},
        }]  # fmt: skip
        shared = min(SHARED_TERMS, len(vector)) or 1
        searches += [{"index": index.alias}, {
            "size": size, "_source": MEMBER_FIELDS,
            "query": {"bool": {
                "filter": [_around(when, STORY_WINDOW), {"exists": {"field": "story_id"}}],
                "should": [{"term": {"story_terms": t}} for t in vector],
                "minimum_should_match": shared,
            }},
        }]  # fmt: skip
    responses = index.es.msearch(searches=searches)["responses"]
    out = []
    for n in range(len(items)):
        copies, neighbours = responses[2 * n], responses[2 * n + 1]
        out.append((_members(copies), _members(neighbours)))
    return out


def _members(response: dict) -> list[Member]:
    found = []
    for hit in response.get("hits", {}).get("hits", []):
        src = hit["_source"]
        if not src.get("story_id") or not src.get("minhash"):
            continue
        found.append(Member(
            id=hit["_id"], when=datetime.fromisoformat(src["event_at"]),
            story_id=src["story_id"], duplicate_of=src.get("duplicate_of"),
            signature=tuple(src["minhash"]), size=int(src.get("minhash_size") or 0),
            vector=dict(zip(src.get("story_terms") or [], src.get("story_weights") or [],
                            strict=False)),
        ))  # fmt: skip
    return found


def _around(when: datetime, window) -> dict:
    return {"range": {"event_at": {"gte": (when - window).isoformat(),
                                   "lte": (when + window).isoformat()}}}  # fmt: skip


def _ms(value: float) -> datetime:
    from datetime import UTC

    return datetime.fromtimestamp(value / 1000, UTC)


@dataclass
class StoryRow:
    """A story as `marsad stories` lists it."""

    story_id: str
    articles: int
    outlets: int
    copies: int
    first_at: str
    last_at: str
    title: str
    first_outlet: str
    followers: list[dict]  # {"outlet", "first_at", "delay_hours"}, in order of arrival


def list_stories(
    index: ArticleIndex,
    *,
    topic: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_articles: int = 2,
    size: int = 20,
) -> list[StoryRow]:
    """The largest stories matching the filters (an entity by canonical name or entity id),
    each with its first article and the outlets that followed, with their delays."""
    filters: list[dict] = [{"exists": {"field": "story_id"}}]
    if topic:
        filters.append({"term": {"topics": topic}})
    if entity:
        fields = ("entity_ids", "entity_people", "entity_organizations", "entity_places",
                  "entity_misc", "entity_names_latin")  # fmt: skip
        filters.append({"bool": {"should": [{"term": {f: entity}} for f in fields],
                                 "minimum_should_match": 1}})  # fmt: skip
    if since or until:
        filters.append({"range": {"event_at": {k: v for k, v in (("gte", since), ("lte", until))
                                               if v}}})  # fmt: skip
    response = index.es.search(
        index=index.alias, size=0, query={"bool": {"filter": filters}},
        aggs={"stories": {
            "terms": {"field": "story_id", "size": size, "min_doc_count": min_articles,
                      "order": [{"_count": "desc"}, {"first": "asc"}]},
            "aggs": {
                "first": {"min": {"field": "event_at"}},
                "last": {"max": {"field": "event_at"}},
                "copies": {"filter": {"exists": {"field": "duplicate_of"}}},
                "opening": {"top_hits": {"size": 1, "sort": [{"event_at": "asc"}],
                                         "_source": ["title", "source_name", "source"]}},
                "outlets": {"terms": {"field": "source", "size": 50},
                            "aggs": {"first": {"min": {"field": "event_at"}}}},
            },
        }},
    )  # fmt: skip
    rows = []
    for bucket in response["aggregations"]["stories"]["buckets"]:
        opening = bucket["opening"]["hits"]["hits"][0]["_source"]
        first = bucket["first"]["value"]
        outlets = sorted(
            ((o["first"]["value"], o["key"]) for o in bucket["outlets"]["buckets"]),
        )
        first_outlet = outlets[0][1] if outlets else opening.get("source", "")
        rows.append(StoryRow(
            story_id=bucket["key"], articles=bucket["doc_count"], outlets=len(outlets),
            copies=bucket["copies"]["doc_count"],
            first_at=bucket["first"]["value_as_string"], last_at=bucket["last"]["value_as_string"],
            title=opening.get("title", ""), first_outlet=first_outlet,
            followers=[{"outlet": name, "first_at": _ms(at).isoformat(),
                        "delay_hours": round((at - first) / 3_600_000, 1)}
                       for at, name in outlets[1:]],
        ))  # fmt: skip
    return rows
