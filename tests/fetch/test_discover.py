"""Feeds and sitemaps polled from a real server into the state store."""

from __future__ import annotations

import asyncio

from werkzeug import Request, Response

from marsad.fetch.client import Fetcher
from marsad.fetch.discover import poll_sources
from marsad.fetch.state import StateStore
from marsad.sources import Source
from tests.fetch.conftest import test_options
from tests.fetch.web import FEEDS


def _poll(source: Source, store: StateStore, refresh=False, max_sitemaps=20):
    async def run():
        async with Fetcher(test_options()) as fetcher:
            return await poll_sources(
                fetcher, store, [source], refresh=refresh, max_sitemaps=max_sitemaps
            )

    return asyncio.run(run())


def _source(site, feeds=(), sitemaps=()) -> Source:
    return Source(
        id="ant", name="ANT items", homepage=site.url("feeds.marsad.test", "/"), country="TN",
        feeds=[site.url("feeds.marsad.test", f) for f in feeds],
        sitemaps=[site.url("feeds.marsad.test", s) for s in sitemaps],
    )  # fmt: skip


def test_feed_fetched_then_answered_with_304(site, tmp_path):
    body = (FEEDS / "ant_rss.xml").read_bytes()
    etag, modified = '"ant-v1"', "Mon, 19 Feb 2018 06:00:00 GMT"

    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag, "Last-Modified": modified}
        return Response(body, headers=headers, content_type="application/rss+xml")

    site.route(site.url("feeds.marsad.test", "/ant_rss.xml"), feed)
    store, source = StateStore(tmp_path / "state.sqlite"), _source(site, feeds=["/ant_rss.xml"])

    [first] = _poll(source, store)
    assert (first.status, first.new) == ("200", 10)
    [second] = _poll(source, store)
    assert (second.status, second.new) == ("304", 0)
    hits = site.requests(site.url("feeds.marsad.test", "/ant_rss.xml"))
    assert "If-None-Match" not in hits[0].headers
    assert hits[1].headers["If-None-Match"] == etag
    assert hits[1].headers["If-Modified-Since"] == modified
    assert len(store.work(["ant"], refresh=False, max_attempts=5, per_source=100)) == 10
    [forced] = _poll(source, store, refresh=True)  # refresh ignores the validators
    assert forced.status == "200" and forced.new == 0


def test_sitemap_index_is_followed_one_level(site, tmp_path):
    for name in ("sitemap_index.xml", "ant_news_sitemap.xml", "jawhara_sitemap.xml"):
        site.serve(site.url("feeds.marsad.test", f"/{name}"),
                   site.localize((FEEDS / name).read_bytes()), "application/xml")  # fmt: skip
    store = StateStore(tmp_path / "state.sqlite")
    outcomes = _poll(_source(site, sitemaps=["/sitemap_index.xml"]), store)
    assert [(o.status, o.new) for o in outcomes] == [("200", 0), ("200", 10), ("200", 4)]
    assert len(store.items("ant")) == 14
    limited = _poll(_source(site, sitemaps=["/sitemap_index.xml"]), store, max_sitemaps=1)
    assert len(limited) == 2


def test_broken_feed_is_a_failed_feed_with_its_reason(site, tmp_path):
    site.serve(site.url("feeds.marsad.test", "/html"), "<html><body>moved</body></html>")
    store = StateStore(tmp_path / "state.sqlite")
    outcomes = _poll(_source(site, feeds=["/html", "/missing.xml"]), store)
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert outcomes[0].error.startswith("not a readable feed")
    assert outcomes[1].error == "HTTP 404 Not Found"
