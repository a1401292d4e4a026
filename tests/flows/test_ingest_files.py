"""The file flow end to end: real files → Prefect flow → real Elasticsearch → search."""

from __future__ import annotations

import gzip
import json

import pytest

from marsad.elastic.articles import search_articles
from marsad.flows.ingest_files import ingest_files

from ..conftest import SEED

SEED_TITLE = "محادثات سرية بين إيلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"


@pytest.fixture
def ingest(prefect_api, article_index):
    def run(*paths, **kwargs):
        return ingest_files([str(p) for p in paths], **kwargs)

    return run


@pytest.mark.parametrize("query", ["ستارلينك", "ايلون ماسك", "بوتين", "إيلون ماسك"])
def test_the_seed_is_found_by_arabic_queries(ingest, article_index, query):
    summary = ingest(SEED, source="seeds")
    assert (summary.created, summary.failed) == (1, [])
    total, hits = search_articles(article_index, query)
    assert total == 1
    assert hits[0].title.replace("«", "").replace("»", "") == SEED_TITLE
    assert hits[0].snippets, "search must return a highlighted snippet"


def test_a_query_for_an_absent_name_finds_nothing(ingest, article_index):
    ingest(SEED, source="seeds")
    assert search_articles(article_index, "ميركل")[0] == 0


def test_ingesting_twice_leaves_one_document(ingest, article_index):
    first = ingest(SEED, source="seeds")
    second = ingest(SEED, source="seeds")
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert article_index.count() == 1


def test_an_edited_file_updates_in_place(ingest, article_index, tmp_path):
    copy = tmp_path / SEED.name
    copy.write_bytes(SEED.read_bytes())
    ingest(copy)
    copy.write_text(SEED.read_text("utf-8") + "\nفقرة جديدة عن ستارلينك.\n", "utf-8")
    summary = ingest(copy)
    assert (summary.updated, article_index.count()) == (1, 1)
    assert search_articles(article_index, "فقرة جديدة")[0] == 1


def _bad_batch(folder, max_bytes):
    good = SEED.read_text("utf-8")
    (folder / "good.txt").write_text(good, "utf-8")
    (folder / "arabic-1256.txt").write_bytes(good.replace("إيلون", "ايلون").encode("cp1256"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "huge.txt").write_bytes(b"x" * (max_bytes + 1))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "cut.html.gz").write_bytes(gzip.compress(b"<html>" + good.encode() * 3)[:200])
    record = {"title": "خبر عن بوتين", "text": "قال الكرملين إن بوتين التقى وفدا.", "url": None}
    lines = [json.dumps(record | {"url": f"https://example.org/{i}"}, ensure_ascii=False)
             for i in range(2)]  # fmt: skip
    (folder / "records.jsonl").write_text("\n".join([*lines, lines[0][:25]]), "utf-8")


def test_bad_files_are_reported_and_the_rest_lands(ingest, article_index, settings, tmp_path):
    _bad_batch(tmp_path, settings.max_file_bytes)
    state = ingest(tmp_path, tmp_path / "missing.txt", return_state=True)
    # six of the nine files got nothing in: more than MARSAD_FAIL_SHARE (0.5), so the run is
    # Failed in Prefect, with the reasons in its message and the summary as its data
    assert state.is_failed() and state.message.startswith("6 of 9 files failed (")
    summary = state.result(raise_on_failure=False)
    reasons = {f.origin.rsplit("/", 1)[-1]: f.reason for f in summary.failed}
    assert set(reasons) == {
        "empty.txt", "binary.txt", "huge.txt", "scan.pdf", "cut.html.gz", "records.jsonl",
        "missing.txt",
    }  # fmt: skip
    assert all(reason and "\n" not in reason for reason in reasons.values())
    assert "limit" in reasons["huge.txt"] and "empty" in reasons["empty.txt"]
    assert "line 3" in reasons["records.jsonl"]
    assert summary.created == 4  # good.txt, arabic-1256.txt, two JSONL records
    assert search_articles(article_index, "ستارلينك")[0] == 2
    assert search_articles(article_index, "الكرملين")[0] >= 2


def test_the_writer_gathers_batches_into_one_write_and_flushes_the_rest(prefect_api, article_index):
    """Fewer, larger bulk writes (a task run costs Prefect bookkeeping), none lost."""
    from prefect import flow

    from marsad.flows.tasks import Writer
    from marsad.models import Article, article_id

    def articles(start: int, count: int) -> list[Article]:
        return [Article(id=article_id(url=None, source="t", key=str(n)), title=f"خبر {n}",
                        text="نص", source="t") for n in range(start, start + count)]  # fmt: skip

    @flow
    def write() -> list[int]:
        writer = Writer(batch=5, wait=3600)
        sizes = [len(w) for _report, w in writer.add(articles(0, 3))]
        sizes += [len(w) for _report, w in writer.add(articles(3, 3))]  # 6 waiting: written
        sizes += [len(w) for _report, w in writer.add(articles(6, 2))]
        sizes += [len(w) for _report, w in writer.flush()]
        return sizes

    assert write() == [6, 2]
    article_index.refresh()
    assert article_index.count() == 8
