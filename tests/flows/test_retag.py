"""Re-tagging in place: a changed topics file updates indexed articles, nothing is re-fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.flows.ingest_files import ingest_files
from marsad.flows.retag import retag
from marsad.pipeline import retag_update

from ..conftest import SEED

NEW_TOPICS = """
topics:
  - id: musk-putin
    title: Musk and Putin
    signals:
      - entities: [فلاديمير بوتين]
        with: [إيلون ماسك]
        weight: 2
  - id: spacex
    title: SpaceX
    signals:
      - entities: [سبيس إكس]
        weight: 2
"""


def stored(index):
    index.refresh()
    return index.es.search(index=index.alias, query={"match_all": {}})["hits"]["hits"][0]


def test_retag_update_is_none_when_nothing_changed(tmp_path: Path):
    path = tmp_path / "topics.yaml"
    path.write_text(NEW_TOPICS, encoding="utf-8")
    source = {"title": "سبيس إكس", "text": "نص", "entities": []}
    fresh = retag_update("x", source, path, entities=False)
    assert fresh is not None
    assert (fresh["topics"], fresh["topic_mentions"]) == (["spacex"], [])
    assert fresh["topic_terms"] == ["spacex:سبيس إكس"]
    assert fresh["topic_evidence"] == ["spacex (6): سبيس إكس"]
    assert fresh["topic_hits"][0] | {"evidence": None} == {
        "topic": "spacex", "score": 6.0, "tagged": True, "evidence": None,
        "terms": ["سبيس إكس"], "note": None,
    }  # fmt: skip
    assert retag_update("x", source | fresh, path, entities=False) is None
    assert retag_update("x", source | fresh | {"topics": ["old"]}, path, False) == fresh


def test_retag_update_can_recompute_entities_and_their_facets(tmp_path: Path):
    path = tmp_path / "topics.yaml"
    path.write_text(NEW_TOPICS, encoding="utf-8")
    source = {"title": "", "text": "قال إيلون ماسك إن سبيس إكس ستطلق صاروخا.", "entities": []}
    update = retag_update("x", source, path, entities=True)
    assert update["entity_people"] == ["إيلون ماسك"]
    assert update["entity_organizations"] == ["سبيس إكس"]
    assert {e["canonical"] for e in update["entities"]} == {"إيلون ماسك", "سبيس إكس"}
    assert update["topics"] == ["spacex"]


@pytest.mark.usefixtures("prefect_api")
def test_changed_topics_file_retags_indexed_articles_in_place(article_index, tmp_path: Path):
    ingest_files([str(SEED)], source="seeds")
    before = stored(article_index)
    assert {"starlink", "kremlin-contacts"} <= set(before["_source"]["topics"])

    path = tmp_path / "topics.yaml"
    path.write_text(NEW_TOPICS, encoding="utf-8")
    summary = retag(str(path))
    assert (summary.scanned, summary.updated, summary.failed) == (1, 1, [])
    old = set(before["_source"]["topics"])  # the shipped topics the seed was tagged with
    assert summary.by_topic() == [
        {"topic": t, "added": int(t in ("musk-putin", "spacex")), "removed": int(t in old)}
        for t in sorted({"musk-putin", "spacex"} | old)
    ]

    after = stored(article_index)
    assert after["_source"]["topics"] == ["musk-putin", "spacex"]
    assert "spacex:سبيس إكس" in after["_source"]["topic_terms"]
    hits = {h["topic"]: h for h in after["_source"]["topic_hits"]}
    assert hits["musk-putin"]["tagged"] and hits["musk-putin"]["evidence"]
    for field in ("ingested_at", "content_hash", "text", "entities"):
        assert after["_source"][field] == before["_source"][field], field
    assert retag(str(path)).updated == 0  # idempotent


@pytest.mark.usefixtures("prefect_api")
def test_entities_and_topics_are_keyword_facets(article_index):
    ingest_files([str(SEED)], source="seeds")
    article_index.refresh()
    aggs = article_index.es.search(
        index=article_index.alias,
        size=0,
        aggs={name: {"terms": {"field": name, "size": 50}}
              for name in ("topics", "topic_mentions", "topic_terms", "entity_people",
                           "entity_places",
                           "entity_organizations", "entity_misc")},
    )["aggregations"]  # fmt: skip
    keys = {name: {b["key"] for b in agg["buckets"]} for name, agg in aggs.items()}
    assert {"starlink", "kremlin-contacts"} <= keys["topics"]
    assert "starlink:ستارلينك" in keys["topic_terms"]
    assert keys["topic_mentions"] and not keys["topic_mentions"] & keys["topics"]
    why = article_index.es.search(  # "why is it tagged?": the evidence is searchable text
        index=article_index.alias, query={"match": {"topic_evidence": "ستارلينك"}}
    )["hits"]["hits"]
    assert [h["_source"]["topic_evidence"][0].startswith("starlink (") for h in why] == [True]
    assert {"إيلون ماسك", "فلاديمير بوتين"} <= keys["entity_people"]
    assert {"موسكو", "تايوان"} <= keys["entity_places"]
    assert "الكرملين" in keys["entity_organizations"]
    assert "ستارلينك" in keys["entity_misc"]
