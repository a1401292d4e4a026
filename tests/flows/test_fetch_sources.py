"""The fetch flow end to end: a real HTTP server on 127.0.0.1 serving feeds and pages built from
the fixtures → Prefect flow → real Elasticsearch. Nothing is mocked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from prefect.settings import PREFECT_API_URL
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Response

from marsad.cli import app
from marsad.config import get_settings
from marsad.extractors.urls import canonical_url
from marsad.fetch.state import StateStore
from marsad.flows.fetch_sources import fetch_sources
from tests.fetch.web import ANT, PAGES, Site, conditional, read_ant, serve_fixture_web

ROOT = Path(__file__).resolve().parents[2]
YOUM7 = "https://www.youm7.com/story/2020/8/24/وزير-الرى-يشهد-توقيع-عقد-دراسة-تحديد-السحب-الآمن-للخزانات/4943459"


@pytest.fixture
def site():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield Site(server)
    server.clear()
    server.stop()


@pytest.fixture
def web(site, tmp_path, monkeypatch, prefect_api, article_index):
    """Settings pointing the flow at the local web: its registry, state file, resolve map."""
    resolve = serve_fixture_web(site)

    def configure(sources: list[dict], **env: str) -> Path:
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), "utf-8")
        values = {
            "MARSAD_SOURCES_FILE": str(registry),
            "MARSAD_FETCH_STATE_FILE": str(tmp_path / "fetch.sqlite"),
            "MARSAD_FETCH_ALLOW_NETWORKS": '["127.0.0.1/32"]',
            "MARSAD_FETCH_RESOLVE": json.dumps(resolve),
            "MARSAD_FETCH_HOST_DELAY": "0",
            "MARSAD_FETCH_RETRIES": "1",
            "MARSAD_FETCH_BACKOFF": "0.05",
            "MARSAD_FETCH_READ_TIMEOUT": "3",
            **env,
        }
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        return tmp_path / "fetch.sqlite"

    yield configure
    monkeypatch.undo()
    get_settings.cache_clear()


def _source(site: Site, sid: str, feeds=(), sitemaps=(), **extra) -> dict:
    return {
        "id": sid, "name": f"{sid} (test)", "homepage": site.url("feeds.marsad.test", "/"),
        "country": "TN", "affiliation": "unknown",
        "feeds": [site.url("feeds.marsad.test", f"/{f}") for f in feeds],
        "sitemaps": [site.url("feeds.marsad.test", f"/{s}") for s in sitemaps], **extra,
    }  # fmt: skip


def _rss(*links: str) -> str:
    items = "".join(
        f"<item><title>t{n}</title><link>{u}</link></item>" for n, u in enumerate(links)
    )
    return f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


def _docs(index) -> list[dict]:
    index.refresh()
    hits = index.es.search(index=index.alias, size=100, query={"match_all": {}})["hits"]["hits"]
    return [h["_source"] for h in hits]


def test_fetch_fills_the_index_with_the_fixture_articles(site, web, article_index):
    web([_source(site, "pages", feeds=["pages_rss.xml"]),
         _source(site, "ant", feeds=["ant_rss.xml", "jawhara_atom.xml"])])  # fmt: skip
    summary = fetch_sources()
    pages, ant = summary.sources["pages"], summary.sources["ant"]
    assert (pages.feed_status, pages.new, pages.failed) == ("200", 10, [])
    assert (ant.feed_status, ant.new, ant.failed) == ("200 ×2", 14, [])
    assert (pages.indexed, ant.indexed) == (10, 14)
    docs = _docs(article_index)
    assert len(docs) == 24
    assert {d["source"] for d in docs} == {"pages", "ant"}
    assert all(d["source_name"] and d["source_country"] == "TN" for d in docs)
    youm7 = next(d for d in docs if "youm7" in d["url"])
    assert youm7["url"].startswith("https://www.youm7.com/story/2020/8/24/")  # its canonical
    alarabiya = read_ant(ANT / "AL-internationalNews-1-20180219.txt")
    found = next(d for d in docs if d["title"] == alarabiya["TITLE"])
    assert found["published_at"].startswith("2018-02-18T20:16:11")  # the feed's pubDate, UTC

    pages_before = len([h for h in site.hits if h.host != "feeds.marsad.test"])
    again = fetch_sources()
    assert again.sources["pages"].feed_status == "304"
    assert again.total("new") == again.total("indexed") == 0 and again.failed == []
    assert len([h for h in site.hits if h.host != "feeds.marsad.test"]) == pages_before


def test_same_article_under_two_urls_is_indexed_once(site, web, article_index):
    body = (PAGES / "youm7_2020.html").read_bytes()
    local = site.localize(YOUM7.encode()).decode()
    site.serve(local.replace("/story/", "/amp/story/"), body)  # AMP copy, canonical → /story/
    links = [local + "?utm_source=rss&utm_medium=feed", local + "#comments",
             local.replace("/story/", "/amp/story/")]  # fmt: skip
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    feed = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    site.route(site.url("feeds.marsad.test", "/dupes.xml"), conditional(feed))
    web([_source(site, "youm7", feeds=["dupes.xml"])])
    summary = fetch_sources(["youm7"])
    report = summary.sources["youm7"]
    assert report.new == 2  # the utm and #fragment links are one canonical URL already
    assert (report.indexed, report.skipped, report.failed) == (1, 1, [])
    assert article_index.count() == 1


def test_unsafe_items_are_refused_and_failures_are_retried_next_run(site, web, article_index):
    doc = read_ant(ANT / "BB-middleEast-1-20180218.txt")
    flaky = site.url("news.marsad.test", "/flaky")
    calls = []

    def sometimes(_request):
        calls.append(1)
        if len(calls) <= 2:  # the whole first run (1 retry) fails, the next run works
            return Response("", 500)
        return Response((PAGES / "albayan_2020.html").read_bytes(), content_type="text/html")

    site.route(flaky, sometimes)
    links = ["http://169.254.169.254/latest/meta-data/iam/security-credentials/",
             "http://10.0.0.1/admin", "file:///etc/passwd", flaky,
             site.localize(doc["URL"].encode()).decode()]  # fmt: skip
    items = "".join(
        f"<item><title>t{n}</title><link>{u}</link></item>" for n, u in enumerate(links)
    )
    feed = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    site.route(site.url("feeds.marsad.test", "/mixed.xml"), conditional(feed))
    state = web([_source(site, "mixed", feeds=["mixed.xml"])],
                MARSAD_FETCH_RESOLVE=json.dumps({"news.marsad.test": "127.0.0.1",
                                                 "www.bbc.co.uk": "127.0.0.1",
                                                 "feeds.marsad.test": "127.0.0.1"}))  # fmt: skip
    first = fetch_sources(["mixed"]).sources["mixed"]
    reasons = {f.origin: f.reason for f in first.failed}
    assert first.new == 4 and first.indexed == 1  # file:// is not a web link: never queued
    assert "a cloud metadata address" in reasons[links[0]]
    assert "10.0.0.1 a private address" in reasons[links[1]]
    assert reasons[flaky] == "HTTP 500 Internal Server Error after 2 attempts"
    rows = {r["url"]: r["status"] for r in StateStore(state).items("mixed")}
    assert sorted(rows.values()) == ["failed", "indexed", "refused", "refused"]

    second = fetch_sources(["mixed"]).sources["mixed"]
    assert (second.feed_status, second.indexed, second.failed) == ("304", 1, [])
    assert article_index.count() == 2
    assert site.requests(links[0]) == []


def test_windows_1256_page_is_indexed_as_arabic(site, web, article_index):
    raw = (ROOT / "tests/fixtures/encodings/windows-1256_no_charset.html").read_bytes()
    page = site.url("news.marsad.test", "/gaza.html")
    site.serve(page, raw, content_type="text/html")  # no charset anywhere
    feed = _rss(page)
    site.route(site.url("feeds.marsad.test", "/cp.xml"), conditional(feed))
    web([_source(site, "cp", feeds=["cp.xml"])])
    assert fetch_sources(["cp"]).sources["cp"].indexed == 1
    [doc] = _docs(article_index)
    assert "كتائب الشهيد عز الدين القسام" in doc["text"]


def test_refresh_records_changed_texts(site, web, article_index):
    page = site.url("news.marsad.test", "/live.html")
    versions = [(PAGES / "alyaum_2020.html").read_bytes()]
    site.route(page, lambda r: Response(versions[-1], content_type="text/html"))
    feed = _rss(page)
    site.route(site.url("feeds.marsad.test", "/live.xml"), conditional(feed))
    state = web([_source(site, "live", feeds=["live.xml"])])
    assert fetch_sources(["live"]).sources["live"].indexed == 1
    assert fetch_sources(["live"]).sources["live"].skipped == 0  # known: not even queued
    versions.append(versions[0].replace("طهران".encode(), "العاصمة الإيرانية".encode()))
    refreshed = fetch_sources(["live"], refresh=True).sources["live"]
    assert (refreshed.indexed, refreshed.changed) == (1, 1)
    unchanged = fetch_sources(["live"], refresh=True).sources["live"]
    assert (unchanged.indexed, unchanged.changed, unchanged.skipped) == (0, 0, 1)
    assert StateStore(state).items("live")[0]["changed_at"]


def test_cli_fetch_and_sources(site, web, article_index):
    web([_source(site, "ant", sitemaps=["sitemap_index.xml"])])
    result = CliRunner().invoke(app, ["fetch", "ant"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "ant" in result.output and "14" in result.output
    assert article_index.count() == 14
    listing = CliRunner().invoke(app, ["sources"], catch_exceptions=False)
    assert listing.exit_code == 0 and "200 ×3" in listing.output
    unknown = CliRunner().invoke(app, ["fetch", "nope"])
    assert unknown.exit_code == 2 and "unknown source nope" in unknown.output


def test_interrupted_run_resumes_without_duplicates_or_gaps(site, web, article_index, tmp_path):
    """A real `marsad fetch` process is killed (SIGKILL) in its third batch, then run again."""
    release, served, lock = threading.Event(), [], threading.Lock()
    docs = [read_ant(p) for p in sorted(ANT.glob("*.txt")) if not p.name.startswith("JA-")]
    urls = [site.localize(d["URL"].encode()).decode() for d in docs]
    for url in urls:
        site.route(url, _fifth_hangs(site.routes[_key(url)], served, lock, release))
    state = web([_source(site, "ant", feeds=["ant_rss.xml"])],
                MARSAD_FETCH_HOST_CONCURRENCY="1", MARSAD_FETCH_CONCURRENCY="1")  # fmt: skip
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/marsad"), "fetch", "ant", "--batch-size", "2"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while len(served) < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert len(served) == 5, proc.stdout.read().decode()[-3000:] if proc.poll() else "slow"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    article_index.refresh()
    assert article_index.count() == 4  # two batches of two were indexed before the kill
    indexed = {r["url"] for r in StateStore(state).items("ant") if r["status"] == "indexed"}
    assert len(indexed) == 4 and len(StateStore(state).items("ant")) == 10

    summary = fetch_sources(["ant"])
    assert summary.sources["ant"].feed_status == "304"  # the feed says nothing new...
    assert summary.sources["ant"].indexed == 6  # ...yet the pending items were not lost
    article_index.refresh()
    assert article_index.count() == 10
    assert {d["url"] for d in _docs(article_index)} == {canonical_url(u) for u in urls}
    assert all(r["status"] == "indexed" for r in StateStore(state).items("ant"))
    for url in indexed:  # what was indexed before the kill was not downloaded again
        assert len(site.requests(url)) == 1


def _fifth_hangs(handler, served, lock, release):
    def wrapped(request):
        with lock:
            served.append(request.path)
            fifth = len(served) == 5
        if fifth:
            release.wait(60)
        return handler(request)

    return wrapped


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname, unquote(parts.path)
