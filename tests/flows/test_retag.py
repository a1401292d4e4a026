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
    entities_all: ["PER:بوتين", "PER:ماسك"]
  - id: spacex
    title: SpaceX
    terms_ar: [سبيس إكس]
"""


def stored(index):
    index.refresh()
    return index.es.search(index=index.alias, query={"match_all": {}})["hits"]["hits"][0]


def test_retag_update_is_none_when_nothing_changed(tmp_path: Path):
    path = tmp_path / "topics.yaml"
    path.write_text(NEW_TOPICS, encoding="utf-8")
    source = {"title": "سبيس إكس", "text": "نص", "entities": [], "topics": ["spacex"],
              "topic_terms": ["spacex:سبيس إكس"]}  # fmt: skip
    assert retag_update("x", source, path, entities=False) is None
    source["topics"] = ["old"]
    assert retag_update("x", source, path, entities=False) == {
        "topics": ["spacex"], "topic_terms": ["spacex:سبيس إكس"],
    }  # fmt: skip


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

    after = stored(article_index)
    assert after["_source"]["topics"] == ["musk-putin", "spacex"]
    assert "spacex:سبيس إكس" in after["_source"]["topic_terms"]
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
              for name in ("topics", "topic_terms", "entity_people", "entity_places",
                           "entity_organizations", "entity_misc")},
    )["aggregations"]  # fmt: skip
    keys = {name: {b["key"] for b in agg["buckets"]} for name, agg in aggs.items()}
    assert {"starlink", "kremlin-contacts"} <= keys["topics"]
    assert "starlink:ستارلينك" in keys["topic_terms"]
    assert {"إيلون ماسك", "فلاديمير بوتين"} <= keys["entity_people"]
    assert {"موسكو", "تايوان"} <= keys["entity_places"]
    assert "الكرملين" in keys["entity_organizations"]
    assert "ستارلينك" in keys["entity_misc"]
