"""No library fetches on its own. Feeds, sitemaps and pages whose content is a URL (or a local
path) are polled, downloaded and extracted; a canary server on 127.0.0.1 (which the test options
let the guarded fetcher reach) must see no connection, since the fetcher was never asked."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from marsad.extractors.errors import ExtractionError
from marsad.extractors.web_page import extract_page
from marsad.fetch.client import Fetcher
from marsad.fetch.discover import poll_sources
from marsad.fetch.download import download
from marsad.fetch.state import StateStore
from marsad.sources import Source
from tests.fetch.conftest import test_options
from tests.fetch.web import CANARY_ANSWER, url_first_page

RSS = "application/rss+xml"


def _rss(link: str, text: str) -> str:
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{text}</title><link>{text}</link><item><title>{text}</title><link>{link}</link>"
        f"<description>{text}</description><content:encoded>{text}</content:encoded>"
        f"<comments>{text}</comments><enclosure url='{text}' type='audio/mpeg'/></item>"
        "</channel></rss>"
    )


def _sitemap(link: str, text: str) -> str:
    return (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        f"<loc>{link}</loc><lastmod>{text}</lastmod></url></urlset>"
    )


def _serve_bait(site, canary, tmp_path) -> Source:
    """Every place a URL could hide: whole bodies, feed fields, a page, a local file path."""
    bait = canary.url("/bait")
    trap = tmp_path / "trap.xml"  # a real feed on disk, linking the canary
    trap.write_text(_rss(canary.url("/from-file"), "x"), "utf-8")
    page = site.url("news.marsad.test", "/article")
    feeds = {
        "/url.xml": (bait, RSS), "/path.xml": (str(trap), RSS),
        "/fields.xml": (_rss(page, bait), RSS), "/url-sitemap.xml": (bait, "application/xml"),
        "/lastmod.xml": (_sitemap(page, bait), "application/xml"),
    }  # fmt: skip
    for path, (body, kind) in feeds.items():
        site.serve(site.url("feeds.marsad.test", path), body, kind)
    site.serve(page, bait, "text/html")
    site.serve(site.url("news.marsad.test", "/plain"), bait, "text/plain")
    site.serve(site.url("news.marsad.test", "/url-first"), url_first_page(bait), "text/html")
    return Source(
        id="bait", name="bait", homepage=site.url("feeds.marsad.test", "/"), country="TN",
        feeds=[site.url("feeds.marsad.test", p) for p in ("/url.xml", "/path.xml", "/fields.xml")],
        sitemaps=[site.url("feeds.marsad.test", p) for p in ("/url-sitemap.xml", "/lastmod.xml")],
    )  # fmt: skip


def test_no_library_fetches_what_feeds_and_pages_contain(site, raw_server, tmp_path):
    canary = raw_server(CANARY_ANSWER)
    source = _serve_bait(site, canary, tmp_path)
    store = StateStore(tmp_path / "state.sqlite")
    direct = [site.url("news.marsad.test", p) for p in ("/plain", "/url-first")]
    store.add_urls("bait", direct)

    async def run():
        async with Fetcher(test_options()) as fetcher:
            outcomes = await poll_sources(fetcher, store, [source], refresh=False, max_sitemaps=5)
            work = store.work(["bait"], refresh=False, max_attempts=5, per_source=50)
            return outcomes, await download(fetcher, work)

    outcomes, fetched = asyncio.run(run())
    failed = {o.url.rsplit("/", 1)[1]: o.error for o in outcomes if o.status == "failed"}
    assert set(failed) == {"url.xml", "path.xml", "url-sitemap.xml"}  # bad feeds, nothing more
    # the canary link in the file on disk was never read, so never queued
    assert {f.item.url for f in fetched} == {site.url("news.marsad.test", "/article"), *direct}
    extracted = []
    for result in fetched:
        assert result.page is not None, result.error
        with suppress(ExtractionError):  # a page that is only a URL is no article
            extracted.append(extract_page(
                result.page.body, result.page.headers.get("content-type", ""),
                result.page.final_url, None, title=result.item.title,
            ))  # fmt: skip
    assert [a.url for a in extracted] == [direct[1]]  # the URL-first page reached htmldate
    assert canary.accepted == [] and canary.requests == []
