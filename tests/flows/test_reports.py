"""Run reports: the counting, the rendering, and the artifacts as a real Prefect API stores them."""

from __future__ import annotations

import json

from prefect import flow, get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.runtime import flow_run

from marsad.elastic.articles import IndexReport
from marsad.fetch.report import FetchSummary
from marsad.flows.reports import (
    MAX_ROWS,
    file_rows,
    publish_fetch_report,
    publish_ingest_report,
    tally_markdown,
)
from marsad.models import Article, Entity, Failure
from marsad.report import IngestSummary, RunTally


def article(art_id: str, origin: str, topics=(), people=()) -> Article:
    entities = [Entity(text=p, type="PER", canonical=p, start=0, end=len(p)) for p in people]
    entities += entities  # a name mentioned twice counts once for the article
    return Article(id=art_id, title="t", text="x", source="s", origin=origin,
                   topics=list(topics), entities=entities)  # fmt: skip


def test_a_tally_counts_articles_not_mentions():
    tally = RunTally()
    tally.add([article("1", "a", ["starlink"], ["إيلون ماسك"]),
               article("2", "a", ["starlink", "taiwan"], ["إيلون ماسك", "بوتين"])])  # fmt: skip
    other = RunTally()
    other.add([article("3", "b", ["taiwan"], ["بوتين"])])
    tally.merge(other)
    assert tally.articles == 3
    assert tally.top_topics() == [("starlink", 2), ("taiwan", 2)]
    assert tally.top_entities("PER") == [("إيلون ماسك", 2), ("بوتين", 2)]
    assert tally.top_entities("ORG") == []


def test_the_summary_counts_per_file_and_tallies_only_what_was_written():
    summary = IngestSummary(files=2)
    batch = [article("new", "a.jsonl", ["starlink"]), article("same", "a.jsonl", ["taiwan"]),
             article("upd", "b.html", ["ukraine-war"])]  # fmt: skip
    report = IndexReport(created=["new"], unchanged=["same"], updated=["upd"])
    summary.add_index_report(report, batch)
    assert summary.per_file["a.jsonl"].model_dump() == {
        "articles": 2, "created": 1, "updated": 0, "unchanged": 1,
    }  # fmt: skip
    assert summary.per_file["b.html"].kept == 1
    assert dict(summary.tally.top_topics()) == {"starlink": 1, "ukraine-war": 1}


def test_file_rows_put_failures_first_with_their_reasons():
    summary = IngestSummary(failed=[Failure(origin="bad.txt", reason="empty file", stage="load")])
    summary.add_index_report(IndexReport(created=["1"]), [article("1", "good.txt")])
    rows = file_rows(summary)
    assert [r["file"] for r in rows] == ["bad.txt", "good.txt"]
    assert rows[0] | {} == {"file": "bad.txt", "articles": 0, "new": 0, "updated": 0,
                           "unchanged": 0, "failed": 1, "reasons": "empty file"}  # fmt: skip


def test_the_markdown_names_the_top_topics_and_entities():
    tally = RunTally()
    tally.add([article("1", "a", ["kremlin-contacts"], ["بوتين"])])
    text = tally_markdown("File ingest", "1 files", tally, more=5)
    assert "| kremlin-contacts | 1 |" in text and "| بوتين | 1 |" in text
    assert "## Top places (LOC)" in text and f"{MAX_ROWS} rows; 5 more" in text


def _artifacts(run_id) -> dict[str, object]:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    return {a.key: a.data for a in found}


def test_an_ingest_run_publishes_its_table_and_tally(prefect_api):
    @flow(name="report-under-test")
    def run() -> str:
        summary = IngestSummary(files=2, failed=[Failure(origin="bad.txt", reason="binary")])
        summary.add_index_report(IndexReport(created=["1"]), [article("1", "good.txt", ["taiwan"])])
        publish_ingest_report(summary)
        return flow_run.id

    artifacts = _artifacts(run())
    table = json.loads(artifacts["marsad-ingest-table"])
    assert [(r["file"], r["new"], r["reasons"]) for r in table] == [
        ("bad.txt", 0, "binary"), ("good.txt", 1, ""),
    ]  # fmt: skip
    assert "| taiwan | 1 |" in artifacts["marsad-ingest"]


def test_a_fetch_run_publishes_a_row_per_source(prefect_api):
    @flow(name="fetch-report-under-test")
    def run() -> str:
        summary = FetchSummary()
        summary.of("rt-arabic").indexed = 3
        summary.of("bbc-arabic").failed.append(Failure(origin="https://x/feed", reason="HTTP 404"))
        tally = RunTally()
        tally.add([article("1", "https://x/1", ["ukraine-war"])])
        publish_fetch_report(summary, tally)
        return flow_run.id

    artifacts = _artifacts(run())
    table = json.loads(artifacts["marsad-fetch-table"])
    assert [(r["source"], r["indexed"], r["reasons"]) for r in table] == [
        ("bbc-arabic", 0, "HTTP 404"),
        ("rt-arabic", 3, ""),
    ], "failures first"
    assert "| ukraine-war | 1 |" in artifacts["marsad-fetch"]


def test_a_fetch_run_attaches_its_topics_coverage_chart_and_table(prefect_api, article_index):
    from datetime import UTC, datetime, timedelta

    from marsad.elastic.articles import write_articles

    now = datetime.now(UTC)
    written = [
        article(str(n), f"https://x/{n}", ["ukraine-war"]).model_copy(
            update={"published_at": now - timedelta(days=n), "source": f"outlet-{n % 2}"}
        )
        for n in range(4)
    ]
    write_articles(article_index, written, refresh=True)

    @flow(name="fetch-coverage-under-test")
    def run() -> str:
        tally = RunTally()
        tally.add(written)
        publish_fetch_report(FetchSummary(), tally)
        return flow_run.id

    artifacts = _artifacts(run())
    chart = artifacts["marsad-coverage-ukraine-war"]
    assert "4 articles" in chart and "](data:image/png;base64,iVBOR" in chart  # a PNG inline
    table = json.loads(artifacts["marsad-coverage-ukraine-war-table"])
    assert sum(r["articles"] for r in table) == 4
    assert {r["outlet"] for r in table} == {"outlet-0", "outlet-1"}
