"""The index side of alerts: a subscription's newly seen articles and its daily counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from marsad.elastic.articles import SEARCH_FIELDS, ArticleIndex
from marsad.elastic.coverage import subject_filter

NEW_LIMIT = 500
# what a subscription watches: (topic, entity, saved query), exactly one of them set
Watched = tuple[str | None, str | None, str | None]


def _selection(watched: Watched) -> dict:
    topic, entity, query = watched
    if query:
        return {"simple_query_string": {"query": query, "fields": SEARCH_FIELDS,
                                        "default_operator": "and"}}  # fmt: skip
    return subject_filter(topic, entity, None)[0]


def new_articles(index: ArticleIndex, sub: Watched, since: datetime) -> list[dict]:
    """Articles of the subscription first seen since `since`, oldest first."""
    seen = {"bool": {"should": [{"range": {"first_seen_at": {"gte": since.isoformat()}}},
                                {"bool": {"must_not": {"exists": {"field": "first_seen_at"}},
                                          "filter": {"range": {"ingested_at": {
                                              "gte": since.isoformat()}}}}}],
                     "minimum_should_match": 1}}  # fmt: skip
    hits = index.es.search(
        index=index.alias, size=NEW_LIMIT, query={"bool": {"filter": [_selection(sub), seen]}},
        sort=[{"event_at": {"order": "asc", "unmapped_type": "date"}}],
        source_includes=["title", "source", "source_name", "event_at", "published_at", "url"],
    )["hits"]["hits"]  # fmt: skip
    return [{"id": h["_id"], "title": h["_source"].get("title", ""),
             "outlet": h["_source"].get("source_name") or h["_source"].get("source", ""),
             "at": h["_source"].get("event_at") or h["_source"].get("published_at") or "",
             "url": h["_source"].get("url")} for h in hits]  # fmt: skip


def daily_counts(index: ArticleIndex, sub: Watched, now: datetime, days: int) -> list[int]:
    """Articles per day (event_at) over the `days` days before today and today, oldest first."""
    start = (now - timedelta(days=days)).date().isoformat()
    today = now.date().isoformat()
    span = {"range": {"event_at": {"gte": start, "lte": now.isoformat()}}}
    response = index.es.search(
        index=index.alias, size=0,
        query={"bool": {"filter": [_selection(sub), span]}},
        aggs={"days": {"date_histogram": {
            "field": "event_at", "calendar_interval": "day", "format": "yyyy-MM-dd",
            "min_doc_count": 0, "extended_bounds": {"min": start, "max": today}}}},
    )  # fmt: skip
    return [b["doc_count"] for b in response["aggregations"]["days"]["buckets"]]
