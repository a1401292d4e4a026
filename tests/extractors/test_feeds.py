"""Feeds and sitemaps built from real ANT items and real pages (tests/fixtures/feeds)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from marsad.extractors.errors import ExtractionError
from marsad.extractors.feeds import parse_feed, parse_sitemap
from marsad.extractors.urls import canonical_url
from tests.fetch.web import ANT, FEEDS, read_ant

BASE = "http://feeds.marsad.test/"
MAX = 1_000_000


def _read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss_items_carry_the_corpus_url_title_and_pubdate():
    items = parse_feed(_read("ant_rss.xml"), BASE + "ant_rss.xml")
    assert len(items) == 10
    doc = read_ant(ANT / "AL-internationalNews-1-20180219.txt")
    item = next(i for i in items if i.url == canonical_url(doc["URL"]))
    assert item.title == "انفجار صاروخ قرب قطاع غزة دون إصابات"
    # "Mon, 19 Feb 2018 00:16:11 +0400" in UTC
    assert item.published_at == datetime(2018, 2, 18, 20, 16, 11, tzinfo=UTC)
    assert item.summary and item.summary.startswith("أفاد مراسل")


def test_items_come_newest_first():
    items = parse_feed(_read("ant_rss.xml"), BASE)
    dates = [i.published_at for i in items]
    assert dates == sorted(dates, reverse=True)


def test_atom_entries_are_read():
    items = parse_feed(_read("jawhara_atom.xml"), BASE + "jawhara_atom.xml")
    assert len(items) == 4
    assert all(i.url.startswith("http://www.jawharafm.net/ar/article/") for i in items)
    assert all(i.published_at and i.published_at.year == 2017 for i in items)


def test_news_sitemap_gives_titles_and_publication_dates():
    sitemap = parse_sitemap(_read("ant_news_sitemap.xml"), BASE, max_bytes=MAX)
    assert sitemap.sitemaps == [] and len(sitemap.items) == 10
    assert all(i.title and i.published_at for i in sitemap.items)
    assert {i.url for i in sitemap.items} == {i.url for i in parse_feed(_read("ant_rss.xml"), BASE)}


def test_sitemap_index_lists_its_sitemaps():
    sitemap = parse_sitemap(_read("sitemap_index.xml"), BASE, max_bytes=MAX)
    assert sitemap.items == []
    assert sitemap.sitemaps == [BASE + "ant_news_sitemap.xml", BASE + "jawhara_sitemap.xml"]


def test_plain_sitemap_with_lastmod_days():
    sitemap = parse_sitemap(_read("jawhara_sitemap.xml"), BASE, max_bytes=MAX)
    assert len(sitemap.items) == 4 and all(i.published_at.tzinfo for i in sitemap.items)


def test_gzipped_sitemap_and_its_size_limit():
    packed = gzip.compress(_read("ant_news_sitemap.xml"))
    assert len(parse_sitemap(packed, BASE, max_bytes=MAX).items) == 10
    with pytest.raises(ExtractionError, match="over the 1000-byte limit"):
        parse_sitemap(packed, BASE, max_bytes=1000)


def test_sitemap_entities_are_not_expanded():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://a.test/&x;</loc></url></urlset>"
    )
    items = parse_sitemap(xxe, BASE, max_bytes=MAX).items
    assert all("root:" not in i.url for i in items)


def test_feed_links_are_canonical_and_deduplicated():
    rss = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>http://a.test/x?utm_source=rss</link></item>"
        b"<item><title>a again</title><link>http://a.test/x#top</link></item>"
        b"<item><title>rel</title><link>/y</link></item>"
        b"<item><title>bad</title><link>javascript:alert(1)</link></item>"
        b"</channel></rss>"
    )
    # the bad link is kept, for the fetcher to refuse with its reason
    assert [i.url for i in parse_feed(rss, "http://a.test/feed")] == [
        "http://a.test/x", "http://a.test/y", "javascript:alert(1)",
    ]  # fmt: skip


MALFORMED = [
    "http://0177.0.0.1/a", "http://0x7f.1/b", "http://2130706433/c", "http://a.test:99999/d",
    "http://a.test:abc/e", "http://xn--a.test/f", "http://" + "a" * 70 + ".test/g",
    "http://:80/h", "ftp://a.test/i", "http://[::1/j", "http://a\u200b.test/k",
]  # fmt: skip


def _rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def test_malformed_feed_links_are_kept_as_items_not_dropped_or_raised():
    """Each becomes one item the fetcher refuses with its reason, never an exception here."""
    urls = [i.url for i in parse_feed(_rss(*MALFORMED, "http://a.test/ok"), BASE)]
    assert len(urls) == len(MALFORMED) + 1 and "http://a.test/ok" in urls
    for link in MALFORMED:
        assert any(link.split("/")[2] in url for url in urls), link


def test_malformed_sitemap_locs_are_kept_as_items():
    locs = "".join(f"<url><loc>{link}</loc></url>" for link in [*MALFORMED, "/ok"])
    xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    urls = [i.url for i in parse_sitemap(xml.encode(), BASE, max_bytes=MAX).items]
    assert len(urls) == len(MALFORMED) + 1 and BASE + "ok" in urls


def test_a_feed_body_naming_a_file_is_not_opened(tmp_path):
    """feedparser reads a file whose path it is given as bytes; the body must stay the body."""
    real = tmp_path / "feed.xml"
    real.write_bytes(_rss("http://a.test/secret"))
    with pytest.raises(ExtractionError, match="not a readable feed"):
        parse_feed(str(real).encode(), BASE)
    with pytest.raises(ExtractionError, match="not a readable feed"):
        parse_feed(real.as_uri().encode(), BASE)


@pytest.mark.parametrize("data", [b"<html><body>not a feed</body></html>", b"", b"\x00\x01"])
def test_not_a_feed_is_an_error(data):
    with pytest.raises(ExtractionError, match="not a readable feed"):
        parse_feed(data, BASE)


def test_not_a_sitemap_is_an_error():
    with pytest.raises(ExtractionError, match="not a sitemap"):
        parse_sitemap(_read("ant_rss.xml"), BASE, max_bytes=MAX)
    with pytest.raises(ExtractionError, match="not well-formed"):
        parse_sitemap(b"<urlset><url>", BASE, max_bytes=MAX)
